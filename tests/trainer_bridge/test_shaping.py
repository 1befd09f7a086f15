"""Shaping terms and the reward spec: each a small pure function with a fixed meaning."""

from __future__ import annotations

import pytest

from synlog.trainer_bridge import shaping
from synlog.trainer_bridge.spec import RewardSpec, RewardSpecError, total_rewards
from synlog.verifiers.verdict import Verdict


@pytest.mark.parametrize("text, require_think, expected", [
    ("<answer>4</answer>", False, 1.0),
    ("  <think>2+2</think>\n<answer>4</answer>\n", False, 1.0),
    ("<think>2+2</think><answer>4</answer>", True, 1.0),
    ("<answer>4</answer>", True, 0.0),                      # think required
    ("<answer>4</answer> trailing words", False, 0.0),      # nothing after the answer
    ("<answer>4</answer><answer>5</answer>", False, 0.0),   # exactly one answer
    ("<answer> </answer>", False, 0.0),                     # empty answer
    ("<answer>4</answer><think>late</think>", False, 0.0),  # think comes first
    ("<think>a<think>b</think><answer>4</answer>", False, 0.0),
    ("<think>never closed <answer>4</answer>", False, 0.0),
    ("4", False, 0.0),
    (None, False, 0.0),
])
def test_format_reward_accepts_only_think_then_one_answer(text, require_think, expected):
    assert shaping.format_reward(text, require_think) == expected


def test_format_reward_is_linear_on_megabytes():
    assert shaping.format_reward("<answer>" * 500_000 + "</answer>") == 0.0


def test_partial_credit_is_opt_in_and_read_from_details():
    half = Verdict.wrong("2 of 4 tests failed", passed=2, total=4)
    assert shaping.correctness(half) == 0.0
    assert shaping.correctness(half, use_partial_credit=True) == 0.5
    assert shaping.partial_credit(Verdict.wrong("x", fraction=0.25)) == 0.25
    assert shaping.partial_credit(Verdict.wrong("x", fraction=7)) == 1.0          # clipped
    assert shaping.partial_credit(Verdict.wrong("x", fraction="junk")) == 0.0
    assert shaping.partial_credit(Verdict.wrong("x", passed=1, total=0)) == 0.0
    assert shaping.partial_credit(Verdict.ok()) == 1.0


def test_laser_step_rewards_short_correct_answers_only():
    assert shaping.step_length_reward(100, 256, correct=True) == 1.0
    assert shaping.step_length_reward(256, 256, correct=True) == 1.0
    assert shaping.step_length_reward(257, 256, correct=True) == 0.0
    assert shaping.step_length_reward(10, 256, correct=False) == 0.0
    assert shaping.step_length_reward(10, 256, correct=False, only_correct=False) == 1.0


def test_difficulty_budget_is_the_nearest_level_at_or_below():
    budgets = {1: 64, 4: 256, 8: 1024}
    assert [shaping.difficulty_target(level, budgets, 512) for level in range(1, 11)] == \
        [64, 64, 64, 256, 256, 256, 256, 1024, 1024, 1024]
    assert shaping.difficulty_target(None, budgets, 512) == 512
    assert shaping.difficulty_target(3, {5: 100}, 512) == 512


def test_group_aware_length_rewards_the_shortest_correct_in_each_group():
    lengths = [90, 40, 300, 10, 50, 55]
    correct = [True, True, False, False, True, True]
    groups = ["a", "a", "a", "b", "b", "b"]
    assert shaping.group_length_rewards(lengths, correct, groups) == [0, 1, 0, 0, 1, 0]
    assert shaping.group_length_rewards(lengths, correct, groups, tolerance=0.1) == [0, 1, 0, 0, 1, 1]
    assert shaping.group_length_rewards([5, 6], [False, False], ["g", "g"]) == [0, 0]


