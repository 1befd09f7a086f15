"""The ``process`` backend: a fixed interpreter under hard rlimits, its own uid and namespaces.

One run, as root (the usual case in CI containers)::

    setpriv --pdeathsig KILL                                  # dies with the caller
    unshare --net --pid --fork --kill-child --mount-proc      # no network, own pid space
      mount -a (a private tmpfs on /tmp, /var/tmp, /run/lock, /dev/shm)
      setpriv --reuid U --regid U --clear-groups --no-new-privs --bounding-set=-all
        prlimit --cpu=C:C --as=M:M --fsize=F:F --nofile=N:N --nproc=P:P --core=0:0
          /usr/bin/python3 -I -S -B main.py                     # cwd: a fresh 0700 dir of U

U is a uid of this run alone (so RLIMIT_NPROC counts only this run's processes and nothing
else on the machine belongs to it); every limit is set soft = hard, so the program cannot
raise it again. The session is new, and when the first process of the pid namespace exits
or is killed, the kernel kills every other process in it: a detached child cannot outlive
the run. The chain is built from exec'd tools, never from ``preexec_fn``, so it is safe to
call from threads.

Not root: rlimits and a new session only (no uid change, no namespaces); the result's
``notes`` say so. An ``argv`` whose executable, or any absolute path it names (also in
``NAME=/a:/b`` arguments), the run's uid cannot reach (e.g. a toolchain under ``/root``) runs
as root inside the same namespaces and limits, also noted.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from functools import cache
from pathlib import Path

from synlog.sandbox.core import (
    CLEAN_ENV,
    MAIN,
    WORLD_WRITABLE,
    Limits,
    RunResult,
    SandboxError,
    Status,
    as_bytes,
    chown_tree,
    classify,
    decode,
    hard_rlimits,
    make_workdir,
    pump,
    remove_workdir,
    workdir_base,
)

NAME = "process"
#: uids handed to runs: FIRST_UID .. FIRST_UID + UID_SPAN - 1 (no passwd entries needed)
FIRST_UID, UID_SPAN = 200_000, 1_000_000
_uid_lock = threading.Lock()
_uid_counter = [0]
#: inside the new mount namespace: an empty private tmpfs on every world-writable directory
#: (one ``mount -a`` over a small fstab), so nothing written outside the work dir survives
PRIVATE_TMP = 'mount -a -T "$0" || exit 125; exec "$@"'


@cache
def private_tmp_fstab() -> str:
    """The fstab that ``PRIVATE_TMP`` mounts, written once next to the work dirs."""
    base = Path(workdir_base() or tempfile.gettempdir())
    lines = [f"synlog-private-tmp {d} tmpfs size=64m,mode=1777,nosuid,nodev 0 0\n" for d in WORLD_WRITABLE if os.path.isdir(d)]
    path = base / "private-tmp.fstab"
    tmp = base / f"private-tmp.fstab.{os.getpid()}"
    tmp.write_text("".join(lines))
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return str(path)


def interpreter() -> str:
    """The fixed Python that runs programs: $SYNLOG_SANDBOX_PYTHON, else /usr/bin/python3."""
    chosen = os.environ.get("SYNLOG_SANDBOX_PYTHON")
    if chosen:
        return chosen
    if _world_executable("/usr/bin/python3"):
        return "/usr/bin/python3"
    return sys.executable


def python_argv(python: str | None = None) -> list[str]:
    """Isolated mode (no user site, no env vars), no site import, no bytecode written."""
    return [python or interpreter(), "-I", "-S", "-B", MAIN]


def _world_executable(path: str) -> bool:
    """Whether a uid with no privileges can execute ``path`` (every parent dir searchable)."""
    p = Path(path)
    try:
        real = p.resolve(strict=True)
    except OSError:
        return False
    for part in [real, *real.parents]:
        try:
            mode = part.stat().st_mode
        except OSError:
            return False
        if not mode & 0o001:
            return False
    return True


def _world_reachable(path: str) -> bool:
    """Whether an unprivileged uid can reach ``path`` (parents searchable, itself readable or searchable)."""
    try:
        real = Path(path).resolve(strict=True)
        mode = real.stat().st_mode
    except OSError:
        return True  # not a path on this machine: nothing to reach
    return bool(mode & 0o005) and all(parent.stat().st_mode & 0o001 for parent in real.parents)


def paths_reachable(argv: list[str]) -> bool:
    """Every absolute path named in ``argv`` (also ``NAME=/a:/b`` values) is reachable unprivileged."""
    for arg in argv:
        for value in (arg, arg.partition("=")[2]):
            for part in value.split(":"):
                if part.startswith("/") and not _world_reachable(part):
                    return False
    return True


def is_root() -> bool:
    return os.geteuid() == 0


@cache
def namespaces_work() -> bool:
    """Whether ``unshare`` can create network, pid and mount namespaces here."""
    if not is_root() or shutil.which("unshare") is None:
        return False
    try:
        done = subprocess.run(
            ["unshare", "--net", "--pid", "--fork", "--kill-child", "--mount-proc", "true"],
            capture_output=True, timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def next_uid() -> int:
    """A uid no other live run of this process uses (pid-salted across processes)."""
    with _uid_lock:
        _uid_counter[0] += 1
        n = _uid_counter[0]
    return FIRST_UID + (os.getpid() * 97 + n) % UID_SPAN


def rlimit_args(limits: Limits, with_nproc: bool) -> list[str]:
    """``prlimit`` options setting every limit soft = hard (``RLIMIT_AS`` → ``--as=M:M``)."""
    return [f"--{name.removeprefix('RLIMIT_').lower()}={value}:{value}"
            for name, value in hard_rlimits(limits, with_nproc).items()]


def build_command(command: list[str], limits: Limits, uid: int | None, notes: list[str]) -> list[str]:
    """The exec chain that confines ``command`` (see the module docstring)."""
    chain: list[str] = []
    if is_root():
        if namespaces_work():
            # pdeathsig: if the caller dies mid-run, unshare dies and takes the namespace along
            chain += ["setpriv", "--pdeathsig", "KILL", "--",
                      "unshare", "--net", "--pid", "--fork", "--kill-child", "--mount-proc", "--",
                      "/bin/sh", "-c", PRIVATE_TMP, private_tmp_fstab()]
        else:
            notes.append("no namespaces: network and other processes are visible")
        if uid is not None:
            # --pdeathsig again: changing uid clears it, and the program must die with unshare
            chain += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                      "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all", "--pdeathsig", "KILL", "--"]
        else:
            chain += ["setpriv", "--no-new-privs", "--"]
    else:
        notes.append("not root: no uid change, no namespaces, no process limit")
    chain += ["prlimit", *rlimit_args(limits, with_nproc=uid is not None), "--"]
    return chain + command


def run(
    program: str | None,
    argv: list[str] | None,
    stdin: str | bytes | None,
    files: dict[str, str | bytes] | None,
    limits: Limits,
) -> RunResult:
    """Run ``program`` (Python source) or ``argv`` confined as described in the module docstring."""
    notes: list[str] = []
    command = list(argv) if argv else python_argv()
    executable = shutil.which(command[0]) or command[0]
    uid = next_uid() if is_root() else None
    if uid is not None and not (_world_executable(executable) and paths_reachable(command[1:])):
        notes.append(f"{' '.join(command)[:200]} names paths an unprivileged uid cannot reach: ran as root")
        uid = None
    workdir = make_workdir(program, files)
    try:
        if uid is not None:
            chown_tree(workdir, uid)
        env = dict(CLEAN_ENV, HOME=str(workdir), TMPDIR=str(workdir))
        full = build_command([executable, *command[1:]], limits, uid, notes)
        return execute(full, workdir, env, as_bytes(stdin), limits, NAME, notes)
    finally:
        remove_workdir(workdir)


def execute(
    command: list[str], cwd: Path, env: dict[str, str], stdin: bytes, limits: Limits,
    backend: str, notes: list[str],
) -> RunResult:
    """Start the confined command, pump its streams, kill its group, classify the outcome."""
    # stdin is our own pipe: ``pump`` owns and closes its write end (a file object closing the
    # same fd number again could close another thread's freshly opened descriptor)
    stdin_read, stdin_write = os.pipe()
    start = time.monotonic()
    try:
        proc = subprocess.Popen(
            command, cwd=cwd, env=env, stdin=stdin_read, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, start_new_session=True, close_fds=True,
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
        streams = pump(stdin_write, stdin, proc.stdout.fileno(), proc.stderr.fileno(),
                       pidfd, start + limits.wall_s, limits.output_bytes)
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
    return shutil.which("prlimit") is not None and (not is_root() or shutil.which("setpriv") is not None)


__all__ = ["NAME", "Status", "available", "run"]
