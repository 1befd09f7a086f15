"""Run sympy on untrusted answers in a child process with a wall-clock limit.

sympy can hang (``simplify`` of a large expression, ``9**9**9**9``) and cannot be interrupted
from another thread, so every sympy call of the math checker goes to one small persistent child
process per parent process, started with :mod:`subprocess` (not :mod:`multiprocessing`: the
verifier pool's workers are daemonic and may not have multiprocessing children, and a plain
pipe works in any thread). Requests and replies are JSON lines; parsed trees
(:mod:`synlog.verifiers.math_parse`) travel as nested lists, so the child never parses text
and nothing is ever evaluated as code. If a reply does not come within the limit the child
is killed and the caller gets :class:`SympyTimeout`; the next call starts a fresh child::

    worker = shared_worker()
    worker.call({"op": "equal", "pairs": [[gold_tree, answer_tree]]}, timeout=5.0)  # [True]

Why not ``signal.alarm``: it only works in the main thread and cannot stop C-level loops in
big-integer arithmetic; killing a process always works. The child caps its own memory
(``RLIMIT_AS``) so a runaway expansion dies instead of swapping.

Operations (each reply is ``{"ok": result}`` or ``{"error": message}``):
  ``equal``: for each ``[a, b]`` pair, is ``a - b`` identically zero (``expand``, ``cancel``,
  then ``simplify``)? ``close``: numerically within ``tol`` (relative); ``derivative_equal``:
  is ``d/d var (b) == a``; ``lowest_terms``: the answer's written ``numerator`` and
  ``denominator`` against ``gold``: ``{defined, polynomial, equal, reduced}``.

Equality is decided by exact probes (rational points: a clear difference ends it), then
``expand`` / ``cancel`` / ``simplify`` within :data:`SYMBOLIC_SHARE` of the budget and below
:data:`SYMBOLIC_MAX_OPS` operations, then, for what is too big or too slow for them, by
evaluation at random complex points to 40 digits (an equal answer is never timed out for being
large; the last step works to more digits than the smallest constant in the expression needs,
so a tiny term such as 10^-30·x is still seen).
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

START_TIMEOUT_S = 60.0
MEMORY_MB = 1_024


class SympyTimeout(Exception):
    """The child did not answer within the limit (it has been killed)."""


class SympyWorker:
    """A persistent child process (``python -m module``: sympy's by default) speaking the JSON
    line protocol of :func:`serve`; thread-safe, restarted after a timeout or a crash."""

    def __init__(self, module: str = "synlog.verifiers.sympy_worker", name: str = "sympy") -> None:
        self.module, self.name = module, name
        self._process: subprocess.Popen[bytes] | None = None
        self._owner = os.getpid()
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", self.module],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        self._process, self._owner = process, os.getpid()
        line = self._read_line(process, START_TIMEOUT_S)
        if line is None or json.loads(line) != {"ready": True}:
            self.close()
            raise SympyTimeout(f"the {self.name} worker did not start")
        return process

    @staticmethod
    def _read_line(process: subprocess.Popen[bytes], timeout: float) -> bytes | None:
        deadline = time.monotonic() + timeout
        buffer = b""
        fd = process.stdout.fileno()
        while not buffer.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return None
            buffer += chunk
        return buffer

    def start(self) -> None:
        """Start the child now if it is not running (a warm-up; ``call`` starts it otherwise)."""
        with self._lock:
            process = self._process
            if process is None or process.poll() is not None or self._owner != os.getpid():
                self._start()

    def call(self, request: dict[str, Any], timeout: float) -> Any:
        """Send one request; its result, or SympyTimeout after ``timeout`` seconds."""
        with self._lock:
            process = self._process
            if process is None or process.poll() is not None or self._owner != os.getpid():
                process = self._start()  # a forked copy must not share its parent's pipes
            try:
                process.stdin.write(json.dumps({**request, "budget_s": timeout}).encode() + b"\n")
                process.stdin.flush()
            except (BrokenPipeError, OSError):
                self.close()
                raise SympyTimeout(f"the {self.name} worker died") from None
            line = self._read_line(process, timeout)
            if line is None:
                self.close()
                raise SympyTimeout(f"{self.name} took longer than {timeout:g}s")
        reply = json.loads(line)
        if "error" in reply:
            raise ValueError(reply["error"])
        return reply["ok"]

    def close(self) -> None:
        """Kill the child (if any)."""
        process, self._process = self._process, None
        if process is not None and self._owner == os.getpid():
            process.kill()
            process.wait()


_SHARED: SympyWorker | None = None


def shared_worker() -> SympyWorker:
    """The process-wide worker (one child per parent process, started on first use)."""
    global _SHARED
    if _SHARED is None:
        _SHARED = SympyWorker()
    return _SHARED


# ---------------------------------------------------------------- the child side


def _build(node: list, sympy: Any) -> Any:
    kind = node[0]
    if kind == "num":
        return sympy.Rational(node[1])
    if kind == "sym":
        return sympy.Symbol(node[1])
    if kind == "const":
        return {"pi": sympy.pi, "E": sympy.E, "oo": sympy.oo}[node[1]]
    if kind == "neg":
        return -_build(node[1], sympy)
    if kind == "fn":
        return getattr(sympy, node[1])(_build(node[2], sympy))
    if kind == "root":
        return sympy.root(_build(node[2], sympy), _build(node[1], sympy))
    a, b = _build(node[1], sympy), _build(node[2], sympy)
    if kind == "add":
        return a + b
    if kind == "sub":
        return a - b
    if kind == "mul":
        return a * b
    if kind == "div":
        return a / b
    if kind == "pow":
        return sympy.Pow(a, b)
    raise ValueError(f"unknown node {kind!r}")


#: points where a difference is evaluated before any symbolic work (irrational-ish, inside
#: the domain of log and sqrt); substituted as exact rationals, so terms that cancel exactly
#: (``(x^2+2x+1)^50 - (x+1)^100``) cancel exactly instead of leaving float noise
PROBES = ("0.7318", "1.2913", "2.4071")
#: share of a request's budget that symbolic simplification may use before the decision is
#: made numerically instead (so a big but equal answer is judged, not timed out)
SYMBOLIC_SHARE = 0.4
#: operation count above which symbolic simplification is not tried at all
SYMBOLIC_MAX_OPS = 300
#: random complex points of the numeric decision, and the digits they are evaluated to
NUMERIC_POINTS, NUMERIC_DIGITS = 4, 40


class _SymbolicBudgetSpent(Exception):
    """The symbolic steps used up their share of the request's budget."""


def _value_at(expr: Any, point: dict, sympy: Any, digits: int = 30) -> complex | None:
    try:
        value = complex(expr.subs(point).evalf(digits))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, AttributeError):
        return None
    return None if value != value or abs(value) == float("inf") else value


