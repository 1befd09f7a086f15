"""Calendar arithmetic: weekdays, shifted dates and day counts on the Gregorian calendar.

For example::

    2024-03-15 is a Friday.
    1. What day of the week is 100 days after 2024-03-15?
    2. What date is 30 days before 2024-03-01?
    3. How many days after 2023-12-25 is 2024-03-01?
    answer: Sunday; 2024-01-31; 67

Each prompt asks 3 or 4 questions of these kinds: the weekday N days after / before the
anchor date (whose weekday the prompt states), the weekday of another date, the date N days
after / before a date, the days from one date to a later one, and (from level 5) how many
times a weekday occurs between two dates, both included. Difficulty widens the years (from
level 7 across century years, where 1900 and 2100 are not leap years but 2000 is), lengthens
the spans (from a few days to a century) and adds question kinds; from level 4 every instance
depends on leap days (a 365-day-year calendar gives a different answer).

Gold: Python's ``datetime.date`` (ordinal arithmetic and ``weekday()``). The tests re-derive
every answer from the printed English prompt with their own day count (a days-from-civil
formula written by hand) and Zeller's congruence, without ``datetime``.

Instances are rejected when the answer equals the prompt's example, when a weekday question's
answer is the anchor's own weekday (a multiple of 7 days away), or when a shortcut gives the
same full answer: counting both ends of a span (days + 1, a weekday count over the half-open
span) or, from level 4, a calendar without leap days.

Answer format: the answers in question order, separated by semicolons (ASCII or full-width)
on one line or written one per line (list numbers or bullets allowed): a weekday as its full
English name (any case), a date as YYYY-MM-DD, a count as a plain integer. A wrong number of
answers, abbreviations ("Mon"), other date layouts, units ("67 days"), signs and several
candidates are invalid; there is no partial credit.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, answer_lines, bounded, decorated_forms
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
#: the answer the prompt's example shows
EXAMPLE = "Tuesday; 1999-12-31; 40"
#: question kinds by the level that brings them
KINDS = ("weekday_after", "date_shift", "days_between", "weekday_of", "count_weekday")
#: the longest answer text verify reads
MAX_ANSWER = 400
_DAYS_BEFORE_MONTH = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COUNT = re.compile(r"0|[1-9]\d{0,6}")


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# ----------------------------------------------------------------------------- answers


def answer_of(question: dict, anchor: dt.date, leap_days: bool = True) -> str:
    """The answer to one question; ``leap_days=False`` answers it on a calendar of 365-day
    years (the shortcut a solver that forgets February 29 takes)."""
    ordinal = _ordinal if leap_days else _ordinal_no_leap
    kind = question["kind"]
    if kind == "weekday_after":
        return WEEKDAYS[(anchor.weekday() + question["sign"] * question["days"]) % 7]
    if kind == "weekday_of":
        return WEEKDAYS[(anchor.weekday() + ordinal(_day(question["date"])) - ordinal(anchor)) % 7]
    if kind == "date_shift":
        target = ordinal(_day(question["date"])) + question["sign"] * question["days"]
        return _iso(dt.date.fromordinal(target) if leap_days else _from_no_leap(target))
    start, end = _day(question["start"]), _day(question["end"])
    span = ordinal(end) - ordinal(start)
    if kind == "days_between":
        return str(span)
    first = (question["weekday"] - start.weekday()) % 7
    return str(0 if first > span else (span - first) // 7 + 1)


def _ordinal(day: dt.date) -> int:
    return day.toordinal()


def _ordinal_no_leap(day: dt.date) -> int:
    """The day's number on a calendar of 365-day years (February 29 counts as February 28)."""
    return day.year * 365 + _DAYS_BEFORE_MONTH[day.month - 1] + min(day.day, 28 if day.month == 2 else 31)


