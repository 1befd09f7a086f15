"""code_tests, specified: problem validation, comparisons, checkers, the compile cache, the
generator, and hostile solutions (each attack a test, on every local backend).

Real programs in the real sandbox (no mocks); the per-language matrix is in
test_code_tests_languages.py.
"""

from __future__ import annotations

import json
import os
import re
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.sandbox import available_backends
from synlog.synth.example import make_row
from synlog.tasks.base import Problem, get_task
from synlog.tasks.code import _compile, code_tests
from synlog.tasks.code._languages import LANGUAGES, available
from synlog.tasks.code.code_tests import (
    MAX_BLIND,
    close_token,
    extract_program,
    judge,
    problem_error,
    same_exact,
    same_floats,
    same_tokens,
)
from synlog.verifiers.verdict import Reason

HOSTILE_BACKENDS = [name for name in ("warm", "process") if name in available_backends()]
AB = [{"input": f"{a} {b}\n", "output": f"{a + b}\n"} for a, b in [(1, 2), (3, 4), (-5, 5), (10, 20)]]
AB_PY = "a, b = map(int, input().split())\nprint(a + b)\n"
AB_C = '#include <stdio.h>\nint main(void){long a,b;scanf("%ld %ld",&a,&b);printf("%ld\\n",a+b);return 0;}\n'


def problem(tests=None, language="python", **extra) -> dict:
    return {"language": language, "mode": "stdio", "tests": tests or AB, "time_limit_s": 1, "memory_mb": 128, **extra}


@pytest.fixture(autouse=True)
def compile_cache(tmp_path, monkeypatch):
    monkeypatch.setenv(_compile.CACHE_ENV, str(tmp_path / "cache"))
    _compile.clear_memory_cache()
    yield
    _compile.clear_memory_cache()


def needs(language: str) -> None:
    if not available(language):
        pytest.skip(f"{LANGUAGES[language].tool} is not installed here")


# --------------------------------------------------------------------------- bad input


BAD_PROBLEMS = {
    "language missing": {"mode": "stdio", "tests": AB},
    "language not a string": {"language": 5, "mode": "stdio", "tests": AB},
    "unknown language": {"language": "cobol", "mode": "stdio", "tests": AB},
    "mode missing": {"language": "python", "tests": AB},
    "unknown mode": {"language": "python", "mode": "interactive", "tests": AB},
    "function mode in C++": {"language": "cpp", "mode": "function", "test_code": "", "entry_point": "f"},
    "tests missing": {"language": "python", "mode": "stdio"},
    "tests empty": {"language": "python", "mode": "stdio", "tests": []},
    "tests not a list": {"language": "python", "mode": "stdio", "tests": {"input": "1", "output": "1"}},
    "test not an object": {"language": "python", "mode": "stdio", "tests": ["1 2"]},
    "test input not text": {"language": "python", "mode": "stdio", "tests": [{"input": 1, "output": "1"}]},
    "test output missing": {"language": "python", "mode": "stdio", "tests": [{"input": "1"}]},
    "too many tests": {"language": "python", "mode": "stdio", "tests": [{"input": "", "output": ""}] * 1001},
    "unknown compare": {"language": "python", "mode": "stdio", "tests": AB, "compare": "fuzzy"},
    "negative float_tol": {"language": "python", "mode": "stdio", "tests": AB, "compare": "float", "float_tol": -1},
    "float_tol not a number": {"language": "python", "mode": "stdio", "tests": AB, "float_tol": "1e-6"},
    "float_tol a bool": {"language": "python", "mode": "stdio", "tests": AB, "float_tol": True},
    "checker not text": {"language": "python", "mode": "stdio", "tests": AB, "checker": 3},
    "checker empty": {"language": "python", "mode": "stdio", "tests": AB, "checker": "  "},
    "checker not Python": {"language": "python", "mode": "stdio", "tests": AB, "checker": "def (:"},
    "time limit zero": {"language": "python", "mode": "stdio", "tests": AB, "time_limit_s": 0},
    "time limit text": {"language": "python", "mode": "stdio", "tests": AB, "time_limit_s": "2"},
    "time limit a bool": {"language": "python", "mode": "stdio", "tests": AB, "time_limit_s": True},
    "time limit huge": {"language": "python", "mode": "stdio", "tests": AB, "time_limit_s": 1000},
    "time limit nan": {"language": "python", "mode": "stdio", "tests": AB, "time_limit_s": float("nan")},
    "memory too small": {"language": "python", "mode": "stdio", "tests": AB, "memory_mb": 8},
    "memory fractional": {"language": "python", "mode": "stdio", "tests": AB, "memory_mb": 256.5},
    "statement not text": {"language": "python", "mode": "stdio", "tests": AB, "statement": ["x"]},
}


