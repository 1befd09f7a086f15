"""Specification of code_function beyond the shared contract.

The recorded test outputs are re-derived by an independent interpreter of the DSL written
here with explicit loops (sharing no code with ``synlog.tasks.code._dsl``); the gold program
passes in the sandbox; partial solutions score 0 with their pass fraction; model code never
runs in this process; non-code answers are rejected without starting anything.
"""

from __future__ import annotations

import builtins
import json

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
        assert len(inputs) == 10


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
    assert verdict.details["total"] == 10


def test_hardcoding_the_prompt_examples_fails():
    row = rows_at(6, 1)[0]
    problem = json.loads(row["problem"])
    shown = [(xs, out) for xs, out in zip(problem["inputs"], problem["outputs"], strict=True) if xs][:2]
    table = {json.dumps(xs): out for xs, out in shown}
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
