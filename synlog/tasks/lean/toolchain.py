"""Find the Lean 4 toolchain that checks proofs.

Looked up in this order (the first that exists wins)::

    SYNLOG_LEAN=/path/to/lean            # a lean binary
    SYNLOG_LEAN_PROJECT=/path/to/project # a Lake project (e.g. one depending on Mathlib):
                                         # `lake env lean` there, so its packages resolve
    lean on PATH                         # e.g. ~/.elan/bin/lean installed by elan

``find_toolchain()`` returns ``None`` when there is none; ``require_toolchain()`` raises
:class:`LeanNotFound`, a :class:`~synlog.errors.SynlogError` whose message is exactly the skip
reason the tests print: "Lean 4 toolchain not found (set SYNLOG_LEAN)".
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from synlog.errors import SynlogError

NOT_FOUND = "Lean 4 toolchain not found (set SYNLOG_LEAN)"


class LeanNotFound(SynlogError, RuntimeError):
    """No Lean 4 toolchain: set SYNLOG_LEAN (a lean binary) or SYNLOG_LEAN_PROJECT, or install elan."""

    def __init__(self, message: str = NOT_FOUND):
        super().__init__(message)


@dataclass(frozen=True)
class Toolchain:
    """How to run Lean: the argv prefix, extra environment (LEAN_PATH for a Lake project), version."""

    argv: tuple[str, ...]
    version: str
    env: dict[str, str] = field(default_factory=dict)
    project: str | None = None

    def command(self, *args: str) -> list[str]:
        return [*self.argv, *args]


def _version(argv: list[str], env: dict[str, str] | None = None) -> str | None:
    try:
        out = subprocess.run([*argv, "--version"], capture_output=True, text=True, timeout=60,
                             env={**os.environ, **(env or {})}, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = out.stdout.strip()
    return text if out.returncode == 0 and "Lean" in text else None


def _real_binary(lean: str) -> str:
    """The toolchain's own lean binary: elan's proxy needs HOME, which the sandbox does not pass."""
    try:
        out = subprocess.run([lean, "--print-prefix"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return lean
    candidate = Path(out.stdout.strip()) / "bin" / "lean"
    return str(candidate) if out.returncode == 0 and candidate.exists() else lean


def _project_env(project: str) -> dict[str, str] | None:
    """LEAN_PATH of a Lake project, read once with ``lake env`` (trusted, outside the sandbox)."""
    lake = shutil.which("lake")
    if lake is None:
        return None
    try:
        out = subprocess.run([lake, "env", "printenv", "LEAN_PATH"], cwd=project, capture_output=True,
                             text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return {"LEAN_PATH": out.stdout.strip()} if out.returncode == 0 else None


@cache
def find_toolchain(project: str | None = None) -> Toolchain | None:
    """The configured toolchain, or None. ``project`` overrides SYNLOG_LEAN_PROJECT (``--mathlib``)."""
    explicit = os.environ.get("SYNLOG_LEAN")
    project = project or os.environ.get("SYNLOG_LEAN_PROJECT")
    if project:
        env = _project_env(str(Path(project).resolve()))
        lean = explicit or shutil.which("lean")
        if env is not None and lean:
            version = _version([lean], env)
            if version:  # the sandbox passes a clean environment: LEAN_PATH goes in through env(1)
                argv = ("/usr/bin/env", f"LEAN_PATH={env['LEAN_PATH']}", _real_binary(lean))
                return Toolchain(argv, version, env, project)
    candidates = [explicit] if explicit else [shutil.which("lean")]
    for lean in candidates:
        if lean and Path(lean).exists():
            version = _version([lean])
            if version:
                return Toolchain((_real_binary(lean),), version)
    return None


def require_toolchain(project: str | None = None) -> Toolchain:
    """The toolchain, or LeanNotFound with the fix in its message."""
    toolchain = find_toolchain(project)
    if toolchain is None:
        raise LeanNotFound()
    return toolchain
