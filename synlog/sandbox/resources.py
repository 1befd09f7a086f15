"""What the host hands each run: a uid no other live run holds, and cgroups that bound it.

**Uids.** Runs get uids in ``FIRST_UID .. FIRST_UID + BLOCKS * BLOCK - 1``. A process claims a
block of :data:`BLOCK` uids by holding an exclusive ``flock`` on ``uid-blocks/<n>`` under the
work-dir base (the kernel drops it when the process dies, so a crashed process frees its
block), and hands uids of its blocks to its runs, never two live runs the same one. A forked
child shares its parent's lock, so it claims a block of its own before its first run. Two
processes therefore never give one uid to two live runs.

**Cgroups.** Where the machine lets us write them, every run gets its own memory and pids
cgroups: cgroup v2 (``memory.max``, ``memory.swap.max`` 0, ``pids.max``) under our own
cgroup, or the v1 ``memory`` and ``pids`` hierarchies. Memory then counts everything the run
holds, tmpfs pages included; at the end the host kills every process in them
(``cgroup.kill``, or each pid of ``cgroup.procs``) before removing them.
"""

from __future__ import annotations

import fcntl
import itertools
import os
import signal
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FIRST_UID, BLOCK, BLOCKS = 200_000, 1_000, 1_000
ROOT = Path("/sys/fs/cgroup")
#: the note a run carries where it gets no cgroups of its own
NO_CGROUPS = "no writable cgroups here: memory is bounded per process (RLIMIT_AS), tmpfs by its size"
#: memory beyond the limit the run's own init (a small Python process) may hold
INIT_SLACK_MB = 24


class _Uids:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.owner_pid = -1
        self.blocks: list[tuple[int, int]] = []  # (block number, fd holding its lock)
        self.live: set[int] = set()
        self.cursor = itertools.count()

    def _claim_block(self) -> None:
        base = Path(_lock_dir())
        for number in _block_order():
            path = base / str(number)
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue
            self.blocks.append((number, fd))
            return
        raise RuntimeError("every sandbox uid block is held by a live process")

    def take(self) -> int:
        with self.lock:
            if self.owner_pid != os.getpid():  # a fork: the blocks' locks are the parent's
                self.owner_pid, self.blocks, self.live = os.getpid(), [], set()
            if not self.blocks:
                self._claim_block()
            size = len(self.blocks) * BLOCK
            if len(self.live) >= size:
                self._claim_block()
                size += BLOCK
            while True:
                index = next(self.cursor) % size
                number, _ = self.blocks[index // BLOCK]
                uid = FIRST_UID + number * BLOCK + index % BLOCK
                if uid not in self.live:
                    self.live.add(uid)
                    return uid

    def give_back(self, uid: int) -> None:
        with self.lock:
            self.live.discard(uid)


_uids = _Uids()


def _lock_dir() -> str:
    base = Path("/run/synlog-sandbox") if os.geteuid() == 0 else Path(tempfile.gettempdir())
    path = base / "uid-blocks"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return str(path)


def _block_order() -> list[int]:
    """Blocks to try, starting at a pid-dependent one (so processes rarely contend)."""
    start = (os.getpid() * 7919) % BLOCKS
    return [(start + i) % BLOCKS for i in range(BLOCKS)]


def take_uid() -> int:
    """A uid no other live run on this machine holds (give it back after the run)."""
    return _uids.take()


def give_back_uid(uid: int) -> None:
    _uids.give_back(uid)


# --- cgroups --------------------------------------------------------------------------------
@dataclass
class Cgroups:
    """The cgroups of one run (v1: one directory per controller; v2: one directory)."""

    version: int
    dirs: list[Path]

    @property
    def procs(self) -> list[str]:
        return [str(d / "cgroup.procs") for d in self.dirs]

    def memory_dir(self) -> Path:
        return self.dirs[0]

    def peak_mb(self) -> float:
        name = "memory.peak" if self.version == 2 else "memory.max_usage_in_bytes"
        try:
            return int((self.memory_dir() / name).read_text()) / (1 << 20)
        except (OSError, ValueError):
            return 0.0

    def hit_memory_limit(self) -> bool:
        try:
            if self.version == 2:
                for line in (self.memory_dir() / "memory.events").read_text().splitlines():
                    key, _, value = line.partition(" ")
                    if key in ("oom", "oom_kill", "max") and int(value) > 0:
                        return True
                return False
            return int((self.memory_dir() / "memory.failcnt").read_text()) > 0
        except (OSError, ValueError):
            return False

    def kill_and_remove(self, timeout_s: float = 5.0) -> None:
        """Kill every process in the run's cgroups, then remove them (bounded in time)."""
        deadline = time.monotonic() + timeout_s
        for directory in self.dirs:
            if self.version == 2:
                try:
                    (directory / "cgroup.kill").write_text("1")
                except OSError:
                    pass
            while True:
                try:
                    pids = (directory / "cgroup.procs").read_text().split()
                except OSError:
                    break
                for pid in pids:
                    try:
                        os.kill(int(pid), signal.SIGKILL)
                    except (OSError, ValueError):
                        pass
                try:
                    directory.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.002)


