"""Bounded batch verification in worker processes.

Every ``verify`` call runs in a worker process with a wall-clock limit and an address-space
limit. A verifier that hangs is killed and yields a ``timeout`` verdict; one that crashes its
process is tried once more on a fresh worker and then yields ``error``; either way the batch
completes and the pool replaces the worker::

    with VerifierPool(workers=4, timeout=5.0) as pool:
        verdicts = pool.score_many([("sudoku", row["problem"], completion), ...])

Workers are fresh interpreters, ``python -m synlog.verifiers._pool_worker`` (see that module for
the protocol), never forks or re-imports of the caller's ``__main__``: a script without an
``if __name__ == "__main__":`` guard, or one piped to ``python -``, works like any other.

What is guaranteed, also on a loaded machine:

- **a verdict for every job, in the order given** (``score_many`` is thread-safe: calls are
  serialised by a lock), or an exception, never a silent 0. A job no task can judge (an
  unknown task, a problem that is not a JSON object, bad problem JSON) raises
  :class:`~synlog.errors.UnscorableError` naming the job and the fix (``strict=False`` puts the
  error in that job's place instead). Infrastructure that fails (no worker can start; workers
  that keep dying whatever they run) raises :class:`~synlog.errors.ScoringError`.
- **the time limit charges only the job.** A worker reports ready after importing every task
  (1–3 s; more under load) and only then gets jobs; a job's clock starts when it is handed to a
  ready worker (or when the worker finished the job before it), never during a start-up. The
  replacement of a killed worker starts in the background while the other workers go on.
  How the limit works without ``signal.alarm`` (main thread only; trainers call rewards from
  threads): the parent knows which job each worker is on and since when, and kills the worker
  when that job outlives ``timeout``; the worker's other jobs go back to the queue.
- **a killed job leaves nothing behind.** Each worker has a private temporary directory
  (``TMPDIR``, ``tempfile.tempdir``, the sandbox's work dirs); killing a worker kills its whole
  process tree (sandboxed programs included), then removes that directory.

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
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from synlog.errors import ScoringError, UnknownTaskError, UnscorableError, WorkerStartError
from synlog.verifiers.extract import DEFAULT, ExtractConfig
from synlog.verifiers.verdict import Verdict

Job = tuple[str, Any, str]  # (task name, problem JSON or dict, completion)

DEFAULT_TIMEOUT = 10.0
DEFAULT_MEMORY_MB = 4096
BATCH = 64
#: jobs per ``verify_many`` call of a batch-capable task (one Lean process per group)
GROUP = 64
#: seconds a worker may take to import every task and report ready (generous: a loaded machine)
START_TIMEOUT = 120.0
#: workers in a row that fail to start, with none getting ready in between, before we give up
MAX_START_FAILURES = 3
#: times one job may kill its worker before it gets an ``error`` verdict
MAX_JOB_DEATHS = 2
#: worker deaths in a row, with no job finishing in between, before the pool gives up
MAX_DEATHS_IN_A_ROW = 6
WORKER_MODULE = "synlog.verifiers._pool_worker"
TMP_PREFIX = "synlog-pool-"


# scoring one unit (in a worker, or in-process for workers=0) ------------------------------------
def _problem(task_name: str, problem: Any, memo: list) -> dict:
    """The problem as a dict, or UnscorableError; pass@k sends the same problem text k times
    in a row, so the last one parsed is kept."""
    from synlog.verifiers.score import load_problem

    if isinstance(problem, str):
        if problem != memo[0]:
            memo[0], memo[1] = problem, load_problem(task_name, problem)
        return memo[1]
    return load_problem(task_name, problem)


def _task(task_name: str) -> Any:
    from synlog.tasks.base import get_task

    try:
        return get_task(task_name)
    except UnknownTaskError as exc:
        raise UnscorableError(
            f"{exc} (a task defined outside synlog: pass its module in VerifierPool(imports=...))") from None


def _score_job(task_name: str, problem: Any, completion: str, config: ExtractConfig, memo: list) -> dict:
    """One job's payload: a verdict dict, or ``{"bad": why}`` when no task can judge it."""
    from synlog.verifiers.score import score

    try:
        task, data = _task(task_name), _problem(task_name, problem, memo)
    except UnscorableError as exc:
        return {"bad": str(exc)}
    try:
        return score(task, data, completion, config).to_dict()
    except Exception as exc:  # noqa: BLE001 - score() already contains verifiers; this is a bug
        return Verdict.error(f"scoring raised {type(exc).__name__}: {exc}"[:500]).to_dict()


