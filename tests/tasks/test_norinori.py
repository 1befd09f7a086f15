"""Specification of the norinori task beyond the shared contract.

Gold answers are re-solved without SAT: regions in reading order each pick two of their
cells (itertools combinations), pruned as soon as a shaded cell has two shaded neighbours
or has all its neighbours decided without exactly one shaded among them.
"""

from __future__ import annotations

from itertools import combinations

import pytest

from synlog.tasks.grid.norinori import rules_cnf
from synlog.verifiers.verdict import Reason
from tests.tasks.grid_checks import GridPuzzle, assert_one_model


def solve_all(problem: dict, limit: int = 2) -> list[list[list[int]]]:
    region = problem["regions"]
    n = len(region)
    given = {(r - 1, c - 1) for r, c in problem["given"]}
    members: dict[int, list] = {}
    for r in range(n):
        for c in range(n):
            members.setdefault(region[r][c], []).append((r, c))
    order = sorted(members, key=lambda rid: members[rid][0])
    decided_after = {cell: i for i, rid in enumerate(order) for cell in members[rid]}
    shaded: set = set()
    found = []

    def sides(r: int, c: int) -> list:
        return [(r + a, c + b) for a, b in ((1, 0), (-1, 0), (0, 1), (0, -1)) if 0 <= r + a < n and 0 <= c + b < n]

    def fine(step: int) -> bool:
        for cell in shaded:
            count = sum(x in shaded for x in sides(*cell))
            if count > 1:
                return False
            if count == 0 and all(decided_after[x] <= step for x in sides(*cell)):
                return False
        return True

    def search(step: int) -> None:
        if len(found) >= limit:
            return
        if step == len(order):
            found.append([[int((r, c) in shaded) for c in range(n)] for r in range(n)])
            return
        cells = members[order[step]]
        for pair in combinations(cells, 2):
            if any(x in given and x not in pair for x in cells):
                continue
            shaded.update(pair)
            if fine(step):
                search(step + 1)
            shaded.difference_update(pair)

    search(0)
    return found


PUZZLE = GridPuzzle("norinori", solve=solve_all)


def test_sixty_puzzles_have_one_solution_and_it_is_the_gold():
    PUZZLE.assert_golds_are_the_only_solutions(levels=(1, 2, 3, 4, 5, 6), per_level=10)


def test_sat_model_count_is_one_at_the_top_level():
    for problem, _ in PUZZLE.problems(10, 3, seed=5):
        n = len(problem["regions"])
        givens = [(r - 1) * n + c for r, c in problem["given"]]
        assert_one_model(rules_cnf(problem["regions"]), projection=list(range(1, n * n + 1)), assumptions=givens)


@pytest.mark.slow
@pytest.mark.parametrize("level", range(1, 11))
def test_thirty_puzzles_per_level_are_unique(level):
    PUZZLE.assert_golds_are_the_only_solutions(levels=[level], per_level=30, seed=2027, at_least=30)


EXAMPLE = {"regions": [[0, 0, 1, 2], [0, 0, 1, 2], [3, 0, 0, 2], [3, 3, 3, 2]], "given": []}
SOLUTION = "1 0 1 0\n1 0 1 0\n0 0 0 1\n1 1 0 1"


def test_the_docstring_example_has_one_solution():
    PUZZLE.assert_example(EXAMPLE, [[1, 0, 1, 0], [1, 0, 1, 0], [0, 0, 0, 1], [1, 1, 0, 1]], SOLUTION)


@pytest.mark.parametrize("answer, reason, why", [
    ("1 0 1 0\n1 0 1 0\n0 0 0 1\n1 1 0 0", Reason.WRONG, "region"),  # region c gets one
    ("1 1 1 0\n0 0 1 0\n0 0 0 1\n1 1 0 1", Reason.WRONG, "domino"),  # counts fine, an L piece
    ("1 0 1 0\n1 0 1 0\n0 0 0 0\n1 1 1 1", Reason.WRONG, "region"),  # region c gets one
    ("0 0 1 0\n1 0 1 0\n1 0 0 1\n0 1 0 1", Reason.WRONG, "region"),
    ("1 0 1 0\n1 0 1 0\n0 0 0 1\n1 1 0 1\n", Reason.OK, ""),
    ("1 0 1 0\n1 0 1 0\n0 0 0 1\n1 1 0 2", Reason.INVALID, "1 (shaded) or 0"),
    ("1 0 1 0\n1 0 1 0", Reason.UNPARSEABLE, "expected 4 rows"),
])
def test_rule_breaking_answers_score_zero(answer, reason, why):
    if reason is Reason.OK:
        assert PUZZLE.task.verify(EXAMPLE, answer).reason is Reason.OK
    else:
        PUZZLE.assert_scores_zero(EXAMPLE, answer, reason, why)


def test_every_region_is_checked_and_dominoes_may_not_touch():
    # two regions side by side, each with two shaded cells, but the four form a 2×2 block
    block = {"regions": [[0, 1], [0, 1]], "given": []}
    assert "domino" in PUZZLE.task.verify(block, "1 1\n1 1").details["why"]
    # every region but the last one has its two cells: the last region alone must fail it
    last = {"regions": [[0, 0, 1], [2, 2, 1], [3, 3, 3]], "given": []}
    verdict = PUZZLE.task.verify(last, "1 1 1\n1 1 1\n1 1 1")
    assert verdict.score == 0 and "(3, 1)" in verdict.details["why"]
    given = {**EXAMPLE, "given": [[4, 1]]}
    assert PUZZLE.task.verify(given, SOLUTION).correct
    given["given"] = [[4, 3]]
    assert "given" in PUZZLE.task.verify(given, SOLUTION).details["why"]


def test_perturbations_are_wrong():
    PUZZLE.assert_perturbations_are_wrong()


def test_shortcut_answers_score_zero_and_hardness_grows():
    PUZZLE.assert_shortcuts_fail_and_hardness_grows()
