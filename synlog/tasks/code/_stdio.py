"""The stdio judge's harness: ONE sandboxed run executes a program once per test.

``run_stdio`` starts one sandbox run whose ``main.py`` is :data:`HARNESS` (trusted code,
written here). Per test it forks, confines the fork (CPU and address-space rlimits, its own
process group, stdin from the test's input, stdout into a capped pipe), execs the run
command (or, for Python, runs ``solution.py`` as ``__main__`` in the fork: the same
interpreter, without a fresh start per test) and reports how the test ended. The expected
outputs never enter the sandbox; the caller compares what the harness reports::

    verifier ─ stdin: length + config (inputs, limits), then the nonce ─▶ harness H
        H: non-dumpable; reads the config, forks the runner R, reads the nonce after the fork
        R: fds 0-2 → /dev/null, only its result pipe kept; per test forks a test process T
        T: own process group, rlimits, fd 0 = a memfd of the input, fd 1/2 = pipes to R,
           every other fd closed, then the program
    verifier ◀─ stdout: MARKER + {"nonce", "status", "results", "detail"} ─ H

T is the only process that runs the model's code. It holds no descriptor of the run's
stdout or of R's result pipe, and R and H are non-dumpable (``PR_SET_DUMPABLE`` 0, inherited
by the fork), so T cannot open ``/proc/<pid>/fd/*`` of either, read their memory or ptrace
them; neither ever held the nonce when T was forked. It can kill or stop them (no report, or
a partial one: the solution's loss) and it can lie only about its own output, which is what
any wrong program does anyway. :func:`read_report` accepts exactly one well-formed line with
this run's nonce and never raises.

Each result is ``[index, end, exit_code, signal, cpu_s, wall_s, memory_kb, stdout, stderr]``:
``end`` is ``exited`` (code), ``signaled`` (signal), ``wall`` (R killed it at the test's wall
time), ``output`` (R killed it at the stdout cap), ``skipped`` (not run: too many tests hit
the time limit) or ``spawn`` (the program could not be started: "errno text" in stderr; a
test process reports it on a close-on-exec pipe, so a started program cannot forge it);
``memory_kb`` is the program's peak RSS (0 when it never rose above the runner's own, which a
fork starts from: ``ru_maxrss`` keeps the pre-exec high-water mark; for Python run in the
fork, the peak above the runner's); ``stdout`` is base64 of the zlib-compressed bytes,
``stderr`` the last ``ERR_TAIL`` bytes.
The caller classifies (:func:`classify`) with the language's rules.

The same harness runs a problem's checker (one run for all tests of a completion, after the
solution's run is over): the "program" is then ``checker.py`` and each test passes file
names as arguments.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import secrets
import zlib
from dataclasses import dataclass
from typing import Any

from synlog.sandbox import Limits, RunResult, Status, run
from synlog.tasks.code._harness import CHANNEL

MARKER = "@@synlog-stdio@@"
#: bytes of a test's stderr kept (the end of it: a traceback's last line)
ERR_TAIL = 2000
SIGKILL, SIGXCPU = 9, 24
#: a test whose process exits this way was never started (errno on stderr)
SPAWN_EXIT = 127
ENDS = ("exited", "signaled", "wall", "output", "skipped", "spawn")
STATUSES = ("done", "timeout", "exited", "overflow", "malformed", "harness_error")
REPORT_KEYS = {"nonce", "status", "results", "detail"}
#: a test whose CPU time comes this close to its limit hit the limit (the kernel's accounting
#: stops a spinning program a tick before the rlimit's second)
CPU_SLACK_S = 0.02
#: ... and one killed (SIGKILL) this close to the rlimit's whole second was killed by it
KILL_SLACK_S = 0.1
#: seconds of the run's wall limit kept for starting, reporting and tearing down
WALL_SLACK_S = 2.0

#: main.py of the run, after the constants ``harness_program`` puts before it
HARNESS = CHANNEL + r'''
def read_exactly(count):
    data = b""
    while len(data) < count:
        chunk = os.read(0, count - len(data))
        if not chunk:
            break
        data += chunk
    return data


# ---------------------------------------------------------------- the runner and its tests

def limit(name, value, hard_value=None):
    """Lower rlimit ``name`` to ``value`` (hard: ``hard_value``, else the same), never above
    the run's hard limit."""
    import resource
    which = getattr(resource, name)
    hard_value = value if hard_value is None else hard_value
    hard = resource.getrlimit(which)[1]
    if hard != resource.RLIM_INFINITY:
        value, hard_value = min(value, hard), min(hard_value, hard)
    resource.setrlimit(which, (value, hard_value))


