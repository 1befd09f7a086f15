"""probability_cards: the gold is recounted by a pure-Python loop over itertools.combinations
(without replacement) or itertools.product (with replacement) of a deck built from the *printed
English question*, with this file's own reading of every printed condition (not the
generator's numpy feature columns or its stored spec); verify refuses hedges, decimals and
unreduced forms."""

from __future__ import annotations

import itertools
import json
import math
import re
from fractions import Fraction

import pytest

from synlog.tasks.base import Problem
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("probability_cards")
TASK = CHECKS.task
RANK_WORDS = ["ace", "king", "queen", "jack", "ten", "nine", "eight", "seven", "six", "five", "four",
              "three", "two"]
SUIT_WORDS = ["spade", "heart", "diamond", "club"]
#: the largest number of hands the pure-Python recount walks in the default run
DEFAULT_RECOUNT = 50_000


def deck_of(question: str) -> list[tuple[str, str]]:
    """The deck the question prints, as (rank word, suit word) pairs."""
    if question.startswith("A standard 52-card deck"):
        ranks = RANK_WORDS
    else:
        listed = re.search(r"only the (.*?) of each of the four suits", question).group(1)
        ranks = re.split(r", | and ", listed)
    return [(rank, suit) for rank in ranks for suit in SUIT_WORDS]


def singular(noun: str) -> str:
    return noun[:-2] if noun.endswith("xes") else noun.removesuffix("s")


def counter(noun: str):
    """How many cards of a hand the printed noun counts ("hearts", "red card", "face card")."""
    noun = singular(noun)
    if noun in SUIT_WORDS:
        return lambda hand: sum(suit == noun for _, suit in hand)
    if noun in RANK_WORDS:
        return lambda hand: sum(rank == noun for rank, _ in hand)
    if noun == "face card":
        return lambda hand: sum(rank in ("jack", "queen", "king") for rank, _ in hand)
    colour = {"red card": ("heart", "diamond"), "black card": ("spade", "club")}[noun]
    return lambda hand: sum(suit in colour for _, suit in hand)


def clause_test(clause: str):
    """A predicate on a hand (a tuple of cards) for one printed condition."""
    match = re.fullmatch(r"(at least|exactly|at most) (\d+) ([a-z ]+?) (?:is|are) drawn", clause)
    if match:
        word, j, count = match.group(1), int(match.group(2)), counter(match.group(3))
        compare = {"at least": lambda c: c >= j, "exactly": lambda c: c == j, "at most": lambda c: c <= j}[word]
        return lambda hand: compare(count(hand))
    match = re.fullmatch(r"no ([a-z ]+) is drawn", clause)
    if match:
        count = counter(match.group(1))
        return lambda hand: count(hand) == 0
    colour = {"spade": 0, "club": 0, "heart": 1, "diamond": 1}
    return {
        "all the cards drawn have the same suit": lambda hand: len({s for _, s in hand}) == 1,
        "all the cards drawn have the same colour": lambda hand: len({colour[s] for _, s in hand}) == 1,
        "no two cards drawn have the same rank": lambda hand: len({r for r, _ in hand}) == len(hand),
        "the cards drawn all have different suits": lambda hand: len({s for _, s in hand}) == len(hand),
    }[clause]


def read(question: str):
    """The deck, the draws, the mode and the event's predicate, as printed."""
    deck = deck_of(question)
    with_replacement = "put back" in question
    k = int(re.search(r"this is done (\d+) times" if with_replacement else r" (\d+) cards are dealt", question).group(1))
    event = re.search(r"What is the probability that (.*)\?$", question).group(1)
    joined_or = event.endswith(" (or more than one of these)")
    event = event.removesuffix(" (or more than one of these)")
    tests = [clause_test(part) for part in re.split(r",? (?:and|or) |, ", event)]
    combine = any if joined_or else all
    return deck, k, with_replacement, lambda hand: combine(t(hand) for t in tests)


def hand_count(question: str) -> int:
    deck, k, with_replacement, _ = read(question)
    return len(deck) ** k if with_replacement else math.comb(len(deck), k)


def recount(question: str) -> Fraction:
    deck, k, with_replacement, holds = read(question)
    draws = itertools.product(deck, repeat=k) if with_replacement else itertools.combinations(deck, k)
    hits = total = 0
    for hand in draws:
        total += 1
        hits += holds(hand)
    return Fraction(hits, total)


def test_gold_matches_a_recount_from_the_printed_question():
    checked = 0
    for level in range(1, 7):  # levels 7-10 (52-card hands) are recounted in the slow run
        for problem in CHECKS.problems(level, 24):
            if hand_count(problem["question"]) > DEFAULT_RECOUNT:
                continue
            assert Fraction(problem["value"]) == recount(problem["question"]), problem["question"]
            assert TASK.verify(problem, problem["value"]).score == 1.0
            checked += 1
    assert checked >= 50


