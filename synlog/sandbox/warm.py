"""The ``warm`` backend: the process backend's jail without a start-up per run.

A few long-lived servers (``_warm_server.py`` under the sandbox interpreter) each hold one jail:
new mount, pid, network, IPC and UTS namespaces whose root holds only the toolchain, read-only
(the same root as the process backend's, see ``_jail.py``). Each run is a fresh child forked
there: its own scratch tmpfs (/work, /tmp, /dev/shm under ``Limits.disk_mb``), its own IPC
namespace, a uid no other live run holds, its own cgroups where the machine has them, every
rlimit soft = hard, no capabilities, no-new-privs and the seccomp filter. A Python ``program``
runs in the child itself (no interpreter start-up); ``argv`` is exec'd there. When it ends, or
the wall limit or an output cap ends it, the server (pid 1 of its namespace) kills every other
process in it and unmounts the scratch tmpfs, so nothing outlives the run.

What it does not do that ``process`` does: a Python program's process is a fork of the warm
server, so it starts with the server's (secret-free) memory and imported stdlib modules, and
runs share one pid and network namespace over time (never at once). A run whose ``binds`` or
executable's installation the servers' root does not hold goes to the process backend (noted).
"""

from __future__ import annotations

import atexit
import json
import os
import socket
import subprocess
import threading
import time
from functools import cache
from pathlib import Path

from synlog.sandbox import process, resources
from synlog.sandbox.core import (
    CLEAN_ENV,
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
    make_workdir,
    pump,
    remove_workdir,
)

NAME = "warm"
HERE = Path(__file__).parent
#: servers kept idle at most (one is started per concurrent caller)
MAX_IDLE = 8


@cache
def server_source() -> str:
    return "\n".join((HERE / name).read_text() for name in ("_jail.py", "_warm_server.py"))


@cache
def server_binds() -> tuple[str, ...]:
    """What the servers' root shows besides /usr: the sandbox interpreter's installation."""
    where = process.installation(process.interpreter())
    return (where,) if where else ()


def mode() -> str:
    jail = process.jail_mode()
    return jail if jail else "none"


