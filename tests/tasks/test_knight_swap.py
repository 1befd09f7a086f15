"""Specification of the knight_swap task beyond the shared contract.

Optima and infeasibility are re-derived by a breadth-first search run backwards from the goal
(the swapped knights, either side to move) over positions written as sorted tuples, with the
knight's jumps recomputed from coordinates; the start's backward distance is the optimum, and a
start the backward search never meets is impossible.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import synlog
from synlog.tasks.base import Problem, get_task
from synlog.tasks.prompts import LANGS
from synlog.tasks.search.knight_swap import IMPOSSIBLE
from synlog.verifiers.verdict import Reason

TASK = get_task("knight_swap")


def problems(levels, per_level, seed=7):
    return [(json.loads(r["problem"]), r["answer"]) for level in levels
            for r in synlog.generate("knight_swap", difficulty=level, n=per_level, seed=seed)]


def knight_pairs(squares):
    coords = {s: (ord(s[0]), int(s[1])) for s in squares}
    return {s: [t for t in squares if sorted(map(abs, (coords[s][0] - coords[t][0], coords[s][1] - coords[t][1])))
                == [1, 2]] for s in squares}


def backward_distance(problem):
    """Moves from the start to the swap, searching from the goal backwards; None if never met."""
    near = knight_pairs(problem["squares"])
    white, black = tuple(sorted(problem["black"])), tuple(sorted(problem["white"]))  # the goal
    start = (tuple(sorted(problem["white"])), tuple(sorted(problem["black"])), "w")
    layer = {(white, black, "w"), (white, black, "b")}
    seen, depth = set(layer), 0
    while layer:
        if start in layer:
            return depth
        previous = set()
        for w, b, to_move in layer:
            mover = "b" if to_move == "w" else "w"  # who made the last move
            pieces, others = (w, b) if mover == "w" else (b, w)
            for sq in pieces:
                for origin in near[sq]:
                    if origin in pieces or origin in others:
                        continue
                    undone = tuple(sorted(set(pieces) - {sq} | {origin}))
                    pos = (undone, others, mover) if mover == "w" else (others, undone, mover)
                    if pos not in seen:
                        seen.add(pos)
                        previous.add(pos)
        layer, depth = previous, depth + 1
    return None


def test_optima_and_infeasibility_are_rederived_on_sixty_instances():
    for problem, gold in problems(range(1, 7), 10):
        assert backward_distance(problem) == problem["optimum"]
        if problem["optimum"] is None:
            assert gold == IMPOSSIBLE
        else:
            assert len(gold.split(", ")) == problem["optimum"] and TASK.verify(problem, gold).correct


@pytest.mark.slow
def test_optima_are_rederived_at_every_level():
    for problem, _ in problems(range(1, 11), 10, seed=8):
        assert backward_distance(problem) == problem["optimum"]


def test_infeasible_instances_occur_and_are_reproved():
    infeasible = [p for p, _ in problems((1, 2, 3), 40, seed=3) if p["optimum"] is None]
    assert infeasible
    for problem in infeasible:
        assert backward_distance(problem) is None
        assert TASK.verify(problem, "Impossible.").correct


def test_the_infeasible_share_is_below_the_chance_bound_at_every_level():
    for level in range(1, 11):
        assert TASK.knobs.resolve(level)["infeasible"] <= min(TASK.chance, 0.08 if level <= 2 else 0.05)


#: the docstring's ring: 8 squares round a missing centre
RING = {"rows": 3, "cols": 3, "squares": ["a1", "b1", "c1", "a2", "c2", "a3", "b3", "c3"],
        "white": ["a1"], "black": ["c3"], "optimum": 8, "reachable": 43}
GOLD = "a1-b3, c3-b1, b3-c1, b1-a3, c1-a2, a3-c2, a2-c3, c2-a1"


def test_the_docstring_example_is_solved_in_eight_moves():
    assert backward_distance(RING) == 8
    assert TASK.verify(RING, GOLD).correct
    assert TASK.verify(RING, GOLD.upper().replace("-", " to ")).correct
    assert TASK.verify(RING, "impossible").score == 0


def test_a_longer_swap_scores_zero_with_partial_credit():
    # both knights step out and back first: a legal swap of 12 moves
    verdict = TASK.verify(RING, "a1-c2, c3-a2, c2-a1, a2-c3, " + GOLD)
    assert verdict.score == 0 and verdict.details["fraction"] == pytest.approx(8 / 12)


@pytest.mark.parametrize("answer, reason", [
    ("a1-b3, c3-b1 or impossible", Reason.UNPARSEABLE),             # a hedge
    ("a1-b3, c3-b1, b3-c1, b1-a3", Reason.WRONG),                   # a partial swap
    ("c3-b1, a1-b3, b3-c1, b1-a3, c1-a2, a3-c2, a2-c3, c2-a1", Reason.WRONG),  # black first
    ("a1-b2, c3-b1", Reason.WRONG),                                 # onto the missing square
    ("a1-a2, c3-b1", Reason.WRONG),                                 # not a knight's jump
    ("a1-b3, c3-b1, b3-c1, c1-b3, b1-a3", Reason.WRONG),            # white twice in a row
    (GOLD + ", " + GOLD, Reason.WRONG),                             # the swap twice
    ("a1-b3, " * 900 + "c3-b1", Reason.INVALID),                    # enormous
    ("Nb3, Nb1", Reason.UNPARSEABLE),                               # chess notation
    ("z9-a1", Reason.UNPARSEABLE),
])
def test_attacks_score_zero(answer, reason):
    verdict = TASK.verify(RING, answer)
    assert verdict.score == 0 and verdict.reason is reason, verdict


def test_prompt_states_the_alternation_and_the_infeasible_word():
    row = synlog.generate("knight_swap", difficulty=3, n=1, seed=3)[0]
    assert "the colours alternate" in row["prompt"] and 'answer "impossible"' in row["prompt"]
    problem = Problem(json.loads(row["problem"]), row["answer"], row["effort"])
    for lang in LANGS:
        for i in range(TASK.templates(lang)):
            prompt = TASK.prompt(problem, i, lang)
            if lang == "en":
                assert "the colours alternate" in prompt and 'answer "impossible"' in prompt, i
            else:  # the answer word stays English in every language
                assert "轮流" in prompt and '"impossible"' in prompt, (lang, i)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(RING["squares"]), st.sampled_from(RING["squares"])),
                min_size=1, max_size=12))
def test_random_move_lists_never_raise_and_pay_only_real_swaps(moves):
    answer = ", ".join(f"{a}-{b}" for a, b in moves)
    verdict = TASK.verify(RING, answer)
    assert verdict.reason is not Reason.ERROR
    if verdict.correct:
        assert len(moves) == 8 and moves[0][0] == "a1" and moves[-1][1] == "a1"
