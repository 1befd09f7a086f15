"""Time sequence: several people's weekly calendars and rules; find the common free time.

Each person has meetings on some working days (9:00–17:00) and personal rules ("Bob does
not meet before 10:00", "Carol does not meet on Wednesday", "Dan does not meet after 15:30").
A tiny example (one day)::

    Monday  Ann: busy 9:00–10:00, 13:00–14:00      Bob: busy 11:30–12:00
    Rule: Bob does not meet after 16:00.
    Common free slots: 10:00–11:30 (90), 12:00–13:00 (60), 14:00–16:00 (120)
    → longest 120 minutes, 270 minutes in all            answer: 120, 270

Definitions (also in the prompt): a *common free slot* is a time interval on one day,
within 9:00–17:00, during which every person is free (no meeting) and allowed to meet by
every rule, and which is *maximal*: it cannot be extended earlier or later on that day.
The answer is two integers: the length in minutes of the longest common free slot, and the
total length in minutes of all common free slots (over all listed days). Meetings and rules
fall on a grid of ``step`` minutes (5 or 10), so the answer is computed exactly on that grid
and is unique. Instances with fewer than two common free slots (so no "0, 0" answers, and the longest is
never also the total) or with rules that change nothing are rejected.
The pair spreads over many values (a total is rarely shared by two instances), where the
earlier second number, how many slots have the longest length, was 1 in 85 % of instances.
"""

from __future__ import annotations

import re

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import MAX_CHARS, scalar_forms, unwrap
from synlog.tasks.common.names import pick_names
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
START, END = 9 * 60, 17 * 60
#: "90, 200", "90 200", "90 minutes, 200 minutes": two integers with a separator between them
_ANSWER = re.compile(r"\s*(\d{1,6})(?:\s*(?:minutes?|min))?\s*(?:[,;]|\s)\s*(\d{1,6})(?:\s*(?:minutes?|min))?\s*\.?\s*")