@pytest.mark.parametrize("case", sorted(BAD_PROBLEMS))
def test_a_broken_problem_is_invalid_and_names_the_problem(case):
    verdict = judge(BAD_PROBLEMS[case], AB_PY)
    assert verdict.reason is Reason.INVALID and verdict.score == 0.0, verdict
    assert verdict.details["problem_error"] and verdict.details["why"].startswith("problem: "), verdict
    assert problem_error(BAD_PROBLEMS[case]) == verdict.details["problem_error"]


def test_a_missing_toolchain_is_an_error_naming_it(monkeypatch):
    import dataclasses

    ghost = dataclasses.replace(LANGUAGES["c"], compile=("synlog-no-such-cc", "main.c"))
    monkeypatch.setitem(code_tests.LANGUAGES, "c", ghost)
    verdict = judge(problem(language="c"), AB_C)
    assert verdict.reason is Reason.ERROR and "synlog-no-such-cc is not installed here" in verdict.details["why"]


def test_a_sandbox_that_cannot_run_is_an_error_never_a_wrong_answer():
    if "docker" in available_backends():
        pytest.skip("docker works here: no failing backend to run on")
    verdict = judge(problem(), AB_PY, backend="docker")
    assert verdict.reason is Reason.ERROR, verdict


@pytest.mark.parametrize("code", ["", "   \n", "x" * 100_001])
def test_no_program_is_unparseable(code):
    assert judge(problem(), code).reason is Reason.UNPARSEABLE


def test_a_python_syntax_error_is_a_compile_error_judged_without_a_run():
    verdict = judge(problem(), "print(1")
    assert verdict.reason is Reason.WRONG and verdict.details["failure"] == "compile_error"
    assert verdict.details["passed"] == 0 and verdict.details["total"] == len(AB)


# --------------------------------------------------------------------------- comparisons


def test_whitespace_comparison_ignores_spacing_exact_does_not():
    spaced = [{"input": "", "output": "1 2\n3\n"}]
    for printed, whitespace, exact in [("1 2\n3\n", 1, 1), ("1 2\n3", 1, 1), ("1   2 3\n\n", 1, 0), ("1 2 3 4", 0, 0)]:
        code = f"print({printed!r}, end='')"
        assert judge(problem(spaced), code).score == whitespace, printed
        assert judge(problem(spaced, compare="exact"), code).score == exact, printed


def test_float_comparison_allows_the_tolerance_absolute_or_relative():
    tests = [{"input": "", "output": "0.333333333 1000000000.0\n"}]
    assert judge(problem(tests, compare="float"), "print(1/3, 1e9 + 1)").score == 1.0  # relative 1e-9
    assert judge(problem(tests, compare="float"), "print(0.3334, 1e9)").score == 0.0
    assert judge(problem(tests, compare="float", float_tol=1e-3), "print(0.3334, 1e9)").score == 1.0
    assert judge(problem(tests, compare="whitespace"), "print(1/3, 1e9 + 1)").score == 0.0


def test_exact_keeps_everything_but_trailing_newlines():
    assert same_exact("a\n", "a") and same_exact("a\r\n", "a\n\n") and same_exact("", "\n")
    assert not same_exact("a \n", "a\n") and not same_exact("a\nb", "a b") and not same_exact("\na", "a")


@pytest.mark.parametrize("token", ["nan", "inf", "-inf", "1_0", "0x10", "infinity", "1e999", "١٢"])
def test_only_plain_finite_decimals_are_numbers(token):
    assert not close_token("10", token, 1e-6) or token == "10"
    assert close_token(token, token, 1e-6)  # equal text is always equal


TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab1.-e ", min_size=1, max_size=5).map(str.strip).filter(bool), max_size=8),
       st.lists(st.sampled_from([" ", "\n", "\t", "  ", "\r\n"]), min_size=8, max_size=8))
def test_token_comparison_sees_only_tokens(tokens, gaps):
    joined = "".join(token + gap for token, gap in zip(tokens, gaps, strict=False))
    assert same_tokens(" ".join(tokens), joined)
    assert same_floats(" ".join(tokens), joined)


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.floats(min_value=-1, max_value=1))
def test_float_tokens_within_the_tolerance_match_and_beyond_do_not(value, shift):
    tolerance = 1e-6
    allowed = tolerance * max(1.0, abs(value))
    moved = value + shift * allowed * 0.5
    assert close_token(repr(value), repr(moved), tolerance)
    far = value + (2.5 * allowed if shift >= 0 else -2.5 * allowed)
    assert not close_token(repr(value), repr(far), tolerance)


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT, st.floats(min_value=1e-12, max_value=1.0))
def test_comparisons_never_raise_and_are_reflexive(a, b, tolerance):
    for compare in (same_exact, same_tokens, lambda x, y: same_floats(x, y, tolerance)):
        assert compare(a, a)
        assert isinstance(compare(a, b), bool)


# --------------------------------------------------------------------------- checkers

PAIR_CHECKER = r'''
import sys
given, expected, actual = (open(name).read() for name in sys.argv[1:4])
k, *xs = map(int, given.split())
if expected.split() == ["none"]:
    sys.exit(0 if actual.split() == ["none"] else 1)
try:
    i, j = map(int, actual.split())
except ValueError:
    print("expected two indices")
    sys.exit(1)
if not (0 <= i < j < len(xs)) or xs[i] + xs[j] != k:
    print(f"indices {i} {j} do not sum to {k}")
    sys.exit(1)
sys.exit(0)
'''
PAIR_TESTS = [{"input": "10 1 9 3 7 5 5\n", "output": "0 1\n"}, {"input": "4 2 2 1 3\n", "output": "0 1\n"},
              {"input": "100 1 2 3\n", "output": "none\n"}]
FIRST_PAIR = '''
k, *xs = map(int, input().split())
pairs = [(i, j) for i in range(len(xs)) for j in range(i + 1, len(xs)) if xs[i] + xs[j] == k]
print(*pairs[0] if pairs else ["none"])
'''
LAST_PAIR = FIRST_PAIR.replace("pairs[0]", "pairs[-1]")


def test_a_checker_accepts_every_right_answer_and_rejects_a_wrong_one():
    pairs = problem(PAIR_TESTS, checker=PAIR_CHECKER)
    assert judge(pairs, FIRST_PAIR).score == 1.0
    assert judge(pairs, LAST_PAIR).score == 1.0  # "3 4" and "1 2"... differ from the listed outputs
    assert judge(problem(PAIR_TESTS), LAST_PAIR).score == 0.0  # without the checker they fail
    wrong = judge(pairs, "input()\nprint(0, 0)")
    assert wrong.reason is Reason.WRONG and wrong.details["failure"] == "wrong_answer"
    assert "do not sum" in wrong.details["first_failure"] and wrong.details["passed"] == 0


def test_a_checker_is_not_run_on_tests_that_failed_to_run():
    verdict = judge(problem(PAIR_TESTS, checker=PAIR_CHECKER), "raise SystemExit(4)")
    assert verdict.details["failure"] == "runtime_error" and verdict.details["passed"] == 0


@pytest.mark.parametrize("broken", [
    "raise RuntimeError('checker bug')",
    "assert False, 'a failed assert is a crash, not a reject'",
    "import sys\nsys.exit(2)",
    "import os\nos.kill(os.getpid(), 9)",
    "print('x' * 200_000)\nraise SystemExit(0)",
    "while True:\n    pass",
])
def test_a_checker_that_fails_makes_the_problem_invalid(broken, monkeypatch):
    monkeypatch.setattr(code_tests, "CHECKER_LIMIT_S", 1.0)
    verdict = judge(problem(PAIR_TESTS, checker=broken), FIRST_PAIR)
    assert verdict.reason is Reason.INVALID and "checker" in verdict.details["problem_error"], verdict


