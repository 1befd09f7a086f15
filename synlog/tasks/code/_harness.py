"""Running code for the code tasks: answer parsing, the test harness, the sandbox call.

Model code never runs in this process. ``run_tests`` writes the model's code to
``solution.py`` in a sandboxed run whose ``main.py`` (the harness) executes it, calls the
function on every test input and prints the results as one JSON line. The expected outputs
never enter the sandbox: they are compared here, so code that tampers with the harness can
only change what it reports about itself, never learn what it should have returned.

All tests of one completion run in ONE sandboxed run. Answers that are not code defining
the function are rejected before anything is started (cheap on garbage).
"""

from __future__ import annotations

import ast
import json
import os
import re
from dataclasses import dataclass
from typing import Any

from synlog.sandbox import Limits, RunResult, Status, run

#: the backend code tasks use: $SYNLOG_CODE_SANDBOX, else the warm pool (fast, confined)
BACKEND_ENV = "SYNLOG_CODE_SANDBOX"
#: the longest answer we run (a solution is a few hundred characters)
MAX_CODE_CHARS = 20_000
#: limits of one verification run (all tests of one completion); well inside the pool's 10 s
LIMITS = Limits(wall_s=4.0, cpu_s=2.0, memory_mb=512, output_bytes=200_000, file_size_mb=1,
                open_files=32, processes=4)
MARKER = "@@synlog-results@@"

_FENCE = re.compile(r"```[ \t]*(?:python3?|py)?[ \t]*\n(.*?)```", re.DOTALL | re.IGNORECASE)

#: main.py of the sandboxed run (never this process): load solution.py as a module, call the
#: function on each input, print one JSON line after the marker
HARNESS = """\
import json, os, sys
_out = os.fdopen(os.dup(1), "w")
sys.stdout = open(os.devnull, "w")
_inputs = json.loads({inputs!r})
_results = []
sys.dont_write_bytecode = True
sys.path.insert(0, os.getcwd())
try:
    import solution
    _fn = getattr(solution, {function!r})
except BaseException as _e:
    _out.write({marker!r} + json.dumps({{"load_error": type(_e).__name__ + ": " + str(_e)[:200]}}) + "\\n")
    _out.flush()
    os._exit(0)
for _x in _inputs:
    try:
        _r = _fn(json.loads(json.dumps(_x)))
        _results.append(["ok", json.loads(json.dumps(_r))])
    except BaseException as _e:
        _results.append(["error", type(_e).__name__])
_out.write({marker!r} + json.dumps({{"results": _results}}) + "\\n")
_out.flush()
os._exit(0)
"""


def backend() -> str:
    return os.environ.get(BACKEND_ENV, "warm")


def extract_code(answer: str, function: str) -> tuple[str | None, str]:
    """The Python source in ``answer`` (a fenced block, else the text), or None and why."""
    if len(answer) > MAX_CODE_CHARS * 2:
        return None, f"answer longer than {MAX_CODE_CHARS} characters"
    blocks = _FENCE.findall(answer)
    code = blocks[-1] if blocks else answer.strip().strip("`")
    if len(code) > MAX_CODE_CHARS:
        return None, f"code longer than {MAX_CODE_CHARS} characters"
    if f"def {function}" not in code:
        return None, f"no definition of {function}()"
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        return None, f"not valid Python: {type(error).__name__}"
    defined = any(isinstance(node, ast.FunctionDef) and node.name == function for node in tree.body)
    if not defined:
        return None, f"no top-level definition of {function}()"
    return code, ""


@dataclass
class TestRun:
    """What the sandboxed harness reported: one ``["ok", value]`` or ``["error", name]`` per test."""

    results: list[list[Any]] | None
    problem: str
    run: RunResult


def run_tests(code: str, function: str, inputs: list[Any]) -> TestRun:
    """Call ``function`` from ``code`` on every input, in one sandboxed run."""
    program = HARNESS.format(inputs=json.dumps(inputs), function=function, marker=MARKER)
    result = run(program, files={"solution.py": code}, limits=LIMITS, backend=backend())
    if result.status is not Status.OK:
        return TestRun(None, f"the run ended with {result.status.value}", result)
    for line in reversed(result.stdout.splitlines()):
        if line.startswith(MARKER):
            try:
                report = json.loads(line[len(MARKER):])
            except ValueError:
                break
            if "load_error" in report:
                return TestRun(None, f"the code failed to load: {report['load_error']}", result)
            return TestRun(report.get("results"), "", result)
    return TestRun(None, "the harness reported nothing", result)


def run_program(program: str, stdin: str = "") -> RunResult:
    """Run one of our own generated programs (code_output, code_input) in the sandbox."""
    return run(program, stdin=stdin, limits=LIMITS, backend=backend())


def canonical(value: Any) -> str:
    """A JSON form where True and 1 differ and list vs tuple does not."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
