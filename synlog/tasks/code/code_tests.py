"""code_tests: write a whole program that passes hidden tests (stdio or function tests).

A problem is a statement and tests; an answer is a program in the problem's language. The
problem JSON (the row's ``problem``) is a contract other tools write to, independent of the
generator here::

    {"language": "cpp", "mode": "stdio", "statement": "Print a + b.",
     "tests": [{"input": "1 2\\n", "output": "3\\n"}], "compare": "whitespace",
     "time_limit_s": 2, "memory_mb": 256}
    judge(problem, "#include <cstdio>\\nint main(){int a,b;scanf(\\"%d%d\\",&a,&b);printf(\\"%d\\",a+b);}")
    # Verdict(score=1.0, ..., details={'passed': 1, 'total': 1, 'fraction': 1.0})

Fields: ``language`` (python, c, cpp, java, javascript, rust, go; :mod:`._languages`),
``mode`` (``stdio``, or ``function``: assert-style tests judged by
:mod:`._function_judge`, Python only), ``tests`` (stdio: ``input``/``output`` texts),
``compare`` (``exact``: equal after dropping trailing newlines; ``whitespace``, the default:
equal token lists; ``float``: equal token lists where numeric tokens may differ by
``float_tol``, default 1e-6, absolute or relative), ``checker`` (a special judge, below),
``statement``, ``time_limit_s`` (default 2, CPU seconds per test, scaled per language),
``memory_mb`` (default 256).

**Judging** (:func:`judge`): the problem is validated first (a broken problem is ``invalid``
with ``problem_error``, never the solution's fault); a compiled language compiles in a
sandboxed step of its own, cached (:mod:`._compile`); then ONE sandboxed run executes the
program once per test (:mod:`._stdio`) and the outputs are compared here: the expected
outputs never enter the sandbox. Score 1 iff every test passes; ``details`` hold ``passed``,
``total``, ``fraction``, and for a failure ``failure`` (``wrong_answer``, ``runtime_error``,
``time_limit``, ``memory_limit``, ``compile_error``, ``output_limit``), ``first_failing``
(its index) and ``first_failure`` (a short description). After two tests hit the time limit
the rest are not run (they count as time limits): a slow program costs two limits, not twenty;
tests the run has not reached after 30 s count as time limits too. A Python program whose
every run is plain from its text (bare literals: prints nothing; a first statement that is an
unknown name: NameError) is judged without a run, with the verdict the run would give.

**Checker protocol.** ``checker`` is a Python program run after the solution's run is over,
in a sandboxed run of its own (the solution can neither see nor touch it), once per test
that ran cleanly: ``python3 checker.py INPUT EXPECTED ACTUAL``, three file names (the test's
input, the problem's output, the solution's output). Exit status 0 accepts, 1 rejects (its
first output line is the reason); anything else (an uncaught exception, including a failed
``assert``, another status, a time-out after 10 s, more than 64 KB of output) is a checker
failure: the problem is ``invalid``.

**Generator.** Rows made here are Python stdio problems from code_function's DSL
(:mod:`._dsl`): the input is one line of space-separated integers, the output the pipeline's
result (a line of integers or one integer). The two examples in the statement are extra
inputs, not graded tests, and a row is redrawn when printing a constant, nothing, the input,
an example's output or the prompt's example program would pass more than
:data:`MAX_BLIND` tests.
"""

from __future__ import annotations

import ast
import builtins
import math
import re
from typing import Any

import numpy as np

from synlog.errors import Reject
from synlog.sandbox import RunResult, Status
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.code import _dsl
from synlog.tasks.code._compile import COMPILE_LIMITS, compile_source
from synlog.tasks.code._harness import backend as default_backend
from synlog.tasks.code._harness import warm_up
from synlog.tasks.code._languages import LANGUAGES, Language, missing_tool
from synlog.tasks.code._stdio import (
    SIGKILL,
    Program,
    Row,
    StdioRun,
    hit_cpu_limit,
    run_stdio,
    run_wall_s,
)
from synlog.tasks.code.code_function import draw_lists, pipeline_knobs, spec_blind
from synlog.tasks.knobs import Params
from synlog.verifiers.verdict import Verdict

