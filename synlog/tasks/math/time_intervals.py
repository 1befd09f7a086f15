"""Time intervals: durations between clock times and date-times, and clock times shifted by a
duration, across midnight and (at higher levels) time zones and seconds.

For example::

    1. How long is it from 22:15 to 01:40?
    2. What time does the clock show 5h 20m after 21:50?
    3. How long is it from 2024-02-28 22:15 to 2024-03-01 06:05?
    answer: 3h 25m; 03:10; 31h 50m

Each prompt asks 3 or 4 questions of these kinds: the duration from one clock time to the
next time the clock shows another, the clock time a duration after / before a time, the
duration between two date-times, and (from level 5) the clock time in one UTC offset when
another offset shows a given time, and the duration between two date-times given in local
time with their UTC offsets. Level 1 keeps every interval inside one day on five-minute
steps; level 2 crosses midnight; later levels bring any minute, longer spans, time zones
(half- and quarter-hour offsets from level 8) and, from level 7, seconds.

Gold: Python's ``datetime`` / ``timedelta`` (time zones as ``datetime.timezone`` offsets).
The tests re-derive every answer from the printed English prompt by hand arithmetic on
seconds since midnight and a day count of their own.

Instances are rejected when the answer equals the prompt's example or a shortcut's: a clock
duration taken as the plain difference without passing midnight (from level 2), time zones
ignored (where the prompt has them), a zero duration, or a shift of a whole number of days.

Answer format: the answers in question order, separated by semicolons (ASCII or full-width)
on one line or one per line. A clock time is HH:MM on the 24-hour clock (HH:MM:SS when the prompt uses seconds); a
duration is ``Xh Ym`` (``Xh Ym Zs`` with seconds) with hours not wrapped at 24 and minutes and
seconds below 60. Total minutes, 12-hour times, decimals, units in words, a wrong number of
answers and several candidates are invalid; there is no partial credit.
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

#: the answer the prompt's example shows
EXAMPLE = "07:45; 26h 30m; 23:05"
#: question kinds by the level that brings them
KINDS = ("clock_duration", "clock_shift", "span", "convert", "zoned_span")
#: whole-hour UTC offsets (minutes), then the half- and quarter-hour ones real zones use
WHOLE_OFFSETS = tuple(60 * h for h in range(-11, 13))
PART_OFFSETS = (-570, -210, 210, 270, 330, 345, 390, 525, 570, 630, 765)
DAY = 86_400
MAX_ANSWER = 400
_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?")
_DURATION = re.compile(r"(\d{1,6})h ([0-5]?\d)m(?: ([0-5]?\d)s)?")


# ----------------------------------------------------------------------------- formatting


def clock(seconds: int, with_seconds: bool) -> str:
    """Seconds since midnight (wrapped to one day) as HH:MM or HH:MM:SS."""
    h, rest = divmod(seconds % DAY, 3600)
    return f"{h:02d}:{rest // 60:02d}" + (f":{rest % 60:02d}" if with_seconds else "")


def duration(seconds: int, with_seconds: bool, lang: str = "answer") -> str:
    """A duration as "Xh Ym" (the answer form), or in the prompt's words."""
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    if lang == "zh":
        return f"{h} 小时 {m} 分" + (f" {s} 秒" if with_seconds else "")
    return f"{h}h {m}m" + (f" {s}s" if with_seconds else "")


