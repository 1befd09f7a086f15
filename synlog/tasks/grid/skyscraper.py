"""Skyscraper: fill an n×n Latin square of building heights that matches visibility clues.

Each cell holds a height 1..n, every row and column holds each height once. A clue outside
the grid says how many buildings are seen looking into that row or column from that side: a
building is seen when it is taller than every building in front of it. A 3×3 example (clues
around the grid, ``.`` empty) and its only solution::

      2 1 3               2 1 3
    2 . . .  2          2 2 3 1  2
    1 . . .  2    →     1 3 1 2  2
    3 . . .  1          3 1 2 3  1
      2 2 1               2 2 1

How the puzzle is made, and why it has exactly one solution:

1. a random Latin square S (uniform over all of them for n ≤ 4, else a depth-first search
   with random digit order);
2. all 4n clues are read off S, and every cell starts given;
3. python-sat proves which clues can go (``carve_clues``: the rules, the kept clues and kept
   givens, plus a clause excluding S, are unsatisfiable): when the 4n clues alone already
   force S (usual at 4×4, rare from 6×6) no given is kept, else givens are dropped in random order while
   S stays the only solution; then clues are dropped, until
   ``clues`` × 4n remain or none can go.

Visibility is encoded exactly: ``seen(i)`` holds iff the i-th building from the side is
taller than the running maximum in front of it (prefix-maximum variables), and a kept clue is
an exactly-k constraint over the ``seen`` variables switched on by a selector literal.
``effort`` counts the checks plus the solver's conflicts, decisions and propagations;
``hardness`` counts the unknowns: cells to fill plus side clues withheld.
``verify`` checks the rules: a Latin square over 1..n, givens kept, every shown clue met.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from pysat.formula import IDPool

from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.boards import (
    another_solution,
    carve_clues,
    latin_perturbations,
    latin_square_cnf,
    read_latin,
    uniform_latin_square,
)
from synlog.tasks.common.grids import format_grid, grid_forms
from synlog.tasks.common.satenc import Clause, exactly_k
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

SIDES = ("top", "bottom", "left", "right")


@register
class Skyscraper(Task):
    """Fill a Latin square of heights matching visibility clues on the four sides (unique)."""

    name, family, version = "skyscraper", "grid", 2
    knobs = Knobs(
        n=Knob(int, levels=[4, 4, 5, 5, 5, 6, 6, 6, 7, 7], lo=3, hi=8, help="grid side"),
        # a 4×4 board with every clue shown is fixed by its solution alone (576 of them), so
        # level 1 already withholds some clues
        clues=Knob(float, levels=[0.8, 0.7, 1.0, 0.8, 0.6, 0.9, 0.7, 0.5, 0.7, 0.5], lo=0.0, hi=1.0,
                   help="fraction of the 4n side clues shown, aimed at; more stay when needed"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n = p.n
        solution = uniform_latin_square(rng, n)
        clauses, var, selectors = _rules(n)
        cells = [(r, c) for r in range(n) for c in range(n)]
        gold = [var(r, c, solution[r][c]) for r, c in cells]
        clue_values = {side: [visible(line) for line in lines_of(solution, side)] for side in SIDES}
        clue_lits = [[selectors[side, i, clue_values[side][i]]] for side in SIDES for i in range(n)]
        # givens first (keeping every clue), then clues (keeping the givens that had to stay)
        count = len(clue_lits)
        other, effort_givens = another_solution(clauses + clue_lits, gold)
        if other is None:  # the clues alone force S (usual at 4×4): no givens needed
            givens = [False] * len(gold)
        else:
            kept, spent = carve_clues(rng, clauses, gold, clue_lits + [[lit] for lit in gold],
                                      keep=[True] * count + [False] * len(gold))
            givens, effort_givens = kept[count:], effort_givens + spent
        needed = [[lit] for lit, k in zip(gold, givens, strict=True) if k]
        kept, effort_clues = carve_clues(rng, clauses, gold, clue_lits + needed,
                                         removable=count - round(p.clues * count),
                                         keep=[False] * count + [True] * len(needed))
        clues = {side: [clue_values[side][i] if kept[s * n + i] else 0 for i in range(n)]
                 for s, side in enumerate(SIDES)}
        puzzle = [[solution[r][c] if givens[r * n + c] else 0 for c in range(n)] for r in range(n)]
        return Problem({"n": n, "puzzle": puzzle, "clues": clues}, format_grid(solution),
                       effort_givens + effort_clues)

    #: what a side clue counts on its line, and its name in a verdict (sum_skyscraper sums heights)
    clue_word = "clue"

    @staticmethod
    def clue_of(line: list[int]) -> int:
        return visible(line)

    def context(self, problem: Problem, lang: str) -> dict:
        data = problem.data
        return {"n": data["n"], "board": _show(data["puzzle"], data["clues"]),
                "clue_lines": clue_lines(data["clues"], lang)}

    def verify(self, problem: dict, answer: str) -> Verdict:
        n = problem["n"]
        grid = read_latin(answer, n, problem["puzzle"])
        if isinstance(grid, Verdict):
            return grid
        for side in SIDES:
            for i, (clue, line) in enumerate(zip(problem["clues"][side], lines_of(grid, side), strict=True)):
                if clue and self.clue_of(line) != clue:
                    kind = "column" if side in ("top", "bottom") else "row"
                    return Verdict.wrong(f"the {side} {self.clue_word} {clue} of {kind} {i + 1}"
                                         f" sees {self.clue_of(line)}")
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        return grid_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        return latin_perturbations(problem.answer, problem.data["n"], rng)  # a clue or a given breaks

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        n = problem["n"]
        return {"cyclic Latin square, clues ignored": format_grid([[(r + c) % n + 1 for c in range(n)] for r in range(n)])}

    def hardness(self, problem: dict) -> float:
        withheld = sum(clues.count(0) for clues in problem["clues"].values())
        return float(sum(row.count(0) for row in problem["puzzle"]) + withheld)


def visible(line: list[int]) -> int:
    """How many buildings of ``line`` are seen from its first end."""
    seen, tallest = 0, 0
    for height in line:
        if height > tallest:
            seen, tallest = seen + 1, height
    return seen


def lines_of(grid: list[list[int]], side: str) -> list[list[int]]:
    """The n lines seen from ``side``, each ordered from that side inwards (index = row or column)."""
    columns = [list(col) for col in zip(*grid, strict=True)]
    return {"top": columns, "bottom": [col[::-1] for col in columns],
            "left": [list(row) for row in grid], "right": [list(row)[::-1] for row in grid]}[side]


def line_cells(n: int, side: str, i: int) -> list[tuple[int, int]]:
    """The cells of line ``i`` seen from ``side``, nearest first (shared with sum_skyscraper)."""
    cells = {"top": [(r, i) for r in range(n)], "left": [(i, c) for c in range(n)]}
    if side in cells:
        return cells[side]
    return line_cells(n, "top" if side == "bottom" else "left", i)[::-1]


@cache
def _rules(n: int):
    """Latin-square rules, ``seen`` definitions, and per clue (side, i, k) a selector literal
    that switches on "exactly k buildings are seen": (clauses, var, selectors). Built once per
    size; callers copy the clause list before adding to it."""
    pool = IDPool()
    clauses, var = latin_square_cnf(n, pool)
    selectors: dict[tuple[str, int, int], int] = {}
    for side in SIDES:
        for i in range(n):
            seen = seen_vars(line_cells(n, side, i), n, var, pool, clauses)
            for k in range(1, n + 1):
                selector = pool.id(("clue", side, i, k))
                selectors[side, i, k] = selector
                clauses += [[-selector, *clause] for clause in exactly_k(seen, k, pool)]
    return clauses, var, selectors


def seen_vars(cells, n: int, var, pool: IDPool, clauses: list[Clause]) -> list[int]:
    """Literals seen(i) for the cells of one line, defined by prefix maxima m(i, d) = "one of
    the first i+1 buildings is at least d"; building i is seen iff its height d has ¬m(i−1, d)."""
    def at_least(r: int, c: int, d: int) -> list[int]:
        return [var(r, c, e) for e in range(d, n + 1)]

    key = tuple(cells)
    prefix = {}
    for i, (r, c) in enumerate(cells):
        for d in range(1, n + 1):
            m = pool.id(("max", key, i, d))
            prefix[i, d] = m
            clauses.append([-m, *at_least(r, c, d)] + ([prefix[i - 1, d]] if i else []))
            clauses += [[-x, m] for x in at_least(r, c, d)]
            if i:
                clauses.append([-prefix[i - 1, d], m])
    seen = [pool.id(("seen", key, 0))]
    clauses.append([seen[0]])
    for i in range(1, len(cells)):
        s = pool.id(("seen", key, i))
        seen.append(s)
        r, c = cells[i]
        for d in range(1, n + 1):
            clauses.append([-var(r, c, d), prefix[i - 1, d], s])
            clauses.append([-var(r, c, d), -prefix[i - 1, d], -s])
    return seen


