"""verl: ``compute_score`` for verl's reward managers, and the parquet rows verl reads.

Point verl at this module::

    custom_reward_function.path=$(python -c 'import synlog.trainer_bridge.verl as m; print(m.__file__)')
    custom_reward_function.name=compute_score          # naive / prime reward manager
    # or name=compute_score_batch with reward_model.reward_manager=batch

and train on ``synlog export DATASET --format verl -o data/verl`` output. Each exported row has
``data_source`` (``synlog/<task>``), ``prompt`` (chat messages), ``ability`` (the task family),
``reward_model: {style: "rule", ground_truth: <gold answer>}`` and ``extra_info`` carrying what
verify needs (``task``, ``problem`` JSON, ``difficulty``, ``id``, ``index``, ``split``).

verl calls ``compute_score(data_source=..., solution_str=..., ground_truth=...,
extra_info=...)`` with keywords (newer versions add more keywords, accepted and ignored); the
result is a dict with ``score`` and the fixed keys of :data:`EXTRA_KEYS` (verl requires every
row's dict to have the same keys). The reward spec comes from ``SYNLOG_REWARD_SPEC`` (a YAML or
JSON file; default: accuracy only). Verdicts come from a bounded worker-process pool
(``SYNLOG_REWARD_WORKERS``, ``SYNLOG_REWARD_TIMEOUT``, ``SYNLOG_REWARD_IMPORTS``).

verl has no way to skip a sample: its reward managers write whatever ``score`` says into the
reward tensor (verl/workers/reward_manager/naive.py, ``reward_tensor[i, ...] = reward``). So a
completion synlog cannot score is never reported as 0: a row that is not synlog's, an unknown
task or a problem that is not a JSON object raises :class:`~synlog.errors.UnscorableError`;
an ``error`` verdict (a verifier that failed) or a pool that cannot run raises
:class:`~synlog.errors.ScoringError`. ``timeout`` is a verdict: score 0.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from synlog.errors import ScoringError, UnscorableError
from synlog.trainer_bridge.scorer import Scorer, default_scorer
from synlog.trainer_bridge.spec import RewardSpec, total_rewards
from synlog.trainer_bridge.train import chat_messages
from synlog.verifiers.verdict import Reason, Verdict

#: the keys of every compute_score result besides ``score`` (verl needs them fixed)
EXTRA_KEYS = ("acc", "format", "length", "reason", "task", "difficulty")
SOURCE_PREFIX = "synlog/"


@lru_cache(maxsize=1)
def default_spec() -> RewardSpec:
    """The reward spec named by ``SYNLOG_REWARD_SPEC`` (accuracy only when unset)."""
    path = os.environ.get("SYNLOG_REWARD_SPEC")
    return RewardSpec.load(path) if path else RewardSpec()


def _task_and_problem(data_source: str, extra_info: Mapping[str, Any] | None) -> tuple[str | None, Any]:
    info = extra_info or {}
    task = info.get("task") or (data_source[len(SOURCE_PREFIX):] if str(data_source).startswith(SOURCE_PREFIX) else None)
    return task, info.get("problem")


def _results(spec: RewardSpec, verdicts: Sequence[Verdict], texts: Sequence[str], levels: Sequence[int | None],
             tasks: Sequence[str | None], groups: Sequence[Any]) -> list[dict[str, Any]]:
    totals, values = total_rewards(spec, verdicts, texts, levels=levels, groups=groups)
    out = []
    for i, verdict in enumerate(verdicts):
        out.append({
            "score": float(totals[i]),
            "acc": float(verdict.correct),
            "format": float(values["format"][i]) if "format" in values else 0.0,
            "length": float(values["length"][i]) if "length" in values else 0.0,
            "reason": verdict.reason.value,
            "task": tasks[i] or "",
            "difficulty": int(levels[i]) if levels[i] is not None else -1,
        })
    return out


def compute_score_batch(data_sources: Sequence[str], solution_strs: Sequence[str], ground_truths: Sequence[Any],
                        extra_infos: Sequence[Mapping[str, Any] | None] | None = None, *,
                        spec: RewardSpec | None = None, scorer: Scorer | None = None, **_: Any) -> list[dict[str, Any]]:
    """The batch variant (verl's ``BatchRewardManager``): one result dict per solution.

    Completions of the same problem form a group (for group-aware length shaping). Raises
    :class:`UnscorableError` / :class:`ScoringError` rather than scoring a failure 0 (see the
    module doc).
    """
    spec, scorer = spec or default_spec(), scorer or default_scorer()
    infos = list(extra_infos) if extra_infos is not None else [None] * len(solution_strs)
    pairs = [_task_and_problem(s, i) for s, i in zip(data_sources, infos, strict=True)]
    texts = [s if isinstance(s, str) else "" for s in solution_strs]
    for i, (task, problem) in enumerate(pairs):
        if not task or problem is None:
            raise UnscorableError(
                f"row {i} (data_source {str(data_sources[i])!r}) is not a synlog row: extra_info has no "
                "`task` and `problem`; train on `synlog export --format verl` output, or give this "
                "data_source its own reward function", i)
    verdicts = scorer.verdicts([p[0] for p in pairs], [p[1] for p in pairs], texts)
    for i, verdict in enumerate(verdicts):
        if verdict.reason is Reason.ERROR:
            raise ScoringError(
                f"row {i} (task '{pairs[i][0]}'): the verifier failed ({verdict.details.get('why', '?')}); "
                "verl cannot skip a sample and a 0 would train on a wrong reward, so synlog stops here: "
                "if the worker died (out of memory) use fewer SYNLOG_REWARD_WORKERS, else report the verifier "
                "bug with this completion")
    levels = [(info or {}).get("difficulty") for info in infos]
    groups = [json.dumps([p[0], p[1] if isinstance(p[1], str) else repr(p[1]), str(g)])
              for p, g in zip(pairs, ground_truths, strict=True)]
    return _results(spec, verdicts, texts, levels, [p[0] for p in pairs], groups)


def compute_score(data_source: str, solution_str: str, ground_truth: Any, extra_info: Mapping[str, Any] | None = None,
                  **kwargs: Any) -> dict[str, Any]:
    """verl's per-sample reward function: ``{"score": float, **EXTRA_KEYS}``."""
    return compute_score_batch([data_source], [solution_str], [ground_truth], [extra_info], **kwargs)[0]


def verl_row(row: Mapping[str, Any], split: str = "train", system_prompt: str | None = None) -> dict[str, Any]:
    """A synlog dataset row as the row verl's RL dataset expects."""
    return {
        "data_source": SOURCE_PREFIX + row["task"],
        "prompt": chat_messages(row["prompt"], system_prompt),
        "ability": row["family"],
        "reward_model": {"style": "rule", "ground_truth": row["answer"]},
        "extra_info": {"task": row["task"], "problem": row["problem"], "difficulty": int(row["difficulty"]),
                       "id": row["id"], "index": int(row["index"]), "split": split},
    }


def write_verl(tables: Mapping[str, Any], folder: str | Path, system_prompt: str | None = None) -> list[Path]:
    """Write ``<split>.parquet`` per split (verl's ``data.train_files`` / ``data.val_files``)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for split, table in tables.items():
        rows = [verl_row(r, split, system_prompt) for r in table.to_pylist()]
        target = folder / f"{split}.parquet"
        pq.write_table(pa.Table.from_pylist(rows), target)
        written.append(target)
    return written

