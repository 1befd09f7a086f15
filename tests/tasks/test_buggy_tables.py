"""Specification of buggy_tables beyond the contract.

The shown table text is repaired by an independent procedure (bugs undone from their
descriptions: labels re-mapped, rotated column shifted back, thousands scaled, copies
dropped by id, NULL rows skipped) and the statistic recomputed with floats, on ≥ 50
instances; the answer 0 never occurs and no answer value dominates.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter

from synlog.synth.example import make_row
from synlog.tasks import get_task

TASK = get_task("buggy_tables")


def repair(problem):
    header = list(problem["header"])
    for bug in problem["bugs"]:
        if bug["kind"] == "swapped":
            a, b = bug["columns"]
            header = [b if h == a else a if h == b else h for h in header]
    lines = [dict(zip(header, line, strict=False)) for line in problem["table"]]
    for bug in problem["bugs"]:
        if bug["kind"] == "rotated":
            col = bug["column"]
            shown = [line[col] for line in lines]
            for i, line in enumerate(lines):
                line[col] = shown[(i + 1) % len(shown)]
    rows, seen = [], set()
    for line in lines:
        if line["id"] in seen:
            continue
        seen.add(line["id"])
        row = {"dept": line["dept"]}
        for key in ("age", "years", "score", "salary"):
            row[key] = None if line[key] == "NULL" else float(line[key])
        if any(b["kind"] == "thousands" for b in problem["bugs"]) and int(line["id"]) % 2 == 0:
            row["salary"] *= 1000
        rows.append(row)
    return rows


def compute(problem):
    keep = []
    for row in repair(problem):
        ok = row[problem["column"]] is not None
        for c in problem["conditions"]:
            v = row[c["column"]]
            ok &= v is not None and (v == c["value"] if c["op"] == "=" else v > c["value"] if c["op"] == ">" else v < c["value"])
        if ok:
            keep.append(row[problem["column"]])
    stat = problem["statistic"]
    return {"count": len, "sum": sum, "mean": statistics.mean, "min": min, "max": max}[stat](keep)


def rows(levels=(1, 3, 5, 7, 10), n=12, seed=7):
    return [make_row("buggy_tables", lv, TASK.knobs.resolve(lv), seed, i) for lv in levels for i in range(n)]


def test_gold_matches_an_independent_repair():
    checked = 0
    for row in rows():
        problem = json.loads(row["problem"])
        assert abs(compute(problem) - float(row["answer"])) <= 0.006, row["id"]
        assert TASK.verify(problem, row["answer"]).score == 1
        checked += 1
    assert checked >= 50


def test_every_bug_kind_occurs():
    kinds = Counter(b["kind"] for r in rows(n=30) for b in json.loads(r["problem"])["bugs"])
    assert set(kinds) == {"duplicated", "rotated", "swapped", "thousands", "nulls"}, kinds


def test_zero_never_and_no_answer_dominates():
    for level in (1, 5, 10):
        answers = [r["answer"] for r in rows(levels=(level,), n=300)]
        assert float(min(answers, key=float)) > 0
        top = Counter(answers).most_common(1)[0][1] / len(answers)
        assert top <= 0.05, (level, Counter(answers).most_common(3))


def test_number_parsing_is_strict_with_a_stated_tolerance():
    problem = {"exact": "46250"}
    for right in ("46250", "46250.00", "46250.004", "46249.995"):
        assert TASK.verify(problem, right).score == 1, right
    for wrong in ("46250.02", "46,250", "4.625e4", "46250 or 46251", "about 46250", "nan", "-46250"):
        assert TASK.verify(problem, wrong).score == 0, wrong


def test_filters_keep_several_rows_and_the_naive_reading_never_pays():
    for row in rows(levels=(1, 5, 10), n=40, seed=2):
        problem = json.loads(row["problem"])
        kept = compute({**problem, "statistic": "count"})
        assert kept >= 2, row["id"]  # one row would make min, max and mean that row's cell
        shortcuts = TASK.degenerate_answers(problem)
        assert "the example answer" in shortcuts  # and the naive reading, where it keeps a row
        for answer in shortcuts.values():
            assert TASK.verify(problem, answer).score == 0, (row["id"], answer)


def test_counts_are_asked_rarely():
    statistics_asked = Counter(json.loads(r["problem"])["statistic"] for r in rows(n=60, seed=5))
    assert statistics_asked["count"] / sum(statistics_asked.values()) <= 0.12
    assert set(statistics_asked) == {"count", "sum", "mean", "min", "max"}


def test_the_example_shortcut_is_the_prompts_example():
    row = rows(levels=(1,), n=1)[0]
    assert f"<answer>{TASK.degenerate_answers(json.loads(row['problem']))['the example answer']}</answer>" in row["prompt"]
