"""Writing a finished run into its output folder, one block of rows at a time.

The rows a run kept lie in the range shards of ``<out>.partial`` (:mod:`synlog.synth.engine`)
in generation order: component after component, index order within one. Where each row goes
(its split and its position there) is what synlog always computed: a component feeds one split
(``part``) or the rows are dealt to the splits by fraction, after a shuffle keyed by the seed
when the plan shuffles. Here that placement becomes, per row, a split number and a position,
computed once and kept on disk (memory-mapped). Then:

* without a shuffle the rows stream straight into each split's writer, in order;
* with one, a two-pass external shuffle: each block of rows is cut into pieces by the output
  block its rows go to (``BLOCK`` rows, a parquet shard of the output) and the pieces are
  appended to one spill file (Arrow IPC); then each output block is read back from the
  spill, put in order and written.

Memory: a block of rows at a time, plus the placement while it is computed (numpy's
permutation of the rows and its inverse: about 25 bytes a row, then written to disk).
Output is identical to sorting the whole run in memory, and does not depend on how the run
was cut into ranges (so not on ``--workers``): blocks are cut at fixed row positions.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from synlog.datasets_out.card import DatasetStats, write_card
from synlog.datasets_out.io import ROWS_PER_SHARD
from synlog.datasets_out.schema import MESSAGES_FIELD, PROVENANCE_FIELDS, ROW_SCHEMA, with_messages
from synlog.errors import OutputError
from synlog.synth import publish
from synlog.synth.plan import Plan, split_counts
from synlog.synth.seeding import stream_rng

#: rows per block: what is held in memory at once, and one parquet shard of the output
BLOCK = ROWS_PER_SHARD
#: how a Ray or sharded run went (engine, ranges, ranges retried), beside the data
RUN_RECORD = "run.json"


@dataclass
class _Group:
    """Components whose rows are placed together: into ``splits`` (``counts`` rows each),
    each source row to split ``split_of[p]`` (all to the first when None) at ``position[p]``
    (source order when None)."""

    components: list[int]
    splits: list[str]
    counts: list[int]
    split_of: np.ndarray | None = None
    position: np.ndarray | None = None


def publish_run(
    plan: Plan, state: dict, workdir: Any, out: Path, fmt: str, *, overwrite: bool, command: str | None,
    exclude: Any, chat: bool, system_prompt: str | None, record: dict | None = None,
) -> dict[str, int]:
    """Write the run's final files into a work folder, then make it ``out`` atomically;
    return the rows written per split. ``record`` (how a Ray or sharded run went: its engine,
    ranges and the ranges retried) is written as ``run.json`` beside the data."""
    staging, _, _ = publish.work_names(out)
    if staging.exists():
        shutil.rmtree(staging)
    try:
        staging.mkdir(parents=True)
        stats = write_run(plan, state, workdir, staging, fmt, chat or bool(system_prompt), system_prompt)
        write_card(staging, stats, plan, fmt, command, excluded=exclude.describe() if exclude else None, path=out)
        if record is not None:
            (staging / RUN_RECORD).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        publish.publish(staging, out, replace=overwrite)
    except FileExistsError:
        raise OutputError(f"output folder '{out}' appeared during the run; nothing was replaced") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return {split: s.rows for split, s in stats.splits.items()}


def write_run(plan: Plan, state: dict, workdir: Any, folder: Path, fmt: str, chat: bool,
              system_prompt: str | None) -> DatasetStats:
    """Stream every kept row into ``folder`` in ``fmt``; return what the card needs."""
    schema = _row_schema(plan, state, workdir)
    final = schema.append(MESSAGES_FIELD) if chat else schema
    groups = _groups(plan, state, workdir.path)
    totals = {split: 0 for split in plan.splits}
    for group in groups:
        for split, count in zip(group.splits, group.counts, strict=True):
            totals[split] += count
    stats = DatasetStats(totals, final)
    writers = {split: _SplitWriter(folder, split, fmt, rows, final, workdir.path) for split, rows in totals.items()}
    for group in groups:
        blocks = _source_blocks(group, state, workdir, schema)
        if group.position is None:
            placed = _in_order(group, blocks)
        else:
            placed = _shuffled(group, blocks, workdir.path / "spill.arrow", schema)
        for split, table in placed:
            if chat:
                table = with_messages(table, system_prompt)
            stats.add(split, table)
            writers[split].write(table)
        (workdir.path / "spill.arrow").unlink(missing_ok=True)
    for writer in writers.values():
        writer.close()
    if fmt == "hf":
        _save_hf(folder, writers)
    return stats


def _row_schema(plan: Plan, state: dict, workdir: Any) -> pa.Schema:
    """The row schema, with the provenance columns when a dataset component's rows carry them."""
    for k, component in enumerate(plan.components):
        if component.dataset is None:
            continue
        for shard in range(state["components"][k]["shards"]):
            if "source" in workdir.shard_schema(k, shard).names:
                return pa.schema([*ROW_SCHEMA, *PROVENANCE_FIELDS.values()])
    return ROW_SCHEMA


