"""Binario (Takuzu): fill an n×n grid with 0s and 1s under three line rules.

Rules: every row and every column holds as many 0s as 1s; no three equal digits stand next
to each other in a row or a column; no two rows are identical and no two columns are
identical; given digits stay. A 4×4 example (``.`` is blank) and its only solution::

    0 . . 0        0 1 1 0
    . . . .   →    1 0 0 1
    . . 1 .        1 0 1 0
    0 . . .        0 1 0 1

How the puzzle is made, and why it has exactly one solution:

1. a random solution: cells in random order take a random digit whenever python-sat finds
   the rules below can still be met with it, else the other digit;
2. python-sat encodes the rules: exactly n/2 ones per line (sequential counters), a clause
   pair per three consecutive cells, and for each pair of rows (and of columns) a clause
   "they differ somewhere" over difference literals ``d → (x ≠ y)``; plus a clause
   excluding the gold. Every cell starts as a given and, in random order, a given is
   removed while the solver proves the rest still force the gold (UNSAT), which leaves a
   minimal set of givens;
3. at easy levels a share (``extra``) of the removed givens comes back.

``effort`` counts the removal checks plus the solver's conflicts, decisions and
propagations; ``hardness`` is the number of blank cells. ``verify`` checks every rule on
the answer: the givens, the balance and the runs of each line, and distinct lines.
"""

from __future__ import annotations

from functools import cache
from itertools import combinations, product

import numpy as np
from pysat.formula import IDPool
from pysat.solvers import Solver

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.boards import binary_perturbations, carve_clues, read_board
from synlog.tasks.common.grids import format_grid, grid_forms
from synlog.tasks.common.satenc import SOLVER, Clause, exactly_k
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict


