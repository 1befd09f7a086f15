"""matrix_determinant: the gold is sympy's determinant of the printed matrix, verify reads one
integer strictly, and levels grow harder."""

from __future__ import annotations

import json
import re
from functools import cache

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.synth.example import make_row
from synlog.tasks import get_task
from synlog.tasks.math._matrices import determinant
from synlog.verifiers.verdict import Reason

TASK = get_task("matrix_determinant")


@cache
def rows(level: int, n: int, seed: int = 5) -> list[dict]:
    spec = TASK.knobs.resolve(level)
    return [make_row("matrix_determinant", level, spec, seed, i) for i in range(n)]


def printed_matrix(prompt: str) -> list[list[int]]:
    """The matrix as the prompt prints it (not the problem's data)."""
    return [[int(x) for x in line.split()] for line in re.findall(r"^\s*\[([-\d ]+)\]\s*$", prompt, re.M)]


def test_gold_is_sympys_determinant_of_the_printed_matrix():
    checked = 0
    for level in range(1, 11):
        for row in rows(level, 6):
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
        for row in rows(level, 10):
            problem = json.loads(row["problem"])
            m = problem["matrix"]
            diagonal = sympy.prod([m[i][i] for i in range(len(m))])
            assert row["answer"] not in (str(diagonal), str(sum(m[i][i] for i in range(len(m)))))


PROBLEM = {"matrix": [[3, -1], [4, 2]], "value": "10"}


@pytest.mark.parametrize("form", ["10", "+10", "$10$", " 10 "])
def test_accepted_forms(form):
    assert TASK.verify(PROBLEM, form).score == 1.0, form


@pytest.mark.parametrize("answer", ["10 or -10", "10, -10", "12 - 2", "10.0", "20/2", "-42", "det = 10 or 9",
                                    "-10", "1e1", "10" * 10_000, "9**9**9**9", "2", "6"])
def test_hostile_answers_score_below_one(answer):
    verdict = TASK.verify(PROBLEM, answer)
    assert verdict.score < 1.0 and verdict.reason is not Reason.ERROR, (answer, verdict)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_verify_never_raises_or_errors(text):
    verdict = TASK.verify(PROBLEM, text)
    assert verdict.reason is not Reason.ERROR
    assert 0.0 <= verdict.score <= 1.0


def test_levels_get_harder():
    def mean(level, f):
        return sum(f(r) for r in rows(level, 10)) / 10

    sizes = [mean(lv, lambda r: len(json.loads(r["problem"])["matrix"])) for lv in (1, 3, 6, 9)]
    assert sizes == sorted(sizes) and sizes[-1] > sizes[0]
    digits = [mean(lv, lambda r: len(r["answer"].lstrip("-"))) for lv in (1, 5, 10)]
    assert digits == sorted(digits) and digits[-1] > digits[0] + 1
    hard = [mean(lv, lambda r: TASK.hardness(json.loads(r["problem"]))) for lv in range(1, 11)]
    assert all(b >= 0.95 * a for a, b in zip(hard, hard[1:], strict=False))