class _Server:
    """One warm server process and our end of its job socket."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        layout = resources._layout() if mode() == "root" else None
        config = {"mountpoint": process.jail_dir(), "binds": list(server_binds()),
                  "cgroup_parents": [str(p) for p in layout[1]] if layout else []}
        command = [process.interpreter(), "-I", "-S", "-B", "-c", server_source(), mode(), json.dumps(config)]
        try:
            self.proc = subprocess.Popen(command, stdin=theirs, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, env=dict(CLEAN_ENV), cwd="/",
                                         start_new_session=True, close_fds=True)
        except OSError as error:
            raise SandboxError(f"cannot start the warm server: {error}") from error
        finally:
            theirs.close()
        self.sock = ours

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        try:
            self.sock.close()
        finally:
            self.proc.kill()
            self.proc.wait()


_idle: list[_Server] = []
_lock = threading.Lock()


def _take() -> _Server:
    with _lock:
        while _idle:
            server = _idle.pop()
            if server.alive():
                return server
            server.close()
    return _Server()


def _give_back(server: _Server) -> None:
    with _lock:
        if len(_idle) < MAX_IDLE and server.alive():
            _idle.append(server)
            return
    server.close()


@atexit.register
def shutdown() -> None:
    """Stop every idle server (also called at interpreter exit)."""
    with _lock:
        servers, _idle[:] = list(_idle), []
    for server in servers:
        server.close()


def warm_up() -> None:
    """Have one idle server ready, so the next run pays no interpreter start."""
    _give_back(_take())


def available() -> bool:
    return process.available() and hasattr(socket, "send_fds") and hasattr(os, "memfd_create")


class _ServerGone(SandboxError):
    """The server died between runs (it is replaced and the run retried once)."""


def run(
    program: str | None,
    argv: list[str] | None,
    stdin: str | bytes | None,
    files: dict[str, str | bytes] | None,
    limits: Limits,
    options: Options = Options(),  # noqa: B008 - frozen dataclass
) -> RunResult:
    """Run ``program`` or ``argv`` in a child of a warm server (see the module docstring)."""
    command = list(argv) if argv else process.python_argv()
    _, binds = process.resolve(command, options.binds)
    if any(b not in server_binds() for b in binds):
        result = process.run(program, argv, stdin, files, limits, options)
        result.notes.append(f"the warm servers' root does not hold {', '.join(binds)}: ran on the process backend")
        return result
    try:
        return _run(program, argv, stdin, files, limits, options)
    except _ServerGone:
        return _run(program, argv, stdin, files, limits, options)


def _run(program: str | None, argv: list[str] | None, stdin: str | bytes | None,
         files: dict[str, str | bytes] | None, limits: Limits, options: Options) -> RunResult:
    import base64

    jail = mode()
    notes: list[str] = []
    held = resources.claim(jail == "root", limits.memory_mb, limits.processes)
    uid, cgroups = held.uid, held.cgroups
    if jail == "userns":
        notes.append("not root: jailed in a user namespace, without a uid of its own or cgroups")
    elif jail == "none":
        notes.append(process.UNJAILED)
    elif cgroups is None:
        notes.append(resources.NO_CGROUPS)
    workdir = make_workdir(program, files, options.executables) if jail == "none" else None
    server = _take()
    healthy = False
    try:
        job = process.job_for(jail if jail != "none" else "root", program, argv, files, limits, options, uid, [])
        job["python_main"] = argv is None
        job["wall_s"] = limits.wall_s
        job["cgroup_names"] = [[i, Path(p).parent.name] for i, p in enumerate(cgroups.procs)] if cgroups else []
        if workdir is not None:
            job.update(files={}, host_workdir=str(workdir), cwd=str(workdir),
                       env=dict(job["env"], HOME=str(workdir), TMPDIR=str(workdir)))
        job_fd = process.memfd("synlog-job", json.dumps(job).encode())
        reply_fd = process.memfd("synlog-reply")
        in_r, in_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        start = time.monotonic()
        try:
            try:
                socket.send_fds(server.sock, [b"job"], [job_fd, in_r, out_w, err_w, reply_fd])
            except OSError as error:
                for fd in (in_w, out_r, err_r):
                    os.close(fd)
                raise _ServerGone(f"the warm server is gone: {error}") from error
            finally:
                for fd in (in_r, out_w, err_w, job_fd):
                    os.close(fd)
            try:
                streams = pump(in_w, as_bytes(stdin), out_r, err_r, server.sock.fileno(),
                               start + limits.wall_s + 0.5, limits.output_bytes)
            finally:
                os.close(out_r)
                os.close(err_r)
            if streams.over_limit or streams.timed_out:
                server.sock.send(b"kill")
            server.sock.settimeout(limits.wall_s + 5)
            try:
                done = server.sock.recv(64)
            except OSError as error:
                raise SandboxError(f"the warm server did not answer: {error}") from error
            if not done:
                raise _ServerGone("the warm server exited")
            server.sock.settimeout(None)
            healthy = True
            raw = process.read_memfd(reply_fd)
        finally:
            os.close(reply_fd)
        wall = time.monotonic() - start
        reply = json.loads(raw or b"null")
        if not reply:
            raise SandboxError("the warm server gave no reply")
        if reply.get("setup_error"):
            raise SandboxError(reply["setup_error"])
        notes += reply.get("notes", [])
        if reply["killed"] == "timeout":
            streams.timed_out = True
        stderr = decode(streams.stderr)
        peak, hit = held.measure()
        peak = peak or reply["rss_kb"] / 1024
        status = classify(streams, reply["exit"], reply["cpu"], limits, stderr, wall)
        if resources.killed_for_memory(reply["exit"], hit) and status in (Status.RUNTIME_ERROR, Status.OK):
            status = Status.MEMORY
        if workdir is not None:
            collected = collect_from(workdir, options.collect, limits.disk_mb << 20)
        else:
            back = reply.get("files") or {}
            if "" in back:
                raise SandboxError(back[""])
            collected = {name: base64.b64decode(data) for name, data in back.items()}
        return RunResult(
            status=status, stdout=decode(streams.stdout), stderr=stderr, exit_code=reply["exit"], wall_s=wall,
            cpu_s=reply["cpu"], peak_memory_mb=peak, backend=NAME, notes=notes,
            files=collected,
        )
    finally:
        if healthy:
            _give_back(server)
        else:
            server.close()
        held.release()
        if workdir is not None:
            remove_workdir(workdir)


__all__ = ["NAME", "Status", "Streams", "available", "run", "shutdown"]
