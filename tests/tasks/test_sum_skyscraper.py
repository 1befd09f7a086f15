"""Specification of the sum_skyscraper task beyond the shared contract.

Gold answers are re-solved by a plain backtracking counter that shares nothing with the
generator (no SAT): each row a permutation keeping its givens and meeting its left/right sums,
rows stacked while every column stays Latin and its top sum stays reachable, columns checked
in full at the end.
"""

from __future__ import annotations

import json
from functools import cache
from itertools import permutations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.tasks.grid.sum_skyscraper import _rules, sum_clue
from synlog.verifiers.verdict import Reason
from tests.tasks.grid_checks import GridPuzzle, assert_one_filling

SIDES = ("top", "bottom", "left", "right")


def seen_total(line) -> int:
    return sum(h for i, h in enumerate(line) if all(h > g for g in line[:i]))


def solve_all(problem: dict, limit: int = 2) -> list[list[list[int]]]:
    n, puzzle, clues = problem["n"], problem["puzzle"], problem["clues"]

    def row_ok(r: int, p: tuple[int, ...]) -> bool:
        return (all(not g or g == v for g, v in zip(puzzle[r], p, strict=True))
                and (not clues["left"][r] or seen_total(p) == clues["left"][r])
                and (not clues["right"][r] or seen_total(p[::-1]) == clues["right"][r]))

    options = [[p for p in permutations(range(1, n + 1)) if row_ok(r, p)] for r in range(n)]
    found: list[list[list[int]]] = []
    chosen: list[tuple[int, ...]] = []

    def top_sums_still_possible() -> bool:
        """Seen from the top a column's total only grows, and is final once n is in it."""
        for c, clue in enumerate(clues["top"]):
            if clue:
                column = [row[c] for row in chosen]
                if seen_total(column) > clue or (n in column and seen_total(column) != clue):
                    return False
        return True

    def search() -> None:
        if len(found) >= limit:
            return
        if len(chosen) == n:
            columns = list(zip(*chosen, strict=True))
            if all((not t or seen_total(col) == t) and (not b or seen_total(col[::-1]) == b)
                   for col, t, b in zip(columns, clues["top"], clues["bottom"], strict=True)):
                found.append([list(row) for row in chosen])
            return
        for option in options[len(chosen)]:
            if all(option[c] != row[c] for row in chosen for c in range(n)):
                chosen.append(option)
                if top_sums_still_possible():
                    search()
                chosen.pop()

    search()
    return found


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
