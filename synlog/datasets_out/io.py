"""Writing and reading synlog datasets: parquet shards, ``datasets.save_to_disk``, JSONL.

Layouts, for splits ``train`` and ``test``::

    parquet   out/train-00000-of-00002.parquet ...   datasets.load_dataset("parquet", data_dir=out)
    hf        out/ (DatasetDict, or a Dataset when there is one split)   datasets.load_from_disk(out)
    jsonl     out/train.jsonl, out/test.jsonl

Each layout also holds ``README.md`` (the dataset card). :func:`read_dataset` recognises all
three and returns ``{split: pyarrow.Table}`` in the row schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from synlog.datasets_out.schema import COLUMNS, ROW_SCHEMA, conform
from synlog.errors import InputFileError

FORMATS = ("parquet", "hf", "jsonl")
ROWS_PER_SHARD = 50_000


def write_split_tables(tables: dict[str, pa.Table], folder: Path, fmt: str) -> list[str]:
    """Write each split's table into ``folder`` in ``fmt``; return the file names written."""
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        written = []
        for split, table in tables.items():
            shards = max(1, -(-table.num_rows // ROWS_PER_SHARD))
            for k in range(shards):
                name = f"{split}-{k:05d}-of-{shards:05d}.parquet"
                part = table.slice(k * ROWS_PER_SHARD, ROWS_PER_SHARD)
                pq.write_table(part, folder / name, compression="zstd")
                written.append(name)
        return written
    if fmt == "jsonl":
        for split, table in tables.items():
            with open(folder / f"{split}.jsonl", "w", encoding="utf-8") as out:
                for row in table.to_pylist():
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return [f"{split}.jsonl" for split in tables]
    if fmt == "hf":
        import datasets

        def to_hf(table: pa.Table) -> datasets.Dataset:
            return datasets.Dataset(table)

        if list(tables) == ["train"]:
            to_hf(tables["train"]).save_to_disk(str(folder))
        else:
            datasets.DatasetDict({s: to_hf(t) for s, t in tables.items()}).save_to_disk(str(folder))
        return sorted(p.name for p in folder.iterdir())
    raise InputFileError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")


def iter_json_lines(path: Path, expected: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` for each non-blank line; errors name the file, line and ``expected``."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputFileError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
            if not isinstance(record, dict):
                raise InputFileError(f"{path}:{number}: each line needs {expected}")
            yield number, record


def _read_jsonl(path: Path) -> pa.Table:
    rows = [row for _, row in iter_json_lines(path, "a JSON object (one dataset row)")]
    missing = [c for c in COLUMNS if rows and c not in rows[0]]
    if missing:
        raise InputFileError(f"{path}: not a synlog dataset (missing {', '.join(missing)})")
    return pa.Table.from_pylist(rows, schema=ROW_SCHEMA) if rows else ROW_SCHEMA.empty_table()


def _split_of(name: str) -> str:
    return name.split("-", 1)[0] if "-of-" in name else Path(name).stem


def read_dataset(path: str | Path) -> dict[str, pa.Table]:
    """Every split of a synlog dataset folder (any of the three layouts) as Arrow tables."""
    folder = Path(path)
    if not folder.exists():
        raise InputFileError(f"no dataset at '{folder}'; pass the folder `synlog generate -o` wrote")
    if folder.is_file():
        if folder.suffix == ".parquet":
            return {"train": conform(pq.read_table(folder))}
        if folder.suffix == ".jsonl":
            return {"train": conform(_read_jsonl(folder))}
        raise InputFileError(f"'{folder}' is not a synlog dataset (expected a folder, .parquet or .jsonl)")
    if (folder / "dataset_dict.json").exists() or (folder / "dataset_info.json").exists():
        import datasets

        loaded = datasets.load_from_disk(str(folder))
        if isinstance(loaded, datasets.Dataset):
            return {"train": conform(loaded.data.table)}
        return {split: conform(ds.data.table) for split, ds in loaded.items()}
    splits: dict[str, list[pa.Table]] = {}
    for file in sorted(folder.glob("*.parquet")):
        splits.setdefault(_split_of(file.name), []).append(pq.read_table(file))
    for file in sorted(folder.glob("*.jsonl")):
        splits.setdefault(file.stem, []).append(_read_jsonl(file))
    if not splits:
        raise InputFileError(
            f"'{folder}' holds no synlog dataset (no parquet, jsonl or save_to_disk files)"
        )
    return {split: conform(pa.concat_tables(parts)) for split, parts in splits.items()}