def _score_group(task_name: str, items: Sequence[tuple[Any, str]], config: ExtractConfig, memo: list) -> list[dict]:
    """Payloads for (problem, completion) pairs of one task, judged by one ``verify_many`` call.

    Extraction and no-answer verdicts are exactly those of ``score``; anything unexpected
    (bad JSON, ``verify_many`` raising or returning the wrong shape) falls back to the
    one-by-one path, so the verdicts never depend on the batching.
    """
    from synlog.verifiers.extract import extract

    try:
        task = _task(task_name)
        problems = [_problem(task_name, problem, memo) for problem, _ in items]
        found = [extract(completion, config, task.fallback_extract) for _, completion in items]
        picked = [i for i, f in enumerate(found) if f.text is not None and f.mode != "too_long"]
        results = task.verify_many([problems[i] for i in picked], [found[i].text for i in picked]) \
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


def score_unit(task_name: str, items: Sequence[tuple[Any, str]], config: ExtractConfig, memo: list) -> list[dict]:
    """Payloads of one work unit: a group (more than one job) is one ``verify_many`` call."""
    if len(items) > 1:
        return _score_group(task_name, items, config, memo)
    return [_score_job(task_name, problem, completion, config, memo) for problem, completion in items]


def problem_text(problem: Any) -> str:
    """The problem as canonical JSON text (a key for grouping and caching)."""
    return problem if isinstance(problem, str) else json.dumps(problem, sort_keys=True, default=str)


def raise_unscorable(results: Sequence[Any]) -> None:
    """Raise the first job no task can judge (``strict`` scoring), naming how many more."""
    bad = [r for r in results if isinstance(r, UnscorableError)]
    if bad:
        more = f" (and {len(bad) - 1} more jobs)" if len(bad) > 1 else ""
        raise UnscorableError(f"{bad[0]}{more}", bad[0].index)


def check_job(index: int, job: Any) -> UnscorableError | None:
    """What is wrong with a job's shape, before any worker sees it."""
    if not isinstance(job, (tuple, list)) or len(job) != 3:
        return UnscorableError(f"job {index} is not a (task, problem, completion) triple", index)
    task, problem, completion = job
    if not isinstance(task, str) or not task:
        return UnscorableError(f"job {index} has no task name (got {task!r}); is this row synlog's? "
                               "synlog rows carry `task` and `problem` columns", index)
    if not isinstance(problem, (str, Mapping)):
        return UnscorableError(f"job {index} (task '{task}'): the problem is a {type(problem).__name__}, "
                               "not a JSON object or its text; pass the row's `problem` column", index)
    if not isinstance(completion, str):
        return UnscorableError(f"job {index} (task '{task}'): the completion is a "
                               f"{type(completion).__name__}, not a string", index)
    return None


# worker processes -------------------------------------------------------------------------------
@dataclass
class _Worker:
    proc: subprocess.Popen
    conn: Connection
    tmpdir: str
    spawned: float
    ready: bool = False
    outstanding: deque = field(default_factory=deque)
    started: float = 0.0  # when the job at outstanding[0] was handed over (or its predecessor ended)
    failure: str = ""  # what a worker that could not start said (its traceback)
    warmed: set = field(default_factory=set)  # tasks whose warm_up this worker has run or is running
    warming: bool = False  # between handing over a batch with new tasks and their "warmed"