def _numerically_nonzero(expr: Any, sympy: Any) -> bool:
    """True when the difference is clearly not 0 at a probe point: no simplify needed."""
    symbols = sorted(expr.free_symbols, key=str)
    for probe in PROBES:
        value = _value_at(expr, {s: sympy.Rational(probe) for s in symbols}, sympy)
        if value is not None and abs(value) > 1e-12:
            return True
    return False


def _numerically_zero(expr: Any, sympy: Any) -> bool:
    """The decision for expressions too big or too slow to simplify: zero at random complex
    points (unpredictable to the answer's author, away from the real line where |x| and
    sqrt(x^2) look like x), evaluated to 40 digits. Distinct analytic expressions agree at
    such a point with probability 0."""
    import random

    draw = random.SystemRandom()
    symbols = sorted(expr.free_symbols, key=str)
    # a tiny constant in the answer (10^-30·x, or 1 - 10^-200 folded into one rational) must
    # not hide under the zero threshold: work with twice the digits of the longest constant
    lengths = [max(len(str(abs(r.p))), len(str(r.q))) for r in expr.atoms(sympy.Rational)]
    extra = min(300, 2 * max(lengths)) if lengths and max(lengths) > 6 else 0
    digits, threshold = NUMERIC_DIGITS + extra, sympy.Float(10) ** -(20 + extra)
    for _ in range(NUMERIC_POINTS):
        point = {s: sympy.Rational(round(draw.uniform(-2.5, 2.5), 6)).limit_denominator(10**6)
                 + sympy.I * sympy.Rational(round(draw.uniform(0.3, 2.0), 6)).limit_denominator(10**6)
                 for s in symbols}
        try:
            value = expr.subs(point).evalf(digits)
            if abs(value) > threshold or not value.is_finite:
                return False
        except (TypeError, ValueError, ZeroDivisionError, OverflowError, AttributeError):
            return False
    return True


def _zero(expr: Any, sympy: Any, budget_s: float = 5.0) -> bool:
    """Is ``expr`` identically zero? Exact probes first, then bounded symbolic steps, then
    (for an expression too big or too slow for them) the numeric decision."""
    if expr == 0:
        return True
    if _numerically_nonzero(expr, sympy):
        return False
    if sympy.count_ops(expr) > SYMBOLIC_MAX_OPS:
        return _numerically_zero(expr, sympy)
    try:
        with _share_of_budget(budget_s * SYMBOLIC_SHARE):
            for step in (sympy.expand, sympy.cancel, sympy.simplify):
                expr = step(expr)
                if expr == 0:
                    return True
                if sympy.count_ops(expr) > SYMBOLIC_MAX_OPS:
                    raise _SymbolicBudgetSpent
            return bool(expr.equals(0))
    except (_SymbolicBudgetSpent, RecursionError):
        return _numerically_zero(expr, sympy)


