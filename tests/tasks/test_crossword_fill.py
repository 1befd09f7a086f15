"""Specification of the crossword_fill task beyond the shared contract.

Gold answers are re-solved by a plain backtracking counter that shares nothing with the
generator (no SAT): slots found by scanning runs, one listed word per slot in order, letters
checked against the cells already written.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from synlog.synth.example import make_row
from synlog.tasks.base import Problem, get_task
from synlog.tasks.common.satenc import count_models
from synlog.tasks.logic.crossword_fill import _rules, _words
from synlog.verifiers.verdict import Reason

TASK = get_task("crossword_fill")


def rows_at(level: int, n: int, seed: int = 1, **overrides) -> list[dict]:
    spec = TASK.knobs.resolve(level, overrides)
    return [make_row("crossword_fill", level, spec, seed, i) for i in range(n)]


def runs(blocked) -> list[list[tuple[int, int]]]:
    rows, cols = len(blocked), len(blocked[0])
    found = []
    for r in range(rows):
        c = 0
        while c < cols:
            start = c
            while c < cols and not blocked[r][c]:
                c += 1
            if c - start >= 2:
                found.append([(r, x) for x in range(start, c)])
            c += 1
    for c in range(cols):
        r = 0
        while r < rows:
            start = r
            while r < rows and not blocked[r][c]:
                r += 1
            if r - start >= 2:
                found.append([(x, c) for x in range(start, r)])
            r += 1
    return found


def solve_all(problem: dict, limit: int = 2) -> list[list[list[str]]]:
    blocked = problem["blocked"]
    grid = [["#" if b else "" for b in row] for row in blocked]
    for r, c, ch in problem["given"]:
        grid[r - 1][c - 1] = ch
    slots = runs(blocked)
    used: set[str] = set()
    found: list[list[list[str]]] = []

    def search(i: int) -> None:
        if len(found) >= limit:
            return
        if i == len(slots):
            found.append([row[:] for row in grid])
            return
        slot = slots[i]
        for word in problem["words"]:
            if word in used or len(word) != len(slot):
                continue
            if any(grid[r][c] and grid[r][c] != ch for (r, c), ch in zip(slot, word, strict=True)):
                continue
            before = [grid[r][c] for r, c in slot]
            for (r, c), ch in zip(slot, word, strict=True):
                grid[r][c] = ch
            used.add(word)
            search(i + 1)
            used.discard(word)
            for (r, c), ch in zip(slot, before, strict=True):
                grid[r][c] = ch

    search(0)
    return found


def gold(row: dict) -> list[list[str]]:
    return [line.split() for line in row["answer"].splitlines()]


def test_sixty_puzzles_have_one_solution_and_it_is_the_gold():
    checked = 0
    for level in (1, 2, 4, 6, 8, 10):
        for row in rows_at(level, 10, seed=7):
            assert solve_all(json.loads(row["problem"])) == [gold(row)], row["id"]
            checked += 1
    assert checked >= 50


@pytest.mark.parametrize("level", [8, 10])
def test_sat_model_count_is_one_on_the_big_levels(level):
    for row in rows_at(level, 3, seed=5):
        p = json.loads(row["problem"])
        grid = gold(row)
        clauses, word_var, letter_var = _rules(grid, p["words"])
        givens = [letter_var[(r - 1, c - 1), ch] for r, c, ch in p["given"]]
        assert count_models(clauses, limit=2, projection=sorted(word_var.values()), assumptions=givens).models == 1


def test_every_listed_word_comes_from_the_package_word_list():
    words = set(_words())
    assert len(words) > 20_000
    for row in rows_at(9, 5):
        assert set(json.loads(row["problem"])["words"]) <= words


@pytest.mark.slow
@pytest.mark.parametrize("level", range(1, 11))
def test_thirty_puzzles_per_level_are_unique(level):
    for row in rows_at(level, 30, seed=2027):
        assert solve_all(json.loads(row["problem"])) == [gold(row)], row["id"]


EXAMPLE = {"rows": 3, "cols": 3, "blocked": [[0, 0, 0], [0, 1, 0], [0, 1, 0]], "given": [],
           "words": ["act", "ape", "tan"]}


def test_the_docstring_example_has_one_solution():
    assert solve_all(EXAMPLE) == [[["a", "c", "t"], ["p", "#", "a"], ["e", "#", "n"]]]
    assert TASK.verify(EXAMPLE, "a c t\np # a\ne # n").correct
    assert TASK.verify(EXAMPLE, "A C T\nP # A\nE # N").correct
    assert TASK.verify(EXAMPLE, '[["a","c","t"],["p","#","a"],["e","#","n"]]').correct


def test_slots_are_read_whole_not_as_substrings():
    problem = {"rows": 1, "cols": 4, "blocked": [[0, 0, 0, 0]], "given": [], "words": ["act", "cat"]}
    verdict = TASK.verify(problem, "a c t s")
    assert verdict.reason is Reason.WRONG and "'acts'" in verdict.details["why"]


@pytest.mark.parametrize("answer, reason, why", [
    ("a c t\np # a\ne # x", Reason.WRONG, "not a listed word"),
    ("a c t\np a a\ne # n", Reason.WRONG, "must be #"),
    ("a c t\np # a\ne # #", Reason.WRONG, "must be a letter"),
    ("a c t\np # a\ne # 7", Reason.INVALID, "one letter"),
    ("a c t\np # a\ne # né", Reason.INVALID, "one letter"),
    ("a c t", Reason.UNPARSEABLE, "expected 3 rows"),
])
def test_rule_breaking_answers_score_zero(answer, reason, why):
    verdict = TASK.verify(EXAMPLE, answer)
    assert verdict.score == 0 and verdict.reason is reason and why in verdict.details["why"]


def test_a_word_used_twice_scores_zero():
    problem = {"rows": 3, "cols": 3, "blocked": [[0, 0, 0], [0, 1, 1], [0, 1, 1]], "given": [], "words": ["aba"]}
    verdict = TASK.verify(problem, "a b a\nb # #\na # #")
    assert verdict.reason is Reason.WRONG and "twice" in verdict.details["why"]


def test_perturbations_are_wrong():
    for row in rows_at(6, 5):
        problem = Problem(json.loads(row["problem"]), row["answer"], row["effort"])
        wrong = TASK.perturb(problem, np.random.default_rng(1))
        assert len(wrong) >= 2 and all(TASK.verify(problem.data, w).score == 0 for w in wrong)
