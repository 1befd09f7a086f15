"""The ``synlog`` command line. Commands stay thin: parse options, call the library, print.

Every error a user can cause exits with code 2 and one line saying what to do.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
from pathlib import Path

import click

from synlog.cli.ray_options import check_ray_address, ray_address_option
from synlog.errors import SynlogError
from synlog.tasks.prompts import LANGS

EPILOG_GENERATE = """\b
Examples:
  synlog generate --task sudoku --difficulty 4 -n 1000 --seed 7 -o data/sudoku
  synlog generate --task sat -d 6 --set n_vars=40 --set ratio=4.0..4.3 -n 500 -o data/sat
  synlog generate --mix mix.yaml -n 20000 -o data/mix --split train=0.95,test=0.05
  synlog generate --task sudoku -d 4 -n 1000 --seed 1 --exclude data/sudoku -o data/sudoku-train
  synlog generate --task zebra -d 3 -n 500 --chat --system-prompt "Answer inside <answer></answer>." -o data/zebra
  synlog generate --task zebra -d 3 -n 500 --lang zh -o data/zebra-zh      # Chinese prompts
  synlog generate --task sudoku -n 5000 --split ood:train=1-5,test=6-10 -o data/sudoku-ood
  synlog generate --split "compose:train=arithmetic,game_of_24;test=arithmetic+game_of_24" -d 3 -n 3000 -o data/comp

\b
Prompt wording: each row draws one of its task's templates (5 per language, the same rules and
answer format in each; --template N fixes one); its params record "template" and "lang".

\b
A mixture spec (YAML or JSON):
  tasks:
    - {task: sudoku, weight: 2, difficulty: [3, 5]}
    - {task: sat, weight: 1, difficulty: "2..4", set: {n_vars: 20}}
  difficulty: [3, 5] is levels 3 and 5 only; "2..4" or {min: 2, max: 4} is every level between.
