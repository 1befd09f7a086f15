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
so other reward functions can score them. TRL names each function's log ``rewards/<name>``:
the names here are ``accuracy``, ``format`` and ``length``. The accuracy function also logs
``synlog/accuracy/<task>`` through ``log_metric`` (when the TRL version provides it).

Verdicts come from a :class:`~synlog.trainer_bridge.scorer.Scorer` (bounded worker
processes), so the functions are safe when TRL calls them from a thread or an async loop;
the three functions share one scorer and its cache, so each completion is verified once (the
format function reads only the text and verifies nothing unless ``on_verdicts`` is set).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from synlog.trainer_bridge.scorer import Scorer, completion_text
from synlog.trainer_bridge.spec import RewardSpec, approx_length, problem_key, term_values


class TermReward:
    """A TRL reward function computing one term of a :class:`RewardSpec`."""

    def __init__(self, term: str, spec: RewardSpec, scorer: Scorer, on_verdicts: Callable | None = None):
        self.term = term
        self.spec = spec
        self.scorer = scorer
        self.on_verdicts = on_verdicts
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
        if not mine:
            return out
        names, rows = [tasks[i] for i in mine], [problems[i] for i in mine]
        texts = [completion_text(completions[i]) for i in mine]
        levels = [int(difficulty[i]) if difficulty is not None and difficulty[i] is not None else None
                  for i in mine]
        # the format term reads only the text: verify only when a hook wants the verdicts
        verdicts = []
        if self.term != "format" or self.on_verdicts is not None:
            verdicts = self.scorer.verdicts(names, rows, texts)
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
    return [TermReward(t, spec, scorer, on_verdicts) for t in terms], [spec.weight(t) for t in terms]
