"""Specification of the word_ladder task beyond the shared contract.

Optima are re-derived by a bidirectional breadth-first search over the listed words only, whose
neighbours are found by trying every letter at every position (the generator uses blanked
patterns over the whole word list).
"""

from __future__ import annotations

import json
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import synlog
from synlog.tasks.base import get_task
from synlog.tasks.search.word_ladder import EXAMPLE
from synlog.verifiers.verdict import Reason

TASK = get_task("word_ladder")


def problems(levels, per_level, seed=7):
    return [(json.loads(r["problem"]), r["answer"]) for level in levels
            for r in synlog.generate("word_ladder", difficulty=level, n=per_level, seed=seed)]


def one_away(word, listed):
    for i in range(len(word)):
        for letter in string.ascii_lowercase:
            other = word[:i] + letter + word[i + 1:]
            if other != word and other in listed:
                yield other


def fewest_steps(start, target, listed) -> int | None:
    listed = set(listed)
    seen = [{start: 0}, {target: 0}]
    frontier = [[start], [target]]
    if start == target:
        return 0
    while frontier[0] and frontier[1]:
        side = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        nxt = []
        for word in frontier[side]:
            for other in one_away(word, listed):
                if other in seen[1 - side]:
                    return seen[side][word] + 1 + seen[1 - side][other]
                if other not in seen[side]:
                    seen[side][other] = seen[side][word] + 1
                    nxt.append(other)
        frontier[side] = nxt
    return None


def test_optima_are_rederived_on_sixty_instances():
    for problem, gold in problems(range(1, 7), 10):
        assert fewest_steps(problem["start"], problem["target"], problem["words"]) == problem["optimum"]
        assert len(gold.split(", ")) == problem["optimum"] + 1 and TASK.verify(problem, gold).correct


@pytest.mark.slow
def test_optima_are_rederived_at_every_level():
    for problem, _ in problems(range(1, 11), 20, seed=8):
        assert fewest_steps(problem["start"], problem["target"], problem["words"]) == problem["optimum"]


PROBLEM = {"start": "cold", "target": "warm", "length": 4, "optimum": 4,
           "words": ["card", "cold", "cord", "corm", "ward", "warm", "word", "worm"]}


def test_every_shortest_ladder_scores_one():
    assert TASK.verify(PROBLEM, "cold, cord, card, ward, warm").correct
    assert TASK.verify(PROBLEM, "cold, cord, word, ward, warm").correct
    assert TASK.verify(PROBLEM, "COLD -> CORD -> WORD -> WORM -> WARM").correct


def test_a_longer_ladder_scores_zero_with_partial_credit():
    verdict = TASK.verify(PROBLEM, "cold, cord, corm, worm, word, ward, warm")
    assert verdict.score == 0 and verdict.details["fraction"] == pytest.approx(4 / 6)


@pytest.mark.parametrize("answer, reason", [
    ("cold, cord, card, ward, warm or cold, cord, word, ward, warm", Reason.WRONG),   # a hedge
    ("cold, cord, card, ward", Reason.WRONG),                   # a partial ladder
    ("cold, warm", Reason.WRONG),                               # a jump
    ("cold, cord, card, cart, ward, warm", Reason.WRONG),       # a word not listed
    ("cold, cord, ward, warm", Reason.WRONG),                   # two letters at once
    ("cold, cord, card, ward, warm, cold, cord, card, ward, warm", Reason.WRONG),  # twice
    ("cold, colds, cord, card, ward, warm", Reason.WRONG),      # a letter added
    ("cold, cord, card, ward, warm." * 300, Reason.INVALID),    # enormous
    ("cold1, cord", Reason.UNPARSEABLE),
    ("", Reason.UNPARSEABLE),
])
def test_attacks_score_zero(answer, reason):
    verdict = TASK.verify(PROBLEM, answer)
    assert verdict.score == 0 and verdict.reason is reason, verdict


def test_the_prompts_example_never_solves_its_instance():
    for problem, _ in problems((1, 3, 5), 8):
        assert not TASK.verify(problem, EXAMPLE).correct


def test_the_list_holds_side_roads_and_is_shown_sorted():
    for problem, gold in problems((5,), 5):
        assert problem["words"] == sorted(problem["words"])
        assert len(problem["words"]) > 2 * len(gold.split(", "))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PROBLEM["words"] + ["colt", "wars"]), min_size=1, max_size=9))
def test_random_ladders_never_raise_and_pay_only_shortest_ladders(words):
    verdict = TASK.verify(PROBLEM, ", ".join(words))
    assert verdict.reason is not Reason.ERROR
    if verdict.correct:
        assert words[0] == "cold" and words[-1] == "warm" and len(words) == 5
        assert all(sum(x != y for x, y in zip(a, b, strict=True)) == 1
                   for a, b in zip(words, words[1:], strict=False))
        assert set(words) <= set(PROBLEM["words"])
