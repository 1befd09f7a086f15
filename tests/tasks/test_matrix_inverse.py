"""matrix_inverse: the gold is sympy's inverse of the printed matrix, verify checks A·X = I on a
strictly parsed exact matrix, and levels grow harder."""

from __future__ import annotations

import json

import pytest
import sympy
from hypothesis import strategies as st

from synlog.tasks.math._matrices import inverse
from tests.tasks.matrix_checks import assert_hardness_never_drops, matrix_text, printed_matrix
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("matrix_inverse")
TASK = CHECKS.task


def test_gold_is_sympys_inverse_of_the_printed_matrix():
    checked = 0
    for level in range(1, 11):
        for row in CHECKS.rows(level, 6):
            a = sympy.Matrix(printed_matrix(row["prompt"]))
            assert a.tolist() == json.loads(row["problem"])["matrix"]
            assert a.det() != 0
            assert row["answer"] == matrix_text(a.inv(method="LU")), row["id"]
            checked += 1
    assert checked >= 50


def test_gauss_jordan_matches_sympy_with_row_swaps():
    for matrix in ([[0, 1], [1, 1]], [[0, 0, 1], [1, 0, 0], [2, 3, 0]], [[2, 1], [1, 3]]):
        assert inverse(matrix) == sympy.Matrix(matrix).inv().tolist()
    with pytest.raises(ValueError):
        inverse([[1, 2], [2, 4]])


def test_no_shortcut_is_the_inverse_and_denominators_appear():
    for level in range(1, 11):
        for row in CHECKS.rows(level, 6):
            a = sympy.Matrix(json.loads(row["problem"])["matrix"])
            inv = a.inv()
            assert inv not in (a, a.T, -a, -a.T, sympy.eye(a.rows))
    assert all("/" in r["answer"] for lv in (2, 5, 9) for r in CHECKS.rows(lv, 6)
               if abs(json.loads(r["problem"])["det"]) > 1)
    assert any("/" in r["answer"] for r in CHECKS.rows(10, 6))


PROBLEM = {"matrix": [[2, 1], [1, 3]], "det": 5, "inverse": [["3/5", "-1/5"], ["-1/5", "2/5"]]}


@pytest.mark.parametrize("form", [
    "3/5 -1/5\n-1/5 2/5", "3/5, -1/5\n-1/5, 2/5", "[[3/5, -1/5], [-1/5, 2/5]]", "[3/5 -1/5]\n[-1/5 2/5]",
    "\\begin{pmatrix} \\frac{3}{5} & -\\frac{1}{5} \\\\ -\\frac{1}{5} & \\frac{2}{5} \\end{pmatrix}",
    "$$\\begin{bmatrix} 3/5 & \\frac{-1}{5} \\\\ -1/5 & 2/5 \\end{bmatrix}$$", "```\n3/5 -1/5\n-1/5 2/5\n```",
    "3/5  −1/5\n−1/5  2/5"])
def test_accepted_forms(form):
    CHECKS.assert_scores_one(PROBLEM, [form])


@pytest.mark.parametrize("answer", [
    "0.6 -0.2\n-0.2 0.4", "6/10 -1/5\n-1/5 2/5", "1/5 * [[3, -1], [-1, 2]]", "3 -1\n-1 2", "2 1\n1 3",
    "1 0\n0 1", "3/5 -1/5\n-1/5 2/5\n3/5 -1/5\n-1/5 2/5", "3/5 -1/5 -1/5 2/5", "3/5 -1/5\n-1/5 2/5 or 1",
    "3/5 -1/5\n-1/5 1/5+1/5", "3/5 -1/5\n-1/5", "[[3/5, -1/5], [-1/5, 2/5]] [[1, 0], [0, 1]]",
    "3/5 -1/5\n-1/5 2/5 zq", ("3/5 " * 3000), "3/5 1/5\n1/5 2/5", "2/5 -1/5\n-1/5 3/5",
    "\\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}", "9" * 5000 + "/1 1\n1 1"])
def test_hostile_answers_score_below_one(answer):
    CHECKS.assert_below_one(PROBLEM, [answer])


MATRIX_LIKE = st.text(alphabet=st.sampled_from("0123456789/-+ .,[]\n\\&{}frac abegin"), max_size=120)
test_verify_never_raises_or_errors = CHECKS.never_raises(level=3, text=MATRIX_LIKE | st.text(max_size=200))


def test_levels_get_harder():
    sizes = [CHECKS.mean(lv, lambda p: len(p["matrix"])) for lv in (1, 3, 7, 10)]
    assert sizes == sorted(sizes) and sizes[-1] > sizes[0]
    dets = [CHECKS.mean(lv, lambda p: abs(p["det"])) for lv in (3, 4, 6)]
    assert dets == sorted(dets) and dets[-1] > dets[0]
    assert_hardness_never_drops(CHECKS)
