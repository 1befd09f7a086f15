"""The dataset card (``README.md``) written beside every generated dataset.

It records how to reproduce the data (command, seed, plan), what is in it (rows by task ×
difficulty per split), which knob values and mixture weights were used, and the versions that
made it. A YAML header in the Hugging Face Hub's card format (``configs`` with the data files
of each split, ``dataset_info`` features and split sizes, ``license``, ``task_categories``,
``tags``, ``size_categories``) lets the Hub and ``datasets`` load the folder as it is pushed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from synlog.datasets_out.schema import ROW_SCHEMA
from synlog.tasks.base import get_task
from synlog.version import __version__

#: what each column holds, for the card (the data contract of synlog's design)
COLUMN_NOTES = {
    "id": "unique row id: task, a digest of version, params and seed, and the index",
    "task": "task name (`synlog tasks` lists them)",
    "family": "task family",
    "difficulty": "level 1..10",
    "params": "JSON: the concrete knob values of this row",
    "seed": "the run's seed",
    "index": "the row's candidate index in its stream (regenerates the row with task, params, seed)",
    "prompt": "the prompt, stating the answer format",
    "answer": "the canonical gold answer (verify checks the rules, not this string, where several answers are right)",
    "problem": "JSON: everything the verifier needs",
    "effort": "solver effort spent proving the instance (conflicts, search nodes)",
    "fingerprint": "hash of the canonical problem (dedup, decontamination; splits are disjoint by it)",
    "task_version": "version of the task's generator",
    "source": "imported rows: the dataset the row came from (`synlog import --source`); empty for generated rows",
    "source_index": "imported rows: the row's 0-based position in its source file",
    "synlog_version": "synlog version that wrote the row",
    "messages": "the prompt as chat messages (system, user): the conversational format TRL and verl read",
}


def _feature(field: pa.Field) -> dict[str, Any]:
    """One column in the Hub's ``dataset_info.features`` notation."""
    if pa.types.is_list(field.type) and pa.types.is_struct(field.type.value_type):
        struct = field.type.value_type
        return {"name": field.name, "list": [_feature(struct.field(i)) for i in range(struct.num_fields)]}
    return {"name": field.name, "dtype": str(field.type).replace("double", "float64")}