MODES = ("stdio", "function")
COMPARES = ("exact", "whitespace", "float")
DEFAULTS = {"compare": "whitespace", "float_tol": 1e-6, "time_limit_s": 2.0, "memory_mb": 256}
MAX_TESTS = 1000
#: characters of all tests' inputs and outputs together
MAX_TEST_CHARS = 64 << 20
MAX_CODE_CHARS = 100_000
#: tests that may hit the time limit before the rest are skipped
STRIKES = 2
CHECKER_LIMIT_S = 10.0
#: the wall limit of the checker's run (all tests of one completion)
CHECKER_WALL_S = 60.0
CHECKER_MEMORY_MB = 512
CHECKER_OUT_CAP = 64 << 10
#: a checker's exit status for an uncaught exception (Python's own 1 would read as a reject)
CHECKER_EXCEPTION_EXIT = 70
#: the most stdout a test may write: twice the longest expected output plus 1 KB, rounded up
#: to a power of two (the cap enters the sandbox; rounding keeps it from telling lengths)
MIN_OUT_CAP, MAX_OUT_CAP = 64 << 10, 32 << 20
FAILURES = ("wrong_answer", "runtime_error", "time_limit", "memory_limit", "compile_error", "output_limit")
_FENCE = re.compile(r"```[^\n`]*\n(.*?)```", re.DOTALL)
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_ENOMEM, _EAGAIN = 12, 11
#: a program that fails having used this share of its memory failed for want of memory
NEAR_LIMIT = 0.9


# --------------------------------------------------------------------------- the problem


def _number(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value)


def problem_error(problem: Any) -> str | None:
    """Why ``problem`` is not a judgeable code_tests problem, or None."""
    if not isinstance(problem, dict):
        return "the problem is not a JSON object"
    language, mode = problem.get("language"), problem.get("mode")
    if not isinstance(language, str):
        return "'language' is missing or not a string"
    if language not in LANGUAGES:
        return f"unknown language {language[:40]!r}; one of {', '.join(LANGUAGES)}"
    if mode not in MODES:
        return f"'mode' must be one of {', '.join(MODES)}, not {str(mode)[:40]!r}"
    if "statement" in problem and not isinstance(problem["statement"], str):
        return "'statement' is not a string"
    if "time_limit_s" in problem and not (_number(problem["time_limit_s"]) and 0 < problem["time_limit_s"] <= 30):
        return "'time_limit_s' must be a number in (0, 30]"
    if "memory_mb" in problem and not (type(problem["memory_mb"]) is int and 32 <= problem["memory_mb"] <= 4096):
        return "'memory_mb' must be an integer from 32 to 4096"
    if mode == "function":
        return None if language == "python" else f"function mode is Python only, not {language}"
    tests = problem.get("tests")
    if not isinstance(tests, list) or not tests:
        return "'tests' must be a non-empty list"
    if len(tests) > MAX_TESTS:
        return f"more than {MAX_TESTS} tests"
    size = 0
    for i, test in enumerate(tests):
        if not (isinstance(test, dict) and isinstance(test.get("input"), str) and isinstance(test.get("output"), str)):
            return f"test {i} is not an object with string 'input' and 'output'"
        if not (_utf8(test["input"]) and _utf8(test["output"])):
            return f"test {i} holds text that is not UTF-8 (a lone surrogate)"
        size += len(test["input"]) + len(test["output"])
    if size > MAX_TEST_CHARS:
        return f"the tests hold more than {MAX_TEST_CHARS} characters"
    if problem.get("compare", "whitespace") not in COMPARES:
        return f"'compare' must be one of {', '.join(COMPARES)}, not {str(problem.get('compare'))[:40]!r}"
    if "float_tol" in problem and not (_number(problem["float_tol"]) and problem["float_tol"] > 0):
        return "'float_tol' must be a positive number"
    if "checker" in problem:
        checker = problem["checker"]
        if not isinstance(checker, str) or not checker.strip():
            return "'checker' must be Python source text"
        try:
            ast.parse(checker)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
            return f"the checker is not valid Python ({type(error).__name__})"
    return None


# --------------------------------------------------------------------------- comparisons


def _trim(text: str) -> str:
    while text.endswith("\n"):
        text = text[:-2] if text.endswith("\r\n") else text[:-1]
    return text


def same_exact(expected: str, actual: str) -> bool:
    """Equal text once trailing newlines (``\\n`` or ``\\r\\n``) are dropped from both."""
    return _trim(expected) == _trim(actual)


def same_tokens(expected: str, actual: str) -> bool:
    """Equal lists of whitespace-separated tokens."""
    return expected.split() == actual.split()


