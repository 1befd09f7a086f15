"""How the generation engine scales: rows/s by worker count, the coordinator's CPU per row
against a worker's, and the main process's peak memory by run size.

    python benchmarks/scale.py speed  --task sudoku -d 4 -n 20000 --workers 1,2,4,8,16
    python benchmarks/scale.py memory --task arithmetic -d 1 -n 10000,100000,1000000 --workers 2

Every measurement runs ``synlog.synth.engine.run`` in a fresh Python process (so its peak RSS
is its own) and reports: wall seconds, rows/s, the coordinator's CPU seconds (the main
process: dedup, keep files, state, the final streamed write), its peak RSS, and the speedup
over the first worker count. ``speed`` also times a worker's share alone (building ranges and
writing their shards, in one process) to give the CPU a row costs a worker; the ceiling of the
speedup is then about (worker CPU per row) / (coordinator CPU per row while generating).
Markdown on stdout: record it in ``benchmarks/RESULTS.md`` with the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def one(task: str, level: int, n: int, workers: int) -> dict:
    """Run the engine once here; what it cost this process."""
    from synlog.synth.engine import run
    from synlog.synth.plan import single_task_plan

    plan = single_task_plan(task, level, n, 0, {}, {"train": 1.0})
    with tempfile.TemporaryDirectory(dir=os.environ.get("SCALE_TMP")) as tmp:
        before = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        run(plan, Path(tmp) / "out", workers=workers)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"task": task, "level": level, "n": n, "workers": workers, "wall_s": wall, "rows_per_s": n / wall,
            "main_cpu_s": cpu, "main_peak_mb": after.ru_maxrss / 1024}


def worker_cpu_per_row(task: str, level: int, rows: int = 2000) -> float:
    """CPU seconds a worker spends per candidate: rows built and written as shards."""
    from synlog.synth.engine import RangeJob, build_range
    from synlog.tasks.base import get_task

    spec = get_task(task).knobs.resolve(level)
    with tempfile.TemporaryDirectory() as tmp:
        build_range(RangeJob(0, 0, task, level, spec, 0, 10**9, 10**9 + 50, tmp, "warm.parquet"))
        start = time.process_time()
        for k, first in enumerate(range(0, rows, 500)):
            build_range(RangeJob(0, k, task, level, spec, 0, first, first + 500, tmp, f"{k}.parquet"))
        return (time.process_time() - start) / rows


def measure(task: str, level: int, n: int, workers: int) -> dict:
    done = subprocess.run([sys.executable, __file__, "one", task, str(level), str(n), str(workers)],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "one":
        task, level, n, workers = sys.argv[2], *map(int, sys.argv[3:6])
        print(json.dumps(one(task, level, n, workers)))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["speed", "memory"])
    parser.add_argument("--task", default="sudoku")
    parser.add_argument("-d", "--difficulty", type=int, default=4)
    parser.add_argument("-n", default="20000", help="rows (comma-separated for memory)")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    args = parser.parse_args()
    sizes = [int(x) for x in args.n.split(",")]
    counts = [int(x) for x in args.workers.split(",")]
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}\n")
    if args.what == "speed":
        per_row = worker_cpu_per_row(args.task, args.difficulty)
        print(f"{args.task} level {args.difficulty}: a worker spends {per_row * 1e6:,.0f} µs CPU per row\n")
        print("| workers | rows | wall s | rows/s | speedup | coordinator CPU s | coordinator µs/row | peak MB |")
        print("|---|---|---|---|---|---|---|---|")
        base = None
        for workers in counts:
            m = measure(args.task, args.difficulty, sizes[0], workers)
            base = base or m["rows_per_s"]
            print(f"| {workers} | {m['n']:,} | {m['wall_s']:.1f} | {m['rows_per_s']:,.0f} | {m['rows_per_s'] / base:.2f}× |"
                  f" {m['main_cpu_s']:.1f} | {m['main_cpu_s'] / m['n'] * 1e6:,.0f} | {m['main_peak_mb']:,.0f} |", flush=True)
        return
    print("| rows | workers | wall s | rows/s | coordinator CPU s | coordinator peak MB |")
    print("|---|---|---|---|---|---|")
    for n in sizes:
        m = measure(args.task, args.difficulty, n, counts[0])
        print(f"| {n:,} | {counts[0]} | {m['wall_s']:.0f} | {m['rows_per_s']:,.0f} | {m['main_cpu_s']:.0f} |"
              f" {m['main_peak_mb']:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
