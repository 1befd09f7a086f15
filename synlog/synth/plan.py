"""What to generate: one task, or a mixture of tasks, weights and difficulties.

A plan is data, so a run is reproducible from it (and ``--resume`` checks it is unchanged).
Mixture specs are YAML or JSON::

    seed: 7                       # optional; --seed wins
    tasks:
      - task: sudoku
        weight: 2
        difficulty: [3, 5]       # a list of levels (3 and 5), a "lo..hi" range or {min: 3, max: 5}, or one level
      - task: sat
        weight: 1
        difficulty: "2..4"
        set: {n_vars: 20}        # knob overrides, as with --set
      - dataset: data/gsm8k      # rows of an existing synlog dataset (`synlog import` output, or generated)
        weight: 3
        split: train             # optional: one split of it (default: every split)

A component's weight is split equally over its levels. Counts are exact: ``n`` rows are
divided over components by largest remainder. A dataset component draws its quota from the
folder's rows in an order fixed by the seed (without repeats; more than the folder holds is an
error), and its content's digest is part of the plan, so ``--resume`` refuses a folder that
changed.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import pyarrow as pa

from synlog.datasets_out.userfiles import load_document
from synlog.errors import InputFileError, SynlogError
from synlog.tasks.base import get_task
from synlog.tasks.knobs import shown


@dataclass(frozen=True)
class Component:
    """One (task, difficulty, overrides) stream of a plan, with its row quota; or, with
    ``dataset``, the rows of an existing dataset folder (``task`` is then empty)."""

    task: str
    difficulty: int
    overrides: dict[str, Any] = field(default_factory=dict)
    weight: float = 1.0
    count: int = 0
    #: an existing synlog dataset (absolute path) this component draws rows from
    dataset: str | None = None
    #: the split of ``dataset`` drawn from (None: every split)
    split: str | None = None
    #: digest of the dataset's fingerprints, so a plan changes when the folder does
    content: str | None = None
    #: rows the dataset (split) holds
    size: int = 0
    #: the output split every row of this component goes to (structured splits such as
    #: ``ood``); None: rows are dealt to the splits by fraction
    part: str | None = None

    def spec(self) -> dict[str, Any]:
        """The resolved knob spec (validates the overrides); empty for a dataset component."""
        if self.dataset is not None:
            return {}
        return get_task(self.task).knobs.resolve(self.difficulty, self.overrides, self.task)

    @property
    def label(self) -> str:
        """How errors and the card name this component."""
        return f"dataset '{self.dataset}'" if self.dataset is not None else f"task '{self.task}'"


@dataclass(frozen=True)
class Plan:
    """Everything that determines a dataset's rows."""

    components: tuple[Component, ...]
    n: int
    seed: int
    splits: dict[str, float] = field(default_factory=lambda: {"train": 1.0})
    shuffle: bool = False  # mixtures are interleaved; a single task keeps index order
    #: how a structured split was defined (``ood:train=1-5,test=6-10``), for the dataset card
    split_definition: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "components": [asdict(c) for c in self.components],
            "n": self.n,
            "seed": self.seed,
            "splits": self.splits,
            "shuffle": self.shuffle,
            "split_definition": self.split_definition,
        }


def with_presentation(plan: Plan, presentation: dict[str, Any]) -> Plan:
    """``plan`` with the presentation knobs (``template``, ``lang``) set on every task component
    that does not set them itself; each is validated against the component's task."""
    if not presentation:
        return plan
    components = []
    for component in plan.components:
        if component.dataset is None:
            component = replace(component, overrides={**presentation, **component.overrides})
            component.spec()
        components.append(component)
    return replace(plan, components=tuple(components))


#: seeds are stored as int64 in every row
MAX_SEED = 2**63 - 1


def allocate(n: int, weights: list[float]) -> list[int]:
    """Split ``n`` into integer counts proportional to ``weights`` (largest remainder).

    Weights are positive and finite; they are scaled by the largest first, so even weights
    near the float maximum do not overflow their sum.
    """
    largest = max(weights)
    scaled = [w / largest for w in weights]
    total = sum(scaled)
    raw = [n * (w / total) for w in scaled]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - counts[i]), i))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return counts


