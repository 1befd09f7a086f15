"""conditional_probability: the gold is recounted by a plain Python enumeration of the
elementary outcomes (itertools.product for dice and coins, labelled-ball
itertools.permutations for urns, not the generator's weighted colour sequences) with its own
reading of every condition, checked against Bayes' rule, and verify refuses hedges, decimals,
unreduced forms and the shortcut values P(A), P(B | A)."""

from __future__ import annotations

import itertools
import json
import math
from fractions import Fraction
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.synth.example import make_row
from synlog.tasks import get_task
from synlog.tasks.base import Problem
from synlog.verifiers.verdict import Reason

TASK = get_task("conditional_probability")


@cache
def rows(level: int, n: int, seed: int = 13) -> list[dict]:
    spec = TASK.knobs.resolve(level)
    return [make_row("conditional_probability", level, spec, seed, i) for i in range(n)]


def holds(atom: list, seq: tuple) -> bool:
    name, args = atom[0], atom[1:]
    target = args[1] if len(args) > 1 else 1
    tests = {
        "sum_ge": lambda: sum(seq) >= args[0],
        "sum_le": lambda: sum(seq) <= args[0],
        "sum_eq": lambda: sum(seq) == args[0],
        "sum_parity": lambda: sum(seq) % 2 == args[0],
        "count_ge": lambda: seq.count(target) >= args[0],
        "count_le": lambda: seq.count(target) <= args[0],
        "count_eq": lambda: seq.count(target) == args[0],
        "distinct": lambda: len(set(seq)) == len(seq),
        "same": lambda: len(set(seq)) == 1,
        "max_le": lambda: max(seq) <= args[0],
        "min_ge": lambda: min(seq) >= args[0],
        "pos_eq": lambda: seq[args[0]] == args[1],
        "pos_gt": lambda: seq[args[0]] > seq[args[1]],
        "run_ge": lambda: "1" * args[0] in "".join(map(str, seq)),
    }
    return tests[name]()


def happens(event: dict, seq: tuple) -> bool:
    combine = all if event["join"] == "and" else any
    return combine(holds(atom, seq) for atom in event["atoms"])


def elementary(exp: dict):
    if exp["kind"] == "urn":
        balls = [c for c, k in enumerate(exp["counts"]) for _ in range(k)]
        for draw in itertools.permutations(range(len(balls)), exp["draws"]):
            yield tuple(balls[i] for i in draw)
        return
    faces = range(1, exp["sides"] + 1) if exp["kind"] == "dice" else (0, 1)
    yield from itertools.product(faces, repeat=exp["n"])


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
        for row in rows(level, 8):
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
        for row in rows(level, 8):
            problem = json.loads(row["problem"])
            assert "Given that" in problem["question"]
            value = Fraction(row["answer"])
            assert 0 < value < 1 and value.denominator >= 5
            assert row["answer"] == f"{value.numerator}/{value.denominator}"


def sample_problem() -> dict:
    return json.loads(rows(2, 1)[0]["problem"])


def test_hostile_answers_score_below_one():
    problem = sample_problem()
    gold = Fraction(problem["value"])
    p, q = gold.numerator, gold.denominator
    hostile = [f"{2 * p}/{2 * q}", f"{float(gold):.6f}", f"{100 * float(gold):.1f}%", f"{p}/{q} or {q - p}/{q}",
               f"{p}/{q}; {q - p}/{q}", f"{p}/{q} + 0", "11/16", "7" * 5000, "", f"P(A|B) = {p}/{q} = {float(gold)}",
               *TASK.degenerate_answers(problem).values()]
    for answer in hostile:
        verdict = TASK.verify(problem, answer)
        assert verdict.score < 1.0, answer
        assert verdict.reason is not Reason.ERROR, answer


def test_alternative_forms_score_one():
    problem = sample_problem()
    p, q = Fraction(problem["value"]).numerator, Fraction(problem["value"]).denominator
    for answer in (f"{p}/{q}", f"\\frac{{{p}}}{{{q}}}", f"${p}/{q}$"):
        assert TASK.verify(problem, answer).score == 1.0, answer


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_verify_never_raises_on_arbitrary_text(text):
    assert TASK.verify(sample_problem(), text).reason is not Reason.ERROR


def test_levels_get_harder():
    def mean(level, key):
        rs = rows(level, 8)
        if key == "effort":
            return sum(r["effort"] for r in rs) / len(rs)
        return sum(TASK.hardness(json.loads(r["problem"])) for r in rs) / len(rs)

    for key in ("effort", "hardness"):
        assert mean(1, key) * 1.5 < mean(5, key) < mean(10, key)


def test_chinese_prompt_translates_the_question():
    for row in rows(3, 6):
        data = json.loads(row["problem"])
        text = TASK.prompt(Problem(data, row["answer"]), 0, "zh")
        assert "已知" in text and "Given" not in text and "<answer>11/16</answer>" in text


@pytest.mark.slow
def test_recount_on_more_rows():
    for level in range(1, 11):
        for row in rows(level, 20, seed=29):
            problem = json.loads(row["problem"])
            if small(problem):
                a, b, ab, total = recount(problem)
                assert Fraction(row["answer"]) == Fraction(ab, b)
