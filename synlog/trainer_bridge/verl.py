"""verl: the reward functions verl's reward managers call, and the parquet rows verl reads.

Point verl 0.8+ (0.9.x today) at this module with the ``reward.`` keys (or load
``examples/verl_reward.yaml``)::

    reward.custom_reward_function.path=pkg://synlog.trainer_bridge.verl
    reward.custom_reward_function.name=compute_score_async     # or compute_score

verl 0.7 and older read the top-level ``custom_reward_function.path`` / ``.name`` (verl 0.9
ignores that key without a word and scores with its default scorer, which raises
``NotImplementedError`` for ``synlog/*`` data sources). Train on
``synlog export DATASET --format verl -o data/verl`` output. Each exported row has
``data_source`` (``synlog/<task>``), ``prompt`` (chat messages), ``ability`` (the task family),
``reward_model: {style: "rule", ground_truth: <gold answer>}`` and ``extra_info`` carrying what
verify needs (``task``, ``problem`` JSON, ``difficulty``, ``id``, ``index``, ``split``).

Three entry points, one result: a dict with ``score`` and the fixed keys of
:data:`EXTRA_KEYS` (verl requires every row's dict to have the same keys).

- :func:`compute_score_async` -- for verl's reward loop (the only reward path of verl 0.9, the
  default one since 0.7): its reward managers score **one sample per call** and ``await`` a
  coroutine function (verl/experimental/reward_loop/reward_manager/naive.py, ``run_single``).
  Calls that arrive together in one event loop (a reward-loop worker gathers its whole chunk
  at once) are scored as one batch, so the verifier pool's workers run in parallel.
- :func:`compute_score` -- the same per sample, synchronous (verl runs it in a thread).
- :func:`compute_score_batch` -- verl 0.7 and older with the legacy batch manager
  (``reward_model.reward_manager=batch reward_model.use_reward_loop=False``); the reward loop
  has no ``batch`` manager ("Unknown reward manager: batch").

verl calls them with keywords (``data_source=..., solution_str=..., ground_truth=...,
extra_info=...``; newer versions add more keywords, accepted and ignored). The reward spec
comes from ``SYNLOG_REWARD_SPEC`` (a YAML or JSON file; default: accuracy only). Length mode
``group`` (the shortest correct completion of a GRPO group) needs the whole group in one call,
so only :func:`compute_score_batch` takes it; the per-sample entry points refuse it. Verdicts
come from a bounded worker-process pool (``SYNLOG_REWARD_WORKERS``, ``SYNLOG_REWARD_TIMEOUT``,
``SYNLOG_REWARD_IMPORTS``).

verl has no way to skip a sample: its reward managers write whatever ``score`` says into the
reward tensor (verl/experimental/reward_loop/reward_manager/base.py, ``assemble_rm_scores``). So
a completion synlog cannot score is never reported as 0: a row that is not synlog's, an unknown
task or a problem that is not a JSON object raises :class:`~synlog.errors.UnscorableError`;
an ``error`` verdict (a verifier that failed) or a pool that cannot run raises
:class:`~synlog.errors.ScoringError`. ``timeout`` is a verdict: score 0.
"""

from __future__ import annotations

import asyncio
import json
import os
import weakref
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from synlog.datasets_out.schema import row_source
from synlog.errors import ScoringError, SynlogError, UnscorableError
from synlog.trainer_bridge.scorer import Scorer, default_scorer, failure_reason, problem_error
from synlog.trainer_bridge.spec import RewardSpec, RewardSpecError, total_rewards
from synlog.trainer_bridge.train import chat_messages
from synlog.verifiers.verdict import Reason, Verdict

#: the keys of every compute_score result besides ``score`` (verl needs them fixed)
EXTRA_KEYS = ("acc", "format", "length", "reason", "task", "difficulty", "source")
SOURCE_PREFIX = "synlog/"
#: seconds :func:`compute_score_async` waits for more calls before scoring a batch
BATCH_WAIT_S = 0.02


@lru_cache(maxsize=1)
def default_spec() -> RewardSpec:
    """The reward spec named by ``SYNLOG_REWARD_SPEC`` (accuracy only when unset)."""
    path = os.environ.get("SYNLOG_REWARD_SPEC")
    return RewardSpec.load(path) if path else RewardSpec()


def _task_and_problem(data_source: str, extra_info: Mapping[str, Any] | None) -> tuple[str | None, Any]:
    info = extra_info or {}
    task = info.get("task") or (data_source[len(SOURCE_PREFIX):] if str(data_source).startswith(SOURCE_PREFIX) else None)
    return task, info.get("problem")


def _result(verdict: Verdict, values: Mapping[str, Sequence[float]], total: float, i: int,
            task: str, level: int | None, source: str | None) -> dict[str, Any]:
    return {
        "score": float(total),
        "acc": float(verdict.correct),
        "format": float(values["format"][i]) if "format" in values else 0.0,
        "length": float(values["length"][i]) if "length" in values else 0.0,
        "reason": verdict.reason.value,
        "task": task or "",
        "difficulty": int(level) if level is not None else -1,
        "source": source or task or "",
    }


