"""The warm server: the ``warm`` backend's long-lived jail (``_jail.py``'s source precedes this
file's when the host runs it with ``python -I -S -B -c``; it must not import synlog).

Started with ``argv = [mode, config]`` and fd 0 a SOCK_SEQPACKET socket. In ``root`` or ``userns``
mode it unshares mount, pid, network, IPC and UTS namespaces (and a user namespace in
``userns``), forks the namespace's pid 1, builds the jail root once (the toolchain read-only, a
minimal /dev, /etc and /proc; the host's cgroup folders for runs behind a root-only 0700 mount)
and pivots into it. ``none`` mode (no namespaces to be had) serves from the host's root.

Each job arrives as a message with five descriptors: the job (a memfd of JSON, as the process
backend's launcher reads), the run's stdin, stdout and stderr, and a reply memfd. Per job:

    mount the scratch tmpfs (/work, /tmp, /dev/shm under one quota), write the files
    fork the child: join the run's cgroups, a new IPC namespace, confine (rlimits, uid, no caps,
        no-new-privs, seccomp), then run main.py in-process (a Python program: no interpreter
        start-up) or exec argv
    wait (the wall deadline, or a "kill" message from the host), kill every other process of
    the namespace (pid 1's kill(-1)), collect the files asked for, unmount the scratch tmpfs,
    write the reply and send "done"
"""
# ruff: noqa: F821 - the names come from _jail.py, whose source is run before this file's

import pkgutil  # noqa: F401,E402 - runpy.run_path imports it on each call: load it once here
import runpy
import select
import socket
import sys
import time
import traceback

#: modules programs commonly import, loaded once here so each child starts warm
WARM_MODULES = ("bisect", "collections", "functools", "heapq", "itertools", "json", "math", "re", "string")
for _name in WARM_MODULES:
    __import__(_name)


def run_python_main():
    """In the confined child: run main.py as __main__, like ``python main.py``; never returns."""
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.stdin = open(0, encoding="utf-8", errors="replace", closefd=False)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False, buffering=1)
    sys.argv = ["main.py"]
    status = 0
    try:
        runpy.run_path("main.py", run_name="__main__")
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


def child(job, fds, ready_w, jailed):
    """The forked child: take the run's stdio, confine, run; never returns."""
    try:
        for target, fd in enumerate(fds[1:4]):
            os.dup2(fd, target)
        close_all_but(ready_w)
        join_cgroups([f"/.cgroups/{i}/{name}/cgroup.procs" for i, name in job["cgroup_names"]])
        if jailed:
            unshare(CLONE_NEWIPC)
        os.environ.clear()
        os.environ.update(job["env"])
        confine(job)
        if job.get("python_main"):
            os.close(ready_w)
            run_python_main()
        os.execvpe(job["argv"][0], job["argv"], job["env"])
    except BaseException as error:  # noqa: BLE001 - reported to the server, not to the program's streams
        try:
            os.write(ready_w, f"{type(error).__name__}: {error}".encode()[:500])
        finally:
            os._exit(127)


def kill_uid(uid):
    """Kill every process of ``uid`` (the host's root mode without a pid namespace)."""
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


def serve_job(conn, job, fds, jailed):
    reply = {"exit": None, "cpu": 0.0, "rss_kb": 0, "files": {}, "setup_error": None, "notes": [],
             "killed": None}
    uid = job.get("uid")
    try:
        if jailed:
            mount_scratch(job["disk_mb"], job["inodes"], uid)
        else:
            os.chdir(job["host_workdir"])
        if jailed:
            write_files(job["files"], set(job["executables"]), uid)
    except OSError as error:
        reply["setup_error"] = f"jail setup failed: {error}"
        if jailed:
            unmount_scratch()
        return reply
    ready_r, ready_w = os.pipe2(os.O_CLOEXEC)
    pid = os.fork()
    if pid == 0:
        conn.close()
        os.close(ready_r)
        child(job, fds, ready_w, jailed)
    os.close(ready_w)
    for fd in fds[1:4]:
        os.close(fd)
    pidfd = os.pidfd_open(pid)
    deadline = time.monotonic() + job["wall_s"]
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            reply["killed"] = "timeout"
            break
        ready, _, _ = select.select([pidfd, conn], [], [], left)
        if pidfd in ready:
            break
        if conn in ready:
            reply["killed"] = "killed"
            try:
                conn.recv(64)
            except OSError:
                pass
            break
    if reply["killed"]:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
    _, status, usage = os.wait4(pid, 0)
    os.close(pidfd)
    if jailed:
        kill_all()
    elif uid is not None:
        kill_uid(uid)
    failure = os.read(ready_r, 600)
    os.close(ready_r)
    if failure:
        reply["setup_error"] = "could not start the program: " + failure.decode("utf-8", "replace")
    reply["exit"] = os.waitstatus_to_exitcode(status)
    reply["cpu"] = usage.ru_utime + usage.ru_stime
    reply["rss_kb"] = usage.ru_maxrss
    if jailed:
        reply["files"] = collect_files(job["collect"], job["collect_bytes"])
        os.chdir("/")
        unmount_scratch()
    return reply


def serve(conn, jailed):
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(conn, 65536, 5)
        except OSError:
            return
        if not message:
            return
        if message == b"kill" or len(fds) != 5:
            for fd in fds:
                os.close(fd)
            continue  # a kill request that arrived after its job had already ended
        try:
            job = read_job(os.dup(fds[0]))
            os.close(fds[0])
            reply = serve_job(conn, job, fds, jailed)
        except Exception as error:  # noqa: BLE001 - one bad job must not end the server
            reply = {"setup_error": f"the warm server failed: {type(error).__name__}: {error}"}
            for fd in fds[1:4]:
                try:
                    os.close(fd)
                except OSError:
                    pass
        try:
            os.lseek(fds[4], 0, os.SEEK_SET)
            write_reply(fds[4], reply)
            os.close(fds[4])
            conn.send(b"done")
        except OSError:
            return


def start(mode, config):
    conn = socket.socket(fileno=0)
    if mode == "none":
        serve(conn, False)
        return
    # no parent-death signal here: it would fire when the host *thread* that started us ends;
    # the host's end of the socket closing ends the server instead
    enter_namespaces(mode == "userns")
    pid = os.fork()
    if pid:
        conn.close()
        while True:
            try:
                _, status = os.waitpid(pid, 0)
                break
            except InterruptedError:
                continue
        os._exit(0)
    LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    LIBC.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    LIBC.sethostname(b"sandbox", 7)
    root = build_root(config["mountpoint"], config["binds"], None, None)
    os.makedirs(root + "/.cgroups")
    mount("synlog-cgroups", root + "/.cgroups", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=16k,mode=700")
    for index, parent in enumerate(config["cgroup_parents"]):
        os.makedirs(f"{root}/.cgroups/{index}")
        mount(parent, f"{root}/.cgroups/{index}", None, MS_BIND)
    pivot_root(root)
    mount_proc()
    mount(None, "/", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    os.chdir("/")
    serve(conn, True)


if __name__ == "__main__":
    import json as _json

    start(sys.argv[1], _json.loads(sys.argv[2]))
