"""The one place trainer adapters get verdicts from: a bounded verifier pool plus a small cache.

Trainers call reward functions from the training thread, from worker threads or from an
async loop; :class:`Scorer` is safe from all of them because every verdict comes from
:class:`~synlog.verifiers.pool.VerifierPool` (worker processes with a wall-clock and memory
limit, no ``signal.alarm``, calls serialised by a lock). TRL calls the accuracy, format and
length functions one after the other on the same batch, so the last verdicts are cached and
the batch is verified once.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from synlog.verifiers.extract import DEFAULT, ExtractConfig
from synlog.verifiers.pool import VerifierPool, problem_text
from synlog.verifiers.verdict import Verdict

CACHE_SIZE = 8192
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


class Scorer:
    """Verdicts for ``(task, problem, completion)`` through a bounded pool, with an LRU cache.

    workers/timeout/memory_mb/config: as :class:`VerifierPool` (workers=0 verifies in-process,
    unbounded: tests and debugging only).
    """

    def __init__(
        self,
        workers: int | None = None,
        timeout: float = 10.0,
        memory_mb: int = 4096,
        config: ExtractConfig = DEFAULT,
        pool: VerifierPool | None = None,
    ) -> None:
        if pool is None:
            size = min(DEFAULT_WORKERS, os.cpu_count() or 1) if workers is None else workers
            pool = VerifierPool(size, timeout=timeout, memory_mb=memory_mb, config=config)
        self.pool = pool
        self._cache: OrderedDict[tuple[str, str, str], Verdict] = OrderedDict()
        self._lock = threading.Lock()

    def verdicts(self, tasks: Sequence[str], problems: Sequence[Any], texts: Sequence[str]) -> list[Verdict]:
        """One verdict per completion, in order; cached ones are not verified again."""
        keys = [(str(t), problem_text(p), str(x)) for t, p, x in zip(tasks, problems, texts, strict=True)]
        with self._lock:
            missing = list(dict.fromkeys(k for k in keys if k not in self._cache))
        if missing:
            fresh = self.pool.score_many(missing)
            with self._lock:
                for key, verdict in zip(missing, fresh, strict=True):
                    self._cache[key] = verdict
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        with self._lock:
            found = {k: self._cache.get(k) for k in set(keys)}
        # an entry evicted between the two locks (a huge concurrent batch) is verified again
        lost = [k for k, v in found.items() if v is None]
        if lost:
            found.update(zip(lost, self.pool.score_many(lost), strict=True))
        return [found[k] for k in keys]

    def close(self) -> None:
        self.pool.close()

    def __enter__(self) -> Scorer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@lru_cache(maxsize=1)
def default_scorer() -> Scorer:
    """The process-wide scorer of the module-level entry points (verl, OpenRLHF file option).

    Sized by ``SYNLOG_REWARD_WORKERS`` (default: up to 4) and ``SYNLOG_REWARD_TIMEOUT`` seconds.
    """
    workers = os.environ.get("SYNLOG_REWARD_WORKERS")
    timeout = float(os.environ.get("SYNLOG_REWARD_TIMEOUT", "10"))
    return Scorer(int(workers) if workers else None, timeout=timeout)