def close_token(expected: str, actual: str, tolerance: float) -> bool:
    """Equal tokens, or both decimal numbers within ``tolerance`` (absolute, or relative to the
    expected value). Only plain decimal notation counts as a number (not ``nan``, ``inf``, ``1_0``)."""
    if expected == actual:
        return True
    if not (_NUMBER.fullmatch(expected) and _NUMBER.fullmatch(actual)):
        return False
    try:
        want, got = float(expected), float(actual)
    except (ValueError, OverflowError):
        return False
    if not (math.isfinite(want) and math.isfinite(got)):
        return False
    return abs(want - got) <= tolerance * max(1.0, abs(want))


def same_floats(expected: str, actual: str, tolerance: float = 1e-6) -> bool:
    """Token lists of equal length whose tokens pair up under :func:`close_token`."""
    want, got = expected.split(), actual.split()
    return len(want) == len(got) and all(close_token(a, b, tolerance) for a, b in zip(want, got, strict=True))


def outputs_match(problem: dict[str, Any], expected: str, actual: str) -> bool:
    """The problem's comparison (without a checker) of one test's output."""
    compare = problem.get("compare", DEFAULTS["compare"])
    if compare == "exact":
        return same_exact(expected, actual)
    if compare == "float":
        return same_floats(expected, actual, float(problem.get("float_tol", DEFAULTS["float_tol"])))
    return same_tokens(expected, actual)


def _snippet(text: str, limit: int = 40) -> str:
    text = text.strip()
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


# --------------------------------------------------------------------------- judging


def extract_program(answer: str) -> str:
    """The answer's last fenced code block (any or no language tag), else the whole answer."""
    blocks = _FENCE.findall(answer)
    return blocks[-1] if blocks else answer.strip()


def out_cap(tests: list[dict[str, Any]]) -> int:
    longest = max(len(test["output"].encode("utf-8", "surrogatepass")) for test in tests)
    need = max(MIN_OUT_CAP, 2 * longest + 1024)
    return min(MAX_OUT_CAP, 1 << (need - 1).bit_length())


def judge(problem: dict[str, Any], code: str, *, backend: str | None = None) -> Verdict:
    """Judge the program ``code`` on ``problem`` (see the module docstring); never raises for
    anything ``code`` holds, and ``error`` only when the machine fails."""
    why = problem_error(problem)
    if why is not None:
        return Verdict.invalid(f"problem: {why}", problem_error=why)
    backend = backend or default_backend()
    if problem["mode"] == "function":
        try:
            from synlog.tasks.code._function_judge import judge_function
        except ImportError:
            return Verdict.error("function mode is not available in this synlog (no _function_judge)")
        return judge_function(problem, code, backend=backend)
    if not isinstance(code, str) or not code.strip():
        return Verdict.unparseable("no program found")
    if len(code) > MAX_CODE_CHARS:
        return Verdict.unparseable(f"program longer than {MAX_CODE_CHARS} characters")
    if not _utf8(code):
        return Verdict.unparseable("the program is not UTF-8 text (it holds a lone surrogate)")
    language = LANGUAGES[problem["language"]]
    tool = missing_tool(language.name)
    if tool is not None:
        return Verdict.error(f"{tool} is not installed here: {language.name} solutions cannot be judged on this "
                             f"machine (install it on the sandbox PATH /usr/local/bin:/usr/bin:/bin)")
    tests = problem["tests"]
    built = _build(language, code, len(tests), backend)
    if isinstance(built, Verdict):
        return built
    files, executables, static = built
    time_limit = float(problem.get("time_limit_s", DEFAULTS["time_limit_s"]))
    memory = int(problem.get("memory_mb", DEFAULTS["memory_mb"]))
    program = _program(language, time_limit, memory, out_cap(tests))
    if static is not None:  # the program's every run is known without running it
        run = StdioRun([static] * len(tests), "", RunResult(Status.OK))
    else:
        run = run_stdio(program, [{"stdin": test["input"], "argv": []} for test in tests], files=files,
                        executables=executables, backend=backend, strikes=STRIKES,
                        extra_memory_mb=language.memory_overhead_mb, binds=language.binds)
    return _score(problem, language, program, run, backend)


