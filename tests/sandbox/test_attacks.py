"""The attack suite: hostile programs every backend must contain.

For each attack and each available backend: the run ends with the right status within its
limit plus a small margin, the test process (standing in for the verifier) survives, and
nothing the program started or wrote outside its work dir persists after the run.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from pathlib import Path

import pytest

from synlog.sandbox import Limits, Status, run

LIMITS = Limits(wall_s=2.0, cpu_s=1.0, memory_mb=256, output_bytes=100_000, file_size_mb=1,
                open_files=32, processes=8)
MARGIN_S = 2.5


def token() -> str:
    return "synlogattack" + uuid.uuid4().hex[:12]


def processes_with(marker: str) -> list[int]:
    """Host pids whose command line contains ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def assert_none_survive(marker: str) -> None:
    deadline = time.monotonic() + 1.5
    while processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_with(marker) == [], "a process started by the run outlived it"


def attack(backend: str, program: str, limits: Limits = LIMITS, **kwargs):
    start = time.monotonic()
    result = run(program, limits=limits, backend=backend, **kwargs)
    elapsed = time.monotonic() - start
    assert result.backend == backend
    assert elapsed <= limits.wall_s + MARGIN_S, (elapsed, result)
    # the verifier survives and the backend still works
    assert run("print('alive')", backend=backend).stdout == "alive\n"
    return result


def test_fork_bomb(backend):
    marker = token()
    program = f"""
import os, sys
while True:
    try:
        if os.fork() == 0:
            os.execv(sys.executable, [sys.executable, "-c", "import os\\nwhile 1:\\n  try: os.fork()\\n  except OSError: pass", "{marker}"])
    except OSError:
        pass
"""
    result = attack(backend, program)
    assert result.status in (Status.TIMEOUT, Status.RUNTIME_ERROR), result
    assert_none_survive(marker)


def test_memory_bomb(backend):
    result = attack(backend, "xs = []\nwhile True:\n    xs.append(bytearray(10**7))\n")
    assert result.status is Status.MEMORY, result


def test_cpu_spin(backend):
    result = attack(backend, "while True:\n    pass\n")
    assert result.status is Status.TIMEOUT, result


def test_sleep_past_the_wall_limit(backend):
    result = attack(backend, "import time\ntime.sleep(60)\n")
    assert result.status is Status.TIMEOUT, result
    assert result.wall_s >= LIMITS.wall_s * 0.9


def test_infinite_output(backend):
    result = attack(backend, "while True:\n    print('x' * 1000)\n")
    assert result.status is Status.OUTPUT_LIMIT, result
    assert len(result.stdout) <= LIMITS.output_bytes


def test_one_gigabyte_file(backend):
    program = "with open('big', 'wb') as f:\n    for _ in range(1000):\n        f.write(b'0' * 10**6)\n"
    result = attack(backend, program)
    assert result.status is Status.OUTPUT_LIMIT, result


def test_writing_outside_the_work_dir(backend):
    marker = token()
    targets = [f"/tmp/{marker}", f"/var/tmp/{marker}", f"/dev/shm/{marker}", f"/run/lock/{marker}",
               f"/etc/{marker}", f"/usr/{marker}", f"/root/{marker}", f"../{marker}",
               f"/run/synlog-sandbox/{marker}"]
    program = f"""
for path in {targets!r}:
    try:
        with open(path, "w") as f:
            f.write("pwned")
    except OSError:
        pass
print("done")
"""
    result = attack(backend, program)
    assert result.status is Status.OK, result
    leaked = [t for t in targets if t.startswith("/") and os.path.exists(t)]
    leaked += [p for p in Path("/run/synlog-sandbox").glob(f"*/{marker}")] if Path("/run/synlog-sandbox").exists() else []
    assert leaked == [], f"files written outside the work dir persist: {leaked}"


def test_reading_secrets(backend, monkeypatch):
    canary = token()
    monkeypatch.setenv("SYNLOG_TEST_CANARY", canary)
    program = """
import os
seen = [repr(dict(os.environ))]
for path in ["/etc/shadow", "/root/.bash_history"]:
    try:
        seen.append(open(path).read())
    except OSError:
        pass
for pid in os.listdir("/proc"):
    if pid.isdigit():
        try:
            seen.append(open(f"/proc/{pid}/environ", "rb").read().decode("utf-8", "replace"))
        except OSError:
            pass
print("\\n".join(seen))
"""
    result = attack(backend, program)
    assert result.status is Status.OK, result
    assert canary not in result.stdout, "the parent's environment leaked into the run"
    assert "root:" not in result.stdout, "/etc/shadow was readable"


def test_socket_to_a_local_listener(backend):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    program = f"""
import socket
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=1).sendall(b"hi")
    print("connected")
except OSError:
    print("blocked")
"""
    try:
        result = attack(backend, program)
        assert result.stdout.strip() == "blocked", result
        with pytest.raises(BlockingIOError):
            listener.accept()
    finally:
        listener.close()


def test_socket_to_an_outside_address(backend):
    program = """
import socket
for address in [("1.1.1.1", 53), ("8.8.8.8", 443), ("example.com", 80)]:
    try:
        socket.create_connection(address, timeout=1)
        print("connected", address)
    except OSError:
        pass
print("done")
"""
    result = attack(backend, program)
    assert result.stdout.strip() == "done", result


def test_killing_the_parent(backend):
    program = """
import os, signal
for target in (os.getppid(), 1, -1):
    try:
        os.kill(target, signal.SIGKILL)
    except OSError:
        pass
print("still here")
"""
    before = os.getpid()
    result = attack(backend, program)
    assert os.getpid() == before  # we are alive (attack() also ran a second program)
    assert result.status in (Status.OK, Status.RUNTIME_ERROR), result


def test_detached_child_does_not_outlive_the_run(backend):
    marker = token()
    program = f"""
import os, sys
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(60)", "{marker}"])
    os._exit(0)
print("parent done")
"""
    result = attack(backend, program)
    assert result.status is Status.OK, result
    assert result.wall_s < LIMITS.wall_s, "a detached child holding the pipes stalled the run"
    assert_none_survive(marker)


def test_raising_rlimits_fails(backend):
    program = """
import ctypes, resource
raised = []
for name in ("RLIMIT_CPU", "RLIMIT_AS", "RLIMIT_NPROC", "RLIMIT_FSIZE", "RLIMIT_NOFILE"):
    limit = getattr(resource, name)
    if resource.getrlimit(limit)[1] == resource.RLIM_INFINITY:
        continue  # not set by this backend (docker bounds memory and pids with cgroups instead)
    try:
        resource.setrlimit(limit, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        raised.append(name)
    except (ValueError, OSError):
        pass
    libc = ctypes.CDLL(None, use_errno=True)
    unlimited = (ctypes.c_ulong * 2)(2**64 - 1, 2**64 - 1)
    if libc.prlimit(0, limit, unlimited, None) == 0:
        raised.append("ctypes " + name)
print("raised", raised, flush=True)
data = bytearray(400 * 2**20)
print("allocated past the memory limit")
"""
    result = attack(backend, program)
    assert "raised []" in result.stdout, result
    assert result.status is Status.MEMORY, result
