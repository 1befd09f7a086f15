"""Random k-SAT: find a truth assignment that satisfies every clause of a CNF formula.

Each clause is an OR of ``k`` literals over distinct variables; the formula is the AND of the
clauses. For example, with three variables::

    1. (x1 ∨ ¬x2 ∨ x3)
    2. (¬x1 ∨ x2 ∨ x3)
    3. (¬x1 ∨ ¬x2 ∨ ¬x3)

``1 2 -3`` (x1 true, x2 true, x3 false) satisfies all three; so do other assignments, and any
satisfying assignment scores 1: ``verify`` checks every clause, never a gold string.

Instances are **solver-filtered**, not planted: clauses are drawn uniformly (distinct
variables per clause, random signs, no repeated clause) and a candidate is kept only when
python-sat finds a model; unsatisfiable candidates are rejected and redrawn. Planting a
solution first would bias the clauses towards it and make instances near the phase
transition (ratio ≈ 4.26 for 3-SAT) much easier than uniform ones; filtering keeps the
uniform distribution conditioned on satisfiability. ``effort`` is the solver's conflicts,
decisions and propagations on the kept instance.

Two more filters keep guessing from paying on small formulas, where a random clause set is
satisfied by a large share of all assignments: a candidate that the all-false, the all-true
or the majority-sign assignment (each variable at the sign it occurs with more often)
satisfies is redrawn, and so is one satisfied by more than one assignment in
:data:`MAX_MODEL_SHARE` (models are counted up to that bound, for ``n_vars`` ≤
:data:`COUNTED_VARS`; beyond it such a share is vanishingly rare near the thresholds the
levels use). So no fixed answer satisfies more than a few percent of the formulas of a level.
:meth:`~KSat.hardness` counts the nodes of a plain DPLL search (unit propagation, branching on
the lowest free variable, false first) to a first model.

Answer format: every variable exactly once as a signed number, ``3`` for x3 true and ``-3``
for x3 false (DIMACS style; a trailing ``0`` is allowed). ``x1=1, x2=0`` / ``x1=true`` also
read, one per line too, with the shared markdown decorations (``- x1 = true`` bullets,
numbered lines, bold; see :mod:`synlog.tasks.common.answers`; ``- 1`` alone is not a
bullet but may be −1). A missing, repeated, contradictory or out-of-range variable makes the
answer invalid.
"""

from __future__ import annotations

import math
import re

import numpy as np
from pysat.solvers import Solver

from synlog.errors import KnobError, Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import decorated_forms, undecorate
from synlog.tasks.common.boards import solver_effort
from synlog.tasks.common.satenc import SOLVER, count_models
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: satisfiability threshold of random k-SAT (clauses per variable) for large n
THRESHOLD = {2: 1.0, 3: 4.267, 4: 9.931, 5: 21.117}
#: the largest share of the 2^n assignments that may satisfy a kept formula
MAX_MODEL_SHARE = 1 / 32
#: models are counted (to enforce MAX_MODEL_SHARE) up to this many variables
COUNTED_VARS = 13

_SEPARATORS = re.compile(r"[\s,;∧&\[\](){}]+|\band\b")
_EQUALS = re.compile(r"\s*(?:=|:=|:|->|→)\s*")
_LITERAL = re.compile(r"([-~¬!+]?)x?_?([0-9]{1,9})")
_ASSIGNED = re.compile(r"x?_?([0-9]{1,9})=(1|0|true|false|t|f)")


class AssignmentError(ValueError):
    """The answer is not an assignment; ``invalid`` tells a bad variable from bad syntax."""

    def __init__(self, why: str, invalid: bool = False):
        super().__init__(why)
        self.invalid = invalid


def parse_assignment(text: str, n_vars: int) -> list[bool]:
    """Read an assignment of x1..xn; index 0 of the result is unused."""
    if len(text) > 40 * n_vars + 200:
        raise AssignmentError(f"answer too long for {n_vars} variables")
    tokens = _SEPARATORS.split(_EQUALS.sub("=", undecorate(text).lower()))
    tokens = [t for t in tokens if t]
    if tokens and tokens[-1] == "0":
        tokens.pop()  # DIMACS terminator
    if not tokens:
        raise AssignmentError("no literals found")
    values: list[bool | None] = [None] * (n_vars + 1)
    for token in tokens:
        literal = _LITERAL.fullmatch(token)
        if literal:
            var, value = int(literal.group(2)), literal.group(1) in ("", "+")
        else:
            assigned = _ASSIGNED.fullmatch(token)
            if not assigned:
                raise AssignmentError(f"cannot read {token[:30]!r} as a literal such as 3 or -3")
            var, value = int(assigned.group(1)), assigned.group(2) in ("1", "true", "t")
        if not 1 <= var <= n_vars:
            raise AssignmentError(f"x{var} does not exist (variables are x1..x{n_vars})", True)
        if values[var] is not None:
            how = "contradictory values for" if values[var] != value else "repeated"
            raise AssignmentError(f"{how} x{var}", True)
        values[var] = value
    missing = [f"x{v}" for v in range(1, n_vars + 1) if values[v] is None]
    if missing:
        raise AssignmentError(f"no value for {', '.join(missing[:5])}", True)
    return values  # type: ignore[return-value]