def judge_seconds(problem: dict[str, Any]) -> float | None:
    """The longest :func:`judge` of ``problem`` may take by its limits: the compile step, the
    run and the checker's run (None for a broken or function-mode problem)."""
    if problem_error(problem) is not None or problem["mode"] != "stdio":
        return None
    language, tests = LANGUAGES[problem["language"]], problem["tests"]
    program = _program(language, float(problem.get("time_limit_s", DEFAULTS["time_limit_s"])),
                       int(problem.get("memory_mb", DEFAULTS["memory_mb"])), MIN_OUT_CAP)
    seconds = run_wall_s(program, len(tests))
    if language.compile is not None:
        seconds += 2 * COMPILE_LIMITS.wall_s  # the version probe, then the compiler
    if "checker" in problem:
        seconds += run_wall_s(_checker_program(), len(tests), CHECKER_WALL_S)
    return seconds


def _utf8(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _build(language: Language, code: str, total: int,
           backend: str) -> Verdict | tuple[dict[str, str | bytes], tuple[str, ...], Row | None]:
    """The run's files, its executables and (Python) a statically known outcome; or the
    compile error's verdict."""
    files: dict[str, str | bytes] = {}
    executables: tuple[str, ...] = ()
    static = None
    if language.name == "python":  # a syntax error is this language's compile error
        try:
            tree = ast.parse(code)
        except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError) as error:
            return _compile_error(total, f"{type(error).__name__}: {error}"[:500])
        static = static_outcome(tree)
    elif language.compile is not None:
        built = compile_source(language, code, backend=backend)
        if built.sandbox_error:
            return Verdict.error(built.sandbox_error)
        if not built.ok:
            return _compile_error(total, built.message)
        files, executables = dict(built.files), language.executables
    if language.run_needs_source:
        files[language.source] = code
    return files, executables, static


def _score(problem: dict[str, Any], language: Language, program: Program, run: StdioRun, backend: str) -> Verdict:
    """The verdict on a run's report: classify each test, compare (or check) the outputs."""
    tests = problem["tests"]
    total = len(tests)
    if run.rows is None:
        if run.fault == "sandbox":
            return Verdict.error(run.problem)
        failure = {"timeout": "time_limit", "memory": "memory_limit"}.get(run.run.status.value, "runtime_error")
        details = _failed(0, total, failure, 0, run.problem)
        if run.fault == "report":
            return Verdict.invalid(run.problem, **details)
        return Verdict.wrong(run.problem, **details)
    kinds = [classify(row, language, program) for row in run.rows]
    if kinds and kinds[0] == "infrastructure":  # before any of the program's code had run
        return Verdict.error(f"the {language.name} program could not be started: {run.rows[0].stderr[:200]}")
    kinds = ["runtime_error" if kind == "infrastructure" else kind for kind in kinds]
    kinds += ["time_limit" if run.status == "timeout" else "runtime_error"] * (total - len(kinds))
    outputs = [row.stdout.decode("utf-8", "replace") for row in run.rows]
    verdicts, descriptions = _compare_all(problem, tests, kinds, outputs, run.rows, backend)
    if isinstance(verdicts, Verdict):
        return verdicts
    passed = sum(verdicts)
    if passed == total:
        return Verdict.ok(passed=passed, total=total, fraction=1.0)
    first = verdicts.index(False)
    failure = kinds[first] if kinds[first] != "ok" else "wrong_answer"
    if first >= len(run.rows):
        description = f"test {first}: not run ({run.problem})"
    else:
        description = descriptions[first] or f"test {first}: {failure.replace('_', ' ')}"
    details = _failed(passed, total, failure, first, description)
    return Verdict.wrong(f"{total - passed} of {total} tests fail", **details)


def _inert(node: ast.stmt) -> bool:
    """A statement that does nothing: ``pass``, or a bare literal (``0``, ``-1``, ``'A'``, ``True``)."""
    if isinstance(node, ast.Pass):
        return True
    if not isinstance(node, ast.Expr):
        return False
    value = node.value
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, (ast.USub, ast.UAdd)):
        value = value.operand
        return isinstance(value, ast.Constant) and type(value.value) in (int, float, complex)
    return isinstance(value, ast.Constant)