def test_a_checker_crashing_on_garbage_output_is_the_problems_fault():
    naive = "import sys\ni, j = map(int, open(sys.argv[3]).read().split())\nsys.exit(0)"
    assert judge(problem(PAIR_TESTS[:1], checker=naive), "print('not numbers')").reason is Reason.INVALID


# --------------------------------------------------------------------------- the judge


def test_partial_credit_counts_passed_tests():
    verdict = judge(problem(), "a, b = map(int, input().split())\nprint(a + b if a > 0 else 1)")
    assert verdict.score == 0.0 and verdict.details["passed"] == 3 and verdict.details["total"] == 4
    assert verdict.details["fraction"] == 0.75 and verdict.details["first_failing"] == 2


def test_after_two_time_limits_the_remaining_tests_are_not_run():
    spin = "while True:\n    pass"
    start = time.monotonic()
    verdict = judge(problem([{"input": "", "output": "1"}] * 8, time_limit_s=0.5), spin)
    assert time.monotonic() - start < 6, "only two tests should have spun"
    assert verdict.details["failure"] == "time_limit" and verdict.details["passed"] == 0


def test_a_program_printing_the_answer_then_failing_is_a_runtime_error():
    verdict = judge(problem(), AB_PY + "import sys\nsys.stdout.flush()\nimport os\nos._exit(3)")
    assert verdict.details["failure"] == "runtime_error" and verdict.details["passed"] == 0


def test_stderr_is_not_output():
    verdict = judge(problem(), "import sys\nsys.stderr.write('noise ' * 200_000)\n" + AB_PY)
    assert verdict.score == 1.0, verdict


def test_output_over_the_cap_is_an_output_limit():
    verdict = judge(problem(), "print('1' * 50_000_000)")
    assert verdict.details["failure"] == "output_limit"


FRESH_MAIN = """
import sys
sys.setrecursionlimit(10**6)
def depth(n):
    return 0 if n == 0 else 1 + depth(n - 1)
if __name__ == "__main__":
    data = sys.stdin.buffer.read().split()
    print(depth(int(data[0])), sys.argv, __file__, __name__, len(sys.argv))
"""


def test_python_runs_as_a_fresh_main_module_with_a_deep_stack():
    tests = [{"input": "100000\n", "output": "100000 ['solution.py'] solution.py __main__ 1\n"}]
    assert judge(problem(tests, memory_mb=512), FRESH_MAIN).score == 1.0


def test_a_compiled_program_gets_a_stack_as_large_as_its_memory():
    needs("c")
    deep = ("#include <stdio.h>\nstatic long depth(long n){volatile char pad[100];pad[0]=(char)n;"
            "return n ? depth(n - 1) + 1 + pad[0] - (char)n : 0;}\n"
            "int main(void){long n;scanf(\"%ld\",&n);printf(\"%ld\\n\",depth(n));return 0;}\n")
    tests = [{"input": "1000000\n", "output": "1000000\n"}]
    assert judge(problem(tests, language="c", memory_mb=512), deep).score == 1.0


@pytest.mark.parametrize("code", ["0", "-1", "True", "'A'", "pass", "1.5\n'doc'", "yes", "none", "0\nNo"])
def test_programs_judged_from_their_text_get_the_verdict_a_run_gives(code, monkeypatch):
    import ast

    assert code_tests.static_outcome(ast.parse(code)) is not None
    for tests in (AB, [{"input": "", "output": ""}]):
        fast = judge(problem(tests), code)
        with monkeypatch.context() as patch:
            patch.setattr(code_tests, "static_outcome", lambda tree: None)
            ran = judge(problem(tests), code)
        assert fast.score == ran.score and fast.reason is ran.reason
        assert fast.details.get("failure") == ran.details.get("failure")
        assert fast.details.get("passed") == ran.details.get("passed")