def format_assignment(values: list[bool]) -> str:
    """The canonical answer: ``1 -2 3`` for x1 true, x2 false, x3 true."""
    return " ".join(str(v if values[v] else -v) for v in range(1, len(values)))


@register
class KSat(Task):
    """Find a truth assignment satisfying every clause of a random satisfiable k-CNF formula."""

    name, family, version = "sat", "sat", 2
    unique_answer = False
    template_name = "sat"
    knobs = Knobs(
        n_vars=Knob(int, levels=[6, 7, 9, 11, 13, 15, 18, 22, 28, 35], lo=2, hi=300,
                    help="number of variables"),
        ratio=Knob(float, levels=[(3.0, 4.0), (3.2, 4.0), (3.4, 4.1), (3.5, 4.1), (3.6, 4.2),
                                  (3.8, 4.2), (4.0, 4.3), (4.1, 4.3), 4.26, 4.26],
                   lo=0.1, hi=40.0,
                   help="clauses per variable; 3-SAT turns hard near 4.26 (the phase transition)"),
        k=Knob(int, levels=[3] * 10, choices=[2, 3, 4, 5], help="literals per clause"),
    )

    def check_params(self, params: Params) -> None:
        n, k, ratio = params.n_vars, params.k, params.ratio
        if k > n:
            raise KnobError(f"k={k} literals over distinct variables needs n_vars ≥ {k}; got {n}")
        if ratio > 1.5 * THRESHOLD[k]:
            raise KnobError(
                f"ratio={ratio} is far above the {k}-SAT threshold ({THRESHOLD[k]}), where almost"
                f" every formula is unsatisfiable; use ratio ≤ {1.5 * THRESHOLD[k]:.2f}"
            )
        if _n_clauses(params) > math.comb(n, k) * 2**k // 2:
            raise KnobError(
                f"{_n_clauses(params)} distinct {k}-clauses over {n} variables leave almost no"
                " satisfying assignment; lower ratio or raise n_vars"
            )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        clauses = _random_clauses(rng, p.n_vars, p.k, _n_clauses(p))
        if any(self.verify({"n_vars": p.n_vars, "clauses": clauses}, guess).correct
               for guess in self.degenerate_answers({"n_vars": p.n_vars, "clauses": clauses}).values()):
            raise Reject("a constant or majority-sign assignment satisfies it")
        with Solver(name=SOLVER, bootstrap_with=clauses) as solver:
            model = solver.get_model() if solver.solve() else None
            effort = solver_effort(solver)
        if model is None:
            raise Reject("unsatisfiable")
        if p.n_vars <= COUNTED_VARS:
            most = max(1, int(2**p.n_vars * MAX_MODEL_SHARE))
            count = count_models(clauses, limit=most + 1, projection=range(1, p.n_vars + 1))
            if count.models > most:
                raise Reject("too many satisfying assignments: a guess would pay")
        truth = set(model)
        values = [False] + [v in truth for v in range(1, p.n_vars + 1)]
        return Problem({"n_vars": p.n_vars, "clauses": clauses}, format_assignment(values), effort)

    def verify(self, problem: dict, answer: str) -> Verdict:
        n_vars = problem["n_vars"]
        try:
            values = parse_assignment(answer, n_vars)
        except AssignmentError as error:
            return Verdict.invalid(str(error)) if error.invalid else Verdict.unparseable(str(error))
        true_literals = {v if values[v] else -v for v in range(1, n_vars + 1)}
        for index, clause in enumerate(problem["clauses"], start=1):
            if true_literals.isdisjoint(clause):
                return Verdict.wrong(f"clause {index} is false", clause=index)
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        n_vars, clauses = problem["n_vars"], problem["clauses"]
        balance = [0] * (n_vars + 1)
        for clause in clauses:
            for lit in clause:
                balance[abs(lit)] += 1 if lit > 0 else -1
        return {
            "all false": format_assignment([False] * (n_vars + 1)),
            "all true": format_assignment([True] * (n_vars + 1)),
            "each variable at its commoner sign": format_assignment([b >= 0 for b in balance]),
        }

    def hardness(self, problem: dict) -> float:
        return float(dpll_nodes(problem["clauses"], problem["n_vars"]))

    def instance_space(self, spec: dict) -> float | None:
        n, k = spec["n_vars"], spec["k"]
        ratio = spec["ratio"][0] if isinstance(spec["ratio"], tuple) else spec["ratio"]
        m = max(1, round(ratio * n))
        # ordered lists of m distinct clauses, before the satisfiability filters
        return float(min(math.perm(math.comb(n, k) * 2**k, m), 10**300))

    def alternative_forms(self, problem: Problem) -> list[str]:
        literals = problem.answer.split()
        named = [f"x{abs(int(lit))} = {'false' if lit.startswith('-') else 'true'}" for lit in literals]
        return [*decorated_forms(literals, " "), *decorated_forms(named)]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        n_vars, clauses = problem.data["n_vars"], problem.data["clauses"]
        values = parse_assignment(problem.answer, n_vars)
        candidates = []
        # one flip that breaks a clause whose only true literal it was
        critical = sorted({abs(lit) for c in clauses for lit in c if _sole_true(c, values) == lit})
        if critical:
            candidates.append(_flipped(values, [critical[rng.integers(len(critical))]]))
        # falsify a whole clause: every literal of it made false
        clause = clauses[rng.integers(len(clauses))]
        candidates.append(_flipped(values, [abs(lit) for lit in clause if (lit > 0) == values[abs(lit)]]))
        literals = problem.answer.split()
        dropped = int(rng.integers(len(literals)))
        candidates.append(" ".join(literals[:dropped] + literals[dropped + 1:]))
        candidates.append(problem.answer + f" {-int(literals[dropped])}")
        return [c for c in candidates if self.verify(problem.data, c).score < 1]