def static_outcome(tree: ast.Module) -> Row | None:
    """How every run of a Python program ends when that is plain from its text, else None:
    a program of bare literals prints nothing and exits 0; one whose first other statement is
    an unknown bare name (``yes``, ``none``) raises NameError. Answers like these (constants,
    words) are most of a degenerate battery and of garbage; judging them without a run gives
    the verdict the run would."""
    for node in tree.body:
        if _inert(node):
            continue
        if (isinstance(node, ast.Expr) and isinstance(node.value, ast.Name) and not node.value.id.startswith("__")
                and not hasattr(builtins, node.value.id)):
            name = node.value.id
            return Row("exited", 1, None, 0.0, 0.0, 0, b"", f"NameError: name '{name}' is not defined")
        return None
    return Row("exited", 0, None, 0.0, 0.0, 0, b"", "")


def _failed(passed: int, total: int, failure: str, first: int, description: str) -> dict[str, Any]:
    return {"passed": passed, "total": total, "fraction": passed / total, "failure": failure,
            "first_failing": first, "first_failure": description[:300]}


def _compile_error(total: int, message: str) -> Verdict:
    first = message.strip().splitlines()[0] if message.strip() else "compilation failed"
    details = _failed(0, total, "compile_error", 0, first)
    return Verdict.wrong("compile error", compiler=message[:2000], **details)


def _program(language: Language, time_limit: float, memory: int, cap: int) -> Program:
    cpu = language.cpu_limit(time_limit)
    run = tuple(language.run_argv(memory))
    extra = language.address_space_extra_mb
    return Program(run=run, cpu_s=cpu, wall_s=max(2 * cpu, cpu + 1.0), memory_mb=memory,
                   address_space_mb=None if extra is None else memory + extra, out_cap=cap, env=tuple(language.run_env.items()),
                   python_in_harness=language.run_in_harness, python_skip=len(run) - 1 if language.run_in_harness else 0,
                   processes=language.processes, open_files=language.open_files)


def classify(row: Row, language: Language, program: Program) -> str:
    """A test's outcome: ``ok`` (ended cleanly: compare its output), a failure of
    :data:`FAILURES`, or ``infrastructure`` (the program could not be started here)."""
    if row.end == "output":
        return "output_limit"
    if row.end in ("wall", "skipped") or hit_cpu_limit(row.signal, row.cpu_s, program.cpu_s):
        return "time_limit"
    if row.end == "spawn":  # after the first test, possibly the program's doing (it deleted itself)
        errno = row.stderr.split()[0] if row.stderr.split() else ""
        return {str(_ENOMEM): "memory_limit", str(_EAGAIN): "runtime_error"}.get(errno, "infrastructure")
    allowed_kb = (program.memory_mb + language.memory_overhead_mb) * 1024
    if row.memory_kb > allowed_kb:
        return "memory_limit"
    if row.end == "exited" and row.exit_code == 0:
        return "ok"
    if any(marker in row.stderr for marker in language.oom_markers):
        return "memory_limit"
    if row.signal == SIGKILL:
        # the harness kills only at the wall or output cap, so this is the CPU rlimit or the run's
        # memory cgroup; a multi-threaded runtime (V8, the JVM) can be killed by the rlimit with
        # its own usage reading well short of it, so only memory near the limit, or a death long
        # before the CPU limit, counts as memory
        if row.memory_kb >= NEAR_LIMIT * allowed_kb or row.cpu_s < 0.5 * program.cpu_s:
            return "memory_limit"
        return "time_limit"
    if language.address_space_extra_mb is None and row.memory_kb >= NEAR_LIMIT * allowed_kb:
        return "memory_limit"  # it failed at its address-space limit (malloc returned NULL)
    return "runtime_error"


_ERROR_LINE = re.compile(r"error|exception|panic|what\(\)", re.IGNORECASE)


def _describe(index: int, kind: str, row: Row) -> str:
    if kind != "runtime_error":
        return f"test {index}: {kind.replace('_', ' ')}"
    how = f"exit code {row.exit_code}" if row.exit_code is not None else f"signal {row.signal}"
    lines = [line.strip() for line in row.stderr.splitlines() if line.strip()]
    named = [line for line in lines if _ERROR_LINE.search(line)]
    line = (named or lines or [""])[-1]
    return f"test {index}: runtime error ({how})" + (f": {line[:150]}" if line else "")