def test_verify_seconds_bounds_compile_run_and_checker():
    t = get_task("code_tests")
    plain = t.verify_seconds(problem())
    assert 0 < plain <= 31
    assert t.verify_seconds(problem(language="cpp")) > plain
    assert t.verify_seconds(problem(checker="import sys")) > plain
    assert t.verify_seconds({"language": "cobol"}) is None


def test_the_answers_last_fence_is_the_program():
    t = get_task("code_tests")
    answer = f"First try:\n```python\nprint(0)\n```\nFixed:\n```\n{AB_PY}```\nDone."
    assert extract_program(answer) == AB_PY
    assert t.verify(problem(), answer).score == 1.0
    assert t.verify(problem(), AB_PY).score == 1.0  # no fence: the whole answer
    prose = t.verify(problem(), "I would add the two numbers.")
    assert prose.reason is Reason.WRONG and prose.details["failure"] == "compile_error"


def test_function_mode_goes_to_the_function_judge():
    pytest.importorskip("synlog.tasks.code._function_judge")
    function = {"language": "python", "mode": "function", "entry_point": "add",
                "test_code": "assert add(1, 2) == 3\nassert add(-1, 1) == 0\n"}
    assert judge(function, "def add(a, b):\n    return a + b\n").score == 1.0
    assert judge(function, "def add(a, b):\n    return a - b\n").score == 0.0


# --------------------------------------------------------------------------- the compile cache


def test_the_second_judge_of_the_same_source_does_not_compile_again():
    needs("c")
    before = _compile.stats["compiles"]
    assert judge(problem(language="c"), AB_C).score == 1.0
    assert _compile.stats["compiles"] == before + 1
    assert judge(problem(language="c"), AB_C).score == 1.0  # pass@k: the same source
    assert _compile.stats["compiles"] == before + 1
    _compile.clear_memory_cache()  # a new process: the disk cache serves it
    hits = _compile.stats["disk_hits"]
    assert judge(problem(language="c"), AB_C).score == 1.0
    assert _compile.stats["compiles"] == before + 1 and _compile.stats["disk_hits"] == hits + 1


def test_compile_errors_are_cached_too_and_entries_are_written_whole(tmp_path):
    needs("c")
    before = _compile.stats["compiles"]
    for _ in range(3):
        assert judge(problem(language="c"), "int main(void) { return x; }").details["failure"] == "compile_error"
    assert _compile.stats["compiles"] == before + 1
    files = list((tmp_path / "cache" / "compile").rglob("*"))
    entries = [f for f in files if f.is_file()]
    assert entries and all(f.suffix == ".json" and not f.name.startswith(".tmp-") for f in entries)
    for entry in entries:
        json.loads(entry.read_text())
        entry.write_text("{ truncated")  # a damaged entry is a miss, never a crash
    _compile.clear_memory_cache()
    assert judge(problem(language="c"), "int main(void) { return x; }").details["failure"] == "compile_error"
    assert _compile.stats["compiles"] == before + 2


def test_concurrent_judges_of_one_source_compile_it_once():
    needs("c")
    from concurrent.futures import ThreadPoolExecutor

    source = AB_C + "/* pass@4 */\n"
    before = _compile.stats["compiles"]
    with ThreadPoolExecutor(4) as pool:
        verdicts = list(pool.map(lambda _: judge(problem(language="c"), source), range(4)))
    assert all(v.score == 1.0 for v in verdicts)
    assert _compile.stats["compiles"] == before + 1


def test_the_disk_cache_is_pruned_least_recently_used_first(tmp_path):
    folder = tmp_path / "cache" / "compile" / "ab"
    folder.mkdir(parents=True)
    for age in range(5):
        entry = folder / f"ab{age}.json"
        entry.write_bytes(b"x" * 400_000)
        stamp = time.time() - 1000 + age
        os.utime(entry, (stamp, stamp))
    _compile.prune(budget_mb=1.0)
    assert sorted(p.name for p in folder.iterdir()) == ["ab3.json", "ab4.json"]


