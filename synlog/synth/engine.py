"""The generation engine: parallel, deduplicated, resumable, atomic, in bounded memory.

``run(plan, out, ...)`` fills each component's quota from its candidate stream (example
indices 0, 1, 2, …; each a pure function of task, params, seed and index), dropping candidates
whose fingerprint was already produced. The result does not depend on ``workers``.

The main process is a coordinator, not a funnel. Candidate indices are cut into *ranges* (at
most ``shard_rows`` each); a worker builds a range's rows, writes them as its own parquet
shard and sends back only their 16-byte problem keys. The coordinator takes the ranges in
index order, keeps a candidate when none of its keys was kept before (the dedup index of
:mod:`synlog.synth.dedup`, bounded in RAM) and records which rows of the shard it kept in a
small ``.keep.npy`` file beside it. Rows never pass through the coordinator, so it spends
microseconds per row however heavy the rows are.

On disk, a run works in ``<out>.partial/``: the shards, their keep files and ``state.json``
(the plan and how far each component got), replaced atomically after each range.
``resume=True`` continues from there. Only when every row exists are the final files written
(streamed, a 50,000-row block at a time, by :mod:`synlog.synth.assemble`) into a temporary
folder that becomes ``<out>`` in one atomic step (:mod:`synlog.synth.publish`), so an
interrupted run never leaves a half dataset, and the next run repairs what a crash while
publishing left.

A full disk (or any other failure to write) is a one-line :class:`OutputError` naming the
folder; for a full disk it estimates the space still needed, and ``--resume`` continues once
space is freed (nothing half-written is kept: shards and state are replaced atomically).
"""

from __future__ import annotations

import errno
import json
import multiprocessing as mp
import os
import re
import shutil
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from synlog.datasets_out.io import FORMATS, check_output_folder, read_dataset
from synlog.datasets_out.schema import COLUMNS, PROVENANCE_FIELDS, rows_to_table
from synlog.errors import DiskFullError, GenerationError, OutputError, SynlogError
from synlog.synth import publish
from synlog.synth.decontaminate import Exclusion
from synlog.synth.dedup import FingerprintIndex, key_of
from synlog.synth.example import has_inner_problems, make_row, row_keys
from synlog.synth.plan import Component, Plan, dataset_rows
from synlog.synth.seeding import digest, stream_rng

#: the most candidates in one range (a worker's unit of work, one shard on disk)
SHARD_ROWS = 2_000
#: a component is declared exhausted after this many candidates beyond (10 × its quota), or
#: after this many candidates in a row that gave nothing new
EXHAUSTION_SLACK = 2_000
#: the layout of ``<out>.partial``; a folder of another layout is refused, not misread
STATE_FORMAT = 2


@dataclass
class Progress:
    """Where one component stands: rows kept, the next candidate index to try and the
    ranges (shards) finished."""

    rows: int = 0
    next_index: int = 0
    shards: int = 0


@dataclass(frozen=True)
class RangeJob:
    """Candidates ``start`` … ``stop - 1`` of component ``component``, written as the shard
    ``name`` of the store at ``shards`` (a folder or a ``pyarrow.fs`` URI, see :class:`ShardStore`)."""

    component: int
    number: int
    task: str
    level: int
    spec: dict[str, Any]
    seed: int
    start: int
    stop: int
    shards: str
    name: str


@dataclass
class RangeResult:
    """What a worker sends back for a range: per candidate its problem keys and whether the
    exclusion (decontamination) drops it. The rows themselves stay in the shard."""

    number: int
    start: int
    keys: list[list[bytes]]
    excluded: list[bool] = field(default_factory=list)


#: the exclusion of the run, set once in each worker process (see :func:`_init_worker`)
_WORKER_EXCLUSION: Exclusion | None = None


def _init_worker(exclude: Exclusion | None) -> None:
    global _WORKER_EXCLUSION
    _WORKER_EXCLUSION = exclude


def build_range(job: RangeJob, exclude: Exclusion | None = None) -> RangeResult:
    """Build a range's rows, write them as one shard (atomically) and return their keys."""
    rows = [make_row(job.task, job.level, job.spec, job.seed, i) for i in range(job.start, job.stop)]
    return write_range(rows, job.number, job.start, ShardStore.at(job.shards), job.name,
                       exclude or _WORKER_EXCLUSION)


