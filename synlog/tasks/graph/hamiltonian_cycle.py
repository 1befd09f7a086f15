"""Hamiltonian cycle: a closed tour of a graph's nodes, each once, every step along an edge.

Rules: as :mod:`hamiltonian_path`, and the last node must also be joined to the first. The
answer lists every node once, ``A -> B -> D -> C`` (the closing step back to A is implied; it
may be written out, ``... -> C -> A``), or ``none`` when no tour exists. A 4-node example,
edges A - B, B - D, D - C, C - A, A - D, and one of its answers::

    A -> B -> D -> C

Instances are made as the path's are, with a planted cycle instead of a planted path; the
infeasible share is broken edge by edge until python-sat proves that no cycle is left. Any
valid tour (any start, either direction) scores 1.
"""

from __future__ import annotations

from typing import ClassVar

from synlog.tasks.base import register
from synlog.tasks.graph.hamiltonian_path import HamiltonianPath
from synlog.tasks.knobs import Knob, Knobs


@register
class HamiltonianCycle(HamiltonianPath):
    """Find a closed tour through every node of a graph exactly once (or answer none)."""

    name, family, version = "hamiltonian_cycle", "graph", 1
    cycle: ClassVar[bool] = True
    knobs = Knobs(
        nodes=Knob(int, levels=[6, 7, 8, 9, 10, 12, 14, 16, 18, 20], lo=4, hi=26, help="nodes in the graph"),
        extra=Knob(float, levels=[(0.3, 0.5), (0.4, 0.6), (0.6, 0.8), (0.7, 0.9), (0.8, 1.0), (0.9, 1.1),
                                       (1.0, 1.2), (1.1, 1.3), (1.2, 1.4), (1.3, 1.5)], lo=0.0, hi=4.0,
                   help="edges added per node beyond the planted cycle (drawn per instance)"),
        infeasible=Knob(float, levels=[0.08, 0.08, 0.04, 0.04, 0.04, 0.03, 0.03, 0.03, 0.03, 0.03],
                        lo=0.0, hi=1.0, help="share of instances with no answer (answer 'none')"),
    )
