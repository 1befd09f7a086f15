"""Specification of the kukurasu task beyond the shared contract.

Gold answers are re-solved without SAT: each row picks a set of columns (itertools
combinations) whose numbers add up to its total, rows are stacked by backtracking, and the
column totals prune and finally decide.
"""

from __future__ import annotations

from itertools import combinations

import pytest

from synlog.tasks.grid.kukurasu import line_options_cnf
from synlog.verifiers.verdict import Reason
from tests.tasks.grid_checks import GridPuzzle, assert_one_model


def solve_all(problem: dict, limit: int = 2) -> list[list[list[int]]]:
    board, rows, cols = problem["board"], problem["rows"], problem["cols"]
    n = len(board)
    choices = []
    for r in range(n):
        options = []
        for k in range(n + 1):
            for chosen in combinations(range(1, n + 1), k):
                line = [1 if c in chosen else 0 for c in range(1, n + 1)]
                if sum(chosen) == rows[r] and all(x == "." or int(x) == v for x, v in zip(board[r], line, strict=False)):
                    options.append(line)
        choices.append(options)
    found: list = []
    stack: list = []

    def search(r: int, partial: list[int]) -> None:
        if len(found) >= limit:
            return
        if r == n:
            if partial == cols:
                found.append([line[:] for line in stack])
            return
        for line in choices[r]:
            after = [s + (r + 1) * v for s, v in zip(partial, line, strict=False)]
            if all(a <= b for a, b in zip(after, cols, strict=False)):
                stack.append(line)
                search(r + 1, after)
                stack.pop()

    search(0, [0] * n)
    return found


PUZZLE = GridPuzzle("kukurasu", solve=solve_all)


def test_sixty_puzzles_have_one_solution_and_it_is_the_gold():
    PUZZLE.assert_golds_are_the_only_solutions(levels=range(1, 9), per_level=8)


def test_sat_model_count_is_one_at_the_top_level():
    for problem, _ in PUZZLE.problems(10, 4, seed=5):
        n = len(problem["board"])
        givens = [(r * n + c + 1) * (1 if x == "1" else -1) for r, line in enumerate(problem["board"])
                  for c, x in enumerate(line) if x != "."]
        assert_one_model(line_options_cnf(problem["rows"], problem["cols"]),
                         projection=list(range(1, n * n + 1)), assumptions=givens)


@pytest.mark.slow
@pytest.mark.parametrize("level", range(1, 9))
def test_thirty_puzzles_per_level_are_unique(level):
    PUZZLE.assert_golds_are_the_only_solutions(levels=[level], per_level=30, seed=2027, at_least=30)


EXAMPLE = {"board": ["...", "...", "..."], "rows": [4, 2, 3], "cols": [4, 5, 1]}


def test_the_docstring_example_has_one_solution():
    PUZZLE.assert_example(EXAMPLE, [[1, 0, 1], [0, 1, 0], [1, 1, 0]], "1 0 1\n0 1 0\n1 1 0")


@pytest.mark.parametrize("answer, reason, why", [
    ("1 0 1\n0 1 0\n0 0 1", Reason.WRONG, "column 1"),  # rows fine, columns off
    ("1 0 1\n0 1 0\n1 0 0", Reason.WRONG, "row 3"),
    ("1 0 1\n0 1 0\n1 1 2", Reason.INVALID, "1 (filled) or 0"),
    ("1 0 1\n0 1 0", Reason.UNPARSEABLE, "expected 3 rows"),
    ("# . #\n. # .\n# # .", Reason.UNPARSEABLE, "not an integer"),
])
def test_rule_breaking_answers_score_zero(answer, reason, why):
    PUZZLE.assert_scores_zero(EXAMPLE, answer, reason, why)


def test_givens_are_kept():
    with_given = {**EXAMPLE, "board": ["...", "...", "..0"]}
    assert PUZZLE.task.verify(with_given, "1 0 1\n0 1 0\n1 1 0").correct
    with_given["board"] = ["...", "...", "1.."]
    assert PUZZLE.task.verify(with_given, "1 0 1\n0 1 0\n1 1 0").correct
    with_given["board"] = ["...", "...", "..1"]
    assert "given" in PUZZLE.task.verify(with_given, "1 0 1\n0 1 0\n1 1 0").details["why"]


def test_perturbations_are_wrong():
    PUZZLE.assert_perturbations_are_wrong()


def test_level_one_prompts_are_distinct_across_seeds():
    """4×4 boards at level 1: enough layouts that samples rarely repeat (3×3 had 512)."""
    first = {r["prompt"] for r in PUZZLE.rows(1, 100, seed=0)}
    second = {r["prompt"] for r in PUZZLE.rows(1, 100, seed=1)}
    assert len(first) >= 95 and len(first & second) <= 5


def test_hardness_is_the_cells_to_fill_and_grows():
    import json

    for row in PUZZLE.rows(3, 5):
        problem = json.loads(row["problem"])
        assert PUZZLE.task.hardness(problem) == sum(line.count(".") for line in problem["board"])
    def mean(level: int) -> float:
        return sum(PUZZLE.task.hardness(json.loads(r["problem"])) for r in PUZZLE.rows(level, 8)) / 8

    assert mean(1) < mean(5) < mean(10)