def write_range(rows: list[dict[str, Any]], number: int, start: int, store: ShardStore, name: str,
                exclude: Exclusion | None) -> RangeResult:
    store.write(name, rows_to_table(rows))
    keys = [[key_of(key) for key in row_keys(row)] for row in rows]
    excluded = [exclude.excludes(row) for row in rows] if exclude else [False] * len(rows)
    return RangeResult(number, start, keys, excluded)


class ShardStore:
    """Where a run's shards live: a local folder, or any file system ``pyarrow.fs`` reaches by
    URI (``s3://bucket/prefix``, ``gs://…``, ``hdfs://…``, ``file:///shared/…``), so that workers
    on other machines can write them and the coordinator can read them back.

    A shard is written under a temporary name and then moved to its own (one rename on a
    local or HDFS file system; on an object store a copy that appears whole or not at all), so a
    reader never sees half of one, and a range built twice (a retried task) writes the same
    bytes twice."""

    _cache: dict[str, ShardStore] = {}

    def __init__(self, location: str):
        from pyarrow import fs

        self.location = location
        if "://" in location:
            try:
                self.fs, self.base = fs.FileSystem.from_uri(location)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError) as exc:
                raise OutputError(f"cannot open the shard store '{location}': {exc}") from None
        else:
            self.fs, self.base = fs.LocalFileSystem(), str(Path(location).absolute())

    @classmethod
    def at(cls, location: str) -> ShardStore:
        """The store at ``location``, opened once per process (a worker writes many shards)."""
        if location not in cls._cache:
            cls._cache[location] = cls(location)
        return cls._cache[location]

    def path(self, name: str) -> str:
        return f"{self.base.rstrip('/')}/{name}"

    def create(self) -> None:
        self.fs.create_dir(self.base, recursive=True)

    def write(self, name: str, table: pa.Table) -> None:
        final = self.path(name)
        tmp = f"{final}.{os.getpid()}.tmp"
        try:
            pq.write_table(table, tmp, filesystem=self.fs)
            self.fs.move(tmp, final)
        except BaseException:
            try:
                self.fs.delete_file(tmp)
            except OSError:
                pass
            raise

    def read(self, name: str, columns: list[str] | None = None) -> pa.Table:
        return pq.read_table(self.path(name), columns=columns, filesystem=self.fs)

    def schema(self, name: str) -> pa.Schema:
        return pq.read_schema(self.path(name), filesystem=self.fs)

    def files(self) -> dict[str, int]:
        """Every file in the store: name → size in bytes."""
        from pyarrow import fs

        infos = self.fs.get_file_info(fs.FileSelector(self.base, allow_not_found=True))
        return {info.base_name: info.size or 0 for info in infos if info.type == fs.FileType.File}

    def delete(self, name: str) -> None:
        try:
            self.fs.delete_file(self.path(name))
        except FileNotFoundError:
            pass

    def clear(self) -> None:
        """Remove the store's folder and everything in it."""
        try:
            self.fs.delete_dir(self.base)
        except OSError:  # already gone
            pass


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

    def __init__(self, out: Path, n_rows: int = 0, fmt: str = "parquet", shards: str | None = None):
        self.out = out
        self.path = out.with_name(out.name + ".partial")
        self.state_file = self.path / "state.json"
        self.n_rows, self.fmt = n_rows, fmt
        #: the shards: in this folder, unless the run keeps them elsewhere (``--shards URI``)
        self.shards = ShardStore(shards or str(self.path))

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
        try:
            written = sum(size for name, size in self.shards.files().items() if name.endswith(".parquet"))
        except OSError:
            written = 0
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

    @staticmethod
    def shard_name(component: int, shard: int) -> str:
        return f"c{component:04d}-{shard:06d}.parquet"

    def shard_schema(self, component: int, shard: int) -> pa.Schema:
        return self.shards.schema(self.shard_name(component, shard))

    def keep_path(self, component: int, shard: int) -> Path:
        return self.path / f"c{component:04d}-{shard:06d}.keep.npy"

    def write_keep(self, component: int, shard: int, offsets: list[int]) -> None:
        """Record which rows of a finished range's shard the run keeps (their positions)."""
        final = self.keep_path(component, shard)
        tmp = final.with_name(final.name + ".tmp")

        def write() -> None:
            with open(tmp, "wb") as out:
                np.save(out, np.asarray(offsets, dtype=np.int32))
        _write_then_replace(tmp, final, write)

    def kept(self, component: int, shard: int, columns: list[str] | None = None) -> pa.Table:
        """The rows a finished range kept, in index order."""
        table = self.shards.read(self.shard_name(component, shard), columns)
        return table.take(pa.array(np.load(self.keep_path(component, shard)), type=pa.int32()))

    def discard_unfinished(self, state: dict[str, Any]) -> None:
        """Remove what no finished range owns: half-written files, and the shards of ranges a
        killed run had started (or built ahead) but not finished."""
        finished = [int(c["shards"]) for c in state["components"]]

        def unowned(name: str) -> bool:
            match = re.fullmatch(r"c(\d{4})-(\d{6})\.(parquet|keep\.npy)", name)
            return name.endswith(".tmp") or bool(match) and (
                int(match[1]) >= len(finished) or int(match[2]) >= finished[int(match[1])])

        for file in self.path.iterdir():
            if unowned(file.name):
                file.unlink(missing_ok=True)
        if self.shards.base != str(self.path.absolute()):
            for name in self.shards.files():
                if unowned(name):
                    self.shards.delete(name)


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


