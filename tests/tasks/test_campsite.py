"""Specification of the campsite (tents) task beyond the shared contract.

Gold answers are re-solved by brute force (no SAT): tents are tried cell by cell with the
line counts and the no-touching rule as pruning, and the tree–tent pairing is checked by
trying every assignment of trees to adjacent tents.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from synlog.synth.example import make_row
from synlog.tasks.base import Problem, get_task
from synlog.verifiers.verdict import Reason

TASK = get_task("campsite")


def rows_at(level: int, n: int, seed: int = 1, **overrides) -> list[dict]:
    spec = TASK.knobs.resolve(level, overrides)
    return [make_row("campsite", level, spec, seed, i) for i in range(n)]


def pairs_up(trees: list, tents: set) -> bool:
    """Whether trees can each take a distinct orthogonally adjacent tent (plain recursion)."""
    def assign(i: int, used: frozenset) -> bool:
        if i == len(trees):
            return True
        r, c = trees[i]
        return any(t in tents and t not in used and assign(i + 1, used | {t})
                   for t in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)))
    return len(trees) == len(tents) and assign(0, frozenset())


def solve_all(problem: dict, limit: int = 2) -> list[list[str]]:
    board, rows, cols = problem["board"], problem["rows"], problem["cols"]
    n = len(board)
    trees = [(r, c) for r in range(n) for c in range(n) if board[r][c] == "A"]
    cells = [(r, c) for r in range(n) for c in range(n) if board[r][c] != "A"]
    tents: set = set()
    found = []

    def search(k: int) -> None:
        if len(found) >= limit:
            return
        if k == len(cells):
            if all(sum((r, c) in tents for r in range(n)) == cols[c] for c in range(n)) and pairs_up(trees, tents):
                found.append(["".join("A" if board[r][c] == "A" else "T" if (r, c) in tents else "."
                                      for c in range(n)) for r in range(n)])
            return
        r, c = cells[k]
        if c == 0 and r > 0 and sum((r - 1, j) in tents for j in range(n)) != rows[r - 1]:
            return
        near_tree = any((r + dr, c + dc) in trees for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)))
        touching = any((r + dr, c + dc) in tents for dr in (-1, 0, 1) for dc in (-1, 0, 1))
        if (near_tree and not touching and sum((r, j) in tents for j in range(n)) < rows[r]
                and sum((i, c) in tents for i in range(n)) < cols[c]):
            tents.add((r, c))
            search(k + 1)
            tents.remove((r, c))
        if board[r][c] != "T":
            search(k + 1)

    search(0)
    last = n - 1
    return [s for s in found if s[last].count("T") == rows[last]]


def gold(row: dict) -> list[str]:
    return [line.replace(" ", "") for line in row["answer"].splitlines()]


def test_sixty_puzzles_have_one_solution_and_it_is_the_gold():
    checked = 0
    for level in (1, 2, 3, 4):
        for row in rows_at(level, 15, seed=7):
            assert solve_all(json.loads(row["problem"])) == [gold(row)], row["id"]
            checked += 1
    assert checked >= 50


@pytest.mark.slow
@pytest.mark.parametrize("level", range(1, 7))
def test_forty_puzzles_per_level_are_unique(level):
    for row in rows_at(level, 40, seed=2027):
        assert solve_all(json.loads(row["problem"])) == [gold(row)], row["id"]


def test_every_tree_has_a_tent_and_counts_match():
    for row in rows_at(9, 5):
        problem, solution = json.loads(row["problem"]), gold(row)
        assert sum(line.count("A") for line in solution) == sum(line.count("T") for line in solution)
        assert [line.count("T") for line in solution] == problem["rows"]


EXAMPLE = {"board": [".A..", "...A", "A...", "...."], "rows": [1, 0, 1, 1], "cols": [2, 0, 0, 1]}
SOLUTION = "T A . .\n. . . A\nA . . T\nT . . ."


def test_the_docstring_example_has_one_solution():
    assert solve_all(EXAMPLE) == [SOLUTION.replace(" ", "").split("\n")]
    assert TASK.verify(EXAMPLE, SOLUTION).correct


@pytest.mark.parametrize("answer, reason, why", [
    ("T A . .\n. . . A\nA . . .\nT . . T", Reason.WRONG, "row 3"),  # counts break
    ("T A . .\n. . . A\nA . . T\n. T . .", Reason.WRONG, "column"),
    ("T A . .\n. . . A\n. . . T\nT . . .", Reason.WRONG, "trees"),
    ("T A . .\n. . . A\nA . . T\nT . . X", Reason.INVALID, "must be"),
    ("T A . .\n. . . A", Reason.UNPARSEABLE, "expected 4 rows"),
])
def test_rule_breaking_answers_score_zero(answer, reason, why):
    verdict = TASK.verify(EXAMPLE, answer)
    assert verdict.score == 0 and verdict.reason is reason and why in verdict.details["why"], verdict


def test_touching_tents_and_a_missing_pairing_are_caught():
    touching = {"board": ["A.", "A."], "rows": [1, 1], "cols": [0, 2]}
    assert "touches" in TASK.verify(touching, "A T\nA T").details["why"]
    unmatched = {"board": ["A..", "...", "..A"], "rows": [1, 0, 1], "cols": [1, 0, 1]}
    # counts fine, no touching, but the tent at (3, 1) is beside no tree
    verdict = TASK.verify(unmatched, "A . T\n. . .\nT . A")
    assert verdict.score == 0 and "paired" in verdict.details["why"]


def test_perturbations_are_wrong():
    for row in rows_at(6, 5):
        problem = Problem(json.loads(row["problem"]), row["answer"], row["effort"])
        wrong = TASK.perturb(problem, np.random.default_rng(1))
        assert len(wrong) >= 2 and all(TASK.verify(problem.data, w).score == 0 for w in wrong)


def test_level_one_prompts_are_distinct_across_seeds():
    first = {r["prompt"] for r in rows_at(1, 100, seed=0)}
    second = {r["prompt"] for r in rows_at(1, 100, seed=1)}
    assert len(first) >= 95 and len(first & second) <= 5


def test_shortcut_answers_score_zero_and_hardness_grows():
    for row in rows_at(1, 30, seed=3):
        problem = json.loads(row["problem"])
        for name, answer in TASK.degenerate_answers(problem).items():
            assert not TASK.verify(problem, answer).correct, (name, row["id"])

    def mean(level: int) -> float:
        return float(np.mean([TASK.hardness(json.loads(r["problem"])) for r in rows_at(level, 8)]))

    assert mean(1) < mean(5) < mean(10)
