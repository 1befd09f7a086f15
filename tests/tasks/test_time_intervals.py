"""time_intervals: every answer is re-derived from the *printed English prompt* by hand
arithmetic on seconds since midnight (and, for date-times, a day count of this file's own),
without ``datetime``; verify reads the semicolon list strictly and pays nothing for a partly
right answer."""

from __future__ import annotations

import json
import re

from synlog.tasks.base import Problem
from tests.tasks.row_checks import assert_effort_and_hardness_grow
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("time_intervals")
TASK = CHECKS.task
TIME = r"(\d\d):(\d\d)(?::(\d\d))?"
STAMP = rf"(\d{{4}})-(\d\d)-(\d\d) {TIME}"
DAY = 24 * 3600


def seconds_of(text: str) -> int:
    h, m, s = re.fullmatch(TIME, text).groups()
    return 3600 * int(h) + 60 * int(m) + int(s or 0)


def days_before(year: int, month: int, day: int) -> int:
    """Days from 0001-01-01 to the date, by counting leap years and month lengths."""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    months = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    y = year - 1
    return 365 * y + y // 4 - y // 100 + y // 400 + sum(months[: month - 1]) + day - 1


def instant(text: str) -> int:
    y, mo, d, h, mi, s = re.fullmatch(STAMP, text).groups()
    return days_before(int(y), int(mo), int(d)) * DAY + 3600 * int(h) + 60 * int(mi) + int(s or 0)


def offset(text: str) -> int:
    sign, h, m = re.fullmatch(r"UTC([+-])(\d\d):(\d\d)", text).groups()
    return (1 if sign == "+" else -1) * (3600 * int(h) + 60 * int(m))


def as_clock(value: int, with_seconds: bool) -> str:
    value %= DAY
    text = f"{value // 3600:02d}:{value % 3600 // 60:02d}"
    return text + (f":{value % 60:02d}" if with_seconds else "")


def as_duration(value: int, with_seconds: bool) -> str:
    assert value > 0
    text = f"{value // 3600}h {value % 3600 // 60}m"
    return text + (f" {value % 60}s" if with_seconds else "")


def answer(line: str, s: bool) -> str:
    """One printed question's answer."""
    if m := re.fullmatch(r"How long is it from (\S+) to (\S+)\?", line):
        return as_duration((seconds_of(m.group(2)) - seconds_of(m.group(1))) % DAY, s)
    if m := re.fullmatch(r"How long is it from (\S+ \S+) to (\S+ \S+)\?", line):
        return as_duration(instant(m.group(2)) - instant(m.group(1)), s)
    if m := re.fullmatch(r"What time does the clock show (\d+)h (\d+)m(?: (\d+)s)? (after|before) (\S+)\?", line):
        shift = 3600 * int(m.group(1)) + 60 * int(m.group(2)) + int(m.group(3) or 0)
        return as_clock(seconds_of(m.group(5)) + (shift if m.group(4) == "after" else -shift), s)
    if m := re.fullmatch(r"When clocks at (\S+) show (\S+), what time do clocks at (\S+) show\?", line):
        return as_clock(seconds_of(m.group(2)) - offset(m.group(1)) + offset(m.group(3)), s)
    m = re.fullmatch(r"A flight departs at (\S+ \S+) local time \((\S+)\) and lands at (\S+ \S+) local time "
                     r"\((\S+)\)\. How long is the flight\?", line)
    assert m, line
    return as_duration((instant(m.group(3)) - offset(m.group(4))) - (instant(m.group(1)) - offset(m.group(2))), s)


def rederive(prompt: str) -> list[str]:
    lines = [re.sub(r"^\d+\. ", "", line) for line in prompt.splitlines()]
    with_seconds = bool(re.search(r"\d\d:\d\d:\d\d", prompt))
    return [answer(line, with_seconds) for line in lines]


def test_gold_matches_a_rederivation_from_the_printed_prompt():
    checked = 0
    for level in range(1, 11):
        for problem in CHECKS.problems(level, 6):
            assert rederive(problem["question"]) == problem["answers"], problem["question"]
            checked += 1
    assert checked >= 50


