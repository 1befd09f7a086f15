"""Generation examples/s and verification verdicts/s per task: one process, then all cores.

    python benchmarks/bench.py [--seconds 2] [--levels 1,5,10] [--tasks sudoku,zebra]
                               [--workers 2] [--rg-python /path/to/venv/bin/python]

Sections (Markdown tables on stdout; record them in benchmarks/RESULTS.md with the machine):

1. one process: ``make_row`` examples/s and in-process ``task.verify`` verdicts/s on gold
   answers, per task and level;
2. all cores: the real generation engine (``synlog.synth.engine.run``, dedup and Parquet
   writing included) with ``--workers`` processes, and the bounded ``VerifierPool`` scoring
   whole completions (extraction included) with as many workers;
3. side by side: reasoning-gym's same-named generators at matched sizes, timed the same way
   in the same run. reasoning-gym pins its own dependency versions, so it runs in the Python
   given by ``--rg-python`` (a separate virtualenv: ``python -m venv rg && rg/bin/pip install
   reasoning-gym``), or in this one when it is importable here (``pip install -e .[bench]``).
   ``--tasks`` restricts this section too, to the pairs whose synlog task is listed. A pair
   marked ≈ matches sizes only approximately (the two tasks are not the same puzzle, or a
   size has no exact counterpart); its note says how. ``benchmarks/rg_pairs_check.py`` builds
   two examples of every pair on both sides in seconds: run it before a long measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import synlog
from synlog.errors import GenerationError, SynlogError
from synlog.synth.engine import run as run_engine
from synlog.synth.example import make_row
from synlog.synth.plan import single_task_plan
from synlog.tasks.base import get_task
from synlog.verifiers.pool import VerifierPool

#: (synlog task, knob overrides, reasoning-gym dataset, its config[, note]): equal sizes where
#: they exist; a note marks a pair as approximate (≈ in the table) and says how it differs
PAIRS = [
    ("sudoku", {"box": 3, "holes": 0.5}, "sudoku", {"min_empty": 40, "max_empty": 41}),
    ("sudoku", {"box": 3, "holes": 0.62}, "sudoku", {"min_empty": 50, "max_empty": 51}),
    ("sudoku", {"box": 2, "holes": 0.62}, "mini_sudoku", {"min_empty": 10, "max_empty": 10}),
    ("zebra", {"houses": 3, "attributes": 3}, "zebra_puzzles", {"num_people": 3, "num_characteristics": 3}),
    ("zebra", {"houses": 4, "attributes": 4}, "zebra_puzzles", {"num_people": 4, "num_characteristics": 4}),
    ("zebra", {"houses": 5, "attributes": 5}, "zebra_puzzles", {"num_people": 5, "num_characteristics": 5}),
    ("knights_knaves", {"people": 2, "depth": 2}, "knights_knaves", {"n_people": 2}),
    ("knights_knaves", {"people": 4, "depth": 2}, "knights_knaves", {"n_people": 4}),
    ("game_of_24", {}, "puzzle24", {}),
    ("cryptarithm", {"n_addends": (2, 3)}, "cryptarithm", {}),
    # reasoning-gym's shortest_path is a path on a grid with blocked cells: nodes = its mean
    # open cells, extra = its edges per open cell (≈ 1.05), unit weights, min_hops = its median
    *[("shortest_path", {"nodes": nodes, "extra": 0.1, "max_weight": 1, "directed": False, "trap": False,
                         "min_hops": hops, "infeasible": 0.05},
       "shortest_path", {"min_rows": lo, "max_rows": hi, "min_cols": lo, "max_cols": hi, "p_blocked": 0.4},
       "rg: a grid (open cells as nodes, ~35 % of targets unreachable); synlog: a graph, ≤ 8 % unreachable")
      for nodes, hops, lo, hi in [(15, 3, 5, 5), (25, 4, 5, 8), (38, 5, 8, 8)]],
    # requirements drawn among all earlier courses (window = courses - 1), as reasoning-gym does
    *[("course_schedule", {"courses": n, "prereqs": most, "window": n - 1, "cycle": cycle, "infeasible": bad},
       "course_schedule", {"min_num_courses": n, "max_num_courses": n, "min_num_prerequisites": 1,
                           "max_num_prerequisites": most, "min_cycle_length": cycle, "max_cycle_length": cycle,
                           "p_solvable": 1 - bad},
       "rg asks only whether an order exists; synlog asks for the order")
      for n, most, cycle, bad in [(8, 2, 3, 0.04), (12, 3, 4, 0.04), (20, 3, 6, 0.03)]],
    # reasoning-gym's land is islands × random-walk cells, chosen (measured on 300 grids) to
    # cover the share synlog's grids reach: 0.44, 0.50, 0.49 of the board
    *[("largest_island", {"rows": side, "cols": side, "largest": largest, "land": land},
       "largest_island", {"min_rows": side, "max_rows": side, "min_cols": side, "max_cols": side,
                          "min_num_islands": islands, "max_num_islands": islands,
                          "min_island_size": lo, "max_island_size": hi},
       "same board; land share matched on average only; rg's islands may merge")
      for side, largest, land, islands, lo, hi in [(6, (3, 14), 0.35, 3, 3, 9), (10, (5, 36), 0.42, 6, 6, 14),
                                                   (16, (8, 66), 0.45, 10, 9, 25)]],
    # edge probability = degree / (nodes - 1); both sides keep only colourable graphs
    *[("graph_coloring", {"nodes": n, "colours": k, "degree": degree, "infeasible": 0.0},
       "graph_color", {"num_colors": k, "min_num_vertices": n, "max_num_vertices": n,
                       "edge_probability": round(degree / (n - 1), 3)})
      for n, k, degree in [(10, 3, 3.0), (16, 4, 6.0), (20, 4, 6.4)]],
    # same board side (2·rooms + 1); reasoning-gym's distance window = synlog's 10th..90th percentile
    *[("maze", {"rooms": rooms, "loops": loops, "spread": spread},
       "maze", {"min_grid_size": 2 * rooms + 1, "max_grid_size": 2 * rooms + 1, "min_dist": lo, "max_dist": hi},
       "rg: random open cells, answer the length; synlog: a lattice maze, answer the walk")
      for rooms, loops, spread, lo, hi in [(4, 0.05, 0.5, 10, 22), (6, 0.1, 0.7, 20, 40), (9, 0.12, 0.75, 28, 46)]],
    *[("rush_hour", {"moves": moves}, "rush_hour", {"min_moves": moves, "max_moves": moves},
       "rg draws stored lots from an 18k-puzzle file (no search); synlog builds and solves lots")
      for moves in (4, 6, 8)],
    *[("tower_of_hanoi", {"pegs": pegs, "disks": disks, "min_moves": 1},
       "tower_of_hanoi", {"min_disks": disks, "max_disks": disks, "min_pegs": pegs, "max_pegs": pegs},
       "rg: the classic tower, one peg to another; synlog: random start and goal arrangements")
      for pegs, disks in [(3, 5), (3, 8), (4, 6)]],
    # reasoning-gym's difficulty d: capacities up to 3 + d, at least d steps
    *[("water_jugs", {"jugs": 3, "capacity": 3 + d, "min_steps": d, "infeasible": 0.0},
       "jugs", {"num_jugs": 3, "difficulty": d}) for d in (4, 6, 8)],
    # queens removed = n minus synlog's given queens (uniqueness-minimal set + extra) at those knobs
    *[("n_queens", {"n": n, "extra": extra}, "n_queens", {"n": n, "min_remove": lo, "max_remove": hi},
       "given queens matched on average; rg's completion need not be unique")
      for n, extra, lo, hi in [(8, 0, 5, 6), (8, 2, 2, 4), (10, 1, 5, 6), (12, 0, 7, 8)]],
    # reasoning-gym's boards are squares of a 4-column, 3-row board: synlog's 3×4 less its holes
    *[("knight_swap", {"rows": 3, "cols": 4, "holes": 12 - squares, "knights": knights, "min_moves": moves,
                       "infeasible": 0.05},
       "knight_swap", {"min_nodes": squares, "max_nodes": squares, "min_pieces": knights, "max_pieces": knights,
                       "min_steps": moves, "max_steps": 40, "impossible_ratio": 0.05})
      for squares, knights, moves in [(9, 1, 3), (10, 2, 6), (12, 3, 10)]],
    # a chain of n words is n - 1 steps; reasoning-gym refuses datasets above 20,000 items
    *[("word_ladder", {"length": length, "steps": steps, "side_words": side, "other_words": other},
       "word_ladder", {"min_word_length": length, "max_word_length": length, "min_chain_length": steps[0] + 1,
                       "max_chain_length": steps[1] + 1, "size": 20_000},
       "synlog lists the words a ladder may use; rg checks against its own dictionary")
      for length, steps, side, other in [(3, (3, 4), 6, 4), (4, (5, 6), 12, 8), (5, (7, 9), 30, 16)]],
    # reasoning-gym's width and height count the outer wall: synlog's inner side + 2
    *[("sokoban", {"size": side, "boxes": boxes, "pushes": pushes, "walls": walls},
       "sokoban", {"min_w": side + 2, "max_w": side + 2, "min_h": side + 2, "max_h": side + 2,
                   "min_boxes": boxes, "max_boxes": boxes},
       "same room and boxes; rg sets no fewest-push floor and carves its floor by a reverse walk")
      for side, boxes, pushes, walls in [(5, 1, 2, 0.1), (5, 2, 4, 0.12), (6, 3, 8, 0.15)]],
    # breadth II (0.3.0): same bases and value bound; synlog draws values from the top decade
    ("base_conversion", {"from_base": (2, 16), "to_base": (2, 16), "value_max": 1000},
     "base_conversion", {"min_base": 2, "max_base": 16, "min_value": 0, "max_value": 1000},
     "synlog draws values in [value_max/16, value_max]; rg in [0, value_max]"),
    ("prime_factorization", {"number_max": 1000}, "prime_factorization", {"min_value": 2, "max_value": 1000}),
    *[("bitwise_arithmetic", {"bits": 32, "ops": ops}, "bitwise_arithmetic", {"difficulty": d},
       "rg: d levels of nesting over hex literals; synlog: ops binary operators over fixed-width words")
      for ops, d in [(2, 1), (4, 2), (6, 3)]],
    *[("game_of_life", {"side": 10, "steps": steps, "density": 0.1, "topology": "torus", "symbols": "01"},
       "game_of_life", {"grid_size_x": 10, "grid_size_y": 10, "filled_cells_weights": 0.1, "simulation_steps": steps},
       "same torus and start density; synlog's grid has 8 to 10 rows, rg's 10")
      for steps in (1, 3)],
    ("spiral_matrix", {"rows": 6, "extra_cols": 0, "max_value": 9}, "spiral_matrix", {"min_n": 6, "max_n": 6}),
    ("rotate_matrix", {"rows": 6, "extra_cols": 0, "rotations": 1, "max_value": 9},
     "rotate_matrix", {"min_n": 6, "max_n": 6, "min_rotations": 1, "max_rotations": 3},
     "rg: one rotation by a multiple of 90°; synlog: one rotation by any angle, either way"),
    ("letter_counting", {"words": 10}, "letter_counting", {"min_words": 10, "max_words": 10},
     "rg counts a letter in a corpus sentence; synlog in generated words with a case rule"),
    ("anagram_groups", {"groups": 4, "most": 3}, "group_anagrams",
     {"min_anagram_groups": 4, "max_anagram_groups": 4, "min_words_per_group": 2, "max_words_per_group": 3},
     "synlog adds words with no anagram and one-letter decoys"),
    ("palindrome_partition", {"length": 8, "min_cuts_share": 0.0}, "palindrome_partitioning",
     {"min_string_len": 8, "max_string_len": 8}, "both list every partition; synlog caps their number"),
    ("string_rewriting", {"length": (10, 10), "rules": 5}, "string_manipulation",
     {"min_string_length": 10, "max_string_length": 10, "min_num_rules": 5, "max_num_rules": 5},
     "rg's rules are fixed string edits; synlog's are random rewrite rules with a proven fixpoint"),
    *[("brainfuck_output", {"blocks": blocks, "loops": loops}, "bf", {"difficulty": d},
       "rg prints a word with generated BF; synlog's programs compute values in loops")
      for blocks, loops, d in [(3, 0, 1), (5, 1, 2), (7, 2, 3)]],
    ("complex_arithmetic", {"ops": 1, "coef_max": 10, "power": 1, "divide": 0.1}, "complex_arithmetic", {},
     "one operation on parts in ±10 on both sides; rg divides only where the quotient is exact"),
    ("polynomial_multiplication", {"factors": 2, "degree": 3, "terms": 4, "coef_max": 9, "variables": 1},
     "polynomial_multiplication", {"min_polynomials": 2, "max_polynomials": 2, "max_degree": 3, "max_value": 9},
     "rg's terms draw a degree each; synlog's factors have up to 4 terms"),
    ("probability_dice", {"dice": 4, "sides": 12, "conditions": 2}, "dice", {"num_dice": 4, "max_dice_size": 12},
     "rg: dice of mixed sizes, P(sum ≥ t); synlog: equal dice, two conditions of many kinds"),
]
PAIR_LEVEL = 5  # the level whose other knobs complete a pair's overrides

# one line per pair: [name, config, examples/s or None, error or None]; building the dataset
# (word lists, solution tables) and its first example are not timed, as synlog's imports are not.
# A config may set its own size (word_ladder refuses more than 20,000); indices then wrap.
RG_SCRIPT = """
import json, os, sys, time
import reasoning_gym
results, sys.stdout = sys.stdout, open(os.devnull, "w")  # some generators print
seconds = float(sys.argv[1])
for name, config in json.loads(sys.argv[2]):
    try:
        kwargs = {"size": 1_000_000, "seed": 0, **config}
        data = reasoning_gym.create_dataset(name, **kwargs)
        data[0]
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            data[1 + count % (kwargs["size"] - 1)]
            count += 1
        print(json.dumps([name, config, count / (time.perf_counter() - start), None]), file=results, flush=True)
    except Exception as exc:
        print(json.dumps([name, config, None, f"{type(exc).__name__}: {exc}"[:120]]), file=results, flush=True)
