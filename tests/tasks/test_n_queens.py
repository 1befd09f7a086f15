"""Specification of n_queens beyond the shared contract.

Every gold is re-solved by a bitmask backtracking counter that shares nothing with the
generator (no SAT): rows in order, columns and both diagonals as bit sets, the given queens
forced; it must find exactly one completion, the gold. Attacks a hostile model would try
score 0.
"""

from __future__ import annotations

import json
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.synth.example import make_row
from synlog.tasks import get_task
from synlog.tasks.base import Problem
from synlog.tasks.search.n_queens import SOLUTION_COUNTS, all_solutions, board_text
from synlog.verifiers.verdict import Reason

TASK = get_task("n_queens")


def rows(levels, n, seed=7):
    for level in levels:
        spec = TASK.knobs.resolve(level)
        for i in range(n):
            yield make_row("n_queens", level, spec, seed, i)


def completions(n: int, given: list[list[int]], limit: int = 2) -> list[list[int]]:
    """Up to ``limit`` completions (column per row) that keep the given queens."""
    forced = {r: c for r, c in given}
    found: list[list[int]] = []
    cols: list[int] = []
    full = (1 << n) - 1

    def search(row: int, used: int, left: int, right: int) -> None:
        if len(found) >= limit:
            return
        if row == n:
            found.append(list(cols))
            return
        free = full & ~(used | left | right)
        if row in forced:
            free &= 1 << forced[row]
        while free:
            bit = free & -free
            free ^= bit
            cols.append(bit.bit_length() - 1)
            search(row + 1, used | bit, ((left | bit) << 1) & full, (right | bit) >> 1)
            cols.pop()

    search(0, 0, 0, 0)
    return found


def gold_columns(answer: str) -> list[int]:
    return [line.split().index("Q") for line in answer.splitlines()]


def check_unique(levels, per_level, seed=7):
    checked = 0
    for row in rows(levels, per_level, seed):
        problem = json.loads(row["problem"])
        assert completions(problem["n"], problem["given"]) == [gold_columns(row["answer"])], row["id"]
        checked += 1
    return checked


def test_sixty_puzzles_have_one_completion_and_it_is_the_gold():
    assert check_unique(range(1, 7), 10) >= 60


@pytest.mark.slow
@pytest.mark.parametrize("level", range(1, 11))
def test_twenty_puzzles_per_level_have_one_completion(level):
    assert check_unique([level], 20, seed=2027) == 20


def test_enumeration_matches_the_known_solution_counts():
    for n in (7, 8, 9):
        assert len(all_solutions(n)) == SOLUTION_COUNTS[n] == len(completions(n, [], limit=10**6))


def test_givens_are_minimal_beyond_the_extras():
    # dropping any one given of a level without extras leaves more than one completion
    for row in rows((6, 7), 4):
        problem = json.loads(row["problem"])
        for k in range(len(problem["given"])):
            rest = problem["given"][:k] + problem["given"][k + 1:]
            assert len(completions(problem["n"], rest)) == 2


EXAMPLE = {"n": 5, "given": [[0, 2], [4, 4]]}
SOLUTION = ". . Q . .\nQ . . . .\n. . . Q .\n. Q . . .\n. . . . Q"


def test_the_docstring_example_has_one_completion():
    assert completions(5, EXAMPLE["given"]) == [gold_columns(SOLUTION)]
    assert TASK.verify(EXAMPLE, SOLUTION).correct
    assert TASK.verify(EXAMPLE, "```\n" + SOLUTION + "\n```").correct
    assert TASK.verify(EXAMPLE, json.dumps([line.split() for line in SOLUTION.splitlines()])).correct


@pytest.mark.parametrize("answer, reason, why", [
    (". . Q . .\n. . . . Q\n. Q . . .\n. . . Q .\nQ . . . .", Reason.WRONG, "missing"),  # another solution, givens moved
    (". . Q . .\nQ . . . .\n. . . Q .\n. . . . .\n. . . . Q", Reason.WRONG, "holds 0"),  # a queen short
    (". . Q . .\nQ . . . .\n. . . Q .\n. Q . . Q\n. . . . Q", Reason.WRONG, "row 4"),  # an extra queen
    (". . Q . .\nQ . . . .\n. Q . . .\n. . . Q .\n. . . . Q", Reason.WRONG, "diagonal"),
    (". . Q . .\nQ . . . .\n. . . Q .\n. Q . . .\n. . . . 1", Reason.INVALID, "Q (a queen)"),
    ("..Q..\nQ....\n...Q.\n.Q...\n....Q", Reason.UNPARSEABLE, "expected 5 cells"),  # cells not separated
    ("Here it is:\n" + SOLUTION, Reason.UNPARSEABLE, ""),
    (SOLUTION + "\n" + SOLUTION, Reason.UNPARSEABLE, "expected 5 rows"),  # the gold twice
    (". Q . .\n. . . Q\nQ . . .\n. . Q .", Reason.UNPARSEABLE, "expected 5 rows"),  # the prompt's example
    ("(1, 3), (2, 1), (3, 4), (4, 2), (5, 5)", Reason.UNPARSEABLE, ""),  # coordinates, not a board
])
def test_rule_breaking_answers_score_zero(answer, reason, why):
    verdict = TASK.verify(EXAMPLE, answer)
    assert verdict.score == 0 and verdict.reason is reason, verdict
    assert why in verdict.details.get("why", ""), verdict


def test_an_enormous_answer_is_refused_quickly():
    for text in ("Q " * 20000, (". " * 5 + "\n") * 20000):
        start = time.perf_counter()
        assert TASK.verify(EXAMPLE, text).reason is Reason.INVALID
        assert time.perf_counter() - start < 0.5


def test_a_hedge_of_two_boards_scores_zero():
    row = next(rows((5,), 1))
    problem = json.loads(row["problem"])
    other = TASK.perturb(Problem(problem, row["answer"]), np.random.default_rng(0))[0]
    assert TASK.verify(problem, row["answer"] + "\nor\n" + other).score == 0
    assert TASK.verify(problem, row["answer"] + "\n\n" + other).score == 0


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=5, max_size=5))
def test_random_boards_pay_only_when_they_obey_the_rules(cols):
    text = board_text(5, [[r, c] for r, c in enumerate(cols)])
    legal = (len(set(cols)) == 5 and all(abs(cols[a] - cols[b]) != b - a for a in range(5) for b in range(a + 1, 5))
             and all(cols[r] == c for r, c in EXAMPLE["given"]))
    assert TASK.verify(EXAMPLE, text).score == (1.0 if legal else 0.0)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="Q. \n*-`x1", max_size=80))
def test_random_text_never_raises(text):
    assert TASK.verify(EXAMPLE, text).score in (0.0, 1.0)
