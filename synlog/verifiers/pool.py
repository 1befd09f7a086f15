"""Bounded batch verification in worker processes.

Every ``verify`` call runs in a worker process with a wall-clock limit and an address-space
limit. A verifier that hangs is killed and yields a ``timeout`` verdict; one that crashes its
process yields ``error``; either way the batch completes and the pool replaces the worker::

    with VerifierPool(workers=4, timeout=5.0) as pool:
        verdicts = pool.score_many([("sudoku", row["problem"], completion), ...])

How the time limit works without ``signal.alarm`` (which only works on the main thread and
trainers call rewards from threads): the parent sends a worker a batch of jobs; the worker
streams back one result per job as it finishes; the parent knows which job a worker is on and
since when, and kills the worker when that job outlives ``timeout``. The remaining jobs of the
batch go back to the queue. Workers start with the ``forkserver`` method, which is safe to use
from a threaded process. ``score_many`` is thread-safe (calls are serialised by a lock).

``workers=0`` scores in the calling process with no bounds (debugging, benchmarks).

Batch verifiers: a task that defines ``verify_many(problems, answers) -> list[Verdict]``
(e.g. ``lean_proof``: one Lean process checks many proofs, so pass@64 is one cold start, not
64) gets its jobs grouped, up to ``group_size`` per group (same problem next to each other),
and each group is one ``verify_many`` call in one worker, bounded by ``timeout * sqrt(n)``
seconds for a group of n. Verdicts and their order are those of the one-by-one path: answers
are extracted per job exactly as :func:`~synlog.verifiers.score.score` does; if ``verify_many``
raises, or a group times out or kills its worker, its jobs are scored again one by one (which
finds the slow or crashing one and gives it its own ``timeout`` / ``error`` verdict).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from synlog.verifiers.extract import DEFAULT, ExtractConfig
from synlog.verifiers.verdict import Verdict

Job = tuple[str, Any, str]  # (task name, problem JSON or dict, completion)

DEFAULT_TIMEOUT = 10.0
DEFAULT_MEMORY_MB = 4096
BATCH = 64
#: jobs per ``verify_many`` call of a batch-capable task (one Lean process per group)
GROUP = 64


def _load(problem: Any, memo: list) -> Any:
    """The problem as a dict; pass@k sends the same problem text k times in a row: parse it once."""
    if isinstance(problem, str):
        if problem != memo[0]:
            memo[0], memo[1] = problem, json.loads(problem)
        return memo[1]
    return problem


def _score_job(task_name: str, problem: Any, completion: str, config: ExtractConfig, memo: list) -> dict:
    """One job's verdict payload; never raises."""
    from synlog.tasks.base import get_task
    from synlog.verifiers.score import score

    try:
        return score(get_task(task_name), _load(problem, memo), completion, config).to_dict()
    except Exception as exc:  # noqa: BLE001 - unknown task, bad JSON: report, continue
        return Verdict.error(f"{type(exc).__name__}: {exc}"[:500]).to_dict()


def _score_group(task_name: str, items: Sequence[tuple[Any, str]], config: ExtractConfig, memo: list) -> list[dict]:
    """Payloads for (problem, completion) pairs of one task, judged by one ``verify_many`` call.

    Extraction and no-answer verdicts are exactly those of ``score``; anything unexpected
    (bad JSON, ``verify_many`` raising or returning the wrong shape) falls back to the
    one-by-one path, so the verdicts never depend on the batching.
    """
    from synlog.tasks.base import get_task
    from synlog.verifiers.extract import extract

    try:
        task = get_task(task_name)
        problems = [_load(problem, memo) for problem, _ in items]
        found = [extract(completion, config, task.fallback_extract) for _, completion in items]
        picked = [i for i, f in enumerate(found) if f.text is not None]
        results = task.verify_many([dict(problems[i]) for i in picked], [found[i].text for i in picked]) \
            if picked else []
        if len(results) != len(picked) or not all(isinstance(v, Verdict) for v in results):
            raise TypeError("verify_many returned the wrong number or type of verdicts")
    except Exception:  # noqa: BLE001 - the one-by-one path gives each job its own verdict
        return [_score_job(task_name, problem, completion, config, memo) for problem, completion in items]
    out: list[dict | None] = [None] * len(items)
    for i, verdict in zip(picked, results, strict=True):
        verdict.extraction = found[i].mode
        out[i] = verdict.to_dict()
    return [payload if payload is not None else _score_job(task_name, problem, completion, config, memo)
            for payload, (problem, completion) in zip(out, items, strict=True)]


