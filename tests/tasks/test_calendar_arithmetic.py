"""calendar_arithmetic: every answer is re-derived from the *printed English prompt* without
``datetime``: weekdays by Zeller's congruence, day counts by a hand-written days-since-epoch
formula, shifted dates by stepping day by day through month lengths, weekday counts by a
day-by-day loop; verify reads the semicolon list strictly and pays nothing for a partly right
answer."""

from __future__ import annotations

import json
import re

from synlog.tasks.base import Problem
from synlog.tasks.math.calendar_arithmetic import WEEKDAYS
from tests.tasks.row_checks import assert_effort_and_hardness_grow
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("calendar_arithmetic")
TASK = CHECKS.task
DATE = r"(\d{4})-(\d{2})-(\d{2})"


def leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def month_length(year: int, month: int) -> int:
    return 29 if month == 2 and leap(year) else [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]


def zeller(year: int, month: int, day: int) -> str:
    """The weekday by Zeller's congruence (h = 0 is Saturday)."""
    if month < 3:
        month, year = month + 12, year - 1
    k, j = year % 100, year // 100
    h = (day + 13 * (month + 1) // 5 + k + k // 4 + j // 4 + 5 * j) % 7
    return ["Saturday", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday"][h]


def day_number(year: int, month: int, day: int) -> int:
    """Days since 0001-01-01 by counting whole years and months."""
    y = year - 1
    return 365 * y + y // 4 - y // 100 + y // 400 + sum(month_length(year, m) for m in range(1, month)) + day


def step(date: tuple[int, int, int], days: int) -> tuple[int, int, int]:
    """The date ``days`` days later (or earlier), one day at a time."""
    year, month, day = date
    for _ in range(abs(days)):
        if days > 0:
            day += 1
            if day > month_length(year, month):
                day, month = 1, month + 1
                if month == 13:
                    month, year = 1, year + 1
        else:
            day -= 1
            if day == 0:
                month -= 1
                if month == 0:
                    month, year = 12, year - 1
                day = month_length(year, month)
    return year, month, day


def parse(text: str) -> tuple[int, int, int]:
    return tuple(int(x) for x in re.fullmatch(DATE, text).groups())


def answer(line: str, anchor: tuple[int, int, int]) -> str:
    """One printed question's answer."""
    if m := re.fullmatch(r"What day of the week is (\d+) days (after|before) (\S+)\?", line):
        days = int(m.group(1)) * (1 if m.group(2) == "after" else -1)
        return zeller(*step(parse(m.group(3)), days))
    if m := re.fullmatch(r"What day of the week is (\S+)\?", line):
        return zeller(*parse(m.group(1)))
    if m := re.fullmatch(r"What date is (\d+) days (after|before) (\S+)\?", line):
        y, mo, d = step(parse(m.group(3)), int(m.group(1)) * (1 if m.group(2) == "after" else -1))
        return f"{y:04d}-{mo:02d}-{d:02d}"
    if m := re.fullmatch(r"How many days after (\S+) is (\S+)\?", line):
        return str(day_number(*parse(m.group(2))) - day_number(*parse(m.group(1))))
    m = re.fullmatch(r"How many (\w+)s are there from (\S+) to (\S+), both dates included\?", line)
    assert m, line
    date, end, count = parse(m.group(2)), parse(m.group(3)), 0
    while True:
        count += zeller(*date) == m.group(1)
        if date == end:
            return str(count)
        date = step(date, 1)


def rederive(prompt: str) -> list[str]:
    head, *lines = prompt.splitlines()
    m = re.fullmatch(r"(\S+) is a (\w+)\.", head)
    anchor = parse(m.group(1))
    assert zeller(*anchor) == m.group(2), head
    return [answer(re.sub(r"^\d+\. ", "", line), anchor) for line in lines]


def test_gold_matches_a_rederivation_from_the_printed_prompt():
    checked = 0
    for level in range(1, 11):
        for problem in CHECKS.problems(level, 6):
            assert rederive(problem["question"]) == problem["answers"], problem["question"]
            checked += 1
    assert checked >= 50


def test_leap_levels_depend_on_leap_days_and_century_years_appear():
    for level in (4, 7, 10):
        for problem in CHECKS.problems(level, 10):
            assert TASK.degenerate_answers(problem)["no leap days"] != "; ".join(problem["answers"])
    years = {int(d[:4]) for p in CHECKS.problems(10, 20) for q in p["questions"] for k, d in q.items()
             if k in ("date", "start", "end")}
    assert min(years) < 1900 and max(years) > 2100


def test_gold_is_never_the_example_or_a_shortcut():
    for level in range(1, 11):
        for row in CHECKS.rows(level, 8):
            problem = json.loads(row["problem"])
            assert row["answer"] != "Tuesday; 1999-12-31; 40"
            assert row["answer"] not in TASK.degenerate_answers(problem).values()


PROBLEM = {
    "anchor": "2024-03-15", "leap": True, "answers": ["Sunday", "2024-01-31", "67"],
    "questions": [{"kind": "weekday_after", "anchor": "2024-03-15", "days": 100, "sign": 1},
                  {"kind": "date_shift", "date": "2024-03-01", "days": 30, "sign": -1},
                  {"kind": "days_between", "start": "2023-12-25", "end": "2024-03-01", "days": 67}],
}


def test_the_docstring_example_rederives():
    text = "\n".join(["2024-03-15 is a Friday.", "1. What day of the week is 100 days after 2024-03-15?",
                      "2. What date is 30 days before 2024-03-01?", "3. How many days after 2023-12-25 is 2024-03-01?"])
    assert rederive(text) == PROBLEM["answers"]


def test_accepted_forms_score_one():
    CHECKS.assert_scores_one(PROBLEM, [
        "Sunday; 2024-01-31; 67", "sunday;2024-01-31;67", "SUNDAY; 2024-01-31; 67", "Sunday\n2024-01-31\n67",
        "1. Sunday\n2. 2024-01-31\n3. 67", "- Sunday\n- 2024-01-31\n- 67", "**Sunday**; **2024-01-31**; **67**",
        "Sunday; 2024-01-31; 67.", " Sunday ; 2024-01-31 ; 67 ", "Sunday；2024-01-31；67"])


def test_hostile_answers_score_below_one():
    CHECKS.assert_below_one(PROBLEM, [
        "Sunday; 2024-01-31", "Sunday; 2024-01-31; 67; 67", "Sun; 2024-01-31; 67", "Sunday; 2024-1-31; 67",
        "Sunday; 31/01/2024; 67", "Sunday; January 31, 2024; 67", "Sunday; 2024-01-31; 67 days",
        "Sunday; 2024-01-31; +67", "Sunday; 2024-01-31; 67.0", "Sunday; 2024-01-31; 067",
        "Sunday or Monday; 2024-01-31; 67", "Sunday, 2024-01-31, 67", "Monday; 2024-01-31; 67",
        "Sunday; 2024-02-01; 67", "Sunday; 2024-01-31; 68", "2024-01-31; Sunday; 67", "星期日; 2024-01-31; 67",
        "Tuesday; 1999-12-31; 40", "Sunday; 2024-01-31; 67\nSunday; 2024-01-31; 67", "Sunday; 2024-01-31; 66 + 1",
        "Sunday; 2024-01-31; 67" + " " * 500 + "x", "", "none", "Sunday; 2024-01-31; 6" + "7" * 5000,
        "The answers are Sunday; 2024-01-31; 67"])


def test_a_partly_right_answer_earns_no_credit():
    verdict = TASK.verify(PROBLEM, "Sunday; 2024-01-31; 68")
    assert verdict.score == 0.0 and "fraction" not in verdict.details


test_verify_never_raises_on_arbitrary_text = CHECKS.never_raises(level=3)


def test_levels_get_harder():
    assert_effort_and_hardness_grow(CHECKS, (1, 5, 10), factor=1.5)


def test_chinese_prompt_words_the_questions_in_chinese_and_keeps_weekdays_english():
    row = CHECKS.rows(5, 1)[0]
    text = TASK.prompt(Problem(json.loads(row["problem"]), row["answer"]), 0, "zh")
    assert "星期" in text and "What" not in text and "How many" not in text
    assert "英文名称" in text and "<answer>Tuesday; 1999-12-31; 40</answer>" in text
    assert all(name in WEEKDAYS for name in re.findall(r"（(\w+day)）", text))
