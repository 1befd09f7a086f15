"""Polynomial multiplication: the gold is the expansion of the printed product, and verify
accepts exactly the expanded writings of it, refusing factored and half-expanded forms.

The independent check: sympy parses the printed product and the gold and ``expand`` of their
difference is 0 (the generator multiplies coefficient dictionaries itself); the gold is also
checked to be in sympy's sense expanded (as many terms as ``Poly(...).terms()``).
"""

from __future__ import annotations

import json

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.verifiers.verdict import Reason
from tests.tasks.row_checks import assert_effort_and_hardness_grow
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("polynomial_multiplication")
TASK = CHECKS.task
PROBLEM = {"product": "(x + 2)*(x^2 - 3)", "variables": ["x"], "expanded": "x^3 + 2*x^2 - 3*x - 6"}
TWO = {"product": "(x - y)*(x + 2*y)", "variables": ["x", "y"], "expanded": "x^2 + x*y - 2*y^2"}
X, Y = sympy.symbols("x y")


def sym(text: str) -> sympy.Expr:
    return sympy.sympify(text.replace("^", "**"), locals={"x": X, "y": Y})


def test_gold_is_the_expansion_of_the_printed_product():
    checked = 0
    for level in range(1, 11):
        for row in CHECKS.rows(level, 6, seed=3):
            problem = json.loads(row["problem"])
            product, gold = sym(problem["product"]), sym(row["answer"])
            assert sympy.expand(product - gold) == 0, row["id"]
            gens = [s for s in (X, Y) if s.name in problem["variables"]]
            assert len(sympy.Add.make_args(gold)) == len(sympy.Poly(product, *gens).terms()), row["id"]
            assert TASK.verify(problem, row["answer"]).correct
            checked += 1
    assert checked >= 50


def test_levels_get_harder():
    assert_effort_and_hardness_grow(CHECKS, levels=(1, 4, 7, 10), n=10, seed=3)
    assert all(json.loads(r["problem"])["variables"] == ["x", "y"] for r in CHECKS.rows(9, 5, seed=3))


@pytest.mark.parametrize("problem, form", [
    (PROBLEM, "x^3 + 2*x^2 - 3*x - 6"),
    (PROBLEM, "x^3 + 2x^2 - 3x - 6"),
    (PROBLEM, "-6 - 3x + 2x^2 + x^3"),
    (PROBLEM, "x**3 + 2*x**2 - 3*x - 6"),
    (PROBLEM, "$x^{3} + 2x^{2} - 3x - 6$"),
    (PROBLEM, "p(x) = x^3 + 2x^2 - 3x - 6"),
    (PROBLEM, "1x^3 + 2x^2 - 3x^1 - 6"),
    (PROBLEM, "x^3 + 2x^2 + -3x - 6"),
    (TWO, "x^2 + xy - 2y^2"),
    (TWO, "-2*y^2 + x*y + x^2"),
    (TWO, "x^2 + y*x - 2 y^2"),
])
def test_documented_forms_are_accepted(problem, form):
    CHECKS.assert_scores_one(problem, [form])


@pytest.mark.parametrize("problem, answer, reason", [
    (PROBLEM, "(x + 2)*(x^2 - 3)", Reason.INVALID),                 # factored
    (PROBLEM, "(x + 2)(x^2 - 3)", Reason.INVALID),
    (PROBLEM, "x*(x^2 - 3) + 2*(x^2 - 3)", Reason.INVALID),        # half expanded
    (PROBLEM, "x^3 - 3*x + 2*x^2 - 6 + 0*x^4", Reason.INVALID),    # a zero term
    (PROBLEM, "x^3 + x^2 + x^2 - 3*x - 6", Reason.INVALID),        # like terms apart
    (PROBLEM, "x*x^2 + 2*x^2 - 3*x - 6", Reason.INVALID),          # a repeated variable
    (PROBLEM, "x^3 + 2.0*x^2 - 3*x - 6", Reason.INVALID),          # a decimal
    (PROBLEM, "x^3 + 4/2*x^2 - 3*x - 6", Reason.INVALID),          # a fraction
    (PROBLEM, "x^3 + 2*1*x^2 - 3*x - 6", Reason.INVALID),          # a product of numbers
    (PROBLEM, "x^3 + 2*x^2 - (3*x + 6)", Reason.INVALID),
    (PROBLEM, "x^3 + 2*x^2 - 3*x - 6 or x^3 - 6", Reason.INVALID),  # a hedge
    (PROBLEM, "x^3 + 2*x^2 - 3*x - 6\nx^3 + 2*x^2 - 3*x - 5", Reason.INVALID),
    (PROBLEM, "x^3 + 2*x^2 - 3*x - 6 = 0", Reason.INVALID),
    (PROBLEM, "x^3 + 2*x^2 - 3*x - 5", Reason.WRONG),
    (PROBLEM, "x^3 + 2*x^2 + 3*x - 6", Reason.WRONG),
    (PROBLEM, "x^3 + 2*x^2 - 3*x", Reason.WRONG),
    (PROBLEM, "x^3 + 2*x^2 - 3*x - 6 + y", Reason.UNPARSEABLE),     # not its variable
    (PROBLEM, "x^9999999 + 1", Reason.INVALID),
    (PROBLEM, "x^3 + 2*x^2 - 3*x - " + "6" * 3000, Reason.INVALID),  # over-long
    (PROBLEM, "sin(x) + 1", Reason.INVALID),
    (TWO, "x^2 + x*y - 2*y*y", Reason.INVALID),
    (TWO, "(x - y)*(x + 2*y)", Reason.INVALID),
    (TWO, "x^2 - x*y - 2*y^2", Reason.WRONG),
])
def test_hostile_answers_score_zero(problem, answer, reason):
    verdict = TASK.verify(problem, answer)
    assert verdict.score == 0.0 and verdict.reason is reason, verdict


def test_the_example_answer_is_never_a_gold():
    assert all(r["answer"] != "x^3 + 2*x^2 - 3*x - 6" for lv in (1, 2, 5) for r in CHECKS.rows(lv, 30, seed=3))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_verifier_never_raises_or_errors(text):
    for problem in (PROBLEM, TWO):
        verdict = TASK.verify(problem, text)
        assert verdict.reason is not Reason.ERROR


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(-7, 7), min_size=1, max_size=5))
def test_only_the_right_coefficients_score_one(coefficients):
    """Coefficients from the top power down to the constant: correct only for 1, 2, -3, -6."""
    degree = len(coefficients) - 1
    terms = [f"{c}*x^{degree - k}" if degree - k > 1 else (f"{c}*x" if degree - k == 1 else str(c))
             for k, c in enumerate(coefficients) if c]
    if not terms:
        return
    verdict = TASK.verify(PROBLEM, " + ".join(terms))
    assert verdict.correct == ([c for c in coefficients if c] == [1, 2, -3, -6] and len(coefficients) == 4)
    assert verdict.reason in (Reason.OK, Reason.WRONG)
