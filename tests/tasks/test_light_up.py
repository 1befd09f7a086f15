"""Specification of the light_up task beyond the shared contract.

Gold answers are re-solved without SAT: white cells in reading order get a bulb (when no
bulb already sees them) or none, and a branch dies as soon as a number has too many bulbs
around it or too few cells left to reach its count, or a decided dark cell has no cell left
in sight that could still take a bulb.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.tasks.base import Problem
from synlog.tasks.grid.light_up import rules_cnf
from synlog.verifiers.verdict import Reason
from tests.tasks.grid_checks import GridPuzzle, assert_one_model


def solve_all(problem: dict, limit: int = 2) -> list[frozenset]:
    grid = [line.split() for line in problem["puzzle"]]
    n = len(grid)
    white = [(r, c) for r in range(n) for c in range(n) if grid[r][c] == "."]
    order = {cell: i for i, cell in enumerate(white)}

    def sight(cell):
        out = []
        for dr, dc in ((0, 1), (0, -1), (1, 0), (-1, 0)):
            r, c = cell[0] + dr, cell[1] + dc
            while 0 <= r < n and 0 <= c < n and grid[r][c] == ".":
                out.append((r, c))
                r, c = r + dr, c + dc
        return out

    seen = {cell: sight(cell) for cell in white}
    numbers = [((r, c), int(grid[r][c]), [x for x in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)) if x in order])
               for r in range(n) for c in range(n) if grid[r][c].isdigit()]
    bulbs: set = set()
    found: list[frozenset] = []

    def consistent(index: int) -> bool:
        # index = cells decided so far (in reading order)
        for _, k, around in numbers:
            have = sum(x in bulbs for x in around)
            open_ = sum(order[x] >= index for x in around)
            if have > k or have + open_ < k:
                return False
        for cell in white[:index]:
            if cell in bulbs or any(x in bulbs for x in seen[cell]):
                continue
            # dark so far: some undecided cell in sight that no bulb sees yet must remain
            if not any(order[x] >= index and not any(y in bulbs for y in seen[x]) for x in seen[cell]):
                return False
        return True

    def search(index: int) -> None:
        if len(found) >= limit:
            return
        if index == len(white):
            found.append(frozenset(bulbs))
            return
        cell = white[index]
        if not any(x in bulbs for x in seen[cell]):
            bulbs.add(cell)
            if consistent(index + 1):
                search(index + 1)
            bulbs.remove(cell)
        if consistent(index + 1):
            search(index + 1)

    search(0)
    return found


def gold_bulbs(row: dict) -> frozenset:
    return frozenset((r, c) for r, line in enumerate(row["answer"].splitlines())
                     for c, token in enumerate(line.split()) if token == "L")


PUZZLE = GridPuzzle("light_up", solve=solve_all, gold=gold_bulbs)
TASK = PUZZLE.task


def test_sixty_puzzles_have_one_solution_and_it_is_the_gold():
    PUZZLE.assert_golds_are_the_only_solutions(levels=(1, 2, 3, 4, 5, 6), per_level=10)


@pytest.mark.slow
@pytest.mark.parametrize("level", range(1, 11))
def test_twenty_puzzles_per_level_are_unique(level):
    PUZZLE.assert_golds_are_the_only_solutions(levels=[level], per_level=20, seed=2027, at_least=20)


@pytest.mark.parametrize("level", [9, 10])
def test_sat_model_count_is_one_on_the_big_levels(level):
    for p, _ in PUZZLE.problems(level, 3, seed=5):
        grid = [line.split() for line in p["puzzle"]]
        n = len(grid)
        board = {(r, c): int(grid[r][c]) if grid[r][c].isdigit() else None
                 for r in range(n) for c in range(n) if grid[r][c] != "."}
        clauses, selector = rules_cnf(n, board)
        white = [r * n + c + 1 for r in range(n) for c in range(n) if grid[r][c] == "."]
        assert_one_model(clauses, projection=white, assumptions=list(selector.values()))


EXAMPLE = {"puzzle": [". 0 . #", ". . . .", ". 2 . 0", ". . . ."]}
SOLUTION = ". 0 . #\n. . L .\nL 2 . 0\n. L . ."


def test_the_docstring_example_has_one_solution():
    PUZZLE.assert_example(EXAMPLE, frozenset({(1, 2), (2, 0), (3, 1)}), SOLUTION,
                          json.dumps([line.split() for line in SOLUTION.splitlines()]),
                          "\n".join(f"- {line}" for line in SOLUTION.splitlines()))


@pytest.mark.parametrize("answer, reason, why", [
    (". 0 . #\nL . L .\nL 2 . 0\n. L . .", Reason.WRONG, "light each other"),
    (". 0 . #\n. . L .\nL 2 . 0\n. . . L", Reason.WRONG, "has 1 bulbs"),
    (". 0 . #\n. . . .\nL 2 . 0\n. L . .", Reason.WRONG, "not lit"),
    (". 0 . #\n. . L .\nL 2 . 0\n. L . .", Reason.OK, None),
    (". 0 . .\n. . L .\nL 2 . 0\n. L . .", Reason.INVALID, "must stay #"),
    (". 0 . #\n. . * .\nL 2 . 0\n. L . .", Reason.INVALID, "L (bulb)"),
    (". 0 . #", Reason.UNPARSEABLE, "expected 4 rows"),
])
def test_rule_breaking_answers_score_zero(answer, reason, why):
    if reason is Reason.OK:
        assert TASK.verify(EXAMPLE, answer).correct
    else:
        PUZZLE.assert_scores_zero(EXAMPLE, answer, reason, why)


def test_a_black_cell_blocks_the_light():
    # the bulb at the left lights up to the black cell only: the right cell stays dark
    problem = {"puzzle": [". # .", "# # #", "# # #"]}
    assert TASK.verify(problem, "L # .\n# # #\n# # #").details["why"].endswith("is not lit")
    assert TASK.verify(problem, "L # L\n# # #\n# # #").correct


def test_perturbations_are_wrong():
    PUZZLE.assert_perturbations_are_wrong(level=8)


# --------------------------------------------------------------------------- attacks


def attacks(problem: dict, gold: str) -> dict[str, str]:
    example = TASK.prompt(Problem(problem, gold)).split("<answer>")[-1].split("</answer>")[0]
    lines = gold.splitlines()
    return {
        "gold twice": f"{gold}\n{gold}",
        "hedge: gold or the empty board": f"{gold}\nor\n" + "\n".join(problem["puzzle"]),
        "partial: the first rows only": "\n".join(lines[: len(lines) // 2]),
        "the prompt's example answer": example.strip(),
        "lower-case bulbs": gold.replace("L", "l"),
        "B for a bulb": gold.replace("L", "B"),
        "bulbs as coordinates": ", ".join(f"({r + 1}, {c + 1})" for r, c in sorted(
            (r, c) for r, line in enumerate(lines) for c, t in enumerate(line.split()) if t == "L")),
        "enormous": gold + "\n" + ". L " * 60_000,
    }


def test_hostile_answers_score_below_one():
    PUZZLE.assert_attacks_fail(attacks)


ROW = PUZZLE.rows(3, 1, seed=13)[0]


@settings(max_examples=200, deadline=None)
@given(st.sets(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=12))
def test_random_placements_never_raise_and_only_the_gold_scores_one(cells):
    problem = json.loads(ROW["problem"])
    grid = [line.split() for line in problem["puzzle"]]
    text = "\n".join(" ".join("L" if (r, c) in cells and t == "." else t for c, t in enumerate(line))
                     for r, line in enumerate(grid))
    bulbs = frozenset(cell for cell in cells if grid[cell[0]][cell[1]] == ".")
    assert TASK.verify(problem, text).correct == (bulbs == gold_bulbs(ROW))


@settings(max_examples=200, deadline=None)
@given(st.sets(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=6))
def test_the_gold_with_bulbs_moved_never_scores_one(cells):
    problem = json.loads(ROW["problem"])
    grid = [line.split() for line in ROW["answer"].splitlines()]
    toggled = [(r, c) for r, c in cells if grid[r][c] in ("L", ".")]
    for r, c in toggled:
        grid[r][c] = "." if grid[r][c] == "L" else "L"
    verdict = TASK.verify(problem, "\n".join(" ".join(line) for line in grid))
    assert verdict.correct == (not toggled)  # the solution is unique


# --------------------------------------------------------------------------- data quality


def test_the_shortcuts_score_zero():
    PUZZLE.assert_shortcuts_score_zero()


def test_extra_numbers_make_the_easy_levels_easier():
    def shown(problems):
        return sum(sum(t.isdigit() for t in "".join(p["puzzle"])) for p, _ in problems)

    assert shown(PUZZLE.problems(1, 10)) > shown(PUZZLE.problems(1, 10, extra=0.0))


def test_hardness_grows_with_the_level():
    means = [sum(TASK.hardness(p) for p, _ in PUZZLE.problems(level, 4)) / 4 for level in (1, 3, 5, 7, 10)]
    assert means == sorted(means) and means[-1] > 1.25 * means[0]
