"""N queens: complete a board on which some queens stand so that n queens attack none.

Rules: place queens on the n×n board so that every row and every column holds exactly one
queen and no two queens share a diagonal; the queens already on the board stay. A 5×5
example with two given queens and its only completion::

    . . Q . .        . . Q . .
    . . . . .        Q . . . .
    . . . . .   →    . . . Q .
    . . . . .        . Q . . .
    . . . . Q        . . . . Q

How the puzzle is made, and why it has exactly one completion:

1. a solution of the n-queens problem: drawn uniformly from all of them up to
   ``UNIFORM_LIMIT`` (they are enumerated once per size), by a randomised depth-first search
   beyond (those spaces are huge);
2. python-sat encodes the rules (exactly one queen per row and column, at most one per
   diagonal) with a clause excluding the gold; while another solution exists, a gold queen it
   lacks is given; the givens are then trimmed to a minimal set, each one needed
   (``pin_until_unique``): when the solver answers UNSAT the gold is the only completion;
3. easy levels add ``extra`` gold queens beyond that minimal set.

``effort`` is the search nodes plus the solver's work; ``hardness`` is the number of cells
no given queen sees (the cells still open to a queen). ``verify`` checks the givens, every
row, column and diagonal: any board that obeys the rules scores 1 (it can only be the gold).
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
from pysat.formula import IDPool

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import MAX_CHARS
from synlog.tasks.common.boards import pin_until_unique, read_board
from synlog.tasks.common.grids import format_grid, grid_forms, parse_grid
from synlog.tasks.common.satenc import Clause, at_most_one, exactly_one
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: largest board side whose solutions are all enumerated (so drawn uniformly)
UNIFORM_LIMIT = 10
#: search nodes allowed for one random solution of a larger board
SEARCH_BUDGET = 200_000
QUEEN, EMPTY = "Q", "."
#: how many n-queens solutions each board side has (OEIS A000170), for the instance space
SOLUTION_COUNTS = {7: 40, 8: 92, 9: 352, 10: 724, 11: 2680, 12: 14200, 13: 73712, 14: 365596,
                   15: 2279184, 16: 14772512, 17: 95815104, 18: 666090624, 19: 4968057848,
                   20: 39029188884}


@cache
def all_solutions(n: int) -> tuple[tuple[int, ...], ...]:
    """Every n-queens solution as the queen's column per row, in lexicographic order."""
    out: list[tuple[int, ...]] = []
    cols: list[int] = []

    def place(row: int) -> None:
        if row == n:
            out.append(tuple(cols))
            return
        for c in range(n):
            if all(c != d and abs(c - d) != row - r for r, d in enumerate(cols)):
                cols.append(c)
                place(row + 1)
                cols.pop()

    place(0)
    return tuple(out)


def random_solution(rng: np.random.Generator, n: int) -> tuple[list[int], int]:
    """A solution (column per row) and the search nodes spent."""
    if n <= UNIFORM_LIMIT:
        options = all_solutions(n)
        return list(options[int(rng.integers(len(options)))]), len(options)
    cols: list[int] = []
    used, up, down = set(), set(), set()
    nodes = 0

    def place(row: int) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > SEARCH_BUDGET:
            raise Reject("queen search ran over budget")
        if row == n:
            return True
        for c in rng.permutation(n).tolist():
            if c in used or row + c in up or row - c in down:
                continue
            cols.append(c)
            used.add(c), up.add(row + c), down.add(row - c)
            if place(row + 1):
                return True
            cols.pop()
            used.discard(c), up.discard(row + c), down.discard(row - c)
        return False

    if not place(0):
        raise Reject(f"no {n}-queens solution found")
    return cols, nodes


def rules_cnf(n: int) -> list[Clause]:
    """Cell (r, c) is variable r·n + c + 1: one queen per row and column, ≤ 1 per diagonal."""
    pool = IDPool(start_from=n * n + 1)
    cell = {(r, c): r * n + c + 1 for r in range(n) for c in range(n)}
    clauses: list[Clause] = []
    for i in range(n):
        clauses += exactly_one([cell[i, c] for c in range(n)], pool)
        clauses += exactly_one([cell[r, i] for r in range(n)], pool)
    for d in range(-(n - 1), n):
        clauses += at_most_one([cell[r, r - d] for r in range(n) if 0 <= r - d < n], pool)
        clauses += at_most_one([cell[r, d + n - 1 - r] for r in range(n) if 0 <= d + n - 1 - r < n], pool)
    return clauses


def board_text(n: int, queens: list[list[int]]) -> str:
    """The board with ``Q`` on the given (row, column) cells, counted from 0, ``.`` elsewhere."""
    cells = {tuple(q) for q in queens}
    return format_grid([[QUEEN if (r, c) in cells else EMPTY for c in range(n)] for r in range(n)])


