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
    """Examples of one task, generated on demand: ``examples[i]`` is a dataset row (a dict).

    By default indexing is pure: ``examples[i]`` is candidate ``i``, the same row on every
    machine and every call (the raw candidate stream, with no cross-row dedup). With
    ``unique=True`` or ``exclude``, ``examples[i]`` is the i-th candidate that repeats no earlier
    problem and matches nothing excluded, exactly the rows ``synlog generate`` would write;
    candidates are then generated in order up to the highest index asked for.
    """

    def __init__(self, task: str, difficulty: int, n: int, seed: int, knobs: Mapping[str, Any],
                 unique: bool = False, exclude: Any = None):
        from synlog.synth.decontaminate import Exclusion

        self.task = get_task(task)
        self.difficulty = difficulty
        self.n = _count(n)
        self.seed = seed
        self.spec = self.task.knobs.resolve(difficulty, dict(knobs), self.task.name)
        self.exclude = exclude if isinstance(exclude, Exclusion) or exclude is None else Exclusion.load(exclude)
        self.unique = unique or bool(self.exclude)
        self._kept: list[dict[str, Any]] = []
        self._seen: set[str] = set()
        self._next_candidate = 0

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
        if not self.unique:
            return make_row(self.task.name, self.difficulty, self.spec, self.seed, index)
        while len(self._kept) <= index:
            self._keep_next(make_row)
        return self._kept[index]

    def _keep_next(self, make_row) -> None:
        from synlog.errors import GenerationError
        from synlog.synth.engine import EXHAUSTION_SLACK

        misses = 0
        while True:
            if self._next_candidate >= 10 * self.n + EXHAUSTION_SLACK or misses >= EXHAUSTION_SLACK:
                excluded = " and not excluded" if self.exclude else ""
                raise GenerationError(
                    f"task '{self.task.name}' at difficulty {self.difficulty} gave only {len(self._kept)} distinct"
                    f"{excluded} problems in {self._next_candidate} candidates; ask for fewer rows or another level"
                )
            row = make_row(self.task.name, self.difficulty, self.spec, self.seed, self._next_candidate)
            self._next_candidate += 1
            if row["fingerprint"] in self._seen or (self.exclude and self.exclude.excludes(row)):
                misses += 1
                continue
            self._seen.add(row["fingerprint"])
            self._kept.append(row)
            return


def _count(n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise SynlogError(f"n is the number of rows, a non-negative integer; got {n!r}")
    return n


def generate(
    task: str,
    difficulty: int = 1,
    n: int = 100,
    seed: int = 0,
    *,
    knobs: Mapping[str, Any] | None = None,
    unique: bool = False,
    exclude: Any = None,
    **unexpected: Any,
) -> Examples:
    """``n`` examples of ``task`` at a difficulty level, from ``seed``.

    knobs: overrides of the task's difficulty knobs, ``{"n_vars": 40, "ratio": (4.0, 4.3)}``
        (a pair is a range sampled per row); ``synlog tasks show TASK`` lists them. They live in
        their own mapping so a knob can never be mistaken for an argument of this call (the board
        size of ``star_battle`` is the knob ``n``: ``generate("star_battle", n=10, knobs={"n": 6})``).
    unique: drop repeated problems, as ``synlog generate`` does (random access then generates
        the candidate stream in order).
    exclude: a dataset path, several, or a loaded
        :class:`~synlog.synth.decontaminate.Exclusion`: leave out every problem or prompt found
        there (implies ``unique``).
    """
    if unexpected:
        names = ", ".join(sorted(unexpected))
        hint = {"size": "n", "count": "n", "num": "n", "level": "difficulty", "rows": "n"}
        guesses = [f"{name}= is spelt {hint[name]}=" for name in sorted(unexpected) if name in hint]
        knob_like = sorted(name for name in unexpected if name not in hint)
        example = ", ".join(f"{k!r}: ..." for k in knob_like) or "'KNOB': VALUE"
        raise SynlogError(
            f"generate() got unexpected argument(s) {names}; "
            + ("; ".join(guesses) + "; " if guesses else "")
            + f"knob overrides go in knobs={{...}}, e.g. synlog.generate({task!r}, n=100, knobs={{{example}}})"
        )
    return Examples(task, difficulty, n, seed, knobs or {}, unique=unique, exclude=exclude)


def verify(row: Mapping[str, Any], completion: str, config: ExtractConfig = DEFAULT) -> Verdict:
    """Score a completion against a dataset row (in this process, unbounded)."""
    return score(row["task"], row["problem"], completion, config)
