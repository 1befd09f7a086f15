"""Specification of the rush_hour task beyond the shared contract.

The optimum is re-derived by a forward breadth-first search over the lot drawn as text,
written here (the generator searches packed arrangements backwards from every solved one);
answers are replayed by a simulator written here too. Any legal solution scores 1.
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

TASK = get_task("rush_hour")
STEP = {"U": (-1, 0), "D": (1, 0), "L": (0, -1), "R": (0, 1)}


def rows(level: int, n: int, seed: int = 3) -> list[dict]:
    return [json.loads(r["problem"]) | {"_gold": r["answer"], "_prompt": r["prompt"]}
            for r in synlog.generate("rush_hour", difficulty=level, n=n, seed=seed)]


def lot_text(p: dict) -> tuple[str, ...]:
    grid = [["."] * 6 for _ in range(6)]
    for name, horizontal, line, length, pos in p["vehicles"]:
        for i in range(length):
            r, c = (line, pos + i) if horizontal else (pos + i, line)
            grid[r][c] = name
    return tuple("".join(row) for row in grid)


def slides(lot: tuple[str, ...]):
    """Every (slide, next lot) of a lot drawn as six strings."""
    cells: dict[str, list] = {}
    for r, row in enumerate(lot):
        for c, x in enumerate(row):
            if x != ".":
                cells.setdefault(x, []).append((r, c))
    for name, own in cells.items():
        horizontal = own[0][0] == own[-1][0]
        for way in ("L", "R") if horizontal else ("U", "D"):
            dr, dc = STEP[way]
            moved = own
            for distance in range(1, 6):
                moved = [(r + dr, c + dc) for r, c in moved]
                if not all(0 <= r < 6 and 0 <= c < 6 and lot[r][c] in (".", name) for r, c in moved):
                    break
                grid = [list(row) for row in lot]
                for r, c in own:
                    grid[r][c] = "."
                for r, c in moved:
                    grid[r][c] = name
                yield f"{name}{way}{distance}", tuple("".join(row) for row in grid)


def solved(lot) -> bool:
    return lot[2][4] == lot[2][5] == "X"


def fewest_slides(p: dict) -> int:
    start = lot_text(p)
    seen, queue = {start: 0}, deque([start])
    while queue:
        lot = queue.popleft()
        if solved(lot):
            return seen[lot]
        for _, nxt in slides(lot):
            if nxt not in seen:
                seen[nxt] = seen[lot] + 1
                queue.append(nxt)
    raise AssertionError("unsolvable lot")


def replay(p: dict, answer: str) -> bool:
    lot = lot_text(p)
    for move in answer.split():
        options = dict(slides(lot))
        if move not in options:
            return False
        lot = options[move]
    return solved(lot)


def check_optima(levels, per_level):
    for level in levels:
        for p in rows(level, per_level):
            assert fewest_slides(p) == p["optimum"] == len(p["_gold"].split())
            assert replay(p, p["_gold"])
            assert TASK.verify(p, p["_gold"]).score == 1


def test_fifty_optima_rederived_by_forward_search():
    check_optima(range(1, 6), 10)


@pytest.mark.slow
def test_optima_rederived_at_every_level():
    check_optima(range(1, 11), 15)


def test_any_legal_solution_scores_one_however_long():
    p = rows(4, 1)[0]
    first, lot = next(iter(slides(lot_text(p))))
    back = first[0] + {"U": "D", "D": "U", "L": "R", "R": "L"}[first[1]] + first[2:]
    longer = f"{first} {back} {p['_gold']}"
    assert replay(p, longer)
    verdict = TASK.verify(p, longer)
    assert verdict.score == 1 and verdict.details["slides"] == p["optimum"] + 2


def test_attacks_score_below_one():
    p = rows(5, 1)[0]
    gold = p["_gold"]
    moves = gold.split()
    red = next(v for v in p["vehicles"] if v[0] == "X")
    attacks = {
        "hedge": f"{gold} or XR1",
        "partial": " ".join(moves[:-1]),
        "X straight out": f"XR{4 - red[4]}",
        "jump over a car": " ".join(moves[:-1] + [f"XR{4 - red[4]}"]),
        "wrong axis": "XU1 " + gold,
        "unknown car": "ZR1 " + gold,
        "example": p["_prompt"].rsplit("<answer>", 1)[1].split("</answer>")[0],
        "off the lot then gold": "XL9 " + gold,
        "prose": "Move X right.",
        "enormous": " ".join(["XL1 XR1"] * 500),
        "zero distance": gold.replace(moves[0], moves[0][:2] + "0", 1),
    }
    for name, text in attacks.items():
        verdict = TASK.verify(p, text)
        assert verdict.score < 1 and verdict.reason is not Reason.ERROR, name
    assert TASK.verify(p, attacks["enormous"]).reason is Reason.INVALID


def test_slide_spellings_are_read():
    p = rows(2, 1)[0]
    moves = p["_gold"].split()
    words = {"U": "up", "D": "down", "L": "left", "R": "right"}
    assert TASK.verify(p, ", ".join(f"{m[0]} {words[m[1]]} {m[2:]}" for m in moves)).score == 1
    assert TASK.verify(p, "\n".join(f"- {m}" for m in moves)).score == 1


FIXED = rows(3, 1, seed=7)[0]
NAMES = [v[0] for v in FIXED["vehicles"]]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from("UDLR"), st.integers(1, 5)), max_size=12))
def test_random_slides_never_raise_and_pay_only_real_solutions(moves):
    answer = " ".join(f"{a}{b}{c}" for a, b, c in moves)
    verdict = TASK.verify(FIXED, answer or "x")
    assert verdict.reason is not Reason.ERROR
    assert (verdict.score == 1) == (bool(moves) and replay(FIXED, answer))


def test_perturbations_are_checked_wrong():
    for p in rows(6, 3):
        problem = Problem({k: v for k, v in p.items() if not k.startswith("_")}, p["_gold"])
        for wrong in TASK.perturb(problem, np.random.default_rng(0)):
            assert not replay(p, wrong)