"""


class CliError(click.ClickException):
    """A user error: printed as one line, exit code 2.

    The message is made one line whatever it quotes: line breaks and other control characters
    from a user's input (a key in a file, a task name) are shown escaped.
    """

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


#: a run of characters without a space longer than this is shortened in error messages
LONGEST_WORD = 120


def one_line(text: str) -> str:
    """``text`` as one short line: characters that could break or rewrite a terminal line are
    shown escaped, and huge quoted input (a 5,000-digit id) is cut in its middle."""
    escaped = "".join(
        char if char.isprintable() or char == " " else char.encode("unicode_escape").decode("ascii")
        for char in text
    )
    return " ".join(
        word if len(word) <= LONGEST_WORD else f"{word[:60]}...({len(word) - 80} more)...{word[-20:]}"
        for word in escaped.split(" ")
    )


class SynlogGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SynlogError as exc:
            raise CliError(str(exc)) from None


@click.group(cls=SynlogGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="synlog")
def cli() -> None:
    """synlog: verifiable reasoning data.

    Generate reasoning problems with difficulty knobs, write them as Arrow datasets, and score
    model completions with rule-based verifiers. Start with `synlog tasks`.
    """


# ---------------------------------------------------------------------------------------- tasks
@cli.group(cls=SynlogGroup, invoke_without_command=True)
@click.option(
    "--family",
    help="Only tasks of this family: grid, deduction, language, state, graph, search, sat, math, code, lean.",
)
@click.pass_context
def tasks(ctx: click.Context, family: str | None) -> None:
    """List the tasks: name, family, summary and knobs. `synlog tasks show NAME` for detail."""
    if ctx.invoked_subcommand is not None:
        return
    from synlog.tasks.base import FAMILIES, all_tasks

    rows = [cls() for cls in all_tasks().values() if family is None or cls.family == family]
    if not rows:
        raise CliError(f"no tasks in family '{family}'; families are {', '.join(FAMILIES)}")
    width = max(len(t.name) for t in rows)
    for task in rows:
        knob_names = ", ".join(name for name, _ in task.knobs) or "-"
        click.echo(f"{task.name:<{width}}  {task.family:<9}  {task.summary}")
        click.echo(f"{'':<{width}}             knobs: {knob_names}")


@tasks.command("show")
@click.argument("name")
@click.option("--difficulty", "-d", default=3, show_default=True, type=click.IntRange(1, 10),
              help="Level of the sample prompt.")
@click.option("--seed", default=0, show_default=True, type=click.IntRange(0, 2**63 - 1), help="Seed of the sample.")
@click.option("--space-sample", "sample", default=20, show_default=True, type=click.IntRange(0, 10_000),
              help="Rows drawn per level to estimate the instance space where the task declares none (0: skip).")
@click.option("--template", "template", default="0", show_default=True, metavar="random|N",
              help="Which wording of the sample prompt to show.")
@click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True, help="Language of the sample prompt.")
def tasks_show(name: str, difficulty: int, seed: int, sample: int, template: str, lang: str) -> None:
    """Show a task's knobs at every level 1..10 and one sample prompt."""
    from synlog.synth import calibration
    from synlog.synth.example import make_row
    from synlog.tasks.base import get_task

    task = get_task(name)
    click.echo(f"{task.name} ({task.family}, version {task.version})")
    click.echo((task.__doc__ or "").strip())
    click.echo("")

    names = [n for n, _ in task.knobs]

    def cell(value):
        return "..".join(map(str, value)) if isinstance(value, (tuple, list)) else str(value)

    spaces = [level_space(task, level, sample) for level in range(1, 11)]
    widths = {n: max(len(n), *(len(cell(k.levels[i])) for i in range(10))) for n, k in task.knobs}
    space_width = max(5, *map(len, spaces))
    click.echo("level  " + "  ".join(f"{n:<{widths[n]}}" for n in names) + ("  " if names else "") + "space")
    for level in range(1, 11):
        values = [cell(knob.levels[level - 1]) for _, knob in task.knobs]
        click.echo(f"{level:>5}  " + "  ".join(f"{v:<{widths[n]}}" for v, n in zip(values, names, strict=True))
                   + ("  " if names else "") + f"{spaces[level - 1]:>{space_width}}")
    click.echo("")
    for knob_name, knob in task.knobs:
        click.echo(f"  {knob_name}: {knob.help} ({knob.describe_range()})")
    click.echo("  space: distinct problems at the level, as the task declares it; ≈ estimated from"
               f" collisions in {sample} draws, ≥ a lower bound when there were none (--space-sample N;"
               f" `synlog audit {task.name}` measures more)")
    click.echo(f"  wording: {task.templates('en')} templates in English, {task.templates('zh')} in Chinese"
               " (knobs template=random|N and lang=en|zh; the same rules and answer format in each)")
    measured = calibration.describe(task.name)
    click.echo("  measured pass rates: " + ("; ".join(measured) if measured else
                                           "none yet (docs/eval.md: calibration)"))
    click.echo("")
    spec = task.knobs.resolve(difficulty, {"template": template, "lang": lang}, task.name)
    row = make_row(task.name, difficulty, spec, seed, 0)
    shown_template = json.loads(row["params"])["template"]
    click.echo(f"Sample prompt (difficulty {difficulty}, seed {seed}, template {shown_template}, {lang}):")
    click.echo("-" * 72)
    click.echo(row["prompt"].rstrip())
    click.echo("-" * 72)
    click.echo(f"Gold answer: {row['answer']}")


def level_space(task, level: int, sample: int) -> str:
    """The instance-space size at a level: declared by the task, else estimated from ``sample``
    draws (``≈`` from collisions, ``≥`` the birthday bound without any), else ``-``."""
    from synlog.errors import SynlogError
    from synlog.synth.audit import estimate_space, space_text
    from synlog.synth.example import make_row, prompt_key

    spec = task.knobs.resolve(level)
    declared = task.instance_space(spec)
    spec = {**spec, "template": 0}  # count questions, not their paraphrases
    if declared is not None:
        return space_text(declared)
    if not sample:
        return "-"
    try:
        keys = {prompt_key(make_row(task.name, level, spec, 0, i)["prompt"]) for i in range(sample)}
    except SynlogError:  # a level the task refuses or cannot make
        return "-"
    size, exact = estimate_space(sample, len(keys))
    return ("≈" if exact else "") + space_text(size, exact=exact)


