"""Survo: fill the blanks of a matrix so its rows and columns add up to the given sums.

An m×n matrix holds the numbers 1..m·n, each exactly once. Some are shown; the blanks take
the missing numbers (listed in the prompt), each exactly once, so that every row adds up to
the sum at its right end and every column to the sum below it. A 2×3 example (``.`` blank,
missing numbers 1, 4, 6) and its only solution::

    . 5 .  | 10          1 5 4  | 10
    3 . 2  | 11    →     3 6 2  | 11
    -------+----         -------+----
    4 11 6               4 11 6

How the puzzle is made, and why it has exactly one solution:

1. the numbers 1..m·n are shuffled into the matrix; the row and column sums are read off;
2. every cell starts shown; python-sat removes shown numbers in random order while the rest
   still force the matrix (``carve_clues``), until ``blanks`` × m·n cells are blank or
   none can go. The encoding: a one-hot value per cell, each number used once, and each row
   and column sum as a chain of one-hot prefix sums (prefix i equals t and cell i+1 holds v
   ⇒ prefix i+1 equals t + v; the last prefix must equal the target).

``effort`` counts the checks plus the solver's conflicts, decisions and propagations;
:meth:`Survo.hardness` is the number of blanks. A matrix whose blanks take the missing
numbers in increasing (or decreasing) reading order is redrawn, so that fill never pays.
``verify`` checks the rules: shown numbers kept, the blanks hold exactly the missing numbers
(as a multiset), every row and column sum met.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from pysat.formula import IDPool

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.boards import carve_clues, changed_given, read_board
from synlog.tasks.common.grids import format_grid, grid_forms, parse_grid
from synlog.tasks.common.satenc import Clause, exactly_one
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict


@register
class Survo(Task):
    """Fill a matrix's blanks with the missing numbers so rows and columns hit their sums."""

    name, family, version = "survo", "grid", 2
    knobs = Knobs(
        rows=Knob(int, levels=[2, 3, 3, 3, 3, 4, 4, 4, 4, 4], lo=2, hi=6, help="matrix rows"),
        cols=Knob(int, levels=[3, 3, 3, 4, 4, 4, 4, 4, 4, 5], lo=2, hi=6, help="matrix columns"),
        blanks=Knob(float, levels=[0.67, 0.56, 0.67, 0.5, 0.6, 0.5, 0.6, 0.65, 0.7, 0.55], lo=0.0, hi=1.0,
                    help="fraction of cells left blank, aimed at; fewer when the sums allow no more"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        m, n = p.rows, p.cols
        matrix = (rng.permutation(m * n) + 1).reshape(m, n).tolist()
        row_sums = [sum(row) for row in matrix]
        col_sums = [sum(col) for col in zip(*matrix, strict=True)]
        clauses, var = _rules(m, n, row_sums, col_sums)
        gold = [var(r, c, matrix[r][c]) for r in range(m) for c in range(n)]
        kept, effort = carve_clues(rng, clauses, gold, [[lit] for lit in gold],
                                   removable=round(p.blanks * m * n))
        puzzle = [[matrix[r][c] if kept[r * n + c] else 0 for c in range(n)] for r in range(m)]
        missing = sorted(matrix[r][c] for r in range(m) for c in range(n) if not kept[r * n + c])
        data = {"rows": m, "cols": n, "puzzle": puzzle, "row_sums": row_sums, "col_sums": col_sums,
                "numbers": missing}
        if format_grid(matrix) in self.degenerate_answers(data).values():
            raise Reject("the missing numbers in sorted order solve it")
        return Problem(data, format_grid(matrix), effort)

    def context(self, problem: Problem, lang: str) -> dict:
        d = problem.data
        return {"rows": d["rows"], "cols": d["cols"], "numbers": ", ".join(map(str, d["numbers"])),
                "board": _show(d["puzzle"], d["row_sums"], d["col_sums"])}

    def verify(self, problem: dict, answer: str) -> Verdict:
        m, n = problem["rows"], problem["cols"]
        grid = read_board(answer, m, n, range(1, m * n + 1), f"a number from 1 to {m * n}")
        if isinstance(grid, Verdict):
            return grid
        why = changed_given(problem["puzzle"], grid)
        if why:
            return Verdict.wrong(why)
        filled = Counter(grid[r][c] for r in range(m) for c in range(n) if not problem["puzzle"][r][c])
        if filled != Counter(problem["numbers"]):
            return Verdict.wrong("the blanks must hold exactly the listed numbers, each once")
        for r, (row, total) in enumerate(zip(grid, problem["row_sums"], strict=True)):
            if sum(row) != total:
                return Verdict.wrong(f"row {r + 1} adds up to {sum(row)}, not {total}", row=r + 1)
        for c, (col, total) in enumerate(zip(zip(*grid, strict=True), problem["col_sums"], strict=True)):
            if sum(col) != total:
                return Verdict.wrong(f"column {c + 1} adds up to {sum(col)}, not {total}", column=c + 1)
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        out = {}
        for order, numbers in (("increasing", problem["numbers"]), ("decreasing", problem["numbers"][::-1])):
            missing = iter(numbers)  # the missing numbers dropped into the blanks, unchecked
            grid = [[v or next(missing) for v in row] for row in problem["puzzle"]]
            out[f"the missing numbers in {order} reading order"] = format_grid(grid)
        return out

    def hardness(self, problem: dict) -> float:
        return float(len(problem["numbers"]))  # blanks to fill

    def alternative_forms(self, problem: Problem) -> list[str]:
        return grid_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        d = problem.data
        m, n = d["rows"], d["cols"]
        puzzle = np.array(d["puzzle"])
        solution = np.array(parse_grid(problem.answer, rows=m, cols=n))
        blanks = [tuple(x) for x in np.argwhere(puzzle == 0).tolist()]
        wrong = []
        if len(blanks) >= 2:  # swap two blanks: the multiset holds, a sum breaks (unique)
            a, b = (blanks[i] for i in rng.choice(len(blanks), 2, replace=False))
            swapped = solution.copy()
            swapped[a], swapped[b] = solution[b], solution[a]
            wrong.append(swapped)
        r, c = blanks[int(rng.integers(len(blanks)))]
        changed = solution.copy()
        changed[r, c] = solution[r, c] % (m * n) + 1
        wrong.append(changed)
        given = np.argwhere(puzzle != 0).tolist()
        if given:
            r, c = given[int(rng.integers(len(given)))]
            changed = solution.copy()
            changed[r, c] = solution[r, c] % (m * n) + 1
            wrong.append(changed)
        return [format_grid(g.tolist()) for g in wrong if not np.array_equal(g, solution)]


def _rules(m: int, n: int, row_sums: list[int], col_sums: list[int]) -> tuple[list[Clause], object]:
    """Every cell holds one of 1..m·n, each number once, every line adds up to its sum;
    ``var(r, c, v)`` says cell (r, c) holds v."""
    pool = IDPool()
    values = range(1, m * n + 1)

    def var(r: int, c: int, v: int) -> int:
        return pool.id(("cell", r, c, v))

    clauses: list[Clause] = []
    for r in range(m):
        for c in range(n):
            clauses += exactly_one([var(r, c, v) for v in values], pool)
    for v in values:
        clauses += exactly_one([var(r, c, v) for r in range(m) for c in range(n)], pool)
    lines = [([(r, c) for c in range(n)], row_sums[r]) for r in range(m)]
    lines += [([(r, c) for r in range(m)], col_sums[c]) for c in range(n)]
    for index, (cells, target) in enumerate(lines):
        clauses += _sum_chain(index, cells, target, values, var, pool)
    return clauses, var


def _sum_chain(index: int, cells, target: int, values, var, pool: IDPool) -> list[Clause]:
    """Clauses forcing the numbers in ``cells`` to add up to ``target`` (one-hot prefix sums)."""
    clauses: list[Clause] = []
    previous = {0: None}  # reachable prefix sums → their literal (None: the empty prefix)
    for i, (r, c) in enumerate(cells):
        current: dict[int, int] = {}
        for total, lit in previous.items():
            for v in values:
                new = total + v
                if new > target:
                    continue
                if new not in current:
                    current[new] = pool.id(("sum", index, i, new))
                clauses.append(([-lit] if lit else []) + [-var(r, c, v), current[new]])
        previous = current
    if target not in previous:
        return [[]]
    clauses.append([previous[target]])
    for total, lit in previous.items():
        if total != target:
            clauses.append([-lit])
    return clauses


def _show(puzzle: list[list[int]], row_sums: list[int], col_sums: list[int]) -> str:
    """The matrix (``.`` blank) with each row's sum after ``|`` and the column sums below a rule."""
    width = max(len(str(v)) for v in [*row_sums, *col_sums])

    def cell(v) -> str:
        return (str(v) if v else ".").rjust(width)
    lines = [" ".join(cell(v) for v in row) + " | " + str(total) for row, total in zip(puzzle, row_sums, strict=True)]
    body = " ".join(cell(v) for v in col_sums)
    lines.append("-" * (len(body) + 1) + "+" + "-" * (width + 1))
    lines.append(body)
    return "\n".join(lines)
