"""``synlog import``: rows synlog did not generate, made into ordinary synlog rows.

A source (JSONL, ``.jsonl.gz``, a JSON list, CSV, parquet, a folder of parquet shards or a
``datasets.save_to_disk`` folder) is read row by row; a *mapping* says which column feeds each
target of the task (``prompt``, ``answer``; for code ``tests`` or ``test_code``...), a preset
gives the mapping of a well-known layout. Each row becomes a ``math_answer`` or ``code_tests``
row whose ``problem`` carries all that verifying needs, plus ``source`` and ``source_index``::

    plan = plan_import("gsm8k/test.jsonl", preset="gsm8k")
    result = import_rows(plan)                       # rows + the rows skipped, with reasons
    write_import(result, "data/gsm8k", fmt="parquet")
    result.rows[0]["answer"], result.skipped[:1]     # "18", [Skipped(line=7, reason="bad_gold", ...)]

Nothing is fetched from a hub: a hub id is an error saying how to download it. A file that is
not what it claims (a bad JSON line, not parquet) is an :class:`InputFileError` naming file and
line; a *row* that cannot be used (an empty value, a gold that does not parse, tests the judge
refuses, a duplicate) is skipped and counted, or, with ``strict``, refuses the whole import.
"""

from __future__ import annotations

import csv
import difflib
import gzip
import json
import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from synlog.datasets_out.presets import (
    MATH_KINDS,
    PRESETS,
    Preset,
    RowProblem,
    json_value,
    level_of,
    paired_tests,
    test_text,
)
from synlog.datasets_out.userfiles import bounded_int, decode_text, iter_json_lines, read_text
from synlog.errors import InputFileError, OutputError, SynlogError
from synlog.version import __version__

#: targets a mapping may name, per task (a preset adds its own, such as MBPP's ``test_list``)
TARGETS = {
    "math_answer": ("prompt", "answer", "kind", "choices", "allow_decimals", "difficulty", "id"),
    "code_tests": ("prompt", "tests", "inputs", "outputs", "test_code", "entry_point", "prelude", "language",
                   "checker", "compare", "time_limit_s", "memory_mb", "solution", "difficulty", "id"),
}
#: another name a target may be mapped by
ALIASES = {"statement": "prompt", "question": "prompt", "gold": "answer"}
IMPORT_TASKS = tuple(TARGETS)
REPORT_FILE = "import_report.json"
#: the value ``template`` takes for the task's own prompt (which states synlog's answer format)
TASK_TEMPLATE = "task"
_HUB_ID = re.compile(r"(hf://(datasets/)?)?[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*")
_SOURCE_NAME = re.compile(r"[A-Za-z0-9][\w.+-]{0,63}")
BATCH_ROWS = 1000


# --------------------------------------------------------------------------- reading sources


@dataclass(frozen=True)
class SourceRow:
    """One record of a source: its 0-based position, its 1-based line (JSONL, CSV) and values."""

    index: int
    line: int | None
    record: dict[str, Any]


@dataclass
class Source:
    """A readable source: its layout, its columns (of the first record) and row count if known."""

    path: Path
    layout: str
    columns: list[str]
    total: int | None
    read: Callable[[], Iterator[tuple[int | None, dict[str, Any]]]] = field(repr=False)

    def rows(self) -> Iterator[SourceRow]:
        for index, (line, record) in enumerate(self.read()):
            yield SourceRow(index, line, record)

    def where(self, row: SourceRow) -> str:
        """``file:12`` (a line) or ``file row 12`` (1-based) for messages."""
        return f"{self.path}:{row.line}" if row.line is not None else f"{self.path} row {row.index + 1}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _gz_json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        with gzip.open(path, "rb") as handle:
            for number, raw in enumerate(handle, 1):
                if not raw.strip():
                    continue
                try:
                    record = json.loads(decode_text(raw, path, number), parse_int=bounded_int)
                except (ValueError, RecursionError) as exc:  # JSONDecodeError, too long an int
                    raise InputFileError(f"{path}:{number}: not valid JSON ({_first_line(exc)});"
                                         " each line needs a JSON object") from None
                if not isinstance(record, dict):
                    raise InputFileError(f"{path}:{number}: each line needs a JSON object")
                yield number, record
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
        raise InputFileError(f"'{path}' is not a readable gzip file ({_first_line(exc)}); check the file") from None