# ------------------------------------------------------------------------------------- generate
@cli.command(epilog=EPILOG_GENERATE)
@click.option("--task", "-t", help="Task name (see `synlog tasks`).")
@click.option("--mix", "mix_path", type=click.Path(dir_okay=False), help="Mixture spec (YAML/JSON) instead of --task.")
@click.option("--difficulty", "-d", default=1, show_default=True, type=click.IntRange(1, 10), help="Difficulty level 1..10 (with --task).")
@click.option("-n", "n", required=True, type=click.IntRange(min=1), help="Number of rows.")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), help="Seed (default 0, or the mixture's seed).")
@click.option("--set", "overrides", multiple=True, metavar="KNOB=VALUE",
              help="Override a knob (repeatable); a range lo..hi is sampled per row.")
@click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True,
              help="Language of the prompts (zh: Chinese). The answer format and the verifier are the same in every language.")
@click.option("--template", "template", default="random", show_default=True, metavar="random|N",
              help="Prompt wording: each row draws one of its task's templates (≥ 5 paraphrases, "
                   "same rules and answer format), or template N for every row. Rows record it in params.")
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--format", "fmt", type=click.Choice(["parquet", "hf", "jsonl"]), default="parquet", show_default=True,
              help="parquet shards, datasets.save_to_disk, or JSON lines.")
@click.option("--split", "split_text", metavar="SPEC",
              help="Splits disjoint by fingerprint: fractions (train=0.95,test=0.05), or out-of-distribution "
                   "by level (ood:train=1-5,test=6-10: each split draws only its own levels, replacing "
                   "--difficulty; shares follow the level counts unless given, as in train=1-5:0.9,test=6-10:0.1), "
                   "or compositional (compose:train=A,B;test=A+B, quoted: each split draws its own tasks, "
                   "A+B being a composed task; no --task/--mix).")
@click.option("--exclude", "exclude_paths", multiple=True, type=click.Path(), metavar="DATASET",
              help="Leave out every problem or prompt found in this dataset (repeatable): a training set "
                   "disjoint from an existing test set.")
@click.option("--chat", is_flag=True, help="Add a `messages` column: each prompt as chat messages, the "
              "conversational format TRL and verl read.")
@click.option("--system-prompt", help="A system message put before each prompt in `messages` (implies --chat).")
@click.option("--workers", "-w", type=click.IntRange(min=1),
              help="Worker processes [default: all cores; with --engine ray: the CPUs of a new local cluster].")
@click.option("--engine", "engine_name", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: a process pool on this machine. ray: each range of rows is a Ray task on the "
                   "cluster (pip install 'synlog[ray]'); the same rows, byte for byte.")
@ray_address_option
@click.option("--shards", metavar="FOLDER|URI",
              help="Where workers write the run's shards, a place every node reaches: a shared folder or a "
                   "pyarrow.fs URI (s3://bucket/prefix, gs://..., hdfs://...) [default: OUTPUT.partial].")
@click.option("--overwrite", is_flag=True, help="Replace an existing output folder.")
@click.option("--resume", is_flag=True, help="Continue an interrupted run with the same options.")
@click.option("--mathlib", "mathlib", type=click.Path(file_okay=False), metavar="PATH",
              help="Lake project with Mathlib built: lean_proof also gets ring/norm_num/nlinarith goals, "
                   "checked with that project's toolchain (see docs/lean.md).")
@click.option("--eval-seeds", is_flag=True, help="Allow a seed of the range reserved for evaluation "
              "benchmarks (2**62 and up; see `synlog bench build --help`).")
