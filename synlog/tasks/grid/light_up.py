"""Light Up (Akari): place light bulbs on the white cells until every white cell is lit.

Rules: a bulb lights its own cell and every white cell in its row and column up to the
nearest black cell or the edge; (1) every white cell is lit; (2) no bulb is lit by another
bulb; (3) a black cell with a number has exactly that many bulbs on the cells next to it
(up, down, left, right); black cells without a number take any count. A 4×4 example (``#``
black, digits numbered black cells, ``.`` white) and its only solution (``L`` = bulb)::

    . 0 . #        . 0 . #
    . . . .   →    . . L .
    . 2 . 0        L 2 . 0
    . . . .        . L . .

How the puzzle is made, and why it has exactly one solution:

1. black cells are drawn at random (a ``black`` share of the board); white cells in random
   order get a bulb when nothing lights them yet, which gives a legal placement lighting
   every cell; every black cell shows the number of bulbs around it;
2. python-sat encodes the rules (a clause per white cell: some bulb in its sight lines;
   at most one bulb per row run and per column run of white cells; ``exactly k`` around
   each number, switched on by a selector literal) plus a clause excluding the gold. While
   another placement exists, a white cell where it has a bulb (and the gold has none) turns
   black and numbered, chosen so the gold still lights every cell: that placement breaks;
3. the numbers are then removed in random order while the solver proves the rest still
   force the gold (UNSAT), down to a minimal set; at easy levels a share (``extra``) of
   the removed numbers comes back. A board that bulbs placed in reading order (numbers
   ignored) would solve is drawn again (a few 5×5 boards in a hundred).

``effort`` counts the rounds plus the solver's conflicts, decisions and propagations;
``hardness`` is the number of white cells. ``verify`` checks every black cell and number,
every pair of bulbs in sight of each other, and that every white cell is lit.
"""

from __future__ import annotations

from math import comb

import numpy as np
from pysat.formula import IDPool

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.boards import another_solution, carve_clues, neighbours
from synlog.tasks.common.grids import GridParseError, format_grid, grid_forms, parse_grid
from synlog.tasks.common.satenc import Clause, at_most_one, exactly_k
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

Cell = tuple[int, int]
#: rounds (per board cell) of breaking other placements before the board is given up
ROUNDS = 1


