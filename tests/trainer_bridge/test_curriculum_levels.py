"""Curriculum levels move one step per decision, on verdicts of the level's own rows, in the
process that generates the rows."""

from __future__ import annotations

import pytest

import synlog
from synlog.trainer_bridge.curriculum import AdaptiveDifficulty, curriculum_dataset, record_verdicts
from synlog.trainer_bridge.train import TrainConfig, TrainConfigError, trainer_row
from synlog.trainer_bridge.trl import reward_functions


def test_one_record_call_moves_a_level_at_most_one_step():
    control = AdaptiveDifficulty(["t"], start=3, window=4, upper=0.8, lower=0.3)
    assert control.record("t", [True] * 8, level=3) == 4
    assert control.history == [("t", 3, 4)] and control.accuracy("t") is None
    assert control.record("t", [False] * 12) == 3                  # without a level: still one step
    assert control.history[-1] == ("t", 4, 3)


def trl_call(func, rows, completions):
    """As GRPOTrainer._calculate_rewards calls a reward function (TRL 1.16,
    trl/trainer/grpo_trainer.py 1583-1585: every dataset column, so each row's ``difficulty``,
    as a keyword list; 1626-1628: the call)."""
    columns = {key: [row[key] for row in rows] for key in ("task", "problem", "difficulty", "id")}
    return func(prompts=[row["prompt"] for row in rows], completions=completions,
                completion_ids=[[0]] * len(rows), trainer_state=None, log_extra=lambda column, values: None,
                log_metric=lambda name, value: None, **columns)


def test_verdicts_of_old_level_rows_never_credit_the_new_level(scorer):
    """A trainer scores rows generated before the move (generation runs ahead): those carry
    their level in ``difficulty`` and must not fill the new level's window."""
    control = AdaptiveDifficulty(["arithmetic"], start=3, window=4, upper=0.8, lower=0.3)
    (accuracy,), _ = reward_functions(None, scorer, on_verdicts=record_verdicts(control))
    generated = list(synlog.generate("arithmetic", difficulty=3, n=8, seed=5))
    level3 = [trainer_row(r) for r in generated]
    level4 = [trainer_row(r) for r in synlog.generate("arithmetic", difficulty=4, n=4, seed=5)]
    right = [f"<answer>{r['answer']}</answer>" for r in generated]
    assert trl_call(accuracy, level3, right) == [1.0] * 8
    assert control.level("arithmetic") == 4 and control.accuracy("arithmetic") is None  # one step, empty window
    trl_call(accuracy, level3[:4], right[:4])                                         # late level-3 rows
    assert control.level("arithmetic") == 4 and control.accuracy("arithmetic") is None
    trl_call(accuracy, level4, ["<answer>-1</answer>"] * 4)                           # level-4 rows, all wrong
    assert control.level("arithmetic") == 3


def test_a_dataloader_worker_would_not_see_the_level_move():
    """Why synlog refuses ``dataloader_num_workers`` with a curriculum: a real torch DataLoader
    worker (transformers/trainer.py ``_get_dataloader`` passes ``num_workers``) iterates its own
    copy of the controller, so its rows stay at the start level after the trainer's moves."""
    torch_data = pytest.importorskip("torch.utils.data", reason="needs torch")
    pytest.importorskip("datasets", reason="needs datasets")
    control = AdaptiveDifficulty(["arithmetic"], start=1, window=4)
    rows = iter(torch_data.DataLoader(curriculum_dataset(control, seed=0), batch_size=None, num_workers=1,
                                      collate_fn=lambda row: row))
    assert next(rows)["difficulty"] == 1
    control.record("arithmetic", [True] * 4)
    assert control.level("arithmetic") == 2
    assert {next(rows)["difficulty"] for _ in range(8)} == {1}     # the worker never moved
    in_process = iter(curriculum_dataset(control, seed=0))
    assert next(in_process)["difficulty"] == 2                     # rows generated where the level lives


@pytest.mark.parametrize("workers", [2, "2", True])
def test_train_config_refuses_dataloader_workers_with_a_curriculum(workers):
    """TRL 1.16 itself reads an iterable train set with 0 workers (grpo_trainer.py 909-914
    override the option with a warning; main at f2cd57710ae3: 884-889): synlog says so up front."""
    with pytest.raises(TrainConfigError, match="dataloader_num_workers.*curriculum"):
        TrainConfig.from_dict({"curriculum": {"tasks": ["arithmetic"]}, "grpo": {"dataloader_num_workers": workers}})
    TrainConfig.from_dict({"curriculum": {"tasks": ["arithmetic"]}, "grpo": {"dataloader_num_workers": 0}})
    TrainConfig.from_dict({"data": {"task": "arithmetic"}, "grpo": {"dataloader_num_workers": 2}})