def _compare_all(problem: dict[str, Any], tests: list[dict[str, Any]], kinds: list[str], outputs: list[str],
                 rows: list[Row], backend: str) -> tuple[list[bool] | Verdict, list[str]]:
    """Per test whether it passed, and a description of each failure."""
    passed, descriptions = [], []
    for i, kind in enumerate(kinds):
        if kind != "ok":
            passed.append(False)
            descriptions.append(_describe(i, kind, rows[i]) if i < len(rows) else "")
            continue
        if "checker" in problem:
            passed.append(True)  # decided by the checker below
            descriptions.append("")
            continue
        ok = outputs_match(problem, tests[i]["output"], outputs[i])
        passed.append(ok)
        descriptions.append("" if ok else f"test {i}: wrong answer (expected {_snippet(tests[i]['output'])}, "
                                          f"got {_snippet(outputs[i])})")
    if "checker" not in problem:
        return passed, descriptions
    ran = [i for i, kind in enumerate(kinds) if kind == "ok"]
    if not ran:
        return passed, descriptions
    judged = run_checker(problem, [(i, tests[i]["input"], tests[i]["output"], outputs[i]) for i in ran], backend)
    if isinstance(judged, Verdict):
        return judged, descriptions
    for i, (accepted, reason) in zip(ran, judged, strict=True):
        passed[i] = accepted
        if not accepted:
            descriptions[i] = f"test {i}: wrong answer (checker: {reason[:120]})" if reason else f"test {i}: wrong answer"
    return passed, descriptions


def _checker_program() -> Program:
    python = LANGUAGES["python"]
    run = tuple(python.run_argv(CHECKER_MEMORY_MB))[:-1] + ("checker.py",)
    return Program(run=run, cpu_s=CHECKER_LIMIT_S, wall_s=CHECKER_LIMIT_S + 2, memory_mb=CHECKER_MEMORY_MB,
                   address_space_mb=None, out_cap=CHECKER_OUT_CAP, python_in_harness=True,
                   python_skip=len(run) - 1, processes=python.processes, exception_exit=CHECKER_EXCEPTION_EXIT)


def run_checker(problem: dict[str, Any], cases: list[tuple[int, str, str, str]],
                backend: str) -> list[tuple[bool, str]] | Verdict:
    """The checker's ``(accepted, reason)`` per case, in a sandboxed run of its own; a broken
    checker is an ``invalid`` verdict naming the problem."""
    files: dict[str, str | bytes] = {"checker.py": problem["checker"]}
    tests = []
    for i, given, expected, actual in cases:
        names = [f"t{i}/input", f"t{i}/expected", f"t{i}/actual"]
        files.update(zip(names, (given, expected, actual), strict=True))
        tests.append({"stdin": "", "argv": names})
    program = _checker_program()
    result = run_stdio(program, tests, files=files, backend=backend, strikes=1, max_wall_s=CHECKER_WALL_S)
    if result.rows is None and result.fault == "sandbox":
        return Verdict.error(result.problem)
    if result.rows is None or len(result.rows) < len(cases):
        why = f"the checker did not finish on every test ({result.problem})"
        return Verdict.invalid(f"problem: {why}", problem_error=why)
    out = []
    for k, ((i, *_), row) in enumerate(zip(cases, result.rows, strict=True)):
        if row.end == "spawn" and k == 0:
            return Verdict.error(f"the checker could not be started: {row.stderr[:200]}")
        if row.end == "exited" and row.exit_code in (0, 1):
            lines = (row.stdout.decode("utf-8", "replace") + "\n" + row.stderr).strip().splitlines()
            out.append((row.exit_code == 0, lines[0] if lines else ""))
            continue
        if row.end in ("wall", "skipped") or hit_cpu_limit(row.signal, row.cpu_s, CHECKER_LIMIT_S):
            how = f"ran past {CHECKER_LIMIT_S:g}s"
        elif row.end == "output":
            how = f"wrote more than {CHECKER_OUT_CAP} bytes"
        elif row.exit_code == CHECKER_EXCEPTION_EXIT:
            last = row.stderr.strip().splitlines()[-1:] or ["an exception"]
            how = f"raised {last[0][:150]}"
        else:
            how = f"exited with {row.exit_code if row.exit_code is not None else f'signal {row.signal}'}"
        why = f"the checker {how} on test {i} (exit 0 accepts, 1 rejects; anything else is a checker failure)"
        return Verdict.invalid(f"problem: {why}", problem_error=why)
    return out


# --------------------------------------------------------------------------- the generator

