"""Verification latency and throughput of code_function (10 tests per completion by default), per backend.

    python benchmarks/code_bench.py [--problems 40] [--level 5] [--workers 2] [--backends warm,process]

For every available sandbox backend, ``CodeFunction.verify`` scores the gold completion of
each problem: all 10 tests in ONE sandboxed run (``$SYNLOG_CODE_SANDBOX`` picks the backend).
Beside them, in the same run, the naive baseline: one ``subprocess.run([python, "-c", ...])``
per test (no limits, no isolation), outputs compared the same way. Reported per backend:
p50 and p90 latency of one completion (sequential), and completions/s with ``--workers``
threads. A Markdown table goes to stdout; record it in docs/sandbox.md with the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

from synlog.sandbox import available_backends
from synlog.sandbox.process import interpreter
from synlog.synth.example import make_row
from synlog.tasks.base import get_task
from synlog.tasks.code._harness import canonical, extract_code

NAIVE = "naive subprocess per test"


def naive_verify(problem: dict, answer: str) -> float:
    """The baseline: a fresh interpreter per test, the call's JSON output compared here."""
    code, _ = extract_code(answer, problem["function"])
    passed = 0
    for xs, expected in zip(problem["inputs"], problem["outputs"], strict=True):
        program = f"{code}\nimport json\nprint(json.dumps({problem['function']}({xs!r})))"
        done = subprocess.run([interpreter(), "-c", program], capture_output=True, text=True, timeout=10)
        passed += done.returncode == 0 and canonical(json.loads(done.stdout)) == canonical(expected)
    return passed / len(problem["inputs"])


def sandbox_verify(problem: dict, answer: str) -> float:
    verdict = get_task("code_function").verify(problem, answer)
    return verdict.details.get("fraction", verdict.score)


def measure(verify, cases: list[tuple[dict, str]], workers: int) -> dict:
    verify(*cases[0])  # warm-up (starts warm servers, fills caches)
    latencies = []
    for problem, answer in cases:
        start = time.perf_counter()
        fraction = verify(problem, answer)
        latencies.append(time.perf_counter() - start)
        if fraction != 1.0:
            raise SystemExit(f"a gold completion failed ({fraction}); the benchmark is invalid")
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda case: verify(*case), cases))
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {"p50_ms": 1000 * statistics.median(latencies),
            "p90_ms": 1000 * latencies[int(0.9 * (len(latencies) - 1))],
            "per_s": len(cases) / elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--problems", type=int, default=40)
    parser.add_argument("--level", type=int, default=5)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--backends", default=None, help="comma-separated (default: every available one)")
    parser.add_argument("--tests", type=int, default=10,
                        help="tests per problem (the knob's default is 30; 10 matches the recorded tables)")
    args = parser.parse_args()
    task = get_task("code_function")
    spec = task.knobs.resolve(args.level, {"tests": args.tests})
    rows = [make_row("code_function", args.level, spec, 2026, i) for i in range(args.problems)]
    cases = [(json.loads(r["problem"]), r["answer"]) for r in rows]
    if any(len(p["inputs"]) != args.tests for p, _ in cases):
        raise SystemExit(f"level {args.level} does not give {args.tests} tests per problem; the table would mislabel it")
    backends = args.backends.split(",") if args.backends else available_backends()
    results = {NAIVE: measure(naive_verify, cases, args.workers)}
    for backend in backends:
        os.environ["SYNLOG_CODE_SANDBOX"] = backend
        results[backend] = measure(sandbox_verify, cases, args.workers)
    base = results[NAIVE]["p50_ms"]
    print(f"code_function, level {args.level}, {args.tests} tests per completion, {args.problems} completions; "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {args.workers} threads\n")
    print("| verifier | p50 ms / completion | p90 ms | completions/s | p50 speed-up vs naive |")
    print("|---|---:|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['p50_ms']:.1f} | {r['p90_ms']:.1f} | {r['per_s']:.1f} | {base / r['p50_ms']:.1f}× |")


if __name__ == "__main__":
    main()
