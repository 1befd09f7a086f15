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
    \b
    Then (printed after the export, with the paths filled in):
      verl 0.9:       reward.custom_reward_function.path=pkg://synlog.trainer_bridge.verl
                      reward.custom_reward_function.name=compute_score_async
      OpenRLHF 0.11:  --data.input_key prompt --data.label_key label --data.apply_chat_template
                      --reward.remote_url http://HOST:5000/get_reward   (synlog serve)
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
    click.echo(next_steps(fmt, output, [p.stem for p in written]))


def next_steps(fmt: str, output: str, splits: list[str]) -> str:
    """How the trainer reads what was written (the keys and flags of verl 0.9 / OpenRLHF 0.11)."""
    train = "train" if "train" in splits else splits[0] if splits else "train"
    val = next((s for s in ("test", "validation", "val") if s in splits), None)
    if fmt == "verl":
        files = f"data.train_files={output}/{train}.parquet" + (f" data.val_files={output}/{val}.parquet" if val else "")
        return ("next (verl 0.9; verl <= 0.7: drop the 'reward.' prefix):\n"
                f"  python -m verl.trainer.main_ppo {files} \\\n"
                "    reward.custom_reward_function.path=pkg://synlog.trainer_bridge.verl \\\n"
                "    reward.custom_reward_function.name=compute_score_async   # see examples/verl_reward.yaml")
    return ("next (OpenRLHF 0.11): synlog serve --port 5000, then\n"
            "  python -m openrlhf.cli.train_ppo_ray ... \\\n"
            f"    --data.prompt_dataset {output}/{train}.jsonl --data.input_key prompt --data.label_key label \\\n"
            "    --data.apply_chat_template --reward.remote_url http://127.0.0.1:5000/get_reward")