def _size_category(rows: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                        (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")):
        if rows < limit:
            return name
    return "10M<n<100M"


def _schema(tables: dict[str, pa.Table]) -> pa.Schema:
    return next(iter(tables.values())).schema if tables else ROW_SCHEMA


@dataclass
class SplitStats:
    rows: int = 0
    nbytes: int = 0


class DatasetStats:
    """What a card says of a dataset's rows, gathered a block at a time (the engine never
    holds a whole run): rows and bytes per split, rows per (task or "task (source)", level,
    split), the tasks, the schema."""

    def __init__(self, splits: Iterable[str], schema: pa.Schema):
        self.splits = {split: SplitStats() for split in splits}
        self.schema = schema
        self.sourced = "source" in schema.names
        self.counts: Counter[tuple[str, int, str]] = Counter()
        self.tasks: set[str] = set()

    @classmethod
    def of(cls, tables: Mapping[str, pa.Table]) -> DatasetStats:
        stats = cls(tables, _schema(dict(tables)))
        for split, table in tables.items():
            stats.add(split, table)
        return stats

    def add(self, split: str, table: pa.Table) -> None:
        here = self.splits[split]
        here.rows += table.num_rows
        here.nbytes += int(table.nbytes)
        tasks = table.column("task").to_pylist()
        self.tasks.update(tasks)
        if "source" in table.column_names:
            sources = table.column("source").to_pylist()
            tasks = [f"{task} ({source})" if source else task for task, source in zip(tasks, sources, strict=True)]
        self.counts.update((name, level, split)
                           for name, level in zip(tasks, table.column("difficulty").to_pylist(), strict=True))

    @property
    def total(self) -> int:
        return sum(s.rows for s in self.splits.values())


def _stats(tables: Mapping[str, pa.Table] | DatasetStats) -> DatasetStats:
    return tables if isinstance(tables, DatasetStats) else DatasetStats.of(tables)


def hub_header(tables: Mapping[str, pa.Table] | DatasetStats, fmt: str) -> dict[str, Any]:
    """The card's YAML metadata in the Hub's dataset-card format."""
    stats = _stats(tables)
    header: dict[str, Any] = {
        "license": "apache-2.0",
        "task_categories": ["text-generation", "question-answering"],
        "tags": ["synlog", "reasoning", "verifiable-rewards", "reinforcement-learning", "synthetic",
                 *sorted(stats.tasks)],
        "size_categories": [_size_category(stats.total)],
        "pretty_name": "synlog dataset",
    }
    pattern = {"parquet": "{split}-*.parquet", "jsonl": "{split}.jsonl"}.get(fmt)
    if pattern is not None:  # a save_to_disk folder is read with load_from_disk, not by the Hub loader
        header["configs"] = [{
            "config_name": "default",
            "data_files": [{"split": split, "path": pattern.format(split=split)} for split in stats.splits],
        }]
    header["dataset_info"] = {
        "features": [_feature(f) for f in stats.schema],
        "splits": [{"name": split, "num_bytes": s.nbytes, "num_examples": s.rows}
                   for split, s in stats.splits.items()],
    }
    return header

LOADING = {
    "parquet": 'datasets.load_dataset("parquet", data_dir="{path}")',
    "hf": 'datasets.load_from_disk("{path}")',
    "jsonl": 'datasets.load_dataset("json", data_dir="{path}")',
}


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def write_card(
    folder: Path, tables: Mapping[str, pa.Table] | DatasetStats, plan: Any, fmt: str, command: str | None,
    excluded: str | None = None, path: str | Path | None = None,
) -> None:
    """Write ``folder/README.md`` describing the dataset (``excluded``: what decontamination
    kept out, as :meth:`~synlog.synth.decontaminate.Exclusion.describe` says it; ``path``:
    where the dataset will live, for the load snippet)."""
    import yaml

    stats = _stats(tables)
    total = stats.total
    lines = [
        "---",
        yaml.safe_dump(hub_header(stats, fmt), sort_keys=False, allow_unicode=True).rstrip(),
        "---",
        "",
        "# synlog dataset",
        "",
        f"{total} rows generated by synlog {__version__}. Every row is a pure function of its"
        " `task`, `task_version`, `params`, `seed` and `index`, and carries a `problem` JSON"
        " that `synlog verify` (or `synlog.score`) checks completions against.",
        "",
        "## Reproduce",
        "",
    ]
    if command:
        lines += ["```", command, "```", ""]
    lines += [f"Seed: `{plan.seed}`. Splits: " + ", ".join(f"{s} = {f:g}" for s, f in plan.splits.items()), ""]
    if getattr(plan, "split_definition", None):
        lines += [f"Split definition: {plan.split_definition}", ""]
    if excluded:
        lines += [f"Decontaminated: no row shares a problem fingerprint or a normalised prompt with the {excluded}.", ""]
    counts, sourced, splits = stats.counts, stats.sourced, list(stats.splits)
    keys = sorted({(t, lv) for t, lv, _ in counts})
    lines += ["## Contents", ""]
    lines += _table(
        ["task (source)" if sourced else "task", "difficulty", *splits],
        [[t, lv, *[counts[(t, lv, s)] for s in splits]] for t, lv in keys],
    )
    if any(lv == 0 for _, lv in keys):
        lines += ["", "Difficulty 0: an imported row whose source gave it no level."]
    lines += ["", "## Knobs", ""]
    knob_rows = []
    for component in plan.components:
        if component.dataset is not None:
            split = f", split {component.split}" if component.split else ""
            knob_rows.append([f"dataset `{component.dataset}`", "", "", f"{component.weight:g}",
                              f"{component.count} of its {component.size} rows{split}", ""])
            continue
        task = get_task(component.task)
        spec = component.spec()
        shown = ", ".join(
            f"{name}={'..'.join(map(str, value)) if isinstance(value, tuple) else value}"
            for name, value in spec.items()
        )
        knob_rows.append([component.task, task.version, component.difficulty, f"{component.weight:g}",
                          shown or "(none)", json.dumps(component.overrides) if component.overrides else ""])
    lines += _table(["task", "task version", "difficulty", "mixture weight", "knob values (lo..hi: sampled per row)",
                     "overrides"], knob_rows)
    lines += [
        "",
        "## Load",
        "",
        "```python",
        "import datasets",
        LOADING[fmt].format(path=str(path) if path is not None else "<this folder>"),
        "```",
        "",
        "Score a completion: `synlog.verify(row, completion)` in Python, or"
        " `synlog verify <this folder> --completions outs.jsonl` for a file of completions.",
        "",
        "## Columns",
        "",
        *_table(["column", "type", "holds"],
                [[f"`{f.name}`", "list of {role, content}" if f.name == "messages" else str(f.type),
                  COLUMN_NOTES.get(f.name, "")] for f in stats.schema]),
        "",
    ]
    (folder / "README.md").write_text("\n".join(lines), encoding="utf-8")


#: what the provenance columns of an imported dataset hold, for its card
IMPORT_COLUMN_NOTES = {
    "difficulty": "the source's level where it has one (MATH's 'Level 3' → 3), else 0 (not levelled)",
    "params": "`{}`: an imported row has no knobs",
    "seed": "0: an imported row is not generated",
    "index": "the row's position among the rows imported",
    "prompt": "the source's prompt (verbatim, or rendered through the import's template)",
    "effort": "0: no solver ran",
    "source": "the dataset the row came from",
    "source_index": "the row's 0-based position in that source",
}


def write_import_card(
    folder: Path, tables: dict[str, pa.Table], fmt: str, command: str | None, report: dict[str, Any],
    path: str | Path | None = None,
) -> None:
    """Write ``folder/README.md`` for a ``synlog import``: the source and mapping, rows kept and
    skipped by reason (every skipped row is in ``import_report.json``), and the load snippet.
    ``report`` is :meth:`synlog.datasets_out.importer.ImportResult.report`'s dictionary."""
    import yaml

    header = hub_header(tables, fmt)
    header["tags"] = [t for t in header["tags"] if t != "synthetic"] + ["imported"]
    header["pretty_name"] = f"{report.get('source_name', 'imported')} (synlog import)"
    total = sum(t.num_rows for t in tables.values())
    mapping = ", ".join(f"{target} ← `{column}`" for target, column in report.get("mapping", {}).items())
    lines = [
        "---", yaml.safe_dump(header, sort_keys=False, allow_unicode=True).rstrip(), "---", "",
        f"# {report.get('source_name', 'imported')}: imported by synlog", "",
        f"{total} `{report.get('task')}` rows imported by synlog {__version__} from `{report.get('source')}`"
        f" ({report.get('layout')}" + (f", preset `{report['preset']}`" if report.get("preset") else "") + ")."
        " Each row's `problem` JSON carries what `synlog verify` (or `synlog.score`) needs to judge a completion.",
        "",
    ]
    if command:
        lines += ["## Command", "", "```", command, "```", ""]
    lines += ["## Source", "", f"Mapping: {mapping or '(none)'}."]
    if report.get("template"):
        lines += [f"Prompts rendered through the template `{report['template']}`."]
    lines += ["", f"Rows read: {report.get('read', 0)}; kept: {report.get('kept', total)};"
              f" skipped: {sum(report.get('skipped', {}).values())}.", ""]
    if report.get("skipped"):
        lines += _table(["reason skipped", "rows"], [[reason, n] for reason, n in report["skipped"].items()])
        lines += ["", "Every skipped row, with its line (or row) number and why: `import_report.json`.", ""]
    counts: Counter[tuple[str, int, str]] = Counter()
    for split, table in tables.items():
        for task, level in zip(table.column("task").to_pylist(), table.column("difficulty").to_pylist(), strict=True):
            counts[(task, level, split)] += 1
    splits = list(tables)
    keys = sorted({(t, lv) for t, lv, _ in counts})
    lines += ["## Contents", ""]
    lines += _table(["task", "difficulty", *splits], [[t, lv, *[counts[(t, lv, s)] for s in splits]] for t, lv in keys])
    lines += [
        "", "## Load", "", "```python", "import datasets",
        LOADING[fmt].format(path=str(path) if path is not None else "<this folder>"), "```", "",
        "## Columns", "",
        *_table(["column", "type", "holds"],
                [[f"`{f.name}`", str(f.type), IMPORT_COLUMN_NOTES.get(f.name, COLUMN_NOTES.get(f.name, ""))]
                 for f in _schema(tables)]),
        "",
    ]
    (folder / "README.md").write_text("\n".join(lines), encoding="utf-8")