class Generated(Mapping[str, pa.Table]):
    """What :func:`run` wrote: ``rows`` per split at once, and each split's table read back
    from the output folder when asked for (a run of millions of rows is never held whole)."""

    def __init__(self, out: Path, rows: dict[str, int]):
        self.out, self.rows = out, rows
        self._tables: dict[str, pa.Table] | None = None

    def __getitem__(self, split: str) -> pa.Table:
        if split not in self.rows:
            raise KeyError(split)
        if self._tables is None:
            self._tables = read_dataset(self.out)
        return self._tables[split]

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


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
    memory_keys: int | None = None,
    engine: str = "local",
    address: str | None = None,
    shards: str | None = None,
) -> Generated:
    """Generate ``plan`` into the folder ``out``; return the split tables written (read back
    lazily; ``.rows`` gives the row counts).

    ``exclude`` (see :mod:`synlog.synth.decontaminate`) drops every candidate whose problem or
    prompt occurs in the excluded datasets, as dedup drops repeats. ``chat`` adds a
    ``messages`` column (the prompt as chat messages, after ``system_prompt`` when given).
    ``shard_rows`` bounds a range (candidates per worker task and shard); ``memory_keys``
    bounds the dedup keys held in RAM (:data:`synlog.synth.dedup.MEMORY_KEYS`).

    ``engine="ray"`` runs the ranges as Ray tasks (:mod:`synlog.synth.ray_engine`) on the
    cluster at ``address`` (default: the one this process joined, else a new local one of
    ``workers`` CPUs); the rows are the local engine's. ``shards`` keeps the shards in a
    ``pyarrow.fs`` URI (``s3://bucket/prefix``) or folder every worker reaches instead of in
    ``<out>.partial``.
    """
    from synlog.synth import assemble

    if fmt not in FORMATS:
        raise SynlogError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    if engine not in ("local", "ray"):
        raise SynlogError(f"unknown engine '{engine}'; choose local or ray")
    out = Path(out)
    check_output(out, overwrite, resume)
    workers = (os.cpu_count() or 1) if workers is None else max(1, workers)
    workdir = _Workdir(out, plan.n, fmt, shards)
    exclude = exclude or Exclusion()
    # connected before any folder is made: a cluster that cannot be reached leaves nothing behind
    with _cluster(engine, address, workers) as connection:
        state = _open_state(workdir, plan, exclude, shards, resume)
        with workdir.disk_errors("reading the interrupted run's shards"):
            workdir.shards.create()
            workdir.discard_unfinished(state)
            seen = FingerprintIndex(workdir.path / "dedup", **({"memory_keys": memory_keys} if memory_keys else {}))
            _rebuild_index(seen, state, workdir)
        if progress is not None:
            progress(sum(c["rows"] for c in state["components"]))

        pool: Any = None
        if connection is not None:
            from synlog.synth.ray_engine import RayRanges

            pool = RayRanges(connection, exclude or None, state.setdefault("retried", []))
            workers = pool.workers
        elif workers > 1 and plan.n > 64:
            pool = mp.get_context("forkserver").Pool(workers, initializer=_init_worker, initargs=(exclude or None,))
        try:
            for k, component in enumerate(plan.components):
                _Filler(k, component, plan.seed, state, workdir, seen, workers, pool, progress,
                        max(1, shard_rows), exclude).fill()
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()
    del seen  # the dedup index (up to MEMORY_KEYS keys in RAM) is not needed to write the output
    with workdir.disk_errors("writing the dataset"):
        workdir.discard_unfinished(state)
        shutil.rmtree(workdir.path / "dedup", ignore_errors=True)
        record = {"engine": engine, "workers": workers, "shards": shards,
                  "ranges": sum(c["shards"] for c in state["components"]),
                  "retried": state.get("retried", [])} if engine != "local" or shards else None
        rows = assemble.publish_run(plan, state, workdir, out, fmt, overwrite=overwrite, command=command,
                                    exclude=exclude, chat=chat, system_prompt=system_prompt, record=record)
    if shards:
        workdir.shards.clear()
    shutil.rmtree(workdir.path, ignore_errors=True)
    return Generated(out, rows)


