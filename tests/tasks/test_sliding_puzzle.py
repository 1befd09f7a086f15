"""Specification of the sliding_puzzle task beyond the shared contract.

Optima are re-derived by IDA* with the Manhattan heuristic written here (the generator uses
bidirectional breadth-first search); unsolvability is re-proved by exhausting every board
reachable from the goal (the generator uses the parity invariant).
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
from synlog.tasks.search.sliding_puzzle import solvable
from synlog.verifiers.verdict import Reason

TASK = get_task("sliding_puzzle")
MOVES = {"U": (-1, 0), "D": (1, 0), "L": (0, -1), "R": (0, 1)}


def rows(level: int, n: int, seed: int = 3, **overrides) -> list[dict]:
    out = synlog.generate("sliding_puzzle", difficulty=level, n=n, seed=seed, knobs=overrides or None)
    return [json.loads(r["problem"]) | {"_gold": r["answer"], "_prompt": r["prompt"]} for r in out]


def neighbours(board: tuple, rows_: int, cols: int):
    i = board.index(0)
    r, c = divmod(i, cols)
    for move, (dr, dc) in MOVES.items():
        if 0 <= r + dr < rows_ and 0 <= c + dc < cols:
            j = (r + dr) * cols + c + dc
            b = list(board)
            b[i], b[j] = b[j], b[i]
            yield move, tuple(b)


def ida_star(p: dict) -> int:
    """The fewest moves by iterative-deepening A* (Manhattan distance is admissible)."""
    rows_, cols, goal = p["rows"], p["cols"], tuple(p["goal"])
    home = {t: divmod(i, cols) for i, t in enumerate(goal)}

    def h(board):
        return sum(abs(r - home[t][0]) + abs(c - home[t][1])
                   for i, t in enumerate(board) if t for r, c in [divmod(i, cols)])

    def search(board, g, bound, last):
        f = g + h(board)
        if f > bound:
            return f
        if board == goal:
            return -1
        least = 1 << 30
        for move, nxt in neighbours(board, rows_, cols):
            if last and {move, last} in ({"U", "D"}, {"L", "R"}):
                continue
            t = search(nxt, g + 1, bound, move)
            if t == -1:
                return -1
            least = min(least, t)
        return least

    start = tuple(p["start"])
    bound = h(start)
    while True:
        g_bound = bound
        t = search(start, 0, g_bound, None)
        if t == -1:
            return g_bound
        bound = t


def reachable(goal: tuple, rows_: int, cols: int) -> set:
    seen, queue = {goal}, deque([goal])
    while queue:
        for _, nxt in neighbours(queue.popleft(), rows_, cols):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def check_optima(levels, per_level):
    checked = 0
    for level in levels:
        for p in rows(level, per_level):
            if p["optimum"] is None:
                continue
            assert ida_star(p) == p["optimum"] == len(p["_gold"].split())
            checked += 1
    return checked


def test_fifty_optima_rederived_by_ida_star():
    assert check_optima(range(1, 7), 10) >= 50


@pytest.mark.slow
def test_optima_rederived_by_ida_star_at_every_level():
    check_optima(range(1, 11), 8)


def test_unsolvable_instances_are_unreachable_by_exhaustive_search():
    infeasible = [p for level in (1, 2) for p in rows(level, 15, infeasible=1.0)]
    assert all(p["_gold"] == "unsolvable" and p["optimum"] is None for p in infeasible)
    for p in infeasible:
        assert tuple(p["start"]) not in reachable(tuple(p["goal"]), p["rows"], p["cols"])
        assert TASK.verify(p, "unsolvable").score == 1
        assert TASK.verify(p, "L U R D").score == 0


@pytest.mark.slow
def test_unsolvable_3x3_instances_are_unreachable_by_exhaustive_search():
    for p in rows(4, 6, infeasible=1.0):
        assert tuple(p["start"]) not in reachable(tuple(p["goal"]), p["rows"], p["cols"])


def test_parity_invariant_agrees_with_exhaustive_search_on_every_2x3_board():
    goal = (1, 2, 3, 4, 5, 0)
    reach = reachable(goal, 2, 3)
    from itertools import permutations
    for board in permutations(range(6)):
        assert solvable(board, goal, 3) == (board in reach)


def test_infeasible_share_stays_under_the_bound():
    p = TASK.knobs
    for level in range(1, 11):
        share = p.resolve(level)["infeasible"]
        assert share <= (0.08 if level <= 2 else 0.05) <= TASK.chance


def test_solvable_instance_answered_unsolvable_scores_zero():
    p = next(p for p in rows(3, 5) if p["optimum"] is not None)
    assert TASK.verify(p, "unsolvable").score == 0


def test_longer_solution_scores_zero_with_a_fraction():
    p = next(p for p in rows(3, 5) if p["optimum"] is not None)
    moves = p["_gold"].split()
    back = {"U": "D", "D": "U", "L": "R", "R": "L"}
    first = moves[0]
    verdict = TASK.verify(p, " ".join([first, back[first]] + moves))
    assert verdict.score == 0 and verdict.reason is Reason.WRONG
    assert verdict.details["fraction"] == pytest.approx(len(moves) / (len(moves) + 2))


def test_attacks_score_below_one():
    p = next(p for p in rows(4, 5) if p["optimum"] is not None)
    gold = p["_gold"]
    moves = gold.split()
    attacks = {
        "hedge": f"{gold} or unsolvable",
        "both": f"{gold}\nunsolvable",
        "partial": " ".join(moves[:-1]),
        "gold twice": f"{gold} {gold}",
        "example": p["_prompt"].rsplit("<answer>", 1)[1].split("</answer>")[0],
        "tile numbers": " ".join(str(t) for t in p["start"] if t),
        "off the board then gold": " ".join(["U"] * (p["rows"] + 1)) + " " + gold,
        "prose": f"Moves: {gold}",
        "enormous": " ".join(["U D"] * 5_000),
    }
    for name, text in attacks.items():
        verdict = TASK.verify(p, text)
        assert verdict.score < 1 and verdict.reason is not Reason.ERROR, name
    assert TASK.verify(p, attacks["enormous"]).reason is Reason.INVALID


FIXED = next(p for p in rows(2, 5, seed=8) if p["optimum"] is not None)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from("UDLR"), max_size=30))
def test_random_move_lists_never_raise_and_pay_only_real_optimal_solutions(walk):
    verdict = TASK.verify(FIXED, " ".join(walk) or "x")
    assert verdict.reason is not Reason.ERROR
    if verdict.score == 1:
        board = tuple(FIXED["start"])
        for m in walk:
            board = dict(neighbours(board, FIXED["rows"], FIXED["cols"]))[m]
        assert list(board) == FIXED["goal"] and len(walk) == FIXED["optimum"]


def test_perturbations_are_checked_wrong():
    for p in rows(5, 3):
        problem = Problem({k: v for k, v in p.items() if not k.startswith("_")}, p["_gold"])
        for wrong in TASK.perturb(problem, np.random.default_rng(0)):
            assert TASK.verify(p, wrong).score < 1
