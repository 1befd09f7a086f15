"""function_zeros_count: every count is re-derived from the polynomial and intervals *printed in
the prompt* by sympy's exact real_roots (isolated roots compared exactly with the ends), not the
generator's Sturm count; the counts are spread out, and verify reads the list strictly."""

from __future__ import annotations

import json
import re
from collections import Counter

import sympy

from synlog.tasks.base import Problem
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("function_zeros_count")
TASK = CHECKS.task
X = sympy.Symbol("x")


def printed(prompt: str) -> tuple[sympy.Expr, list[tuple[int, int]]]:
    f = sympy.sympify(re.search(r"^f\(x\) = (.+)$", prompt, re.M).group(1).replace("^", "**"), locals={"x": X})
    line = re.search(r"^Intervals, in order: (.+)$", prompt, re.M).group(1)
    return f, [(int(a), int(b)) for a, b in re.findall(r"\[(-?\d+), (-?\d+)\]", line)]


def recount(prompt: str) -> list[int]:
    f, intervals = printed(prompt)
    roots = set(sympy.real_roots(sympy.Poly(f, X)))
    return [sum(1 for r in roots if bool(a <= r) and bool(r <= b)) for a, b in intervals]


def test_counts_are_rederived_from_the_printed_prompt():
    checked = 0
    for level in range(1, 11):
        for row in CHECKS.rows(level, 6):
            counts = recount(row["prompt"])
            assert row["answer"] == ", ".join(map(str, counts)), row["id"]
            assert json.loads(row["problem"])["counts"] == counts
            checked += 1
    assert checked >= 50


def test_no_count_and_no_list_dominates():
    for level in (1, 5, 10):
        problems = CHECKS.problems(level, 60)
        per_count = Counter(c for p in problems for c in p["counts"])
        assert max(per_count.values()) < 0.4 * sum(per_count.values())
        lists = Counter(tuple(p["counts"]) for p in problems)
        assert lists.most_common(1)[0][1] <= 4


def test_repeated_roots_and_zeros_at_interval_ends_occur():
    repeated = at_end = 0
    for level in (3, 4, 5):
        for row in CHECKS.rows(level, 20):
            f, intervals = printed(row["prompt"])
            poly = sympy.Poly(f, X)
            repeated += poly.gcd(poly.diff(X)).degree() > 0
            at_end += any(poly.eval(end) == 0 for interval in intervals for end in interval)
    assert repeated >= 3 and at_end >= 3


PROBLEM = {"function": "x^3 - 3*x^2 - x + 3", "intervals": [[-2, 0], [2, 5], [4, 6]], "counts": [1, 1, 0],
           "degree": 3}


def test_accepted_forms_score_one():
    CHECKS.assert_scores_one(PROBLEM, ["1, 1, 0", "1,1,0", "(1, 1, 0)", "[1, 1, 0]", "$1, 1, 0$", " 1, 1, 0 "])
    for level in (2, 8):
        problem = CHECKS.problem(level=level)
        gold = ", ".join(map(str, problem["counts"]))
        CHECKS.assert_scores_one(problem, TASK.alternative_forms(Problem(problem, gold)))


def test_hostile_answers_score_below_one():
    CHECKS.assert_below_one(PROBLEM, [
        "1, 1, 0 or 1, 1, 1", "1, 1", "1, 1, 0, 0", "1.0, 1, 0", "2 - 1, 1, 0", "0, 1, 1", "2, 0, 1",
        "3, 3, 3", "1 1 0 " * 300, "one, one, zero", "x = 1, 1, 0", "1, 1, 0?", "1/1, 1, 0", "3"])
    assert TASK.verify(PROBLEM, "1, 1, 1").details.get("fraction") is None  # no partial credit


def test_the_example_is_never_a_gold():
    for level in (1, 6):
        for problem in CHECKS.problems(level, 40):
            assert problem["counts"] != [2, 0, 1, 3][: len(problem["counts"])]


test_verify_never_raises = CHECKS.never_raises(level=3)


def test_levels_get_harder():
    degree = [CHECKS.mean(level, lambda p: p["degree"]) for level in (1, 5, 10)]
    assert degree == sorted(degree) and degree[-1] > degree[0]
    hard = [CHECKS.mean(level, TASK.hardness, n=20) for level in (1, 3, 5, 7, 10)]
    assert hard == sorted(hard) and hard[-1] > 2 * hard[0]
    efforts = [sum(r["effort"] for r in CHECKS.rows(level, 10)) / 10 for level in (1, 5, 10)]
    assert efforts == sorted(efforts)
