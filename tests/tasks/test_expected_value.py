"""expected_value: the gold is re-derived two other ways — closed forms (linearity, the
hypergeometric mean, tail sums for maxima and minima, inclusion–exclusion for distinct values)
and a plain-Python enumeration (itertools.product for dice and coins, labelled-ball
itertools.permutations for urns) — and verify refuses hedges, decimals and unreduced forms."""

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

TASK = get_task("expected_value")


@cache
def rows(level: int, n: int, seed: int = 11) -> list[dict]:
    spec = TASK.knobs.resolve(level)
    return [make_row("expected_value", level, spec, seed, i) for i in range(n)]


def holds(exp: dict, atom: list, seq: tuple) -> bool:
    name, args = atom[0], atom[1:]
    target = args[1] if len(args) > 1 else 1
    if name == "sum_ge":
        return sum(seq) >= args[0]
    if name == "sum_le":
        return sum(seq) <= args[0]
    if name == "sum_eq":
        return sum(seq) == args[0]
    if name == "sum_parity":
        return sum(seq) % 2 == args[0]
    if name == "count_ge":
        return seq.count(target) >= args[0]
    if name == "count_le":
        return seq.count(target) <= args[0]
    if name == "count_eq":
        return seq.count(target) == args[0]
    if name == "distinct":
        return len(set(seq)) == len(seq)
    if name == "same":
        return len(set(seq)) == 1
    if name == "max_le":
        return max(seq) <= args[0]
    if name == "min_ge":
        return min(seq) >= args[0]
    if name == "pos_eq":
        return seq[args[0]] == args[1]
    if name == "pos_gt":
        return seq[args[0]] > seq[args[1]]
    if name == "run_ge":
        return "1" * args[0] in "".join(map(str, seq))
    raise AssertionError(name)


def value_of(exp: dict, quantity: list, seq: tuple) -> int:
    name, args = quantity[0], quantity[1:]
    if name == "bet":
        return args[1] if holds(exp, args[0], seq) else -args[2]
    if name == "top_sum":
        return sum(sorted(seq, reverse=True)[: args[0]])
    if name == "low_sum":
        return sum(sorted(seq)[: args[0]])
    if name == "count_ge":
        return sum(1 for x in seq if x >= args[0])
    if name == "clipped_sum":
        return sum(x for x in seq if x > args[0])
    if name == "windows":
        return sum(all(seq[i:i + args[0]]) for i in range(len(seq) - args[0] + 1))
    if name == "range":
        return max(seq) - min(seq)
    if name == "distinct":
        return len(set(seq))
    if name == "count":
        return seq.count(args[0])
    if name == "product":
        return math.prod(seq)
    if name == "score":
        t, a, b = args
        return sum(a if x >= t else -b for x in seq)
    if name == "longest_run":
        return max((len(r) for r in "".join(map(str, seq)).split("0")), default=0)
    if name == "leading_tails":
        return seq.index(1) if 1 in seq else len(seq)
    if name == "points":
        return sum(args[0][c] for c in seq)
    raise AssertionError(name)


def enumerate_mean(exp: dict, quantity: list) -> Fraction:
    if exp["kind"] == "urn":
        balls = [c for c, k in enumerate(exp["counts"]) for _ in range(k)]
        draws = list(itertools.permutations(range(len(balls)), exp["draws"]))
        total = sum(value_of(exp, quantity, tuple(balls[i] for i in d)) for d in draws)
        return Fraction(total, len(draws))
    faces = range(1, exp["sides"] + 1) if exp["kind"] == "dice" else (0, 1)
    seqs = list(itertools.product(faces, repeat=exp["n"]))
    return Fraction(sum(value_of(exp, quantity, s) for s in seqs), len(seqs))


def closed_form(exp: dict, quantity: list) -> Fraction | None:
    name, args = quantity[0], quantity[1:]
    if exp["kind"] == "dice":
        n, s = exp["n"], exp["sides"]
        e_max = sum(1 - Fraction(m - 1, s) ** n for m in range(1, s + 1))
        e_min = sum(Fraction(s - m + 1, s) ** n for m in range(1, s + 1))
        forms = {"range": e_max - e_min,
                 "distinct": s * (1 - Fraction(s - 1, s) ** n),
                 "product": Fraction(s + 1, 2) ** n}
        if name == "count":
            return Fraction(n, s)
        if name == "top_sum" and args[0] == 1:
            return e_max
        if name == "low_sum" and args[0] == 1:
            return e_min
        if name == "top_sum" and args[0] == n - 1:  # the sum minus the lowest
            return Fraction(n * (s + 1), 2) - e_min
        if name == "low_sum" and args[0] == n - 1:
            return Fraction(n * (s + 1), 2) - e_max
        if name == "count_ge":
            return Fraction(n * (s - args[0] + 1), s)
        if name == "clipped_sum":
            return Fraction(n * sum(range(args[0] + 1, s + 1)), s)
        if name == "score":
            t, a, b = args
            p = Fraction(s - t + 1, s)
            return n * (a * p - b * (1 - p))
        return forms.get(name)
    if exp["kind"] == "coins":
        if name == "leading_tails":
            return sum(Fraction(1, 2 ** i) for i in range(1, exp["n"] + 1))
        if name == "windows":
            return Fraction(exp["n"] - args[0] + 1, 2 ** args[0])
        return None
    counts, k = exp["counts"], exp["draws"]
    total = sum(counts)
    if name == "count":
        return Fraction(k * counts[args[0]], total)
    if name == "points":
        return Fraction(k * sum(p * c for p, c in zip(args[0], counts, strict=True)), total)
    if name == "distinct":
        return sum(1 - Fraction(math.comb(total - c, k), math.comb(total, k)) for c in counts)
    return None