def _json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    if path.name.endswith(".gz"):
        return _gz_json_lines(path)
    return iter_json_lines(path, "a JSON object (one source row)")


def _json_list(path: Path) -> list[dict[str, Any]]:
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read '{path}': {exc.strerror}; check the path") from None
    try:
        value = json.loads(decode_text(text, path), parse_int=bounded_int)
    except json.JSONDecodeError as exc:
        raise InputFileError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}; fix the file") from None
    except (ValueError, RecursionError) as exc:
        raise InputFileError(f"{path}: not valid JSON ({_first_line(exc)}); fix the file") from None
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise InputFileError(f"{path}: a JSON source holds a list of objects (one per row); for one object"
                             " per line name the file .jsonl")
    return value


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    csv.field_size_limit(1 << 30)  # code and tests in one cell pass the default 128 KB
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            for record in reader:
                yield reader.line_num, {k: v for k, v in record.items() if k is not None}
    except UnicodeDecodeError:
        raise InputFileError(f"{path}: not UTF-8 text; save the CSV as UTF-8") from None
    except csv.Error as exc:
        raise InputFileError(f"{path}: not a readable CSV file ({exc}); fix the file") from None
    except OSError as exc:
        raise InputFileError(f"cannot read '{path}': {exc.strerror}; check the path") from None


def _parquet_files(path: Path) -> list[Path]:
    return [path] if path.is_file() else sorted(p for p in path.rglob("*.parquet") if p.is_file())


def _open_parquet(file: Path):
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(file)
    except (pa.ArrowException, OSError) as exc:
        detail = _first_line(exc).split(f"'{file}': ", 1)[-1]
        raise InputFileError(f"'{file}' is not a readable parquet file ({detail}); check the file") from None


def _parquet_rows(files: list[Path]) -> Iterator[tuple[None, dict[str, Any]]]:
    for file in files:
        try:
            for batch in _open_parquet(file).iter_batches(batch_size=BATCH_ROWS):
                for record in batch.to_pylist():
                    yield None, record
        except (pa.ArrowException, OSError) as exc:
            raise InputFileError(f"'{file}' is a damaged parquet file ({_first_line(exc)}); check the file") from None


