"""Difficulty knobs, declared as data.

A task declares its knobs once; each knob holds one value per difficulty level 1..10.
A value is either fixed (``9``) or a range sampled per example (``(20, 30)``). A level is
a point on a ladder; explicit overrides win over the level::

    knobs = Knobs(
        n_vars=Knob(int, levels=[5, 8, 10, 15, 20, 30, 40, 60, 80, 100], lo=3, hi=1000,
                    help="number of variables"),
    )
    spec = knobs.resolve(level=4, overrides={"n_vars": "30..50"})   # {"n_vars": (30, 50)}
    params = knobs.sample(spec, rng)                                   # {"n_vars": 41}

Overrides come from the command line as text (``--set n_vars=40``, ``--set n_vars=30..50``)
or from code as values; both are validated against the knob's type and allowed range.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from synlog.errors import KnobError
from synlog.tasks.prompts import LANGS, PRESENTATION

LEVELS = range(1, 11)


def shown(value: Any, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters, for quoting user input in one-line errors."""
    if isinstance(value, int) and value.bit_length() > 4 * limit:  # repr of a huge int is slow, or refused
        return f"an integer of about {int(value.bit_length() * 0.30103)} digits"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class Knob:
    """One difficulty knob: a type, a value per level, and the allowed range or choices."""

    type: type
    levels: Sequence[Any]
    lo: float | None = None
    hi: float | None = None
    choices: Sequence[Any] | None = None
    help: str = ""

    def __post_init__(self) -> None:
        if len(self.levels) != 10:
            raise ValueError(f"a knob needs one value per level 1..10, got {len(self.levels)}")
        if self.type not in (int, float, bool, str):
            raise ValueError(f"knob type must be int, float, bool or str, not {self.type}")

    def describe_range(self) -> str:
        """Human text for what the knob accepts, used in error messages and `synlog tasks`."""
        if self.choices is not None:
            return "one of " + ", ".join(map(str, self.choices))
        kind = {int: "an integer", float: "a number", bool: "true or false", str: "text"}[self.type]
        if self.lo is not None and self.hi is not None:
            return f"{kind} from {self.lo} to {self.hi}"
        if self.lo is not None:
            return f"{kind} ≥ {self.lo}"
        if self.hi is not None:
            return f"{kind} ≤ {self.hi}"
        return kind

    def convert(self, name: str, raw: Any) -> Any:
        """Convert and validate one value (text or native); raise KnobError with the fix."""
        try:
            if self.type is bool:
                if isinstance(raw, str):
                    lowered = raw.strip().lower()
                    if lowered not in ("true", "false", "1", "0", "yes", "no"):
                        raise ValueError(raw)
                    value: Any = lowered in ("true", "1", "yes")
                else:
                    value = bool(raw)
            elif self.type is int:
                if isinstance(raw, float) and not raw.is_integer():
                    raise ValueError(raw)
                if isinstance(raw, bool):
                    raise ValueError(raw)
                value = int(str(raw).strip()) if isinstance(raw, str) else int(raw)
            elif self.type is float:
                value = float(raw)
                if not np.isfinite(value):
                    raise ValueError(raw)
            else:
                value = str(raw)
        except (TypeError, ValueError):
            raise KnobError(
                f"knob '{name}' takes {self.describe_range()}; got {shown(raw)}"
            ) from None
        if self.choices is not None and value not in self.choices:
            raise KnobError(f"knob '{name}' takes {self.describe_range()}; got {shown(raw)}")
        if self.lo is not None and value < self.lo or self.hi is not None and value > self.hi:
            raise KnobError(f"knob '{name}' takes {self.describe_range()}; got {shown(raw)}")
        return value

    def parse(self, name: str, raw: Any) -> Any:
        """Parse an override: a single value, or ``lo..hi`` / a 2-sequence for a sampled range."""
        if isinstance(raw, str) and ".." in raw and self.type in (int, float):
            lo_text, hi_text = raw.split("..", 1)
            raw = (lo_text, hi_text)
        if isinstance(raw, (tuple, list)):
            if len(raw) != 2 or self.type not in (int, float):
                raise KnobError(
                    f"knob '{name}' takes {self.describe_range()}; a range is written lo..hi"
                    f" and only numeric knobs take one; got {shown(raw)}"
                )
            lo, hi = self.convert(name, raw[0]), self.convert(name, raw[1])
            if lo > hi:
                raise KnobError(f"knob '{name}': range {lo}..{hi} is empty; write it low..high")
            return (lo, hi) if lo != hi else lo
        return self.convert(name, raw)

    def sample(self, value: Any, rng: np.random.Generator) -> Any:
        """Draw a concrete value from a fixed value or a (lo, hi) range."""
        if not isinstance(value, tuple):
            return value
        lo, hi = value
        if self.type is int:
            return int(rng.integers(lo, hi + 1))
        return float(round(rng.uniform(lo, hi), 6))


