"""How the generation engine scales: rows/s by worker count, the coordinator's CPU per row
against a worker's, and the main process's peak memory by run size.

    python benchmarks/scale.py speed  --task sudoku -d 4 -n 20000 --workers 1,2,4,8,16
    python benchmarks/scale.py memory --task arithmetic -d 6 -n 10000,100000,1000000 --workers 2
    python benchmarks/scale.py verify --task sudoku -d 4 --workers 1,2,4,8,16

Every measurement runs ``synlog.synth.engine.run`` in a fresh Python process (so its peak RSS
is its own) and reports: wall seconds, rows/s, the coordinator's CPU seconds (the main
process: dedup, keep files, state, the final streamed write), its peak RSS (``memory`` also
splits it: the peak while generating and while writing the output), and the speedup over
the first worker count. ``speed`` also times a worker's share alone (building ranges and
writing their shards, in one process) to give the CPU a row costs a worker; the ceiling of the
speedup is then about (worker CPU per row) / (coordinator CPU per row while generating).
``verify`` does the same for the verifier pool on a batch of 1,024 gold completions.
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
import threading
import time
from pathlib import Path


class _RssSampler(threading.Thread):
    """The process's resident set every 20 ms: its peak while generating (filling quotas) and
    while writing the output (``synlog.synth.assemble.write_run``), kept apart."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.phase = "fill"
        self.peaks = {"fill": 0, "write": 0}
        self.stopped = threading.Event()

    def run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        with open("/proc/self/statm") as statm:
            while not self.stopped.wait(0.02):
                statm.seek(0)
                rss = int(statm.read().split()[1]) * page
                self.peaks[self.phase] = max(self.peaks[self.phase], rss)


def one(task: str, level: int, n: int, workers: int) -> dict:
    """Run the engine once here; what it cost this process."""
    from synlog.synth import assemble
    from synlog.synth.engine import run
    from synlog.synth.plan import single_task_plan

    sampler = _RssSampler()
    write_run = assemble.write_run

    def timed_write(*args, **kwargs):
        sampler.phase = "write"
        return write_run(*args, **kwargs)

    assemble.write_run = timed_write
    plan = single_task_plan(task, level, n, 0, {}, {"train": 1.0})
    with tempfile.TemporaryDirectory(dir=os.environ.get("SCALE_TMP")) as tmp:
        sampler.start()
        before = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        run(plan, Path(tmp) / "out", workers=workers)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_SELF)
        sampler.stopped.set()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"task": task, "level": level, "n": n, "workers": workers, "wall_s": wall, "rows_per_s": n / wall,
            "main_cpu_s": cpu, "main_peak_mb": after.ru_maxrss / 1024,
            "fill_peak_mb": sampler.peaks["fill"] / 2**20, "write_peak_mb": sampler.peaks["write"] / 2**20}


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


def verification(task: str, level: int, workers: list[int], batch: int = 1024, seconds: float = 10.0) -> None:
    """The verifier pool scoring a GRPO-sized batch of gold completions, by worker count: the
    calling process's CPU per verdict (handing out jobs, collecting verdicts) against the CPU a
    verdict costs scored in one process with no pool (a worker's share)."""
    from synlog.synth.example import make_row
    from synlog.tasks.base import get_task
    from synlog.verifiers.pool import VerifierPool

    spec = get_task(task).knobs.resolve(level)
    rows = [make_row(task, level, spec, 0, i) for i in range(batch)]
    jobs = [(task, r["problem"], f"<think>…</think><answer>{r['answer']}</answer>") for r in rows]
    with VerifierPool(workers=0) as pool:
        pool.score_many(jobs[:16])
        start = time.process_time()
        pool.score_many(jobs)
        per_verdict = (time.process_time() - start) / len(jobs)
    print(f"{task} level {level}: a verdict costs {per_verdict * 1e6:,.0f} µs CPU in one process\n")
    print("| workers | batch | verdicts/s | speedup | caller CPU µs/verdict | ceiling (worker ÷ caller CPU) |")
    print("|---|---|---|---|---|---|")
    base = None
    for count in workers:
        with VerifierPool(workers=count) as pool:
            pool.score_many(jobs[:count * 4])  # start-up is paid once per training run
            done, cpu, start = 0, time.process_time(), time.perf_counter()
            while time.perf_counter() - start < seconds:
                verdicts = pool.score_many(jobs)
                assert all(v.score == 1.0 for v in verdicts)
                done += len(jobs)
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        rate = done / wall
        base = base or rate
        caller = cpu / done
        print(f"| {count} | {batch:,} | {rate:,.0f} | {rate / base:.2f}× | {caller * 1e6:,.1f} |"
              f" {per_verdict / caller:,.0f}× |", flush=True)


def measure(task: str, level: int, n: int, workers: int) -> dict:
    done = subprocess.run([sys.executable, __file__, "one", task, str(level), str(n), str(workers)],
                          capture_output=True, text=True)
    if done.returncode:  # the run's own last line: "error: ..." for a bad task or level
        sys.exit(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"the run exited {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "one":
        task, level, n, workers = sys.argv[2], *map(int, sys.argv[3:6])
        print(json.dumps(one(task, level, n, workers)))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["speed", "memory", "verify"])
    parser.add_argument("--task", default="sudoku")
    parser.add_argument("-d", "--difficulty", type=int, default=4)
    parser.add_argument("-n", default="20000", help="rows (comma-separated for memory)")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    args = parser.parse_args()
    sizes = [int(x) for x in args.n.split(",")]
    counts = [int(x) for x in args.workers.split(",")]
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}\n")
    if args.what == "verify":
        verification(args.task, args.difficulty, counts)
        return
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
    print("| rows | workers | wall s | rows/s | coordinator CPU s | peak MB | generating | writing |")
    print("|---|---|---|---|---|---|---|---|")
    for n in sizes:
        m = measure(args.task, args.difficulty, n, counts[0])
        print(f"| {n:,} | {counts[0]} | {m['wall_s']:.0f} | {m['rows_per_s']:,.0f} | {m['main_cpu_s']:.0f} |"
              f" {m['main_peak_mb']:,.0f} | {m['fill_peak_mb']:,.0f} | {m['write_peak_mb']:,.0f} |", flush=True)


if __name__ == "__main__":
    from synlog.errors import SynlogError

    try:
        main()
    except SynlogError as exc:  # a task or level synlog does not have: one line, not a traceback
        sys.exit(f"error: {exc}")