def test_reward_spec_round_trips_as_data():
    data = {"accuracy": {"weight": 1.0, "partial_credit": True}, "format": {"weight": 0.2},
            "length": {"weight": 0.5, "mode": "difficulty", "budgets": {"1": 64, "5": 256}}}
    spec = RewardSpec.from_dict(data)
    assert spec.length.budgets == {1: 64, 5: 256}
    assert RewardSpec.from_dict(spec.to_dict()) == spec
    assert spec.terms() == ["accuracy", "format", "length"]
    assert RewardSpec().terms() == ["accuracy"]


def test_reward_spec_loads_from_yaml(tmp_path):
    path = tmp_path / "reward.yaml"
    path.write_text("reward:\n  format: {weight: 0.3, require_think: true}\n")
    spec = RewardSpec.load(path)
    assert spec.format_weight == 0.3 and spec.require_think


@pytest.mark.parametrize("bad, message", [
    ({"acuracy": {}}, "unknown key"),
    ({"format": {"wieght": 1}}, "unknown key"),
    ({"length": {"mode": "cosine"}}, "unknown"),
    ({"length": {"mode": "difficulty", "weight": 1}}, "budgets"),
    ({"length": {"unit": "words"}}, "unit"),
    ({"accuracy": 3}, "mapping"),
    ({"accuracy": {"weight": "heavy"}}, "reward spec"),
])
def test_reward_spec_errors_say_what_is_wrong(bad, message):
    with pytest.raises(RewardSpecError, match=message):
        RewardSpec.from_dict(bad)


def test_total_reward_is_the_weighted_sum_of_terms():
    spec = RewardSpec.from_dict({"accuracy": {"weight": 1.0}, "format": {"weight": 0.5},
                                 "length": {"weight": 0.25, "mode": "laser", "target": 10, "unit": "chars"}})
    texts = ["<answer>7</answer>", "7", "<answer>8</answer>"]
    verdicts = [Verdict.ok(), Verdict.ok(), Verdict.wrong()]
    totals, values = total_rewards(spec, verdicts, texts)
    assert values == {"accuracy": [1.0, 1.0, 0.0], "format": [1.0, 0.0, 1.0], "length": [0.0, 1.0, 0.0]}
    assert totals == [1.5, 1.25, 0.5]


@pytest.mark.parametrize("text, expected", [
    ("thought</think><answer>4</answer>", 1.0),        # the prompt opened the block, the completion closed it
    ("</think><answer>4</answer>", 1.0),
    ("<answer>4</answer>", 0.0),                       # never closed: the answer is inside the think block
    ("thought<answer>4</answer></think>", 0.0),
    ("<think>again</think><answer>4</answer>", 0.0),   # a second think block
    ("thought</think><answer>4</answer>junk", 0.0),
])
def test_format_reward_after_a_think_block_the_prompt_opened(text, expected):
    assert shaping.format_reward(text, require_think=True, think_opened=True) == expected


def test_think_in_prompt_is_auto_true_or_false():
    assert RewardSpec.from_dict({}).think_in_prompt is None
    assert RewardSpec.from_dict({"format": {"think_in_prompt": "auto"}}).think_in_prompt is None
    spec = RewardSpec.from_dict({"format": {"weight": 0.2, "think_in_prompt": True}})
    assert spec.think_in_prompt is True and RewardSpec.from_dict(spec.to_dict()) == spec
    for bad in ("yes", 1):
        with pytest.raises(RewardSpecError, match="think_in_prompt must be auto, true or false"):
            RewardSpec.from_dict({"format": {"think_in_prompt": bad}})


@pytest.mark.parametrize("data", [{None: None}, {1: 2, "accuracy": 1.0}, {"accuracy": {None: 1}}])
def test_reward_keys_that_are_not_text_are_named_in_the_error(data):
    """YAML reads ``{null}`` or ``{1: 2}`` as keys that are not strings (the CLI fuzz found it)."""
    with pytest.raises(RewardSpecError, match="unknown key"):
        RewardSpec.from_dict(data)
