"""Specification of the sokoban task beyond the shared contract.

The fewest pushes is re-derived by a 0-1 breadth-first search over every (keeper cell, boxes)
state, where a step costs 0 and a push costs 1, written here (the generator searches over
pushes with the keeper reduced to its area and dead cells pruned); answers are replayed by a
simulator written here too. Any legal solution scores 1.
"""

from __future__ import annotations

import json
from collections import deque

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import synlog
from synlog.tasks.base import Problem, get_task
from synlog.verifiers.verdict import Reason

TASK = get_task("sokoban")
STEP = {"U": (-1, 0), "D": (1, 0), "L": (0, -1), "R": (0, 1)}


def rows(level: int, n: int, seed: int = 3) -> list[dict]:
    return [json.loads(r["problem"]) | {"_gold": r["answer"], "_prompt": r["prompt"]}
            for r in synlog.generate("sokoban", difficulty=level, n=n, seed=seed)]


def parse(board: list[str]):
    walls = {(r, c) for r, line in enumerate(board) for c, x in enumerate(line) if x == "#"}
    goals = frozenset((r, c) for r, line in enumerate(board) for c, x in enumerate(line) if x in ".*+")
    boxes = frozenset((r, c) for r, line in enumerate(board) for c, x in enumerate(line) if x in "$*")
    keeper = next((r, c) for r, line in enumerate(board) for c, x in enumerate(line) if x in "@+")
    return walls, goals, boxes, keeper


def move(walls, boxes, keeper, m):
    """The state after one move, or None when the move is illegal."""
    dr, dc = STEP[m]
    ahead = (keeper[0] + dr, keeper[1] + dc)
    if ahead in walls:
        return None
    if ahead in boxes:
        beyond = (ahead[0] + dr, ahead[1] + dc)
        if beyond in walls or beyond in boxes:
            return None
        return (boxes - {ahead}) | {beyond}, ahead, 1
    return boxes, ahead, 0


def fewest_pushes(board: list[str]) -> int:
    walls, goals, boxes, keeper = parse(board)
    best = {(boxes, keeper): 0}
    queue = deque([(0, boxes, keeper)])
    while queue:
        cost, b, k = queue.popleft()
        if cost > best[(b, k)]:
            continue
        if b == goals:
            return cost
        for m in STEP:
            nxt = move(walls, b, k, m)
            if nxt is None:
                continue
            nb, nk, push = nxt
            if cost + push < best.get((nb, nk), 1 << 30):
                best[(nb, nk)] = cost + push
                (queue.append if push else queue.appendleft)((cost + push, nb, nk))
    raise AssertionError("unsolvable")


def replay(board: list[str], answer: str) -> bool:
    walls, goals, boxes, keeper = parse(board)
    for m in answer.split():
        nxt = move(walls, boxes, keeper, m)
        if nxt is None:
            return False
        boxes, keeper, _ = nxt
    return boxes == goals


def check(levels, per_level):
    for level in levels:
        for p in rows(level, per_level):
            assert fewest_pushes(p["board"]) == p["pushes"]
            assert replay(p["board"], p["_gold"])
            verdict = TASK.verify(p, p["_gold"])
            assert verdict.score == 1 and verdict.details["pushes"] == p["pushes"]


def test_sixty_push_optima_rederived_by_zero_one_search():
    check(range(1, 7), 10)


@pytest.mark.slow
def test_push_optima_rederived_at_every_level():
    check(range(1, 11), 10)


def test_any_legal_solution_scores_one_however_long():
    p = rows(3, 1)[0]
    walls, _, boxes, keeper = parse(p["board"])
    first = next(m for m in STEP if (move(walls, boxes, keeper, m) or (0, 0, 1))[2] == 0)
    back = {"U": "D", "D": "U", "L": "R", "R": "L"}[first]
    longer = f"{first} {back} {p['_gold']}"
    assert replay(p["board"], longer) and TASK.verify(p, longer).score == 1


def test_attacks_score_below_one():
    p = rows(5, 1)[0]
    gold = p["_gold"]
    moves = gold.split()
    walls, _, boxes, keeper = parse(p["board"])
    into_wall = next((m for m in STEP if (keeper[0] + STEP[m][0], keeper[1] + STEP[m][1]) in walls), None)
    attacks = {
        "hedge": f"{gold} or {gold[::-1]}",
        "partial": " ".join(moves[:-1]),
        "gold then junk": f"{gold} zq",
        "example": p["_prompt"].rsplit("<answer>", 1)[1].split("</answer>")[0],
        "pull instead of push": " ".join(moves[::-1]),
        "prose": f"I push the boxes: {gold}",
        "enormous": " ".join(["L R"] * 1_000),
    }
    if into_wall:
        attacks["wall then gold"] = f"{into_wall} {gold}"
    for name, text in attacks.items():
        verdict = TASK.verify(p, text)
        assert verdict.score < 1 and verdict.reason is not Reason.ERROR, name
    assert TASK.verify(p, attacks["enormous"]).reason is Reason.INVALID


FIXED = rows(2, 1, seed=7)[0]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from("UDLR"), max_size=40))
def test_random_walks_never_raise_and_pay_only_real_solutions(walk):
    answer = " ".join(walk)
    verdict = TASK.verify(FIXED, answer or "x")
    assert verdict.reason is not Reason.ERROR
    assert (verdict.score == 1) == (bool(walk) and replay(FIXED["board"], answer))


def test_perturbations_are_checked_wrong():
    for p in rows(6, 3):
        problem = Problem({k: v for k, v in p.items() if not k.startswith("_")}, p["_gold"])
        for wrong in TASK.perturb(problem, np.random.default_rng(0)):
            assert not replay(p["board"], wrong)