def _from_no_leap(number: int) -> dt.date:
    year, rest = divmod(number - 1, 365)
    month = max(m for m in range(12) if _DAYS_BEFORE_MONTH[m] <= rest)
    return dt.date(year, month + 1, rest - _DAYS_BEFORE_MONTH[month] + 1)


def shortcut_answers(data: dict) -> dict[str, list[str]]:
    """The full answers two shortcuts give: counting both ends of every span, and (at the
    levels that demand leap days) a calendar without them."""
    anchor = _day(data["anchor"])
    both_ends = []
    for question, gold in zip(data["questions"], data["answers"], strict=True):
        if question["kind"] == "days_between":
            both_ends.append(str(int(gold) + 1))
        elif question["kind"] == "count_weekday":
            half_open = {**question, "end": _iso(_day(question["end"]) - dt.timedelta(days=1))}
            both_ends.append(answer_of(half_open, anchor))
        else:
            both_ends.append(gold)
    out = {"both ends counted": both_ends}
    if data["leap"]:
        out["no leap days"] = [answer_of(q, anchor, leap_days=False) for q in data["questions"]]
    return out


# ----------------------------------------------------------------------------- wording


def question_text(question: dict, lang: str) -> str:
    """One question as a sentence."""
    kind, en = question["kind"], lang == "en"
    after = question.get("sign", 1) > 0
    if kind == "weekday_after":
        where = ("after" if after else "before") if en else ("之后" if after else "之前")
        return (f"What day of the week is {question['days']} days {where} {question['anchor']}?" if en
                else f"{question['anchor']} {where} {question['days']} 天是星期几？")
    if kind == "weekday_of":
        return f"What day of the week is {question['date']}?" if en else f"{question['date']} 是星期几？"
    if kind == "date_shift":
        where = ("after" if after else "before") if en else ("之后" if after else "之前")
        return (f"What date is {question['days']} days {where} {question['date']}?" if en
                else f"{question['date']} {where} {question['days']} 天是哪一天？")
    if kind == "days_between":
        return (f"How many days after {question['start']} is {question['end']}?" if en
                else f"{question['end']} 在 {question['start']} 之后多少天？")
    weekday = WEEKDAYS[question["weekday"]] if en else WEEKDAYS_ZH[question["weekday"]]
    return (f"How many {weekday}s are there from {question['start']} to {question['end']}, both dates included?"
            if en else f"从 {question['start']} 到 {question['end']}（含首尾两天）共有多少个{weekday}？")


def prompt_text(data: dict, lang: str) -> str:
    anchor = _day(data["anchor"])
    if lang == "en":
        head = f"{data['anchor']} is a {WEEKDAYS[anchor.weekday()]}."
    else:
        head = f"已知 {data['anchor']} 是{WEEKDAYS_ZH[anchor.weekday()]}（{WEEKDAYS[anchor.weekday()]}）。"
    lines = [f"{k}. {question_text(q, lang)}" for k, q in enumerate(data["questions"], start=1)]
    return "\n".join([head, *lines])


# ----------------------------------------------------------------------------- verify


def read_item(text: str, kind: str) -> str:
    """One answer in its canonical spelling, or AnswerError naming the expected form."""
    if kind in ("weekday_after", "weekday_of"):
        for name in WEEKDAYS:
            if text.lower() == name.lower():
                return name
        raise AnswerError(f"expected a weekday's full English name, got {text[:30]!r}")
    if kind == "date_shift":
        if not _DATE.fullmatch(text):
            raise AnswerError(f"expected a date YYYY-MM-DD, got {text[:30]!r}")
        return text
    if not _COUNT.fullmatch(text):
        raise AnswerError(f"expected a plain integer, got {text[:30]!r}")
    return text


