"""The ``process`` backend: one jailed run per call, started by a small trusted launcher.

The launcher (``_launcher.py``, stdlib only, run by the sandbox interpreter) builds the jail of
``_jail.py`` inside new mount, pid, network, IPC and UTS namespaces and runs the program there::

    /usr, /bin, /lib* (links), a few /etc files, the program's installation   read-only
    /work (the cwd), /tmp, /dev/shm      one tmpfs of Limits.disk_mb / disk_files: the quota
    /dev: null zero full random urandom;  /proc: its own pid namespace

and nothing else of the host. The program runs as a uid no other live run holds
(:mod:`.resources`), every rlimit soft = hard, no capabilities, no-new-privs, and a seccomp
filter that refuses new user namespaces, ``setns`` and the kernel keyrings. Where the machine
lets us write cgroups, the run's memory (tmpfs included) and pids are bounded by its own cgroups,
and everything in them is killed before they are removed. When the program exits, the
namespace's init kills every other process in it; the scratch tmpfs dies with the namespace,
so clean-up costs nothing however many files the run made.

Not root: the same jail inside a user namespace where the kernel allows one (no uid change, no
cgroups; noted). Neither: rlimits and a new session only, the host's files visible; every
result's ``notes`` say so.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

from synlog.sandbox import resources
from synlog.sandbox.core import (
    CLEAN_ENV,
    MAIN,
    Limits,
    Options,
    RunResult,
    SandboxError,
    Status,
    Streams,
    as_bytes,
    classify,
    collect_from,
    decode,
    hard_rlimits,
    make_workdir,
    pump,
    remove_workdir,
    work_files,
)

NAME = "process"
HERE = Path(__file__).parent
#: the files the launcher's source is made of, in order
LAUNCHER_PARTS = ("_jail.py", "_launcher.py")
#: processes of a run that are not the program's: the launcher and the namespace's init
LAUNCHER_PROCESSES = 2
#: the jail's own folders: a bind under one of them would be hidden by the run's scratch tmpfs
SCRATCH_TOPS = ("/tmp", "/work", "/dev", "/proc")
#: the note every result carries where the jail cannot be built
UNJAILED = ("no namespaces (not root, and user namespaces are refused): rlimits only; the "
            "host's files, network and processes are visible to the program")


@cache
def launcher_source() -> str:
    return "\n".join((HERE / name).read_text() for name in LAUNCHER_PARTS)


def interpreter() -> str:
    """The fixed Python that runs programs: $SYNLOG_SANDBOX_PYTHON, else /usr/bin/python3."""
    chosen = os.environ.get("SYNLOG_SANDBOX_PYTHON")
    if chosen:
        if not (os.path.isfile(chosen) and os.access(chosen, os.X_OK)):
            raise SandboxError(f"SYNLOG_SANDBOX_PYTHON={chosen} is not an executable file")
        return chosen
    if os.path.exists("/usr/bin/python3"):
        return "/usr/bin/python3"
    return sys.executable


def python_argv(python: str | None = None) -> list[str]:
    """Isolated mode (no user site, no env vars), no site import, no bytecode written."""
    return [python or interpreter(), "-I", "-S", "-B", MAIN]


def is_root() -> bool:
    return os.geteuid() == 0


def installation(executable: str) -> str | None:
    """The directory to show read-only so ``executable`` runs in the jail (None: inside /usr)."""
    real = Path(os.path.realpath(executable))
    if real.is_relative_to("/usr"):
        return None
    return str(real.parent.parent if real.parent.name == "bin" else real.parent)


def resolve(command: list[str], binds: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """``command`` with its executable made absolute, and the binds it needs (its installation
    where that is outside /usr, then ``binds``)."""
    name = command[0]
    if "/" in name and not name.startswith("/"):
        return command, list(binds)  # relative to the work dir, e.g. ./main
    path = name if name.startswith("/") else shutil.which(name, path=CLEAN_ENV["PATH"])
    if path is None:
        raise SandboxError(f"{name} is not on the sandbox's PATH ({CLEAN_ENV['PATH']})")
    extra = [d for d in [installation(path)] if d] + list(binds)
    for bind in extra:
        real = os.path.realpath(bind)
        if any(real == top or real.startswith(top + "/") for top in SCRATCH_TOPS):
            raise SandboxError(f"{bind} cannot be shown in the jail: {', '.join(SCRATCH_TOPS)} are the run's own "
                               "(install the toolchain elsewhere, e.g. under /opt)")
    return [path, *command[1:]], extra


def rlimit_args(limits: Limits, with_nproc: bool) -> list[str]:
    """``prlimit`` options setting every limit soft = hard (``RLIMIT_AS`` → ``--as=M:M``)."""
    return [f"--{name.removeprefix('RLIMIT_').lower()}={value}:{value}"
            for name, value in hard_rlimits(limits, with_nproc).items()]


def jail_dir() -> str:
    """An empty host directory the jail's root tmpfs is mounted on (inside its namespace)."""
    base = Path("/run/synlog-sandbox") if is_root() else Path(tempfile.gettempdir()) / f"synlog-{os.getuid()}"
    path = base / "jail-root"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return str(path)


