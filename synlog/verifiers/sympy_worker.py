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
  is ``d/d var (b) == a``; ``lowest_terms``: ``[equal, denominator degrees match]``.
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
from typing import Any

START_TIMEOUT_S = 60.0
MEMORY_MB = 1_024


class SympyTimeout(Exception):
    """The child did not answer within the limit (it has been killed)."""


class SympyWorker:
    """A persistent sympy child process; thread-safe, restarted after a timeout or a crash."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._owner = os.getpid()
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "synlog.verifiers.sympy_worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        self._process, self._owner = process, os.getpid()
        line = self._read_line(process, START_TIMEOUT_S)
        if line is None or json.loads(line) != {"ready": True}:
            self.close()
            raise SympyTimeout("the sympy worker did not start")
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
                raise SympyTimeout("the sympy worker died") from None
            line = self._read_line(process, timeout)
            if line is None:
                self.close()
                raise SympyTimeout(f"sympy took longer than {timeout:g}s")
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
#: the domain of log and sqrt)
PROBES = ("0.7318", "1.2913", "2.4071")


def _numerically_nonzero(expr: Any, sympy: Any) -> bool:
    """True when the difference is clearly not 0 at a probe point: no simplify needed."""
    symbols = sorted(expr.free_symbols, key=str)
    for probe in PROBES:
        try:
            value = complex(expr.subs({s: sympy.Float(probe, 30) for s in symbols}).evalf(30))
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            continue
        if value != value:  # nan
            continue
        if abs(value) > 1e-12:
            return True
    return False


def _zero(expr: Any, sympy: Any) -> bool:
    if expr == 0:
        return True
    if _numerically_nonzero(expr, sympy):
        return False
    for step in (sympy.expand, sympy.cancel, sympy.simplify):
        expr = step(expr)
        if expr == 0:
            return True
    return bool(expr.equals(0))


def _handle(request: dict[str, Any], sympy: Any) -> Any:
    op = request["op"]
    pairs = [(_build(a, sympy), _build(b, sympy)) for a, b in request.get("pairs", [])]
    if any(x.has(sympy.zoo, sympy.nan) for pair in pairs for x in pair):
        return [False] * len(pairs)
    if op == "equal":
        return [_zero(a - b, sympy) for a, b in pairs]
    if op == "close":
        tol = float(request["tol"])
        out = []
        for a, b in pairs:
            x, y = complex(sympy.N(a, 30)), complex(sympy.N(b, 30))
            out.append(abs(x - y) <= tol * max(1.0, abs(x)))
        return out
    if op == "derivative_equal":
        var = sympy.Symbol(request["var"])
        # log|u| and log(u) have the same derivative wherever both are defined
        pairs = [(a, b.replace(lambda e: isinstance(e, sympy.log) and isinstance(e.args[0], sympy.Abs),
                               lambda e: sympy.log(e.args[0].args[0]))) for a, b in pairs]
        return [_zero(sympy.diff(b, var) - a, sympy) for a, b in pairs]
    if op == "lowest_terms":
        out = []
        for a, b in pairs:
            degree = [sympy.degree(e.as_numer_denom()[1], sympy.Symbol(request["var"]))
                      for e in (a, b)]
            out.append([_zero(a - b, sympy), degree[0] == degree[1]])
        return out
    raise ValueError(f"unknown op {op!r}")


def main() -> None:
    """Child loop: one JSON request per line on stdin, one JSON reply per line on stdout."""
    try:
        import resource

        limit = MEMORY_MB * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass
    sys.setrecursionlimit(10_000)
    import sympy

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
            reply = {"ok": _handle(request, sympy)}
        except (MemoryError, RecursionError, TimeoutError) as exc:
            reply = {"error": f"{type(exc).__name__}"}
        except Exception as exc:  # noqa: BLE001 - any sympy failure is a reply, not a crash
            reply = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        out.write(json.dumps(reply) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
