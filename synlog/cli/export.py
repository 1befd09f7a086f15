"""``synlog export``: a synlog dataset as the files a trainer reads (verl parquet, OpenRLHF JSONL)."""

from __future__ import annotations

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
    from synlog.cli.inputs import report_folder, writing_into
    from synlog.datasets_out.io import read_dataset

    report_folder(output)
    tables = read_dataset(dataset)
    if fmt == "verl":
        from synlog.trainer_bridge.verl import write_verl as writer
    else:
        from synlog.trainer_bridge.openrlhf import write_openrlhf as writer
    try:
        written = writer(tables, output, system_prompt)
    except OSError as exc:  # a full disk, a folder removed meanwhile
        raise writing_into(output, exc) from None
    rows = sum(t.num_rows for t in tables.values())
    click.echo(f"wrote {rows} rows to {', '.join(str(p) for p in written)}")

