"""Specification of spiral_matrix beyond the contract.

The gold (peeling the top row and turning the rest with ``np.rot90``) is re-derived by a
boundary walk: four shrinking bounds (top, bottom, left, right) on plain lists, on 60
instances across all levels; a direction-vector walk that turns right on hitting a wall or a
visited cell is checked against it too.
"""

from __future__ import annotations

import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.verifiers.verdict import Reason
from tests.tasks.row_checks import assert_alternative_forms_correct, assert_attacks_fail, rows_at
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("spiral_matrix")
TASK = CHECKS.task


def bounds_walk(m):
    top, bottom, left, right = 0, len(m) - 1, 0, len(m[0]) - 1
    out = []
    while top <= bottom and left <= right:
        out += [m[top][c] for c in range(left, right + 1)]
        out += [m[r][right] for r in range(top + 1, bottom + 1)]
        if top < bottom:
            out += [m[bottom][c] for c in range(right - 1, left - 1, -1)]
        if left < right:
            out += [m[r][left] for r in range(bottom - 1, top, -1)]
        top, bottom, left, right = top + 1, bottom - 1, left + 1, right - 1
    return out


def turtle_walk(m):
    h, w = len(m), len(m[0])
    seen, out = set(), []
    r = c = d = 0
    moves = ((0, 1), (1, 0), (0, -1), (-1, 0))
    for _ in range(h * w):
        out.append(m[r][c])
        seen.add((r, c))
        a, b = r + moves[d][0], c + moves[d][1]
        if not (0 <= a < h and 0 <= b < w) or (a, b) in seen:
            d = (d + 1) % 4
            a, b = r + moves[d][0], c + moves[d][1]
        r, c = a, b
    return out


def test_boundary_walk_reproduces_sixty_golds():
    checked = 0
    for row in rows_at(CHECKS, n=6, seed=3):
        p = json.loads(row["problem"])
        want = bounds_walk(p["matrix"])
        assert want == turtle_walk(p["matrix"])
        assert row["answer"] == " ".join(map(str, want)), row["id"]
        assert len(want) == p["rows"] * p["cols"]
        checked += 1
    assert checked >= 50


def test_the_walks_agree_on_every_small_shape():
    for h in range(1, 8):
        for w in range(1, 8):
            m = np.arange(h * w).reshape(h, w).tolist()
            assert bounds_walk(m) == turtle_walk(m)
            assert sorted(bounds_walk(m)) == list(range(h * w))
    assert bounds_walk([[1, 2, 3], [4, 5, 6]]) == [1, 2, 3, 6, 5, 4]  # the prompt's example


def test_readings_that_ignore_the_spiral_never_match():
    for row in rows_at(CHECKS, n=10, seed=5):
        p = json.loads(row["problem"])
        m = np.array(p["matrix"])
        for reading in (m.flatten(), m.T.flatten(), np.sort(m.flatten())):
            assert " ".join(map(str, reading.tolist())) != row["answer"]


def hostile(p: dict, gold: str) -> list[str]:
    """Answers that must score below 1 on the row whose problem is ``p``."""
    items = gold.split()
    return [
        gold + " " + gold, gold + " or " + gold, gold + " | " + " ".join(items[::-1]),
        " ".join(items[:-1]), " ".join(f"{x}.0" for x in items), "1 2 3 6 5 4",
        "[" + gold + "]]", "{" + gold + "}", " ".join(sorted(items)), "9 " * 50_000,
        "1" * 200, "+".join(items), gold + " 0",
    ]


def test_hostile_answers_score_below_one():
    assert_attacks_fail(CHECKS, hostile, [1, 4, 9], n=4, seed=9)


def test_accepted_forms():
    assert_alternative_forms_correct(CHECKS, [2, 7], n=3, seed=21)


test_the_verifier_never_raises_on_arbitrary_text = CHECKS.never_raises(level=3, max_size=300, examples=200)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(-10**20, 10**20), max_size=40), st.sampled_from([" ", ", ", "\n", ","]))
def test_the_verifier_never_raises_on_number_lists(values, sep):
    p = CHECKS.problem(level=3, seed=3)
    verdict = TASK.verify(p, sep.join(map(str, values)))
    assert verdict.reason is not Reason.ERROR
    assert not verdict.correct or sep.join(map(str, values)).replace(",", " ").split() == \
        " ".join(map(str, bounds_walk(p["matrix"]))).split()


def test_levels_get_harder():
    for measure in (lambda p: p["rows"] * p["cols"], TASK.hardness):
        low, mid, high = (CHECKS.mean(level, measure, n=30, seed=1) for level in (1, 5, 10))
        assert low <= mid <= high and high > 5 * low
