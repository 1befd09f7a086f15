"""The checks most task test modules make, written once.

A task's test module keeps what is its own (its independent re-derivation of the gold, its
hostile answers, its accepted forms, how its levels grow) and asks a ``TaskChecks`` for the
plumbing::

    CHECKS = TaskChecks("matrix_determinant")
    TASK = CHECKS.task

    def test_hostile_answers_score_below_one():
        problem = CHECKS.problem(level=3)
        CHECKS.assert_below_one(problem, ["10 or -10", "10.0", ...])

    test_verify_never_raises = CHECKS.never_raises(level=3)

Rows come from ``make_row`` (the path ``synlog generate`` takes) and are cached per
(task, level, n, seed), so a module's tests share them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synlog.synth.example import make_row
from synlog.tasks import get_task
from synlog.tasks.base import Task
from synlog.verifiers.verdict import Reason


@cache
def _rows(name: str, level: int, n: int, seed: int) -> tuple[dict, ...]:
    spec = get_task(name).knobs.resolve(level)
    return tuple(make_row(name, level, spec, seed, i) for i in range(n))


@dataclass(frozen=True)
class TaskChecks:
    name: str

    @property
    def task(self) -> Task:
        return get_task(self.name)

    def rows(self, level: int, n: int, seed: int = 5) -> tuple[dict, ...]:
        """``n`` rows of ``level`` (row i of the seed's stream), as ``synlog generate`` makes them."""
        return _rows(self.name, level, n, seed)

    def problems(self, level: int, n: int, seed: int = 5) -> list[dict]:
        return [json.loads(row["problem"]) for row in self.rows(level, n, seed)]

    def problem(self, level: int = 3, seed: int = 5) -> dict:
        """The first problem of ``level``: the one the single-problem checks attack."""
        return self.problems(level, 1, seed)[0]

    def assert_below_one(self, problem: dict, answers: Iterable[str], *, gold: str | None = None) -> None:
        """Every answer (the gold itself, when named, is passed over) scores below 1 and is a
        verdict, not an ``error``."""
        for answer in answers:
            if gold is not None and answer == gold:
                continue
            verdict = self.task.verify(problem, answer)
            assert verdict.score < 1.0, (answer[:60], verdict)
            assert verdict.reason is not Reason.ERROR, (answer[:60], verdict)

    def assert_scores_one(self, problem: dict, answers: Iterable[str]) -> None:
        for answer in answers:
            verdict = self.task.verify(problem, answer)
            assert verdict.score == 1.0, (answer[:60], verdict)

    def mean(self, level: int, measure: Callable[[dict], float], n: int = 10, seed: int = 5) -> float:
        """The mean of ``measure(problem)`` over ``n`` problems of ``level``."""
        problems = self.problems(level, n, seed)
        return sum(measure(p) for p in problems) / len(problems)

    def never_raises(self, level: int = 3, max_size: int = 200, examples: int = 150,
                     text: st.SearchStrategy[str] | None = None) -> Callable[[], None]:
        """A hypothesis test: arbitrary text scored against a problem of ``level`` is a verdict
        in [0, 1], never a raise and never ``error``. Assign it to a ``test_`` name."""
        checks = self

        @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
        @given(text if text is not None else st.text(max_size=max_size))
        def test(answer: str) -> None:
            verdict = checks.task.verify(checks.problem(level), answer)
            assert verdict.reason is not Reason.ERROR, (answer[:60], verdict)
            assert 0.0 <= verdict.score <= 1.0

        return test
