"""Specification of the largest_island task beyond the shared contract.

The gold is re-derived by union-find over the land cells (the generator and verifier use
breadth-first search), on 60 instances across levels 1–6 by default and on every level in
the slow run. Answers are one integer: hedges, expressions, words and miscounts score 0.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.synth.example import make_row
from synlog.tasks.base import get_task
from synlog.verifiers.score import score
from synlog.verifiers.verdict import Reason

TASK = get_task("largest_island")


@cache
def rows(level: int, n: int, seed: int = 1) -> list[dict]:
    spec = TASK.knobs.resolve(level)
    return [make_row("largest_island", level, spec, seed, i) for i in range(n)]


def largest_by_union_find(grid: list[str], diagonal: bool = False) -> int:
    """Union-find with path halving over every pair of joined land cells."""
    height, width = len(grid), len(grid[0])
    parent = list(range(height * width))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    steps = [(0, 1), (1, 0)] + ([(1, 1), (1, -1)] if diagonal else [])
    for r in range(height):
        for c in range(width):
            if grid[r][c] != "#":
                continue
            for dr, dc in steps:
                a, b = r + dr, c + dc
                if 0 <= a < height and 0 <= b < width and grid[a][b] == "#":
                    parent[find(r * width + c)] = find(a * width + b)
    roots = Counter(find(r * width + c) for r in range(height) for c in range(width) if grid[r][c] == "#")
    return max(roots.values(), default=0)


def check_golds(levels, per_level: int) -> int:
    checked = 0
    for level in levels:
        for row in rows(level, per_level, seed=7):
            problem = json.loads(row["problem"])
            assert largest_by_union_find(problem["grid"]) == int(row["answer"]), row["id"]
            checked += 1
    return checked


def test_sixty_golds_match_a_union_find_recount():
    assert check_golds(range(1, 7), 10) >= 50


@pytest.mark.slow
def test_golds_match_a_union_find_recount_at_every_level():
    assert check_golds(range(1, 11), 20) == 200


EXAMPLE = {"grid": ["##..#", "#..#.", "#..#.", "....."]}


def test_the_docstring_example_reads_four():
    assert largest_by_union_find(EXAMPLE["grid"]) == 4
    assert TASK.verify(EXAMPLE, "4").correct
    assert TASK.verify(EXAMPLE, "**4**").correct


@pytest.mark.parametrize("answer, reason", [
    ("5", Reason.WRONG),            # one off
    ("3", Reason.WRONG),            # the right-hand pieces joined at their corner
    ("7", Reason.WRONG),            # every land cell
    ("4 or 5", Reason.UNPARSEABLE),  # a hedge
    ("4, 5", Reason.UNPARSEABLE),
    ("4 4", Reason.UNPARSEABLE),    # the gold written twice
    ("2 + 2", Reason.UNPARSEABLE),  # an expression
    ("4.0", Reason.UNPARSEABLE),
    ("four", Reason.UNPARSEABLE),
    ("The largest island has 4 cells", Reason.UNPARSEABLE),
    ("2", Reason.WRONG),            # the prompt's example answer
])
def test_anything_but_the_one_integer_scores_zero(answer, reason):
    verdict = TASK.verify(EXAMPLE, answer)
    assert verdict.score == 0 and verdict.reason is reason, verdict


def test_an_enormous_answer_is_invalid():
    row = rows(3, 1)[0]
    verdict = score(TASK, row["problem"], "<answer>" + row["answer"] + " " * 200_000 + "1</answer>")
    assert verdict.score == 0 and verdict.reason is Reason.INVALID


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-10, max_value=500))
def test_only_the_true_size_scores_one(value):
    row = rows(4, 1)[0]
    problem = json.loads(row["problem"])
    assert TASK.verify(problem, str(value)).correct == (value == largest_by_union_find(problem["grid"]))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_random_text_never_raises_and_never_pays(text):
    row = rows(2, 1)[0]
    verdict = TASK.verify(json.loads(row["problem"]), text)
    assert verdict.reason is not Reason.ERROR
    assert not verdict.correct or text.strip().strip("*`_.").strip() == row["answer"]


# --------------------------------------------------------------------------- data quality


@pytest.mark.parametrize("level", [1, 5, 10])
def test_corner_joining_always_overcounts(level):
    for row in rows(level, 15, seed=3):
        grid = json.loads(row["problem"])["grid"]
        assert largest_by_union_find(grid, diagonal=True) > int(row["answer"]), row["id"]


@pytest.mark.parametrize("level", [1, 3, 7])
def test_no_size_and_no_shortcut_dominates_a_level(level):
    sample = rows(level, 80, seed=5)
    golds = Counter(row["answer"] for row in sample)
    assert golds.most_common(1)[0][1] <= (0.2 if level == 1 else 0.12) * len(sample)
    for name in ("first island's size", "number of islands", "all land cells"):
        hits = sum(TASK.degenerate_answers(json.loads(r["problem"]))[name] == r["answer"] for r in sample)
        assert hits <= 0.1 * len(sample), name


def test_there_are_several_islands_and_the_grid_grows_with_the_level():
    small, large = rows(1, 5), rows(10, 5)
    assert all(TASK.degenerate_answers(json.loads(r["problem"]))["number of islands"] != "1" for r in small + large)
    assert TASK.hardness(json.loads(large[0]["problem"])) > 4 * TASK.hardness(json.loads(small[0]["problem"]))