@register
class LightUp(Task):
    """Akari: place bulbs so every white cell is lit and no bulb lights another (unique)."""

    name, family, version = "light_up", "grid", 1
    knobs = Knobs(
        n=Knob(int, levels=[5, 6, 6, 7, 7, 8, 8, 9, 9, 10], lo=4, hi=14, help="board side"),
        black=Knob(float, levels=[0.2, 0.2, 0.2, 0.2, 0.18, 0.2, 0.18, 0.2, 0.18, 0.18], lo=0.05, hi=0.4,
                   help="share of black cells drawn at first"),
        extra=Knob(float, levels=[0.5, 0.3, 0.2, 0.15, 0.1, 0.05, 0.0, 0.0, 0.0, 0.0], lo=0.0, hi=1.0,
                   help="share of the removable numbers shown anyway"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n = p.n
        black = {divmod(i, n) for i in rng.choice(n * n, round(p.black * n * n), replace=False).tolist()}
        bulbs = _greedy_bulbs(rng, n, black)
        board, effort = _make_unique(rng, n, black, bulbs)
        numbered = sorted(cell for cell, v in board.items() if v is not None)
        clauses, selector = rules_cnf(n, board)
        gold = [_var(n, cell) * (1 if cell in bulbs else -1) for cell in _white(n, board)]
        kept, spent = carve_clues(rng, clauses, gold, [[selector[cell]] for cell in numbered])
        removed = [i for i, keep in enumerate(kept) if not keep]
        for i in rng.permutation(removed)[:round(p.extra * len(removed))].tolist():
            kept[i] = True
        puzzle = [["." for _ in range(n)] for _ in range(n)]
        for r, c in board:
            puzzle[r][c] = "#"
        for keep, (r, c) in zip(kept, numbered, strict=True):
            if keep:
                puzzle[r][c] = str(board[r, c])
        answer = format_grid([["L" if (r, c) in bulbs else puzzle[r][c] for c in range(n)] for r in range(n)])
        shown = [" ".join(line) for line in puzzle]
        if _reading_order_bulbs(shown) == answer:
            raise Reject("bulbs placed in reading order, numbers ignored, solve it")  # small boards only
        return Problem({"puzzle": shown}, answer, effort + spent)

    def context(self, problem: Problem, lang: str) -> dict:
        puzzle = problem.data["puzzle"]
        return dict(n=len(puzzle), board="\n".join(puzzle))

    def verify(self, problem: dict, answer: str) -> Verdict:
        puzzle = [line.split() for line in problem["puzzle"]]
        n = len(puzzle)
        try:
            grid = parse_grid(answer, rows=n, cols=n, cell=str, markdown=True)
        except GridParseError as error:
            return Verdict.unparseable(str(error))
        for r in range(n):
            for c in range(n):
                shown, token = puzzle[r][c], grid[r][c]
                if shown == "." and token not in ("L", "."):
                    return Verdict.invalid(f"white cell ({r + 1}, {c + 1}) must be L (bulb) or . (no bulb)")
                if shown != "." and token != shown:
                    return Verdict.invalid(f"black cell ({r + 1}, {c + 1}) must stay {shown}")
        board = {(r, c): None for r in range(n) for c in range(n) if puzzle[r][c] != "."}
        bulbs = {(r, c) for r in range(n) for c in range(n) if grid[r][c] == "L"}
        for bulb in sorted(bulbs):
            for other in _sight(n, board, bulb):
                if other in bulbs and other != bulb:
                    return Verdict.wrong(f"the bulbs at ({bulb[0] + 1}, {bulb[1] + 1}) and "
                                         f"({other[0] + 1}, {other[1] + 1}) light each other")
        for r in range(n):
            for c in range(n):
                if puzzle[r][c].isdigit():
                    around = sum(x in bulbs for x in neighbours(r, c, n, n))
                    if around != int(puzzle[r][c]):
                        return Verdict.wrong(f"the black {puzzle[r][c]} at ({r + 1}, {c + 1}) has {around} bulbs next to it")
        for cell in _white(n, board):
            if not bulbs & set(_sight(n, board, cell)):
                return Verdict.wrong(f"the white cell ({cell[0] + 1}, {cell[1] + 1}) is not lit")
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        return grid_forms(problem.answer, full_stops=False)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        # the solution is unique, so any other placement is wrong: one bulb removed, one
        # bulb added, one bulb moved to a random white cell
        grid = [line.split() for line in problem.answer.splitlines()]
        bulbs = [(r, c) for r, line in enumerate(grid) for c, t in enumerate(line) if t == "L"]
        empty = [(r, c) for r, line in enumerate(grid) for c, t in enumerate(line) if t == "."]
        wrong = []
        for remove, add in ((1, 0), (0, 1), (1, 1)):
            changed = [line[:] for line in grid]
            if remove and bulbs:
                r, c = bulbs[int(rng.integers(len(bulbs)))]
                changed[r][c] = "."
            if add and empty:
                r, c = empty[int(rng.integers(len(empty)))]
                changed[r][c] = "L"
            if changed != grid:
                wrong.append(format_grid(changed))
        return wrong

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        # no bulb at all, and a legal-looking placement that ignores the numbers
        return {"no bulbs": "\n".join(problem["puzzle"]),
                "bulbs greedily in reading order, numbers ignored": _reading_order_bulbs(problem["puzzle"])}

    def hardness(self, problem: dict) -> float:
        return float(sum(line.split().count(".") for line in problem["puzzle"]))

    def instance_space(self, spec: dict) -> float | None:
        # the black cells alone can be placed this many ways; bulbs and numbers multiply it
        n, black = (min(v) if isinstance(v, tuple) else v for v in (spec["n"], spec["black"]))
        return float(comb(n * n, round(black * n * n)))


def _var(n: int, cell: Cell) -> int:
    """The SAT variable of a white cell: true when it holds a bulb."""
    return cell[0] * n + cell[1] + 1


def _white(n: int, board: dict[Cell, int | None]) -> list[Cell]:
    return [(r, c) for r in range(n) for c in range(n) if (r, c) not in board]


def _sight(n: int, board: dict[Cell, int | None], cell: Cell) -> list[Cell]:
    """The white cells a bulb on ``cell`` lights: itself and its row and column runs."""
    seen = [cell]
    for dr, dc in ((0, 1), (0, -1), (1, 0), (-1, 0)):
        r, c = cell[0] + dr, cell[1] + dc
        while 0 <= r < n and 0 <= c < n and (r, c) not in board:
            seen.append((r, c))
            r, c = r + dr, c + dc
    return seen


def _reading_order_bulbs(rows: list[str]) -> str:
    """The answer that puts a bulb on every white cell still dark, in reading order."""
    puzzle = [line.split() for line in rows]
    n = len(puzzle)
    board = {(r, c): None for r in range(n) for c in range(n) if puzzle[r][c] != "."}
    lit: set[Cell] = set()
    for r, c in _white(n, board):
        if (r, c) not in lit:
            puzzle[r][c] = "L"
            lit |= set(_sight(n, board, (r, c)))
    return format_grid(puzzle)


def _greedy_bulbs(rng: np.random.Generator, n: int, black: set[Cell]) -> set[Cell]:
    """White cells in random order get a bulb while nothing lights them: a legal placement."""
    board = dict.fromkeys(black)
    bulbs: set[Cell] = set()
    lit: set[Cell] = set()
    for index in rng.permutation(n * n).tolist():
        cell = divmod(index, n)
        if cell not in black and cell not in lit:
            bulbs.add(cell)
            lit |= set(_sight(n, board, cell))
    return bulbs


def rules_cnf(n: int, board: dict[Cell, int | None]) -> tuple[list[Clause], dict[Cell, int]]:
    """The rules as clauses, bulb of white cell (r, c) = variable r·n + c + 1; each number's
    clauses hold only while its selector literal (returned per black cell) is assumed."""
    pool = IDPool(start_from=n * n + 1)
    clauses: list[Clause] = []
    for cell in _white(n, board):
        clauses.append([_var(n, x) for x in _sight(n, board, cell)])
        for dr, dc in ((0, 1), (1, 0)):  # each run once, from its first cell
            before = (cell[0] - dr, cell[1] - dc)
            if before in board or min(before) < 0:
                run, (r, c) = [], cell
                while r < n and c < n and (r, c) not in board:
                    run.append(_var(n, (r, c)))
                    r, c = r + dr, c + dc
                clauses += at_most_one(run, pool)
    selector = {}
    for cell, value in board.items():
        if value is None:
            continue
        selector[cell] = pool.id(("number", cell))
        around = [_var(n, x) for x in neighbours(*cell, n, n) if x not in board]
        clauses += [[-selector[cell], *clause] for clause in exactly_k(around, value, pool)]
    return clauses, selector


def _make_unique(rng: np.random.Generator, n: int, black: set[Cell], bulbs: set[Cell]) -> tuple[dict, float]:
    """Number every black cell, then turn white cells black until the numbers force the gold
    bulbs; returns the board (black cell → number) and the effort."""
    board: dict[Cell, int | None] = {cell: None for cell in black}
    effort = 0.0
    for rounds in range(ROUNDS * n * n):
        for cell in board:
            board[cell] = sum(x in bulbs for x in neighbours(*cell, n, n))
        clauses, selector = rules_cnf(n, board)
        gold = [_var(n, cell) * (1 if cell in bulbs else -1) for cell in _white(n, board)]
        other, spent = another_solution(clauses + [[s] for s in selector.values()], gold)
        effort += spent
        if other is None:
            return board, effort + rounds
        options = [cell for cell in _white(n, board) if _var(n, cell) in other and cell not in bulbs]
        for i in rng.permutation(len(options)).tolist():
            trial = {**board, options[i]: None}
            if all(bulbs & set(_sight(n, trial, cell)) for cell in _white(n, trial)):
                board = trial
                break
        else:
            raise Reject("no white cell can turn black without leaving a gold cell dark")
    raise Reject("the light up numbers could not be made unique")
