"""Specification of anagram_groups beyond the contract.

Golds are re-derived on >= 50 instances with sorted-letter keys (the generator groups by
``Counter`` keys), from the words read back out of the rendered prompt.
"""

from __future__ import annotations

import json

from synlog.verifiers.verdict import Reason
from tests.tasks.row_checks import assert_refused, assert_shortcuts_score_zero
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("anagram_groups")
TASK = CHECKS.task
EXAMPLE = {"words": ["stone", "cat", "notes", "dog", "act", "tones"]}


def sorted_key_groups(words: list[str]) -> set[frozenset[str]]:
    out: dict[str, set[str]] = {}
    for w in words:
        out.setdefault("".join(sorted(w)), set()).add(w)
    return {frozenset(g) for g in out.values()}


def test_gold_matches_sorted_letter_keys():
    checked = 0
    for level in (1, 3, 5, 7, 10):
        for row in CHECKS.rows(level, 12, seed=3):
            problem = json.loads(row["problem"])
            line = next(x for x in row["prompt"].splitlines() if x.startswith(("Words: ", "单词：")))
            words = line.split("：" if line.startswith("单词") else ": ", 1)[1].split(", ")
            assert words == problem["words"] and len(set(words)) == len(words)
            gold = {frozenset(line.split(", ")) for line in row["answer"].split("\n")}
            assert gold == sorted_key_groups(words), row["id"]
            assert any(len(g) > 1 for g in gold)
            checked += 1
    assert checked >= 50


def test_rules_not_strings():
    assert TASK.verify(EXAMPLE, "act, cat\ndog\nnotes, stone, tones").score == 1
    assert TASK.verify(EXAMPLE, "tones stone notes\n- dog\ncat act").score == 1
    assert TASK.verify(EXAMPLE, "1. [cat, act]\n2. dog\n3. tones, notes, stone.").score == 1
    bad = {
        "act, cat\ndog\nnotes, stone": Reason.INVALID,                 # a word missing
        "act, cat\ndog\nnotes, stone, tones, tones": Reason.INVALID,   # a word twice
        "act, cat\ndog\nnotes, stone, tones\ngod": Reason.INVALID,     # a word not given
        "act, cat, dog\nnotes, stone, tones": Reason.WRONG,            # not anagrams
        "act\ncat\ndog\nnotes, stone, tones": Reason.WRONG,            # a class split
        "act, cat; dog; notes, stone, tones": Reason.WRONG,            # one line: all together
        "Here are the groups:\nact, cat\ndog\nnotes, stone, tones": Reason.UNPARSEABLE,
    }
    assert_refused(CHECKS, EXAMPLE, bad)
    assert TASK.verify(EXAMPLE, "act, cat\ndog\nnotes, stone, tones\n" * 2).score == 0
    assert TASK.verify(EXAMPLE, "cat, " * 20000).score == 0


def test_shortcuts_never_pay():
    assert_shortcuts_score_zero(CHECKS, (1, 5, 10), n=15, seed=8)


test_verifier_never_raises_on_arbitrary_text = CHECKS.never_raises(level=3, max_size=300, examples=200)


def test_levels_get_harder():
    hardness = [CHECKS.mean(level, TASK.hardness, n=20, seed=3) for level in (1, 5, 10)]
    assert hardness[0] < hardness[1] < hardness[2]
    words = [CHECKS.mean(level, lambda p: len(p["words"]), n=20, seed=3) for level in (1, 10)]
    assert words[0] < words[1]
