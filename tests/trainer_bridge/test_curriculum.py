"""Curriculum controller and pass-rate filter, driven by scripted accuracy streams."""

from __future__ import annotations

import itertools

import pytest

from synlog.errors import SynlogError
from synlog.trainer_bridge.curriculum import (
    AdaptiveDifficulty,
    curriculum_rows,
    drop_flat_groups,
    pass_rate_filter,
    read_pass_rates,
    record_verdicts,
)
from synlog.verifiers.verdict import Verdict


def stream(accuracy: float, n: int):
    """n verdicts with exactly the given accuracy per block of 10."""
    pattern = [True] * round(accuracy * 10) + [False] * (10 - round(accuracy * 10))
    return list(itertools.islice(itertools.cycle(pattern), n))


def test_level_rises_when_windowed_accuracy_beats_the_upper_threshold():
    control = AdaptiveDifficulty(["sat"], start=2, window=10, upper=0.8, lower=0.3)
    assert control.record("sat", stream(0.9, 9)) == 2      # window not full yet: no decision
    assert control.record("sat", stream(0.9, 1)) == 3
    assert control.accuracy("sat") is None                  # window cleared on a move
    assert control.record("sat", stream(0.9, 10)) == 4
    assert control.history == [("sat", 2, 3), ("sat", 3, 4)]


def test_level_falls_below_the_lower_threshold_and_holds_in_between():
    control = AdaptiveDifficulty(["sat"], start=5, window=10, upper=0.8, lower=0.3)
    assert control.record("sat", stream(0.2, 10)) == 4
    assert control.record("sat", stream(0.5, 30)) == 4     # 0.3 <= acc <= 0.8: stay
    assert control.record("sat", stream(0.8, 10)) == 4     # not strictly above upper


def test_levels_are_clamped_and_tasks_are_independent():
    control = AdaptiveDifficulty(["a", "b"], start={"a": 10, "b": 1}, window=5, upper=0.5, lower=0.4, lo=1, hi=10)
    control.record("a", [True] * 50)
    control.record("b", [False] * 50)
    assert control.levels() == {"a": 10, "b": 1}
    control.record("b", [True] * 5)
    assert control.levels() == {"a": 10, "b": 2}
    assert control.record("unknown", True) == 0


def test_a_scripted_learning_curve_climbs_then_settles():
    control = AdaptiveDifficulty(["t"], start=1, window=20, upper=0.75, lower=0.25)
    skill = 4.5  # the learner solves levels below its skill 90% of the time, above it 10%
    for _ in range(40):
        level = control.level("t")
        control.record("t", stream(0.9 if level < skill else 0.1, 20))
    assert control.level("t") in (4, 5)
    assert control.history[:4] == [("t", 1, 2), ("t", 2, 3), ("t", 3, 4), ("t", 4, 5)]


def test_bad_thresholds_are_user_errors():
    with pytest.raises(SynlogError, match="lower < upper"):
        AdaptiveDifficulty(["t"], upper=0.2, lower=0.5)
    with pytest.raises(SynlogError, match="window"):
        AdaptiveDifficulty(["t"], window=0)


def test_on_the_fly_rows_follow_the_current_level():
    control = AdaptiveDifficulty(["arithmetic"], start=1, window=4)
    rows = curriculum_rows(control, seed=5)
    assert next(rows)["difficulty"] == 1
    hook = record_verdicts(control)
    hook("accuracy", ["arithmetic"] * 4, [Verdict.ok()] * 4)
    hook("format", ["arithmetic"] * 4, [Verdict.wrong()] * 4)   # only accuracy verdicts count
    assert control.level("arithmetic") == 2
    row = next(rows)
    assert row["difficulty"] == 2 and row["index"] == 0