def rlimit_seconds(cpu_s):
    return max(1, int(cpu_s + 0.999))


def hit_cpu_limit(sig, cpu):
    """Whether a test ended at its CPU limit (the rlimit kills with SIGKILL at a whole second;
    the accounting may read a tick short of it)."""
    return (cpu >= CPU_S - CPU_SLACK_S or sig == signal.SIGXCPU
            or sig == signal.SIGKILL and cpu >= rlimit_seconds(CPU_S) - KILL_SLACK_S)


def status_kb(field):
    """A ``/proc/self/status`` size in kB (VmSize, VmHWM), 0 when unreadable."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run_python(argv):
    """The solution as ``__main__`` in this (forked, confined) interpreter, as ``python3
    solution.py`` would run it; never returns."""
    import builtins, io, traceback, types
    leave, code = os._exit, 0
    sys.argv = list(argv)
    streams = []
    for fd, mode, old in ((0, "r", sys.__stdin__), (1, "w", sys.__stdout__), (2, "w", sys.__stderr__)):
        # fresh objects on the test's fds, configured as the interpreter configured its own
        streams.append(io.open(fd, mode, 1 if fd == 2 else -1, encoding=getattr(old, "encoding", "utf-8"),
                               errors=getattr(old, "errors", "strict"), closefd=False))
    sys.stdin, sys.stdout, sys.stderr = sys.__stdin__, sys.__stdout__, sys.__stderr__ = streams
    main = types.ModuleType("__main__")
    main.__file__, main.__builtins__, main.__spec__, main.__loader__ = argv[0], builtins, None, None
    sys.modules["__main__"] = main
    try:
        with open(argv[0], "rb") as source:
            compiled = compile(source.read(), argv[0], "exec")
        exec(compiled, main.__dict__)  # inside the sandbox (this is main.py's source), in the test's fork
    except SystemExit as stop:
        value = stop.code
        if value is None:
            code = 0
        elif isinstance(value, int):
            code = value & 0xFF
        else:
            try:
                print(value, file=sys.stderr)
            except BaseException:
                pass
            code = 1
    except BaseException:
        try:
            traceback.print_exc()
        except BaseException:
            pass
        code = EXCEPTION_EXIT
    try:
        threading = sys.modules.get("threading")
        if threading is not None:
            threading._shutdown()
        import atexit
        atexit._run_exitfuncs()
    except BaseException:
        pass
    try:
        sys.stdout.flush()
    except BaseException:
        code = code or 120
    try:
        sys.stderr.flush()
    except BaseException:
        pass
    leave(code)


def test_process(test, stdin_fd, out_w, err_w, spawn_w):
    """In the fork: confine, wire fds 0-2, start the program; never returns. A failure to
    start is written to fd 3 (close-on-exec: a started program never holds it)."""
    leave, spawn_fd = os._exit, spawn_w
    try:
        os.dup2(stdin_fd, 0)
        os.dup2(out_w, 1)
        os.dup2(err_w, 2)
        if spawn_w != 3:
            os.dup2(spawn_w, 3, inheritable=False)
        spawn_fd = 3
        os.closerange(4, 1 << 20)
        os.setpgid(0, 0)
        limit("RLIMIT_CPU", rlimit_seconds(CPU_S))
        if AS_BYTES:
            extra = status_kb("VmSize") * 1024 if PYTHON_IN_HARNESS else 0
            limit("RLIMIT_AS", AS_BYTES + extra)
        limit("RLIMIT_STACK", STACK_BYTES)
        argv = RUN + test["argv"]
        if PYTHON_IN_HARNESS:
            os.close(3)
            run_python(argv[PYTHON_SKIP:])
        for number in (signal.SIGPIPE, signal.SIGXFSZ):  # Python ignores them; a program gets the defaults
            signal.signal(number, signal.SIG_DFL)
        env = dict(os.environ)
        env.update(ENV)
        os.execve(argv[0], argv, env)
    except OSError as error:
        try:
            os.write(spawn_fd, ("%d %s" % (error.errno or 0, error.strerror or "")).encode())
        except OSError:
            pass
    finally:
        leave(SPAWN_EXIT)


def run_test(index, test):
    """Run one test; the result row (see the module docstring)."""
    made = []
    try:
        stdin_fd = os.memfd_create("input")
        made.append(stdin_fd)
        view = memoryview(test["stdin"].encode("utf-8", "surrogateescape"))
        while view:
            view = view[os.write(stdin_fd, view):]
        os.lseek(stdin_fd, 0, 0)
        out_r, out_w = os.pipe()
        made += [out_r, out_w]
        err_r, err_w = os.pipe()
        made += [err_r, err_w]
        spawn_r, spawn_w = os.pipe2(os.O_CLOEXEC)
        made += [spawn_r, spawn_w]
        baseline = status_kb("VmHWM")
        begin = time.monotonic()
        pid = os.fork()
    except OSError as error:  # what the program left running (processes, memory) starves us
        for fd in made:
            os.close(fd)
        return [index, "spawn", None, None, 0, 0, 0, "", "%d %s" % (error.errno or 0, error.strerror or "")]
    if pid == 0:
        test_process(test, stdin_fd, out_w, err_w, spawn_w)
    for fd in (stdin_fd, out_w, err_w, spawn_w):
        os.close(fd)
    spawn = b""
    while True:  # end of file once the program is exec'd (or dies trying)
        chunk = os.read(spawn_r, 512)
        if not chunk:
            break
        spawn += chunk
    os.close(spawn_r)
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pidfd = None
    out, err, out_size, end, exited = [], b"", 0, None, False
    open_fds = [out_r, err_r]
    deadline = begin + WALL_S
    while open_fds or not exited:
        now = time.monotonic()
        if now >= deadline:
            end = "wall"
            break
        watch = list(open_fds) + ([pidfd] if pidfd is not None and not exited else [])
        if not watch:  # no pidfd (an old kernel) and both pipes closed: poll, without reaping
            time.sleep(0.002)
            exited = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
            continue
        timeout = deadline - now if not exited else min(deadline - now, DRAIN_S)
        ready = select.select(watch, [], [], timeout)[0]
        if not ready and exited:
            break  # the program is gone; a descendant holds its pipes open
        for fd in ready:
            if fd == pidfd:
                exited = True
                deadline = min(deadline, time.monotonic() + DRAIN_S)
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                open_fds.remove(fd)
                continue
            if fd == out_r:
                out_size += len(chunk)
                if out_size > OUT_CAP:
                    end = "output"
                    break
                out.append(chunk)
            else:
                err = (err + chunk)[-ERR_TAIL:]
        if end:
            break
    wall = time.monotonic() - begin
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except OSError:
            pass
    _, status, usage = os.wait4(pid, 0)
    for fd in [out_r, err_r] + ([pidfd] if pidfd is not None else []):
        os.close(fd)
    cpu = usage.ru_utime + usage.ru_stime
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    if spawn:
        end, err = "spawn", spawn[:ERR_TAIL]
    elif end is None:
        end = "exited" if code is not None else "signaled"
    peak = int(usage.ru_maxrss)
    memory = max(0, peak - baseline) if PYTHON_IN_HARNESS else (peak if peak > baseline else 0)
    data = b"".join(out)
    if end == "output":
        data = b""
    import base64, zlib
    packed = base64.b64encode(zlib.compress(data, 1)).decode("ascii")
    return [index, end, code, sig, round(cpu, 4), round(wall, 4), memory, packed,
            err.decode("utf-8", "replace")]


def runner(results_fd):
    """Run every test and send one JSON line per test; never returns."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.closerange(3, results_fd)
    os.closerange(results_fd + 1, 1 << 20)
    try:
        os.setpgid(0, 0)
    except OSError:
        pass
    import resource, zlib, base64  # noqa: F401 - imported once here, not in every test's fork
    if PYTHON_IN_HARNESS:
        import atexit, builtins, traceback, types  # noqa: F401
    import gc
    gc.freeze()  # a test's collections then skip the runner's objects (no copy-on-write of them all)
    strikes = 0
    for index, test in enumerate(CONFIG["tests"]):
        if strikes >= STRIKES:
            row = [index, "skipped", None, None, 0, 0, 0, "", ""]
        else:
            row = run_test(index, test)
            strikes += row[1] == "wall" or hit_cpu_limit(row[3], row[4])
        view = memoryview(json.dumps(row, separators=(",", ":")).encode() + b"\n")
        while view:
            view = view[os.write(results_fd, view):]
    os._exit(0)