def parse_levels(value: Any, where: str) -> list[int]:
    """Levels from ``4``, ``"2..5"``, ``{min: 2, max: 5}`` or ``[1, 3, 5]``, each checked to lie
    in 1..10. A list names levels (``[3, 5]`` is levels 3 and 5 only); a range is every level
    between its ends. A range's ends are checked before it is expanded, so ``"1..50000000"``
    costs nothing.
    """
    if isinstance(value, dict):
        if set(value) != {"min", "max"}:
            raise InputFileError(f"{where}: a difficulty range mapping is {{min: LO, max: HI}}; got {shown(value)}")
        value = f"{value['min']}..{value['max']}"
    if isinstance(value, str) and ".." in value:
        lo_text, _, hi_text = value.partition("..")
        try:
            lo, hi = int(lo_text), int(hi_text)
        except ValueError:
            raise InputFileError(f"{where}: difficulty range must be like 2..5; got {shown(value)}") from None
        for end in (lo, hi):
            if not 1 <= end <= 10:
                raise InputFileError(f"{where}: difficulty levels are integers 1..10; got {shown(value)}")
        levels = list(range(lo, hi + 1))
    elif isinstance(value, list):
        levels = value
    else:
        levels = [value]
    for level in levels:
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 10:
            raise InputFileError(f"{where}: difficulty levels are integers 1..10; got {shown(level)}")
    if not levels:
        raise InputFileError(f"{where}: difficulty range {shown(value)} is empty")
    return levels


def _split_share(part: str, value: str, where: str, example: str) -> tuple[str, float | None]:
    """``"1-5:0.9"`` → ``("1-5", 0.9)``; ``"1-5"`` → ``("1-5", None)`` (a structured split's part)."""
    body, colon, share_text = value.partition(":")
    if not colon:
        return body.strip(), None
    try:
        share = float(share_text)
    except ValueError:
        share = -1.0
    if not 0 < share <= 1:
        raise SynlogError(f"{where}: a split's share is a fraction in (0, 1], as in {example}; got {shown(part)}")
    return body.strip(), share


def _resolve_shares(parts: dict[str, tuple[tuple, float | None]], where: str) -> dict[str, tuple[tuple, float]]:
    """Every split's share: as given (all or none, adding up to 1), else in proportion to its
    number of levels or tasks."""
    shares = [share for _, share in parts.values()]
    if all(share is None for share in shares):
        total = sum(len(items) for items, _ in parts.values())
        return {name: (items, len(items) / total) for name, (items, _) in parts.items()}
    if any(share is None for share in shares) or abs(sum(shares) - 1.0) > 1e-6:
        raise SynlogError(f"{where}: give every split a share or none; shares must add up to 1")
    return {name: (items, float(share)) for name, (items, share) in parts.items()}


def _part_counts(n: int, fractions: dict[str, float], parts: list[str], weights: list[float]) -> list[int]:
    """Rows per component of a structured split: exact split sizes first, then each split's rows
    dealt to its components (``parts[i]`` names component i's split) by weight."""
    counts = [0] * len(parts)
    for name, size in split_counts(n, fractions).items():
        members = [i for i, part in enumerate(parts) if part == name]
        if size and members:
            for i, count in zip(members, allocate(size, [weights[i] for i in members]), strict=True):
                counts[i] = count
    return counts


@dataclass(frozen=True)
class OodSplit:
    """``ood:train=1-5,test=6-10``: each split draws its own difficulty levels (OMEGA's
    exploratory generalisation: train on low complexity, test on high). ``parts`` maps a split to
    its levels and its share of the rows (by default in proportion to its number of levels)."""

    parts: dict[str, tuple[tuple[int, ...], float]]
    text: str

    @property
    def fractions(self) -> dict[str, float]:
        return {name: share for name, (_, share) in self.parts.items()}

    def describe(self) -> str:
        shown = "; ".join(f"{name} = levels {_levels_text(levels)}" for name, (levels, _) in self.parts.items())
        return (f"out-of-distribution by difficulty (`{self.text}`): {shown}. Each split's rows come"
                " only from its own levels, and no problem fingerprint is in two splits.")


def _levels_text(levels: tuple[int, ...]) -> str:
    if list(levels) == list(range(levels[0], levels[-1] + 1)) and len(levels) > 1:
        return f"{levels[0]}-{levels[-1]}"
    return "+".join(map(str, levels))


