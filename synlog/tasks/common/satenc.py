"""SAT encodings and model counting shared by puzzle tasks (python-sat underneath).

The vocabulary is python-sat's: a literal is a non-zero int, a clause a list of literals, a
CNF a list of clauses. Variables come from a :class:`pysat.formula.IDPool` keyed by any
hashable name, so tasks speak in their own terms::

    pool = IDPool()
    cell = lambda r, c, v: pool.id(("cell", r, c, v))
    cnf = exactly_one([cell(0, 0, v) for v in range(4)], pool)
    count = count_models(cnf, limit=2)          # Count(models=..., model=[...], effort=...)
    count.models == 1                           # unique?

``count_models`` stops at ``limit`` models, blocking each found model on the projection
variables (the ones the puzzle's answer is made of), which is how uniqueness is proved.
``effort`` is the solver's conflicts plus decisions, summed over calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pysat.card import CardEnc, EncType
from pysat.formula import IDPool
from pysat.solvers import Solver

Clause = list[int]
SOLVER = "minisat22"  # fast start-up for the many small instances puzzles produce

__all__ = [
    "IDPool",
    "Count",
    "at_least_k",
    "at_most_k",
    "at_most_one",
    "count_models",
    "exactly_k",
    "exactly_one",
    "solve",
]


def _encode(kind, lits: Sequence[int], k: int, pool: IDPool) -> list[Clause]:
    lits = list(lits)
    if kind is CardEnc.atmost and k >= len(lits):
        return []
    if kind is CardEnc.atleast and k <= 0:
        return []
    if kind is CardEnc.atleast and k > len(lits) or k < 0:
        return [[]]  # unsatisfiable by construction
    encoding = EncType.pairwise if k == 1 and len(lits) <= 6 else EncType.seqcounter
    if kind is CardEnc.equals and k == 1 and len(lits) <= 6:
        return [lits] + CardEnc.atmost(lits, 1, encoding=EncType.pairwise).clauses
    formula = kind(lits=lits, bound=k, vpool=pool, encoding=encoding)
    return [list(c) for c in formula.clauses]


def at_most_k(lits: Sequence[int], k: int, pool: IDPool) -> list[Clause]:
    """Clauses saying at most ``k`` of ``lits`` are true."""
    return _encode(CardEnc.atmost, lits, k, pool)


def at_least_k(lits: Sequence[int], k: int, pool: IDPool) -> list[Clause]:
    """Clauses saying at least ``k`` of ``lits`` are true."""
    return _encode(CardEnc.atleast, lits, k, pool)


def exactly_k(lits: Sequence[int], k: int, pool: IDPool) -> list[Clause]:
    """Clauses saying exactly ``k`` of ``lits`` are true."""
    return _encode(CardEnc.equals, lits, k, pool)


def at_most_one(lits: Sequence[int], pool: IDPool) -> list[Clause]:
    """Clauses saying at most one of ``lits`` is true."""
    return at_most_k(lits, 1, pool)


def exactly_one(lits: Sequence[int], pool: IDPool) -> list[Clause]:
    """Clauses saying exactly one of ``lits`` is true."""
    return exactly_k(lits, 1, pool)


@dataclass
class Count:
    """Result of :func:`count_models`: models found (≤ limit), the first one, solver effort."""

    models: int
    model: list[int] | None
    effort: float
    all_models: list[list[int]] = field(default_factory=list)


def _effort(solver: Solver) -> float:
    stats = solver.accum_stats() or {}
    return float(stats.get("conflicts", 0) + stats.get("decisions", 0))


def count_models(
    clauses: Iterable[Clause],
    limit: int = 2,
    projection: Sequence[int] | None = None,
    assumptions: Sequence[int] = (),
    keep: bool = False,
) -> Count:
    """Count models up to ``limit``, distinct on the ``projection`` variables (default: all)."""
    with Solver(name=SOLVER, bootstrap_with=list(clauses)) as solver:
        found = 0
        first: list[int] | None = None
        kept: list[list[int]] = []
        while found < limit and solver.solve(assumptions=list(assumptions)):
            model = solver.get_model()
            found += 1
            if first is None:
                first = model
            if keep:
                kept.append(model)
            truth = set(model)
            block_vars = projection if projection is not None else [abs(lit) for lit in model]
            solver.add_clause([-v if v in truth else v for v in block_vars])
        return Count(found, first, _effort(solver), kept)


def solve(clauses: Iterable[Clause], assumptions: Sequence[int] = ()) -> tuple[list[int] | None, float]:
    """One model (or None when unsatisfiable) and the solver effort."""
    with Solver(name=SOLVER, bootstrap_with=list(clauses)) as solver:
        ok = solver.solve(assumptions=list(assumptions))
        return (solver.get_model() if ok else None), _effort(solver)
