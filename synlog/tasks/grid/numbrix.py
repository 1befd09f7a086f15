"""Numbrix: fill an n×n grid with 1..n² so consecutive numbers are orthogonal neighbours.

Every number from 1 to n² appears once; k and k + 1 always share an edge, so the numbers
trace one path through every cell; the given numbers stay. A 3×3 example (``.`` empty) and
its only solution::

    . . 9          1 8 9
    . . 6    →     2 7 6
    . . .          3 4 5

How the puzzle is made, and why it has exactly one solution:

1. the hidden path is a random Hamiltonian path, not a fixed snake: starting from a
   boustrophedon, ``BACKBITES`` × n³ backbite moves (join an end to one of its grid
   neighbours on the path and reverse the piece in between) mix it over the space of
   Hamiltonian paths of the grid;
2. ``givens`` × n² numbers of the path are shown at random places;
3. python-sat encodes the rules (each cell one number, each number one cell, the cell of k
   has the cell of k + 1 and of k − 1 among its neighbours) plus a clause excluding the
   gold; while another filling agrees with the shown numbers, one more gold number that it
   gets wrong is shown (``pin_until_unique``).

``effort`` counts those rounds plus the solver's conflicts, decisions and propagations;
``hardness`` counts the cells to fill.
``verify`` checks the rules: every number 1..n² exactly once, givens kept, every k and
k + 1 orthogonally adjacent.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from pysat.formula import IDPool

from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.boards import changed_given, neighbours, pin_until_unique, read_board
from synlog.tasks.common.grids import format_grid, grid_forms, parse_grid
from synlog.tasks.common.satenc import Clause, exactly_one
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: backbite moves per n³ when mixing the hidden path
BACKBITES = 4


@register
class Numbrix(Task):
    """Fill an n×n grid with 1..n² so consecutive numbers share an edge (unique solution)."""

    name, family, version = "numbrix", "grid", 1
    knobs = Knobs(
        n=Knob(int, levels=[4, 4, 5, 5, 6, 6, 7, 7, 8, 9], lo=3, hi=10, help="grid side"),
        givens=Knob(float, levels=[0.5, 0.4, 0.4, 0.3, 0.3, 0.25, 0.25, 0.2, 0.2, 0.18], lo=0.0, hi=1.0,
                    help="fraction of numbers shown at random; more are shown while the path is ambiguous"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n = p.n
        path = random_hamiltonian_path(rng, n)
        solution = [[0] * n for _ in range(n)]
        for k, (r, c) in enumerate(path, start=1):
            solution[r][c] = k
        clauses, var = _rules(n)
        gold = [var(r, c, solution[r][c]) for r in range(n) for c in range(n)]
        shown = rng.choice(len(gold), round(p.givens * n * n), replace=False).tolist()
        pins, effort = pin_until_unique(rng, clauses, gold, gold, pinned=[gold[i] for i in sorted(shown)])
        pinned = set(pins)
        puzzle = [[solution[r][c] if var(r, c, solution[r][c]) in pinned else 0 for c in range(n)] for r in range(n)]
        return Problem({"n": n, "puzzle": puzzle}, format_grid(solution), effort)

    def context(self, problem: Problem, lang: str) -> dict:
        n = problem.data["n"]
        width = len(str(n * n))
        board = "\n".join(" ".join((str(v) if v else ".").rjust(width) for v in row) for row in problem.data["puzzle"])
        return {"n": n, "last": n * n, "board": board}

    def verify(self, problem: dict, answer: str) -> Verdict:
        n = problem["n"]
        grid = read_board(answer, n, n, range(1, n * n + 1), f"a number from 1 to {n * n}")
        if isinstance(grid, Verdict):
            return grid
        where: dict[int, tuple[int, int]] = {}
        for r, row in enumerate(grid):
            for c, v in enumerate(row):
                if v in where:
                    return Verdict.wrong(f"{v} appears more than once")
                where[v] = (r, c)
        why = changed_given(problem["puzzle"], grid)
        if why:
            return Verdict.wrong(why)
        for k in range(1, n * n):
            (r1, c1), (r2, c2) = where[k], where[k + 1]
            if abs(r1 - r2) + abs(c1 - c2) != 1:
                return Verdict.wrong(f"{k} and {k + 1} are not orthogonal neighbours")
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        return grid_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        # the solution is unique, so any other grid breaks a rule
        n = problem.data["n"]
        solution = np.array(parse_grid(problem.answer, rows=n, cols=n))
        swapped = solution.copy().ravel()
        a, b = rng.choice(n * n, 2, replace=False)
        swapped[[a, b]] = swapped[[b, a]]
        wrong = [swapped.reshape(n, n), n * n + 1 - solution, solution.T]
        return [format_grid(g.tolist()) for g in wrong if not np.array_equal(g, solution)]

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        # the snake the path mixing starts from, read along rows and along columns
        n = problem["n"]
        snake = [[r * n + (c if r % 2 == 0 else n - 1 - c) + 1 for c in range(n)] for r in range(n)]
        return {"row snake from the top left": format_grid(snake),
                "column snake from the top left": format_grid([list(col) for col in zip(*snake, strict=True)])}

    def hardness(self, problem: dict) -> float:
        return float(sum(row.count(0) for row in problem["puzzle"]))


def random_hamiltonian_path(rng: np.random.Generator, n: int) -> list[tuple[int, int]]:
    """A random Hamiltonian path of the n×n grid graph (backbite moves from a snake)."""
    path = [(r, c if r % 2 == 0 else n - 1 - c) for r in range(n) for c in range(n)]
    for _ in range(BACKBITES * n ** 3):
        if rng.random() < 0.5:
            path.reverse()
        end = path[-1]
        options = [x for x in neighbours(*end, n, n) if x != path[-2]]
        u = options[int(rng.integers(len(options)))]
        i = path.index(u)
        path[i + 1:] = path[:i:-1]
    if rng.random() < 0.5:
        path.reverse()
    return path


def var_of(n: int):
    """``var(r, c, k)``: the literal saying cell (r, c) holds k (0-based cells, k in 1..n²)."""
    def var(r: int, c: int, k: int) -> int:
        return (r * n + c) * n * n + k
    return var


@cache
def _rules(n: int) -> tuple[list[Clause], object]:
    """Each cell one number, each number one cell, k next to k ± 1; built once per size
    (callers copy the clause list before adding to it)."""
    last = n * n
    var = var_of(n)
    pool = IDPool(start_from=last * last + 1)
    cells = [(r, c) for r in range(n) for c in range(n)]
    clauses: list[Clause] = []
    for r, c in cells:
        clauses += exactly_one([var(r, c, k) for k in range(1, last + 1)], pool)
    for k in range(1, last + 1):
        clauses += exactly_one([var(r, c, k) for r, c in cells], pool)
    for r, c in cells:
        around = neighbours(r, c, n, n)
        for k in range(1, last + 1):
            if k < last:
                clauses.append([-var(r, c, k), *(var(a, b, k + 1) for a, b in around)])
            if k > 1:
                clauses.append([-var(r, c, k), *(var(a, b, k - 1) for a, b in around)])
    return clauses, var
