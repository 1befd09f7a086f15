"""Structured splits and prompt wording, as `synlog generate` produces them.

Specification:
- ``--split ood:train=1-5,test=6-10``: every train row is at levels 1..5 and every test row at
  6..10, no fingerprint is in both, the card says how the split was defined, shares follow the
  level counts (or the given shares), reruns are byte-identical, mixtures keep their weights,
  and a malformed or overlapping definition is a one-line usage error;
- ``template=random`` (the default) spreads a dataset's rows over all of a task's templates;
  ``--template N`` fixes one; ``--lang zh`` writes Chinese prompts; each row's ``params`` record
  both, and a row regenerates from its own params.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from click.testing import CliRunner

from synlog.cli.main import cli
from synlog.datasets_out.io import read_dataset
from synlog.synth.example import regenerate


def invoke(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def generate(tmp_path, name: str, *args: str) -> dict:
    out = tmp_path / name
    result = invoke("generate", *args, "-o", out, "--workers", "1")
    assert result.exit_code == 0, result.output
    return {split: table.to_pylist() for split, table in read_dataset(out).items()}, out


def test_ood_split_draws_each_split_from_its_own_levels(tmp_path):
    tables, out = generate(tmp_path, "ood", "-t", "arithmetic", "-n", "80", "--split", "ood:train=1-3,test=8-10")
    train, test = tables["train"], tables["test"]
    assert {r["difficulty"] for r in train} == {1, 2, 3} and {r["difficulty"] for r in test} == {8, 9, 10}
    assert len(train) == len(test) == 40  # three levels each: equal shares
    assert not {r["fingerprint"] for r in train} & {r["fingerprint"] for r in test}
    card = (out / "README.md").read_text()
    assert "Split definition: out-of-distribution by difficulty" in card and "train = levels 1-3" in card
    again, _ = generate(tmp_path, "again", "-t", "arithmetic", "-n", "80", "--split", "ood:train=1-3,test=8-10")
    assert again == tables


def test_ood_split_takes_shares_and_mixtures(tmp_path):
    mix = tmp_path / "mix.yaml"
    mix.write_text("tasks:\n - task: arithmetic\n   weight: 3\n - task: sudoku\n   weight: 1\n   difficulty: 4\n")
    tables, _ = generate(tmp_path, "mix", "--mix", mix, "-n", "40", "--split", "ood:train=1-2:0.75,test=9:0.25")
    assert len(tables["train"]) == 30 and len(tables["test"]) == 10
    assert {r["difficulty"] for r in tables["test"]} == {9}
    tasks = Counter(r["task"] for r in tables["train"])
    assert tasks == {"arithmetic": 22, "sudoku": 8} or abs(tasks["arithmetic"] - 3 * tasks["sudoku"]) <= 2


@pytest.mark.parametrize("spec, fragment", [
    ("ood:train=1-5,test=5-10", "level 5 is in both"),
    ("ood:train=1-5", "at least two splits"),
    ("ood:train=1-5:0.9,test=6-10", "shares must add up to 1"),
    ("ood:train=0-3,test=6", "levels are 1 to 10"),
    ("ood:train=a,test=6", "levels are written"),
])
def test_bad_ood_splits_are_usage_errors(tmp_path, spec, fragment):
    result = invoke("generate", "-t", "arithmetic", "-n", "5", "--split", spec, "-o", tmp_path / "x")
    assert result.exit_code == 2 and fragment in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x").exists()


def test_random_templates_cover_every_wording_and_regenerate(tmp_path):
    tables, _ = generate(tmp_path, "words", "-t", "sudoku", "-n", "40")
    rows = tables["train"]
    used = Counter(json.loads(r["params"])["template"] for r in rows)
    assert set(used) == set(range(5)), used
    assert {json.loads(r["params"])["lang"] for r in rows} == {"en"}
    for row in rows[:5]:
        assert regenerate(row) == {k: row[k] for k in regenerate(row)}


def test_fixed_template_and_chinese_prompts(tmp_path):
    fixed, _ = generate(tmp_path, "fixed", "-t", "sudoku", "-n", "6", "--template", "3")
    assert {json.loads(r["params"])["template"] for r in fixed["train"]} == {3}
    assert all(r["prompt"].startswith("Task: ") for r in fixed["train"])  # layout 3
    zh, _ = generate(tmp_path, "zh", "-t", "sudoku", "-n", "6", "--lang", "zh")
    assert all(re.search(r"[\u4e00-\u9fff]", r["prompt"]) for r in zh["train"])
    english, _ = generate(tmp_path, "en", "-t", "sudoku", "-n", "6")
    # the same problems and golds in both languages; other prompts, other ids
    assert [(r["problem"], r["answer"]) for r in zh["train"]] == [(r["problem"], r["answer"]) for r in english["train"]]
    assert not {r["id"] for r in zh["train"]} & {r["id"] for r in english["train"]}


def test_mixture_entries_may_set_the_wording(tmp_path):
    mix = tmp_path / "mix.yaml"
    mix.write_text("tasks:\n - task: sudoku\n   set: {lang: zh, template: 1}\n - task: sudoku\n   difficulty: 2\n")
    tables, _ = generate(tmp_path, "mix", "--mix", mix, "-n", "10")
    params = [json.loads(r["params"]) for r in tables["train"]]
    assert {(p["lang"], p["template"]) for p, r in zip(params, tables["train"], strict=True) if r["difficulty"] == 1} == {("zh", 1)}
    assert {p["lang"] for p, r in zip(params, tables["train"], strict=True) if r["difficulty"] == 2} == {"en"}


@pytest.mark.parametrize("args, fragment", [
    (("--template", "9"), "has templates 0 to 4"),
    (("--template", "first"), "takes random or a template number"),
    (("--set", "lang=fr"), "takes one of en, zh"),
])
def test_bad_wording_is_a_usage_error(tmp_path, args, fragment):
    result = invoke("generate", "-t", "sudoku", "-n", "3", *args, "-o", tmp_path / "x")
    assert result.exit_code == 2 and fragment in result.output and "Traceback" not in result.output
