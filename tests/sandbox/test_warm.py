"""The warm pool: forked children of a warm interpreter, safe from threads, self-healing."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from synlog.sandbox import Status, available_backends, run, warm

pytestmark = pytest.mark.skipif("warm" not in available_backends(), reason="the warm backend cannot run here")


def test_children_start_warm():
    result = run("import sys\nprint('collections' in sys.modules)", backend="warm")
    assert result.stdout == "True\n"


def test_each_run_is_a_fresh_child():
    first = run("import builtins\nbuiltins.LEFTOVER = 1\nprint('set')", backend="warm")
    second = run("import builtins\nprint(hasattr(builtins, 'LEFTOVER'))", backend="warm")
    assert (first.stdout, second.stdout) == ("set\n", "False\n")


def test_concurrent_runs_from_threads_do_not_mix():
    def one(i: int) -> str:
        return run(f"print(input() * {i % 3 + 1})", stdin=f"<{i}>", backend="warm").stdout

    with ThreadPoolExecutor(4) as pool:
        outputs = list(pool.map(one, range(24)))
    assert outputs == [f"<{i}>" * (i % 3 + 1) + "\n" for i in range(24)]


def test_a_dead_server_is_replaced():
    run("print(1)", backend="warm")
    for server in list(warm._idle):
        server.proc.kill()
        server.proc.wait()
    result = run("print(2)", backend="warm")
    assert (result.status, result.stdout) == (Status.OK, "2\n")


def test_argv_runs_in_the_warm_jail_itself():
    result = run(argv=["/bin/sh", "-c", "ls /; id -u"], backend="warm")
    assert result.status is Status.OK and result.backend == "warm"
    assert "work" in result.stdout.split() and "home" not in result.stdout.split()
    assert not any("process backend" in note for note in result.notes)
