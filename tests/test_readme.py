"""The README's commands run as written, in order, from the repository's root.

The shell blocks of the install-and-run paragraph, "Using it" and its training block are
extracted and run one command at a time in a scratch copy of the files they read (`examples/`);
the Python block runs after them. `pip` lines are the reader's install step (done here already)
and `python -m pytest` is this suite; `synlog serve` is started, must answer on its port, and is
stopped. Slow: it generates a few thousand rows and runs two GRPO steps.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"```(bash|python)\n(.*?)```", re.S)


def blocks() -> list[tuple[str, str]]:
    """(language, text) of the README's blocks up to the Python example, in order."""
    found = [(m.group(1), m.group(2)) for m in BLOCK.finditer(README)]
    python_at = next(i for i, (lang, _) in enumerate(found) if lang == "python")
    return found[: python_at + 1]


def commands(text: str) -> list[list[str]]:
    out = []
    for line in text.splitlines():
        for part in line.split("&&"):
            words = shlex.split(part, comments=True)
            if not words or words[0] == "pip" or words[:3] == ["python", "-m", "pytest"]:
                continue
            out.append(words)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(words: list[str], cwd: Path) -> None:
    argv = [sys.executable, "-m", "synlog", *words[1:]] if words[0] == "synlog" else \
        [sys.executable, *words[1:]] if words[0] == "python" else words
    if words[:2] == ["synlog", "serve"]:
        port = free_port()
        argv = [str(port) if w == "5000" else w for w in argv]
        server = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                assert server.poll() is None, server.communicate()[0]
                with socket.socket() as probe:
                    if probe.connect_ex(("127.0.0.1", port)) == 0:
                        return
                time.sleep(0.2)
            pytest.fail(f"`{shlex.join(words)}` did not listen within 60 s")
        finally:
            server.terminate()
            server.wait(timeout=30)
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "SYNLOG_PROGRESS_SECONDS": "3600"})
    assert done.returncode == 0, f"`{shlex.join(words)}` failed:\n{done.stdout}\n{done.stderr}"


def test_the_readme_blocks_are_found():
    langs = [lang for lang, _ in blocks()]
    assert langs == ["bash", "bash", "bash", "python"]
    assert any(w[:2] == ["synlog", "verify"] for w in commands(blocks()[1][1]))


@pytest.mark.slow
def test_every_readme_command_runs_as_written(tmp_path):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    found = blocks()
    for _, text in found[:2]:
        for words in commands(text):
            run(words, tmp_path)
    report = (tmp_path / "report" / "summary.json").read_text()
    assert '"accuracy": 0.5' in report  # the demo completions: gold on every other row
    try:
        import torch  # noqa: F401
        import trl  # noqa: F401
    except ImportError:
        pytest.skip("the training block needs the train extra (torch, trl)")
    for words in commands(found[2][1]):
        run(words, tmp_path)
    assert (tmp_path / "runs" / "tiny").is_dir()
    done = subprocess.run([sys.executable, "-c", found[3][1]], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr


def test_the_task_table_lists_every_task_in_its_familys_row_and_the_count_is_right():
    from synlog.tasks.base import FAMILIES, all_tasks

    table = README[README.index("| family (`synlog tasks --family`)"):]
    table = table[: table.index("\n\n")]
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `(\w+)` \| (.*?) \|", table, re.M)}
    tasks = all_tasks()
    misplaced = [name for name, cls in tasks.items() if f"`{name}`" not in rows.get(cls.family, "")]
    assert not misplaced, f"not in their family's row of the README's task table: {misplaced}"
    assert f"{len(tasks)} procedural tasks" in README
    assert {cls.family for cls in tasks.values()} == set(FAMILIES)