def _parse_part_levels(text: str, where: str) -> tuple[int, ...]:
    levels: list[int] = []
    for piece in text.split("+"):
        lo, sep, hi = piece.replace("..", "-").partition("-")
        try:
            span = range(int(lo), int(hi) + 1) if sep else [int(lo)]
        except ValueError:
            raise SynlogError(f"{where}: levels are written 1-5, 7 or 1-3+8; got {shown(text)}") from None
        if not span or any(not 1 <= level <= 10 for level in span):
            raise SynlogError(f"{where}: difficulty levels are 1 to 10, low-high; got {shown(text)}")
        levels += [level for level in span if level not in levels]
    return tuple(levels)


def parse_ood(text: str) -> OodSplit:
    """Parse ``ood:train=1-5,test=6-10`` (optionally ``train=1-5:0.9,test=6-10:0.1``)."""
    body = text.partition(":")[2]
    parts: dict[str, tuple[tuple[int, ...], float | None]] = {}
    for part in body.split(","):
        name, sep, value = part.partition("=")
        name = name.strip()
        where = f"--split {shown(text)}"
        if not sep or not name.isidentifier() or name in parts:
            raise SynlogError(f"{where}: write ood:train=1-5,test=6-10 (a split name, =, its levels); got {shown(part)}")
        levels_text, share = _split_share(part, value, where, "train=1-5:0.9")
        parts[name] = (_parse_part_levels(levels_text, where), share)
    if len(parts) < 2:
        raise SynlogError(f"--split {shown(text)}: an ood split needs at least two splits, e.g. ood:train=1-5,test=6-10")
    seen: dict[int, str] = {}
    for name, (levels, _) in parts.items():
        for level in levels:
            if level in seen:
                raise SynlogError(f"--split {shown(text)}: level {level} is in both '{seen[level]}' and '{name}';"
                                  " out-of-distribution splits draw disjoint levels")
            seen[level] = name
    return OodSplit(_resolve_shares(parts, f"--split {shown(text)}"), text)


def ood_plan(plan: Plan, split: OodSplit) -> Plan:
    """``plan`` (from ``--task`` or ``--mix``) re-drawn at each split's own levels: every task
    keeps its weight and overrides, its difficulty is replaced by the split's levels."""
    tasks: dict[str, tuple[str, dict[str, Any], float]] = {}
    for component in plan.components:
        if component.dataset is not None:
            raise SynlogError(f"--split ood draws difficulty levels; {component.label} has none (leave it out of the mixture)")
        key = json.dumps([component.task, component.overrides], sort_keys=True, default=str)
        old = tasks.get(key)
        tasks[key] = (component.task, component.overrides, component.weight + (old[2] if old else 0.0))
    total = sum(weight for _, _, weight in tasks.values())
    entries = [
        (task, level, overrides, weight / total * share / len(levels), name)
        for name, (levels, share) in split.parts.items()
        for task, overrides, weight in tasks.values()
        for level in levels
    ]
    counts = _part_counts(plan.n, split.fractions, [e[4] for e in entries], [e[3] for e in entries])
    components = tuple(Component(t, lv, ov, w, c, part=name) for (t, lv, ov, w, name), c in zip(entries, counts, strict=True))
    for component in components:
        component.spec()
    return Plan(components, plan.n, plan.seed, split.fractions, shuffle=True, split_definition=split.describe())


@dataclass(frozen=True)
class ComposeSplit:
    """``compose:train=A,B;test=A+B``: each split draws its own tasks, e.g. two skills apart for
    training and their composition (a task of :mod:`synlog.tasks.compose`) for testing. A task
    that is a part of a composed task in the split is drawn at the level that part has inside
    the composition; every other task at ``--difficulty``."""

    parts: dict[str, tuple[tuple[str, ...], float]]
    text: str

    @property
    def fractions(self) -> dict[str, float]:
        return {name: share for name, (_, share) in self.parts.items()}

    def describe(self) -> str:
        shown = "; ".join(f"{name} = {', '.join(tasks)}" for name, (tasks, _) in self.parts.items())
        return (f"compositional (`{self.text}`): {shown}. Each split's rows come only from its own"
                " tasks; no problem fingerprint is in two splits, and no problem inside a composed"
                " row is a row of another split.")