@register
class NQueens(Task):
    """Complete a partial n-queens board (n queens, none attacking another); unique completion."""

    name, family, version = "n_queens", "search", 1
    chance = 0.05
    knobs = Knobs(
        n=Knob(int, levels=[8, 8, 9, 9, 10, 11, 12, 13, 14, 16], lo=7, hi=20, help="board side"),
        extra=Knob(int, levels=[3, 2, 2, 1, 1, 0, 0, 0, 0, 0], lo=0, hi=6,
                   help="given queens beyond the minimal set that makes the completion unique"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n = p.n
        cols, nodes = random_solution(rng, n)
        gold = [(r * n + c + 1) * (1 if cols[r] == c else -1) for r in range(n) for c in range(n)]
        queens = [r * n + cols[r] + 1 for r in range(n)]
        pins, spent = pin_until_unique(rng, rules_cnf(n), gold, queens, trim=True)
        spare = [q for q in queens if q not in pins]
        pins += [spare[i] for i in rng.permutation(len(spare))[:p.extra].tolist()]
        given = sorted([(q - 1) // n, (q - 1) % n] for q in pins)
        answer = board_text(n, [[r, c] for r, c in enumerate(cols)])
        return Problem({"n": n, "given": given}, answer, float(nodes + spent))

    def context(self, problem: Problem, lang: str) -> dict:
        data = problem.data
        return dict(n=data["n"], board=board_text(data["n"], data["given"]),
                    placed=len(data["given"]))

    def verify(self, problem: dict, answer: str) -> Verdict:
        n = problem["n"]
        if len(answer) > MAX_CHARS:
            return Verdict.invalid(f"answer longer than {MAX_CHARS} characters")
        grid = read_board(answer, n, n, (QUEEN, EMPTY), "Q (a queen) or . (an empty cell)", cell=str)
        if isinstance(grid, Verdict):
            return grid
        for r, c in problem["given"]:
            if grid[r][c] != QUEEN:
                return Verdict.wrong(f"the given queen in row {r + 1}, column {c + 1} is missing")
        queens = [(r, c) for r in range(n) for c in range(n) if grid[r][c] == QUEEN]
        for i in range(n):
            in_row = sum(1 for r, _ in queens if r == i)
            if in_row != 1:
                return Verdict.wrong(f"row {i + 1} holds {in_row} queens, not 1", row=i + 1)
            in_col = sum(1 for _, c in queens if c == i)
            if in_col != 1:
                return Verdict.wrong(f"column {i + 1} holds {in_col} queens, not 1", column=i + 1)
        for k, (r1, c1) in enumerate(queens):
            for r2, c2 in queens[k + 1:]:
                if abs(r1 - r2) == abs(c1 - c2):
                    return Verdict.wrong(f"the queens at ({r1 + 1}, {c1 + 1}) and ({r2 + 1}, {c2 + 1})"
                                         " share a diagonal")
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        return grid_forms(problem.answer, full_stops=False)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        # a queen moved along its row, two rows exchanged, the board mirrored, a given dropped
        grid = np.array(parse_grid(problem.answer, cell=str))
        n = len(grid)
        cols = [int(np.flatnonzero(row == QUEEN)[0]) for row in grid]
        r = int(rng.integers(n))
        moved = list(cols)
        moved[r] = (cols[r] + 1 + int(rng.integers(n - 1))) % n
        a, b = (int(v) for v in rng.choice(n, 2, replace=False))
        swapped = list(cols)
        swapped[a], swapped[b] = swapped[b], swapped[a]
        mirrored = [n - 1 - c for c in cols]
        dropped = [[i, c] for i, c in enumerate(cols) if [i, c] != problem.data["given"][0]]
        boards = [board_text(n, [[i, c] for i, c in enumerate(v)]) for v in (moved, swapped, mirrored)]
        return [b for b in [*boards, board_text(n, dropped)] if b != problem.answer]

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        n = problem["n"]
        out = {"the given queens alone": board_text(n, problem["given"])}
        if n <= UNIFORM_LIMIT:
            first = all_solutions(n)[0]
            out["the first solution in order, givens ignored"] = board_text(n, [[r, c] for r, c in enumerate(first)])
        return out

    def instance_space(self, spec: dict) -> float | None:
        # a lower estimate: the solutions, times the ways to add the extra queens to a minimal
        # set of about three (minimal sets vary too, which this leaves out)
        n, extra = (v[1] if isinstance(v, tuple) else v for v in (spec["n"], spec["extra"]))
        return float(SOLUTION_COUNTS[n] * math.comb(n - 3, extra))

    def hardness(self, problem: dict) -> float:
        n, given = problem["n"], problem["given"]
        seen = {(r, c) for r in range(n) for c in range(n)
                for gr, gc in given if r == gr or c == gc or abs(r - gr) == abs(c - gc)}
        return float(n * n - len(seen))
