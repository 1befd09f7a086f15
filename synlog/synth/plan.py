"""What to generate: one task, or a mixture of tasks, weights and difficulties.

A plan is data, so a run is reproducible from it (and ``--resume`` checks it is unchanged).
Mixture specs are YAML or JSON::

    seed: 7                       # optional; --seed wins
    tasks:
      - task: sudoku
        weight: 2
        difficulty: [3, 5]       # a list of levels, a "lo..hi" range, or one level
      - task: sat
        weight: 1
        difficulty: "2..4"
        set: {n_vars: 20}        # knob overrides, as with --set

A component's weight is split equally over its levels. Counts are exact: ``n`` rows are
divided over components by largest remainder.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from synlog.errors import InputFileError, SynlogError
from synlog.tasks.base import get_task


@dataclass(frozen=True)
class Component:
    """One (task, difficulty, overrides) stream of a plan, with its row quota."""

    task: str
    difficulty: int
    overrides: dict[str, Any] = field(default_factory=dict)
    weight: float = 1.0
    count: int = 0

    def spec(self) -> dict[str, Any]:
        """The resolved knob spec (validates the overrides)."""
        return get_task(self.task).knobs.resolve(self.difficulty, self.overrides, self.task)


@dataclass(frozen=True)
class Plan:
    """Everything that determines a dataset's rows."""

    components: tuple[Component, ...]
    n: int
    seed: int
    splits: dict[str, float] = field(default_factory=lambda: {"train": 1.0})
    shuffle: bool = False  # mixtures are interleaved; a single task keeps index order

    def to_json(self) -> dict[str, Any]:
        return {
            "components": [asdict(c) for c in self.components],
            "n": self.n,
            "seed": self.seed,
            "splits": self.splits,
            "shuffle": self.shuffle,
        }


def allocate(n: int, weights: list[float]) -> list[int]:
    """Split ``n`` into integer counts proportional to ``weights`` (largest remainder)."""
    total = sum(weights)
    raw = [n * w / total for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - counts[i]), i))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return counts


def parse_levels(value: Any, where: str) -> list[int]:
    """Levels from ``4``, ``"2..5"`` or ``[1, 3, 5]``, each checked to lie in 1..10."""
    if isinstance(value, str) and ".." in value:
        lo, _, hi = value.partition("..")
        try:
            levels = list(range(int(lo), int(hi) + 1))
        except ValueError:
            raise InputFileError(f"{where}: difficulty range must be like 2..5; got {value!r}") from None
    elif isinstance(value, list):
        levels = value
    else:
        levels = [value]
    for level in levels:
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 10:
            raise InputFileError(f"{where}: difficulty levels are integers 1..10; got {level!r}")
    if not levels:
        raise InputFileError(f"{where}: difficulty range {value!r} is empty")
    return levels


def parse_splits(text: str | None) -> dict[str, float]:
    """``"train=0.95,test=0.05"`` → ``{"train": 0.95, "test": 0.05}`` (fractions sum to 1)."""
    if not text:
        return {"train": 1.0}
    out: dict[str, float] = {}
    for part in text.split(","):
        name, sep, value = part.partition("=")
        name = name.strip()
        try:
            fraction = float(value)
        except ValueError:
            fraction = -1.0
        if not sep or not name.isidentifier() or not 0 < fraction <= 1 or name in out:
            raise SynlogError(f"--split takes name=fraction pairs like train=0.95,test=0.05; got {part!r}")
        out[name] = fraction
    if abs(sum(out.values()) - 1.0) > 1e-6:
        raise SynlogError(f"--split fractions must add up to 1; these add up to {sum(out.values()):g}")
    return out


def split_counts(n: int, splits: dict[str, float]) -> dict[str, int]:
    """Exact row counts per split."""
    return dict(zip(splits, allocate(n, list(splits.values())), strict=True))


def single_task_plan(
    task: str, difficulty: int, n: int, seed: int, overrides: dict[str, Any], splits: dict[str, float]
) -> Plan:
    """The plan of ``synlog generate --task``."""
    component = Component(get_task(task).name, difficulty, dict(overrides), 1.0, n)
    component.spec()
    return Plan((component,), n, seed, splits, shuffle=False)


def load_mixture(path: str | Path, n: int, seed: int | None, splits: dict[str, float]) -> Plan:
    """The plan of ``synlog generate --mix spec.yaml``; errors name the entry at fault."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputFileError(f"cannot read mixture spec '{path}': {exc.strerror}") from None
    try:
        spec = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputFileError(f"mixture spec '{path}' is not valid {path.suffix[1:] or 'YAML'}: {exc}") from None
    if isinstance(spec, list):
        spec = {"tasks": spec}
    if not isinstance(spec, dict) or not isinstance(spec.get("tasks"), list) or not spec["tasks"]:
        raise InputFileError(f"mixture spec '{path}' needs a non-empty 'tasks' list (see `synlog generate --help`)")
    entries: list[tuple[str, int, dict[str, Any], float]] = []
    for k, entry in enumerate(spec["tasks"], 1):
        where = f"{path}: tasks[{k}]"
        if not isinstance(entry, dict) or "task" not in entry:
            raise InputFileError(f"{where}: each entry needs at least 'task:'")
        unknown = set(entry) - {"task", "weight", "difficulty", "set"}
        if unknown:
            raise InputFileError(f"{where}: unknown keys {sorted(unknown)}; allowed: task, weight, difficulty, set")
        weight = entry.get("weight", 1)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
            raise InputFileError(f"{where}: weight must be a positive number; got {weight!r}")
        overrides = entry.get("set") or {}
        if not isinstance(overrides, dict):
            raise InputFileError(f"{where}: 'set' must map knob names to values")
        levels = parse_levels(entry.get("difficulty", 1), where)
        task = get_task(str(entry["task"])).name
        for level in levels:
            entries.append((task, level, dict(overrides), weight / len(levels)))
    merged: dict[str, tuple[str, int, dict[str, Any], float]] = {}
    for task, level, overrides, weight in entries:  # identical streams would only duplicate
        key = json.dumps([task, level, overrides], sort_keys=True, default=str)
        old = merged.get(key)
        merged[key] = (task, level, overrides, weight + (old[3] if old else 0.0))
    entries = list(merged.values())
    counts = allocate(n, [e[3] for e in entries])
    components = tuple(Component(t, lv, ov, w, c) for (t, lv, ov, w), c in zip(entries, counts, strict=True))
    for component in components:
        try:
            component.spec()
        except SynlogError as exc:
            raise InputFileError(f"{path}: task '{component.task}': {exc}") from None
    file_seed = spec.get("seed", 0)
    return Plan(components, n, seed if seed is not None else int(file_seed), splits, shuffle=True)
