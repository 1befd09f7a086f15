"""Specification of the numbrix task beyond the shared contract.

Gold answers are re-solved by a plain depth-first path search that shares nothing with the
generator (no SAT): number k goes next to number k − 1, onto its given cell if it has one,
and never so far from the next given number that the path cannot reach it in time.
"""

from __future__ import annotations

import numpy as np
import pytest

from synlog.tasks.grid.numbrix import _rules, random_hamiltonian_path
from synlog.verifiers.verdict import Reason
from tests.tasks.grid_checks import GridPuzzle, assert_one_filling


def solve_all(n: int, puzzle: list[list[int]], limit: int = 2) -> list[list[list[int]]]:
    last = n * n
    given = {v: (r, c) for r, row in enumerate(puzzle) for c, v in enumerate(row) if v}
    next_given = {}
    upcoming = None
    for k in range(last, 0, -1):
        next_given[k] = upcoming  # the first given number ≥ k
        if k in given:
            upcoming = k
            next_given[k] = k
    grid = [[0] * n for _ in range(n)]
    found: list[list[list[int]]] = []

    def reachable(k: int, r: int, c: int) -> bool:
        g = next_given[k]
        if g is None:
            return True
        gr, gc = given[g]
        return abs(gr - r) + abs(gc - c) <= g - k

    def place(k: int, r: int, c: int) -> None:
        if len(found) >= limit or grid[r][c] or (k in given and given[k] != (r, c)):
            return
        if k not in given and (r, c) in given.values():
            return
        if not reachable(k, r, c):
            return
        grid[r][c] = k
        if k == last:
            found.append([row[:] for row in grid])
        else:
            for a, b in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                if 0 <= a < n and 0 <= b < n:
                    place(k + 1, a, b)
        grid[r][c] = 0

    starts = [given[1]] if 1 in given else [(r, c) for r in range(n) for c in range(n)]
    for r, c in starts:
        place(1, r, c)
    return found


PUZZLE = GridPuzzle("numbrix", solve=lambda p: solve_all(p["n"], p["puzzle"]))


def test_sixty_puzzles_have_one_solution_and_it_is_the_gold():
    PUZZLE.assert_golds_are_the_only_solutions(levels=(1, 2, 3, 4, 5, 6), per_level=10)


@pytest.mark.parametrize("level", [8, 10])
def test_sat_model_count_is_one_on_the_big_levels(level):
    for problem, _ in PUZZLE.problems(level, 2, seed=5):
        n = problem["n"]
        clauses, var = _rules(n)
        assert_one_filling(clauses, var, problem["puzzle"], values=n * n)


def test_hidden_paths_are_random_hamiltonian_paths_not_snakes():
    rng = np.random.default_rng(3)
    paths = [random_hamiltonian_path(rng, 6) for _ in range(30)]
    for path in paths:
        assert sorted(path) == [(r, c) for r in range(6) for c in range(6)]
        assert all(abs(a[0] - b[0]) + abs(a[1] - b[1]) == 1 for a, b in zip(path, path[1:], strict=False))
    assert len({tuple(p) for p in paths}) == 30
    # a snake walks whole rows (or columns); a mixed path turns inside the grid
    straight = sum(all(a[0] == b[0] for a, b in zip(p[:6], p[1:6], strict=False)) for p in paths)
    assert straight < 10


@pytest.mark.slow
@pytest.mark.parametrize("level", range(1, 8))
def test_thirty_puzzles_per_level_are_unique(level):
    PUZZLE.assert_golds_are_the_only_solutions(levels=[level], per_level=30, seed=2027, at_least=30)


EXAMPLE = {"n": 3, "puzzle": [[0, 0, 9], [0, 0, 6], [0, 0, 0]]}


def test_the_docstring_example_has_one_solution():
    PUZZLE.assert_example(EXAMPLE, [[1, 8, 9], [2, 7, 6], [3, 4, 5]], "1 8 9\n2 7 6\n3 4 5",
                          "[[1, 8, 9], [2, 7, 6], [3, 4, 5]]")


@pytest.mark.parametrize("answer, reason, why", [
    ("1 2 9\n4 3 6\n5 7 8", Reason.WRONG, "neighbours"),
    ("1 8 9\n2 7 5\n3 4 6", Reason.WRONG, "given"),
    ("1 8 9\n2 7 6\n3 4 4", Reason.WRONG, "more than once"),
    ("1 8 9\n2 7 6\n3 4 10", Reason.INVALID, "from 1 to 9"),
    ("1 8 9", Reason.UNPARSEABLE, "expected 3 rows"),
])
def test_rule_breaking_answers_score_zero(answer, reason, why):
    PUZZLE.assert_scores_zero(EXAMPLE, answer, reason, why)


def test_perturbations_are_wrong():
    PUZZLE.assert_perturbations_are_wrong()


# --------------------------------------------------------------------------- data quality


def test_the_snake_shortcuts_are_valid_paths_that_rarely_are_the_gold():
    hits = 0
    for problem, _ in PUZZLE.problems(1, 40):
        for name, snake in PUZZLE.task.degenerate_answers(problem).items():
            blank = {**problem, "puzzle": [[0] * problem["n"] for _ in range(problem["n"])]}
            assert PUZZLE.task.verify(blank, snake).correct, name  # a real Hamiltonian path
            hits += PUZZLE.task.verify(problem, snake).correct
    assert hits <= 1


def test_hardness_counts_the_cells_to_fill_and_grows_with_the_level():
    problem, _ = PUZZLE.problems(1, 1)[0]
    assert PUZZLE.task.hardness(problem) == sum(v == 0 for row in problem["puzzle"] for v in row)
    means = [sum(PUZZLE.task.hardness(p) for p, _ in PUZZLE.problems(level, 4)) / 4 for level in (1, 3, 5, 7, 10)]
    assert means == sorted(means) and means[-1] > 1.25 * means[0]
