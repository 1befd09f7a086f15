"""``synlog import``: a dataset synlog did not generate, as synlog rows (see docs/import.md).

The command stays thin: it checks the output folder, plans the import (columns, template),
reads the rows under a progress bar, prints the first rows it had to skip and writes the
folder atomically (:mod:`synlog.datasets_out.importer` does the work).
"""

from __future__ import annotations

import shlex
import sys

import click

from synlog.datasets_out.presets import MATH_KINDS, PRESETS

#: skipped rows printed one per line; the rest are counted (all are in import_report.json)
SHOWN_SKIPPED = 20

EPILOG_IMPORT = "\b\nExamples (one per preset; each is the documented layout of that public dataset):\n" + "\n".join(
    f"  {preset.example}" for preset in PRESETS.values()
) + """
  synlog import qa.csv --as math_answer --map prompt=q,answer=gold --kind number -o data/qa
  synlog import tasks.jsonl --as code_tests --map prompt=text,inputs=ins,outputs=outs -o data/code
  synlog import gsm8k/test.jsonl --preset gsm8k --template task -o data/gsm8k --split train=0.9,test=0.1

\b
Never fetched from a hub: download first, e.g.
  python -c "import datasets; datasets.load_dataset('openai/gsm8k', 'main').save_to_disk('raw/gsm8k')"
  synlog import raw/gsm8k --split-name test --preset gsm8k -o data/gsm8k
"""


@click.command("import", epilog=EPILOG_IMPORT)
@click.argument("source", type=click.Path())
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--preset", type=click.Choice(list(PRESETS)), help="A known dataset layout (sets --as and --map).")
@click.option("--as", "task", type=click.Choice(["math_answer", "code_tests"]), help="The task the rows become.")
@click.option("--map", "mappings", multiple=True, metavar="TARGET=COLUMN[,...]",
              help="Which source column feeds a target (repeatable; a dotted name reaches into nested values: "
                   "public_tests.input). math_answer: prompt, answer, kind, choices, difficulty, id. code_tests: "
                   "prompt, tests | inputs+outputs | test_code+entry_point, prelude, language, checker, "
                   "time_limit_s, memory_mb, solution, difficulty, id. Over a preset it replaces single columns.")
@click.option("--source", "source_name", help="The source's name in `source` and ids [default: the preset, "
              "else the file's stem].")
@click.option("--template", metavar="FILE|task", help="Render each prompt through a jinja2 template (context: "
              "the row's columns and `question`), or `task`: the task's own prompt, which states synlog's answer "
              "format [default: the source's prompt verbatim].")
@click.option("--kind", type=click.Choice(MATH_KINDS), help="math_answer: the kind of every gold answer "
              "(default: the preset's, else auto).")
@click.option("--language", help="code_tests: the solutions' language (default python; codecontests: also "
              "which reference solution becomes the gold).")
@click.option("--split-name", "split_name", help="The split of a DatasetDict folder to read [default: train, "
              "or its only split].")
@click.option("--strict", is_flag=True, help="Refuse the whole import at the first row that cannot be used.")
@click.option("--format", "fmt", type=click.Choice(["parquet", "hf", "jsonl"]), default="parquet",
              show_default=True, help="parquet shards, datasets.save_to_disk, or JSON lines.")
@click.option("--split", "split_text", help="Output splits, e.g. train=0.9,test=0.1 (disjoint by fingerprint).")
@click.option("--exclude", "exclude_paths", multiple=True, type=click.Path(), metavar="DATASET",
              help="Leave out rows whose problem or prompt is in this dataset (repeatable).")
@click.option("--overwrite", is_flag=True, help="Replace an existing output folder.")
@click.option("--limit", type=click.IntRange(min=1), help="Read only the first N source rows.")
def import_cmd(source, output, preset, task, mappings, source_name, template, kind, language, split_name, strict,
               fmt, split_text, exclude_paths, overwrite, limit):
    """Import rows synlog did not generate (math answers, code with tests) as synlog rows.

    Bad rows (an empty value, a gold that does not parse, tests the judge refuses, a duplicate)
    are reported with their line numbers and skipped, or refused with --strict; the card
    (README.md) counts them by reason and import_report.json lists them all.
    """
    from synlog.cli.main import CliError
    from synlog.errors import SynlogError

    try:
        _run(source, output, preset, task, mappings, source_name, template, kind, language, split_name, strict,
             fmt, split_text, exclude_paths, overwrite, limit)
    except SynlogError as exc:
        raise CliError(str(exc)) from None


def _run(source, output, preset, task, mappings, source_name, template, kind, language, split_name, strict,
         fmt, split_text, exclude_paths, overwrite, limit):
    from pathlib import Path

    from synlog.cli.progress import progress
    from synlog.datasets_out import importer
    from synlog.datasets_out.io import check_output_folder
    from synlog.errors import OutputError
    from synlog.synth.plan import parse_splits

    if not preset and not task:
        raise click.UsageError("say what the rows are: --preset NAME, or --as math_answer|code_tests with --map")
    check_output_folder(output)
    if Path(output).exists() and not overwrite:
        raise OutputError(f"output folder '{output}' exists; pass --overwrite to replace it")
    splits = parse_splits(split_text)
    plan = importer.plan_import(source, preset=preset, task=task, mapping=importer.parse_mapping(mappings),
                                source_name=source_name, kind=kind, language=language, template=template,
                                split=split_name)
    exclusion = None
    if exclude_paths:
        from synlog.synth.decontaminate import Exclusion

        exclusion = Exclusion.load(exclude_paths)
    total = plan.source.total if limit is None else min(limit, plan.source.total or limit)
    with progress(total=total or 0, unit="row", desc="import") as bar:
        result = importer.import_rows(plan, strict=strict, limit=limit, exclude=exclusion, progress=bar.update)
    for skipped in result.skipped[:SHOWN_SKIPPED]:
        click.echo(f"skipped {result.where(skipped)}: {skipped.message}", err=True)
    if len(result.skipped) > SHOWN_SKIPPED:
        click.echo(f"... and {len(result.skipped) - SHOWN_SKIPPED} more skipped rows (all in"
                   f" {importer.REPORT_FILE})", err=True)
    command = "synlog " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    tables = importer.write_import(result, output, fmt=fmt, splits=splits, overwrite=overwrite, command=command)
    sizes = ", ".join(f"{s}: {t.num_rows}" for s, t in tables.items())
    reasons = ", ".join(f"{reason} {n}" for reason, n in result.skipped_by_reason().items())
    click.echo(f"imported {len(result.rows)} of {result.read} rows ({sizes}) as {plan.task} to {output}"
               + (f"; skipped {len(result.skipped)}: {reasons}" if reasons else ""))