def parse_compose(text: str) -> ComposeSplit:
    """Parse ``compose:train=A,B;test=A+B`` (optionally ``train=A,B:0.8;test=A+B:0.2``)."""
    from synlog.tasks.base import all_tasks

    body = text.partition(":")[2]
    where = f"--split {shown(text)}"
    parts: dict[str, tuple[tuple[str, ...], float | None]] = {}
    for part in body.split(";"):
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier() or name in parts:
            raise SynlogError(f"{where}: write compose:train=A,B;test=A+B (splits separated by ';'); got {shown(part)}")
        tasks_text, share = _split_share(part, value, where, "test=A+B:0.2")
        tasks = tuple(t.strip() for t in tasks_text.split(",") if t.strip())
        if not tasks:
            raise SynlogError(f"{where}: split '{name}' names no task")
        for task in tasks:
            if task not in all_tasks():
                composed = ", ".join(n for n in all_tasks() if "+" in n)
                hint = f"; the composed tasks are: {composed}" if "+" in task else " (`synlog tasks` lists them)"
                raise SynlogError(f"{where}: unknown task '{task}'{hint}")
        parts[name] = (tasks, share)
    if len(parts) < 2:
        raise SynlogError(f"{where}: a compose split needs at least two splits, e.g. compose:train=A,B;test=A+B")
    owner: dict[str, str] = {}
    for name, (tasks, _) in parts.items():
        for task in tasks:
            if task in owner:
                raise SynlogError(f"{where}: task '{task}' is in both '{owner[task]}' and '{name}'")
            owner[task] = name
    return ComposeSplit(_resolve_shares(parts, where), text)


def compose_plan(split: ComposeSplit, difficulty: int, n: int, seed: int) -> Plan:
    """The plan of ``synlog generate --split compose:...`` at ``difficulty``."""
    part_levels: dict[str, int] = {}
    for tasks, _ in split.parts.values():
        for name in tasks:
            composition = getattr(get_task(name), "composition", None)
            if composition is not None:
                spec = get_task(name).knobs.resolve(difficulty)
                part_levels.setdefault(composition.first, spec["first_level"])
                part_levels.setdefault(composition.second, spec["second_level"])
    entries = [(task, part_levels.get(task, difficulty), name)
               for name, (tasks, _) in split.parts.items() for task in tasks]
    counts = _part_counts(n, split.fractions, [e[2] for e in entries], [1.0] * len(entries))
    components = tuple(Component(task, level, {}, 1.0, c, part=name)
                       for (task, level, name), c in zip(entries, counts, strict=True))
    for component in components:
        component.spec()
    return Plan(components, n, seed, split.fractions, shuffle=True, split_definition=split.describe())


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
            raise SynlogError(f"--split takes name=fraction pairs like train=0.95,test=0.05; got {shown(part)}")
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
    spec = load_document(path, "mixture spec")
    if isinstance(spec, list):
        spec = {"tasks": spec}
    if not isinstance(spec, dict) or not isinstance(spec.get("tasks"), list) or not spec["tasks"]:
        raise InputFileError(f"mixture spec '{path}' needs a non-empty 'tasks' list (see `synlog generate --help`)")
    entries: list[tuple[str, int, dict[str, Any], float]] = []
    datasets: list[Component] = []
    for k, entry in enumerate(spec["tasks"], 1):
        where = f"{path}: tasks[{k}]"
        if isinstance(entry, dict) and "dataset" in entry:
            datasets.append(dataset_component(entry, path.parent, where))
            continue
        if not isinstance(entry, dict) or "task" not in entry:
            raise InputFileError(f"{where}: each entry needs at least 'task:' (or 'dataset:' for an existing folder)")
        unknown = set(entry) - {"task", "weight", "difficulty", "set"}
        if unknown:
            raise InputFileError(f"{where}: unknown keys {sorted(unknown)}; allowed: task, weight, difficulty, set")
        weight = _weight(entry.get("weight", 1), where)
        overrides = entry.get("set") or {}
        if not isinstance(overrides, dict):
            raise InputFileError(f"{where}: 'set' must map knob names to values")
        levels = parse_levels(entry.get("difficulty", 1), where)
        task = get_task(str(entry["task"])).name
        for level in levels:
            entries.append((task, level, dict(overrides), weight / len(levels)))
    weights = [e[3] for e in entries] + [d.weight for d in datasets]
    largest = max(weights)
    if not math.isfinite(sum(w / len(weights) for w in weights) * len(weights)):
        entries = [(t, lv, ov, w / largest) for t, lv, ov, w in entries]  # only ratios matter
        datasets = [replace(d, weight=d.weight / largest) for d in datasets]
    merged: dict[str, tuple[str, int, dict[str, Any], float]] = {}
    for task, level, overrides, weight in entries:  # identical streams would only duplicate
        key = json.dumps([task, level, overrides], sort_keys=True, default=str)
        old = merged.get(key)
        merged[key] = (task, level, overrides, weight + (old[3] if old else 0.0))
    entries = list(merged.values())
    counts = allocate(n, [e[3] for e in entries] + [d.weight for d in datasets])
    components = tuple(Component(t, lv, ov, w, c) for (t, lv, ov, w), c in zip(entries, counts, strict=False))
    components += tuple(replace(d, count=c) for d, c in zip(datasets, counts[len(entries):], strict=True))
    for component in components:
        try:
            component.spec()
        except SynlogError as exc:
            raise InputFileError(f"{path}: task '{component.task}': {exc}") from None
        if component.dataset is not None and component.count > component.size:
            raise InputFileError(
                f"{path}: {component.label} holds {component.size} rows"
                f"{' in split ' + repr(component.split) if component.split else ''}, but its weight asks for"
                f" {component.count} of the {n}; lower its weight or -n (rows are never repeated)")
    if seed is None:
        seed = _seed(spec.get("seed", 0), f"{path}: seed")
    return Plan(components, n, seed, splits, shuffle=True)


