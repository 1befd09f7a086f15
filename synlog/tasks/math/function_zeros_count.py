"""Function zeros count: how many distinct real zeros an integer polynomial has on each of
several closed intervals.

For example::

    f(x) = x^3 - 3*x^2 - x + 3 = (x + 1)(x - 1)(x - 3)
    intervals [-2, 0], [2, 5], [4, 6]                       answer: 1, 1, 0

One count takes few values, so a prompt asks for three intervals (four from level 6) and the
answer is the list of counts in order; each interval's count is drawn uniformly among the
counts the polynomial allows, so no count (and no list) dominates.

Generation builds f from its roots (the factors of
:func:`~synlog.tasks.math._functions.factored`: integers, fractions p/q from level 4, an
irrational pair from level 4, and from level 3 a double root or a factor x^2 + k), times a
leading coefficient; from level 6 a nonzero constant is added, which moves every root off the
factored values (they must then be located by signs and monotonicity, not read off factors).
Interval ends are integers around the roots; a zero at an end counts. Difficulty raises the
degree (3 to 7) and the number of intervals.

Gold: Sturm's theorem (sympy's ``count_roots`` on the square-free part), which counts the
distinct zeros in a closed interval exactly; generation also checks it against the roots'
positions it chose the interval from.

Rejected at generation: a list of counts equal to the prompt's example.

Answer format: the counts in the order the intervals are listed, separated by commas
(``1, 1, 0``), each one integer; brackets allowed. A wrong length, a hedge, a decimal or an
expression is not accepted; there is no partial credit.
"""

from __future__ import annotations

import bisect

import numpy as np
import sympy

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.math._functions import factored, largest_coefficient, show
from synlog.tasks.math.symbolic import X
from synlog.verifiers.math_answer import check
from synlog.verifiers.verdict import Verdict

#: the example answer (its first ``k`` counts); never a gold
EXAMPLE = (2, 0, 1, 3)
#: the most zeros one interval is asked to hold
MAX_COUNT = 4


def located_roots(f: sympy.Expr) -> list[float]:
    """The distinct real roots of f, as floats, integers exact (snapped where f vanishes there):
    numpy's roots of the square-free part, whose roots are simple and so computed accurately."""
    poly = sympy.Poly(f, X).sqf_part()
    coefficients = [float(c) for c in poly.all_coeffs()]
    roots = sorted(r.real for r in np.roots(coefficients) if abs(r.imag) < 1e-7)
    out = []
    for r in roots:
        whole = round(r)
        out.append(float(whole) if abs(r - whole) < 1e-7 and poly.eval(whole) == 0 else r)
    return out


def _intervals(rng: np.random.Generator, roots: list[float], span: int, k: int) -> list[tuple[int, int]]:
    """``k`` distinct integer intervals in -span..span, each count drawn uniformly among the
    counts some interval reaches (counted from the located roots)."""
    by_count: dict[int, list[tuple[int, int]]] = {}
    for a in range(-span, span):
        for b in range(a + 1, min(a + span + 3, span + 1)):
            count = bisect.bisect_right(roots, b + 1e-9) - bisect.bisect_left(roots, a - 1e-9)
            if count <= MAX_COUNT:
                by_count.setdefault(count, []).append((a, b))
    chosen: list[tuple[int, int]] = []
    counts = sorted(by_count)
    while len(chosen) < k:
        pool = by_count[counts[int(rng.integers(len(counts)))]]
        interval = pool[int(rng.integers(len(pool)))]
        if interval not in chosen:
            chosen.append(interval)
    return chosen


