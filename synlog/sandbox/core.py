"""What every backend shares: the limits, the result, the work dir and the output reader."""

from __future__ import annotations

import math
import os
import selectors
import shutil
import stat
import tempfile
import time
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

#: the file a ``program`` is written to inside the work dir
MAIN = "main.py"
#: the environment every sandboxed program sees (nothing of the parent's leaks through)
CLEAN_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONIOENCODING": "utf-8",
    "PYTHONHASHSEED": "0",
}


class Status(str, Enum):
    """How a run ended."""

    OK = "ok"
    RUNTIME_ERROR = "runtime_error"
    TIMEOUT = "timeout"
    MEMORY = "memory"
    OUTPUT_LIMIT = "output_limit"
    SANDBOX_ERROR = "sandbox_error"


@dataclass(frozen=True)
class Limits:
    """Resource limits of one run; every one is enforced as a hard limit.

    wall_s: wall-clock seconds before the whole run (every process it started) is killed.
    cpu_s: CPU seconds (RLIMIT_CPU, hard: the program cannot raise it; whole seconds, rounded up).
    memory_mb: memory of the whole run where cgroups are available (every process, tmpfs pages
        included), and the address space of each process (RLIMIT_AS; docker: the container's).
    address_space_mb: RLIMIT_AS instead of ``memory_mb``, for runtimes that reserve far more
        address space than they use (the JVM, V8); the run's memory is then bounded by its
        cgroup where the machine has one, else only by this.
    output_bytes: bytes of stdout and of stderr kept; more ends the run with ``output_limit``.
    file_size_mb: largest file the program may write (RLIMIT_FSIZE).
    open_files: file descriptors per process (RLIMIT_NOFILE).
    processes: processes and threads (RLIMIT_NPROC under a uid of its own, and a pids cgroup
        where the machine has one; docker: pids).
    disk_mb: everything the run can write, work dir, /tmp and /dev/shm together (one tmpfs of
        this size on the jailed backends; its pages count as the run's memory under cgroups).
    disk_files: files and directories the run can create there (the tmpfs's inodes).
    """

    wall_s: float = 10.0
    cpu_s: float = 5.0
    memory_mb: int = 512
    output_bytes: int = 1_000_000
    file_size_mb: int = 16
    open_files: int = 64
    processes: int = 16
    disk_mb: int = 64
    disk_files: int = 4096
    address_space_mb: int | None = None


@dataclass(frozen=True)
class Options:
    """What a run needs besides its program and limits.

    env: variables added to the clean environment (``CLEAN_ENV``, HOME=/work, TMPDIR=/tmp).
    executables: names among ``files`` written executable (a compiled program).
    collect: glob patterns (relative to the work dir, e.g. ``main``, ``*.class``): the regular
        files matching them come back in ``RunResult.files`` (at most ``disk_mb`` in all).
    binds: extra host paths shown read-only at the same path (a toolchain outside ``/usr``).
    """

    env: dict[str, str] = field(default_factory=dict)
    executables: tuple[str, ...] = ()
    collect: tuple[str, ...] = ()
    binds: tuple[str, ...] = ()


def hard_rlimits(limits: Limits, with_nproc: bool) -> dict[str, int]:
    """Every rlimit a run gets, by ``resource`` name (``RLIMIT_CPU`` …), each set soft = hard.

    ``with_nproc``: also RLIMIT_NPROC, which is meaningful only under a uid of the run's own.
    """
    out = {"RLIMIT_CPU": max(1, math.ceil(limits.cpu_s)),
           "RLIMIT_AS": (limits.address_space_mb or limits.memory_mb) << 20,
           "RLIMIT_FSIZE": limits.file_size_mb << 20, "RLIMIT_NOFILE": limits.open_files,
           "RLIMIT_CORE": 0}
    if with_nproc:
        out["RLIMIT_NPROC"] = limits.processes
    return out


@dataclass
class RunResult:
    """The outcome of one sandboxed run; ``backend`` names the backend that actually ran it."""

    status: Status
    stdout: str = ""
    stderr: str = ""
    exit_code: int | None = None
    wall_s: float = 0.0
    cpu_s: float = 0.0
    peak_memory_mb: float = 0.0
    backend: str = ""
    #: what the backend could not apply on this machine (e.g. "no network namespace")
    notes: list[str] = field(default_factory=list)
    #: the files ``Options.collect`` asked for, by name relative to the work dir
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status is Status.OK


