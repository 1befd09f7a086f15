"""Specification of the tower_of_hanoi task beyond the shared contract.

Optima are re-derived by a bidirectional breadth-first search written here (arrangements as
tuples of pegs per disk, both frontiers grown a layer at a time), which shares nothing with the
generator's one-sided search; the generator's search is checked against the classic counts
(2^n − 1 on 3 pegs, Frame–Stewart on 4) on the standard puzzle.
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import synlog
from synlog.tasks.base import Problem, get_task
from synlog.tasks.prompts import LANGS
from synlog.tasks.search.tower_of_hanoi import EXAMPLE, shortest
from synlog.verifiers.score import score
from synlog.verifiers.verdict import Reason

TASK = get_task("tower_of_hanoi")


def problems(levels, per_level, seed=7):
    return [(json.loads(r["problem"]), r["answer"]) for level in levels
            for r in synlog.generate("tower_of_hanoi", difficulty=level, n=per_level, seed=seed)]


def arrangement(piles: dict[str, list[int]]) -> tuple[int, ...]:
    disks = sum(map(len, piles.values()))
    where = [0] * disks
    for p, (_, stack) in enumerate(sorted(piles.items())):
        for d in stack:
            where[d - 1] = p
    return tuple(where)


def neighbours(state: tuple[int, ...], pegs: int):
    tops = {}
    for disk, peg in enumerate(state):
        tops.setdefault(peg, disk)  # the first (smallest) disk seen on a peg is its top
    for a, disk in tops.items():
        for b in range(pegs):
            if b != a and tops.get(b, len(state)) > disk:
                yield state[:disk] + (b,) + state[disk + 1:]


def distance(start, goal, pegs) -> int:
    """Fewest moves by meeting two breadth-first frontiers in the middle."""
    if start == goal:
        return 0
    seen = [{start}, {goal}]
    frontier = [{start}, {goal}]
    depth = 0
    while frontier[0] and frontier[1]:
        side = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        layer = set()
        for state in frontier[side]:
            for nxt in neighbours(state, pegs):
                if nxt in seen[1 - side]:
                    return depth + 1
                if nxt not in seen[side]:
                    layer.add(nxt)
        seen[side] |= layer
        frontier[side] = layer
        depth += 1
    raise AssertionError("every arrangement reaches every other")


@cache
def frame_stewart(n: int, pegs: int) -> int:
    if n == 0:
        return 0
    if pegs == 3:
        return 2 ** n - 1
    return min(2 * frame_stewart(k, pegs) + frame_stewart(n - k, pegs - 1) for k in range(n))


def simulate(problem, answer: str) -> bool:
    """Whether a plain FROM->TO list (no decorations) is legal and ends in the goal."""
    piles = {k: list(v) for k, v in problem["start"].items()}
    for move in answer.split(","):
        a, _, b = move.strip().partition("->")
        if a not in piles or b not in piles or a == b or not piles[a]:
            return False
        if piles[b] and piles[b][-1] < piles[a][-1]:
            return False
        piles[b].append(piles[a].pop())
    return piles == problem["goal"]


def test_optima_are_rederived_by_a_bidirectional_search():
    for problem, gold in problems(range(1, 7), 9):
        pegs = problem["pegs"]
        best = distance(arrangement(problem["start"]), arrangement(problem["goal"]), pegs)
        assert best == problem["optimum"] == len(gold.split(", "))
        assert TASK.verify(problem, gold).correct


@pytest.mark.slow
def test_optima_are_rederived_at_every_level():
    for problem, gold in problems(range(1, 11), 20, seed=8):
        best = distance(arrangement(problem["start"]), arrangement(problem["goal"]), problem["pegs"])
        assert best == problem["optimum"] == len(gold.split(", "))


@pytest.mark.parametrize("pegs, disks", [(3, 1), (3, 4), (3, 7), (4, 3), (4, 5), (4, 6)])
def test_the_search_matches_the_classic_counts_on_the_standard_puzzle(pegs, disks):
    plan, _ = shortest((0,) * disks, (pegs - 1,) * disks, pegs)
    assert len(plan) == frame_stewart(disks, pegs)


def test_a_longer_legal_plan_scores_zero_with_partial_credit():
    problem = {"pegs": 3, "start": {"A": [2, 1], "B": [], "C": []},
               "goal": {"A": [], "B": [], "C": [2, 1]}, "optimum": 3}
    assert TASK.verify(problem, "A->B, A->C, B->C").correct
    longer = TASK.verify(problem, "A->C, C->B, A->C, B->C")
    assert longer.score == 0 and longer.details["fraction"] == pytest.approx(3 / 4)
    assert longer.details["optimum"] == 3 and longer.details["value"] == 4


@pytest.mark.parametrize("answer, reason", [
    ("A->B or A->C, B->C", Reason.UNPARSEABLE),               # a hedge
    ("A->B, A->C", Reason.WRONG),                             # a partial plan
    ("A->B, C->C", Reason.INVALID),                           # a peg onto itself
    ("A->B, A->B, B->C, B->C", Reason.WRONG),                 # the large disk onto the small
    ("B->C, A->B, A->C, B->C", Reason.WRONG),                 # from an empty peg, then the goal
    ("A->D, A->C, D->C", Reason.INVALID),                     # a peg the puzzle lacks
    ("A->B, A->C, B->C, A->B, A->C, B->C", Reason.WRONG),     # the plan twice
    ("move disk 1 from A to B", Reason.UNPARSEABLE),
    ("1 2 1", Reason.UNPARSEABLE),
    ("A->B, " * 2000 + "B->C", Reason.INVALID),               # enormous
])
def test_attacks_score_zero(answer, reason):
    problem = {"pegs": 3, "start": {"A": [2, 1], "B": [], "C": []},
               "goal": {"A": [], "B": [], "C": [2, 1]}, "optimum": 3}
    verdict = TASK.verify(problem, answer)
    assert verdict.score == 0 and verdict.reason is reason, verdict


def test_the_prompts_example_never_solves_its_instance():
    for problem, _ in problems((1, 2, 3), 10):
        assert not TASK.verify(problem, EXAMPLE).correct


def test_prompt_states_rules_format_and_the_optimality_rule():
    row = synlog.generate("tower_of_hanoi", difficulty=4, n=1, seed=3)[0]
    assert "never be put on a smaller disk" in row["prompt"]
    assert "fewest possible moves" in row["prompt"] and f"<answer>{EXAMPLE}</answer>" in row["prompt"]
    problem = Problem(json.loads(row["problem"]), row["answer"], row["effort"])
    for lang in LANGS:
        for i in range(TASK.templates(lang)):
            prompt = TASK.prompt(problem, i, lang)
            assert f"<answer>{EXAMPLE}</answer>" in prompt and "FROM->TO" in prompt, (lang, i)
            if lang == "en":
                assert "never be put on a smaller disk" in prompt and "fewest possible moves" in prompt, i
            else:
                assert "不能放在比它小的圆盘上" in prompt and "步数最少" in prompt, (lang, i)
    verdict = score(TASK, row["problem"], f"<answer>{row['answer']}</answer>")
    assert verdict.correct


PROBLEM = problems((2,), 1, seed=5)[0][0]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABCD"), st.sampled_from("ABCD")), min_size=1, max_size=40))
def test_random_plans_never_raise_and_pay_only_real_solutions(moves):
    answer = ", ".join(f"{a}->{b}" for a, b in moves)
    verdict = TASK.verify(PROBLEM, answer)
    assert verdict.reason is not Reason.ERROR
    if verdict.correct:
        assert simulate(PROBLEM, answer) and len(moves) == PROBLEM["optimum"]


def test_generation_is_fast():
    import time
    start = time.perf_counter()
    synlog.generate("tower_of_hanoi", difficulty=10, n=10, seed=1)
    assert (time.perf_counter() - start) / 10 < 0.3
    assert np.isfinite(TASK.instance_space(TASK.knobs.resolve(10)))
