"""A task with a deliberately tiny instance space, registered only for the test that uses it.

No real task has an instance space small enough to exhaust cheaply, so this stands in for one
when testing dedup and the exhaustion error.
"""

from __future__ import annotations

import contextlib

from synlog.tasks import base
from synlog.tasks.base import Problem, Task
from synlog.tasks.knobs import Knob, Knobs
from synlog.verifiers.verdict import Verdict


class TinyTask(Task):
    """Name the number shown (one of `size` possible problems)."""

    name, family, version = "test_tiny", "math", 1
    knobs = Knobs(size=Knob(int, levels=[5] * 10, lo=1, hi=1000))

    def generate(self, rng, p):
        value = int(rng.integers(0, p.size))
        return Problem({"value": value}, str(value), effort=1.0)

    def prompt(self, problem, template=0, lang="en"):
        return f"Say {problem.data['value']} as <answer></answer>."

    def verify(self, problem, answer):
        return Verdict.ok() if answer.strip() == str(problem["value"]) else Verdict.wrong()


@contextlib.contextmanager
def registered():
    """Register TinyTask for the duration of a with-block."""
    base._REGISTRY[TinyTask.name] = TinyTask
    base.get_task.cache_clear()
    try:
        yield TinyTask
    finally:
        base._REGISTRY.pop(TinyTask.name, None)
        base.get_task.cache_clear()
