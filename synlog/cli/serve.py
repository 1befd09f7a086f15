"""``synlog serve``: the OpenRLHF remote reward server."""

from __future__ import annotations

import click

from synlog.cli.ray_options import check_ray_address, ray_address_option
from synlog.errors import SynlogError


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (0.0.0.0: all).")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="TCP port.")
@click.option("--reward", "reward_path", type=click.Path(dir_okay=False, exists=True),
              help="Reward spec (YAML/JSON; see docs/trainer-bridge.md). Default: accuracy only.")
@click.option("--dataset", type=click.Path(exists=True),
              help="A synlog dataset, so labels may be row ids; its sources name the per-source extra_logs keys.")
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="A source whose accuracy extra_logs carries as synlog_n/NAME and synlog_correct/NAME "
                   "(repeatable; default: the --dataset's sources). Accuracy = the ratio of their means.")
@click.option("--workers", "-w", type=click.IntRange(min=1),
              help="Verifier processes [default: up to 4; with --engine ray: actors, default one per CPU of the cluster].")
@click.option("--engine", "engine_name", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="ray: score on Ray actors shared by every `synlog serve` of the cluster (named "
                   "synlog-scorer-N), so rewards scale past one host (pip install 'synlog[ray]').")
@ray_address_option
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.01), help="Seconds per verify call.")
@click.option("--max-concurrency", default=4, show_default=True, type=click.IntRange(min=1),
              help="Requests scored at the same time.")
@click.option("--max-waiting", default=64, show_default=True, type=click.IntRange(min=0),
              help="Requests queued beyond that; more get 503.")
@click.option("--tokenizer", "tokenizer_dir", type=click.Path(file_okay=False),
              help="The policy's local tokenizer (or model) folder: its EOS and pad texts are cut off the "
                   "end of each response before scoring (instead of the built-in list).")
@click.option("--strip-suffix", "strip_suffixes", multiple=True, metavar="TEXT",
              help="A stop text cut off the end of a response before scoring (repeatable; replaces the "
                   "built-in list: <|im_end|>, <|endoftext|>, </s>, <|eot_id|>, ...).")
@click.option("--no-strip", is_flag=True, help="Score responses exactly as sent, stop texts included.")
@click.option("--import", "imports", multiple=True, metavar="MODULE",
              help="A module whose tasks the verifier workers register (tasks defined outside synlog; repeatable).")
def serve(host, port, reward_path, dataset, sources, workers, engine_name, address, timeout, max_concurrency, max_waiting, tokenizer_dir,
          strip_suffixes, no_strip, imports) -> None:
    """Serve rewards over HTTP (OpenRLHF --reward.remote_url http://HOST:PORT/get_reward).

    POST /get_reward {"query": [...], "prompts": [...], "labels": [...]} returns
    {"rewards", "scores", "extra_logs"}; GET /health reports the load and the running
    accuracy per source. OpenRLHF decodes
    responses with their special tokens, so the one stop text (EOS/pad) a response ends in is
    cut off before scoring; text after the answer is kept and fails the format term.
    """
    import importlib.util

    if importlib.util.find_spec("aiohttp") is None:
        raise SynlogError("synlog serve needs aiohttp: pip install 'synlog[serve]'")  # exit code 2
    from synlog.cli.inputs import check_listen, load_reward_spec, serve_errors
    from synlog.trainer_bridge.openrlhf import STOP_TEXTS, tokenizer_stop_texts
    from synlog.trainer_bridge.scorer import Scorer
    from synlog.trainer_bridge.server import serve as run_server
    from synlog.trainer_bridge.spec import RewardSpec

    for module in imports:
        try:
            found = importlib.util.find_spec(module)
        except (ImportError, ValueError):
            found = None
        if found is None:
            raise SynlogError(f"--import {module}: no such module on this Python path; give the module that "
                              "registers your tasks (e.g. mypkg.tasks)")
    stop_texts = stop_texts_option(tokenizer_dir, strip_suffixes, no_strip, STOP_TEXTS, tokenizer_stop_texts)
    spec = load_reward_spec(reward_path) if reward_path else RewardSpec()
    rows_by_id = None
    if dataset:
        from synlog.datasets_out.io import read_dataset

        rows_by_id = {r["id"]: r for t in read_dataset(dataset).values()
                      for r in t.select([c for c in ("id", "task", "problem", "difficulty", "source")
                                         if c in t.column_names]).to_pylist()}
    check_listen(host, port)  # after the files, so every mistake is reported before a bind
    check_ray_address(address, engine_name)
    pool = None
    if engine_name == "ray":
        from synlog.verifiers.ray_pool import SHARED_NAME, RayVerifierPool

        pool = RayVerifierPool(workers, address=address, name=SHARED_NAME,
                               timeout=timeout, imports=imports)
    with Scorer(workers, timeout=timeout, imports=imports, pool=pool) as scorer:
        click.echo(f"synlog serve: http://{host}:{port}/get_reward (health: /health), "
                   f"terms {', '.join(spec.terms())}, stripping {', '.join(stop_texts) or 'nothing'}", err=True)
        try:
            run_server(host, port, scorer, spec, max_concurrency, max_waiting, rows_by_id,
                       print_fn=lambda *a: None, stop_texts=stop_texts, sources=list(sources) or None)
        except OSError as exc:  # the port was taken between the check and the bind
            error = serve_errors(host, port, exc)
            if error is None:
                raise
            raise error from None


def stop_texts_option(tokenizer_dir, strip_suffixes, no_strip, defaults, from_tokenizer) -> tuple[str, ...]:
    """The stop texts of the options: the tokenizer's and the given ones, else the built-in list."""
    if no_strip:
        if tokenizer_dir or strip_suffixes:
            raise click.UsageError("--no-strip keeps every stop text: drop it, or drop --tokenizer/--strip-suffix")
        return ()
    if any(not s for s in strip_suffixes):
        raise click.UsageError("--strip-suffix needs a text (use --no-strip to strip nothing)")
    chosen = (tuple(from_tokenizer(tokenizer_dir)) if tokenizer_dir else ()) + tuple(strip_suffixes)
    return tuple(dict.fromkeys(chosen)) or tuple(defaults)