@contextmanager
def _cluster(engine: str, address: str | None, workers: int) -> Iterator[tuple[Any, bool] | None]:
    """The Ray connection of a ``ray`` run (shut down at the end if this run started it), or
    ``None`` for the local engine."""
    if engine != "ray":
        yield None
        return
    from synlog.synth import ray_engine

    connection = ray_engine.connect(address, workers)
    try:
        yield connection
    finally:
        if connection[1]:
            connection[0].shutdown()


def _open_state(workdir: _Workdir, plan: Plan, exclude: Exclusion, shards: str | None, resume: bool) -> dict:
    """The state of the run: the interrupted one's (``resume``, with the same options), or a new
    one in a fresh ``<out>.partial``."""
    plan_json = plan.to_json()
    plan_key = digest([plan_json, exclude.key()]) if exclude else digest(plan_json)
    if not (workdir.exists() and resume):
        with workdir.disk_errors("starting the run"):
            if workdir.path.exists():
                shutil.rmtree(workdir.path)
            workdir.path.mkdir(parents=True)
            state = {"format": STATE_FORMAT, "plan_key": plan_key, "plan": plan_json, "shards": shards,
                     "components": [Progress().__dict__ for _ in plan.components], "retried": []}
            workdir.save(state)
        return state
    state = workdir.load()
    if state.get("plan_key") != plan_key:
        raise OutputError(
            f"'{workdir.path}' belongs to a run with other options; rerun with the same"
            " options to resume, or pass --overwrite to start again"
        )
    if state.get("format") != STATE_FORMAT:
        raise OutputError(
            f"'{workdir.path}' was left by an older synlog and cannot be resumed;"
            " pass --overwrite to start the run again"
        )
    if state.get("shards") != shards:
        kept = state.get("shards")
        raise OutputError(
            f"'{workdir.path}' keeps its shards in {kept}; rerun with --shards {kept} to resume it" if kept
            else f"'{workdir.path}' keeps its shards in itself; rerun without --shards to resume it"
        )
    return state


def _rebuild_index(seen: FingerprintIndex, state: dict, workdir: _Workdir) -> None:
    """Put the keys of every row an interrupted run kept back into the dedup index."""
    for k, done in enumerate(state["components"]):
        for shard in range(done["shards"]):
            table = workdir.kept(k, shard, ["task", "problem", "fingerprint"])
            if any(has_inner_problems(task) for task in set(table.column("task").to_pylist())):
                seen.update(key_of(key) for row in table.to_pylist() for key in row_keys(row))
            else:
                seen.update(map(key_of, table.column("fingerprint").to_pylist()))
    seen.settle()


