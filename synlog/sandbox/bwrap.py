"""The ``bwrap`` backend: the process backend's limits, inside bubblewrap.

The chain (as root; without root the ``setpriv`` step is skipped)::

    setpriv --reuid U ...  prlimit ...  bwrap --unshare-all --cap-drop ALL --new-session
        --die-with-parent --ro-bind /usr /usr ... --bind WORK /work --tmpfs /tmp --dev /dev
        --proc /proc --clearenv  /usr/bin/python3 -I -S -B main.py

Inside: only the system directories (``/usr``, ``/lib*``, ``/bin``, ``/sbin``, ``/etc``
minus nothing secret to U), read-only; a private ``/tmp``, a minimal ``/dev``, the run's own
``/proc``; user, ipc, pid, network, uts and cgroup namespaces all new; no capabilities. The
work dir is the only writable path that outlives a process. ``argv`` commands must live in
those system directories (or in the work dir).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from functools import cache

from synlog.sandbox import process
from synlog.sandbox.core import (
    CLEAN_ENV,
    Limits,
    RunResult,
    SandboxError,
    Status,
    as_bytes,
    chown_tree,
    make_workdir,
    remove_workdir,
)

NAME = "bwrap"
SYSTEM_DIRS = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc")
#: processes bwrap itself holds inside the limit (its pid-1 init and the monitor)
BWRAP_PROCESSES = 2


def available() -> bool:
    return shutil.which("bwrap") is not None and process.available() and _works()


@cache
def _works() -> bool:
    """bwrap can start here (user namespaces allowed for our uid); checked once."""
    try:
        return run("print(1)", None, None, None, Limits(wall_s=10)).status is Status.OK
    except (OSError, SandboxError):
        return False


def bwrap_args(workdir: str) -> list[str]:
    args = ["bwrap", "--unshare-all", "--cap-drop", "ALL", "--new-session", "--die-with-parent"]
    for path in SYSTEM_DIRS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    args += ["--bind", workdir, "/work", "--chdir", "/work", "--tmpfs", "/tmp", "--dev", "/dev",
             "--proc", "/proc", "--clearenv"]
    env = dict(CLEAN_ENV, HOME="/work", TMPDIR="/tmp")
    for key, value in env.items():
        args += ["--setenv", key, value]
    return args


def run(
    program: str | None,
    argv: list[str] | None,
    stdin: str | bytes | None,
    files: dict[str, str | bytes] | None,
    limits: Limits,
) -> RunResult:
    """Run ``program`` or ``argv`` inside bubblewrap under the process backend's limits."""
    if shutil.which("bwrap") is None:
        raise SandboxError("bubblewrap is not installed: apt-get install bubblewrap")
    notes: list[str] = []
    command = list(argv) if argv else process.python_argv()
    uid = process.next_uid() if process.is_root() else None
    workdir = make_workdir(program, files)
    try:
        if uid is not None:
            chown_tree(workdir, uid)
        chain: list[str] = []
        if uid is not None:
            chain += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                      "--inh-caps=-all", "--bounding-set=-all", "--"]
        inner_limits = dataclasses.replace(limits, processes=limits.processes + BWRAP_PROCESSES)
        chain += ["prlimit", *process.rlimit_args(inner_limits, with_nproc=uid is not None), "--"]
        chain += bwrap_args(str(workdir)) + ["--", *command]
        env = {"PATH": CLEAN_ENV["PATH"]}
        result = process.execute(chain, workdir, env, as_bytes(stdin), limits, NAME, notes)
        # bwrap's monitor exits without reaping the program, so its usage never reaches us
        result.cpu_s, result.peak_memory_mb = 0.0, 0.0
        result.notes.append("cpu_s and peak_memory_mb are not measured by this backend")
        return result
    finally:
        remove_workdir(workdir)
