"""A second opinion from math-verify, run in a child process of its own.

math-verify reads plain-text answers with sympy's ``parse_expr``, which evaluates the text as
Python: model output must never be evaluated in the verifier's process, so math-verify runs in
one small persistent child per process (the same pipe protocol and kill-on-timeout as
:mod:`synlog.verifiers.sympy_worker`), with its own signal timeouts off (``parsing_timeout`` and
``timeout_seconds`` ``None``: the parent kills a child that takes too long)::

    second_opinion(r"\\frac{1}{2}", "2/4")
    # {"tool": "math-verify", "correct": True, "error": None}

The gold goes in as ``$gold$``; the answer as extracted, wrapped in ``$…$`` when it has no
delimiters (math-verify otherwise reads only the last number of ``1, 2``). For a choice, both
are read with math-verify's ``StringExtractionConfig`` over the option letters. Missing
math-verify, a crash or a time-out is an ``error`` in the record, never an exception.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from synlog.verifiers.sympy_worker import SympyTimeout, SympyWorker, serve

TOOL = "math-verify"
TIMEOUT_S = 10.0
MEMORY_MB = 2_048
MISSING = "math-verify is not installed: pip install 'synlog[math]'"


_WORKER: SympyWorker | None = None


def worker() -> SympyWorker:
    """The process-wide math-verify child (started on first use; the sympy worker's protocol)."""
    global _WORKER
    if _WORKER is None:
        _WORKER = SympyWorker("synlog.tasks.math._math_verify", TOOL)
    return _WORKER


def installed() -> bool:
    """True when math-verify can be imported here."""
    try:
        return importlib.util.find_spec("math_verify") is not None
    except (ImportError, ValueError):  # a package blocked with sys.modules[name] = None
        return False


def second_opinion(gold: str, answer: str, option_letters: str = "", timeout: float = TIMEOUT_S) -> dict[str, Any]:
    """math-verify's verdict on ``answer`` against the normalised ``gold``:
    ``{"tool": "math-verify", "correct": bool | None, "error": str | None}``."""
    if not installed():
        return {"tool": TOOL, "correct": None, "error": MISSING}
    try:
        result = worker().call({"gold": gold, "answer": answer, "letters": option_letters}, timeout)
    except SympyTimeout as exc:
        return {"tool": TOOL, "correct": None, "error": f"math-verify gave no verdict: {exc}"}
    except ValueError as exc:  # the child's math-verify raised
        return {"tool": TOOL, "correct": None, "error": f"math-verify failed: {exc}"[:300]}
    return {"tool": TOOL, "correct": bool(result), "error": None}


# ---------------------------------------------------------------- the child side


def _delimited(answer: str) -> str:
    if any(mark in answer for mark in ("$", "\\(", "\\[", "\\boxed")):
        return answer
    return f"${answer}$"


def _judge(request: dict[str, Any]) -> bool:
    from math_verify import StringExtractionConfig, parse, verify

    if request.get("letters"):
        config = [StringExtractionConfig(strings=tuple(request["letters"]))]
        gold = parse(request["gold"], extraction_config=config, parsing_timeout=None)
        answer = parse(request["answer"], extraction_config=config, parsing_timeout=None)
    else:
        gold = parse(f"${request['gold']}$", parsing_timeout=None)
        answer = parse(_delimited(request["answer"]), parsing_timeout=None)
    return bool(verify(gold, answer, timeout_seconds=None))


def main() -> None:
    """The child: :func:`~synlog.verifiers.sympy_worker.serve` with math-verify's judgement."""

    def setup() -> None:
        import logging

        logging.disable(logging.WARNING)  # math-verify warns on every call that timeouts are off
        import math_verify  # noqa: F401 - imported before "ready", so the first request is not slow

    serve(_judge, MEMORY_MB, setup)


if __name__ == "__main__":
    main()