def recount_multisets(question: str) -> Fraction:
    """With replacement: each multiset of cards once, weighted by its k!/prod(m!) orders."""
    deck, k, with_replacement, holds = read(question)
    assert with_replacement
    hits = 0
    for hand in itertools.combinations_with_replacement(deck, k):
        if holds(hand):
            orders = math.factorial(k)
            for card in set(hand):
                orders //= math.factorial(hand.count(card))
            hits += orders
    return Fraction(hits, len(deck) ** k)


@pytest.mark.slow
def test_gold_matches_a_recount_at_the_top_levels():
    for level in (6, 7, 8):
        recounted = 0
        for problem in CHECKS.problems(level, 12):
            if hand_count(problem["question"]) <= 3_000_000 and recounted < 2:
                assert Fraction(problem["value"]) == recount(problem["question"]), problem["question"]
                recounted += 1
        assert recounted >= 1, level
    for level in (9, 10):
        problem = CHECKS.problem(level)
        assert Fraction(problem["value"]) == recount_multisets(problem["question"]), problem["question"]


def test_both_drawing_modes_and_both_decks_appear():
    questions = [p["question"] for level in (3, 4, 5) for p in CHECKS.problems(level, 12)]
    assert any("put back" in q for q in questions) and any("without replacement" in q for q in questions)
    assert any(q.startswith("A standard") for q in questions) and any(q.startswith("A reduced") for q in questions)
    assert any("(or more than one of these)" in q for q in questions)


def assert_reduced_and_never_trivial_or_a_shortcut(levels):
    for level in levels:
        for problem in CHECKS.problems(level, 6):
            value = Fraction(problem["value"])
            assert 0 < value < 1 and value not in (Fraction(1, 2), Fraction(1, 17))
            assert problem["value"] == f"{value.numerator}/{value.denominator}"
            assert problem["value"] not in TASK.degenerate_answers(problem).values()


def test_gold_is_reduced_and_never_trivial_or_a_shortcut():
    assert_reduced_and_never_trivial_or_a_shortcut(range(1, 7))


@pytest.mark.slow
def test_gold_is_reduced_and_never_trivial_or_a_shortcut_on_52_card_hands():
    assert_reduced_and_never_trivial_or_a_shortcut(range(7, 11))


def test_swapping_the_drawing_mode_changes_the_answer():
    """The recount of the question with the other drawing mode never gives the gold."""
    for problem in CHECKS.problems(2, 10):
        question = problem["question"]
        if "put back" in question:
            k = re.search(r"this is done (\d+) times", question).group(1)
            swapped = re.sub(r" A card is drawn at random.*?equally likely\)\.",
                             f" {k} cards are dealt from it at random, without replacement.", question)
        else:
            k = re.search(r" (\d+) cards are dealt", question).group(1)
            swapped = re.sub(r" \d+ cards are dealt.*?equally likely\)\.",
                             f" A card is drawn at random, put back; this is done {k} times.", question)
        assert swapped != question
        assert recount(swapped) != Fraction(problem["value"])


def test_hostile_answers_score_below_one():
    problem = CHECKS.problem(level=3)
    gold = Fraction(problem["value"])
    p, q = gold.numerator, gold.denominator
    CHECKS.assert_below_one(problem, [
        f"{2 * p}/{2 * q}", f"{float(gold):.6f}", f"{100 * float(gold):.2f}%", f"{p}/{q} or {q - p}/{q}",
        f"{p}/{q}, {q - p}/{q}", f"{p}/{q} + 0", "1/17", "1" * 5000, f"{p} / {q} = {float(gold)}", "",
        f"{p}/{q}/1", f"1 - {q - p}/{q}", f"{p + 1}/{q}", f"{p}/{q + 1}", f"({p})/({q})*1",
        *TASK.degenerate_answers(problem).values()])


def test_alternative_forms_score_one():
    problem = CHECKS.problem(level=3)
    value = Fraction(problem["value"])
    p, q = value.numerator, value.denominator
    CHECKS.assert_scores_one(problem, [f"\\frac{{{p}}}{{{q}}}", f"{p}/{q}", f" {p}/{q} ", f"\\dfrac{{{p}}}{{{q}}}"])


test_verify_never_raises_on_arbitrary_text = CHECKS.never_raises(level=3)


def test_levels_get_harder():
    rows = {level: CHECKS.rows(level, 8) for level in (1, 5, 10)}
    effort = {level: sum(r["effort"] for r in rs) / len(rs) for level, rs in rows.items()}
    hardness = {level: CHECKS.mean(level, TASK.hardness, n=8) for level in (1, 5, 10)}
    for measured in (effort, hardness):
        assert measured[1] * 1.5 < measured[5] < measured[10]


def test_chinese_prompt_translates_the_question():
    row = CHECKS.rows(4, 1)[0]
    text = TASK.prompt(Problem(json.loads(row["problem"]), row["answer"]), 0, "zh")
    assert "扑克牌" in text and "probability" not in text and "<answer>1/17</answer>" in text
