"""Specification of the water_jugs task beyond the shared contract.

Optima are re-derived by growing whole layers of states (sets, no parent links, the step rules
written again here) until one holds the target; infeasibility is re-proved by the gcd argument:
when every capacity and every starting amount is a multiple of g, every step keeps every
amount a multiple of g, so a target that is not one can never be measured.
"""

from __future__ import annotations

import json
import math
from functools import reduce

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import synlog
from synlog.tasks.base import Problem, get_task
from synlog.tasks.prompts import LANGS
from synlog.tasks.search.water_jugs import EXAMPLE, IMPOSSIBLE
from synlog.verifiers.verdict import Reason

TASK = get_task("water_jugs")


def problems(levels, per_level, seed=7):
    return [(json.loads(r["problem"]), r["answer"]) for level in levels
            for r in synlog.generate("water_jugs", difficulty=level, n=per_level, seed=seed)]


def after(state, caps):
    n = len(caps)
    for i in range(n):
        yield tuple(caps[k] if k == i else state[k] for k in range(n))
        yield tuple(0 if k == i else state[k] for k in range(n))
        for j in range(n):
            if i != j:
                amount = min(state[i], caps[j] - state[j])
                yield tuple(state[k] - amount if k == i else state[k] + amount if k == j else state[k]
                            for k in range(n))


def fewest_steps(caps, start, target):
    """Layers of states until one holds the target; None once no new state appears."""
    seen, layer, steps = {tuple(start)}, {tuple(start)}, 0
    while layer:
        if any(target in state for state in layer):
            return steps
        layer = {nxt for state in layer for nxt in after(state, caps)} - seen
        seen |= layer
        steps += 1
    return None


def test_optima_and_infeasibility_are_rederived_on_sixty_instances():
    checked = 0
    for problem, gold in problems(range(1, 7), 10):
        caps, start, target = problem["capacities"], problem["start"], problem["target"]
        best = fewest_steps(caps, start, target)
        assert best == problem["optimum"]
        if best is None:
            assert gold == IMPOSSIBLE
        else:
            assert len(gold.split(", ")) == best and TASK.verify(problem, gold).correct
        checked += 1
    assert checked == 60


@pytest.mark.slow
def test_optima_are_rederived_at_every_level():
    for problem, _ in problems(range(1, 11), 20, seed=8):
        assert fewest_steps(problem["capacities"], problem["start"], problem["target"]) == problem["optimum"]


def test_every_infeasible_instance_is_proved_by_the_gcd_argument():
    rows = problems(range(1, 5), 40, seed=3)
    infeasible = [p for p, _ in rows if p["optimum"] is None]
    assert infeasible, "some instances are infeasible"
    assert len(infeasible) / len(rows) <= 0.1  # the knob asks for 5 %
    for problem in infeasible:
        g = reduce(math.gcd, problem["capacities"])
        assert g > 1 and all(a % g == 0 for a in problem["start"]) and problem["target"] % g
        assert TASK.verify(problem, IMPOSSIBLE).correct
        assert not TASK.verify(problem, "fill A, pour A B").correct


def test_the_infeasible_share_is_below_the_chance_bound_at_every_level():
    for level in range(1, 11):
        assert TASK.knobs.resolve(level)["infeasible"] <= min(TASK.chance, 0.08 if level <= 2 else 0.05)


def test_a_feasible_instance_answered_impossible_scores_zero():
    problem = {"capacities": [3, 5], "start": [0, 0], "target": 4, "optimum": 6}
    assert TASK.verify(problem, "fill B, pour B A, empty A, pour B A, fill B, pour B A").correct
    assert TASK.verify(problem, "**Impossible**").score == 0


def test_a_longer_plan_scores_zero_with_partial_credit():
    problem = {"capacities": [3, 5], "start": [0, 0], "target": 4, "optimum": 6}
    longer = TASK.verify(problem, "fill A, pour A B, fill A, pour A B, empty B, pour A B, fill A, pour A B")
    assert longer.score == 0 and longer.details["fraction"] == pytest.approx(6 / 8)


