"""`synlog train` on CPU: a tiny local Qwen2-style model runs 3 GRPO steps with synlog rewards."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("torch", reason="needs the train extra (torch)")
pytest.importorskip("trl", reason="needs the train extra (trl)")
pytest.importorskip("transformers", reason="needs the train extra (transformers)")

from synlog.trainer_bridge.tiny_model import tiny_model, tiny_tokenizer  # noqa: E402
from synlog.trainer_bridge.train import LOG_FILE, TrainConfig, run  # noqa: E402


def test_three_grpo_steps_log_rewards_that_come_from_synlog_verdicts(tmp_path):
    config = TrainConfig.from_dict({
        "output_dir": str(tmp_path / "run"),
        "seed": 3,
        "data": {"task": "arithmetic", "difficulty": 1, "n": 16},
        "reward": {"accuracy": {"weight": 1.0}, "format": {"weight": 0.5}},
        "verifier": {"workers": 1, "timeout": 10},
        "grpo": {"max_steps": 3, "per_device_train_batch_size": 4, "num_generations": 4,
                 "max_completion_length": 12, "learning_rate": 1e-3, "gradient_checkpointing": False},
    })
    seen: dict[str, list[list[float]]] = {"accuracy": [], "format": []}

    def spy(term, tasks, verdicts, levels):
        assert set(tasks) == {"arithmetic"}
        seen[term].append([v.score for v in verdicts])

    tokenizer = tiny_tokenizer()
    trainer = run(config, tiny_model(tokenizer), tokenizer, on_verdicts=spy)

    steps = [h for h in trainer.state.log_history if "rewards/accuracy/mean" in h]
    assert len(steps) == 3
    # every step scored its 4 completions through the verifier pool, once per reward term
    assert [len(batch) for batch in seen["accuracy"]] == [4, 4, 4]
    for logged, scores in zip(steps, seen["accuracy"], strict=True):
        assert logged["rewards/accuracy/mean"] == pytest.approx(sum(scores) / len(scores))
        assert logged["synlog/accuracy/arithmetic"] == pytest.approx(sum(scores) / len(scores))
        assert "rewards/format/mean" in logged
    written = json.loads((tmp_path / "run" / LOG_FILE).read_text())
    assert written == trainer.state.log_history


def test_curriculum_run_streams_rows_and_logs_levels(tmp_path):
    config = TrainConfig.from_dict({
        "output_dir": str(tmp_path / "run"),
        "curriculum": {"tasks": {"arithmetic": 1.0}, "start": 2, "window": 4, "upper": 0.8, "lower": 0.3},
        "verifier": {"workers": 1},
        "grpo": {"max_steps": 2, "per_device_train_batch_size": 4, "num_generations": 4,
                 "max_completion_length": 8, "gradient_checkpointing": False},
    })
    tokenizer = tiny_tokenizer()
    trainer = run(config, tiny_model(tokenizer), tokenizer)
    logged = [h for h in trainer.state.log_history if "synlog/level/arithmetic" in h]
    assert logged
    # a random model is never right: after a full window the level drops from 2 to 1
    assert logged[-1]["synlog/level/arithmetic"] == 1
