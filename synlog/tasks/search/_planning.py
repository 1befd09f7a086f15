"""Helpers shared by the planning puzzles (tower_of_hanoi, water_jugs, knight_swap, word_ladder).

A plan answer is a list of steps, separated by commas, semicolons or new lines, each step
matching one strict pattern; markdown decorations go by the shared rules of
:mod:`synlog.tasks.common.answers`::

    parse_steps("A->C, A->B", STEP, 10)    # [("A", "C"), ("A", "B")]
    read_plan("A->C" * 999, STEP, 10)      # Verdict.invalid(...) (too long), or the steps
    judge_length(7, optimum=7)             # Verdict.ok()
    judge_length(9, optimum=7)             # Verdict.wrong(..., fraction=7/9, optimum=7, value=9)

A plan is paid only when it is legal, reaches the goal and is as short as the optimum; a legal
but longer plan scores 0 with ``fraction = optimum / length`` (opt-in partial credit).
"""

from __future__ import annotations

import re

from synlog.tasks.common.answers import MAX_CHARS, AnswerError, answer_lines, bounded, unwrap
from synlog.verifiers.verdict import Verdict

_SEPARATORS = re.compile(r"\s*[,;]\s*")


class TooLong(AnswerError):
    """The plan has more steps (or characters) than any sensible answer: ``invalid``."""


def parse_steps(text: str, step: re.Pattern[str], max_steps: int) -> list[tuple[str, ...]]:
    """The steps of a plan, each the groups of ``step`` (matched whole); AnswerError on a step
    that does not match, :class:`TooLong` on too many steps or characters."""
    if isinstance(text, str) and len(text) > MAX_CHARS:
        raise TooLong(f"answer longer than {MAX_CHARS} characters")
    lines = answer_lines(bounded(text))
    if not lines:
        raise AnswerError("expected a list of steps")
    out: list[tuple[str, ...]] = []
    for line in lines:
        for item in _SEPARATORS.split(line):
            match = step.fullmatch(item.strip())
            if match is None:
                raise AnswerError(f"cannot read step {item.strip()[:40]!r}")
            out.append(match.groups())
            if len(out) > max_steps:
                raise TooLong(f"more than {max_steps} steps")
    return out


def read_plan(text: str, step: re.Pattern[str], max_steps: int) -> list[tuple[str, ...]] | Verdict:
    """:func:`parse_steps`, or the verdict for an answer it cannot read (``invalid`` when it
    is too long, else ``unparseable``)."""
    try:
        return parse_steps(text, step, max_steps)
    except TooLong as error:
        return Verdict.invalid(str(error))
    except AnswerError as error:
        return Verdict.unparseable(str(error))


def is_word(text: str, word: str) -> bool:
    """Whether the answer is exactly ``word`` (decorations aside), such as ``impossible``."""
    try:
        return unwrap(bounded(text)).strip().lower() == word
    except AnswerError:
        return False


def judge_length(length: int, optimum: int) -> Verdict:
    """A legal plan that reaches the goal: right when no longer than the optimum."""
    if length == optimum:
        return Verdict.ok()
    if length < optimum:  # the optimum is proved at generation: a shorter legal plan is a bug
        return Verdict.error(f"a legal plan of {length} steps beats the proved optimum {optimum}")
    return Verdict.wrong(f"the plan takes {length} steps; the fewest possible is {optimum}",
                         fraction=optimum / length, optimum=optimum, value=length)