@register
class Binario(Task):
    """Takuzu: balanced 0/1 lines, no three in a row, no repeated line (unique solution)."""

    name, family, version = "binario", "grid", 1
    knobs = Knobs(
        n=Knob(int, levels=[6, 6, 8, 8, 8, 10, 10, 10, 12, 12], choices=[6, 8, 10, 12, 14],
               help="grid side (even)"),
        extra=Knob(float, levels=[0.3, 0.15, 0.2, 0.1, 0.0, 0.1, 0.05, 0.0, 0.05, 0.0], lo=0.0, hi=1.0,
                   help="share of the removable givens shown anyway"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n = p.n
        solution = _random_solution(rng, n)
        gold = [_var(n, r, c) * (1 if solution[r][c] else -1) for r in range(n) for c in range(n)]
        kept, effort = carve_clues(rng, rules_cnf(n), gold, [[lit] for lit in gold])
        removed = [i for i, keep in enumerate(kept) if not keep]
        for i in rng.permutation(removed)[:round(p.extra * len(removed))].tolist():
            kept[i] = True
        puzzle = [[solution[r][c] if kept[r * n + c] else None for c in range(n)] for r in range(n)]
        return Problem({"n": n, "puzzle": puzzle}, format_grid(solution), effort)

    def context(self, problem: Problem, lang: str) -> dict:
        data = problem.data
        return dict(n=data["n"], half=data["n"] // 2, board=_show(data["puzzle"]))

    def verify(self, problem: dict, answer: str) -> Verdict:
        n, puzzle = problem["n"], problem["puzzle"]
        grid = read_board(answer, n, n, (0, 1), "0 or 1")
        if isinstance(grid, Verdict):
            return grid
        for r in range(n):
            for c in range(n):
                if puzzle[r][c] is not None and grid[r][c] != puzzle[r][c]:
                    return Verdict.wrong(f"the given {puzzle[r][c]} at ({r + 1}, {c + 1}) was changed")
        columns = [list(column) for column in zip(*grid, strict=True)]
        for kind, lines in (("row", grid), ("column", columns)):
            for i, line in enumerate(lines):
                if sum(line) != n // 2:
                    return Verdict.wrong(f"{kind} {i + 1} holds {sum(line)} ones, not {n // 2}")
                for j in range(n - 2):
                    if line[j] == line[j + 1] == line[j + 2]:
                        return Verdict.wrong(f"{kind} {i + 1} has three {line[j]}s in a row from position {j + 1}")
            for (i, a), (j, b) in combinations(enumerate(lines), 2):
                if a == b:
                    return Verdict.wrong(f"{kind}s {i + 1} and {j + 1} are identical")
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        return grid_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        # the solution is unique, so any other grid is wrong: a flipped cell, the transpose,
        # the complement (still obeys the line rules, breaks the givens), a column shift
        return binary_perturbations(problem.answer, rng, 2, lambda grid: [1 - grid, np.roll(grid, 1, axis=1)])

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        # the givens kept and the blanks filled without thought
        n, puzzle = problem["n"], problem["puzzle"]
        fills = {"blanks 0": lambda r, c: 0, "blanks 1": lambda r, c: 1,
                 "blanks as a checkerboard": lambda r, c: (r + c) % 2}
        return {name: format_grid([[puzzle[r][c] if puzzle[r][c] is not None else fill(r, c)
                                    for c in range(n)] for r in range(n)]) for name, fill in fills.items()}

    def hardness(self, problem: dict) -> float:
        return float(sum(cell is None for line in problem["puzzle"] for cell in line))

    def instance_space(self, spec: dict) -> float | None:
        # grids are at most the ordered choices of n distinct legal rows; each has many clue sets
        values = spec["n"] if isinstance(spec["n"], tuple) else (spec["n"],)
        rows = len(_legal_rows(max(values)))
        return float(np.prod([rows - i for i in range(max(values))], dtype=float))


def _var(n: int, r: int, c: int) -> int:
    """The SAT variable of cell (r, c): true when the cell holds 1."""
    return r * n + c + 1


def _show(puzzle: list[list[int | None]]) -> str:
    return format_grid([["." if cell is None else cell for cell in line] for line in puzzle])


@cache
def _legal_rows(n: int) -> tuple[tuple[int, ...], ...]:
    """Every balanced 0/1 row of length n without three equal digits in a row."""
    return tuple(row for row in product((0, 1), repeat=n)
                 if sum(row) == n // 2 and all(not row[j] == row[j + 1] == row[j + 2] for j in range(n - 2)))


def _random_solution(rng: np.random.Generator, n: int) -> list[list[int]]:
    """A random legal grid: cells in random order take a random digit whenever the solver
    finds the grid can still be completed with it, else the other digit."""
    fixed: list[int] = []
    with Solver(name=SOLVER, bootstrap_with=rules_cnf(n)) as solver:
        for cell in rng.permutation(n * n).tolist():
            lit = (cell + 1) * int(rng.choice((-1, 1)))
            fixed.append(lit if solver.solve(assumptions=[*fixed, lit]) else -lit)
        if not solver.solve(assumptions=fixed):
            raise Reject(f"no {n}×{n} binario grid")
    truth = set(fixed)
    return [[int(_var(n, r, c) in truth) for c in range(n)] for r in range(n)]


def rules_cnf(n: int) -> list[Clause]:
    """Cell (r, c) is variable r·n + c + 1 (true = 1): the three rules of an empty n×n grid."""
    pool = IDPool(start_from=n * n + 1)
    rows = [[_var(n, r, c) for c in range(n)] for r in range(n)]
    lines = rows + [list(column) for column in zip(*rows, strict=True)]
    clauses: list[Clause] = []
    for line in lines:
        clauses += exactly_k(line, n // 2, pool)
        for a, b, c in zip(line, line[1:], line[2:], strict=False):
            clauses += [[a, b, c], [-a, -b, -c]]
    for group in (lines[:n], lines[n:]):
        for first, second in combinations(group, 2):
            differ = []
            for x, y in zip(first, second, strict=True):
                d = pool.id(("differ", x, y))
                clauses += [[-d, x, y], [-d, -x, -y]]
                differ.append(d)
            clauses.append(differ)
    return clauses
