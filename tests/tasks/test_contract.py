"""The task contract, checked for every registered task (new tasks get it for free).

Specification, per task:
- the same inputs give byte-identical rows; seed s+1 is not seed s shifted by one index;
- the gold answer scores 1.0 at every level (through extraction too);
- another instance's gold scores below 1 (strictly for unique-answer tasks);
- every task-provided perturbation scores below 1;
- garbage never raises and never yields an ``error`` verdict;
- the problem JSON round-trips; solver effort grows with difficulty.
"""

from __future__ import annotations

import json
import statistics
from functools import cache

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synlog.errors import SynlogError
from synlog.synth.example import make_row
from synlog.tasks.base import Problem, all_tasks, get_task
from synlog.verifiers.score import score, score_answer
from synlog.verifiers.verdict import Reason

TASKS = sorted(all_tasks())
SEED = 2026


@cache
def rows(task: str, level: int, n: int, seed: int = SEED) -> tuple[dict, ...]:
    spec = get_task(task).knobs.resolve(level)
    return tuple(make_row(task, level, spec, seed, i) for i in range(n))


#: rows per level most contract tests draw: the default --contract-n, so they share its cache
SHARED_N = 6


def first_rows(task: str, level: int, k: int) -> tuple[dict, ...]:
    """The first ``k`` rows of a level, from the cache the gold test fills (generation is most of
    the contract suite's time)."""
    return rows(task, level, max(k, SHARED_N))[:k]


def as_problem(row: dict) -> Problem:
    return Problem(json.loads(row["problem"]), row["answer"], row["effort"])


def skip_without_tools(t) -> None:
    """Skip where verify needs a tool this machine lacks (Lean: "Lean 4 toolchain not found ...")."""
    try:
        t.check_requirements()
    except SynlogError as exc:
        pytest.skip(str(exc))


@pytest.mark.parametrize("task", TASKS)
def test_same_inputs_give_byte_identical_rows(task):
    spec = get_task(task).knobs.resolve(5)
    first = [json.dumps(make_row(task, 5, spec, 11, i), sort_keys=True) for i in range(3)]
    again = [json.dumps(make_row(task, 5, spec, 11, i), sort_keys=True) for i in range(3)]
    assert first == again


@pytest.mark.parametrize("task", TASKS)
def test_shifted_seed_is_not_a_copy(task):
    base = [r["fingerprint"] for r in rows(task, 6, 9)]
    nxt = [r["fingerprint"] for r in rows(task, 6, 9, SEED + 1)]
    shifted_matches = sum(nxt[i] == base[i + 1] for i in range(8))
    assert shifted_matches <= 2
    assert len(set(base)) >= 7, "nine consecutive examples should be (almost) all distinct"


@pytest.mark.parametrize("task", TASKS)
@pytest.mark.parametrize("level", range(1, 11))
def test_gold_answer_scores_one(task, level, contract_n):
    t = get_task(task)
    skip_without_tools(t)
    for row in rows(task, level, contract_n):
        problem = json.loads(row["problem"])
        direct = t.verify(problem, row["answer"])
        assert direct.score == 1.0 and direct.correct, (row["id"], direct)
        wrapped = score(t, row["problem"], f"<think>working</think>\n<answer>{row['answer']}</answer>")
        assert wrapped.score == 1.0, (row["id"], wrapped)
        assert wrapped.extraction == "tag"


@pytest.mark.slow
@pytest.mark.parametrize("task", TASKS)
@pytest.mark.parametrize("level", range(1, 11))
def test_gold_answer_scores_one_200_per_level(task, level):
    t = get_task(task)
    skip_without_tools(t)
    for row in rows(task, level, 200):
        verdict = t.verify(json.loads(row["problem"]), row["answer"])
        assert verdict.score == 1.0, (row["id"], verdict)


