"""Sum skyscraper: a Latin square of heights whose side clues are the SUMS of the visible heights.

Each cell holds a height 1..n, every row and column holds each height once. A clue outside
the grid is the total height of the buildings seen looking into that row or column from that
side: a building is seen when it is taller than every building in front of it. A 3×3
example (clues around the grid, ``.`` empty) and its only solution::

      5 3 6               5 3 6
    5 . . .  4          5 2 3 1  4
    3 . . .  5    →     3 3 1 2  5
    6 . . .  3          6 1 2 3  3
      4 5 3               4 5 3

(row 1, ``2 3 1``, shows 2 and 3 from the left, total 5; only 1 then 3 from the right, total 4.)

How the puzzle is made, and why it has exactly one solution (as :mod:`skyscraper`, whose
Latin-square and visibility encodings it reuses):

1. a random Latin square S (uniform over all of them for n ≤ 4);
2. all 4n sums are read off S, and every cell starts given;
3. python-sat proves which clues can go (``carve_clues``: the rules, the kept clues and
   givens, plus a clause excluding S, are unsatisfiable): givens are dropped while S stays
   the only solution (none kept when the 4n sums force S), then sums, until ``clues`` × 4n
   remain or none can go.

A sum is encoded as a running total along the line: ``total(i, t)`` follows from
``total(i − 1, t − d)`` when building i has height d and is seen, from ``total(i − 1, t)``
when it is hidden; a kept clue S forbids every final total but S (a selector literal switches
it on). ``effort`` counts the checks plus the solver's conflicts, decisions and propagations;
``hardness`` counts the unknowns: cells to fill plus sums withheld. ``verify`` checks the
rules: a Latin square over 1..n, givens kept, every shown sum met.
"""

from __future__ import annotations

from functools import cache
from math import comb

import numpy as np
from pysat.formula import IDPool
from pysat.solvers import Solver

from synlog.tasks.base import Problem, register
from synlog.tasks.common.boards import (
    block_gold,
    latin_square_cnf,
    solver_effort,
    uniform_latin_square,
)
from synlog.tasks.common.grids import format_grid
from synlog.tasks.common.satenc import SOLVER, Clause
from synlog.tasks.grid.skyscraper import SIDES, Skyscraper, line_cells, lines_of, seen_vars
from synlog.tasks.knobs import Knob, Knobs, Params