def _n_clauses(params: Params) -> int:
    return max(1, round(params.ratio * params.n_vars))


def _random_clauses(rng: np.random.Generator, n: int, k: int, m: int) -> list[list[int]]:
    """``m`` distinct clauses of ``k`` distinct variables each, literals sorted by variable."""
    clauses: list[list[int]] = []
    seen: set[tuple[int, ...]] = set()
    for _ in range(20):
        need = m - len(clauses)
        if need == 0:
            return clauses
        draw = 2 * need + 8
        variables = np.sort(rng.integers(1, n + 1, size=(draw, k)), axis=1)
        distinct = np.all(variables[:, 1:] != variables[:, :-1], axis=1)
        signs = np.where(rng.integers(0, 2, size=(draw, k)) == 1, 1, -1)
        for row in (variables * signs)[distinct].tolist():
            key = tuple(row)
            if key not in seen and len(clauses) < m:
                seen.add(key)
                clauses.append(row)
    if len(clauses) < m:
        raise Reject("could not draw enough distinct clauses")
    return clauses


def dpll_nodes(clauses: list[list[int]], n_vars: int, budget: int = 200_000) -> int:
    """Nodes a plain DPLL search visits before its first model (or before proving there is
    none): unit propagation, then branch on the lowest free variable, false before true."""
    nodes = 0

    def propagate(assigned: dict[int, bool]) -> dict[int, bool] | None:
        assigned = dict(assigned)
        changed = True
        while changed:
            changed = False
            for clause in clauses:
                free, satisfied = [], False
                for lit in clause:
                    value = assigned.get(abs(lit))
                    if value is None:
                        free.append(lit)
                    elif value == (lit > 0):
                        satisfied = True
                        break
                if satisfied:
                    continue
                if not free:
                    return None
                if len(free) == 1:
                    assigned[abs(free[0])] = free[0] > 0
                    changed = True
        return assigned

    def search(assigned: dict[int, bool]) -> bool:
        nonlocal nodes
        nodes += 1
        state = propagate(assigned)
        if state is None:
            return False
        free = next((v for v in range(1, n_vars + 1) if v not in state), None)
        if free is None or nodes >= budget:
            return True
        return search({**state, free: False}) or search({**state, free: True})

    search({})
    return nodes


def _sole_true(clause: list[int], values: list[bool]) -> int | None:
    true = [lit for lit in clause if (lit > 0) == values[abs(lit)]]
    return true[0] if len(true) == 1 else None


def _flipped(values: list[bool], variables: list[int]) -> str:
    out = list(values)
    for v in variables:
        out[v] = not out[v]
    return format_assignment(out)
