"""Specification of game_of_life beyond the contract.

The gold is re-derived by a set-based simulation (live cells as a set of coordinates,
neighbour counts with a Counter, wrap-around by modular arithmetic) rather than the task's
numpy shifts, on 60 instances across all levels and both topologies.
"""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.tasks.state.game_of_life import show
from synlog.verifiers.verdict import Reason
from tests.tasks.row_checks import assert_alternative_forms_correct, assert_attacks_fail, rows_at
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("game_of_life")
TASK = CHECKS.task


def set_life(live: set, rows: int, cols: int, torus: bool) -> set:
    counts = Counter()
    for r, c in live:
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                if dr or dc:
                    a, b = r + dr, c + dc
                    if torus:
                        a, b = a % rows, b % cols
                    elif not (0 <= a < rows and 0 <= b < cols):
                        continue
                    counts[(a, b)] += 1
    return {cell for cell, n in counts.items() if n == 3 or (n == 2 and cell in live)}


def test_set_based_simulation_reproduces_sixty_golds():
    checked, tori = 0, 0
    for row in rows_at(CHECKS, n=6, seed=3):
        p = json.loads(row["problem"])
        live = {(r, c) for r, line in enumerate(p["initial"]) for c, v in enumerate(line) if v}
        for _ in range(p["steps"]):
            live = set_life(live, p["rows"], p["cols"], p["torus"])
        dead, alive = {"01": ("0", "1"), ".#": (".", "#")}[p["symbols"]]
        want = "\n".join(" ".join(alive if (r, c) in live else dead for c in range(p["cols"]))
                         for r in range(p["rows"]))
        assert row["answer"] == want, row["id"]
        assert TASK.verify(p, want).correct
        checked += 1
        tori += p["torus"]
    assert checked >= 50 and tori >= 5


def test_degenerate_outcomes_are_never_generated():
    for row in rows_at(CHECKS, n=10, seed=5):
        p = json.loads(row["problem"])
        final = np.array(p["final"])
        assert final.sum() >= 2
        assert not np.array_equal(final, np.array(p["initial"]))


def test_a_blinker_on_a_bounded_grid_and_a_glider_on_a_torus():
    from synlog.tasks.state.game_of_life import life_step
    blinker = np.zeros((5, 5), dtype=np.int64)
    blinker[2, 1:4] = 1
    assert life_step(blinker, False).tolist() == blinker.T.tolist()
    glider = np.zeros((6, 6), dtype=np.int64)
    for r, c in ((0, 1), (1, 2), (2, 0), (2, 1), (2, 2)):
        glider[r, c] = 1
    g = glider
    for _ in range(24):  # a glider on a 6×6 torus returns after 6 moves of 4 steps
        g = life_step(g, True)
    assert np.array_equal(g, glider)
    # on a bounded grid the corner cells do not see the opposite edge
    corner = np.zeros((3, 3), dtype=np.int64)
    corner[0, 0] = corner[0, 2] = corner[2, 0] = 1
    assert life_step(corner, False)[1, 1] == 1 and life_step(corner, False)[0, 0] == 0


def hostile(p: dict, gold: str) -> list[str]:
    """Answers that must score below 1 on the row whose problem is ``p``."""
    other = "01" if p["symbols"] == ".#" else ".#"
    return [
        show(p["final"], other),                      # the other symbol pair
        gold + "\n" + gold,                           # two grids
        gold + "\nor\n" + show(p["initial"], p["symbols"]),
        "\n".join(gold.splitlines()[:-1]),            # a row missing
        show(p["initial"], p["symbols"]),             # the input echoed
        ". # .\n# # .", "0 1 0\n1 1 0",               # the example answers
        "1 " * 60_000,                                # enormous
        "[[" + "1," * 30_000 + "1]]",
    ]


def test_hostile_answers_score_below_one():
    assert_attacks_fail(CHECKS, hostile, [2, 6, 9], n=4, seed=9, around="\n")


def test_unspaced_rows_and_fences_are_accepted():
    assert_alternative_forms_correct(CHECKS, [3, 8], n=3, seed=21)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_the_verifier_never_raises_on_arbitrary_text(text):
    verdict = TASK.verify(CHECKS.problem(level=6, seed=11), text)
    assert verdict.reason is not Reason.ERROR
    assert verdict.score < 1 or verdict.correct


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="01.# ,\n[]", max_size=40), max_size=12))
def test_the_verifier_never_raises_on_grid_like_text(lines):
    assert TASK.verify(CHECKS.problem(level=6, seed=11), "\n".join(lines)).reason is not Reason.ERROR


def test_levels_get_harder():
    for measure in (lambda p: p["rows"] * p["cols"] * p["steps"], TASK.hardness):
        low, mid, high = (CHECKS.mean(level, measure, n=30, seed=1) for level in (1, 5, 10))
        assert high > 3 * low
        assert low <= mid <= high
