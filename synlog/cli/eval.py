"""``synlog eval``: run a model on a dataset or benchmark, cache its completions, score them."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click

EPILOG = """\b
Examples:
  synlog bench build -o bench/
  synlog eval bench/ --base-url http://127.0.0.1:8000/v1 --model Qwen/Qwen3-0.6B -o runs/qwen
  synlog eval bench/ --base-url https://api.example.com/v1 --model m --api-key-env MY_KEY \\
      -k 4 --temperature 0.7 --top-p 0.95 --max-tokens 2048 --concurrency 16 -o runs/m
  synlog eval bench/ --backend transformers --model models/SmolLM2 --batch-size 16 -o runs/s

\b
Completions are cached in RUN/completions.jsonl the moment each arrives, keyed by row id,
sample index and the sampling settings: an interrupted eval (Ctrl-C, a crash, kill -9)
resumes when the same command is run again, asking only for what is missing; other settings
start their own entries. Scoring uses the verifiers `synlog verify` uses; RUN/ then holds
verdicts.parquet, summary.json (accuracy per task and level, reasons, pass@k), summary.md
and index.html (tables and pictures; open it in a browser). `synlog eval compare RUN RUN…
-o DIR` puts several runs side by side.
The API key is read from the variable named by --api-key-env and never printed.
"""


class EvalGroup(click.Group):
    """``synlog eval DATASET …`` runs a model (the ``run`` subcommand); ``synlog eval compare``
    compares runs. Anything that is not a subcommand's name is the start of a ``run``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands:
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group("eval", cls=EvalGroup)
def eval_cmd() -> None:
    """Run a model on a dataset or benchmark and score it (`synlog eval DATASET --help`), or
    compare runs (`synlog eval compare RUN RUN…`)."""


@eval_cmd.command("run", epilog=EPILOG)
@click.argument("dataset", type=click.Path(exists=True, file_okay=False))
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False), help="Run folder (cache and report).")
@click.option("--backend", type=click.Choice(["openai", "transformers", "vllm"]), default="openai", show_default=True,
              help="openai: any OpenAI-compatible /chat/completions endpoint; transformers: a local model "
                   "folder run in this process (CPU or GPU); vllm: vLLM's offline engine on a GPU.")
@click.option("--base-url", help="openai: the endpoint's base URL, e.g. http://127.0.0.1:8000/v1.")
@click.option("--model", "model", required=True,
              help="openai: the model name the server knows; transformers: a local model folder.")
@click.option("--gguf-file", help="transformers: a .gguf file inside the --model folder.")
@click.option("--device", default="auto", show_default=True, help="transformers: cpu, cuda, cuda:1 … (auto: a GPU if any).")
@click.option("--batch-size", default=8, show_default=True, type=click.IntRange(1, 4096),
              help="transformers / vllm: prompts per generate call.")
@click.option("--api-key-env", default="OPENAI_API_KEY", show_default=True,
              help="Environment variable holding the API key (unset: no key is sent).")
@click.option("-k", "k", default=1, show_default=True, type=click.IntRange(1, 256), help="Samples per row.")
@click.option("--temperature", default=0.0, show_default=True, type=click.FloatRange(0, 10))
@click.option("--top-p", default=1.0, show_default=True, type=click.FloatRange(0, 1, min_open=True))
@click.option("--max-tokens", default=1024, show_default=True, type=click.IntRange(min=1))
@click.option("--system-prompt", help="A system message before every prompt.")
@click.option("--concurrency", default=8, show_default=True, type=click.IntRange(1, 1024),
              help="Requests in flight at once.")
@click.option("--retries", default=4, show_default=True, type=click.IntRange(0, 100),
              help="Retries of a request that failed (connection, timeout, 429, 5xx), with backoff.")
