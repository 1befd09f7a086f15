"""Completions files are parsed strictly; summaries count what they claim to."""

from __future__ import annotations

import json
import math

import pytest

from synlog.errors import InputFileError
from synlog.verifiers.report import pass_at_k, read_completions, summarise


def write(tmp_path, lines):
    path = tmp_path / "outs.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_several_completions_per_id_are_numbered(tmp_path):
    path = write(tmp_path, [json.dumps({"id": "a", "completion": "x"}), "",
                            json.dumps({"id": "a", "completions": ["y", "z"]})])
    items = read_completions(path, {"a"})
    assert [(c.id, c.sample, c.text) for c in items] == [("a", 0, "x"), ("a", 1, "y"), ("a", 2, "z")]


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"id": "a", "completion": ', "outs.jsonl:2: not valid JSON"),
        ('["a", "b"]', "outs.jsonl:2: each line needs an object"),
        ('{"id": "a"}', "outs.jsonl:2: missing 'completion'"),
        ('{"id": "a", "completion": 5}', "outs.jsonl:2: completions must be strings"),
        ('{"id": "zzz", "completion": "x"}', "ids not in the dataset \\(line 2: 'zzz'\\)"),
    ],
)
def test_malformed_lines_are_named(tmp_path, line, message):
    path = write(tmp_path, [json.dumps({"id": "a", "completion": "ok"}), line])
    with pytest.raises(InputFileError, match=message):
        read_completions(path, {"a"})


def test_unknown_ids_can_be_skipped(tmp_path):
    path = write(tmp_path, ['{"id": "a", "completion": "x"}', '{"id": "b", "completion": "y"}'])
    assert [c.id for c in read_completions(path, {"a"}, skip_unknown=True)] == ["a"]


def test_pass_at_k_matches_the_combinatorial_definition():
    assert pass_at_k(4, 0, 1) == 0.0
    assert pass_at_k(4, 1, 1) == pytest.approx(0.25)
    assert pass_at_k(4, 1, 2) == pytest.approx(1 - math.comb(3, 2) / math.comb(4, 2))
    assert pass_at_k(4, 3, 2) == 1.0


def test_summary_counts_by_task_and_difficulty():
    records = [
        {"id": "p1", "task": "t", "difficulty": 1, "score": 1.0, "correct": True, "reason": "ok"},
        {"id": "p1", "task": "t", "difficulty": 1, "score": 0.0, "correct": False, "reason": "wrong"},
        {"id": "p2", "task": "t", "difficulty": 2, "score": 0.0, "correct": False, "reason": "no_answer"},
        {"id": "p2", "task": "t", "difficulty": 2, "score": 0.0, "correct": False, "reason": "no_answer"},
    ]
    summary = summarise(records)
    assert summary["accuracy"] == 0.25
    assert summary["by_task_difficulty"] == [
        {"task": "t", "difficulty": 1, "n": 2, "accuracy": 0.5, "problems": 1, "pass@1": 0.5, "pass@2": 1.0},
        {"task": "t", "difficulty": 2, "n": 2, "accuracy": 0.0, "problems": 1, "pass@1": 0.0, "pass@2": 0.0},
    ]
    assert summary["reasons"] == {"no_answer": 2, "ok": 1, "wrong": 1}
    assert summary["pass@1"] == 0.25 and summary["pass@2"] == 0.5
