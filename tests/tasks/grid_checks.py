"""The checks every grid puzzle's tests make, written once.

Each grid task's test module keeps what is its own: an independent brute-force solver (no
SAT, written differently from the generator), how to read the gold out of a row, its worked
example and its rule-specific cases. It hands the solver and the gold reader to a
``GridPuzzle`` and asks it for the shared checks::

    PUZZLE = GridPuzzle("futoshiki", solve=lambda p: solve_all(p["n"], p["puzzle"], p["signs"]))

    def test_sixty_puzzles_have_one_solution_and_it_is_the_gold():
        PUZZLE.assert_golds_are_the_only_solutions(levels=(1, 2, 3, 4, 5, 6), per_level=10)

``solve(problem)`` returns every solution it finds (up to two is enough); ``gold(row)`` reads
the row's answer into the same form (by default a grid of integers); a check passes when the
solver's list is exactly ``[gold(row)]``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from synlog.synth.example import make_row
from synlog.tasks.base import Problem, get_task
from synlog.tasks.common.satenc import count_models
from synlog.verifiers.score import score
from synlog.verifiers.verdict import Reason


def number_grid(answer: str) -> list[list[int]]:
    """A gold grid of integers, one row per line, cells separated by spaces."""
    return [[int(v) for v in line.split()] for line in answer.splitlines()]


def token_grid(answer: str) -> list[list[str]]:
    """A gold grid of single-symbol tokens (letters, arrows, ``#``)."""
    return [line.split() for line in answer.splitlines()]


def number_gold(row: dict) -> list[list[int]]:
    """The gold of a row whose answer is a grid of integers."""
    return number_grid(row["answer"])


def token_gold(row: dict) -> list[list[str]]:
    """The gold of a row whose answer is a grid of tokens."""
    return token_grid(row["answer"])


def sides(cell: tuple[int, int]) -> list[tuple[int, int]]:
    """The four orthogonal neighbours of a cell, unbounded (callers test membership)."""
    r, c = cell
    return [(r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)]


def is_connected(cells: Iterable[tuple[int, int]]) -> bool:
    """Whether a set of cells is one orthogonally connected piece (the empty set is)."""
    cells = set(cells)
    if not cells:
        return True
    start = next(iter(cells))
    seen, stack = {start}, [start]
    while stack:
        for x in sides(stack.pop()):
            if x in cells and x not in seen:
                seen.add(x)
                stack.append(x)
    return seen == cells


def assert_one_model(clauses, projection, assumptions) -> None:
    """The rules with the shown clues have exactly one model on ``projection``."""
    assert count_models(clauses, limit=2, projection=projection, assumptions=assumptions).models == 1


def assert_one_filling(clauses, var: Callable[[int, int, int], int], puzzle: list[list[int]],
                       values: int, also_assume: Iterable[int] = ()) -> None:
    """A number grid's rules, with the numbers the puzzle shows (0 is a blank) and
    ``also_assume`` pinned, have exactly one model over the cell variables ``var(r, c, v)``,
    v in 1..values."""
    rows, cols = len(puzzle), len(puzzle[0])
    shown = [var(r, c, v) for r, line in enumerate(puzzle) for c, v in enumerate(line) if v]
    projection = [var(r, c, v) for r in range(rows) for c in range(cols) for v in range(1, values + 1)]
    assert_one_model(clauses, projection, shown + list(also_assume))


@dataclass(frozen=True)
class GridPuzzle:
    """One grid task under test: its name, independent solver and gold reader."""

    name: str
    solve: Callable[[dict], list]
    gold: Callable[[dict], object] = number_gold

    @property
    def task(self):
        return get_task(self.name)

    def rows(self, level: int, n: int, seed: int = 1, **overrides) -> list[dict]:
        """The first ``n`` rows at a level, as ``synlog generate`` makes them."""
        spec = self.task.knobs.resolve(level, overrides)
        return [make_row(self.name, level, spec, seed, i) for i in range(n)]

    def problems(self, level: int, n: int, seed: int = 1, **overrides) -> list[tuple[dict, object]]:
        """``(problem, gold)`` for the first ``n`` rows at a level."""
        return [(json.loads(row["problem"]), self.gold(row))
                for row in self.rows(level, n, seed, **overrides)]

    def assert_golds_are_the_only_solutions(self, levels: Iterable[int], per_level: int,
                                            seed: int = 7, at_least: int = 50) -> None:
        """The independent solver finds exactly one solution per puzzle, and it is the gold."""
        checked = 0
        for level in levels:
            for row in self.rows(level, per_level, seed=seed):
                assert self.solve(json.loads(row["problem"])) == [self.gold(row)], row["id"]
                checked += 1
        assert checked >= at_least

    def assert_example(self, example: dict, solution, *answers: str) -> None:
        """The worked example has ``solution`` as its one solution, and each answer spelling
        of it scores correct."""
        assert self.solve(example) == [solution]
        for answer in answers:
            assert self.task.verify(example, answer).correct, answer

    def assert_scores_zero(self, problem: dict, answer: str, reason: Reason,
                           why: str | None = None) -> None:
        """A rule-breaking answer scores 0 for ``reason``, and its explanation names ``why``."""
        verdict = self.task.verify(problem, answer)
        assert verdict.score == 0 and verdict.reason is reason, verdict
        if why is not None:
            assert why in verdict.details["why"], verdict

    def assert_attacks_fail(self, attacks: Callable[[dict, str], dict[str, str]], level: int = 4,
                            n: int = 4, seed: int = 9) -> None:
        """Every hostile answer ``attacks(problem, gold)`` names scores below 1 and never
        ``error``, read bare by ``verify`` and inside answer tags by the scorer."""
        for row in self.rows(level, n, seed=seed):
            problem = json.loads(row["problem"])
            for name, answer in attacks(problem, row["answer"]).items():
                verdict = self.task.verify(problem, answer)
                assert verdict.score < 1 and verdict.reason is not Reason.ERROR, name
                tagged = score(self.task, row["problem"], f"<answer>{answer}</answer>")
                assert tagged.score < 1 and tagged.reason is not Reason.ERROR, name

    def assert_perturbations_are_wrong(self, level: int = 6, n: int = 5) -> None:
        """The task's near-miss answers (used for negatives) all score 0."""
        for row in self.rows(level, n):
            problem = Problem(json.loads(row["problem"]), row["answer"], row["effort"])
            wrong = self.task.perturb(problem, np.random.default_rng(1))
            assert len(wrong) >= 2 and all(self.task.verify(problem.data, w).score == 0 for w in wrong)

    def assert_shortcuts_score_zero(self, samples=((1, 20), (6, 5))) -> None:
        """Each named degenerate answer scores exactly 0 on every row of ``(level, n)`` samples."""
        for level, n in samples:
            for problem, _ in self.problems(level, n):
                for name, answer in self.task.degenerate_answers(problem).items():
                    assert self.task.verify(problem, answer).score == 0, name

    def assert_shortcuts_fail_and_hardness_grows(self) -> None:
        """The task's degenerate answers (named shortcuts) never solve a row, and its hardness
        grows along the ladder (levels 1 < 5 < 10)."""
        task = self.task
        for row in self.rows(1, 20, seed=31) + self.rows(5, 5, seed=31):
            problem = json.loads(row["problem"])
            for name, answer in task.degenerate_answers(problem).items():
                assert not task.verify(problem, answer).correct, (name, row["id"])

        def mean(level: int) -> float:
            sample = self.rows(level, 8, seed=37)
            return sum(task.hardness(json.loads(r["problem"])) for r in sample) / len(sample)

        assert mean(1) < mean(5) < mean(10)
