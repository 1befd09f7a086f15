"""Specification of the calcudoko (KenKen) task beyond the shared contract.

Gold answers are re-solved by plain backtracking (no SAT), row-major, pruning a cage when
its last cell is filled and sums or products early when they overshoot.
"""

from __future__ import annotations

from collections import Counter
from math import prod

import numpy as np
import pytest

from synlog.tasks.common.boards import all_latin_squares, uniform_latin_square
from synlog.verifiers.verdict import Reason
from tests.tasks.grid_checks import GridPuzzle


def meets(op: str, target: int, values: list[int]) -> bool:
    if op == "+":
        return sum(values) == target
    if op == "*":
        return prod(values) == target
    if op == "=":
        return values == [target]
    a, b = sorted(values)
    return b - a == target if op == "-" else b == a * target


def solve_all(n: int, cages: list[dict], limit: int = 2) -> list[list[list[int]]]:
    grid = [[0] * n for _ in range(n)]
    cage_of = {}
    for cage in cages:
        for r, c in cage["cells"]:
            cage_of[(r - 1, c - 1)] = cage
    found = []

    def cage_ok(cage: dict) -> bool:
        values = [grid[r - 1][c - 1] for r, c in cage["cells"]]
        if 0 in values:
            filled = [v for v in values if v]
            if cage["op"] == "+":
                return sum(filled) < cage["target"]
            if cage["op"] == "*":
                return cage["target"] % prod(filled) == 0
            return True
        return meets(cage["op"], cage["target"], values)

    def search(k: int) -> None:
        if len(found) >= limit:
            return
        if k == n * n:
            found.append([row[:] for row in grid])
            return
        r, c = divmod(k, n)
        for v in range(1, n + 1):
            if v in grid[r] or any(grid[i][c] == v for i in range(n)):
                continue
            grid[r][c] = v
            if cage_ok(cage_of[(r, c)]):
                search(k + 1)
            grid[r][c] = 0

    search(0)
    return found


PUZZLE = GridPuzzle("calcudoko", solve=lambda p: solve_all(p["n"], p["cages"]))


def test_sixty_puzzles_have_one_solution_and_it_is_the_gold():
    PUZZLE.assert_golds_are_the_only_solutions(levels=(1, 2, 3, 4, 5, 6), per_level=10)


def test_cages_partition_the_grid_and_follow_the_operation_rules():
    for level in (4, 8, 10):
        for problem, solution in PUZZLE.problems(level, 8, seed=3):
            n = problem["n"]
            cells = [tuple(x) for cage in problem["cages"] for x in cage["cells"]]
            assert sorted(cells) == [(r, c) for r in range(1, n + 1) for c in range(1, n + 1)]
            for cage in problem["cages"]:
                values = [solution[r - 1][c - 1] for r, c in cage["cells"]]
                if cage["op"] in "-/":
                    assert len(values) == 2
                if cage["op"] == "/":
                    assert max(values) % min(values) == 0
                if cage["op"] == "=":
                    assert len(values) == 1
                assert meets(cage["op"], cage["target"], values)
                assert cage["op"] in "=" + PUZZLE.task.knobs.resolve(level)["ops"]


@pytest.mark.slow
@pytest.mark.parametrize("level", range(1, 9))
def test_thirty_puzzles_per_level_are_unique(level):
    PUZZLE.assert_golds_are_the_only_solutions(levels=[level], per_level=30, seed=2027, at_least=30)


EXAMPLE = {"n": 3, "cages": [
    {"cells": [[1, 1], [1, 2]], "op": "+", "target": 3},
    {"cells": [[1, 3], [2, 3]], "op": "-", "target": 1},
    {"cells": [[2, 1], [3, 1]], "op": "*", "target": 6},
    {"cells": [[2, 2], [3, 2]], "op": "/", "target": 3},
    {"cells": [[3, 3]], "op": "=", "target": 1},
]}


def test_the_docstring_example_has_one_solution():
    PUZZLE.assert_example(EXAMPLE, [[1, 2, 3], [3, 1, 2], [2, 3, 1]], "1 2 3\n3 1 2\n2 3 1")


@pytest.mark.parametrize("answer, reason, why", [
    ("2 1 3\n3 2 1\n1 3 2", Reason.WRONG, "cage"),
    ("1 2 3\n2 3 1\n3 1 2", Reason.WRONG, "cage"),
    ("1 2 3\n3 1 2\n2 3 3", Reason.WRONG, "row 3"),
    ("1 2 3\n3 1 2\n2 3 0", Reason.INVALID, "from 1 to 3"),
    ("1 2 3\n3 1 2", Reason.UNPARSEABLE, "expected 3 rows"),
])
def test_rule_breaking_answers_score_zero(answer, reason, why):
    PUZZLE.assert_scores_zero(EXAMPLE, answer, reason, why)


def test_division_must_be_exact():
    # 3 ÷ 2 rounds down to 1 but is not exact: a 1 ÷ cage over the cells 3 and 2 fails
    cages = [{"cells": [[1, 1], [1, 2]], "op": "/", "target": 1}]
    latin = "3 2 1\n1 3 2\n2 1 3"
    assert PUZZLE.task.verify({"n": 3, "cages": cages}, latin).score == 0
    cages[0] = {"cells": [[1, 2], [1, 3]], "op": "/", "target": 2}
    assert PUZZLE.task.verify({"n": 3, "cages": cages}, latin).correct


def test_perturbations_are_wrong():
    PUZZLE.assert_perturbations_are_wrong()


# --------------------------------------------------------------------------- data quality


def test_small_latin_squares_are_drawn_uniformly():
    rng = np.random.default_rng(5)
    counts = Counter(str(uniform_latin_square(rng, 4)) for _ in range(11520))
    assert len(counts) == len(all_latin_squares(4)) == 576
    assert max(counts.values()) <= 40  # 20 on average; the plain search gives some 3× that


def test_level_one_golds_are_varied():
    golds = Counter(row["answer"] for row in PUZZLE.rows(1, 100, seed=4))
    assert golds.most_common(1)[0][1] <= 3


def test_the_cyclic_square_shortcut_is_a_latin_square_the_cages_reject():
    for problem, gold in PUZZLE.problems(3, 10):
        cyclic = PUZZLE.task.degenerate_answers(problem)["cyclic Latin square, cages ignored"]
        assert PUZZLE.task.verify(problem, cyclic).score == (cyclic == "\n".join(" ".join(map(str, r)) for r in gold))


def test_hardness_counts_the_cage_ambiguity_and_grows_with_the_level():
    one_cell = {"n": 4, "cages": [{"cells": [[1, 1]], "op": "=", "target": 2}]}
    pair = {"n": 4, "cages": [{"cells": [[1, 1], [1, 2]], "op": "+", "target": 5}]}  # 1+4, 2+3, both ways
    assert PUZZLE.task.hardness(one_cell) == 0 and PUZZLE.task.hardness(pair) == 2
    means = [sum(PUZZLE.task.hardness(p) for p, _ in PUZZLE.problems(level, 6)) / 6 for level in (1, 3, 5, 7, 10)]
    assert means == sorted(means) and means[-1] > 1.25 * means[0]
