"""probability_dice: the gold is recounted by a plain itertools.product loop with its own
reading of each condition *parsed from the printed English question* (not the generator's
numpy masks or its stored spec), and verify refuses hedges, decimals and unreduced forms."""

from __future__ import annotations

import itertools
import json
import re
from fractions import Fraction

import pytest

from tests.tasks.chance_checks import assert_chinese_prompts, fraction_parts
from tests.tasks.row_checks import assert_effort_and_hardness_grow
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("probability_dice")
TASK = CHECKS.task
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth"]


def clause_test(clause: str):
    """A predicate on a roll (a tuple of faces) for one printed condition."""
    patterns = [
        (r"the sum of the dice is at least (\d+)", lambda t: lambda r: sum(r) >= t),
        (r"the sum of the dice is at most (\d+)", lambda t: lambda r: sum(r) <= t),
        (r"the sum of the dice is exactly (\d+)", lambda t: lambda r: sum(r) == t),
        (r"the sum of the dice is even", lambda: lambda r: sum(r) % 2 == 0),
        (r"the sum of the dice is odd", lambda: lambda r: sum(r) % 2 == 1),
        (r"at least (\d+) of the dice show (\d+)", lambda j, v: lambda r: r.count(v) >= j),
        (r"at most (\d+) of the dice show (\d+)", lambda j, v: lambda r: r.count(v) <= j),
        (r"exactly (\d+) of the dice show (\d+)", lambda j, v: lambda r: r.count(v) == j),
        (r"no die shows (\d+)", lambda v: lambda r: v not in r),
        (r"all the dice show different numbers", lambda: lambda r: len(set(r)) == len(r)),
        (r"all the dice show the same number", lambda: lambda r: len(set(r)) == 1),
        (r"the highest number shown is at most (\d+)", lambda m: lambda r: max(r) <= m),
        (r"the lowest number shown is at least (\d+)", lambda m: lambda r: min(r) >= m),
        (r"the (\w+) die shows (\d+)", lambda i, v: lambda r: r[ORDINALS.index(i)] == int(v)),
        (r"the (\w+) die shows a larger number than the (\w+) die",
         lambda i, j: lambda r: r[ORDINALS.index(i)] > r[ORDINALS.index(j)]),
    ]
    for pattern, build in patterns:
        match = re.fullmatch(pattern, clause)
        if match:
            args = [a if a in ORDINALS else int(a) for a in match.groups()]
            return build(*args)
    raise AssertionError(f"unread clause {clause!r}")


def recount(question: str) -> Fraction:
    head = re.match(r"(\d+) fair (\d+)-sided dice", question)
    n, sides = int(head.group(1)), int(head.group(2))
    event = re.search(r"What is the probability that (.*)\?$", question).group(1)
    joined_or = event.endswith(" (or more than one of these)")
    event = event.removesuffix(" (or more than one of these)")
    parts = re.split(r",? (?:and|or) (?=(?:the|at|exactly|all|some|no)\b)|, ", event)
    tests = [clause_test(part) for part in parts]
    combine = any if joined_or else all
    hits = sum(combine(t(roll) for t in tests)
               for roll in itertools.product(range(1, sides + 1), repeat=n))
    return Fraction(hits, sides ** n)


def test_gold_matches_a_recount_from_the_printed_question():
    checked = 0
    for level in (1, 2, 3, 4, 5, 6, 7):
        for row in CHECKS.rows(level, 8):
            problem = json.loads(row["problem"])
            assert Fraction(row["answer"]) == recount(problem["question"]), row["id"]
            assert TASK.verify(problem, row["answer"]).score == 1.0
            checked += 1
    assert checked >= 50


@pytest.mark.slow
def test_gold_matches_a_recount_at_the_top_levels():
    for level in (8, 9, 10):
        for row in CHECKS.rows(level, 4):
            problem = json.loads(row["problem"])
            assert Fraction(row["answer"]) == recount(problem["question"]), row["id"]


def test_gold_is_reduced_and_never_trivial():
    for level in range(1, 11):
        for row in CHECKS.rows(level, 6):
            value = Fraction(row["answer"])
            assert 0 < value < 1 and value != Fraction(1, 2)
            assert row["answer"] == f"{value.numerator}/{value.denominator}"


def test_hostile_answers_score_below_one():
    problem = CHECKS.problem(level=3)
    gold = Fraction(problem["value"])
    p, q = fraction_parts(problem)
    hostile = [f"{2 * p}/{2 * q}", f"{float(gold):.6f}", f"{100 * float(gold):.2f}%",
               f"{p}/{q} or {q - p}/{q}", f"{p}/{q}, {q - p}/{q}", f"{p}/{q} + 0", "5/18",
               "1" * 5000, f"{p} / {q} = {float(gold)}", "", f"{p}/{q}/1", f"1 - {q - p}/{q}"]
    CHECKS.assert_below_one(problem, hostile)


def test_alternative_forms_score_one():
    problem = CHECKS.problem(level=3)
    p, q = fraction_parts(problem)
    CHECKS.assert_scores_one(problem, [f"\\frac{{{p}}}{{{q}}}", f"{p}/{q}", f" {p}/{q} ", f"\\dfrac{{{p}}}{{{q}}}"])


test_verify_never_raises_on_arbitrary_text = CHECKS.never_raises(level=3, max_size=80)


def test_levels_get_harder():
    assert_effort_and_hardness_grow(CHECKS, n=6, factor=3)


def test_chinese_prompt_translates_the_question():
    assert_chinese_prompts(CHECKS, CHECKS.rows(2, 1), "骰子", "probability", "5/18")
