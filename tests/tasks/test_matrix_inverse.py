"""matrix_inverse: the gold is sympy's inverse of the printed matrix, verify checks A·X = I on a
strictly parsed exact matrix, and levels grow harder."""

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
from synlog.tasks.math._matrices import inverse
from synlog.verifiers.verdict import Reason

TASK = get_task("matrix_inverse")


@cache
def rows(level: int, n: int, seed: int = 5) -> list[dict]:
    spec = TASK.knobs.resolve(level)
    return [make_row("matrix_inverse", level, spec, seed, i) for i in range(n)]


def printed_matrix(prompt: str) -> list[list[int]]:
    return [[int(x) for x in line.split()] for line in re.findall(r"^\s*\[([-\d ]+)\]\s*$", prompt, re.M)]


def sympy_text(m: sympy.Matrix) -> str:
    return "\n".join(" ".join(str(m[i, j]) for j in range(m.cols)) for i in range(m.rows))


def test_gold_is_sympys_inverse_of_the_printed_matrix():
    checked = 0
    for level in range(1, 11):
        for row in rows(level, 6):
            a = sympy.Matrix(printed_matrix(row["prompt"]))
            assert a.tolist() == json.loads(row["problem"])["matrix"]
            assert a.det() != 0
            assert row["answer"] == sympy_text(a.inv(method="LU")), row["id"]
            checked += 1
    assert checked >= 50


def test_gauss_jordan_matches_sympy_with_row_swaps():
    for matrix in ([[0, 1], [1, 1]], [[0, 0, 1], [1, 0, 0], [2, 3, 0]], [[2, 1], [1, 3]]):
        assert inverse(matrix) == sympy.Matrix(matrix).inv().tolist()
    with pytest.raises(ValueError):
        inverse([[1, 2], [2, 4]])


def test_no_shortcut_is_the_inverse_and_denominators_appear():
    for level in range(1, 11):
        for row in rows(level, 6):
            a = sympy.Matrix(json.loads(row["problem"])["matrix"])
            inv = a.inv()
            assert inv not in (a, a.T, -a, -a.T, sympy.eye(a.rows))
    assert all("/" in r["answer"] for lv in (2, 5, 9) for r in rows(lv, 6) if abs(json.loads(r["problem"])["det"]) > 1)
    assert any("/" in r["answer"] for r in rows(10, 6))


PROBLEM = {"matrix": [[2, 1], [1, 3]], "det": 5, "inverse": [["3/5", "-1/5"], ["-1/5", "2/5"]]}


@pytest.mark.parametrize("form", [
    "3/5 -1/5\n-1/5 2/5", "3/5, -1/5\n-1/5, 2/5", "[[3/5, -1/5], [-1/5, 2/5]]", "[3/5 -1/5]\n[-1/5 2/5]",
    "\\begin{pmatrix} \\frac{3}{5} & -\\frac{1}{5} \\\\ -\\frac{1}{5} & \\frac{2}{5} \\end{pmatrix}",
    "$$\\begin{bmatrix} 3/5 & \\frac{-1}{5} \\\\ -1/5 & 2/5 \\end{bmatrix}$$", "```\n3/5 -1/5\n-1/5 2/5\n```",
    "3/5  −1/5\n−1/5  2/5"])
def test_accepted_forms(form):
    assert TASK.verify(PROBLEM, form).score == 1.0, (form, TASK.verify(PROBLEM, form))


@pytest.mark.parametrize("answer", [
    "0.6 -0.2\n-0.2 0.4", "6/10 -1/5\n-1/5 2/5", "1/5 * [[3, -1], [-1, 2]]", "3 -1\n-1 2", "2 1\n1 3",
    "1 0\n0 1", "3/5 -1/5\n-1/5 2/5\n3/5 -1/5\n-1/5 2/5", "3/5 -1/5 -1/5 2/5", "3/5 -1/5\n-1/5 2/5 or 1",
    "3/5 -1/5\n-1/5 1/5+1/5", "3/5 -1/5\n-1/5", "[[3/5, -1/5], [-1/5, 2/5]] [[1, 0], [0, 1]]",
    "3/5 -1/5\n-1/5 2/5 zq", ("3/5 " * 3000), "3/5 1/5\n1/5 2/5", "2/5 -1/5\n-1/5 3/5",
    "\\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}", "9" * 5000 + "/1 1\n1 1"])
def test_hostile_answers_score_below_one(answer):
    verdict = TASK.verify(PROBLEM, answer)
    assert verdict.score < 1.0 and verdict.reason is not Reason.ERROR, (answer, verdict)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789/-+ .,[]\n\\&{}frac abegin"), max_size=120) | st.text(max_size=200))
def test_verify_never_raises_or_errors(text):
    verdict = TASK.verify(PROBLEM, text)
    assert verdict.reason is not Reason.ERROR
    assert 0.0 <= verdict.score <= 1.0


def test_levels_get_harder():
    def mean(level, f):
        return sum(f(r) for r in rows(level, 10)) / 10

    sizes = [mean(lv, lambda r: len(json.loads(r["problem"])["matrix"])) for lv in (1, 3, 7, 10)]
    assert sizes == sorted(sizes) and sizes[-1] > sizes[0]
    dets = [mean(lv, lambda r: abs(json.loads(r["problem"])["det"])) for lv in (3, 4, 6)]
    assert dets == sorted(dets) and dets[-1] > dets[0]
    hard = [mean(lv, lambda r: TASK.hardness(json.loads(r["problem"]))) for lv in range(1, 11)]
    assert all(b >= 0.95 * a for a, b in zip(hard, hard[1:], strict=False))
