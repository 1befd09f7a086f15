"""conditional_probability: the gold is recounted by a plain Python enumeration of the
elementary outcomes (itertools.product for dice and coins, labelled-ball
itertools.permutations for urns, not the generator's weighted colour sequences) with its own
reading of every condition, checked against Bayes' rule, and verify refuses hedges, decimals,
unreduced forms and the shortcut values P(A), P(B | A)."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import pytest

from tests.tasks.chance_checks import assert_chinese_prompts, elementary, fraction_parts, holds
from tests.tasks.row_checks import assert_effort_and_hardness_grow
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("conditional_probability")
TASK = CHECKS.task
SEED = 13


def happens(event: dict, seq: tuple) -> bool:
    combine = all if event["join"] == "and" else any
    return combine(holds(atom, seq) for atom in event["atoms"])


def recount(problem: dict) -> tuple[int, int, int, int]:
    a = b = ab = total = 0
    for seq in elementary(problem["experiment"]):
        in_a, in_b = happens(problem["event"], seq), happens(problem["given"], seq)
        a, b, ab, total = a + in_a, b + in_b, ab + (in_a and in_b), total + 1
    return a, b, ab, total


def small(problem: dict) -> bool:
    exp = problem["experiment"]
    if exp["kind"] == "urn":
        return math.perm(sum(exp["counts"]), exp["draws"]) <= 40_000
    return (exp["sides"] ** exp["n"] if exp["kind"] == "dice" else 2 ** exp["n"]) <= 40_000


def test_gold_matches_a_recount_and_bayes_rule():
    checked = 0
    for level in range(1, 11):
        for row in CHECKS.rows(level, 8, seed=SEED):
            problem = json.loads(row["problem"])
            if not small(problem):
                continue
            a, b, ab, total = recount(problem)
            gold = Fraction(row["answer"])
            assert gold == Fraction(ab, b), row["id"]
            # Bayes: P(A | B) = P(B | A) P(A) / P(B)
            assert gold == Fraction(ab, a) * Fraction(a, total) / Fraction(b, total)
            assert gold != Fraction(a, total) and gold != Fraction(ab, a)
            checked += 1
    assert checked >= 50


def test_questions_state_the_condition_and_golds_are_reduced():
    for level in (1, 5, 10):
        for row in CHECKS.rows(level, 8, seed=SEED):
            problem = json.loads(row["problem"])
            assert "Given that" in problem["question"]
            value = Fraction(row["answer"])
            assert 0 < value < 1 and value.denominator >= 5
            assert row["answer"] == f"{value.numerator}/{value.denominator}"


def test_hostile_answers_score_below_one():
    problem = CHECKS.problem(level=2, seed=SEED)
    gold = Fraction(problem["value"])
    p, q = fraction_parts(problem)
    hostile = [f"{2 * p}/{2 * q}", f"{float(gold):.6f}", f"{100 * float(gold):.1f}%", f"{p}/{q} or {q - p}/{q}",
               f"{p}/{q}; {q - p}/{q}", f"{p}/{q} + 0", "11/16", "7" * 5000, "", f"P(A|B) = {p}/{q} = {float(gold)}",
               *TASK.degenerate_answers(problem).values()]
    CHECKS.assert_below_one(problem, hostile)


def test_alternative_forms_score_one():
    problem = CHECKS.problem(level=2, seed=SEED)
    p, q = fraction_parts(problem)
    CHECKS.assert_scores_one(problem, [f"{p}/{q}", f"\\frac{{{p}}}{{{q}}}", f"${p}/{q}$"])


test_verify_never_raises_on_arbitrary_text = CHECKS.never_raises(level=2, max_size=80, examples=100)


def test_levels_get_harder():
    assert_effort_and_hardness_grow(CHECKS, n=8, seed=SEED, factor=1.5)


def test_chinese_prompt_translates_the_question():
    assert_chinese_prompts(CHECKS, CHECKS.rows(3, 6, seed=SEED), "已知", "Given", "11/16")


@pytest.mark.slow
def test_recount_on_more_rows():
    for level in range(1, 11):
        for row in CHECKS.rows(level, 20, seed=29):
            problem = json.loads(row["problem"])
            if small(problem):
                a, b, ab, total = recount(problem)
                assert Fraction(row["answer"]) == Fraction(ab, b)
