"""Specification of letter_counting beyond the contract.

Golds are re-derived from the prompt's text on >= 50 instances by walking the characters and
comparing code points (no ``str.count``, no ``lower()``), and by reading the text back out of
the rendered prompt.
"""

from __future__ import annotations

import json

from tests.tasks.row_checks import assert_shortcuts_score_zero
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("letter_counting")
TASK = CHECKS.task


def brute_count(text: str, letter: str, rule: str) -> int:
    low, up = ord(letter), ord(letter) - 32
    return sum(1 for ch in text if ord(ch) == low or (rule == "any" and ord(ch) == up))


def test_gold_matches_a_character_walk_over_the_prompt_text():
    checked = 0
    for level in (1, 3, 5, 7, 10):
        for row in CHECKS.rows(level, 12):
            problem = json.loads(row["problem"])
            line = next(x for x in row["prompt"].splitlines() if x.startswith(("Text: ", "文本：")))
            text = line.split(": ", 1)[1] if line.startswith("Text: ") else line.split("：", 1)[1]
            assert text == " ".join(problem["words"])
            assert row["answer"] == str(brute_count(text, problem["letter"], problem["rule"])), row["id"]
            checked += 1
    assert checked >= 50


def test_case_rule_always_matters_and_shortcuts_miss():
    for level in (1, 4, 10):
        for problem in CHECKS.problems(level, 20, seed=9):
            text, letter = " ".join(problem["words"]), problem["letter"]
            assert brute_count(text, letter, "any") != brute_count(text, letter, "lower")
    assert_shortcuts_score_zero(CHECKS, (1, 4, 10), n=20, seed=9, skip=["the example answer"])


def test_verifier_accepts_one_integer_only():
    problem = {"words": ["Green", "tree", "REEF", "apple"], "letter": "e", "rule": "any"}
    assert TASK.verify(problem, "7").score == 1
    assert TASK.verify(problem, "**7**.").score == 1
    assert TASK.verify({**problem, "rule": "lower"}, "5").score == 1
    for bad in ("7.0", "seven", "7 or 8", "7, 8", "7 times", "14/2", "07e0", "5", "8", "", "7\n7", "9" * 100):
        assert TASK.verify(problem, bad).score == 0, bad
    assert TASK.verify(problem, "x" * 100_000).score == 0


test_verifier_never_raises_on_arbitrary_text = CHECKS.never_raises(level=3, max_size=300, examples=200)


def test_levels_get_harder():
    hardness = [CHECKS.mean(level, TASK.hardness, n=20) for level in (1, 5, 10)]
    assert hardness[0] < hardness[1] < hardness[2]
    spans = [TASK.knobs.resolve(level)["span"] for level in range(1, 11)]
    assert spans == sorted(spans)
