"""Generation examples/s and verification verdicts/s per task, one process.

    python benchmarks/bench.py [--seconds 2] [--levels 1,5,10]

When reasoning-gym is importable, its same-named generators are timed in the same run.
Results go to stdout as a Markdown table; record them in benchmarks/RESULTS.md with the machine.
"""

from __future__ import annotations

import argparse
import json
import platform
import time

import synlog
from synlog.synth.example import make_row
from synlog.tasks.base import get_task

RG_NAMES = {"sudoku": "sudoku", "zebra": "zebra_puzzles", "knights_knaves": "knights_knaves",
            "game_of_24": "puzzle24", "cryptarithm": "cryptarithm"}


def rate(fn, seconds: float) -> float:
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn(count)
        count += 1
    return count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--levels", default="1,5,10")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    print(f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}")
    print("| task | level | generate ex/s | verify verdicts/s |")
    print("|---|---|---|---|")
    for name in synlog.list_tasks():
        task = get_task(name)
        for level in levels:
            spec = task.knobs.resolve(level)
            gen = rate(lambda i: make_row(name, level, spec, 0, i), args.seconds)
            rows = [make_row(name, level, spec, 0, i) for i in range(50)]
            problems = [(json.loads(r["problem"]), r["answer"]) for r in rows]
            ver = rate(lambda i: task.verify(*problems[i % 50]), args.seconds)
            print(f"| {name} | {level} | {gen:,.0f} | {ver:,.0f} |")
    try:
        import reasoning_gym
    except ImportError:
        print("\nreasoning-gym not installed: `pip install -e .[bench]` for the side-by-side run")
        return
    print("\n| reasoning-gym task | generate ex/s |\n|---|---|")
    for ours, theirs in RG_NAMES.items():
        data = reasoning_gym.create_dataset(theirs, size=10_000, seed=0)
        print(f"| {theirs} (vs {ours}) | {rate(lambda i: data[i], args.seconds):,.0f} |")


if __name__ == "__main__":
    main()
