"""synlog: verifiable reasoning data.

Tasks with difficulty knobs generate problems; rule-based verifiers turn model completions
into rewards::

    import synlog
    synlog.list_tasks()                                   # ["arithmetic", "cryptarithm", ...]
    examples = synlog.generate("sudoku", difficulty=4, n=1000, seed=7)
    row = examples[17]                                    # random access: a dataset row (dict)
    verdict = synlog.verify(row, "<answer>...</answer>")  # Verdict(score, correct, reason, ...)

``synlog.score(task, problem, completion)`` does the same from a task name and the row's
``problem`` JSON. For batches with time and memory bounds use
:class:`synlog.verifiers.pool.VerifierPool`; to write datasets use ``synlog generate`` or
:func:`synlog.synth.engine.run`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from synlog.errors import SynlogError
from synlog.tasks.base import Task, get_task
from synlog.verifiers.extract import DEFAULT, ExtractConfig
from synlog.verifiers.score import score
from synlog.verifiers.verdict import Reason, Verdict
from synlog.version import __version__

__all__ = [
    "Examples", "ExtractConfig", "Reason", "SynlogError", "Task", "Verdict", "__version__",
    "generate", "get_task", "list_tasks", "score", "verify",
]


def list_tasks(family: str | None = None) -> list[str]:
    """Names of the registered tasks, optionally of one family."""
    from synlog.tasks.base import all_tasks

    return [name for name, cls in all_tasks().items() if family is None or cls.family == family]


class Examples(Sequence):
    """Random-access examples of one task: ``examples[i]`` is generated on demand.

    Indexing is pure: ``examples[i]`` is the same row on every machine and every call. This is
    the raw candidate stream (no cross-row dedup); ``synlog generate`` dedups when writing.
    """

    def __init__(self, task: str, difficulty: int, n: int, seed: int, overrides: Mapping[str, Any]):
        self.task = get_task(task)
        self.difficulty = difficulty
        self.n = n
        self.seed = seed
        self.spec = self.task.knobs.resolve(difficulty, dict(overrides), self.task.name)

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, index):  # type: ignore[override]
        from synlog.synth.example import make_row

        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.n))]
        if index < 0:
            index += self.n
        if not 0 <= index < self.n:
            raise IndexError(index)
        return make_row(self.task.name, self.difficulty, self.spec, self.seed, index)


def generate(task: str, difficulty: int = 1, n: int = 100, seed: int = 0, **overrides: Any) -> Examples:
    """Examples of ``task`` at a level, with knob overrides as keyword arguments."""
    return Examples(task, difficulty, n, seed, overrides)


def verify(row: Mapping[str, Any], completion: str, config: ExtractConfig = DEFAULT) -> Verdict:
    """Score a completion against a dataset row (in this process, unbounded)."""
    return score(row["task"], row["problem"], completion, config)