def _index_type(rows: int) -> type:
    return np.int32 if rows < 2**31 else np.int64


def _inverse(permutation: np.ndarray) -> np.ndarray:
    """``inverse[permutation[q]] = q``: where each source row lands."""
    inverse = np.empty(permutation.shape[0], dtype=_index_type(permutation.shape[0]))
    inverse[permutation] = np.arange(permutation.shape[0], dtype=inverse.dtype)
    return inverse


def _on_disk(folder: Path, name: str, array: np.ndarray) -> np.ndarray:
    """``array`` written to ``folder/name.npy`` and opened again memory-mapped."""
    path = folder / f"{name}.npy"
    with open(path, "wb") as out:
        np.save(out, array)
    return np.load(path, mmap_mode="r")


def _groups(plan: Plan, state: dict, folder: Path) -> list[_Group]:
    """Where every kept row goes, as synlog has always placed them (see the module's doc)."""
    sizes = [int(c["rows"]) for c in state["components"]]
    if any(component.part for component in plan.components):  # each component feeds one split
        groups = []
        for n, split in enumerate(plan.splits):
            members = [k for k, c in enumerate(plan.components) if c.part == split]
            rows = sum(sizes[k] for k in members)
            landing = _inverse(stream_rng("shuffle", plan.seed, plan.n, split).permutation(rows))
            groups.append(_Group(members, [split], [rows], None, _on_disk(folder, f"place-{n}", landing)))
        return groups
    members, rows = list(range(len(plan.components))), sum(sizes)
    shuffled = _inverse(stream_rng("shuffle", plan.seed, plan.n).permutation(rows)) if plan.shuffle else None
    counts = split_counts(rows, plan.splits)
    if len(counts) == 1:
        position = None if shuffled is None else _on_disk(folder, "place", shuffled)
        return [_Group(members, list(counts), list(counts.values()), None, position)]
    order = stream_rng("split", plan.seed, plan.n).permutation(rows)
    split_at = np.empty(rows, dtype=np.int8)
    rank = np.empty(rows, dtype=_index_type(rows))
    start = 0
    for n, size in enumerate(counts.values()):
        chosen = np.sort(order[start:start + size])  # generation order inside a split
        split_at[chosen] = n
        rank[chosen] = np.arange(size, dtype=rank.dtype)
        start += size
    del order
    if shuffled is None:
        return [_Group(members, list(counts), list(counts.values()), _on_disk(folder, "split", split_at), None)]
    split_of, position = split_at[shuffled], rank[shuffled]
    del split_at, rank, shuffled
    return [_Group(members, list(counts), list(counts.values()),
                   _on_disk(folder, "split", split_of), _on_disk(folder, "place", position))]


