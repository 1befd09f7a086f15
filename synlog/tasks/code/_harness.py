"""Running code for the code tasks: answer parsing, the test harness, the sandbox call.

Model code never runs in this process. ``run_tests`` writes the model's code to
``solution.py`` in ONE sandboxed run whose ``main.py`` (the harness, :data:`HARNESS`)
reports what the function returned on every test input. The expected outputs never enter
the sandbox: they are compared here, so the code can at most lie about its own return
values, which is what any wrong program does anyway.

The report travels over a channel the model's code cannot write::

    verifier ─ nonce on stdin ─▶ harness: non-dumpable, then fork; reads the nonce after
                                 │ the fork and never imports solution.py
                                 ▼
                                 child: fds 0-2 → /dev/null, every other fd closed but its
                                 result pipe; imports solution.py, sends one JSON line per test
    verifier ◀─ stdout: MARKER + {"nonce", "status", "results", "detail"} ─ harness

The child holds no descriptor of the run's stdout once its first (trusted) lines have run.
It has the harness's uid, but the harness is non-dumpable (``PR_SET_DUMPABLE`` 0), so the
child cannot open ``/proc/<ppid>/fd/1``, read the harness's memory or ptrace it; its copy of
the harness's memory is from before the nonce was read. It can kill the harness (no report:
``wrong``) or stall (partial results: ``wrong``). ``read_report`` accepts exactly one
well-formed report line with this run's nonce and never raises on anything else.

Answers that are not code defining the function are rejected before anything is started
(cheap on garbage).
"""

from __future__ import annotations

import ast
import json
import os
import re
import secrets
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
#: seconds the harness gives the child (from its own start) before it reports what it has
CHILD_WALL_S = LIMITS.wall_s - 1.0
#: bytes of result messages the harness accepts from the child; its report stays under
#: LIMITS.output_bytes (``REPORT_CHARS``; a longer one is replaced by an ``overflow`` report)
MAX_RESULT_BYTES = 150_000
REPORT_CHARS = LIMITS.output_bytes - 1_000
#: deepest nesting of a returned value that is reported (the tasks return ints and lists)
MAX_DEPTH = 50
#: how a report's ``status`` reads when results stop short of every test
STOPPED = {
    "timeout": f"the code ran past {CHILD_WALL_S:g}s",
    "exited": "the code ended the run before returning on every test",
    "overflow": f"the code sent more than {MAX_RESULT_BYTES} bytes of results",
    "malformed": "the code's result channel carried a malformed message",
}
STATUSES = ("done", "load_error", "harness_error", *STOPPED)
REPORT_KEYS = {"nonce", "status", "results", "detail"}

_FENCE = re.compile(r"```[ \t]*(?:python3?|py)?[ \t]*\n(.*?)```", re.DOTALL | re.IGNORECASE)

#: the start of every code harness (sandbox-side source, shared by this file, ``_stdio`` and
#: ``_function_judge``): the one report line on fd 1, the nonce read after the fork, and
#: making the trusted parent non-dumpable
CHANNEL = r'''
import ctypes, json, os, select, signal, sys, time

START = time.monotonic()
PR_GET_DUMPABLE, PR_SET_DUMPABLE = 3, 4


def report(nonce, status, results=(), detail=""):
    """Write the one report line on fd 1, which only this process holds, and exit."""
    line = json.dumps({"nonce": nonce, "status": status, "results": list(results),
                       "detail": detail[:300]}, separators=(",", ":"))
    if len(line) > REPORT_CHARS:
        line = json.dumps({"nonce": nonce, "status": "overflow", "results": [],
                           "detail": "the report would be too long"})
    view = memoryview((MARKER + line + "\n").encode())
    while view:
        view = view[os.write(1, view):]
    os._exit(0)


def read_nonce():
    """The verifier's nonce (stdin): read only after the fork, so no copy of it is the child's."""
    data = b""
    while len(data) <= 64:
        chunk = os.read(0, 65)
        if not chunk:
            break
        data += chunk
    return data.decode("ascii", "replace").strip()


def undumpable():
    """Make this process non-dumpable: a same-uid process (the child) can then no longer open
    /proc/<our pid>/fd/*, read our memory or ptrace us."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0 and libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0
    except (AttributeError, OSError):
        return False


def run_channel(untrusted, prepare):
    """The trusted parent's whole life: become non-dumpable, ``prepare()`` (returns how many
    results to expect), fork ``untrusted(results_fd)``, read the nonce only after the fork,
    ``collect`` the results, kill the child's group and write the one report."""
    if not undumpable():
        report(read_nonce(), "harness_error", detail="cannot make the harness non-dumpable")
    count = prepare()
    results_read, results_write = os.pipe()
    try:
        pid = os.fork()
    except OSError as error:
        report(read_nonce(), "harness_error", detail="fork failed: " + str(error))
    if pid == 0:
        leave = os._exit  # bound before the untrusted code can replace os._exit
        try:
            untrusted(results_write)
        finally:
            leave(70)
    os.close(results_write)
    nonce = read_nonce()
    status, results, detail = collect(pid, results_read, count)
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except OSError:
            pass
    report(nonce, status, results, detail)
'''

