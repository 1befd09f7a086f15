"""SAT encodings of graph feasibility questions: Hamiltonian paths and cycles, k-colourings.

Also the small pieces the feasibility tasks share: planting and breaking Hamiltonian graphs,
and reading the one-word answer (``none``, ``impossible``) an infeasible instance asks for.

Graphs are as in :mod:`synlog.tasks.common.graphs`: nodes ``0..n-1`` and edges ``(u, v, ...)``
(anything after the two ends is ignored). Each ``find_*`` returns a witness, or None when the
solver proves there is none, and the solver's effort (conflicts plus decisions)::

    edges = [(0, 1), (1, 2), (2, 0), (2, 3)]
    find_hamiltonian(4, edges, cycle=False)     # ([3, 2, 0, 1], effort) or another order
    find_hamiltonian(4, edges, cycle=True)      # (None, effort): 3 has one neighbour
    find_coloring(4, edges, 2)                  # (None, effort): a triangle needs 3 colours
    find_coloring(4, edges, 3)                  # ([0, 1, 2, 0], effort): colours 0..k-1

The Hamiltonian encoding is positional: ``x(v, i)`` says node v is the i-th of the order;
every node takes one position and every position one node (cardinality from
:mod:`synlog.tasks.common.satenc`), and the nodes at positions i and i+1 are adjacent, said in
both directions so unit propagation sees a dead end from either side. A cycle wraps position
n-1 to 0 and pins node 0 at position 0 (every cycle can be rotated there); a path starts at
the smaller-indexed of its two ends (every path can be reversed).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pysat.solvers import Solver

from synlog.tasks.common.answers import answer_lines
from synlog.tasks.common.satenc import SOLVER, Clause, IDPool, exactly_one, solve

#: solver conflicts one proof may spend while edges are added back to a broken graph; an edge
#: whose proof would cost more is left out (the graph keeps its last proved state)
RESTORE_CONFLICTS = 3_000
#: extra edges tried while restoring a broken graph of at most RESTORE_SMALL_NODES nodes
RESTORE_SMALL_TRIES, RESTORE_SMALL_NODES = 12, 12

__all__ = [
    "break_hamiltonian",
    "coloring_cnf",
    "find_coloring",
    "find_hamiltonian",
    "hamiltonian_cnf",
    "neighbour_sets",
    "order_steps",
    "planted_hamiltonian",
    "says",
]


def says(text: str, word: str) -> bool:
    """True when the (bounded) answer is ``word`` alone, in any case and markdown decoration."""
    lines = answer_lines(text)
    return len(lines) == 1 and lines[0].strip().lower() == word


def neighbour_sets(n: int, edges: Sequence[Sequence[int]]) -> list[set[int]]:
    """``adj[u]``: the set of u's neighbours in the undirected graph (loops dropped)."""
    adj: list[set[int]] = [set() for _ in range(n)]
    for edge in edges:
        u, v = int(edge[0]), int(edge[1])
        if u != v:
            adj[u].add(v)
            adj[v].add(u)
    return adj


def hamiltonian_cnf(n: int, edges: Sequence[Sequence[int]], cycle: bool) -> list[Clause]:
    """Clauses satisfiable exactly when the graph has a Hamiltonian path (or ``cycle``); node v
    at position i is variable ``v * n + i + 1``."""
    adj = neighbour_sets(n, edges)
    pool = IDPool(start_from=n * n + 1)

    def x(v: int, i: int) -> int:
        return v * n + i + 1

    clauses: list[Clause] = []
    for v in range(n):
        clauses += exactly_one([x(v, i) for i in range(n)], pool)
    for i in range(n):
        clauses += exactly_one([x(v, i) for v in range(n)], pool)
    steps = range(n) if cycle else range(n - 1)
    for i in steps:
        j = (i + 1) % n
        for v in range(n):
            clauses.append([-x(v, i)] + [x(u, j) for u in adj[v]])
            clauses.append([-x(v, j)] + [x(u, i) for u in adj[v]])
    if cycle and n:
        clauses.append([x(0, 0)])
    elif n > 1:  # a path and its reverse are one answer: let the first node have the smaller index
        clauses += [[-x(a, 0), -x(b, n - 1)] for a in range(n) for b in range(a)]
    return clauses


def find_hamiltonian(n: int, edges: Sequence[Sequence[int]], cycle: bool) -> tuple[list[int] | None, float]:
    """A Hamiltonian path (or cycle, as its n nodes in order) or None, and the solver effort."""
    if n == 1:
        return [0], 0.0
    model, effort = solve(hamiltonian_cnf(n, edges, cycle))
    if model is None:
        return None, effort
    truth = {lit for lit in model if lit > 0}
    order = [next(v for v in range(n) if v * n + i + 1 in truth) for i in range(n)]
    return order, effort


