"""expected_value: the gold is re-derived two other ways — closed forms (linearity, the
hypergeometric mean, tail sums for maxima and minima, inclusion–exclusion for distinct values)
and a plain-Python enumeration (itertools.product for dice and coins, labelled-ball
itertools.permutations for urns) — and verify refuses hedges, decimals and unreduced forms."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import pytest

from tests.tasks.chance_checks import assert_chinese_prompts, elementary, fraction_parts, holds
from tests.tasks.row_checks import assert_effort_and_hardness_grow
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("expected_value")
TASK = CHECKS.task
SEED = 11


def value_of(quantity: list, seq: tuple) -> int:
    name, args = quantity[0], quantity[1:]
    if name == "bet":
        return args[1] if holds(args[0], seq) else -args[2]
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
    values = [value_of(quantity, seq) for seq in elementary(exp)]
    return Fraction(sum(values), len(values))


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
        for row in CHECKS.rows(level, 30, seed=SEED):
            problem = json.loads(row["problem"])
            expected = closed_form(problem["experiment"], problem["quantity"])
            if expected is not None:
                assert Fraction(row["answer"]) == expected, row["id"]
                checked += 1
    assert checked >= 50


def test_gold_matches_a_plain_enumeration():
    checked = 0
    for level in range(1, 6):
        for row in CHECKS.rows(level, 12, seed=SEED):
            problem = json.loads(row["problem"])
            assert Fraction(row["answer"]) == enumerate_mean(problem["experiment"], problem["quantity"]), row["id"]
            checked += 1
    assert checked >= 50


@pytest.mark.slow
def test_gold_matches_a_plain_enumeration_at_higher_levels():
    for level in range(6, 11):
        for row in CHECKS.rows(level, 4, seed=SEED):
            problem = json.loads(row["problem"])
            if problem["experiment"]["kind"] == "urn" and math.perm(
                    sum(problem["experiment"]["counts"]), problem["experiment"]["draws"]) > 300_000:
                continue
            assert Fraction(row["answer"]) == enumerate_mean(problem["experiment"], problem["quantity"]), row["id"]


def test_questions_name_the_experiment_and_golds_are_reduced():
    for level in (1, 5, 10):
        for row in CHECKS.rows(level, 12, seed=SEED):
            problem = json.loads(row["problem"])
            value = Fraction(row["answer"])
            assert row["answer"] == (str(value.numerator) if value.denominator == 1
                                     else f"{value.numerator}/{value.denominator}")
            assert "expected value" in problem["question"]
            assert problem["low"] < value < problem["high"]


def sample_problem() -> dict:
    for problem in CHECKS.problems(3, 12, seed=SEED):
        if Fraction(problem["value"]).denominator > 1:
            return problem
    raise AssertionError("no fractional gold")


def test_hostile_answers_score_below_one():
    problem = sample_problem()
    gold = Fraction(problem["value"])
    p, q = fraction_parts(problem)
    hostile = [f"{2 * p}/{2 * q}", f"{float(gold):.8f}", f"{p}/{q} or {p + 1}/{q}", f"{p}/{q}, {p + 1}/{q}",
               f"{p}/{q} + 0", "7/2", "9" * 5000, f"E = {p}/{q}", "", f"{p}/{q}/1",
               str(problem["low"]), str(problem["high"])]
    if abs(p) > q:
        hostile.append(f"{abs(p) // q} {abs(p) % q}/{q}")
    CHECKS.assert_below_one(problem, hostile)


def test_alternative_forms_score_one():
    problem = sample_problem()
    p, q = fraction_parts(problem)
    CHECKS.assert_scores_one(problem, [f"{p}/{q}", f"\\dfrac{{{p}}}{{{q}}}", f"${p}/{q}$"])


test_verify_never_raises_on_arbitrary_text = CHECKS.never_raises(level=3, max_size=80, examples=100)


def test_levels_get_harder():
    assert_effort_and_hardness_grow(CHECKS, n=12, seed=SEED, factor=1.5)


def test_chinese_prompt_translates_the_question():
    assert_chinese_prompts(CHECKS, CHECKS.rows(4, 6, seed=SEED), "期望", "expected", "7/2")
