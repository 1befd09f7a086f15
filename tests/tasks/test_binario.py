"""Specification of the binario (Takuzu) task beyond the shared contract.

Gold answers are re-solved without SAT: the deductions a person makes (a pair or a gap
forces the other digit, a line with n/2 of one digit is completed with the other) until
none applies, then a branch on a blank cell of the line with fewest blanks; completed rows (columns) must differ.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.tasks.base import Problem
from synlog.tasks.grid.binario import rules_cnf
from synlog.verifiers.verdict import Reason
from tests.tasks.grid_checks import GridPuzzle, assert_one_model


def propagate(grid: list[list[int]], n: int) -> bool:
    """Apply the human deductions until none applies; False on a contradiction. A pair
    ``xx`` or a gap ``x.x`` forces the other digit beside it; a line with n/2 of one digit
    gets the other digit everywhere else; two equal digits run three or a line overflows."""
    half = n // 2
    changed = True
    while changed:
        changed = False
        for lines in (grid, [list(col) for col in zip(*grid, strict=True)]):
            transposed = lines is not grid
            for i, line in enumerate(lines):
                if line.count(0) > half or line.count(1) > half:
                    return False
                forced: dict[int, int] = {}
                for j in range(n - 2):
                    a, b, c = line[j:j + 3]
                    if a == b == c != -1:
                        return False
                    for blank, x, y in ((j + 2, a, b), (j, b, c), (j + 1, a, c)):
                        if line[blank] == -1 and x == y != -1:
                            forced[blank] = 1 - x
                for digit in (0, 1):
                    if line.count(digit) == half:
                        forced.update({j: 1 - digit for j in range(n) if line[j] == -1})
                for j, value in forced.items():
                    r, c = (j, i) if transposed else (i, j)
                    if grid[r][c] == -1:
                        grid[r][c] = value
                        changed = True
                    elif grid[r][c] != value:
                        return False
                if changed:
                    break
            if changed:
                break
    return True


def solve_all(problem: dict, limit: int = 2) -> list[list[list[int]]]:
    n = problem["n"]
    found: list[list[list[int]]] = []

    def search(grid: list[list[int]]) -> None:
        if len(found) >= limit or not propagate(grid, n):
            return
        full_rows = [tuple(row) for row in grid if -1 not in row]
        full_cols = [col for col in zip(*grid, strict=True) if -1 not in col]
        if len(set(full_rows)) < len(full_rows) or len(set(full_cols)) < len(full_cols):
            return
        blanks = [(r, c) for r in range(n) for c in range(n) if grid[r][c] == -1]
        if not blanks:
            found.append(grid)
            return
        # branch in the row or column closest to complete, where a guess is soonest refuted
        blank = min(blanks, key=lambda cell: min(grid[cell[0]].count(-1), [row[cell[1]] for row in grid].count(-1)))
        for value in (0, 1):
            copy = [row[:] for row in grid]
            copy[blank[0]][blank[1]] = value
            search(copy)

    search([[-1 if v is None else v for v in line] for line in problem["puzzle"]])
    return found


PUZZLE = GridPuzzle("binario", solve=solve_all)
TASK = PUZZLE.task


def test_sixty_puzzles_have_one_solution_and_it_is_the_gold():
    PUZZLE.assert_golds_are_the_only_solutions(levels=(1, 2, 3, 4, 5, 6), per_level=10)


@pytest.mark.parametrize("level", [9, 10])
def test_sat_model_count_is_one_on_the_big_levels(level):
    for p, _ in PUZZLE.problems(level, 2, seed=5):
        n = p["n"]
        shown = [(r * n + c + 1) * (1 if v else -1) for r, line in enumerate(p["puzzle"])
                 for c, v in enumerate(line) if v is not None]
        assert_one_model(rules_cnf(n), projection=range(1, n * n + 1), assumptions=shown)


@pytest.mark.slow
@pytest.mark.parametrize("level", range(1, 11))
def test_twenty_puzzles_per_level_are_unique(level):
    PUZZLE.assert_golds_are_the_only_solutions(levels=[level], per_level=20, seed=2027, at_least=20)


EXAMPLE = {"n": 4, "puzzle": [[0, None, None, 0], [None] * 4, [None, None, 1, None], [0, None, None, None]]}
SOLUTION = [[0, 1, 1, 0], [1, 0, 0, 1], [1, 0, 1, 0], [0, 1, 0, 1]]
TEXT = "\n".join(" ".join(map(str, r)) for r in SOLUTION)


def test_the_docstring_example_has_one_solution():
    PUZZLE.assert_example(EXAMPLE, SOLUTION, TEXT, json.dumps(SOLUTION), f"```\n{TEXT}\n```")


@pytest.mark.parametrize("answer, reason, why", [
    ("1 0 0 1\n0 1 1 0\n1 0 1 0\n0 1 0 1", Reason.WRONG, "given 0 at (1, 1)"),
    ("0 1 1 0\n1 0 0 1\n1 0 1 0\n0 1 1 1", Reason.WRONG, "row 4 holds 3 ones"),
    ("0 1 1 0\n1 0 0 1\n0 1 1 0\n1 0 0 1", Reason.WRONG, "the given 0 at (4, 1)"),
    ("0 1 0 1\n1 0 1 0\n1 0 0 1\n0 1 1 0", Reason.WRONG, "given"),
    ("0 1 1 0\n1 0 0 1\n1 0 1 0\n0 1 0 2", Reason.INVALID, "0 or 1"),
    ("0 1 1 0", Reason.UNPARSEABLE, "expected 4 rows"),
])
def test_rule_breaking_answers_score_zero(answer, reason, why):
    PUZZLE.assert_scores_zero(EXAMPLE, answer, reason, why)


def test_each_line_rule_is_checked_on_its_own():
    blank = {"n": 6, "puzzle": [[None] * 6 for _ in range(6)]}
    runs = "0 0 0 1 1 1\n1 1 1 0 0 0\n0 0 0 1 1 1\n1 1 1 0 0 0\n0 0 0 1 1 1\n1 1 1 0 0 0"
    PUZZLE.assert_scores_zero(blank, runs, Reason.WRONG, "three")
    repeated = "0 1 0 1 1 0\n1 0 1 0 0 1\n0 1 0 1 1 0\n1 0 1 0 0 1\n0 1 1 0 1 0\n1 0 0 1 0 1"
    PUZZLE.assert_scores_zero(blank, repeated, Reason.WRONG, "rows 1 and 3 are identical")
    columns = "0 0 1 1 0 1\n1 1 0 0 1 0\n0 0 1 0 1 1\n1 1 0 1 0 0\n0 0 1 1 0 1\n1 1 0 0 1 0"
    verdict = TASK.verify(blank, columns)
    assert verdict.score == 0 and "identical" in verdict.details["why"]


def test_perturbations_are_wrong():
    PUZZLE.assert_perturbations_are_wrong(level=8)


# --------------------------------------------------------------------------- attacks


def attacks(problem: dict, gold: str) -> dict[str, str]:
    grid = [[int(v) for v in line.split()] for line in gold.splitlines()]
    example = TASK.prompt(Problem(problem, gold)).split("<answer>")[-1].split("</answer>")[0]
    return {
        "gold twice": f"{gold}\n{gold}",
        "hedge: gold or its transpose": f"{gold}\nor\n" + "\n".join(" ".join(map(str, c)) for c in zip(*grid, strict=True)),
        "partial: first half of the rows": "\n".join(gold.splitlines()[: len(grid) // 2]),
        "the prompt's example answer": example.strip(),
        "letters for digits": gold.replace("0", "O").replace("1", "I"),
        "digits run together": "\n".join(line.replace(" ", "") for line in gold.splitlines()),
        "enormous": gold + "\n" + "0 1 " * 60_000,
    }


def test_hostile_answers_score_below_one():
    PUZZLE.assert_attacks_fail(attacks)


def test_an_enormous_answer_is_refused_quickly():
    row = PUZZLE.rows(10, 1)[0]
    verdict = TASK.verify(json.loads(row["problem"]), row["answer"] + "\n" + "1 0 " * 200_000)
    assert verdict.score == 0 and verdict.reason is Reason.UNPARSEABLE


ROW = PUZZLE.rows(3, 1, seed=13)[0]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(0, 1), min_size=8, max_size=8), min_size=8, max_size=8))
def test_random_grids_never_raise_and_only_the_gold_scores_one(cells):
    problem = json.loads(ROW["problem"])
    text = "\n".join(" ".join(map(str, line)) for line in cells)
    verdict = TASK.verify(problem, text)
    assert verdict.correct == (text == ROW["answer"])


# --------------------------------------------------------------------------- data quality


def test_the_blank_filling_shortcuts_score_zero():
    for problem, _ in PUZZLE.problems(1, 20) + PUZZLE.problems(6, 5):
        for name, answer in TASK.degenerate_answers(problem).items():
            assert TASK.verify(problem, answer).score == 0, name


def test_extra_givens_make_the_easy_levels_easier():
    minimal = [TASK.hardness(p) for p, _ in PUZZLE.problems(1, 10, extra=0.0)]
    padded = [TASK.hardness(p) for p, _ in PUZZLE.problems(1, 10)]
    assert sum(padded) < sum(minimal)


def test_hardness_grows_with_the_level():
    means = [sum(TASK.hardness(p) for p, _ in PUZZLE.problems(level, 4)) / 4 for level in (1, 3, 5, 7, 10)]
    assert means == sorted(means) and means[-1] > 1.25 * means[0]
