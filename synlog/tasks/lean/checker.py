"""Check Lean 4 proofs of locked statements: static screening, one Lean run per batch, caching.

A proof is correct iff, in this order:

1. **Static screen** (no Lean needed, :func:`screen`): the answer is a proof body (``by omega``,
   a term) or a whole ``theorem`` whose header is byte-identical to the locked statement; it
   contains no ``sorry`` / ``admit`` (plain or «quoted»), no new commands (``axiom``,
   ``theorem``, ``#eval``...), no ``set_option``, ``macro`` / ``elab`` / ``syntax`` /
   ``notation``, no ``@[implemented_by]`` / ``@[extern]`` / ``unsafe``, no ``native_decide``
   and no block comment (an unclosed ``/-`` would swallow the trusted check below).
2. **Lean** runs the assembled file (:func:`assemble`) with ``--json`` under a wall-clock and
   memory limit in the sandbox's process backend; no message may have severity ``error``, and
   no message may say the declaration uses ``sorry``.
3. **Axioms**: the trusted ``#print axioms`` we append (never the model) must list only
   ``propext``, ``Classical.choice``, ``Quot.sound``.

Batches: :meth:`LeanChecker.check_many` puts many proofs into one file, each theorem in its own
``namespace`` (``Synlog.P0``, ``Synlog.P1``...), so 64 samples cost one cold start; messages are
routed back by line range. Results are cached by sha256 of (toolchain version, statement,
proof), in memory and optionally in ``SYNLOG_LEAN_CACHE`` (a folder of small JSON files).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synlog.tasks.lean.toolchain import Toolchain, require_toolchain
from synlog.verifiers.verdict import Verdict

MAX_PROOF_CHARS = 8_000
ALLOWED_AXIOMS = frozenset({"propext", "Classical.choice", "Quot.sound"})
THEOREM = "synlog_goal"
FILE = "Main.lean"

_FORBIDDEN = [
    (re.compile(r"(?<![\w.'])(?:sorry|admit)(?![\w'])|«\s*(?:sorry|admit)\s*»"), "sorry/admit is not a proof"),
    (re.compile(r"(?<![\w.'])(?:axiom|axioms|theorem|lemma|def|example|instance|abbrev|opaque|structure|"
                r"inductive|class|namespace|section|end|open|import|universe|variable|mutual|deriving|"
                r"attribute|noncomputable|private|protected|partial|unsafe|initialize)(?![\w'])"),
     "the answer may contain only a proof, not new declarations or commands"),
    (re.compile(r"#\s*[A-Za-z]"), "commands such as #eval / #print are not allowed"),
    (re.compile(r"(?<![\w.'])set_option(?![\w'])"), "set_option escape hatches are not allowed"),
    (re.compile(r"(?<![\w.'])(?:macro|macro_rules|elab|elab_rules|syntax|notation|infix|infixl|infixr|"
                r"prefix|postfix|declare_syntax_cat|run_cmd|run_tac|run_elab)(?![\w'])"),
     "macro / elab / syntax / notation definitions are not allowed"),
    (re.compile(r"implemented_by|extern|@\["), "attributes such as @[implemented_by] / @[extern] are not allowed"),
    (re.compile(r"native_decide|ofReduceBool|Lean\.Elab|Lean\.Meta|unsafeCast|panic!"),
     "native_decide and meta-level escapes are not allowed"),
    (re.compile(r"/-"), "block comments are not allowed (use -- line comments)"),
]
_FULL_THEOREM = re.compile(r"\s*(theorem|lemma)\s")


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


def proof_body(statement: str, answer: str) -> str | Verdict:
    """The proof after ``:=``: the answer itself, or taken from a whole theorem whose header
    must be byte-identical to ``statement``. A Verdict says why the answer is refused."""
    text = answer.strip()
    if not text:
        return Verdict.no_answer("empty proof")
    if len(text) > MAX_PROOF_CHARS:
        return Verdict.unparseable(f"proof longer than {MAX_PROOF_CHARS} characters")
    if "\x00" in text:
        return Verdict.unparseable("NUL byte in the proof")
    if _FULL_THEOREM.match(text):
        header, sep, body = text.partition(":=")
        if not sep:
            return Verdict.unparseable("a theorem needs ':=' followed by its proof")
        if header.strip() != statement.strip():
            return Verdict.invalid("the theorem statement must be byte-identical to the given one")
        text = body.strip()
    elif text.startswith(":="):
        text = text[2:].strip()
    return text or Verdict.no_answer("empty proof")


def screen(statement: str, answer: str) -> str | Verdict:
    """The proof body if it passes the static rules, else the Verdict (invalid / unparseable)."""
    body = proof_body(statement, answer)
    if isinstance(body, Verdict):
        return body
    for pattern, why in _FORBIDDEN:
        if pattern.search(body):
            return Verdict.invalid(why)
    return body


def _indent(body: str) -> str:
    return "\n".join("  " + line for line in body.splitlines())


def assemble(statement: str, body: str, namespace: str = "Synlog.P0", header: str = "") -> str:
    """One theorem in its own namespace, then the trusted ``#print axioms`` for it."""
    return (f"{header}namespace {namespace}\n\n{statement} :=\n{_indent(body)}\n\n"
            f"end {namespace}\n\n#print axioms {namespace}.{THEOREM}\n")