@register
class SumSkyscraper(Skyscraper):
    """Fill a Latin square of heights whose side clues sum the visible heights (unique).

    Everything but the clue is skyscraper's: the board, the prompt's layout, the answer format,
    the verifier (which measures a line with :meth:`clue_of`) and the perturbations."""

    name, family, version = "sum_skyscraper", "grid", 1
    knobs = Knobs(
        n=Knob(int, levels=[4, 4, 4, 5, 5, 5, 6, 6, 6, 6], lo=3, hi=8, help="grid side"),
        clues=Knob(float, levels=[0.7, 0.55, 0.4, 0.7, 0.55, 0.4, 0.7, 0.6, 0.5, 0.4], lo=0.0, hi=1.0,
                   help="fraction of the 4n side sums shown, aimed at; more stay when needed"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n = p.n
        solution = uniform_latin_square(rng, n)
        clauses, var, finals, top = _rules(n)
        gold = [var(r, c, solution[r][c]) for r in range(n) for c in range(n)]
        sums = {side: [visible_sum(line) for line in lines_of(solution, side)] for side in SIDES}
        selectors, extra = [], []
        for side in SIDES:
            for i in range(n):
                selectors.append(top + 1 + len(selectors))
                extra += sum_clue(finals[side, i], sums[side][i], selectors[-1])
        count = len(selectors)
        pins, kept, effort = _make_unique(rng, clauses + extra, gold, selectors, count - round(p.clues * count))
        clues = {side: [sums[side][i] if kept[s * n + i] else 0 for i in range(n)]
                 for s, side in enumerate(SIDES)}
        pinned = set(pins)
        puzzle = [[solution[r][c] if gold[r * n + c] in pinned else 0 for c in range(n)] for r in range(n)]
        return Problem({"n": n, "puzzle": puzzle, "clues": clues}, format_grid(solution), effort)

    clue_word = "sum"

    @staticmethod
    def clue_of(line: list[int]) -> int:
        return visible_sum(line)

    def instance_space(self, spec: dict) -> float | None:
        # Latin squares of the size times the ways to choose the shown sums
        n, shown = spec["n"], spec["clues"]
        shown = shown[0] if isinstance(shown, tuple) else shown
        squares = {3: 12, 4: 576, 5: 161_280, 6: 812_851_200, 7: 6.15e13, 8: 1.08e20}.get(n, 1.0)
        return float(squares * comb(4 * n, round(shown * 4 * n)))



def visible_sum(line: list[int]) -> int:
    """The total height of the buildings of ``line`` seen from its first end."""
    total, tallest = 0, 0
    for height in line:
        if height > tallest:
            total, tallest = total + height, height
    return total


@cache
def _rules(n: int):
    """Latin-square rules, ``seen`` definitions and running visible totals: (clauses, var,
    finals, top) where ``finals[side, i]`` maps each reachable final total of that line to
    its literal and ``top`` is the largest variable. Built once per size; callers copy the
    clause list before adding to it."""
    pool = IDPool()
    clauses, var = latin_square_cnf(n, pool)
    finals: dict[tuple[str, int], dict[int, int]] = {}
    most = n * (n + 1) // 2
    for side in SIDES:
        for i in range(n):
            cells = line_cells(n, side, i)
            seen = seen_vars(cells, n, var, pool, clauses)
            totals: dict[int, int | None] = {0: None}  # reachable total → its literal (None: empty prefix)
            for k, (r, c) in enumerate(cells):
                after: dict[int, int] = {}
                for t, before in totals.items():
                    pre = [] if before is None else [-before]
                    for d in range(1, n + 1):
                        if t + d <= most:
                            lit = after.setdefault(t + d, pool.id(("total", side, i, k, t + d)))
                            clauses.append([*pre, -var(r, c, d), -seen[k], lit])
                    if k:  # the first building is always seen
                        lit = after.setdefault(t, pool.id(("total", side, i, k, t)))
                        clauses.append([*pre, seen[k], lit])
                totals = after
            finals[side, i] = totals
    return clauses, var, finals, pool.top


def sum_clue(finals: dict[int, int], total: int, selector: int) -> list[Clause]:
    """Clauses: when ``selector`` holds, the line's visible heights add up to ``total`` (every
    other final total is ruled out; the running totals are forced along the true heights)."""
    return [[-selector, -lit] for t, lit in finals.items() if t != total]


def _make_unique(rng: np.random.Generator, clauses: list[Clause], gold: list[int], selectors: list[int],
                 removable: int) -> tuple[list[int], list[bool], float]:
    """With every sum shown, give gold cells while another solution exists (usually none or
    one); then drop up to ``removable`` sums, in random order, while the rest still force the
    gold. One solver holds the rules and a clause excluding the gold, so UNSAT = unique.
    Returns the given cells' literals, which sums stay, and the effort."""
    pins: list[int] = []
    kept = [True] * len(selectors)
    checks = 0
    with Solver(name=SOLVER, bootstrap_with=clauses) as solver:
        block_gold(solver, gold, selectors)
        while solver.solve(assumptions=selectors + pins):
            checks += 1
            truth = set(solver.get_model())
            wrong = [lit for lit in gold if lit not in truth]
            pins.append(wrong[int(rng.integers(len(wrong)))])
        dropped = 0
        for i in rng.permutation(len(selectors)).tolist():
            if dropped >= removable:
                break
            kept[i] = False
            checks += 1
            if solver.solve(assumptions=[s for s, k in zip(selectors, kept, strict=True) if k] + pins):
                kept[i] = True  # without this sum another solution appears
            else:
                dropped += 1
        effort = solver_effort(solver)
    return pins, kept, checks + effort
