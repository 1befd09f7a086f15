"""The verifier pool's worker: ``python -m synlog.verifiers._pool_worker FD``.

A fresh interpreter started by :class:`~synlog.verifiers.pool.VerifierPool`, never a fork or a
re-import of the caller's ``__main__`` (so a script without an ``if __name__ == "__main__":``
guard, or one read from stdin, starts workers like any other). ``FD`` is our end of a socket
pair; the protocol on it, every message framed by :class:`multiprocessing.connection.Connection`:

- parent → worker, pickled: first the set-up ``{"memory_mb", "config", "imports", "sys_path",
  "tmpdir", "parent_pid", "pythonpath"}``, then lists of units ``(unit id, task, [(problem, completion)...])``,
  and finally ``None`` (stop);
- worker → parent, JSON (the parent never unpickles what a process that reads hostile answers
  wrote): ``{"ready": pid}`` once every task module is imported (or ``{"failed": traceback}``);
  ``{"warmed": [task...]}`` after a batch's first tasks are warmed up (``Task.warm_up``: the
  sympy worker, a warm sandbox server), before any of its jobs starts; then
  ``{"unit": id, "results": [payload...]}`` per unit as it finishes, where a payload is a
  verdict dict or ``{"bad": message}`` for a job no task can judge.

The worker's temporary files (``TMPDIR``, ``tempfile.tempdir``, the sandbox's work dirs) all go
to ``tmpdir``, a directory the parent made for this worker alone and removes when it retires
or kills the worker, so nothing a killed job was writing outlives it.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
from multiprocessing.connection import Connection
from typing import Any

#: seconds between checks that the parent is still alive
PARENT_POLL_S = 1.0


def _encode(message: dict[str, Any]) -> bytes:
    # details are for humans: a value JSON cannot carry (a numpy int, a set) travels as repr
    return json.dumps(message, default=repr).encode()


def _limit_memory(memory_mb: int) -> None:
    import resource

    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ValueError, OSError):
            pass  # the limit stays as inherited; the wall-clock bound still holds


def _use_private_tmp(tmpdir: str) -> None:
    """Every temporary file of this worker under ``tmpdir`` (the parent removes it)."""
    os.environ["TMPDIR"] = tmpdir
    tempfile.tempdir = tmpdir


def _warm_up(task_names: list[str]) -> None:
    """Start what these tasks' verifiers need (the parent's job clock is stopped meanwhile)."""
    from synlog.tasks.base import get_task

    for name in task_names:
        try:
            get_task(name).warm_up()
        except Exception:  # noqa: BLE001 - verify starts it itself and reports what fails
            pass


def _watch_parent(parent_pid: int, tmpdir: str) -> None:
    """Exit when the parent is gone (we were re-parented), even in the middle of a job."""
    while True:
        time.sleep(PARENT_POLL_S)
        if os.getppid() != parent_pid:
            shutil.rmtree(tmpdir, ignore_errors=True)
            os._exit(0)


def serve(conn: Connection) -> None:
    """Set up from the first message, report ready, then score units until told to stop."""
    setup = conn.recv()
    _limit_memory(int(setup["memory_mb"]))
    sys.path[:] = list(setup["sys_path"]) + [p for p in sys.path if p not in setup["sys_path"]]
    if setup.get("pythonpath") is None:
        os.environ.pop("PYTHONPATH", None)
    else:
        os.environ["PYTHONPATH"] = setup["pythonpath"]
    tmpdir = setup["tmpdir"]
    _use_private_tmp(tmpdir)
    threading.Thread(target=_watch_parent, args=(int(setup["parent_pid"]), tmpdir), daemon=True).start()
    try:
        import importlib

        from synlog.tasks.base import all_tasks
        from synlog.verifiers.pool import score_unit

        for module in setup["imports"]:
            importlib.import_module(module)
        all_tasks()
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises WorkerStartError
        conn.send_bytes(_encode({"failed": traceback.format_exc(limit=8)[-4000:]}))
        return
    conn.send_bytes(_encode({"ready": os.getpid()}))
    config, memo = setup["config"], [None, None]
    warmed: set[str] = set()
    while True:
        try:
            batch = conn.recv()
        except (EOFError, OSError):
            return
        if batch is None:
            return
        new = sorted({task_name for _, task_name, _ in batch} - warmed)
        if new:
            _warm_up(new)
            warmed.update(new)
            conn.send_bytes(_encode({"warmed": new}))
        for unit_id, task_name, items in batch:
            conn.send_bytes(_encode({"unit": unit_id, "results": score_unit(task_name, items, config, memo)}))


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0].isdigit():
        print("usage: python -m synlog.verifiers._pool_worker FD (started by VerifierPool)", file=sys.stderr)
        return 2
    conn = Connection(int(argv[0]))
    try:
        serve(conn)
    finally:
        tmpdir = os.environ.get("TMPDIR")
        conn.close()
        if tmpdir and os.path.basename(tmpdir).startswith("synlog-pool-"):
            shutil.rmtree(tmpdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
