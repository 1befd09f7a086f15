"""Specification of code_output beyond the shared contract.

The recorded output is re-derived independently: each generated program is run again with
a plain ``subprocess.run`` of this interpreter (no sandbox, no synlog code — the programs are
ours) on ≥ 50 instances. The answer must match line for line; only trailing spaces and blank
lines around the output are forgiven.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from synlog.synth.example import make_row
from synlog.tasks.base import get_task
from synlog.verifiers.verdict import Reason

TASK = get_task("code_output")


def rows_at(level: int, n: int, seed: int = 5) -> list[dict]:
    spec = TASK.knobs.resolve(level)
    return [make_row("code_output", level, spec, seed, i) for i in range(n)]


def test_recorded_output_matches_a_plain_rerun():
    rows = rows_at(2, 15) + rows_at(6, 20) + rows_at(10, 15)
    for row in rows:
        program = json.loads(row["problem"])["program"]
        done = subprocess.run([sys.executable, "-I", "-c", program], capture_output=True, text=True,
                              timeout=30, check=True)
        assert done.stdout.strip("\n") == row["answer"], row["id"]


def test_every_block_prints_one_line():
    for level in (1, 5, 10):
        spec = TASK.knobs.resolve(level)
        for row in rows_at(level, 5):
            assert len(row["answer"].split("\n")) == spec["blocks"]


@pytest.mark.parametrize("variant", [
    lambda a: a + "   ",
    lambda a: "\n\n" + a + "\n\n",
    lambda a: a.replace("\n", "  \n"),
    lambda a: "```\n" + a + "\n```",
])
def test_whitespace_around_lines_is_forgiven(variant):
    row = rows_at(4, 1)[0]
    assert TASK.verify(json.loads(row["problem"]), variant(row["answer"])).score == 1.0


def test_any_other_output_fails():
    row = rows_at(4, 1)[0]
    problem = json.loads(row["problem"])
    assert "\n" in row["answer"]
    lines = row["answer"].split("\n")
    assert TASK.verify(problem, "\n".join([lines[0], " " + lines[1], *lines[2:]])).score == 0.0
    assert TASK.verify(problem, "\n".join(lines[::-1])).score == 0.0
    assert TASK.verify(problem, row["answer"] + "\nextra").score == 0.0
    assert TASK.verify(problem, "").reason is Reason.UNPARSEABLE


def test_a_huge_answer_is_refused_without_comparing():
    problem = json.loads(rows_at(3, 1)[0]["problem"])
    assert TASK.verify(problem, "1\n" * 500_000).score == 0.0


def test_difficulty_adds_work():
    easy = sorted(r["effort"] for r in rows_at(1, 15))
    hard = sorted(r["effort"] for r in rows_at(10, 15))
    assert hard[7] > 3 * easy[7]


def test_no_printed_line_is_a_blind_guess():
    from synlog.tasks.code.code_output import GUESSABLE

    for level in (1, 3):
        for row in rows_at(level, 40):
            assert not any(line.strip() in GUESSABLE for line in row["answer"].split("\n")), row["answer"]
    assert {"0", "1", "-1", "True", "None", ""} <= GUESSABLE


def test_the_easiest_level_has_many_distinct_programs():
    rows = rows_at(1, 80, seed=11)
    programs = {json.loads(row["problem"])["program"] for row in rows}
    answers = [row["answer"] for row in rows]
    assert len(programs) >= 76
    assert max(answers.count(a) for a in answers) <= 4