@dataclass
class Claim:
    """What one run holds: its uid and cgroups (each None where not to be had), given back
    together by :meth:`release` (call it in a ``finally``)."""

    uid: int | None
    cgroups: Cgroups | None

    def measure(self) -> tuple[float, bool]:
        """Kill whatever is left in the run's cgroups; its peak memory in MB (0 without cgroups)
        and whether it hit its memory limit."""
        if self.cgroups is None:
            return 0.0, False
        peak, hit = self.cgroups.peak_mb(), self.cgroups.hit_memory_limit()
        self.cgroups.kill_and_remove()
        return peak, hit

    def release(self) -> None:
        if self.cgroups is not None:
            self.cgroups.kill_and_remove()
        if self.uid is not None:
            give_back_uid(self.uid)


def claim(root: bool, memory_mb: int, processes: int) -> Claim:
    """A uid and cgroups for a new run where we are root, else a claim of nothing."""
    if not root:
        return Claim(None, None)
    return Claim(take_uid(), create(memory_mb, processes))


def killed_for_memory(exit_code: int | None, hit: bool) -> bool:
    """Whether a run SIGKILLed (-9, or 137 through a shell) died of its memory cgroup's limit."""
    return hit and exit_code in (-9, 137)


_counter = itertools.count()


@cache
def _layout() -> tuple[int, list[Path]] | None:
    """(version, parent dirs to create run cgroups under) where we may write them, else None."""
    if os.geteuid() != 0 or os.environ.get("SYNLOG_SANDBOX_CGROUPS", "1") == "0":
        return None
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    own: dict[str, str] = {}
    for line in lines:
        _, controllers, path = line.split(":", 2)
        for name in controllers.split(",") if controllers else [""]:
            own[name] = path
    if (ROOT / "cgroup.controllers").exists() and "" in own:
        parent = ROOT / own[""].lstrip("/") / "synlog-sandbox"
        try:
            parent.mkdir(exist_ok=True)
            enabled = set((parent.parent / "cgroup.subtree_control").read_text().split())
            if not {"memory", "pids"} <= enabled:
                (parent.parent / "cgroup.subtree_control").write_text("+memory +pids")
            (parent / "cgroup.subtree_control").write_text("+memory +pids")
        except OSError:
            return None
        return 2, [parent]
    parents = []
    for controller in ("memory", "pids"):
        if controller not in own or not (ROOT / controller).is_dir():
            return None
        parent = ROOT / controller / own[controller].lstrip("/") / "synlog-sandbox"
        try:
            parent.mkdir(exist_ok=True)
        except OSError:
            return None
        parents.append(parent)
    return 1, parents


def available() -> bool:
    return _layout() is not None


def create(memory_mb: int, processes: int) -> Cgroups | None:
    """The cgroups of a new run, limits set (None where cgroups are not available here)."""
    layout = _layout()
    if layout is None:
        return None
    version, parents = layout
    name = f"run-{os.getpid()}-{next(_counter)}"
    limit = (memory_mb + INIT_SLACK_MB) << 20
    dirs = [parent / name for parent in parents]
    try:
        for directory in dirs:
            directory.mkdir()
        if version == 2:
            d = dirs[0]
            (d / "memory.max").write_text(str(limit))
            _try_write(d / "memory.swap.max", "0")
            (d / "pids.max").write_text(str(processes))
        else:
            memory, pids = dirs
            (memory / "memory.limit_in_bytes").write_text(str(limit))
            _try_write(memory / "memory.memsw.limit_in_bytes", str(limit))
            (pids / "pids.max").write_text(str(processes))
    except OSError:
        Cgroups(version, dirs).kill_and_remove(0.5)
        return None
    return Cgroups(version, dirs)


def _try_write(path: Path, value: str) -> None:
    try:
        path.write_text(value)
    except OSError:
        pass  # no swap accounting on this kernel: nothing to bound