@cache
def jail_mode() -> str | None:
    """``root`` or ``userns`` where the jail can be built here (tried once), else None."""
    mode = "root" if is_root() else "userns"
    interpreter()  # a missing interpreter is the caller's to fix: raised, never cached as "no jail"
    limits = Limits(wall_s=10)
    try:
        result = _run_jailed(mode, None, ["/bin/true"] if os.path.exists("/bin/true") else ["true"],
                             None, {}, limits, Options())
    except (OSError, SandboxError):
        return None
    return mode if result.status is Status.OK else None


def run(
    program: str | None,
    argv: list[str] | None,
    stdin: str | bytes | None,
    files: dict[str, str | bytes] | None,
    limits: Limits,
    options: Options = Options(),  # noqa: B008 - frozen dataclass
) -> RunResult:
    """Run ``program`` (Python source) or ``argv`` jailed as described in the module docstring."""
    mode = jail_mode()
    if mode is None:
        return run_unjailed(program, argv, stdin, files, limits, options)
    return _run_jailed(mode, program, argv, stdin, files, limits, options)


def job_for(mode: str, program: str | None, argv: list[str] | None, files: dict[str, str | bytes] | None,
            limits: Limits, options: Options, uid: int | None, cgroup_procs: list[str]) -> dict:
    """The JSON job the launcher (or the warm server) reads."""
    import base64

    command, binds = resolve(list(argv) if argv else python_argv(), options.binds)
    entries = work_files(program, files)
    return {
        "argv": command, "env": dict(CLEAN_ENV, HOME="/work", TMPDIR="/tmp", **options.env),
        "uid": uid, "userns": mode == "userns", "rlimits": hard_rlimits(limits, uid is not None),
        "files": {name: base64.b64encode(data).decode() for name, data in entries.items()},
        "executables": list(options.executables), "collect": list(options.collect),
        "collect_bytes": limits.disk_mb << 20, "disk_mb": limits.disk_mb, "inodes": limits.disk_files,
        "binds": binds, "cgroups": cgroup_procs, "mountpoint": jail_dir(), "seccomp": seccomp_b64(),
    }


@cache
def seccomp_b64() -> str | None:
    import base64

    from synlog.sandbox import _jail

    program = _jail.seccomp_program()
    return base64.b64encode(program).decode() if program else None


