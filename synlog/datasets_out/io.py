"""Writing and reading synlog datasets: parquet shards, ``datasets.save_to_disk``, JSONL.

Layouts, for splits ``train`` and ``test``::

    parquet   out/train-00000-of-00002.parquet ...   datasets.load_dataset("parquet", data_dir=out)
    hf        out/ (DatasetDict, or a Dataset when there is one split)   datasets.load_from_disk(out)
    jsonl     out/train.jsonl, out/test.jsonl

Each layout also holds ``README.md`` (the dataset card). :func:`read_dataset` recognises all
three and returns ``{split: pyarrow.Table}`` in the row schema.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from synlog.datasets_out.schema import COLUMNS, OPTIONAL_FIELDS, ROW_SCHEMA, concat, conform
from synlog.datasets_out.userfiles import iter_json_lines
from synlog.errors import InputFileError, OutputError

__all__ = ["FORMATS", "check_output_folder", "iter_json_lines", "read_dataset", "write_split_tables"]

FORMATS = ("parquet", "hf", "jsonl")
ROWS_PER_SHARD = 50_000


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and one rename: a reader (or a run
    killed midway) sees the old file or the new one, never half of it."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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


def _read_jsonl(path: Path) -> pa.Table:
    rows = [row for _, row in iter_json_lines(path, "a JSON object (one dataset row)")]
    missing = [c for c in COLUMNS if rows and c not in rows[0]]
    if missing:
        raise InputFileError(f"{path}: not a synlog dataset (missing {', '.join(missing)})")
    if not rows:
        return ROW_SCHEMA.empty_table()
    schema = pa.schema([*ROW_SCHEMA, *(f for name, f in OPTIONAL_FIELDS.items() if any(name in r for r in rows))])
    try:
        return pa.Table.from_pylist(rows, schema=schema)
    except (pa.ArrowException, TypeError, ValueError) as exc:  # a value of the wrong type
        raise InputFileError(f"{path}: not a synlog dataset ({_first_line(exc)}); regenerate it") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _read_parquet(path: Path) -> pa.Table:
    try:
        return pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        detail = _first_line(exc).split(f"'{path}': ", 1)[-1]  # pyarrow repeats the path
        raise InputFileError(
            f"'{path}' is not a readable parquet file ({detail}); regenerate the dataset or remove that file"
        ) from None


def _read_saved(folder: Path) -> dict[str, pa.Table]:
    """A ``datasets.save_to_disk`` folder; a damaged one is an error naming the folder."""
    import datasets

    try:
        loaded = datasets.load_from_disk(str(folder))
        if isinstance(loaded, datasets.Dataset):
            return {"train": loaded.data.table}
        return {split: ds.data.table for split, ds in loaded.items()}
    except (pa.ArrowException, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        # datasets reads its JSON metadata and Arrow files without checking them first
        raise InputFileError(
            f"'{folder}' is a damaged save_to_disk folder ({_first_line(exc)}); regenerate the dataset"
        ) from None


def _split_of(name: str) -> str:
    return name.split("-", 1)[0] if "-of-" in name else Path(name).stem


def _conform(table: pa.Table, source: Path | str) -> pa.Table:
    try:
        return conform(table)
    except InputFileError as exc:
        raise InputFileError(f"{source}: {exc}") from None


def read_dataset(path: str | Path) -> dict[str, pa.Table]:
    """Every split of a synlog dataset folder (any of the three layouts) as Arrow tables.

    Anything that is not one (a missing path, garbage bytes, a foreign schema, empty cells)
    is an :class:`InputFileError` naming the file.
    """
    folder = Path(path)
    try:
        exists, is_file = folder.exists(), folder.is_file()
    except OSError as exc:  # a name the file system refuses (too long, ...)
        raise InputFileError(f"cannot read '{folder}': {exc.strerror}; pass the folder `synlog generate -o` wrote") from None
    if not exists:
        raise InputFileError(f"no dataset at '{folder}'; pass the folder `synlog generate -o` wrote")
    if is_file:
        if folder.suffix == ".parquet":
            return {"train": _conform(_read_parquet(folder), folder)}
        if folder.suffix == ".jsonl":
            return {"train": _conform(_read_jsonl(folder), folder)}
        raise InputFileError(f"'{folder}' is not a synlog dataset (expected a folder, .parquet or .jsonl)")
    if not folder.is_dir():
        raise InputFileError(f"'{folder}' is not a synlog dataset (expected a folder, .parquet or .jsonl)")
    if (folder / "dataset_dict.json").exists() or (folder / "dataset_info.json").exists():
        return {split: _conform(table, folder) for split, table in _read_saved(folder).items()}
    splits: dict[str, list[pa.Table]] = {}
    for file in sorted(folder.glob("*.parquet")):
        if file.is_file():
            splits.setdefault(_split_of(file.name), []).append(_conform(_read_parquet(file), file))
    for file in sorted(folder.glob("*.jsonl")):
        if file.is_file():
            splits.setdefault(file.stem, []).append(_conform(_read_jsonl(file), file))
    if not splits:
        raise InputFileError(
            f"'{folder}' holds no synlog dataset (no parquet, jsonl or save_to_disk files)"
        )
    return {split: concat(parts) for split, parts in splits.items()}


#: bytes synlog appends to an output folder's name for its work folders (".partial", ".NAME.tmp-PID")
OUTPUT_SUFFIX_BYTES = 16


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def _exists(path: Path) -> bool:
    """``path.exists()``, where a name the file system refuses (too long) does not exist."""
    try:
        return path.exists()
    except OSError:
        return False


def check_output_folder(out: str | Path, option: str = "-o", suffix_bytes: int = OUTPUT_SUFFIX_BYTES) -> Path:
    """Refuse, before any work, an output folder that could not be made; return its parent.

    Checked without creating anything: the path is a folder if it exists, no file stands where
    one of its folders should be, every new name fits the file system (the last one with
    synlog's work suffixes, ``suffix_bytes``), and a folder can really be made in the nearest
    existing folder (a probe, so read-only mounts and ``/proc`` are refused up front).
    """
    out = Path(out).absolute()
    existing = next(p for p in out.parents if _exists(p))
    if not existing.is_dir():
        raise OutputError(f"'{existing}' is a file, not a folder; choose another {option}")
    name_max = _name_max(existing)
    new_names = out.relative_to(existing).parts
    for k, name in enumerate(new_names):
        extra = suffix_bytes if k == len(new_names) - 1 else 0
        size = len(os.fsencode(name))
        if size > name_max - extra:
            work = " (with synlog's work suffixes)" if extra else ""
            raise OutputError(
                f"the name '{name[:40]}...' is {size} bytes; names here hold at most {name_max - extra}{work};"
                f" choose a shorter {option}"
            )
    if _exists(out) and not out.is_dir():
        raise OutputError(f"'{out}' exists and is not a folder; choose another {option}")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".synlog-probe-", dir=existing))
    except OSError as exc:
        reason = exc.strerror
        if exc.errno == errno.ENOENT:  # the folder exists, yet refuses: /proc, /sys
            reason = "it does not take new folders (a kernel file system such as /proc?)"
        raise OutputError(f"cannot create folders in '{existing}': {reason}; choose another {option}") from None
    return out.parent