def _children_by_parent() -> dict[int, list[int]]:
    """Every process's children, from /proc (empty where there is no /proc)."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return children
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def _descendants(pid: int) -> set[int]:
    children, found, todo = _children_by_parent(), set(), [pid]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] in (b"Z", b"X")
    except (OSError, IndexError):
        return True


def _kill_tree(proc: subprocess.Popen) -> None:
    """Kill a worker and every process below it (sandboxed programs run in sessions of their
    own, so a process-group kill would miss them): freeze the tree so nothing forks away, kill
    it, and wait until it is gone, so its files can be removed."""
    _signal(proc.pid, signal.SIGSTOP)
    frozen: set[int] = set()
    for _ in range(8):
        fresh = _descendants(proc.pid) - frozen
        if not fresh:
            break
        for pid in fresh:
            _signal(pid, signal.SIGSTOP)
        frozen |= fresh
    for pid in frozen:
        _signal(pid, signal.SIGKILL)
    proc.kill()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    deadline = time.monotonic() + 5
    while frozen and time.monotonic() < deadline:
        frozen = {pid for pid in frozen if not _gone(pid)}
        if frozen:
            time.sleep(0.01)


def _retire(workers: list[_Worker], kill: bool) -> None:
    """Stop workers (politely unless ``kill``), then remove their temporary directories."""
    if not kill:
        for worker in workers:
            try:
                worker.conn.send(None)
            except (OSError, ValueError):
                pass
    for worker in workers:
        if not kill:
            try:
                worker.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        if kill or worker.proc.poll() is None:
            _kill_tree(worker.proc)
        worker.conn.close()
        shutil.rmtree(worker.tmpdir, ignore_errors=True)


def _shutdown(workers: list[_Worker], owner: int) -> None:
    """The finalizer of a pool that was not closed (garbage-collected, or at interpreter exit).
    A forked child of the owner leaves the owner's workers alone."""
    if os.getpid() == owner:
        _retire(list(workers), kill=False)
        workers.clear()