def memfd(name: str, data: bytes = b"") -> int:
    fd = os.memfd_create(name, os.MFD_CLOEXEC)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def read_memfd(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _run_jailed(mode: str, program: str | None, argv: list[str] | None, stdin: str | bytes | None,
                files: dict[str, str | bytes] | None, limits: Limits, options: Options) -> RunResult:
    import base64

    notes: list[str] = []
    held = resources.claim(mode == "root", limits.memory_mb, limits.processes + LAUNCHER_PROCESSES)
    uid, cgroups = held.uid, held.cgroups
    if mode == "userns":
        notes.append("not root: jailed in a user namespace, without a uid of its own or cgroups")
    elif cgroups is None:
        notes.append(resources.NO_CGROUPS)
    try:
        job = job_for(mode, program, argv, files, limits, options, uid, cgroups.procs if cgroups else [])
        job_fd = memfd("synlog-job", json.dumps(job).encode())
        reply_fd = memfd("synlog-reply")
        try:
            command = [interpreter(), "-I", "-S", "-B", "-c", launcher_source(), str(job_fd), str(reply_fd)]
            result = execute(command, "/", {"PATH": CLEAN_ENV["PATH"]}, as_bytes(stdin), limits, NAME, notes,
                             pass_fds=(job_fd, reply_fd))
            raw = read_memfd(reply_fd)
        finally:
            os.close(job_fd)
            os.close(reply_fd)
        peak, hit = held.measure()
        if not raw:
            if result.status in (Status.TIMEOUT, Status.OUTPUT_LIMIT):
                return result
            raise SandboxError(f"the launcher ended without a reply: {result.stderr[-300:]}")
        reply = json.loads(raw)
        if reply.get("setup_error"):
            raise SandboxError(reply["setup_error"])
        notes += reply.get("notes", [])
        if result.status not in (Status.TIMEOUT, Status.OUTPUT_LIMIT):
            result.exit_code = reply["exit"]
            result.cpu_s = reply["cpu"]
            result.status = classify(Streams(),  # neither a cap nor the deadline ended it
                                      reply["exit"], reply["cpu"], limits, result.stderr,
                                     result.wall_s)
            if resources.killed_for_memory(reply["exit"], hit) and result.status is not Status.TIMEOUT:
                result.status = Status.MEMORY
        result.peak_memory_mb = peak or reply.get("rss_kb", 0) / 1024
        files_back = reply.get("files") or {}
        if "" in files_back:
            raise SandboxError(files_back[""])
        result.files = {name: base64.b64decode(data) for name, data in files_back.items()}
        return result
    finally:
        held.release()


def run_unjailed(program: str | None, argv: list[str] | None, stdin: str | bytes | None,
                 files: dict[str, str | bytes] | None, limits: Limits, options: Options) -> RunResult:
    """rlimits and a new session only (no namespaces to be had here); noted in the result."""
    command = list(argv) if argv else python_argv()
    workdir = make_workdir(program, files, options.executables)
    try:
        env = dict(CLEAN_ENV, HOME=str(workdir), TMPDIR=str(workdir), **options.env)
        result = execute(["prlimit", *rlimit_args(limits, with_nproc=False), "--", *command], str(workdir), env, as_bytes(stdin), limits, NAME,
                         [UNJAILED])
        result.files = collect_from(workdir, options.collect, limits.disk_mb << 20)
        return result
    finally:
        remove_workdir(workdir)


def execute(
    command: list[str], cwd: str | Path, env: dict[str, str], stdin: bytes, limits: Limits,
    backend: str, notes: list[str], pass_fds: tuple[int, ...] = (),
) -> RunResult:
    """Start the confined command, pump its streams, kill its group, classify the outcome."""
    # stdin is our own pipe: ``pump`` owns and closes its write end (a file object closing the
    # same fd number again could close another thread's freshly opened descriptor)
    stdin_read, stdin_write = os.pipe()
    start = time.monotonic()
    try:
        proc = subprocess.Popen(
            command, cwd=cwd, env=env, stdin=stdin_read, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, start_new_session=True, close_fds=True, pass_fds=pass_fds,
        )
    except OSError as error:
        os.close(stdin_write)
        raise SandboxError(f"cannot start {command[0]}: {error}") from error
    finally:
        os.close(stdin_read)
    try:
        pidfd = os.pidfd_open(proc.pid)
    except OSError:
        pidfd = None
    try:
        deadline = start + limits.wall_s
        streams = pump(stdin_write, stdin, proc.stdout.fileno(), proc.stderr.fileno(),
                       pidfd, deadline, limits.output_bytes)
        if pidfd is not None and not (streams.timed_out or streams.over_limit):
            # the streams can close before the launcher has written its reply: let it finish
            poller = select.poll()  # not select.select: our descriptors may be numbered above 1024
            poller.register(pidfd, select.POLLIN)
            streams.timed_out = not poller.poll(max(0.0, deadline - time.monotonic()) * 1000)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - start
        proc.stdout.close()
        proc.stderr.close()
        if pidfd is not None:
            os.close(pidfd)
    cpu = usage.ru_utime + usage.ru_stime
    stderr = decode(streams.stderr)
    return RunResult(
        status=classify(streams, proc.returncode, cpu, limits, stderr, wall),
        stdout=decode(streams.stdout), stderr=stderr, exit_code=proc.returncode,
        wall_s=wall, cpu_s=cpu, peak_memory_mb=usage.ru_maxrss / 1024, backend=backend, notes=notes,
    )


def available() -> bool:
    return shutil.which("prlimit") is not None or jail_mode() is not None


__all__ = ["NAME", "Status", "available", "jail_mode", "run"]