"""


def rate(fn, seconds: float) -> float:
    """Calls of ``fn(i)`` per second over about ``seconds``."""
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn(count)
        count += 1
    return count / (time.perf_counter() - start)


def generation_rate(name: str, level: int, spec: dict, seconds: float) -> float:
    """``make_row`` examples/s for one task, level and knob spec."""
    return rate(lambda i: make_row(name, level, spec, 0, i), seconds)


def verification_rate(name: str, level: int, spec: dict, seconds: float) -> float:
    """In-process ``task.verify`` verdicts/s on 50 gold answers."""
    task = get_task(name)
    rows = [make_row(name, level, spec, 0, i) for i in range(50)]
    problems = [(json.loads(r["problem"]), r["answer"]) for r in rows]
    return rate(lambda i: task.verify(*problems[i % 50]), seconds)


def missing_tool(name: str) -> str | None:
    """What a task's verifier needs and this machine lacks (a Lean toolchain), or None."""
    try:
        get_task(name).check_requirements()
    except SynlogError as exc:
        return str(exc)
    return None


def one_process(names: list[str], levels: list[int], seconds: float) -> None:
    print("\n## One process\n\n| task | level | generate ex/s | verify verdicts/s |\n|---|---|---|---|")
    for name in names:
        try:
            get_task(name)
        except SynlogError as exc:  # a name this tree does not register
            print(f"| {name} | {','.join(map(str, levels))} | n/a ({exc}) | n/a |", flush=True)
            continue
        missing = missing_tool(name)
        for level in levels:
            spec = get_task(name).knobs.resolve(level)
            gen = generation_rate(name, level, spec, seconds)
            ver = f"{verification_rate(name, level, spec, seconds):,.0f}" if missing is None else f"n/a ({missing})"
            print(f"| {name} | {level} | {gen:,.0f} | {ver} |", flush=True)


