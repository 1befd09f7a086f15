"""Specification of the number_wall task beyond the shared contract.

Gold answers are re-solved by an exhaustive search that shares nothing with the generator
(no SAT): for every number, every connected shape of that size through its cell that holds
no other number; one shape per number, shapes neither overlapping nor touching along an
edge; the remaining cells are wall and must be connected with no 2×2 wall block.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from pysat.solvers import Solver

from synlog.synth.example import make_row
from synlog.tasks.base import Problem, get_task
from synlog.tasks.logic.number_wall import other_solution, rules
from synlog.verifiers.verdict import Reason

TASK = get_task("number_wall")


def rows_at(level: int, n: int, seed: int = 1, **overrides) -> list[dict]:
    spec = TASK.knobs.resolve(level, overrides)
    return [make_row("number_wall", level, spec, seed, i) for i in range(n)]


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


def connected(cells, n) -> bool:
    cells = set(cells)
    if not cells:
        return True
    start = next(iter(cells))
    seen, stack = {start}, [start]
    while stack:
        for x in around(stack.pop(), n):
            if x in cells and x not in seen:
                seen.add(x)
                stack.append(x)
    return seen == cells


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
            if connected(walls, n) and not any(
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


def test_sixty_puzzles_have_one_solution_and_it_is_the_gold():
    checked = 0
    for level in (1, 2, 3, 4, 5, 6):
        for row in rows_at(level, 10, seed=7):
            assert solve_all(json.loads(row["problem"])) == [gold_walls(row)], row["id"]
            checked += 1
    assert checked >= 50


@pytest.mark.parametrize("level", [8, 10])
def test_sat_with_connectivity_cuts_finds_no_second_solution(level):
    for row in rows_at(level, 3, seed=5):
        p = json.loads(row["problem"])
        clauses, wall, inside = rules(p["n"], p["clues"])
        walls = gold_walls(row)
        with Solver(bootstrap_with=clauses) as solver:
            pins = [wall[r - 1, c - 1] for r, c in p["walls"]]
            first, _ = other_solution(solver, p["n"], p["clues"], wall, inside, pins)
            assert {cell for cell, lit in wall.items() if lit in first} == walls
            solver.add_clause([-wall[cell] if cell in walls else wall[cell] for cell in wall])
            assert other_solution(solver, p["n"], p["clues"], wall, inside, pins)[0] is None


@pytest.mark.slow
@pytest.mark.parametrize("level", range(1, 9))
def test_twenty_puzzles_per_level_are_unique(level):
    for row in rows_at(level, 20, seed=2027):
        assert solve_all(json.loads(row["problem"])) == [gold_walls(row)], row["id"]


EXAMPLE = {"n": 4, "clues": [[2, 2, 2], [4, 1, 2], [4, 3, 2]], "walls": []}
SOLUTION = "# # # #\n# 2 . #\n. # # #\n2 # 2 ."


def test_the_docstring_example_has_one_solution():
    assert solve_all(EXAMPLE) == [{(0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 3), (2, 1), (2, 2), (2, 3), (3, 1)}]
    assert TASK.verify(EXAMPLE, SOLUTION).correct
    assert TASK.verify(EXAMPLE, SOLUTION.replace("2", ".").replace("2", ".")).correct
    assert TASK.verify(EXAMPLE, json.dumps([line.split() for line in SOLUTION.splitlines()])).correct


@pytest.mark.parametrize("answer, reason, why", [
    ("# # # #\n# 2 # #\n. # # #\n2 # 2 .", Reason.WRONG, "2×2"),
    ("# # # #\n# 2 . #\n. . # #\n2 # 2 .", Reason.WRONG, "holds 2 numbers"),
    ("# # # #\n# 2 . .\n. # # #\n2 # 2 #", Reason.WRONG, "has 3 cells"),
    ("# # # #\n# # . #\n. # # #\n2 # 2 .", Reason.WRONG, "walled"),
    ("# # # #\n# 2 . #\n. # # #\n2 # 2 x", Reason.INVALID, "must be"),
    ("# # # #", Reason.UNPARSEABLE, "expected 4 rows"),
])
def test_rule_breaking_answers_score_zero(answer, reason, why):
    verdict = TASK.verify(EXAMPLE, answer)
    assert verdict.score == 0 and verdict.reason is reason and why in verdict.details["why"]


def test_walls_split_in_two_score_zero():
    verdict = TASK.verify({"n": 3, "clues": [[2, 2, 3]], "walls": []}, "# . #\n# 3 #\n# . #")
    assert verdict.reason is Reason.WRONG and "not all connected" in verdict.details["why"]


def test_perturbations_are_wrong():
    for row in rows_at(6, 5):
        problem = Problem(json.loads(row["problem"]), row["answer"], row["effort"])
        wrong = TASK.perturb(problem, np.random.default_rng(1))
        assert len(wrong) >= 2 and all(TASK.verify(problem.data, w).score == 0 for w in wrong)