def offset_text(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def stamp(moment: dt.datetime, with_seconds: bool) -> str:
    return moment.strftime("%Y-%m-%d %H:%M" + (":%S" if with_seconds else ""))


# ----------------------------------------------------------------------------- answers


def answer_of(question: dict, with_seconds: bool, shortcut: bool = False) -> str:
    """The answer to one question; ``shortcut`` answers as a solver that never passes midnight
    (a plain clock difference) and ignores the UTC offsets would."""
    kind = question["kind"]
    if kind == "clock_duration":
        start, end = question["start"], question["end"]
        gap = abs(end - start) if shortcut else (end - start) % DAY
        return duration(gap, with_seconds)
    if kind == "clock_shift":
        return clock(question["time"] + question["sign"] * question["amount"], with_seconds)
    if kind == "convert":
        shift = 0 if shortcut else 60 * (question["to"] - question["from"])
        return clock(question["time"] + shift, with_seconds)
    start = dt.datetime.fromisoformat(question["start"])
    end = dt.datetime.fromisoformat(question["end"])
    if kind == "zoned_span" and not shortcut:
        start = start.replace(tzinfo=dt.timezone(dt.timedelta(minutes=question["start_offset"])))
        end = end.replace(tzinfo=dt.timezone(dt.timedelta(minutes=question["end_offset"])))
    return duration(int((end - start).total_seconds()), with_seconds)


# ----------------------------------------------------------------------------- wording


def question_text(q: dict, s: bool, lang: str) -> str:
    """One question as a sentence (``s``: times carry seconds)."""
    en, kind = lang == "en", q["kind"]
    if kind == "clock_duration":
        a, b = clock(q["start"], s), clock(q["end"], s)
        return f"How long is it from {a} to {b}?" if en else f"从 {a} 到 {b} 经过多长时间？"
    if kind == "clock_shift":
        t, d = clock(q["time"], s), duration(q["amount"], s, lang)
        if en:
            return f"What time does the clock show {d} {'after' if q['sign'] > 0 else 'before'} {t}?"
        return f"{t} {'之后' if q['sign'] > 0 else '之前'} {d} 时钟显示几点？"
    if kind == "convert":
        t, a, b = clock(q["time"], s), offset_text(q["from"]), offset_text(q["to"])
        return (f"When clocks at {a} show {t}, what time do clocks at {b} show?" if en
                else f"当 {a} 时区的时钟显示 {t} 时，{b} 时区的时钟显示几点？")
    a = stamp(dt.datetime.fromisoformat(q["start"]), s)
    b = stamp(dt.datetime.fromisoformat(q["end"]), s)
    if kind == "span":
        return f"How long is it from {a} to {b}?" if en else f"从 {a} 到 {b} 经过多长时间？"
    x, y = offset_text(q["start_offset"]), offset_text(q["end_offset"])
    if en:
        return (f"A flight departs at {a} local time ({x}) and lands at {b} local time ({y}). "
                f"How long is the flight?")
    return f"一班航班于当地时间 {a}（{x}）起飞，于当地时间 {b}（{y}）降落。飞行了多长时间？"


def prompt_text(data: dict, lang: str) -> str:
    return "\n".join(f"{k}. {question_text(q, data['seconds'], lang)}"
                     for k, q in enumerate(data["questions"], start=1))


# ----------------------------------------------------------------------------- verify


def read_item(text: str, kind: str, with_seconds: bool) -> str:
    """One answer in its canonical spelling, or AnswerError naming the expected form."""
    if kind in ("clock_shift", "convert"):
        match = _TIME.fullmatch(text)
        if match is None or (match.group(3) is not None) != with_seconds:
            raise AnswerError(f"expected a time {'HH:MM:SS' if with_seconds else 'HH:MM'}, got {text[:30]!r}")
        return text
    match = _DURATION.fullmatch(text)
    if match is None or (match.group(3) is not None) != with_seconds:
        raise AnswerError(f"expected a duration {'Xh Ym Zs' if with_seconds else 'Xh Ym'}, got {text[:30]!r}")
    h, m, s = (int(g or 0) for g in match.groups())
    return duration(3600 * h + 60 * m + s, with_seconds)


def read_answer(text: str, kinds: list[str], with_seconds: bool) -> list[str]:
    """The answers, one per question: lines, or items of one line split at semicolons (; or ；)."""
    lines = answer_lines(bounded(text, MAX_ANSWER))
    # one line splits at semicolons, ASCII or the full-width one a Chinese answer may use
    items = lines if len(lines) > 1 else [item.strip() for item in re.split("[;；]", lines[0] if lines else "")]
    items = [item[:-1].rstrip() if item.endswith(".") else item for item in items]
    if len(items) != len(kinds):
        raise AnswerError(f"expected {len(kinds)} answers, one per question, got {len(items)}")
    return [read_item(item, kind, with_seconds) for item, kind in zip(items, kinds, strict=True)]


# ----------------------------------------------------------------------------- the task


@register
class TimeIntervals(Task):
    """Answer several questions about durations and clock times."""

    name, family, version = "time_intervals", "math", 1
    chance = 0.01
    knobs = Knobs(
        questions=Knob(int, levels=[3, 3, 3, 4, 4, 4, 4, 4, 4, 4], lo=2, hi=6, help="questions per prompt"),
        kinds=Knob(int, levels=[2, 2, 3, 3, 5, 5, 5, 5, 5, 5], lo=2, hi=5,
                   help="question kinds in use (clock duration, clock shift, span, convert, zoned span)"),
        midnight=Knob(bool, levels=[False] + [True] * 9, help="clock intervals may pass midnight"),
        step=Knob(int, levels=[5, 5, 1, 1, 1, 1, 1, 1, 1, 1], lo=1, hi=60, help="minutes between drawn times"),
        hours=Knob(int, levels=[6, 12, 30, 48, 72, 120, 240, 500, 1000, 2000], lo=2, hi=10_000,
                   help="the longest date-time span, in hours"),
        seconds=Knob(bool, levels=[False] * 6 + [True] * 4, help="times and durations carry seconds"),
        part_offsets=Knob(bool, levels=[False] * 7 + [True] * 3, help="half- and quarter-hour UTC offsets"),
    )

    def context(self, problem: Problem, lang: str) -> dict:
        return {**problem.data, "question": prompt_text(problem.data, lang)}

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        # a clock duration in every prompt (the midnight shortcut always shows), then the other
        # kinds in use, different ones while there are enough
        others = [KINDS[1:p.kinds][int(i)] for i in rng.permutation(p.kinds - 1)]
        while len(others) < p.questions - 1:
            others.append(KINDS[int(rng.integers(p.kinds))])
        kinds = ["clock_duration", *others[: p.questions - 1]]
        questions = [self._question(kinds[int(i)], rng, p) for i in rng.permutation(p.questions)]
        data = {"questions": questions, "seconds": p.seconds, "midnight": p.midnight}
        data["answers"] = [answer_of(q, p.seconds) for q in questions]
        answer = "; ".join(data["answers"])
        if answer == EXAMPLE or answer in self.degenerate_answers(data).values():
            raise Reject("the example's answer or a shortcut's")
        data["question"] = prompt_text(data, "en")
        return Problem(data, answer, float(sum(self._effort(q) for q in questions)))

    @staticmethod
    def _question(kind: str, rng: np.random.Generator, p: Params) -> dict:
        """A question of ``kind`` with times on the knob's step (any second with seconds)."""
        unit = 1 if p.seconds else 60 * p.step

        def moment() -> int:
            return int(rng.integers(DAY // unit)) * unit

        def amount(hi_seconds: int) -> int:
            value = int(rng.integers(1, hi_seconds // unit + 1)) * unit
            if value % DAY == 0:
                raise Reject("a whole number of days")
            return value

        if kind == "clock_duration":
            start, end = moment(), moment()
            if start == end:
                raise Reject("an empty interval")
            if not p.midnight:
                start, end = min(start, end), max(start, end)
            return {"kind": kind, "start": start, "end": end}
        if kind == "clock_shift":
            time, sign = moment(), 1 if rng.random() < 0.5 else -1
            shift = amount(min(p.hours, 24) * 3600 - unit)
            if not p.midnight and not 0 <= time + sign * shift < DAY:
                sign = -sign  # the other way stays inside the day unless the shift is over 12 hours
                if not 0 <= time + sign * shift < DAY:
                    raise Reject("a shift past midnight at a level without")
            return {"kind": kind, "time": time, "amount": shift, "sign": sign}
        offsets = WHOLE_OFFSETS + (PART_OFFSETS if p.part_offsets else ())
        if kind == "convert":
            a, b = (int(offsets[int(i)]) for i in rng.choice(len(offsets), size=2, replace=False))
            return {"kind": kind, "time": moment(), "from": a, "to": b}
        base = dt.datetime(int(rng.integers(1990, 2031)), 1, 1) + dt.timedelta(days=int(rng.integers(366)),
                                                                                 seconds=moment())
        end = base + dt.timedelta(seconds=amount(p.hours * 3600))
        question = {"kind": kind, "start": base.isoformat(), "end": end.isoformat()}
        if kind == "zoned_span":
            a, b = (int(offsets[int(i)]) for i in rng.choice(len(offsets), size=2, replace=False))
            # the printed local times: the true instants shifted into each zone
            question.update(start_offset=a, end_offset=b, end=(end + dt.timedelta(minutes=b - a)).isoformat())
        return question

    @staticmethod
    def _effort(question: dict) -> float:
        """Seconds of clock arithmetic the question spans (a zone conversion counts its shift)."""
        if question["kind"] == "clock_duration":
            return float((question["end"] - question["start"]) % DAY)
        if question["kind"] == "clock_shift":
            return float(question["amount"])
        if question["kind"] == "convert":
            return float(60 * abs(question["to"] - question["from"]) + DAY)
        span = dt.datetime.fromisoformat(question["end"]) - dt.datetime.fromisoformat(question["start"])
        return abs(span.total_seconds()) + (DAY if question["kind"] == "zoned_span" else 0)

    def verify(self, problem: dict, answer: str) -> Verdict:
        kinds = [q["kind"] for q in problem["questions"]]
        try:
            items = read_answer(answer, kinds, problem["seconds"])
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        wrong = [k + 1 for k, (item, gold) in enumerate(zip(items, problem["answers"], strict=True)) if item != gold]
        return Verdict.wrong(f"answers {wrong} are wrong", wrong=wrong) if wrong else Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        items = problem.data["answers"]
        # decorated_forms reads "14:45" as a "key: value" item ("**14**: 45", "**14:**45"): not a time
        forms = [form for form in decorated_forms(items, "; ") if ": " not in form and ":**" not in form]
        return forms + ["\n".join(items), ";".join(items)]

    def forbidden_forms(self, problem: Problem) -> list[str]:
        """Each answer in a form the prompt forbids: total minutes or decimal hours for a
        duration, a 12-hour time or one without zero padding."""
        out = []
        for k, (question, gold) in enumerate(zip(problem.data["questions"], problem.data["answers"], strict=True)):
            if question["kind"] in ("clock_shift", "convert"):
                h = int(gold[:2])
                variants = [f"{h % 12 or 12}:{gold[3:]} {'PM' if h >= 12 else 'AM'}", f"{h}{gold[2:]}" if h < 10
                            else f"{gold}h", gold.replace(":", "")]
            else:
                numbers = [int(x) for x in re.findall(r"\d+", gold)]
                minutes = 60 * numbers[0] + numbers[1]
                variants = [f"{minutes} minutes", f"{minutes}", f"{numbers[0]} hours {numbers[1]} minutes"]
            for variant in variants:
                items = list(problem.data["answers"])
                items[k] = variant
                out.append("; ".join(items))
        return [o for o in out if o != problem.answer]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        items, s = problem.data["answers"], problem.data["seconds"]
        out = []
        for k, (question, gold) in enumerate(zip(problem.data["questions"], items, strict=True)):
            if question["kind"] in ("clock_shift", "convert"):
                value = sum(int(x) * f for x, f in zip(gold.split(":"), (3600, 60, 1), strict=False))
                near = clock(value + 60, s)
            else:
                numbers = [int(x) for x in re.findall(r"\d+", gold)] + [0]
                near = duration(3600 * numbers[0] + 60 * numbers[1] + numbers[2] + 60, s)
            out.append("; ".join(items[:k] + [near] + items[k + 1:]))
            out.append("; ".join(items[:k] + [f"{gold} or {near}"] + items[k + 1:]))
        out.append("; ".join(items[1:] + items[:1]))
        return [o for o in dict.fromkeys(out) if o != problem.answer]

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """The shortcut's full answer (no passing midnight, offsets ignored), where the prompt
        has something for it to get wrong, and every duration zero."""
        questions, s = problem["questions"], problem["seconds"]
        out = {}
        if problem["midnight"] or any(q["kind"] in ("convert", "zoned_span") for q in questions):
            out["no midnight, no time zones"] = "; ".join(answer_of(q, s, shortcut=True) for q in questions)
        out["zero durations"] = "; ".join(
            gold if q["kind"] in ("clock_shift", "convert") else duration(0, s)
            for q, gold in zip(questions, problem["answers"], strict=True))
        return out

    def hardness(self, problem: dict) -> float:
        """Digits of every question's span in seconds, plus the zones and the seconds to carry."""
        questions = problem["questions"]
        return float(sum(len(str(int(self._effort(q)))) for q in questions)
                     + 2 * sum(q["kind"] in ("convert", "zoned_span") for q in questions) + 3 * problem["seconds"])

    def instance_space(self, spec: dict) -> float | None:
        """Pairs of clock times per question, to the power of the questions (a lower estimate)."""
        unit = 1 if spec["seconds"] else 60 * spec["step"]
        return float((DAY // unit) ** spec["questions"])