#: the most tests one output (as tokens) may be expected on, and the most a spec-blind
#: program (print a constant, nothing, the input, an example's output) may pass
MAX_SAME, MAX_BLIND = 3, 1
CANDIDATES = 80
#: the most constants one DSL operation draws from (``add``): one-step pipelines are drawn
#: uniformly over (operation, constant), else the constant-free ones (negate, square) would
#: be most of level 1 and memorising the commonest program would pay
MOST_CONSTANTS = max(len(op.constants) for op in _dsl.STEPS.values())
NONEMPTY = 0.95
TIME_LIMIT_S, MEMORY_MB = 1.0, 256
EXAMPLE_PROGRAM = ("import sys\n\nxs = [int(t) for t in sys.stdin.read().split()]\n"
                   "xs = [x for x in xs if x > 0]\nprint(' '.join(map(str, xs)))\n")
LANGUAGE_NAMES = {"python": "Python 3", "c": "C (C17, GCC)", "cpp": "C++ (C++17, GCC)", "java": "Java 17",
                  "javascript": "JavaScript (Node.js)", "rust": "Rust (2021 edition)", "go": "Go"}
#: the answer skeleton the prompt shows in each language other than Python
SKELETONS = {"python": EXAMPLE_PROGRAM, "c": "int main(void) { /* read stdin, print the answer */ }",
             "cpp": "int main() { /* read stdin, print the answer */ }",
             "java": "public class Main { public static void main(String[] args) { /* ... */ } }",
             "javascript": "// read stdin, print the answer", "rust": "fn main() { /* read stdin, print the answer */ }",
             "go": "package main\n\nfunc main() { /* read stdin, print the answer */ }"}


def line_of(value: Any) -> str:
    """A pipeline result as the program prints it: a list on one line, or one integer."""
    return (" ".join(map(str, value)) if isinstance(value, list) else str(value)) + "\n"


def stdio_program(steps: list, fold: list | None) -> str:
    """A Python program that reads the list from stdin and prints the pipeline's result."""
    function = _dsl.pipeline_source("solve", steps, fold)
    return ("import sys\n\n\n" + function + "\n\nresult = solve([int(t) for t in sys.stdin.read().split()])\n"
            "print(' '.join(map(str, result)) if isinstance(result, list) else result)\n")


def fenced(code: str) -> str:
    return f"```python\n{code}```"


def blind_outputs(inputs: list[list[int]], examples: list[list[Any]]) -> dict[str, list[str]]:
    """What each spec-blind program prints on every test input."""
    out = {"print 0": ["0\n"] * len(inputs), "print nothing": [""] * len(inputs),
           "echo the input": [line_of(xs) for xs in inputs],
           "the prompt's example program": [line_of([x for x in xs if x > 0]) for xs in inputs]}
    for k, (_, result) in enumerate(examples):
        out[f"example {k + 1}'s output"] = [line_of(result)] * len(inputs)
    return out


def stdio_blind(outputs: list[str], inputs: list[list[int]], examples: list[list[Any]]) -> str | None:
    """Why the printed outputs could be matched without reading the statement, or None."""
    keys = [tuple(text.split()) for text in outputs]
    if max(keys.count(key) for key in set(keys)) > MAX_SAME:
        return f"one printed output is expected on more than {MAX_SAME} tests"
    for name, printed in blind_outputs(inputs, examples).items():
        if sum(tuple(p.split()) == key for p, key in zip(printed, keys, strict=True)) > MAX_BLIND:
            return f"{name} passes more than {MAX_BLIND} tests"
    return None


def statement(steps: list, fold: list | None, examples: list[list[Any]]) -> str:
    sentences = _dsl.pipeline_text(steps, fold)
    sentences[-1] = "Print" + sentences[-1].removeprefix("Return") if sentences[-1].startswith("Return") else sentences[-1]
    lines = ["Read a list of integers `xs` from standard input: one line of integers separated by single spaces "
             "(an empty line for the empty list). Then:"]
    lines += [f"{i}. {sentence}" for i, sentence in enumerate(sentences, 1)]
    lines.append("Output format: " + ("the integer on one line." if fold else
                                      "the list's elements on one line, separated by single spaces (an empty "
                                      "line when the list is empty)."))
    for k, (xs, result) in enumerate(examples, 1):
        shown = line_of(result).strip() or "(an empty line)"
        lines += ["", f"Example {k} (not one of the hidden tests):", "Input:", line_of(xs).strip(), "Output:", shown]
    return "\n".join(lines)