def test_gold_matches_closed_forms_at_every_level():
    checked = 0
    for level in range(1, 11):
        for row in rows(level, 30):
            problem = json.loads(row["problem"])
            expected = closed_form(problem["experiment"], problem["quantity"])
            if expected is not None:
                assert Fraction(row["answer"]) == expected, row["id"]
                checked += 1
    assert checked >= 50


def test_gold_matches_a_plain_enumeration():
    checked = 0
    for level in range(1, 6):
        for row in rows(level, 12):
            problem = json.loads(row["problem"])
            assert Fraction(row["answer"]) == enumerate_mean(problem["experiment"], problem["quantity"]), row["id"]
            checked += 1
    assert checked >= 50


@pytest.mark.slow
def test_gold_matches_a_plain_enumeration_at_higher_levels():
    for level in range(6, 11):
        for row in rows(level, 4):
            problem = json.loads(row["problem"])
            if problem["experiment"]["kind"] == "urn" and math.perm(
                    sum(problem["experiment"]["counts"]), problem["experiment"]["draws"]) > 300_000:
                continue
            assert Fraction(row["answer"]) == enumerate_mean(problem["experiment"], problem["quantity"]), row["id"]


def test_questions_name_the_experiment_and_golds_are_reduced():
    for level in (1, 5, 10):
        for row in rows(level, 12):
            problem = json.loads(row["problem"])
            value = Fraction(row["answer"])
            assert row["answer"] == (str(value.numerator) if value.denominator == 1
                                     else f"{value.numerator}/{value.denominator}")
            assert "expected value" in problem["question"]
            assert problem["low"] < value < problem["high"]


def sample_problem() -> dict:
    for row in rows(3, 12):
        problem = json.loads(row["problem"])
        if Fraction(problem["value"]).denominator > 1:
            return problem
    raise AssertionError("no fractional gold")


def test_hostile_answers_score_below_one():
    problem = sample_problem()
    gold = Fraction(problem["value"])
    p, q = gold.numerator, gold.denominator
    hostile = [f"{2 * p}/{2 * q}", f"{float(gold):.8f}", f"{p}/{q} or {p + 1}/{q}", f"{p}/{q}, {p + 1}/{q}",
               f"{p}/{q} + 0", "7/2", "9" * 5000, f"E = {p}/{q}", "", f"{p}/{q}/1",
               str(problem["low"]), str(problem["high"])]
    if abs(p) > q:
        hostile.append(f"{abs(p) // q} {abs(p) % q}/{q}")
    for answer in hostile:
        verdict = TASK.verify(problem, answer)
        assert verdict.score < 1.0, answer
        assert verdict.reason is not Reason.ERROR, answer


def test_alternative_forms_score_one():
    problem = sample_problem()
    p, q = Fraction(problem["value"]).numerator, Fraction(problem["value"]).denominator
    for answer in (f"{p}/{q}", f"\\dfrac{{{p}}}{{{q}}}", f"${p}/{q}$"):
        assert TASK.verify(problem, answer).score == 1.0, answer


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_verify_never_raises_on_arbitrary_text(text):
    assert TASK.verify(sample_problem(), text).reason is not Reason.ERROR


def test_levels_get_harder():
    def mean(level, key):
        rs = rows(level, 12)
        if key == "effort":
            return sum(r["effort"] for r in rs) / len(rs)
        return sum(TASK.hardness(json.loads(r["problem"])) for r in rs) / len(rs)

    for key in ("effort", "hardness"):
        assert mean(1, key) * 1.5 < mean(5, key) < mean(10, key)


def test_chinese_prompt_translates_the_question():
    for row in rows(4, 6):
        data = json.loads(row["problem"])
        text = TASK.prompt(Problem(data, row["answer"]), 0, "zh")
        assert "期望" in text and "expected" not in text and "<answer>7/2</answer>" in text
