"""Batch verification of a dataset against a completions file, and the summary report
(written by :func:`write_report`, read back by :func:`read_verdicts`).

Completions are JSONL, one object a line: ``{"id": "<row id>", "completion": "<text>"}``, or
``{"id": ..., "completions": [...]}`` for several samples. Several lines may share an id
(pass@k). Malformed lines and unknown ids are errors that name the line.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from math import comb
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from synlog.datasets_out.io import iter_json_lines
from synlog.errors import InputFileError
from synlog.verifiers.extract import ExtractConfig, extract
from synlog.verifiers.verdict import Verdict

MAX_COMPLETION_CHARS = 10_000_000


@dataclass
class Completion:
    """One completion of one row."""

    id: str
    sample: int
    text: str
    line: int


def read_completions(
    path: str | Path, known_ids: set[str] | None = None, skip_unknown: bool = False
) -> list[Completion]:
    """Parse a completions JSONL file; errors name the file and line."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"cannot read completions '{path}': no such file")
    samples: Counter[str] = Counter()
    out: list[Completion] = []
    unknown: list[tuple[int, str]] = []
    expected = "an object with 'id' and 'completion'"
    for number, record in iter_json_lines(path, expected):
        if "id" not in record:
            raise InputFileError(f"{path}:{number}: each line needs {expected}")
        if "completion" in record:
            texts = [record["completion"]]
        elif isinstance(record.get("completions"), list):
            texts = record["completions"]
        else:
            raise InputFileError(f"{path}:{number}: missing 'completion' (or a 'completions' list)")
        row_id = str(record["id"])
        if known_ids is not None and row_id not in known_ids:
            unknown.append((number, row_id))
            continue
        for text in texts:
            if not isinstance(text, str):
                raise InputFileError(f"{path}:{number}: completions must be strings")
            out.append(Completion(row_id, samples[row_id], text[:MAX_COMPLETION_CHARS], number))
            samples[row_id] += 1
    if unknown and not skip_unknown:
        shown = ", ".join(f"line {n}: '{i}'" for n, i in unknown[:3])
        more = f" and {len(unknown) - 3} more" if len(unknown) > 3 else ""
        raise InputFileError(
            f"{path}: {len(unknown)} completion(s) name ids not in the dataset ({shown}{more});"
            " check you passed the matching dataset, or use --skip-unknown"
        )
    if not out:
        raise InputFileError(f"{path}: no completions found")
    return out


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k from n samples of which c are correct (Chen et al., 2021)."""
    if n - c < k:
        return 1.0
    return 1.0 - comb(n - c, k) / comb(n, k)


def _passes(per_problem: dict[str, list[bool]]) -> dict[str, float]:
    """Unbiased pass@k over problems, for every k in 1, 2, 4, … up to the fewest samples a
    problem has (a rate needs every problem to have k samples)."""
    smallest = min(len(v) for v in per_problem.values())
    ks = [k for k in (1, 2, 4, 8, 16, 32, 64, 128, 256) if k <= smallest]
    return {f"pass@{k}": sum(pass_at_k(len(v), sum(v), k) for v in per_problem.values()) / len(per_problem)
            for k in ks}


def summarise(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Accuracy and pass@k by task × difficulty (with the cell's completions ``n`` and
    ``problems``), accuracy by source (an imported row's ``source``, else its
    task), reason counts, pass@k and any second opinion's agreement, from verdict records."""
    by_cell: dict[tuple[str, int], list[float]] = defaultdict(list)
    reasons: Counter[str] = Counter()
    per_problem: dict[str, list[bool]] = defaultdict(list)
    by_source: dict[str, list[float]] = defaultdict(list)
    bad_problems = 0
    for r in records:
        bad_problems += '"problem_error"' in r.get("details", "")
        by_cell[(r["task"], r["difficulty"])].append(r["score"])
        by_source[r.get("source") or r["task"]].append(r["score"])
        reasons[r["reason"]] += 1
        per_problem[r["id"]].append(bool(r["correct"]))
    problems_of: dict[tuple[str, int], set[str]] = defaultdict(set)
    for r in records:
        problems_of[(r["task"], r["difficulty"])].add(r["id"])
    cells = [
        {"task": t, "difficulty": d, "n": len(s), "accuracy": sum(s) / len(s), "problems": len(problems_of[(t, d)]),
         **_passes({i: per_problem[i] for i in problems_of[(t, d)]})}
        for (t, d), s in sorted(by_cell.items())
    ]
    passes = _passes(per_problem)
    total = len(records)
    return {
        "completions": total,
        "problems": len(per_problem),
        "accuracy": sum(r["score"] for r in records) / total,
        "by_task_difficulty": cells,
        "by_source": [{"source": name, "n": len(v), "accuracy": sum(v) / len(v)} for name, v in sorted(by_source.items())],
        "reasons": dict(reasons.most_common()),
        "bad_problems": bad_problems,
        **passes,
        **second_opinion_summary(records),
    }