def all_cores(names: list[str], level: int, workers: int, seconds: float) -> None:
    """The engine end to end, and the verifier pool, both with ``workers`` processes."""
    print(f"\n## All cores ({workers} workers, level {level})\n")
    print("| task | engine ex/s (1 worker) | engine ex/s | pool verdicts/s (1 worker) | pool verdicts/s |")
    print("|---|---|---|---|---|")
    for name in names:
        task = get_task(name)
        spec = task.knobs.resolve(level)
        single = generation_rate(name, level, spec, 0.5)
        n = max(200, int(single * seconds * workers))
        try:
            gen = [f"{_engine_rate(name, level, n, w):,.0f}" for w in (1, workers)]
        except GenerationError:  # a small instance space (game_of_24 has a few hundred at level 5)
            gen = [f"{_engine_rate(name, level, 200, w):,.0f} (n=200)" for w in (1, workers)]
        rows = [make_row(name, level, spec, 0, i) for i in range(200)]
        jobs = [(name, r["problem"], f"<think>…</think><answer>{r['answer']}</answer>") for r in rows]
        ver = ["n/a"] * 2 if missing_tool(name) else [f"{_pool_rate(jobs, w, seconds):,.0f}" for w in (1, workers)]
        print(f"| {name} | {gen[0]} | {gen[1]} | {ver[0]} | {ver[1]} |", flush=True)