def clue_lines(clues: dict, lang: str = "en") -> list[str]:
    """The side clues in words (in ``lang``), one line per side, "-" where no clue is shown."""
    def listed(values: list[int]) -> str:
        return ", ".join(str(v) if v else "-" for v in values)

    if lang == "zh":
        return [f"从上方（沿第 1 到 {len(clues['top'])} 列向下看，从左到右）：{listed(clues['top'])}",
                f"从下方（沿第 1 到 {len(clues['bottom'])} 列向上看，从左到右）：{listed(clues['bottom'])}",
                f"从左侧（沿第 1 到 {len(clues['left'])} 行向右看，从上到下）：{listed(clues['left'])}",
                f"从右侧（沿第 1 到 {len(clues['right'])} 行向左看，从上到下）：{listed(clues['right'])}"]
    return [f"From the top (looking down columns 1 to {len(clues['top'])}, left to right): {listed(clues['top'])}",
            f"From the bottom (looking up columns 1 to {len(clues['bottom'])}, left to right): {listed(clues['bottom'])}",
            f"From the left (looking along rows 1 to {len(clues['left'])}, top to bottom): {listed(clues['left'])}",
            f"From the right (looking back along rows 1 to {len(clues['right'])}, top to bottom): {listed(clues['right'])}"]


def _show(puzzle: list[list[int]], clues: dict) -> str:
    """The grid with the clues around it (blank where no clue is shown, ``.`` for empty cells),
    every column as wide as the widest clue (sum_skyscraper's reach two digits)."""
    width = max(len(str(v)) for values in clues.values() for v in values)

    def mark(v: int) -> str:
        return (str(v) if v else "").rjust(width)

    pad = " " * width
    lines = [pad + " " + " ".join(mark(v) for v in clues["top"])]
    for r, row in enumerate(puzzle):
        cells = " ".join((str(v) if v else ".").rjust(width) for v in row)
        lines.append(f"{mark(clues['left'][r])} {cells} {mark(clues['right'][r])}")
    lines.append(pad + " " + " ".join(mark(v) for v in clues["bottom"]))
    return "\n".join(line.rstrip() for line in lines)
