"""Check Lean 4 proofs of locked statements: static screening, one Lean run per batch, caching.

A proof is correct iff, in this order:

1. **Static screen** (no Lean needed, :func:`~synlog.tasks.lean.screen.screen`): the answer is a
   proof body (``by omega``, a term) or a whole ``theorem`` whose header is byte-identical to the
   locked statement. It is read the way Lean's tokenizer reads it (``--`` comments and string
   literals are not code) and may hold no ``sorry`` / ``admit`` / ``stop``, no suggestion tactic
   (``exact?``), no native evaluation (``native_decide``, ``decide +native``), no command
   (``axiom``, ``theorem``, ``#eval``, a plain ``open``; ``open Foo in`` is fine), no
   ``set_option``, macro, attribute or meta-program, no block comment and no unclosed literal
   (either would swallow the trusted check below).
2. **Lean** runs the assembled file (:func:`assemble`) with ``--json`` under a wall-clock and
   memory limit in the sandbox's process backend; no message in the proof's lines may have
   severity ``error``, and none may say the declaration uses ``sorry``.
3. **Axioms**: the trusted ``#print axioms`` we append (never the model) must report, on its own
   line and for its own theorem, only ``propext``, ``Classical.choice``, ``Quot.sound``. A missing
   report is never a success.

Batches: :meth:`LeanChecker.check_many` puts many proofs into one file, each theorem in a
namespace of its own that we close (``Synlog.P0_<nonce>``, ``Synlog.P1_<nonce>``...; the nonce is
new for every run, so no proof can name another's theorem), so 64 samples cost one cold start;
messages are routed back by line range. A proof whose trusted report is missing may have broken
the file after it, so the proofs after it are checked again in a file without it: one proof's
text never decides another's verdict. Results are cached by sha256 of (toolchain version,
header, statement, proof), in memory and optionally in ``SYNLOG_LEAN_CACHE`` (a folder of small
JSON files).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synlog.tasks.lean.screen import screen
from synlog.tasks.lean.toolchain import Toolchain, require_toolchain
from synlog.verifiers.verdict import Verdict

ALLOWED_AXIOMS = frozenset({"propext", "Classical.choice", "Quot.sound"})
THEOREM = "synlog_goal"
FILE = "Main.lean"


@dataclass(frozen=True)
class Message:
    """One Lean message from ``lean --json`` (Lean's documented ``Lean.Message`` JSON)."""

    severity: str  # "information" | "warning" | "error"
    line: int
    column: int
    text: str
    end_line: int | None = None


def parse_messages(stdout: str) -> list[Message]:
    """Every JSON message line of ``lean --json`` output; other lines are ignored."""
    out = []
    for line in stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            continue
        if not isinstance(data, dict) or "severity" not in data:
            continue
        pos, end = data.get("pos") or {}, data.get("endPos") or {}
        text = str(data.get("data", ""))
        caption = data.get("caption")
        out.append(Message(str(data["severity"]), int(pos.get("line", 0)), int(pos.get("column", 0)),
                           f"{caption}: {text}" if caption else text, end.get("line")))
    return out


def _indent(body: str) -> str:
    # split on "\n" only: Lean ends a line (and a -- comment) there and nowhere else
    return "\n".join("  " + line for line in body.split("\n"))


def assemble(statement: str, body: str, namespace: str = "Synlog.P0", header: str = "") -> str:
    """One theorem in its own namespace, which we close, then the trusted ``#print axioms`` for
    it on the last line (``end`` two lines above it)."""
    return (f"{header}namespace {namespace}\n\n{statement} :=\n{_indent(body)}\n\n"
            f"end {namespace}\n\n#print axioms {namespace}.{THEOREM}\n")


def report_of(messages: Sequence[Message], name: str, line: int | None = None) -> Message | None:
    """The trusted ``#print axioms`` report for theorem ``name``: an information message that
    names exactly that theorem, on ``line`` (the ``#print`` command's) when given."""
    marks = (f"'{name}' depends on axioms:", f"'{name}' does not depend on any axioms")
    for m in messages:
        if m.severity == "information" and (line is None or m.line == line) and any(x in m.text for x in marks):
            return m
    return None


def judge(messages: Sequence[Message], name: str, report_line: int | None = None) -> Verdict:
    """The verdict for one theorem from its messages (those inside its line range)."""
    errors = [m for m in messages if m.severity == "error"]
    if errors:
        return Verdict.wrong("Lean reports an error", errors=[f"{m.line}:{m.column}: {m.text[:300]}"
                                                              for m in errors[:5]])
    if any("sorry" in m.text for m in messages if m.severity == "warning"):
        return Verdict.invalid("the proof uses sorry")
    report = report_of(messages, name, report_line)
    if report is None:  # the proof hid our check (or Lean stopped): never a success
        return Verdict.invalid("Lean printed no trusted axiom report for the theorem")
    axioms = axioms_in(report.text)
    extra = sorted(axioms - ALLOWED_AXIOMS)
    if extra:
        return Verdict.invalid(f"the proof depends on disallowed axioms: {', '.join(extra)}", axioms=extra)
    return Verdict.ok()


def axioms_in(report: str) -> set[str]:
    """Axiom names from ``'X' depends on axioms: [propext, Quot.sound]`` (empty if none)."""
    if "does not depend on any axioms" in report:
        return set()
    inside = report[report.find("[") + 1: report.rfind("]")] if "[" in report else ""
    return {name.strip() for name in inside.replace("\n", " ").split(",") if name.strip()}


Runner = Callable[[Toolchain, str, float, int], Any]


def sandbox_runner(toolchain: Toolchain, text: str, wall_s: float, memory_mb: int) -> Any:
    """Run ``lean --json Main.lean`` in the sandbox's process backend; returns its RunResult."""
    from synlog.sandbox import Limits, run

    limits = Limits(wall_s=wall_s, cpu_s=wall_s, memory_mb=memory_mb, output_bytes=4_000_000, processes=64)
    return run(argv=toolchain.command("--json", FILE), files={FILE: text}, limits=limits, backend="process",
               binds=toolchain_binds(toolchain))


def toolchain_binds(toolchain: Toolchain) -> tuple[str, ...]:
    """What the jail must show of the toolchain, read-only: the lean binary's installation and
    every LEAN_PATH folder (a Mathlib project's build output) named in its argv."""
    from synlog.sandbox.process import installation

    out: list[str] = []
    for arg in toolchain.argv:
        value = arg.partition("=")[2] if "=" in arg and not arg.startswith("/") else arg
        for part in value.split(":"):
            if not part.startswith("/") or not os.path.exists(part) or part.startswith("/usr/"):
                continue
            place = installation(part) if os.path.isfile(part) else part
            if place and place not in out:
                out.append(place)
    return tuple(out)


class LeanChecker:
    """Checks proofs of locked statements with one toolchain; caches every verdict."""

    def __init__(self, toolchain: Toolchain | None = None, *, wall_s: float = 60.0,
                 memory_mb: int = int(os.environ.get("SYNLOG_LEAN_MEMORY_MB", "8192")),
                 runner: Runner = sandbox_runner, cache_dir: str | None = None, header: str = ""):
        self.toolchain = toolchain
        self.wall_s, self.memory_mb, self.runner, self.header = wall_s, memory_mb, runner, header
        self.cache: dict[str, dict] = {}
        folder = cache_dir or os.environ.get("SYNLOG_LEAN_CACHE")
        self.cache_dir = Path(folder) if folder else None

    def key(self, statement: str, body: str) -> str:
        version = self.toolchain.version if self.toolchain else "none"
        raw = json.dumps([version, self.header, statement, body])
        return hashlib.sha256(raw.encode()).hexdigest()

    def _cached(self, key: str) -> Verdict | None:
        if key in self.cache:
            return Verdict.from_dict(self.cache[key])
        if self.cache_dir is not None:
            path = self.cache_dir / f"{key}.json"
            if path.exists():
                try:
                    data = json.loads(path.read_text())
                except (OSError, json.JSONDecodeError):
                    return None
                self.cache[key] = data
                return Verdict.from_dict(data)
        return None

    def _store(self, key: str, verdict: Verdict) -> None:
        if verdict.reason.value in ("timeout", "error"):
            return  # a timeout may pass on a less loaded machine, an infrastructure failure be fixed
        data = verdict.to_dict()
        self.cache[key] = data
        if self.cache_dir is not None:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            (self.cache_dir / f"{key}.json").write_text(json.dumps(data))

    def check(self, statement: str, answer: str) -> Verdict:
        """One proof (a batch of one)."""
        return self.check_many([(statement, answer)])[0]

    def check_many(self, items: Sequence[tuple[str, str]]) -> list[Verdict]:
        """Many (statement, answer) pairs; the ones that pass the screen share one Lean run."""
        verdicts: list[Verdict | None] = [None] * len(items)
        screened: list[tuple[int, str, str]] = []
        for i, (statement, answer) in enumerate(items):
            body = screen(statement, answer)
            if isinstance(body, Verdict):
                verdicts[i] = body
            else:
                screened.append((i, statement, body))
        if screened and self.toolchain is None:
            self.toolchain = require_toolchain()  # LeanNotFound: never a silent 0
        pending, waiting = [], {}  # identical proofs (pass@k repeats) are compiled once
        for i, statement, body in screened:
            key = self.key(statement, body)
            cached = self._cached(key)
            if cached is not None:
                verdicts[i] = cached
            elif key in waiting:
                waiting[key].append(i)
            else:
                waiting[key] = [i]
                pending.append((i, statement, body, key))
        if pending:
            results = self._run(self.toolchain, pending)
            for (_, _, _, key), verdict in zip(pending, results, strict=True):
                self._store(key, verdict)
                for i in waiting[key]:
                    verdicts[i] = verdict
        return [v if v is not None else Verdict.error("unchecked") for v in verdicts]

    def _run(self, toolchain: Toolchain, pending: Sequence[tuple[int, str, str, str]]) -> list[Verdict]:
        """Verdicts for ``pending``, in order: one Lean file for them all, then a file for the
        proofs that the last file left unjudged, or one file each when a whole run failed."""
        verdicts: list[Verdict] = []
        alone = False
        while len(verdicts) < len(pending):
            rest = pending[len(verdicts):]
            settled = self._run_file(toolchain, rest[:1] if alone else rest)
            if settled is None:
                alone = True  # a timeout or a crash of the whole batch: find the proof to blame
            else:
                verdicts += settled
        return verdicts

    def _run_file(self, toolchain: Toolchain, batch: Sequence[tuple[int, str, str, str]]) -> list[Verdict] | None:
        """Verdicts for a prefix of ``batch`` (at least one) from one Lean run: every proof up to
        and including the first whose file structure did not survive it. None: the run failed as a
        whole and the batch must be split."""
        nonce = secrets.token_hex(4)  # no proof can know, so none can name, another proof's theorem
        parts, slots, line = [self.header] if self.header else [], [], self.header.count("\n") + 1
        for n, (_, statement, body, _) in enumerate(batch):
            namespace = f"Synlog.P{n}_{nonce}"
            chunk = assemble(statement, body, namespace)
            slots.append(_Slot(line, line + chunk.count("\n"), f"{namespace}.{THEOREM}"))
            parts.append(chunk)
            line += chunk.count("\n")
        # a batch shares one cold start; give it more time than one proof, but not n times more
        result = self.runner(toolchain, "".join(parts), self.wall_s * len(batch) ** 0.5, self.memory_mb)
        status = getattr(result.status, "value", result.status)
        if status == "sandbox_error":
            return [Verdict.error(f"the sandbox could not run Lean: {result.stderr.strip()[:300]}")] * len(batch)
        if status in ("timeout", "memory", "output_limit"):
            if len(batch) > 1:
                return None
            return [Verdict.timeout(self.wall_s) if status == "timeout" else Verdict.wrong(f"Lean run ended with {status}")]
        messages = parse_messages(result.stdout)
        preamble = [m for m in messages if m.severity == "error" and m.line < slots[0].first]
        if preamble or (not messages and status != "ok"):
            if len(batch) > 1:
                return None  # not one proof's doing, or one proof crashed Lean: tell them apart
            if preamble:
                return [Verdict.error(f"the trusted header failed: {preamble[0].text[:300]}")]
            return [Verdict.error(f"Lean did not run ({status}): {result.stderr.strip()[:300]}")]
        out = []
        for slot in slots:
            mine = [m for m in messages if slot.first <= m.line < slot.end]
            verdict = judge(mine, slot.name, slot.report_line)
            if "errors" in verdict.details:  # the same verdict whatever the nonce was
                verdict.details["errors"] = [e.replace(f"_{nonce}", "") for e in verdict.details["errors"]]
            out.append(verdict)
            if not slot.intact(mine):
                break  # the proofs after this one may have been read as part of it: check them again
        return out


@dataclass(frozen=True)
class _Slot:
    """One proof's lines in a batch file (``end`` is one past its last line, the ``#print``)."""

    first: int
    end: int
    name: str

    @property
    def report_line(self) -> int:
        return self.end - 1

    def intact(self, messages: Sequence[Message]) -> bool:
        """Lean read our ``end`` and ``#print axioms`` where we wrote them: the report is there,
        and ``end`` closed the namespace (a scope left open would shift every later name)."""
        end_line = self.end - 3
        return (report_of(messages, self.name, self.report_line) is not None
                and not any(m.line == end_line and "invalid 'end'" in m.text for m in messages))
