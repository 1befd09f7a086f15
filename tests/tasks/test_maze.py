"""Specification of the maze task beyond the shared contract.

The optimum is re-derived by an A* search with the Manhattan heuristic written here (the
generator uses breadth-first search), and every answer is judged against the rules by a
simulation of the walk.
"""

from __future__ import annotations

import heapq
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import synlog
from synlog.tasks.base import Problem, get_task
from synlog.verifiers.verdict import Reason

TASK = get_task("maze")
MOVES = {"U": (-1, 0), "D": (1, 0), "L": (0, -1), "R": (0, 1)}


def rows(level: int, n: int, seed: int = 3) -> list[dict]:
    return [json.loads(r["problem"]) | {"_gold": r["answer"], "_prompt": r["prompt"]}
            for r in synlog.generate("maze", difficulty=level, n=n, seed=seed)]


def where(board: list[str], mark: str) -> tuple[int, int]:
    return next((r, line.index(mark)) for r, line in enumerate(board) if mark in line)


def astar(board: list[str]) -> int:
    """Length of a shortest S→G walk by A* (Manhattan distance never overestimates)."""
    start, goal = where(board, "S"), where(board, "G")
    def h(cell):
        return abs(cell[0] - goal[0]) + abs(cell[1] - goal[1])
    best = {start: 0}
    heap = [(h(start), 0, start)]
    while heap:
        _, g, cell = heapq.heappop(heap)
        if cell == goal:
            return g
        if g > best[cell]:
            continue
        for dr, dc in MOVES.values():
            nxt = (cell[0] + dr, cell[1] + dc)
            if board[nxt[0]][nxt[1]] != "#" and g + 1 < best.get(nxt, 1 << 30):
                best[nxt] = g + 1
                heapq.heappush(heap, (g + 1 + h(nxt), g + 1, nxt))
    raise AssertionError("no route")


def score(problem: dict, answer: str):
    return TASK.verify(problem, answer)


def check_optimum(levels, per_level):
    for level in levels:
        for p in rows(level, per_level):
            assert astar(p["board"]) == p["optimum"] == len(p["_gold"].split())
            assert score(p, p["_gold"]).score == 1


def test_sixty_optima_rederived_by_astar():
    check_optimum(range(1, 7), 10)


@pytest.mark.slow
def test_optima_rederived_by_astar_at_every_level():
    check_optimum(range(1, 11), 20)


def shortest_walks(board: list[str], limit: int = 50) -> list[str]:
    """Up to ``limit`` shortest S→G walks, by depth-first search along falling distance-to-G."""
    goal = where(board, "G")
    to_goal, frontier = {goal: 0}, [goal]
    while frontier:
        following = []
        for r, c in frontier:
            for dr, dc in MOVES.values():
                nxt = (r + dr, c + dc)
                if board[nxt[0]][nxt[1]] != "#" and nxt not in to_goal:
                    to_goal[nxt] = to_goal[(r, c)] + 1
                    following.append(nxt)
        frontier = following
    walks: list[str] = []

    def extend(cell, walk):
        if len(walks) >= limit:
            return
        if cell == goal:
            walks.append(" ".join(walk))
        for m, (dr, dc) in MOVES.items():
            nxt = (cell[0] + dr, cell[1] + dc)
            if to_goal.get(nxt) == to_goal[cell] - 1:
                extend(nxt, walk + [m])

    extend(where(board, "S"), [])
    return walks


def test_every_shortest_walk_scores_one_not_only_the_gold():
    """Mazes with loops have several shortest walks; the verifier accepts each of them."""
    several = 0
    for p in rows(6, 10):
        walks = shortest_walks(p["board"])
        assert p["_gold"] in walks
        several += len(walks) > 1
        for walk in walks:
            assert score(p, walk).score == 1, walk
    assert several > 0


def test_longer_valid_walk_scores_zero_with_a_fraction():
    p = rows(4, 1)[0]
    gold = p["_gold"].split()
    detour = [gold[0], {"U": "D", "D": "U", "L": "R", "R": "L"}[gold[0]]] + gold  # step out and back
    verdict = score(p, " ".join(detour))
    assert verdict.score == 0 and verdict.reason is Reason.WRONG
    assert verdict.details["fraction"] == pytest.approx(len(gold) / len(detour))
    assert verdict.details["optimum"] == len(gold)


def test_attacks_score_below_one():
    p = rows(5, 1)[0]
    gold = p["_gold"]
    moves = gold.split()
    sr, sc = where(p["board"], "S")
    into_wall = next(m for m, (dr, dc) in MOVES.items() if p["board"][sr + dr][sc + dc] == "#")
    attacks = {
        "hedge": f"{gold} or {' '.join(moves[::-1])}",
        "two answers": f"{gold}\n{gold}",
        "partial": " ".join(moves[:-1]),
        "wall then gold": f"{into_wall} {gold}",
        "gold twice": f"{gold} {gold}",
        "example": "D D R R U",
        "coordinates": "(1, 1) -> (1, 2)",
        "prose": f"The answer is {gold}",
        "enormous": " ".join(["U"] * 100_000),
        "reversed": " ".join(moves[::-1]),
    }
    for name, text in attacks.items():
        verdict = score(p, text)
        assert verdict.score < 1, name
        assert verdict.reason is not Reason.ERROR, name
    assert score(p, attacks["enormous"]).reason is Reason.INVALID


def test_prompt_example_is_never_a_right_answer():
    for p in rows(1, 20):
        example = p["_prompt"].rsplit("<answer>", 1)[1].split("</answer>")[0]
        assert score(p, example).score < 1


def test_words_and_glued_letters_read_as_moves():
    p = rows(2, 1)[0]
    moves = p["_gold"].split()
    words = {"U": "up", "D": "down", "L": "left", "R": "right"}
    assert score(p, ", ".join(words[m] for m in moves)).score == 1
    assert score(p, "".join(moves)).score == 1


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from("UDLR"), max_size=80))
def test_random_walks_never_raise_and_pay_only_real_shortest_walks(walk):
    p = FIXED
    verdict = score(p, " ".join(walk) or "x")
    assert verdict.reason is not Reason.ERROR
    if verdict.score == 1:  # then it really is a shortest walk from S to G
        cell = where(p["board"], "S")
        for m in walk:
            cell = (cell[0] + MOVES[m][0], cell[1] + MOVES[m][1])
            assert p["board"][cell[0]][cell[1]] != "#"
        assert p["board"][cell[0]][cell[1]] == "G" and len(walk) == astar(p["board"])


FIXED = rows(1, 1, seed=9)[0]


def test_perturbations_are_checked_wrong():
    p = rows(3, 1)[0]
    problem = Problem({k: v for k, v in p.items() if not k.startswith("_")}, p["_gold"])
    for wrong in TASK.perturb(problem, np.random.default_rng(0)):
        assert score(p, wrong).score < 1
