"""Specification of the sum_skyscraper task beyond the shared contract.

Gold answers are re-solved by a plain backtracking counter that shares nothing with the
generator (no SAT): each row a permutation keeping its givens and meeting its left/right sums,
rows stacked while every column stays Latin and its top sum stays reachable, columns checked
in full at the end.
"""

from __future__ import annotations

import json
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.tasks.grid.sum_skyscraper import _rules, sum_clue
from synlog.verifiers.verdict import Reason
from tests.tasks.grid_checks import GridPuzzle, assert_one_filling
from tests.tasks.test_skyscraper import solve_all as skyscraper_solve_all

SIDES = ("top", "bottom", "left", "right")


def seen_total(line) -> int:
    return sum(h for i, h in enumerate(line) if all(h > g for g in line[:i]))


def solve_all(problem: dict, limit: int = 2) -> list[list[list[int]]]:
    """Every solution up to ``limit``: skyscraper's backtracking counter, lines measured by
    the sum of the visible heights."""
    return skyscraper_solve_all(problem["n"], problem["puzzle"], problem["clues"], limit, seen=seen_total)


@cache
def first_problem():
    return PUZZLE.problems(1, 1, seed=3)[0]


PUZZLE = GridPuzzle("sum_skyscraper", solve=solve_all)


def test_sixty_puzzles_have_one_solution_and_it_is_the_gold():
    PUZZLE.assert_golds_are_the_only_solutions(levels=(1, 2, 3, 4, 5, 6), per_level=10)


@pytest.mark.slow
def test_golds_are_the_only_solutions_at_every_level():
    PUZZLE.assert_golds_are_the_only_solutions(levels=range(1, 11), per_level=8, at_least=80)


@pytest.mark.parametrize("level", [8, 10])
def test_sat_model_count_is_one_on_the_big_levels(level):
    for problem, _ in PUZZLE.problems(level, 2, seed=5):
        n = problem["n"]
        clauses, var, finals, top = _rules(n)
        extra, on = [], []
        for side in SIDES:
            for i, total in enumerate(problem["clues"][side]):
                if total:
                    on.append(top + 1 + len(on))
                    extra += sum_clue(finals[side, i], total, on[-1])
        assert_one_filling(clauses + extra, var, problem["puzzle"], values=n, also_assume=on)


EXAMPLE = {"n": 3, "puzzle": [[0] * 3 for _ in range(3)],
           "clues": {"top": [5, 3, 6], "bottom": [4, 5, 3], "left": [5, 3, 6], "right": [4, 5, 3]}}
SOLUTION = [[2, 3, 1], [3, 1, 2], [1, 2, 3]]
GOLD = "\n".join(" ".join(map(str, r)) for r in SOLUTION)


def test_the_docstring_example_has_one_solution():
    PUZZLE.assert_example(EXAMPLE, SOLUTION, GOLD, json.dumps(SOLUTION))


def test_visible_sums_are_not_visible_counts():
    assert seen_total([2, 1, 4, 3]) == 6  # the prompt's worked line
    assert seen_total([1, 2, 3, 4]) == 10 and seen_total([4, 3, 2, 1]) == 4


@pytest.mark.parametrize("answer, reason, why", [
    ("1 2 3\n2 3 1\n3 1 2", Reason.WRONG, "sum"),       # Latin, sums ignored
    ("2 3 1\n1 2 3\n3 1 2", Reason.WRONG, "sum"),       # two rows of the gold swapped
    ("2 3 1\n3 1 2\n1 2 2", Reason.WRONG, "repeats"),
    ("2 3 1\n3 1 2\n1 2 4", Reason.INVALID, "from 1 to 3"),
    ("2 3 1\n3 1 2", Reason.UNPARSEABLE, "expected 3 rows"),
    (f"{GOLD}\n{GOLD}", Reason.UNPARSEABLE, "expected 3 rows"),  # the gold twice
])
def test_rule_breaking_answers_score_zero(answer, reason, why):
    verdict = PUZZLE.task.verify(EXAMPLE, answer)
    assert verdict.score == 0 and verdict.reason is reason, verdict
    assert why in verdict.details["why"], verdict


def test_perturbations_are_wrong():
    PUZZLE.assert_perturbations_are_wrong(level=4)


def test_shortcuts_fail_and_hardness_grows():
    PUZZLE.assert_shortcuts_fail_and_hardness_grows()


@settings(max_examples=120, deadline=None)
@given(st.lists(st.permutations([1, 2, 3, 4]), min_size=4, max_size=4))
def test_random_row_stacks_score_one_only_when_every_rule_holds(rows):
    problem, gold = first_problem()
    verdict = PUZZLE.task.verify(problem, "\n".join(" ".join(map(str, r)) for r in rows))
    assert verdict.reason is not Reason.ERROR
    assert verdict.correct == (rows == gold)  # the solution is unique
