"""Futoshiki: fill an n×n Latin square that obeys inequality signs between neighbours.

Every row and column holds 1..n once; a sign between two orthogonal neighbours says which
is smaller; given digits stay. A 3×3 example (``.`` empty) and its only solution::

    . < .   .          1 < 2   3
    ^                  ^
    .   .   .    →     2   3   1

    .   .   2          3   1   2

(``^`` under a cell: the cell above is smaller; ``v``: larger.) The prompt also lists every
sign as ``(row, col) < (row, col)``.

How the puzzle is made, and why it has exactly one solution:

1. a random Latin square S (depth-first search, random digit order);
2. ``signs`` × 2n(n−1) neighbour pairs are drawn at random; each sign is read off S (never
   random), so S satisfies all of them;
3. every cell starts given; givens are removed in random order while python-sat proves the
   rest still force S (the rules, the signs and the kept givens, plus a clause excluding S,
   are unsatisfiable), until ``givens`` × n² remain or no given can go (a minimal puzzle).

``effort`` counts the uniqueness checks plus the solver's conflicts, decisions and
propagations; ``hardness`` counts the cells to fill (the givens removed). ``verify`` checks the rules: a Latin square over 1..n, givens kept, every sign
obeyed.
"""

from __future__ import annotations

import numpy as np
from pysat.formula import IDPool

from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.boards import (
    carve_clues,
    latin_square_cnf,
    random_latin_square,
    read_latin,
    touching_pairs,
)
from synlog.tasks.common.grids import format_grid, grid_forms, parse_grid
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict


@register
class Futoshiki(Task):
    """Fill a Latin square obeying inequality signs between neighbours (unique solution)."""

    name, family, version = "futoshiki", "grid", 1
    knobs = Knobs(
        n=Knob(int, levels=[4, 4, 5, 5, 5, 6, 6, 7, 7, 8], lo=3, hi=9, help="grid side"),
        signs=Knob(float, levels=[0.3, 0.25, 0.3, 0.25, 0.2, 0.25, 0.2, 0.2, 0.18, 0.16], lo=0.0, hi=1.0,
                   help="fraction of neighbour pairs that show their inequality sign"),
        givens=Knob(float, levels=[0.4, 0.3, 0.3, 0.2, 0.1, 0.15, 0.1, 0.1, 0.05, 0.0], lo=0.0, hi=1.0,
                    help="fraction of cells left given, aimed at; more stay when all are needed"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n = p.n
        solution = random_latin_square(rng, n)
        pairs = touching_pairs(n, n)
        chosen = sorted(rng.choice(len(pairs), round(p.signs * len(pairs)), replace=False).tolist())
        signs = []
        for i in chosen:
            a, b = pairs[i]
            low, high = (a, b) if solution[a[0]][a[1]] < solution[b[0]][b[1]] else (b, a)
            signs.append([[low[0] + 1, low[1] + 1], [high[0] + 1, high[1] + 1]])
        clauses, var = _rules(n, signs)
        cells = [(r, c) for r in range(n) for c in range(n)]
        gold = [var(r, c, solution[r][c]) for r, c in cells]
        kept, effort = carve_clues(rng, clauses, gold, [[lit] for lit in gold],
                                   removable=n * n - round(p.givens * n * n))
        puzzle = [[solution[r][c] if kept[r * n + c] else 0 for c in range(n)] for r in range(n)]
        return Problem({"n": n, "puzzle": puzzle, "signs": signs}, format_grid(solution), effort)

    def context(self, problem: Problem, lang: str) -> dict:
        data = problem.data
        return dict(n=data["n"], board=_show(data["puzzle"], data["signs"]),
                    sign_list=[f"({a[0]}, {a[1]}) < ({b[0]}, {b[1]})" for a, b in data["signs"]])

    def verify(self, problem: dict, answer: str) -> Verdict:
        n = problem["n"]
        grid = read_latin(answer, n, problem["puzzle"])
        if isinstance(grid, Verdict):
            return grid
        for (r1, c1), (r2, c2) in problem["signs"]:
            if not grid[r1 - 1][c1 - 1] < grid[r2 - 1][c2 - 1]:
                return Verdict.wrong(f"the sign ({r1}, {c1}) < ({r2}, {c2}) is broken")
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        return grid_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        n = problem.data["n"]
        puzzle = np.array(problem.data["puzzle"])
        solution = np.array(parse_grid(problem.answer, rows=n, cols=n))
        wrong = []
        for r in rng.permutation(n).tolist():  # swap two free cells of a row: a column breaks
            free = np.flatnonzero(puzzle[r] == 0)
            if len(free) >= 2:
                a, b = rng.choice(free, 2, replace=False)
                swapped = solution.copy()
                swapped[r, [a, b]] = swapped[r, [b, a]]
                wrong.append(swapped)
                break
        changed = solution.copy()
        r, c = (int(v) for v in rng.integers(n, size=2))
        changed[r, c] = solution[r, c] % n + 1
        wrong.append(changed)
        transposed = solution.T.copy()  # still Latin; givens or signs break (unique solution)
        if not np.array_equal(transposed, solution):
            wrong.append(transposed)
        return [format_grid(grid.tolist()) for grid in wrong]

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        n = problem["n"]
        return {"cyclic Latin square, signs ignored": format_grid([[(r + c) % n + 1 for c in range(n)] for r in range(n)])}

    def hardness(self, problem: dict) -> float:
        return float(sum(row.count(0) for row in problem["puzzle"]))


def _rules(n: int, signs: list) -> tuple[list[list[int]], object]:
    """The Latin-square rules plus every sign: the smaller cell may not hold ≥ the larger's digit."""
    pool = IDPool()
    clauses, var = latin_square_cnf(n, pool)
    for (r1, c1), (r2, c2) in signs:
        for high in range(1, n + 1):
            for low in range(high, n + 1):
                clauses.append([-var(r1 - 1, c1 - 1, low), -var(r2 - 1, c2 - 1, high)])
    return clauses, var


def _show(puzzle: list[list[int]], signs: list) -> str:
    """The board with ``<``/``>`` between cells of a row and ``^``/``v`` between rows."""
    n = len(puzzle)
    sign = {}
    for (r1, c1), (r2, c2) in signs:
        sign[(r1, c1, r2, c2)] = "<"
        sign[(r2, c2, r1, c1)] = ">"
    lines = []
    for r in range(1, n + 1):
        cells = []
        for c in range(1, n + 1):
            cells.append(str(puzzle[r - 1][c - 1] or "."))
            if c < n:
                cells.append(sign.get((r, c, r, c + 1), " "))
        lines.append(" ".join(cells).rstrip())
        if r < n:
            marks = [{"<": "^", ">": "v"}.get(sign.get((r, c, r + 1, c), ""), " ") for c in range(1, n + 1)]
            lines.append("   ".join(marks).rstrip())
    return "\n".join(lines)