def _score_rows(data_sources: Sequence[str], solution_strs: Sequence[Any], ground_truths: Sequence[Any],
                infos: Sequence[Mapping[str, Any] | None], spec: RewardSpec,
                scorer: Scorer) -> list[dict[str, Any] | SynlogError]:
    """One result dict per row, or the error that row raises (one pool call for the batch).

    Raises :class:`ScoringError` (for every row) when the pool cannot run."""
    pairs = [_task_and_problem(s, i) for s, i in zip(data_sources, infos, strict=True)]
    texts = [s if isinstance(s, str) else "" for s in solution_strs]
    out: list[dict[str, Any] | SynlogError | None] = [None] * len(texts)
    for i, (task, problem) in enumerate(pairs):
        if not task or problem is None:
            out[i] = UnscorableError(
                f"data_source {str(data_sources[i])!r} is not a synlog row: extra_info has no `task` and "
                "`problem`; train on `synlog export --format verl` output, or give this data_source its "
                "own reward function", i)
    todo = [i for i in range(len(texts)) if out[i] is None]
    outcomes = scorer.outcomes([pairs[i][0] for i in todo], [pairs[i][1] for i in todo],
                               [texts[i] for i in todo]) if todo else []
    good: list[int] = []
    for i, outcome in zip(todo, outcomes, strict=True):
        if isinstance(outcome, UnscorableError):
            out[i] = UnscorableError(str(outcome), i)
        elif problem_error(outcome) is not None:
            out[i] = UnscorableError(f"task '{pairs[i][0]}': {failure_reason(outcome)} (`synlog import` reports "
                                     "such rows; verl cannot skip a sample and a 0 would be a wrong reward)", i)
        elif outcome.reason is Reason.ERROR:
            out[i] = ScoringError(
                f"task '{pairs[i][0]}': the verifier failed ({outcome.details.get('why', '?')}); verl cannot "
                "skip a sample and a 0 would train on a wrong reward, so synlog stops here: if the worker died "
                "(out of memory) use fewer SYNLOG_REWARD_WORKERS, else report the verifier bug with this completion")
        else:
            good.append(i)
    verdicts = {i: o for i, o in zip(todo, outcomes, strict=True)}
    levels = [(info or {}).get("difficulty") for info in infos]
    groups = [json.dumps([pairs[i][0], pairs[i][1] if isinstance(pairs[i][1], str) else repr(pairs[i][1]),
                          str(ground_truths[i])]) for i in good]
    totals, values = total_rewards(spec, [verdicts[i] for i in good], [texts[i] for i in good],
                                   levels=[levels[i] for i in good], groups=groups)
    for k, i in enumerate(good):
        out[i] = _result(verdicts[i], values, totals[k], k, pairs[i][0], levels[i], (infos[i] or {}).get("source"))
    return out  # type: ignore[return-value]


def _per_sample_spec(spec: RewardSpec, entry: str) -> RewardSpec:
    """Refuse a spec that needs the whole GRPO group in one call (length mode ``group``)."""
    if spec.length.mode == "group" and "length" in spec.terms():
        raise RewardSpecError(
            f"reward.length.mode 'group' compares the completions of one GRPO group, but {entry} gets one "
            "sample per call (verl's reward loop scores samples one by one), so every completion would be "
            "its own group; use mode laser or difficulty, or compute_score_batch with verl <= 0.7's "
            "batch reward manager")
    return spec


def compute_score_batch(data_sources: Sequence[str], solution_strs: Sequence[str], ground_truths: Sequence[Any],
                        extra_infos: Sequence[Mapping[str, Any] | None] | None = None, *,
                        spec: RewardSpec | None = None, scorer: Scorer | None = None, **_: Any) -> list[dict[str, Any]]:
    """The batch variant (verl <= 0.7's ``BatchRewardManager``): one result dict per solution.

    Completions of the same problem form a group (for group-aware length shaping). Raises
    :class:`UnscorableError` / :class:`ScoringError` for the first row that cannot be scored
    rather than scoring a failure 0 (see the module doc).
    """
    spec, scorer = spec or default_spec(), scorer or default_scorer()
    infos = list(extra_infos) if extra_infos is not None else [None] * len(solution_strs)
    results = _score_rows(list(data_sources), list(solution_strs), list(ground_truths), infos, spec, scorer)
    for i, result in enumerate(results):
        if isinstance(result, UnscorableError):
            raise UnscorableError(f"row {i}: {result}", i)
        if isinstance(result, SynlogError):
            raise ScoringError(f"row {i}: {result}")
    return results  # type: ignore[return-value]


