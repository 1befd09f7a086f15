"""Specification of the survo task beyond the shared contract.

Gold answers are re-solved by a plain backtracking counter that shares nothing with the
generator (no SAT): the missing numbers go into the blanks in row-major order, a partial line
may not exceed its sum, a full line must meet it.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from synlog.synth.example import make_row
from synlog.tasks.base import Problem, get_task
from synlog.tasks.common.satenc import count_models
from synlog.tasks.logic.survo import _rules
from synlog.verifiers.verdict import Reason

TASK = get_task("survo")


def rows_at(level: int, n: int, seed: int = 1, **overrides) -> list[dict]:
    spec = TASK.knobs.resolve(level, overrides)
    return [make_row("survo", level, spec, seed, i) for i in range(n)]


def solve_all(problem: dict, limit: int = 2) -> list[list[list[int]]]:
    m, n = problem["rows"], problem["cols"]
    grid = [row[:] for row in problem["puzzle"]]
    blanks = [(r, c) for r in range(m) for c in range(n) if not grid[r][c]]
    last_in_row = {r: max(c for rr, c in blanks if rr == r) for r, _ in blanks}
    last_in_col = {c: max(r for r, cc in blanks if cc == c) for _, c in blanks}
    left = list(problem["numbers"])
    found: list[list[list[int]]] = []

    def fine(r: int, c: int) -> bool:
        row, col = sum(grid[r]), sum(grid[i][c] for i in range(m))
        if row > problem["row_sums"][r] or col > problem["col_sums"][c]:
            return False
        return (last_in_row[r] != c or row == problem["row_sums"][r]) and (
            last_in_col[c] != r or col == problem["col_sums"][c])

    def search(k: int) -> None:
        if len(found) >= limit:
            return
        if k == len(blanks):
            found.append([row[:] for row in grid])
            return
        r, c = blanks[k]
        for v in sorted(set(left)):
            grid[r][c] = v
            left.remove(v)
            if fine(r, c):
                search(k + 1)
            left.append(v)
            grid[r][c] = 0

    search(0)
    return found


def gold(row: dict) -> list[list[int]]:
    return [[int(v) for v in line.split()] for line in row["answer"].splitlines()]


def test_sixty_puzzles_have_one_solution_and_it_is_the_gold():
    checked = 0
    for level in (1, 2, 3, 4, 5, 6):
        for row in rows_at(level, 10, seed=7):
            assert solve_all(json.loads(row["problem"])) == [gold(row)], row["id"]
            checked += 1
    assert checked >= 50


@pytest.mark.parametrize("level", [8, 10])
def test_sat_model_count_is_one_on_the_big_levels(level):
    for row in rows_at(level, 3, seed=5):
        p = json.loads(row["problem"])
        m, n = p["rows"], p["cols"]
        clauses, var = _rules(m, n, p["row_sums"], p["col_sums"])
        shown = [var(r, c, v) for r, line in enumerate(p["puzzle"]) for c, v in enumerate(line) if v]
        projection = [var(r, c, v) for r in range(m) for c in range(n) for v in range(1, m * n + 1)]
        assert count_models(clauses, limit=2, projection=projection, assumptions=shown).models == 1


def test_the_matrix_holds_one_to_mn_and_the_sums_are_read_off_it():
    for row in rows_at(9, 5):
        p, solution = json.loads(row["problem"]), gold(row)
        assert sorted(v for line in solution for v in line) == list(range(1, p["rows"] * p["cols"] + 1))
        assert p["row_sums"] == [sum(line) for line in solution]
        assert p["col_sums"] == [sum(col) for col in zip(*solution, strict=False)]


@pytest.mark.slow
@pytest.mark.parametrize("level", range(1, 9))
def test_thirty_puzzles_per_level_are_unique(level):
    for row in rows_at(level, 30, seed=2027):
        assert solve_all(json.loads(row["problem"])) == [gold(row)], row["id"]


EXAMPLE = {"rows": 2, "cols": 3, "puzzle": [[0, 5, 0], [3, 0, 2]], "row_sums": [10, 11],
           "col_sums": [4, 11, 6], "numbers": [1, 4, 6]}


def test_the_docstring_example_has_one_solution():
    assert solve_all(EXAMPLE) == [[[1, 5, 4], [3, 6, 2]]]
    assert TASK.verify(EXAMPLE, "1 5 4\n3 6 2").correct
    assert TASK.verify(EXAMPLE, "[[1, 5, 4], [3, 6, 2]]").correct


@pytest.mark.parametrize("answer, reason, why", [
    ("4 5 1\n3 6 2", Reason.WRONG, "column 1"),
    ("1 5 4\n3 6 1", Reason.WRONG, "given"),
    ("1 5 4\n3 4 2", Reason.WRONG, "listed numbers"),
    ("1 5 4\n3 6 7", Reason.INVALID, "from 1 to 6"),
    ("1 5 4", Reason.UNPARSEABLE, "expected 2 rows"),
])
def test_rule_breaking_answers_score_zero(answer, reason, why):
    verdict = TASK.verify(EXAMPLE, answer)
    assert verdict.score == 0 and verdict.reason is reason and why in verdict.details["why"]


def test_perturbations_are_wrong():
    for row in rows_at(6, 5):
        problem = Problem(json.loads(row["problem"]), row["answer"], row["effort"])
        wrong = TASK.perturb(problem, np.random.default_rng(1))
        assert len(wrong) >= 2 and all(TASK.verify(problem.data, w).score == 0 for w in wrong)
