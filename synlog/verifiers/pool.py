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


def _worker_main(
    conn: Connection, memory_mb: int, config: ExtractConfig, imports: Sequence[str] = ()
) -> None:
    """Worker loop: receive batches of (id, task, problem, completion), stream back verdicts."""
    import importlib
    import resource

    from synlog.tasks.base import all_tasks, get_task
    from synlog.verifiers.score import score

    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ValueError, OSError):
            pass  # the limit stays as inherited; the wall-clock bound still holds
    for module in imports:
        importlib.import_module(module)
    all_tasks()
    last_text: str | None = None
    last_problem: Any = None
    while True:
        try:
            batch = conn.recv()
        except (EOFError, OSError):
            return
        if batch is None:
            return
        for job_id, task_name, problem, completion in batch:
            try:
                if isinstance(problem, str):
                    # pass@k sends the same problem k times in a row: parse it once
                    if problem != last_text:
                        last_text, last_problem = problem, json.loads(problem)
                    problem = last_problem
                verdict = score(get_task(task_name), problem, completion, config)
                payload = verdict.to_dict()
            except Exception as exc:  # noqa: BLE001 - unknown task, bad JSON: report, continue
                payload = Verdict.error(f"{type(exc).__name__}: {exc}"[:500]).to_dict()
            conn.send((job_id, payload))


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
    """

    def __init__(
        self,
        workers: int | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        memory_mb: int = DEFAULT_MEMORY_MB,
        config: ExtractConfig = DEFAULT,
        imports: Sequence[str] = (),
    ) -> None:
        self.imports = tuple(imports)
        self.size = (os.cpu_count() or 1) if workers is None else max(0, int(workers))
        self.timeout = float(timeout)
        self.memory_mb = int(memory_mb)
        self.config = config
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
        if self.size == 0:
            return self._score_inline(jobs, progress)
        with self._lock:
            return self._score_pooled(jobs, progress)

    def score(self, task: str, problem: Any, completion: str) -> Verdict:
        """One verdict, bounded like a batch of one."""
        return self.score_many([(task, problem, completion)])[0]

    def _score_inline(self, jobs: Sequence[Job], progress: Any) -> list[Verdict]:
        from synlog.verifiers.score import score

        out = []
        for task, problem, completion in jobs:
            out.append(score(task, problem, completion, self.config))
            if progress is not None:
                progress.update(1)
        return out

    def _score_pooled(self, jobs: Sequence[Job], progress: Any) -> list[Verdict]:
        results: list[Verdict | None] = [None] * len(jobs)
        pending = deque(range(len(jobs)))
        while len(self._workers) < min(self.size, max(1, len(jobs))):
            self._workers.append(self._spawn())
        per_batch = max(1, min(BATCH, -(-len(jobs) // max(1, len(self._workers) * 4))))
        remaining = len(jobs)
        while remaining:
            now = time.monotonic()
            for worker in self._workers:
                if not worker.outstanding and pending:
                    ids = [pending.popleft() for _ in range(min(per_batch, len(pending)))]
                    batch = [(i, jobs[i][0], jobs[i][1], jobs[i][2]) for i in ids]
                    try:
                        worker.conn.send(batch)
                    except (OSError, ValueError):
                        pending.extendleft(reversed(ids))
                        self._replace(worker)
                        continue
                    worker.outstanding.extend(ids)
                    worker.started = now
            busy = [w for w in self._workers if w.outstanding]
            deadline = min(w.started + self.timeout for w in busy)
            ready = wait([w.conn for w in busy], timeout=max(0.0, deadline - time.monotonic()))
            now = time.monotonic()
            by_conn = {id(w.conn): w for w in busy}
            for conn in ready:
                worker = by_conn[id(conn)]
                try:
                    while conn.poll():
                        job_id, payload = conn.recv()
                        results[job_id] = Verdict.from_dict(payload)
                        worker.outstanding.popleft()
                        worker.started = now
                        remaining -= 1
                        if progress is not None:
                            progress.update(1)
                        if not worker.outstanding:
                            break
                except (EOFError, OSError):
                    # the process died mid-job (killed by the kernel, a native crash)
                    died = Verdict.error("verifier process died (out of memory or crashed)")
                    self._give_up_on_current(worker, died, results, pending, progress)
                    remaining -= 1
            for worker in busy:
                if worker.outstanding and now - worker.started >= self.timeout:
                    self._give_up_on_current(worker, Verdict.timeout(self.timeout), results, pending, progress)
                    remaining -= 1
        return [r if r is not None else Verdict.error("lost result") for r in results]

    def _give_up_on_current(
        self, worker: _Worker, verdict: Verdict, results: list, pending: deque, progress: Any
    ) -> None:
        """Record ``verdict`` for the job ``worker`` is stuck on, requeue its other jobs, replace it."""
        results[worker.outstanding.popleft()] = verdict
        if progress is not None:
            progress.update(1)
        pending.extendleft(reversed(worker.outstanding))
        worker.outstanding.clear()
        self._replace(worker)

    def _replace(self, worker: _Worker) -> None:
        self._kill(worker)
        self._workers[self._workers.index(worker)] = self._spawn()
