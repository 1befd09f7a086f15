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
    return max(runs), sum(runs)


def rows(levels=range(1, 11), n=6, seed=4):
    for level in levels:
        for i in range(n):
            yield make_row("time_sequence", level, TASK.knobs.resolve(level), seed, i)


def test_gold_matches_a_minute_by_minute_recount():
    checked = 0
    for row in rows():
        problem = json.loads(row["problem"])
        longest, total = answer_by_minutes(problem)
        assert row["answer"] == f"{longest}, {total}", row["id"]
        checked += 1
    assert checked >= 50


def test_prompt_defines_the_slot_precisely():
    for template in range(TASK.templates("en")):
        prompt = make_row("time_sequence", 5, {**TASK.knobs.resolve(5), "template": template}, 4, 0)["prompt"]
        assert "maximal" in prompt and "total length in minutes" in prompt and "longest" in prompt
    for template in range(TASK.templates("zh")):
        prompt = make_row("time_sequence", 5, {**TASK.knobs.resolve(5), "template": template, "lang": "zh"},
                          4, 0)["prompt"]
        assert "极大" in prompt and "总分钟数" in prompt and "最长" in prompt


def test_answer_forms():
    row = next(rows(levels=[6], n=1))
    problem = json.loads(row["problem"])
    longest, total = problem["longest"], problem["total"]
    for text in (f"{longest}, {total}", f"{longest} {total}", f"{longest} minutes, {total} minutes"):
        assert TASK.verify(problem, text).correct, text
    for text in (f"{total}, {longest}" if total != longest else "0, 0", f"{longest}", f"{longest}, {total}, 1",
                 f"{longest // 60}h, {total}", "valid", f"{longest}{total}",
                 f"{longest}minutes{total}", f"{longest}, {total} slots"):
        assert not TASK.verify(problem, text).correct, text


def test_answers_spread_and_shortcuts_stay_rare():
    """No (longest, total) pair is the gold of more than a few rows, the longest slot is never
    the whole free time, and the rules always matter when there are any."""
    from collections import Counter

    for level in (1, 5, 10):
        data = [make_row("time_sequence", level, TASK.knobs.resolve(level), 3, i) for i in range(150)]
        golds = Counter(r["answer"] for r in data)
        assert golds.most_common(1)[0][1] / len(data) <= 0.05, golds.most_common(3)
        for row in data:
            problem = json.loads(row["problem"])
            assert problem["longest"] < problem["total"]
            assert row["answer"] not in TASK.degenerate_answers(problem).values(), row["id"]
