"""The command line, as a user drives it (README journey), and its answers to bad input.

Every user mistake exits with code 2, prints one line that says what to do, shows no
traceback, and leaves nothing half-written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from synlog.cli.main import cli
from synlog.datasets_out.io import read_dataset


def invoke(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def assert_user_error(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    message = result.output.strip().splitlines()
    assert any(all(f in line for f in fragments) for line in message), result.output


@pytest.fixture(scope="module")
def sudoku_data(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("data") / "sudoku"
    result = invoke("generate", "--task", "sudoku", "--difficulty", "4", "-n", "40", "--seed", "7",
                    "-o", out, "--workers", "1")
    assert result.exit_code == 0, result.output
    return out


def test_tasks_lists_every_family_with_knobs():
    result = invoke("tasks")
    assert result.exit_code == 0
    assert "sudoku" in result.output and "knobs: box, holes" in result.output
    grid_only = invoke("tasks", "--family", "grid")
    assert "sudoku" in grid_only.output and "zebra" not in grid_only.output
    assert "game_of_24" not in grid_only.output


def test_tasks_family_help_names_every_family_and_an_unknown_one_lists_them():
    from synlog.tasks.base import FAMILIES

    help_text = " ".join(invoke("tasks", "--help").output.split())
    assert all(name in help_text for name in FAMILIES)
    unknown = invoke("tasks", "--family", "logic")
    assert unknown.exit_code != 0 and "Traceback" not in unknown.output
    assert "grid, deduction, language, state" in unknown.output


def test_tasks_show_prints_the_ladder_and_a_sample_prompt():
    result = invoke("tasks", "show", "sudoku", "-d", "2")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any(line.split()[:1] == ["10"] for line in lines), "a row per level 1..10"
    assert "<answer>" in result.output and "Gold answer:" in result.output


def test_generate_writes_a_loadable_dataset_with_a_card(sudoku_data):
    tables = read_dataset(sudoku_data)
    assert sum(t.num_rows for t in tables.values()) == 40
    card = (sudoku_data / "README.md").read_text()
    assert "sudoku" in card and "seed" in card.lower()
    from datasets import load_dataset

    loaded = load_dataset("parquet", data_dir=str(sudoku_data))
    assert sum(len(split) for split in loaded.values()) == 40


def test_inspect_shows_prompts_and_answers(sudoku_data):
    result = invoke("inspect", sudoku_data, "--limit", "2")
    assert result.exit_code == 0
    assert result.output.count(">> answer:") == 2
    as_json = invoke("inspect", sudoku_data, "--limit", "1", "--json")
    row = json.loads(as_json.output.splitlines()[1])
    assert row["task"] == "sudoku" and row["difficulty"] == 4


def test_verify_scores_gold_and_wrong_completions_and_reports_pass_at_k(sudoku_data, tmp_path):
    rows = [r for t in read_dataset(sudoku_data).values() for r in t.to_pylist()][:5]
    lines = []
    for row in rows:
        lines.append({"id": row["id"], "completion": f"<think>ok</think><answer>{row['answer']}</answer>"})
        lines.append({"id": row["id"], "completion": "<answer>1 2 3</answer>"})
    completions = tmp_path / "outs.jsonl"
    completions.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    result = invoke("verify", sudoku_data, "--completions", completions, "-o", tmp_path / "report",
                    "--workers", "1", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert "10 completions of 5 problems: accuracy 0.500" in result.output
    assert "pass@1 0.500" in result.output and "pass@2 1.000" in result.output
    summary = json.loads((tmp_path / "report" / "summary.json").read_text())
    assert summary["reasons"]["ok"] == 5


def test_mixture_with_splits_is_disjoint(tmp_path):
    spec = tmp_path / "mix.yaml"
    spec.write_text("tasks:\n  - {task: sat, weight: 1, difficulty: [1, 2]}\n"
                    "  - {task: arithmetic, weight: 1, difficulty: '1..3'}\n")
    out = tmp_path / "mix"
    result = invoke("generate", "--mix", spec, "-n", "60", "-o", out, "--split", "train=0.8,test=0.2",
                    "--workers", "1")
    assert result.exit_code == 0, result.output
    tables = read_dataset(out)
    assert {name: t.num_rows for name, t in tables.items()} == {"train": 48, "test": 12}
    train = set(tables["train"].column("fingerprint").to_pylist())
    assert train.isdisjoint(tables["test"].column("fingerprint").to_pylist())


@pytest.mark.parametrize(("args", "fragments"), [
    (["generate", "--task", "sudok", "-n", "5"], ("did you mean 'sudoku'",)),
    (["generate", "--task", "sudoku", "-n", "5", "--set", "holes=7"], ("holes",)),
    (["generate", "--task", "sudoku", "-n", "5", "--set", "colour=3"], ("colour",)),
    (["generate", "--task", "sudoku", "-n", "5", "--set", "holes"], ("name=value",)),
    (["generate", "--task", "sudoku", "-n", "5", "--split", "train=0.5,test=0.2"], ("split",)),
    (["tasks", "show", "zebar"], ("did you mean 'zebra'",)),
    (["tasks", "--family", "poetry"], ("families are",)),
])
def test_bad_generate_input_is_one_line_exit_two(tmp_path, args, fragments):
    out = tmp_path / "never"
    result = invoke(*args, *(["-o", out] if args[0] == "generate" else []))
    assert_user_error(result, *fragments)
    assert not out.exists() and not Path(f"{out}.partial").exists()


def test_existing_output_is_refused_unless_overwrite(sudoku_data):
    before = sorted(p.name for p in sudoku_data.iterdir())
    result = invoke("generate", "--task", "sudoku", "-n", "3", "-o", sudoku_data)
    assert_user_error(result, "--overwrite")
    assert sorted(p.name for p in sudoku_data.iterdir()) == before


def test_output_under_a_file_is_refused(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = invoke("generate", "--task", "sat", "-n", "3", "-o", blocker / "data")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_impossible_knobs_are_a_clear_error(tmp_path):
    """A 4×4 sudoku with no holes is a full grid that any row-by-row filling solves, so the
    generator (which redraws such giveaways) can never make one."""
    out = tmp_path / "full"
    result = invoke("generate", "--task", "sudoku", "-n", "300", "--set", "box=2", "--set", "holes=0",
                    "-o", out, "--workers", "1")
    assert_user_error(result, "impossible together", "box=2, holes=0.0")
    assert not out.exists()


def test_malformed_mixture_is_a_clear_error(tmp_path):
    spec = tmp_path / "mix.yaml"
    spec.write_text("tasks: [ {task: sudoku, weight: -1} ]\n")
    result = invoke("generate", "--mix", spec, "-n", "5", "-o", tmp_path / "out")
    assert_user_error(result, "weight")


def test_completions_for_unknown_ids_and_malformed_lines_are_named(sudoku_data, tmp_path):
    known = read_dataset(sudoku_data)["train"].column("id")[0].as_py()
    unknown = tmp_path / "unknown.jsonl"
    unknown.write_text(json.dumps({"id": known, "completion": "x"}) + "\n"
                       + json.dumps({"id": "nope-1", "completion": "x"}) + "\n")
    assert_user_error(invoke("verify", sudoku_data, "-c", unknown, "--workers", "0"), "nope-1")
    skipped = invoke("verify", sudoku_data, "-c", unknown, "--workers", "0", "--skip-unknown")
    assert skipped.exit_code == 0, skipped.output
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps({"id": "a", "completion": "x"}) + "\n{not json\n")
    assert_user_error(invoke("verify", sudoku_data, "-c", broken, "--workers", "0"), "broken.jsonl:2:")


def test_missing_dataset_is_a_clear_error(tmp_path):
    completions = tmp_path / "c.jsonl"
    completions.write_text("")
    assert invoke("verify", tmp_path / "nothing", "-c", completions).exit_code == 2
    assert invoke("inspect", tmp_path / "nothing").exit_code == 2
