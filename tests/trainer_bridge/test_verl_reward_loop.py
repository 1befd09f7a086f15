"""verl's reward loop (the only reward path of verl 0.9, the default since 0.7) calling synlog.

What verl does, reproduced call for call (verl 0.9.1 from PyPI, verl-0.9.1-py3-none-any.whl;
the same code on main at b178a3cd56f58b2d502255daba591e92833930a7):

- ``verl/trainer/ppo/reward.py:70-86`` (``get_custom_reward_fn``): reads
  ``config.reward.custom_reward_function.{path,name}``, loads the object with
  ``load_extern_object`` -- for ``pkg://synlog.trainer_bridge.verl``,
  ``importlib.import_module("synlog.trainer_bridge.verl")`` (``verl/utils/import_utils.py:170-172``)
  then ``getattr`` (``:256-261``) -- and wraps a coroutine function as
  ``partial(_call_with_kwargs_async, raw_fn, reward_kwargs)`` (``reward.py:41-47``).
- ``verl/experimental/reward_loop/reward_manager/naive.py:30``: ``inspect.iscoroutinefunction``
  on that partial decides between ``await compute_score(...)`` (``:66-73``) and a thread
  (``:75-84``); ``:42-52`` adds ``num_turns`` and ``rollout_reward_scores`` to ``extra_info``;
  ``:54-56`` decodes the response in the loop's executor first; ``:88-95`` reads ``score``
  and every key of the dict.
- ``verl/experimental/reward_loop/reward_loop.py:138-143`` (``RewardLoopWorker.compute_score_batch``):
  one ``asyncio.create_task`` per sample of the worker's chunk, then ``asyncio.gather``;
  ``:365-369`` builds ``np.array([info[key] ...])`` for the keys of the first sample's dict.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
from functools import partial

import numpy as np
import pytest

from synlog.errors import ScoringError, UnscorableError
from synlog.trainer_bridge.scorer import Scorer
from synlog.trainer_bridge.spec import RewardSpec, RewardSpecError
from synlog.trainer_bridge.verl import EXTRA_KEYS, compute_score, verl_row


async def _call_with_kwargs_async(raw_fn, extra_kwargs, *args, **kwargs):
    """verl/trainer/ppo/reward.py:41-47, verbatim."""
    merged_kwargs = {**kwargs, **extra_kwargs}
    return await raw_fn(*args, **merged_kwargs)


def load_reward_fn(name: str, reward_kwargs: dict | None = None):
    """verl's get_custom_reward_fn for path=pkg://synlog.trainer_bridge.verl (see module doc)."""
    raw_fn = getattr(importlib.import_module("synlog.trainer_bridge.verl"), name)
    assert inspect.iscoroutinefunction(raw_fn)
    return partial(_call_with_kwargs_async, raw_fn, dict(reward_kwargs or {}))


async def run_single(compute_score_fn, row: dict, response_str: str) -> dict:
    """NaiveRewardManager.run_single (naive.py:34-99) from the non-tensor fields on."""
    loop = asyncio.get_running_loop()
    data_source = row["data_source"]
    ground_truth = row["reward_model"]["ground_truth"]
    extra_info = dict(row["extra_info"])
    extra_info["num_turns"] = None
    extra_info["rollout_reward_scores"] = {}
    response_str = await loop.run_in_executor(None, lambda: response_str)  # the decode step
    assert inspect.iscoroutinefunction(compute_score_fn)  # naive.py:30
    result = await compute_score_fn(data_source=data_source, solution_str=response_str,
                                    ground_truth=ground_truth, extra_info=extra_info)
    reward_extra_info = dict(result) if isinstance(result, dict) else {"acc": result}
    return {"reward_score": result["score"] if isinstance(result, dict) else result,
            "reward_extra_info": reward_extra_info}


async def worker_compute_score_batch(compute_score_fn, rows, responses, **gather):
    """RewardLoopWorker.compute_score_batch (reward_loop.py:138-143)."""
    tasks = [asyncio.create_task(run_single(compute_score_fn, r, s)) for r, s in zip(rows, responses, strict=True)]
    return await asyncio.gather(*tasks, **gather)


class CountingPool:
    """The real pool, counting the batches it is handed (a spy, not a double)."""

    def __init__(self, pool):
        self.pool, self.calls = pool, []
        self.size = pool.size

    def score_many(self, jobs, strict=True):
        self.calls.append(len(jobs))
        return self.pool.score_many(jobs, strict=strict)

    def close(self):
        pass


@pytest.fixture()
def counted(scorer):
    return Scorer(pool=CountingPool(scorer.pool))


