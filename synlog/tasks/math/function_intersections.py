"""Function intersections: the x-coordinates of every point where the graphs of two polynomials meet.

For example::

    f(x) = x^2 - 2*x - 1        g(x) = x + 3
    f(x) = g(x)  <=>  x^2 - 3*x - 4 = (x + 1)(x - 4) = 0          answer: -1, 4

Generation draws the difference h = f - g from its roots (the factors of
:func:`~synlog.tasks.math._functions.factored`: integers, fractions p/q from level 4, an
irrational pair p ± sqrt(k) from level 5 and (m ± sqrt(k))/2 from level 9, and from level 6 a
tangency, a double root where the graphs touch, or a factor x^2 + k that adds no point), times
a leading coefficient; then a random integer polynomial g of the level's degree, and
f = g + h. Difficulty raises the degree of h (2 to 4) and of g (line, parabola, cubic,
quartic): at the top both graphs are quartics whose leading terms may cancel.

Gold: the distinct real roots of h, known exactly from the factors, sorted by size.

Rejected at generation: a pair of graphs that never meet; a gold equal to the prompt's example
(``-3, 5/2``), to -1, 1 or to 0, 1 or -1 alone (guesses that need no algebra); a gold of one or
two values holding an integer in -2..2 (a guessed 0 or 1, or the exponent 2 read off the
prompt, would earn half the partial credit).

Answer format: the x-coordinates separated by commas, any order, each once (a tangency point
too), braces and ``x = ...`` items allowed; a repeated value is ``invalid``. Values are exact
(fractions, ``sqrt(k)``); a decimal is ``invalid``. A wrong list reports
``details["fraction"]`` = (values right − values wrong) / values, at least 0.
"""

from __future__ import annotations

import numpy as np
import sympy

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.forms import exact_forbidden
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.math._functions import (
    SMALL_VALUES,
    factored,
    largest_coefficient,
    set_verdict,
    show,
    values_text,
)
from synlog.tasks.math.symbolic import X, nonzero
from synlog.verifiers.sympy_worker import shared_worker
from synlog.verifiers.verdict import Verdict

EXAMPLE = "-3, 5/2"
#: golds that a guess reaches without any algebra
GUESSES = ("0", "1", "-1", "-1, 1", EXAMPLE)


def _other(rng: np.random.Generator, degree: int, coef: int) -> sympy.Expr:
    """A random integer polynomial of exactly ``degree`` with coefficients in -coef..coef."""
    terms = [nonzero(rng, coef) * X**degree]
    terms += [int(rng.integers(-coef, coef + 1)) * X**k for k in range(degree)]
    return sympy.Add(*terms)


@register
class FunctionIntersections(Task):
    """Find the x-coordinates of all intersection points of two polynomial graphs."""

    name, family, version = "function_intersections", "math", 1
    knobs = Knobs(
        difference_degree=Knob(int, levels=[2, 2, 2, 2, 3, 3, 3, 4, 4, 4], lo=1, hi=6,
                               help="degree of f - g (the most points the graphs can share)"),
        other_degree=Knob(int, levels=[1, 1, 2, 2, 2, 3, 3, 3, 4, 4], lo=1, hi=6,
                          help="degree of the random polynomial g"),
        # wide at low levels: with two x-values, a guessed small integer would often be one
        root_max=Knob(int, levels=[12, 12, 12, 12, 10, 10, 10, 9, 9, 9], lo=2, hi=20,
                      help="intersection x-values lie in -root_max..root_max"),
        coef=Knob(int, levels=[4, 5, 5, 6, 6, 6, 7, 7, 8, 9], lo=1, hi=20,
                  help="coefficients of g lie in -coef..coef"),
        fractions=Knob(bool, levels=[False] * 3 + [True] * 7, help="x-values may be fractions p/q"),
        irrational=Knob(str, levels=["none"] * 4 + ["sqrt"] * 4 + ["half"] * 2,
                        choices=["none", "sqrt", "half"],
                        help="x-values may be p ± sqrt(k) (sqrt), or also (m ± sqrt(k))/2 (half)"),
        traps=Knob(bool, levels=[False] * 5 + [True] * 5,
                   help="f - g may have a double root (a tangency) or a factor x^2 + k"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        product, roots = factored(rng, p.difference_degree, p.root_max, fractions=p.fractions,
                                  irrational=p.irrational, traps=p.traps)
        if not roots:
            raise Reject("the graphs never meet")
        answer = values_text(roots)
        if answer in GUESSES:
            raise Reject("the gold is the example or a guess")
        if len(roots) <= 2 and any(r in SMALL_VALUES for r in roots):
            raise Reject("one of two x-values is a small integer, which a guess would half hit")
        lead = int(rng.choice([1, -1, 2, -2, 3, -3]))
        g = _other(rng, p.other_degree, p.coef)
        f = sympy.expand(g + lead * product)
        data = {"f": show(f), "g": show(g), "answer": answer,
                "degree": max(int(sympy.degree(f, X)), p.other_degree)}
        effort = p.difference_degree**2 * (1 + p.other_degree) + 2 * answer.count("sqrt")
        return Problem(data, answer, float(effort))

    def context(self, problem: Problem, lang: str) -> dict:
        return {**problem.data, "example": EXAMPLE}

    def warm_up(self) -> None:
        shared_worker().start()

    def verify(self, problem: dict, answer: str) -> Verdict:
        return set_verdict(problem["answer"], answer)

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Answers that skip the algebra: the guesses rejected as golds, and the zeros of g alone
        where g is a line with a rational zero (where the line crosses the x-axis)."""
        out = {"-1, 1": "-1, 1", "0, 1": "0, 1"}
        g = sympy.sympify(problem["g"].replace("^", "**"), locals={"x": X})
        if sympy.degree(g, X) == 1:
            out["zero of g"] = str(sympy.solve(g, X)[0])
        return out

    def hardness(self, problem: dict) -> float:
        """The degrees of f and g times the digits of their largest coefficient, plus the
        radicals in the gold."""
        degrees = sum(int(sympy.degree(sympy.sympify(problem[k].replace("^", "**")), X)) for k in ("f", "g"))
        digits = max(largest_coefficient(problem["f"]), largest_coefficient(problem["g"]))
        return float(degrees * (1 + digits) + 3 * problem["answer"].count("sqrt"))

    def alternative_forms(self, problem: Problem) -> list[str]:
        gold = problem.data["answer"]
        values = gold.split(", ")
        forms = [", ".join(reversed(values)), "{" + gold + "}", ", ".join(f"x = {v}" for v in values)]
        if "(" not in gold.replace("sqrt(", ""):
            forms.append(gold.replace("sqrt(", "\\sqrt{").replace(")", "}"))
        return forms

    def forbidden_forms(self, problem: Problem) -> list[str]:
        """A rational x-value written as a decimal: the prompt asks for exact values."""
        values = problem.data["answer"].split(", ")
        for i, value in enumerate(values):
            if "sqrt" not in value:
                decimal = exact_forbidden(sympy.Rational(value))
                return [", ".join(values[:i] + decimal + values[i + 1:])] if decimal else []
        return []

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        values = problem.data["answer"].split(", ")
        wrong = [", ".join(f"{v} + 1" for v in values), problem.data["answer"] + ", 100",
                 f"{values[0]} or {values[0]} + 1"]
        if len(values) > 1:
            wrong.append(", ".join(values[1:]))
        return wrong
