"""Specification of the skyscraper task beyond the shared contract.

Gold answers are re-solved by a plain backtracking counter that shares nothing with the
generator (no SAT): rows filled left to right, a row checked against its clues once full, a
column once full.
"""

from __future__ import annotations

import json
from itertools import permutations

import pytest

from synlog.tasks.grid.skyscraper import _rules
from synlog.verifiers.verdict import Reason
from tests.tasks.grid_checks import GridPuzzle, assert_one_filling


def seen(line) -> int:
    return sum(1 for i, h in enumerate(line) if all(h > g for g in line[:i]))


def solve_all(n: int, puzzle: list[list[int]], clues: dict, limit: int = 2,
              seen=seen) -> list[list[list[int]]]:
    """Every solution up to ``limit``: each row is a permutation that keeps its givens and
    meets its left/right clues; columns are checked as rows accumulate. ``seen`` measures a
    line from its first end (sum_skyscraper's tests pass the visible heights' sum; both only
    grow as a column gains rows, and are final once n is in it)."""
    def row_options(r: int) -> list[tuple[int, ...]]:
        return [p for p in permutations(range(1, n + 1))
                if all(not g or g == v for g, v in zip(puzzle[r], p, strict=False))
                and (not clues["left"][r] or seen(p) == clues["left"][r])
                and (not clues["right"][r] or seen(p[::-1]) == clues["right"][r])]

    options = [row_options(r) for r in range(n)]
    found: list[list[list[int]]] = []
    chosen: list[tuple[int, ...]] = []

    def top_clues_still_possible() -> bool:
        """A column seen from the top never loses buildings, and is final once n is in it."""
        for c, clue in enumerate(clues["top"]):
            if clue:
                column = [row[c] for row in chosen]
                if seen(column) > clue or (n in column and seen(column) != clue):
                    return False
        return True

    def search() -> None:
        if len(found) >= limit:
            return
        if len(chosen) == n:
            columns = list(zip(*chosen, strict=False))
            if all((not t or seen(col) == t) and (not b or seen(col[::-1]) == b)
                   for col, t, b in zip(columns, clues["top"], clues["bottom"], strict=False)):
                found.append([list(row) for row in chosen])
            return
        for option in options[len(chosen)]:
            if all(option[c] != row[c] for row in chosen for c in range(n)):
                chosen.append(option)
                if top_clues_still_possible():
                    search()
                chosen.pop()

    search()
    return found


PUZZLE = GridPuzzle("skyscraper", solve=lambda p: solve_all(p["n"], p["puzzle"], p["clues"]))


def test_sixty_puzzles_have_one_solution_and_it_is_the_gold():
    PUZZLE.assert_golds_are_the_only_solutions(levels=(1, 2, 3, 4, 5, 6), per_level=10)


@pytest.mark.parametrize("level", [8, 10])
def test_sat_model_count_is_one_on_the_big_levels(level):
    for problem, _ in PUZZLE.problems(level, 3, seed=5):
        n = problem["n"]
        clauses, var, selectors = _rules(n)
        clues = [selectors[side, i, k] for side, ks in problem["clues"].items() for i, k in enumerate(ks) if k]
        assert_one_filling(clauses, var, problem["puzzle"], values=n, also_assume=clues)


def test_shown_clues_are_read_off_the_solution():
    for problem, solution in PUZZLE.problems(9, 5):
        columns = [list(c) for c in zip(*solution, strict=False)]
        for i in range(problem["n"]):
            for side, line in (("left", solution[i]), ("right", solution[i][::-1]),
                               ("top", columns[i]), ("bottom", columns[i][::-1])):
                assert problem["clues"][side][i] in (0, seen(line))


@pytest.mark.slow
@pytest.mark.parametrize("level", range(1, 8))  # levels 8-10 (few clues) are too slow to brute-force
def test_thirty_puzzles_per_level_are_unique(level):
    PUZZLE.assert_golds_are_the_only_solutions(levels=[level], per_level=30, seed=2027, at_least=30)


EXAMPLE = {"n": 3, "puzzle": [[0] * 3 for _ in range(3)],
           "clues": {"top": [2, 1, 3], "bottom": [2, 2, 1], "left": [2, 1, 3], "right": [2, 2, 1]}}


def test_the_docstring_example_has_one_solution():
    PUZZLE.assert_example(EXAMPLE, [[2, 3, 1], [3, 1, 2], [1, 2, 3]], "2 3 1\n3 1 2\n1 2 3",
                          "[[2,3,1],[3,1,2],[1,2,3]]")


@pytest.mark.parametrize("answer, reason, why", [
    ("1 2 3\n2 3 1\n3 1 2", Reason.WRONG, "clue"),
    ("2 3 1\n3 1 2\n1 2 2", Reason.WRONG, "row 3"),
    ("2 3 1\n3 1 2\n1 2 4", Reason.INVALID, "from 1 to 3"),
    ("2 3 1\n3 1 2", Reason.UNPARSEABLE, "expected 3 rows"),
])
def test_rule_breaking_answers_score_zero(answer, reason, why):
    PUZZLE.assert_scores_zero(EXAMPLE, answer, reason, why)


def test_perturbations_are_wrong():
    PUZZLE.assert_perturbations_are_wrong()


# --------------------------------------------------------------------------- data quality


SIDE_WORDS = {"en": {side: (f"From the {side}", ": ") for side in ("top", "bottom", "left", "right")},
              "zh": {"top": ("从上方", "："), "bottom": ("从下方", "："), "left": ("从左侧", "："),
                     "right": ("从右侧", "：")}}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("template", range(5))
def test_the_prompt_lists_every_side_clue_in_words(template, lang):
    row = PUZZLE.rows(5, 1, template=template, lang=lang)[0]
    clues = json.loads(row["problem"])["clues"]
    for side in ("top", "bottom", "left", "right"):
        listed = ", ".join(str(v) if v else "-" for v in clues[side])
        start, colon = SIDE_WORDS[lang][side]
        assert any(line.startswith(start) and line.endswith(colon + listed)
                   for line in row["prompt"].splitlines()), side


def test_level_one_prompts_differ_between_seeds():
    # 4×4 with every clue shown is fixed by its solution (576 of them): seeds would collide
    first = {row["prompt"] for row in PUZZLE.rows(1, 80, seed=0)}
    second = {row["prompt"] for row in PUZZLE.rows(1, 80, seed=1)}
    assert len(first) == 80 and len(first & second) <= 4


def test_hardness_counts_cells_and_withheld_clues_and_grows_with_the_level():
    assert PUZZLE.task.hardness(EXAMPLE) == 9
    assert PUZZLE.task.hardness({**EXAMPLE, "clues": {**EXAMPLE["clues"], "top": [2, 0, 0]}}) == 11
    means = [sum(PUZZLE.task.hardness(p) for p, _ in PUZZLE.problems(level, 6)) / 6 for level in (1, 3, 5, 7, 10)]
    assert means == sorted(means) and means[-1] > 1.25 * means[0]
