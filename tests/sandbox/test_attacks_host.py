"""The attack suite, part two: what a run can see of the host, and what outlives it.

Every attack runs on every available backend (``backend`` fixture). Canary files are planted
world-readable where a hostile program would look (the temp dirs, $HOME, a dataset folder,
the checkout); a contained run reads none of them, sees no host path in its mounts, reaches no
abstract socket of the host nor the Docker socket, cannot make a user namespace (and with it a
tmpfs of its own), holds at most its quota of files, and leaves no SysV IPC object or keyring
entry behind. Uids are checked for collisions across processes.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import socket
import threading
import time
import uuid
from pathlib import Path

import pytest

from synlog.sandbox import Limits, Status, resources, run

REPO = Path(__file__).resolve().parents[2]
LIMITS = Limits(wall_s=5.0, cpu_s=3.0, memory_mb=256, output_bytes=200_000, file_size_mb=4,
                open_files=64, processes=16, disk_mb=16, disk_files=512)


def token() -> str:
    return "synlogcanary" + uuid.uuid4().hex[:12]


@pytest.fixture
def canaries(tmp_path_factory):
    """World-readable files holding a fresh token in the host places a program would look."""
    secret = token()
    dataset = tmp_path_factory.mktemp("dataset")
    places = [Path("/tmp"), Path("/var/tmp"), Path.home(), dataset, REPO]
    planted = []
    for place in places:
        path = place / f"{secret}.jsonl"
        try:
            path.write_text(json.dumps({"expected": secret}) + "\n")
            path.chmod(0o644)
        except OSError:
            continue
        planted.append(path)
    yield secret, planted
    for path in planted:
        path.unlink(missing_ok=True)


def test_the_host_file_system_is_not_visible(backend, canaries):
    secret, planted = canaries
    paths = [str(p) for p in planted]
    program = f"""
import os
found = []
for path in {paths!r}:
    try:
        found.append(open(path).read())
    except OSError:
        pass
for top in ["/", "/tmp", "/var/tmp", "/root", "/home", {str(REPO)!r}, {str(Path.home())!r}]:
    try:
        for name in os.listdir(top):
            found.append(top + "/" + name)
    except OSError:
        pass
print("\\n".join(found))
"""
    result = run(program, limits=LIMITS, backend=backend)
    assert result.status is Status.OK, result
    assert secret not in result.stdout, f"a host file was readable: {result.stdout[:500]}"
    listed = set(result.stdout.split())
    assert not {"//home", "//root", "//var", "//opt", "//srv"} & listed, listed
    assert not any(line.startswith(str(REPO) + "/") for line in listed), "the checkout was listed"


def test_mounts_name_nothing_of_the_host(backend, canaries):
    result = run("print(open('/proc/self/mounts').read())", limits=LIMITS, backend=backend)
    assert result.status is Status.OK, result
    for fragment in (str(REPO), str(Path.home()) + "/", "/var/tmp", "/run/synlog-sandbox"):
        assert fragment not in result.stdout, (fragment, result.stdout)


def test_proc_shows_only_the_runs_own_processes(backend, monkeypatch):
    secret = token()
    monkeypatch.setenv("SYNLOG_TEST_CANARY", secret)
    program = """
import os
seen = []
for pid in os.listdir("/proc"):
    if pid.isdigit():
        for name in ("environ", "cmdline"):
            try:
                seen.append(open(f"/proc/{pid}/{name}", "rb").read().decode("utf-8", "replace"))
            except OSError:
                pass
print(len([p for p in os.listdir("/proc") if p.isdigit()]))
print("\\n".join(seen))
"""
    result = run(program, limits=LIMITS, backend=backend)
    assert result.status is Status.OK, result
    assert secret not in result.stdout
    assert int(result.stdout.split()[0]) <= 4, "processes of the host are visible"
    assert "pytest" not in result.stdout


def test_abstract_unix_sockets_of_the_host_are_unreachable(backend):
    name = "\0" + token()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(name)
    listener.listen(1)
    listener.setblocking(False)
    program = f"""
import socket
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect({name!r})
    print("connected")
except OSError:
    print("blocked")
"""
    try:
        result = run(program, limits=LIMITS, backend=backend)
        assert result.stdout.strip() == "blocked", result
        with pytest.raises(BlockingIOError):
            listener.accept()
    finally:
        listener.close()


def test_the_docker_socket_is_unreachable(backend):
    program = """
import socket
out = "absent"
for path in ("/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock"):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(path)
        out = "connected " + path
    except OSError:
        pass
print(out)
"""
    result = run(program, limits=LIMITS, backend=backend)
    assert result.stdout.strip() == "absent", result


def test_no_user_namespace_and_so_no_tmpfs_of_its_own(backend):
    program = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWUSER, CLONE_NEWNS = 0x10000000, 0x20000
print("unshare", libc.unshare(CLONE_NEWUSER | CLONE_NEWNS))
print("clone3", libc.syscall(435, 0, 0))
pid = os.fork()
if pid == 0:
    os._exit(0)
os.waitpid(pid, 0)
print("fork ok")
"""
    result = run(program, limits=LIMITS, backend=backend)
    assert result.status is Status.OK, result
    assert "unshare -1" in result.stdout and "fork ok" in result.stdout, result.stdout


def test_writable_space_is_capped_by_the_quota(backend):
    """/tmp, /dev/shm and the work dir hold at most about disk_mb each, then ENOSPC."""
    program = """
import os
held = {}
for top in ("/tmp", "/dev/shm", "/work"):
    total = 0
    try:
        for i in range(200):
            with open(f"{top}/blob{i}", "wb") as f:
                f.write(b"x" * (1 << 20))
            total += 1
    except OSError as error:
        pass
    held[top] = total
print(held)
"""
    result = run(program, limits=LIMITS, backend=backend)
    assert result.status is Status.OK, result
    held = eval(result.stdout)  # noqa: S307 - our own dict literal, printed by our own program
    cap = LIMITS.disk_mb + 1
    assert all(value <= cap for value in held.values()), held


