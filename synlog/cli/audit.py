"""``synlog audit``: the data-quality contracts of tasks, measured (see synlog/synth/audit.py)."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import sys
from pathlib import Path

import click

EPILOG = """\b
Examples:
  synlog audit sudoku                       # levels 1,3,5,7,10, 50 rows per level and seed
  synlog audit --family math -n 200 --json audit.json
  synlog audit web_of_lies zebra --levels 1,2,3

\b
Per level it prints: rows generated, distinct prompts, the commonest gold's share, the best
degenerate policy's reward (constants, echoes of the prompt, the other seed's commonest gold,
all-same grids, the prompt's example answer, task-specific shortcuts) against its bound,
prompts shared with the other seed and the previous level, mean effort and hardness, and the
instance-space size (declared by the task, or ≥/≈ estimated from the sample). It exits 1 when
a contract fails and lists each failure.
"""


def _levels(text: str) -> tuple[int, ...]:
    try:
        levels = tuple(sorted({int(part) for part in text.split(",") if part.strip()}))
    except ValueError:
        raise click.BadParameter(f"write levels as comma-separated integers 1..10, e.g. 1,3,5; got {text!r}") from None
    if not levels or any(not 1 <= lv <= 10 for lv in levels):
        raise click.BadParameter(f"levels run from 1 to 10; got {text!r}")
    return levels


def _audit_one(job: tuple[str, tuple[int, ...], int, tuple[int, int]]) -> dict:
    from synlog.synth.audit import audit_task

    name, levels, n, seeds = job
    return audit_task(name, levels, n, seeds).to_json()


@click.command(epilog=EPILOG)
@click.argument("names", nargs=-1, metavar="[TASK]...")
@click.option("--family", help="Audit every task of this family.")
@click.option("--levels", default="1,3,5,7,10", show_default=True, help="Difficulty levels to audit.")
@click.option("-n", "n", default=50, show_default=True, type=click.IntRange(min=5), help="Rows per level and seed.")
@click.option("--seeds", default="0,1", show_default=True, help="The two seeds compared for overlap.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write the full report as JSON here.")
@click.option("--workers", "-w", type=click.IntRange(min=1), help="Processes, one task each [default: all cores].")
def audit(names, family, levels, n, seeds, json_path, workers):
    """Measure tasks' data-quality contracts: no free reward, no overlap, difficulty that grows."""
    from synlog.cli.main import CliError
    from synlog.cli.progress import progress
    from synlog.synth.audit import space_text
    from synlog.tasks.base import all_tasks, get_task

    level_list = _levels(levels)
    try:
        seed_pair = tuple(int(s) for s in seeds.split(","))
    except ValueError:
        seed_pair = ()
    if len(seed_pair) != 2 or seed_pair[0] == seed_pair[1] or min(seed_pair) < 0:
        raise click.BadParameter(f"--seeds takes two different non-negative seeds, e.g. 0,1; got {seeds!r}")
    if names and family:
        raise click.UsageError("pass task names or --family, not both")
    if family:
        names = [name for name, cls in all_tasks().items() if cls.family == family]
        if not names:
            raise CliError(f"no tasks in family '{family}' (`synlog tasks` lists the families)")
    names = [get_task(name).name for name in names] if names else list(all_tasks())
    jobs = [(name, level_list, n, seed_pair) for name in names]
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    reports: list[dict] = []
    with progress(total=len(jobs), unit="task", desc="audit") as bar:
        if workers > 1:
            with mp.get_context("forkserver").Pool(workers) as pool:
                for report in pool.imap(_audit_one, jobs):
                    reports.append(report)
                    bar.update(1)
        else:
            for job in jobs:
                reports.append(_audit_one(job))
                bar.update(1)
    failed = 0
    header = (f"{'task':<22} {'L':>2} {'rows':>5} {'distinct':>8} {'top':>5} {'degenerate':>10} {'bound':>5}"
              f" {'seed∩':>5} {'level∩':>6} {'effort':>9} {'hardness':>9} {'space':>9}")
    click.echo(header)
    for report in reports:
        for lv in report["levels"]:
            if lv["refused"]:
                click.echo(f"{report['task']:<22} {lv['level']:>2}  refused up front: {lv['refused']}")
                continue
            worst = max((max(p["score"], p["partial"]) for p in lv["worst"]), default=0.0)
            degenerate = "skipped" if lv["battery_skipped"] else f"{worst:.0%}"
            space = (space_text(lv["space"]) if lv["space"] is not None
                     else space_text(lv["space_estimate"], exact=False).replace("≥", "≈" if lv["space_estimate_exact"] else "≥"))
            level_overlap = "-" if lv["level_overlap"] is None else str(lv["level_overlap"])
            click.echo(
                f"{report['task']:<22} {lv['level']:>2} {lv['rows']:>5} {lv['distinct_prompts']:>8}"
                f" {lv['top_answer_share']:>5.0%} {degenerate:>10} {lv['bound']:>5.0%} {lv['seed_overlap']:>5}"
                f" {level_overlap:>6} {lv['effort']:>9.3g} {lv['hardness']:>9.3g} {space:>9}"
            )
        for failure in report["failures"]:
            failed += 1
            click.echo(f"  FAIL {report['task']} {failure}")
    if json_path:
        from synlog.datasets_out.io import write_text_atomic

        write_text_atomic(Path(json_path), json.dumps({"n": n, "levels": list(level_list), "seeds": list(seed_pair),
                                                       "tasks": reports}, indent=1))
    tasks_failed = sum(1 for r in reports if r["failures"])
    click.echo(f"{len(reports)} tasks audited at levels {','.join(map(str, level_list))} on {n} rows per level"
               f" and seed: {tasks_failed} with failed contracts ({failed} failures)")
    if failed:
        sys.exit(1)