class Params(dict):
    """Concrete knob values of one example; read as ``p["box"]`` or ``p.box``."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass(frozen=True)
class Knobs:
    """The ordered set of a task's knobs."""

    items: Mapping[str, Knob] = field(default_factory=dict)

    def __init__(self, **knobs: Knob) -> None:
        object.__setattr__(self, "items", dict(knobs))

    def __iter__(self):
        return iter(self.items.items())

    def __len__(self) -> int:
        return len(self.items)

    def resolve(
        self, level: int, overrides: Mapping[str, Any] | None = None, task: str = "task"
    ) -> dict[str, Any]:
        """The knob spec at a level with overrides applied (values may still be ranges)."""
        if isinstance(level, bool) or not isinstance(level, (int, np.integer)) or not 1 <= level <= 10:
            raise KnobError(f"difficulty must be an integer from 1 to 10; got {shown(level)}")
        spec: dict[str, Any] = {}
        for name, knob in self.items.items():
            value = knob.levels[int(level) - 1]
            spec[name] = tuple(value) if isinstance(value, list) else value
        for name, raw in (overrides or {}).items():
            if name in PRESENTATION:
                spec[name] = parse_presentation(name, raw, task)
                continue
            if name not in self.items:
                known = ", ".join([*self.items, *PRESENTATION])
                raise KnobError(f"task '{task}' has no knob {shown(name)}; its knobs are: {known}")
            spec[name] = self.items[name].parse(name, raw)
        return spec

    def sample(self, spec: Mapping[str, Any], rng: np.random.Generator) -> Params:
        """Concrete params for one example: every range in ``spec`` sampled once, in knob order."""
        return Params({name: knob.sample(spec[name], rng) for name, knob in self.items.items()})


def parse_presentation(name: str, raw: Any, task: str) -> Any:
    """Validate ``template`` (``random`` or a template index) or ``lang`` (``en``, ``zh``).

    They are knobs of every task that choose the prompt's wording, never the problem."""
    from synlog.tasks.base import all_tasks, get_task  # the registry imports this module

    if name == "lang":
        value = str(raw).strip().lower()
        if value not in LANGS:
            raise KnobError(f"knob 'lang' takes one of {', '.join(LANGS)}; got {shown(raw)}")
        return value
    if isinstance(raw, str) and raw.strip().lower() == "random":
        return "random"
    try:
        if isinstance(raw, bool) or isinstance(raw, float):
            raise ValueError(raw)
        value = int(str(raw).strip())
        if value < 0:
            raise ValueError(raw)
    except ValueError:
        raise KnobError(f"knob 'template' takes random or a template number (0, 1, ...); got {shown(raw)}") from None
    if task in all_tasks():
        count = get_task(task).templates()
        if value >= count:
            raise KnobError(f"task '{task}' has templates 0 to {count - 1}; got template={value}")
    return value


def parse_overrides(pairs: Sequence[str]) -> dict[str, str]:
    """Parse ``["n_vars=40", "ratio=4..4.5"]`` into a dict, with an error naming the bad pair."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise KnobError(f"--set takes name=value (e.g. --set n_vars=40); got {shown(pair)}")
        out[name.strip()] = value.strip()
    return out
