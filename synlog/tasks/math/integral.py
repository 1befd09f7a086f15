"""Indefinite integrals: find an antiderivative of a generated function of x.

For example::

    integrand: 2*x*cos(x^2)        answer: sin(x^2)  (or sin(x^2) + C, or any F with F' = f)

Generation draws a random function F (the same distinct-term families as ``derivative``; level 1
is a polynomial of three of the powers x..x^4) and shows its derivative f = F' as the
integrand, so an antiderivative is known by construction.

Verification does not compare with F: the answer is **differentiated** and the difference with
the integrand simplified to zero (sympy, in the bounded worker process), so every
antiderivative is accepted, with or without ``+ C``. An answer in other variables, several
candidates, or text that is not an expression is rejected.
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
from synlog.verifiers.math_answer import check_antiderivative
from synlog.verifiers.verdict import Verdict


@register
class Integral(DistinctTermsLadder, Task):
    """Find an antiderivative; checked by differentiating the answer, so any F + C is accepted."""

    name, family, version = "integral", "math", 2
    unique_answer = True  # as a function up to a constant: another integrand's F fails
    # Level 1 is a polynomial of three distinct powers (not one monomial: 40 instances in all,
    # and for c*x the derivative was the prompt's first number).
    knobs = Knobs(
        terms=Knob(int, levels=[3, 4, 3, 3, 4, 4, 5, 5, 6, 6], lo=1, hi=8,
                   help="terms in F (distinct: they never merge or cancel)"),
        depth=Knob(int, levels=[0, 0, 1, 1, 1, 2, 2, 2, 2, 3], lo=0, hi=4,
                   help="0: powers of x; 1: sin/cos/exp of ax or x^2+b; 2+: products and log"),
        coef_max=Knob(int, levels=[9, 9, 9, 12, 12, 12, 12, 15, 15, 15], lo=1, hi=100,
                      help="largest absolute coefficient in F"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        antiderivative = distinct_terms_function(rng, p.terms, p.coef_max, p.depth)
        integrand = sympy.expand(sympy.diff(antiderivative, X))
        gold = to_text(antiderivative)
        data = {"integrand": to_text(integrand), "antiderivative": gold}
        return Problem(data, gold, float(size(integrand)))

    def hardness(self, problem: dict) -> float:
        """Rules a plain recursive differentiator applies to the antiderivative (the rules to undo)."""
        return float(rule_applications(from_text(problem["antiderivative"])))

    def verify(self, problem: dict, answer: str) -> Verdict:
        return check_antiderivative(problem["integrand"], answer, variable="x")

    def alternative_forms(self, problem: Problem) -> list[str]:
        gold = problem.data["antiderivative"]
        return [f"{gold} + C", f"{gold} + C_1", f"F(x) = {gold} + C", f"{gold} + 7"]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = problem.data["antiderivative"]
        return [f"2*({gold})", f"{gold} + x", problem.data["integrand"], f"-({gold}) + C"]