class SandboxError(RuntimeError):
    """A backend could not start a run (missing tool, daemon down); reported as sandbox_error."""


#: where work dirs live when root: a root-owned 0711 dir outside the world-writable ones
#: (/tmp, /var/tmp, /run/lock, /dev/shm), which the backends hide behind private tmpfs mounts
ROOT_BASE = Path("/run/synlog-sandbox")
#: the world-writable directories a confined program could otherwise leave files in
WORLD_WRITABLE = ("/tmp", "/var/tmp", "/run/lock", "/dev/shm")


#: where work dirs go instead, when set (the verifier pool gives each worker its own folder,
#: removed when the worker is killed, so a killed job leaves nothing behind)
WORKDIR_BASE_ENV = "SYNLOG_SANDBOX_WORKDIR_BASE"


def workdir_base() -> str | None:
    """The parent of work dirs: ``$SYNLOG_SANDBOX_WORKDIR_BASE`` when set, else ROOT_BASE when
    root (created on first use), else the temp dir."""
    chosen = os.environ.get(WORKDIR_BASE_ENV)
    if chosen and os.path.isdir(chosen):
        return chosen
    if os.geteuid() != 0:
        return None
    try:
        ROOT_BASE.mkdir(mode=0o711, exist_ok=True)
        os.chmod(ROOT_BASE, 0o711)
    except OSError:
        return None
    return str(ROOT_BASE)


def work_files(program: str | None, files: dict[str, str | bytes] | None) -> dict[str, bytes]:
    """The work dir's files by relative name (``program`` as main.py); a name that would leave
    the work dir is a ValueError."""
    entries = dict(files or {})
    if program is not None:
        entries[MAIN] = program
    out = {}
    for name, content in entries.items():
        parts = Path(name).parts
        if not name or name.startswith("/") or ".." in parts or not parts:
            raise ValueError(f"file name {name!r} leaves the work dir; use a relative path")
        out[str(Path(*parts))] = content.encode() if isinstance(content, str) else bytes(content)
    return out


def make_workdir(program: str | None, files: dict[str, str | bytes] | None,
                 executables: tuple[str, ...] = ()) -> Path:
    """An empty private host directory holding ``files`` (and ``program`` as main.py)."""
    entries = work_files(program, files)
    workdir = Path(tempfile.mkdtemp(prefix="synlog-sbx-", dir=workdir_base()))
    for name, data in entries.items():
        target = workdir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if name in executables:
            target.chmod(0o700)
    return workdir


def collect_from(workdir: Path, patterns: tuple[str, ...], limit_bytes: int) -> dict[str, bytes]:
    """Regular files of a host work dir matching ``patterns`` (symlinks never followed)."""
    import fnmatch

    out: dict[str, bytes] = {}
    total = 0
    if not patterns:
        return out
    for top, _, names in os.walk(workdir, followlinks=False):
        for name in names:
            path = Path(top) / name
            rel = str(path.relative_to(workdir))
            if not any(fnmatch.fnmatchcase(rel, pattern) for pattern in patterns):
                continue
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            except OSError:
                continue
            with os.fdopen(fd, "rb") as handle:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    continue
                data = handle.read(limit_bytes - total + 1)
            total += len(data)
            if total > limit_bytes:
                raise SandboxError(f"the files to collect exceed {limit_bytes} bytes")
            out[rel] = data
    return out


def chown_tree(root: Path, uid: int) -> None:
    """Give the work dir to the uid the program runs as (it may write only there)."""
    os.chown(root, uid, uid)
    os.chmod(root, 0o700)
    for path in root.rglob("*"):
        os.chown(path, uid, uid, follow_symlinks=False)


def remove_workdir(workdir: Path) -> None:
    shutil.rmtree(workdir, ignore_errors=True)


def as_bytes(stdin: str | bytes | None) -> bytes:
    if stdin is None:
        return b""
    return stdin.encode() if isinstance(stdin, str) else bytes(stdin)


@dataclass
class Streams:
    """Captured output and whether a cap or the deadline ended the run."""

    stdout: bytearray = field(default_factory=bytearray)
    stderr: bytearray = field(default_factory=bytearray)
    over_limit: bool = False
    timed_out: bool = False


