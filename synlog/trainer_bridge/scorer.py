"""The one place trainer adapters get verdicts from: a bounded verifier pool plus a small cache.

Trainers call reward functions from the training thread, from worker threads or from an
async loop; :class:`Scorer` is safe from all of them because every verdict comes from
:class:`~synlog.verifiers.pool.VerifierPool` (worker processes with a wall-clock and memory
limit, no ``signal.alarm``, calls serialised by a lock). TRL calls the accuracy, format and
length functions one after the other on the same batch, so the last verdicts are cached and
the batch is verified once. The cache is keyed by a hash of (task, problem, completion), so
it never holds a completion's text, and it is bounded in bytes (``cache_mb``), so 5 MB
completions cannot grow a reward server's memory for good.

Nothing here turns a failure into a reward: a job no task can judge is an
:class:`~synlog.errors.UnscorableError`, a pool that cannot run is a
:class:`~synlog.errors.ScoringError`, and an ``error`` verdict (a verifier that failed) is
handed to the adapter, which skips the completion (TRL) or stops (verl, OpenRLHF). Such
outcomes are kept only until the next batch is scored, never in the long-lived cache, so a
transient failure is tried again when the same completion comes back.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from synlog.errors import SynlogError, UnscorableError
from synlog.verifiers.extract import DEFAULT, ExtractConfig
from synlog.verifiers.pool import VerifierPool, problem_text
from synlog.verifiers.verdict import Reason, Verdict

Outcome = Verdict | UnscorableError

#: default bound of the verdict cache, in MB (an entry is its key hash and a small verdict)
CACHE_MB = 32
DEFAULT_WORKERS = 4


def completion_text(completion: Any) -> str:
    """The text of a completion given as a string or as chat messages (last message's content)."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, dict):
        return str(completion.get("content") or "")
    if isinstance(completion, Sequence) and completion:
        last = completion[-1]
        if isinstance(last, dict):
            content = last.get("content")
            if isinstance(content, list):  # multimodal parts: keep the text ones
                return "".join(p.get("text", "") for p in content if isinstance(p, dict))
            return str(content or "")
        return str(last)
    return ""


def problem_error(outcome: Outcome | None) -> str | None:
    """Why a row's problem cannot be judged, whatever the answer (a verdict whose details carry
    ``problem_error``: a gold the task cannot read, tests the code judge refuses), else None."""
    if isinstance(outcome, Verdict) and outcome.details.get("problem_error"):
        return str(outcome.details["problem_error"])
    return None


def is_failure(outcome: Outcome | None) -> bool:
    """True for an outcome that is no verdict on the answer: a job no task can judge, a problem
    that cannot be judged (:func:`problem_error`), or an ``error`` verdict (the verifier failed).
    ``timeout`` is a verdict: the answer overran."""
    return (isinstance(outcome, UnscorableError) or problem_error(outcome) is not None
            or (isinstance(outcome, Verdict) and outcome.reason is Reason.ERROR))


def failure_reason(outcome: Outcome) -> str:
    """A one-line reason for a failed outcome (see :func:`is_failure`)."""
    if isinstance(outcome, UnscorableError):
        return str(outcome)
    why = problem_error(outcome)
    if why is not None:
        return f"the row's problem cannot be judged ({why}); fix or drop that row"
    return f"the verifier failed: {outcome.details.get('why', 'no reason given')}"


class Scorer:
    """Verdicts for ``(task, problem, completion)`` through a bounded pool, with an LRU cache.

    workers/timeout/memory_mb/config/imports: as :class:`VerifierPool` (workers=0 verifies
    in-process, unbounded: tests and debugging only).
    """

    def __init__(
        self,
        workers: int | None = None,
        timeout: float = 10.0,
        memory_mb: int = 4096,
        config: ExtractConfig = DEFAULT,
        pool: VerifierPool | None = None,
        imports: Sequence[str] = (),
        cache_mb: float = CACHE_MB,
    ) -> None:
        if pool is None:
            size = min(DEFAULT_WORKERS, os.cpu_count() or 1) if workers is None else workers
            pool = VerifierPool(size, timeout=timeout, memory_mb=memory_mb, config=config, imports=imports)
        self.pool = pool
        self._cache: OrderedDict[bytes, tuple[Verdict, int]] = OrderedDict()
        self._cache_bytes, self.cache_limit = 0, int(cache_mb * 1024 * 1024)
        # failures of the latest scored batch (see the module doc): kept for the other reward
        # terms of the same batch, dropped when the next batch is scored
        self._recent: dict[bytes, Outcome] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _jobs(tasks: Sequence[Any], problems: Sequence[Any], texts: Sequence[str]) -> list[tuple[str, str, str]]:
        return [(str(t), problem_text(p), str(x)) for t, p, x in zip(tasks, problems, texts, strict=True)]

    @staticmethod
    def _key(job: tuple[str, str, str]) -> bytes:
        digest = hashlib.blake2b(digest_size=20)
        for part in job:
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0\1")
        return digest.digest()

    def _lookup(self, key: bytes) -> Outcome | None:
        found = self._cache.get(key)
        return found[0] if found is not None else self._recent.get(key)

    def _remember(self, key: bytes, verdict: Verdict) -> None:
        """Cache a verdict, evicting the oldest until the cache fits its byte bound."""
        size = 200 + len(key) + len(json.dumps(verdict.details, default=repr))
        old = self._cache.pop(key, None)
        if old is not None:
            self._cache_bytes -= old[1]
        self._cache[key] = (verdict, size)
        self._cache_bytes += size
        while self._cache_bytes > self.cache_limit and self._cache:
            self._cache_bytes -= self._cache.popitem(last=False)[1][1]

    def outcomes(self, tasks: Sequence[str], problems: Sequence[Any], texts: Sequence[str]) -> list[Outcome]:
        """One outcome per completion, in order: a :class:`Verdict`, or an
        :class:`UnscorableError` for a job no task can judge. Cached ones are not verified again.
        Raises :class:`~synlog.errors.ScoringError` when the pool cannot run."""
        jobs = self._jobs(tasks, problems, texts)
        keys = [self._key(job) for job in jobs]
        job_of = dict(zip(keys, jobs, strict=True))
        with self._lock:
            missing = list(dict.fromkeys(k for k in keys if self._lookup(k) is None))
        found: dict[bytes, Outcome] = {}
        if missing:
            fresh = self.pool.score_many([job_of[k] for k in missing], strict=False)
            found.update(zip(missing, fresh, strict=True))
            with self._lock:
                self._recent = {}
                for key, outcome in zip(missing, fresh, strict=True):
                    if is_failure(outcome):
                        self._recent[key] = outcome
                    else:
                        self._remember(key, outcome)
        with self._lock:
            for key in set(keys) - set(found):
                outcome = self._lookup(key)
                if outcome is not None:
                    found[key] = outcome
        # an entry evicted or dropped in between (a huge concurrent batch) is verified again
        lost = [k for k in dict.fromkeys(keys) if k not in found]
        if lost:
            found.update(zip(lost, self.pool.score_many([job_of[k] for k in lost], strict=False), strict=True))
        return [found[k] for k in keys]

    def verdicts(self, tasks: Sequence[str], problems: Sequence[Any], texts: Sequence[str]) -> list[Verdict]:
        """One verdict per completion, in order; raises :class:`UnscorableError` for the first
        job no task can judge (``error`` verdicts are returned: the caller decides)."""
        outcomes = self.outcomes(tasks, problems, texts)
        for i, outcome in enumerate(outcomes):
            if isinstance(outcome, UnscorableError):
                raise UnscorableError(f"completion {i}: {outcome}", i)
        return outcomes  # type: ignore[return-value]

    def peek(self, tasks: Sequence[str], problems: Sequence[Any], texts: Sequence[str]) -> list[Outcome | None]:
        """The outcomes already known (cached, or failed in the latest batch), None elsewhere;
        verifies nothing."""
        keys = [self._key(job) for job in self._jobs(tasks, problems, texts)]
        with self._lock:
            return [self._lookup(k) for k in keys]

    def close(self) -> None:
        self.pool.close()

    def __enter__(self) -> Scorer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@lru_cache(maxsize=1)
def default_scorer() -> Scorer:
    """The process-wide scorer of the module-level entry points (verl, OpenRLHF file option).

    Sized by ``SYNLOG_REWARD_WORKERS`` (default: up to 4) and ``SYNLOG_REWARD_TIMEOUT`` seconds;
    ``SYNLOG_REWARD_IMPORTS`` (comma-separated modules) registers tasks defined outside synlog.
    ``SYNLOG_REWARD_ENGINE=ray`` scores on the cluster's shared Ray scorer actors
    (:mod:`synlog.verifiers.ray_pool`; ``SYNLOG_REWARD_WORKERS`` actors when it creates them):
    verl's reward workers, themselves Ray actors, then share one set of warm verifiers.
    """
    workers = os.environ.get("SYNLOG_REWARD_WORKERS")
    timeout = os.environ.get("SYNLOG_REWARD_TIMEOUT", "10")
    imports = [m.strip() for m in os.environ.get("SYNLOG_REWARD_IMPORTS", "").split(",") if m.strip()]
    engine = os.environ.get("SYNLOG_REWARD_ENGINE", "local")
    if engine not in ("local", "ray"):
        raise SynlogError(f"SYNLOG_REWARD_ENGINE={engine!r}: use local or ray")
    try:
        if engine == "ray":
            from synlog.verifiers.ray_pool import SHARED_NAME, RayVerifierPool

            pool = RayVerifierPool(int(workers) if workers else None, name=SHARED_NAME, timeout=float(timeout),
                                   imports=imports)
            return Scorer(pool=pool)
        return Scorer(int(workers) if workers else None, timeout=float(timeout), imports=imports)
    except ValueError:
        raise SynlogError(f"SYNLOG_REWARD_WORKERS={workers!r} / SYNLOG_REWARD_TIMEOUT={timeout!r}: "
                          "use a whole number of workers and a number of seconds") from None
