"""Specification of word_sorting beyond the contract.

Gold lists are re-derived from the prompt's data by translating the alphabet into plain
character codes and using Python's string order (no rank lists), on ≥ 50 instances.
"""

from __future__ import annotations

import json
import string

from synlog.synth.example import make_row
from synlog.tasks import get_task

TASK = get_task("word_sorting")


def test_gold_matches_a_translated_string_sort():
    checked = 0
    for level in (1, 3, 5, 7, 10):
        for i in range(12):
            row = make_row("word_sorting", level, TASK.knobs.resolve(level), 6, i)
            problem = json.loads(row["problem"])
            order = problem["moved"] + [c for c in string.ascii_lowercase if c not in problem["moved"]]
            table = str.maketrans("".join(order), "".join(chr(0x100 + i) for i in range(26)))
            expected = sorted(problem["words"], key=lambda w: w.translate(table), reverse=problem["descending"])
            assert row["answer"] == ", ".join(expected), row["id"]
            assert len(set(problem["words"])) == len(problem["words"])
            checked += 1
    assert checked >= 50


def test_the_whole_list_is_checked():
    problem = {"words": ["car", "cat", "tea"], "moved": ["t"], "descending": False,
               "order": "t" + "abcdefghijklmnopqrsuvwxyz"}
    assert TASK.verify(problem, "tea, cat, car").score == 1  # "t" comes before "r"
    assert TASK.verify(problem, "[Tea, Cat, Car]").score == 1
    for wrong in ("car, cat, tea", "tea, cat", "tea, cat, car, car", "tea cat car dog", "tea, car, cat"):
        assert TASK.verify(problem, wrong).score == 0, wrong


def test_the_modified_alphabet_always_changes_the_order_and_the_listing_is_never_the_answer():
    for level in (1, 3, 5, 10):
        for i in range(30):
            row = make_row("word_sorting", level, TASK.knobs.resolve(level), 7, i)
            problem = json.loads(row["problem"])
            words, gold = problem["words"], row["answer"].split(", ")
            assert problem["moved"], row["id"]
            assert gold not in (sorted(words), sorted(words, reverse=True), words, words[::-1]), row["id"]
            for answer in TASK.degenerate_answers(problem).values():
                assert TASK.verify(problem, answer).score == 0