#: main.py of the sandboxed run (never this process), after the constants ``harness_program``
#: puts before it. The parent is trusted and never imports solution.py; ``child`` is the only
#: code that does, after giving up every descriptor but its result pipe.
HARNESS = CHANNEL + r'''

def shallow(value):
    """Whether a parsed JSON value nests at most MAX_DEPTH deep (checked without recursion)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if type(item) is list:
            stack.extend((part, depth + 1) for part in item)
        elif type(item) is dict:
            stack.extend((part, depth + 1) for part in item.values())
    return True


def take(line, results, count):
    """Check one message of the child and add it to results; a status once collecting ends."""
    try:
        message = json.loads(line.decode("utf-8"))
    except (ValueError, RecursionError):
        return "malformed", "a message that is not JSON"
    if type(message) is not list or len(message) != 2 or type(message[0]) is not str:
        return "malformed", "a message that is not [kind, value]"
    kind, value = message
    if kind == "load_error" and not results and type(value) is str:
        return "load_error", value
    if kind == "error" and type(value) is str:
        results.append(["error", value[:100]])
    elif kind == "ok":
        results.append(["ok", value] if shallow(value) else ["error", "value nested too deeply"])
    else:
        return "malformed", "a message of an unknown kind"
    return ("done", "") if len(results) == count else (None, "")


def collect(pid, results_fd, count):
    """The child's messages until it has answered every test, ends, overflows or runs late."""
    results, pending, received = [], b"", 0
    watch = [results_fd]
    try:
        watch.append(os.pidfd_open(pid))
    except (AttributeError, OSError):
        pass  # no pidfd: the pipe's end of file alone says the child is gone
    ended = False
    while True:
        left = START + CHILD_WALL_S - time.monotonic()
        if left <= 0:
            return "timeout", results, ""
        ready = select.select(watch, [], [], 0 if ended else left)[0]
        if results_fd in ready:
            chunk = os.read(results_fd, 65536)
            if not chunk:
                return "exited", results, ""
            received += len(chunk)
            if received > MAX_RESULT_BYTES:
                return "overflow", results, ""
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                status, detail = take(line, results, count)
                if status:
                    return status, results, detail
        elif ended:
            return "exited", results, ""  # the child is gone and nothing is left to read
        elif len(watch) > 1 and watch[1] in ready:
            ended = True  # drain what it sent (a grandchild may hold the pipe open)
            watch.pop()


def describe(error):
    try:
        text = str(error)
    except BaseException:  # noqa: BLE001 - the model's exception; its __str__ may raise anything
        text = ""
    return (type(error).__name__ + ": " + text)[:200]


def child(results_fd):
    """Import the model's code and send one message per test; never returns."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.closerange(3, results_fd)
    os.closerange(results_fd + 1, 1 << 20)
    try:
        os.setpgid(0, 0)  # a group of its own, which the harness kills when it is done
    except OSError:
        pass
    dumps, loads, write, leave = json.dumps, json.loads, os.write, os._exit

    def send(text):
        view = memoryview(text.encode() + b"\n")
        while view:
            view = view[write(results_fd, view):]

    sys.dont_write_bytecode = True
    sys.path.insert(0, os.getcwd())
    try:
        import solution
        function = getattr(solution, FUNCTION)
    except BaseException as error:  # noqa: BLE001 - anything the model's module raises
        send(dumps(["load_error", describe(error)]))
        leave(0)
    for value in INPUTS:
        try:
            text = dumps(["ok", function(loads(dumps(value)))])
        except BaseException as error:  # noqa: BLE001 - anything the model's function raises
            text = dumps(["error", type(error).__name__])
        send(text)
    leave(0)


run_channel(child, lambda: len(INPUTS))
'''


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
    """What the sandboxed harness reported, checked.

    results: ``("ok", value)`` or ``("error", exception name)`` for each test the code got
        through, in input order (every test when the run completed); None when there is no
        report to trust.
    problem: why results are missing or stop short ("" when complete).
    fault: when results is None, whose doing that is: ``code`` (the answer broke or ended the
        run: a wrong answer), ``report`` (stdout is not exactly one report of this run: an
        invalid answer), ``sandbox`` (the machine: an error).
    """

    results: list[tuple[str, Any]] | None
    problem: str
    run: RunResult
    fault: str = ""


