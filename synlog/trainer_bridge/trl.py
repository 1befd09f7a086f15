"""TRL reward functions: one callable per reward term, for ``GRPOTrainer(reward_funcs=...)``.

::

    from synlog.trainer_bridge.trl import reward_functions
    funcs, weights = reward_functions({"accuracy": {"weight": 1}, "format": {"weight": 0.2}})
    trainer = GRPOTrainer(model, reward_funcs=funcs, args=GRPOConfig(reward_weights=weights, ...),
                          train_dataset=dataset)   # rows carry synlog's `task` and `problem`

The keyword contract (TRL >= 1.0, checked against 1.16): each function is called with
``prompts``, ``completions`` (strings, or chat message lists), ``completion_ids`` (token id
lists), every dataset column as a keyword list (synlog reads ``task``, ``problem`` and,
when present, ``difficulty``), ``trainer_state``, ``log_extra`` and ``log_metric``; it returns
one float per completion, or ``None`` for rows that are not synlog rows (no ``task``/``problem``)
so other reward functions can score them, and ``None`` for a completion synlog could not score
(an unknown task, a problem that is not a JSON object, an ``error`` verdict: a verifier that
failed), with the reason logged once per distinct reason. ``timeout`` is a verdict (0).

TRL turns ``None`` into NaN and leaves it out (trl/trainer/grpo_trainer.py, TRL 1.16: lines
1629-1630 convert None to NaN; 2756-2759 mark a completion whose every reward is NaN as
unscorable and keep it out of its group's baseline; 2808-2810 give it advantage 0). So that a
failed completion is left out entirely rather than scored by the remaining terms, all three
functions return None for it: the format function, which reads only the text, returns None
where the shared scorer already knows the verdict failed (TRL calls the functions in order,
accuracy first). A failing pool (no worker can start) raises
:class:`~synlog.errors.ScoringError`: training stops rather than learning from nothing. TRL names each function's log ``rewards/<name>``:
the names here are ``accuracy``, ``format`` and ``length``. The accuracy function also logs
``synlog/accuracy/<task>`` through ``log_metric`` (when the TRL version provides it).

Verdicts come from a :class:`~synlog.trainer_bridge.scorer.Scorer` (bounded worker
processes), so the functions are safe when TRL calls them from a thread or an async loop;
the three functions share one scorer and its cache, so each completion is verified once (the
format function reads only the text and verifies nothing unless ``on_verdicts`` is set).
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from synlog.trainer_bridge.scorer import Scorer, completion_text, failure_reason, is_failure
from synlog.trainer_bridge.spec import RewardSpec, approx_length, problem_key, term_values

logger = logging.getLogger(__name__)
#: distinct reasons logged per set of reward functions; then one line says the rest are not
MAX_REASONS = 32


class ReasonLog:
    """Logs each distinct reason once (shared by the reward functions of one spec)."""

    def __init__(self, limit: int = MAX_REASONS) -> None:
        self.limit = limit
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, level: int, reason: str) -> None:
        with self._lock:
            if reason in self._seen or len(self._seen) > self.limit:
                return
            self._seen.add(reason)
            full = len(self._seen) > self.limit
        if full:
            logger.warning("synlog reward: more than %d distinct reasons for None rewards; not logging more",
                           self.limit)
        else:
            logger.log(level, "synlog reward: None (TRL leaves the completion out): %s", reason)


FOREIGN = "a row without synlog's `task`/`problem` columns (left to the other reward functions)"


class TermReward:
    """A TRL reward function computing one term of a :class:`RewardSpec`."""

    def __init__(self, term: str, spec: RewardSpec, scorer: Scorer, on_verdicts: Callable | None = None,
                 log: ReasonLog | None = None):
        self.term = term
        self.spec = spec
        self.scorer = scorer
        self.on_verdicts = on_verdicts
        self.log = log or ReasonLog()
        self.__name__ = term  # TRL logs rewards/<__name__>

    def __call__(self, prompts: Sequence[Any], completions: Sequence[Any], completion_ids: Sequence[Sequence[int]] | None = None,
                 task: Sequence[str | None] | None = None, problem: Sequence[Any] | None = None,
                 difficulty: Sequence[int | None] | None = None, log_metric: Callable | None = None,
                 **_: Any) -> list[float | None]:
        n = len(completions)
        tasks = list(task) if task is not None else [None] * n
        problems = list(problem) if problem is not None else [None] * n
        mine = [i for i in range(n) if tasks[i] and problems[i] is not None]
        out: list[float | None] = [None] * n
        if len(mine) < n:
            self.log(logging.INFO, FOREIGN)
        if not mine:
            return out
        texts = [completion_text(completions[i]) for i in mine]
        # the format term reads only the text: verify only when a hook wants the verdicts
        verify = self.term != "format" or self.on_verdicts is not None
        outcomes = (self.scorer.outcomes if verify else self.scorer.peek)(
            [tasks[i] for i in mine], [problems[i] for i in mine], texts)
        kept = []
        for k, outcome in enumerate(outcomes):
            if is_failure(outcome):
                self.log(logging.WARNING, f"task '{tasks[mine[k]]}': {failure_reason(outcome)}")
            else:
                kept.append(k)
        mine, texts = [mine[k] for k in kept], [texts[k] for k in kept]
        verdicts = [outcomes[k] for k in kept] if verify else []
        if not mine:
            return out
        names, rows = [tasks[i] for i in mine], [problems[i] for i in mine]
        levels = [int(difficulty[i]) if difficulty is not None and difficulty[i] is not None else None
                  for i in mine]
        if self.on_verdicts is not None:
            self.on_verdicts(self.term, names, verdicts, levels)
        lengths, groups = [], []
        if self.term == "length":
            use_ids = completion_ids is not None and self.spec.length.unit == "tokens"
            lengths = [len(completion_ids[i]) if use_ids else approx_length(t, self.spec.length.unit)
                       for i, t in zip(mine, texts, strict=True)]
            groups = [problem_key(t, p) for t, p in zip(names, rows, strict=True)]
        values = term_values(self.spec, self.term, verdicts, texts, lengths, levels, groups)
        for i, value in zip(mine, values, strict=True):
            out[i] = value
        if self.term == "accuracy" and log_metric is not None:
            _log_per_task(log_metric, names, [v.correct for v in verdicts])
        return out


def _log_per_task(log_metric: Callable[[str, float], Any], tasks: Sequence[str], correct: Sequence[bool]) -> None:
    by_task: dict[str, list[bool]] = defaultdict(list)
    for name, ok in zip(tasks, correct, strict=True):
        by_task[name].append(ok)
    for name, oks in sorted(by_task.items()):
        log_metric(f"synlog/accuracy/{name}", sum(oks) / len(oks))


def reward_functions(
    spec: RewardSpec | Mapping[str, Any] | None = None,
    scorer: Scorer | None = None,
    on_verdicts: Callable | None = None,
) -> tuple[list[TermReward], list[float]]:
    """The TRL reward functions of a spec (one per weighted term) and their weights.

    Pass the weights as ``GRPOConfig(reward_weights=...)``. Without a spec: accuracy only.
    ``on_verdicts(term, tasks, verdicts, levels)`` is called with every batch's verdicts and the
    difficulty of each row (None where the data has none), for monitoring and the curriculum.
    """
    if not isinstance(spec, RewardSpec):
        spec = RewardSpec.from_dict(spec)
    scorer = scorer or Scorer()
    terms = spec.terms() or ["accuracy"]
    log = ReasonLog()
    return [TermReward(t, spec, scorer, on_verdicts, log) for t in terms], [spec.weight(t) for t in terms]