def test_the_cache_key_holds_language_toolchain_command_and_source():
    c, cpp = LANGUAGES["c"], LANGUAGES["cpp"]
    key = _compile.cache_key(c, "gcc 12.2.0", ["gcc", "main.c"], "int main(){}")
    assert key != _compile.cache_key(c, "gcc 13.1.0", ["gcc", "main.c"], "int main(){}")
    assert key != _compile.cache_key(c, "gcc 12.2.0", ["gcc", "-O0", "main.c"], "int main(){}")
    assert key != _compile.cache_key(c, "gcc 12.2.0", ["gcc", "main.c"], "int main(){ }")
    assert key != _compile.cache_key(cpp, "gcc 12.2.0", ["gcc", "main.c"], "int main(){}")
    assert re.fullmatch(r"[0-9a-f]{64}", key)


# --------------------------------------------------------------------------- the generator


@pytest.fixture(scope="module")
def rows():
    t = get_task("code_tests")
    return [make_row("code_tests", level, t.knobs.resolve(level), 3, i) for level in (1, 5, 10) for i in range(2)]


def test_generated_rows_follow_the_problem_contract(rows):
    for row in rows:
        data = json.loads(row["problem"])
        assert problem_error(data) is None
        assert data["language"] == "python" and data["mode"] == "stdio" and len(data["tests"]) == 20
        graded = {test["input"] for test in data["tests"]}
        for example in data["examples"]:
            assert example["input"] not in graded or example["input"].strip() == ""
            assert example["input"].strip() in row["prompt"] and example["output"].strip() in row["prompt"]


def test_gold_passes_and_spec_blind_programs_fail(rows):
    t = get_task("code_tests")
    for row in rows:
        data = json.loads(row["problem"])
        assert t.verify(data, row["answer"]).score == 1.0
        for name, answer in t.degenerate_answers(data).items():
            verdict = t.verify(data, answer)
            assert verdict.score == 0.0 and verdict.details["passed"] <= MAX_BLIND, (name, verdict)


def test_perturbations_are_wrong_programs(rows):
    t = get_task("code_tests")
    for row in rows[:6]:
        data = json.loads(row["problem"])
        wrong = t.perturb(Problem(data, row["answer"]), np.random.default_rng(0))
        assert len(wrong) >= 3
        assert all(t.verify(data, answer).score < 1.0 for answer in wrong)


# --------------------------------------------------------------------------- hostile solutions

FORGE = r'''
import os
fake = '@@synlog-stdio@@{"nonce": "%s", "status": "done", "results": [], "detail": ""}\n' % ("0" * 32)
print(fake, end="")
for fd in range(3, 256):
    try:
        os.write(fd, fake.encode())
    except OSError:
        pass
for pid in os.listdir("/proc"):
    for fd in ("0", "1", "2", "3", "4", "5"):
        try:
            with open(f"/proc/{pid}/fd/{fd}", "w") as out:
                out.write(fake)
        except OSError:
            pass
'''

#: finds the expected output if anything the solution can reach holds it; prints it, else ABSENT
SEARCH = r'''
import gc, os, re
pattern = re.compile(("s3" + "cr3t-") + "[0-9a-f]{32}")
found = set()
def scan(data):
    if isinstance(data, bytes):
        data = data.decode("latin-1")
    found.update(pattern.findall(data))
for top in ("/work", "/tmp", "/dev/shm", "/etc", "/run"):
    for folder, _, names in os.walk(top):
        for name in names:
            try:
                with open(os.path.join(folder, name), "rb") as handle:
                    scan(handle.read(1 << 22))
            except OSError:
                pass
for pid in os.listdir("/proc"):
    for part in ("cmdline", "environ", "mem"):
        try:
            with open(f"/proc/{pid}/{part}", "rb") as handle:
                scan(handle.read(1 << 22))
        except (OSError, ValueError):
            pass
for value in list(os.environ.values()):
    scan(value)
for item in gc.get_objects():
    if isinstance(item, (str, bytes)):
        scan(item)
    elif isinstance(item, dict):
        for value in list(item.values()):
            if isinstance(value, (str, bytes)):
                scan(value)
print(" ".join(sorted(found)) if found else "ABSENT")
'''

KILLERS = {
    "kill the runner": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)",
    "kill everything": "import os, signal\nos.kill(-1, signal.SIGKILL)",
    "stop the runner": "import os, signal\nos.kill(os.getppid(), signal.SIGSTOP)\nprint(3)",
    "fork bomb": "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass",
    "detached flooder": "import os\nif os.fork() == 0:\n    os.setsid()\n    while True:\n        print('x' * 4096)\n"
                        "print(3)",
}