def _conform_to(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with exactly ``schema``'s columns (a provenance column it lacks is empty)."""
    if table.schema.equals(schema):
        return table
    columns = [table.column(f.name) if f.name in table.column_names else pa.nulls(table.num_rows, f.type)
               for f in schema]
    return pa.Table.from_arrays(columns, schema=schema)


def _source_blocks(group: _Group, state: dict, workdir: Any, schema: pa.Schema) -> Iterator[tuple[int, pa.Table]]:
    """The group's kept rows in generation order as (position of the first, a block of
    ``BLOCK`` rows; the last block fewer)."""
    parts: list[pa.Table] = []
    held = first = 0
    for k in group.components:
        for shard in range(state["components"][k]["shards"]):
            table = _conform_to(workdir.kept(k, shard), schema)
            if not table.num_rows:
                continue
            parts.append(table)
            held += table.num_rows
            while held >= BLOCK:
                whole = pa.concat_tables(parts)
                yield first, whole.slice(0, BLOCK).combine_chunks()
                rest = whole.slice(BLOCK)
                parts, held, first = [rest], rest.num_rows, first + BLOCK
    if held:
        yield first, pa.concat_tables(parts).combine_chunks()


def _in_order(group: _Group, blocks: Iterator[tuple[int, pa.Table]]) -> Iterator[tuple[str, pa.Table]]:
    """Rows that keep generation order within their split: each block routed by split."""
    for first, block in blocks:
        if group.split_of is None:
            yield group.splits[0], block
            continue
        split_of = np.asarray(group.split_of[first:first + block.num_rows])
        for n, split in enumerate(group.splits):
            mask = split_of == n
            if mask.any():
                yield split, block.filter(pa.array(mask))


def _shuffled(group: _Group, blocks: Iterator[tuple[int, pa.Table]], spill: Path,
              schema: pa.Schema) -> Iterator[tuple[str, pa.Table]]:
    """The two-pass external shuffle: (split, output block) in output order."""
    per_split = [-(-count // BLOCK) for count in group.counts]
    bases = np.cumsum([0, *per_split])[:-1].astype(np.int64)
    pieces: list[list[int]] = [[] for _ in range(sum(per_split))]
    spill_schema = schema.append(pa.field("_position", pa.int64()))
    written = 0
    with pa.OSFile(str(spill), "wb") as sink, pa.ipc.new_file(sink, spill_schema) as writer:
        for first, block in blocks:
            size = block.num_rows
            position = np.asarray(group.position[first:first + size], dtype=np.int64)
            split_of = (np.zeros(size, dtype=np.int64) if group.split_of is None
                        else np.asarray(group.split_of[first:first + size], dtype=np.int64))
            bucket = bases[split_of] + position // BLOCK
            order = np.argsort(bucket, kind="stable")
            ordered = block.append_column("_position", pa.array(position)).take(pa.array(order)).combine_chunks()
            bucket = bucket[order]
            edges = [0, *(np.flatnonzero(np.diff(bucket)) + 1).tolist(), size]
            for start, stop in zip(edges, edges[1:], strict=False):
                for batch in ordered.slice(start, stop - start).to_batches():
                    writer.write_batch(batch)
                    pieces[int(bucket[start])].append(written)
                    written += 1
    # read back with plain reads, not a memory map: a map's pages would stay resident, and the
    # process's memory grow with the run
    with pa.OSFile(str(spill)) as source:
        reader = pa.ipc.open_file(source)
        for n, blocks_here in enumerate(per_split):
            for b in range(blocks_here):
                table = pa.Table.from_batches([reader.get_batch(i) for i in pieces[bases[n] + b]], schema=spill_schema)
                table = table.take(pc.sort_indices(table, sort_keys=[("_position", "ascending")]))
                yield group.splits[n], table.drop_columns(["_position"]).combine_chunks()


class _SplitWriter:
    """One split's files in ``fmt``, written a block at a time (its row count known ahead)."""

    def __init__(self, folder: Path, split: str, fmt: str, rows: int, schema: pa.Schema, scratch: Path):
        self.folder, self.split, self.fmt, self.schema = folder, split, fmt, schema
        self.shards = max(1, -(-rows // ROWS_PER_SHARD))
        self.parts: list[pa.Table] = []
        self.held = self.done = 0
        if fmt == "jsonl":
            self.file = open(folder / f"{split}.jsonl", "w", encoding="utf-8")
        elif fmt == "hf":
            self.arrow = scratch / f"hf-{split}.arrow"
            self.sink = pa.OSFile(str(self.arrow), "wb")
            self.stream = pa.ipc.new_stream(self.sink, schema)

    def write(self, table: pa.Table) -> None:
        if self.fmt == "jsonl":
            for row in table.to_pylist():
                self.file.write(json.dumps(row, ensure_ascii=False) + "\n")
        elif self.fmt == "hf":
            self.stream.write_table(table)
        else:
            self.parts.append(table)
            self.held += table.num_rows
            while self.held >= ROWS_PER_SHARD:
                self._flush()

    def _flush(self) -> None:
        whole = pa.concat_tables(self.parts) if self.parts else self.schema.empty_table()
        shard = whole.slice(0, ROWS_PER_SHARD).combine_chunks()
        name = f"{self.split}-{self.done:05d}-of-{self.shards:05d}.parquet"
        pq.write_table(shard, self.folder / name, compression="zstd")
        rest = whole.slice(ROWS_PER_SHARD)
        self.parts, self.held, self.done = [rest] if rest.num_rows else [], rest.num_rows, self.done + 1

    def close(self) -> None:
        if self.fmt == "jsonl":
            self.file.close()
        elif self.fmt == "hf":
            self.stream.close()
            self.sink.close()
        elif self.held or self.done == 0:
            self._flush()


def _save_hf(folder: Path, writers: dict[str, _SplitWriter]) -> None:
    """The splits' Arrow streams as a ``datasets.save_to_disk`` folder (memory-mapped, not loaded)."""
    import datasets

    splits = {split: datasets.Dataset.from_file(str(w.arrow)) for split, w in writers.items()}
    if list(splits) == ["train"]:
        splits["train"].save_to_disk(str(folder))
    else:
        datasets.DatasetDict(splits).save_to_disk(str(folder))
