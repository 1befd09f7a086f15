"""Specification of time_sequence beyond the contract.

The answer is recomputed minute by minute from the calendars and rules (the generator works
on a coarser grid with numpy runs): a minute is free when nobody has a meeting and no rule
forbids it; maximal runs of free minutes are the common free slots.
"""

from __future__ import annotations

import json

from synlog.synth.example import make_row
from synlog.tasks import get_task

TASK = get_task("time_sequence")


def allowed(rule: dict, day: str, minute: int) -> bool:
    if rule["kind"] == "day_off":
        return rule["day"] != day
    if rule["kind"] == "not_before":
        return minute >= rule["time"]
    return minute < rule["time"]


def answer_by_minutes(problem: dict) -> tuple[int, int]:
    runs = []
    for day in problem["days"]:
        run = 0
        for minute in range(9 * 60, 17 * 60 + 1):
            free = minute < 17 * 60 and all(
                not any(a <= minute < b for a, b in problem["busy"][p][day]) for p in problem["people"]
            ) and all(allowed(r, day, minute) for r in problem["rules"])
            if free:
                run += 1
            elif run:
                runs.append(run)
                run = 0
    longest = max(runs)
    return longest, runs.count(longest)


def rows(levels=range(1, 11), n=6, seed=4):
    for level in levels:
        for i in range(n):
            yield make_row("time_sequence", level, TASK.knobs.resolve(level), seed, i)


def test_gold_matches_a_minute_by_minute_recount():
    checked = 0
    for row in rows():
        problem = json.loads(row["problem"])
        longest, count = answer_by_minutes(problem)
        assert row["answer"] == f"{longest}, {count}", row["id"]
        checked += 1
    assert checked >= 50


def test_prompt_defines_the_slot_precisely():
    prompt = next(rows(levels=[5], n=1))["prompt"]
    assert "maximal" in prompt and "exactly that length" in prompt and "minutes" in prompt


def test_answer_forms():
    row = next(rows(levels=[6], n=1))
    problem = json.loads(row["problem"])
    longest, count = problem["longest"], problem["count"]
    for text in (f"{longest}, {count}", f"{longest} {count}", f"{longest} minutes, {count} slots"):
        assert TASK.verify(problem, text).correct, text
    for text in (f"{count}, {longest}" if count != longest else "0, 0", f"{longest}", f"{longest}, {count}, 1",
                 f"{longest // 60}h, {count}", "valid", f"{longest}{count}",
                 f"{longest}minutes{count}"):
        assert not TASK.verify(problem, text).correct, text