def generate(task, mix_path, difficulty, n, seed, overrides, lang, template, output, fmt, split_text, exclude_paths,
             chat, system_prompt, workers, engine_name, address, shards, overwrite, resume, mathlib, eval_seeds):
    """Generate a dataset of verifiable problems.

    Rows are written in index order, deduplicated by problem fingerprint; the output folder
    appears only when the run completes (an interrupted run can be continued with --resume).
    The rows depend only on the options that shape them, never on --workers or --engine.
    """
    from synlog.cli.progress import progress
    from synlog.synth import engine
    from synlog.synth.benchmark import check_training_seed
    from synlog.synth.plan import (
        compose_plan,
        load_mixture,
        ood_plan,
        parse_compose,
        parse_ood,
        parse_splits,
        single_task_plan,
        with_presentation,
    )
    from synlog.tasks.base import get_task
    from synlog.tasks.knobs import parse_overrides

    compose = parse_compose(split_text) if split_text and split_text.startswith("compose:") else None
    if compose and (task or mix_path):
        raise click.UsageError("--split compose:... names its own tasks; drop --task/--mix")
    if not compose and bool(task) == bool(mix_path):
        raise click.UsageError("pass exactly one of --task NAME or --mix SPEC (or --split compose:...)")
    if mix_path and overrides:
        raise click.UsageError("--set applies to --task; put overrides in the mixture spec under 'set:'")
    check_ray_address(address, engine_name)
    ood = parse_ood(split_text) if split_text and split_text.startswith("ood:") else None
    splits = {"train": 1.0} if ood or compose else parse_splits(split_text)
    overrides = parse_overrides(overrides)
    if mathlib:
        if task and get_task(task).family != "lean":
            raise CliError(f"--mathlib applies to Lean tasks, not '{task}'")
        _use_mathlib(mathlib)
        if task:
            overrides.setdefault("mathlib", "true")
    if compose:
        plan = compose_plan(compose, difficulty, n, seed or 0)
    elif mix_path:
        plan = load_mixture(mix_path, n, seed, splits)
    else:
        plan = single_task_plan(task, difficulty, n, seed or 0, overrides, splits)
    check_training_seed(plan.seed, eval_seeds)
    presentation = {k: v for k, v in (("lang", lang), ("template", template)) if v not in ("en", "random")}
    plan = with_presentation(plan, presentation)
    if ood:
        plan = ood_plan(plan, ood)
    exclusion = None
    if exclude_paths:
        from synlog.synth.decontaminate import Exclusion

        exclusion = Exclusion.load(exclude_paths)
    command = "synlog " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    try:
        with progress(total=n, unit="row", desc="generate") as bar:
            tables = engine.run(plan, output, fmt=fmt, workers=workers, overwrite=overwrite,
                                resume=resume, progress=bar.update, command=command, exclude=exclusion,
                                chat=chat, system_prompt=system_prompt, engine=engine_name, address=address,
                                shards=shards)
    except KeyboardInterrupt:
        partial = Path(output).with_name(Path(output).name + ".partial")
        click.echo(f"\ninterrupted: the shards written so far are kept in '{partial}'; rerun the same"
                   " command with --resume to continue", err=True)
        sys.exit(130)
    sizes = ", ".join(f"{s}: {rows}" for s, rows in tables.rows.items())
    click.echo(f"wrote {sum(tables.rows.values())} rows ({sizes}) to {output}")