# ---------------------------------------------------------------- the harness's own checks

def valid_row(row, index):
    if type(row) is not list or len(row) != 9 or row[0] != index or type(row[0]) is not int:
        return False
    _, end, code, sig, cpu, wall, rss, out, err = row
    return (end in ENDS and (code is None or type(code) is int) and (sig is None or type(sig) is int)
            and type(cpu) in (int, float) and type(wall) in (int, float) and type(rss) is int
            and type(out) is str and type(err) is str and len(err) <= ERR_TAIL)


def collect(pid, results_fd, count):
    results, pending, received = [], b"", 0
    watch = [results_fd]
    try:
        watch.append(os.pidfd_open(pid))
    except (AttributeError, OSError):
        pass
    ended = False
    while True:
        left = START + DEADLINE_S - time.monotonic()
        if left <= 0:
            return "timeout", results, ""
        ready = select.select(watch, [], [], 0 if ended else left)[0]
        if results_fd in ready:
            chunk = os.read(results_fd, 1 << 20)
            if not chunk:
                return "exited", results, ""
            received += len(chunk)
            if received > MAX_RESULT_BYTES:
                return "overflow", results, ""
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                try:
                    row = json.loads(line.decode("utf-8"))
                except (ValueError, RecursionError):
                    return "malformed", results, "a message that is not JSON"
                if not valid_row(row, len(results)):
                    return "malformed", results, "a message that is not a result row"
                results.append(row)
                if len(results) == count:
                    return "done", results, ""
        elif ended:
            return "exited", results, ""
        elif len(watch) > 1 and watch[1] in ready:
            ended = True
            watch.pop()