class _share_of_budget:  # noqa: N801 - used as a context manager, reads like a function
    """Raise _SymbolicBudgetSpent if the block runs longer than ``seconds``; the request's own
    timer (set by :func:`main`) is restored afterwards."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __enter__(self) -> None:
        self.outer = signal.getitimer(signal.ITIMER_REAL)[0]
        self.started = time.monotonic()
        self.previous = signal.signal(signal.SIGALRM, self._spent)
        if self.outer == 0 or self.seconds < self.outer:
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def _spent(self, signum: int, frame: Any) -> None:
        raise _SymbolicBudgetSpent

    def __exit__(self, *exc: object) -> None:
        signal.signal(signal.SIGALRM, self.previous)
        if self.outer:
            left = self.outer - (time.monotonic() - self.started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))
        else:
            signal.setitimer(signal.ITIMER_REAL, 0)


def _undefined(expr: Any, sympy: Any) -> bool:
    return bool(expr.has(sympy.zoo, sympy.nan))


def _handle(request: dict[str, Any], sympy: Any) -> Any:
    op = request["op"]
    budget = float(request.get("budget_s", 5.0))
    if op == "lowest_terms":
        return _lowest_terms(request, sympy, budget)
    pairs = [(_build(a, sympy), _build(b, sympy)) for a, b in request.get("pairs", [])]
    # an undefined value (1/0, log(0), 1/(x - x)) equals nothing
    defined = [not (_undefined(a, sympy) or _undefined(b, sympy)) for a, b in pairs]
    share = budget / max(1, len(pairs))
    if op == "equal":
        return [ok and _zero(a - b, sympy, share) for ok, (a, b) in zip(defined, pairs, strict=True)]
    if op == "close":
        tol = float(request["tol"])
        out = []
        for ok, (a, b) in zip(defined, pairs, strict=True):
            x, y = (complex(sympy.N(a, 30)), complex(sympy.N(b, 30))) if ok else (0, 1)
            out.append(ok and abs(x - y) <= tol * max(1.0, abs(x)))
        return out
    if op == "derivative_equal":
        var = sympy.Symbol(request["var"])
        # log|u| and log(u) have the same derivative wherever both are defined
        pairs = [(a, b.replace(lambda e: isinstance(e, sympy.log) and isinstance(e.args[0], sympy.Abs),
                               lambda e: sympy.log(e.args[0].args[0]))) for a, b in pairs]
        out = []
        for ok, (a, b) in zip(defined, pairs, strict=True):
            derivative = sympy.diff(b, var) if ok else sympy.nan
            out.append(ok and not _undefined(derivative, sympy) and _zero(derivative - a, sympy, share))
        return out
    raise ValueError(f"unknown op {op!r}")


def _lowest_terms(request: dict[str, Any], sympy: Any, budget: float) -> dict[str, bool]:
    """Judge a fraction *as written*: ``numerator`` and ``denominator`` are built separately,
    so sympy cannot cancel a common factor before the check sees it."""
    var = sympy.Symbol(request["var"])
    gold = _build(request["gold"], sympy)
    top, bottom = _build(request["numerator"], sympy), _build(request["denominator"], sympy)
    if any(_undefined(e, sympy) for e in (gold, top, bottom)) or bottom == 0:
        return {"defined": False, "polynomial": True, "equal": False, "reduced": False}
    polynomial = bool(top.is_polynomial(var) and bottom.is_polynomial(var))
    equal = _zero(top / bottom - gold, sympy, budget)
    reduced = polynomial and sympy.degree(sympy.gcd(sympy.expand(top), sympy.expand(bottom)), var) == 0
    return {"defined": True, "polynomial": polynomial, "equal": bool(equal), "reduced": bool(reduced)}


def serve(handle: Callable[[dict[str, Any]], Any], memory_mb: int = MEMORY_MB, setup: Callable[[], Any] = lambda: None) -> None:
    """A child's loop: cap its memory, run ``setup`` (imports, before "ready", so the first
    request is not slow), then answer one JSON request per line on stdin with one JSON reply
    per line on stdout: ``{"ok": handle(request)}`` or ``{"error": message}``."""
    try:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass
    setup()

    def out_of_time(signum: int, frame: Any) -> None:
        raise TimeoutError("request budget spent")

    # a second guard: if the parent died (a pool worker killed on its own timeout) nobody would
    # kill this child, so it stops any request itself shortly after the parent gave up on it
    signal.signal(signal.SIGALRM, out_of_time)
    out = sys.stdout
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        try:
            request = json.loads(line)
            signal.setitimer(signal.ITIMER_REAL, float(request.get("budget_s", 10.0)) + 1.0)
            reply = {"ok": handle(request)}
        except (MemoryError, RecursionError, TimeoutError) as exc:
            reply = {"error": f"{type(exc).__name__}"}
        except Exception as exc:  # noqa: BLE001 - any failure is a reply, not a crash
            reply = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        out.write(json.dumps(reply) + "\n")
        out.flush()


def main() -> None:
    """The sympy child: :func:`serve` with the operations above."""
    sys.setrecursionlimit(10_000)
    import sympy

    serve(lambda request: _handle(request, sympy))


if __name__ == "__main__":
    main()
