"""`synlog verify` on tasks that run answers: it names the sandbox, and warns once where the
machine cannot give it the jail."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from synlog.cli.main import cli
from synlog.datasets_out.io import read_dataset


@pytest.fixture(scope="module")
def code_data(tmp_path_factory):
    out = tmp_path_factory.mktemp("d") / "code"
    done = CliRunner().invoke(cli, ["generate", "--task", "code_function", "-n", "3", "-o", str(out), "-w", "1"])
    assert done.exit_code == 0, done.output
    rows = read_dataset(out)["train"].to_pylist()
    outs = out.parent / "outs.jsonl"
    outs.write_text("".join(json.dumps({"id": r["id"], "completion": f"<answer>{r['answer']}</answer>"}) + "\n"
                            for r in rows))
    return out, outs


def test_verify_names_the_sandbox_that_runs_the_answers(code_data):
    data, outs = code_data
    result = CliRunner().invoke(cli, ["verify", str(data), "-c", str(outs), "-w", "0"])
    assert result.exit_code == 0, result.output
    assert "accuracy 1.000" in result.output
    assert "sandbox: warm (host hidden" in result.output
    assert "warning" not in result.output


def test_verify_warns_once_where_the_jail_cannot_be_built(code_data, monkeypatch):
    # test double: a machine without namespaces (we are root here and cannot take them away)
    from synlog.sandbox import process

    monkeypatch.setattr(process, "jail_mode", lambda: None)
    data, outs = code_data
    result = CliRunner().invoke(cli, ["verify", str(data), "-c", str(outs), "-w", "0"])
    assert result.exit_code == 0, result.output
    assert result.output.count("warning: the sandbox is weaker here") == 1
    assert "host's files" in result.output


def test_verify_of_tasks_that_run_nothing_says_nothing_of_a_sandbox(tmp_path):
    out = tmp_path / "arith"
    assert CliRunner().invoke(cli, ["generate", "--task", "arithmetic", "-n", "2", "-o", str(out)]).exit_code == 0
    rows = read_dataset(out)["train"].to_pylist()
    outs = tmp_path / "outs.jsonl"
    outs.write_text("".join(json.dumps({"id": r["id"], "completion": "<answer>1</answer>"}) + "\n" for r in rows))
    result = CliRunner().invoke(cli, ["verify", str(out), "-c", str(outs), "-w", "0"])
    assert result.exit_code == 0 and "sandbox:" not in result.output


def test_verify_counts_the_completions_of_problems_that_cannot_be_judged(capsys):
    from synlog.cli.main import _print_summary
    from synlog.verifiers.report import summarise

    records = [
        {"id": "a", "task": "code_tests", "difficulty": 1, "score": 0.0, "correct": False, "reason": "invalid",
         "details": json.dumps({"why": "problem: no tests", "problem_error": "no tests"})},
        {"id": "b", "task": "code_tests", "difficulty": 1, "score": 1.0, "correct": True, "reason": "ok",
         "details": json.dumps({"passed": 3, "total": 3})},
    ]
    summary = summarise(records)
    assert summary["bad_problems"] == 1
    _print_summary(summary)
    assert "problems that cannot be judged as given: 1 completions" in capsys.readouterr().out
