"""Frozen evaluation benchmarks: rows from a seed range training data never uses, with a manifest.

A benchmark is an ordinary synlog dataset (one ``test`` split) whose rows come from a seed in
the **evaluation range**, ``EVAL_SEED_BASE`` (2**62) up to 2**63 - 1. ``synlog generate``
refuses seeds in that range unless given ``--eval-seeds``, so training data cannot be drawn from
a benchmark's stream by accident (rows are a pure function of task, knobs, seed and index: the
same seed would give the same problems). A benchmark's seed is ``EVAL_SEED_BASE + offset``;
the default benchmark uses offset 0, and a user who wants a second, disjoint benchmark names
another offset.

Its cells are (task, level) pairs with ``per_cell`` rows each. Nothing is left out of it but
what the user names (``exclude``: datasets whose problems and prompts must not appear, as
``synlog generate --exclude``). Next to the rows, ``manifest.json`` records what makes a result
reproducible and comparable: the synlog version, every task's version, the seed and offset, the
levels, and per cell the row count and a digest of its fingerprints (one digest for the whole
benchmark too), so two builds can be compared without reading their rows.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synlog.errors import InputFileError, KnobError
from synlog.synth.plan import MAX_SEED, Component, Plan
from synlog.synth.seeding import digest
from synlog.tasks.base import all_tasks, get_task

#: the first seed of the evaluation range (reserved: ``synlog generate`` refuses it by default)
EVAL_SEED_BASE = 2**62
#: levels and rows per cell of the default benchmark
DEFAULT_LEVELS = (1, 3, 5, 7, 10)
DEFAULT_PER_CELL = 10
MANIFEST = "manifest.json"
#: the only split a benchmark has
SPLIT = "test"


def is_eval_seed(seed: int) -> bool:
    """Whether ``seed`` lies in the range reserved for evaluation benchmarks."""
    return seed >= EVAL_SEED_BASE


def check_training_seed(seed: int, allow: bool = False) -> None:
    """Refuse a seed of the evaluation range unless ``allow`` (``--eval-seeds``) says so."""
    if is_eval_seed(seed) and not allow:
        raise KnobError(
            f"seed {seed} is in the range reserved for evaluation benchmarks (2**62 and up, see"
            " `synlog bench build --help`): training rows from it would be benchmark rows; pick a"
            " smaller seed, or pass --eval-seeds if you mean it")


@dataclass(frozen=True)
class BenchmarkSpec:
    """Which cells a benchmark holds and from which seed of the evaluation range."""

    tasks: tuple[str, ...]
    levels: tuple[int, ...] = DEFAULT_LEVELS
    per_cell: int = DEFAULT_PER_CELL
    offset: int = 0

    def __post_init__(self) -> None:
        if not self.tasks:
            raise KnobError("a benchmark needs at least one task")
        for name in self.tasks:
            get_task(name)  # an unknown name says which names exist
        if not self.levels or any(isinstance(lv, bool) or not 1 <= lv <= 10 for lv in self.levels):
            raise KnobError(f"benchmark levels run from 1 to 10; got {list(self.levels)}")
        if self.per_cell < 1:
            raise KnobError(f"a cell needs at least one row; got per_cell={self.per_cell}")
        if not 0 <= self.offset <= MAX_SEED - EVAL_SEED_BASE:
            raise KnobError(f"the seed offset runs from 0 to {MAX_SEED - EVAL_SEED_BASE}; got {self.offset}")

    @property
    def seed(self) -> int:
        return EVAL_SEED_BASE + self.offset

    @property
    def cells(self) -> list[tuple[str, int]]:
        return [(task, level) for task in self.tasks for level in self.levels]

    def plan(self) -> Plan:
        """One component per cell, in (task, level) order, all into the ``test`` split."""
        components = []
        for task, level in self.cells:
            component = Component(task, level, {}, 1.0, self.per_cell)
            component.spec()
            components.append(component)
        return Plan(tuple(components), len(components) * self.per_cell, self.seed, {SPLIT: 1.0}, shuffle=False)


def default_spec() -> BenchmarkSpec:
    """The package's default benchmark: every registered task, levels 1/3/5/7/10, 10 rows a cell."""
    return BenchmarkSpec(tuple(sorted(all_tasks())))


def manifest(spec: BenchmarkSpec, rows: Sequence[dict[str, Any]], excluded: str = "") -> dict[str, Any]:
    """What identifies a built benchmark: versions, seed, cells and fingerprint digests."""
    from synlog.version import __version__

    by_cell: dict[tuple[str, int], list[str]] = {cell: [] for cell in spec.cells}
    for row in rows:
        by_cell[(row["task"], int(row["difficulty"]))].append(row["fingerprint"])
    cells = [{"task": task, "level": level, "rows": len(prints), "fingerprints": digest(sorted(prints), 16)}
             for (task, level), prints in by_cell.items()]
    return {
        "synlog_version": __version__,
        "seed": spec.seed,
        "offset": spec.offset,
        "levels": list(spec.levels),
        "per_cell": spec.per_cell,
        "tasks": {name: get_task(name).version for name in spec.tasks},
        "excluded": excluded,
        "rows": len(rows),
        "fingerprints": digest(sorted(row["fingerprint"] for row in rows), 16),
        "cells": cells,
    }


def write_manifest(folder: str | Path, document: dict[str, Any]) -> Path:
    """Write ``manifest.json`` into ``folder`` atomically (a reader never sees half of it)."""
    folder = Path(folder)
    path = folder / MANIFEST
    handle, temporary = tempfile.mkstemp(prefix=".manifest-", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(document, out, indent=1)
            out.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def read_manifest(folder: str | Path) -> dict[str, Any]:
    """The manifest of a built benchmark folder (an InputFileError says what is wrong)."""
    path = Path(folder) / MANIFEST
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputFileError(f"'{folder}' is not a synlog benchmark: it has no {MANIFEST}"
                             " (build one with `synlog bench build`)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputFileError(f"cannot read {path}: {error}") from None
    if not isinstance(document, dict) or "cells" not in document or "seed" not in document:
        raise InputFileError(f"{path} is not a benchmark manifest (no 'seed' or 'cells')")
    return document


def build(spec: BenchmarkSpec, out: str | Path, *, workers: int | None = None, overwrite: bool = False,
          resume: bool = False, exclude: Any = None, progress: Callable[[int], None] | None = None,
          command: str | None = None) -> dict[str, Any]:
    """Generate the benchmark into ``out`` (the engine: deduplicated, resumable, the folder
    appears complete or not at all), then write its manifest; return the manifest."""
    from synlog.synth import engine

    tables = engine.run(spec.plan(), out, workers=workers, overwrite=overwrite, resume=resume,
                        progress=progress, command=command, exclude=exclude)
    rows = tables[SPLIT].select(["task", "difficulty", "fingerprint"]).to_pylist()
    document = manifest(spec, rows, exclude.describe() if exclude else "")
    write_manifest(out, document)
    return document