class _Filler:
    """Fills one component's quota: hands ranges to the workers (or builds them here with no
    pool), takes their results in index order and keeps what is new."""

    def __init__(self, k: int, component: Component, seed: int, state: dict, workdir: _Workdir,
                 seen: FingerprintIndex, workers: int, pool: Any, progress: Callable[[int], Any] | None,
                 range_rows: int, exclude: Exclusion):
        self.k, self.component, self.seed, self.state, self.workdir = k, component, seed, state, workdir
        self.seen, self.workers, self.pool, self.progress = seen, workers, pool, progress
        self.range_rows, self.exclude = range_rows, exclude
        self.done = Progress(**state["components"][k])

    def fill(self) -> None:
        component, done = self.component, self.done
        if done.rows >= component.count:
            return
        limit = 10 * component.count + EXHAUSTION_SLACK
        index = last_new = done.next_index
        seen = self.seen
        for result in self._results():
            seen.prefetch(key for keys in result.keys for key in keys)
            kept: list[int] = []
            full = False
            for offset, (keys, excluded) in enumerate(zip(result.keys, result.excluded, strict=True)):
                index = result.start + offset + 1
                if not excluded and not any(key in seen for key in keys):
                    last_new = index
                    for key in keys:
                        seen.add(key)
                    kept.append(offset)
                    if done.rows + len(kept) >= component.count:
                        full = True
                        break
                if index >= limit or index - last_new >= EXHAUSTION_SLACK:
                    _exhausted(component, done.rows + len(kept), index, self.exclude)
            if self.progress is not None:
                self.progress(len(kept))  # before the save: an interrupt here loses this range only
            with self.workdir.disk_errors("writing shards"):
                self.workdir.write_keep(self.k, result.number, kept)
                done = self.done = Progress(done.rows + len(kept), index, done.shards + 1)
                self.state["components"][self.k] = done.__dict__
                self.workdir.save(self.state)
            seen.settle()
            if full:
                return
        _exhausted(component, done.rows, index, self.exclude)  # a dataset's rows ran out first

    def _size(self) -> int:
        """Candidates for the next range: an even share of what is still needed, between 16
        and ``range_rows``."""
        need = self.component.count - self.done.rows
        return min(self.range_rows, max(16, -(-need // self.workers)))

    def _results(self) -> Iterator[RangeResult]:
        """Range results in index order, from the next candidate index on."""
        if self.component.dataset is not None:
            yield from self._dataset_ranges()
            return
        component = self.component
        spec = component.spec()
        number, start = self.done.shards, self.done.next_index

        def job(size: int) -> RangeJob:
            return RangeJob(self.k, number, component.task, component.difficulty, spec, self.seed,
                            start, start + size, self.workdir.shards.location, self.workdir.shard_name(self.k, number))

        if self.pool is None:
            while True:
                size = self._size()
                with self.workdir.disk_errors("writing shards"):
                    result = build_range(job(size), self.exclude or None)
                yield result
                number, start = number + 1, start + size
        # keep every worker busy: two ranges each in flight, as long as what is in flight could
        # still be needed (a quarter more than the quota's rest, for duplicates)
        in_flight: deque[tuple[Any, int]] = deque()
        ahead = 0
        while True:
            need = self.component.count - self.done.rows
            while len(in_flight) < 2 * self.workers and (not in_flight or ahead < 1.25 * need + 16 * self.workers):
                size = self._size()
                in_flight.append((self.pool.apply_async(build_range, (job(size),)), size))
                number, start, ahead = number + 1, start + size, ahead + size
            pending, size = in_flight.popleft()
            ahead -= size
            with self.workdir.disk_errors("writing shards"):
                result = pending.get()
            yield result

    def _dataset_ranges(self) -> Iterator[RangeResult]:
        """A dataset component's rows, cut into ranges and written here (a finite stream)."""
        rows = dataset_candidates(self.component, self.seed, self.done.next_index)
        number, start = self.done.shards, self.done.next_index
        while batch := list(islice(rows, self.range_rows)):
            with self.workdir.disk_errors("writing shards", pending=batch):
                result = write_range(batch, number, start, self.workdir.shards,
                                     self.workdir.shard_name(self.k, number), self.exclude or None)
            yield result
            number, start = number + 1, start + len(batch)


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


def _size(n_bytes: float) -> str:
    """``1234567`` → ``"1.2 MB"``."""
    for unit in ("bytes", "KB", "MB"):
        if n_bytes < 1000:
            return f"{n_bytes:.0f} {unit}" if unit == "bytes" else f"{n_bytes:.1f} {unit}"
        n_bytes /= 1000
    return f"{n_bytes:.1f} GB"
