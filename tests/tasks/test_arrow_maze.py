"""Specification of the arrow maze task beyond the shared contract.

Gold answers are re-solved without SAT, from the numbers' side: every number chooses the
lengths of its eight rays (all splits of its value), rays are painted and clash-checked
number by number, and a full painting counts when it covers every blank, keeps the shown
arrows and each number's rays (re-measured on the finished board) add up to it.
"""

from __future__ import annotations

from itertools import product

import pytest

from synlog.tasks.grid.arrow_maze import rules_cnf
from synlog.verifiers.verdict import Reason
from tests.tasks.grid_checks import GridPuzzle, assert_one_model, token_gold, token_grid

DIRECTIONS = {(-1, 0): "↑", (-1, 1): "↗", (0, 1): "→", (1, 1): "↘", (1, 0): "↓", (1, -1): "↙", (0, -1): "←",
              (-1, -1): "↖"}


def solve_all(grid: list[list[str]], limit: int = 2) -> list[list[list[str]]]:
    n = len(grid)
    numbers = [(r, c) for r in range(n) for c in range(n) if grid[r][c].isdigit()]

    def line(r: int, c: int, d: tuple[int, int]) -> list[tuple[int, int]]:
        cells = []
        r, c = r + d[0], c + d[1]
        while 0 <= r < n and 0 <= c < n and not grid[r][c].isdigit():
            cells.append((r, c))
            r, c = r + d[0], c + d[1]
        return cells

    lines = {(r, c): [line(r, c, d) for d in DIRECTIONS] for r, c in numbers}
    splits = {cell: [lengths for lengths in product(*[range(len(x) + 1) for x in lines[cell]])
                     if sum(lengths) == int(grid[cell[0]][cell[1]])] for cell in numbers}
    numbers.sort(key=lambda cell: len(splits[cell]))
    paint = [[x if x.isdigit() else None for x in row] for row in grid]
    found = []

    def measure(r: int, c: int) -> int:
        total = 0
        for d, arrow in DIRECTIONS.items():
            for a, b in line(r, c, d):
                if paint[a][b] != arrow:
                    break
                total += 1
        return total

    def search(i: int) -> None:
        if len(found) >= limit:
            return
        if i == len(numbers):
            if all(x is not None for row in paint for x in row) and all(
                    measure(r, c) == int(grid[r][c]) for r, c in numbers):
                found.append([row[:] for row in paint])
            return
        cell = numbers[i]
        for lengths in splits[cell]:
            painted, ok = [], True
            for cells, length, arrow in zip(lines[cell], lengths, DIRECTIONS.values(), strict=False):
                for a, b in cells[:length]:
                    if paint[a][b] is None and grid[a][b] in (".", arrow):
                        paint[a][b] = arrow
                        painted.append((a, b))
                    elif paint[a][b] != arrow:
                        ok = False
                        break
                if not ok:
                    break
            if ok:
                search(i + 1)
            for a, b in painted:
                paint[a][b] = None

    search(0)
    return found


PUZZLE = GridPuzzle("arrow_maze", solve=lambda p: solve_all(p["grid"]), gold=token_gold)
TASK = PUZZLE.task


def test_sixty_puzzles_have_one_solution_and_it_is_the_gold():
    PUZZLE.assert_golds_are_the_only_solutions(levels=(1, 2, 3, 4, 5), per_level=12)


def test_sat_model_count_is_one_at_the_top_level():
    for problem, _ in PUZZLE.problems(10, 3, seed=5):
        grid = problem["grid"]
        clauses, var = rules_cnf([[x if x.isdigit() else "." for x in line] for line in grid])
        step = {arrow: d for d, arrow in DIRECTIONS.items()}
        shown = [var[(r, c, step[x])] for r, line in enumerate(grid) for c, x in enumerate(line) if x in step]
        assert_one_model(clauses, projection=list(var.values()), assumptions=shown)


@pytest.mark.slow
@pytest.mark.parametrize("level", range(1, 6))
def test_thirty_puzzles_per_level_are_unique(level):
    PUZZLE.assert_golds_are_the_only_solutions(levels=[level], per_level=30, seed=2027, at_least=30)


EXAMPLE = {"grid": [[".", "5", "."], [".", ".", "."], [".", "2", "."]]}
SOLUTION = "← 5 →\n↙ ↓ ↘\n← 2 →"


def test_the_docstring_example_has_one_solution():
    PUZZLE.assert_example(EXAMPLE, token_grid(SOLUTION), SOLUTION)


def test_rule_breaking_answers_score_zero():
    grid = token_grid(SOLUTION)
    for r, c in [(r, c) for r in range(3) for c in range(3) if not grid[r][c].isdigit()]:
        for arrow in DIRECTIONS.values():
            if arrow != grid[r][c]:
                changed = [line[:] for line in grid]
                changed[r][c] = arrow
                verdict = TASK.verify(EXAMPLE, "\n".join(" ".join(line) for line in changed))
                assert verdict.score == 0 and verdict.reason is Reason.WRONG, (r, c, arrow)
    assert TASK.verify(EXAMPLE, SOLUTION.replace("2", "3")).reason is Reason.WRONG
    assert TASK.verify(EXAMPLE, SOLUTION.replace("↓", ".")).reason is Reason.INVALID
    assert TASK.verify(EXAMPLE, SOLUTION.replace("↓", "v")).reason is Reason.INVALID
    assert TASK.verify(EXAMPLE, "← 5 →\n↙ ↓ ↘").reason is Reason.UNPARSEABLE


def test_an_arrow_on_no_ray_is_caught():
    # the 1 counts its ray → of length 1; the ← at (1, 3) points away from nothing
    assert TASK.verify({"grid": [["2", ".", "."]]}, "2 → →").correct
    PUZZLE.assert_scores_zero({"grid": [["1", ".", "."]]}, "1 → ←", Reason.WRONG, "no number")


def test_perturbations_are_wrong():
    PUZZLE.assert_perturbations_are_wrong()


def test_shortcut_answers_score_zero_and_hardness_grows():
    PUZZLE.assert_shortcuts_fail_and_hardness_grows()
