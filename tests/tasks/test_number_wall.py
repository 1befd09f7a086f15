"""Specification of the number_wall task beyond the shared contract.

Gold answers are re-solved by an exhaustive search that shares nothing with the generator
(no SAT): for every number, every connected shape of that size through its cell that holds
no other number; one shape per number, shapes neither overlapping nor touching along an
edge; the remaining cells are wall and must be connected with no 2×2 wall block.
"""

from __future__ import annotations

import json

import pytest
from pysat.solvers import Solver

from synlog.tasks.grid.number_wall import other_solution, rules
from synlog.verifiers.verdict import Reason
from tests.tasks.grid_checks import GridPuzzle, is_connected, token_grid


def around(cell, n):
    r, c = cell
    return [(a, b) for a, b in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)) if 0 <= a < n and 0 <= b < n]


def shapes(start, size, n, banned) -> set[frozenset]:
    """Every connected set of ``size`` cells containing ``start`` and no ``banned`` cell."""
    found, frontier = set(), {frozenset([start])}
    for _ in range(size - 1):
        frontier = {shape | {x} for shape in frontier for cell in shape for x in around(cell, n)
                    if x not in shape and x not in banned}
    found |= frontier
    return found


def solve_all(problem: dict, limit: int = 2) -> list[set]:
    n = problem["n"]
    numbers = [((r - 1, c - 1), size) for r, c, size in problem["clues"]]
    given_walls = {(r - 1, c - 1) for r, c in problem["walls"]}
    cells = {(r, c) for r in range(n) for c in range(n)}
    options = []
    for cell, size in numbers:
        banned = {other for other, _ in numbers if other != cell} | given_walls
        options.append(list(shapes(cell, size, n, banned)))
    found: list[set] = []
    used: set = set()

    def search(i: int) -> None:
        if len(found) >= limit:
            return
        if i == len(options):
            walls = cells - used
            if is_connected(walls) and not any(
                    {(r, c), (r + 1, c), (r, c + 1), (r + 1, c + 1)} <= walls
                    for r in range(n - 1) for c in range(n - 1)):
                found.append(walls)
            return
        for shape in options[i]:
            if shape & used or any(x in used for cell in shape for x in around(cell, n)):
                continue
            used.update(shape)
            search(i + 1)
            used.difference_update(shape)

    search(0)
    return found


def gold_walls(row: dict) -> set:
    return {(r, c) for r, line in enumerate(row["answer"].splitlines()) for c, t in enumerate(line.split()) if t == "#"}


PUZZLE = GridPuzzle("number_wall", solve=solve_all, gold=gold_walls)
TASK = PUZZLE.task


def test_sixty_puzzles_have_one_solution_and_it_is_the_gold():
    PUZZLE.assert_golds_are_the_only_solutions(levels=(1, 2, 3, 4, 5), per_level=12)


@pytest.mark.parametrize("level", [8, 10])
def test_sat_with_connectivity_cuts_finds_no_second_solution(level):
    for p, walls in PUZZLE.problems(level, 3, seed=5):
        clauses, wall, inside = rules(p["n"], p["clues"])
        with Solver(bootstrap_with=clauses) as solver:
            pins = [wall[r - 1, c - 1] for r, c in p["walls"]]
            first, _ = other_solution(solver, p["n"], p["clues"], wall, inside, pins)
            assert {cell for cell, lit in wall.items() if lit in first} == walls
            solver.add_clause([-wall[cell] if cell in walls else wall[cell] for cell in wall])
            assert other_solution(solver, p["n"], p["clues"], wall, inside, pins)[0] is None


@pytest.mark.slow
@pytest.mark.parametrize("level", range(1, 6))  # from level 6 (7×7, islands of 6) brute force takes minutes
def test_twenty_puzzles_per_level_are_unique(level):
    PUZZLE.assert_golds_are_the_only_solutions(levels=[level], per_level=20, seed=2027, at_least=20)


EXAMPLE = {"n": 4, "clues": [[2, 2, 2], [4, 1, 2], [4, 3, 2]], "walls": []}
SOLUTION = "# # # #\n# 2 . #\n. # # #\n2 # 2 ."


def test_the_docstring_example_has_one_solution():
    walls = {(0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 3), (2, 1), (2, 2), (2, 3), (3, 1)}
    PUZZLE.assert_example(EXAMPLE, walls, SOLUTION, SOLUTION.replace("2", ".").replace("2", "."),
                          json.dumps(token_grid(SOLUTION)))


@pytest.mark.parametrize("answer, reason, why", [
    ("# # # #\n# 2 # #\n. # # #\n2 # 2 .", Reason.WRONG, "2×2"),
    ("# # # #\n# 2 . #\n. . # #\n2 # 2 .", Reason.WRONG, "holds 2 numbers"),
    ("# # # #\n# 2 . .\n. # # #\n2 # 2 #", Reason.WRONG, "has 3 cells"),
    ("# # # #\n# # . #\n. # # #\n2 # 2 .", Reason.WRONG, "walled"),
    ("# # # #\n# 2 . #\n. # # #\n2 # 2 x", Reason.INVALID, "must be"),
    ("# # # #", Reason.UNPARSEABLE, "expected 4 rows"),
])
def test_rule_breaking_answers_score_zero(answer, reason, why):
    PUZZLE.assert_scores_zero(EXAMPLE, answer, reason, why)


def test_walls_split_in_two_score_zero():
    PUZZLE.assert_scores_zero({"n": 3, "clues": [[2, 2, 3]], "walls": []}, "# . #\n# 3 #\n# . #",
                              Reason.WRONG, "not all connected")


def test_perturbations_are_wrong():
    PUZZLE.assert_perturbations_are_wrong()


# --------------------------------------------------------------------------- data quality


def test_level_one_prompts_differ_between_seeds():
    # 4×4 boards repeated (about a thousand of them); level 1 is 5×5
    first = {row["prompt"] for row in PUZZLE.rows(1, 80, seed=0)}
    second = {row["prompt"] for row in PUZZLE.rows(1, 80, seed=1)}
    assert len(first) >= 76 and len(first & second) <= 4


def test_the_all_wall_and_all_island_shortcuts_score_zero():
    for problem, _ in PUZZLE.problems(1, 10):
        for name, answer in TASK.degenerate_answers(problem).items():
            assert TASK.verify(problem, answer).score == 0, name


def test_hardness_counts_the_cells_to_decide_and_grows_with_the_level():
    problem, walls = PUZZLE.problems(1, 1)[0]
    n = problem["n"]
    assert TASK.hardness(problem) == n * n - len(problem["clues"]) - len(problem["walls"])
    means = [sum(TASK.hardness(p) for p, _ in PUZZLE.problems(level, 4)) / 4 for level in (1, 3, 5, 7, 10)]
    assert means == sorted(means) and means[-1] > 1.25 * means[0]
