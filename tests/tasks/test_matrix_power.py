"""matrix_power: the gold is sympy's A**k of the printed matrix, verify reads an integer matrix
strictly, and levels grow harder."""

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
from synlog.verifiers.verdict import Reason

TASK = get_task("matrix_power")


@cache
def rows(level: int, n: int, seed: int = 5) -> list[dict]:
    spec = TASK.knobs.resolve(level)
    return [make_row("matrix_power", level, spec, seed, i) for i in range(n)]


def printed(prompt: str) -> tuple[list[list[int]], int]:
    matrix = [[int(x) for x in line.split()] for line in re.findall(r"^\s*\[([-\d ]+)\]\s*$", prompt, re.M)]
    return matrix, int(re.search(r"^k = (\d+)$", prompt, re.M).group(1))


def test_gold_is_sympys_power_of_the_printed_matrix():
    checked = 0
    for level in range(1, 11):
        for row in rows(level, 6):
            matrix, k = printed(row["prompt"])
            problem = json.loads(row["problem"])
            assert (matrix, k) == (problem["matrix"], problem["k"])
            a = sympy.Matrix(matrix)
            gold = a ** k
            assert row["answer"] == "\n".join(" ".join(str(gold[i, j]) for j in range(a.cols)) for i in range(a.rows))
            assert gold not in (a, sympy.eye(a.rows), sympy.zeros(a.rows), a.applyfunc(lambda x, k=k: x ** k), k * a)
            checked += 1
    assert checked >= 50


PROBLEM = {"matrix": [[1, 2], [3, 4]], "k": 2, "power": [[7, 10], [15, 22]]}


@pytest.mark.parametrize("form", ["7 10\n15 22", "7, 10\n15, 22", "[[7, 10], [15, 22]]", "[7 10]\n[15 22]",
                                  "\\begin{bmatrix} 7 & 10 \\\\ 15 & 22 \\end{bmatrix}", "+7 10\n15 22",
                                  "```\n7 10\n15 22\n```", "7 10\n\n15 22"])
def test_accepted_forms(form):
    assert TASK.verify(PROBLEM, form).score == 1.0, (form, TASK.verify(PROBLEM, form))


@pytest.mark.parametrize("answer", ["7.0 10\n15 22", "14/2 10\n15 22", "3+4 10\n15 22", "1 4\n9 16", "1 2\n3 4",
                                    "1 0\n0 1", "7 10\n15 22\n7 10\n15 22", "7 10 15 22", "7 10\n15 22 or 1",
                                    "7 10\n15 22 zq", "7 15\n10 22", "[[7, 10], [15, 22]] [[1, 0], [0, 1]]",
                                    "-7 -10\n-15 -22", "2 4\n6 8", "7 " * 5000, "7 10\n15 22.5",
                                    "\\begin{bmatrix} 7 & 10 \\\\ 15 & 22 \\end{bmatrix} \\begin{bmatrix} 1 \\end{bmatrix}"])
def test_hostile_answers_score_below_one(answer):
    verdict = TASK.verify(PROBLEM, answer)
    assert verdict.score < 1.0 and verdict.reason is not Reason.ERROR, (answer, verdict)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789/-+ .,[]\n\\&{}matrix"), max_size=120) | st.text(max_size=200))
def test_verify_never_raises_or_errors(text):
    verdict = TASK.verify(PROBLEM, text)
    assert verdict.reason is not Reason.ERROR
    assert 0.0 <= verdict.score <= 1.0


def test_levels_get_harder():
    def mean(level, f):
        return sum(f(r) for r in rows(level, 10)) / 10

    work = [mean(lv, lambda r: len(json.loads(r["problem"])["matrix"]) ** 3 * (json.loads(r["problem"])["k"] - 1))
            for lv in range(1, 11)]
    assert work == sorted(work) and work[-1] > 10 * work[0]
    digits = [mean(lv, lambda r: max(len(str(abs(x))) for row in json.loads(r["problem"])["power"] for x in row))
              for lv in (1, 4, 10)]
    assert digits == sorted(digits) and digits[-1] > digits[0]
    hard = [mean(lv, lambda r: TASK.hardness(json.loads(r["problem"]))) for lv in range(1, 11)]
    assert all(b >= 0.95 * a for a, b in zip(hard, hard[1:], strict=False))