def _score_unit(task_name: str, items: Sequence[tuple[Any, str]], config: ExtractConfig, memo: list) -> list[dict]:
    """Payloads of one work unit: a group (more than one job) is one ``verify_many`` call."""
    if len(items) > 1:
        return _score_group(task_name, items, config, memo)
    return [_score_job(task_name, problem, completion, config, memo) for problem, completion in items]


def problem_text(problem: Any) -> str:
    """The problem as canonical JSON text (as sent to workers; a key for grouping and caching)."""
    return problem if isinstance(problem, str) else json.dumps(problem, sort_keys=True, default=str)


def _worker_main(
    conn: Connection, memory_mb: int, config: ExtractConfig, imports: Sequence[str] = ()
) -> None:
    """Worker loop: receive lists of units ``(unit id, task, [(problem, completion)...])``;
    send back one ``(unit id, [verdict payload...])`` per unit as it finishes."""
    import importlib
    import resource

    from synlog.tasks.base import all_tasks

    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ValueError, OSError):
            pass  # the limit stays as inherited; the wall-clock bound still holds
    for module in imports:
        importlib.import_module(module)
    all_tasks()
    memo: list = [None, None]
    while True:
        try:
            batch = conn.recv()
        except (EOFError, OSError):
            return
        if batch is None:
            return
        for unit_id, task_name, items in batch:
            conn.send((unit_id, _score_unit(task_name, items, config, memo)))


@dataclass
class _Worker:
    process: Any
    conn: Connection
    outstanding: deque = field(default_factory=deque)
    started: float = 0.0


