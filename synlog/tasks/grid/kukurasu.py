"""Kukurasu: fill cells so every row and column reaches its weighted total.

A filled cell in column c adds c to its row's total; a filled cell in row r adds r to its
column's total (rows and columns counted from 1). Some cells may be given, filled (``1``)
or empty (``0``). A 3×3 example (row totals at the right, column totals below) and its only
solution::

    . . .  4        1 0 1
    . . .  2   →    0 1 0
    . . .  3        1 1 0
    4 5 1

How the puzzle is made, and why it has exactly one solution:

1. cells are filled at random with probability ``fill``; the totals are read off;
2. python-sat encodes each line as "one of the subsets of its cells whose weights add up to
   the total" (subsets enumerated once per line length and total) plus a clause excluding
   the gold; while another filling exists, a cell it gets wrong is revealed as a given.

``effort`` counts those rounds plus the solver's conflicts, decisions and propagations;
:meth:`Kukurasu.hardness` is the number of cells to fill (those not given).
``verify`` checks the rules: every total met and every given kept.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from pysat.formula import IDPool

from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.boards import (
    binary_perturbations,
    pin_until_unique,
    read_board,
    show_with_totals,
)
from synlog.tasks.common.grids import format_grid, grid_forms
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict


@register
class Kukurasu(Task):
    """Fill cells so each row's column weights and each column's row weights hit the totals."""

    name, family, version = "kukurasu", "grid", 2
    knobs = Knobs(
        # 4×4 at level 1: a 3×3 board has only 512 fillings, too few for distinct samples
        size=Knob(int, levels=[4, 4, 5, 5, 6, 6, 7, 7, 8, 9], lo=2, hi=10, help="board side"),
        fill=Knob(float, levels=[0.4, 0.5, 0.4, 0.5, 0.4, 0.5, 0.4, 0.5, 0.45, 0.45], lo=0.05, hi=0.95,
                  help="probability that a cell is filled"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        size = p.size
        filled = (rng.random((size, size)) < p.fill).astype(int).tolist()
        rows = [sum(c + 1 for c in range(size) if filled[r][c]) for r in range(size)]
        cols = [sum(r + 1 for r in range(size) if filled[r][c]) for c in range(size)]
        clauses = line_options_cnf(rows, cols)
        gold = [(r * size + c + 1) * (1 if filled[r][c] else -1) for r in range(size) for c in range(size)]
        pins, effort = pin_until_unique(rng, clauses, gold, gold)
        given = {abs(lit) - 1 for lit in pins}
        board = ["".join(str(filled[r][c]) if r * size + c in given else "." for c in range(size))
                 for r in range(size)]
        return Problem({"board": board, "rows": rows, "cols": cols}, format_grid(filled), effort)

    def context(self, problem: Problem, lang: str) -> dict:
        data = problem.data
        return dict(size=len(data["board"]),
                    board=show_with_totals(data["board"], data["rows"], data["cols"]),
                    given=any(x != "." for line in data["board"] for x in line))

    def verify(self, problem: dict, answer: str) -> Verdict:
        board = problem["board"]
        size = len(board)
        grid = read_board(answer, size, size, (0, 1), "1 (filled) or 0 (empty)")
        if isinstance(grid, Verdict):
            return grid
        for r, line in enumerate(board):
            for c, x in enumerate(line):
                if x != "." and grid[r][c] != int(x):
                    return Verdict.wrong(f"the given {x} at row {r + 1}, column {c + 1} was changed")
        for r in range(size):
            if sum(c + 1 for c in range(size) if grid[r][c]) != problem["rows"][r]:
                return Verdict.wrong(f"row {r + 1} does not add up to {problem['rows'][r]}")
        for c in range(size):
            if sum(r + 1 for r in range(size) if grid[r][c]) != problem["cols"][c]:
                return Verdict.wrong(f"column {c + 1} does not add up to {problem['cols'][c]}")
        return Verdict.ok()

    def hardness(self, problem: dict) -> float:
        return float(sum(line.count(".") for line in problem["board"]))

    def instance_space(self, spec: dict) -> float | None:
        return float(2 ** (spec["size"] ** 2))  # fillings, before givens are chosen

    def alternative_forms(self, problem: Problem) -> list[str]:
        return grid_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        return binary_perturbations(problem.answer, rng, 2, lambda grid: [1 - grid])


@cache
def weight_subsets(length: int, total: int) -> tuple[int, ...]:
    """Bit masks of the subsets of weights 1..length that add up to ``total``."""
    return tuple(mask for mask in range(1 << length)
                 if sum(i + 1 for i in range(length) if mask >> i & 1) == total)


def line_options_cnf(rows: list[int], cols: list[int]) -> list[list[int]]:
    """Cell (r, c) is variable r·size + c + 1; each line takes one subset that meets its total."""
    size = len(rows)
    pool = IDPool(start_from=size * size + 1)
    clauses = []
    lines = [[r * size + c + 1 for c in range(size)] for r in range(size)]
    lines += [[r * size + c + 1 for r in range(size)] for c in range(size)]
    for index, (cells, total) in enumerate(zip(lines, rows + cols, strict=True)):
        options = weight_subsets(size, total)
        if len(options) == 1:
            clauses += [[v if options[0] >> i & 1 else -v] for i, v in enumerate(cells)]
            continue
        selectors = []
        for mask in options:
            chosen = pool.id((index, mask))
            selectors.append(chosen)
            clauses += [[-chosen, v if mask >> i & 1 else -v] for i, v in enumerate(cells)]
        clauses.append(selectors)
    return clauses