# -------------------------------------------------------------------------------------- inspect
@cli.command()
@click.argument("dataset", type=click.Path())
@click.option("--limit", default=3, show_default=True, type=click.IntRange(min=1), help="Rows to show.")
@click.option("--split", help="Only this split.")
@click.option("--json", "as_json", is_flag=True, help="Print rows as JSON lines.")
def inspect(dataset: str, limit: int, split: str | None, as_json: bool) -> None:
    """Pretty-print the first rows of a dataset (any format synlog writes)."""
    from synlog.datasets_out.io import read_dataset

    tables = read_dataset(dataset)
    if split is not None:
        if split not in tables:
            raise CliError(f"no split '{split}' in {dataset}; it has: {', '.join(tables)}")
        tables = {split: tables[split]}
    for name, table in tables.items():
        click.echo(f"== {name}: {table.num_rows} rows")
        for row in table.slice(0, limit).to_pylist():
            if as_json:
                click.echo(json.dumps(row, ensure_ascii=False))
                continue
            origin = f" source={row['source']}:{row['source_index']}" if row.get("source") else ""
            click.echo(f"-- {row['id']}  task={row['task']}{origin} difficulty={row['difficulty']} "
                       f"effort={row['effort']:g} params={row['params']}")
            click.echo(row["prompt"].rstrip())
            click.echo(f">> answer: {row['answer']}")


# --------------------------------------------------------------------------------------- verify
@cli.command()
@click.argument("dataset", type=click.Path())
@click.option("--completions", "-c", required=True, type=click.Path(dir_okay=False),
              help='JSONL: {"id": ..., "completion": "..."} per line (ids may repeat for pass@k).')
@click.option("--output", "-o", type=click.Path(file_okay=False), help="Report folder (verdicts + summary.json).")
@click.option("--format", "fmt", type=click.Choice(["parquet", "jsonl"]), default="parquet", show_default=True,
              help="Format of the per-completion verdicts.")
@click.option("--workers", "-w", type=click.IntRange(min=0),
              help="Verifier processes [default: all cores; 0: in-process; with --engine ray: actors, default "
                   "one per CPU of the cluster].")
@click.option("--engine", "engine_name", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: a process pool here. ray: Ray actors, each a warm bounded pool, across the cluster "
                   "(pip install 'synlog[ray]'); the same verdicts.")
@ray_address_option
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.01), help="Seconds per verify call.")
@click.option("--memory-mb", default=4096, show_default=True, type=click.IntRange(min=0), help="Address-space limit per verifier process.")
@click.option("--fallback", is_flag=True, help="Use each task's fallback extractor when no <answer> or \\boxed{} is found.")
@click.option("--skip-unknown", is_flag=True, help="Ignore completions whose id is not in the dataset.")
@click.option("--second-opinion", "second_opinion", type=click.Choice(["math-verify"]),
              help="Also judge math_answer rows with math-verify (the [math] extra) and report where it "
                   "disagrees with synlog; synlog's verdict stays the score.")
@click.option("--mathlib", "mathlib", type=click.Path(file_okay=False), metavar="PATH",
              help="Lake project with Mathlib built, for lean_proof rows generated with --mathlib.")
def verify(dataset, completions, output, fmt, workers, engine_name, address, timeout, memory_mb, fallback, skip_unknown,
           second_opinion, mathlib):
    """Score completions against a dataset and print accuracy, reasons and pass@k."""
    check_ray_address(address, engine_name)
    from synlog.cli.inputs import report_folder, writing_into
    from synlog.datasets_out.io import read_dataset
    from synlog.verifiers.report import read_completions, summarise, write_report

    report_folder(output)
    if mathlib:
        _use_mathlib(mathlib)
    rows: dict[str, dict] = {}
    for table in read_dataset(dataset).values():
        columns = [c for c in ("id", "task", "difficulty", "problem", "source", "answer") if c in table.column_names]
        for row in table.select(columns).to_pylist():
            rows[row["id"]] = row
    items = read_completions(completions, set(rows), skip_unknown)
    records = score_completions(items, rows, workers=workers, timeout=timeout, memory_mb=memory_mb,
                                fallback=fallback, second_opinion=second_opinion, engine=engine_name,
                                address=address)
    summary = summarise(records)
    if output:
        try:
            target = write_report(records, summary, Path(output), fmt)
        except OSError as exc:  # a full disk, a folder removed meanwhile
            raise writing_into(output, exc) from None
        click.echo(f"verdicts: {target}")
    _print_summary(summary)
    hint = no_answer_hint(summary, fallback)
    if hint:
        click.echo(hint)


