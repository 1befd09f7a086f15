"""The Lean checker's sandbox call shows the toolchain and its LEAN_PATH, read-only, and nothing
else. No Lean toolchain is installed here, so a shell script stands in for the `lean` binary
(a test double for the missing toolchain; the sandbox and its jail are real)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from synlog.tasks.lean.checker import sandbox_runner, toolchain_binds
from synlog.tasks.lean.toolchain import Toolchain

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the jail's uid drop needs root")


def test_the_jail_shows_the_toolchain_and_lean_path_only():
    base = Path(tempfile.mkdtemp(dir="/var/tmp"))  # /tmp is the run's own inside the jail
    try:
        lean = base / "elan" / "toolchains" / "v4" / "bin" / "lean"
        lean.parent.mkdir(parents=True)
        lean.write_text("#!/bin/sh\nls \"$LEAN_PATH\"; cat Main.lean; echo; ls /var/tmp | wc -l\n")
        lean.chmod(0o755)
        library = base / "project" / ".lake" / "build" / "lib"
        library.mkdir(parents=True)
        (library / "Mathlib.olean").write_text("olean")
        os.chmod(base, 0o700)
        toolchain = Toolchain(("/usr/bin/env", f"LEAN_PATH={library}", str(lean)), "Lean (stand-in)")
        assert set(toolchain_binds(toolchain)) == {str(lean.parent.parent), str(library)}
        result = sandbox_runner(toolchain, "theorem t : True := trivial", 10.0, 512)
        assert result.ok, result.stderr
        lines = result.stdout.split("\n")
        assert lines[0] == "Mathlib.olean" and "theorem t" in lines[1]
        assert lines[2] == "1", "more of /var/tmp than the toolchain's own folder was shown"
    finally:
        shutil.rmtree(base, ignore_errors=True)
