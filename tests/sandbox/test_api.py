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


def test_argv_naming_unreachable_paths_runs_as_root_and_says_so(tmp_path):
    import os

    if os.geteuid() != 0:
        pytest.skip("uid changes need root")
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    os.chmod(tmp_path, 0o700)
    result = run(argv=["/usr/bin/env", f"DATA={private}", "/usr/bin/id", "-u"], backend="process")
    assert result.stdout == "0\n"
    assert any("ran as root" in note for note in result.notes)
    assert run(argv=["/usr/bin/id", "-u"], backend="process").stdout != "0\n"
