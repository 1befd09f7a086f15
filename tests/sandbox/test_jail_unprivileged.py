"""The jail without root: the launcher run as an ordinary user builds it in a user namespace.

The launcher is stdlib only, so this runs it for real under the system interpreter as uid 1000
(``setpriv``), the way a non-root machine would: the host's files are hidden, the program is uid
0 of its own user namespace with no capabilities, and the result says what it lacked.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile

import pytest

from synlog.sandbox import Limits, process
from synlog.sandbox.core import Options

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not os.path.exists("/usr/bin/python3") or shutil.which("setpriv") is None,
    reason="needs root (to become uid 1000 with setpriv) and /usr/bin/python3",
)

PROGRAM = """
import os
print(os.getuid(), sorted(os.listdir('/')))
try:
    print("caps", open('/proc/self/status').read().split('CapEff:')[1].split()[0])
except OSError:
    print("caps unknown")
try:
    open('/etc/shadow').read()
    print("shadow read")
except OSError:
    print("shadow hidden")
"""


def test_the_launcher_jails_an_unprivileged_user_in_a_user_namespace():
    mountpoint = tempfile.mkdtemp(prefix="synlog-userns-jail-", dir="/var/tmp")
    os.chown(mountpoint, 1000, 1000)
    job = process.job_for("userns", PROGRAM, None, None, Limits(), Options(), None, [])
    job["mountpoint"] = mountpoint
    job_fd = process.memfd("job", json.dumps(job).encode())
    reply_fd = process.memfd("reply")
    try:
        done = subprocess.run(
            ["setpriv", "--reuid=1000", "--regid=1000", "--clear-groups", "/usr/bin/python3", "-I", "-S", "-B",
             "-c", process.launcher_source(), str(job_fd), str(reply_fd)],
            pass_fds=(job_fd, reply_fd), capture_output=True, text=True, timeout=30, cwd="/")
        reply = json.loads(process.read_memfd(reply_fd) or b"{}")
    finally:
        os.close(job_fd)
        os.close(reply_fd)
        shutil.rmtree(mountpoint, ignore_errors=True)
    if (reply.get("setup_error") or "").startswith("namespaces refused"):
        pytest.skip(f"this kernel refuses unprivileged user namespaces: {reply['setup_error']}")
    assert reply.get("setup_error") is None, reply
    assert reply["exit"] == 0, done.stdout
    lines = done.stdout.splitlines()
    uid, listing = lines[0].split(" ", 1)
    assert uid == "0"
    assert "root" not in listing and "home" not in listing and "'work'" in listing
    assert lines[1] in ("caps 0000000000000000", "caps unknown")
    assert lines[2] == "shadow hidden"
