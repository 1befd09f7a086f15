"""Arrow maze: fill every blank with an arrow so that each number counts its rays.

Rules: every blank gets one of eight arrows ``↑ ↗ → ↘ ↓ ↙ ← ↖``. From a number, look along
each of the eight directions: the *ray* in direction d is the unbroken run of arrows
pointing in d that starts right next to the number (it stops at the first cell that is not
a d-arrow: another arrow, a number, or the edge). Each number equals the total length of
its eight rays, and every arrow lies on some number's ray. A 3×3 example and its only
solution::

    . 5 .        ← 5 →       the 5: rays ←, →, ↙, ↓, ↘ of length 1 each;
    . . .   →    ↙ ↓ ↘       the 2: rays ← and → of length 1 (its ↑ ray stops at
    . 2 .        ← 2 →       the ↓ right above it, which points the other way)

How the puzzle is made, and why it has exactly one solution:

1. a ``numbers`` share of the cells become numbers; rays of random lengths are painted from
   them in random directions (never over a cell painted another way); each blank left
   uncovered joins the ray of the nearest number behind it in some direction whose cells
   in between are free or already point the same way, or else becomes a number itself;
   the numbers are then read off as their rays' total lengths;
2. a ``prefilled`` share of the arrows is shown; python-sat encodes the rules (one arrow
   per blank; "run of length ≥ j" variables per number and direction; each number's runs
   add up exactly; an arrow implies the run from the nearest number behind it reaches it)
   with a clause excluding the gold; while another filling exists, a gold arrow it gets
   wrong is shown too.

``effort`` counts those rounds plus the solver's conflicts, decisions and propagations;
:meth:`ArrowMaze.hardness` is the number of blanks.
``verify`` checks the rules: numbers and shown arrows kept, every blank an arrow, every
number's rays add up, every arrow on a ray.
"""

from __future__ import annotations

import numpy as np
from pysat.formula import IDPool

from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.boards import KING, pin_until_unique
from synlog.tasks.common.grids import GridParseError, format_grid, grid_forms, parse_grid
from synlog.tasks.common.satenc import exactly_k, exactly_one
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

ARROWS = {"↑": (-1, 0), "↗": (-1, 1), "→": (0, 1), "↘": (1, 1), "↓": (1, 0), "↙": (1, -1), "←": (0, -1), "↖": (-1, -1)}
STEPS = {step: arrow for arrow, step in ARROWS.items()}
BLANK = "."


