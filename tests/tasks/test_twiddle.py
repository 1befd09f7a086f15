"""Specification of twiddle beyond the shared contract.

The optimum is re-derived by IDA* (iterative deepening with the admissible bound "total
Manhattan distance of the numbers from their target cells, divided by the most one move can
change it"), sharing nothing with the generator's bidirectional breadth-first search: no
sequence shorter than the gold reaches the target, and the gold (replayed here) does. Any
shortest sequence scores 1; longer ones score 0 with fraction optimum/length.
"""

from __future__ import annotations

import json
import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.synth.example import make_row
from synlog.tasks import get_task

TASK = get_task("twiddle")


def rows(levels, n, seed=7):
    for level in levels:
        spec = TASK.knobs.resolve(level)
        for i in range(n):
            yield make_row("twiddle", level, spec, seed, i)


def turn(grid: list[int], n: int, k: int, r: int, c: int, clockwise: bool) -> list[int]:
    """The grid with the k×k block at (r, c) (from 1) turned a quarter, written with rot90."""
    board = np.array(grid).reshape(n, n)
    block = board[r - 1:r - 1 + k, c - 1:c - 1 + k]
    board[r - 1:r - 1 + k, c - 1:c - 1 + k] = np.rot90(block, -1 if clockwise else 1)
    return board.ravel().tolist()


def replay(problem: dict, answer: str) -> list[int]:
    grid = list(problem["start"])
    for move in answer.split(", "):
        r, c, d = move.split()
        grid = turn(grid, problem["n"], problem["k"], int(r), int(c), d == "cw")
    return grid


def ida_star_length(start: list[int], target: list[int], n: int, k: int, limit: int) -> int | None:
    """The length of a shortest solution, or None when it exceeds ``limit``."""
    index = list(range(n * n))
    moves = [(r, c, cw) for r in range(1, n - k + 2) for c in range(1, n - k + 2) for cw in (True, False)]
    # each move as "cell i takes the number from cell perm[i]", built once with rot90
    perms = {move: turn(index, n, k, *move) for move in moves}
    goal = {v: divmod(i, n) for i, v in enumerate(target)}
    # the most one move changes the total Manhattan distance: its numbers' own displacements
    per_move = max(sum(abs(i // n - j // n) + abs(i % n - j % n) for i, j in enumerate(p)) for p in perms.values())

    def h(grid):
        return math.ceil(sum(abs(i // n - goal[v][0]) + abs(i % n - goal[v][1]) for i, v in enumerate(grid)) / per_move)

    def search(grid, depth, bound, last):
        if depth + h(grid) > bound:
            return False
        if grid == target:
            return True
        for move in moves:
            if last is not None and move == (last[0], last[1], not last[2]):
                continue
            if search([grid[j] for j in perms[move]], depth + 1, bound, move):
                return True
        return False

    for bound in range(limit + 1):
        if search(list(start), 0, bound, None):
            return bound
    return None


def check(levels, per_level, seed=7) -> int:
    checked = 0
    for row in rows(levels, per_level, seed):
        problem = json.loads(row["problem"])
        assert replay(problem, row["answer"]) == problem["target"], row["id"]
        assert len(row["answer"].split(", ")) == problem["optimum"]
        found = ida_star_length(problem["start"], problem["target"], problem["n"], problem["k"], problem["optimum"])
        assert found == problem["optimum"], row["id"]
        checked += 1
    return checked


def test_ida_star_confirms_the_optimum_on_sixty_rows_across_every_level():
    assert check(range(1, 11), 6) >= 60


@pytest.mark.slow
@pytest.mark.parametrize("level", range(1, 11))
def test_ida_star_confirms_the_optimum_on_every_level(level):
    assert check([level], 10, seed=2027) == 10


EXAMPLE = {"n": 3, "k": 2, "start": [2, 5, 3, 1, 4, 6, 7, 8, 9], "target": [1, 2, 3, 4, 5, 6, 7, 8, 9], "optimum": 1}


def test_the_docstring_example():
    assert turn(EXAMPLE["start"], 3, 2, 1, 1, True) == EXAMPLE["target"]
    assert TASK.verify(EXAMPLE, "1 1 cw").correct
    assert TASK.verify(EXAMPLE, "1 1 CW.").correct
    assert TASK.verify(EXAMPLE, "`1 1 cw`").correct
    longer = TASK.verify(EXAMPLE, "1 1 ccw, 1 1 ccw, 1 1 ccw")  # three turns back are one turn forward
    assert longer.score == 0 and longer.details["fraction"] == pytest.approx(1 / 3)
    assert longer.details["optimum"] == 1 and longer.details["value"] == 3


@pytest.mark.parametrize("answer, why", [
    ("1 1 ccw", "the wrong direction"),
    ("", "no move"),
    ("1 1 cw, 1 1 cw", "the gold twice"),
    ("1 1 cw or 2 2 cw", "a hedge"),
    ("3 3 cw, 1 1 cw", "a block off the grid, then the gold"),
    ("1 1 clockwise", "a word the prompt does not use"),
    ("(1, 1) cw", "coordinates in brackets"),
    ("1 2 cw, 2 1 ccw", "the prompt's example"),
    ("1 1 cw, " * 300, "an enormous answer"),
    ("0 0 cw, 1 1 cw", "row 0"),
    ("١ ١ cw", "Arabic-Indic digits"),
    ("¹ ¹ cw", "superscript digits"),
])
def test_attacks_score_zero(answer, why):
    assert TASK.verify(EXAMPLE, answer).score == 0, why


def test_an_enormous_answer_is_refused_quickly():
    start = time.perf_counter()
    verdict = TASK.verify(EXAMPLE, ", ".join(["1 1 cw"] * 100_000))
    assert verdict.reason.value == "invalid" and time.perf_counter() - start < 0.5
    assert TASK.verify(EXAMPLE, ", ".join(["1 1 cw"] * 201)).reason.value == "invalid"


def test_another_shortest_sequence_scores_one():
    # from a start two quarter turns from the target, cw cw and ccw ccw are both shortest
    start = turn(turn(EXAMPLE["target"], 3, 2, 2, 2, True), 3, 2, 2, 2, True)
    problem = {**EXAMPLE, "start": start, "optimum": 2}
    assert TASK.verify(problem, "2 2 ccw, 2 2 ccw").correct
    assert TASK.verify(problem, "2 2 cw, 2 2 cw").correct


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 2), st.integers(1, 2), st.booleans()), max_size=6))
def test_random_sequences_pay_only_when_they_reach_the_target_in_one_move(moves):
    text = ", ".join(f"{r} {c} {'cw' if cw else 'ccw'}" for r, c, cw in moves)
    grid = list(EXAMPLE["start"])
    for r, c, cw in moves:
        grid = turn(grid, 3, 2, r, c, cw)
    verdict = TASK.verify(EXAMPLE, text)
    assert verdict.correct == (grid == EXAMPLE["target"] and len(moves) == 1)
    assert verdict.details.get("fraction", 0) < 1
