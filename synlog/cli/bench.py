"""``synlog bench``: frozen evaluation benchmarks (see synlog/synth/benchmark.py)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from synlog.cli.audit import _levels

EPILOG_BUILD = """\b
Examples:
  synlog bench build -o bench/                          # the default benchmark
  synlog bench build -o bench/math --family math --per-cell 20
  synlog bench build -o bench/logic --tasks sudoku,zebra --levels 1,5,10
  synlog bench build -o bench/b2 --offset 1             # a second benchmark, disjoint seeds
  synlog bench build -o bench/ --exclude data/train     # none of data/train's problems

\b
Seeds: a benchmark's rows come from seed 2**62 + OFFSET. Seeds from 2**62 up are reserved
for benchmarks: `synlog generate` refuses them unless given --eval-seeds, so training data
is never drawn from a benchmark's stream by accident. Nothing else is left out unless you
name it with --exclude. The folder is a synlog dataset (one `test` split) with a
manifest.json: synlog and task versions, seed, levels, and per cell (task, level) the row
count and a digest of its fingerprints, so results are reproducible and comparable.
"""


@click.group()
def bench() -> None:
    """Frozen evaluation benchmarks: build one, or see what one holds."""


@bench.command(epilog=EPILOG_BUILD)
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--tasks", "task_list", help="Comma-separated tasks [default: every task].")
@click.option("--family", help="Every task of this family (instead of --tasks).")
@click.option("--levels", default="1,3,5,7,10", show_default=True, help="Difficulty levels, comma-separated.")
@click.option("--per-cell", default=10, show_default=True, type=click.IntRange(min=1),
              help="Rows per (task, level) cell.")
@click.option("--offset", default=0, show_default=True, type=click.IntRange(min=0),
              help="Which benchmark of the evaluation seed range: seed = 2**62 + OFFSET.")
@click.option("--exclude", "exclude_paths", multiple=True, type=click.Path(), metavar="DATASET",
              help="Leave out every problem or prompt found in this dataset (repeatable).")
@click.option("--workers", "-w", type=click.IntRange(min=1), help="Worker processes [default: all cores].")
@click.option("--overwrite", is_flag=True, help="Replace an existing output folder.")
@click.option("--resume", is_flag=True, help="Continue an interrupted build with the same options.")
def build(output, task_list, family, levels, per_cell, offset, exclude_paths, workers, overwrite, resume):
    """Build a benchmark from the evaluation seed range, with a manifest."""
    from synlog.cli.main import CliError
    from synlog.cli.progress import progress
    from synlog.synth.benchmark import BenchmarkSpec
    from synlog.synth.benchmark import build as build_benchmark
    from synlog.tasks.base import FAMILIES, all_tasks, get_task

    if task_list and family:
        raise click.UsageError("pass --tasks or --family, not both")
    if family:
        if family not in FAMILIES:
            raise CliError(f"unknown family '{family}'; choose one of {', '.join(FAMILIES)}")
        names = tuple(sorted(n for n, cls in all_tasks().items() if cls.family == family))
    elif task_list:
        names = tuple(dict.fromkeys(get_task(n.strip()).name for n in task_list.split(",") if n.strip()))
    else:
        names = tuple(sorted(all_tasks()))
    spec = BenchmarkSpec(names, _levels(levels), per_cell, offset)
    exclusion = None
    if exclude_paths:
        from synlog.synth.decontaminate import Exclusion

        exclusion = Exclusion.load(exclude_paths)
    total = len(spec.cells) * per_cell
    command = "synlog " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    try:
        with progress(total=total, unit="row", desc="bench build") as bar:
            document = build_benchmark(spec, output, workers=workers, overwrite=overwrite, resume=resume,
                                       exclude=exclusion, progress=bar.update, command=command)
    except KeyboardInterrupt:
        partial = Path(output).with_name(Path(output).name + ".partial")
        click.echo(f"\ninterrupted: the shards written so far are kept in '{partial}'; rerun the same"
                   " command with --resume to continue", err=True)
        sys.exit(130)
    click.echo(f"wrote a benchmark of {document['rows']} rows ({len(names)} tasks × {len(spec.levels)} levels"
               f" × {per_cell}) to {output}; seed 2**62 + {offset}, fingerprints {document['fingerprints']}")


@bench.command()
@click.argument("folder", type=click.Path(file_okay=False))
def show(folder):
    """What a built benchmark holds: versions, seed, and rows per task and level."""
    from synlog.synth.benchmark import EVAL_SEED_BASE, read_manifest

    document = read_manifest(folder)
    click.echo(f"synlog {document['synlog_version']}, seed 2**62 + {document['seed'] - EVAL_SEED_BASE},"
               f" {document['rows']} rows, fingerprints {document['fingerprints']}")
    if document.get("excluded"):
        click.echo(f"excluded: {document['excluded']}")
    levels = document["levels"]
    counts = {(c["task"], c["level"]): c["rows"] for c in document["cells"]}
    width = max(len(t) for t in document["tasks"])
    click.echo(f"{'task':<{width}}  v  " + "  ".join(f"L{lv:<3}" for lv in levels))
    for task, version in document["tasks"].items():
        click.echo(f"{task:<{width}}  {version}  " + "  ".join(f"{counts.get((task, lv), 0):<4}" for lv in levels))
