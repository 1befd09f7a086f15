"""What a newcomer meets when things go wrong: a verify run whose model ignores the answer tags
says so and names the fix; the fallback reader never takes a stray tag or a full stop as the
answer, and says what it read."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import synlog
from synlog.cli.main import cli
from synlog.tasks.base import last_answer_line
from synlog.verifiers.extract import ExtractConfig


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    out = tmp_path_factory.mktemp("d") / "arith"
    assert CliRunner().invoke(cli, ["generate", "--task", "arithmetic", "-n", "6", "-o", str(out), "-w", "1"]).exit_code == 0
    return out


def completions(path, rows, text):
    path.write_text("".join(json.dumps({"id": r["id"], "completion": text(r)}) + "\n" for r in rows))
    return path


def test_verify_says_when_the_model_never_writes_the_tags(data, tmp_path):
    from synlog.datasets_out.io import read_dataset

    rows = read_dataset(data)["train"].to_pylist()
    outs = completions(tmp_path / "outs.jsonl", rows, lambda r: f"I think it is {r['answer']}")
    result = CliRunner().invoke(cli, ["verify", str(data), "-c", str(outs), "-w", "0"])
    assert result.exit_code == 0, result.output
    assert "6 of 6 completions have no <answer>" in result.output and "--fallback" in result.output
    again = CliRunner().invoke(cli, ["verify", str(data), "-c", str(outs), "-w", "0", "--fallback"])
    assert "accuracy 1.000" in again.output and "--fallback" not in again.output


def test_no_hint_when_most_completions_answer(data, tmp_path):
    from synlog.datasets_out.io import read_dataset

    rows = read_dataset(data)["train"].to_pylist()
    outs = completions(tmp_path / "outs.jsonl", rows, lambda r: f"<answer>{r['answer']}</answer>")
    result = CliRunner().invoke(cli, ["verify", str(data), "-c", str(outs), "-w", "0"])
    assert "accuracy 1.000" in result.output and "note:" not in result.output


@pytest.mark.parametrize("text, read", [
    ("The answer is 7.", "The answer is 7"),
    ("blue\n</answer>\n", "blue"),
    ("So: yes\n.\n", "So: yes"),
    ("</think>\n<answer>\n", None),
    ("   \n.\n", None),
    ("Wait...", "Wait..."),
])
def test_the_fallback_line_is_never_a_stray_tag_or_a_full_stop(text, read):
    assert last_answer_line(text) == read


def test_a_fallback_verdict_names_what_it_read():
    row = synlog.generate("web_of_lies", 3, 1, seed=1)[0]
    verdict = synlog.score(row["task"], row["problem"], "thinking...\nThe answer is maybe.\n</answer>",
                           ExtractConfig(fallback=True))
    assert verdict.extraction == "fallback" and verdict.details["read"] == "The answer is maybe"
