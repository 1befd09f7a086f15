"""Runners that answer like ``lean --json`` without a Lean toolchain, for the checker's tests."""

from __future__ import annotations

import json
from types import SimpleNamespace

from synlog.tasks.lean.toolchain import Toolchain

STATEMENT = "theorem synlog_goal (a b : Nat) (h : a < b) : a + 1 ≤ b"
FAKE = Toolchain(("lean",), "Lean (version 4.0.0-test)")


def message(severity: str, line: int, data: str, column: int = 0) -> dict:
    """One message in Lean's ``--json`` shape."""
    return {"severity": severity, "pos": {"line": line, "column": column}, "endPos": None,
            "fileName": "Main.lean", "data": data}


def answer(messages: list[dict], status: str = "ok") -> SimpleNamespace:
    """What the sandbox returns for a Lean run that printed ``messages``."""
    return SimpleNamespace(status=status, stdout="\n".join(json.dumps(m) for m in messages), stderr="")


def fake_runner(messages_for=None, calls=None):
    """A runner that answers like ``lean --json``: per theorem, the messages a test chooses."""

    def run(toolchain, text, wall_s, memory_mb):
        if calls is not None:
            calls.append(text)
        lines = text.splitlines()
        out = []
        for number, line in enumerate(lines, start=1):
            if line.startswith("#print axioms"):
                name = line.split()[-1]
                body = "\n".join(lines[max(0, number - 8):number])
                extra = (messages_for or (lambda b: []))(body)
                for severity, data in extra:
                    out.append(message(severity, number - 3, data, column=2))
                out.append(message("information", number, f"'{name}' depends on axioms: [propext]"))
        return answer(out)

    return run


def swallowing_runner(calls=None):
    """A runner that reads string literals as Lean does: a ``"`` opens a string that runs to the
    next unescaped ``"``, so an unclosed one swallows every command after it, and the reports
    those commands would have printed, to the end of the file or to the next proof's ``"``."""

    def run(toolchain, text, wall_s, memory_mb):
        if calls is not None:
            calls.append(text)
        out, inside, opened = [], False, 0
        for number, line in enumerate(text.split("\n"), start=1):
            if not inside and line.startswith("#print axioms"):
                out.append(message("information", number, f"'{line.split()[-1]}' depends on axioms: [propext]"))
            i = 0
            while i < len(line):
                if inside and line[i] == "\\":
                    i += 2
                    continue
                if line[i] == '"':
                    inside, opened = not inside, number
                i += 1
        if inside:
            out.append(message("error", opened, "unterminated string literal"))
        return answer(out, status="ok" if not inside else "runtime_error")

    return run