@pytest.mark.parametrize("task", TASKS)
def test_another_instances_gold_scores_below_one(task):
    t = get_task(task)
    skip_without_tools(t)
    sample = [r for level in (2, 5, 8) for r in rows(task, level, 6)]
    checked = accepted = 0
    for i, row in enumerate(sample):
        other = sample[(i + 7) % len(sample)]
        if other["answer"] == row["answer"] or other["fingerprint"] == row["fingerprint"]:
            continue
        checked += 1
        verdict = t.verify(json.loads(row["problem"]), other["answer"])
        if t.unique_answer:
            assert verdict.score < 1.0, (row["id"], other["answer"], verdict)
        accepted += verdict.score == 1.0
    assert checked >= len(sample) // 2
    assert accepted <= checked // 4, f"{accepted}/{checked} foreign answers accepted"


@pytest.mark.parametrize("task", TASKS)
def test_perturbations_score_below_one(task):
    t = get_task(task)
    total = 0
    for level in (1, 4, 7, 10):
        for row in first_rows(task, level, 4):
            rng = np.random.default_rng(0)
            for wrong in t.perturb(as_problem(row), rng):
                total += 1
                verdict = t.verify(json.loads(row["problem"]), wrong)
                assert verdict.score < 1.0, (row["id"], wrong, verdict)
                assert verdict.reason is not Reason.ERROR, (row["id"], wrong, verdict)
    assert total > 0, "a task must provide perturbations of its gold answer"


GARBAGE = [
    "",
    " ",
    "x" * 1_000_000,
    "<answer>",
    "</answer>",
    "<answer><answer></answer>",
    "<answer>" + "(" * 5000 + "</answer>",
    "<answer>" + "9**9**9**9" + "</answer>",
    "<answer>🙂 ñ 漢字 \u202e\x00</answer>",
    "\\boxed{",
    "\\boxed{\\boxed{}}",
    "<think>never closed",
    "<answer>" + "1 " * 100_000 + "</answer>",
    "<answer>[[[[[[[[[[</answer>",
    "<answer>{\"a\": </answer>",
    "<answer>None</answer>",
    "<answer>-1e999</answer>",
    "<answer>nan</answer>",
]


@pytest.mark.parametrize("task", TASKS)
def test_garbage_never_raises(task):
    t = get_task(task)
    skip_without_tools(t)
    problem = first_rows(task, 3, 1)[0]["problem"]
    for text in GARBAGE:
        verdict = score(t, problem, text)
        assert verdict.score == 0.0 and not verdict.correct
        assert verdict.reason is not Reason.ERROR, (text[:40], verdict)


@pytest.mark.parametrize("task", TASKS)
def test_random_text_never_raises(task):
    t = get_task(task)
    skip_without_tools(t)
    problem = json.loads(first_rows(task, 3, 1)[0]["problem"])

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.text(max_size=300))
    def check(text):
        verdict = score_answer(t, problem, text)
        assert 0.0 <= verdict.score <= 1.0
        assert verdict.reason is not Reason.ERROR, (text, verdict)

    check()


@pytest.mark.parametrize("task", TASKS)
def test_problem_json_round_trips(task):
    for row in first_rows(task, 4, 3):
        problem = json.loads(row["problem"])
        assert json.loads(json.dumps(problem, sort_keys=True, separators=(",", ":"))) == problem
        assert json.dumps(problem, sort_keys=True, separators=(",", ":"), ensure_ascii=False) == row["problem"]


@pytest.mark.parametrize("task", TASKS)
def test_prompt_states_the_answer_format(task):
    prompt = first_rows(task, 4, 1)[0]["prompt"]
    assert "<answer>" in prompt and "</answer>" in prompt


@pytest.mark.parametrize("task", TASKS)
def test_solver_effort_grows_with_difficulty(task):
    easy = statistics.median(r["effort"] for r in rows(task, 2, 9))
    hard = statistics.median(r["effort"] for r in rows(task, 9, 9))
    assert hard > easy, (easy, hard)


@pytest.mark.parametrize("task", TASKS)
def test_every_level_of_every_knob_is_valid(task):
    t = get_task(task)
    for level in range(1, 11):
        spec = t.knobs.resolve(level)
        for name, knob in t.knobs:
            value = spec[name]
            for v in value if isinstance(value, tuple) else (value,):
                knob.convert(name, v)