def test_many_small_files_stop_at_the_inode_quota_and_clean_up_is_fast(backend):
    program = """
import os
made = 0
try:
    for i in range(100000):
        os.mkdir(f"d{i}")
        made += 1
except OSError:
    pass
print(made)
"""
    start = time.monotonic()
    result = run(program, limits=LIMITS, backend=backend)
    elapsed = time.monotonic() - start
    assert result.status is Status.OK, result
    if backend != "bwrap":  # bwrap's --tmpfs takes a size, not an inode count (the size still holds)
        assert int(result.stdout) <= LIMITS.disk_files
    assert elapsed < LIMITS.wall_s + 2.5


def test_sysv_ipc_objects_do_not_outlive_the_run(backend):
    key = 0x5A000000 + (os.getpid() % 0xFFFF)
    create = f"""
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
IPC_CREAT = 0o1000
print(libc.shmget({key}, 4096, IPC_CREAT | 0o666), libc.msgget({key}, IPC_CREAT | 0o666))
"""
    probe = f"""
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
print(libc.shmget({key}, 0, 0), libc.msgget({key}, 0))
"""
    made = run(create, limits=LIMITS, backend=backend)
    assert made.status is Status.OK, made
    later = run(probe, limits=LIMITS, backend=backend)
    assert later.stdout.split() == ["-1", "-1"], (made.stdout, later.stdout)
    host = Path("/proc/sysvipc/shm").read_text() + Path("/proc/sysvipc/msg").read_text()
    assert f"{key:d}" not in host.split()


def test_keyrings_are_refused(backend):
    program = """
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
print(libc.syscall(248, b"user", b"synlog", b"secret", 6, -3))  # add_key into the user keyring
"""
    result = run(program, limits=LIMITS, backend=backend)
    assert result.status is Status.OK, result
    assert result.stdout.strip() == "-1"


def test_a_concurrent_runs_work_dir_is_not_readable(backend):
    secret = token()
    holder = f"""
import time
open("secret.txt", "w").write({secret!r})
print("ready", flush=True)
time.sleep(2)
"""
    seeker = """
import os
found = []
for top, dirs, files in os.walk("/", onerror=lambda e: None):
    if top.startswith(("/proc", "/sys", "/usr", "/dev")):
        dirs[:] = []
        continue
    for name in files:
        if name == "secret.txt":
            try:
                found.append(open(os.path.join(top, name)).read())
            except OSError:
                pass
for pid in os.listdir("/proc"):
    if pid.isdigit():
        try:
            found.append(open(f"/proc/{pid}/cwd/secret.txt").read())
        except OSError:
            pass
print(found)
"""
    results = {}

    def hold():
        results["holder"] = run(holder, limits=LIMITS, backend=backend)

    thread = threading.Thread(target=hold)
    thread.start()
    time.sleep(0.7)
    results["seeker"] = run(seeker, limits=LIMITS, backend=backend)
    thread.join()
    assert results["holder"].status is Status.OK, results["holder"]
    assert secret not in results["seeker"].stdout, results["seeker"].stdout


def test_memory_counts_across_processes_where_cgroups_exist(backend):
    """Eight processes each under RLIMIT_AS still cannot hold more than the run's memory."""
    if backend == "docker":
        pytest.skip("docker bounds the container's memory itself (the memory-bomb attack covers it)")
    if not resources.available():
        pytest.skip("no writable cgroups on this machine: memory is bounded per process only")
    limits = Limits(wall_s=8, cpu_s=6, memory_mb=128, processes=16, output_bytes=10_000)
    program = """
import os, time
kids = []
for _ in range(8):
    pid = os.fork()
    if pid == 0:
        block = bytearray(100 * 2**20)
        for i in range(0, len(block), 4096):
            block[i] = 1
        time.sleep(1.5)
        os._exit(0)
    kids.append(pid)
dead = 0
for pid in kids:
    _, status = os.waitpid(pid, 0)
    dead += status != 0
print("killed", dead)
"""
    result = run(program, limits=limits, backend=backend)
    assert result.status in (Status.OK, Status.MEMORY), result
    if result.status is Status.OK:
        assert int(result.stdout.split()[1]) >= 1, "800 MB were held at memory_mb=128"
    assert result.peak_memory_mb <= limits.memory_mb + resources.INIT_SLACK_MB + 8, result.peak_memory_mb


def _take_uids(count: int, queue) -> None:
    uids = [resources.take_uid() for _ in range(count)]
    queue.put(uids)
    time.sleep(1.0)  # hold them (and the blocks' locks) while the other process takes its own


def test_uids_never_collide_across_processes():
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [context.Process(target=_take_uids, args=(300, queue)) for _ in range(3)]
    for worker in workers:
        worker.start()
    taken = [queue.get(timeout=30) for _ in workers]
    for worker in workers:
        worker.join()
    flat = [uid for uids in taken for uid in uids]
    assert len(set(flat)) == len(flat), "two live runs in different processes got one uid"


def test_concurrent_runs_in_one_process_have_distinct_uids(backend):
    if backend == "docker":
        pytest.skip("docker runs every container as one fixed unprivileged user")
    if os.geteuid() != 0:
        pytest.skip("uid changes need root")
    seen = []

    def one():
        seen.append(run("import os, time; print(os.getuid()); time.sleep(0.5)", limits=LIMITS,
                        backend=backend).stdout)

    threads = [threading.Thread(target=one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 4, seen
