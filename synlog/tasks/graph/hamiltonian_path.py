"""Hamiltonian path: an order of a graph's nodes, each once, every step along an edge.

Rules: the undirected graph's nodes are named A, B, C, ...; the answer lists every node
exactly once, ``A -> C -> B -> D``, and each two neighbours in the list are joined by an edge.
It may start and end anywhere. When no such order exists the answer is ``none``. A 4-node
example, edges A - B, A - C, C - D, and one of its two answers (the other is its reverse)::

    B -> A -> C -> D

How instances are made, and why ``none`` is right exactly when the gold says so:

1. a random order of the nodes is planted as a path, and random extra edges are added
   (``extra`` per node, drawn per instance); that order is the gold;
2. with probability ``infeasible`` the graph is then broken: python-sat finds a Hamiltonian
   path, one of its edges is removed (keeping the graph connected and, where possible, every
   node with two neighbours), and so on until the solver proves that no path is left
   (UNSAT); random non-edges are then added back wherever the proof survives them, so the
   edge count says little about the answer; the gold is then ``none``.

Any valid order scores 1 (``unique_answer`` is False): ``verify`` walks the answer and checks
the rules, never a gold string. ``effort`` is the solver's conflicts and decisions (one solve
proves the planted instance SAT, several the broken one UNSAT); ``hardness`` counts nodes plus
edges. :class:`HamiltonianCycle` (``hamiltonian_cycle.py``) shares everything but the closing
edge.
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, decorated_forms
from synlog.tasks.common.graph_sat import (
    break_hamiltonian,
    find_hamiltonian,
    planted_hamiltonian,
    says,
)
from synlog.tasks.common.graphs import node_names, parse_path
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: longest answer read; a path of 26 two-letter names is under 200 characters
MAX_CHARS = 2_000
#: edge removals tried per node while breaking a graph before the candidate is dropped
ROUNDS_PER_NODE = 4


@register
class HamiltonianPath(Task):
    """Order a graph's nodes so that each step follows an edge, every node once (or none)."""

    name, family, version = "hamiltonian_path", "graph", 1
    cycle: ClassVar[bool] = False
    knobs = Knobs(
        nodes=Knob(int, levels=[6, 7, 8, 9, 10, 12, 14, 16, 18, 20], lo=4, hi=26, help="nodes in the graph"),
        extra=Knob(float, levels=[(0.3, 0.5), (0.4, 0.6), (0.6, 0.8), (0.7, 0.9), (0.8, 1.0), (0.9, 1.1),
                                       (1.0, 1.2), (1.1, 1.3), (1.2, 1.4), (1.3, 1.5)], lo=0.0, hi=4.0,
                   help="edges added per node beyond the planted path (drawn per instance)"),
        infeasible=Knob(float, levels=[0.08, 0.08, 0.04, 0.04, 0.04, 0.03, 0.03, 0.03, 0.03, 0.03],
                        lo=0.0, hi=1.0, help="share of instances with no answer (answer 'none')"),
    )
    unique_answer = False
    # answering "none" everywhere earns the infeasible share, at most 8 %
    chance = 0.08

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n = p.nodes
        order, pairs = planted_hamiltonian(rng, n, round(p.extra * n), self.cycle)
        if rng.random() < p.infeasible:
            proved, effort = break_hamiltonian(rng, n, pairs, self.cycle, ROUNDS_PER_NODE * n)
            if not proved:
                raise Reject("the graph could not be broken without disconnecting it")
            order = None
        else:
            found, effort = find_hamiltonian(n, sorted(pairs), self.cycle)
            if found is None:  # cannot happen: the planted order is a witness
                raise Reject("the solver found no planted order")
        names = node_names(n)
        ordered = sorted(pairs)
        listed = [ordered[i] for i in rng.permutation(len(ordered)).tolist()]
        edges = [[names[u], names[v]] if rng.random() < 0.5 else [names[v], names[u]] for u, v in listed]
        data = {"nodes": names, "edges": edges, "exists": order is not None}
        gold = "none" if order is None else " -> ".join(names[v] for v in order)
        return Problem(data, gold, effort + n)

    def context(self, problem: Problem, lang: str) -> dict:
        data = problem.data
        return {"nodes": data["nodes"], "edges": [f"{a} - {b}" for a, b in data["edges"]]}

    def verify(self, problem: dict, answer: str) -> Verdict:
        if not isinstance(answer, str) or len(answer) > MAX_CHARS:
            return Verdict.invalid(f"answer longer than {MAX_CHARS} characters")
        names = problem["nodes"]
        if says(answer, "none"):
            if problem["exists"]:
                return Verdict.wrong(f"a Hamiltonian {self._shape()} exists")
            return Verdict.ok()
        try:
            path = parse_path(answer, names)
        except AnswerError as error:
            return Verdict.unparseable(f"{error}; expected e.g. 'A -> C -> B' or 'none'")
        if self.cycle and len(path) == len(names) + 1 and path[0] == path[-1]:
            path = path[:-1]  # the closing step back to the start, written out
        seen: set[str] = set()
        for name in path:
            if name in seen:
                return Verdict.wrong(f"{name} is visited twice")
            seen.add(name)
        if len(path) != len(names):
            missing = [name for name in names if name not in seen]
            return Verdict.wrong(f"{len(missing)} node(s) never visited, e.g. {missing[0]}")
        joined = {frozenset(edge) for edge in problem["edges"]}
        steps = list(zip(path, path[1:] + path[:1], strict=True))
        for a, b in steps if self.cycle else steps[:-1]:
            if frozenset((a, b)) not in joined:
                return Verdict.wrong(f"no edge joins {a} and {b}")
        return Verdict.ok()

    def _shape(self) -> str:
        return "cycle" if self.cycle else "path"

    def alternative_forms(self, problem: Problem) -> list[str]:
        gold = problem.answer
        if gold == "none":
            return decorated_forms(["none"]) + ["None", "NONE"]
        nodes = gold.split(" -> ")
        forms = [", ".join(nodes), " → ".join(nodes), "->".join(nodes), "\n".join(nodes), gold.lower()]
        if self.cycle:
            forms.append(f"{gold} -> {nodes[0]}")
        return forms + decorated_forms([gold])

    def forbidden_forms(self, problem: Problem) -> list[str]:
        # the names run together or separated by spaces only: the prompt asks for " -> "
        if problem.answer == "none":
            return []
        nodes = problem.answer.split(" -> ")
        return ["".join(nodes), " ".join(nodes)]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        names = problem.data["nodes"]
        if problem.answer == "none":
            candidates = [" -> ".join(names), " -> ".join(names[int(i)] for i in rng.permutation(len(names)))]
        else:
            nodes = problem.answer.split(" -> ")
            i, j = sorted(rng.choice(len(nodes), 2, replace=False).tolist())
            swapped = nodes[:i] + [nodes[j]] + nodes[i + 1:j] + [nodes[i]] + nodes[j + 1:]
            candidates = [" -> ".join(swapped), " -> ".join(nodes[:-1]), " -> ".join(nodes + nodes[:1]),
                          " -> ".join(nodes[:1] + nodes), "none"]
            if self.cycle:
                candidates[2] = " -> ".join(nodes + nodes[:2])
        return [c for c in candidates if self.verify(problem.data, c).score < 1]

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        names = problem["nodes"]
        return {"nodes in alphabetical order": " -> ".join(names),
                "nodes in reverse order": " -> ".join(reversed(names))}

    def hardness(self, problem: dict) -> float:
        return float(len(problem["nodes"]) + len(problem["edges"]))

    def instance_space(self, spec: dict) -> float | None:
        # labelled graphs with the planted edge count (an upper estimate: prompts also vary
        # in the order and direction the edges are listed)
        n, extra = spec["nodes"], spec["extra"]
        if isinstance(n, tuple):
            return None
        extra = extra[0] if isinstance(extra, tuple) else extra  # the sparsest graphs: a low estimate
        edges = min(n - 1 + int(self.cycle) + round(extra * n), n * (n - 1) // 2)
        return float(math.comb(n * (n - 1) // 2, edges))
