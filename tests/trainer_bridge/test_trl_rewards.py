"""TRL reward functions, called exactly as GRPOTrainer (TRL >= 1.0) calls them."""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading

import pytest

from synlog.trainer_bridge.trl import reward_functions


def trl_call(func, rows, completions, **extra):
    """The keyword call of trl's GRPOTrainer._calculate_rewards (dataset columns as lists)."""
    kwargs = {key: [row[key] for row in rows] for key in ("task", "problem", "difficulty", "id")}
    return func(prompts=[[{"role": "user", "content": r["prompt"]}] for r in rows], completions=completions,
                completion_ids=[list(range(len(str(c)) // 4 + 1)) for c in completions],
                trainer_state=object(), log_extra=lambda column, values: None, **kwargs, **extra)


def test_one_function_per_term_named_for_trl_logs(scorer):
    funcs, weights = reward_functions({"accuracy": {"weight": 1.0}, "format": {"weight": 0.2},
                                       "length": {"weight": 0.1, "mode": "laser", "target": 64}}, scorer)
    assert [f.__name__ for f in funcs] == ["accuracy", "format", "length"]
    assert weights == [1.0, 0.2, 0.1]


def test_accuracy_is_the_verdict_and_chat_completions_are_read(scorer, rows):
    (accuracy,), _ = reward_functions(None, scorer)
    completions = [[{"role": "assistant", "content": f"<answer>{rows[0]['answer']}</answer>"}],
                   [{"role": "assistant", "content": "<answer>nonsense</answer>"}],
                   "no tags at all",
                   f"<think>easy</think><answer>{rows[3]['answer']}</answer>"]
    assert trl_call(accuracy, rows, completions) == [1.0, 0.0, 0.0, 1.0]


def test_rows_without_synlog_columns_get_none(scorer, rows):
    (accuracy,), _ = reward_functions(None, scorer)
    mixed = [dict(rows[0]), dict(rows[1], task=None, problem=None)]
    out = trl_call(accuracy, mixed, [f"<answer>{rows[0]['answer']}</answer>", "<answer>1</answer>"])
    assert out == [1.0, None]
    assert accuracy(prompts=["p"], completions=["c"]) == [None]   # a dataset with no synlog columns


def test_per_task_accuracy_goes_to_log_metric(scorer, rows):
    (accuracy,), _ = reward_functions(None, scorer)
    logged = []
    trl_call(accuracy, rows[:2], [f"<answer>{rows[0]['answer']}</answer>", "x"],
             log_metric=lambda name, value: logged.append((name, value)))
    assert logged == [("synlog/accuracy/arithmetic", 0.5)]


def test_three_terms_verify_each_completion_once(rows):
    calls = []

    class CountingPool:
        size = 0

        def score_many(self, jobs, strict=True):
            from synlog.verifiers.score import score

            calls.append(len(jobs))
            return [score(t, p, c) for t, p, c in jobs]

        def close(self):
            pass

    from synlog.trainer_bridge.scorer import Scorer

    funcs, _ = reward_functions({"format": {"weight": 1}, "length": {"weight": 1, "mode": "group"}},
                                Scorer(pool=CountingPool()))
    completions = [f"<answer>{r['answer']}</answer>" for r in rows]
    results = [trl_call(f, rows, completions) for f in funcs]
    assert calls == [4]
    assert results[0] == [1.0] * 4 and results[1] == [1.0] * 4 and results[2] == [1.0] * 4


def test_safe_from_threads_and_an_async_loop(scorer, rows):
    (accuracy,), _ = reward_functions(None, scorer)
    completions = [f"<answer>{r['answer']}</answer> " + str(i) for i, r in enumerate(rows)]
    expected = [1.0] * 4
    results, errors = [], []

    def worker(k):
        try:
            results.append(trl_call(accuracy, rows, [c + "x" * k for c in completions]))
        except Exception as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and results == [expected] * 6

    async def in_loop():
        return await asyncio.to_thread(trl_call, accuracy, rows, completions)

    assert asyncio.run(in_loop()) == expected


def test_installed_trl_passes_the_keywords_we_read():
    trl_module = pytest.importorskip("trl.trainer.grpo_trainer", reason="trl not installed")
    source = inspect.getsource(trl_module.GRPOTrainer._calculate_rewards)
    for keyword in ("prompts=prompts", "completions=completions", "completion_ids=", "trainer_state",
                    "log_metric"):
        assert keyword in source


def faulty_rows(*answers):
    return [{"task": "test_faulty_verifier", "problem": "{}", "prompt": "p", "difficulty": 1, "id": str(i)}
            for i, _ in enumerate(answers)]


def test_failed_completions_get_none_from_every_term_and_each_reason_is_logged_once(faulty_scorer, caplog):
    """TRL 1.16 leaves None out: trl/trainer/grpo_trainer.py:1629-1630 turns None into NaN,
    :2759 marks a completion whose rewards are all NaN unscorable (kept out of the group
    baseline), :2808-2810 gives it advantage 0. So every synlog term returns None for a
    completion whose verdict is ``error``, while ``timeout`` stays a verdict (0)."""
    funcs, _ = reward_functions({"format": {"weight": 0.2}, "length": {"weight": 0.1, "mode": "laser",
                                                                      "target": 64}}, faulty_scorer)
    answers = ["ok", "raise", "hang", "raise"]
    rows = faulty_rows(*answers)
    completions = [f"<answer>{a}</answer>" for a in answers]
    with caplog.at_level(logging.INFO, logger="synlog.trainer_bridge.trl"):
        accuracy, fmt, length = (trl_call(f, rows, completions) for f in funcs)
    assert accuracy == [1.0, None, 0.0, None]
    assert fmt == [1.0, None, 1.0, None]
    assert length == [1.0, None, 0.0, None]
    logged = [r.getMessage() for r in caplog.records if "None" in r.getMessage()]
    assert len(logged) == 1 and "verifier raised RuntimeError: verifier bug" in logged[0]


def test_rows_no_task_can_judge_get_none_with_the_reason(scorer, rows, caplog):
    (accuracy,), _ = reward_functions(None, scorer)
    bad = [dict(rows[0], task="no_such_task"), dict(rows[1], problem="[1, 2]"), dict(rows[2])]
    with caplog.at_level(logging.WARNING, logger="synlog.trainer_bridge.trl"):
        out = trl_call(accuracy, bad, ["<answer>1</answer>", "<answer>1</answer>", f"<answer>{rows[2]['answer']}</answer>"])
    assert out == [None, None, 1.0]
    text = caplog.text
    assert "unknown task 'no_such_task'" in text and "not an object" in text


def test_installed_trl_turns_none_rewards_into_left_out_completions():
    """The TRL code the None contract relies on (see the test above for file:line in 1.16)."""
    trl_module = pytest.importorskip("trl.trainer.grpo_trainer", reason="trl not installed")
    rewards = inspect.getsource(trl_module.GRPOTrainer._calculate_rewards)
    assert "reward if reward is not None else torch.nan" in rewards
    scoring = inspect.getsource(trl_module.GRPOTrainer._generate_and_score_completions)
    assert "unscorable_mask = torch.isnan(rewards_per_func).all(dim=1)" in scoring
    assert "advantages = torch.nan_to_num(advantages, nan=0.0)" in scoring