@register
class FunctionZerosCount(Task):
    """Count the distinct real zeros of a polynomial on each of several intervals."""

    name, family, version = "function_zeros_count", "math", 1
    chance = 0.05
    knobs = Knobs(
        degree=Knob(int, levels=[3, 3, 4, 4, 5, 5, 6, 6, 7, 7], lo=2, hi=9, help="degree of f"),
        root_max=Knob(int, levels=[5, 5, 6, 6, 6, 7, 7, 8, 8, 8], lo=2, hi=12,
                      help="the roots f is built from lie in -root_max..root_max"),
        intervals=Knob(int, levels=[3, 3, 3, 3, 3, 4, 4, 4, 4, 4], lo=3, hi=len(EXAMPLE),
                       help="intervals in one prompt (the answer lists a count for each)"),
        fractions=Knob(bool, levels=[False] * 3 + [True] * 7, help="roots may be fractions p/q"),
        irrational=Knob(str, levels=["none"] * 3 + ["sqrt"] * 4 + ["half"] * 3,
                        choices=["none", "sqrt", "half"],
                        help="roots may be p ± sqrt(k) (sqrt), or also (m ± sqrt(k))/2 (half)"),
        traps=Knob(bool, levels=[False] * 2 + [True] * 8,
                   help="f may have a double root (counted once) or a factor x^2 + k"),
        shift=Knob(int, levels=[0, 0, 0, 0, 0, 3, 5, 9, 15, 20], lo=0, hi=1000,
                   help="add a nonzero constant in -shift..shift to f, moving its roots off the factors"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        product, _ = factored(rng, p.degree, p.root_max, fractions=p.fractions,
                              irrational=p.irrational, traps=p.traps)
        f = sympy.expand(int(rng.choice([1, -1, 2, -2, 3])) * product)
        if p.shift:
            f += int(rng.choice([s for s in range(-p.shift, p.shift + 1) if s]))
        roots = located_roots(f)
        if not roots:
            raise Reject("f has no real zero")
        intervals = _intervals(rng, roots, p.root_max + 2, p.intervals)
        squarefree = sympy.Poly(f, X).sqf_part()
        counts = [int(squarefree.count_roots(a, b)) for a, b in intervals]
        located = [bisect.bisect_right(roots, b + 1e-9) - bisect.bisect_left(roots, a - 1e-9) for a, b in intervals]
        if counts != located:
            raise Reject("a root lies too close to an interval end to place it in floating point")
        if tuple(counts) == EXAMPLE[: p.intervals]:
            raise Reject("the gold is the prompt's example")
        answer = ", ".join(map(str, counts))
        data = {"function": show(f), "intervals": [list(i) for i in intervals], "counts": counts,
                "degree": p.degree}
        effort = p.degree * p.intervals * (2 if p.shift else 1)
        return Problem(data, answer, float(effort))

    def context(self, problem: Problem, lang: str) -> dict:
        data = problem.data
        shown = ", ".join(f"[{a}, {b}]" for a, b in data["intervals"])
        return {**data, "shown": shown, "k": len(data["intervals"]),
                "example": ", ".join(map(str, EXAMPLE[: len(data["intervals"])]))}

    def verify(self, problem: dict, answer: str) -> Verdict:
        gold = ", ".join(map(str, problem["counts"]))
        if len(answer) > 400:
            return Verdict.invalid("answer too long; expected the counts separated by commas")
        verdict = check(gold, answer, kind="tuple", form="integer")
        verdict.details.pop("fraction", None)  # no partial credit: every count must be right
        return verdict

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Counts that ignore the intervals: the degree for each, and the number of real zeros
        on the whole line for each; and constant lists."""
        k = len(problem["intervals"])
        f = sympy.sympify(problem["function"].replace("^", "**"), locals={"x": X})
        total = len(located_roots(f))
        out = {"degree each": ", ".join([str(problem["degree"])] * k),
               "all real zeros each": ", ".join([str(total)] * k)}
        for c in range(3):
            out[f"all {c}"] = ", ".join([str(c)] * k)
        return out

    def hardness(self, problem: dict) -> float:
        """The degree times the digits of the largest coefficient, times the intervals."""
        return float(problem["degree"] * (1 + largest_coefficient(problem["function"])) * len(problem["intervals"]))

    def alternative_forms(self, problem: Problem) -> list[str]:
        gold = problem.answer
        return [f"({gold})", f"[{gold}]", gold.replace(", ", ","), f"${gold}$"]

    def forbidden_forms(self, problem: Problem) -> list[str]:
        """A count as a decimal or as something to evaluate."""
        counts = problem.data["counts"]
        return [", ".join([f"{counts[0]}.0"] + list(map(str, counts[1:]))),
                ", ".join([f"{counts[0] + 1} - 1"] + list(map(str, counts[1:])))]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        counts = problem.data["counts"]
        bumped = list(counts)
        bumped[-1] += 1
        return [", ".join(map(str, bumped)), ", ".join(map(str, counts[:-1])),
                problem.answer + f" or {', '.join(map(str, bumped))}", problem.answer + ", 0"]
