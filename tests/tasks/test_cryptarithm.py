"""Cryptarithm: every puzzle has exactly one solution, and verify checks the rules.

Uniqueness is re-proved here independently of the generator's column search: a vectorised
brute force over every injective letter→digit map (``itertools.permutations``) for puzzles
with at most 8 letters.
"""

from __future__ import annotations

import itertools
import json
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.synth.example import make_row
from synlog.tasks import get_task
from synlog.tasks.deduction.cryptarithm import count_solutions, format_mapping
from synlog.verifiers.verdict import Reason

TASK = get_task("cryptarithm")
SEND_MORE = {"operator": "+", "operands": ["SEND", "MORE"], "result": "MONEY",
             "letters": sorted(set("SENDMOREMONEY"))}
SEND_MORE_GOLD = "D=7, E=5, M=1, N=6, O=0, R=8, S=9, Y=2"


@cache
def rows(level: int, n: int, seed: int = 5) -> list[dict]:
    spec = TASK.knobs.resolve(level)
    return [make_row("cryptarithm", level, spec, seed, i) for i in range(n)]


@cache
def permutations(k: int) -> np.ndarray:
    return np.array(list(itertools.permutations(range(10), k)), dtype=np.int64)


def brute_force(problem: dict) -> list[dict[str, int]]:
    """Every letter→digit map satisfying the puzzle, by trying all of them."""
    letters = problem["letters"]
    perms = permutations(len(letters))
    column = {c: perms[:, i] for i, c in enumerate(letters)}

    def value(word: str) -> np.ndarray:
        total = np.zeros(len(perms), dtype=np.int64)
        for c in word:
            total = total * 10 + column[c]
        return total

    words = [*problem["operands"], problem["result"]]
    ok = np.logical_and.reduce([column[w[0]] != 0 for w in words])
    values = [value(w) for w in problem["operands"]]
    lhs = values[0] * values[1] if problem["operator"] == "*" else np.sum(values, axis=0)
    ok &= lhs == value(problem["result"])
    return [dict(zip(letters, map(int, p), strict=True)) for p in perms[ok]]


def small_instances() -> list[dict]:
    out = []
    for level in range(1, 11):
        for row in rows(level, 12):
            if len(json.loads(row["problem"])["letters"]) <= 8:
                out.append(row)
    return out


def test_send_more_money_has_the_classic_unique_solution():
    solutions, nodes = count_solutions(["SEND", "MORE"], "MONEY", "+")
    assert [format_mapping(s) for s in solutions] == [SEND_MORE_GOLD]
    assert nodes > 0
    assert TASK.verify(SEND_MORE, SEND_MORE_GOLD).correct


def test_brute_force_confirms_exactly_one_solution_for_50_instances():
    checked = 0
    for row in small_instances():
        problem = json.loads(row["problem"])
        solutions = brute_force(problem)
        assert len(solutions) == 1, (row["id"], len(solutions))
        assert format_mapping(solutions[0]) == row["answer"]
        checked += 1
    assert checked >= 50, checked


def test_products_appear_at_high_levels_and_are_unique():
    products = [r for lv in (8, 9, 10) for r in rows(lv, 12)
                if json.loads(r["problem"])["operator"] == "*"]
    assert products, "levels 8-10 should include products"
    assert all(json.loads(r["problem"])["operator"] == "+" for lv in range(1, 8) for r in rows(lv, 12))
    for row in products:
        problem = json.loads(row["problem"])
        if len(problem["letters"]) <= 8:
            assert [format_mapping(s) for s in brute_force(problem)] == [row["answer"]]
        assert "×" in row["prompt"]


def test_no_word_starts_with_zero_in_the_gold():
    for level in (1, 5, 10):
        for row in rows(level, 12):
            problem = json.loads(row["problem"])
            gold = dict(item.split("=") for item in row["answer"].split(", "))
            assert all(gold[w[0]] != "0" for w in [*problem["operands"], problem["result"]])


@pytest.mark.parametrize("form", [
    "d=7, e=5, m=1, n=6, o=0, r=8, s=9, y=2",
    "D=7,E=5,M=1,N=6,O=0,R=8,S=9,Y=2",
    "S = 9; E = 5; N = 6; D = 7; M = 1; O = 0; R = 8; Y = 2",
    "S=9\nE=5\nN=6\nD=7\nM=1\nO=0\nR=8\nY=2",
    "{S: 9, E: 5, N: 6, D: 7, M: 1, O: 0, R: 8, Y: 2}",
    "S=9 E=5 N=6 D=7 M=1 O=0 R=8 Y=2",
])
def test_equivalent_answer_forms_are_accepted(form):
    assert TASK.verify(SEND_MORE, form).score == 1.0


@pytest.mark.parametrize("answer, reason", [
    ("D=7, E=5, M=1, N=6, O=0, R=8, S=9", Reason.INVALID),                 # Y missing
    ("D=7, E=5, M=1, N=6, O=0, R=8, S=9, Y=2, Q=3", Reason.INVALID),       # not a letter
    ("D=7, D=7, E=5, M=1, N=6, O=0, R=8, S=9, Y=2", Reason.INVALID),       # assigned twice
    ("D=7, E=5, M=1, N=6, O=0, R=8, S=9, Y=7", Reason.INVALID),            # shared digit
    ("D=7, E=5, M=0, N=6, O=1, R=8, S=9, Y=2", Reason.INVALID),            # MONEY starts with 0
    ("D=2, E=5, M=1, N=6, O=0, R=8, S=9, Y=7", Reason.WRONG),              # sum fails
    ("D=17, E=5, M=1, N=6, O=0, R=8, S=9, Y=2", Reason.UNPARSEABLE),
    ("SEND=9567", Reason.UNPARSEABLE),
    ("D=7, E=5 or E=4, M=1", Reason.UNPARSEABLE),
])
def test_rule_violations_score_zero(answer, reason):
    verdict = TASK.verify(SEND_MORE, answer)
    assert verdict.score == 0.0 and verdict.reason is reason, verdict


@settings(max_examples=200, deadline=None)
@given(st.permutations(range(10)))
def test_no_other_mapping_scores_one(digits):
    mapping = dict(zip(SEND_MORE["letters"], digits, strict=False))
    verdict = TASK.verify(SEND_MORE, format_mapping(mapping))
    assert verdict.correct == (format_mapping(mapping) == SEND_MORE_GOLD)


def test_effort_grows_along_the_ladder():
    medians = [np.median([r["effort"] for r in rows(level, 12)]) for level in (1, 4, 7, 10)]
    assert medians == sorted(medians), medians


def test_hardness_counts_digit_operations_and_grows_past_level_seven():
    assert TASK.hardness({"operator": "+", "operands": ["SEND", "MORE"], "result": "MONEY"}) == 13
    assert TASK.hardness({"operator": "*", "operands": ["AB", "C"], "result": "DE"}) == 6

    def mean(level: int) -> float:
        return float(np.mean([TASK.hardness(json.loads(r["problem"])) for r in rows(level, 12)]))

    assert mean(1) < mean(4) < mean(7) < mean(10)
    assert mean(10) >= 1.25 * mean(7)