@register
class ArrowMaze(Task):
    """Fill blanks with arrows so each number equals the total length of its arrow rays."""

    name, family, version = "arrow_maze", "grid", 1
    knobs = Knobs(
        size=Knob(int, levels=[4, 4, 5, 5, 6, 6, 7, 7, 8, 8], lo=3, hi=12, help="board side"),
        numbers=Knob(float, levels=[0.25, 0.2, 0.2, 0.2, 0.2, 0.18, 0.18, 0.16, 0.16, 0.15], lo=0.05, hi=0.6,
                     help="share of cells that start as numbers (a few more may be added)"),
        prefilled=Knob(float, levels=[0.3, 0.2, 0.2, 0.15, 0.1, 0.1, 0.05, 0.05, 0.0, 0.0], lo=0.0, hi=1.0,
                       help="share of the arrows shown (more are shown where needed for uniqueness)"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        size = p.size
        grid = _paint(rng, size, p.numbers)
        puzzle = [[x if x.isdigit() else BLANK for x in line] for line in grid]
        clauses, var = rules_cnf(puzzle)
        gold = [var[(r, c, ARROWS[x])] for r, line in enumerate(grid) for c, x in enumerate(line) if x in ARROWS]
        shown = rng.permutation(gold)[:round(p.prefilled * len(gold))].tolist()
        pins, effort = pin_until_unique(rng, clauses, gold, gold, pinned=shown)
        cell_of = {v: k for k, v in var.items()}
        for lit in pins:
            r, c, step = cell_of[lit]
            puzzle[r][c] = STEPS[step]
        return Problem({"grid": puzzle}, format_grid(grid), effort)

    def context(self, problem: Problem, lang: str) -> dict:
        grid = problem.data["grid"]
        return dict(size=len(grid), board=format_grid(grid),
                    shown=any(x in ARROWS for line in grid for x in line))

    def verify(self, problem: dict, answer: str) -> Verdict:
        puzzle = problem["grid"]
        rows, cols = len(puzzle), len(puzzle[0])
        try:
            grid = parse_grid(answer, rows=rows, cols=cols, cell=str, markdown=True)
        except GridParseError as error:
            return Verdict.unparseable(str(error))
        for r in range(rows):
            for c in range(cols):
                given, x = puzzle[r][c], grid[r][c]
                if given == BLANK and x not in ARROWS:
                    return Verdict.invalid(f"row {r + 1}, column {c + 1} must hold one of {' '.join(ARROWS)}")
                if given != BLANK and x != given:
                    return Verdict.wrong(f"the given {given} at row {r + 1}, column {c + 1} was changed")
        for r in range(rows):
            for c in range(cols):
                if grid[r][c].isdigit():
                    total = sum(_run(grid, r, c, step) for step in KING)
                    if total != int(grid[r][c]):
                        return Verdict.wrong(f"the {grid[r][c]} at ({r + 1}, {c + 1}) has rays of total length {total}")
                elif not _covered(grid, r, c):
                    return Verdict.wrong(f"the arrow at ({r + 1}, {c + 1}) lies on no number's ray")
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        grid = problem["grid"]
        return {f"every blank {arrow}": format_grid([[arrow if x == BLANK else x for x in line] for line in grid])
                for arrow in ARROWS}

    def hardness(self, problem: dict) -> float:
        return float(sum(line.count(BLANK) for line in problem["grid"]))  # blanks to fill

    def alternative_forms(self, problem: Problem) -> list[str]:
        return grid_forms(problem.answer, full_stops=False)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        grid = [line.split() for line in problem.answer.splitlines()]
        puzzle = problem.data["grid"]
        free = [(r, c) for r, line in enumerate(puzzle) for c, x in enumerate(line) if x == BLANK]
        wrong = []
        for _ in range(3):
            r, c = free[int(rng.integers(len(free)))]
            turned = [line[:] for line in grid]
            turned[r][c] = STEPS[tuple(-v for v in ARROWS[grid[r][c]])]  # reversed arrow
            wrong.append(turned)
        return [format_grid(g) for g in wrong]


def _ray(grid: list[list[str]], r: int, c: int, step: tuple[int, int]):
    """The cells from next to (r, c) in direction ``step`` up to the edge or a number."""
    a, b = r + step[0], c + step[1]
    while 0 <= a < len(grid) and 0 <= b < len(grid[0]) and not grid[a][b].isdigit():
        yield a, b
        a, b = a + step[0], b + step[1]


def _run(grid: list[list[str]], r: int, c: int, step: tuple[int, int]) -> int:
    """Length of the unbroken run of ``step`` arrows leaving the number at (r, c)."""
    arrow = STEPS[step]
    length = 0
    for a, b in _ray(grid, r, c, step):
        if grid[a][b] != arrow:
            break
        length += 1
    return length


def _covered(grid: list[list[str]], r: int, c: int) -> bool:
    """Whether walking back against the arrow at (r, c) over equal arrows reaches a number."""
    step = ARROWS[grid[r][c]]
    a, b = r - step[0], c - step[1]
    while 0 <= a < len(grid) and 0 <= b < len(grid[0]):
        if grid[a][b].isdigit():
            return True
        if grid[a][b] != grid[r][c]:
            return False
        a, b = a - step[0], b - step[1]
    return False


def _paint(rng: np.random.Generator, size: int, share: float) -> list[list[str]]:
    """A solved board: numbers (as digit strings) and arrows, every arrow on a ray."""
    grid = [[BLANK] * size for _ in range(size)]
    cells = [divmod(i, size) for i in rng.permutation(size * size).tolist()]
    for r, c in cells[:max(1, round(share * size * size))]:
        grid[r][c] = "0"
    for r, c in cells:
        if grid[r][c] != "0":
            continue
        for k in rng.permutation(8).tolist():
            step = KING[k]
            arrow = STEPS[step]
            for a, b in list(_ray(grid, r, c, step))[:int(rng.integers(4))]:
                if grid[a][b] not in (BLANK, arrow):
                    break
                grid[a][b] = arrow
    for r, c in cells:
        if grid[r][c] != BLANK:
            continue
        options = []
        for step in KING:
            arrow = STEPS[step]
            a, b = r - step[0], c - step[1]
            between = []
            while 0 <= a < size and 0 <= b < size and grid[a][b] in (BLANK, arrow):
                between.append((a, b))
                a, b = a - step[0], b - step[1]
            if 0 <= a < size and 0 <= b < size and grid[a][b].isdigit():
                options.append((arrow, between))
        if options:
            arrow, between = options[int(rng.integers(len(options)))]
            for a, b in [(r, c), *between]:
                grid[a][b] = arrow
        else:
            grid[r][c] = "0"
    for r in range(size):
        for c in range(size):
            if grid[r][c].isdigit():
                grid[r][c] = str(sum(_run(grid, r, c, step) for step in KING))
    return grid


def rules_cnf(puzzle: list[list[str]]) -> tuple[list[list[int]], dict]:
    """The rules over blanks; ``var[(r, c, step)]`` says the blank (r, c) points along ``step``."""
    size = len(puzzle)
    pool = IDPool()
    var = {(r, c, step): pool.id((r, c, step)) for r in range(size) for c in range(size)
           if not puzzle[r][c].isdigit() for step in KING}
    clauses = []
    for r in range(size):
        for c in range(size):
            if not puzzle[r][c].isdigit():
                clauses += exactly_one([var[(r, c, step)] for step in KING], pool)
    reach: dict[tuple, int] = {}  # (r, c, step) → "the run from the number behind reaches here"
    for r in range(size):
        for c in range(size):
            if not puzzle[r][c].isdigit():
                continue
            runs = []
            for step in KING:
                previous = None
                for a, b in _ray(puzzle, r, c, step):
                    here = var[(a, b, step)]
                    if previous is None:
                        run = here
                    else:
                        run = pool.id(("run", a, b, step))
                        clauses += [[-run, previous], [-run, here], [run, -previous, -here]]
                    reach[(a, b, step)] = run
                    runs.append(run)
                    previous = run
            clauses += exactly_k(runs, int(puzzle[r][c]), pool)
    for key, lit in var.items():
        clauses.append([-lit, reach[key]] if key in reach else [-lit])
    return clauses, var
