"""A reward spec: which shaping terms a run uses and their weights, as data.

The spec is read from a dict (the ``reward:`` section of a ``synlog train`` config, or a
YAML/JSON file), so a run's reward is reproducible from its config::

    reward:
      accuracy: {weight: 1.0, partial_credit: false}
      format:   {weight: 0.2, require_think: false, think_in_prompt: auto}   # auto | true | false
      length:   {weight: 0.5, mode: laser, target: 256}   # none | laser | difficulty | group
                # difficulty: budgets: {1: 64, 4: 256, 8: 1024}    group: tolerance: 0.1

Every term is in [0, 1]; the scalar reward (verl, OpenRLHF) is the weighted sum. In TRL each
term is its own reward function (logged separately) and the weights go to
``GRPOConfig.reward_weights``. ``think_in_prompt`` says whether the prompt opens the think
block (chat templates such as DeepSeek-R1-Distill's end the prompt with ``<think>``): ``auto``
lets the TRL adapter read it from each rendered prompt; the completion is then judged, by every
term, as the model's whole turn (``<think>`` + completion), so a completion that never closes
that block has no answer. Lengths are in tokens when the trainer passes token ids (TRL)
and in characters otherwise; ``unit: chars`` makes TRL count characters too.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from synlog.errors import SynlogError
from synlog.trainer_bridge import shaping
from synlog.verifiers.pool import problem_text
from synlog.verifiers.verdict import Verdict

LENGTH_MODES = ("none", "laser", "difficulty", "group")
TERMS = ("accuracy", "format", "length")


class RewardSpecError(SynlogError, ValueError):
    """A reward spec with an unknown term, option or value."""


@dataclass(frozen=True)
class LengthSpec:
    """Length shaping. mode: none | laser (fixed target) | difficulty (per-level budgets) |
    group (shortest correct completion of the GRPO group)."""

    weight: float = 0.0
    mode: str = "none"
    target: int = 512
    budgets: dict[int, int] = field(default_factory=dict)
    tolerance: float = 0.0
    only_correct: bool = True
    unit: str = "tokens"


@dataclass(frozen=True)
class RewardSpec:
    """Weights and options of the three reward terms (accuracy, format, length)."""

    accuracy_weight: float = 1.0
    partial_credit: bool = False
    format_weight: float = 0.0
    require_think: bool = False
    #: does the prompt open the think block? None: auto (the TRL adapter reads the rendered prompt)
    think_in_prompt: bool | None = None
    length: LengthSpec = field(default_factory=LengthSpec)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> RewardSpec:
        """Parse the ``reward:`` mapping; unknown keys are errors that name the known ones."""
        data = dict(data or {})
        _check_keys(data, TERMS, "reward")
        accuracy = _section(data, "accuracy", ("weight", "partial_credit"))
        fmt = _section(data, "format", ("weight", "require_think", "think_in_prompt"))
        think_in_prompt = fmt.get("think_in_prompt", "auto")
        if not (isinstance(think_in_prompt, bool) or think_in_prompt in ("auto", None)):
            raise RewardSpecError(f"reward.format.think_in_prompt must be auto, true or false, not {think_in_prompt!r:.40}")
        length = _section(data, "length", tuple(LengthSpec.__dataclass_fields__))
        if "mode" in length and length["mode"] not in LENGTH_MODES:
            raise RewardSpecError(
                f"reward.length.mode '{length['mode']}' is unknown; use one of {', '.join(LENGTH_MODES)}")
        if length.get("unit", "tokens") not in ("tokens", "chars"):
            raise RewardSpecError("reward.length.unit must be 'tokens' or 'chars'")
        budgets = length.pop("budgets", None) or {}
        if not isinstance(budgets, Mapping):
            raise RewardSpecError("reward.length.budgets must map levels to lengths, e.g. {1: 64, 5: 256}")
        numbers = [accuracy.get("weight"), fmt.get("weight"), length.get("weight"), length.get("target")]
        if any(isinstance(x, float) and not math.isfinite(x) for x in numbers):
            raise RewardSpecError("reward weights and targets must be finite numbers")
        try:
            budgets = {int(k): int(v) for k, v in budgets.items()}
            length_spec = LengthSpec(budgets=budgets, **length)
            spec = cls(
                accuracy_weight=float(accuracy.get("weight", 1.0)),
                partial_credit=bool(accuracy.get("partial_credit", False)),
                format_weight=float(fmt.get("weight", 0.0)),
                require_think=bool(fmt.get("require_think", False)),
                think_in_prompt=None if think_in_prompt in ("auto", None) else think_in_prompt,
                length=length_spec,
            )
        except (TypeError, ValueError) as exc:
            raise RewardSpecError(f"reward spec: {exc}") from None
        if spec.length.mode == "difficulty" and not spec.length.budgets:
            raise RewardSpecError("reward.length.mode 'difficulty' needs budgets, e.g. {1: 64, 5: 256}")
        return spec

    @classmethod
    def load(cls, path: str | Path) -> RewardSpec:
        """Read a spec from a YAML or JSON file (the whole file, or its ``reward:`` key)."""
        from synlog.datasets_out.userfiles import load_document

        data = load_document(path, "reward spec") or {}
        return cls.from_dict(data.get("reward", data) if isinstance(data, dict) else data)

    def to_dict(self) -> dict[str, Any]:
        """The spec as data (``from_dict(spec.to_dict()) == spec``)."""
        return {
            "accuracy": {"weight": self.accuracy_weight, "partial_credit": self.partial_credit},
            "format": {"weight": self.format_weight, "require_think": self.require_think,
                       "think_in_prompt": "auto" if self.think_in_prompt is None else self.think_in_prompt},
            "length": asdict(self.length),
        }

    def terms(self) -> list[str]:
        """The terms with a non-zero weight, in the fixed order accuracy, format, length."""
        weights = {"accuracy": self.accuracy_weight, "format": self.format_weight,
                   "length": self.length.weight if self.length.mode != "none" else 0.0}
        return [t for t in TERMS if weights[t] != 0.0]

    def weight(self, term: str) -> float:
        return {"accuracy": self.accuracy_weight, "format": self.format_weight,
                "length": self.length.weight}[term]


def _check_keys(data: Mapping[str, Any], known: Sequence[str], where: str) -> None:
    unknown = sorted(key if isinstance(key, str) else repr(key) for key in data if key not in known)  # null, 1: YAML keys
    if unknown:
        raise RewardSpecError(f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(known)}")


def _section(data: Mapping[str, Any], name: str, known: Sequence[str]) -> dict[str, Any]:
    section = data.get(name) or {}
    if not isinstance(section, Mapping):
        raise RewardSpecError(f"reward.{name} must be a mapping, e.g. {{weight: 1.0}}")
    _check_keys(section, known, f"reward.{name}")
    return dict(section)


def term_values(
    spec: RewardSpec,
    term: str,
    verdicts: Sequence[Verdict],
    texts: Sequence[str],
    lengths: Sequence[int],
    levels: Sequence[int | None],
    groups: Sequence[Hashable],
) -> list[float]:
    """One term's values for a batch (unweighted, each in [0, 1])."""
    if term == "accuracy":
        return [shaping.correctness(v, spec.partial_credit) for v in verdicts]
    if term == "format":
        return [shaping.format_reward(t, spec.require_think) for t in texts]
    if term != "length":
        raise RewardSpecError(f"unknown reward term '{term}'; known: {', '.join(TERMS)}")
    length = spec.length
    correct = [v.correct for v in verdicts]
    if length.mode == "none":
        return [0.0] * len(verdicts)
    if length.mode == "group":
        return shaping.group_length_rewards(lengths, correct, groups, length.tolerance)
    targets = [
        shaping.difficulty_target(level, length.budgets, length.target) if length.mode == "difficulty"
        else length.target
        for level in levels
    ]
    return [shaping.step_length_reward(n, t, ok, length.only_correct)
            for n, t, ok in zip(lengths, targets, correct, strict=True)]


def total_rewards(
    spec: RewardSpec,
    verdicts: Sequence[Verdict],
    texts: Sequence[str],
    lengths: Sequence[int] | None = None,
    levels: Sequence[int | None] | None = None,
    groups: Sequence[Hashable] | None = None,
) -> tuple[list[float], dict[str, list[float]]]:
    """Weighted sum of the spec's terms, and each term's values (for logging)."""
    n = len(verdicts)
    lengths = list(lengths) if lengths is not None else [approx_length(t, spec.length.unit) for t in texts]
    levels = list(levels) if levels is not None else [None] * n
    groups = list(groups) if groups is not None else list(range(n))
    values = {t: term_values(spec, t, verdicts, texts, lengths, levels, groups) for t in spec.terms()}
    totals = [sum(spec.weight(t) * values[t][i] for t in values) for i in range(n)]
    return totals, values


def approx_length(text: str, unit: str) -> int:
    """Length without a tokenizer: characters, or characters / 4 as a token estimate."""
    return len(text) if unit == "chars" else -(-len(text) // 4)


def problem_key(task: str, problem: Any) -> str:
    """A hashable identity of a problem (groups completions of the same prompt)."""
    return f"{task}\n{problem_text(problem)}"
