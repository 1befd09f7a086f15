"""The warm server: a stdlib-only loop the ``warm`` backend runs under the sandbox interpreter.

It is started once (inside new network, pid and mount namespaces when root) and reads jobs
from fd 0, a SOCK_SEQPACKET socket: each job is a JSON object plus three file descriptors
(the run's stdin, stdout, stderr pipes). For each job it forks a fresh child that drops to
the job's uid, sets every limit soft = hard, closes everything else, and runs ``main.py``
from the job's work dir; the server waits (a wall deadline, a kill request from the caller),
then kills every process of the job's uid and replies ``{"status": …, "cpu": …, "rss": …}``.

This file is executed with ``python -I -S -c``; it must not import synlog.
"""

import ctypes
import json
import os
import pkgutil  # noqa: F401 - runpy.run_path imports it on each call: load it once here
import resource
import runpy
import select
import shutil
import signal
import socket
import sys
import time
import traceback

#: modules programs commonly import, loaded once here so each child starts warm
WARM_MODULES = ("bisect", "collections", "functools", "heapq", "itertools", "json", "math", "re",
                "string")
for _name in WARM_MODULES:
    __import__(_name)

PR_SET_NO_NEW_PRIVS = 38
LIBC = ctypes.CDLL(None, use_errno=True)


def child(job):
    """Runs in the forked child: confine, then run main.py as __main__; never returns."""
    try:
        os.setsid()
        os.chdir(job["workdir"])
        limits = job["limits"]
        for name, value in limits.items():
            resource.setrlimit(getattr(resource, name), (value, value))
        LIBC.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
        uid = job.get("uid")
        if uid is not None:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
        os.environ.clear()
        os.environ.update(job["env"])
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        sys.stdin = open(0, encoding="utf-8", errors="replace", closefd=False)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False, buffering=1)
        sys.argv = ["main.py"]
    except BaseException:  # noqa: BLE001 - report setup failures as the program's
        os.write(2, b"sandbox setup failed\n")
        os._exit(70)
    status = 0
    try:
        runpy.run_path("main.py", run_name="__main__")  # in the confined child, as `python main.py`
    except SystemExit as stop:
        if stop.code is None:
            status = 0
        elif isinstance(stop.code, int):
            status = stop.code & 0xFF
        else:
            print(stop.code, file=sys.stderr)
            status = 1
    except BaseException:  # noqa: BLE001 - like the interpreter: traceback, exit 1
        try:
            traceback.print_exc()
        except BaseException:  # noqa: BLE001
            pass
        status = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # noqa: BLE001
        status = status or 120
    os._exit(status)


def kill_uid(uid):
    """Kill every process of ``uid`` (detached children included): kill(-1) as that uid."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)
        except OSError:
            pass
        os._exit(0)
    os.waitpid(pid, 0)


WORLD_WRITABLE = ("/tmp", "/var/tmp", "/run/lock", "/dev/shm")


def private_tmp():
    """Mount an empty tmpfs on every world-writable dir (we are in our own mount namespace)."""
    for path in WORLD_WRITABLE:
        if os.path.isdir(path):
            if LIBC.mount(b"tmpfs", path.encode(), b"tmpfs", 0x2 | 0x4, b"size=64m,mode=1777") != 0:
                raise OSError(ctypes.get_errno(), "mount tmpfs on " + path)


def wipe_tmp():
    """Empty the private tmpfs mounts after a job: nothing a job leaves there survives it."""
    for path in WORLD_WRITABLE:
        try:
            names = os.listdir(path)
        except OSError:
            continue
        for name in names:
            full = os.path.join(path, name)
            if os.path.isdir(full) and not os.path.islink(full):
                shutil.rmtree(full, ignore_errors=True)
            else:
                try:
                    os.unlink(full)
                except OSError:
                    pass


def serve(conn, isolate_tmp):
    if isolate_tmp:
        private_tmp()
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(conn, 65536, 3)
        except OSError:
            return
        if not message:
            return
        if message == b"kill":
            for fd in fds:
                os.close(fd)
            continue  # a kill request that arrived after its job had already ended
        job = json.loads(message)
        pid = os.fork()
        if pid == 0:
            conn.close()
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
            os.closerange(3, 65536)
            child(job)
        for fd in fds:
            os.close(fd)
        pidfd = os.pidfd_open(pid)
        deadline = time.monotonic() + job["wall_s"]
        killed = None
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                killed = "timeout"
                break
            ready, _, _ = select.select([pidfd, conn], [], [], left)
            if pidfd in ready:
                break
            if conn in ready:
                killed = "killed"
                try:
                    conn.recv(64)
                except OSError:
                    pass
                break
        if killed:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        _, status, usage = os.wait4(pid, 0)
        os.close(pidfd)
        if job.get("uid") is not None:
            kill_uid(job["uid"])
        else:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        if isolate_tmp:
            wipe_tmp()
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass  # orphans re-parented to us (pid 1 of the namespace)
        except ChildProcessError:
            pass
        reply = {"exit": os.waitstatus_to_exitcode(status), "cpu": usage.ru_utime + usage.ru_stime,
                 "rss_kb": usage.ru_maxrss, "killed": killed}
        try:
            conn.send(json.dumps(reply).encode())
        except OSError:
            return


if __name__ == "__main__":
    serve(socket.socket(fileno=0), "--private-tmp" in sys.argv)