def score_completions(items: list, rows: dict[str, dict], *, workers: int | None, timeout: float, memory_mb: int,
                      fallback: bool, second_opinion: str | None = None, engine: str = "local",
                      address: str | None = None) -> list[dict]:
    """Verdict records of ``items`` (completions of ``rows``), scored in the bounded verifier
    pool with a progress bar: what `synlog verify` and `synlog eval` share."""
    from synlog.cli.progress import progress
    from synlog.tasks.base import get_task
    from synlog.verifiers.extract import ExtractConfig
    from synlog.verifiers.pool import VerifierPool
    from synlog.verifiers.report import verdict_records

    jobs = [(rows[c.id]["task"], rows[c.id]["problem"], c.text) for c in items]
    if second_opinion:
        jobs = _with_second_opinion(jobs, second_opinion)
    for name in sorted({job[0] for job in jobs}):  # a missing tool (Lean) is an error, never silent 0s
        get_task(name).check_requirements()
    _say_sandbox({job[0] for job in jobs})
    config = ExtractConfig(fallback=fallback)
    if engine == "ray":
        from synlog.verifiers.ray_pool import RayVerifierPool

        pool = RayVerifierPool(workers or None, address=address, timeout=timeout, memory_mb=memory_mb, config=config)
    else:
        pool = VerifierPool(workers, timeout=timeout, memory_mb=memory_mb, config=config)
    with pool, progress(total=len(jobs), unit="verdict", desc="verify") as bar:
        verdicts = pool.score_many(jobs, progress=bar)
    return list(verdict_records(items, rows, verdicts, config))


#: the tasks that record a second checker's opinion when their problem asks for one
SECOND_OPINION_TASKS = ("math_answer",)


def _with_second_opinion(jobs: list[tuple[str, str, str]], tool: str) -> list[tuple[str, str, str]]:
    """The jobs, with ``second_opinion`` put into the problems of the tasks that record one."""
    import importlib.util

    if importlib.util.find_spec("math_verify") is None:
        raise CliError("--second-opinion math-verify needs math-verify: pip install 'synlog[math]'")
    if not any(task in SECOND_OPINION_TASKS for task, _, _ in jobs):
        click.echo(f"note: --second-opinion applies to {', '.join(SECOND_OPINION_TASKS)} rows; there are none here",
                   err=True)
        return jobs
    out = []
    for task, problem, text in jobs:
        if task in SECOND_OPINION_TASKS:
            data = json.loads(problem) if isinstance(problem, str) else dict(problem)
            if isinstance(data, dict):
                problem = json.dumps({**data, "second_opinion": tool})
        out.append((task, problem, text))
    return out


#: share of completions without an answer above which `synlog verify` says what to do
NO_ANSWER_HINT_SHARE = 0.5


def no_answer_hint(summary: dict, fallback: bool) -> str | None:
    """Advice when most completions hold no answer the extractor can read (a model that does not
    write the tags): the options that would let them be scored."""
    total = summary.get("completions") or 0
    missing = summary.get("reasons", {}).get("no_answer", 0)
    if not total or missing / total <= NO_ANSWER_HINT_SHARE:
        return None
    head = f"note: {missing} of {total} completions have no <answer>…</answer> or \\boxed{{…}}"
    if fallback:
        return (head + " and no line the task's fallback could read; check the completions hold the"
                " final answer (the `reason` column of the verdicts says what was read)")
    return (head + "; the model does not write the answer tags. Rerun with --fallback (each task reads"
            " the last line or number), or prompt with a system message such as \"Put the final answer"
            " inside <answer></answer>\" (`synlog export --system-prompt`, `data.system_prompt` in"
            " `synlog train`)")


