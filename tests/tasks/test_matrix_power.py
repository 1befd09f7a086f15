"""matrix_power: the gold is sympy's A**k of the printed matrix, verify reads an integer matrix
strictly, and levels grow harder."""

from __future__ import annotations

import json
import re

import pytest
import sympy
from hypothesis import strategies as st

from tests.tasks.matrix_checks import assert_hardness_never_drops, matrix_text, printed_matrix
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("matrix_power")
TASK = CHECKS.task


def printed(prompt: str) -> tuple[list[list[int]], int]:
    return printed_matrix(prompt), int(re.search(r"^k = (\d+)$", prompt, re.M).group(1))


def test_gold_is_sympys_power_of_the_printed_matrix():
    checked = 0
    for level in range(1, 11):
        for row in CHECKS.rows(level, 6):
            matrix, k = printed(row["prompt"])
            problem = json.loads(row["problem"])
            assert (matrix, k) == (problem["matrix"], problem["k"])
            a = sympy.Matrix(matrix)
            gold = a ** k
            assert row["answer"] == matrix_text(gold)
            assert gold not in (a, sympy.eye(a.rows), sympy.zeros(a.rows), a.applyfunc(lambda x, k=k: x ** k), k * a)
            checked += 1
    assert checked >= 50


PROBLEM = {"matrix": [[1, 2], [3, 4]], "k": 2, "power": [[7, 10], [15, 22]]}


@pytest.mark.parametrize("form", ["7 10\n15 22", "7, 10\n15, 22", "[[7, 10], [15, 22]]", "[7 10]\n[15 22]",
                                  "\\begin{bmatrix} 7 & 10 \\\\ 15 & 22 \\end{bmatrix}", "+7 10\n15 22",
                                  "```\n7 10\n15 22\n```", "7 10\n\n15 22"])
def test_accepted_forms(form):
    CHECKS.assert_scores_one(PROBLEM, [form])


@pytest.mark.parametrize("answer", ["7.0 10\n15 22", "14/2 10\n15 22", "3+4 10\n15 22", "1 4\n9 16", "1 2\n3 4",
                                    "1 0\n0 1", "7 10\n15 22\n7 10\n15 22", "7 10 15 22", "7 10\n15 22 or 1",
                                    "7 10\n15 22 zq", "7 15\n10 22", "[[7, 10], [15, 22]] [[1, 0], [0, 1]]",
                                    "-7 -10\n-15 -22", "2 4\n6 8", "7 " * 5000, "7 10\n15 22.5",
                                    "\\begin{bmatrix} 7 & 10 \\\\ 15 & 22 \\end{bmatrix} \\begin{bmatrix} 1 \\end{bmatrix}"])
def test_hostile_answers_score_below_one(answer):
    CHECKS.assert_below_one(PROBLEM, [answer])


MATRIX_LIKE = st.text(alphabet=st.sampled_from("0123456789/-+ .,[]\n\\&{}matrix"), max_size=120)
test_verify_never_raises_or_errors = CHECKS.never_raises(level=3, text=MATRIX_LIKE | st.text(max_size=200))


def test_levels_get_harder():
    work = [CHECKS.mean(lv, lambda p: len(p["matrix"]) ** 3 * (p["k"] - 1)) for lv in range(1, 11)]
    assert work == sorted(work) and work[-1] > 10 * work[0]
    digits = [CHECKS.mean(lv, lambda p: max(len(str(abs(x))) for row in p["power"] for x in row)) for lv in (1, 4, 10)]
    assert digits == sorted(digits) and digits[-1] > digits[0]
    assert_hardness_never_drops(CHECKS)