@register
class CodeTests(Task):
    """Write a whole program for a statement; graded by hidden tests run in a sandbox."""

    name, family, version = "code_tests", "code", 1
    sandboxed = True
    unique_answer = False
    knobs = pipeline_knobs(tests=20, tests_hi=200, returns="the program prints")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        folds, inputs, probes, shown = draw_lists(rng, p)
        for _ in range(CANDIDATES):
            try:
                steps, fold = _dsl.sample_pipeline(rng, p.depth, folds, probes, nonempty=NONEMPTY)
            except Reject:
                continue
            if p.depth == 1 and rng.random() >= len(_dsl.STEPS[steps[0][0]].constants) / MOST_CONSTANTS:
                continue  # uniform over one-step programs (operation and constant), not over operations
            results = [_dsl.apply_pipeline(steps, fold, xs) for xs in inputs]
            examples = [[xs, _dsl.apply_pipeline(steps, fold, xs)] for xs in shown]
            outputs = [line_of(value) for value in results]
            if spec_blind(results, inputs) is None and stdio_blind(outputs, inputs, examples) is None:
                break
        else:
            raise Reject(f"no pipeline in {CANDIDATES} draws had tests a spec-blind program fails")
        data = {"language": "python", "mode": "stdio", "compare": "whitespace",
                "statement": statement(steps, fold, examples),
                "tests": [{"input": line_of(xs), "output": out} for xs, out in zip(inputs, outputs, strict=True)],
                "time_limit_s": TIME_LIMIT_S, "memory_mb": MEMORY_MB,
                "examples": [{"input": line_of(xs), "output": line_of(out)} for xs, out in examples],
                "pipeline": {"steps": steps, "fold": fold}}
        effort = _dsl.effort(steps, inputs) + p.depth
        return Problem(data, fenced(stdio_program(steps, fold)), effort)

    def context(self, problem: Problem, lang: str) -> dict:
        d = problem.data
        language = LANGUAGES[d["language"]]
        function = d.get("mode") == "function"
        # function mode's defaults are the function judge's (whole test run, not per test)
        limit = d.get("time_limit_s", 10.0 if function else DEFAULTS["time_limit_s"])
        memory = d.get("memory_mb", 512 if function else DEFAULTS["memory_mb"])
        return dict(statement=d.get("statement", ""), language=language.name,
                    language_name=LANGUAGE_NAMES.get(language.name, language.name),
                    fence=language.fence, source=language.source, mode=d.get("mode", "stdio"),
                    entry_point=d.get("entry_point", "solution"),
                    time_limit_s=f"{float(limit):g}", memory_mb=memory,
                    example=SKELETONS.get(language.name, "").rstrip("\n"))

    def alternative_forms(self, problem: Problem) -> list[str]:
        program = extract_program(problem.answer)
        return [program, f"```\n{program}```", f"```py\n{program}```", f"Here it is:\n```python3\n{program}```\n"]

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        answers = {"print 0": "print(0)", "print nothing": "pass",
                   "echo the input": "import sys\nprint(sys.stdin.read().strip())",
                   "print an empty line": "print()"}
        for k, example in enumerate(problem.get("examples", [])[:2], 1):
            answers[f"print example {k}'s output"] = f"print({example['output'].strip()!r})"
        return {name: fenced(code + "\n") for name, code in answers.items()}

    def warm_up(self) -> None:
        warm_up()

    def verify(self, problem: dict, answer: str) -> Verdict:
        return judge(problem, extract_program(answer))

    def verify_seconds(self, problem: dict) -> float | None:
        return judge_seconds(problem)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        d = problem.data
        steps, fold = d["pipeline"]["steps"], d["pipeline"]["fold"]
        wrong = []
        for mutant_steps, mutant_fold in _dsl.mutants(steps, fold):
            printed = [line_of(_dsl.apply_pipeline(mutant_steps, mutant_fold, [int(t) for t in test["input"].split()]))
                       for test in d["tests"]]
            if any(not same_tokens(test["output"], out) for test, out in zip(d["tests"], printed, strict=True)):
                wrong.append(fenced(stdio_program(mutant_steps, mutant_fold)))
        picked = [wrong[i] for i in sorted(rng.permutation(len(wrong))[:3].tolist())] if wrong else []
        gold = stdio_program(steps, fold)
        picked.append(fenced(gold.replace("result = solve(", "result = solve([] and ")))  # reads nothing
        picked.append(fenced(gold.replace("print(", "print('0', ", 1)))  # prints an extra token
        return picked
