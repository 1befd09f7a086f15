"""Specification of the futoshiki task beyond the shared contract.

Gold answers are re-solved by a plain backtracking counter that shares nothing with the
generator (no SAT): candidates per cell from its row, column and signs.
"""

from __future__ import annotations

import pytest

from synlog.tasks.grid.futoshiki import _rules
from synlog.verifiers.verdict import Reason
from tests.tasks.grid_checks import GridPuzzle, assert_one_filling


def solve_all(n: int, puzzle: list[list[int]], signs: list, limit: int = 2) -> list[list[list[int]]]:
    """Every solution up to ``limit``, by backtracking over cells in row-major order."""
    grid = [row[:] for row in puzzle]
    less = [((a[0] - 1, a[1] - 1), (b[0] - 1, b[1] - 1)) for a, b in signs]
    found = []

    def fits(r: int, c: int, v: int) -> bool:
        if v in grid[r] or any(grid[i][c] == v for i in range(n)):
            return False
        for (low, high) in less:
            if low == (r, c) and grid[high[0]][high[1]] and not v < grid[high[0]][high[1]]:
                return False
            if high == (r, c) and grid[low[0]][low[1]] and not grid[low[0]][low[1]] < v:
                return False
        return True

    def search(k: int) -> None:
        if len(found) >= limit:
            return
        if k == n * n:
            found.append([row[:] for row in grid])
            return
        r, c = divmod(k, n)
        if puzzle[r][c]:
            given, grid[r][c] = grid[r][c], 0
            if fits(r, c, given):
                grid[r][c] = given
                search(k + 1)
            grid[r][c] = given
            return
        for v in range(1, n + 1):
            if fits(r, c, v):
                grid[r][c] = v
                search(k + 1)
                grid[r][c] = 0

    search(0)
    return found


PUZZLE = GridPuzzle("futoshiki", solve=lambda p: solve_all(p["n"], p["puzzle"], p["signs"]))


def test_sixty_puzzles_have_one_solution_and_it_is_the_gold():
    PUZZLE.assert_golds_are_the_only_solutions(levels=(1, 2, 3, 4, 5, 6), per_level=10)


@pytest.mark.parametrize("level", [8, 10])
def test_sat_model_count_is_one_on_the_big_levels(level):
    for problem, _ in PUZZLE.problems(level, 3, seed=5):
        n = problem["n"]
        clauses, var = _rules(n, problem["signs"])
        assert_one_filling(clauses, var, problem["puzzle"], values=n)


def test_signs_are_read_off_the_solution_between_neighbours():
    for problem, solution in PUZZLE.problems(7, 10):
        assert problem["signs"]
        for (r1, c1), (r2, c2) in problem["signs"]:
            assert abs(r1 - r2) + abs(c1 - c2) == 1
            assert solution[r1 - 1][c1 - 1] < solution[r2 - 1][c2 - 1]


@pytest.mark.slow
@pytest.mark.parametrize("level", range(1, 8))
def test_forty_puzzles_per_level_are_unique(level):
    PUZZLE.assert_golds_are_the_only_solutions(levels=[level], per_level=40, seed=2027, at_least=40)


EXAMPLE = {"n": 3, "puzzle": [[0, 0, 0], [0, 0, 0], [0, 0, 2]],
           "signs": [[[1, 1], [1, 2]], [[1, 1], [2, 1]]]}


def test_the_docstring_example_has_one_solution():
    PUZZLE.assert_example(EXAMPLE, [[1, 2, 3], [2, 3, 1], [3, 1, 2]], "1 2 3\n2 3 1\n3 1 2",
                          "[[1,2,3],[2,3,1],[3,1,2]]")


@pytest.mark.parametrize("answer, reason, why", [
    ("1 2 3\n3 1 2\n2 3 1", Reason.WRONG, "given"),
    ("2 3 1\n3 1 2\n1 2 3", Reason.WRONG, "given"),
    ("1 3 2\n3 2 1\n2 1 3", Reason.WRONG, "given"),
    ("3 1 2\n1 2 3\n2 3 1", Reason.WRONG, "given"),
    ("1 2 3\n2 3 1\n3 2 2", Reason.WRONG, "row 3"),
    ("1 2 3\n2 3 1\n3 1 4", Reason.INVALID, "from 1 to 3"),
    ("1 2 3\n2 3 1", Reason.UNPARSEABLE, "expected 3 rows"),
])
def test_rule_breaking_answers_score_zero(answer, reason, why):
    PUZZLE.assert_scores_zero(EXAMPLE, answer, reason, why)


def test_a_broken_sign_is_caught():
    # a Latin square keeping the given 2 at (3, 3) but with (1, 1) > (1, 2)
    PUZZLE.assert_scores_zero(EXAMPLE, "2 1 3\n3 2 1\n1 3 2", Reason.WRONG, "sign")


def test_perturbations_are_wrong():
    PUZZLE.assert_perturbations_are_wrong()


# --------------------------------------------------------------------------- data quality


def test_hardness_counts_the_cells_to_fill_and_grows_with_the_level():
    problem, _ = PUZZLE.problems(1, 1)[0]
    assert PUZZLE.task.hardness(problem) == sum(v == 0 for row in problem["puzzle"] for v in row)
    means = [sum(PUZZLE.task.hardness(p) for p, _ in PUZZLE.problems(level, 6)) / 6 for level in (1, 3, 5, 7, 10)]
    assert means == sorted(means) and means[-1] > 1.25 * means[0]


def test_the_cyclic_square_shortcut_scores_zero():
    for problem, _ in PUZZLE.problems(3, 10):
        cyclic = PUZZLE.task.degenerate_answers(problem)["cyclic Latin square, signs ignored"]
        assert PUZZLE.task.verify(problem, cyclic).score == 0
