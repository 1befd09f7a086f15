"""function_intersections: every gold is re-derived from the two functions *printed in the
prompt*, by numpy's numeric roots of f - g (real ones kept, clustered) matched to the gold's
values, and by sympy's real_roots of the difference (not the generator's factors); verify refuses
hedges, repeats, decimals and near misses."""

from __future__ import annotations

import re

import numpy as np
import sympy

from synlog.tasks.base import Problem
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("function_intersections")
TASK = CHECKS.task
X = sympy.Symbol("x")


def printed(prompt: str) -> tuple[sympy.Expr, sympy.Expr]:
    def read(name: str) -> sympy.Expr:
        text = re.search(rf"^{name}\(x\) = (.+)$", prompt, re.M).group(1)
        return sympy.sympify(text.replace("^", "**"), locals={"x": X})

    return read("f"), read("g")


def numeric_crossings(difference: sympy.Expr) -> list[float]:
    """Real roots of the difference by numpy (eigenvalues of the companion matrix), with a
    double root's two close estimates merged."""
    coefficients = [float(c) for c in sympy.Poly(difference, X).all_coeffs()]
    real = sorted(r.real for r in np.roots(coefficients) if abs(r.imag) < 1e-5)
    merged: list[float] = []
    for r in real:
        if not merged or abs(r - merged[-1]) > 1e-4:
            merged.append(r)
    return merged


def test_gold_is_rederived_from_the_printed_functions():
    checked = 0
    for level in range(1, 11):
        for row in CHECKS.rows(level, 6):
            f, g = printed(row["prompt"])
            gold = sorted(float(sympy.sympify(v)) for v in row["answer"].split(", "))
            crossings = numeric_crossings(sympy.expand(f - g))
            assert len(crossings) == len(gold) and np.allclose(crossings, gold, atol=1e-4), row["id"]
            exact = set(sympy.real_roots(sympy.Poly(f - g, X)))
            assert len(exact) == len(gold)
            assert all(any(sympy.simplify(sympy.sympify(v) - r) == 0 for r in exact)
                       for v in row["answer"].split(", ")), row["id"]
            checked += 1
    assert checked >= 50


def test_tangencies_and_irrational_points_occur_at_high_levels():
    tangent = irrational = 0
    for level in (6, 8, 10):
        for row in CHECKS.rows(level, 20):
            f, g = printed(row["prompt"])
            difference = sympy.Poly(f - g, X)
            tangent += difference.gcd(difference.diff(X)).degree() > 0
            irrational += "sqrt" in row["answer"]
    assert tangent >= 3 and irrational >= 10


def test_short_golds_hold_no_small_integer_or_guess():
    for level in (1, 2, 3, 4):
        for row in CHECKS.rows(level, 20):
            values = row["answer"].split(", ")
            assert row["answer"] != "-3, 5/2"
            if len(values) <= 2:
                assert not set(values) & {"-2", "-1", "0", "1", "2"}


def test_hostile_answers_score_below_one():
    problem = CHECKS.problem(level=7)
    gold = problem["answer"]
    values = gold.split(", ")
    hostile = [gold + ", 0", ", ".join(values[:-1]) or "0", f"{values[0]} or {values[-1]}", gold + ", " + values[0],
               ", ".join(f"{v} + 1/1000" for v in values), "-3, 5/2", "-1, 1", gold * 200, "x", "",
               ", ".join(str(round(float(sympy.sympify(v)), 4)) for v in values), "all real x",
               f"{len(values)}", ", ".join(f"({v}, 0)" for v in values), f"x = {gold} ± 1"]
    CHECKS.assert_below_one(problem, hostile)


def test_accepted_forms_score_one():
    for level in (2, 6, 10):
        problem = CHECKS.problem(level=level)
        CHECKS.assert_scores_one(problem, TASK.alternative_forms(Problem(problem, problem["answer"])))
    problem = {"f": "x^2 - 2*x - 1", "g": "x + 3", "degree": 2, "answer": "1 - sqrt(5), 1 + sqrt(5)"}
    CHECKS.assert_scores_one(problem, ["1+sqrt(5), 1-sqrt(5)", "x = 1 - \\sqrt{5}, x = 1 + \\sqrt{5}",
                                       "{1 - sqrt(5), 1 + sqrt(5)}", "(2 - sqrt(20))/2, 1 + sqrt(5)"])
    CHECKS.assert_below_one(problem, ["1 ± sqrt(5)", "-1.236, 3.236", "1 + sqrt(5)", "1 - sqrt(5), 1 + sqrt(5), 1 + sqrt(5)"])


test_verify_never_raises = CHECKS.never_raises(level=3)
test_verify_never_raises_on_radicals = CHECKS.never_raises(level=9)


def test_levels_get_harder():
    degrees = [CHECKS.mean(level, lambda p: p["degree"]) for level in (1, 5, 10)]
    assert degrees == sorted(degrees) and degrees[-1] > degrees[0]
    hard = [CHECKS.mean(level, TASK.hardness, n=30) for level in (1, 3, 5, 7, 10)]
    assert hard[-1] > 2 * hard[0] and all(b >= 0.9 * a for a, b in zip(hard, hard[1:], strict=False))
    efforts = [sum(r["effort"] for r in CHECKS.rows(level, 10)) / 10 for level in (1, 5, 10)]
    assert efforts == sorted(efforts)
