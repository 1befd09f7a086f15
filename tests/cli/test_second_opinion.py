"""`synlog verify --second-opinion math-verify`: math-verify's verdicts beside synlog's, and
every disagreement reported; synlog's verdict stays the score."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from synlog.datasets_out.io import read_dataset

pytest.importorskip("math_verify", reason="needs math-verify (the [math] extra)")

MATH = [{"problem": "Halve 1.", "level": "Level 1", "type": "Prealgebra", "solution": "It is $\\boxed{\\frac{1}{2}}$."},
        {"problem": "What is 2+3?", "level": "Level 1", "type": "Prealgebra", "solution": "So $\\boxed{5}$."}]


def synlog(*args, cwd):
    return subprocess.run([sys.executable, "-m", "synlog", *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_disagreements_are_listed_and_never_averaged_into_the_score(tmp_path):
    (tmp_path / "math.jsonl").write_text("".join(json.dumps(r) + "\n" for r in MATH))
    assert synlog("import", "math.jsonl", "--preset", "math", "-o", "data", cwd=tmp_path).returncode == 0
    half, five = read_dataset(tmp_path / "data")["train"].to_pylist()
    (tmp_path / "outs.jsonl").write_text(
        json.dumps({"id": half["id"], "completions": ["<answer>2/4</answer>", "<answer>1/2</answer>"]}) + "\n"
        + json.dumps({"id": five["id"], "completion": "<answer>5</answer>"}) + "\n")
    done = synlog("verify", "data", "-c", "outs.jsonl", "--second-opinion", "math-verify", "-o", "report",
                  "--format", "jsonl", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "second opinion (math-verify): agrees on 2 of 3" in done.stdout
    summary = json.loads((tmp_path / "report" / "summary.json").read_text())
    # "2/4" is not in lowest terms: synlog's checker refuses it, math-verify accepts it
    assert summary["second_opinion"]["disagreements"] == [
        {"id": half["id"], "sample": 0, "synlog": False, "reason": "invalid", "math-verify": True}]
    assert summary["accuracy"] == pytest.approx(2 / 3)  # synlog's verdicts alone
    verdicts = [json.loads(line) for line in (tmp_path / "report" / "verdicts.jsonl").read_text().splitlines()]
    assert all(json.loads(v["details"])["second_opinion"]["tool"] == "math-verify" for v in verdicts)


@pytest.mark.slow
def test_without_math_answer_rows_the_option_says_so(tmp_path):
    assert synlog("generate", "--task", "arithmetic", "-n", "2", "-o", "data", cwd=tmp_path).returncode == 0
    row = read_dataset(tmp_path / "data")["train"].to_pylist()[0]
    (tmp_path / "outs.jsonl").write_text(json.dumps({"id": row["id"], "completion": "<answer>1</answer>"}) + "\n")
    done = synlog("verify", "data", "-c", "outs.jsonl", "--second-opinion", "math-verify", "-w", "0", cwd=tmp_path)
    assert done.returncode == 0 and "applies to math_answer rows; there are none here" in done.stderr
