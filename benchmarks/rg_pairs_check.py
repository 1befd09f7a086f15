"""Check every side-by-side pair of ``bench.py`` in seconds, before the long measurement run.

    python benchmarks/rg_pairs_check.py --rg-python /tmp/rg/bin/python [--tasks maze,sokoban]

For each pair, synlog resolves the knobs and builds two examples, and reasoning-gym (in its own
Python, as ``bench.py`` runs it) builds its dataset and two items. One line per pair says ok or
what failed, with the time one example took on each side; the exit status is 1 when any failed.
Nothing here is a measurement: the machine may be busy.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import PAIR_LEVEL, PAIRS, _pair  # noqa: E402

from synlog.errors import SynlogError  # noqa: E402
from synlog.synth.example import make_row  # noqa: E402
from synlog.tasks.base import get_task  # noqa: E402

# one line per pair: [ms per item or None, error or None]
RG_CHECK = """
import json, os, sys, time
import reasoning_gym
results, sys.stdout = sys.stdout, open(os.devnull, "w")  # some generators print
for name, config in json.loads(sys.argv[1]):
    try:
        data = reasoning_gym.create_dataset(name, **{"size": 1_000_000, "seed": 0, **config})
        start = time.perf_counter()
        data[0], data[1]
        print(json.dumps([(time.perf_counter() - start) * 500, None]), file=results, flush=True)
    except Exception as exc:
        print(json.dumps([None, f"{type(exc).__name__}: {exc}"[:160]]), file=results, flush=True)
"""


def synlog_side(name: str, overrides: dict) -> tuple[float | None, str | None]:
    """Milliseconds per example over two, or the error."""
    try:
        spec = get_task(name).knobs.resolve(PAIR_LEVEL, overrides, task=name)
        start = time.perf_counter()
        for index in range(2):
            make_row(name, PAIR_LEVEL, spec, 0, index)
        return (time.perf_counter() - start) * 500, None
    except SynlogError as exc:
        return None, f"{type(exc).__name__}: {exc}"[:160]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rg-python", required=True, help="a Python that can import reasoning_gym")
    parser.add_argument("--tasks", default="", help="comma-separated synlog task names (default: all pairs)")
    args = parser.parse_args()
    names = set(args.tasks.split(",")) if args.tasks else None
    pairs = [_pair(entry) for entry in PAIRS if names is None or entry[0] in names]
    configs = [[theirs, config] for _, _, theirs, config, _ in pairs]
    out = subprocess.run([args.rg_python, "-c", RG_CHECK, json.dumps(configs)],
                         capture_output=True, text=True, check=True).stdout
    failed = 0
    for (ours, overrides, theirs, config, note), line in zip(pairs, out.splitlines(), strict=True):
        our_ms, our_error = synlog_side(ours, overrides)
        their_ms, their_error = json.loads(line)
        ok = our_error is None and their_error is None
        failed += not ok
        mine = f"{our_ms:.1f} ms" if our_error is None else our_error
        their = f"{their_ms:.1f} ms" if their_error is None else their_error
        mark = "≈" if note else " "
        print(f"{'ok  ' if ok else 'FAIL'} {mark} {ours} {overrides}: {mine} | {theirs} {config}: {their}", flush=True)
    print(f"{len(pairs) - failed} of {len(pairs)} pairs ok")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
