"""Publishing is one atomic step, and a crash while publishing is repaired by the next run.

A real ``synlog generate`` subprocess is killed (SIGKILL) at a named step of publishing by the
engine's fault-injection hook ``SYNLOG_FAULT_INJECT=kill@<point>`` (see
:mod:`synlog.synth.publish`); ``no-exchange`` in the same variable makes it use the fallback
without ``renameat2(RENAME_EXCHANGE)``. After the kill the output folder must be the old
complete dataset or the new complete one, and the next run must remove the stale copies.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from synlog.datasets_out.io import read_dataset
from synlog.synth import publish

OLD = ["--task", "sat", "-n", "10", "--seed", "1"]
NEW = ["--task", "sat", "-n", "12", "--seed", "2"]


def generate(out: Path, options: list[str], *flags: str, fault: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop(publish.FAULT_ENV, None)
    if fault:
        env[publish.FAULT_ENV] = fault
    return subprocess.run([sys.executable, "-m", "synlog", "generate", *options, "-o", str(out), "--workers", "1",
                           *flags], env=env, capture_output=True, text=True, timeout=300)


def ids(folder: Path) -> list[str]:
    return read_dataset(folder)["train"].column("id").to_pylist()


def stale(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.fixture(scope="module")
def expected(tmp_path_factory) -> dict[str, list[str]]:
    root = tmp_path_factory.mktemp("expected")
    for name, options in (("old", OLD), ("new", NEW)):
        assert generate(root / name, options).returncode == 0
    return {"old": ids(root / "old"), "new": ids(root / "new")}


def exchange_works_here(folder: Path) -> bool:
    a, b = folder / "probe-a", folder / "probe-b"
    a.mkdir()
    b.mkdir()
    try:
        return publish.exchange(a, b)
    finally:
        a.rmdir()
        b.rmdir()


@pytest.mark.parametrize(("point", "fallback"), [
    ("staged", False), ("exchanged", False), ("published", False),
    # the fallback path's other crash points: the same code, so the slow run has them
    pytest.param("staged", True, marks=pytest.mark.slow), ("moved-aside", True),
    pytest.param("published", True, marks=pytest.mark.slow),
])
def test_a_crash_while_replacing_leaves_old_or_new_and_the_next_run_cleans_up(tmp_path, expected, point, fallback):
    if not fallback and not exchange_works_here(tmp_path):
        pytest.skip("this file system has no renameat2(RENAME_EXCHANGE); the fallback cases cover it")
    out = tmp_path / "out"
    assert generate(out, OLD).returncode == 0
    fault = f"kill@{point}" + (",no-exchange" if fallback else "")
    killed = generate(out, NEW, "--overwrite", fault=fault)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    if point == "moved-aside":
        # the fallback's window: out is aside, both complete copies exist, the next run decides
        assert not out.exists()
        assert {p.split("-")[0] for p in stale(out)} == {".out.new", ".out.old"}
        publish.recover(out)  # what the next run does first
        assert stale(out) == []
    else:
        assert stale(out), "the crash left its work folders behind"
    assert ids(out) in (expected["old"], expected["new"])

    again = generate(out, NEW, "--overwrite", "--resume")
    assert again.returncode == 0, again.stderr
    assert ids(out) == expected["new"]
    assert stale(out) == [] and not (tmp_path / "out.partial").exists()


def test_a_crash_while_publishing_a_first_output_rolls_forward(tmp_path, expected):
    out = tmp_path / "out"
    killed = generate(out, NEW, fault="kill@staged")
    assert killed.returncode == -signal.SIGKILL
    assert not out.exists() and [p.split("-")[0] for p in stale(out)] == [".out.new"]
    again = generate(out, NEW)  # the crashed run had finished: its data is published, not redone
    assert again.returncode == 2 and "already exists" in again.stderr
    assert ids(out) == expected["new"]
    assert stale(out) == [] and not (tmp_path / "out.partial").exists()


def test_the_engine_kills_itself_only_where_asked(tmp_path):
    out = tmp_path / "out"
    assert generate(out, NEW, fault="kill@no-such-point").returncode == 0
    assert stale(out) == []


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_recover_removes_a_dead_process_copies_and_keeps_a_live_one(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "data").write_text("current")
    dead = dead_pid()
    for kind in ("tmp", "new", "old"):
        (tmp_path / f".out.{kind}-{dead}").mkdir()
    live = tmp_path / f".out.tmp-{os.getppid()}"
    live.mkdir()
    publish.recover(out)
    assert stale(out) == [live.name]
    assert (out / "data").read_text() == "current"


def test_recover_puts_the_old_output_back_when_nothing_newer_exists(tmp_path):
    out = tmp_path / "out"
    old = tmp_path / f".out.old-{dead_pid()}"
    old.mkdir()
    (old / "data").write_text("previous")
    publish.recover(out)
    assert (out / "data").read_text() == "previous" and stale(out) == []


def test_publish_never_replaces_an_output_that_appeared(tmp_path):
    out = tmp_path / "out"
    staging, _, _ = publish.work_names(out)
    staging.mkdir()
    (staging / "new").write_text("new")
    out.mkdir()
    (out / "theirs").write_text("theirs")
    with pytest.raises(FileExistsError):
        publish.publish(staging, out, replace=False)
    assert sorted(p.name for p in out.iterdir()) == ["theirs"] and stale(out) == []


def test_copies_under_a_reused_pid_are_stale(tmp_path):
    """A crashed run's pid may come back as this process's own: its folders are still stale."""
    out = tmp_path / "out"
    mine = tmp_path / f".out.new-{os.getpid()}"
    mine.mkdir()
    (mine / "data").write_text("complete")
    publish.recover(out)
    assert (out / "data").read_text() == "complete" and stale(out) == []
