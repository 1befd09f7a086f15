"""Specification of the hitori task beyond the shared contract.

Gold answers are re-solved without SAT: cells in reading order are left open (when their
number is not yet open to the left in the row or above in the column) or shaded (when the
cells above and to the left are not), and a branch dies as soon as the cells not shaded
(open or undecided) fall apart, so connectivity is never checked by a solver clause.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.tasks.base import Problem
from synlog.tasks.grid.hitori import connectivity_cuts, rules_cnf, solve_connected
from synlog.verifiers.verdict import Reason
from tests.tasks.grid_checks import GridPuzzle


def solve_all(problem: dict, limit: int = 2) -> list[frozenset]:
    numbers = problem["numbers"]
    n = len(numbers)
    shaded: set = set()
    found: list[frozenset] = []

    def open_cells_connected() -> bool:
        # every cell not shaded yet (decided open or still undecided) must hang together
        cells = {(r, c) for r in range(n) for c in range(n)} - shaded
        start = next(iter(cells))
        seen, stack = {start}, [start]
        while stack:
            r, c = stack.pop()
            for x in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                if x in cells and x not in seen:
                    seen.add(x)
                    stack.append(x)
        return len(seen) == len(cells)

    def search(index: int) -> None:
        if len(found) >= limit:
            return
        if index == n * n:
            found.append(frozenset(shaded))
            return
        r, c = divmod(index, n)
        value = numbers[r][c]
        row_open = {numbers[r][j] for j in range(c) if (r, j) not in shaded}
        col_open = {numbers[i][c] for i in range(r) if (i, c) not in shaded}
        if value not in row_open and value not in col_open:
            search(index + 1)
        if (r - 1, c) not in shaded and (r, c - 1) not in shaded:
            shaded.add((r, c))
            if open_cells_connected():
                search(index + 1)
            shaded.remove((r, c))

    search(0)
    return found


def gold_shading(row: dict) -> frozenset:
    return frozenset((r, c) for r, line in enumerate(row["answer"].splitlines())
                     for c, token in enumerate(line.split()) if token == "#")


PUZZLE = GridPuzzle("hitori", solve=solve_all, gold=gold_shading)
TASK = PUZZLE.task


def test_sixty_puzzles_have_one_solution_and_it_is_the_gold():
    PUZZLE.assert_golds_are_the_only_solutions(levels=(1, 2, 3, 4, 5, 6, 7, 8), per_level=8, at_least=60)


@pytest.mark.slow
@pytest.mark.parametrize("level", range(1, 11))
def test_twenty_puzzles_per_level_are_unique(level):
    PUZZLE.assert_golds_are_the_only_solutions(levels=[level], per_level=20, seed=2027, at_least=20)


@pytest.mark.parametrize("level", [9, 10])
def test_sat_with_connectivity_cuts_finds_the_gold_and_nothing_else(level):
    from pysat.solvers import Solver

    for p, shaded in PUZZLE.problems(level, 3, seed=5):
        n = len(p["numbers"])
        with Solver(bootstrap_with=rules_cnf(p["numbers"])) as solver:
            first, _ = solve_connected(solver, n, [])
            assert first == shaded
            solver.add_clause([-(r * n + c + 1) if (r, c) in shaded else r * n + c + 1
                               for r in range(n) for c in range(n)])
            assert solve_connected(solver, n, [])[0] is None


def test_a_connectivity_cut_names_the_split():
    # the shaded column splits a 3×3 grid: the cut asks for a change around one side
    cuts = connectivity_cuts(3, {(0, 1), (1, 1), (2, 1)})
    assert len(cuts) == 2 and all(any(lit < 0 for lit in cut) for cut in cuts)
    assert connectivity_cuts(3, {(0, 1), (2, 1)}) == []


EXAMPLE = {"numbers": [[1, 2, 2, 3], [4, 3, 1, 4], [3, 2, 2, 1], [3, 1, 3, 4]]}
SOLUTION = "1 # 2 3\n4 3 1 #\n3 2 # 1\n# 1 3 4"


def test_the_docstring_example_has_one_solution():
    PUZZLE.assert_example(EXAMPLE, frozenset({(0, 1), (1, 3), (2, 2), (3, 0)}), SOLUTION,
                          json.dumps([line.split() for line in SOLUTION.splitlines()]),
                          "\n".join(f"- {line}" for line in SOLUTION.splitlines()))


@pytest.mark.parametrize("answer, reason, why", [
    ("1 2 # 3\n4 3 1 #\n3 2 # 1\n# 1 3 4", Reason.WRONG, "column 2 repeats the unshaded number 2"),
    ("1 # 2 3\n4 3 1 4\n3 2 # 1\n# 1 3 4", Reason.WRONG, "row 2 repeats"),
    ("1 # 2 3\n4 3 1 #\n3 2 # #\n# 1 3 4", Reason.WRONG, "touch"),
    ("1 # 2 3\n# 3 1 #\n3 2 # 1\n# 1 3 4", Reason.WRONG, "not all connected"),
    ("1 # 2 3\n4 3 1 #\n3 2 # 1\n# 1 3 5", Reason.INVALID, "its number 4"),
    ("1 # 2 3\n4 3 1 #\n3 2 . 1\n# 1 3 4", Reason.INVALID, "must be #"),
    ("1 # 2 3", Reason.UNPARSEABLE, "expected 4 rows"),
])
def test_rule_breaking_answers_score_zero(answer, reason, why):
    PUZZLE.assert_scores_zero(EXAMPLE, answer, reason, why)


def test_perturbations_are_wrong():
    PUZZLE.assert_perturbations_are_wrong(level=8)


# --------------------------------------------------------------------------- attacks


def attacks(problem: dict, gold: str) -> dict[str, str]:
    example = TASK.prompt(Problem(problem, gold)).split("<answer>")[-1].split("</answer>")[0]
    lines = gold.splitlines()
    return {
        "gold twice": f"{gold}\n{gold}",
        "hedge: gold and the unshaded grid": f"{gold}\nor\n" + "\n".join(" ".join(map(str, line)) for line in problem["numbers"]),
        "partial: the first rows only": "\n".join(lines[: len(lines) // 2]),
        "the prompt's example answer": example.strip(),
        "0/1 shading instead of the grid": "\n".join(" ".join("1" if t == "#" else "0" for t in line.split()) for line in lines),
        "X for a shaded cell": gold.replace("#", "X"),
        "enormous": gold + "\n" + "# 1 " * 60_000,
    }


def test_hostile_answers_score_below_one():
    PUZZLE.assert_attacks_fail(attacks)


ROW = PUZZLE.rows(3, 1, seed=13)[0]


@settings(max_examples=200, deadline=None)
@given(st.sets(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=14))
def test_random_shadings_never_raise_and_only_the_gold_scores_one(cells):
    problem = json.loads(ROW["problem"])
    text = "\n".join(" ".join("#" if (r, c) in cells else str(v) for c, v in enumerate(line))
                     for r, line in enumerate(problem["numbers"]))
    assert TASK.verify(problem, text).correct == (frozenset(cells) == gold_shading(ROW))


# --------------------------------------------------------------------------- data quality


def test_shaded_cells_are_never_needed_alone():
    # every gold open cell either touches a shaded cell or holds the open cells together,
    # which is why no other solution can shade more than the gold
    from synlog.tasks.common.boards import is_connected

    for problem, shaded in PUZZLE.problems(6, 6):
        n = len(problem["numbers"])
        for r in range(n):
            for c in range(n):
                if (r, c) in shaded or any(x in shaded for x in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1))):
                    continue
                rest = [(a, b) for a in range(n) for b in range(n) if (a, b) not in shaded and (a, b) != (r, c)]
                assert not is_connected(rest)


def test_the_shortcuts_score_zero():
    PUZZLE.assert_shortcuts_score_zero()


def test_hardness_grows_with_the_level():
    means = [sum(TASK.hardness(p) for p, _ in PUZZLE.problems(level, 4)) / 4 for level in (1, 3, 5, 7, 10)]
    assert means == sorted(means) and means[-1] > 1.25 * means[0]
