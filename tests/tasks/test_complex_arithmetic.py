"""Complex arithmetic: the gold is the exact value of the printed expression, and verify reads
exactly the documented a + bi forms.

The independent check: sympy evaluates the *printed* expression (``i`` as ``sympy.I``) and
``expand`` / ``simplify`` of its difference with the gold is 0; the generator's own evaluator is
pairs of Fractions.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.tasks.math.complex_arithmetic import gauss_text, read_number
from synlog.verifiers.verdict import Reason
from tests.tasks.row_checks import assert_effort_and_hardness_grow
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("complex_arithmetic")
TASK = CHECKS.task
PROBLEM = {"expression": "(1 + 3i)/(2 - i)", "real": "-1/5", "imag": "7/5"}
INTEGER = {"expression": "(2 + i)*(1 + i)", "real": "1", "imag": "3"}


def sympy_value(expression: str) -> sympy.Expr:
    text = re.sub(r"(\d+)i", r"\1*I", expression.replace("^", "**"))
    text = re.sub(r"(?<!\w)i(?!\w)", "I", text)
    return sympy.sympify(text)


def test_gold_is_the_value_of_the_printed_expression():
    checked = 0
    for level in range(1, 11):
        for row in CHECKS.rows(level, 6, seed=3):
            problem = json.loads(row["problem"])
            gold = sympy.Rational(problem["real"]) + sympy.I * sympy.Rational(problem["imag"])
            assert sympy.simplify(sympy.expand(sympy_value(problem["expression"]) - gold)) == 0, row["id"]
            assert read_number(row["answer"]) == (Fraction(problem["real"]), Fraction(problem["imag"]))
            assert TASK.verify(problem, row["answer"]).correct
            checked += 1
    assert checked >= 50


def test_levels_get_harder_and_bring_division_then_powers():
    assert_effort_and_hardness_grow(CHECKS, n=12, seed=3)
    assert not any("/" in json.loads(r["problem"])["expression"] for r in CHECKS.rows(2, 12, seed=3))
    assert not any("^" in json.loads(r["problem"])["expression"] for r in CHECKS.rows(4, 12, seed=3))
    assert any("^" in json.loads(r["problem"])["expression"] for r in CHECKS.rows(8, 12, seed=3))


def test_level_one_is_never_a_plain_sum():
    assert not any(" + (" in json.loads(r["problem"])["expression"] for r in CHECKS.rows(1, 40, seed=3))


@pytest.mark.parametrize("problem, form", [
    (PROBLEM, "-1/5 + (7/5)i"),
    (PROBLEM, "-1/5 + 7/5*i"),
    (PROBLEM, "-1/5 + 7i/5"),
    (PROBLEM, "-\\frac{1}{5} + \\frac{7}{5}i"),
    (PROBLEM, "$-\\dfrac{1}{5} + \\dfrac{7}{5} i$"),
    (PROBLEM, "z = -1/5 + (7/5)i"),
    (PROBLEM, "-1/5 + (7/5)*I"),
    (PROBLEM, "(-1/5 + (7/5)i)"),
    (PROBLEM, "-1/5 + (7/5)i."),
    (INTEGER, "1 + 3i"),
    (INTEGER, "1+3*i"),
    (INTEGER, "+1 + 3i"),
    ({"expression": "", "real": "0", "imag": "-2"}, "-2i"),
    ({"expression": "", "real": "0", "imag": "-2"}, "0 - 2i"),
    ({"expression": "", "real": "4", "imag": "1"}, "4 + i"),
])
def test_documented_forms_are_accepted(problem, form):
    CHECKS.assert_scores_one(problem, [form])


@pytest.mark.parametrize("problem, answer, reason", [
    (PROBLEM, "-1/5 + 7/5i", Reason.INVALID),                 # reads as 7/(5i)
    (PROBLEM, "-2/10 + (14/10)i", Reason.INVALID),            # unreduced
    (PROBLEM, "-0.2 + 1.4i", Reason.INVALID),                 # decimals
    (PROBLEM, "(7/5)i - 1/5", Reason.INVALID),                # imaginary part first
    (PROBLEM, "(1 + 3i)/(2 - i)", Reason.INVALID),            # the expression itself
    (PROBLEM, "(-1 + 7i)/5", Reason.INVALID),                 # left to evaluate
    (PROBLEM, "-1/5 + (7/5)i or -1/5 - (7/5)i", Reason.INVALID),
    (PROBLEM, "-1/5 ± (7/5)i", Reason.INVALID),
    (PROBLEM, "-1/5 + (7/5)i\n-1/5 - (7/5)i", Reason.INVALID),
    (PROBLEM, "-1/5 + -(7/5)i", Reason.INVALID),
    (PROBLEM, "-1/5 - (7/5)i", Reason.WRONG),
    (PROBLEM, "1/5 + (7/5)i", Reason.WRONG),
    (PROBLEM, "7/5 - (1/5)i", Reason.WRONG),
    (PROBLEM, "-1/5", Reason.WRONG),
    (PROBLEM, "-1/5 + (7/5)j", Reason.UNPARSEABLE),
    (PROBLEM, "-1/5 + (7/5)i" + " " * 500, Reason.INVALID),     # over-long
    (PROBLEM, "9" * 300 + " + i", Reason.INVALID),               # a number too long to read
    (PROBLEM, "-1/5 + (7/5)i, 0", Reason.INVALID),
    (PROBLEM, "(-1/5) + (7/5)i", Reason.INVALID),
    (INTEGER, "-1/5 + (7/5)i", Reason.WRONG),                    # the prompt's example
])
def test_hostile_answers_score_zero(problem, answer, reason):
    verdict = TASK.verify(problem, answer)
    assert verdict.score == 0.0 and verdict.reason is reason, verdict


def test_the_example_answer_is_rarely_a_gold():
    assert sum(r["answer"] == "-1/5 + (7/5)i" for lv in (3, 4, 5) for r in CHECKS.rows(lv, 30, seed=3)) <= 1


test_verifier_never_raises_or_errors = CHECKS.never_raises(level=3, max_size=60, examples=200)


@settings(max_examples=200, deadline=None)
@given(st.fractions(max_denominator=30).filter(lambda f: abs(f) < 500),
       st.fractions(max_denominator=30).filter(lambda f: abs(f) < 500))
def test_gauss_text_reads_back_and_only_the_gold_scores_one(real, imag):
    text = gauss_text((real, imag))
    assert read_number(text) == (real, imag)
    verdict = TASK.verify(PROBLEM, text)
    assert verdict.correct == ((real, imag) == (Fraction(-1, 5), Fraction(7, 5)))
    assert verdict.reason in (Reason.OK, Reason.WRONG)
