"""The ``warm`` backend: the process backend's confinement without interpreter start-up.

A few long-lived servers (``_warm_server.py`` under the sandbox interpreter, each started
inside new network, pid and mount namespaces with a scrubbed environment) fork one fresh
child per run. The child gets a uid of its own, every rlimit soft = hard, no-new-privs, a
new session, the run's private work dir as cwd and only the run's three pipes as file
descriptors, then executes ``main.py``. When it ends (or the wall limit or an output cap
ends it) the server kills every process of that uid, so nothing outlives the run.

What it does not do that ``process`` does: the child is a fork of a warm interpreter rather
than a fresh ``exec``, so it starts with the server's (secret-free) memory and imported
stdlib modules. ``argv`` commands are passed to the ``process`` backend.
"""

from __future__ import annotations

import atexit
import json
import os
import socket
import subprocess
import threading
import time
from pathlib import Path

from synlog.sandbox import process
from synlog.sandbox.core import (
    CLEAN_ENV,
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
)

NAME = "warm"
SERVER_SOURCE = Path(__file__).with_name("_warm_server.py")
#: servers kept idle at most (one is started per concurrent caller)
MAX_IDLE = 8


class _Server:
    """One warm server process and our end of its job socket."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        command = [process.interpreter(), "-I", "-S", "-B", "-c", SERVER_SOURCE.read_text()]
        if process.is_root() and process.namespaces_work():
            command = ["unshare", "--net", "--pid", "--fork", "--kill-child", "--mount-proc", "--",
                       *command, "--private-tmp"]
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
    return process.available() and SERVER_SOURCE.exists() and hasattr(socket, "send_fds")


class _ServerGone(SandboxError):
    """The server died between runs (it is replaced and the run retried once)."""


def run(
    program: str | None,
    argv: list[str] | None,
    stdin: str | bytes | None,
    files: dict[str, str | bytes] | None,
    limits: Limits,
) -> RunResult:
    """Run ``program`` in a child of a warm server (``argv`` goes to the process backend)."""
    if argv is not None:
        result = process.run(None, argv, stdin, files, limits)
        result.notes.append("warm runs Python programs only: argv ran on the process backend")
        return result
    try:
        return _run(program, stdin, files, limits)
    except _ServerGone:
        return _run(program, stdin, files, limits)


def _run(program: str | None, stdin: str | bytes | None, files: dict[str, str | bytes] | None,
         limits: Limits) -> RunResult:
    uid = process.next_uid() if process.is_root() else None
    notes = [] if uid is not None else ["not root: no uid change, no process limit"]
    workdir = make_workdir(program, files)
    server = _take()
    healthy = False
    try:
        if uid is not None:
            chown_tree(workdir, uid)
        job = {"workdir": str(workdir), "uid": uid, "limits": hard_rlimits(limits, uid is not None),
               "env": dict(CLEAN_ENV, HOME=str(workdir), TMPDIR=str(workdir)), "wall_s": limits.wall_s}
        in_r, in_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        start = time.monotonic()
        try:
            socket.send_fds(server.sock, [json.dumps(job).encode()], [in_r, out_w, err_w])
        except OSError as error:
            for fd in (in_r, in_w, out_r, out_w, err_r, err_w):
                os.close(fd)
            raise _ServerGone(f"the warm server is gone: {error}") from error
        for fd in (in_r, out_w, err_w):
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
            reply = json.loads(server.sock.recv(65536) or b"null")
        except (OSError, ValueError) as error:
            raise SandboxError(f"the warm server did not answer: {error}") from error
        if reply is None:
            raise _ServerGone("the warm server exited")
        server.sock.settimeout(None)
        healthy = True
        wall = time.monotonic() - start
        if reply["killed"] == "timeout":
            streams.timed_out = True
        stderr = decode(streams.stderr)
        return RunResult(
            status=classify(streams, reply["exit"], reply["cpu"], limits, stderr, wall),
            stdout=decode(streams.stdout), stderr=stderr, exit_code=reply["exit"], wall_s=wall,
            cpu_s=reply["cpu"], peak_memory_mb=reply["rss_kb"] / 1024, backend=NAME, notes=notes,
        )
    finally:
        if healthy:
            _give_back(server)
        else:
            server.close()
        remove_workdir(workdir)


__all__ = ["NAME", "Status", "available", "run", "shutdown"]
