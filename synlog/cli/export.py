"""``synlog export``: a synlog dataset as the files a trainer reads (verl parquet, OpenRLHF JSONL)."""

from __future__ import annotations

import json
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
        written = _write_openrlhf(tables, Path(output), system_prompt)
    rows = sum(t.num_rows for t in tables.values())
    click.echo(f"wrote {rows} rows to {', '.join(str(p) for p in written)}")


def _write_openrlhf(tables, folder: Path, system_prompt: str | None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for split, table in tables.items():
        target = folder / f"{split}.jsonl"
        with open(target, "w", encoding="utf-8") as out:
            for row in table.to_pylist():
                messages = [{"role": "user", "content": row["prompt"]}]
                if system_prompt:
                    messages.insert(0, {"role": "system", "content": system_prompt})
                label = {"task": row["task"], "problem": row["problem"], "difficulty": row["difficulty"]}
                out.write(json.dumps({"id": row["id"], "prompt": messages, "label": json.dumps(label)},
                                     ensure_ascii=False) + "\n")
        written.append(target)
    return written