@click.option("--request-timeout", default=120.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds one request may take.")
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N rows (a quick look).")
@click.option("--workers", "-w", type=click.IntRange(min=0), help="Verifier processes [default: all cores].")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.01), help="Seconds per verify call.")
@click.option("--fallback", is_flag=True, help="Use each task's fallback extractor when no <answer> is found.")
def run(dataset, output, backend, base_url, model, gguf_file, device, batch_size, api_key_env, k, temperature, top_p, max_tokens,
             system_prompt, concurrency, retries, request_timeout, limit, workers, timeout, fallback):
    """Run a model on a dataset (a `synlog bench build` benchmark, or any synlog dataset) and score it."""
    from synlog.cli.inputs import writing_into
    from synlog.cli.main import _print_summary, score_completions
    from synlog.cli.progress import progress
    from synlog.datasets_out.io import read_dataset
    from synlog.trainer_bridge.model_runner import (
        CompletionCache,
        OpenAIBackend,
        Sampling,
        TransformersBackend,
        VLLMBackend,
        complete,
    )
    from synlog.verifiers.report import Completion, summarise, write_report

    rows: dict[str, dict] = {}
    for table in read_dataset(dataset).values():
        columns = [c for c in ("id", "task", "difficulty", "problem", "source", "answer", "prompt", "messages")
                   if c in table.column_names]
        for row in table.select(columns).to_pylist():
            rows.setdefault(row["id"], row)
    chosen = list(rows.values())[:limit] if limit else list(rows.values())
    settings = Sampling(temperature, top_p, max_tokens, k, system_prompt)
    if backend == "openai":
        if not base_url:
            raise click.UsageError("--backend openai needs --base-url (the server's URL, ending in /v1)")
        runner = OpenAIBackend(base_url, model, api_key_env=api_key_env, concurrency=concurrency,
                               retries=retries, timeout=request_timeout)
    elif backend == "transformers":
        runner = TransformersBackend(model, gguf_file=gguf_file, device=device, batch_size=batch_size)
    else:
        runner = VLLMBackend(model, batch_size=batch_size)
    folder = Path(output)
    cache_path = folder / "completions.jsonl"
    with CompletionCache(cache_path) as cache:
        try:
            with progress(total=len(chosen) * k, unit="completion", desc="eval") as bar:
                asked = complete(chosen, runner, settings, cache, progress=bar.update)
        except KeyboardInterrupt:
            click.echo(f"\ninterrupted: the completions received so far are in '{cache_path}'; rerun the"
                       " same command to continue", err=True)
            raise SystemExit(130) from None
        records = cache.records([row["id"] for row in chosen], k, settings.key(runner.model))
    click.echo(f"{len(records)} completions ({asked} asked now, {len(records) - asked} from the cache)")
    items = [Completion(r["id"], r["sample"], r["completion"], n) for n, r in enumerate(records, 1)]
    verdicts = score_completions(items, rows, workers=workers, timeout=timeout, memory_mb=4096, fallback=fallback)
    for verdict, record in zip(verdicts, records, strict=True):
        verdict["tokens"] = record.get("tokens")  # the backend's count: the report's length picture
    summary = {**summarise(verdicts), "model": runner.model, "backend": backend, "sampling": asdict(settings),
               "dataset": str(dataset)}
    try:
        target = write_report(verdicts, summary, folder, "parquet", title=f"synlog eval: {runner.model}")
    except OSError as exc:
        raise writing_into(output, exc) from None
    click.echo(f"verdicts: {target}")
    _print_summary(summary)


@eval_cmd.command(epilog="""\b
Example:
  synlog eval compare runs/qwen runs/smollm -o runs/compare    # then open runs/compare/index.html
""")
@click.argument("runs", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False), help="Folder for index.html and summary.md.")
def compare(runs, output):
    """Put several eval (or verify -o) runs side by side: accuracy per task and level, reasons, pictures."""
    import json

    from synlog.cli.main import CliError
    from synlog.verifiers.report import read_verdicts
    from synlog.verifiers.report_html import write_pages

    if len(runs) < 2:
        raise click.UsageError("compare needs at least two run folders")
    loaded, names = [], set()
    for folder in runs:
        try:
            summary = json.loads((Path(folder) / "summary.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CliError(f"'{folder}' is not a run folder (no readable summary.json: {error})") from None
        name = Path(folder).name
        if name in names:
            name = str(folder)
        names.add(name)
        loaded.append((name, summary, read_verdicts(folder)))
    page = write_pages(loaded, Path(output), title="synlog eval compare: " + " vs ".join(n for n, _, _ in loaded))
    click.echo(f"wrote {page} and {Path(output) / 'summary.md'}")
    for name, summary, _ in loaded:
        click.echo(f"{name}: {summary['completions']} completions, accuracy {summary['accuracy']:.3f}")