def test_reward_loop_awaits_compute_score_async_and_verifies_the_chunk_as_one_batch(counted, rows, monkeypatch):
    monkeypatch.setenv("SYNLOG_REWARD_BATCH_WAIT", "0.5")  # a loaded CI machine decodes slowly
    spec = RewardSpec.from_dict({"format": {"weight": 0.5}, "length": {"weight": 0.25, "mode": "laser", "target": 8}})
    verl_rows = [verl_row(r) for r in rows] * 2
    responses = [f"<answer>{r['answer']}</answer>" for r in rows] + ["<answer>wrong</answer>", "7", "<answer></answer>",
                                                                    f"<answer>{rows[3]['answer']}</answer> tail"]
    fn = load_reward_fn("compute_score_async", {"spec": spec, "scorer": counted})

    outputs = asyncio.run(worker_compute_score_batch(fn, verl_rows, responses))

    assert counted.pool.calls == [8]  # one pool call for the whole chunk, not 8 serial ones
    expected = [compute_score(data_source=r["data_source"], solution_str=s, ground_truth=r["reward_model"]["ground_truth"],
                              extra_info=r["extra_info"], spec=spec, scorer=counted)
                for r, s in zip(verl_rows, responses, strict=True)]
    assert [o["reward_extra_info"] for o in outputs] == expected
    assert [o["reward_score"] for o in outputs][:4] == [1.75, 1.75, 1.75, 1.75]
    # wrong; no tags; empty answer; right answer with text after it (accuracy and length, no format)
    assert [o["reward_score"] for o in outputs][4:] == [0.5, 0.0, 0.0, 1.25]
    # reward_loop.py:365-369: the keys of the first sample name every column
    keys = list(outputs[0]["reward_extra_info"].keys())
    assert set(keys) == {"score", *EXTRA_KEYS}
    columns = {k: np.array([o["reward_extra_info"][k] for o in outputs]) for k in keys}
    assert columns["acc"].tolist() == [1.0] * 4 + [0.0, 0.0, 0.0, 1.0]
    assert columns["format"].tolist() == [1.0] * 5 + [0.0] * 3


def test_samples_streamed_one_by_one_are_scored_as_they_come(counted, rows, monkeypatch):
    """The agent loop sends each finished sample to a worker's ``compute_score`` on its own
    (verl/experimental/agent_loop/agent_loop.py:1025-1026): calls apart in time are separate
    batches, each answered."""
    monkeypatch.setenv("SYNLOG_REWARD_BATCH_WAIT", "0.01")
    fn = load_reward_fn("compute_score_async", {"scorer": counted})
    row = verl_row(rows[0])

    async def staggered():
        first = asyncio.create_task(run_single(fn, row, f"<answer>{rows[0]['answer']}</answer>"))
        await asyncio.sleep(0.3)
        second = asyncio.create_task(run_single(fn, row, "<answer>no</answer>"))
        return await asyncio.gather(first, second)

    first, second = asyncio.run(staggered())
    assert first["reward_score"] == 1.0 and second["reward_score"] == 0.0
    assert len(counted.pool.calls) == 2


def test_a_row_synlog_cannot_score_fails_its_own_sample_and_the_step(counted, rows):
    fn = load_reward_fn("compute_score_async", {"scorer": counted})
    good, foreign = verl_row(rows[0]), {"data_source": "openai/gsm8k", "reward_model": {"ground_truth": "4"},
                                        "extra_info": {}}
    unknown = {**good, "extra_info": {**good["extra_info"], "task": "no_such_task"}}
    outputs = asyncio.run(worker_compute_score_batch(fn, [good, foreign, unknown], ["<answer>1</answer>"] * 3,
                                                     return_exceptions=True))
    assert isinstance(outputs[0], dict)
    assert isinstance(outputs[1], UnscorableError) and "not a synlog row" in str(outputs[1])
    assert isinstance(outputs[2], UnscorableError) and "unknown task 'no_such_task'" in str(outputs[2])
    with pytest.raises(UnscorableError):  # verl gathers without return_exceptions: the step stops
        asyncio.run(worker_compute_score_batch(fn, [good, foreign], ["<answer>1</answer>"] * 2))


def test_an_error_verdict_or_a_dead_pool_raises_never_a_zero(faulty_scorer, rows):
    from synlog.errors import WorkerStartError

    info = {"task": "test_faulty_verifier", "problem": "{}"}
    row = {"data_source": "synlog/x", "reward_model": {"ground_truth": ""}, "extra_info": info}
    fn = load_reward_fn("compute_score_async", {"scorer": faulty_scorer})
    with pytest.raises(ScoringError, match="verifier failed"):
        asyncio.run(worker_compute_score_batch(fn, [row], ["<answer>raise</answer>"]))

    class DeadPool:
        size = 1

        def score_many(self, jobs, strict=True):
            raise WorkerStartError("verifier workers could not start: ModuleNotFoundError")

    fn = load_reward_fn("compute_score_async", {"scorer": Scorer(pool=DeadPool())})
    outputs = asyncio.run(worker_compute_score_batch(fn, [verl_row(r) for r in rows[:2]], ["<answer>1</answer>"] * 2,
                                                     return_exceptions=True))
    assert all(isinstance(o, WorkerStartError) for o in outputs)


@pytest.mark.parametrize("name", ["compute_score", "compute_score_async"])
def test_group_length_shaping_is_refused_per_sample(scorer, rows, name):
    """verl's reward loop hands over one sample per call, so a GRPO group never arrives whole."""
    import synlog.trainer_bridge.verl as module

    spec = RewardSpec.from_dict({"length": {"weight": 0.5, "mode": "group"}})
    row = verl_row(rows[0])
    with pytest.raises(RewardSpecError, match="mode 'group'.*one sample per call"):
        result = getattr(module, name)(data_source=row["data_source"], solution_str="<answer>1</answer>",
                                       ground_truth="1", extra_info=row["extra_info"], spec=spec, scorer=scorer)
        if inspect.isawaitable(result):
            asyncio.run(result)


def test_a_bad_batch_wait_is_a_one_line_error(rows, scorer, monkeypatch):
    from synlog.errors import SynlogError

    monkeypatch.setenv("SYNLOG_REWARD_BATCH_WAIT", "soon")
    fn = load_reward_fn("compute_score_async", {"scorer": scorer})
    with pytest.raises(SynlogError, match="SYNLOG_REWARD_BATCH_WAIT"):
        asyncio.run(worker_compute_score_batch(fn, [verl_row(rows[0])], ["<answer>1</answer>"]))
