"""Inequalities: solve a polynomial or rational inequality in x; answer a union of intervals.

For example::

    (x + 1)/(x - 3) >= 0         answer: (-oo, -1] U (3, oo)

The left side is a product of linear factors (a*x - b), some in a denominator, against 0
(a linear inequality a*x + b < c at the lowest level). Roots are distinct rationals, so the
solution set is computed exactly with a sign chart over Fractions: the sign is constant
between critical points (tested at midpoints), numerator roots belong to the set for <= and
>=, denominator roots never do, and adjacent pieces joined by an included point merge.

Answer format: intervals joined by ``U`` (or ``\\cup``, ``∪``), endpoints exact, ``oo`` or
``\\infty`` for infinity (always open). Endpoint openness must be right; the intervals may be
listed in any order. ``or``-hedges and inequality notation are not read.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import numpy as np
import sympy

from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.arith import format_rational
from synlog.tasks.common.forms import exact_forbidden
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.math.symbolic import X, nonzero, to_text
from synlog.verifiers.math_answer import check
from synlog.verifiers.sympy_worker import shared_worker
from synlog.verifiers.verdict import Verdict

RELATIONS = {"<": lambda v: v < 0, "<=": lambda v: v <= 0, ">": lambda v: v > 0, ">=": lambda v: v >= 0}

Factor = tuple[int, int, bool]  # a*x - b, in the denominator?


def _value(factors: list[Factor], x: Fraction) -> Fraction | None:
    out = Fraction(1)
    for a, b, below in factors:
        v = a * x - b
        if below:
            if v == 0:
                return None
            out /= v
        else:
            out *= v
    return out


def solve(factors: list[Factor], relation: str) -> list[tuple[bool, Fraction | None, Fraction | None, bool]]:
    """The solution set as ``(left_closed, low, high, right_closed)``; None is an infinite end."""
    points = sorted({Fraction(b, a) for a, b, _ in factors})
    holds = RELATIONS[relation]
    tests = [points[0] - 1] + [(u + v) / 2 for u, v in zip(points, points[1:], strict=False)] + [points[-1] + 1]
    pieces: list[list] = []
    for i, t in enumerate(tests):
        value = _value(factors, t)
        if value is None or not holds(value):
            continue
        low = points[i - 1] if i > 0 else None
        high = points[i] if i < len(points) else None
        pieces.append([False, low, high, False])
    for point in points:  # a critical point itself
        value = _value(factors, point)
        if value is None or not holds(value):
            continue
        joined = False
        for piece in pieces:
            if piece[2] == point:
                piece[3] = joined = True
            if piece[1] == point:
                piece[0] = joined = True
        if not joined:
            pieces.append([True, point, point, True])
    merged: list[list] = []
    for piece in sorted(pieces, key=lambda q: (q[1] is not None, q[1] if q[1] is not None else 0)):
        if merged and merged[-1][2] == piece[1] and (merged[-1][3] or piece[0]):
            merged[-1][2:] = piece[2:]
        else:
            merged.append(piece)
    return [tuple(piece) for piece in merged]


def format_intervals(pieces: list) -> str:
    """``(-oo, -1] U (3, oo)``; ``{}``-free: a single point is the closed interval [p, p]."""
    if not pieces:
        return "\\emptyset"
    out = []
    for left, low, high, right in pieces:
        lo = "-oo" if low is None else format_rational(low)
        hi = "oo" if high is None else format_rational(high)
        out.append(f"{'[' if left else '('}{lo}, {hi}{']' if right else ')'}")
    return " U ".join(out)


def _top(value: int | tuple[int, int]) -> int:
    """The largest value of a knob that may be a sampled range."""
    return int(value[1]) if isinstance(value, tuple) else int(value)


@register
class InequalitySolution(Task):
    """Solve an inequality in x; the answer is a union of intervals with the right openness."""

    name, family, version = "inequality_solution", "math", 2
    knobs = Knobs(
        factors=Knob(int, levels=[1, 2, 2, 2, 3, 3, 3, 4, 4, 5], lo=1, hi=8,
                     help="linear factors (distinct roots)"),
        denominators=Knob(int, levels=[0, 0, 0, 1, 1, 1, 1, 2, 2, 2], lo=0, hi=4,
                          help="how many of the factors sit in a denominator"),
        # one factor a*x - b leaves little to vary: level 1 draws a and b widely (a < 0 flips
        # the inequality), where 2 × 19 × 4 shapes gave two seeds 87 shared prompts in 200
        slope_max=Knob(int, levels=[9, 1, 2, 2, 2, 3, 3, 3, 4, 4], lo=1, hi=9,
                       help="largest |a| in a factor a*x - b (roots b/a)"),
        constant_max=Knob(int, levels=[40, 12, 9, 9, 9, 9, 9, 9, 9, 9], lo=1, hi=100,
                          help="largest |b| in a factor a*x - b"),
        expanded=Knob(bool, levels=[False, False, False, True, False, True, True, True, True, True],
                      help="show numerator and denominator expanded instead of factored"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        factors: list[Factor] = []
        roots: set[Fraction] = set()
        below = min(p.denominators, p.factors - 1)
        while len(factors) < p.factors:
            a = nonzero(rng, p.slope_max)
            b = int(rng.integers(-p.constant_max, p.constant_max + 1))
            if Fraction(b, a) not in roots:
                roots.add(Fraction(b, a))
                factors.append((a, b, len(factors) >= p.factors - below))
        relation = list(RELATIONS)[int(rng.integers(4))]
        top = sympy.prod([a * X - b for a, b, d in factors if not d])
        bottom = sympy.prod([a * X - b for a, b, d in factors if d])
        if p.expanded:
            top, bottom = sympy.expand(top), sympy.expand(bottom)
        left = f"({to_text(top)})" + (f"/({to_text(bottom)})" if bottom != 1 else "")
        gold = format_intervals(solve(factors, relation))
        data = {"inequality": f"{left} {relation} 0", "solution": gold}
        return Problem(data, gold, float(p.factors * (1 + below) + p.expanded))

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Sets that need no sign chart: every real, the two half-lines at 0."""
        return {"all reals": "(-oo, oo)", "x < 0": "(-oo, 0)", "x > 0": "(0, oo)"}

    def hardness(self, problem: dict) -> float:
        """The sign chart's size: degree d (the factors to find) times its d + 1 pieces, plus d
        more where a side is shown expanded and must be factored first."""
        left = problem["inequality"].rsplit(" ", 2)[0]
        degree = expanded = 0
        for side in left.split(")/("):
            powers = [int(e) for e in re.findall(r"x\^(\d+)", side)]
            if powers:  # expanded: the highest power; factored: one x per linear factor
                degree, expanded = degree + max(powers), expanded + max(powers)
            else:
                degree += side.count("x")
        return float(degree * (degree + 1) + expanded)

    def instance_space(self, spec: dict) -> float | None:
        """Factors a*x - b (with their order and place), times the four relations."""
        factors, slope, constant = (_top(spec[k]) for k in ("factors", "slope_max", "constant_max"))
        one = 2 * slope * (2 * constant + 1)
        return float(math.comb(one, factors) * math.factorial(factors) * 4)

    def warm_up(self) -> None:
        shared_worker().start()

    def verify(self, problem: dict, answer: str) -> Verdict:
        return check(problem["solution"], answer, kind="intervals", form="exact")

    def alternative_forms(self, problem: Problem) -> list[str]:
        gold = problem.data["solution"]
        latex = gold.replace(" U ", " \\cup ").replace("oo", "\\infty")
        return [latex, f"x \\in {gold}", gold.replace(" U ", " ∪ ")]

    def forbidden_forms(self, problem: Problem) -> list[str]:
        """An endpoint written as a decimal: the prompt asks for exact endpoints."""
        gold = problem.data["solution"]
        match = re.search(r"-?\d+/\d+", gold)
        if not match:
            return []
        decimal = exact_forbidden(Fraction(match.group()))
        return [gold[:match.start()] + decimal[0] + gold[match.end():]] if decimal else []

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = problem.data["solution"]
        flipped = gold.translate(str.maketrans("[]()", "()[]")).replace("[-oo", "(-oo").replace("oo]", "oo)")
        wrong = [flipped, "(-oo, oo)" if gold != "(-oo, oo)" else "\\emptyset"]
        pieces = gold.split(" U ")
        if len(pieces) > 1:
            wrong.append(" U ".join(pieces[1:]))
        return [w for w in wrong if w != gold]
