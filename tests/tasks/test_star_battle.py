"""Specification of the star_battle task beyond the shared contract.

Gold answers are re-solved by a plain backtracking counter that shares nothing with the
generator (no SAT): rows in order, k columns per row, column, region and touching checks
as it goes.
"""

from __future__ import annotations

import json
from collections import Counter
from itertools import combinations

import numpy as np
import pytest

from synlog.errors import KnobError
from synlog.tasks.grid.star_battle import _completions, _random_placement, rules_cnf
from synlog.tasks.knobs import Params
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


# --------------------------------------------------------------------------- data quality


def test_placement_counts_match_known_totals():
    # 8×8 with two stars admits only two placements, which is why k = 2 starts at 9×9
    assert _completions(6, 1, (), (0,) * 6) == 90
    assert _completions(8, 2, (), (0,) * 8) == 2
    assert _completions(9, 2, (), (0,) * 9) == 664


@pytest.mark.parametrize("n, k", [(4, 1), (8, 2)])
def test_boards_with_a_handful_of_placements_are_refused(n, k):
    with pytest.raises(KnobError, match="at least"):
        PUZZLE.task.check_params(Params({"n": n, "k": k, "balanced": True}))


def test_placements_are_drawn_uniformly():
    rng = np.random.default_rng(3)
    counts = Counter(tuple(_random_placement(rng, 6, 1)) for _ in range(4500))
    assert len(counts) == 90  # every placement occurs, 50 times each on average
    assert max(counts.values()) < 90 and min(counts.values()) > 20


@pytest.mark.parametrize("level", [1, 7])
def test_no_gold_dominates_a_level(level):
    golds = Counter(row["answer"] for row in PUZZLE.rows(level, 60, seed=4))
    assert golds.most_common(1)[0][1] <= 4


def test_the_first_legal_placement_shortcut_is_a_legal_placement_that_ignores_regions():
    problem, _ = PUZZLE.problems(7, 1)[0]
    board = [[int(v) for v in line.split()] for line in
             PUZZLE.task.degenerate_answers(problem)["first legal placement, regions ignored"].splitlines()]
    assert all(sum(line) == 2 for line in board) and all(sum(col) == 2 for col in zip(*board, strict=True))
    stars = [(r, c) for r, line in enumerate(board) for c, v in enumerate(line) if v]
    assert not any(max(abs(a - c), abs(b - d)) == 1 for (a, b), (c, d) in combinations(stars, 2))


def test_hardness_grows_with_the_level():
    means = [sum(PUZZLE.task.hardness(p) for p, _ in PUZZLE.problems(level, 4)) / 4 for level in (1, 3, 5, 7, 10)]
    assert means == sorted(means) and means[-1] > 1.25 * means[0]
