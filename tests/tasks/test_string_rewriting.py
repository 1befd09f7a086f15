"""Specification of string_rewriting beyond the contract.

The rules and the start string are read back from the rendered PROMPT text (both languages)
and rewritten by a second, independent rewriter written here with ``re.subn(..., count=1)``
(the task scans positions by hand); both must reach the gold, and the gold must be a fixpoint.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.tasks.row_checks import assert_tagged_below_one, rows_at, rows_in
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("string_rewriting")
TASK = CHECKS.task
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


def test_prompt_text_rewritten_by_regex_gives_the_gold():
    checked = 0
    for row in [*rows_at(CHECKS), *rows_in(CHECKS, "zh")]:
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
    for row in rows_at(CHECKS, (1, 5, 10), n=4):
        assert_tagged_below_one(CHECKS, row, hostile(row["answer"], json.loads(row["problem"])["start"]))


test_verifier_never_raises = CHECKS.never_raises(level=4)


def test_levels_get_harder():
    for measure in (lambda p: p["steps"], TASK.hardness):
        low, mid, high = (CHECKS.mean(level, measure, n=15, seed=9) for level in (1, 5, 10))
        assert low < mid < high, (low, mid, high)


@pytest.mark.slow
def test_regex_rewriter_agrees_on_many_rows():
    for row in rows_at(CHECKS, n=40, seed=11):
        problem = json.loads(row["problem"])
        assert regex_rewrite(problem["start"], [tuple(r) for r in problem["rules"]]) == row["answer"]
