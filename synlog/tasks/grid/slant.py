"""Slant (Gokigen Naname): draw one diagonal in every cell; corner numbers count the diagonals
touching that corner, and the diagonals never form a closed loop.

Each cell of a rows×cols grid gets ``\\`` (top-left to bottom-right) or ``/`` (top-right to
bottom-left). A number on a grid corner (the corners form a (rows+1)×(cols+1) lattice) says
how many of the up to four diagonals around it end at that corner. No set of diagonals may
form a loop. A 3×3 example (corner lattice, ``.`` = no number) and its only solution::

    . . . .
    . 2 1 .         \\ / \\
    . 2 . .    →    \\ / /
    . 2 . 1         \\ / \\

How the puzzle is made, and why it has exactly one solution:

1. a random loop-free filling: cells in random order, each takes a random diagonal unless
   that diagonal would join two corners already joined (a loop; then it takes the other);
2. every corner's count is read off; python-sat encodes the rules: a variable per cell
   (true = ``\\``), per shown corner "exactly k of the diagonals ending here" switched on by
   a selector literal, and a clause excluding the gold. Loops are ruled out lazily: while a
   model holds a loop, a clause forbidding that loop's diagonals is added (it holds in every
   solution), so the loop ends with a loop-free model or UNSAT. A level whose corners all
   shown still leave two solutions is redrawn;
3. corners are hidden in random order while the rest still force the gold (UNSAT), until
   ``clues`` × the corners remain or none can go.

``effort`` counts the solve calls and loop cuts plus the solver's conflicts, decisions and
propagations; ``hardness`` counts the cells plus the corners left blank. ``verify`` checks
the rules: every cell a diagonal, every shown corner's count, no loop.
"""

from __future__ import annotations

from functools import cache
from itertools import product

import numpy as np
from pysat.solvers import Solver

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.boards import read_board, solver_effort
from synlog.tasks.common.grids import format_grid, grid_forms, parse_grid
from synlog.tasks.common.satenc import SOLVER, Clause
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

BACK, FORWARD = "\\", "/"
Corner = tuple[int, int]


