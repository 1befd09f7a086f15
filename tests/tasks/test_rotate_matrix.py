"""Specification of rotate_matrix beyond the contract.

The gold (``np.rot90`` by the total quarter turns) is re-derived on 60 instances across all
levels by applying each listed rotation separately with index arithmetic on plain lists
(``out[i][j] = m[rows-1-j][i]`` for a quarter turn, applied 1, 2 or 3 times).
"""

from __future__ import annotations

import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.verifiers.verdict import Reason
from tests.tasks.row_checks import assert_alternative_forms_correct, assert_attacks_fail, rows_at
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("rotate_matrix")
TASK = CHECKS.task


def quarter_cw(m):
    h, w = len(m), len(m[0])
    return [[m[h - 1 - j][i] for j in range(h)] for i in range(w)]


def by_index(m, angles):
    for angle in angles:
        for _ in range(angle // 90):
            m = quarter_cw(m)
    return m


def test_index_arithmetic_reproduces_sixty_golds():
    checked = 0
    for row in rows_at(CHECKS, n=6, seed=3):
        p = json.loads(row["problem"])
        want = by_index(p["matrix"], p["angles"])
        assert row["answer"] == "\n".join(" ".join(map(str, r)) for r in want), row["id"]
        assert sum(p["angles"]) % 360 != 0
        checked += 1
    assert checked >= 50


def test_quarter_turn_matches_the_prompts_example():
    assert quarter_cw([[1, 2, 3], [4, 5, 6]]) == [[4, 1], [5, 2], [6, 3]]
    m = np.arange(12).reshape(3, 4).tolist()
    assert by_index(m, [90, 90, 90, 90]) == m
    assert by_index(m, [270]) == np.rot90(np.array(m)).tolist()  # 270° clockwise = 90° counter-clockwise


def test_no_instance_is_solved_by_echoing_or_mirroring():
    for row in rows_at(CHECKS, n=10, seed=5):
        p = json.loads(row["problem"])
        m = np.array(p["matrix"])
        for echo in (m, m.T, m[::-1], m[:, ::-1]):
            assert TASK.verify(p, "\n".join(" ".join(map(str, r)) for r in echo.tolist())).score == 0


def hostile(p: dict, gold: str) -> list[str]:
    """Answers that must score below 1 on the row whose problem is ``p``."""
    lines = gold.splitlines()
    return [
        gold + "\n" + gold, gold + "\nor\n" + gold, " ".join(gold.split()),
        "\n".join(lines[:-1]), "\n".join(" ".join(f"{x}.0" for x in ln.split()) for ln in lines),
        "4 1\n5 2\n6 3", "\n".join(ln + " 0" for ln in lines), "1 " * 60_000,
        "[[" + "1," * 30_000 + "1]]", gold.replace(" ", "+"),
    ]


def test_hostile_answers_score_below_one():
    assert_attacks_fail(CHECKS, hostile, [1, 4, 9], n=4, seed=9, around="\n")


def test_accepted_forms():
    assert_alternative_forms_correct(CHECKS, [2, 8], n=3, seed=21)


test_the_verifier_never_raises_on_arbitrary_text = CHECKS.never_raises(level=3, max_size=300, examples=200)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.integers(-10**20, 10**20), min_size=1, max_size=6), max_size=6))
def test_the_verifier_never_raises_on_integer_grids(grid):
    p = CHECKS.problem(level=3, seed=3)
    text = "\n".join(" ".join(map(str, r)) for r in grid)
    verdict = TASK.verify(p, text)
    assert verdict.reason is not Reason.ERROR
    assert not verdict.correct or grid == by_index(p["matrix"], p["angles"])


def test_levels_get_harder():
    for measure in (lambda p: p["rows"] * p["cols"] * len(p["angles"]), TASK.hardness):
        low, mid, high = (CHECKS.mean(level, measure, n=30, seed=1) for level in (1, 5, 10))
        assert low <= mid <= high and high > 5 * low
