"""Checks on whole rows that ``TaskChecks`` does not offer (yet), written once for the task
tests that need them:

- rows of several levels at once (``rows_at``) and rows whose prompt is in another language
  (``rows_in``);
- the generator's ``effort`` (a row field, not part of the problem, so ``TaskChecks.mean``
  cannot measure it) growing with the level beside the hardness;
- hostile answers and the gold scored the way a completion is, inside answer tags;
- refusals with their reasons, the task's named shortcuts and its own alternative forms.

::

    CHECKS = TaskChecks("matrix_eigenvalues")

    def test_levels_get_harder():
        assert_effort_and_hardness_grow(CHECKS, n=10, seed=3)

Each takes the module's ``TaskChecks`` first; they are candidates for methods of it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping

from synlog.synth.example import make_row
from synlog.tasks.base import Problem
from synlog.verifiers.score import score
from synlog.verifiers.verdict import Reason
from tests.tasks.task_checks import TaskChecks


def rows_at(checks: TaskChecks, levels: Iterable[int] = range(1, 11), n: int = 6,
            seed: int = 5) -> tuple[dict, ...]:
    """``n`` rows of each level, level by level (the cached ``checks.rows`` of each)."""
    return tuple(row for level in levels for row in checks.rows(level, n, seed))


def rows_in(checks: TaskChecks, lang: str, levels: Iterable[int] = range(1, 11), n: int = 6,
            seed: int = 5) -> list[dict]:
    """Like ``rows_at`` with the prompts in ``lang`` (the problems are the same in every
    language: ``lang`` is a presentation knob)."""
    task = checks.task
    return [make_row(checks.name, level, {**task.knobs.resolve(level), "lang": lang}, seed, i)
            for level in levels for i in range(n)]


def mean_effort(checks: TaskChecks, level: int, n: int = 10, seed: int = 5) -> float:
    """The mean ``effort`` the generator recorded for ``n`` rows of ``level``."""
    rows = checks.rows(level, n, seed)
    return sum(row["effort"] for row in rows) / len(rows)


def assert_effort_and_hardness_grow(checks: TaskChecks, levels: Iterable[int] = (1, 5, 10), n: int = 10,
                                    seed: int = 5, factor: float = 1.0) -> dict[str, list[float]]:
    """Mean effort and mean hardness (``n`` rows a level) both rise strictly along ``levels``,
    the first step by more than ``factor`` times. Returns the means, for a task's own asserts."""
    levels = list(levels)
    means = {"effort": [mean_effort(checks, level, n, seed) for level in levels],
             "hardness": [checks.mean(level, checks.task.hardness, n, seed) for level in levels]}
    for name, values in means.items():
        assert values[0] * factor < values[1], (name, values)
        assert all(a < b for a, b in zip(values, values[1:], strict=False)), (name, values)
    return means


def assert_tagged_below_one(checks: TaskChecks, row: dict, answers: Iterable[str]) -> None:
    """Every answer but the gold, put inside ``<answer>`` tags and scored against the row's
    problem as a completion is, scores below 1 and is a verdict, not an ``error``."""
    for text in answers:
        if text == row["answer"]:
            continue
        verdict = score(checks.task, row["problem"], f"<answer>{text}</answer>")
        assert verdict.score < 1.0 and verdict.reason is not Reason.ERROR, (row["id"], text[:40], verdict)


def assert_tagged_gold_correct(checks: TaskChecks, row: dict, around: str = "") -> None:
    """The row's gold, inside ``<answer>`` tags (``around`` on both sides of it, e.g. a newline
    for a grid), is scored correct as a completion."""
    completion = f"<answer>{around}{row['answer']}{around}</answer>"
    assert score(checks.task, json.loads(row["problem"]), completion).correct, row["id"]


def assert_alternative_forms_correct(checks: TaskChecks, levels: Iterable[int], n: int = 3,
                                     seed: int = 21) -> None:
    """Every alternative form the task names for a row's gold is verified correct."""
    for row in rows_at(checks, levels, n, seed):
        problem = json.loads(row["problem"])
        for form in checks.task.alternative_forms(Problem(problem, row["answer"])):
            assert checks.task.verify(problem, form).correct, (row["id"], form)


def assert_refused(checks: TaskChecks, problem: dict, cases: Mapping[str, Reason]) -> None:
    """Each answer scores 0, refused for the reason it maps to."""
    for answer, reason in cases.items():
        verdict = checks.task.verify(problem, answer)
        assert verdict.score == 0 and verdict.reason is reason, (answer[:40], verdict)


def assert_attacks_fail(checks: TaskChecks, attacks: Callable[[dict, str], list[str]], levels: Iterable[int],
                        n: int, seed: int, around: str = "") -> None:
    """On ``n`` rows of each level, every answer ``attacks(problem, gold)`` names scores below 1
    and is never an ``error``, while the gold itself, tagged (see ``assert_tagged_gold_correct``),
    is correct."""
    for row in rows_at(checks, levels, n, seed):
        problem = json.loads(row["problem"])
        checks.assert_below_one(problem, attacks(problem, row["answer"]))
        assert_tagged_gold_correct(checks, row, around)


def assert_shortcuts_score_zero(checks: TaskChecks, levels: Iterable[int], n: int, seed: int,
                                skip: Iterable[str] = ()) -> None:
    """On ``n`` rows of each level, every degenerate answer the task names (but those in
    ``skip``) scores exactly 0."""
    skip = set(skip)
    for row in rows_at(checks, levels, n, seed):
        problem = json.loads(row["problem"])
        for name, answer in checks.task.degenerate_answers(problem).items():
            if name not in skip:
                assert checks.task.verify(problem, answer).score == 0, (row["id"], name)