def _engine_rate(name: str, level: int, n: int, workers: int) -> float:
    plan = single_task_plan(name, level, n, seed=0, overrides={}, splits={"train": 1.0})
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        run_engine(plan, Path(tmp) / "out", fmt="parquet", workers=workers)
        return n / (time.perf_counter() - start)


def _pool_rate(jobs: list[tuple[str, str, str]], workers: int, seconds: float) -> float:
    with VerifierPool(workers=workers) as pool:
        pool.score_many(jobs[:workers * 4])  # start-up is paid once per training run, not per batch
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            verdicts = pool.score_many(jobs)
            assert all(v.score == 1.0 for v in verdicts)
            done += len(jobs)
        return done / (time.perf_counter() - start)


def side_by_side(rg_python: str | None, seconds: float, names: list[str] | None = None) -> None:
    """reasoning-gym's examples/s next to synlog's on each pair (those of ``names`` if given)."""
    if rg_python is None:
        print("\nreasoning-gym not found: pass --rg-python (a virtualenv with reasoning-gym) for the"
              " side-by-side table")
        return
    pairs = [_pair(entry) for entry in PAIRS if names is None or entry[0] in names]
    if not pairs:
        print("\nno side-by-side pairs among the chosen tasks")
        return
    version = subprocess.run([rg_python, "-c", "import reasoning_gym; print(reasoning_gym.__version__)"],
                             capture_output=True, text=True, check=True).stdout.strip()
    configs = [[theirs, config] for _, _, theirs, config, _ in pairs]
    out = subprocess.run([rg_python, "-c", RG_SCRIPT, str(seconds), json.dumps(configs)],
                         capture_output=True, text=True, check=True).stdout
    theirs_results = [json.loads(line)[2:] for line in out.splitlines()]
    print(f"\n## Side by side with reasoning-gym {version} (same run, one process each)\n")
    print("≈: sizes matched only approximately (see the note).\n")
    print("| synlog task (knobs) | synlog ex/s | reasoning-gym task (config) | reasoning-gym ex/s | ratio | note |")
    print("|---|---|---|---|---|---|")
    for (ours, overrides, theirs, config, note), (their_rate, error) in zip(pairs, theirs_results, strict=True):
        our_rate, our_error = _pair_rate(ours, overrides, seconds)
        knobs = ", ".join(f"{k}={v}" for k, v in overrides.items())
        conf = ", ".join(f"{k}={v}" for k, v in config.items()) or "defaults"
        mine = f"{our_rate:,.1f}" if our_error is None else f"n/a ({our_error})"
        their = f"{their_rate:,.1f}" if error is None else f"n/a ({error})"
        ratio = _ratio(our_rate / their_rate) if our_error is None and error is None and their_rate else "n/a"
        mark = "≈ " if note else ""
        print(f"| {mark}{ours} ({knobs}) | {mine} | {theirs} ({conf}) | {their} | {ratio} | {note} |", flush=True)


