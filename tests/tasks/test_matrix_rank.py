"""matrix_rank: every gold rank is sympy's rank of the matrix printed in the prompt, the answer
list is parsed strictly, and levels grow harder."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
import sympy

from synlog.tasks.math._matrices import rank
from tests.tasks.matrix_checks import assert_hardness_never_drops, printed_matrix
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("matrix_rank")
TASK = CHECKS.task


def printed_matrices(prompt: str) -> list[list[list[int]]]:
    """The matrices as the prompt prints them: blocks of bracketed rows under 'X (r×c) ='."""
    return [printed_matrix(block) for block in re.split(r"^[A-H] \(\d+×\d+\) =$", prompt, flags=re.M)[1:]]


def test_gold_ranks_are_sympys_ranks_of_the_printed_matrices():
    checked = 0
    for level in range(1, 11):
        for row in CHECKS.rows(level, 6):
            matrices = printed_matrices(row["prompt"])
            assert matrices == json.loads(row["problem"])["matrices"]
            assert row["answer"] == ", ".join(str(sympy.Matrix(m).rank()) for m in matrices), row["id"]
            checked += 1
    assert checked >= 50


def test_elimination_rank_matches_sympy():
    for matrix in ([[1, 2], [2, 4]], [[0, 0, 1], [0, 0, 2]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[0, 1], [1, 0], [1, 1]]):
        assert rank(matrix) == sympy.Matrix(matrix).rank()


def test_ranks_spread_over_their_range_and_no_zero_lines():
    ranks = Counter()
    for level in (1, 5, 10):
        for row in CHECKS.rows(level, 20):
            problem = json.loads(row["problem"])
            for m, r in zip(problem["matrices"], problem["ranks"], strict=True):
                ranks[(min(len(m), len(m[0])), r)] += 1
                assert all(any(line) for line in m) and all(any(col) for col in zip(*m, strict=True))
    assert {r for (_, r) in ranks} >= {1, 2, 3, 4}
    assert any(r < full for (full, r) in ranks) and any(r == full for (full, r) in ranks)


PROBLEM = {"names": ["A", "B", "C"], "matrices": [[[1, 2], [2, 4]], [[1, 0], [0, 1]], [[1, 1], [1, 1]]],
           "ranks": [1, 2, 1]}


@pytest.mark.parametrize("form", ["1, 2, 1", "1,2,1", "[1, 2, 1]", "(1, 2, 1)", "1 2 1", "A: 1, B: 2, C: 1",
                                  "C: 1; A: 1; B: 2", "rank(A) = 1, rank(B) = 2, rank(C) = 1", "A=1\nB=2\nC=1",
                                  "**1, 2, 1**", "1, 2, 1."])
def test_accepted_forms(form):
    CHECKS.assert_scores_one(PROBLEM, [form])


@pytest.mark.parametrize("answer", ["1, 2, 1 or 1, 1, 1", "1, 2", "1, 2, 1, 1", "A: 1, A: 1, B: 2, C: 1",
                                    "A: 1, B: 2", "A: 1, B: 2, D: 1", "1.0, 2, 1", "1, 2, 2", "2, 1, 3",
                                    "1, 2, 1\n1, 2, 1", "one, two, one", "1, 1+1, 1", "2, 2, 2",
                                    "1, " * 5000, "A: 1, B: 2 or 1, C: 1"])
def test_hostile_answers_score_below_one(answer):
    CHECKS.assert_below_one(PROBLEM, [answer])


test_verify_never_raises_or_errors = CHECKS.never_raises(level=3)


def test_levels_get_harder():
    cells = [CHECKS.mean(lv, lambda p: sum(len(m) * len(m[0]) for m in p["matrices"])) for lv in (1, 3, 5, 8, 10)]
    assert cells == sorted(cells) and cells[-1] > 2 * cells[0]
    assert_hardness_never_drops(CHECKS)
