"""Minesweeper deduction: name exactly the covered cells that must hold mines.

A revealed cell shows how many of its up to eight neighbours hold mines; revealed cells are
safe. The answer is the set of covered cells that are mines in *every* placement of mines
that agrees with all the revealed numbers (the total number of mines is not given). A 3×3
example (``?`` covered)::

    1 ? ?        the 1 at (1, 1) has one covered neighbour, (1, 2): a mine. The 1 at (2, 1)
    1 2 ?        is then satisfied, so (3, 1) and (3, 2) are safe; the 2 at (2, 2) needs one
    ? ? ?        more mine among (1, 3), (2, 3), (3, 3), any of them. Answer: (1, 2)

Exactly: cell x is **forced** iff the CNF "each revealed number equals the count of mines
among its covered neighbours" has no model in which x is safe. The gold is exactly the
forced set, computed with python-sat: one model gives the candidates (its mines); each
candidate is tried safe in turn, and every model found on the way clears the candidates it
leaves safe. Cells next to no revealed number are never forced.

How the board is made: mines with probability ``mines`` per cell; a ``revealed`` share of
the safe cells is uncovered at random; while no cell is forced, one more safe cell next to a
mine is uncovered; a board that still forces no mine (one with almost no mines) is redrawn,
so ``none`` is never the answer and guessing it never pays. ``effort`` counts the checks plus
the solver's conflicts, decisions and propagations; :meth:`Minesweeper.hardness` is the
number of covered cells next to a revealed number (the cells to decide). ``verify``
recomputes the forced set from the board and compares sets.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
from pysat.formula import IDPool
from pysat.solvers import Solver

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import decorated_forms
from synlog.tasks.common.boards import (
    KING,
    CellsParseError,
    format_cells,
    neighbours,
    parse_cells,
    solver_effort,
)
from synlog.tasks.common.satenc import SOLVER, exactly_k
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

COVERED = "?"


@register
class Minesweeper(Task):
    """Name exactly the covered cells that the revealed numbers force to be mines."""

    name, family, version = "minesweeper", "grid", 2
    knobs = Knobs(
        size=Knob(int, levels=[4, 5, 5, 6, 6, 7, 8, 8, 9, 10], lo=3, hi=16, help="board side"),
        mines=Knob(float, levels=[0.15, 0.15, 0.18, 0.18, 0.2, 0.2, 0.2, 0.22, 0.22, 0.22], lo=0.02, hi=0.5,
                   help="probability that a cell holds a mine"),
        revealed=Knob(float, levels=[0.8, 0.7, 0.6, 0.6, 0.5, 0.5, 0.45, 0.45, 0.4, 0.4], lo=0.0, hi=1.0,
                      help="share of the safe cells uncovered (more when none would force a mine)"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        size = p.size
        mine = rng.random((size, size)) < p.mines
        safe = [(r, c) for r in range(size) for c in range(size) if not mine[r, c]]
        order = [safe[i] for i in rng.permutation(len(safe)).tolist()]
        shown = set(order[:round(p.revealed * len(safe))])
        effort = 0.0
        while True:
            board = ["".join(str(sum(mine[a, b] for a, b in neighbours(r, c, size, size, KING)))
                             if (r, c) in shown else COVERED for c in range(size)) for r in range(size)]
            forced, spent = forced_mines(tuple(board))
            effort += spent
            if forced:
                break
            more = [x for x in order if x not in shown
                    and any(mine[a, b] for a, b in neighbours(*x, size, size, KING))]
            if not more:
                break
            shown.add(more[0])
        if not forced:
            raise Reject("no cell is forced")
        return Problem({"board": board}, format_cells(forced), effort)

    def context(self, problem: Problem, lang: str) -> dict:
        board = problem.data["board"]
        return {"size": len(board), "board": "\n".join(" ".join(line) for line in board)}

    def verify(self, problem: dict, answer: str) -> Verdict:
        board = problem["board"]
        try:
            cells = parse_cells(answer, len(board), len(board[0]))
        except CellsParseError as error:
            return Verdict.unparseable(str(error))
        if any(board[r - 1][c - 1] != COVERED for r, c in cells):
            return Verdict.invalid("a listed cell is revealed (revealed cells are safe)")
        forced = forced_mines(tuple(board))[0]
        if cells == forced:
            return Verdict.ok()
        missing, extra = len(forced - cells), len(cells - forced)
        return Verdict.wrong(f"{missing} forced mines missing, {extra} listed cells not forced",
                             missing=missing, extra=extra)

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        covered, frontier = _covered(problem["board"])
        return {"every covered cell": format_cells(covered),
                "every covered cell next to a number": format_cells(frontier)}

    def hardness(self, problem: dict) -> float:
        return float(len(_covered(problem["board"])[1]))

    def alternative_forms(self, problem: Problem) -> list[str]:
        cells = re.split(r"(?<=\)), (?=\()", problem.answer)
        forms = decorated_forms(cells, ", ")
        if all(re.fullmatch(r"\([0-9]+, [0-9]+\)", cell) for cell in cells):
            forms.append("[" + ", ".join(f"[{cell[1:-1]}]" for cell in cells) + "]")
        return forms

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        board = problem.data["board"]
        forced = sorted(forced_mines(tuple(board))[0])
        covered = [(r + 1, c + 1) for r, line in enumerate(board) for c, x in enumerate(line)
                   if x == COVERED and (r + 1, c + 1) not in forced]
        wrong = [format_cells(forced[1:])]
        if covered:
            wrong.append(format_cells([*forced, covered[int(rng.integers(len(covered)))]]))
        wrong.append(format_cells(covered))
        return [w for w in wrong if w != format_cells(forced)]


def _covered(board: list[str]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The covered cells (1-based), and those of them next to a revealed number."""
    rows, cols = len(board), len(board[0])
    covered = [(r, c) for r in range(rows) for c in range(cols) if board[r][c] == COVERED]
    frontier = [(r, c) for r, c in covered
                if any(board[a][b] != COVERED for a, b in neighbours(r, c, rows, cols, KING))]
    return [(r + 1, c + 1) for r, c in covered], [(r + 1, c + 1) for r, c in frontier]


@lru_cache(maxsize=4096)
def forced_mines(board: tuple[str, ...]) -> tuple[frozenset[tuple[int, int]], float]:
    """The covered cells (1-based) that are mines in every consistent placement; and effort."""
    rows, cols = len(board), len(board[0])
    pool = IDPool()
    clauses = []
    for r, line in enumerate(board):
        for c, x in enumerate(line):
            if x != COVERED:
                hidden = [pool.id((a, b)) for a, b in neighbours(r, c, rows, cols, KING) if board[a][b] == COVERED]
                clauses += exactly_k(hidden, int(x), pool)
    cells = {pool.id((r, c)): (r + 1, c + 1) for r, line in enumerate(board) for c, x in enumerate(line)
             if x == COVERED and (r, c) in pool.obj2id}
    forced, checks = set(), 0
    with Solver(name=SOLVER, bootstrap_with=clauses) as solver:
        if not solver.solve():
            raise ValueError("the revealed numbers contradict each other")
        truth = set(solver.get_model())
        candidates = [v for v in cells if v in truth]
        while candidates:
            v = candidates.pop()
            checks += 1
            if solver.solve(assumptions=[-v]):
                truth = set(solver.get_model())
                candidates = [u for u in candidates if u in truth]
            else:
                forced.add(cells[v])
        effort = solver_effort(solver)
    return frozenset(forced), checks + effort