def clock(minutes: int) -> str:
    """``9:00``, ``13:30``."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def blocked(rule: dict, day: str) -> list[tuple[int, int]]:
    """The times a rule forbids on a day, as [start, end) intervals in minutes."""
    if rule["kind"] == "day_off":
        return [(START, END)] if rule["day"] == day else []
    if rule["kind"] == "not_before":
        return [(START, rule["time"])]
    return [(rule["time"], END)]


#: the Chinese names of the days
DAYS_ZH = dict(zip(DAYS, ["星期一", "星期二", "星期三", "星期四", "星期五"], strict=True))
#: the wording of the rules per language
_RULES = {
    "en": {"day_off": "{who} does not meet on {day}.", "not_before": "{who} does not meet before {time} on any day.",
           "not_after": "{who} does not meet after {time} on any day."},
    "zh": {"day_off": "{who} {day}不开会。", "not_before": "{who} 每天 {time} 之前不开会。",
           "not_after": "{who} 每天 {time} 及之后不开会。"},
}


def rule_text(rule: dict, lang: str = "en") -> str:
    """A rule in ``lang``."""
    day = rule.get("day")
    return _RULES[lang][rule["kind"]].format(
        who=rule["who"], day=DAYS_ZH.get(day, day) if lang == "zh" else day,
        time=clock(rule["time"]) if "time" in rule else "")


def free_slots(problem: dict, step: int) -> list[tuple[str, int, int]]:
    """Every maximal common free slot as (day, start, end), on a ``step``-minute grid."""
    slots = []
    for day in problem["days"]:
        free = np.ones((END - START) // step, dtype=bool)
        intervals = [tuple(iv) for person in problem["people"] for iv in problem["busy"][person][day]]
        intervals += [iv for rule in problem["rules"] for iv in blocked(rule, day)]
        for a, b in intervals:
            free[(a - START) // step:(b - START) // step] = False
        padded = np.concatenate([[False], free, [False]]).astype(np.int8)
        edges = np.flatnonzero(np.diff(padded))
        slots += [(day, START + int(a) * step, START + int(b) * step) for a, b in zip(edges[::2], edges[1::2], strict=True)]
    return slots


@register
class TimeSequence(Task):
    """Find the longest common free slot in several weekly calendars with rules, and the total free time."""

    name, family, version = "time_sequence", "state", 2
    knobs = Knobs(
        people=Knob(int, levels=[2, 2, 3, 3, 3, 4, 4, 5, 5, 6], lo=2, hi=10, help="people to schedule"),
        days=Knob(int, levels=[1, 2, 2, 3, 3, 4, 4, 5, 5, 5], lo=1, hi=5, help="working days listed"),
        meetings=Knob(int, levels=[2, 2, 2, 3, 3, 3, 3, 3, 4, 4], lo=0, hi=8, help="meetings per person per day (at most)"),
        rules=Knob(int, levels=[0, 1, 1, 2, 2, 3, 3, 4, 4, 5], lo=0, hi=10, help="personal rules"),
        step=Knob(int, levels=[10, 10, 10, 5, 5, 5, 5, 5, 5, 5], choices=[5, 10, 15, 30, 60],
                  help="minutes of the grid meetings fall on"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        people = pick_names(rng, p.people)
        first = int(rng.integers(0, 6 - p.days))
        days = DAYS[first:first + p.days]
        grid = (END - START) // p.step
        busy: dict[str, dict[str, list[list[int]]]] = {}
        for person in people:
            busy[person] = {}
            for day in days:
                taken = np.zeros(grid, dtype=bool)
                meetings = []
                for _ in range(int(rng.integers(min(1, p.meetings), p.meetings + 1))):
                    length = int(rng.integers(1, max(2, 120 // p.step) + 1))
                    start = int(rng.integers(0, grid - length + 1))
                    if not taken[max(0, start - 1):start + length + 1].any():  # keep meetings apart
                        taken[start:start + length] = True
                        meetings.append([START + start * p.step, START + (start + length) * p.step])
                busy[person][day] = sorted(meetings)
        rules = []
        for person in rng.choice(people, p.rules).tolist():
            kind = ["not_before", "not_after", "day_off"][rng.integers(3)]
            rule = {"who": person, "kind": kind}
            if kind == "day_off":
                if len(days) == 1:
                    rule["kind"] = kind = "not_after"
                else:
                    rule["day"] = days[rng.integers(len(days))]
            if kind != "day_off":
                rule["time"] = START + p.step * int(rng.integers(1, grid))
            if not any(old["who"] == person and old["kind"] == rule["kind"] for old in rules):
                rules.append(rule)
        problem = {"people": people, "days": days, "busy": busy, "rules": rules, "step": p.step}
        slots = free_slots(problem, p.step)
        if len(slots) < 2:
            raise Reject("fewer than two common free slots (the longest would also be the total)")
        if rules and free_slots({**problem, "rules": []}, p.step) == slots:
            raise Reject("the rules change nothing")
        longest = int(max(b - a for _, a, b in slots))
        total = int(sum(b - a for _, a, b in slots))
        problem.update(longest=longest, total=total)
        effort = len(people) * len(days) * grid + len(rules) * len(days) + sum(
            len(m) for person in busy.values() for m in person.values())
        return Problem(problem, f"{longest}, {total}", float(effort))

    def context(self, problem: Problem, lang: str) -> dict:
        d = problem.data
        zh = lang == "zh"
        day_name = DAYS_ZH.get if zh else str
        free = "全天空闲" if zh else "free all day"
        calendars = {
            day_name(day): [f"{person}: " + (", ".join(f"{clock(a)}–{clock(b)}" for a, b in d["busy"][person][day]) or free)
                            for person in d["people"]]
            for day in d["days"]
        }
        return {"calendars": calendars, "rules": [rule_text(r, lang) for r in d["rules"]],
                "people": d["people"], "start": clock(START), "end": clock(END)}

    def verify(self, problem: dict, answer: str) -> Verdict:
        if not isinstance(answer, str) or len(answer) > MAX_CHARS:
            return Verdict.unparseable("answer too long")
        match = _ANSWER.fullmatch(unwrap(answer))
        if not match:
            return Verdict.unparseable("expected two integers: the longest length in minutes, then the total")
        longest, total = int(match[1]), int(match[2])
        if longest != problem["longest"]:
            return Verdict.wrong(f"{longest} minutes is not the longest common free slot")
        if total != problem["total"]:
            return Verdict.wrong(f"{total} minutes is not the total common free time")
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        return scalar_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        longest, total = problem.data["longest"], problem.data["total"]
        step = problem.data["step"]
        return [f"{longest}, {total + step}", f"{longest + step}, {total}", f"{total}, {longest}" if total != longest
                else f"{longest}, {total - step}", str(longest), f"{longest}, {total}, {total}"]

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        day = END - START
        without_rules = free_slots({**problem, "rules": []}, problem["step"])
        shortcuts = {"a whole free day": f"{day}, {day}",
                     "whole free days": f"{day}, {day * len(problem['days'])}",
                     "the longest slot only": f"{problem['longest']}, {problem['longest']}"}
        if problem["rules"] and without_rules:
            shortcuts["ignoring the rules"] = (f"{max(b - a for _, a, b in without_rules)},"
                                               f" {sum(b - a for _, a, b in without_rules)}")
        return shortcuts
