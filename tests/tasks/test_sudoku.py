"""Specification of the sudoku task beyond the shared contract.

Uniqueness is re-proved here by a plain backtracking counter that shares nothing with the
generator (no SAT, no bit masks): sets of candidates, most constrained cell first.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from synlog.synth.example import make_row
from synlog.tasks.base import Problem, get_task
from synlog.verifiers.verdict import Reason

TASK = get_task("sudoku")


def rows_at(level: int, n: int, seed: int = 1, **overrides) -> list[dict]:
    spec = TASK.knobs.resolve(level, overrides)
    return [make_row("sudoku", level, spec, seed, i) for i in range(n)]


def count_solutions(puzzle: list[list[int]], box: int, limit: int = 2) -> tuple[int, list[list[int]] | None]:
    """Solutions of ``puzzle`` (0 = empty) up to ``limit``, and the first one found."""
    n = box * box
    grid = [row[:] for row in puzzle]
    found: list[list[list[int]]] = []

    def candidates(r: int, c: int) -> set[int]:
        used = set(grid[r]) | {grid[i][c] for i in range(n)}
        top, left = r - r % box, c - c % box
        used |= {grid[i][j] for i in range(top, top + box) for j in range(left, left + box)}
        return set(range(1, n + 1)) - used

    def search() -> None:
        empty = [(r, c) for r in range(n) for c in range(n) if grid[r][c] == 0]
        if not empty:
            found.append([row[:] for row in grid])
            return
        r, c = min(empty, key=lambda cell: len(candidates(*cell)))
        for value in sorted(candidates(r, c)):
            grid[r][c] = value
            search()
            grid[r][c] = 0
            if len(found) >= limit:
                return

    search()
    return len(found), (found[0] if found else None)


def gold_grid(row: dict) -> list[list[int]]:
    return [[int(v) for v in line.split()] for line in row["answer"].splitlines()]


def test_every_puzzle_has_exactly_one_solution_and_it_is_the_gold():
    """≥ 50 puzzles, 4×4 and 9×9, easy to minimal, checked by independent backtracking."""
    checked = 0
    for level, n in [(1, 8), (2, 8), (3, 10), (4, 6), (6, 6), (8, 6), (10, 8)]:
        for row in rows_at(level, n, seed=31):
            problem = json.loads(row["problem"])
            count, solution = count_solutions(problem["puzzle"], problem["box"])
            assert count == 1, row["id"]
            assert solution == gold_grid(row), row["id"]
            checked += 1
    assert checked >= 50


@pytest.mark.slow
@pytest.mark.parametrize("level", range(1, 11))
def test_fifty_puzzles_per_level_are_unique(level):
    for row in rows_at(level, 50, seed=2027):
        problem = json.loads(row["problem"])
        assert count_solutions(problem["puzzle"], problem["box"]) == (1, gold_grid(row)), row["id"]


def test_hardest_level_puzzles_are_minimal():
    """At level 10 the hole target is out of reach, so removal runs until every remaining
    given is needed: taking any one away leaves more than one solution."""
    for row in rows_at(10, 2, seed=4):
        problem = json.loads(row["problem"])
        puzzle, box = problem["puzzle"], problem["box"]
        for r, c in [(r, c) for r in range(9) for c in range(9) if puzzle[r][c]]:
            lighter = [line[:] for line in puzzle]
            lighter[r][c] = 0
            assert count_solutions(lighter, box)[0] == 2, (row["id"], r, c)


@pytest.mark.parametrize("level, box, holes", [(1, 2, 8), (2, 2, 10), (4, 3, 36), (5, 3, 40), (6, 3, 45)])
def test_easier_levels_have_exactly_the_target_holes(level, box, holes):
    for row in rows_at(level, 10):
        problem = json.loads(row["problem"])
        assert problem["box"] == box
        assert sum(v == 0 for line in problem["puzzle"] for v in line) == holes


def test_holes_grow_with_level():
    def median_holes(level: int) -> float:
        return float(np.median([
            sum(v == 0 for line in json.loads(r["problem"])["puzzle"] for v in line) for r in rows_at(level, 10)
        ]))

    assert median_holes(4) < median_holes(6) < median_holes(8) <= median_holes(10)
    assert median_holes(10) >= 50


def test_puzzle_givens_agree_with_the_gold_and_the_prompt_shows_them():
    for row in rows_at(7, 5):
        problem = json.loads(row["problem"])
        gold = gold_grid(row)
        for r, line in enumerate(problem["puzzle"]):
            assert all(v in (0, gold[r][c]) for c, v in enumerate(line))
        shown = [line.replace("|", " ").split() for line in row["prompt"].splitlines()
                 if line.count("|") == 2 and "<" not in line]
        assert shown == [[str(v) if v else "." for v in line] for line in problem["puzzle"]]


PUZZLE = {"box": 2, "puzzle": [[1, 0, 0, 0], [0, 4, 0, 2], [0, 0, 4, 0], [4, 0, 0, 1]]}
SOLUTION = "1 2 3 4\n3 4 1 2\n2 1 4 3\n4 3 2 1"


def test_the_docstring_example_is_unique():
    assert count_solutions(PUZZLE["puzzle"], 2) == (1, [[1, 2, 3, 4], [3, 4, 1, 2], [2, 1, 4, 3], [4, 3, 2, 1]])


@pytest.mark.parametrize(
    "answer",
    [
        SOLUTION,
        "\n  1 2 3 4  \n\n3 4 1 2\n2 1 4 3\n4 3 2 1\n",
        "1,2,3,4\n3,4,1,2\n2,1,4,3\n4,3,2,1",
        "[[1, 2, 3, 4], [3, 4, 1, 2], [2, 1, 4, 3], [4, 3, 2, 1]]",
        "1 2 | 3 4\n3 4 | 1 2\n----+----\n2 1 | 4 3\n4 3 | 2 1",
    ],
)
def test_equivalent_answer_forms_are_accepted(answer):
    assert TASK.verify(PUZZLE, answer).correct


@pytest.mark.parametrize(
    "answer, reason, why",
    [
        ("2 1 3 4\n3 4 1 2\n1 2 4 3\n4 3 2 1", Reason.WRONG, "given"),  # valid grid, given 1 moved
        ("1 2 3 4\n3 4 1 2\n2 1 4 3\n4 3 1 2", Reason.WRONG, "given"),  # given 1 at (4, 4) changed
        ("1 2 3 4\n3 4 1 2\n2 3 4 1\n4 1 2 3", Reason.WRONG, "column"),  # rows fine, columns repeat
        ("1 3 2 4\n2 4 3 1\n3 1 4 2\n4 2 1 3", Reason.WRONG, "given"),
        ("1 2 3 4\n4 4 1 2\n2 1 4 3\n4 3 2 1", Reason.WRONG, "row 2"),
        ("1 2 3 4\n3 4 1 2\n2 1 4 3\n4 3 2 5", Reason.INVALID, "outside 1..4"),
        ("1 2 3 4\n3 4 1 2\n2 1 4 3\n4 3 2 0", Reason.INVALID, "outside 1..4"),
        ("1 2 3 4\n3 4 1 2\n2 1 4 3", Reason.UNPARSEABLE, "expected 4 rows"),
        ("1 2 3 4 5\n3 4 1 2\n2 1 4 3\n4 3 2 1", Reason.UNPARSEABLE, "expected 4 cells"),
        ("1 . 3 4\n3 4 1 2\n2 1 4 3\n4 3 2 1", Reason.UNPARSEABLE, "not an integer"),
        ("1234\n3412\n2143\n4321", Reason.UNPARSEABLE, "expected 4 cells"),
    ],
)
def test_rule_breaking_answers_score_zero_with_a_reason(answer, reason, why):
    verdict = TASK.verify(PUZZLE, answer)
    assert verdict.score == 0 and verdict.reason is reason, verdict
    assert why in verdict.details["why"]


def test_a_box_violation_is_caught_when_rows_and_columns_are_fine():
    # a Latin square whose 2×2 boxes repeat digits (no givens, so only the rules judge it)
    empty = {"box": 2, "puzzle": [[0] * 4 for _ in range(4)]}
    verdict = TASK.verify(empty, "1 2 3 4\n2 3 4 1\n3 4 1 2\n4 1 2 3")
    assert verdict.reason is Reason.WRONG and "box" in verdict.details["why"]


def test_perturbations_break_a_column_a_given_and_a_cell():
    for row in rows_at(8, 4):
        problem = Problem(json.loads(row["problem"]), row["answer"], row["effort"])
        wrong = TASK.perturb(problem, np.random.default_rng(3))
        assert len(wrong) == 3
        whys = [TASK.verify(problem.data, w).details["why"] for w in wrong]
        assert "column" in whys[0] and "given" in whys[1]


@pytest.mark.parametrize("level", [1, 2, 3])
def test_filling_lines_in_sorted_order_never_solves_a_puzzle(level):
    """Rows (or columns) filled with their missing digits in increasing or decreasing order
    used to solve a fifth of the 4×4 puzzles; such puzzles are redrawn now."""
    for row in rows_at(level, 40, seed=8):
        problem = json.loads(row["problem"])
        for name, answer in TASK.degenerate_answers(problem).items():
            assert not TASK.verify(problem, answer).correct, (name, row["id"])


def test_hardness_is_the_number_of_holes():
    for row in rows_at(5, 3):
        problem = json.loads(row["problem"])
        assert TASK.hardness(problem) == sum(v == 0 for line in problem["puzzle"] for v in line)
