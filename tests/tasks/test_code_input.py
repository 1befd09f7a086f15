"""Specification of code_input beyond the shared contract.

The target is re-derived from the hidden input by the independent DSL interpreter of
``test_code_function``; any input reaching the target scores 1 (found here by a small
search, different from the gold); the answer format is strict (a JSON list of at most 50
integers within ±10⁶, no booleans, no floats).
"""

from __future__ import annotations

import itertools
import json

import pytest

from synlog.synth.example import make_row
from synlog.tasks.base import get_task
from synlog.verifiers.verdict import Reason
from tests.tasks.test_code_function import independent_apply

TASK = get_task("code_input")


def rows_at(level: int, n: int, seed: int = 9) -> list[dict]:
    spec = TASK.knobs.resolve(level)
    return [make_row("code_input", level, spec, seed, i) for i in range(n)]


def test_target_is_the_function_of_the_hidden_input():
    for level in (1, 3, 6, 10):
        for row in rows_at(level, 15):
            problem = json.loads(row["problem"])
            assert independent_apply(problem["steps"], problem["fold"], json.loads(row["answer"])) == problem["target"]


def test_the_empty_list_never_reaches_the_target():
    for row in rows_at(5, 20):
        problem = json.loads(row["problem"])
        assert independent_apply(problem["steps"], problem["fold"], []) != problem["target"]


def test_any_input_reaching_the_target_scores_one():
    found = 0
    for row in rows_at(2, 20):
        problem = json.loads(row["problem"])
        gold = json.loads(row["answer"])
        candidates = ([[v] for v in range(-60, 61)]
                      + [list(p) for p in itertools.product(range(-6, 7), repeat=2)]
                      + [gold[::-1], gold + [0], [0] + gold])
        for xs in candidates:
            if xs != gold and independent_apply(problem["steps"], problem["fold"], xs) == problem["target"]:
                assert TASK.verify(problem, json.dumps(xs)).score == 1.0, (row["id"], xs)
                found += 1
                break
    assert found >= 5, "the search should find other inputs for several easy instances"


@pytest.mark.parametrize("answer", ["[1, 2", "[true, 1]", "[1.0]", "[1, \"2\"]", "{\"xs\": [1]}", "7",
                                    json.dumps(list(range(51))), "[10000001]", "[" * 3000 + "]" * 3000])
def test_malformed_inputs_are_unparseable(answer):
    problem = json.loads(rows_at(3, 1)[0]["problem"])
    verdict = TASK.verify(problem, answer)
    assert verdict.score == 0.0 and verdict.reason is Reason.UNPARSEABLE


@pytest.mark.parametrize("stdout", ["", "\x00\ufffd" * 1000, "9" * 5000, "[1]\n[2]", "x" * 10_000_000,
                                    "NaN", "{target}\ntrailing junk"])
def test_hostile_sandbox_output_never_raises_and_is_wrong(stdout, monkeypatch):
    from synlog.sandbox import RunResult, Status
    from synlog.tasks.code import code_input

    row = rows_at(3, 1)[0]
    problem = json.loads(row["problem"])
    for status in (Status.OK, Status.RUNTIME_ERROR, Status.TIMEOUT, Status.OUTPUT_LIMIT):
        text = stdout.replace("{target}", str(problem["target"]))
        monkeypatch.setattr(code_input, "run_program", lambda *a, _s=status, _t=text, **k: RunResult(_s, stdout=_t))
        verdict = TASK.verify(problem, row["answer"])
        assert verdict.score == 0.0 and verdict.reason is Reason.WRONG, (status, verdict)


# --- no free reward: the function depends on its input, and no shortcut reaches the target ------

from collections import Counter  # noqa: E402

import numpy as np  # noqa: E402

from synlog.tasks.code.code_input import EXAMPLE_INPUT  # noqa: E402


def shortcut_inputs(target: int) -> list[list[int]]:
    return [[], [target], [target, 0], [0, target], [-target], EXAMPLE_INPUT, [0], [1], [-1], [1, 2, 3]]


@pytest.mark.parametrize("level", [1, 3, 5, 7, 10])
def test_no_shortcut_input_reaches_the_target(level):
    for row in rows_at(level, 30):
        problem = json.loads(row["problem"])
        for xs in shortcut_inputs(problem["target"]):
            assert independent_apply(problem["steps"], problem["fold"], xs) != problem["target"], (row["id"], xs)


def test_the_audit_tries_the_target_itself_and_the_prompt_example():
    problem = json.loads(rows_at(3, 1)[0]["problem"])
    answers = TASK.degenerate_answers(problem)
    assert answers["[target]"] == json.dumps([problem["target"]])
    assert json.dumps(EXAMPLE_INPUT) in answers.values()


@pytest.mark.parametrize("level", [1, 5, 10])
def test_a_fixed_list_rarely_hits_the_target(level):
    """The chance that another random list gives the target (what a fixed guess earns) is small."""
    spec = TASK.knobs.resolve(level)
    rng = np.random.default_rng(level)
    hits = []
    for row in rows_at(level, 30):
        problem = json.loads(row["problem"])
        fresh = [[int(v) for v in rng.integers(-spec["bound"], spec["bound"] + 1, spec["length"])] for _ in range(60)]
        values = [independent_apply(problem["steps"], problem["fold"], xs) for xs in fresh]
        hits.append(values.count(problem["target"]) / len(values))
        assert Counter(values).most_common(1)[0][1] <= 12, (row["id"], Counter(values).most_common(3))
    assert np.mean(hits) <= 0.05


@pytest.mark.parametrize("level", [3, 7, 10])
def test_every_step_of_the_function_matters(level):
    spec = TASK.knobs.resolve(level)
    rng = np.random.default_rng(7)
    for row in rows_at(level, 15):
        problem = json.loads(row["problem"])
        steps, fold = problem["steps"], problem["fold"]
        assert len(steps) == spec["depth"]
        fresh = [[int(v) for v in rng.integers(-spec["bound"], spec["bound"] + 1, spec["length"])] for _ in range(64)]
        for i in range(len(steps)):
            rest = steps[:i] + steps[i + 1:]
            changed = sum(independent_apply(rest, fold, xs) != independent_apply(steps, fold, xs) for xs in fresh)
            assert changed >= 6, (row["id"], steps[i], changed)