def _pair(entry: tuple) -> tuple[str, dict, str, dict, str]:
    """A PAIRS entry with its note ("" for an exact match)."""
    ours, overrides, theirs, config, *note = entry
    return ours, overrides, theirs, config, note[0] if note else ""


def _pair_rate(name: str, overrides: dict, seconds: float) -> tuple[float, str | None]:
    """synlog's examples/s on a pair's knobs, or the reason there is none (a task not in this
    tree, knobs it rejects, an instance space the generator cannot fill)."""
    try:
        spec = get_task(name).knobs.resolve(PAIR_LEVEL, overrides, task=name)
        make_row(name, PAIR_LEVEL, spec, 1, 0)  # templates and lazy imports, untimed as on their side
        return generation_rate(name, PAIR_LEVEL, spec, seconds), None
    except SynlogError as exc:
        return 0.0, f"{type(exc).__name__}: {exc}"[:120]


def _ratio(value: float) -> str:
    return f"{value:,.0f}×" if value >= 10 else f"{value:.2g}×"


def find_rg_python(given: str | None) -> str | None:
    if given:
        return given
    try:
        import reasoning_gym  # noqa: F401
    except ImportError:
        return None
    return sys.executable


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    parser.add_argument("--levels", default="1,5,10", help="levels for the one-process table")
    parser.add_argument("--tasks", default="", help="comma-separated task names (default: all)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes for 'all cores'")
    parser.add_argument("--sections", default="one,all,rg", help="any of one,all,rg")
    parser.add_argument("--rg-python", default=None, help="a Python that can import reasoning_gym")
    args = parser.parse_args()
    names = args.tasks.split(",") if args.tasks else synlog.list_tasks()
    sections = set(args.sections.split(","))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()},"
          f" synlog {synlog.__version__}")
    if "one" in sections:
        one_process(names, [int(x) for x in args.levels.split(",")], args.seconds)
    if "all" in sections:
        all_cores(names, 5, args.workers, args.seconds)
    if "rg" in sections:
        side_by_side(find_rg_python(args.rg_python), args.seconds, args.tasks.split(",") if args.tasks else None)


if __name__ == "__main__":
    main()