def test_curriculum_dataset_is_an_iterable_dataset_of_trainer_rows():
    pytest.importorskip("datasets")
    from synlog.trainer_bridge.curriculum import curriculum_dataset

    control = AdaptiveDifficulty(["arithmetic"], start=3)
    first = next(iter(curriculum_dataset(control, seed=1)))
    assert first["prompt"][0]["role"] == "user" and first["task"] == "arithmetic" and first["difficulty"] == 3


def test_pass_rate_filter_drops_groups_with_no_signal():
    scores = [1, 1, 1, 0, 1, 0, 0, 0]
    groups = ["a", "a", "b", "b", "c", "c", "d", "d"]
    assert drop_flat_groups(scores, groups) == [False, False, True, True, True, True, False, False]


def test_pass_rate_filter_on_measured_rates():
    rows = [{"id": "x"}, {"id": "y"}, {"id": "z"}, {"id": "new"}]
    kept = pass_rate_filter(rows, {"x": 0.0, "y": 0.5, "z": 1.0})
    assert [r["id"] for r in kept] == ["y", "new"]


def test_train_config_drops_rows_whose_measured_pass_rate_is_flat(tmp_path):
    """data.pass_rates reads a real `synlog verify` report of 2 samples per row and keeps only
    the rows with a mixed group (one right, one wrong)."""
    import json

    from click.testing import CliRunner

    from synlog.cli.main import cli
    from synlog.trainer_bridge.train import TrainConfig, TrainConfigError, build_dataset

    runner = CliRunner()
    data, report = tmp_path / "data", tmp_path / "report"
    assert runner.invoke(cli, ["generate", "-t", "arithmetic", "-n", "6", "-o", str(data), "-w", "1"]).exit_code == 0
    import synlog

    rows = list(synlog.generate("arithmetic", 1, 6, 0))
    lines = []
    for i, row in enumerate(rows):  # rows 0,1: both right; 2,3: one right; 4,5: both wrong
        right, wrong = f"<answer>{row['answer']}</answer>", "<answer>nope</answer>"
        lines += [{"id": row["id"], "completion": right if i < 4 else wrong},
                  {"id": row["id"], "completion": right if i < 2 else wrong}]
    completions = tmp_path / "outs.jsonl"
    completions.write_text("\n".join(json.dumps(line) for line in lines))
    result = runner.invoke(cli, ["verify", str(data), "-c", str(completions), "-o", str(report), "-w", "0"])
    assert result.exit_code == 0, result.output
    assert read_pass_rates(report) == {r["id"]: rate for r, rate in zip(rows, [1, 1, .5, .5, 0, 0], strict=True)}

    kept = build_dataset(TrainConfig.from_dict({"data": {"path": str(data), "pass_rates": str(report)}}))
    assert sorted(kept["id"]) == sorted(r["id"] for r in rows[2:4])
    with pytest.raises(TrainConfigError, match="dropped all 6 rows"):
        build_dataset(TrainConfig.from_dict({"data": {"path": str(data), "pass_rates": str(report),
                                                      "keep": [0.5, 1.0]}}))


def test_verdicts_of_rows_from_before_a_level_change_are_not_counted():
    """A trainer generates ahead: after a move it still scores a step or two of old-level rows.
    Those must not decide the new level (seen on a real run: L1 rows right after the move to L2
    kept the L2 window high, then the real L2 rows failed)."""
    control = AdaptiveDifficulty(["t"], start=1, window=4, upper=0.8, lower=0.3)
    hook = record_verdicts(control)
    hook("accuracy", ["t"] * 4, [Verdict.ok()] * 4, [1] * 4)
    assert control.level("t") == 2
    hook("accuracy", ["t"] * 4, [Verdict.ok()] * 4, [1] * 4)      # stale level-1 rows: ignored
    assert control.level("t") == 2 and control.accuracy("t") is None
    hook("accuracy", ["t"] * 4, [Verdict.wrong()] * 3 + [Verdict.ok()], [2] * 4)
    assert control.level("t") == 1                                 # judged on level-2 rows only
    assert control.record("t", [False] * 8, level=2) == 1          # stale again: no effect