def read_config():
    """The run's tests and programs (length-prefixed JSON on stdin, before the nonce)."""
    global CONFIG
    try:
        size = int(read_exactly(12).decode("ascii"))
        CONFIG = json.loads(read_exactly(size).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        report(read_nonce(), "harness_error", detail="unreadable config")
    return len(CONFIG["tests"])


run_channel(runner, read_config)
'''


@dataclass(frozen=True)
class Program:
    """What each test runs, and its limits.

    run: argv of one test (absolute tool path first); ``python_in_harness`` runs
        ``run[python_skip:]`` (``solution.py`` and its arguments) as ``__main__`` in the fork instead.
    cpu_s: CPU seconds of one test (RLIMIT_CPU, and a test using that much counts as a time limit).
    wall_s: wall seconds of one test before the harness kills it.
    address_space_mb: RLIMIT_AS of a test process (None: ``memory_mb``; a Python test run in
        the fork gets the runner's own address space on top).
    memory_mb: the memory a test may use (the run's cgroup gets this plus the harness's share).
    out_cap: stdout bytes a test may write; more ends it (``output``).
    """

    run: tuple[str, ...]
    cpu_s: float
    wall_s: float
    memory_mb: int
    address_space_mb: int | None
    out_cap: int
    env: tuple[tuple[str, str], ...] = ()
    python_in_harness: bool = False
    python_skip: int = 0
    processes: int = 8
    open_files: int = 64
    exception_exit: int = 1


def rlimit_seconds(cpu_s: float) -> int:
    """The whole seconds of RLIMIT_CPU a test of ``cpu_s`` gets (as the harness sets them)."""
    return max(1, math.ceil(cpu_s))


def hit_cpu_limit(signal: int | None, cpu: float, cpu_s: float) -> bool:
    """Whether a test that used ``cpu`` seconds and ended by ``signal`` hit its CPU limit."""
    return (cpu >= cpu_s - CPU_SLACK_S or signal == SIGXCPU
            or signal == SIGKILL and cpu >= rlimit_seconds(cpu_s) - KILL_SLACK_S)


@dataclass
class Row:
    """One test's result as the harness reported it (see the module docstring)."""

    end: str
    exit_code: int | None
    signal: int | None
    cpu_s: float
    wall_s: float
    memory_kb: int
    stdout: bytes
    stderr: str


@dataclass
class StdioRun:
    """What one harness run reported, checked.

    rows: one :class:`Row` per test the harness got through, in order (all of them when the
        run completed); None when there is no report to trust.
    problem: why rows stop short or are missing ("" when complete).
    fault: when rows is None, whose doing: ``code`` (the program ended or stalled the run),
        ``report`` (stdout is not exactly one report of this run), ``sandbox`` (the machine).
    """

    rows: list[Row] | None
    problem: str
    run: RunResult
    fault: str = ""
    #: the harness's status (``done``, ``timeout``...; "" when there is no report)
    status: str = "done"


def harness_program(program: Program, max_result_bytes: int, report_chars: int, deadline_s: float,
                    strikes: int) -> str:
    """main.py of one run: its constants, then :data:`HARNESS`."""
    constants = {
        "MARKER": MARKER, "REPORT_CHARS": report_chars, "MAX_RESULT_BYTES": max_result_bytes,
        "DEADLINE_S": deadline_s, "ERR_TAIL": ERR_TAIL, "SPAWN_EXIT": SPAWN_EXIT, "ENDS": ENDS,
        "RUN": list(program.run), "ENV": dict(program.env), "CPU_S": program.cpu_s, "WALL_S": program.wall_s,
        "AS_BYTES": (program.address_space_mb or program.memory_mb) << 20,
        "STACK_BYTES": max(program.memory_mb, 64) << 20, "OUT_CAP": program.out_cap,
        "PYTHON_IN_HARNESS": program.python_in_harness, "PYTHON_SKIP": program.python_skip,
        "EXCEPTION_EXIT": program.exception_exit, "STRIKES": strikes, "CPU_SLACK_S": CPU_SLACK_S,
        "KILL_SLACK_S": KILL_SLACK_S, "DRAIN_S": 0.05, "CONFIG": None,
    }
    lines = [f"{name} = {value!r}" for name, value in constants.items()]
    return "\n".join(lines) + "\n" + HARNESS


def run_wall_s(program: Program, count: int, max_wall_s: float = 30.0) -> float:
    """The wall limit of the run of ``count`` tests: every test's own, plus slack, capped (tests
    the harness does not reach by then count as not run)."""
    return min(max_wall_s, program.wall_s * count + WALL_SLACK_S + 1.0)


def packed_size(out_cap: int) -> int:
    """The most characters one test's stdout can take in a report (base64 of zlib's worst case)."""
    return 4 * math.ceil((out_cap + out_cap // 1000 + 64) / 3) + 4


def run_stdio(program: Program, tests: list[dict[str, Any]], *, files: dict[str, str | bytes],
              executables: tuple[str, ...] = (), backend: str, strikes: int = 2,
              max_wall_s: float = 30.0, extra_memory_mb: int = 0, binds: tuple[str, ...] = ()) -> StdioRun:
    """Run ``program`` on every test (``{"stdin": str, "argv": [str, ...]}``) in ONE sandboxed run.

    ``strikes``: after this many tests hit the time limit the rest are ``skipped``.
    """
    per_test = packed_size(program.out_cap) + ERR_TAIL * 6 + 200
    max_result_bytes = per_test * len(tests) + 4096
    report_chars = max_result_bytes + 4096
    wall = run_wall_s(program, len(tests), max_wall_s)
    deadline = wall - WALL_SLACK_S
    config = json.dumps({"tests": tests}, separators=(",", ":"))
    config_bytes = config.encode("utf-8", "surrogateescape")
    nonce = secrets.token_hex(16)
    stdin = f"{len(config_bytes):012d}".encode() + config_bytes + nonce.encode() + b"\n"
    inputs_mb = (len(config_bytes) >> 20) + 1
    files_mb = (sum(len(v) for v in files.values()) >> 20) + 1
    memory = program.memory_mb + 160 + extra_memory_mb + 2 * inputs_mb
    limits = Limits(
        wall_s=wall, cpu_s=wall, memory_mb=memory,
        address_space_mb=max(program.address_space_mb or 0, memory) + 1024,
        output_bytes=report_chars + 1024, file_size_mb=max(16, files_mb + 1),
        open_files=max(64, program.open_files), processes=program.processes + 4,
        disk_mb=max(64, files_mb * 2 + inputs_mb + 32), disk_files=4096)
    main = harness_program(program, max_result_bytes, report_chars, deadline, strikes)
    result = run(main, stdin=stdin, files=files, limits=limits, backend=backend,
                 executables=executables, binds=binds)
    if result.status is Status.SANDBOX_ERROR:
        return StdioRun(None, f"sandbox failed: {result.stderr[:200]}", result, "sandbox", "")
    if result.status is Status.OUTPUT_LIMIT:
        return StdioRun(None, "the harness's report exceeded the run's output limit", result, "sandbox", "")
    if result.status is not Status.OK:
        return StdioRun(None, f"the run ended with {result.status.value}", result, "code", "")
    rows, problem, fault, status = read_report(result.stdout, nonce, len(tests), program.out_cap)
    return StdioRun(rows, problem, result, fault, status)


def _row(item: Any, index: int, out_cap: int) -> Row | None:
    """A checked report row, or None when it is not one."""
    if type(item) is not list or len(item) != 9 or type(item[0]) is not int or item[0] != index:
        return None
    _, end, code, sig, cpu, wall, rss, packed, err = item
    if end not in ENDS or not (code is None or type(code) is int) or not (sig is None or type(sig) is int):
        return None
    if type(cpu) not in (int, float) or type(wall) not in (int, float) or type(rss) is not int:
        return None
    if type(packed) is not str or type(err) is not str or len(err) > ERR_TAIL or len(packed) > packed_size(out_cap):
        return None
    try:
        squeezed = base64.b64decode(packed.encode("ascii"), validate=True)
        inflater = zlib.decompressobj()
        data = inflater.decompress(squeezed, out_cap + 1) if squeezed else b""
    except (ValueError, UnicodeEncodeError, binascii.Error, zlib.error):
        return None
    if len(data) > out_cap:
        return None
    return Row(end, code, sig, float(cpu), float(wall), rss, data, err)


def read_report(stdout: str, nonce: str, count: int, out_cap: int) -> tuple[list[Row] | None, str, str, str]:
    """``(rows, problem, fault, status)`` (see :class:`StdioRun`) from the harness's stdout.

    Strict: exactly one line, ``MARKER`` + a JSON object with exactly the keys ``nonce`` (this
    run's), ``status``, ``results`` (at most ``count`` well-formed rows, in order; all of them
    exactly when the status is ``done``) and ``detail``. Never raises on hostile text.
    """
    if not stdout:
        return None, "the harness reported nothing (the program ended it)", "code", ""
    malformed = (None, "the harness output is not one well-formed report of this run", "report", "")
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
    if len(listed) > count or (status == "done") != (len(listed) == count):
        return malformed
    rows = []
    for index, item in enumerate(listed):
        row = _row(item, index, out_cap)
        if row is None:
            return malformed
        rows.append(row)
    if status == "harness_error":
        return None, f"the harness failed: {detail[:200]}", "sandbox", status
    if status == "done":
        return rows, "", "", status
    stopped = {"timeout": "the run's time ran out", "exited": "the runner ended before every test",
               "overflow": "the runner sent too much", "malformed": "the runner's channel was garbled"}[status]
    return rows, stopped + (f": {detail[:200]}" if detail else ""), "", status
