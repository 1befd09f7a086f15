"""Specification of the survo task beyond the shared contract.

Gold answers are re-solved by a plain backtracking counter that shares nothing with the
generator (no SAT): the missing numbers go into the blanks in row-major order, a partial line
may not exceed its sum, a full line must meet it.
"""

from __future__ import annotations

import pytest

from synlog.tasks.grid.survo import _rules
from synlog.verifiers.verdict import Reason
from tests.tasks.grid_checks import GridPuzzle, assert_one_filling


def solve_all(problem: dict, limit: int = 2) -> list[list[list[int]]]:
    m, n = problem["rows"], problem["cols"]
    grid = [row[:] for row in problem["puzzle"]]
    blanks = [(r, c) for r in range(m) for c in range(n) if not grid[r][c]]
    last_in_row = {r: max(c for rr, c in blanks if rr == r) for r, _ in blanks}
    last_in_col = {c: max(r for r, cc in blanks if cc == c) for _, c in blanks}
    left = list(problem["numbers"])
    found: list[list[list[int]]] = []

    def fine(r: int, c: int) -> bool:
        row, col = sum(grid[r]), sum(grid[i][c] for i in range(m))
        if row > problem["row_sums"][r] or col > problem["col_sums"][c]:
            return False
        return (last_in_row[r] != c or row == problem["row_sums"][r]) and (
            last_in_col[c] != r or col == problem["col_sums"][c])

    def search(k: int) -> None:
        if len(found) >= limit:
            return
        if k == len(blanks):
            found.append([row[:] for row in grid])
            return
        r, c = blanks[k]
        for v in sorted(set(left)):
            grid[r][c] = v
            left.remove(v)
            if fine(r, c):
                search(k + 1)
            left.append(v)
            grid[r][c] = 0

    search(0)
    return found


PUZZLE = GridPuzzle("survo", solve=solve_all)


def test_sixty_puzzles_have_one_solution_and_it_is_the_gold():
    PUZZLE.assert_golds_are_the_only_solutions(levels=(1, 2, 3, 4, 5, 6), per_level=10)


@pytest.mark.parametrize("level", [8, 10])
def test_sat_model_count_is_one_on_the_big_levels(level):
    for p, _ in PUZZLE.problems(level, 3, seed=5):
        m, n = p["rows"], p["cols"]
        clauses, var = _rules(m, n, p["row_sums"], p["col_sums"])
        assert_one_filling(clauses, var, p["puzzle"], values=m * n)


def test_the_matrix_holds_one_to_mn_and_the_sums_are_read_off_it():
    for p, solution in PUZZLE.problems(9, 5):
        assert sorted(v for line in solution for v in line) == list(range(1, p["rows"] * p["cols"] + 1))
        assert p["row_sums"] == [sum(line) for line in solution]
        assert p["col_sums"] == [sum(col) for col in zip(*solution, strict=False)]


@pytest.mark.slow
@pytest.mark.parametrize("level", range(1, 9))
def test_thirty_puzzles_per_level_are_unique(level):
    PUZZLE.assert_golds_are_the_only_solutions(levels=[level], per_level=30, seed=2027, at_least=30)


EXAMPLE = {"rows": 2, "cols": 3, "puzzle": [[0, 5, 0], [3, 0, 2]], "row_sums": [10, 11],
           "col_sums": [4, 11, 6], "numbers": [1, 4, 6]}


def test_the_docstring_example_has_one_solution():
    PUZZLE.assert_example(EXAMPLE, [[1, 5, 4], [3, 6, 2]], "1 5 4\n3 6 2", "[[1, 5, 4], [3, 6, 2]]")


@pytest.mark.parametrize("answer, reason, why", [
    ("4 5 1\n3 6 2", Reason.WRONG, "column 1"),
    ("1 5 4\n3 6 1", Reason.WRONG, "given"),
    ("1 5 4\n3 4 2", Reason.WRONG, "listed numbers"),
    ("1 5 4\n3 6 7", Reason.INVALID, "from 1 to 6"),
    ("1 5 4", Reason.UNPARSEABLE, "expected 2 rows"),
])
def test_rule_breaking_answers_score_zero(answer, reason, why):
    PUZZLE.assert_scores_zero(EXAMPLE, answer, reason, why)


def test_perturbations_are_wrong():
    PUZZLE.assert_perturbations_are_wrong()


def test_shortcut_answers_score_zero_and_hardness_grows():
    PUZZLE.assert_shortcuts_fail_and_hardness_grows()
