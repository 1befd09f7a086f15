"""Simplifying rational expressions: cancel every common factor of a fraction of polynomials.

For example::

    (x^2 - 1)/(x^2 + 2*x + 1)        answer: (x - 1)/(x + 1)

Generation multiplies a reduced fraction P/Q (random linear factors with integer roots, no
root shared between P and Q) by common factors (x - c), expands top and bottom with sympy,
and shows the result; the gold is the reduced P/Q. Difficulty adds factors and common factors.

Rules: the answer must equal the expression (sympy, bounded worker process) **and**, as
written, be one fraction P/Q of polynomials whose P and Q share no factor in x. P and Q are
read separately from the answer's text, so a factor left on both sides — the shown expression
itself, ``((x + 1)*(x + 2))/((x - 3)*(x + 1))``, or a made-up ``(x - 100)`` — is ``invalid``
even though sympy would cancel it while building the expression. A fraction inside P or Q
(``(1/x)/(1/x + 1)``) is not one fraction: ``invalid``. Any reduced form (factored or
expanded, the sign moved) is correct.
"""

from __future__ import annotations

import math
import re

import numpy as np
import sympy

from synlog.tasks.base import Problem, Task, register
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.math.symbolic import X, nonzero, to_text
from synlog.verifiers.math_answer import check_lowest_terms
from synlog.verifiers.sympy_worker import shared_worker
from synlog.verifiers.verdict import Verdict


def _top(value: int | tuple[int, int]) -> int:
    """The largest value of a knob that may be a sampled range."""
    return int(value[1]) if isinstance(value, tuple) else int(value)


@register
class FractionsSimplify(Task):
    """Reduce a fraction of two polynomials in x to lowest terms."""

    name, family, version = "fractions_simplify", "math", 2
    knobs = Knobs(
        top=Knob(int, levels=[1, 1, 1, 1, 2, 2, 2, 2, 3, 3], lo=0, hi=6,
                 help="linear factors left in the numerator"),
        bottom=Knob(int, levels=[1, 1, 1, 2, 1, 2, 2, 2, 2, 3], lo=1, hi=6,
                    help="linear factors left in the denominator"),
        common=Knob(int, levels=[1, 1, 2, 1, 2, 2, 2, 3, 3, 3], lo=1, hi=5,
                    help="factors cancelled"),
        # roots in ±3 gave level 1 only 7 × 6 × 5 root choices: two seeds shared an eighth
        root_max=Knob(int, levels=[7, 7, 7, 7, 8, 8, 8, 9, 9, 10], lo=1, hi=30,
                      help="factor roots lie in -root_max..root_max"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        count = p.top + p.bottom + p.common
        pool = rng.permutation(np.arange(-p.root_max, p.root_max + 1)).tolist()
        while len(pool) < count:
            pool.append(int(rng.integers(-p.root_max, p.root_max + 1)))
        roots = [int(r) for r in pool[:count]]
        tops, bottoms, commons = roots[:p.top], roots[p.top:p.top + p.bottom], roots[p.top + p.bottom:]
        scale = nonzero(rng, 3)
        numerator = scale * sympy.prod([X - r for r in tops])
        denominator = sympy.prod([X - r for r in bottoms])
        common = sympy.prod([X - r for r in commons])
        shown = f"({to_text(sympy.expand(numerator * common))})/({to_text(sympy.expand(denominator * common))})"
        gold = f"({to_text(numerator)})/({to_text(denominator)})"
        data = {"expression": shown, "reduced": gold}
        return Problem(data, gold, float(count * (p.common + 1)))

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Cancelling everything: 1, or x."""
        return {"one": "1", "x": "x"}

    def hardness(self, problem: dict) -> float:
        """Factoring work: the degrees of the shown numerator and denominator (each root to
        find) times the digits of their coefficients."""
        shown = problem["expression"]
        degrees = [max([int(e) for e in re.findall(r"x\^(\d+)", side)] or [side.count("x")])
                   for side in shown.split(")/(")]
        digits = len(re.findall(r"(?<![\^\d])\d", shown))
        return float(sum(degrees) * (1 + digits))

    def instance_space(self, spec: dict) -> float | None:
        """Ordered draws of distinct roots for the three groups, times the six scales (the
        factors of a group commute, so each group's order is divided out)."""
        top, bottom, common, root = (_top(spec[k]) for k in ("top", "bottom", "common", "root_max"))
        values = 2 * root + 1
        count = min(values, top + bottom + common)
        ordered = math.perm(values, count)
        return float(ordered / (math.factorial(top) * math.factorial(bottom) * math.factorial(common)) * 6)

    def warm_up(self) -> None:
        shared_worker().start()

    def verify(self, problem: dict, answer: str) -> Verdict:
        return check_lowest_terms(problem["reduced"], answer, variable="x")

    def alternative_forms(self, problem: Problem) -> list[str]:
        top, bottom = sympy.fraction(sympy.sympify(problem.data["reduced"]))
        expanded = f"({to_text(sympy.expand(top))})/({to_text(sympy.expand(bottom))})"
        flipped = f"({to_text(sympy.expand(-top))})/({to_text(sympy.expand(-bottom))})"
        return [expanded, flipped, f"\\frac{{{to_text(top)}}}{{{to_text(bottom)}}}"]

    def forbidden_forms(self, problem: Problem) -> list[str]:
        """Equal, but with a common factor left as written (the review's findings)."""
        top, bottom = sympy.fraction(sympy.sympify(problem.data["reduced"]))
        return [problem.data["expression"],
                f"((x - 100)*({to_text(top)}))/((x - 100)*({to_text(bottom)}))",
                f"((x + 1)*({to_text(top)}))/(({to_text(bottom)})*(x + 1))"]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = problem.data["reduced"]
        return [problem.data["expression"], f"-{gold}", f"{gold} + 1", f"1/({gold})"]
