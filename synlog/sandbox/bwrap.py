"""The ``bwrap`` backend: the jail's root and limits, built by bubblewrap.

The chain (as root; without root the cgroup and ``setpriv`` steps are skipped)::

    sh (joins the run's cgroups) → setpriv --reuid U ... → prlimit ... →
    bwrap --unshare-all --unshare-user --disable-userns --cap-drop ALL --new-session
          --die-with-parent --seccomp FD --ro-bind /usr /usr ... --size D --tmpfs /work
          --file FD /work/<name> ... --size D --tmpfs /tmp --dev /dev --size D --tmpfs /dev/shm
          --proc /proc --clearenv  /usr/bin/python3 -I -S -B main.py

Inside: the same read-only toolchain as the jail of ``_jail.py`` (``/usr``, the /bin and /lib
links, a few /etc files, the binds); a size-capped tmpfs for the work dir, /tmp and /dev/shm
each; a minimal ``/dev``; the run's own ``/proc``; every namespace new and no further user
namespaces; no capabilities; the same seccomp filter. A run that collects files gets the host
work dir bound at /work instead (its size then bounded per file only, noted).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from functools import cache

from synlog.sandbox import _jail, process, resources
from synlog.sandbox.core import (
    CLEAN_ENV,
    Limits,
    Options,
    RunResult,
    SandboxError,
    Status,
    as_bytes,
    chown_tree,
    collect_from,
    make_workdir,
    remove_workdir,
    work_files,
)

NAME = "bwrap"
#: processes bwrap itself holds inside the limit (its pid-1 init and the monitor)
BWRAP_PROCESSES = 2
JOIN_CGROUPS = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"'


def available() -> bool:
    return shutil.which("bwrap") is not None and process.available() and _works()


@cache
def _works() -> bool:
    """bwrap can start here (user namespaces allowed for our uid); checked once."""
    try:
        return run("print(1)", None, None, None, Limits(wall_s=10)).status is Status.OK
    except (OSError, SandboxError):
        return False


def root_args(binds: list[str]) -> list[str]:
    """The read-only toolchain: what the jail's root holds, as bwrap options."""
    args: list[str] = []
    for name in _jail.USR_LINKS:
        path = "/" + name
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    args += ["--ro-bind", "/usr", "/usr"]
    for name in _jail.etc_entries():
        args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    for path in binds:
        real = os.path.realpath(path)
        args += ["--ro-bind", real, real]
    return args


def run(
    program: str | None,
    argv: list[str] | None,
    stdin: str | bytes | None,
    files: dict[str, str | bytes] | None,
    limits: Limits,
    options: Options = Options(),  # noqa: B008 - frozen dataclass
) -> RunResult:
    """Run ``program`` or ``argv`` inside bubblewrap under the process backend's limits."""
    if shutil.which("bwrap") is None:
        raise SandboxError("bubblewrap is not installed: apt-get install bubblewrap")
    notes: list[str] = []
    command, binds = process.resolve(list(argv) if argv else process.python_argv(), options.binds)
    root = process.is_root()
    held = resources.claim(root, limits.memory_mb, limits.processes + BWRAP_PROCESSES + 2)
    uid, cgroups = held.uid, held.cgroups
    fds: list[int] = []
    workdir = None
    try:
        disk = f"{limits.disk_mb << 20}"
        args = ["bwrap", "--unshare-all", "--unshare-user", "--disable-userns", "--cap-drop", "ALL",
                "--new-session", "--die-with-parent", *root_args(binds)]
        seccomp = _jail.seccomp_program()
        if seccomp:
            fds.append(process.memfd("synlog-seccomp", seccomp))
            args += ["--seccomp", str(fds[-1])]
        if options.collect:
            workdir = make_workdir(program, files, options.executables)
            if uid is not None:
                chown_tree(workdir, uid)
            args += ["--bind", str(workdir), "/work"]
            notes.append("collecting files: the work dir is on the host disk (one file <= file_size_mb)")
        else:
            args += ["--perms", "0700", "--size", disk, "--tmpfs", "/work"]
            for name, data in work_files(program, files).items():
                fds.append(process.memfd("synlog-file", data))
                if "/" in name:
                    args += ["--dir", "/work/" + os.path.dirname(name)]
                args += ["--file", str(fds[-1]), "/work/" + name]
                if name in options.executables:
                    args += ["--chmod", "0700", "/work/" + name]
        args += ["--chdir", "/work", "--size", disk, "--tmpfs", "/tmp", "--dev", "/dev",
                 "--size", disk, "--tmpfs", "/dev/shm", "--proc", "/proc", "--clearenv"]
        for key, value in dict(CLEAN_ENV, HOME="/work", TMPDIR="/tmp", **options.env).items():
            args += ["--setenv", key, value]
        chain: list[str] = []
        if cgroups is not None:
            chain += ["/bin/sh", "-c", JOIN_CGROUPS, "sh", *cgroups.procs, "--"]
        elif root:
            notes.append(resources.NO_CGROUPS)
        if uid is not None:
            chain += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                      "--inh-caps=-all", "--bounding-set=-all", "--"]
        inner_limits = dataclasses.replace(limits, processes=limits.processes + BWRAP_PROCESSES)
        chain += ["prlimit", *process.rlimit_args(inner_limits, with_nproc=uid is not None), "--"]
        chain += args + ["--", *command]
        result = process.execute(chain, "/", {"PATH": CLEAN_ENV["PATH"]}, as_bytes(stdin), limits, NAME, notes,
                                 pass_fds=tuple(fds))
        # bwrap's monitor exits without reaping the program, so its usage never reaches us
        result.cpu_s, result.peak_memory_mb = 0.0, 0.0
        if cgroups is not None:
            result.peak_memory_mb, hit = held.measure()
            if resources.killed_for_memory(result.exit_code, hit) and result.status is Status.RUNTIME_ERROR:
                result.status = Status.MEMORY
            result.notes.append("cpu_s is not measured by this backend")
        else:
            result.notes.append("cpu_s and peak_memory_mb are not measured by this backend")
        if workdir is not None:
            result.files = collect_from(workdir, options.collect, limits.disk_mb << 20)
        return result
    finally:
        for fd in fds:
            os.close(fd)
        held.release()
        if workdir is not None:
            remove_workdir(workdir)
