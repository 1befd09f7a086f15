"""Specification of the slant task beyond the shared contract.

Gold answers are re-solved by a plain backtracking counter that shares nothing with the
generator (no SAT, no union-find): cells in reading order, each corner's count kept within
reach of its number as cells fill, and a diagonal refused when a depth-first walk along the
diagonals already drawn leads from one of its ends to the other (it would close a loop).
"""

from __future__ import annotations

import json
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.tasks.grid.slant import find_loop
from synlog.verifiers.verdict import Reason
from tests.tasks.grid_checks import GridPuzzle, token_gold


def ends(r: int, c: int, diagonal: str):
    return ((r, c), (r + 1, c + 1)) if diagonal == "\\" else ((r, c + 1), (r + 1, c))


def joined(links: dict, a, b) -> bool:
    stack, seen = [a], {a}
    while stack:
        x = stack.pop()
        if x == b:
            return True
        for y in links.get(x, ()):
            if y not in seen:
                seen.add(y)
                stack.append(y)
    return False


def solve_all(problem: dict, limit: int = 2) -> list[list[list[str]]]:
    rows, cols, clues = problem["rows"], problem["cols"], problem["clues"]
    count = {(i, j): 0 for i in range(rows + 1) for j in range(cols + 1)}
    # cells around a corner not yet filled: the count can still grow by that many
    open_around = {corner: 0 for corner in count}
    for r in range(rows):
        for c in range(cols):
            for corner in ((r, c), (r, c + 1), (r + 1, c), (r + 1, c + 1)):
                open_around[corner] += 1
    links: dict = {}
    board = [[""] * cols for _ in range(rows)]
    found: list[list[list[str]]] = []

    def corners_ok(r: int, c: int) -> bool:
        for i, j in ((r, c), (r, c + 1), (r + 1, c), (r + 1, c + 1)):
            clue = clues[i][j]
            if clue >= 0 and not count[i, j] <= clue <= count[i, j] + open_around[i, j]:
                return False
        return True

    def search(k: int) -> None:
        if len(found) >= limit:
            return
        if k == rows * cols:
            found.append([line[:] for line in board])
            return
        r, c = divmod(k, cols)
        for corner in ((r, c), (r, c + 1), (r + 1, c), (r + 1, c + 1)):
            open_around[corner] -= 1
        for diagonal in ("\\", "/"):
            a, b = ends(r, c, diagonal)
            if joined(links, a, b):
                continue
            count[a] += 1
            count[b] += 1
            if corners_ok(r, c):
                links.setdefault(a, []).append(b)
                links.setdefault(b, []).append(a)
                board[r][c] = diagonal
                search(k + 1)
                links[a].pop()
                links[b].pop()
            count[a] -= 1
            count[b] -= 1
        for corner in ((r, c), (r, c + 1), (r + 1, c), (r + 1, c + 1)):
            open_around[corner] += 1
        board[r][c] = ""

    search(0)
    return found


@cache
def first_problem():
    return PUZZLE.problems(1, 1, seed=3)[0]


PUZZLE = GridPuzzle("slant", solve=solve_all, gold=token_gold)


def test_sixty_puzzles_have_one_solution_and_it_is_the_gold():
    PUZZLE.assert_golds_are_the_only_solutions(levels=(1, 2, 3, 4, 5, 6), per_level=10)


@pytest.mark.slow
def test_golds_are_the_only_solutions_at_every_level():
    PUZZLE.assert_golds_are_the_only_solutions(levels=range(1, 11), per_level=10, at_least=100)


EXAMPLE = {"rows": 3, "cols": 3, "clues": [[-1, -1, -1, -1], [-1, 2, 1, -1], [-1, 2, -1, -1], [-1, 2, -1, 1]]}
SOLUTION = [["\\", "/", "\\"], ["\\", "/", "/"], ["\\", "/", "\\"]]
GOLD = "\n".join(" ".join(line) for line in SOLUTION)


def test_the_docstring_example_has_one_solution():
    PUZZLE.assert_example(EXAMPLE, SOLUTION, GOLD, json.dumps(SOLUTION))


LOOP = {"rows": 2, "cols": 2, "clues": [[-1] * 3 for _ in range(3)]}


@pytest.mark.parametrize("problem, answer, reason, why", [
    (LOOP, "/ \\\n\\ /", Reason.WRONG, "loop"),                   # a diamond: a closed loop
    (EXAMPLE, "\\ / \\\n\\ / /\n\\ / /", Reason.WRONG, "corner"),  # one cell flipped
    (EXAMPLE, "\\ / \\\n\\ / /\n\\ / x", Reason.INVALID, "\\ or /"),
    (EXAMPLE, "\\ / \\\n\\ / /", Reason.UNPARSEABLE, "expected 3 rows"),
    (EXAMPLE, f"{GOLD}\n{GOLD}", Reason.UNPARSEABLE, "expected 3 rows"),  # the gold twice
    (EXAMPLE, "\\ /\n/ /", Reason.UNPARSEABLE, "expected 3 rows"),  # a shape of the prompt's example
    (EXAMPLE, "\\/\\\n\\//\n\\/\\", Reason.UNPARSEABLE, None),  # cells not separated
])
def test_rule_breaking_answers_score_zero(problem, answer, reason, why):
    PUZZLE.assert_scores_zero(problem, answer, reason, why)


def test_every_loop_free_board_of_a_blank_lattice_is_accepted():
    # without numbers any loop-free board is right; the diamond is the only 2×2 loop
    boards = [[[a, b], [c, d]] for a in "\\/" for b in "\\/" for c in "\\/" for d in "\\/"]
    accepted = [b for b in boards if PUZZLE.task.verify(LOOP, "\n".join(" ".join(x) for x in b)).correct]
    assert len(accepted) == 15 and [["/", "\\"], ["\\", "/"]] not in accepted


def test_perturbations_are_wrong():
    PUZZLE.assert_perturbations_are_wrong(level=6)


def test_shortcuts_fail_and_hardness_grows():
    PUZZLE.assert_shortcuts_fail_and_hardness_grows()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from("\\/"), min_size=16, max_size=16))
def test_random_boards_score_one_only_when_they_are_the_gold(cells):
    problem, gold = first_problem()
    board = [cells[r * 4:r * 4 + 4] for r in range(4)]
    verdict = PUZZLE.task.verify(problem, "\n".join(" ".join(line) for line in board))
    assert verdict.reason is not Reason.ERROR
    assert verdict.correct == (board == gold)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from("\\/"), min_size=25, max_size=25))
def test_the_loop_finder_agrees_with_a_walk(cells):
    board = [cells[r * 5:r * 5 + 5] for r in range(5)]
    links: dict = {}
    has_loop = False
    for r in range(5):
        for c in range(5):
            a, b = ends(r, c, board[r][c])
            has_loop = has_loop or joined(links, a, b)
            links.setdefault(a, []).append(b)
            links.setdefault(b, []).append(a)
    assert bool(find_loop(board)) == has_loop