def compute_score(data_source: str, solution_str: str, ground_truth: Any, extra_info: Mapping[str, Any] | None = None,
                  *, spec: RewardSpec | None = None, scorer: Scorer | None = None, **_: Any) -> dict[str, Any]:
    """verl's per-sample reward function: ``{"score": float, **EXTRA_KEYS}``."""
    spec = _per_sample_spec(spec or default_spec(), "compute_score")
    result = _score_rows([data_source], [solution_str], [ground_truth], [extra_info], spec,
                         scorer or default_scorer())[0]
    if isinstance(result, SynlogError):
        raise result
    return result


class _Batcher:
    """Gathers the :func:`compute_score_async` calls of one event loop into batches.

    The first call of a batch waits ``wait_s`` for the others (a reward-loop worker starts all
    samples of its chunk at once; each decodes its response in a thread first), then the batch
    is scored in a thread, off the loop; calls arriving meanwhile form the next batch.
    """

    def __init__(self, wait_s: float) -> None:
        self.wait_s = wait_s
        self.pending: list[tuple[tuple[Any, ...], asyncio.Future]] = []
        self.running = False

    async def score(self, row: tuple[Any, ...]) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.pending.append((row, future))
        if not self.running:
            self.running = True
            loop.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            await asyncio.sleep(self.wait_s)
            while self.pending:
                batch, self.pending = self.pending, []
                by_setup: dict[tuple[int, int], list[tuple[tuple[Any, ...], asyncio.Future]]] = {}
                for row, future in batch:  # rows scored with different spec/scorer objects: separate calls
                    by_setup.setdefault((id(row[4]), id(row[5])), []).append((row, future))
                for items in by_setup.values():
                    await self._run(loop, items)
        finally:
            self.running = False

    @staticmethod
    async def _run(loop: asyncio.AbstractEventLoop, items: list[tuple[tuple[Any, ...], asyncio.Future]]) -> None:
        rows = [row for row, _ in items]
        spec, scorer = rows[0][4], rows[0][5]
        try:
            results = await loop.run_in_executor(None, lambda: _score_rows(
                [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows], spec, scorer))
        except asyncio.CancelledError:  # the loop is shutting down
            for _, future in items:
                future.cancel()
            raise
        except Exception as exc:  # the pool cannot run: every waiting call gets the reason
            for _, future in items:
                if not future.done():
                    future.set_exception(exc)
            return
        for (_, future), result in zip(items, results, strict=True):
            if future.done():  # the caller was cancelled
                continue
            if isinstance(result, SynlogError):
                future.set_exception(result)
            else:
                future.set_result(result)


#: one batcher per running event loop (futures belong to their loop); dropped with the loop
_BATCHERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Batcher] = weakref.WeakKeyDictionary()


async def compute_score_async(data_source: str, solution_str: str, ground_truth: Any,
                              extra_info: Mapping[str, Any] | None = None, *, spec: RewardSpec | None = None,
                              scorer: Scorer | None = None, **_: Any) -> dict[str, Any]:
    """verl's reward-loop reward function (``reward.custom_reward_function.name=compute_score_async``).

    The same result as :func:`compute_score` for the same sample; the calls that are in flight
    together in one event loop are verified as one batch (see :class:`_Batcher`;
    ``SYNLOG_REWARD_BATCH_WAIT`` sets how many seconds the first call of a batch waits for the
    others, default 0.02). Raises what :func:`compute_score` raises, in the call of the sample
    that caused it.
    """
    spec = _per_sample_spec(spec or default_spec(), "compute_score_async")
    scorer = scorer or default_scorer()
    loop = asyncio.get_running_loop()
    batcher = _BATCHERS.get(loop)
    if batcher is None:
        batcher = _BATCHERS[loop] = _Batcher(_batch_wait())
    info = dict(extra_info) if extra_info is not None else None
    return await batcher.score((data_source, solution_str, ground_truth, info, spec, scorer))


def _batch_wait() -> float:
    raw = os.environ.get("SYNLOG_REWARD_BATCH_WAIT")
    if raw is None:
        return BATCH_WAIT_S
    try:
        wait = float(raw)
    except ValueError:
        wait = -1.0
    if not 0.0 <= wait <= 10.0:
        raise SynlogError(f"SYNLOG_REWARD_BATCH_WAIT={raw!r}: use a number of seconds between 0 and 10 (default 0.02)")
    return wait


def verl_row(row: Mapping[str, Any], split: str = "train", system_prompt: str | None = None) -> dict[str, Any]:
    """A synlog dataset row as the row verl's RL dataset expects."""
    return {
        "data_source": SOURCE_PREFIX + row_source(row),
        "prompt": chat_messages(row["prompt"], system_prompt),
        "ability": row["family"],
        "reward_model": {"style": "rule", "ground_truth": row["answer"]},
        "extra_info": {"task": row["task"], "problem": row["problem"], "difficulty": int(row["difficulty"]),
                       "id": row["id"], "index": int(row["index"]), "split": split, "source": row_source(row)},
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

