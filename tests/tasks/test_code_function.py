"""Specification of code_function beyond the shared contract.

The recorded test outputs are re-derived by an independent interpreter of the DSL written
here with explicit loops (sharing no code with ``synlog.tasks.code._dsl``); the gold program
passes in the sandbox; partial solutions score 0 with their pass fraction; model code never
runs in this process; non-code answers are rejected without starting anything.
"""

from __future__ import annotations

import builtins
import json
import re

import numpy as np
import pytest

from synlog.synth.example import make_row
from synlog.tasks.base import Problem, get_task
from synlog.tasks.code import _harness
from synlog.verifiers.verdict import Reason

TASK = get_task("code_function")


def rows_at(level: int, n: int, seed: int = 3) -> list[dict]:
    spec = TASK.knobs.resolve(level)
    return [make_row("code_function", level, spec, seed, i) for i in range(n)]


def _floor_mod(x: int, k: int) -> int:
    r = x - (x // k) * k
    return r


def independent_step(name: str, k: int, xs: list[int]) -> list[int]:
    """One DSL step, written with plain loops."""
    out: list[int] = []
    if name in ("add", "mul", "mod", "abs", "negate", "square", "digit_sum"):
        for x in xs:
            if name == "add":
                out.append(x + k)
            elif name == "mul":
                out.append(x * k)
            elif name == "mod":
                out.append(_floor_mod(x, k))
            elif name == "abs":
                out.append(x if x >= 0 else -x)
            elif name == "negate":
                out.append(0 - x)
            elif name == "square":
                out.append(x * x)
            else:
                n, total = (x if x >= 0 else -x), 0
                while n:
                    total, n = total + n % 10, n // 10
                out.append(total)
        return out
    keep = {"keep_even": lambda x: _floor_mod(x, 2) == 0, "keep_odd": lambda x: _floor_mod(x, 2) == 1,
            "keep_gt": lambda x: x > k, "keep_lt": lambda x: x < k,
            "keep_multiple": lambda x: _floor_mod(x, k) == 0}
    if name in keep:
        return [x for x in xs if keep[name](x)]
    if name in ("sort_asc", "sort_desc", "sort_by_abs", "sort_by_last_digit"):
        key = {"sort_asc": lambda x: x, "sort_desc": lambda x: -x, "sort_by_abs": abs,
               "sort_by_last_digit": lambda x: abs(x) % 10}[name]
        out = []
        for x in xs:  # stable insertion sort
            i = len(out)
            while i > 0 and key(out[i - 1]) > key(x):
                i -= 1
            out.insert(i, x)
        return out
    if name == "reverse":
        return [xs[i] for i in range(len(xs) - 1, -1, -1)]
    if name == "window_sum":
        return [sum(xs[i + j] for j in range(k)) for i in range(len(xs)) if i + k <= len(xs)]
    if name == "diffs":
        return [xs[i] - xs[i - 1] for i in range(1, len(xs))]
    if name == "prefix_sums":
        running = 0
        for x in xs:
            running += x
            out.append(running)
        return out
    if name in ("dedupe_runs", "run_lengths"):
        values, counts = [], []
        for x in xs:
            if values and values[-1] == x:
                counts[-1] += 1
            else:
                values.append(x)
                counts.append(1)
        return values if name == "dedupe_runs" else counts
    if name == "unique":
        for x in xs:
            if x not in out:
                out.append(x)
        return out
    if name == "take":
        return [xs[i] for i in range(min(k, len(xs)))]
    if name == "drop":
        return [xs[i] for i in range(k, len(xs))]
    raise AssertionError(f"unknown step {name}")


def independent_fold(name: str, xs: list[int]) -> int:
    if name == "sum":
        return sum(xs)
    if name == "max":
        return sorted(xs)[-1] if xs else 0
    if name == "min":
        return sorted(xs)[0] if xs else 0
    if name == "count":
        return len(xs)
    if name == "alt_sum":
        return sum(xs[0::2]) - sum(xs[1::2])
    if name == "weighted_sum":
        return sum(i * x for i, x in zip(range(1, len(xs) + 1), xs, strict=True))
    raise AssertionError(f"unknown fold {name}")


def independent_apply(steps: list, fold: list | None, xs: list[int]):
    for name, k in steps:
        xs = independent_step(name, k, xs)
    return independent_fold(fold[0], xs) if fold else xs


@pytest.mark.parametrize("level", [1, 4, 7, 10])
def test_recorded_outputs_match_an_independent_interpreter(level):
    for row in rows_at(level, 15):
        problem = json.loads(row["problem"])
        for xs, expected in zip(problem["inputs"], problem["outputs"], strict=True):
            assert independent_apply(problem["steps"], problem["fold"], xs) == expected, (row["id"], xs)


def test_tests_cover_edge_cases():
    for row in rows_at(5, 10):
        inputs = json.loads(row["problem"])["inputs"]
        assert [] in inputs
        assert any(len(xs) == 1 for xs in inputs)
        assert any(any(x < 0 for x in xs) for xs in inputs)
        assert any(len(set(xs)) < len(xs) for xs in inputs)
        assert len(inputs) == TASK.knobs.resolve(5)["tests"]


def test_partial_solution_scores_zero_with_its_pass_fraction():
    row = rows_at(3, 1)[0]
    problem = json.loads(row["problem"])
    name = problem["function"]
    first, expected = problem["inputs"][0], problem["outputs"][0]
    # right on the empty list only: returns the recorded output for [] and garbage otherwise
    code = f"def {name}(xs):\n    return {expected!r} if xs == {first!r} else 'nope'\n"
    verdict = TASK.verify(problem, f"```python\n{code}```")
    assert verdict.score == 0.0 and verdict.reason is Reason.WRONG
    assert 0 < verdict.details["fraction"] < 1
    assert verdict.details["total"] == len(problem["inputs"])


def test_hardcoding_the_prompt_examples_fails():
    row = rows_at(6, 1)[0]
    problem = json.loads(row["problem"])
    table = {json.dumps(xs): out for xs, out in problem["examples"]}
    code = f"import json\ndef {problem['function']}(xs):\n    return {table!r}.get(json.dumps(xs))\n"
    assert TASK.verify(problem, code).score == 0.0


def test_model_code_never_runs_in_this_process(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    row = rows_at(2, 1)[0]
    problem = json.loads(row["problem"])
    code = (f"import builtins\nbuiltins.SYNLOG_PWNED = 1\nopen('pwned.txt', 'w').write('x')\n"
            f"def {problem['function']}(xs):\n    return xs\n")
    TASK.verify(problem, code)
    assert not hasattr(builtins, "SYNLOG_PWNED")
    assert not (tmp_path / "pwned.txt").exists()


@pytest.mark.parametrize("answer", ["", "42", "the function sorts the list", "def other(xs): return xs",
                                    "```python\ndef broken(:\n```", "x" * 100_000])
def test_non_code_is_rejected_before_any_sandbox_run(answer, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("a sandbox run was started for a non-code answer")

    monkeypatch.setattr(_harness, "run", forbidden)
    problem = json.loads(rows_at(2, 1)[0]["problem"])
    verdict = TASK.verify(problem, answer)
    assert verdict.score == 0.0 and verdict.reason is Reason.UNPARSEABLE


def test_a_different_correct_program_scores_one():
    for row in rows_at(4, 5):
        problem = json.loads(row["problem"])
        # a table-free rewrite: the independent interpreter's steps inlined as a loop program
        body = "\n".join(f"    xs = step({name!r}, {k}, xs)" for name, k in problem["steps"])
        fold = f"    return fold({problem['fold'][0]!r}, xs)" if problem["fold"] else "    return xs"
        import inspect

        source = "\n".join([inspect.getsource(_floor_mod), inspect.getsource(independent_step),
                            inspect.getsource(independent_fold)])
        source = source.replace("def independent_step", "def step").replace("def independent_fold", "def fold")
        code = f"{source}\ndef {problem['function']}(xs):\n{body}\n{fold}\n"
        verdict = TASK.verify(problem, f"```python\n{code}```")
        assert verdict.score == 1.0, (row["id"], verdict)


def test_perturbations_fail_some_test():
    for row in rows_at(8, 4):
        problem = Problem(json.loads(row["problem"]), row["answer"], row["effort"])
        for wrong in TASK.perturb(problem, np.random.default_rng(1)):
            verdict = TASK.verify(problem.data, wrong)
            assert verdict.score == 0.0, (row["id"], wrong)


# --- A hostile model's attacks on the harness -------------------------------------------------
#
# Every attack below is a solution that does NOT implement the function (it returns None)
# but tries to make the verifier believe it does. It knows the true outputs (the worst case:
# a model that could also guess them could just return them) and forges reports carrying
# them, in the old report format and in the current one with a guessed nonce, on every
# channel it can find. Each must score below 1, never with reason ``error``, and the forged
# text must never reach the stdout the verifier reads.

from synlog.sandbox import RunResult, Status, available_backends  # noqa: E402
from synlog.tasks.code.code_function import verify_function  # noqa: E402

CODE_BACKENDS = [name for name in ("warm", "process", "bwrap") if name in available_backends()]
FORGERY_TAG = "forged-by-the-model"

PRELUDE = """\
import json, os, signal, sys, time
OUTPUTS = {outputs!r}
_results = [["ok", out] for out in OUTPUTS]
FORGED = ({marker!r} + json.dumps({{"results": _results, "why": {tag!r}}}) + "\\n"
          + {marker!r} + json.dumps({{"nonce": "0" * 32, "status": "done", "results": _results,
                                     "detail": {tag!r}}}, separators=(",", ":")) + "\\n").encode()


def forge_everywhere():
    for fd in range(1, 21):
        try:
            os.write(fd, FORGED)
        except OSError:
            pass
    for target in ("/proc/%d/fd/1" % os.getppid(), "/proc/%d/fd/0" % os.getppid(), "/dev/stdout"):
        try:
            with open(target, "wb") as out:
                out.write(FORGED)
        except OSError:
            pass
"""

ATTACKS = {
    "forge_marker_on_stdout": """
print(FORGED.decode(), end="", flush=True)
sys.__stdout__.write(FORGED.decode())
sys.__stdout__.flush()
def {function}(xs):
    print(FORGED.decode(), end="", flush=True)
    return None
""",
    "write_fds_1_to_20": """
forge_everywhere()
def {function}(xs):
    forge_everywhere()
    return None
""",
    "replace_builtins_json_sys_os": """
import builtins, json as _json
forge_everywhere()
_line = FORGED.decode().splitlines()[1]
_json.dumps = lambda *a, **k: _line
_json.loads = lambda *a, **k: OUTPUTS
_json._default_encoder.encode = lambda obj: _line
os._exit = lambda code=0: forge_everywhere()
os.write = lambda fd, data: len(data)
os.close = lambda fd: None
sys.stdout = sys.stderr = open(os.devnull, "w")
builtins.print = lambda *a, **k: None
builtins.isinstance = lambda obj, kind: True
sys.modules["json"] = type(sys)("json")
sys.modules["os"] = type(sys)("os")
def {function}(xs):
    return None
""",
    "exit_early_at_import": """
forge_everywhere()
os._exit(0)
def {function}(xs):
    return None
""",
    "exit_early_in_the_function": """
def {function}(xs):
    forge_everywhere()
    os._exit(0)
""",
    "kill_the_parent": """
_parent = os.getppid()
for _signal in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
    try:
        os.kill(_parent, _signal)
    except OSError:
        pass
time.sleep(0.05)
forge_everywhere()
def {function}(xs):
    return None
""",
    "kill_the_whole_group": """
forge_everywhere()
os.killpg(os.getpgid(os.getppid()), signal.SIGKILL)
def {function}(xs):
    return None
""",
    "print_10_mb": """
sys.stdout.write("x" * 10_000_000)
sys.stderr.write("y" * 10_000_000)
forge_everywhere()
def {function}(xs):
    sys.stdout.write("z" * 1_000_000 + FORGED.decode())
    return None
""",
    "return_a_non_json_object": """
def {function}(xs):
    forge_everywhere()
    return object()
""",
    "return_a_huge_nested_list": """
def {function}(xs):
    value = OUTPUTS[0]
    for _ in range(100_000):
        value = [value]
    return value
""",
    "return_a_list_nested_past_the_report_depth": """
def {function}(xs):
    value = OUTPUTS[0]
    for _ in range(200):
        value = [value]
    return value
""",
    "return_a_huge_flat_list": """
def {function}(xs):
    return [123456789] * 2_000_000
""",
    "read_proc_self_fd": """
def _spray():
    for name in os.listdir("/proc/self/fd"):
        try:
            os.write(int(name), FORGED)
        except OSError:
            pass
    parent = "/proc/%d/" % os.getppid()
    for path in [parent + "fd/" + str(fd) for fd in range(20)] + [parent + "mem"]:
        try:
            with open(path, "r+b", buffering=0) as handle:
                handle.write(FORGED)
        except OSError:
            pass
    try:
        nonce = os.read(0, 64).decode()
    except OSError:
        nonce = ""
    report = {{"nonce": nonce.strip(), "status": "done", "results": _results, "detail": {tag!r}}}
    for fd in range(1, 21):
        try:
            os.write(fd, ({marker!r} + json.dumps(report, separators=(",", ":")) + "\\n").encode())
        except OSError:
            pass
_spray()
def {function}(xs):
    _spray()
    return None
""",
    "garbage_on_the_result_pipe": """
def {function}(xs):
    for name in os.listdir("/proc/self/fd"):
        for junk in (b'["ok"]\\n', b'{{"results": 5}}\\n', b'\\xff\\xfe\\n', b"[" * 5000 + b"\\n", b'["load_error", 1]\\n'):
            try:
                os.write(int(name), junk)
            except OSError:
                pass
    return None
""",
    "spawn_a_child_that_writes_later": """
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        for _ in range(30):
            time.sleep(0.01)
            forge_everywhere()
    os._exit(0)
def {function}(xs):
    return None
""",
    "ptrace_the_parent": """
import ctypes
_libc = ctypes.CDLL(None, use_errno=True)
_libc.ptrace(16, os.getppid(), 0, 0)  # PTRACE_ATTACH: would let it make the harness write anything
forge_everywhere()
def {function}(xs):
    return None
""",
    "fork_bomb": """
def {function}(xs):
    forge_everywhere()
    for _ in range(50):
        try:
            os.fork()
        except OSError:
            break
    return None
""",
}


def attack_source(name: str, problem: dict) -> str:
    fields = {"outputs": problem["outputs"], "marker": _harness.MARKER, "tag": FORGERY_TAG,
              "function": problem["function"]}
    return PRELUDE.format(**fields) + ATTACKS[name].format(**fields)


@pytest.fixture(params=CODE_BACKENDS)
def code_backend(request, monkeypatch):
    monkeypatch.setenv(_harness.BACKEND_ENV, request.param)
    return request.param


@pytest.fixture
def sandbox_runs(monkeypatch):
    """Every RunResult the harness gets back, for looking at what stdout carried."""
    seen: list[RunResult] = []
    real = _harness.run

    def spy(*args, **kwargs):
        seen.append(real(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(_harness, "run", spy)
    return seen


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_attacks_on_the_harness_score_below_one_and_never_error(attack, code_backend, sandbox_runs):
    problem = json.loads(rows_at(3, 1)[0]["problem"])
    verdict = TASK.verify(problem, f"```python\n{attack_source(attack, problem)}```")
    assert verdict.score < 1.0 and not verdict.correct, (attack, verdict)
    assert verdict.reason in (Reason.WRONG, Reason.INVALID), (attack, verdict)
    [result] = sandbox_runs
    assert FORGERY_TAG not in result.stdout, (attack, result.stdout[:300])
    assert result.stdout.count(_harness.MARKER) <= 1


def test_the_code_holds_no_descriptor_but_its_result_pipe(code_backend):
    """What the model's code can see: fds 0-2 on /dev/null, one pipe; nothing of the harness's."""
    code = """
import os
def probe(xs):
    seen = {}
    for name in sorted(os.listdir("/proc/self/fd"), key=int):
        try:
            seen[name] = os.readlink("/proc/self/fd/" + name)
        except OSError as error:
            seen[name] = type(error).__name__
    parent = "/proc/%d/" % os.getppid()
    opened = []
    for path in (parent + "fd/1", parent + "fd/0", parent + "mem", parent + "environ"):
        try:
            open(path, "rb").close()
            opened.append(path)
        except OSError:
            pass
    try:
        listed = os.listdir(parent + "fd")
    except OSError:
        listed = None
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    traced = libc.ptrace(16, os.getppid(), 0, 0) != -1  # PTRACE_ATTACH
    return {"fds": seen, "opened": opened, "listed": listed, "traced": traced}
"""
    run = _harness.run_tests(code, "probe", [[]])
    assert run.problem == "" and run.results is not None, run
    [(kind, seen)] = run.results
    assert kind == "ok", seen
    fds = seen["fds"]
    assert [fds[str(fd)] for fd in (0, 1, 2)] == ["/dev/null"] * 3, fds
    others = {fd: target for fd, target in fds.items() if fd not in ("0", "1", "2")}
    # the result pipe, plus the fd listdir itself holds open while listing
    assert sum(target.startswith("pipe:") for target in others.values()) == 1, fds
    # the harness is non-dumpable: its descriptors, memory and environment are out of reach
    assert seen["opened"] == [] and seen["listed"] is None and not seen["traced"], seen


def test_a_noisy_correct_solution_still_scores_one(code_backend):
    row = rows_at(3, 1)[0]
    problem = json.loads(row["problem"])
    gold = row["answer"].removeprefix("```python\n").removesuffix("```")
    noisy = ("import os, sys\nsys.stdout.write('x' * 5_000_000)\nsys.stderr.write('e' * 100_000)\n"
             + gold.replace("    return", "    print('debug', xs)\n    return", 1))
    verdict = TASK.verify(problem, f"```python\n{noisy}```")
    assert verdict.score == 1.0, verdict


def test_a_solution_that_hangs_reports_the_tests_it_finished():
    row = rows_at(3, 1)[0]
    problem = json.loads(row["problem"])
    gold = row["answer"].removeprefix("```python\n").removesuffix("```")
    name = problem["function"]
    code = (gold.replace(f"def {name}(", f"def _{name}(") + "import time\n_calls = []\n"
            f"def {name}(xs):\n    _calls.append(1)\n    if len(_calls) == 4:\n        time.sleep(60)\n"
            f"    return _{name}(xs)\n")
    verdict = TASK.verify(problem, f"```python\n{code}```")
    assert verdict.reason is Reason.WRONG and verdict.details["passed"] == 3, verdict
    assert "ran past" in verdict.details["why"]


# --- Reports this process must never trust (no sandbox: a fake run returns them) ----------

def _fake_report(monkeypatch, make_stdout, status: Status = Status.OK):
    def fake_run(program, *, stdin, files, limits, backend):
        return RunResult(status, stdout=make_stdout(stdin.strip()), backend="fake")

    monkeypatch.setattr(_harness, "run", fake_run)


def _report(nonce, status="done", results=None, detail="", **extra):
    body = {"nonce": nonce, "status": status, "results": results, "detail": detail, **extra}
    return _harness.MARKER + json.dumps(body) + "\n"


def _hostile_stdouts(outputs):
    good = [["ok", out] for out in outputs]
    deep = "[" * 100_000 + "]" * 100_000
    return {
        "old format, int results": lambda n: _harness.MARKER + '{"results": 5}\n',
        "old format, [[1]]": lambda n: _harness.MARKER + '{"results": [[1]]}\n',
        "old format, [[ok]]": lambda n: _harness.MARKER + '{"results": [["ok"]]}\n',
        "old format, right outputs": lambda n: _harness.MARKER + json.dumps({"results": good}) + "\n",
        "wrong nonce": lambda n: _report("0" * 32, results=good),
        "nonce as a list": lambda n: _report([n], results=good),
        "results 5": lambda n: _report(n, results=5),
        "results [[1]]": lambda n: _report(n, results=[[1]]),
        "results [[ok]]": lambda n: _report(n, results=[["ok"]]),
        "results of three": lambda n: _report(n, results=[["ok", out, 1] for out in outputs]),
        "unknown kind": lambda n: _report(n, results=[["yes", out] for out in outputs]),
        "error with a non-string": lambda n: _report(n, results=[["error", 1]] + good[1:]),
        "too many results": lambda n: _report(n, results=good + good),
        "done with too few": lambda n: _report(n, results=good[:-1]),
        "timeout with all": lambda n: _report(n, status="timeout", results=good),
        "load error with results": lambda n: _report(n, status="load_error", results=good),
        "unknown status": lambda n: _report(n, status="perfect", results=good),
        "status as a list": lambda n: _report(n, status=["done"], results=good),
        "detail as a dict": lambda n: _report(n, results=good, detail={}),
        "an extra key": lambda n: _report(n, results=good, score=1),
        "not an object": lambda n: _harness.MARKER + json.dumps([n, "done", good]) + "\n",
        "deep nesting": lambda n: _harness.MARKER + deep + "\n",
        "deep value": lambda n: _report(n, results=[["ok", json.loads("[" * 60 + "]" * 60)]] + good[1:]),
        "not JSON": lambda n: _harness.MARKER + "{nonce: " + n + "\n",
        "no newline": lambda n: _report(n, results=good).rstrip("\n"),
        "two reports": lambda n: _report(n, results=good) * 2,
        "junk before": lambda n: "hello\n" + _report(n, results=good),
        "junk after": lambda n: _report(n, results=good) + "x",
        "no marker": lambda n: _report(n, results=good)[len(_harness.MARKER):],
        "invalid utf-8 replaced": lambda n: _harness.MARKER + "\ufffd\ufffd\n",
        "NaN and huge numbers": lambda n: _report(n, results=[["ok", float("nan")], ["ok", 1e308 * 10]] + good[2:]),
    }


@pytest.mark.parametrize("case", sorted(_hostile_stdouts([0])))
def test_a_forged_or_malformed_report_is_invalid_never_an_exception(case, monkeypatch):
    row = rows_at(3, 1)[0]
    problem = json.loads(row["problem"])
    _fake_report(monkeypatch, _hostile_stdouts(problem["outputs"])[case])
    verdict = verify_function(problem, row["answer"])
    assert verdict.score < 1.0 and verdict.reason in (Reason.INVALID, Reason.WRONG), (case, verdict)


def test_no_report_at_all_is_wrong_not_error(monkeypatch):
    row = rows_at(3, 1)[0]
    problem = json.loads(row["problem"])
    for status in (Status.OK, Status.RUNTIME_ERROR, Status.TIMEOUT, Status.MEMORY, Status.OUTPUT_LIMIT):
        _fake_report(monkeypatch, lambda nonce: "", status)
        assert verify_function(problem, row["answer"]).reason is Reason.WRONG, status


def test_a_well_formed_report_of_this_run_is_read(monkeypatch):
    row = rows_at(3, 1)[0]
    problem = json.loads(row["problem"])
    good = [["ok", out] for out in problem["outputs"]]
    _fake_report(monkeypatch, lambda nonce: _report(nonce, results=good))
    assert verify_function(problem, row["answer"]).score == 1.0
    _fake_report(monkeypatch, lambda nonce: _report(nonce, status="exited", results=good[:4]))
    verdict = verify_function(problem, row["answer"])
    assert verdict.reason is Reason.WRONG and verdict.details["passed"] == 4


def test_only_the_machine_failing_is_an_error(monkeypatch):
    row = rows_at(3, 1)[0]
    problem = json.loads(row["problem"])
    _fake_report(monkeypatch, lambda nonce: _report(nonce, status="harness_error", results=[],
                                                    detail="cannot make the harness non-dumpable"))
    assert verify_function(problem, row["answer"]).reason is Reason.ERROR
    _fake_report(monkeypatch, lambda nonce: "", Status.SANDBOX_ERROR)
    assert verify_function(problem, row["answer"]).reason is Reason.ERROR


# --- no free reward, depth that means steps, and wording that reads well -----------------------

from synlog.tasks.code import _dsl  # noqa: E402
from synlog.tasks.code._harness import canonical  # noqa: E402
from synlog.tasks.code.code_function import MAX_BLIND  # noqa: E402


def spec_blind_programs(xs: list[int]) -> dict[str, object]:
    return {"return 0": 0, "return ''": "", "return []": [], "return None": None, "return xs": xs,
            "the prompt's example": [x for x in xs if x > 0]}


@pytest.mark.parametrize("level", [1, 3, 5, pytest.param(7, marks=pytest.mark.slow),
                                   pytest.param(10, marks=pytest.mark.slow)])  # high levels generate slowly
def test_a_program_that_ignores_the_spec_passes_at_most_two_tests(level):
    for row in rows_at(level, 25):
        problem = json.loads(row["problem"])
        for name in spec_blind_programs([]):
            passed = sum(canonical(spec_blind_programs(xs)[name]) == canonical(out)
                         for xs, out in zip(problem["inputs"], problem["outputs"], strict=True))
            assert passed <= MAX_BLIND, (row["id"], name, passed)


def test_expected_outputs_are_not_zero_heavy():
    for row in rows_at(6, 40):
        outputs = [canonical(out) for out in json.loads(row["problem"])["outputs"]]
        assert sum(out in ("0", "[]") for out in outputs) <= MAX_BLIND
        assert max(outputs.count(out) for out in outputs) <= len(outputs) // 5


def test_degenerate_programs_score_zero_with_little_partial_credit():
    for row in rows_at(4, 4):
        problem = json.loads(row["problem"])
        answers = TASK.degenerate_answers(problem)
        assert {"return 0", "return []", "return None", "return ''", "identity (return xs)"} <= set(answers)
        for name, answer in answers.items():
            verdict = TASK.verify(problem, answer)
            assert verdict.score == 0.0, (name, verdict)
            assert verdict.details.get("fraction", 0.0) <= MAX_BLIND / len(problem["inputs"]), (name, verdict)


def test_the_prompt_examples_are_not_graded_tests():
    for row in rows_at(5, 10):
        problem = json.loads(row["problem"])
        for xs, out in problem["examples"]:
            assert independent_apply(problem["steps"], problem["fold"], xs) == out
            assert f"`{problem['function']}({canonical(xs)})` returns `{canonical(out)}`" in row["prompt"]


@pytest.mark.parametrize("level", [2, 5, 8, 10])
def test_depth_counts_steps_that_change_the_result(level):
    spec = TASK.knobs.resolve(level)
    rng = np.random.default_rng(level)
    for row in rows_at(level, 12):
        problem = json.loads(row["problem"])
        steps, fold = problem["steps"], problem["fold"]
        assert len(steps) == spec["depth"]
        fresh = [[int(v) for v in rng.integers(-spec["bound"], spec["bound"] + 1, int(rng.integers(3, spec["max_len"] + 1)))]
                 for _ in range(64)]
        for i in range(len(steps)):
            rest = steps[:i] + steps[i + 1:]
            changed = sum(independent_apply(rest, fold, xs) != independent_apply(steps, fold, xs) for xs in fresh)
            assert changed >= 6, (row["id"], i, steps, changed)


def test_sorting_before_a_sum_is_a_dead_step():
    probes = [[3, -1, 4, 1, 5], [9, 2, 6, 5], [-3, 5, 8, 9, 7]]
    assert _dsl.dead_steps([["sort_asc", 0], ["mul", 2]], ["sum", 0], probes) == [0]
    assert _dsl.dead_steps([["square", 0], ["abs", 0]], None, probes) == [1]
    assert _dsl.dead_steps([["keep_gt", 0], ["mul", 2]], ["sum", 0], probes) == []


@pytest.mark.parametrize("step, k, sentence", [
    ("mod", 5, "Replace every element by its remainder modulo 5 (always between 0 and 4, also for negative elements)."),
    ("drop", 1, "Remove the first element (nothing if the list is empty)."),
    ("drop", 3, "Remove the first 3 elements (all of them if there are fewer)."),
    ("take", 2, "Keep only the first 2 elements (all of them if there are fewer)."),
    ("add", -3, "Subtract 3 from every element."),
    ("add", 4, "Add 4 to every element."),
])
def test_step_wording_does_the_arithmetic_and_agrees_in_number(step, k, sentence):
    assert _dsl.pipeline_text([[step, k]], None)[0] == sentence


def test_no_prompt_leaves_arithmetic_or_plurals_to_the_reader():
    for level in (1, 4, 8):
        for row in rows_at(level, 30):
            assert not re.search(r"\d+ [−-] 1\b|first 1 elements|add -\d|\+ -\d", row["prompt"]), row["prompt"]