def test_levels_bring_midnight_zones_seconds_and_part_hour_offsets():
    def prompts(level):
        return [p["question"] for p in CHECKS.problems(level, 12)]

    def crosses(prompt):
        return any(seconds_of(b) < seconds_of(a)
                   for a, b in re.findall(r"How long is it from (\d\d:\d\d\S*) to (\d\d:\d\d\S*)\?", prompt))

    assert not any(crosses(p) for p in prompts(1)) and any(crosses(p) for p in prompts(2))
    assert not any("UTC" in p for p in prompts(4)) and any("UTC" in p for p in prompts(5))
    assert not any(re.search(r"\d\d:\d\d:\d\d", p) for p in prompts(6)) and all(
        re.search(r"\d\d:\d\d:\d\d", p) for p in prompts(7))
    assert any(re.search(r"UTC[+-]\d\d:(30|45)", p) for level in (8, 9, 10) for p in prompts(level))


def test_gold_is_never_the_example_or_a_shortcut():
    for level in range(1, 11):
        for row in CHECKS.rows(level, 8):
            problem = json.loads(row["problem"])
            assert row["answer"] != "07:45; 26h 30m; 23:05"
            assert row["answer"] not in TASK.degenerate_answers(problem).values()


PROBLEM = {
    "seconds": False, "midnight": True, "answers": ["3h 25m", "03:10", "31h 50m"],
    "questions": [{"kind": "clock_duration", "start": 80100, "end": 6000},
                  {"kind": "clock_shift", "time": 78600, "amount": 19200, "sign": 1},
                  {"kind": "span", "start": "2024-02-28T22:15:00", "end": "2024-03-01T06:05:00"}],
}


def test_the_docstring_example_rederives():
    text = "\n".join(["1. How long is it from 22:15 to 01:40?", "2. What time does the clock show 5h 20m after 21:50?",
                      "3. How long is it from 2024-02-28 22:15 to 2024-03-01 06:05?"])
    assert rederive(text) == PROBLEM["answers"]
    assert TASK.verify(PROBLEM, "; ".join(rederive(text))).score == 1.0


def test_accepted_forms_score_one():
    CHECKS.assert_scores_one(PROBLEM, [
        "3h 25m; 03:10; 31h 50m", "3h 25m;03:10;31h 50m", "3h 25m\n03:10\n31h 50m", "1. 3h 25m\n2. 03:10\n3. 31h 50m",
        "- 3h 25m\n- 03:10\n- 31h 50m", "**3h 25m**; **03:10**; **31h 50m**", "3h 25m; 03:10; 31h 50m.",
        "03h 25m; 03:10; 31h 50m", "3h 25m；03:10；31h 50m"])


def test_hostile_answers_score_below_one():
    CHECKS.assert_below_one(PROBLEM, [
        "3h 25m; 03:10", "3h 25m; 03:10; 31h 50m; 31h 50m", "205; 03:10; 31h 50m", "205 minutes; 03:10; 31h 50m",
        "3.4167h; 03:10; 31h 50m", "3h25m; 03:10; 31h 50m", "3h 25m; 3:10; 31h 50m", "3h 25m; 3:10 AM; 31h 50m",
        "3h 25m; 03:10; 7h 50m", "3h 25m; 03:10; 1d 7h 50m", "3h 25m; 03:10:00; 31h 50m", "3h 25m 0s; 03:10; 31h 50m",
        "3 hours 25 minutes; 03:10; 31h 50m", "3h 25m or 20h 35m; 03:10; 31h 50m", "3h 25m, 03:10, 31h 50m",
        "20h 35m; 03:10; 31h 50m", "3h 25m; 03:11; 31h 50m", "2h 85m; 03:10; 31h 50m", "03:10; 3h 25m; 31h 50m",
        "07:45; 26h 30m; 23:05", "", "none", "3h 25m; 03:10; 31h 50m" + " " * 500 + "x", "3h 25m; 27:10; 31h 50m",
        "The answers: 3h 25m; 03:10; 31h 50m", "-3h 25m; 03:10; 31h 50m"])


def test_a_partly_right_answer_earns_no_credit():
    verdict = TASK.verify(PROBLEM, "3h 25m; 03:10; 31h 51m")
    assert verdict.score == 0.0 and "fraction" not in verdict.details


test_verify_never_raises_on_arbitrary_text = CHECKS.never_raises(level=7)


def test_levels_get_harder():
    assert_effort_and_hardness_grow(CHECKS, (1, 5, 10), factor=1.25)


def test_chinese_prompt_words_the_questions_in_chinese():
    row = CHECKS.rows(5, 1)[0]
    text = TASK.prompt(Problem(json.loads(row["problem"]), row["answer"]), 0, "zh")
    assert "经过多长时间" in text or "几点" in text
    assert "How long" not in text and "What time" not in text and "<answer>07:45; 26h 30m; 23:05</answer>" in text
