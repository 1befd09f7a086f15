"""Ranges as Ray tasks: the generation engine across a Ray cluster (``--engine ray``).

The coordinator (:class:`synlog.synth.engine._Filler`) is the same as for the local engine:
it cuts each component's candidates into ranges, takes their results in index order and keeps
what is new, so a run's rows are the local engine's rows, byte for byte, whatever the cluster.
Only the pool changes: each range is a Ray task (:func:`synlog.synth.engine.build_range`, one
CPU) that builds its rows on whichever node Ray places it, writes them as a parquet shard into
the run's shard store and returns only their 16-byte keys. Dedup is the coordinator's index, so
it holds across the whole cluster.

Every node writes the shards itself, so the store must be one every node reaches: the run's
``<out>.partial`` folder when that lies on a shared file system (NFS, a single machine), else a
``pyarrow.fs`` URI passed as ``shards`` (``s3://bucket/prefix``, ``gs://…``, ``hdfs://…``).

Faults: a range whose worker dies (killed, out of memory, its node lost) is submitted again, up
to :data:`ATTEMPTS` times; a range is a pure function of its inputs and its shard is replaced
atomically, so a retry loses nothing and duplicates nothing. Each retry is recorded in the run's
state (it survives ``--resume``) and, at the end, in ``run.json`` beside the dataset. Ray's own
task retries are off (``max_retries=0``) so that every retry is the coordinator's and on record.

Ray is imported only here and only when this engine runs (``pip install 'synlog[ray]'``).
"""

from __future__ import annotations

from typing import Any

from synlog.errors import GenerationError, SynlogError

#: how many times one range is tried before the run stops
ATTEMPTS = 4


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise SynlogError(
            "the ray engine needs Ray: pip install 'synlog[ray]' (on every node of the cluster)"
        ) from None
    return ray


def connect(address: str | None = None, cpus: int | None = None) -> tuple[Any, bool]:
    """Ray, connected: to the one this process already joined, to the cluster at ``address``
    ('auto', 'ray://host:10001', 'host:6379'; default ``RAY_ADDRESS``), or else to a new local
    one of ``cpus`` CPUs. Returns (ray, whether this call started the connection)."""
    import os

    ray = _ray()
    if ray.is_initialized():
        return ray, False
    address = address or os.environ.get("RAY_ADDRESS")
    options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                               "configure_logging": False}
    if address:
        _check_reachable(address)
    try:
        if address:
            ray.init(address=address, **options)  # a cluster's CPUs are its own
        else:
            ray.init(num_cpus=cpus, **options)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = f"the Ray cluster at '{address}'" if address else "a local Ray cluster"
        raise SynlogError(f"cannot connect to {where}: {exc}") from None
    return ray, True


def _check_reachable(address: str) -> None:
    """Fail at once, not after Ray's minutes of reconnecting, when nothing listens at a
    ``host:port`` or ``ray://host:port`` address ('auto' and 'local' Ray resolves itself)."""
    import socket

    hostport = address.removeprefix("ray://")
    host, _, port = hostport.rpartition(":")
    if not host or not port.isdigit():
        if address in ("auto", "local"):
            return
        raise SynlogError(f"'{address}' is not a Ray address; use auto, HOST:PORT or ray://HOST:10001")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=5).close()
    except OSError as exc:
        raise SynlogError(
            f"no Ray cluster answers at '{address}' ({exc.strerror or exc}); start one with"
            " `ray start --head` (see docs/scale.md) or check the address") from None


def cluster_cpus(ray: Any) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


class RayRanges:
    """The engine's pool on Ray: ``apply_async(build_range, (job,))`` submits a range as a
    task; the handle's ``get()`` waits for it, submitting it again if its worker died."""

    def __init__(self, connection: tuple[Any, bool], exclude: Any, retried: list[dict]):
        self.ray = connection[0]  # from :func:`connect`
        self.workers = cluster_cpus(self.ray)
        self.exclude = self.ray.put(exclude) if exclude else None
        self.retried = retried
        self.outstanding: set[Any] = set()
        exceptions = self.ray.exceptions
        #: what a dead worker, node or lost result raises: infrastructure, so the range is redone
        self.lost = tuple(getattr(exceptions, name) for name in (
            "WorkerCrashedError", "NodeDiedError", "ObjectLostError", "OwnerDiedError",
            "LocalRayletDiedError", "ObjectReconstructionFailedError") if hasattr(exceptions, name))
        from synlog.synth.engine import build_range

        self.task = self.ray.remote(num_cpus=1, max_retries=0)(build_range)

    def _submit(self, job: Any) -> Any:
        ref = self.task.remote(job, self.exclude)
        self.outstanding.add(ref)
        return ref

    def apply_async(self, function: Any, args: tuple) -> _Range:
        """``multiprocessing.Pool``'s call, as the engine makes it: ``function`` is always
        :func:`~synlog.synth.engine.build_range`."""
        (job,) = args
        return _Range(self, job)

    def terminate(self) -> None:
        for ref in self.outstanding:
            try:
                self.ray.cancel(ref, force=True)
            except Exception:  # noqa: BLE001 - a finished or lost task cannot be cancelled; nothing to do
                pass
        self.outstanding.clear()

    def join(self) -> None:
        pass


class _Range:
    def __init__(self, pool: RayRanges, job: Any):
        self.pool, self.job = pool, job
        self.ref = pool._submit(job)
        self.attempts = 1

    def get(self) -> Any:
        pool, job = self.pool, self.job
        while True:
            ref = self.ref
            try:
                result = pool.ray.get(ref)
            except pool.lost as exc:
                pool.outstanding.discard(ref)
                reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")
                pool.retried.append({"component": job.component, "range": job.number, "start": job.start,
                                     "stop": job.stop, "attempt": self.attempts + 1, "reason": reason[:300]})
                if self.attempts >= ATTEMPTS:
                    raise GenerationError(
                        f"range {job.start}..{job.stop - 1} of component {job.component} failed"
                        f" {self.attempts} times on the Ray cluster (last: {reason}); the run is kept:"
                        " rerun the same command with --resume") from None
                self.attempts += 1
                self.ref = pool._submit(job)
                continue
            pool.outstanding.discard(ref)
            return result