class VerifierPool:
    """A pool of verifier processes with a per-call wall-clock and memory limit.

    workers: processes (default: all cores; 0 scores in-process without bounds).
    timeout: wall-clock seconds one verify call (extraction included) may take.
    memory_mb: address-space limit of each worker (0: inherit).
    config: how answers are extracted from completions.
    imports: extra modules each worker imports, so tasks registered outside synlog are known.
    group_size: most jobs per ``verify_many`` call for tasks that have one (see the module doc).
    """

    def __init__(
        self,
        workers: int | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        memory_mb: int = DEFAULT_MEMORY_MB,
        config: ExtractConfig = DEFAULT,
        imports: Sequence[str] = (),
        group_size: int = GROUP,
    ) -> None:
        self.imports = tuple(imports)
        self.size = (os.cpu_count() or 1) if workers is None else max(0, int(workers))
        self.timeout = float(timeout)
        self.memory_mb = int(memory_mb)
        self.config = config
        self.group_size = max(1, int(group_size))
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._context = mp.get_context("forkserver")
        self._context.set_forkserver_preload(["synlog.verifiers.score"])

    # lifecycle -----------------------------------------------------------------------
    def __enter__(self) -> VerifierPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_worker_main, args=(child, self.memory_mb, self.config, self.imports), daemon=True
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def _kill(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            for worker in self._workers:
                try:
                    worker.conn.send(None)
                except (OSError, ValueError):
                    pass
            for worker in self._workers:
                worker.process.join(timeout=2)
                if worker.process.is_alive():
                    self._kill(worker)
                else:
                    worker.conn.close()
            self._workers = []

    # scoring -------------------------------------------------------------------------
    def score_many(self, jobs: Iterable[Job], progress: Any = None) -> list[Verdict]:
        """Verdicts for ``(task, problem, completion)`` jobs, in the order given."""
        jobs = list(jobs)
        units = self._units(jobs)
        if self.size == 0:
            return self._score_inline(jobs, units, progress)
        with self._lock:
            return self._score_pooled(jobs, units, progress)

    def score(self, task: str, problem: Any, completion: str) -> Verdict:
        """One verdict, bounded like a batch of one."""
        return self.score_many([(task, problem, completion)])[0]

    def _units(self, jobs: Sequence[Job]) -> list[list[int]]:
        """Work units (lists of job indices): one job each, except for the jobs of a task with
        ``verify_many``, which go in groups of up to ``group_size`` (same problem together).
        A unit of more than one job is scored by one ``verify_many`` call."""
        from synlog.tasks.base import get_task

        batched: dict[str, bool] = {}
        groups: dict[str, list[int]] = {}
        units: list[list[int]] = []
        for i, (task, _, _) in enumerate(jobs):
            if task not in batched:
                try:
                    batched[task] = callable(getattr(get_task(task), "verify_many", None))
                except Exception:  # noqa: BLE001 - unknown here (maybe known to workers): one by one
                    batched[task] = False
            if batched[task]:
                groups.setdefault(task, []).append(i)
            else:
                units.append([i])
        for ids in groups.values():
            ids.sort(key=lambda i: problem_text(jobs[i][1]))  # stable: pass@k samples stay in order
            units.extend(ids[start:start + self.group_size] for start in range(0, len(ids), self.group_size))
        units.sort(key=min)
        return units

    def _limit(self, unit: list[int]) -> float:
        """Wall-clock seconds a unit may take: a group of n shares one start, so sqrt(n) x timeout."""
        return self.timeout * len(unit) ** 0.5

    def _score_inline(self, jobs: Sequence[Job], units: list[list[int]], progress: Any) -> list[Verdict]:
        results: list[Verdict | None] = [None] * len(jobs)
        memo: list = [None, None]
        for ids in units:
            payloads = _score_unit(jobs[ids[0]][0], [(jobs[i][1], jobs[i][2]) for i in ids], self.config, memo)
            for i, payload in zip(ids, payloads, strict=True):
                results[i] = Verdict.from_dict(payload)
            if progress is not None:
                progress.update(len(ids))
        return [r if r is not None else Verdict.error("lost result") for r in results]

    def _score_pooled(self, jobs: Sequence[Job], units: list[list[int]], progress: Any) -> list[Verdict]:
        results: list[Verdict | None] = [None] * len(jobs)
        pending = deque(range(len(units)))
        while len(self._workers) < min(self.size, max(1, len(units))):
            self._workers.append(self._spawn())
        per_batch = max(1, min(BATCH, -(-len(units) // max(1, len(self._workers) * 4))))
        remaining = len(units)
        while remaining:
            now = time.monotonic()
            for worker in self._workers:
                if not worker.outstanding and pending:
                    ids = [pending.popleft() for _ in range(min(per_batch, len(pending)))]
                    batch = [(u, jobs[units[u][0]][0], [(jobs[i][1], jobs[i][2]) for i in units[u]]) for u in ids]
                    try:
                        worker.conn.send(batch)
                    except (OSError, ValueError):
                        pending.extendleft(reversed(ids))
                        self._replace(worker)
                        continue
                    worker.outstanding.extend(ids)
                    worker.started = now
            busy = [w for w in self._workers if w.outstanding]
            deadline = min(w.started + self._limit(units[w.outstanding[0]]) for w in busy)
            ready = wait([w.conn for w in busy], timeout=max(0.0, deadline - time.monotonic()))
            now = time.monotonic()
            by_conn = {id(w.conn): w for w in busy}
            for conn in ready:
                worker = by_conn[id(conn)]
                try:
                    while conn.poll():
                        unit_id, payloads = conn.recv()
                        for i, payload in zip(units[unit_id], payloads, strict=True):
                            results[i] = Verdict.from_dict(payload)
                        worker.outstanding.popleft()
                        worker.started = now
                        remaining -= 1
                        if progress is not None:
                            progress.update(len(payloads))
                        if not worker.outstanding:
                            break
                except (EOFError, OSError):
                    # the process died mid-job (killed by the kernel, a native crash)
                    died = Verdict.error("verifier process died (out of memory or crashed)")
                    remaining += self._give_up_on_current(worker, died, units, results, pending, progress)
            for worker in busy:
                if worker.outstanding and now - worker.started >= self._limit(units[worker.outstanding[0]]):
                    remaining += self._give_up_on_current(
                        worker, Verdict.timeout(self.timeout), units, results, pending, progress)
        return [r if r is not None else Verdict.error("lost result") for r in results]

    def _give_up_on_current(
        self, worker: _Worker, verdict: Verdict, units: list, results: list, pending: deque, progress: Any
    ) -> int:
        """The unit ``worker`` is stuck on: a single job gets ``verdict``; a group is split into
        single jobs scored again (to find the slow one). Requeue the worker's other units,
        replace it, and return the change in the number of units left to finish."""
        current = worker.outstanding.popleft()
        pending.extendleft(reversed(worker.outstanding))
        worker.outstanding.clear()
        self._replace(worker)
        ids = units[current]
        if len(ids) > 1:
            first = len(units)
            units.extend([i] for i in ids)
            pending.extendleft(reversed(range(first, len(units))))
            return len(ids) - 1
        results[ids[0]] = verdict
        if progress is not None:
            progress.update(1)
        return -1

    def _replace(self, worker: _Worker) -> None:
        self._kill(worker)
        self._workers[self._workers.index(worker)] = self._spawn()
