"""Reward shaping: small pure functions from verdicts and completions to numbers.

Each function shapes one thing; a :class:`~synlog.trainer_bridge.spec.RewardSpec` says which
ones a run uses and with what weight, so the reward is data, reproducible from the config::

    format_reward("<think>a</think><answer>4</answer>", require_think=True)   # 1.0
    format_reward("a</think><answer>4</answer>", think_opened=True)          # 1.0 (prompt opened it)
    correctness(Verdict.ok())                                                 # 1.0
    step_length_reward(length=180, target=256, correct=True)                  # 1.0 (LASER)
    group_length_rewards([90, 40, 300], [True, True, False], ["g", "g", "g"]) # [0.0, 1.0, 0.0]

Length shaping follows LASER (Liu et al., 2025, "Learn to Reason Efficiently with Adaptive
Length-based Reward Shaping"): a step bonus for a correct completion no longer than a target.
The difficulty-aware variant takes the target from a per-level budget (easy levels get shorter
budgets); the group-aware variant takes it from the shortest correct completion of the same
GRPO group. Wrong completions never earn a length bonus (so "answer fast and wrong" pays
nothing) unless ``only_correct=False``.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

from synlog.verifiers.verdict import Verdict, partial_credit

THINK_OPEN, THINK_CLOSE = "<think>", "</think>"
ANSWER_OPEN, ANSWER_CLOSE = "<answer>", "</answer>"


def format_reward(text: str, require_think: bool = False, think_opened: bool = False) -> float:
    """1.0 when the completion is ``[<think>…</think>] <answer>…</answer>`` and nothing after.

    Exactly one answer block, a non-empty answer, at most one think block and it comes first
    (required when ``require_think``). ``think_opened``: the prompt already opened the think
    block (chat templates such as DeepSeek-R1-Distill's end the prompt with ``<think>``), so
    the completion is ``…</think><answer>…</answer>``: it must close that block (it may not open
    another) and answer after it. Linear-time string search, safe on megabytes of text.
    """
    if not isinstance(text, str):
        return 0.0
    body = (THINK_OPEN + text if think_opened else text).strip()
    if body.count(THINK_OPEN) > 1 or body.count(THINK_CLOSE) != body.count(THINK_OPEN):
        return 0.0
    if THINK_CLOSE in body:
        if body.find(THINK_OPEN) > body.find(THINK_CLOSE) or body.find(ANSWER_OPEN) < body.find(THINK_CLOSE):
            return 0.0
        body = body[body.find(THINK_CLOSE) + len(THINK_CLOSE):].strip()
    elif require_think:
        return 0.0
    if body.count(ANSWER_OPEN) != 1 or body.count(ANSWER_CLOSE) != 1:
        return 0.0
    if not body.endswith(ANSWER_CLOSE):
        return 0.0
    start = body.find(ANSWER_OPEN) + len(ANSWER_OPEN)
    return 1.0 if body[start:-len(ANSWER_CLOSE)].strip() else 0.0


def correctness(verdict: Verdict, use_partial_credit: bool = False) -> float:
    """The verdict's score, or its partial credit when that is opted into."""
    if use_partial_credit:
        return max(float(verdict.score), partial_credit(verdict))
    return float(verdict.score)


def step_length_reward(length: int, target: int, correct: bool, only_correct: bool = True) -> float:
    """LASER step reward: 1.0 when ``length <= target`` (and the answer is correct), else 0.0."""
    if only_correct and not correct:
        return 0.0
    return 1.0 if length <= target else 0.0


def difficulty_target(level: int | None, budgets: Mapping[int, int], default: int) -> int:
    """The length budget of a difficulty level: the budget of the nearest level at or below it.

    ``budgets={1: 64, 4: 256, 8: 1024}`` gives levels 1-3 64, 4-7 256, 8-10 1024; levels below
    the first key, and rows without a level, get ``default``.
    """
    if level is None:
        return default
    eligible = [key for key in budgets if key <= int(level)]
    return budgets[max(eligible)] if eligible else default


def group_length_rewards(
    lengths: Sequence[int],
    correct: Sequence[bool],
    groups: Sequence[Hashable],
    tolerance: float = 0.0,
) -> list[float]:
    """Group-aware step reward: 1.0 for a correct completion within ``(1 + tolerance)`` of the
    shortest correct completion of its group; 0.0 otherwise (and for groups with none correct)."""
    shortest: dict[Hashable, int] = {}
    for length, ok, group in zip(lengths, correct, groups, strict=True):
        if ok:
            shortest[group] = min(length, shortest.get(group, length))
    out = []
    for length, ok, group in zip(lengths, correct, groups, strict=True):
        out.append(1.0 if ok and length <= shortest[group] * (1.0 + tolerance) else 0.0)
    return out
