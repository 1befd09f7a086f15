"""The generation engine: parallel, deduplicated, resumable, atomic.

``run(plan, out, ...)`` fills each component's quota from its candidate stream (example
indices 0, 1, 2, …; each a pure function of task, params, seed and index), dropping candidates
whose fingerprint was already produced. Workers generate windows of candidates; the main
process consumes them in index order, so the result does not depend on ``workers``.

On disk, a run works in ``<out>.partial/``: finished shards plus ``state.json`` (the plan and
how far each component got), replaced atomically after each shard. ``resume=True`` continues
from there. Only when every row exists are the final files written into a temporary folder
that becomes ``<out>`` in one atomic step (:mod:`synlog.synth.publish`), so an interrupted run
never leaves a half dataset, and the next run repairs what a crash while publishing left.

A full disk (or any other failure to write) is a one-line :class:`OutputError` naming the
folder; for a full disk it estimates the space still needed, and ``--resume`` continues once
space is freed (nothing half-written is kept: shards and state are replaced atomically).
"""

from __future__ import annotations

import errno
import json
import multiprocessing as mp
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from synlog.datasets_out.card import write_card
from synlog.datasets_out.io import FORMATS, check_output_folder, write_split_tables
from synlog.datasets_out.schema import (
    COLUMNS,
    PROVENANCE_FIELDS,
    concat,
    rows_to_table,
    with_messages,
)
from synlog.errors import DiskFullError, GenerationError, OutputError, SynlogError
from synlog.synth import publish
from synlog.synth.decontaminate import Exclusion
from synlog.synth.example import has_inner_problems, make_row, row_keys
from synlog.synth.plan import Component, Plan, dataset_rows, split_counts
from synlog.synth.seeding import digest, stream_rng

SHARD_ROWS = 2_000
#: a component is declared exhausted after this many candidates beyond (10 × its quota), or
#: after this many candidates in a row that gave nothing new
EXHAUSTION_SLACK = 2_000


@dataclass
class Progress:
    """Where one component stands: rows kept and the next candidate index to try."""

    rows: int = 0
    next_index: int = 0
    shards: int = 0


def _make_row_job(job: tuple[str, int, dict[str, Any], int, int]) -> dict[str, Any]:
    return make_row(*job)


