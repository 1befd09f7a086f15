"""Specification of object_counting beyond the contract.

The gold count is re-derived by reading the rendered story with regular expressions (an
independent reader of the text, not the generator's event replay); zero is never the answer.
"""

from __future__ import annotations

import json
import re

from synlog.synth.example import make_row
from synlog.tasks import get_task
from synlog.tasks.logic.object_counting import CATEGORIES, NUMBER_WORDS

TASK = get_task("object_counting")
CATEGORY_OF = {plural: cat for cat, things in CATEGORIES.items() for _, plural in things}
CATEGORY_OF.update({singular: cat for cat, things in CATEGORIES.items() for singular, _ in things})


def number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS.index(word)


def recount(story: list[str], category: str) -> int:
    total = 0
    for sentence in story:
        if m := re.fullmatch(r"I have (\w+) (.+)\.", sentence):
            sign, n, thing = 1, m[1], m[2]
        elif m := re.fullmatch(r"\w+ gave me (\w+) more (.+)\.", sentence):
            sign, n, thing = 1, m[1], m[2]
        elif m := re.fullmatch(r"I gave \w+ (\w+) of my (.+)\.", sentence):
            sign, n, thing = -1, m[1], m[2]
        else:
            assert re.fullmatch(r"[A-Z]\w+ has \w+ .+\.", sentence), sentence
            continue
        if CATEGORY_OF[thing] == category:
            total += sign * number(n)
    return total


def rows(levels=range(1, 11), n=8, seed=5):
    for level in levels:
        for i in range(n):
            yield make_row("object_counting", level, TASK.knobs.resolve(level), seed, i)


def test_gold_count_matches_an_independent_reading_of_the_story():
    checked = 0
    for row in rows():
        problem = json.loads(row["problem"])
        assert recount(problem["story"], problem["category"]) == int(row["answer"]), row["id"]
        checked += 1
    assert checked >= 50


def test_zero_is_never_the_answer_and_answers_spread():
    answers = [int(r["answer"]) for r in rows(n=12)]
    assert min(answers) >= 1
    assert max(answers.count(a) for a in set(answers)) / len(answers) < 0.3


def test_strict_parsing():
    row = next(rows(levels=[6], n=1))
    problem, gold = json.loads(row["problem"]), row["answer"]
    assert TASK.verify(problem, f" {gold} ").correct
    for text in (f"{gold} fruits", f"about {gold}", f"{gold} or {int(gold) + 1}", f"{gold}.5", ""):
        assert not TASK.verify(problem, text).correct, text
