"""``synlog serve``: the OpenRLHF remote reward server."""

from __future__ import annotations

import click

from synlog.errors import SynlogError


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (0.0.0.0: all).")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="TCP port.")
@click.option("--reward", "reward_path", type=click.Path(dir_okay=False, exists=True),
              help="Reward spec (YAML/JSON; see docs/trainer-bridge.md). Default: accuracy only.")
@click.option("--dataset", type=click.Path(exists=True), help="A synlog dataset, so labels may be row ids.")
@click.option("--workers", "-w", type=click.IntRange(min=1), help="Verifier processes [default: up to 4].")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.01), help="Seconds per verify call.")
@click.option("--max-concurrency", default=4, show_default=True, type=click.IntRange(min=1),
              help="Requests scored at the same time.")
@click.option("--max-waiting", default=64, show_default=True, type=click.IntRange(min=0),
              help="Requests queued beyond that; more get 503.")
def serve(host, port, reward_path, dataset, workers, timeout, max_concurrency, max_waiting) -> None:
    """Serve rewards over HTTP (OpenRLHF --remote_rm_url http://HOST:PORT/get_reward).

    POST /get_reward {"query": [...], "prompts": [...], "labels": [...]} returns
    {"rewards", "scores", "extra_logs"}; GET /health reports the load.
    """
    import importlib.util

    if importlib.util.find_spec("aiohttp") is None:
        raise SynlogError("synlog serve needs aiohttp: pip install 'synlog[serve]'")  # exit code 2
    from synlog.cli.inputs import check_listen, load_reward_spec, serve_errors
    from synlog.trainer_bridge.scorer import Scorer
    from synlog.trainer_bridge.server import serve as run_server
    from synlog.trainer_bridge.spec import RewardSpec

    spec = load_reward_spec(reward_path) if reward_path else RewardSpec()
    rows_by_id = None
    if dataset:
        from synlog.datasets_out.io import read_dataset

        rows_by_id = {r["id"]: r for t in read_dataset(dataset).values()
                      for r in t.select(["id", "task", "problem", "difficulty"]).to_pylist()}
    check_listen(host, port)  # after the files, so every mistake is reported before a bind
    with Scorer(workers, timeout=timeout) as scorer:
        click.echo(f"synlog serve: http://{host}:{port}/get_reward (health: /health), "
                   f"terms {', '.join(spec.terms())}", err=True)
        try:
            run_server(host, port, scorer, spec, max_concurrency, max_waiting, rows_by_id,
                       print_fn=lambda *a: None)
        except OSError as exc:  # the port was taken between the check and the bind
            error = serve_errors(host, port, exc)
            if error is None:
                raise
            raise error from None
