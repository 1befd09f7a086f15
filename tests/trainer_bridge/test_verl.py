"""verl: compute_score called as verl's reward managers call it, and `synlog export --format verl`."""

from __future__ import annotations

import json

import numpy as np
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from synlog.cli.main import cli
from synlog.errors import ScoringError, UnscorableError
from synlog.trainer_bridge.spec import RewardSpec
from synlog.trainer_bridge.verl import EXTRA_KEYS, compute_score, compute_score_batch, verl_row


def test_compute_score_keyword_call_returns_score_and_fixed_keys(scorer, rows):
    row = verl_row(rows[0])
    result = compute_score(data_source=row["data_source"], solution_str=f"<answer>{rows[0]['answer']}</answer>",
                           ground_truth=row["reward_model"]["ground_truth"], extra_info=row["extra_info"],
                           scorer=scorer)
    assert result["score"] == 1.0 and result["acc"] == 1.0 and result["reason"] == "ok"
    assert set(result) == {"score", *EXTRA_KEYS}
    wrong = compute_score(data_source=row["data_source"], solution_str="<answer>x</answer>",
                          ground_truth=row["reward_model"]["ground_truth"], extra_info=row["extra_info"],
                          scorer=scorer, sandbox_fusion_url=None, memory_limit_mb=None)  # newer verl keywords
    assert wrong["score"] == 0.0 and set(wrong) == set(result)


def test_rows_verl_cannot_map_to_a_task_raise_instead_of_scoring_zero(scorer):
    with pytest.raises(UnscorableError, match="not a synlog row.*synlog export --format verl"):
        compute_score(data_source="openai/gsm8k", solution_str="42", ground_truth="42", scorer=scorer)


@pytest.mark.parametrize("extra_info, match", [
    ({"task": "no_such_task", "problem": "{}"}, "unknown task 'no_such_task'"),
    ({"task": "arithmetic", "problem": "[1, 2]"}, "not an object"),
    ({"task": "arithmetic", "problem": "{oops"}, "not valid JSON"),
])
def test_rows_no_task_can_judge_raise(scorer, extra_info, match):
    with pytest.raises(UnscorableError, match=match):
        compute_score(data_source="synlog/x", solution_str="<answer>1</answer>", ground_truth="1",
                      extra_info=extra_info, scorer=scorer)


def test_an_error_verdict_raises_and_a_timeout_scores_zero(faulty_scorer):
    """verl has no None protocol: its naive manager writes ``score`` straight into the reward
    tensor (verl/workers/reward_manager/naive.py: ``reward_tensor[i, valid_response_length - 1] =
    reward``, verl b178a3c), so a verifier failure must stop training, not read as 0."""
    info = {"task": "test_faulty_verifier", "problem": "{}"}
    with pytest.raises(ScoringError, match="verifier failed.*verifier bug"):
        compute_score(data_source="synlog/x", solution_str="<answer>raise</answer>", ground_truth="",
                      extra_info=info, scorer=faulty_scorer)
    slow = compute_score(data_source="synlog/x", solution_str="<answer>hang</answer>", ground_truth="",
                         extra_info=info, scorer=faulty_scorer)
    assert slow["score"] == 0.0 and slow["reason"] == "timeout"


def test_batch_variant_matches_the_per_sample_call(scorer, rows):
    verl_rows = [verl_row(r) for r in rows]
    answers = [f"<answer>{r['answer']}</answer>" for r in rows]
    answers[1] = "<answer>wrong</answer>"
    spec = RewardSpec.from_dict({"format": {"weight": 0.5}})
    # verl's BatchRewardManager passes its non-tensor batch: numpy object arrays
    batch = compute_score_batch(data_sources=np.array([r["data_source"] for r in verl_rows], dtype=object),
                                solution_strs=answers,
                                ground_truths=[r["reward_model"]["ground_truth"] for r in verl_rows],
                                extra_infos=np.array([r["extra_info"] for r in verl_rows], dtype=object),
                                spec=spec, scorer=scorer)
    single = [compute_score(data_source=r["data_source"], solution_str=a, ground_truth=r["reward_model"]["ground_truth"],
                            extra_info=r["extra_info"], spec=spec, scorer=scorer) for r, a in zip(verl_rows, answers, strict=True)]
    assert batch == single
    assert [b["score"] for b in batch] == [1.5, 0.5, 1.5, 1.5]


def test_export_verl_writes_the_rows_verl_reads(tmp_path, rows):
    runner = CliRunner()
    data = tmp_path / "data"
    result = runner.invoke(cli, ["generate", "--task", "arithmetic", "-n", "6", "--seed", "2",
                                 "-o", str(data), "--split", "train=0.5,test=0.5", "-w", "1"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["export", str(data), "--format", "verl", "-o", str(tmp_path / "verl")])
    assert result.exit_code == 0, result.output
    table = pq.read_table(tmp_path / "verl" / "train.parquet")
    assert table.column_names == ["data_source", "prompt", "ability", "reward_model", "extra_info"]
    row = table.to_pylist()[0]
    assert row["data_source"] == "synlog/arithmetic" and row["ability"] == "math"
    assert row["prompt"][0]["role"] == "user" and "<answer>" in row["prompt"][0]["content"]
    assert row["reward_model"]["style"] == "rule"
    gold = f"<answer>{row['reward_model']['ground_truth']}</answer>"
    assert compute_score(data_source=row["data_source"], solution_str=gold,
                         ground_truth=row["reward_model"]["ground_truth"], extra_info=row["extra_info"])["score"] == 1.0
    assert (tmp_path / "verl" / "test.parquet").exists()


def test_export_openrlhf_labels_are_synlog_json(tmp_path):
    runner = CliRunner()
    data = tmp_path / "data"
    assert runner.invoke(cli, ["generate", "--task", "arithmetic", "-n", "2", "-o", str(data), "-w", "1"]).exit_code == 0
    result = runner.invoke(cli, ["export", str(data), "--format", "openrlhf", "-o", str(tmp_path / "o"),
                                 "--system-prompt", "Be brief."])
    assert result.exit_code == 0, result.output
    line = json.loads((tmp_path / "o" / "train.jsonl").read_text().splitlines()[0])
    assert line["prompt"][0] == {"role": "system", "content": "Be brief."}
    assert json.loads(line["label"])["task"] == "arithmetic"


def test_export_of_a_missing_dataset_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "nope"), "--format", "verl", "-o", str(tmp_path / "x")])
    assert result.exit_code == 2 and "no dataset" in result.output