PROBLEM = {"capacities": [3, 5], "start": [0, 0], "target": 4, "optimum": 6}


@pytest.mark.parametrize("answer, reason", [
    ("fill B, pour B A or impossible", Reason.UNPARSEABLE),                      # a hedge
    ("fill B, pour B A, empty A", Reason.WRONG),                                 # partial
    ("fill B, pour B A, empty A, pour B A, fill B, pour B A, impossible", Reason.UNPARSEABLE),
    ("fill C, pour C B", Reason.INVALID),                                        # no jug C
    ("pour A A, fill B", Reason.INVALID),
    ("fill A B", Reason.INVALID),
    ("pour B", Reason.INVALID),
    ("fill B; pour B A; empty A; pour B A; fill B; pour B A" * 2, Reason.UNPARSEABLE),
    ("fill B, " * 900 + "fill B", Reason.INVALID),                               # enormous
    ("B = 4", Reason.UNPARSEABLE),
    ("4", Reason.UNPARSEABLE),
])
def test_attacks_score_zero(answer, reason):
    verdict = TASK.verify(PROBLEM, answer)
    assert verdict.score == 0 and verdict.reason is reason, verdict


def test_the_gold_twice_is_not_correct():
    gold = "fill B, pour B A, empty A, pour B A, fill B, pour B A"
    assert not TASK.verify(PROBLEM, f"{gold}, {gold}").correct
    assert not TASK.verify(PROBLEM, f"{gold}\n{gold}").correct


def test_the_prompts_example_never_solves_its_instance():
    for problem, _ in problems((1, 2, 3), 10):
        assert not TASK.verify(problem, EXAMPLE).correct


def test_prompt_states_rules_format_and_the_infeasible_word():
    row = synlog.generate("water_jugs", difficulty=4, n=1, seed=3)[0]
    assert '"pour X Y"' in row["prompt"] and 'answer "impossible"' in row["prompt"]
    assert f"<answer>{EXAMPLE}</answer>" in row["prompt"]
    problem = Problem(json.loads(row["problem"]), row["answer"], row["effort"])
    for lang in LANGS:
        for i in range(TASK.templates(lang)):
            prompt = TASK.prompt(problem, i, lang)
            # the step words and the infeasible word stay English in every language
            assert '"pour X Y"' in prompt and f"<answer>{EXAMPLE}</answer>" in prompt, (lang, i)
            assert ('answer "impossible"' if lang == "en" else '"impossible"') in prompt, (lang, i)


STEPS = st.one_of(st.builds(lambda v, j: f"{v} {j}", st.sampled_from(["fill", "empty"]), st.sampled_from("ABC")),
                  st.builds(lambda a, b: f"pour {a} {b}", st.sampled_from("ABC"), st.sampled_from("ABC")))


@settings(max_examples=150, deadline=None)
@given(st.lists(STEPS, min_size=1, max_size=12))
def test_random_plans_never_raise_and_pay_only_real_shortest_plans(steps):
    verdict = TASK.verify(PROBLEM, ", ".join(steps))
    assert verdict.reason is not Reason.ERROR
    if verdict.correct:
        state = (0, 0)
        for step in steps:
            words = step.split()
            i = "AB".index(words[1])
            if words[0] == "fill":
                state = tuple(PROBLEM["capacities"][k] if k == i else state[k] for k in range(2))
            elif words[0] == "empty":
                state = tuple(0 if k == i else state[k] for k in range(2))
            else:
                j = "AB".index(words[2])
                moved = min(state[i], PROBLEM["capacities"][j] - state[j])
                state = tuple(state[k] - moved if k == i else state[k] + moved if k == j else state[k]
                              for k in range(2))
        assert 4 in state and len(steps) == 6