def judge(messages: Sequence[Message], name: str) -> Verdict:
    """The verdict for one theorem from its messages (those inside its line range)."""
    errors = [m for m in messages if m.severity == "error"]
    if errors:
        return Verdict.wrong("Lean reports an error", errors=[f"{m.line}:{m.column}: {m.text[:300]}"
                                                              for m in errors[:5]])
    if any("sorry" in m.text for m in messages if m.severity == "warning"):
        return Verdict.invalid("the proof uses sorry")
    report = [m.text for m in messages if "axiom" in m.text and name in m.text]
    if not report:
        return Verdict.wrong("Lean printed no axiom report for the theorem (the file did not finish)")
    axioms = axioms_in(report[-1])
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
    return run(argv=toolchain.command("--json", FILE), files={FILE: text}, limits=limits, backend="process")


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
        if verdict.reason.value == "timeout":
            return  # a timeout may pass on a less loaded machine: never cache it
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
            if len(pending) > 1 and all(v.reason.value == "timeout" for v in results):
                results = [self._run(self.toolchain, [item])[0] for item in pending]  # find the slow one
            for (_, _, _, key), verdict in zip(pending, results, strict=True):
                self._store(key, verdict)
                for i in waiting[key]:
                    verdicts[i] = verdict
        return [v if v is not None else Verdict.error("unchecked") for v in verdicts]

    def _run(self, toolchain: Toolchain, pending: Sequence[tuple[int, str, str, str]]) -> list[Verdict]:
        parts, ranges, line = [self.header] if self.header else [], [], self.header.count("\n") + 1
        for n, (_, statement, body, _) in enumerate(pending):
            chunk = assemble(statement, body, f"Synlog.P{n}")
            ranges.append((line, line + chunk.count("\n"), f"Synlog.P{n}.{THEOREM}"))
            parts.append(chunk)
            line += chunk.count("\n")
        text = "".join(parts)
        # a batch shares one cold start; give it more time than one proof, but not n times more
        result = self.runner(toolchain, text, self.wall_s * max(1, len(pending)) ** 0.5, self.memory_mb)
        status = getattr(result.status, "value", result.status)
        if status == "timeout":
            return [Verdict.timeout(self.wall_s)] * len(pending)
        if status in ("memory", "output_limit", "sandbox_error"):
            return [Verdict.wrong(f"Lean run ended with {status}")] * len(pending)
        messages = parse_messages(result.stdout)
        if not messages and status != "ok":  # Lean itself did not run: not the proof's fault
            return [Verdict.error(f"Lean did not run ({status}): {result.stderr.strip()[:300]}")] * len(pending)
        out = []
        for first, last, name in ranges:
            mine = [m for m in messages if first <= m.line < last]
            out.append(judge(mine, name))
        return out
