"""Curriculum: per-task adaptive difficulty, an on-the-fly dataset that follows it, and a
pass-rate filter.

::

    controller = AdaptiveDifficulty(["arithmetic", "sudoku"], start=2, window=32, upper=0.8, lower=0.3)
    controller.record("arithmetic", [True, True, False])   # after each batch of verdicts
    controller.level("arithmetic")                         # raised when windowed accuracy > upper

A level moves one step at a time and only once the window is full, and the window is cleared
when it moves, so each decision is made on accuracy measured at the current level: verdicts
of rows generated at another level (each row carries its ``difficulty``) are not counted.
The levels live in the trainer's process, so the rows must be generated there too
(``dataloader_num_workers: 0``; ``synlog train`` refuses more with a curriculum).
:func:`curriculum_dataset` yields synlog rows at each task's *current* level (an
``datasets.IterableDataset`` for ``GRPOTrainer``), and :func:`curriculum_callback` returns a
TRL/transformers ``TrainerCallback`` that feeds the controller from the reward verdicts and
logs each task's level. :func:`drop_flat_groups` is the pass-rate filter: a prompt whose
whole group scored the same carries no GRPO learning signal.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Hashable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from synlog.errors import SynlogError


class AdaptiveDifficulty:
    """Per-task difficulty level driven by windowed accuracy.

    tasks: task names. start: the first level of every task (or a dict per task).
    window: verdicts per decision. upper/lower: raise above / lower below this accuracy.
    lo/hi: the level range. Thread-safe (rewards are recorded from the trainer's threads).
    """

    def __init__(self, tasks: Sequence[str], start: int | dict[str, int] = 1, window: int = 64,
                 upper: float = 0.8, lower: float = 0.3, lo: int = 1, hi: int = 10) -> None:
        if not 0.0 <= lower < upper <= 1.0:
            raise SynlogError(f"curriculum thresholds need 0 <= lower < upper <= 1 (got {lower}, {upper})")
        if window < 1 or not 1 <= lo <= hi <= 10:
            raise SynlogError("curriculum window must be >= 1 and 1 <= lo <= hi <= 10")
        starts = start if isinstance(start, dict) else dict.fromkeys(tasks, start)
        self.window, self.upper, self.lower, self.lo, self.hi = window, upper, lower, lo, hi
        self._levels = {t: min(hi, max(lo, int(starts.get(t, lo)))) for t in tasks}
        self._recent = {t: deque(maxlen=window) for t in tasks}
        self._lock = threading.Lock()
        self.history: list[tuple[str, int, int]] = []  # (task, old level, new level)

    @property
    def tasks(self) -> list[str]:
        return list(self._levels)

    def level(self, task: str) -> int:
        return self._levels[task]

    def levels(self) -> dict[str, int]:
        with self._lock:
            return dict(self._levels)

    def accuracy(self, task: str) -> float | None:
        """Accuracy over the current window, or None before any verdict at this level."""
        recent = self._recent[task]
        return sum(recent) / len(recent) if recent else None

    def record(self, task: str, correct: bool | Iterable[bool], level: int | None = None) -> int:
        """Add verdicts of ``task``; returns the (possibly changed) level.

        ``level`` is the level the verdicts' rows were generated at: verdicts of another level
        than the current one are stale (a trainer generates ahead, so for a step or two after a
        move it still scores rows of the old level) and are not counted. All the verdicts of one
        call are of one level, so once they move the level the rest of them are stale too: one
        call moves the level at most one step, and the new level's window starts empty.
        """
        if task not in self._levels:
            return 0
        values = [bool(correct)] if isinstance(correct, bool) else [bool(c) for c in correct]
        with self._lock:
            if level is not None and level != self._levels[task]:
                return self._levels[task]
            recent = self._recent[task]
            for ok in values:
                recent.append(ok)
                if len(recent) < self.window:
                    continue
                accuracy = sum(recent) / len(recent)
                old = self._levels[task]
                new = old + 1 if accuracy > self.upper else old - 1 if accuracy < self.lower else old
                new = min(self.hi, max(self.lo, new))
                if new != old:
                    self._levels[task] = new
                    self.history.append((task, old, new))
                    recent.clear()
                    break  # the remaining verdicts are of the old level
            return self._levels[task]


def curriculum_rows(controller: AdaptiveDifficulty, seed: int = 0, weights: dict[str, float] | None = None,
                    overrides: dict[str, dict[str, Any]] | None = None) -> Iterator[dict[str, Any]]:
    """Endless synlog rows, tasks drawn by weight, each at its task's current level.

    Rows are pure functions of (task, level, seed, index): index counts per (task, level), so a
    level revisited later continues where it stopped instead of repeating problems.
    """
    import numpy as np

    from synlog.synth.example import make_row
    from synlog.tasks.base import get_task

    tasks = controller.tasks
    probs = np.array([float((weights or {}).get(t, 1.0)) for t in tasks])
    probs = probs / probs.sum()
    rng = np.random.default_rng([seed, 0x5C])
    counters: dict[tuple[str, int], int] = {}
    specs: dict[tuple[str, int], dict[str, Any]] = {}
    while True:
        task = tasks[int(rng.choice(len(tasks), p=probs))]
        level = controller.level(task)
        key = (task, level)
        if key not in specs:
            specs[key] = get_task(task).knobs.resolve(level, dict((overrides or {}).get(task, {})), task)
        index = counters.get(key, 0)
        counters[key] = index + 1
        yield make_row(task, level, specs[key], seed, index)


def curriculum_dataset(controller: AdaptiveDifficulty, seed: int = 0, chat: bool = True,
                       system_prompt: str | None = None, weights: dict[str, float] | None = None):
    """A ``datasets.IterableDataset`` of trainer rows generated at the controller's levels.

    Use with ``GRPOConfig(max_steps=..., shuffle_dataset=False)`` (a shuffle buffer would draw
    a thousand rows ahead and the levels would lag).
    """
    import datasets

    from synlog.trainer_bridge.train import trainer_row

    def generate():
        for row in curriculum_rows(controller, seed, weights):
            yield trainer_row(row, chat, system_prompt)

    return datasets.IterableDataset.from_generator(generate)


def curriculum_callback(controller: AdaptiveDifficulty):
    """A ``TrainerCallback`` that logs each task's level as ``synlog/level/<task>``.

    Feed the controller from the reward verdicts with :meth:`record_verdicts` as the TRL
    reward's ``on_verdicts`` hook (``synlog train`` wires both).
    """
    from transformers import TrainerCallback

    class CurriculumCallback(TrainerCallback):
        def on_log(self, args, state, control, logs=None, **kwargs):
            levels = {f"synlog/level/{task}": level for task, level in controller.levels().items()}
            if logs is not None:
                logs.update(levels)
            # Trainer appends a copy of `logs` to the history before callbacks run
            if state.log_history and state.log_history[-1].get("step") == state.global_step:
                state.log_history[-1].update(levels)

    return CurriculumCallback()


def record_verdicts(controller: AdaptiveDifficulty):
    """An ``on_verdicts(term, tasks, verdicts, levels)`` hook that records accuracy verdicts
    (each under the level its row was generated at: stale levels are not counted)."""

    def hook(term: str, tasks: Sequence[str], verdicts: Sequence[Any],
             levels: Sequence[int | None] | None = None) -> None:
        if term != "accuracy":
            return
        # one record call per (task, level): a batch's verdicts move a level at most one step
        batches: dict[tuple[str, int | None], list[bool]] = {}
        for task, verdict, level in zip(tasks, verdicts, levels or [None] * len(tasks), strict=True):
            batches.setdefault((task, None if level is None else int(level)), []).append(bool(verdict.correct))
        for (task, level), correct in batches.items():
            controller.record(task, correct, level)

    return hook


def drop_flat_groups(scores: Sequence[float], groups: Sequence[Hashable], tolerance: float = 1e-9) -> list[bool]:
    """Pass-rate filter: keep[i] is False when every completion of i's group scored the same.

    A group that is all right or all wrong has zero GRPO advantage: no learning signal.
    """
    spans: dict[Hashable, tuple[float, float]] = {}
    for score, group in zip(scores, groups, strict=True):
        low, high = spans.get(group, (score, score))
        spans[group] = (min(low, score), max(high, score))
    return [spans[g][1] - spans[g][0] > tolerance for g in groups]


def read_pass_rates(report: str | Path) -> dict[str, float]:
    """Per-row pass rates (row ``id`` -> fraction correct) from a ``synlog verify`` report folder
    (or its ``verdicts.parquet`` / ``verdicts.jsonl``), e.g. of k samples per problem."""
    from synlog.verifiers.report import read_verdicts

    tally: dict[str, list[int]] = {}
    for record in read_verdicts(report, ["id", "correct"]):
        counts = tally.setdefault(str(record["id"]), [0, 0])
        counts[0] += bool(record["correct"])
        counts[1] += 1
    return {row_id: right / total for row_id, (right, total) in tally.items()}


def pass_rate_filter(rows: Iterable[dict[str, Any]], pass_rates: dict[str, float],
                     low: float = 0.0, high: float = 1.0) -> Iterator[dict[str, Any]]:
    """Keep rows whose measured pass rate (by row ``id``) lies strictly inside (low, high).

    Measure pass rates offline (``synlog verify`` with k samples per problem); rows never
    measured are kept.
    """
    for row in rows:
        rate = pass_rates.get(row["id"])
        if rate is None or low < rate < high:
            yield row
