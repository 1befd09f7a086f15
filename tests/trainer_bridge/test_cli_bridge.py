"""`synlog train` config handling and `synlog serve` as a real process."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from click.testing import CliRunner

from synlog.cli.main import cli
from synlog.trainer_bridge.train import TrainConfig, TrainConfigError, trainer_row


def write(tmp_path, text):
    path = tmp_path / "train.yaml"
    path.write_text(text)
    return str(path)


def test_train_dry_run_prints_the_resolved_run(tmp_path):
    (tmp_path / "m").mkdir()
    config = write(tmp_path, f"model: {tmp_path / 'm'}\ndata: {{task: arithmetic, n: 8}}\nreward: {{format: {{weight: 0.2}}}}\n"
                             "grpo: {num_generations: 4, use_vllm: true, vllm_mode: server}\n")
    result = CliRunner().invoke(cli, ["train", config, "--dry-run", "--max-steps", "7"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["grpo"] == {"num_generations": 4, "use_vllm": True, "vllm_mode": "server", "max_steps": 7}
    assert shown["reward"]["format"]["weight"] == 0.2
    assert shown["rows"] == 8


@pytest.mark.parametrize("model, extra, message", [
    (None, "", "needs model"),
    ("missing", "", "is not a folder"),
    ("m", "gguf_file: x.gguf\n", "x.gguf' is not a file inside"),
    ("m", "grpo: {num_generationz: 4}\n", "GRPOConfig"),
])
def test_train_dry_run_refuses_what_the_real_run_would(tmp_path, model, extra, message):
    if message == "GRPOConfig":
        pytest.importorskip("trl", reason="needs the train extra (trl)")
    (tmp_path / "m").mkdir()
    head = f"model: {tmp_path / model}\n" if model else "model: null\n"
    result = CliRunner().invoke(cli, ["train", write(tmp_path, head + "data: {task: arithmetic, n: 4}\n" + extra), "--dry-run"])
    assert result.exit_code == 2 and message in result.output, result.output


@pytest.mark.parametrize("text, message", [
    ("model: m\n", "exactly one of"),
    ("model: m\ndata: {task: arithmetic}\ncurriculum: {tasks: [sat]}\n", "exactly one of"),
    ("model: m\ndata: {task: arithmetic}\nrewards: {}\n", "unknown key"),
    ("model: m\ndata: {taks: arithmetic}\n", "unknown key"),
    ("model: m\ndata: {task: arithmetic}\nverifier: {threads: 2}\n", "unknown key"),
    ("model: m\ndata: {task: arithmetic}\nreward: {length: {mode: zigzag}}\n", "zigzag"),
    ("- just a list\n", "must be a mapping"),
])
def test_train_config_mistakes_exit_2_with_one_line(tmp_path, text, message):
    result = CliRunner().invoke(cli, ["train", write(tmp_path, text), "--dry-run"])
    assert result.exit_code == 2 and message in result.output


def test_grpo_section_passes_through_to_grpo_config():
    pytest.importorskip("trl", reason="needs the train extra (trl)")
    from synlog.trainer_bridge.train import grpo_args

    config = TrainConfig.from_dict({"data": {"task": "arithmetic"}, "reward": {"format": {"weight": 0.3}},
                                    "grpo": {"use_vllm": True, "vllm_mode": "colocate", "num_generations": 4,
                                             "per_device_train_batch_size": 4}})
    args = grpo_args(config, [1.0, 0.3], streaming=False)
    assert args.use_vllm and args.vllm_mode == "colocate" and args.reward_weights == [1.0, 0.3]
    with pytest.raises(TrainConfigError, match="GRPOConfig"):
        grpo_args(TrainConfig.from_dict({"data": {"task": "arithmetic"}, "grpo": {"no_such_field": 1}}), [1.0], False)
    with pytest.raises(TrainConfigError, match="max_steps"):
        grpo_args(TrainConfig.from_dict({"curriculum": {"tasks": ["arithmetic"]}}), [1.0], streaming=True)


def test_trainer_rows_are_chat_or_text():
    row = {"prompt": "P", "task": "t", "problem": "{}", "difficulty": 2, "id": "t-1"}
    assert trainer_row(row, True, "S")["prompt"] == [{"role": "system", "content": "S"}, {"role": "user", "content": "P"}]
    assert trainer_row(row, False)["prompt"] == "P"


def test_serve_command_answers_health_and_rewards():
    pytest.importorskip("aiohttp", reason="needs the serve extra (aiohttp)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "synlog", "serve", "--port", str(port), "-w", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                with urllib.request.urlopen(url + "/health", timeout=2) as response:
                    assert json.loads(response.read())["status"] == "ok"
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("server did not come up: " + process.stdout.read1().decode(errors="replace"))
        label = json.dumps({"task": "arithmetic", "problem": {"expression": "9 - 2", "value": "7"}})
        request = urllib.request.Request(url + "/get_reward", data=json.dumps(
            {"query": ["Q <answer>7</answer>", "Q <answer>8</answer>"], "prompts": ["Q", "Q"],
             "labels": [label, label]}).encode(), headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert json.loads(response.read())["rewards"] == [1.0, 0.0]
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def test_train_refuses_a_model_that_is_not_a_local_folder_before_touching_any_hub(tmp_path):
    pytest.importorskip("trl")
    config = write(tmp_path, "model: /no/such-model\ndata: {task: arithmetic, n: 4}\ngrpo: {max_steps: 1}\n")
    result = CliRunner().invoke(cli, ["train", config])
    assert result.exit_code == 2
    assert "'/no/such-model' is not a folder" in result.output and "Traceback" not in result.output


def test_train_reports_a_data_mistake_before_loading_the_model(tmp_path):
    pytest.importorskip("trl")
    config = write(tmp_path, "model: /no/such-model\ndata: {task: arithmetic, n: 4, pass_rates: nowhere/}\n"
                             "grpo: {max_steps: 1}\n")
    result = CliRunner().invoke(cli, ["train", config])
    assert result.exit_code == 2 and "no such verdicts report" in result.output


@pytest.mark.parametrize("grpo, message", [
    ("{vllm_mode: sever}", "grpo.vllm_mode: 'sever' is not one of colocate, server; did you mean 'server'?"),
    ("{loss_type: dr-grpo}", "did you mean 'dr_grpo'?"),
    ("{scale_rewards: grup}", "did you mean 'group'?"),
    ("{importance_sampling_level: tokens}", "did you mean 'token'?"),
    ("{vllm_importance_sampling_mode: sequence-mask}", "did you mean 'sequence_mask'?"),
    ("{multi_objective_aggregation: sum}", "is not one of sum_then_normalize, normalize_then_sum"),
    ("{vllm_model_impl: [vllm]}", "grpo.vllm_model_impl"),
])
def test_enumerated_grpo_options_are_checked_before_a_model_loads(tmp_path, grpo, message):
    """TRL 1.16's GRPOConfig takes any string for these (trl/trainer/grpo_config.py 594-612,
    760-812, 934-945) and fails only later: vLLM start-up, or the first step's loss
    (grpo_trainer.py 3138, 3184), advantages (2781, 2803) or ratios (3090). The real run (no
    --dry-run, a model path that does not exist) refuses the option first, in one line."""
    result = CliRunner().invoke(cli, ["train", write(tmp_path, f"model: nowhere\ndata: {{task: arithmetic}}\ngrpo: {grpo}\n")])
    assert result.exit_code == 2 and message in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1


def test_the_checked_choices_are_those_the_installed_trl_documents_and_accepts():
    pytest.importorskip("trl", reason="needs the train extra (trl)")
    import dataclasses

    from trl import GRPOConfig

    from synlog.trainer_bridge.train import GRPO_CHOICES

    helps = {f.name: str(f.metadata.get("help", "")) for f in dataclasses.fields(GRPOConfig)}
    defaults = {f.name: f.default for f in dataclasses.fields(GRPOConfig)}
    for name, choices in GRPO_CHOICES.items():
        assert defaults[name] in choices
        for value in choices:
            if isinstance(value, str):
                assert value in helps[name], (name, value)
                TrainConfig.from_dict({"data": {"task": "arithmetic"}, "grpo": {name: value}})
    # ... and GRPOConfig itself lets a typo through, which is why synlog checks it
    assert GRPOConfig(output_dir="unused", use_cpu=True, report_to="none", vllm_mode="sever").vllm_mode == "sever"
