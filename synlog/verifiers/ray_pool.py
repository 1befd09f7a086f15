"""Verification across a Ray cluster: actors holding warm verifier pools (``--engine ray``).

:class:`RayVerifierPool` has :class:`~synlog.verifiers.pool.VerifierPool`'s interface
(``score_many``, ``score``, ``close``), so :class:`~synlog.trainer_bridge.scorer.Scorer`, the
verl and OpenRLHF adapters, ``synlog verify`` and ``synlog serve`` take it as they take the local
pool, and its verdicts are the local pool's: each actor (one CPU) holds a ``VerifierPool`` of its
own, with every bound of the local one (a wall-clock and memory limit per call, a fresh worker
process after a crash, the sandbox for code), warm from one batch to the next. A batch is cut
into chunks, each scored by one actor, and put back in order.

Shared actors. With ``name`` the actors are named (``<name>-0`` … in the namespace ``synlog``)
and detached: the first process to ask creates them, every later one (another verl reward
worker, a second ``synlog serve`` on another host) attaches to the same ones, so the cluster
keeps one set of warm verifiers however many processes score.

Faults. An actor that dies mid-chunk (killed, its node lost) is restarted by Ray and the chunk is
scored again (a verdict is a pure function of its job); after :data:`ATTEMPTS` tries the batch
raises :class:`~synlog.errors.ScoringError`, never a reward of 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from synlog.errors import ScoringError, UnscorableError
from synlog.verifiers.extract import DEFAULT, ExtractConfig
from synlog.verifiers.pool import (
    DEFAULT_MEMORY_MB,
    DEFAULT_TIMEOUT,
    Job,
    check_job,
    raise_unscorable,
)
from synlog.verifiers.verdict import Verdict

#: tries of one chunk (the first and the retries after its actor died)
ATTEMPTS = 3
#: the namespace of named (shared) scorer actors
NAMESPACE = "synlog"
#: the name of the actors ``synlog serve --engine ray`` and ``SYNLOG_REWARD_ENGINE=ray`` share
SHARED_NAME = "synlog-scorer"
#: jobs per chunk at most; a batch is cut into about four chunks per actor below that
CHUNK = 256


class _ScorerActor:
    """One Ray actor: a warm local verifier pool. Jobs in, verdict dicts out (a job no task can
    judge comes back as ``{"bad": why}``)."""

    def __init__(self, workers: int, timeout: float, memory_mb: int, config: ExtractConfig,
                 imports: Sequence[str]) -> None:
        from synlog.verifiers.pool import VerifierPool

        self.pool = VerifierPool(workers, timeout=timeout, memory_mb=memory_mb, config=config, imports=imports)

    def score(self, jobs: list[Job]) -> list[dict[str, Any]]:
        results = self.pool.score_many(jobs, strict=False)
        return [{"bad": str(r).removeprefix(f"job {r.index}: ")} if isinstance(r, UnscorableError)
                else r.to_dict() for r in results]

    def pid(self) -> int:
        import os

        return os.getpid()


class RayVerifierPool:
    """Score ``(task, problem, completion)`` jobs on Ray actors, each a warm bounded pool.

    actors: how many (default: the cluster's CPUs; when attaching to named actors, as many as
        exist). workers_per_actor: verifier processes in each; cpus_per_actor: the CPUs Ray
        reserves for each (an actor waits until the cluster has them free). name: share the actors under
        this name (see the module doc). address: the cluster (default: the one this process
        joined, else RAY_ADDRESS, else a new local one). timeout / memory_mb / config / imports:
        as :class:`~synlog.verifiers.pool.VerifierPool`.
    """

    def __init__(
        self,
        actors: int | None = None,
        *,
        address: str | None = None,
        name: str | None = None,
        workers_per_actor: int = 1,
        cpus_per_actor: float = 1.0,
        timeout: float = DEFAULT_TIMEOUT,
        memory_mb: int = DEFAULT_MEMORY_MB,
        config: ExtractConfig = DEFAULT,
        imports: Sequence[str] = (),
    ) -> None:
        from synlog.synth.ray_engine import cluster_cpus, connect

        self.ray, self._started = connect(address)
        self.name = name
        count = actors or (_count_named(self.ray, name) if name else 0) or cluster_cpus(self.ray)
        remote = self.ray.remote(num_cpus=cpus_per_actor, max_restarts=-1, max_task_retries=0)(_ScorerActor)
        args = (max(1, workers_per_actor), timeout, memory_mb, config, tuple(imports))
        if name:
            self.actors = [remote.options(name=f"{name}-{i}", namespace=NAMESPACE, get_if_exists=True,
                                          lifetime="detached").remote(*args) for i in range(count)]
        else:
            self.actors = [remote.remote(*args) for _ in range(count)]
        self.size = len(self.actors)
        #: chunks scored again after their actor died (for monitoring and tests)
        self.retries = 0

    def __enter__(self) -> RayVerifierPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self, kill_named: bool = False) -> None:
        """Let go of the actors: unnamed ones end; named ones stay for the other processes
        that share them unless ``kill_named``."""
        if not self.name or kill_named:
            for actor in self.actors:
                self.ray.kill(actor)
        self.actors = []
        if self._started:
            self.ray.shutdown()
            self._started = False

    def score(self, task: str, problem: Any, completion: str) -> Verdict:
        return self.score_many([(task, problem, completion)])[0]

    def score_many(self, jobs: Iterable[Job], progress: Any = None, *, strict: bool = True) -> list[Any]:
        """Verdicts in the order given, as :meth:`VerifierPool.score_many` gives them."""
        jobs = list(jobs)
        if not self.actors:
            raise ScoringError("this RayVerifierPool is closed")
        results: list[Any] = [check_job(i, job) for i, job in enumerate(jobs)]  # shapes, as the pool does
        valid = [i for i, r in enumerate(results) if r is None]
        size = max(1, min(CHUNK, math.ceil(len(valid) / (4 * self.size))))
        chunks = [valid[start:start + size] for start in range(0, len(valid), size)]
        pending: dict[Any, tuple[int, int]] = {}  # ref → (chunk, actor)
        waiting = list(range(len(chunks)))
        attempts = [0] * len(chunks)
        dead = self.ray.exceptions.RayActorError

        def submit(chunk: int, actor: int) -> None:
            attempts[chunk] += 1
            pending[self.actors[actor].score.remote([jobs[i] for i in chunks[chunk]])] = (chunk, actor)

        # two chunks in flight per actor keeps every actor busy without piling up work
        for slot in range(min(len(waiting), 2 * self.size)):
            submit(waiting.pop(0), slot % self.size)
        while pending:
            done, _ = self.ray.wait(list(pending), num_returns=1)
            chunk, actor = pending.pop(done[0])
            try:
                payloads = self.ray.get(done[0])
            except dead as exc:
                if attempts[chunk] >= ATTEMPTS:
                    raise ScoringError(f"a Ray scorer actor died {attempts[chunk]} times on the same"
                                       f" {len(chunks[chunk])} jobs ({type(exc).__name__}); the batch"
                                       " is not scored") from None
                self.retries += 1
                submit(chunk, actor)  # Ray restarts the actor; the chunk is scored again
                continue
            for i, payload in zip(chunks[chunk], payloads, strict=True):
                results[i] = (UnscorableError(f"job {i}: {payload['bad']}", i) if "bad" in payload
                              else Verdict.from_dict(payload))
            if progress is not None:
                progress.update(len(payloads))
            if waiting:
                submit(waiting.pop(0), actor)
        if strict:
            raise_unscorable(results)
        return results


def _count_named(ray: Any, name: str) -> int:
    """How many named scorer actors ``<name>-0``, ``<name>-1``, … exist."""
    count = 0
    while True:
        try:
            ray.get_actor(f"{name}-{count}", namespace=NAMESPACE)
        except ValueError:
            return count
        count += 1