def harness_program(function: str, inputs: list[Any]) -> str:
    """main.py of a test run: the run's constants, then :data:`HARNESS`."""
    constants = {"FUNCTION": function, "MARKER": MARKER, "CHILD_WALL_S": CHILD_WALL_S,
                 "MAX_RESULT_BYTES": MAX_RESULT_BYTES, "REPORT_CHARS": REPORT_CHARS,
                 "MAX_DEPTH": MAX_DEPTH}
    lines = [f"{name} = {value!r}" for name, value in constants.items()]
    lines.append(f"INPUTS = __import__('json').loads({json.dumps(inputs)!r})")
    return "\n".join(lines) + "\n" + HARNESS


def warm_up() -> None:
    """Start a warm sandbox server now where the code tasks use that backend."""
    if backend() == "warm":
        from synlog.sandbox import warm

        if warm.available():
            warm.warm_up()


def run_tests(code: str, function: str, inputs: list[Any]) -> TestRun:
    """Call ``function`` from ``code`` on every input, in one sandboxed run."""
    nonce = secrets.token_hex(16)
    result = run(harness_program(function, inputs), stdin=nonce + "\n", files={"solution.py": code},
                 limits=LIMITS, backend=backend())
    if result.status is Status.SANDBOX_ERROR:
        return TestRun(None, f"sandbox failed: {result.stderr[:200]}", result, "sandbox")
    if result.status is not Status.OK:
        return TestRun(None, f"the run ended with {result.status.value}", result, "code")
    results, problem, fault = read_report(result.stdout, nonce, len(inputs))
    return TestRun(results, problem, result, fault)


def within_depth(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether a parsed JSON value nests at most ``limit`` deep (checked without recursion)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(item, list):
            stack.extend((part, depth + 1) for part in item)
        elif isinstance(item, dict):
            stack.extend((part, depth + 1) for part in item.values())
    return True


def read_report(stdout: str, nonce: str, count: int) -> tuple[list[tuple[str, Any]] | None, str, str]:
    """``(results, problem, fault)`` (see :class:`TestRun`) from the harness's stdout.

    Strict: stdout must be exactly one line, ``MARKER`` + a JSON object with exactly the keys
    ``nonce`` (this run's), ``status``, ``results`` (at most ``count`` pairs ``["ok", value]``
    or ``["error", name]``; all ``count`` exactly when the status is ``done``) and ``detail``.
    Anything else is ``report``'s fault; nothing here raises on hostile text.
    """
    if not stdout:
        return None, "the harness reported nothing (the code ended it)", "code"
    malformed = (None, "the harness output is not one well-formed report of this run", "report")
    if not (stdout.startswith(MARKER) and stdout.endswith("\n") and stdout.count("\n") == 1):
        return malformed
    try:
        report = json.loads(stdout[len(MARKER):])
    except (ValueError, RecursionError):
        return malformed
    if type(report) is not dict or set(report) != REPORT_KEYS or report["nonce"] != nonce:
        return malformed
    status, detail, listed = report["status"], report["detail"], report["results"]
    if type(status) is not str or status not in STATUSES or type(detail) is not str or type(listed) is not list:
        return malformed
    results: list[tuple[str, Any]] = []
    for item in listed:
        if type(item) is not list or len(item) != 2:
            return malformed
        kind, value = item
        if not (kind == "ok" and within_depth(value) or kind == "error" and type(value) is str):
            return malformed
        results.append((kind, value))
    complete = len(results) == count
    if len(results) > count or (status == "done") != complete or status == "load_error" and results:
        return malformed
    if status == "harness_error":
        return None, f"the harness failed: {detail[:200]}", "sandbox"
    if status == "load_error":
        return None, f"the code failed to load: {detail[:200]}", "code"
    if status == "done":
        return results, "", ""
    return results, STOPPED[status] + (f": {detail[:200]}" if detail else ""), ""


def run_program(program: str, stdin: str = "") -> RunResult:
    """Run one of our own generated programs (code_output, code_input) in the sandbox."""
    return run(program, stdin=stdin, limits=LIMITS, backend=backend())


def canonical(value: Any) -> str:
    """A JSON form where True and 1 differ and list vs tuple does not."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