def _tmp_parent() -> str | None:
    """Where workers' private dirs go: beside the sandbox's work dirs (outside the world-writable
    dirs when root: the sandbox hides those behind private mounts), else the temp dir."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        try:
            from synlog.sandbox.core import workdir_base
        except ImportError:
            return None
        return workdir_base()
    return None


def _own_bound(job: Job) -> float:
    """Seconds a task says one verify of this problem may take (``Task.verify_seconds``), plus a
    margin for extraction and start-up; 0 when the task sets none."""
    from synlog.tasks.base import Task, get_task

    try:
        task = get_task(job[0])
        if type(task).verify_seconds is Task.verify_seconds:  # no bound of its own: skip the parse
            return 0.0
        problem = job[1] if isinstance(job[1], dict) else json.loads(job[1])
        seconds = task.verify_seconds(problem)
    except Exception:  # noqa: BLE001 - a bad job is reported by the worker, not here
        return 0.0
    return seconds + 5.0 if seconds else 0.0


class VerifierPool:
    """A pool of verifier processes with a per-call wall-clock and memory limit.

    workers: processes (default: all cores; 0 scores in-process without bounds).
    timeout: wall-clock seconds one verify call (extraction included) may take, counted from
        when a ready worker gets the job.
    memory_mb: address-space limit of each worker (0: inherit).
    config: how answers are extracted from completions.
    imports: extra modules each worker imports, so tasks registered outside synlog are known.
    group_size: most jobs per ``verify_many`` call for tasks that have one (see the module doc).
    start_timeout: seconds a worker may take to start (import every task) before it counts as
        failed; after ``MAX_START_FAILURES`` failures in a row the pool raises WorkerStartError.
    """

    def __init__(
        self,
        workers: int | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        memory_mb: int = DEFAULT_MEMORY_MB,
        config: ExtractConfig = DEFAULT,
        imports: Sequence[str] = (),
        group_size: int = GROUP,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        self.imports = tuple(imports)
        self.size = (os.cpu_count() or 1) if workers is None else max(0, int(workers))
        self.timeout = float(timeout)
        self.memory_mb = int(memory_mb)
        self.config = config
        self.group_size = max(1, int(group_size))
        self.start_timeout = float(start_timeout)
        #: workers started over the pool's life (replacements included), and the seconds each of
        #: the most recent ones took from start to ready (for monitoring and benchmarks)
        self.workers_started = 0
        self.startup_seconds: deque[float] = deque(maxlen=64)
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._start_failures = 0
        self._deaths_in_a_row = 0
        self._owner = os.getpid()
        self._finalizer = weakref.finalize(self, _shutdown, self._workers, self._owner)

    # lifecycle -----------------------------------------------------------------------
    def __enter__(self) -> VerifierPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop every worker and remove their temporary directories."""
        with self._lock:
            if os.getpid() == self._owner:  # not from a forked child: the workers are the owner's
                _retire(self._workers, kill=False)
            self._workers.clear()

    def _spawn(self) -> _Worker:
        if not sys.executable:
            raise WorkerStartError("cannot start verifier workers: sys.executable is empty (an embedded "
                                   "interpreter?); use VerifierPool(workers=0) to score in-process")
        tmpdir = tempfile.mkdtemp(prefix=TMP_PREFIX, dir=_tmp_parent())
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            os.chmod(tmpdir, 0o711)  # sandboxed programs run as other uids and must reach their work dir
        ours, theirs = socket.socketpair()
        # the worker must import this synlog, whatever the caller's cwd holds; it restores the
        # caller's PYTHONPATH for its own children once started
        package_root = str(Path(__file__).resolve().parents[2])
        caller_path = os.environ.get("PYTHONPATH")
        env = dict(os.environ, TMPDIR=tmpdir, SYNLOG_SANDBOX_WORKDIR_BASE=tmpdir,
                   PYTHONPATH=os.pathsep.join([package_root, *filter(None, [caller_path])]))
        safe_path = ["-P"] if sys.version_info >= (3, 11) else []  # no cwd first on sys.path
        try:
            proc = subprocess.Popen([sys.executable, *safe_path, "-m", WORKER_MODULE, str(theirs.fileno())],
                                    pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, env=env,
                                    close_fds=True)
        except OSError as exc:
            ours.close()
            shutil.rmtree(tmpdir, ignore_errors=True)
            raise WorkerStartError(f"cannot start a verifier worker ({sys.executable} -m {WORKER_MODULE}): "
                                   f"{exc}") from exc
        finally:
            theirs.close()
        conn = Connection(ours.detach())
        worker = _Worker(proc, conn, tmpdir, time.monotonic())
        sys_path = [os.getcwd() if p == "" else os.path.abspath(p) for p in sys.path]
        try:
            conn.send({"memory_mb": self.memory_mb, "config": self.config, "imports": list(self.imports),
                       "sys_path": sys_path, "tmpdir": tmpdir, "parent_pid": os.getpid(),
                       "pythonpath": caller_path})
        except (OSError, ValueError):
            pass  # it died at once: seen as a start failure by the loop
        self.workers_started += 1
        return worker

    def _replace(self, worker: _Worker, respawn: bool = True) -> None:
        """Kill ``worker`` (and its process tree), remove its files, start another in its place."""
        _retire([worker], kill=True)
        index = self._workers.index(worker)
        if respawn:
            self._workers[index] = self._spawn()
        else:
            del self._workers[index]

    def _reset(self) -> None:
        """After an error left jobs in flight: kill the busy workers, so no stale result can
        reach a later call."""
        for worker in [w for w in self._workers if w.outstanding]:
            self._replace(worker, respawn=False)

    # scoring -------------------------------------------------------------------------
    def score_many(self, jobs: Iterable[Job], progress: Any = None, *, strict: bool = True) -> list[Any]:
        """Verdicts for ``(task, problem, completion)`` jobs, in the order given.

        A job no task can judge raises :class:`~synlog.errors.UnscorableError` (after the
        others are scored), or, with ``strict=False``, stands in the list in place of its
        verdict. Workers that cannot be started or keep dying raise
        :class:`~synlog.errors.ScoringError`.
        """
        jobs = list(jobs)
        results: list[Any] = [None] * len(jobs)
        valid: list[int] = []
        for i, job in enumerate(jobs):
            problem = check_job(i, job)
            if problem is None:
                valid.append(i)
            else:
                results[i] = problem
        units = [[valid[i] for i in unit] for unit in self._units([jobs[i] for i in valid])]
        self._floors = {min(unit): max(_own_bound(jobs[i]) for i in unit) for unit in units}
        if self.size == 0:
            self._score_inline(jobs, units, results, progress)
        else:
            with self._lock:
                try:
                    self._score_pooled(jobs, units, results, progress)
                except BaseException:
                    self._reset()
                    raise
        for i, result in enumerate(results):
            if isinstance(result, dict):
                results[i] = (Verdict.from_dict(result) if "bad" not in result
                              else UnscorableError(f"job {i}: {result['bad']}", i))
            elif result is None:  # a bug in the loop: never a silent 0
                raise ScoringError(f"job {i} got no verdict (a synlog bug); please report it")
        if strict:
            raise_unscorable(results)
        return results

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
                except UnknownTaskError:  # maybe known to workers (imports=): one by one
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
        """Wall-clock seconds a unit may take: a group of n shares one start, so sqrt(n) x timeout,
        and never less than its tasks' own bound on one verify (a code task whose problem allows
        a 12 s run must end in its own ``time_limit`` verdict, not the pool's timeout)."""
        floor = getattr(self, "_floors", {}).get(min(unit), 0.0) if unit else 0.0
        return max(self.timeout * len(unit) ** 0.5, floor * len(unit))

    def _score_inline(self, jobs: Sequence[Job], units: list[list[int]], results: list, progress: Any) -> None:
        memo: list = [None, None]
        for ids in units:
            payloads = score_unit(jobs[ids[0]][0], [(jobs[i][1], jobs[i][2]) for i in ids], self.config, memo)
            for i, payload in zip(ids, payloads, strict=True):
                results[i] = payload
            if progress is not None:
                progress.update(len(ids))

    def _score_pooled(self, jobs: Sequence[Job], units: list[list[int]], results: list, progress: Any) -> None:
        """Hand units to ready workers, collect results, enforce the limits (see the module doc)."""
        if os.getpid() != self._owner:  # a forked child: the inherited workers are the parent's
            self._workers.clear()
            self._owner = os.getpid()
        pending = deque(range(len(units)))
        deaths: dict[int, int] = {}
        remaining = len(units)
        while len(self._workers) < min(self.size, max(1, len(units))):
            self._workers.append(self._spawn())
        per_batch = max(1, min(BATCH, -(-len(units) // max(1, len(self._workers) * 4))))

        def finish(unit_id: int, payloads: list) -> None:
            nonlocal remaining
            for i, payload in zip(units[unit_id], payloads, strict=True):
                results[i] = payload
            remaining -= 1
            if progress is not None:
                progress.update(len(payloads))

        def give_up(worker: _Worker, verdict: Verdict | None) -> None:
            """The unit ``worker`` is stuck on (timed out, or it killed the worker): a group is
            split into single jobs scored again; a single job gets ``verdict``, or is retried
            when ``verdict`` is None. The worker's other units go back to the queue."""
            nonlocal remaining
            current = worker.outstanding.popleft()
            pending.extendleft(reversed(worker.outstanding))
            worker.outstanding.clear()
            ids = units[current]
            if len(ids) > 1:
                first = len(units)
                units.extend([i] for i in ids)
                pending.extendleft(reversed(range(first, len(units))))
                remaining += len(ids) - 1
            elif verdict is None:
                pending.appendleft(current)
            else:
                finish(current, [verdict.to_dict()])

        while remaining:
            if not pending and not any(w.outstanding for w in self._workers):
                raise ScoringError(f"{remaining} jobs were lost by the pool (a synlog bug); please report it")
            now = time.monotonic()
            for worker in self._workers:
                if worker.ready and not worker.outstanding and pending:
                    ids = [pending.popleft() for _ in range(min(per_batch, len(pending)))]
                    batch = [(u, jobs[units[u][0]][0], [(jobs[i][1], jobs[i][2]) for i in units[u]]) for u in ids]
                    try:
                        worker.conn.send(batch)
                    except (OSError, ValueError):
                        pending.extendleft(reversed(ids))  # it died idle: the loop below notices
                        continue
                    worker.outstanding.extend(ids)
                    worker.started = now
                    new = {task for _, task, _ in batch} - worker.warmed
                    worker.warming = bool(new)
                    worker.warmed |= new
            deadlines = [w.started + self._bound(w, units) if w.outstanding
                         else w.spawned + self.start_timeout for w in self._workers if w.outstanding or not w.ready]
            timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else 1.0
            readable = wait([w.conn for w in self._workers], timeout=timeout)
            now = time.monotonic()
            by_conn = {id(w.conn): w for w in self._workers}
            for conn in readable:
                worker = by_conn[id(conn)]
                try:
                    while conn.poll():
                        message = json.loads(conn.recv_bytes().decode())
                        if "unit" in message:
                            unit_id = worker.outstanding.popleft()
                            if unit_id != message["unit"]:
                                raise ScoringError("a verifier worker answered out of turn (a synlog bug); "
                                                   "please report it")
                            finish(unit_id, message["results"])
                            worker.started = now
                            self._deaths_in_a_row = 0
                        elif "warmed" in message:
                            worker.warming = False
                            worker.started = now  # warming up was not the job's time
                        elif "ready" in message:
                            worker.ready = True
                            self._start_failures = 0
                            self.startup_seconds.append(now - worker.spawned)
                        elif "failed" in message:
                            worker.failure = str(message["failed"])
                except (EOFError, OSError):
                    self._lost(worker, give_up, deaths)
            for worker in list(self._workers):
                if worker.outstanding and now - worker.started >= self._bound(worker, units):
                    if worker.conn.poll():
                        continue  # its answer came in just now: read it first
                    if worker.warming:  # its tasks' helpers would not start: not the job's fault
                        give_up(worker, None)
                        self._start_failed(worker, f"warming up tasks took over {self.start_timeout:g}s")
                        continue
                    give_up(worker, Verdict.timeout(self.timeout))
                    self._replace(worker)
                elif not worker.ready and now - worker.spawned >= self.start_timeout:
                    self._start_failed(worker, f"not ready after {self.start_timeout:g}s")

    def _bound(self, worker: _Worker, units: list[list[int]]) -> float:
        """Seconds the worker's current unit may run: its limit, or the start-up allowance while
        the worker is still warming up the batch's tasks."""
        return self.start_timeout if worker.warming else self._limit(units[worker.outstanding[0]])

    def _lost(self, worker: _Worker, give_up: Any, deaths: dict[int, int]) -> None:
        """``worker`` died (the kernel's OOM killer, a native crash, a failed start)."""
        if not worker.ready:
            self._start_failed(worker)
            return
        self._deaths_in_a_row += 1
        if self._deaths_in_a_row > MAX_DEATHS_IN_A_ROW:
            deaths_in_a_row, self._deaths_in_a_row = self._deaths_in_a_row, 0
            raise ScoringError(
                f"verifier workers died {deaths_in_a_row} times in a row with no job finishing "
                f"(last exit status {worker.proc.poll()}); the machine may be out of memory: "
                "lower VerifierPool(workers=...) or raise memory_mb")
        if worker.outstanding:
            unit_id = worker.outstanding[0]
            deaths[unit_id] = deaths.get(unit_id, 0) + 1
            died = Verdict.error(f"verifier process died {deaths[unit_id]} times on this job "
                                 "(out of memory or crashed)")
            give_up(worker, died if deaths[unit_id] >= MAX_JOB_DEATHS else None)
        self._replace(worker)

    def _start_failed(self, worker: _Worker, why: str = "") -> None:
        self._start_failures += 1
        code = worker.proc.poll()
        why = worker.failure.strip() or why or f"it exited with status {code} before it was ready"
        # a traceback from the worker is deterministic (a failing import): no point retrying
        if worker.failure or self._start_failures >= MAX_START_FAILURES:
            tries, self._start_failures = self._start_failures, 0
            self._replace(worker, respawn=False)
            raise WorkerStartError(
                f"verifier workers could not start ({tries} tries): {why}\n"
                f"check that `{sys.executable} -m {WORKER_MODULE}` can import synlog and every module in "
                f"imports={list(self.imports)}, or score in-process with workers=0")
        self._replace(worker)
