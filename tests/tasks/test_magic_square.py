"""Specification of the magic_square task beyond the shared contract.

Gold answers are re-solved by a plain backtracking counter that shares nothing with the
generator (no SAT): cells in reading order, a number forced wherever a cell is the last blank
of a row, column or diagonal, and partial sums kept below the constant.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.tasks.grid.magic_square import random_magic_square, rules
from synlog.verifiers.verdict import Reason
from tests.tasks.grid_checks import GridPuzzle, assert_one_filling


def solve_all(problem: dict, limit: int = 2) -> list[list[list[int]]]:
    n = problem["n"]
    top, total = n * n, n * (n * n + 1) // 2
    grid = [list(line) for line in problem["puzzle"]]
    lines = [[(r, c) for c in range(n)] for r in range(n)] + [[(r, c) for r in range(n)] for c in range(n)]
    lines += [[(i, i) for i in range(n)], [(i, n - 1 - i) for i in range(n)]]
    through = {(r, c): [line for line in lines if (r, c) in line] for r in range(n) for c in range(n)}
    used = {v for line in grid for v in line if v}
    blanks = [(r, c) for r in range(n) for c in range(n) if not grid[r][c]]
    found: list[list[list[int]]] = []

    def fits(cell) -> bool:
        for line in through[cell]:
            values = [grid[r][c] for r, c in line]
            if 0 not in values and sum(values) != total or sum(values) >= total and 0 in values:
                return False
        return True

    def search(k: int) -> None:
        if len(found) >= limit:
            return
        if k == len(blanks):
            found.append([line[:] for line in grid])
            return
        cell = blanks[k]
        forced = [total - sum(grid[r][c] for r, c in line) for line in through[cell]
                  if sum(1 for r, c in line if not grid[r][c]) == 1]
        options = {forced[0]} if forced else set(range(1, top + 1))
        for v in sorted(options - used):
            if not 1 <= v <= top:
                continue
            grid[cell[0]][cell[1]] = v
            used.add(v)
            if fits(cell):
                search(k + 1)
            used.discard(v)
            grid[cell[0]][cell[1]] = 0

    search(0)
    return found


PUZZLE = GridPuzzle("magic_square", solve=solve_all)


def test_sixty_puzzles_have_one_completion_and_it_is_the_gold():
    PUZZLE.assert_golds_are_the_only_solutions(levels=(1, 2, 3, 4, 5, 6), per_level=10)


@pytest.mark.slow
def test_golds_are_the_only_completions_at_every_level():
    PUZZLE.assert_golds_are_the_only_solutions(levels=range(1, 11), per_level=6, at_least=60)


@pytest.mark.parametrize("level", [8, 10])
def test_sat_model_count_is_one_on_the_big_levels(level):
    for problem, _ in PUZZLE.problems(level, 3, seed=5):
        clauses, var = rules(problem["n"])
        assert_one_filling(clauses, var, problem["puzzle"], values=problem["n"] ** 2)


def test_constructed_squares_are_magic_and_varied():
    rng = np.random.default_rng(0)
    for n in (4, 5):
        squares = {json.dumps(random_magic_square(rng, n)) for _ in range(300)}
        assert len(squares) > 250
        for text in list(squares)[:50]:
            square = np.array(json.loads(text))
            total = n * (n * n + 1) // 2
            assert sorted(square.flat) == list(range(1, n * n + 1))
            assert set(square.sum(axis=0)) == set(square.sum(axis=1)) == {total}
            assert np.trace(square) == np.trace(square[:, ::-1]) == total


EXAMPLE = {"n": 4, "puzzle": [[0, 0, 0, 0], [0, 0, 0, 0], [3, 0, 9, 8], [0, 0, 0, 2]]}
SOLUTION = [[16, 1, 6, 11], [10, 7, 4, 13], [3, 14, 9, 8], [5, 12, 15, 2]]


def test_the_docstring_example_has_one_completion():
    PUZZLE.assert_example(EXAMPLE, SOLUTION, "\n".join(" ".join(map(str, r)) for r in SOLUTION),
                          json.dumps(SOLUTION))


@pytest.mark.parametrize("answer, reason, why", [
    # a magic square, but not the one these givens force (the givens moved)
    ("16 1 6 11\n10 7 4 13\n5 12 15 2\n3 14 9 8", Reason.WRONG, "given"),
    # rows 1 and 2 of the gold with two numbers swapped inside row 1: columns break
    ("1 16 6 11\n10 7 4 13\n3 14 9 8\n5 12 15 2", Reason.WRONG, "column 1"),
    ("16 1 6 11\n10 7 4 13\n3 14 9 8\n5 12 15 15", Reason.WRONG, "given"),
    ("16 1 6 11\n10 7 4 13\n3 14 9 8\n5 12 2 2", Reason.WRONG, "more than once"),
    ("16 1 6 11\n10 7 4 13\n3 14 9 8\n5 12 15 17", Reason.INVALID, "from 1 to 16"),
    ("16 1 6 11\n10 7 4 13\n3 14 9 8", Reason.UNPARSEABLE, "expected 4 rows"),
    ("2 7 6\n9 5 1\n4 3 8", Reason.UNPARSEABLE, "expected 4 rows"),  # the prompt's example
])
def test_rule_breaking_answers_score_zero(answer, reason, why):
    PUZZLE.assert_scores_zero(EXAMPLE, answer, reason, why)


def test_a_hedge_of_two_squares_and_the_gold_twice_score_zero():
    gold = "\n".join(" ".join(map(str, r)) for r in SOLUTION)
    for answer in (f"{gold}\n{gold}", f"{gold}\nor\n{gold}", f"{gold} {gold}"):
        assert PUZZLE.task.verify(EXAMPLE, answer).score == 0


def test_perturbations_are_wrong():
    PUZZLE.assert_perturbations_are_wrong(level=3)
    PUZZLE.assert_perturbations_are_wrong(level=8)


def test_shortcuts_fail_and_hardness_grows():
    PUZZLE.assert_shortcuts_fail_and_hardness_grows()


@settings(max_examples=150, deadline=None)
@given(st.permutations(list(range(1, 17))))
def test_a_random_arrangement_scores_one_only_if_it_is_the_gold(numbers):
    answer = "\n".join(" ".join(map(str, numbers[r * 4:r * 4 + 4])) for r in range(4))
    verdict = PUZZLE.task.verify(EXAMPLE, answer)
    assert verdict.reason is not Reason.ERROR
    assert verdict.correct == (numbers == [v for line in SOLUTION for v in line])
