"""``synlog export``: a synlog dataset as the files a trainer reads (verl parquet, OpenRLHF JSONL)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("dataset", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["verl", "openrlhf"]), required=True,
              help="verl: <split>.parquet rows for verl's RL dataset; openrlhf: <split>.jsonl with "
                   "'prompt' (chat messages) and 'label' (JSON for synlog serve).")
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--system-prompt", help="A system message put before each prompt.")
def export(dataset: str, fmt: str, output: str, system_prompt: str | None) -> None:
    """Write a dataset in a trainer's own format (the synlog columns stay derivable from it).

    \b
    Examples:
      synlog export data/arith --format verl -o data/arith-verl
      synlog export data/arith --format openrlhf -o data/arith-orlhf
    """
    from synlog.datasets_out.io import read_dataset

    tables = read_dataset(dataset)
    if Path(output).exists() and not Path(output).is_dir():
        raise click.UsageError(f"'{output}' exists and is not a folder; choose another -o")
    if fmt == "verl":
        from synlog.trainer_bridge.verl import write_verl

        written = write_verl(tables, output, system_prompt)
    else:
        from synlog.trainer_bridge.openrlhf import write_openrlhf

        written = write_openrlhf(tables, output, system_prompt)
    rows = sum(t.num_rows for t in tables.values())
    click.echo(f"wrote {rows} rows to {', '.join(str(p) for p in written)}")

