"""Decontamination: generate rows that no existing dataset already holds.

A row is excluded when its ``fingerprint`` (the hash of its canonical problem) or the hash of
its normalised prompt (case and whitespace folded: :func:`~synlog.synth.example.prompt_key`)
occurs in any excluded dataset, so a training set can be made disjoint from a test set made
earlier, by another seed, level or synlog version::

    held_out = Exclusion.load(["data/test"])
    engine.run(plan, "data/train", exclude=held_out)        # `synlog generate --exclude data/test`
    synlog.generate("sudoku", n=1000, exclude="data/test")  # the same from Python

An excluded dataset is a synlog dataset (any layout ``synlog generate`` writes), or any
``.parquet`` / ``.jsonl`` file with a ``prompt`` column (text, or chat messages whose user
turns are matched).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synlog.errors import InputFileError
from synlog.synth.example import has_inner_problems, prompt_key, row_keys


@dataclass(frozen=True)
class Exclusion:
    """The fingerprints and prompt keys of the datasets a run must not overlap."""

    fingerprints: frozenset[str] = frozenset()
    prompts: frozenset[str] = frozenset()
    sources: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.fingerprints or self.prompts)

    def __len__(self) -> int:
        return len(self.prompts | self.fingerprints)

    def excludes(self, row: Mapping[str, Any]) -> bool:
        """True when ``row`` (a synlog row) matches an excluded problem or prompt."""
        return (any(key in self.fingerprints for key in row_keys(row))
                or prompt_key(row["prompt"]) in self.prompts)

    def key(self) -> str:
        """A digest of what is excluded: a resumed run must exclude exactly the same."""
        digest = hashlib.sha256()
        for value in sorted(self.fingerprints) + ["|"] + sorted(self.prompts):
            digest.update(value.encode() + b"\n")
        return digest.hexdigest()[:32]

    def describe(self) -> str:
        """``"1,000 problems of data/test"`` for cards and messages."""
        return f"{len(self.prompts):,} prompts and {len(self.fingerprints):,} fingerprints of " + ", ".join(self.sources)

    @classmethod
    def load(cls, paths: str | Path | Sequence[str | Path]) -> Exclusion:
        """Read every dataset in ``paths``; an unreadable one is an InputFileError naming it."""
        if isinstance(paths, (str, Path)):
            paths = [paths]
        fingerprints: set[str] = set()
        prompts: set[str] = set()
        for path in paths:
            found_fp, found_prompts = _read(Path(path))
            fingerprints |= found_fp
            prompts |= found_prompts
        return cls(frozenset(fingerprints), frozenset(prompts), tuple(str(p) for p in paths))


def _read(path: Path) -> tuple[set[str], set[str]]:
    from synlog.datasets_out.io import read_dataset

    try:
        tables = read_dataset(path)
    except InputFileError:
        if path.is_file() and path.suffix in (".parquet", ".jsonl"):
            return set(), {prompt_key(p) for p in _foreign_prompts(path)}
        raise
    fingerprints: set[str] = set()
    prompts: set[str] = set()
    for table in tables.values():
        if any(map(has_inner_problems, set(table.column("task").to_pylist()))):  # composed rows hold problems
            fingerprints.update(key for row in table.select(["task", "problem", "fingerprint"]).to_pylist()
                                for key in row_keys(row))
        else:
            fingerprints.update(table.column("fingerprint").to_pylist())
        prompts.update(prompt_key(p) for p in table.column("prompt").to_pylist())
    return fingerprints, prompts


def _foreign_prompts(path: Path) -> Iterable[str]:
    """The prompts of a file that is not a synlog dataset but has a ``prompt`` column."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            column = pq.read_table(path, columns=["prompt"]).column("prompt").to_pylist()
        except (OSError, KeyError, ValueError) as exc:
            raise InputFileError(f"--exclude '{path}': not a synlog dataset and no readable `prompt` column ({exc})") from None
    else:
        from synlog.datasets_out.userfiles import iter_json_lines

        column = []
        for line_no, record in iter_json_lines(path, "excluded dataset"):
            if not isinstance(record, dict) or "prompt" not in record:
                raise InputFileError(f"--exclude '{path}' line {line_no}: no `prompt` field")
            column.append(record["prompt"])
    for value in column:
        yield from _prompt_texts(value, path)


def _prompt_texts(value: Any, path: Path) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):  # chat messages: the user turns carry the task's prompt
        for message in value:
            if isinstance(message, Mapping) and message.get("role") == "user" and isinstance(message.get("content"), str):
                yield message["content"]
    else:
        raise InputFileError(f"--exclude '{path}': a `prompt` is {type(value).__name__}, not text or chat messages")
