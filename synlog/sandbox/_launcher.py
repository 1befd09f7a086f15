"""The ``process`` backend's launcher: one run, jailed (see ``_jail.py``, whose source precedes
this file's when the host executes it with ``python -I -S -B -c``).

File descriptors: 0-2 the run's stdio pipes, 3 the job (a memfd of JSON), 4 the reply (a memfd
this process fills). The host starts it as root, or as an unprivileged user where user
namespaces are allowed (``job["userns"]``)::

    launcher ─ joins the run's cgroups, unshares mount/pid/net/ipc/uts (and user) namespaces
      └─ init (pid 1 of the new pid namespace; non-dumpable)
           builds the jail root, pivots into it, mounts /proc and the scratch tmpfs, writes
           the files; forks the program, which confines itself and execs; waits for it, kills
           every other process of the namespace, collects the files asked for, writes the reply
           └─ program (setsid, rlimits, uid, no-new-privs, seccomp, execve)

The reply is trusted (the program never holds fd 4 and cannot open init's /proc entries):
``{"exit", "cpu", "rss_kb", "files", "setup_error", "notes"}``. A setup failure reaches init
through a close-on-exec pipe, so no output of the program can forge one.
"""
# ruff: noqa: F821 - the names come from _jail.py, whose source is run before this file's


def init(job, reply_fd):
    """pid 1 of the run's namespaces: build the jail, run the program, reply."""
    LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    LIBC.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    reply = {"exit": None, "cpu": 0.0, "rss_kb": 0, "files": {}, "setup_error": None, "notes": []}
    uid = job.get("uid")
    try:
        LIBC.sethostname(b"sandbox", 7)
        build_root(job["mountpoint"], job["binds"], uid, uid)
        pivot_root(job["mountpoint"])
        if not mount_proc():
            reply["notes"].append("no /proc: the kernel refused a new proc mount here")
        mount_scratch(job["disk_mb"], job["inodes"], uid)
        write_files(job["files"], set(job["executables"]), uid)
        mount(None, "/", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    except OSError as error:
        reply["setup_error"] = f"jail setup failed: {error}"
        write_reply(reply_fd, reply)
        os._exit(0)
    ready_r, ready_w = os.pipe2(os.O_CLOEXEC)
    pid = os.fork()
    if pid == 0:
        try:
            os.close(ready_r)
            close_all_but(ready_w)
            confine(job)
            os.execvpe(job["argv"][0], job["argv"], job["env"])
        except BaseException as error:  # noqa: BLE001 - reported to init, never to the program's streams
            try:
                os.write(ready_w, f"{type(error).__name__}: {error}".encode()[:500])
            finally:
                os._exit(127)
    os.close(ready_w)
    failure = os.read(ready_r, 600)
    os.close(ready_r)
    null = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    status, usage = None, None
    while True:
        try:
            child, child_status, child_usage = os.wait4(-1, 0)
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        if child == pid:
            status, usage = child_status, child_usage
            break
    kill_all()
    if failure:
        reply["setup_error"] = "could not start the program: " + failure.decode("utf-8", "replace")
    if status is not None:
        reply["exit"] = os.waitstatus_to_exitcode(status)
        reply["cpu"] = usage.ru_utime + usage.ru_stime
        reply["rss_kb"] = usage.ru_maxrss
    reply["files"] = collect_files(job["collect"], job["collect_bytes"])
    write_reply(reply_fd, reply)
    os._exit(0)


def launch():
    job_fd, reply_fd = int(sys.argv[1]), int(sys.argv[2])
    job = read_job(job_fd)
    LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    try:
        join_cgroups(job["cgroups"])
        enter_namespaces(job["userns"])
    except OSError as error:
        write_reply(reply_fd, {"exit": None, "cpu": 0.0, "rss_kb": 0, "files": {}, "notes": [],
                               "setup_error": f"namespaces refused: {error}"})
        os._exit(0)
    pid = os.fork()
    if pid == 0:
        init(job, reply_fd)
    os.close(reply_fd)
    null = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


launch()