def _saved(path: Path, split: str | None):
    """The Dataset of a save_to_disk folder (one split of a DatasetDict)."""
    import datasets

    try:
        loaded = datasets.load_from_disk(str(path))
    except (pa.ArrowException, OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputFileError(f"'{path}' is a damaged save_to_disk folder ({_first_line(exc)}); save it again") from None
    if isinstance(loaded, datasets.Dataset):
        if split not in (None, "train"):
            raise InputFileError(f"'{path}' holds one Dataset, not splits; drop --split-name {split}")
        return loaded
    names = list(loaded)
    if split is None:
        if "train" not in names and len(names) != 1:
            raise InputFileError(f"'{path}' holds the splits {', '.join(names)}; choose one with --split-name")
        split = "train" if "train" in names else names[0]
    if split not in names:
        raise InputFileError(f"'{path}' has no split '{split}'; it has {', '.join(names)} (--split-name)")
    return loaded[split]


def _saved_rows(dataset) -> Iterator[tuple[None, dict[str, Any]]]:
    for batch in dataset.iter(batch_size=BATCH_ROWS):
        names = list(batch)
        for values in zip(*(batch[n] for n in names), strict=True):
            yield None, dict(zip(names, values, strict=True))


def _count_lines(path: Path) -> int | None:
    """Lines of a (gzipped) JSONL file, for the progress bar; None where it cannot be read."""
    try:
        with (gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")) as handle:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    except (OSError, EOFError):  # the read that follows names the damage
        return None


def _first_columns(rows: Iterator[tuple[int | None, dict[str, Any]]]) -> list[str]:
    for _, record in rows:
        return list(record)
    return []


def _missing_source(text: str) -> InputFileError:
    if _HUB_ID.fullmatch(text) and not Path(text).suffix:
        name = text.split("datasets/", 1)[-1].removeprefix("hf://")
        return InputFileError(
            f"'{text}' is not a file or folder here, and synlog never downloads data: if it is a Hub dataset,"
            f" download it yourself, e.g. python -c \"import datasets; datasets.load_dataset('{name}')"
            ".save_to_disk('data/raw')\", then `synlog import data/raw ...`"
        )
    return InputFileError(f"no source at '{text}'; pass a JSONL, JSON, CSV or parquet file, or a save_to_disk folder")


def open_source(path: str | Path, split: str | None = None) -> Source:
    """The source at ``path``, its layout recognised from the name (or, for a folder, its files).

    ``split`` picks a split of a ``DatasetDict`` folder (default ``train``, or its only split).
    """
    text = str(path)
    path = Path(path)
    try:
        exists = path.exists()
    except OSError as exc:
        raise InputFileError(f"cannot read '{text[:80]}': {exc.strerror}; check the path") from None
    if not exists:
        raise _missing_source(text)
    name = path.name.lower()
    if path.is_dir():
        if (path / "dataset_info.json").exists() or (path / "dataset_dict.json").exists():
            dataset = _saved(path, split)
            return Source(path, "save_to_disk", list(dataset.column_names), len(dataset), lambda: _saved_rows(dataset))
        files = _parquet_files(path)
        if not files:
            raise InputFileError(f"'{path}' holds no parquet shards and is no save_to_disk folder; pass a file"
                                 " or such a folder")
        columns = list(_open_parquet(files[0]).schema_arrow.names)
        total = sum(_open_parquet(f).metadata.num_rows for f in files)
        return Source(path, "parquet", columns, total, lambda: _parquet_rows(files))
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson")):
        columns = _first_columns(_json_lines(path))
        return Source(path, "jsonl", columns, _count_lines(path), lambda: _json_lines(path))
    if name.endswith(".json"):
        records = _json_list(path)
        return Source(path, "json", list(records[0]) if records else [], len(records),
                      lambda: ((None, r) for r in records))
    if name.endswith(".csv"):
        return Source(path, "csv", _first_columns(_csv_rows(path)), None, lambda: _csv_rows(path))
    if name.endswith(".parquet"):
        file = _open_parquet(path)
        return Source(path, "parquet", list(file.schema_arrow.names), file.metadata.num_rows,
                      lambda: _parquet_rows([path]))
    raise InputFileError(f"'{path}': unknown kind of source; name it .jsonl, .jsonl.gz, .json, .csv or .parquet,"
                         " or pass a save_to_disk folder")


# --------------------------------------------------------------------------- the plan


def parse_mapping(items: Iterable[str]) -> dict[str, str]:
    """``["prompt=question,answer=gold", "id=uid"]`` → ``{"prompt": "question", ...}``."""
    mapping: dict[str, str] = {}
    for item in items:
        for pair in item.split(","):
            if not pair.strip():
                continue
            target, sep, column = pair.partition("=")
            if not sep or not target.strip() or not column.strip():
                raise InputFileError(f"--map takes TARGET=COLUMN pairs (e.g. prompt=question); got {pair.strip()!r}")
            mapping[ALIASES.get(target.strip(), target.strip())] = column.strip()
    return mapping


def default_source_name(path: Path) -> str:
    """A file's stem without its data suffixes, as a name: ``HumanEval.jsonl.gz`` → ``HumanEval``."""
    stem = path.name
    for suffix in (".gz", ".jsonl", ".ndjson", ".json", ".csv", ".parquet"):
        stem = stem.removesuffix(suffix)
    return re.sub(r"[^\w.+-]", "_", stem).strip("._") or "imported"


@dataclass
class ImportPlan:
    """What to import and how: the source, the task, target → column, and the options."""

    source: Source
    task: str
    columns: dict[str, str]
    source_name: str
    preset: Preset | None = None
    kind: str | None = None
    language: str | None = None
    template: Any = None  # a compiled jinja2 template, TASK_TEMPLATE, or None (the prompt verbatim)
    template_name: str | None = None

    def describe(self) -> dict[str, Any]:
        """The plan as JSON for the card and the report."""
        return {"source": str(self.source.path), "layout": self.source.layout, "source_name": self.source_name,
                "preset": self.preset.name if self.preset else None, "task": self.task, "mapping": self.columns,
                "kind": self.kind, "language": self.language, "template": self.template_name}


def _compile_template(path: str):
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    text = read_text(path, "prompt template")
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)
    try:
        return env.from_string(text)
    except jinja2.TemplateSyntaxError as exc:
        raise InputFileError(f"{path}:{exc.lineno}: not a valid jinja2 template: {exc.message}; fix the file") from None


def _check_columns(columns: dict[str, str], source: Source, optional: frozenset[str]) -> dict[str, str]:
    """Drop optional preset columns the source lacks; refuse any other missing column."""
    kept = {}
    for target, column in columns.items():
        if not source.columns or column in source.columns or column.split(".", 1)[0] in source.columns:
            kept[target] = column
        elif target not in optional:
            close = difflib.get_close_matches(column, source.columns, n=1, cutoff=0.5)
            close = close or [c for c in source.columns if column.lower() in c.lower()][:1]
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise InputFileError(
                f"column '{column}' (for {target}) is not in {source.path}{hint}; its columns: "
                f"{', '.join(source.columns[:30])}; pass --map {target}=COLUMN"
            )
    return kept


def plan_import(
    source: str | Path, *, preset: str | None = None, task: str | None = None, mapping: dict[str, str] | None = None,
    source_name: str | None = None, kind: str | None = None, language: str | None = None,
    template: str | None = None, split: str | None = None,
) -> ImportPlan:
    """Check everything that can be checked before any row is read (columns, names, template)."""
    if preset is not None and preset not in PRESETS:
        close = difflib.get_close_matches(preset, PRESETS, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise InputFileError(f"unknown preset '{preset}'; {hint}presets: {', '.join(PRESETS)}")
    chosen = PRESETS[preset] if preset else None
    if chosen and task and task != chosen.task:
        raise InputFileError(f"--preset {preset} imports as {chosen.task}, not {task}; drop --as")
    task = task or (chosen.task if chosen else None)
    if task not in TARGETS:
        raise InputFileError("say what the rows are: --preset NAME (" + ", ".join(PRESETS) + ") or --as "
                             + " / ".join(IMPORT_TASKS) + " with --map")
    mapping = dict(mapping or {})
    allowed = set(TARGETS[task]) | set(chosen.columns if chosen else ())
    unknown = sorted(set(mapping) - allowed)
    if unknown:
        raise InputFileError(f"--map: unknown target '{unknown[0]}' for {task}; targets: {', '.join(sorted(allowed))}")
    columns = {**(chosen.columns if chosen else {}), **mapping}
    _check_targets(task, columns)
    if kind is not None and kind not in MATH_KINDS:
        raise InputFileError(f"--kind must be one of {', '.join(MATH_KINDS)}, not '{kind}'")
    if language is not None:
        _check_language(language)
    if source_name is not None and not _SOURCE_NAME.fullmatch(source_name):
        raise InputFileError(f"--source names the dataset in ids: letters, digits, '.', '_', '+', '-'; got {source_name!r}")
    opened = open_source(source, split)
    optional = (chosen.optional if chosen else frozenset()) - set(mapping)
    columns = _check_columns(columns, opened, optional)
    compiled = None
    if template == TASK_TEMPLATE:
        compiled = TASK_TEMPLATE
    elif template is not None:
        compiled = _compile_template(template)
    name = source_name or (chosen.name if chosen else default_source_name(opened.path))
    return ImportPlan(opened, task, columns, name, chosen, kind, language, compiled, template)


def _check_targets(task: str, columns: dict[str, str]) -> None:
    if "prompt" not in columns:
        raise InputFileError("map the prompt: --map prompt=COLUMN (the question or statement)")
    if task == "math_answer" and "answer" not in columns:
        raise InputFileError("map the gold answer: --map answer=COLUMN")
    if task == "code_tests" and not ({"tests", "test_code", "test_list", "input_output", "public_tests"} & set(columns)
                                     or {"inputs", "outputs"} <= set(columns)):
        raise InputFileError("map the tests: --map tests=COLUMN ([{input, output}] lists), inputs=COL,outputs=COL,"
                             " or test_code=COL,entry_point=COL (assert-style tests)")


def _check_language(language: str) -> None:
    from synlog.tasks.code._languages import LANGUAGES

    if language not in LANGUAGES:
        raise InputFileError(f"--language must be one of {', '.join(LANGUAGES)}, not '{language}'")


# --------------------------------------------------------------------------- rows


def lookup(record: dict[str, Any], column: str) -> Any:
    """``record[column]``, where a dotted name reaches into nested values (``public_tests.input``)."""
    if column in record:
        return record[column]
    value: Any = record
    for part in column.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _text_value(values: dict[str, Any], target: str, plan: ImportPlan) -> str:
    value = values.get(target)
    column = plan.columns.get(target, target)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RowProblem("missing_value", f"'{column}' (the {target}) is empty or missing")
    if not isinstance(value, str):
        raise RowProblem("bad_value", f"'{column}' (the {target}) is {type(value).__name__}, not text")
    return value


def _flag(value: Any, target: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0", "yes", "no"):
        return value.strip().lower() in ("true", "1", "yes")
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise RowProblem("bad_value", f"{target} must be true or false, not {str(value)[:40]!r}")


def _gold_text(value: Any, column: str) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RowProblem("missing_value", f"'{column}' (the gold answer) is empty or missing")
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise RowProblem("bad_value", f"'{column}' (the gold answer) is {type(value).__name__}, not text or a number")
    return value if isinstance(value, str) else str(value)


def math_problem(values: dict[str, Any], plan: ImportPlan) -> tuple[dict[str, Any], str]:
    """The math_answer problem of one row and its canonical gold (RowProblem when refused)."""
    from synlog.tasks.math.math_answer import canonical_gold, gold_error

    problem: dict[str, Any] = {"question": _text_value(values, "prompt", plan),
                               "answer": _gold_text(values.get("answer"), plan.columns.get("answer", "answer"))}
    kind = values.get("kind") or plan.kind or (plan.preset.kind if plan.preset else None) or "auto"
    if kind not in MATH_KINDS:
        raise RowProblem("bad_value", f"kind {str(kind)[:40]!r} is not one of {', '.join(MATH_KINDS)}")
    problem["kind"] = kind
    if values.get("allow_decimals") is not None:
        problem["allow_decimals"] = _flag(values["allow_decimals"], "allow_decimals")
    choices = values.get("choices")
    if choices is not None:
        choices = json_value(choices, "choices")
        if not isinstance(choices, list) or not choices or not all(isinstance(c, (str, int, float)) for c in choices):
            raise RowProblem("bad_value", "choices must be a non-empty list of option texts")
        problem["choices"] = [str(c) for c in choices]
    why = gold_error(problem)
    if why is not None:
        raise RowProblem("bad_gold", f"the gold answer {problem['answer'][-60:]!r} is not readable: {why}")
    return problem, canonical_gold(problem)


def _stdio_tests(values: dict[str, Any]) -> list[dict[str, str]]:
    if values.get("tests") is not None:
        tests = json_value(values["tests"], "tests")
        if not isinstance(tests, list) or not all(isinstance(t, dict) for t in tests):
            raise RowProblem("bad_value", "tests must be a list of {input, output} objects")
        return [{"input": test_text(t.get("input"), f"test {k} input"), "output": test_text(t.get("output"), f"test {k} output")}
                for k, t in enumerate(tests)]
    if values.get("inputs") is not None and values.get("outputs") is not None:
        return paired_tests(values["inputs"], values["outputs"])
    raise RowProblem("missing_value", "the row has no tests (its tests, inputs/outputs or test_code are empty)")


def _number(value: Any, target: str) -> float:
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise RowProblem("bad_value", f"{target} {value[:40]!r} is not a number") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RowProblem("bad_value", f"{target} is {type(value).__name__}, not a number")
    return value


def code_problem(values: dict[str, Any], plan: ImportPlan) -> tuple[dict[str, Any], str]:
    """The code_tests problem of one row and its gold (the fenced reference solution, or "")."""
    from synlog.tasks.code._function_judge import ProblemError, read_problem
    from synlog.tasks.code._languages import LANGUAGES
    from synlog.tasks.code.code_tests import problem_error

    language = values.get("language") or plan.language or "python"
    problem: dict[str, Any] = {"language": language, "statement": _text_value(values, "prompt", plan)}
    if values.get("test_code") not in (None, ""):
        problem["mode"] = "function"
        problem["test_code"] = values["test_code"]
        problem["entry_point"] = _text_value(values, "entry_point", plan).strip()
        if values.get("prelude"):
            problem["prelude"] = values["prelude"]
    else:
        problem["mode"] = "stdio"
        problem["tests"] = _stdio_tests(values)
        for target in ("checker", "compare"):
            if values.get(target):
                problem[target] = values[target]
    if values.get("time_limit_s") not in (None, ""):
        problem["time_limit_s"] = _number(values["time_limit_s"], "time_limit_s")
    if values.get("memory_mb") not in (None, ""):
        memory = _number(values["memory_mb"], "memory_mb")
        problem["memory_mb"] = int(memory) if float(memory).is_integer() else memory
    why = problem_error(problem)
    if why is None and problem["mode"] == "function":
        try:
            read_problem(problem)
        except ProblemError as fault:
            why = str(fault)
    if why is not None:
        raise RowProblem("bad_problem", f"the judge refuses this problem: {why}")
    solution = values.get("solution")
    gold = ""
    if isinstance(solution, str) and solution.strip():
        gold = f"```{LANGUAGES[language].fence}\n{solution.rstrip()}\n```"
    return problem, gold


def _prompt(plan: ImportPlan, row: SourceRow, problem: dict[str, Any], gold: str, question: str) -> str:
    if plan.template is None:
        return question
    if plan.template == TASK_TEMPLATE:
        from synlog.tasks.base import Problem, get_task

        return get_task(plan.task).prompt(Problem(problem, gold), _task_template(plan, row))
    import jinja2

    try:
        text = plan.template.render({**row.record, "question": question})
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError) as exc:  # SecurityError is a TemplateError
        raise RowProblem("template_error", f"the template fails on this row: {_first_line(exc)}") from None
    if not text.strip():
        raise RowProblem("template_error", "the template renders an empty prompt for this row")
    return text


def _task_template(plan: ImportPlan, row: SourceRow) -> int:
    """The wording of the task's prompt for one source row: drawn from a stream keyed by the
    source and the row's place in it, as generated rows draw theirs (``docs/prompts.md``)."""
    from synlog.synth.seeding import stream_rng
    from synlog.tasks.base import get_task

    count = get_task(plan.task).templates("en")
    return int(stream_rng("template", plan.task, plan.source_name, row.index).integers(count))


def build_row(plan: ImportPlan, row: SourceRow) -> dict[str, Any]:
    """The synlog row of one source row (``index`` is set by the caller); RowProblem when refused."""
    from synlog.synth.example import fingerprint
    from synlog.synth.seeding import canonical_json
    from synlog.tasks.base import get_task

    values = {target: lookup(row.record, column) for target, column in plan.columns.items()}
    if plan.preset is not None:
        values = plan.preset.adapt(values, plan.language)
    build = math_problem if plan.task == "math_answer" else code_problem
    problem, gold = build(values, plan)
    question = problem["question"] if plan.task == "math_answer" else problem["statement"]
    difficulty = level_of(values["difficulty"]) if values.get("difficulty") not in (None, "") else 0
    row_id = values.get("id")
    if row_id in (None, ""):
        row_id = f"{plan.source_name}-{row.index}"
    elif isinstance(row_id, (dict, list)):
        raise RowProblem("bad_value", f"the id '{plan.columns['id']}' is {type(row_id).__name__}, not text")
    problem_json = canonical_json(problem)
    task = get_task(plan.task)
    return {
        "id": str(row_id), "task": task.name, "family": task.family, "difficulty": difficulty,
        "params": canonical_json({"lang": "en", "template": _task_template(plan, row)})
        if plan.template == TASK_TEMPLATE else "{}",
        "seed": 0, "index": 0, "prompt": _prompt(plan, row, problem, gold, question), "answer": gold,
        "problem": problem_json, "effort": 0.0, "fingerprint": fingerprint(task.name, problem_json),
        "task_version": int(task.version), "synlog_version": __version__,
        "source": plan.source_name, "source_index": row.index,
    }


@dataclass(frozen=True)
class Skipped:
    """A source row left out: where it is, a short reason key, and why."""

    source_index: int
    line: int | None
    reason: str
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"source_index": self.source_index, "line": self.line, "reason": self.reason, "message": self.message}


@dataclass
class ImportResult:
    """The rows made, the rows skipped, and how many source rows were read."""

    plan: ImportPlan
    rows: list[dict[str, Any]]
    skipped: list[Skipped]
    read: int

    def skipped_by_reason(self) -> dict[str, int]:
        return dict(Counter(s.reason for s in self.skipped).most_common())

    def where(self, skipped: Skipped) -> str:
        return self.plan.source.where(SourceRow(skipped.source_index, skipped.line, {}))

    def report(self) -> dict[str, Any]:
        """``import_report.json``: the plan, the counts, and every skipped row."""
        return {**self.plan.describe(), "read": self.read, "kept": len(self.rows),
                "skipped": self.skipped_by_reason(), "skipped_rows": [s.to_json() for s in self.skipped]}


def import_rows(
    plan: ImportPlan, *, strict: bool = False, limit: int | None = None, exclude: Any = None,
    progress: Callable[[int], Any] | None = None,
) -> ImportResult:
    """Every source row (the first ``limit``) as a synlog row, or skipped with its reason.

    ``strict``: the first row that cannot be used is an InputFileError naming its line (rows
    left out by ``exclude``, an :class:`~synlog.synth.decontaminate.Exclusion`, are not faults).
    """
    rows: list[dict[str, Any]] = []
    skipped: list[Skipped] = []
    first_of_problem: dict[str, str] = {}
    first_of_id: dict[str, str] = {}
    read = 0
    for source_row in plan.source.rows():
        if limit is not None and read >= limit:
            break
        read += 1
        if progress is not None:
            progress(1)
        where = plan.source.where(source_row)
        try:
            row = build_row(plan, source_row)
            if row["fingerprint"] in first_of_problem:
                raise RowProblem("duplicate_problem", f"the same problem as {first_of_problem[row['fingerprint']]}")
            if row["id"] in first_of_id:
                raise RowProblem("duplicate_id", f"the id {row['id'][:60]!r} is also {first_of_id[row['id']]}'s")
        except RowProblem as problem:
            if strict:
                raise InputFileError(f"{where}: {problem}; fix the row, or drop --strict to skip such rows") from None
            skipped.append(Skipped(source_row.index, source_row.line, problem.reason, str(problem)))
            continue
        if exclude and exclude.excludes(row):
            skipped.append(Skipped(source_row.index, source_row.line, "excluded",
                                   f"its problem or prompt is in {', '.join(exclude.sources)}"))
            continue
        first_of_problem[row["fingerprint"]] = where
        first_of_id[row["id"]] = where
        row["index"] = len(rows)
        rows.append(row)
    return ImportResult(plan, rows, skipped, read)


# --------------------------------------------------------------------------- writing


def split_tables(rows: list[dict[str, Any]], splits: dict[str, float] | None = None) -> dict[str, pa.Table]:
    """The rows as one table per split (a seeded draw; source order kept inside a split)."""
    from synlog.datasets_out.schema import rows_to_table
    from synlog.synth.plan import split_counts
    from synlog.synth.seeding import stream_rng

    table = rows_to_table(rows)
    counts = split_counts(table.num_rows, splits or {"train": 1.0})
    if len(counts) == 1:
        return {next(iter(counts)): table}
    order = stream_rng("split", 0, table.num_rows).permutation(table.num_rows)
    tables, start = {}, 0
    for split, size in counts.items():
        tables[split] = table.take(pa.array(sorted(order[start : start + size].tolist()), type=pa.int64()))
        start += size
    return tables


def write_import(
    result: ImportResult, out: str | Path, fmt: str = "parquet", splits: dict[str, float] | None = None,
    overwrite: bool = False, command: str | None = None,
) -> dict[str, pa.Table]:
    """Write the rows, the card and ``import_report.json`` into ``out`` in one atomic step."""
    from synlog.datasets_out.card import write_import_card
    from synlog.datasets_out.io import FORMATS, check_output_folder, write_split_tables
    from synlog.synth import publish

    if fmt not in FORMATS:
        raise InputFileError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    out = Path(out)
    check_output_folder(out)
    publish.recover(out)
    if out.exists() and not overwrite:
        raise OutputError(f"output folder '{out}' exists; pass --overwrite to replace it")
    if not result.rows:
        raise InputFileError(f"no row of {result.plan.source.path} could be imported ({result.read} read, skipped: "
                             f"{result.skipped_by_reason() or 'none'}); see the reasons above")
    tables = split_tables(result.rows, splits)
    staging, _, _ = publish.work_names(out)
    if staging.exists():
        shutil.rmtree(staging)
    try:
        write_split_tables(tables, staging, fmt)
        report = result.report()
        report["command"] = command
        (staging / REPORT_FILE).write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
        write_import_card(staging, tables, fmt, command, report, path=out)
        publish.publish(staging, out, replace=overwrite)
    except FileExistsError:
        raise OutputError(f"output folder '{out}' appeared during the import; nothing was replaced") from None
    except SynlogError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write '{exc.filename or out}': {exc.strerror or exc}; choose another -o") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return tables
