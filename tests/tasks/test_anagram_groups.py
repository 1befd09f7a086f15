"""Specification of anagram_groups beyond the contract.

Golds are re-derived on >= 50 instances with sorted-letter keys (the generator groups by
``Counter`` keys), from the words read back out of the rendered prompt.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.synth.example import make_row
from synlog.tasks import get_task
from synlog.verifiers.verdict import Reason

TASK = get_task("anagram_groups")
EXAMPLE = {"words": ["stone", "cat", "notes", "dog", "act", "tones"]}


def rows(level: int, n: int, seed: int = 3):
    return [make_row("anagram_groups", level, TASK.knobs.resolve(level), seed, i) for i in range(n)]


def sorted_key_groups(words: list[str]) -> set[frozenset[str]]:
    out: dict[str, set[str]] = {}
    for w in words:
        out.setdefault("".join(sorted(w)), set()).add(w)
    return {frozenset(g) for g in out.values()}


def test_gold_matches_sorted_letter_keys():
    checked = 0
    for level in (1, 3, 5, 7, 10):
        for row in rows(level, 12):
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
    for answer, reason in bad.items():
        verdict = TASK.verify(EXAMPLE, answer)
        assert verdict.score == 0 and verdict.reason is reason, (answer, verdict)
    assert TASK.verify(EXAMPLE, "act, cat\ndog\nnotes, stone, tones\n" * 2).score == 0
    assert TASK.verify(EXAMPLE, "cat, " * 20000).score == 0


def test_shortcuts_never_pay():
    for level in (1, 5, 10):
        for row in rows(level, 15, seed=8):
            problem = json.loads(row["problem"])
            for name, answer in TASK.degenerate_answers(problem).items():
                assert TASK.verify(problem, answer).score == 0, (row["id"], name)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_verifier_never_raises_on_arbitrary_text(text):
    assert TASK.verify(EXAMPLE, text).reason is not Reason.ERROR


def test_levels_get_harder():
    def mean(level, f):
        return sum(f(json.loads(r["problem"])) for r in rows(level, 20)) / 20
    assert mean(1, TASK.hardness) < mean(5, TASK.hardness) < mean(10, TASK.hardness)
    assert mean(1, lambda p: len(p["words"])) < mean(10, lambda p: len(p["words"]))
