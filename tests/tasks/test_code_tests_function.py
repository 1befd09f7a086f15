"""Specification of code_tests' function mode: the judge in ``synlog.tasks.code._function_judge``.

Every behaviour test runs real programs in the real sandbox (no mocks). The attacks are what a
hostile model would write against the classic "exec prompt + completion + tests" harness; each
must score below 1 and never be an error, since the solution and the tests never share a
process and the report travels on a descriptor only the trusted parent holds.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from synlog.sandbox import run, warm
from synlog.tasks.code import _harness
from synlog.tasks.code._function_judge import (
    MARKER,
    MAX_DEPTH,
    _harness_code,
    decode,
    encode,
    harness_program,
    judge_function,
    limits_for,
    plan_tests,
    read_problem,
    read_report,
)
from synlog.verifiers.verdict import Reason, Verdict, partial_credit


def judge(test_code: str, code: str, entry_point: str = "f", **extra) -> Verdict:
    return judge_function({"test_code": test_code, "entry_point": entry_point, **extra}, code,
                          backend=_harness.backend())


def failed(verdict: Verdict, failure: str | None = None) -> bool:
    """Scored below one as a wrong answer (never an error or a problem fault), of this kind."""
    return (verdict.score < 1.0 and verdict.reason is Reason.WRONG
            and (failure is None or verdict.details.get("failure") == failure))


# --- the value codec (pure: runs here, and verbatim in the sandbox) ---

RICH = [None, True, False, 0, 1, -7, 2**64, -(10**40), 0.5, -0.0, math.inf, -math.inf, "", "héllo\n\x00",
        b"\x00\xff", bytearray(b"ab"), 3 + 4j, (1, (2, [3])), [], (), {1: "a", (2, 3): [4], "k": {5: None}},
        {1, 2, "x"}, frozenset({frozenset({1}), 2}), Path("/tmp/x")]


def test_plain_values_round_trip_with_their_exact_types():
    back = decode(json.loads(json.dumps(encode(RICH), allow_nan=False)))
    assert back == RICH
    assert [type(v) for v in back] == [type(v) for v in RICH]
    assert math.copysign(1, back[9]) == -1 and RICH[9] == 0.0  # -0.0 keeps its sign
    assert math.isnan(decode(encode(math.nan)))


def test_true_and_one_stay_distinct_and_big_ints_are_exact():
    assert decode(encode([True, 1, 1.0])) == [True, 1, 1.0]
    assert [type(v) for v in decode(encode([True, 1, 1.0]))] == [bool, int, float]
    huge = 7 ** 20_000  # beyond the 4300-digit limit of int() on decimal text
    assert decode(json.loads(json.dumps(encode(huge)))) == huge


def test_only_exact_builtin_types_encode():
    class Sneaky(int):
        def __eq__(self, other):
            return True

    for value in (Sneaky(3), type("L", (list,), {})(), object(), lambda: 1, range(3)):
        with pytest.raises(TypeError):
            encode(value)


def test_nesting_is_bounded_both_ways():
    deep: list = []
    for _ in range(MAX_DEPTH + 5):
        deep = [deep]
    with pytest.raises(ValueError):
        encode(deep)
    tagged: list = ["l"]
    for _ in range(MAX_DEPTH + 5):
        tagged = ["l", tagged]
    with pytest.raises(ValueError):
        decode(tagged)


@pytest.mark.parametrize("data", [{"a": 1}, [], ["zz", 1], ["d", 1], ["s", ["l"]], ["d", ["l"], 1], ["i", "12"],
                                  ["i", "0xzz"], ["f", "1.5"], ["b", "zz"], ["c", 1], ["c", "1", "2"], [1, 2]])
def test_malformed_values_are_rejected(data):
    with pytest.raises(ValueError):
        decode(data)


# --- the plan: what counts as a test ---


def test_each_top_level_assert_is_one_test_and_other_statements_are_setup():
    plan, total = plan_tests("xs = [1, 2]\nassert f(xs) == 3\nfor x in xs:\n    assert f([x]) == x\nprint(1)\n", "f")
    assert [unit[0] for unit in plan] == ["setup", "assert", "assert", "setup"]
    assert total == 2


def test_a_check_function_is_one_test_unless_the_tests_call_it_themselves():
    assert plan_tests("METADATA = {}\n\ndef check(candidate):\n    assert candidate(1)\n", "f") == (
        [["setup", 0], ["setup", 1], ["check"]], 1)
    plan, total = plan_tests("def check(candidate):\n    assert candidate(1)\ncheck(f)\n", "f")
    assert total == 1 and ["check"] not in plan


def test_pytest_functions_classes_and_parametrize_cases_are_counted():
    code = '''
import pytest, unittest
from solution import f

@pytest.mark.parametrize("x", [1, 2, 3])
def test_a(x):
    assert f(x)

def test_b():
    assert f(0) == 0

class TestGroup:
    def test_c(self):
        assert f(1)
    def helper(self):
        pass

class Cases(unittest.TestCase):
    def test_d(self):
        self.assertTrue(f(1))

if __name__ == "__main__":
    unittest.main()
'''
    plan, total = plan_tests(code, "f")
    assert [unit for unit in plan if unit[0] != "setup"] == [
        ["function", "test_a"], ["function", "test_b"], ["method", "TestGroup", "test_c"], ["method", "Cases", "test_d"]]
    assert total == 6


@pytest.mark.parametrize("problem, why", [
    ({"test_code": "assert f(1 == 2\n", "entry_point": "f"}, "does not compile"),
    ({"test_code": "x = f(1)\n", "entry_point": "f"}, "holds no test"),
    ({"test_code": "assert g(1) == 2\n", "entry_point": "f"}, "never refers to f"),
    ({"test_code": "assert f(1)\n", "entry_point": "not valid"}, "identifier"),
    ({"test_code": "assert f(1)\n", "entry_point": "f", "time_limit_s": 0}, "time_limit_s"),
    ({"test_code": "assert f(1)\n", "entry_point": "f", "prelude": "def (:"}, "prelude does not compile"),
    ({"test_code": "", "entry_point": "f"}, "non-empty"),
])
def test_broken_problems_are_invalid_with_the_reason(problem, why):
    verdict = judge_function(problem, "def f(x):\n    return x\n", backend=_harness.backend())
    assert verdict.reason is Reason.INVALID
    assert verdict.details["why"].startswith("problem: ") and why in verdict.details["problem_error"]


# --- behaviour in the sandbox ---

HUMANEVAL_STYLE = "METADATA = {}\n\n\ndef check(candidate):\n    assert candidate(2) == 4\n    assert candidate(-1) == -2\n"


@pytest.mark.parametrize("compiled", [False, True])
def test_the_harness_runs_from_source_and_from_bytecode_alike(compiled):
    spec = read_problem({"test_code": "assert f(1) == 2\nassert f(2) == 5\n", "entry_point": "f"})
    files = {"solution.py": "def f(x):\n    return 2 * x\n"}
    if compiled:
        files["harness.bin"] = _harness_code()
    given = json.dumps({"test_code": spec.test_code, "plan": spec.plan})
    result = run(harness_program(spec, compiled), stdin="n" * 32 + "\n" + given, files=files, limits=limits_for(spec),
                 backend=_harness.backend())
    report = read_report(result.stdout, "n" * 32)
    assert report is not None and report["tests"] == [["line 1", "pass"], ["line 2", "wrong_answer"]]


def test_a_correct_function_scores_one():
    verdict = judge(HUMANEVAL_STYLE, "def f(x):\n    return 2 * x\n")
    assert verdict.score == 1.0 and verdict.details == {"passed": 1, "total": 1, "fraction": 1.0}


def test_three_of_four_mbpp_asserts_give_partial_credit():
    tests = "assert f(1) == 2\nassert f(2) == 4\nassert f(0) == 1\nassert f(3) == 6\n"
    verdict = judge(tests, "def f(x):\n    return 2 * x\n")
    assert failed(verdict, "wrong_answer")
    assert (verdict.details["passed"], verdict.details["total"], verdict.details["fraction"]) == (3, 4, 0.75)
    assert verdict.details["first_failing"] == 2  # the third test, in run order
    assert verdict.details["first_failure"] == "line 3: AssertionError in assert f(0) == 1"
    assert partial_credit(verdict) == 0.75


def test_the_prelude_defines_helpers_for_the_tests_and_the_solution():
    prelude = "from typing import List\n\n\ndef helper(xs):\n    return sum(xs)\n\n\ndef f(xs: List[int]) -> int:\n    \"\"\"doc\"\"\"\n"
    tests = "def check(candidate):\n    assert candidate([1, 2]) == helper([1, 2]) + 1\n"
    code = "def f(xs: List[int]) -> int:\n    return helper(xs) + 1\n"  # relies on the prelude's helper and import
    assert judge(tests, code, prelude=prelude).score == 1.0


def test_the_prelude_stub_is_never_the_candidate():
    prelude = "def f(x):\n    return 2 * x\n"
    verdict = judge(HUMANEVAL_STYLE, "def g(x):\n    return 2 * x\n", prelude=prelude)
    assert failed(verdict, "runtime_error") and "has no attribute 'f'" in verdict.details["first_failure"]


PYTEST_STYLE = '''
import pytest
from solution import f, scale


def test_plain():
    assert f(2) == 4


@pytest.mark.parametrize("x, expected", [(1, 2), (3, 6), pytest.param(5, 11)])
def test_cases(x, expected):
    assert f(x) == expected


def test_raises():
    with pytest.raises(ValueError, match="negative"):
        f(-1)


def test_approx():
    assert scale(0.1, 3) == pytest.approx(0.3)
    assert [scale(0.1, 3)] == pytest.approx([0.3])
    assert scale(0.1, 3) != pytest.approx(0.31)


@pytest.fixture
def numbers():
    yield [1, 2, 3]


def test_fixture(numbers):
    assert [f(x) for x in numbers] == [2, 4, 6]


class TestGroup:
    def setup_method(self, method):
        self.base = 10

    def test_method(self):
        assert f(self.base) == 20


@pytest.mark.skip(reason="not counted")
def test_skipped():
    assert False
'''
PYTEST_SOLUTION = '''
def f(x):
    if x < 0:
        raise ValueError("negative input")
    return 2 * x


def scale(x, k):
    return x * k
'''


def test_pytest_style_tests_count_each_case_and_skip_skipped_ones():
    verdict = judge(PYTEST_STYLE, PYTEST_SOLUTION)
    assert failed(verdict, "wrong_answer")
    assert (verdict.details["passed"], verdict.details["total"]) == (7, 8)  # 5 -> 11 is the one wrong case
    assert verdict.details["first_failing"] == 3  # test_plain, then the cases
    assert verdict.details["first_failure"].startswith("test_cases[2]: AssertionError")


def test_unittest_cases_run_with_set_up_and_assert_raises():
    tests = '''
import unittest
from solution import f


class Cases(unittest.TestCase):
    def setUp(self):
        self.two = 2

    def test_value(self):
        self.assertEqual(f(1), self.two)

    def test_error(self):
        with self.assertRaises(ValueError):
            f(-1)

    @unittest.skip("not counted")
    def test_skipped(self):
        self.fail()


if __name__ == "__main__":
    unittest.main()
'''
    verdict = judge(tests, PYTEST_SOLUTION)
    assert verdict.score == 1.0 and verdict.details["total"] == 2


def test_exceptions_cross_as_their_builtin_class():
    tests = '''
import pytest
from solution import f, Custom


def test_builtin():
    with pytest.raises(KeyError):
        f("key")


def test_subclass_of_builtin():
    with pytest.raises(ValueError):
        f("custom")


def test_the_solutions_own_class():
    with pytest.raises(Custom):
        f("custom")


def test_try_except():
    try:
        f("key")
    except LookupError as error:
        assert error.args == ("missing",)
'''
    code = '''
class Custom(ValueError):
    pass


def f(kind):
    if kind == "key":
        raise KeyError("missing")
    raise Custom("mine")
'''
    verdict = judge(tests, code)
    assert verdict.score == 1.0, verdict.details


def test_an_uncaught_exception_of_the_solution_is_a_runtime_error():
    verdict = judge(HUMANEVAL_STYLE, "def f(x):\n    return [][x]\n")
    assert failed(verdict, "runtime_error")
    assert "IndexError" in verdict.details["first_failure"] and "raised by" not in verdict.details["why"][:0]


def test_objects_of_the_solutions_classes_are_usable_through_handles():
    tests = '''
from solution import Stack, Node, gen


def test_stack():
    stack = Stack()
    stack.push(1)
    stack.push(2)
    assert len(stack) == 2 and stack.pop() == 2 and stack.items == [1]
    assert isinstance(stack, Stack) and not isinstance(3, Stack)
    assert str(stack) == "Stack([1])" and 1 in stack and list(stack) == [1] and stack[0] == 1
    stack.label = "s"
    assert stack.label == "s"


def test_linked_nodes():
    head = Node(1, Node(2))
    assert head.next.value == 2 and head.next.next is None
    assert Node(1) == Node(1) and Node(1) != Node(2)


def test_generator():
    assert list(gen(3)) == [0, 1, 2]
    numbers = gen(2)
    assert next(numbers) == 0 and next(numbers) == 1
'''
    code = '''
class Stack:
    def __init__(self):
        self.items = []

    def push(self, x):
        self.items.append(x)

    def pop(self):
        return self.items.pop()

    def __len__(self):
        return len(self.items)

    def __str__(self):
        return f"Stack({self.items})"

    def __contains__(self, x):
        return x in self.items

    def __iter__(self):
        return iter(self.items)

    def __getitem__(self, i):
        return self.items[i]


class Node:
    def __init__(self, value, next=None):
        self.value, self.next = value, next

    def __eq__(self, other):
        return isinstance(other, Node) and self.value == other.value


def gen(n):
    yield from range(n)
'''
    verdict = judge(tests, code, entry_point="Stack")
    assert verdict.score == 1.0, verdict.details


def test_arguments_mutated_in_place_are_copied_back():
    tests = '''
from solution import sort_rows


def test_in_place():
    rows = [[3, 1], [2, 0]]
    first = rows[0]
    assert sort_rows(rows) is None
    assert rows == [[0, 2], [1, 3]]
    assert first is rows[0]  # the same list object, refilled


def test_dict_and_set():
    counts, seen = {"a": 1}, {1}
    sort_rows([], counts=counts, seen=seen)
    assert counts == {"a": 2, "b": 1} and seen == {1, 2}
'''
    code = '''
def sort_rows(rows, counts=None, seen=None):
    for row in rows:
        row.sort()
    rows.sort()
    if counts is not None:
        counts["a"] += 1
        counts["b"] = 1
        seen.add(2)
'''
    assert judge(tests, code, entry_point="sort_rows").score == 1.0


def test_capsys_sees_what_the_solution_printed():
    tests = '''
import sys
from solution import greet


def test_printed(capsys):
    greet("ada")
    captured = capsys.readouterr()
    assert captured.out == "hello ada\\n" and captured.err == "warned\\n"
'''
    code = "import sys\n\n\ndef greet(name):\n    print('hello', name)\n    print('warned', file=sys.stderr)\n"
    assert judge(tests, code, entry_point="greet").score == 1.0


def test_names_the_tests_do_not_define_are_the_solutions():
    tests = "assert f([Pair(1, 2), Pair(3, 4)]) == 4\n"  # MBPP's shared namespace: Pair is the solution's
    code = "class Pair:\n    def __init__(self, a, b):\n        self.a, self.b = a, b\n\n\ndef f(pairs):\n    return max(p.b for p in pairs)\n"
    assert judge(tests, code).score == 1.0


def test_a_star_import_reaches_the_solutions_names():
    tests = "from solution import *\n\n\ndef test_a():\n    assert f(2) == 4 and helper() == 1\n"
    assert judge(tests, "def helper():\n    return 1\n\n\ndef f(x):\n    return 2 * x\n").score == 1.0


def test_the_prelude_never_reaches_the_solution():
    """A prelude name it does not define stays undefined (the problem's fault), whatever the solution."""
    verdict = judge(HUMANEVAL_STYLE, "raise SystemExit(0)\n", prelude="VALUE = undefined_name\n")
    assert verdict.reason is Reason.INVALID and "NameError" in verdict.details["problem_error"]


def test_a_failed_setup_fails_every_later_test():
    tests = "from solution import f\n\n\ndef test_a():\n    assert f(1) == 1\n\n\ndef test_b():\n    assert f(2) == 2\n"
    verdict = judge(tests, "def g(x):\n    return x\n")
    assert failed(verdict, "runtime_error") and verdict.details["total"] == 2
    assert "cannot import name 'f'" in verdict.details["first_failure"]


def test_a_solution_that_does_not_compile_or_load_is_a_runtime_error():
    assert failed(judge(HUMANEVAL_STYLE, "def f(x) return x\n"), "runtime_error")
    verdict = judge(HUMANEVAL_STYLE, "raise RuntimeError('at import')\n\n\ndef f(x):\n    return 2 * x\n")
    assert failed(verdict, "runtime_error") and "failed to load" in verdict.details["first_failure"]
    assert judge(HUMANEVAL_STYLE, "   \n").reason is Reason.UNPARSEABLE


@pytest.mark.parametrize("tests, why", [
    ("def test_a(monkeypatch):\n    assert f(1)\n", "fixture 'monkeypatch'"),
    ("assert f(lambda: 1) == 1\n", "object of type function"),
    ("import numpy\n\nassert f(1) == 1\n", "numpy"),
])
def test_what_the_judge_cannot_do_is_the_problems_fault(tests, why):
    verdict = judge(tests, "def f(x):\n    return 1\n")
    assert verdict.reason is Reason.INVALID and why in verdict.details["problem_error"]


def test_a_prelude_that_raises_is_the_problems_fault():
    verdict = judge(HUMANEVAL_STYLE, "def f(x):\n    return 2 * x\n", prelude="raise ValueError('broken prelude')\n")
    assert verdict.reason is Reason.INVALID and "broken prelude" in verdict.details["problem_error"]


def test_tests_that_loop_on_their_own_stop_at_the_time_limit():
    verdict = judge("def check(candidate):\n    assert candidate(1)\n    while True:\n        pass\n",
                    "def f(x):\n    return 1\n", time_limit_s=1)
    assert failed(verdict, "time_limit")


@pytest.mark.parametrize("backend", ["warm", "process"])
def test_a_sandbox_that_cannot_start_is_an_error_not_a_wrong_answer(backend, monkeypatch):
    monkeypatch.setenv("SYNLOG_SANDBOX_PYTHON", "/nonexistent/python3")
    warm.shutdown()  # idle warm servers hold the real interpreter
    verdict = judge_function({"test_code": HUMANEVAL_STYLE, "entry_point": "f"}, "def f(x):\n    return 2 * x\n",
                             backend=backend)
    assert verdict.reason is Reason.ERROR, verdict.details


def test_an_interrupt_sent_to_the_harness_is_not_an_error():
    code = "def f(x):\n    import os, signal\n    os.kill(os.getppid(), signal.SIGINT)\n    return 0\n"
    assert failed(judge(HUMANEVAL_STYLE, code))


# --- attacks: each scores below one, as a wrong answer, never an error ---

#: a HumanEval-like problem whose tests lean on builtins, math and a prelude helper
PRELUDE = "import math\n\n\ndef helper(x):\n    return x - 4\n\n\ndef f(x):\n    \"\"\"Return twice x.\"\"\"\n"
CHECKED = '''
def check(candidate):
    assert candidate(2) == 4
    assert helper(candidate(2)) == 0
    assert abs(candidate(1.5) - 3.0) < 1e-9
    assert math.isclose(candidate(3), 6)
'''


def attack(code: str, tests: str = CHECKED, **extra) -> Verdict:
    return judge(tests, code, prelude=PRELUDE, **extra)


def test_the_attack_problem_passes_an_honest_solution():
    assert attack("def f(x):\n    return 2 * x\n").score == 1.0


def test_an_always_equal_object_fails():
    code = "class Equal:\n    def __eq__(self, other):\n        return True\n    __hash__ = None\n\n\ndef f(x):\n    return Equal()\n"
    assert failed(attack(code), "wrong_answer")


def test_an_int_subclass_with_a_lying_eq_fails():
    for module in ("__name__", "'builtins'"):
        code = (f"class Liar(int):\n    __module__ = {module}\n    def __eq__(self, other):\n        return True\n"
                "    def __sub__(self, other):\n        return 0\n\n\ndef f(x):\n    return Liar(0)\n")
        assert failed(attack(code))


def test_patching_builtins_math_and_assertion_error_changes_nothing():
    code = '''
import builtins, math
builtins.abs = lambda x: 0
math.isclose = lambda *a, **k: True
builtins.AssertionError = type("Never", (Exception,), {})


def f(x):
    return 0
'''
    tests = "import math\n\n\ndef check(candidate):\n    assert abs(candidate(1.5) - 3.0) < 1e-9\n    assert math.isclose(candidate(3), 6)\n"
    assert failed(attack(code, tests), "wrong_answer")


def test_redefining_the_prelude_helper_changes_nothing():
    tests = "def check(candidate):\n    assert helper(candidate(2)) == 0\n"  # HumanEval/32's shape
    assert attack("def f(x):\n    return 4\n", tests).score == 1.0
    code = "def helper(x):\n    return 0\n\n\nf = lambda x: 99\n"
    assert failed(attack(code, tests), "wrong_answer")


@pytest.mark.parametrize("exit_call", ["import sys\nsys.exit(0)", "import os\nos._exit(0)", "raise SystemExit(0)"])
def test_exiting_at_import_fails(exit_call):
    assert failed(attack(f"{exit_call}\n\n\ndef f(x):\n    return 2 * x\n"), "runtime_error")


@pytest.mark.parametrize("exit_call", ["import sys; sys.exit(0)", "import os; os._exit(0)", "raise KeyboardInterrupt"])
def test_exiting_in_a_call_fails(exit_call):
    assert failed(attack(f"def f(x):\n    {exit_call}\n"), "runtime_error")


def test_a_solution_cannot_skip_a_test():
    code = "import unittest\n\n\ndef f(x):\n    raise unittest.SkipTest('skip me')\n"
    tests = "def test_a():\n    assert f(1) == 2\n\n\ndef test_b():\n    assert f(2) == 4\n"
    verdict = judge(tests, code)
    assert failed(verdict, "runtime_error") and verdict.details["total"] == 2


def test_printing_the_marker_and_a_forged_report_fails():
    forged = json.dumps({"nonce": "0" * 32, "status": "done", "tests": [["check", "pass"]], "first": None, "detail": ""})
    code = f'''
import os, sys
line = {MARKER!r} + {forged!r} + "\\n"
print(line)
sys.__stdout__.write(line)
for fd in (1, 2):
    try:
        os.write(fd, line.encode())
    except OSError:
        pass
for path in ("/proc/%d/fd/1" % os.getppid(), "/dev/stdout", "/proc/self/fd/1"):
    try:
        with open(path, "w") as out:
            out.write(line)
    except OSError:
        pass


def f(x):
    print(line)
    return 0
'''
    assert failed(attack(code), "wrong_answer")


def test_a_forked_process_writing_later_fails():
    code = '''
import os, time
if os.fork() == 0:
    time.sleep(0.05)
    for fd in range(3, 64):
        for message in (b'[1,"ok",4,[],"",""]\\n', b'@@synlog-function-judge@@{}\\n'):
            try:
                os.write(fd, message * 4)
            except OSError:
                pass
    os._exit(0)


def f(x):
    time.sleep(0.1)
    return 0
'''
    assert failed(attack(code))


@pytest.mark.parametrize("where", ["import", "call"])
def test_killing_the_harness_fails(where):
    """Killed, the harness reports nothing: wrong (where the kill is refused, as for docker's pid 1,
    the function's wrong value fails it)."""
    kill = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n"
    code = kill + "\n\ndef f(x):\n    return 0\n" if where == "import" else (
        "def f(x):\n    import os, signal\n    os.kill(-1, signal.SIGKILL)\n    return 0\n")
    assert failed(attack(code))


def test_stopping_the_harness_fails_at_the_wall_clock():
    code = "def f(x):\n    import os, signal\n    os.kill(os.getppid(), signal.SIGSTOP)\n    return 0\n"
    assert failed(attack(code, time_limit_s=1))  # time_limit where the stop works (not docker's pid 1)


@pytest.mark.parametrize("where", ["import", "call"])
def test_an_infinite_loop_fails_at_the_time_limit(where):
    code = "while True:\n    pass\n" if where == "import" else "def f(x):\n    while True:\n        pass\n"
    verdict = attack(code, time_limit_s=1)
    assert failed(verdict, "time_limit") and verdict.details["total"] == 1


@pytest.mark.parametrize("value", ["'a' * (20 << 20)", "[0] * (9 << 20)", "10 ** 100_000"])
def test_a_huge_return_value_fails(value):
    assert failed(attack(f"def f(x):\n    return {value}\n"))


def test_a_huge_return_value_under_a_small_memory_limit_fails():
    verdict = attack("def f(x):\n    return 'a' * (5 << 20)\n", memory_mb=64)  # the cap: a 16th of 64 MB
    assert failed(verdict, "runtime_error") and "more than 4096 KB" in verdict.details["first_failure"]


def test_a_deeply_nested_return_value_fails():
    code = "def f(x):\n    value = []\n    for _ in range(100_000):\n        value = [value]\n    return value\n"
    assert failed(attack(code), "runtime_error")


@pytest.mark.parametrize("limit", ["", "import sys\nsys.setrecursionlimit(10 ** 6)\n"])
def test_deep_recursion_fails(limit):
    assert failed(attack(limit + "def f(x):\n    return f(x) + 1\n"), "runtime_error")


def test_exhausting_memory_fails():
    verdict = attack("def f(x):\n    hog = bytearray(4 << 30)\n    return 2 * x\n")
    assert failed(verdict, "memory_limit")


def test_an_exception_with_a_hostile_str_fails_cleanly():
    code = ("class Bad(Exception):\n    def __str__(self):\n        raise RuntimeError('no')\n"
            "    @property\n    def args(self):\n        raise RuntimeError('no')\n\n\ndef f(x):\n    raise Bad()\n")
    assert failed(attack(code), "runtime_error")


SECRET = "expected-9f3c1e7a"
#: a solution that looks for the expected value everywhere it can read and returns what it finds
SCAN = f'''
import glob, os
needle = ({SECRET[:9]!r} + {SECRET[9:]!r}).encode()


def scan():
    me, parent = os.getpid(), os.getppid()
    paths = [path for path in glob.glob("/proc/[0-9]*/*") + glob.glob("/proc/[0-9]*/fd/*")
             if not path.startswith("/proc/%d/" % me)]
    paths += [path for top in ("/work", "/tmp", "/dev/shm") for path in glob.glob(top + "/**", recursive=True)]
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            if needle in os.read(fd, 1 << 22):
                return needle.decode()
        except OSError:
            pass
        finally:
            os.close(fd)
    try:
        with open("/proc/%d/mem" % parent, "rb") as memory:
            for line in open("/proc/%d/maps" % parent):
                start, end = (int(part, 16) for part in line.split()[0].split("-"))
                memory.seek(start)
                if needle in memory.read(min(end - start, 1 << 24)):
                    return needle.decode()
    except (OSError, ValueError):
        pass
    return "not found"


def f(x):
    return scan()
'''


def test_the_scan_finds_a_readable_copy_of_the_secret():
    """The attack below is live: where a copy of the tests is readable, it finds it."""
    result = run(SCAN + "\nprint(f(1))\n", files={"notes/leak.txt": "x" + SECRET}, backend=_harness.backend())
    assert result.stdout.strip() == SECRET



def test_the_tests_are_not_readable_by_the_solution():
    """The expected value is only in the tests; a solution that finds it anywhere returns it."""
    tests = f"def check(candidate):\n    assert candidate(1) == {SECRET!r}\n"
    assert SECRET not in harness_program(read_problem({"test_code": tests, "entry_point": "f"}))
    verdict = judge(tests, SCAN)
    assert failed(verdict, "wrong_answer"), verdict.details  # the scan ran to its end and found nothing


# --- the report is read strictly ---


def _report(**changes) -> str:
    report = {"nonce": "n" * 32, "status": "done", "tests": [["a", "pass"], ["b", "wrong_answer"]],
              "first": ["b", "wrong_answer", "why"], "detail": ""}
    report.update(changes)
    return MARKER + json.dumps(report) + "\n"


def test_a_well_formed_report_is_read():
    assert read_report(_report(), "n" * 32)["tests"] == [["a", "pass"], ["b", "wrong_answer"]]


@pytest.mark.parametrize("stdout", [
    _report(nonce="m" * 32), _report() + _report(), "junk" + _report(), _report().rstrip("\n"),
    _report(extra=1), _report(status="passed"), _report(tests=[["a", "ok"]]), _report(first=None),
    _report(first=["a", "wrong_answer", "x"]), _report(tests=[["a", "pass"]] * 5000), MARKER + "[" * 100_000 + "\n",
    "",
])
def test_anything_but_one_report_of_this_run_is_rejected(stdout):
    assert read_report(stdout, "n" * 32) is None