def second_opinion_summary(records: list[dict[str, Any]]) -> dict[str, Any]:
    """How a second checker's verdicts (``details.second_opinion``, written by tasks asked for
    one: ``synlog verify --second-opinion``) compare with synlog's: counts, and every
    disagreement by id. Nothing is averaged: synlog's verdict is the score."""
    compared = agree = failed = 0
    disagreements: list[dict[str, Any]] = []
    tool = None
    for r in records:
        details = r.get("details", "")
        if '"second_opinion"' not in details:
            continue
        opinion = json.loads(details).get("second_opinion") or {}
        tool = tool or opinion.get("tool")
        if opinion.get("correct") is None:
            failed += 1
            continue
        compared += 1
        if bool(opinion["correct"]) == bool(r["correct"]):
            agree += 1
        else:
            disagreements.append({"id": r["id"], "sample": r["sample"], "synlog": bool(r["correct"]),
                                  "reason": r["reason"], tool or "second": bool(opinion["correct"])})
    if not compared and not failed:
        return {}
    return {"second_opinion": {"tool": tool, "compared": compared, "agree": agree, "no_opinion": failed,
                               "synlog_only_correct": sum(d["synlog"] for d in disagreements),
                               "second_only_correct": sum(not d["synlog"] for d in disagreements),
                               "disagreements": disagreements}}


#: characters of a completion kept in its verdict record (the rest is cut, and said to be)
RECORD_COMPLETION_CHARS = 20_000


def verdict_records(
    completions: list[Completion], rows: dict[str, dict[str, Any]], verdicts: list[Verdict],
    config: ExtractConfig | None = None,
) -> Iterator[dict[str, Any]]:
    """One flat record per verdict, ready for parquet/JSONL: with the completion (its first
    :data:`RECORD_COMPLETION_CHARS` characters), the answer extracted from it and the gold, so
    one file is enough to check a verdict by eye."""
    from synlog.tasks.base import get_task

    config = config or ExtractConfig()
    for completion, verdict in zip(completions, verdicts, strict=True):
        row = rows[completion.id]
        text = completion.text
        if len(text) > RECORD_COMPLETION_CHARS:
            text = text[:RECORD_COMPLETION_CHARS] + f"… [{len(completion.text) - RECORD_COMPLETION_CHARS} more characters]"
        found = extract(completion.text, config, get_task(row["task"]).fallback_extract)
        yield {
            "id": completion.id,
            "sample": completion.sample,
            "task": row["task"],
            "source": row.get("source") or row["task"],
            "difficulty": row["difficulty"],
            "score": verdict.score,
            "correct": verdict.correct,
            "reason": verdict.reason.value,
            "extraction": verdict.extraction or "none",
            "details": json.dumps(verdict.details, ensure_ascii=False, default=str),
            "completion": text,
            "answer": found.text,
            "gold": row.get("answer"),
        }


def write_report(records: list[dict[str, Any]], summary: dict[str, Any], folder: Path, fmt: str,
                 title: str = "synlog report") -> Path:
    """Write verdicts (parquet or JSONL), summary.json, index.html and summary.md into
    ``folder``; return the verdict file."""
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        target = folder / "verdicts.jsonl"
        tmp = target.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        target = folder / "verdicts.parquet"
        tmp = target.with_suffix(".tmp")
        pq.write_table(pa.Table.from_pylist(records), tmp)
    tmp.replace(target)
    summary_tmp = folder / "summary.json.tmp"
    summary_tmp.write_text(json.dumps(summary, indent=2))
    summary_tmp.replace(folder / "summary.json")
    from synlog.verifiers.report_html import write_pages

    write_pages([(summary.get("model") or folder.name, summary, records)], folder, title)
    return target


def read_verdicts(report: str | Path, columns: list[str] | None = None) -> list[dict[str, Any]]:
    """The verdict records of a report folder written by :func:`write_report` (or of its
    ``verdicts.parquet`` / ``verdicts.jsonl`` file itself); ``columns`` limits what is read."""
    path = Path(report)
    if path.is_dir():
        found = [path / name for name in ("verdicts.parquet", "verdicts.jsonl") if (path / name).exists()]
        if not found:
            raise InputFileError(f"'{report}' has no verdicts.parquet or verdicts.jsonl (run `synlog verify -o`)")
        path = found[0]
    if not path.exists():
        raise InputFileError(f"no such verdicts report: '{report}'")
    if path.suffix == ".parquet":
        try:
            return pq.read_table(path, columns=columns).to_pylist()
        except (pa.ArrowException, OSError) as exc:
            raise InputFileError(f"'{path}' is not a readable verdicts file ({exc}); "
                                 "point at a `synlog verify -o` report folder") from None
    return [record for _, record in iter_json_lines(path, "a verdict object with id and correct")]