def candidate_rows(
    component: Component, seed: int, start: int, workers: int, pool: Any, need: int | None = None
) -> Iterator[dict[str, Any]]:
    """Rows of candidate indices start, start+1, … in order (generated in parallel windows).

    With a pool, the next window is submitted before the current one is consumed, so the
    workers never idle while the main process deduplicates and writes. A window is 256 rows
    per worker (fewer when only ``need`` more rows are wanted), handed out 16 rows at a time:
    smaller windows left workers idle at every hand-over (2 workers: 2,465 → 2,836 sudoku
    rows/s on the 2-core machine when the window went from 64 to 256 per worker).
    """
    if component.dataset is not None:
        yield from dataset_candidates(component, seed, start)
        return
    spec = component.spec()
    window = max(64, min(workers * 256, need if need is not None else workers * 256))

    def jobs(first: int) -> list[tuple[str, int, dict[str, Any], int, int]]:
        return [(component.task, component.difficulty, spec, seed, i) for i in range(first, first + window)]

    if pool is None:
        for first in count(start, window):
            yield from map(_make_row_job, jobs(first))
    chunksize = max(1, window // (workers * 16))
    ahead = pool.imap(_make_row_job, jobs(start), chunksize=chunksize)
    for first in count(start + window, window):
        current, ahead = ahead, pool.imap(_make_row_job, jobs(first), chunksize=chunksize)
        yield from current


def dataset_candidates(component: Component, seed: int, start: int) -> Iterator[dict[str, Any]]:
    """The rows of a dataset component from position ``start`` of its draw order (a permutation
    fixed by the seed and the folder's content), as row dicts; a finite stream."""
    table = dataset_rows(component)
    keep = [name for name in table.column_names if name in COLUMNS or name in PROVENANCE_FIELDS]
    table = table.select(keep)  # `messages` is made again by the run's own --chat
    order = stream_rng("dataset", seed, component.content).permutation(table.num_rows)
    for first in range(start, table.num_rows, 1024):
        yield from table.take(order[first:first + 1024]).to_pylist()


#: bytes of final output per byte of partial shards, by format (an estimate for disk-full errors)
FINAL_SIZE_FACTOR = {"parquet": 1.0, "hf": 2.0, "jsonl": 3.0}


class _Workdir:
    """The ``<out>.partial`` folder: shards and the state that makes a run resumable."""

    def __init__(self, out: Path, n_rows: int = 0, fmt: str = "parquet"):
        self.out = out
        self.path = out.with_name(out.name + ".partial")
        self.state_file = self.path / "state.json"
        self.n_rows, self.fmt = n_rows, fmt

    def exists(self) -> bool:
        return self.state_file.exists()

    def load(self) -> dict[str, Any]:
        try:
            state = json.loads(self.state_file.read_text(encoding="utf-8"))
            if not isinstance(state, dict) or not isinstance(state.get("components"), list):
                raise ValueError("not a state object")
        except (OSError, ValueError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise OutputError(
                f"'{self.state_file}' is damaged; pass --overwrite to start the run again"
            ) from None
        return state

    @contextmanager
    def disk_errors(self, action: str, pending: list[dict[str, Any]] | None = None) -> Iterator[None]:
        """Turn a failed write or read of the run's folders into a one-line OutputError.

        A full disk (ENOSPC, EDQUOT) becomes a :class:`DiskFullError` with the space still
        needed, estimated from the shards written so far (or from ``pending`` rows).
        """
        try:
            yield
        except SynlogError:
            raise
        except OSError as exc:
            parent = self.out.absolute().parent
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                need, free = self._space_needed(pending), shutil.disk_usage(parent).free
                raise DiskFullError(
                    f"no space left in '{parent}' while {action}: this run needs about {_size(need)}"
                    f" more ({_size(free)} free); free some space, then rerun the same command with --resume"
                ) from None
            raise OutputError(
                f"cannot write '{exc.filename or parent}' while {action}: {exc.strerror or exc};"
                " fix that and rerun the same command with --resume (or choose another -o)"
            ) from None

    def _space_needed(self, pending: list[dict[str, Any]] | None) -> int:
        """Bytes still to write: the partial shards of every row, then the final output."""
        shards = [f for f in self.path.glob("*.parquet") if f.is_file()] if self.path.is_dir() else []
        written = sum(f.stat().st_size for f in shards)
        try:
            rows_done = sum(int(c.get("rows", 0)) for c in json.loads(self.state_file.read_text())["components"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            rows_done = 0
        if rows_done:
            per_row = written / rows_done
        elif pending:
            sample = pending[:100]  # a parquet shard takes about a quarter of its rows' JSON
            per_row = 0.25 * sum(len(json.dumps(r, default=str)) for r in sample) / len(sample)
        else:
            per_row = 1024.0
        total = per_row * self.n_rows * (1.0 + FINAL_SIZE_FACTOR.get(self.fmt, 1.0))
        return max(int(total - written), int(per_row * 100))

    def save(self, state: dict[str, Any]) -> None:
        tmp = self.state_file.with_suffix(".tmp")
        _write_then_replace(tmp, self.state_file, lambda: tmp.write_text(json.dumps(state, indent=1)))

    def shard_path(self, component: int, shard: int) -> Path:
        return self.path / f"c{component:04d}-{shard:06d}.parquet"

    def write_shard(self, component: int, shard: int, rows: list[dict[str, Any]]) -> None:
        final = self.shard_path(component, shard)
        tmp = final.with_suffix(".tmp")
        _write_then_replace(tmp, final, lambda: pq.write_table(rows_to_table(rows), tmp))

    def read_component(self, component: int, shards: int) -> pa.Table:
        parts = [pq.read_table(self.shard_path(component, k)) for k in range(shards)]
        return concat(parts)


def _write_then_replace(tmp: Path, final: Path, write: Callable[[], Any]) -> None:
    """``write()`` into ``tmp``, then rename it to ``final``; a failed write leaves no ``tmp``."""
    try:
        write()
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def check_output(out: Path, overwrite: bool, resume: bool) -> None:
    """Refuse an existing output (unless --overwrite) or an unwritable parent, before any work.

    First repairs what a crashed publish into ``out`` left (see :mod:`synlog.synth.publish`).
    """
    check_output_folder(out)  # name length, a file in the way, an unwritable or pseudo file system
    workdir = _Workdir(out)
    try:
        if publish.recover(out):  # that run had finished: its shards are published, not needed
            shutil.rmtree(workdir.path, ignore_errors=True)
    except OSError as exc:
        raise OutputError(f"cannot repair a crashed run's folders beside '{out}': {exc.strerror}") from None
    if out.exists() and not overwrite:
        raise OutputError(f"output folder '{out}' already exists; pass --overwrite to replace it")
    if workdir.path.exists() and not resume and not overwrite:
        raise OutputError(
            f"an interrupted run left '{workdir.path}'; pass --resume to continue it"
            " or --overwrite to start again"
        )


def run(
    plan: Plan,
    out: str | Path,
    *,
    fmt: str = "parquet",
    workers: int | None = None,
    overwrite: bool = False,
    resume: bool = False,
    progress: Callable[[int], Any] | None = None,
    command: str | None = None,
    shard_rows: int = SHARD_ROWS,
    exclude: Exclusion | None = None,
    chat: bool = False,
    system_prompt: str | None = None,
) -> dict[str, pa.Table]:
    """Generate ``plan`` into the folder ``out``; return the split tables written.

    ``exclude`` (see :mod:`synlog.synth.decontaminate`) drops every candidate whose problem or
    prompt occurs in the excluded datasets, as dedup drops repeats. ``chat`` adds a
    ``messages`` column (the prompt as chat messages, after ``system_prompt`` when given).
    """
    if fmt not in FORMATS:
        raise SynlogError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    out = Path(out)
    check_output(out, overwrite, resume)
    workdir = _Workdir(out, plan.n, fmt)
    plan_json = plan.to_json()
    exclude = exclude or Exclusion()
    plan_key = digest([plan_json, exclude.key()]) if exclude else digest(plan_json)
    if workdir.exists() and resume:
        state = workdir.load()
        if state.get("plan_key") != plan_key:
            raise OutputError(
                f"'{workdir.path}' belongs to a run with other options; rerun with the same"
                " options to resume, or pass --overwrite to start again"
            )
    else:
        with workdir.disk_errors("starting the run"):
            if workdir.path.exists():
                shutil.rmtree(workdir.path)
            workdir.path.mkdir(parents=True)
            state = {"plan_key": plan_key, "plan": plan_json,
                     "components": [Progress().__dict__ for _ in plan.components]}
            workdir.save(state)

    workers = (os.cpu_count() or 1) if workers is None else max(1, workers)
    seen: set[str] = set()
    with workdir.disk_errors("reading the interrupted run's shards"):
        for k, done in enumerate(state["components"]):
            if done["shards"]:
                table = workdir.read_component(k, done["shards"])
                if plan.components[k].dataset is None and has_inner_problems(plan.components[k].task):
                    seen.update(key for row in table.select(["task", "problem", "fingerprint"]).to_pylist()
                                for key in row_keys(row))
                else:
                    seen.update(table.column("fingerprint").to_pylist())
    if progress is not None:
        progress(sum(c["rows"] for c in state["components"]))

    pool = mp.get_context("forkserver").Pool(workers) if workers > 1 and plan.n > 64 else None
    try:
        for k, component in enumerate(plan.components):
            _fill_component(k, component, plan.seed, state, workdir, seen, workers, pool, progress, shard_rows,
                            exclude)
    finally:
        if pool is not None:
            pool.terminate()
    with workdir.disk_errors("reading the finished shards"):
        tables = _assemble(plan, state, workdir)
    if chat or system_prompt:
        tables = {split: with_messages(table, system_prompt) for split, table in tables.items()}
    with workdir.disk_errors("writing the dataset"):
        _publish(tables, out, fmt, plan, overwrite, command, exclude)
    shutil.rmtree(workdir.path, ignore_errors=True)
    return tables


def _fill_component(
    k: int, component: Component, seed: int, state: dict, workdir: _Workdir,
    seen: set[str], workers: int, pool: Any, progress: Callable[[int], Any] | None,
    shard_rows: int, exclude: Exclusion,
) -> None:
    done = Progress(**state["components"][k])
    if done.rows >= component.count:
        return
    buffer: list[dict[str, Any]] = []
    limit = 10 * component.count + EXHAUSTION_SLACK
    index = last_new = done.next_index
    for row in candidate_rows(component, seed, done.next_index, workers, pool, component.count - done.rows):
        index += 1
        keys = row_keys(row)
        if not any(key in seen for key in keys) and not (exclude and exclude.excludes(row)):
            last_new = index
            seen.update(keys)
            buffer.append(row)
            if progress is not None:
                progress(1)
        rows_now = done.rows + len(buffer)
        if len(buffer) >= shard_rows or rows_now >= component.count:
            with workdir.disk_errors("writing shards", pending=buffer):
                workdir.write_shard(k, done.shards, buffer)
                done = Progress(rows_now, index, done.shards + 1)
                state["components"][k] = done.__dict__
                workdir.save(state)
            buffer = []
            if rows_now >= component.count:
                return
        if index >= limit or index - last_new >= EXHAUSTION_SLACK:
            _exhausted(component, done.rows + len(buffer), index, exclude)
    _exhausted(component, done.rows + len(buffer), index, exclude)  # a dataset's rows ran out first


def _exhausted(component: Component, rows: int, tries: int, exclude: Exclusion) -> None:
    excluded = f" not in the excluded {exclude.describe()}" if exclude else ""
    if component.dataset is not None:
        raise GenerationError(
            f"{component.label} has only {rows} distinct rows{excluded} (of {tries}) for a quota of"
            f" {component.count}; lower its weight or -n, or drop --exclude")
    raise GenerationError(
        f"task '{component.task}' at difficulty {component.difficulty} produced only"
        f" {rows} distinct problems{excluded} in {tries} tries; its instance space looks"
        f" exhausted (`synlog tasks show {component.task}` prints its size); ask for fewer"
        " rows or a higher difficulty"
    )


def _assemble(plan: Plan, state: dict, workdir: _Workdir) -> dict[str, pa.Table]:
    parts = [workdir.read_component(k, c["shards"]) for k, c in enumerate(state["components"])]
    if any(component.part for component in plan.components):  # each component feeds one split
        tables = {}
        for split in plan.splits:
            table = concat([part for part, c in zip(parts, plan.components, strict=True) if c.part == split])
            tables[split] = table.take(stream_rng("shuffle", plan.seed, plan.n, split).permutation(table.num_rows))
        return tables
    table = concat(parts)
    if plan.shuffle:
        table = table.take(stream_rng("shuffle", plan.seed, plan.n).permutation(table.num_rows))
    counts = split_counts(table.num_rows, plan.splits)
    if len(counts) == 1:
        return {next(iter(counts)): table}
    order = stream_rng("split", plan.seed, plan.n).permutation(table.num_rows)
    tables, start = {}, 0
    for split, size in counts.items():
        members = sorted(order[start : start + size].tolist())  # keep generation order inside a split
        tables[split] = table.take(pa.array(members, type=pa.int64()))  # [] is no null-typed take
        start += size
    return tables


def _publish(
    tables: dict[str, pa.Table], out: Path, fmt: str, plan: Plan, overwrite: bool, command: str | None,
    exclude: Exclusion,
) -> None:
    """Write the final files into a work folder, then make it ``out`` atomically."""
    staging, _, _ = publish.work_names(out)
    if staging.exists():
        shutil.rmtree(staging)
    try:
        write_split_tables(tables, staging, fmt)
        write_card(staging, tables, plan, fmt, command, excluded=exclude.describe() if exclude else None, path=out)
        publish.publish(staging, out, replace=overwrite)
    except FileExistsError:
        raise OutputError(f"output folder '{out}' appeared during the run; nothing was replaced") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _size(n_bytes: float) -> str:
    """``1234567`` → ``"1.2 MB"``."""
    for unit in ("bytes", "KB", "MB"):
        if n_bytes < 1000:
            return f"{n_bytes:.0f} {unit}" if unit == "bytes" else f"{n_bytes:.1f} {unit}"
        n_bytes /= 1000
    return f"{n_bytes:.1f} GB"