@register
class Slant(Task):
    """Draw a diagonal in every cell: corner numbers count touching diagonals, no loops (unique)."""

    name, family, version = "slant", "grid", 1
    knobs = Knobs(
        rows=Knob(int, levels=[4, 5, 5, 6, 6, 7, 8, 9, 10, 12], lo=2, hi=16, help="grid rows"),
        cols=Knob(int, levels=[4, 5, 6, 6, 7, 8, 8, 9, 10, 12], lo=2, hi=16, help="grid columns"),
        # about 40 % of the corners is the minimum that keeps a board unique: beyond that the
        # knob no longer bites, and the top levels keep only the corners that are needed
        clues=Knob(float, levels=[0.65, 0.6, 0.55, 0.5, 0.45, 0.4, 0.35, 0.3, 0.0, 0.0], lo=0.0, hi=1.0,
                   help="share of the corners left numbered, aimed at; more stay when needed"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        rows, cols = p.rows, p.cols
        board = _random_filling(rng, rows, cols)
        counts = corner_counts(board)
        corners = [(i, j) for i in range(rows + 1) for j in range(cols + 1)]
        selector = {corner: rows * cols + 1 + k for k, corner in enumerate(corners)}
        clauses = [clause for corner in corners
                   for clause in _count_clauses(rows, cols, corner, counts[corner], selector[corner])]
        gold = [cell_var(r, c, cols) * (1 if board[r][c] == BACK else -1) for r in range(rows) for c in range(cols)]
        kept = {corner: True for corner in corners}
        work = 0
        with Solver(name=SOLVER, bootstrap_with=clauses) as solver:
            solver.add_clause([-lit for lit in gold])
            model, spent = loop_free_model(solver, rows, cols, list(selector.values()))
            work += spent
            if model is not None:
                raise Reject("every corner shown still leaves two solutions")
            removable = len(corners) - round(p.clues * len(corners))
            for k in rng.permutation(len(corners)).tolist():
                if removable <= 0:
                    break
                kept[corners[k]] = False
                model, spent = loop_free_model(solver, rows, cols, [selector[x] for x in corners if kept[x]])
                work += spent
                if model is None:
                    removable -= 1
                else:
                    kept[corners[k]] = True  # without this corner another solution appears
            effort = solver_effort(solver)
        clue_grid = [[counts[i, j] if kept[i, j] else -1 for j in range(cols + 1)] for i in range(rows + 1)]
        return Problem({"rows": rows, "cols": cols, "clues": clue_grid}, format_grid(board), work + effort)

    def context(self, problem: Problem, lang: str) -> dict:
        data = problem.data
        return {"rows": data["rows"], "cols": data["cols"], "corners": _show(data["clues"])}

    def verify(self, problem: dict, answer: str) -> Verdict:
        rows, cols = problem["rows"], problem["cols"]
        board = read_board(answer, rows, cols, (BACK, FORWARD), "\\ or /", cell=str)
        if isinstance(board, Verdict):
            return board
        counts = corner_counts(board)
        for i, line in enumerate(problem["clues"]):
            for j, clue in enumerate(line):
                if clue >= 0 and counts[i, j] != clue:
                    return Verdict.wrong(f"corner ({i + 1}, {j + 1}) touches {counts[i, j]} diagonals, not {clue}")
        loop = find_loop(board)
        if loop:
            r, c = loop[0]
            return Verdict.wrong(f"the diagonals through cell ({r + 1}, {c + 1}) close a loop")
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        return grid_forms(problem.answer, full_stops=False)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        # one cell flipped, two cells flipped, the mirror image (every diagonal flipped)
        board = parse_grid(problem.answer, cell=str)
        rows, cols = len(board), len(board[0])
        wrong = []
        for flips in (1, 2):
            changed = [line[:] for line in board]
            for k in rng.choice(rows * cols, flips, replace=False).tolist():
                r, c = divmod(k, cols)
                changed[r][c] = FORWARD if changed[r][c] == BACK else BACK
            wrong.append(changed)
        wrong.append([[FORWARD if x == BACK else BACK for x in line] for line in board])
        return [format_grid(g) for g in wrong]

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        rows, cols = problem["rows"], problem["cols"]
        stripes = [[BACK if (r + c) % 2 else FORWARD for c in range(cols)] for r in range(rows)]
        return {"checkerboard of diagonals": format_grid(stripes),
                "rows alternating \\ and /": format_grid([[BACK if r % 2 else FORWARD] * cols for r in range(rows)])}

    def instance_space(self, spec: dict) -> float | None:
        # loop-free fillings grow about 1.9× per cell (15 on 2×2, 384 on 3×3, 32 625 on 4×4,
        # counted by brute force); each is one puzzle at least, whatever corners stay shown
        def top(value):
            return value[1] if isinstance(value, tuple) else value
        return float(1.85 ** (top(spec["rows"]) * top(spec["cols"])))

    def hardness(self, problem: dict) -> float:
        blank = sum(line.count(-1) for line in problem["clues"])
        return float(problem["rows"] * problem["cols"] + blank)


def cell_var(r: int, c: int, cols: int) -> int:
    """The SAT variable of cell (r, c): true is ``\\``, false is ``/``."""
    return r * cols + c + 1


def _ends(r: int, c: int, diagonal: str) -> tuple[Corner, Corner]:
    """The two corners a cell's diagonal joins."""
    return ((r, c), (r + 1, c + 1)) if diagonal == BACK else ((r, c + 1), (r + 1, c))


@cache
def _around(rows: int, cols: int, corner: Corner) -> tuple[int, ...]:
    """The literals "this cell's diagonal ends at ``corner``", one per cell around it."""
    i, j = corner
    out = []
    for r, c, back in ((i, j, True), (i, j - 1, False), (i - 1, j, False), (i - 1, j - 1, True)):
        if 0 <= r < rows and 0 <= c < cols:
            out.append(cell_var(r, c, cols) * (1 if back else -1))
    return tuple(out)


def _count_clauses(rows: int, cols: int, corner: Corner, count: int, selector: int) -> list[Clause]:
    """Clauses: when ``selector`` holds, exactly ``count`` diagonals end at ``corner`` (every
    combination of the up to four literals with another count is forbidden)."""
    lits = _around(rows, cols, corner)
    return [[-selector, *(-lit if on else lit for lit, on in zip(lits, pattern, strict=True))]
            for pattern in product((True, False), repeat=len(lits)) if sum(pattern) != count]


def corner_counts(board: list[list[str]]) -> dict[Corner, int]:
    """How many diagonals end at each corner of the lattice."""
    rows, cols = len(board), len(board[0])
    counts = {(i, j): 0 for i in range(rows + 1) for j in range(cols + 1)}
    for r in range(rows):
        for c in range(cols):
            for corner in _ends(r, c, board[r][c]):
                counts[corner] += 1
    return counts


def find_loop(board: list[list[str]]) -> list[tuple[int, int]]:
    """The cells of one loop of diagonals (empty when there is none): union-find over the
    corners; the diagonal that joins two already joined corners closes a loop, which is then
    traced back by search through the diagonals placed before it."""
    rows, cols = len(board), len(board[0])
    parent: dict[Corner, Corner] = {}

    def root(x: Corner) -> Corner:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    edges: dict[Corner, list[tuple[Corner, tuple[int, int]]]] = {}
    for r in range(rows):
        for c in range(cols):
            a, b = _ends(r, c, board[r][c])
            if root(a) == root(b):
                return [(r, c), *_path(edges, a, b)]
            parent[root(a)] = root(b)
            edges.setdefault(a, []).append((b, (r, c)))
            edges.setdefault(b, []).append((a, (r, c)))
    return []


def _path(edges, start: Corner, goal: Corner) -> list[tuple[int, int]]:
    """The cells on the one path of the forest ``edges`` from ``start`` to ``goal``."""
    back: dict[Corner, tuple[Corner, tuple[int, int]] | None] = {start: None}
    stack = [start]
    while stack:
        x = stack.pop()
        for y, cell in edges.get(x, []):
            if y not in back:
                back[y] = (x, cell)
                stack.append(y)
    cells, x = [], goal
    while back[x] is not None:
        x, cell = back[x]
        cells.append(cell)
    return cells


def loop_free_model(solver: Solver, rows: int, cols: int, assumptions: list[int]) -> tuple[list[list[str]] | None, int]:
    """A loop-free board obeying the clauses under ``assumptions`` (or None), cutting each
    loop found (its diagonals may never all be drawn); also the solve calls and cuts made."""
    work = 0
    while solver.solve(assumptions=assumptions):
        truth = solver.get_model()
        board = [[BACK if truth[cell_var(r, c, cols) - 1] > 0 else FORWARD for c in range(cols)] for r in range(rows)]
        loop = find_loop(board)
        work += 1
        if not loop:
            return board, work
        solver.add_clause([cell_var(r, c, cols) * (-1 if board[r][c] == BACK else 1) for r, c in loop])
    return None, work + 1


def _random_filling(rng: np.random.Generator, rows: int, cols: int) -> list[list[str]]:
    """Cells in random order, each a random diagonal unless it closes a loop."""
    parent: dict[Corner, Corner] = {}

    def root(x: Corner) -> Corner:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    board = [[""] * cols for _ in range(rows)]
    for k in rng.permutation(rows * cols).tolist():
        r, c = divmod(k, cols)
        first = BACK if rng.random() < 0.5 else FORWARD
        for diagonal in (first, FORWARD if first == BACK else BACK):
            a, b = _ends(r, c, diagonal)
            if root(a) != root(b):
                parent[root(a)] = root(b)
                board[r][c] = diagonal
                break
        else:
            raise Reject("both diagonals of a cell close a loop")
    return board


def _show(clues: list[list[int]]) -> str:
    """The corner lattice, one row of corners per line: the number, or ``.`` when blank."""
    return "\n".join(" ".join(str(v) if v >= 0 else "." for v in line) for line in clues)