def read_answer(text: str, kinds: list[str]) -> list[str]:
    """The answers, one per question: lines, or items of one line split at semicolons (; or ；)."""
    lines = answer_lines(bounded(text, MAX_ANSWER))
    # one line splits at semicolons, ASCII or the full-width one a Chinese answer may use
    items = lines if len(lines) > 1 else [item.strip() for item in re.split("[;；]", lines[0] if lines else "")]
    items = [item[:-1].rstrip() if item.endswith(".") else item for item in items]
    if len(items) != len(kinds):
        raise AnswerError(f"expected {len(kinds)} answers, one per question, got {len(items)}")
    return [read_item(item, kind) for item, kind in zip(items, kinds, strict=True)]


# ----------------------------------------------------------------------------- the task


@register
class CalendarArithmetic(Task):
    """Answer several questions about weekdays, dates and day counts."""

    name, family, version = "calendar_arithmetic", "math", 1
    chance = 0.01
    knobs = Knobs(
        questions=Knob(int, levels=[3, 3, 3, 4, 4, 4, 4, 4, 4, 4], lo=2, hi=6, help="questions per prompt"),
        kinds=Knob(int, levels=[3, 3, 4, 4, 5, 5, 5, 5, 5, 5], lo=3, hi=5,
                   help="question kinds in use (weekday after, date shift, days between, weekday of, count)"),
        span=Knob(int, levels=[(20, 40), (60, 120), (200, 400), (500, 900), (1000, 1500), (2000, 3000),
                               (4000, 6000), (8000, 12000), (16000, 25000), (30000, 40000)], lo=6, hi=60000,
                  help="the most days one question spans (each draws from a third of it up to it)"),
        spread=Knob(int, levels=[10, 15, 20, 30, 40, 60, 120, 200, 250, 300], lo=0, hi=300,
                    help="years either side of 2000 the dates come from"),
        leap=Knob(bool, levels=[False, False, False, True, True, True, True, True, True, True],
                  help="every instance depends on leap days"),
    )

    def context(self, problem: Problem, lang: str) -> dict:
        return {**problem.data, "question": prompt_text(problem.data, lang)}

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        def between(lo: int, hi: int) -> int:
            return int(rng.integers(lo, hi + 1))

        lo_day = dt.date(2000 - p.spread, 1, 1).toordinal()
        hi_day = dt.date(2000 + p.spread, 12, 31).toordinal()
        anchor = dt.date.fromordinal(between(lo_day, hi_day))
        kinds = ["days_between", *self._other_kinds(rng, p)]
        questions = [self._question(kinds[int(i)], anchor, between, p) for i in rng.permutation(len(kinds))]
        data = {"anchor": _iso(anchor), "questions": questions, "leap": p.leap}
        data["answers"] = [answer_of(q, anchor) for q in questions]
        for q, gold in zip(questions, data["answers"], strict=True):
            if q["kind"].startswith("weekday") and gold == WEEKDAYS[anchor.weekday()]:
                raise Reject("a weekday question whose answer is the anchor's weekday")
        answer = "; ".join(data["answers"])
        if answer == EXAMPLE or answer in self.degenerate_answers(data).values():
            raise Reject("the example's answer or a shortcut's")
        data["question"] = prompt_text(data, "en")
        return Problem(data, answer, float(sum(q["days"] for q in questions)))

    @staticmethod
    def _other_kinds(rng: np.random.Generator, p: Params) -> list[str]:
        """The kinds of the questions beside the days-between one (which every prompt has, so
        the both-ends shortcut always shows): different kinds while there are enough."""
        others = [k for k in KINDS[: p.kinds] if k != "days_between"]
        picked = [others[int(i)] for i in rng.permutation(len(others))]
        while len(picked) < p.questions - 1:
            picked.append(others[int(rng.integers(len(others)))])
        return picked[: p.questions - 1]

    @staticmethod
    def _question(kind: str, anchor: dt.date, between, p: Params) -> dict:
        """A question of ``kind`` spanning a random number of days in the knob's range."""
        days = between(max(2, p.span // 3), p.span)
        sign = 1 if between(0, 1) else -1
        start = dt.date.fromordinal(anchor.toordinal() + between(-3 * days, 3 * days) // 4)
        if kind == "weekday_after":
            return {"kind": kind, "anchor": _iso(anchor), "days": days, "sign": sign}
        if kind == "weekday_of":
            return {"kind": kind, "date": _iso(dt.date.fromordinal(anchor.toordinal() + sign * days)), "days": days}
        if kind == "date_shift":
            return {"kind": kind, "date": _iso(start), "days": days, "sign": sign}
        end = _iso(dt.date.fromordinal(start.toordinal() + days))
        if kind == "days_between":
            return {"kind": kind, "start": _iso(start), "end": end, "days": days}
        return {"kind": kind, "start": _iso(start), "end": end, "weekday": between(0, 6), "days": days}

    def verify(self, problem: dict, answer: str) -> Verdict:
        kinds = [q["kind"] for q in problem["questions"]]
        try:
            items = read_answer(answer, kinds)
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        wrong = [k + 1 for k, (item, gold) in enumerate(zip(items, problem["answers"], strict=True)) if item != gold]
        return Verdict.wrong(f"answers {wrong} are wrong", wrong=wrong) if wrong else Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        items = problem.data["answers"]
        return decorated_forms(items, "; ") + ["\n".join(items), ";".join(items), "; ".join(items).lower()]

    def forbidden_forms(self, problem: Problem) -> list[str]:
        """Each answer in a layout the prompt forbids: an abbreviated weekday, a date as
        DD/MM/YYYY or without zero padding, a count with a unit or a sign."""
        out = []
        for k, (question, gold) in enumerate(zip(problem.data["questions"], problem.data["answers"], strict=True)):
            if question["kind"].startswith("weekday"):
                variants = [gold[:3], f"{gold}s"]
            elif question["kind"] == "date_shift":
                day = _day(gold)
                variants = [f"{day.day:02d}/{day.month:02d}/{day.year}", f"{day.year}-{day.month}-{day.day}",
                            day.strftime("%B %d, %Y")]
            else:
                variants = [f"{gold} days", f"+{gold}", f"{gold}.0"]
            for variant in variants:
                items = list(problem.data["answers"])
                items[k] = variant
                out.append("; ".join(items))
        return [o for o in out if o != problem.answer]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        items = problem.data["answers"]
        out = []
        for k, (question, gold) in enumerate(zip(problem.data["questions"], items, strict=True)):
            if question["kind"].startswith("weekday"):
                near = WEEKDAYS[(WEEKDAYS.index(gold) + 1) % 7]
            elif question["kind"] == "date_shift":
                near = _iso(_day(gold) + dt.timedelta(days=1))
            else:
                near = str(int(gold) + 1)
            out.append("; ".join(items[:k] + [near] + items[k + 1:]))
            out.append("; ".join(items[:k] + [f"{gold} or {near}"] + items[k + 1:]))
        out.append("; ".join(items[1:] + items[:1]))
        return [o for o in dict.fromkeys(out) if o != problem.answer]

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """The shortcuts' full answers, and every weekday answered with the anchor's weekday."""
        out = {name: "; ".join(items) for name, items in shortcut_answers(problem).items()}
        anchor = WEEKDAYS[_day(problem["anchor"]).weekday()]
        out["anchor's weekday everywhere"] = "; ".join(
            anchor if q["kind"].startswith("weekday") else gold
            for q, gold in zip(problem["questions"], problem["answers"], strict=True))
        return out

    def hardness(self, problem: dict) -> float:
        """The digits of every span the questions cover (years and leap days to account for)."""
        return float(sum(len(str(q["days"])) for q in problem["questions"]) + 2 * problem["leap"])

    def instance_space(self, spec: dict) -> float | None:
        """Anchor days times, per question, the spans and signs (a lower estimate)."""
        span = spec["span"][0] if isinstance(spec["span"], tuple) else spec["span"]
        return float((2 * spec["spread"] + 1) * 365 * (2 * (span - span // 3)) ** spec["questions"])
