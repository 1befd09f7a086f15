"""Judging a Python function by assert-style tests, in a sandbox, where the solution cannot fool it.

``judge_function`` is ``code_tests``'s judge for problems whose ``mode`` is ``"function"``::

    problem = {"test_code": "def check(candidate):\\n    assert candidate(2) == 4\\n",
               "entry_point": "double", "prelude": ""}
    judge_function(problem, "def double(x):\\n    return 2 * x\\n", backend="warm")
    # Verdict(score=1.0, ..., details={"passed": 1, "total": 1, "fraction": 1.0})

The classic harness execs prompt + completion + tests in one namespace, so the completion can
rig the comparison: a value whose ``__eq__`` is always true, a patched ``abs``/``math.isclose``/
``AssertionError``, a redefined prelude helper, ``sys.exit(0)`` before the asserts, a printed
"passed". Here the solution and the tests never share a process. ONE sandboxed run per
completion; its ``main.py`` is :data:`HARNESS`::

    verifier ─ nonce + tests + plan on stdin ─▶ parent (trusted, non-dumpable): forks, THEN reads
                                                 stdin; runs the prelude and the tests in a fresh
                                                 namespace where the solution's names are proxies
                              (name, args) ─────▶ │ ◀───── value, or exception class + message
                                                 child: fds 0-2 → /dev/null, holds only its two
                                                 pipes; execs solution.py and serves the calls
    verifier ◀─ stdout: MARKER + {"nonce", "status", "tests", "first", "detail"} ─ parent

- The tests reach the solution through proxies: ``check``'s ``candidate``, the entry point's
  name, ``solution.X`` / ``from solution import X``, and any name the tests use that neither
  they nor the prelude define (MBPP's shared namespace).
- Values cross as tagged JSON (:func:`encode` / :func:`decode`, one copy of the code on both
  sides): None, bool, int (any size), float (inf, nan), str, bytes, bytearray, complex, list,
  tuple, dict (any hashable keys), set, frozenset and paths, nested up to :data:`MAX_DEPTH`.
  What the parent compares are its own builtin objects, never the solution's ``__eq__``.
- A function, class, iterator or instance of a class the solution defines crosses as a
  *handle*: a proxy on which the tests can call methods, read and set attributes, iterate,
  index, take ``len``/``str``/``bool`` and ``isinstance``. A handle equals only itself, or
  another handle when the solution's ``__eq__`` says so (a test comparing two of the
  solution's own objects asks the solution, as Python would). Anything else the solution
  returns fails the test as a runtime error ("returned an object of type X").
- An exception the solution raises is re-raised in the parent as the first builtin exception
  class in its MRO (so ``pytest.raises(ValueError)`` and ``try/except`` work), else as
  :class:`SolutionError`. A stuck call (past ``time_limit_s`` for the whole run), a dead
  child or a malformed message raises a ``BaseException`` the tests cannot swallow.
- Arguments mutated in place: after each call the child sends back every list, dict, set and
  bytearray argument and the parent copies the new contents into its own objects (keeping the
  identity of nested containers where the shape allows), so in-place algorithms are tested as
  Python would test them. As in plain Python, a test that computes its expectation from an
  argument after the call sees the mutated argument.
- The tests and the plan live only in the parent's memory: they arrive on stdin after the fork
  and are written nowhere, and the parent is non-dumpable, so the child cannot read
  ``/proc/<ppid>/mem`` or ``/proc/<ppid>/fd/0``. The parent imports modules only from the
  interpreter's own read-only library, whatever the tests do to ``sys.path``, and ignores
  SIGINT (which would raise inside it).
- Reading the run: exactly one report with this run's nonce is believed. Without one, a harness
  killed by a signal (the solution can kill it) is a wrong answer; a plain exit status means it
  never ran (a backend that could not start it): an error.

The harness's code is the same for every problem; only the constants in front of it change.
Where the sandbox's Python reads this process's bytecode (one probe per backend), it travels
compiled (``harness.bin``, loaded before the fork), which saves compiling 40 KB of source in
every run (about half of a warm run's time).

Counting tests (the plan, built here from the test code's syntax tree): every top-level
statement that contains an ``assert`` is one test (MBPP); a top-level ``check(...)`` call is one
test; otherwise a ``def check`` is called once with the candidate (HumanEval); every pytest
``test*`` function, ``Test*`` class method and ``unittest.TestCase`` method is one test, one per
``@pytest.mark.parametrize`` case. Other statements are setup; a setup statement that fails
fails every later test. A ``pytest`` shim (``raises``, ``approx``, ``mark.parametrize``/``skip``/
``skipif``/``xfail``, ``fixture``, ``param``, ``fail``, ``skip``) and the ``capsys``/``capfd``,
``tmp_path`` and ``candidate`` fixtures exist in the parent only. The prelude (trusted problem
text such as HumanEval's prompt, which defines helpers like ``poly``) runs in the parent, where
the tests see it, and also before the solution in the child (as ``prompt + completion`` would);
the entry point is always the solution's own, never the prelude's stub.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import json
import keyword
import marshal
import secrets
import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

from synlog.sandbox import Limits, Status, run
from synlog.verifiers.verdict import Verdict

MARKER = "@@synlog-function-judge@@"
#: failure kinds (the ``failure`` detail), shared with ``code_tests``'s other judges
FAILURES = ("wrong_answer", "runtime_error", "time_limit", "memory_limit", "output_limit")
OUTCOMES = ("pass", *FAILURES)
DEFAULT_TIME_LIMIT_S = 10.0
DEFAULT_MEMORY_MB = 512
MAX_TIME_LIMIT_S = 60.0
#: seconds the sandbox run gets beyond the tests' time limit (start-up, the report)
RUN_MARGIN_S = 2.0
MAX_CODE_CHARS = 100_000
MAX_TEST_CHARS = 2_000_000
MAX_PRELUDE_CHARS = 200_000
#: tests one problem may have (parametrize cases included)
MAX_TESTS = 2_000
#: deepest nesting of a value crossing between the processes
MAX_DEPTH = 100
#: ints beyond this cross as hex (no decimal-digit limit, no float rounding)
SAFE_INT = 10**18
#: largest message (one returned value) the parent accepts from the child: this, or a 16th of
#: the run's memory when that is less (a parsed message takes several times its size)
MAX_MESSAGE_BYTES = 16 << 20
#: characters of a test's failure text in the report
TEXT_CHARS = 300
REPORT_BYTES = 1_000_000
REPORT_KEYS = {"nonce", "status", "tests", "first", "detail"}
REPORT_STATUSES = ("done", "problem_error", "harness_error")


class ProblemError(ValueError):
    """The problem itself is broken (its tests do not compile, never reach the solution...)."""


# --- the value codec: these two functions also run inside the sandbox (see harness_program) ---


def encode(value, hook=None, depth=0):  # noqa: ANN001, ANN201 - sent verbatim into the sandbox
    """The tagged JSON form of a plain value; ``hook(value)`` encodes anything else (or raises).

    Scalars stay JSON (str, bool, None, ints below SAFE_INT, finite floats); every other value
    is a list whose first item is its tag: ``["l", *items]``, ``["t", ...]``, ``["s", ...]``,
    ``["fs", ...]``, ``["d", k1, v1, k2, v2, ...]``, ``["i", hex]``, ``["f", "inf"|"-inf"|"nan"]``,
    ``["b", hex]``, ``["ba", hex]``, ``["c", real, imag]``, ``["p", path]``. Types are matched
    exactly (an int subclass is not an int), so no code of the value's runs while encoding.
    """
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value
    if kind is int:
        return value if -SAFE_INT < value < SAFE_INT else ["i", hex(value)]
    if kind is float:
        return value if value - value == 0 else ["f", repr(value)]  # inf - inf and nan - nan are nan
    if depth >= MAX_DEPTH:
        raise ValueError(f"a value nested more than {MAX_DEPTH} deep")
    depth += 1
    if kind is list or kind is tuple or kind is set or kind is frozenset:
        tag = "l" if kind is list else "t" if kind is tuple else "s" if kind is set else "fs"
        return [tag, *[encode(item, hook, depth) for item in value]]
    if kind is dict:
        out = ["d"]
        for key, item in value.items():
            out.append(encode(key, hook, depth))
            out.append(encode(item, hook, depth))
        return out
    if kind is bytes or kind is bytearray:
        return ["b" if kind is bytes else "ba", value.hex()]
    if kind is complex:
        return ["c", encode(value.real), encode(value.imag)]
    if kind.__module__ == "pathlib" and kind.__name__ in ("PosixPath", "PurePosixPath"):
        return ["p", str(value)]
    if hook is not None:
        return hook(value)
    raise TypeError(f"an object of type {kind.__name__}")


def decode(data, hook=None, depth=0):  # noqa: ANN001, ANN201, C901 - sent verbatim into the sandbox
    """The value :func:`encode` encoded, from parsed JSON; ValueError on anything malformed.

    Strict, for untrusted input: only the forms ``encode`` writes, every tag's arity checked;
    ``hook(data)`` decodes the tags ``encode``'s hook wrote (handles), or raises.
    """
    kind = type(data)
    if data is None or kind is bool or kind is str or kind is int or kind is float:
        return data
    if kind is not list or not data or type(data[0]) is not str or depth > MAX_DEPTH:
        raise ValueError("malformed value")
    tag, depth = data[0], depth + 1
    if tag in ("l", "t", "s", "fs"):
        items = [decode(item, hook, depth) for item in data[1:]]
        try:
            return items if tag == "l" else tuple(items) if tag == "t" else set(items) if tag == "s" else frozenset(items)
        except TypeError:
            raise ValueError("an unhashable set member") from None
    if tag == "d" and len(data) % 2 == 1:
        out = {}
        for at in range(1, len(data), 2):
            try:
                out[decode(data[at], hook, depth)] = decode(data[at + 1], hook, depth)
            except TypeError:
                raise ValueError("an unhashable dict key") from None
        return out
    if len(data) == 2 and type(data[1]) is str:
        text = data[1]
        if tag == "i" and 2 < len(text) and text.lstrip("-").startswith("0x"):
            return int(text, 16)
        if tag == "f" and text in ("inf", "-inf", "nan"):
            return float(text)
        if tag in ("b", "ba"):
            return bytes.fromhex(text) if tag == "b" else bytearray.fromhex(text)
        if tag == "p":
            import pathlib

            return pathlib.Path(text)
    if tag == "c" and len(data) == 3:
        real, imag = decode(data[1], None, depth), decode(data[2], None, depth)
        if type(real) is float and type(imag) is float:
            return complex(real, imag)
    if hook is not None:
        return hook(data)
    raise ValueError("malformed value")


#: main.py of the sandboxed run, after the constants and the codec ``harness_program`` puts
#: before it. ``child`` is the only code that runs the solution; the rest is the trusted parent.
HARNESS = r'''
import builtins, ctypes, json, os, select, signal, sys, time, types

START = time.monotonic()
DEADLINE = START + TIME_LIMIT_S
PR_GET_DUMPABLE, PR_SET_DUMPABLE = 3, 4
MUTABLE = (list, dict, set, bytearray)
#: the interpreter's own library: the only place the parent imports from (see LibraryOnly)
LIBRARY = list(sys.path)
PATH_FINDER = next(finder for finder in sys.meta_path if getattr(finder, "__name__", "") == "PathFinder")


def dumps(value):
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


def write_all(fd, data, deadline=None):
    """Write every byte of data on fd; TimeoutError past the deadline (non-blocking fd)."""
    view = memoryview(data)
    while view:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([], [fd], [], left)[1]:
                raise TimeoutError
        try:
            view = view[os.write(fd, view):]
        except BlockingIOError:
            continue


def describe(error):
    try:
        text = str(error)
    except BaseException:  # the solution's exception: its __str__ may raise anything
        text = ""
    name = type(error).__name__
    return (name + ": " + text if text else name)[:TEXT_CHARS]


def undumpable():
    """Make this process non-dumpable: a same-uid process (the child) can then no longer open
    /proc/<our pid>/fd/*, read our memory or ptrace us."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0 and libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0
    except (AttributeError, OSError):
        return False


# --- the child: runs the solution and serves the parent's calls; never returns ---

class Captured:
    """sys.stdout / sys.stderr of the solution during a call: keeps the first MAX_CAPTURE chars."""

    def __init__(self):
        self.parts, self.size = [], 0

    def write(self, text):
        if type(text) is str and self.size < MAX_CAPTURE:
            self.parts.append(text[:MAX_CAPTURE - self.size])
            self.size += len(self.parts[-1])
        return len(text) if type(text) is str else 0

    def flush(self):
        pass

    def text(self):
        return "".join(self.parts)


def child(calls_fd, replies_fd):
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    low, high = sorted((calls_fd, replies_fd))
    os.closerange(3, low)
    os.closerange(low + 1, high)
    os.closerange(high + 1, 1 << 20)
    try:
        os.setpgid(0, 0)  # a group of its own, which the parent kills when it is done
    except OSError:
        pass
    leave, loads = os._exit, json.loads
    sys.stdout = sys.stderr = quiet = open(os.devnull, "w")
    requests = os.fdopen(calls_fd, "rb")
    handles, handle_of = {}, {}

    def send(message):
        write_all(replies_fd, (dumps(message) + "\n").encode())

    def register(value):
        number = handle_of.get(id(value))
        if number is None:
            number = handle_of[id(value)] = len(handles) + 1
            handles[number] = value
        return number

    def handle(value):
        """encode's hook: a handle for what the tests may use but not compare by value."""
        kind = type(value)
        if callable(value) or hasattr(kind, "__next__") or kind.__module__ == "solution":
            number = register(value)
            label = getattr(value, "__qualname__", None) if isinstance(value, (type, types.FunctionType)) else None
            return ["h", number, label if type(label) is str else kind.__name__]
        raise TypeError("an object of type " + kind.__name__)

    def resolve(target):
        value = handles[target[0]] if type(target[0]) is int else getattr(module, target[0])
        for name in target[1:]:
            value = getattr(value, name)
        return value

    def reference(data):
        """decode's hook: the parent naming one of our objects."""
        if len(data) == 2 and data[0] == "r" and type(data[1]) is list:
            return resolve(data[1])
        raise ValueError("malformed value")

    def setitem(target, key, value):
        target[key] = value

    operations = {"eq": lambda a, b: a == b, "bool": bool, "len": len, "str": str, "iter": iter, "next": next,
                  "getitem": lambda a, key: a[key], "setitem": setitem, "contains": lambda a, item: item in a,
                  "isinstance": isinstance}

    module = types.ModuleType("solution")
    module.__file__ = os.path.join(os.getcwd(), "solution.py")
    sys.modules["solution"] = module
    sys.path.insert(0, os.getcwd())
    sys.dont_write_bytecode = True
    try:
        # the sandboxed child (this is main.py's source): the only process that runs the solution
        exec(compile(PRELUDE, "<prelude>", "exec"), module.__dict__)
        module.__dict__.pop(ENTRY_POINT, None)  # the prelude's stub is never the candidate
        with open("solution.py", encoding="utf-8") as source:
            exec(compile(source.read(), module.__file__, "exec"), module.__dict__)
    except BaseException as error:  # anything the solution's module raises, SystemExit included
        send(["load_error", describe(error)])
        leave(0)
    send(["ready"])
    while True:
        line = requests.readline()
        if not line:
            leave(0)
        seq, op, target, args, kwargs = loads(line)
        out, err = Captured(), Captured()
        try:
            args = [decode(item, reference) for item in args]
            kwargs = {key: decode(item, reference) for key, item in kwargs}
            if op == "get":
                result = resolve(target)
            elif op == "set":
                setattr(resolve(target[:-1]), target[-1], args[0])
                result = None
            else:
                function = resolve(target) if op == "call" else operations[target]
                sys.stdout, sys.stderr = out, err
                try:
                    result = function(*args, **kwargs)
                finally:
                    sys.stdout = sys.stderr = quiet
        except BaseException as error:  # the solution's exception, whatever it is
            try:
                try:
                    error_args = [encode(item) for item in error.args][:8]
                except BaseException:
                    error_args = [describe(error)]
                send([seq, "raise", type(error).__name__, [kind.__name__ for kind in type(error).__mro__][:50],
                      error_args, describe(error), register(error)])
            except BaseException:
                send([seq, "bad", "raised an exception that could not be sent"])
            continue
        try:
            payload = encode(result, handle)
        except (TypeError, ValueError, RecursionError) as error:
            send([seq, "bad", "returned " + str(error)[:200]])
            continue
        except BaseException:
            send([seq, "bad", "returned a value that could not be sent"])
            continue
        try:
            mutated = [[at, encode(item, handle)] for at, item in enumerate(args) if type(item) in MUTABLE]
            mutated += [[key, encode(item, handle)] for key, item in kwargs.items() if type(item) in MUTABLE]
            message = dumps([seq, "ok", payload, mutated, out.text(), err.text()])
        except BaseException as error:
            send([seq, "bad", "left an argument holding " + str(error)[:200]])
            continue
        write_all(replies_fd, (message + "\n").encode())


# --- the parent: trusted; runs the prelude and the tests, reaches the solution through CHANNEL ---

class Fault(BaseException):
    """The solution cannot answer properly (stuck, dead, unsendable value); tests cannot catch it."""

    def __init__(self, outcome, text):
        super().__init__(text)
        self.outcome, self.text = outcome, text


class ProblemFault(BaseException):
    """The tests need something this judge cannot do: the problem is at fault, not the solution."""


class Skipped(BaseException):
    """pytest.skip: the test does not count."""


class SolutionError(Exception):
    """An exception of a class that is not builtin, raised by the solution."""


class Channel:
    """The parent's end of the pipes: one request, one reply, strictly checked."""

    def __init__(self, pid, calls_fd, replies_fd):
        self.pid, self.calls_fd, self.replies_fd = pid, calls_fd, replies_fd
        os.set_blocking(calls_fd, False)
        self.watch = [replies_fd]
        try:
            self.watch.append(os.pidfd_open(pid))
        except (AttributeError, OSError):
            pass  # no pidfd: the pipe's end of file alone says the child is gone
        self.pending, self.seq, self.ready, self.dead = b"", 0, False, None
        self.faults, self.capture, self.remotes = 0, None, {}

    def kill(self):
        for kill in (os.killpg, os.kill):
            try:
                kill(self.pid, signal.SIGKILL)
            except OSError:
                pass

    def fail(self, outcome, text):
        """The solution can no longer answer: every later use of it fails the same way."""
        if self.dead is None:
            self.dead = (outcome, text)
            self.kill()
        self.faults += 1
        raise Fault(*self.dead)

    def ended(self):
        """Why the child ended, from its exit status."""
        for _ in range(50):
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                break
            if pid:
                code = os.waitstatus_to_exitcode(status)
                if code == -signal.SIGXCPU:
                    return "time_limit", "the solution used up its CPU time"
                if code == -signal.SIGKILL:
                    return "memory_limit", "the solution's process was killed (out of memory)"
                if code < 0:
                    return "runtime_error", f"the solution's process died of signal {-code}"
                return "runtime_error", f"the solution's process exited (status {code})"
            time.sleep(0.001)
        return "runtime_error", "the solution closed its channel"

    def receive(self):
        """The child's next message (parsed JSON)."""
        exited = False
        while b"\n" not in self.pending:
            if len(self.pending) > MAX_MESSAGE_BYTES:
                self.fail("runtime_error", f"the solution sent a value of more than {MAX_MESSAGE_BYTES >> 10} KB")
            left = DEADLINE - time.monotonic()
            if left <= 0:
                self.fail("time_limit", f"the solution ran past the {TIME_LIMIT_S:g} s time limit")
            ready = select.select(self.watch, [], [], 0 if exited else left)[0]
            if self.replies_fd in ready:
                chunk = os.read(self.replies_fd, 1 << 20)
                if not chunk:
                    self.fail(*self.ended())
                self.pending += chunk
            elif exited:
                self.fail(*self.ended())
            elif len(self.watch) > 1 and self.watch[1] in ready:
                exited = True  # read what it sent before it went (a grandchild may hold the pipe)
        line, self.pending = self.pending.split(b"\n", 1)
        try:
            return json.loads(line)
        except (ValueError, RecursionError):
            self.fail("runtime_error", "the solution's channel carried a malformed message")
        except MemoryError:
            self.fail("memory_limit", "the solution sent a value too large to read in its memory limit")

    def start(self):
        message = self.receive()
        if message == ["ready"]:
            self.ready = True
        elif type(message) is list and len(message) == 2 and message[0] == "load_error" and type(message[1]) is str:
            self.fail("runtime_error", "the solution failed to load: " + message[1][:TEXT_CHARS])
        else:
            self.fail("runtime_error", "the solution's channel carried a malformed message")

    def request(self, op, target, args=(), kwargs=None):
        """Send one request; the decoded result, or raise what the solution raised."""
        if self.dead is not None:
            self.faults += 1
            raise Fault(*self.dead)
        if not self.ready:
            self.start()
        try:
            sent = [encode(item, reference) for item in args]
            named = [[key, encode(item, reference)] for key, item in (kwargs or {}).items()]
            data = (dumps([self.seq + 1, op, target, sent, named]) + "\n").encode()
        except (TypeError, ValueError) as error:
            raise ProblemFault(f"the tests pass {error} to the solution, which only plain values and the "
                               "solution's own objects can reach") from None
        self.seq += 1
        try:
            write_all(self.calls_fd, data, DEADLINE)
        except TimeoutError:
            self.fail("time_limit", f"the solution ran past the {TIME_LIMIT_S:g} s time limit")
        except OSError:
            self.fail(*self.ended())
        reply = self.receive()
        if type(reply) is not list or len(reply) < 2 or reply[0] != self.seq:
            self.fail("runtime_error", "the solution's channel carried a malformed message")
        try:
            value, raised = self.answer(reply[1:], args, kwargs or {})
        except (ValueError, TypeError, IndexError, RecursionError):
            self.fail("runtime_error", "the solution's channel carried a malformed message")
        except MemoryError:
            self.fail("memory_limit", "the solution sent a value too large to read in its memory limit")
        if raised is not None:
            raise raised
        return value

    def answer(self, reply, args, kwargs):
        """(value, None) or (None, the exception to raise) from a reply; ValueError when malformed."""
        kind = reply[0]
        if kind == "ok" and len(reply) == 5 and type(reply[2]) is list and type(reply[3]) is str and type(reply[4]) is str:
            value = decode(reply[1], remote)
            for key, data in reply[2]:
                original = args[key] if type(key) is int and 0 <= key < len(args) else kwargs.get(key) if type(key) is str else None
                if type(original) in MUTABLE:
                    refill(original, decode(data, remote))
            if self.capture is not None:
                self.capture[0].append(reply[3])
                self.capture[1].append(reply[4])
            return value, None
        if kind == "bad" and len(reply) == 2 and type(reply[1]) is str:
            self.faults += 1
            return None, Fault("runtime_error", "the solution " + reply[1][:TEXT_CHARS])
        if (kind == "raise" and len(reply) == 6 and type(reply[1]) is str and type(reply[2]) is list
                and all(type(name) is str for name in reply[2]) and type(reply[3]) is list and type(reply[4]) is str
                and type(reply[5]) is int):
            return None, solution_exception(reply[1], reply[2], [decode(item) for item in reply[3]], reply[4], reply[5])
        raise ValueError("malformed reply")

    def remote(self, number, label):
        if number not in self.remotes:
            self.remotes[number] = Remote([number], label)
        return self.remotes[number]


def remote(data):
    """decode's hook in the parent: a handle on one of the solution's objects."""
    if len(data) == 3 and data[0] == "h" and type(data[1]) is int and 0 < data[1] < 1 << 40 and type(data[2]) is str:
        return CHANNEL.remote(data[1], data[2][:100])
    raise ValueError("malformed value")


def reference(value):
    """encode's hook in the parent: a proxy goes back as the name of the solution's object."""
    if type(value) is Remote:
        return ["r", object.__getattribute__(value, "_target")]
    raise TypeError("an object of type " + type(value).__name__)


def refill(original, new):
    """Copy new's contents into original (same type), keeping nested containers where shapes match."""
    if type(original) is list and type(new) is list:
        if len(original) == len(new):
            for at, item in enumerate(new):
                if type(item) in MUTABLE and type(original[at]) is type(item):
                    refill(original[at], item)
                else:
                    original[at] = item
        else:
            original[:] = new
    elif type(original) is dict and type(new) is dict:
        for key in [key for key in original if key not in new]:
            del original[key]
        for key, item in new.items():
            if type(item) in MUTABLE and type(original.get(key)) is type(item):
                refill(original[key], item)
            else:
                original[key] = item
    elif type(original) is set and type(new) is set:
        original.clear()
        original.update(new)
    elif type(original) is bytearray and type(new) is bytearray:
        original[:] = new


def solution_exception(name, mro, args, text, number):
    """The exception the solution raised, as the first builtin class of its MRO."""
    for kind_name in mro:
        kind = BUILTIN_ERRORS.get(kind_name)
        if kind is not None:
            break
    else:
        if "BaseException" in mro and "Exception" not in mro:  # SystemExit, KeyboardInterrupt...
            CHANNEL.faults += 1
            return Fault("runtime_error", f"the solution raised {text}")
        kind = SolutionError
        args = [text]
    error = None
    for arguments in (args, [text]):
        try:
            error = kind(*arguments)
            break
        except BaseException:
            continue
    if error is None:
        error = SolutionError(text)
    error.synlog_from_solution = text
    error.synlog_handle = number
    return error


class Remote:
    """One of the solution's objects (function, class, instance, iterator), used through CHANNEL."""

    __slots__ = ("_target", "_label")

    def __init__(self, target, label):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_label", label)

    def __call__(self, *args, **kwargs):
        return CHANNEL.request("call", self._target, args, kwargs)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return CHANNEL.request("get", self._target + [name])

    def __setattr__(self, name, value):
        CHANNEL.request("set", self._target + [name], (value,))

    def __eq__(self, other):
        return CHANNEL.request("op", "eq", (self, other)) if type(other) is Remote else NotImplemented

    def __ne__(self, other):
        return not CHANNEL.request("op", "eq", (self, other)) if type(other) is Remote else NotImplemented

    __hash__ = object.__hash__

    def __bool__(self):
        return CHANNEL.request("op", "bool", (self,))

    def __len__(self):
        return CHANNEL.request("op", "len", (self,))

    def __str__(self):
        return CHANNEL.request("op", "str", (self,))

    def __iter__(self):
        return CHANNEL.request("op", "iter", (self,))

    def __next__(self):
        return CHANNEL.request("op", "next", (self,))

    def __getitem__(self, key):
        return CHANNEL.request("op", "getitem", (self, key))

    def __setitem__(self, key, value):
        CHANNEL.request("op", "setitem", (self, key, value))

    def __contains__(self, item):
        return CHANNEL.request("op", "contains", (self, item))

    def __instancecheck__(self, value):
        return CHANNEL.request("op", "isinstance", (value, self))

    def __repr__(self):
        return f"<the solution's {self._label}>"


class SolutionModule(types.ModuleType):
    """``solution`` as the tests import it: every attribute asks the child."""

    def __getattr__(self, name):
        if name.startswith("__") and name != "__all__":
            raise AttributeError(name)
        value = CHANNEL.request("get", [name])
        if type(value) is Remote:
            setattr(self, name, value)
        return value


class SharedNames(dict):
    """The tests' builtins: a name neither the tests nor the prelude define is the solution's."""

    def __missing__(self, name):
        if name.startswith("__"):
            raise KeyError(name)
        try:
            return CHANNEL.request("get", [name])
        except AttributeError:
            raise KeyError(name) from None


class LibraryOnly:
    """The parent's only path finder: the interpreter's library, whatever sys.path becomes."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        return PATH_FINDER.find_spec(name, path if path is not None else LIBRARY, target)


# --- the pytest shim (the parent's namespace only) ---

class RaisesContext:
    def __init__(self, expected, match):
        self.expected, self.pattern, self.value, self.type = expected, match, None, None

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is None:
            raise AssertionError(f"DID NOT RAISE {self.expected!r}")
        if isinstance(value, (Fault, ProblemFault, Skipped)) or not self.matches(value):
            return False
        if self.pattern is not None:
            import re

            if not re.search(self.pattern, str(value)):
                raise AssertionError(f"regex {self.pattern!r} does not match {str(value)!r}")
        self.value, self.type, self.tb = value, kind, traceback
        return True

    def matches(self, value):
        for expected in self.expected if type(self.expected) is tuple else (self.expected,):
            if type(expected) is Remote:
                number = getattr(value, "synlog_handle", None)
                if number is not None and CHANNEL.request("op", "isinstance", (CHANNEL.remote(number, "exception"), expected)):
                    return True
            elif isinstance(value, expected):
                return True
        return False

    def match(self, pattern):
        import re

        if not re.search(pattern, str(self.value)):  # pytest's ExceptionInfo.match: a failed test
            raise AssertionError(f"regex {pattern!r} does not match {str(self.value)!r}")
        return True

    @property
    def typename(self):
        return self.type.__name__


def raises(expected, *args, match=None, **kwargs):
    context = RaisesContext(expected, match)
    if args:
        with context:
            args[0](*args[1:], **kwargs)
    return context


def close(actual, expected, rel, tolerance):
    if type(expected) is dict:
        return type(actual) is dict and actual.keys() == expected.keys() and all(
            close(actual[key], item, rel, tolerance) for key, item in expected.items())
    if type(expected) in (list, tuple):
        return type(actual) in (list, tuple) and len(actual) == len(expected) and all(
            close(a, e, rel, tolerance) for a, e in zip(actual, expected))
    numbers = (int, float, complex)
    if type(expected) not in numbers or type(actual) not in numbers:
        return actual == expected
    if actual == expected:
        return True
    if rel is None and tolerance is None:
        rel, tolerance = 1e-6, 1e-12
    allowed = max(abs(expected) * rel if rel is not None else 0.0, tolerance if tolerance is not None else 0.0)
    return abs(actual - expected) <= allowed  # False for nan and for a differing infinity


class Approx:
    def __init__(self, expected, rel=None, abs=None, nan_ok=False):
        self.expected, self.rel, self.tolerance = expected, rel, abs

    def __eq__(self, actual):
        return close(actual, self.expected, self.rel, self.tolerance)

    def __ne__(self, actual):
        return not self.__eq__(actual)

    __hash__ = None

    def __repr__(self):
        return f"approx({self.expected!r})"


class Param:
    def __init__(self, values, marks):
        self.values, self.skip = values, any(getattr(mark, "synlog_skip", False) for mark in marks)


def param(*values, id=None, marks=()):
    return Param(values, marks if type(marks) in (list, tuple) else (marks,))


class Mark:
    def __init__(self, name, args=(), kwargs=None):
        self.name, self.args, self.kwargs = name, args, kwargs or {}
        self.synlog_skip = name in ("skip", "xfail") or name == "skipif" and bool(args and args[0])

    def __call__(self, *args, **kwargs):
        """As a decorator (one callable argument): the function, marked; else a configured mark."""
        if len(args) == 1 and callable(args[0]) and not kwargs:
            return self.apply(args[0])
        return Mark(self.name, args, kwargs)

    def apply(self, function):
        if self.synlog_skip:
            function.synlog_skip = True
        elif self.name == "parametrize":
            names, values = self.args[0], list(self.args[1] if len(self.args) > 1 else self.kwargs["argvalues"])
            names = [part.strip() for part in names.split(",")] if type(names) is str else list(names)
            cases = []
            for value in values:
                if type(value) is Param:
                    row, skip = value.values, value.skip
                else:
                    row, skip = (value,) if len(names) == 1 else tuple(value), False
                cases.append((dict(zip(names, row)), skip))
            # stacked decorators: every combination, the innermost decorator's cases varying fastest
            previous = getattr(function, "synlog_cases", [({}, False)])
            function.synlog_cases = [({**inner, **outer}, s1 or s2) for outer, s1 in cases for inner, s2 in previous]
        return function


class Marks:
    def __getattr__(self, name):
        return Mark(name)


def fixture(function=None, *, scope="function", params=None, autouse=False, ids=None, name=None):
    def mark(function):
        function.synlog_fixture = name or function.__name__
        function.synlog_autouse = autouse
        return function
    return mark(function) if callable(function) else mark


def skip(reason="", **kwargs):
    raise Skipped(reason)


def fail(reason="", pytrace=True):
    raise AssertionError(reason)


def importorskip(name, *args, **kwargs):
    try:
        return __import__(name)
    except ImportError:
        raise Skipped(name) from None


def warns(*args, **kwargs):
    raise ProblemFault("the tests check warnings, which this judge cannot observe in the solution's process")


def pytest_shim():
    shim = types.ModuleType("pytest")
    for name, value in {"raises": raises, "approx": Approx, "mark": Marks(), "fixture": fixture, "param": param,
                        "skip": skip, "fail": fail, "importorskip": importorskip, "warns": warns,
                        "deprecated_call": warns}.items():
        setattr(shim, name, value)
    return shim


class CaptureResult(tuple):
    out = property(lambda self: self[0])
    err = property(lambda self: self[1])


class Capsys:
    """capsys/capfd: what the solution wrote to sys.stdout and sys.stderr during calls."""

    def __init__(self):
        CHANNEL.capture = self.parts = ([], [])

    def readouterr(self):
        out, err = ("".join(parts) for parts in self.parts)
        for parts in self.parts:
            parts.clear()
        return CaptureResult((out, err))


# --- running the plan ---

def where(error):
    """' at line N: <source>' for the innermost frame of the test code in error's traceback
    (' in <source>' for a top-level statement, whose test name already gives its line)."""
    line, trace, top = None, error.__traceback__, False
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<tests>":
            line, top = trace.tb_lineno, trace.tb_frame.f_code.co_name == "<module>"
        trace = trace.tb_next
    if line is None or not 0 < line <= len(TEST_LINES):
        return ""
    source = TEST_LINES[line - 1].strip()
    return f" in {source}" if top else f" at line {line}: {source}"


def outcome_of(error):
    """(failure, text) for an exception that escaped a test."""
    if isinstance(error, Fault):
        return error.outcome, error.text
    origin = getattr(error, "synlog_from_solution", None)
    if type(origin) is str:
        kind = "memory_limit" if isinstance(error, MemoryError) else "runtime_error"
        return kind, f"the solution raised {origin}" + where(error)
    if isinstance(error, ImportError) and getattr(error, "name", None) == "solution":
        return "runtime_error", describe(error)
    return "wrong_answer", describe(error) + where(error)


class Runner:
    def __init__(self, namespace):
        self.namespace, self.results, self.first, self.broken = namespace, [], None, None
        self.fixtures = None
        self.active = False

    def record(self, name, outcome, text=""):
        if len(self.results) >= MAX_TESTS:
            raise ProblemFault(f"the tests have more than {MAX_TESTS} cases")
        self.results.append([name[:200], outcome])
        if outcome != "pass" and self.first is None:
            self.first = [name[:200], outcome, text[:TEXT_CHARS]]

    def test(self, name, body):
        """Run one test (body()), recording how it went."""
        if CHANNEL.dead is not None and CHANNEL.dead[0] == "time_limit":
            return self.record(name, "time_limit", "not run: " + CHANNEL.dead[1])
        if self.broken is not None:
            return self.record(name, self.broken[0], "not run: " + self.broken[1])
        faults = CHANNEL.faults
        try:
            outcome, text = self.attempt(body)
        except Fault as fault:  # the deadline's alarm, between the test and its classification
            outcome, text = fault.outcome, fault.text
        if outcome is None:
            return
        if outcome == "pass" and CHANNEL.faults != faults:  # a fault the test code swallowed
            outcome, text = CHANNEL.dead or ("runtime_error", "the solution's call failed")
        self.record(name, outcome, text)

    def attempt(self, body):
        """(outcome, text) of body(); (None, "") when it skipped."""
        self.active = True
        try:
            body()
            return "pass", ""
        except Skipped:
            return None, ""
        except ProblemFault:
            raise
        except BaseException as error:
            if type(error).__name__ == "SkipTest":  # unittest's skip
                return None, ""
            return outcome_of(error)
        finally:
            self.active = False

    def statement(self, index):
        code = compile(MODULE([TREE.body[index]], []), "<tests>", "exec")
        exec(code, self.namespace)  # the problem's tests, in the sandboxed parent, never the solution

    def setup(self, index):
        """Run a setup statement; the first that fails fails every later test (which still get
        defined, so that they are counted)."""
        missing = []

        def body():
            try:
                self.statement(index)
            except ModuleNotFoundError as error:
                if getattr(error, "name", None) != "solution" and not hasattr(error, "synlog_from_solution"):
                    missing.append(error.name)
                raise
        try:
            outcome, text = self.attempt(body)
        except Fault as fault:  # the deadline's alarm
            outcome, text = fault.outcome, fault.text
        if missing:
            raise ProblemFault(f"the tests import {missing[0]}, which the sandbox does not have")
        if outcome not in ("pass", None) and self.broken is None and CHANNEL.dead is None:
            self.broken = (outcome, f"the setup failed: {text}")

    def fixture_functions(self):
        if self.fixtures is None:
            self.fixtures = {}
            for value in list(self.namespace.values()):
                name = getattr(value, "synlog_fixture", None) if callable(value) and type(value) is not Remote else None
                if type(name) is str:
                    self.fixtures[name] = value
        return self.fixtures

    def fixture(self, name, made, teardown):
        if name in made:
            return made[name]
        if name in self.fixture_functions():
            value = self.call(self.fixtures[name], {}, made, teardown)
            if type(value) is types.GeneratorType:
                generator, value = value, next(value)
                teardown.append(lambda: next(generator, None))
        elif name in ("capsys", "capfd"):
            value = Capsys()
        elif name in ("tmp_path", "tmpdir"):
            import pathlib, tempfile
            value = pathlib.Path(tempfile.mkdtemp(prefix="test-", dir="/tmp"))
        elif name == "candidate":
            value = self.namespace[ENTRY_POINT]
        else:
            raise ProblemFault(f"the tests use the fixture {name!r}, which this judge does not provide")
        made[name] = value
        return value

    def call(self, function, given, made, teardown):
        """Call a test (or fixture) function, its parameters filled from given, else fixtures."""
        code = getattr(function, "__code__", None) or function.__func__.__code__
        names = list(code.co_varnames[:code.co_argcount + code.co_kwonlyargcount])
        if isinstance(function, types.MethodType):
            names = names[1:]
        defaults = len(getattr(function, "__defaults__", None) or ())
        optional = set(names[len(names) - defaults:code.co_argcount] if defaults else ())
        optional |= set(getattr(function, "__kwdefaults__", None) or {})
        arguments = {}
        for name in names:
            if name in given:
                arguments[name] = given[name]
            elif name not in optional:
                arguments[name] = self.fixture(name, made, teardown)
        return function(**arguments)

    def run_function(self, name, function, make_self=None):
        """Run a test function (or, with make_self, a method), once per parametrize case."""
        if getattr(function, "synlog_skip", False):
            return
        cases = getattr(function, "synlog_cases", None) or [({}, False)]
        for number, (given, skip) in enumerate(cases):
            if skip:
                continue

            def body(given=given):
                made, teardown = {}, []
                try:
                    for auto in [f for f in self.fixture_functions().values() if getattr(f, "synlog_autouse", False)]:
                        self.fixture(auto.synlog_fixture, made, teardown)
                    if make_self is None:
                        self.call(function, given, made, teardown)
                    else:
                        bound, finish = make_self()
                        try:
                            self.call(bound, given, made, teardown)
                        finally:
                            finish()
                finally:
                    CHANNEL.capture = None
                    for step in reversed(teardown):
                        step()
            self.test(f"{name}[{number}]" if len(cases) > 1 else name, body)

    def run_method(self, class_name, method_name, started):
        """One test method of a pytest Test* class or a unittest.TestCase: a fresh instance each."""
        cls = self.namespace.get(class_name)
        method = getattr(cls, method_name, None) if isinstance(cls, type) else None
        if not callable(method):
            return
        unit = "unittest" in sys.modules and issubclass(cls, sys.modules["unittest"].TestCase)

        def make_self():
            if unit:
                if class_name not in started:
                    started.add(class_name)
                    cls.setUpClass()
                instance = cls(method_name)
                instance.setUp()
                return getattr(instance, method_name), instance.tearDown
            instance = cls()
            bound = getattr(instance, method_name)
            if hasattr(instance, "setup_method"):
                instance.setup_method(bound)
            return bound, lambda: instance.teardown_method(bound) if hasattr(instance, "teardown_method") else None

        self.run_function(f"{class_name}.{method_name}", method, make_self)

    def run(self, plan):
        started = set()
        for unit in plan:
            kind = unit[0]
            if kind == "setup":
                self.setup(unit[1])
            elif kind in ("assert", "call"):
                self.test(unit[2], lambda index=unit[1]: self.statement(index))
            elif kind == "function":
                function = self.namespace.get(unit[1])
                if callable(function) and type(function) is not Remote:
                    self.run_function(unit[1], function)
            elif kind == "method":
                self.run_method(unit[1], unit[2], started)
            elif kind == "check":
                self.test("check", lambda: self.namespace["check"](self.namespace[ENTRY_POINT]))


def on_alarm(signum, frame):
    """Past the deadline (once): a test still running stops with time_limit; later ones do not run."""
    if CHANNEL.dead is None:
        CHANNEL.dead = ("time_limit", f"the tests ran past the {TIME_LIMIT_S:g} s time limit")
        CHANNEL.kill()
    if RUNNER[0] is not None and RUNNER[0].active:
        RUNNER[0].active = False
        raise Fault(*CHANNEL.dead)


def report(fd, nonce, status, runner=None, detail=""):
    results = runner.results if runner else []
    line = dumps({"nonce": nonce, "status": status, "tests": results, "first": runner.first if runner else None,
                  "detail": detail[:TEXT_CHARS]})
    write_all(fd, (MARKER + line + "\n").encode())
    os._exit(0)


def read_input():
    """The verifier's nonce and the tests (stdin): read only after the fork."""
    data = b""
    while True:
        chunk = os.read(0, 1 << 20)
        if not chunk:
            break
        data += chunk
    nonce, _, rest = data.decode("utf-8", "replace").partition("\n")
    return nonce.strip(), json.loads(rest)


def main():
    global CHANNEL, TREE, MODULE, TEST_LINES, BUILTIN_ERRORS
    if not undumpable():
        nonce, _ = read_input()
        report(1, nonce, "harness_error", detail="cannot make the harness non-dumpable")
    calls_read, calls_write = os.pipe()
    replies_read, replies_write = os.pipe()
    try:
        pid = os.fork()
    except OSError as error:
        nonce, _ = read_input()
        report(1, nonce, "harness_error", detail="fork failed: " + str(error))
    if pid == 0:
        leave = os._exit
        try:
            os.close(calls_write)
            os.close(replies_read)
            child(calls_read, replies_write)
        finally:
            leave(70)
    os.close(calls_read)
    os.close(replies_write)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # else the child could raise KeyboardInterrupt in here
    nonce, given = read_input()
    out = os.dup(1)  # the report's descriptor: the tests' prints go to /dev/null
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    CHANNEL = Channel(pid, calls_write, replies_read)
    runner = None
    try:
        BUILTIN_ERRORS = {name: value for name, value in vars(builtins).items()
                          if isinstance(value, type) and issubclass(value, Exception)}
        sys.meta_path[:] = [finder for finder in sys.meta_path if finder is not PATH_FINDER]
        sys.meta_path.append(LibraryOnly)
        sys.modules["solution"] = SolutionModule("solution")
        sys.modules["pytest"] = pytest_shim()
        TEST_LINES = given["test_code"].splitlines()
        TREE = compile(given["test_code"], "<tests>", "exec", 0x400)  # PyCF_ONLY_AST
        MODULE = type(TREE)
        namespace = {"__name__": "test_solution", "__file__": os.path.join(os.getcwd(), "test_solution.py"),
                     "__builtins__": dict(vars(builtins))}
        try:  # with plain builtins: the prelude never reaches the solution
            exec(compile(PRELUDE, "<prelude>", "exec"), namespace)  # problem text, in the sandboxed parent
        except BaseException as error:
            report(out, nonce, "problem_error", detail="the prelude raised " + describe(error))
        namespace["__builtins__"] = SharedNames(vars(builtins))
        namespace[ENTRY_POINT] = Remote([ENTRY_POINT], ENTRY_POINT)
        signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, max(0.01, DEADLINE + 0.25 - time.monotonic()))
        runner = RUNNER[0] = Runner(namespace)
        runner.run(given["plan"])
        signal.setitimer(signal.ITIMER_REAL, 0)
        CHANNEL.kill()
        report(out, nonce, "done", runner)
    except ProblemFault as fault:
        CHANNEL.kill()
        report(out, nonce, "problem_error", detail=str(fault))
    except BaseException as error:
        CHANNEL.kill()
        report(out, nonce, "harness_error", detail="the harness failed: " + describe(error))


RUNNER = [None]
main()
'''


@dataclass(frozen=True)
class Spec:
    """A function-mode problem, checked: what one sandboxed run needs."""

    test_code: str
    entry_point: str
    prelude: str
    time_limit_s: float
    memory_mb: int
    #: the units the harness runs, in order (see ``plan_tests``)
    plan: tuple[tuple[Any, ...], ...]
    #: tests the plan holds (parametrize cases counted where their list is a literal)
    total: int


def _asserts(node: ast.AST) -> bool:
    """Whether a top-level statement holds an ``assert`` outside nested definitions."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.Assert):
            return True
        stack.extend(child for child in ast.iter_child_nodes(item)
                     if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)))
    return False


def _is_main_guard(node: ast.stmt) -> bool:
    """``if __name__ == "__main__":`` (a unittest.main() or pytest.main() call the judge skips)."""
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__"
            and len(test.comparators) == 1 and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")


def _cases(function: ast.FunctionDef) -> int:
    """Parametrize cases of a test function (a literal list's length; 1 when not literal)."""
    count = 1
    for decorator in function.decorator_list:
        if (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)
                and decorator.func.attr == "parametrize" and len(decorator.args) >= 2
                and isinstance(decorator.args[1], (ast.List, ast.Tuple))):
            count *= len(decorator.args[1].elts)
    return count


def _is_test_class(node: ast.ClassDef) -> bool:
    bases = [base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "") for base in node.bases]
    return node.name.startswith("Test") or any(base.endswith("TestCase") for base in bases)


def plan_tests(test_code: str, entry_point: str) -> tuple[list[list[Any]], int]:
    """The harness's plan for ``test_code`` and the number of tests it holds.

    Units, in the order they run: ``["setup", i]`` and ``["assert", i, name]`` /
    ``["call", i, name]`` for the top-level statements (i indexes the module body), then
    ``["function", name]``, ``["method", class, name]`` and ``["check"]``. ProblemError when the
    code does not compile, holds no test or never refers to the solution.
    """
    try:
        tree = ast.parse(test_code, "<tests>")
        compile(tree, "<tests>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        raise ProblemError(f"the test code does not compile: {type(error).__name__}: {error}") from None
    plan: list[list[Any]] = []
    later: dict[tuple[str, ...], tuple[list[Any], int]] = {}
    has_check = calls_check = False
    for index, node in enumerate(tree.body):
        if _is_main_guard(node):
            continue
        call = node.value if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) else None
        if call is not None and isinstance(call.func, ast.Name) and call.func.id == "check":
            plan.append(["call", index, f"check at line {node.lineno}"])
            calls_check = True
            continue
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and _asserts(node):
            plan.append(["assert", index, f"line {node.lineno}"])
            continue
        plan.append(["setup", index])
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
            later.pop((node.name,), None)  # a redefinition runs once, where pytest would run it
            later[(node.name,)] = (["function", node.name], _cases(node))
        elif isinstance(node, ast.FunctionDef) and node.name == "check":
            has_check = True
        elif isinstance(node, ast.ClassDef) and _is_test_class(node):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name.startswith("test"):
                    later.pop((node.name, item.name), None)
                    later[(node.name, item.name)] = (["method", node.name, item.name], _cases(item))
    plan.extend(unit for unit, _ in later.values())
    if has_check and not calls_check:
        plan.append(["check"])
    total = sum(unit[0] in ("assert", "call", "check") for unit in plan) + sum(cases for _, cases in later.values())
    if total == 0:
        raise ProblemError("the test code holds no test (a top-level assert, a test_* function or a check function)")
    if total > MAX_TESTS:
        raise ProblemError(f"the test code holds more than {MAX_TESTS} tests")
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    names |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    names |= {alias.name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
              for alias in node.names}
    if entry_point not in names and not has_check and "solution" not in names:
        raise ProblemError(f"the test code never refers to {entry_point} (nor to a check(candidate) function)")
    return plan, total


def read_problem(problem: dict[str, Any]) -> Spec:
    """The checked :class:`Spec` of a function-mode problem; ProblemError says what is wrong."""
    test_code, entry_point = problem.get("test_code"), problem.get("entry_point")
    prelude = problem.get("prelude") or ""
    if type(test_code) is not str or not test_code.strip():
        raise ProblemError("test_code must be non-empty Python source")
    if len(test_code) > MAX_TEST_CHARS:
        raise ProblemError(f"test_code is longer than {MAX_TEST_CHARS} characters")
    if type(entry_point) is not str or not entry_point.isidentifier() or keyword.iskeyword(entry_point):
        raise ProblemError(f"entry_point must be a Python identifier, not {entry_point!r}")
    if type(prelude) is not str or len(prelude) > MAX_PRELUDE_CHARS:
        raise ProblemError(f"prelude must be Python source of at most {MAX_PRELUDE_CHARS} characters")
    try:
        compile(prelude, "<prelude>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        raise ProblemError(f"the prelude does not compile: {type(error).__name__}: {error}") from None
    time_limit = problem.get("time_limit_s", DEFAULT_TIME_LIMIT_S)
    memory = problem.get("memory_mb", DEFAULT_MEMORY_MB)
    if type(time_limit) not in (int, float) or not 0 < time_limit <= MAX_TIME_LIMIT_S:
        raise ProblemError(f"time_limit_s must be a number of seconds in (0, {MAX_TIME_LIMIT_S:g}]")
    if type(memory) is not int or not 64 <= memory <= 4096:
        raise ProblemError("memory_mb must be an integer from 64 to 4096 (a Python harness needs 64)")
    plan, total = plan_tests(test_code, entry_point)
    return Spec(test_code, entry_point, prelude, float(time_limit), memory, tuple(map(tuple, plan)), total)


@cache
def _codec_source() -> str:
    return inspect.getsource(encode) + "\n\n" + inspect.getsource(decode)


def harness_source() -> str:
    """Everything main.py runs after its constants: the codec (the very functions above), then
    HARNESS. The same for every problem, so it is compiled once per process where it can be."""
    return _codec_source() + HARNESS


#: main.py's tail when the harness travels compiled (``harness.bin``, read before the fork)
#: main.py when the harness travels compiled: it runs in the sandbox, never in this process
LOADER = "import marshal\nwith open('harness.bin', 'rb') as _source:\n    exec(marshal.loads(_source.read()))\n"
_magic_lock = threading.Lock()
_magic: dict[str, bytes] = {}


@cache
def _harness_code() -> bytes:
    return marshal.dumps(compile(harness_source(), "<harness>", "exec"))


def _same_bytecode(backend: str) -> bool:
    """Whether the sandbox's Python reads this process's bytecode (one probe run per backend;
    a failed probe is retried next time and means "no")."""
    with _magic_lock:
        magic = _magic.get(backend)
    if magic is None:
        probe = run("import _frozen_importlib_external as e\nprint(e.MAGIC_NUMBER.hex())",
                    limits=Limits(wall_s=10, cpu_s=5), backend=backend)
        try:
            magic = bytes.fromhex(probe.stdout.strip()) if probe.status is Status.OK else None
        except ValueError:
            magic = None
        if magic is None:
            return False
        with _magic_lock:
            _magic[backend] = magic
    return magic == importlib.util.MAGIC_NUMBER


def harness_program(spec: Spec, compiled: bool = False) -> str:
    """main.py of a run: the constants, then :func:`harness_source` (or, ``compiled``, the
    :data:`LOADER` of its bytecode, which the run gets as ``harness.bin``).

    The prelude and the entry point's name are here (the child needs them and they are no
    secret); the tests and the plan are not: they come on stdin after the fork.
    """
    constants = {"MARKER": MARKER, "TIME_LIMIT_S": spec.time_limit_s, "ENTRY_POINT": spec.entry_point,
                 "PRELUDE": spec.prelude, "MAX_DEPTH": MAX_DEPTH, "SAFE_INT": SAFE_INT,
                 "MAX_MESSAGE_BYTES": min(MAX_MESSAGE_BYTES, (spec.memory_mb << 20) // 16), "MAX_CAPTURE": 1 << 20, "MAX_TESTS": MAX_TESTS,
                 "TEXT_CHARS": TEXT_CHARS}
    lines = [f"{name} = {value!r}" for name, value in constants.items()]
    return "\n".join(lines) + "\n\n\n" + (LOADER if compiled else harness_source())


def limits_for(spec: Spec) -> Limits:
    """The run's limits: the tests' time limit plus a margin, the problem's memory."""
    return Limits(wall_s=spec.time_limit_s + RUN_MARGIN_S, cpu_s=spec.time_limit_s + 1.0, memory_mb=spec.memory_mb,
                  output_bytes=REPORT_BYTES + 100_000, file_size_mb=16, open_files=64, processes=16)


def read_report(stdout: str, nonce: str) -> dict[str, Any] | None:
    """The harness's report, or None unless stdout is exactly one well-formed report of this run.

    Strict: one line, ``MARKER`` + a JSON object with exactly the keys of ``REPORT_KEYS``, this
    run's nonce, a known status, tests as ``[name, outcome]`` pairs and ``first`` naming the
    first failing test (null when none fails). Never raises on hostile text.
    """
    if not (stdout.startswith(MARKER) and stdout.endswith("\n") and stdout.count("\n") == 1):
        return None
    try:
        report = json.loads(stdout[len(MARKER):])
    except (ValueError, RecursionError):
        return None
    if type(report) is not dict or set(report) != REPORT_KEYS or report["nonce"] != nonce:
        return None
    status, tests, first, detail = report["status"], report["tests"], report["first"], report["detail"]
    if status not in REPORT_STATUSES or type(detail) is not str or type(tests) is not list or len(tests) > MAX_TESTS:
        return None
    for item in tests:
        if not (type(item) is list and len(item) == 2 and type(item[0]) is str and item[1] in OUTCOMES):
            return None
    failing = [item for item in tests if item[1] != "pass"]
    if failing:
        if not (type(first) is list and len(first) == 3 and first[:2] == failing[0] and type(first[2]) is str):
            return None
    elif first is not None and status == "done":
        return None
    return report


#: how a run that left no report ended, by sandbox status
_ENDED = {
    Status.TIMEOUT: ("time_limit", "the run passed its wall-clock limit"),
    Status.MEMORY: ("memory_limit", "the run ran out of memory"),
    Status.OUTPUT_LIMIT: ("output_limit", "the run wrote past its output limit"),
    Status.RUNTIME_ERROR: ("runtime_error", "the harness was killed (the solution ended it)"),
    Status.OK: ("runtime_error", "the harness output is not one report of this run"),
}


def _failed(why: str, passed: int, total: int, failure: str, first_failing: int, text: str) -> Verdict:
    return Verdict.wrong(why, passed=passed, total=total, fraction=passed / total if total else 0.0, failure=failure,
                         first_failing=first_failing, first_failure=text[:TEXT_CHARS])


def judge_function(problem: dict[str, Any], code: str, *, backend: str) -> Verdict:
    """Run ``problem``'s tests against ``code``'s ``entry_point`` in one sandboxed run.

    1.0 when every test passes; else wrong with ``passed``/``total``/``fraction`` and the first
    failing test: ``failure`` (its kind), ``first_failing`` (its index in run order) and
    ``first_failure`` ("<test name>: <what happened>", e.g. "test_empty[2]: AssertionError at
    line 9: assert f([]) == 0"). A broken problem is ``invalid`` (``problem_error``), a
    sandbox failure ``error``, never a wrong answer.
    """
    try:
        spec = read_problem(problem)
    except ProblemError as fault:
        return Verdict.invalid(f"problem: {fault}", problem_error=str(fault))
    if type(code) is not str or not code.strip():
        return Verdict.unparseable("no code to run")
    if len(code) > MAX_CODE_CHARS:
        return Verdict.unparseable(f"code longer than {MAX_CODE_CHARS} characters")
    try:
        compile(code, "solution.py", "exec", ast.PyCF_ONLY_AST)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        text = f"the solution does not compile: {type(error).__name__}: {error}"
        return _failed(text, 0, spec.total, "runtime_error", 0, text)
    nonce = secrets.token_hex(16)
    given = json.dumps({"test_code": spec.test_code, "plan": spec.plan})
    files: dict[str, str | bytes] = {"solution.py": code}
    compiled = _same_bytecode(backend)
    if compiled:
        files["harness.bin"] = _harness_code()
    result = run(harness_program(spec, compiled), stdin=f"{nonce}\n{given}", files=files,
                 limits=limits_for(spec), backend=backend)
    if result.status is Status.SANDBOX_ERROR:
        return Verdict.error(f"sandbox failed: {result.stderr[:200]}")
    report = read_report(result.stdout, nonce)
    if report is None and result.status is Status.RUNTIME_ERROR and 0 < (result.exit_code or 0) <= 128:
        # the harness leaves only by os._exit(0) after its report, or killed by a signal (< 0 or
        # 128 + n): a plain exit status means it never ran (a backend that could not start it)
        return Verdict.error(f"the harness did not run (exit status {result.exit_code}): {result.stderr[-200:]}")
    if report is None:
        failure, why = _ENDED.get(result.status, ("runtime_error", "the run failed"))
        return _failed(why, 0, spec.total, failure, 0, why)
    if report["status"] == "harness_error":
        return Verdict.error(f"the function judge's harness failed: {report['detail']}")
    if report["status"] == "problem_error":
        return Verdict.invalid(f"problem: {report['detail']}", problem_error=report["detail"])
    tests = report["tests"]
    if not tests:
        return Verdict.invalid("problem: every test was skipped", problem_error="every test was skipped")
    total, passed = len(tests), sum(outcome == "pass" for _, outcome in tests)
    if passed == total:
        return Verdict.ok(passed=passed, total=total, fraction=1.0)
    name, failure, text = report["first"]
    index = [outcome != "pass" for _, outcome in tests].index(True)
    return _failed(f"{total - passed} of {total} tests fail", passed, total, failure, index, f"{name}: {text}")
