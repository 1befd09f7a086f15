"""Specification of the minesweeper task beyond the shared contract.

The gold must be exactly the forced set. Here it is recomputed by brute force, without SAT:
every placement of mines on the covered cells next to a number is enumerated (backtracking,
pruned when a number is exceeded or can no longer be reached), and a cell is forced when it
is a mine in all of them.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from synlog.synth.example import make_row
from synlog.tasks.base import Problem, get_task
from synlog.tasks.common.boards import parse_cells
from synlog.verifiers.verdict import Reason

TASK = get_task("minesweeper")


def rows_at(level: int, n: int, seed: int = 1, **overrides) -> list[dict]:
    spec = TASK.knobs.resolve(level, overrides)
    return [make_row("minesweeper", level, spec, seed, i) for i in range(n)]


def around(r: int, c: int, n: int) -> list[tuple[int, int]]:
    return [(r + a, c + b) for a in (-1, 0, 1) for b in (-1, 0, 1)
            if (a or b) and 0 <= r + a < n and 0 <= c + b < n]


def brute_force_forced(board: list[str]) -> set[tuple[int, int]]:
    """1-based cells that are mines in every placement agreeing with the numbers."""
    n = len(board)
    numbers = {(r, c): int(x) for r, line in enumerate(board) for c, x in enumerate(line) if x != "?"}
    frontier = sorted({x for cell in numbers for x in around(*cell, n) if board[x[0]][x[1]] == "?"})
    position = {cell: i for i, cell in enumerate(frontier)}
    watch = {cell: [x for x in around(*cell, n) if x in position] for cell in numbers}
    last = {cell: max((position[x] for x in cells), default=-1) for cell, cells in watch.items()}
    mine = [False] * len(frontier)
    always: list[bool] | None = None

    def consistent(upto: int) -> bool:
        for cell, cells in watch.items():
            placed = sum(mine[position[x]] for x in cells if position[x] <= upto)
            if placed > numbers[cell] or (last[cell] <= upto and placed != numbers[cell]):
                return False
        return True

    def search(i: int) -> None:
        nonlocal always
        if i == len(frontier):
            always = mine[:] if always is None else [a and m for a, m in zip(always, mine, strict=False)]
            return
        for value in (False, True):
            mine[i] = value
            if consistent(i):
                search(i + 1)
        mine[i] = False

    search(0)
    assert always is not None, "the numbers contradict each other"
    return {(r + 1, c + 1) for (r, c), forced in zip(frontier, always, strict=False) if forced}


def test_sixty_golds_are_exactly_the_brute_force_forced_sets():
    checked = 0
    for level in (1, 2, 3, 4, 5):
        for row in rows_at(level, 12, seed=7):
            board = json.loads(row["problem"])["board"]
            assert parse_cells(row["answer"], len(board), len(board)) == brute_force_forced(board), row["id"]
            checked += 1
    assert checked >= 50


@pytest.mark.slow
@pytest.mark.parametrize("level", range(1, 8))
def test_forty_golds_per_level_match_brute_force(level):
    for row in rows_at(level, 40, seed=2027):
        board = json.loads(row["problem"])["board"]
        assert parse_cells(row["answer"], len(board), len(board)) == brute_force_forced(board), row["id"]


def test_every_board_forces_at_least_one_mine():
    for row in rows_at(2, 20, seed=3):
        assert row["answer"] != "none"


EXAMPLE = {"board": ["1??", "12?", "???"]}


def test_the_docstring_example():
    assert brute_force_forced(EXAMPLE["board"]) == {(1, 2)}
    for answer in ("(1, 2)", "[[1, 2]]", "[(1,2)]", " (1,2) "):
        assert TASK.verify(EXAMPLE, answer).correct, answer


@pytest.mark.parametrize("answer, reason", [
    ("(1, 2), (1, 3)", Reason.WRONG),  # (1, 3) could be safe
    ("none", Reason.WRONG),
    ("(1, 2), (2, 2)", Reason.INVALID),  # (2, 2) is revealed
    ("(1, 2), (1, 2)", Reason.UNPARSEABLE),
    ("(4, 1)", Reason.UNPARSEABLE),
    ("(1, 2) and (1, 3)", Reason.UNPARSEABLE),
    ("1, 2", Reason.UNPARSEABLE),
])
def test_anything_but_the_forced_set_scores_zero(answer, reason):
    verdict = TASK.verify(EXAMPLE, answer)
    assert verdict.score == 0 and verdict.reason is reason, verdict


def test_perturbations_are_wrong():
    for row in rows_at(6, 5):
        problem = Problem(json.loads(row["problem"]), row["answer"], row["effort"])
        wrong = TASK.perturb(problem, np.random.default_rng(1))
        assert len(wrong) >= 2 and all(TASK.verify(problem.data, w).score == 0 for w in wrong)


def test_none_is_never_the_gold_at_level_one():
    """Boards that force no mine are redrawn, so answering none never pays."""
    assert all(row["answer"] != "none" for row in rows_at(1, 150, seed=0))


def test_listing_covered_cells_wholesale_scores_zero():
    for row in rows_at(1, 40, seed=5):
        problem = json.loads(row["problem"])
        for name, answer in TASK.degenerate_answers(problem).items():
            assert not TASK.verify(problem, answer).correct, (name, row["id"])
