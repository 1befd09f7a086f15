"""Derivatives: differentiate a generated function of x.

For example::

    f(x) = 3*x^2 + sin(2*x)        answer: 6*x + 2*cos(2*x)

The function is a sum of ``terms`` distinct random terms (powers of x, then sin / cos / exp of a
small argument, then products with a power of x and ``log``) built with sympy; level 1 is a
polynomial of three of the powers x..x^4. The gold is ``sympy.diff``, so it is computed, not
written by hand. ``effort`` is the operation count of the derivative; ``hardness`` counts the
rules (sum, product, power, chain) a plain recursive differentiator applies to f.

Answer format: one expression in x (``^`` or ``**`` for powers, ``*`` optional between factors,
LaTeX accepted). Any form equal to the derivative is correct; the math answer checker decides
equality with sympy in a bounded worker process (expand, cancel, simplify). Several
candidates (``... or ...``) are invalid.
"""

from __future__ import annotations

import numpy as np
import sympy

from synlog.tasks.base import Problem, Task, register
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.math.symbolic import (
    DistinctTermsLadder,
    X,
    distinct_terms_function,
    from_text,
    rule_applications,
    size,
    to_text,
)
from synlog.verifiers.math_answer import check
from synlog.verifiers.verdict import Verdict

#: what an answer may name before ``=``: ``f'(x) = 2*x`` (compared without spaces)
DERIVATIVE_NAMES = ("f'(x)", "f'", "y'", "dy/dx", "df/dx", "\\frac{d}{dx}f(x)", "\\frac{df}{dx}",
                    "\\frac{dy}{dx}", "\\frac{d}{dx}(f(x))")


@register
class Derivative(DistinctTermsLadder, Task):
    """Differentiate a generated function of x; any equal form of the derivative is correct."""

    name, family, version = "derivative", "math", 2
    # Level 1 is a polynomial of three distinct powers (not one monomial: 40 instances in all,
    # and for c*x the derivative was the prompt's first number).
    knobs = Knobs(
        terms=Knob(int, levels=[3, 4, 3, 3, 4, 4, 5, 5, 6, 6], lo=1, hi=8,
                   help="terms in the sum (distinct: they never merge or cancel)"),
        depth=Knob(int, levels=[0, 0, 1, 1, 1, 2, 2, 2, 2, 3], lo=0, hi=4,
                   help="0: powers of x; 1: sin/cos/exp of ax or x^2+b; 2+: products and log"),
        coef_max=Knob(int, levels=[9, 9, 9, 12, 12, 12, 12, 15, 15, 15], lo=1, hi=100,
                      help="largest absolute coefficient"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        function = distinct_terms_function(rng, p.terms, p.coef_max, p.depth)
        derivative = sympy.diff(function, X)
        gold = to_text(derivative)
        return Problem({"function": to_text(function), "derivative": gold}, gold, float(size(derivative)))

    def hardness(self, problem: dict) -> float:
        """Rules a plain recursive differentiator applies to the function."""
        return float(rule_applications(from_text(problem["function"])))

    def verify(self, problem: dict, answer: str) -> Verdict:
        return check(problem["derivative"], answer, variables=("x",), names=DERIVATIVE_NAMES)

    def alternative_forms(self, problem: Problem) -> list[str]:
        gold = problem.data["derivative"]
        return [f"f'(x) = {gold}", f"\\frac{{d}}{{dx}} f(x) = {gold}", f"y' = {gold}", f"${gold}$"]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = problem.data["derivative"]
        function = problem.data["function"]
        wrong = [f"{gold} + 1", f"2*({gold})", function]
        if gold.strip() != "0":
            wrong.append(f"-({gold})")
        return wrong
