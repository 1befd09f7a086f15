"""The sandbox API: program or argv, files and stdin in, status and captured output out."""

from __future__ import annotations

import pytest

from synlog.sandbox import Limits, Status, available_backends, resolve_backend, run


def test_program_output_and_exit_code(backend):
    result = run("import sys\nprint('hi')\nprint('err', file=sys.stderr)\nsys.exit(3)", backend=backend)
    assert (result.status, result.stdout, result.stderr, result.exit_code) == (
        Status.RUNTIME_ERROR, "hi\n", "err\n", 3)
    assert result.backend == backend


def test_stdin_and_files_reach_the_program(backend):
    program = "import os\nprint(input().upper(), open('data/in.txt').read(), sorted(os.listdir('.')))"
    result = run(program, stdin="abc\n", files={"data/in.txt": "payload"}, backend=backend)
    assert result.status is Status.OK, result
    assert result.stdout.startswith("ABC payload")
    assert "main.py" in result.stdout


def test_uncaught_exception_is_a_runtime_error(backend):
    result = run("raise KeyError('boom')", backend=backend)
    assert result.status is Status.RUNTIME_ERROR
    assert "KeyError" in result.stderr


def test_environment_is_scrubbed(backend, monkeypatch):
    monkeypatch.setenv("SYNLOG_SECRET_TOKEN", "hunter2")
    result = run("import os\nprint(sorted(os.environ))", backend=backend)
    assert "SYNLOG_SECRET_TOKEN" not in result.stdout


def test_argv_runs_a_command_in_the_work_dir(backend):
    if backend == "docker":
        pytest.skip("the docker image holds only Python")
    result = run(argv=["/bin/cat", "note.txt"], files={"note.txt": "from a file"}, backend=backend)
    assert result.status is Status.OK, result
    assert result.stdout == "from a file"


def test_files_cannot_name_paths_outside_the_work_dir():
    with pytest.raises(ValueError, match="work dir"):
        run("print(1)", files={"../escape.txt": "x"}, backend="process")


def test_exactly_one_of_program_or_argv():
    with pytest.raises(ValueError):
        run()
    with pytest.raises(ValueError):
        run("print(1)", argv=["/bin/true"])


def test_auto_picks_the_strongest_available_backend(monkeypatch):
    monkeypatch.delenv("SYNLOG_SANDBOX_BACKEND", raising=False)
    have = available_backends()
    expected = next(name for name in ("docker", "bwrap", "process") if name in have)
    assert resolve_backend("auto") == expected
    assert run("print(1)", limits=Limits(wall_s=30)).backend == expected


def test_unknown_backend_names_the_choices():
    with pytest.raises(ValueError, match="choose one of"):
        run("print(1)", backend="chroot")


def test_a_toolchain_outside_usr_is_shown_read_only_and_runs_as_the_runs_uid(backend):
    """An executable under a 0700 folder (a toolchain in /root) runs: its installation is bound
    into the jail, whose own parents are searchable, and the run keeps its uid."""
    import os

    if os.geteuid() != 0:
        pytest.skip("uid changes need root")
    if backend == "docker":
        pytest.skip("the docker image holds only its own interpreter")
    if backend == "bwrap":
        pytest.skip("bwrap binds as the run's uid: a toolchain it shows must be world-readable on the host")
    import shutil
    import tempfile
    from pathlib import Path

    tmp_path = Path(tempfile.mkdtemp(dir="/var/tmp"))  # /tmp is the run's own in the jail
    tool = tmp_path / "private" / "toolchain" / "bin" / "tool"
    tool.parent.mkdir(parents=True)
    os.chmod(tmp_path, 0o700)
    os.chmod(tmp_path / "private", 0o700)
    tool.write_text("#!/bin/sh\nid -u\necho x > $0 2>/dev/null || echo read-only\n")
    tool.chmod(0o755)
    (tmp_path / "private" / "secret.txt").write_text("not shown")
    result = run(argv=[str(tool)], backend=backend)
    assert result.ok, result.stderr
    uid, verdict = result.stdout.split()
    assert uid != "0" and verdict == "read-only"
    probe = run(f"import os; print(os.path.exists({str(tmp_path / 'private' / 'secret.txt')!r}))", backend=backend)
    assert probe.stdout == "False\n"
    shutil.rmtree(tmp_path)


def test_a_bind_under_the_runs_own_folders_is_refused_with_the_reason(tmp_path):
    result = run(argv=["/usr/bin/true"], binds=(str(tmp_path),), backend="process")
    assert result.status is Status.SANDBOX_ERROR and "/opt" in result.stderr


def test_a_run_holds_no_descriptor_of_the_host_even_above_1024(backend):
    """The host's own descriptors (here 1,100 open files, so the ones handed to the launcher
    get numbers above 1024) never reach the program: it holds only its stdio."""
    import os

    held = [os.open("/dev/null", os.O_RDONLY) for _ in range(1100)]
    try:
        result = run("import os; print(sorted(int(fd) for fd in os.listdir('/proc/self/fd')))", backend=backend)
    finally:
        for fd in held:
            os.close(fd)
    assert result.ok, result.stderr
    fds = eval(result.stdout)  # noqa: S307 - our own program printed a list of ints
    assert all(fd <= 3 for fd in fds), fds  # 0-2 and the descriptor listdir itself opened
