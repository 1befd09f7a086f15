"""Specification of the tic_tac_toe task beyond the shared contract.

The best moves are re-derived by an alpha-beta negamax over a list-of-lists board, with the
winning lines found by walking from the last mark (the generator memoises a plain minimax over
precomputed lines); scores are the same rule: a win scores 1 + the empty cells left when it
ends, for the winner.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import synlog
from synlog.tasks.base import get_task
from synlog.verifiers.verdict import Reason

TASK = get_task("tic_tac_toe")


def problems(levels, per_level, seed=7):
    return [(json.loads(r["problem"]), r["answer"]) for level in levels
            for r in synlog.generate("tic_tac_toe", difficulty=level, n=per_level, seed=seed)]


def wins(board, r, c, k):
    n, mark = len(board), board[r][c]
    for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
        run = 1
        for sign in (1, -1):
            rr, cc = r + sign * dr, c + sign * dc
            while 0 <= rr < n and 0 <= cc < n and board[rr][cc] == mark:
                run, rr, cc = run + 1, rr + sign * dr, cc + sign * dc
        if run >= k:
            return True
    return False


def negamax(board, mark, k, empty, alpha, beta):
    best = None
    other = "O" if mark == "X" else "X"
    for r, row in enumerate(board):
        for c, ch in enumerate(row):
            if ch != ".":
                continue
            board[r][c] = mark
            score = empty if wins(board, r, c, k) else (-negamax(board, other, k, empty - 1, -beta, -alpha)
                                                        if empty > 1 else 0)
            board[r][c] = "."
            if best is None or score > best:
                best = score
            alpha = max(alpha, score)
            if alpha >= beta:
                return best
    return 0 if best is None else best


def best_moves(problem):
    board = [list(row) for row in problem["board"]]
    flat = "".join(problem["board"])
    mark = "X" if flat.count("X") == flat.count("O") else "O"
    other = "O" if mark == "X" else "X"
    empty = flat.count(".")
    values = {}
    for r in range(len(board)):
        for c in range(len(board)):
            if board[r][c] == ".":
                board[r][c] = mark
                values["abcde"[c] + str(r + 1)] = (empty if wins(board, r, c, problem["k"]) else
                                                   -negamax(board, other, problem["k"], empty - 1, -10**6, 10**6)
                                                   if empty > 1 else 0)
                board[r][c] = "."
    top = max(values.values())
    return sorted(m for m, v in values.items() if v == top), top


def test_best_moves_are_rederived_by_alpha_beta_on_sixty_positions():
    for problem, gold in problems(range(1, 5), 15, seed=2):
        moves, value = best_moves(problem)
        assert moves == sorted(problem["best"]) and value == problem["value"] and gold in moves
        for move in moves:
            assert TASK.verify(problem, move).correct


@pytest.mark.slow
def test_best_moves_are_rederived_at_every_level():
    for problem, _ in problems(range(1, 11), 10, seed=8):
        assert best_moves(problem)[0] == sorted(problem["best"])


EXAMPLE = {"size": 3, "k": 3, "board": ["XO.", "X.O", "..."], "best": ["a3"], "value": 5, "plies": 1,
           "example": "a1"}


def test_the_docstring_example_has_one_best_move():
    assert best_moves(EXAMPLE) == (["a3"], 5)
    assert TASK.verify(EXAMPLE, "a3").correct and TASK.verify(EXAMPLE, "**A3**").correct
    assert not TASK.verify(EXAMPLE, "b2").correct  # wins too, but later


@pytest.mark.parametrize("answer, reason", [
    ("a3 or b2", Reason.UNPARSEABLE),    # a hedge
    ("a3, b2", Reason.UNPARSEABLE),
    ("a1", Reason.WRONG),                # an occupied cell
    ("d4", Reason.INVALID),              # off the board
    ("7", Reason.UNPARSEABLE),           # a cell number
    ("3a", Reason.UNPARSEABLE),          # row before column
    ("a3 a3", Reason.UNPARSEABLE),       # the gold twice
    ("a3" * 3000, Reason.INVALID),       # enormous
    ("c3", Reason.WRONG),
])
def test_attacks_score_zero(answer, reason):
    verdict = TASK.verify(EXAMPLE, answer)
    assert verdict.score == 0 and verdict.reason is reason, verdict


def test_positions_have_few_best_moves_and_cheap_guesses_rarely_win():
    rows = problems((2, 3, 4, 5), 15, seed=2)
    assert all(len(p["best"]) <= max(1, "".join(p["board"]).count(".") // 4) for p, _ in rows)
    for name in ("the centre", "the first empty cell", "a corner"):
        paid = sum(TASK.verify(p, TASK.degenerate_answers(p)[name]).correct for p, _ in rows)
        assert paid / len(rows) <= 0.1, name
    assert Counter(g for _, g in rows).most_common(1)[0][1] / len(rows) <= 0.15


def test_the_prompts_example_is_an_occupied_cell():
    for problem, _ in problems((1, 3), 5):
        col, row = "abcde".index(problem["example"][0]), int(problem["example"][1]) - 1
        assert problem["board"][row][col] != "."


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abcdef12345 ,;*`.-", max_size=12))
def test_random_answers_never_raise_and_pay_only_best_moves(answer):
    verdict = TASK.verify(EXAMPLE, answer)
    assert verdict.reason is not Reason.ERROR
    if verdict.correct:
        assert answer.strip(" *`.").lower().replace(" ", "") == "a3"
