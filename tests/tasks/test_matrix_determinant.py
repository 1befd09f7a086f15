"""matrix_determinant: the gold is sympy's determinant of the printed matrix, verify reads one
integer strictly, and levels grow harder."""

from __future__ import annotations

import json

import pytest
import sympy

from synlog.tasks.math._matrices import determinant
from tests.tasks.matrix_checks import assert_hardness_never_drops, printed_matrix
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("matrix_determinant")
TASK = CHECKS.task


def test_gold_is_sympys_determinant_of_the_printed_matrix():
    checked = 0
    for level in range(1, 11):
        for row in CHECKS.rows(level, 6):
            matrix = printed_matrix(row["prompt"])
            assert matrix == json.loads(row["problem"])["matrix"]
            assert row["answer"] == str(sympy.Matrix(matrix).det(method="berkowitz")), row["id"]
            checked += 1
    assert checked >= 50


def test_bareiss_matches_sympy_on_singular_and_zero_pivot_matrices():
    for matrix in ([[0, 1], [1, 0]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[0, 0, 1], [0, 1, 0], [1, 0, 0]],
                   [[0, 2, 0, 1], [3, 0, 0, 0], [0, 0, 4, 0], [1, 1, 1, 0]], [[0, 0], [0, 5]]):
        assert determinant(matrix) == sympy.Matrix(matrix).det()


def test_shortcuts_never_give_the_gold():
    for level in (1, 3, 5, 8, 10):
        for row in CHECKS.rows(level, 10):
            problem = json.loads(row["problem"])
            m = problem["matrix"]
            diagonal = sympy.prod([m[i][i] for i in range(len(m))])
            assert row["answer"] not in (str(diagonal), str(sum(m[i][i] for i in range(len(m)))))


PROBLEM = {"matrix": [[3, -1], [4, 2]], "value": "10"}


@pytest.mark.parametrize("form", ["10", "+10", "$10$", " 10 "])
def test_accepted_forms(form):
    CHECKS.assert_scores_one(PROBLEM, [form])


@pytest.mark.parametrize("answer", ["10 or -10", "10, -10", "12 - 2", "10.0", "20/2", "-42", "det = 10 or 9",
                                    "-10", "1e1", "10" * 10_000, "9**9**9**9", "2", "6"])
def test_hostile_answers_score_below_one(answer):
    CHECKS.assert_below_one(PROBLEM, [answer])


test_verify_never_raises_or_errors = CHECKS.never_raises(level=3)


def test_levels_get_harder():
    sizes = [CHECKS.mean(lv, lambda p: len(p["matrix"])) for lv in (1, 3, 6, 9)]
    assert sizes == sorted(sizes) and sizes[-1] > sizes[0]
    digits = [CHECKS.mean(lv, lambda p: len(p["value"].lstrip("-"))) for lv in (1, 5, 10)]
    assert digits == sorted(digits) and digits[-1] > digits[0] + 1
    assert_hardness_never_drops(CHECKS)
