"""``synlog train``: GRPO with TRL on synlog data and rewards, from one config file."""

from __future__ import annotations

import click


@click.command()
@click.argument("config_path", metavar="CONFIG", type=click.Path(dir_okay=False, exists=True))
@click.option("--max-steps", type=click.IntRange(min=1), help="Override grpo.max_steps.")
@click.option("--output-dir", help="Override output_dir.")
@click.option("--dry-run", is_flag=True, help="Check everything the run would refuse (model paths, data, GRPO "
              "fields) and print the resolved run; do not load the model or train.")
def train(config_path: str, max_steps: int | None, output_dir: str | None, dry_run: bool) -> None:
    """Train a model with TRL's GRPOTrainer and synlog rewards (see docs/trainer-bridge.md).

    \b
    Example config (YAML):
      model: ./my-model
      data: {task: arithmetic, difficulty: 1, n: 512}
      reward: {accuracy: {weight: 1.0}, format: {weight: 0.2}}
      grpo: {num_generations: 8, max_completion_length: 256, max_steps: 100,
             use_vllm: true, vllm_mode: colocate}
    """
    import json

    from synlog.cli.inputs import load_train_config
    from synlog.trainer_bridge.train import require_train_extra, run

    config = load_train_config(config_path)
    if max_steps:
        config.grpo["max_steps"] = max_steps
    if output_dir:
        config.output_dir = output_dir
        config.grpo.pop("output_dir", None)
    if dry_run:  # every refusal of the real run, without loading the model
        from synlog.trainer_bridge.train import preflight

        click.echo(json.dumps(preflight(config), indent=1, default=str))
        click.echo("dry run: the config is complete; drop --dry-run to train", err=True)
        return
    require_train_extra()
    trainer = run(config)
    last = [h for h in trainer.state.log_history if "reward" in h]
    summary = f", last reward {last[-1]['reward']:.3f}" if last else ""
    click.echo(f"trained {trainer.state.global_step} steps{summary}; logs in {trainer.args.output_dir}")