def pump(
    stdin_fd: int | None,
    stdin: bytes,
    stdout_fd: int,
    stderr_fd: int,
    exit_fd: int | None,
    deadline: float,
    cap: int,
) -> Streams:
    """Feed stdin and read stdout/stderr until the process exits, a cap is hit or the deadline.

    ``exit_fd`` (a pidfd) turns readable when the main process exits; from then on output is
    drained only until the pipes are empty, so a detached child holding them cannot stall us.
    """
    out = Streams()
    buffers = {stdout_fd: out.stdout, stderr_fd: out.stderr}
    sel = selectors.DefaultSelector()
    for fd in (stdout_fd, stderr_fd):
        os.set_blocking(fd, False)
        sel.register(fd, selectors.EVENT_READ)
    view = memoryview(stdin)
    if stdin_fd is not None:
        if view:
            os.set_blocking(stdin_fd, False)
            sel.register(stdin_fd, selectors.EVENT_WRITE)
        else:
            os.close(stdin_fd)
            stdin_fd = None
    if exit_fd is not None:
        sel.register(exit_fd, selectors.EVENT_READ)
    exited_at: float | None = None
    open_outputs = 2
    try:
        while open_outputs:
            now = time.monotonic()
            if now >= deadline:
                out.timed_out = True
                break
            wait = deadline - now
            if exited_at is not None:
                wait = min(wait, max(0.0, exited_at + 0.2 - now))
                if now >= exited_at + 0.2:
                    break
            events = sel.select(wait)
            for key, _ in events:
                fd = key.fd
                if fd == exit_fd:
                    sel.unregister(fd)
                    exited_at = time.monotonic()
                elif fd == stdin_fd:
                    try:
                        written = os.write(fd, view[:65536])
                    except (BrokenPipeError, OSError):
                        written = len(view)
                    view = view[written:]
                    if not view:
                        sel.unregister(fd)
                        os.close(fd)
                        stdin_fd = None
                else:
                    try:
                        chunk = os.read(fd, 65536)
                    except BlockingIOError:
                        continue
                    except OSError:
                        chunk = b""
                    if not chunk:
                        sel.unregister(fd)
                        open_outputs -= 1
                        continue
                    buf = buffers[fd]
                    room = cap - len(buf)
                    buf += chunk[:max(0, room)]
                    if len(chunk) > room:
                        out.over_limit = True
                        return out
    finally:
        if stdin_fd is not None:
            try:
                os.close(stdin_fd)
            except OSError:
                pass
        sel.close()
    return out


def decode(data: bytes | bytearray) -> str:
    return bytes(data).decode("utf-8", errors="replace")


def classify(
    streams: Streams, returncode: int | None, cpu_s: float, limits: Limits, stderr: str,
    wall_s: float = 0.0,
) -> Status:
    """The run's status from how it ended (shared by the process and bwrap backends)."""
    if streams.over_limit:
        return Status.OUTPUT_LIMIT
    if streams.timed_out:
        return Status.TIMEOUT
    if returncode == 0:
        return Status.OK
    last = stderr.rstrip().rsplit("\n", 1)[-1] if stderr else ""
    if last.startswith("MemoryError") or "Cannot allocate memory" in last:
        return Status.MEMORY
    if any(sign in last for sign in ("[Errno 27]", "File too large", "[Errno 28]", "No space left on device")):
        return Status.OUTPUT_LIMIT
    cpu_limit = math.ceil(limits.cpu_s)
    # SIGKILL/SIGXCPU, directly or re-raised by a launcher (unshare reports a failed re-raise)
    killed = returncode in (-9, -24, 137, 152) or "unshare: sigprocmask unblock failed" in stderr
    if killed and (cpu_s >= cpu_limit * 0.8 or wall_s >= cpu_limit * 0.8):
        return Status.TIMEOUT  # killed at the CPU limit (soft = hard)
    if returncode is not None and returncode < 0 or (returncode or 0) > 128:
        signal_number = -returncode if returncode < 0 else returncode - 128
        if signal_number == 25:
            return Status.OUTPUT_LIMIT  # SIGXFSZ
        if signal_number in (6, 11) and not last:
            return Status.MEMORY  # an allocation failure inside native code
    return Status.RUNTIME_ERROR