def _use_mathlib(project: str) -> None:
    """Point Lean at a Mathlib project (for this process and the workers it starts), or fail clearly."""
    from synlog.tasks.lean.toolchain import find_toolchain

    path = Path(project).resolve()
    if not path.is_dir() or not any((path / f).exists() for f in ("lakefile.lean", "lakefile.toml")):
        raise CliError(f"--mathlib: '{project}' is not a Lake project (no lakefile.lean or lakefile.toml); "
                       "make one with `lake new mathproj math` (see docs/lean.md)")
    if find_toolchain(str(path)) is None:
        raise CliError(f"--mathlib: no Lean toolchain for '{project}' (needs `lake` and `lean` on PATH, "
                       "or SYNLOG_LEAN; `lake env` must succeed there); see docs/lean.md")
    os.environ["SYNLOG_LEAN_PROJECT"] = str(path)
    find_toolchain.cache_clear()


def _say_sandbox(task_names: set[str]) -> None:
    """Name the sandbox the tasks that run answers use, and warn once where it is weak."""
    from synlog.tasks.base import get_task

    if not any(get_task(name).sandboxed for name in task_names):
        return
    from synlog import sandbox
    from synlog.tasks.code._harness import backend

    try:
        click.echo(f"sandbox: {sandbox.describe(backend())}", err=True)
        for weakness in sandbox.weaknesses(backend()):
            click.echo(f"warning: the sandbox is weaker here: {weakness}", err=True)
    except (ValueError, sandbox.SandboxError) as error:
        raise click.UsageError(f"no sandbox to run answers in: {error}") from None


def _print_summary(summary: dict) -> None:
    click.echo(f"{summary['completions']} completions of {summary['problems']} problems: "
               f"accuracy {summary['accuracy']:.3f}")
    passes = "  ".join(f"{k} {v:.3f}" for k, v in summary.items() if k.startswith("pass@"))
    if passes:
        click.echo(passes)
    click.echo("task                  difficulty      n  accuracy")
    for cell in summary["by_task_difficulty"]:
        click.echo(f"{cell['task']:<20}  {cell['difficulty']:>10}  {cell['n']:>5}  {cell['accuracy']:.3f}")
    if any(cell["source"] not in {c["task"] for c in summary["by_task_difficulty"]} for cell in summary["by_source"]):
        click.echo("source                       n  accuracy")
        for cell in summary["by_source"]:
            click.echo(f"{cell['source']:<24}  {cell['n']:>5}  {cell['accuracy']:.3f}")
    click.echo("reasons: " + ", ".join(f"{k} {v}" for k, v in summary["reasons"].items()))
    opinion = summary.get("second_opinion")
    if opinion:
        click.echo(f"second opinion ({opinion['tool']}): agrees on {opinion['agree']} of {opinion['compared']}; "
                   f"correct for synlog only {opinion['synlog_only_correct']}, for {opinion['tool']} only "
                   f"{opinion['second_only_correct']}; no opinion {opinion['no_opinion']}"
                   + (" (every disagreement is in summary.json)" if opinion["disagreements"] else ""))
        for item in opinion["disagreements"][:5]:
            click.echo(f"  {item['id']} (sample {item['sample']}): synlog {item['reason']}, "
                       f"{opinion['tool']} {'correct' if item[opinion['tool']] else 'wrong'}")
    if summary.get("bad_problems"):
        click.echo(f"problems that cannot be judged as given: {summary['bad_problems']} completions (a missing"
                   " field, an unknown language, a checker that fails); their verdicts are `invalid` with"
                   " details.problem_error saying why: fix those rows")


from synlog.cli.audit import audit  # noqa: E402 - larger commands live in their own modules
from synlog.cli.bench import bench  # noqa: E402
from synlog.cli.eval import eval_cmd  # noqa: E402
from synlog.cli.export import export  # noqa: E402
from synlog.cli.importer import import_cmd  # noqa: E402
from synlog.cli.serve import serve  # noqa: E402
from synlog.cli.train import train  # noqa: E402

cli.add_command(audit)
cli.add_command(bench)
cli.add_command(eval_cmd)
cli.add_command(export)
cli.add_command(import_cmd)
cli.add_command(serve)
cli.add_command(train)


def main() -> None:
    """Entry point of the ``synlog`` script."""
    cli(prog_name="synlog")


if __name__ == "__main__":
    main()