def dataset_rows(component: Component) -> pa.Table:
    """The rows a dataset component draws from (its split, or every split), in the folder's order."""
    from synlog.datasets_out.io import read_dataset
    from synlog.datasets_out.schema import concat

    tables = read_dataset(component.dataset)
    if component.split is not None:
        if component.split not in tables:
            raise InputFileError(f"dataset '{component.dataset}' has no split '{component.split}'; it has "
                                 + ", ".join(sorted(tables)))
        return tables[component.split]
    return concat([tables[s] for s in sorted(tables)])


def dataset_component(entry: dict[str, Any], base: Path, where: str) -> Component:
    """A mixture entry ``{dataset: PATH, weight: W, split: S}`` (a relative PATH is read from the
    spec's folder first, then from the working directory)."""
    from synlog.synth.seeding import digest

    unknown = set(entry) - {"dataset", "weight", "split"}
    if unknown:
        raise InputFileError(f"{where}: unknown keys {sorted(unknown)}; a dataset entry allows dataset, weight, split")
    raw = entry["dataset"]
    if not isinstance(raw, str) or not raw.strip():
        raise InputFileError(f"{where}: 'dataset' is the path of a synlog dataset folder; got {shown(raw)}")
    folder = Path(raw).expanduser()
    if not folder.is_absolute() and not folder.exists() and (base / folder).exists():
        folder = base / folder
    split = entry.get("split")
    if split is not None and not isinstance(split, str):
        raise InputFileError(f"{where}: 'split' is a split's name such as train; got {shown(split)}")
    component = Component("", 0, {}, _weight(entry.get("weight", 1), where), 0, str(folder.absolute()), split)
    try:
        table = dataset_rows(component)
    except SynlogError as exc:
        raise InputFileError(f"{where}: {exc}") from None
    if table.num_rows == 0:
        raise InputFileError(f"{where}: dataset '{folder}' holds no rows")
    return replace(component, content=digest(sorted(table.column("fingerprint").to_pylist())), size=table.num_rows)


def _weight(value: Any, where: str) -> float:
    """A mixture weight: a positive, finite number (YAML's .nan and .inf are not weights)."""
    message = f"{where}: weight must be a positive number like 2 or 0.5; got {shown(value)}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputFileError(message)
    try:
        weight = float(value)
    except OverflowError:  # an integer beyond the float range
        raise InputFileError(message) from None
    if not math.isfinite(weight) or weight <= 0:
        raise InputFileError(message)
    return weight


def _seed(value: Any, where: str) -> int:
    """A seed: an integer from 0 to 2**63-1 (rows store it as int64)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SEED:
        raise InputFileError(f"{where} must be an integer from 0 to {MAX_SEED}; got {shown(value)}")
    return value
