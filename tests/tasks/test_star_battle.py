"""Specification of the star_battle task beyond the shared contract.

Gold answers are re-solved by a plain backtracking counter that shares nothing with the
generator (no SAT): rows in order, k columns per row, column, region and touching checks
as it goes.
"""

from __future__ import annotations

import json
from itertools import combinations

import pytest

from synlog.tasks.logic.star_battle import rules_cnf
from synlog.verifiers.verdict import Reason
from tests.tasks.grid_checks import GridPuzzle, assert_one_model, is_connected


def solve_all(problem: dict, limit: int = 2) -> list[list[list[int]]]:
    region, k = problem["regions"], problem["k"]
    n = len(region)
    given = {(r - 1, c - 1) for r, c in problem["given"]}
    col_count, region_count = [0] * n, [0] * n
    region_left = [sum(line.count(i) for line in region) for i in range(n)]  # cells not yet passed
    board: list[tuple[int, ...]] = []
    found: list[list[list[int]]] = []

    def search() -> None:
        if len(found) >= limit:
            return
        r = len(board)
        if r == n:
            if all(x == k for x in col_count + region_count):
                found.append([[int(c in cols) for c in range(n)] for cols in board])
            return
        for cols in combinations(range(n), k):
            if any(b - a < 2 for a, b in zip(cols, cols[1:], strict=False)):
                continue
            if any((r, c) in given for c in range(n) if c not in cols):
                continue
            if board and any(abs(a - b) <= 1 for a in cols for b in board[-1]):
                continue
            for c in cols:
                col_count[c] += 1
                region_count[region[r][c]] += 1
            for c in range(n):
                region_left[region[r][c]] -= 1
            if max(col_count) <= k and all(
                    region_count[i] <= k <= region_count[i] + region_left[i] for i in range(n)):
                board.append(cols)
                search()
                board.pop()
            for c in range(n):
                region_left[region[r][c]] += 1
            for c in cols:
                col_count[c] -= 1
                region_count[region[r][c]] -= 1

    search()
    return found


PUZZLE = GridPuzzle("star_battle", solve=solve_all)


def test_sixty_puzzles_have_one_solution_and_it_is_the_gold():
    PUZZLE.assert_golds_are_the_only_solutions(levels=(1, 2, 3, 4, 5, 7), per_level=10)


@pytest.mark.parametrize("level", [8, 10])
def test_sat_model_count_is_one_on_the_big_levels(level):
    for p, _ in PUZZLE.problems(level, 3, seed=5):
        n = len(p["regions"])
        pins = [(r - 1) * n + c for r, c in p["given"]]
        assert_one_model(rules_cnf(p["regions"], p["k"]), projection=range(1, n * n + 1), assumptions=pins)


def test_regions_are_connected_and_cover_the_board():
    for p, _ in PUZZLE.problems(9, 5):
        region = p["regions"]
        n = len(region)
        for i in range(n):
            assert is_connected((r, c) for r in range(n) for c in range(n) if region[r][c] == i)
        assert sorted({v for line in region for v in line}) == list(range(n))


@pytest.mark.slow
@pytest.mark.parametrize("level", range(1, 11))
def test_twenty_puzzles_per_level_are_unique(level):
    PUZZLE.assert_golds_are_the_only_solutions(levels=[level], per_level=20, seed=2027, at_least=20)


EXAMPLE = {"k": 1, "given": [], "regions": [[2, 2, 0, 0, 0], [2, 2, 1, 0, 0], [2, 2, 3, 3, 3],
                                            [2, 4, 4, 3, 3], [4, 4, 4, 4, 3]]}
SOLUTION = [[0, 0, 0, 0, 1], [0, 0, 1, 0, 0], [1, 0, 0, 0, 0], [0, 0, 0, 1, 0], [0, 1, 0, 0, 0]]


def test_the_docstring_example_has_one_solution():
    PUZZLE.assert_example(EXAMPLE, SOLUTION, "\n".join(" ".join(map(str, r)) for r in SOLUTION),
                          json.dumps(SOLUTION))


@pytest.mark.parametrize("answer, reason, why", [
    ("0 1 0 0 0\n0 0 0 1 0\n1 0 0 0 0\n0 0 1 0 0\n0 0 0 0 1", Reason.WRONG, "region"),
    ("0 0 0 0 1\n0 0 1 0 0\n0 1 0 0 0\n1 0 0 0 0\n0 0 0 1 0", Reason.WRONG, "touch"),
    ("0 0 0 0 1\n0 0 1 0 0\n1 0 0 0 0\n0 0 0 1 0\n0 0 0 0 0", Reason.WRONG, "row 5"),
    ("0 0 0 0 1\n0 0 1 0 0\n1 0 0 0 0\n0 0 0 1 0\n0 1 0 0 2", Reason.INVALID, "1 (star)"),
    ("0 0 0 0 1", Reason.UNPARSEABLE, "expected 5 rows"),
])
def test_rule_breaking_answers_score_zero(answer, reason, why):
    PUZZLE.assert_scores_zero(EXAMPLE, answer, reason, why)


def test_perturbations_are_wrong():
    PUZZLE.assert_perturbations_are_wrong(level=8)
