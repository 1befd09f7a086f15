"""Specification of string_rewriting beyond the contract.

The rules and the start string are read back from the rendered PROMPT text (both languages)
and rewritten by a second, independent rewriter written here with ``re.subn(..., count=1)``
(the task scans positions by hand); both must reach the gold, and the gold must be a fixpoint.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synlog.synth.example import make_row
from synlog.tasks import get_task
from synlog.verifiers.score import score
from synlog.verifiers.verdict import Reason

TASK = get_task("string_rewriting")
RULE = re.compile(r"^\d+\. ([a-z]+) -> ([a-z]+|\(empty\)|（空）)$", re.M)
START = re.compile(r"^(?:Start string: |起始字符串：)([a-z]+)$", re.M)


def regex_rewrite(start: str, rules: list[tuple[str, str]], cap: int = 100) -> str | None:
    text = start
    for _ in range(cap + 1):
        for left, right in rules:
            text, hits = re.subn(re.escape(left), lambda _m, r=right: r, text, count=1)
            if hits:
                break
        else:
            return text
    return None


def rows(levels=range(1, 11), n=6, seed=5, lang="en"):
    for level in levels:
        for i in range(n):
            yield make_row("string_rewriting", level, {**TASK.knobs.resolve(level), "lang": lang}, seed, i)


def test_prompt_text_rewritten_by_regex_gives_the_gold():
    checked = 0
    for row in [*rows(), *rows(lang="zh")]:
        rules = [(left, "" if right in ("(empty)", "（空）") else right) for left, right in RULE.findall(row["prompt"])]
        start = START.findall(row["prompt"])
        problem = json.loads(row["problem"])
        assert len(rules) == len(problem["rules"]) and len(start) == 1, row["id"]
        final = regex_rewrite(start[0], rules)
        assert final == row["answer"], row["id"]
        assert not any(left in final for left, _ in rules)
        checked += 1
    assert checked >= 100


def test_priority_order_matters_in_a_hand_example():
    problem = {"start": "cab", "rules": [["ab", "b"], ["ca", "ac"]], "final": "cb"}
    assert TASK.verify(problem, "cb").correct
    assert not TASK.verify(problem, "acb").correct  # "ca -> ac" first would give acb: rule 1 wins
    assert regex_rewrite("cab", [("ab", "b"), ("ca", "ac")]) == "cb"
    # leftmost occurrence, overlapping matches
    problem = {"start": "aaab", "rules": [["aa", "b"]], "final": "bab"}
    assert TASK.verify(problem, "bab").correct and not TASK.verify(problem, "abb").correct


def hostile(gold: str, start: str) -> list[str]:
    return [f"{gold} or {start}", f"{gold}, {start}", f"{gold}\n{start}", " ".join(gold), gold.upper(),
            f'"{gold}"', f"'{gold}'", "bbacab", gold * 2, gold + " " * 10 + gold, "a" * 100_000,
            f"The final string is {gold}", f"{gold}?", gold[:-1], ""]


def test_hostile_answers_score_below_one():
    for row in rows(levels=(1, 5, 10), n=4):
        problem = json.loads(row["problem"])
        for text in hostile(row["answer"], problem["start"]):
            if text == row["answer"]:
                continue
            verdict = score(TASK, row["problem"], f"<answer>{text}</answer>")
            assert verdict.score < 1.0 and verdict.reason is not Reason.ERROR, (row["id"], text[:40], verdict)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=200))
def test_verifier_never_raises(text):
    row = next(rows(levels=(4,), n=1))
    verdict = TASK.verify(json.loads(row["problem"]), text)
    assert verdict.reason is not Reason.ERROR and 0.0 <= verdict.score <= 1.0


def test_levels_get_harder():
    def mean(level, key):
        sample = list(rows(levels=(level,), n=15, seed=9))
        if key == "steps":
            return sum(json.loads(r["problem"])["steps"] for r in sample) / len(sample)
        return sum(TASK.hardness(json.loads(r["problem"])) for r in sample) / len(sample)

    for key in ("steps", "hardness"):
        assert mean(1, key) < mean(5, key) < mean(10, key), key


@pytest.mark.slow
def test_regex_rewriter_agrees_on_many_rows():
    for row in rows(n=40, seed=11):
        problem = json.loads(row["problem"])
        assert regex_rewrite(problem["start"], [tuple(r) for r in problem["rules"]]) == row["answer"]