def coloring_cnf(n: int, edges: Sequence[Sequence[int]], k: int) -> list[Clause]:
    """Clauses satisfiable exactly when the graph has a proper k-colouring; node v has colour c
    when variable ``v * k + c + 1`` is true. Node 0 takes colour 0 (colours are interchangeable)."""
    pool = IDPool(start_from=n * k + 1)
    clauses: list[Clause] = []
    for v in range(n):
        clauses += exactly_one([v * k + c + 1 for c in range(k)], pool)
    for u, v in {tuple(sorted((int(e[0]), int(e[1])))) for e in edges}:
        clauses += [[-(u * k + c + 1), -(v * k + c + 1)] for c in range(k)]
    if n:
        clauses.append([1])
    return clauses


def find_coloring(n: int, edges: Sequence[Sequence[int]], k: int) -> tuple[list[int] | None, float]:
    """A proper colouring with colours ``0..k-1`` (one per node) or None, and the solver effort."""
    model, effort = solve(coloring_cnf(n, edges, k))
    if model is None:
        return None, effort
    truth = {lit for lit in model if lit > 0}
    return [next(c for c in range(k) if v * k + c + 1 in truth) for v in range(n)], effort


def order_steps(order: Sequence[int], cycle: bool) -> list[tuple[int, int]]:
    """The edges (smaller end first) that walking ``order`` uses; a cycle also closes it."""
    steps = [(order[k], order[k + 1]) for k in range(len(order) - 1)]
    if cycle and len(order) > 1:
        steps.append((order[-1], order[0]))
    return [(min(u, v), max(u, v)) for u, v in steps]


def planted_hamiltonian(rng: np.random.Generator, n: int, extra: int, cycle: bool) -> tuple[list[int], set[tuple[int, int]]]:
    """A random order of the n nodes and the edge set: that order's path (or cycle) plus
    ``extra`` other random pairs (fewer when the graph would be complete)."""
    order = [int(v) for v in rng.permutation(n)]
    pairs = set(order_steps(order, cycle and n > 2))
    room = n * (n - 1) // 2 - len(pairs)
    target = len(pairs) + min(extra, room)
    while len(pairs) < target:
        u, v = sorted(int(x) for x in rng.choice(n, 2, replace=False))
        pairs.add((u, v))
    return order, pairs


def _connected(n: int, pairs: set[tuple[int, int]]) -> bool:
    adj = neighbour_sets(n, list(pairs))
    seen, stack = {0}, [0]
    while stack:
        for v in adj[stack.pop()] - seen:
            seen.add(v)
            stack.append(v)
    return len(seen) == n


def _proved_none(n: int, edges: Sequence[Sequence[int]], cycle: bool, conflicts: int) -> tuple[bool, float]:
    """True when the solver proves, within ``conflicts``, that no Hamiltonian path (cycle) exists."""
    with Solver(name=SOLVER, bootstrap_with=hamiltonian_cnf(n, edges, cycle)) as solver:
        solver.conf_budget(conflicts)
        answer = solver.solve_limited()
        stats = solver.accum_stats() or {}
        return answer is False, float(stats.get("conflicts", 0) + stats.get("decisions", 0))


def break_hamiltonian(rng: np.random.Generator, n: int, pairs: set[tuple[int, int]], cycle: bool,
                      rounds: int) -> tuple[bool, float]:
    """Make ``pairs`` (in place) a graph with no Hamiltonian path (cycle) and as many edges as
    it had: edges of found paths are removed until the solver proves none is left (keeping the
    graph connected and, where it can, every node with two neighbours), then random non-edges
    are added back wherever the proof survives them, so neither the edge count nor a degree
    gives the answer away. Returns (proved none, effort); a False leaves ``pairs`` broken."""
    target, effort = len(pairs), 0.0
    for _ in range(rounds):
        order, spent = find_hamiltonian(n, sorted(pairs), cycle)
        effort += spent + 1
        if order is None:
            break
        degree = [0] * n
        for u, v in pairs:
            degree[u] += 1
            degree[v] += 1
        candidates = [e for e in order_steps(order, cycle) if _connected(n, pairs - {e})]
        roomy = [e for e in candidates if degree[e[0]] > 2 and degree[e[1]] > 2]
        pool = roomy or candidates
        if not pool:
            return False, effort
        pairs.discard(pool[int(rng.integers(len(pool)))])
    else:
        return False, effort
    absent = [(u, v) for u in range(n) for v in range(u + 1, n) if (u, v) not in pairs]
    # a few tries per missing edge, more on small graphs, whose proofs are cheap and where each
    # missing edge is a larger share of the count
    tries = 3 * (target - len(pairs)) + (RESTORE_SMALL_TRIES if n <= RESTORE_SMALL_NODES else 0)
    for k in rng.permutation(len(absent)).tolist()[:tries]:
        if len(pairs) == target:
            break
        pairs.add(absent[k])
        proved, spent = _proved_none(n, sorted(pairs), cycle, RESTORE_CONFLICTS)
        effort += spent + 1
        if not proved:  # this edge opens a path again, or the proof would cost too much
            pairs.discard(absent[k])
    return True, effort