@pytest.mark.parametrize("where", HOSTILE_BACKENDS)
def test_forged_reports_are_output_like_any_other(where):
    verdict = judge(problem(), FORGE, backend=where)
    assert verdict.reason is Reason.WRONG and verdict.details["failure"] == "wrong_answer", verdict


@pytest.mark.parametrize("where", HOSTILE_BACKENDS)
def test_the_expected_output_is_nowhere_the_solution_can_read(where):
    import secrets

    secret = "s3cr3t-" + secrets.token_hex(16)
    verdict = judge(problem([{"input": "", "output": secret + "\n"}] * 2), SEARCH, backend=where)
    assert verdict.score == 0.0 and "ABSENT" in verdict.details["first_failure"], verdict
    absent = judge(problem([{"input": "", "output": "ABSENT\n"}], memory_mb=256), SEARCH, backend=where)
    assert absent.score == 1.0, absent  # the search ran and found nothing


@pytest.mark.parametrize("where", HOSTILE_BACKENDS)
@pytest.mark.parametrize("attack", sorted(KILLERS))
def test_attacks_on_the_harness_only_fail_the_solution(where, attack):
    start = time.monotonic()
    verdict = judge(problem([{"input": "1 2\n", "output": "3\n"}]), KILLERS[attack], backend=where)
    assert verdict.score < 1.0 and verdict.reason is Reason.WRONG, verdict
    assert time.monotonic() - start < 12
    assert judge(problem(), AB_PY, backend=where).score == 1.0  # the sandbox still works


@pytest.mark.parametrize("where", HOSTILE_BACKENDS)
def test_the_harness_cannot_be_ptraced_or_read(where):
    probe = r'''
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
attached = libc.ptrace(16, os.getppid(), 0, 0) == 0  # PTRACE_ATTACH
readable = []
for pid in [p for p in os.listdir("/proc") if p.isdigit() and int(p) != os.getpid()]:
    for part in ("mem", "fd/1", "environ"):
        try:
            open(f"/proc/{pid}/{part}", "rb").close()
            readable.append(part)
        except OSError:
            pass
print("attached" if attached else "refused", *readable)
'''
    verdict = judge(problem([{"input": "", "output": "refused\n"}]), probe, backend=where)
    assert verdict.score == 1.0, verdict


SELF_DELETING = {
    "python": "import os\nos.remove(__file__)\n" + AB_PY,
    "c": AB_C.replace("return 0;}", 'remove("main");return 0;}'),
}


@pytest.mark.parametrize("where", HOSTILE_BACKENDS)
@pytest.mark.parametrize("language", sorted(SELF_DELETING))
def test_a_program_that_deletes_itself_fails_later_tests_and_is_not_an_error(where, language):
    needs(language)
    verdict = judge(problem(language=language), SELF_DELETING[language], backend=where)
    assert verdict.reason is Reason.WRONG and verdict.details["passed"] == 1, verdict
    assert verdict.details["failure"] == "runtime_error"


@pytest.mark.parametrize("where", HOSTILE_BACKENDS)
def test_the_solution_cannot_reach_the_checker_or_its_files(where):
    checker = "import sys\nsys.exit(0 if open(sys.argv[3]).read().split() == ['absent'] else 1)"
    look = "import os\nprint('present' if os.path.exists('checker.py') or os.path.exists('t0') else 'absent')\n"
    assert judge(problem([{"input": "", "output": "?"}], checker=checker), look, backend=where).score == 1.0
    plant = ("import os\nos.makedirs('t0', exist_ok=True)\nfor name in ('checker.py', 't0/actual', 't0/expected'):\n"
             "    open(name, 'w').write('import sys\\nsys.exit(0)\\n')\nprint('wrong')\n")
    verdict = judge(problem([{"input": "", "output": "?"}], checker=checker), plant, backend=where)
    assert verdict.reason is Reason.WRONG, verdict  # its own checker.py and t0/actual changed nothing
