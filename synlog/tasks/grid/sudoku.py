"""Sudoku: fill an n×n grid so that every row, column and box holds 1..n exactly once.

``box`` sets the size (2 → 4×4 with 2×2 boxes, 3 → 9×9); ``holes`` the fraction of empty
cells. A 4×4 example (``.`` is empty) and its only solution::

    1 . | . .        1 2 | 3 4
    . 4 | . 2        3 4 | 1 2
    ----+----   →    2 1 | 4 3
    . . | 4 .        4 3 | 2 1
    4 . | . 1

Every puzzle has exactly one solution, proved while it is made:

1. a random full grid S: random permutations in the diagonal boxes (they share no row or
   column; only the first box for 4×4, whose diagonal can be uncompletable), completed by a
   depth-first search that tries the most constrained cell first, digits in random order;
2. cells are emptied in random order while S stays the only solution. Emptying cell c is
   safe exactly when no grid agrees with the remaining givens and puts another digit in c
   (such a grid would agree with all the old givens, which allowed only S). Two proofs:
   - *forced by the givens* (cheap, tried first): the givens among c's peers hold every
     other digit (naked single), or no other empty cell of one of c's units can take S[c]
     because a peer of it is given S[c] (hidden single);
   - *SAT* (python-sat), for the cells that test leaves undecided, in their random order:
     solve the rules with the givens and "c ≠ S[c]" as assumptions; unsatisfiable → empty
     c. One incremental solver decides many cells (assumptions only, so nothing is ever
     retracted); when only a few holes are still wanted, a smaller solver with the other
     givens substituted into the rules decides the next few cells;
3. stop at the target number of holes, or when no cell can be emptied (a minimal puzzle).

The cheap test alone reaches about 48 holes of 81 (11 of 16), so the easier levels are
puzzles where every empty cell is forced directly by the givens; the harder ones need the
solver and end up minimal. A puzzle that filling every row (or every column) with its
missing digits in increasing (or decreasing) order would solve is redrawn, so such a fill,
which reads one line at a time, never pays. ``effort`` counts the uniqueness checks made (each a
propagation-sized proof) plus the solver's conflicts and decisions. ``verify`` checks the
rules (givens kept, every row, column and box a permutation of 1..n); the answer is the
full grid in the shared grid convention (:mod:`synlog.tasks.common.grids`).
"""

from __future__ import annotations

from functools import cache
from itertools import combinations
from typing import NamedTuple

import numpy as np
from pysat.solvers import Solver

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.boards import changed_given
from synlog.tasks.common.grids import GridParseError, format_grid, grid_forms, parse_grid
from synlog.tasks.common.satenc import SOLVER
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: search nodes allowed for one random full grid before the candidate is rejected
GRID_NODE_BUDGET = 5_000
#: with at most FEW_HOLES holes still wanted, the next max(CHUNK, 2 × wanted) deferred cells
#: are decided by a small solver (all other givens substituted); else one solver takes them all
FEW_HOLES, CHUNK = 7, 8


@register
class Sudoku(Task):
    """Fill an n×n grid so each row, column and box holds 1..n exactly once (unique solution)."""

    name, family, version = "sudoku", "grid", 2
    knobs = Knobs(
        box=Knob(int, levels=[2, 2, 2, 3, 3, 3, 3, 3, 3, 3], choices=[2, 3],
                 help="box side: 2 → 4×4 grid, 3 → 9×9"),
        holes=Knob(float, levels=[0.5, 0.6, 0.7, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8],
                   lo=0.0, hi=1.0,
                   help="fraction of empty cells aimed at; fewer when the puzzle turns minimal"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        box = p.box
        n = box * box
        solution = _random_solution(rng, box)
        given, effort = _remove_cells(rng, solution, box, round(p.holes * n * n))
        puzzle = [[v if keep else 0 for v, keep in zip(solution[r:r + n], given[r:r + n], strict=True)]
                  for r in range(0, n * n, n)]
        answer = format_grid(solution[r:r + n] for r in range(0, n * n, n))
        if answer in self.degenerate_answers({"box": box, "puzzle": puzzle}).values():
            raise Reject("filling the lines in sorted order solves it")
        return Problem({"box": box, "puzzle": puzzle}, answer, effort)

    def context(self, problem: Problem, lang: str) -> dict:
        box = problem.data["box"]
        return {"box": box, "n": box * box, "puzzle_text": _show(problem.data["puzzle"], box)}

    def verify(self, problem: dict, answer: str) -> Verdict:
        box = problem["box"]
        n = box * box
        try:
            grid = parse_grid(answer, rows=n, cols=n)
        except GridParseError as error:
            return Verdict.unparseable(str(error))
        digits = set(range(1, n + 1))
        for r, row in enumerate(grid):
            if not digits.issuperset(row):
                return Verdict.invalid(f"row {r + 1} holds a number outside 1..{n}", row=r + 1)
        why = changed_given(problem["puzzle"], grid)
        if why:
            return Verdict.wrong(why)
        for r, row in enumerate(grid):
            if len(set(row)) != n:
                return Verdict.wrong(f"row {r + 1} repeats a digit", row=r + 1)
        for c, column in enumerate(zip(*grid, strict=True)):
            if len(set(column)) != n:
                return Verdict.wrong(f"column {c + 1} repeats a digit", column=c + 1)
        for top in range(0, n, box):
            for left in range(0, n, box):
                cells = {v for row in grid[top:top + box] for v in row[left:left + box]}
                if len(cells) != n:
                    return Verdict.wrong(f"the box at row {top + 1}, column {left + 1} repeats a digit")
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        puzzle = problem["puzzle"]
        columns = [list(column) for column in zip(*puzzle, strict=True)]
        out = {}
        for lines, name in ((puzzle, "row"), (columns, "column")):
            for descending in (False, True):
                filled = _sorted_fill(lines, descending)
                grid = filled if name == "row" else [list(r) for r in zip(*filled, strict=True)]
                order = "decreasing" if descending else "increasing"
                out[f"each {name}'s missing digits in {order} order"] = format_grid(grid)
        return out

    def hardness(self, problem: dict) -> float:
        return float(sum(v == 0 for row in problem["puzzle"] for v in row))

    def alternative_forms(self, problem: Problem) -> list[str]:
        return grid_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        box = problem.data["box"]
        n = box * box
        puzzle = np.array(problem.data["puzzle"])
        solution = np.array(parse_grid(problem.answer, rows=n, cols=n))
        wrong = []
        # swap two filled-in cells of one row: the row stays a permutation, a column breaks
        rows = [r for r in range(n) if np.count_nonzero(puzzle[r] == 0) >= 2]
        if rows:
            r = rows[rng.integers(len(rows))]
            a, b = rng.choice(np.flatnonzero(puzzle[r] == 0), 2, replace=False)
            swapped = solution.copy()
            swapped[r, [a, b]] = swapped[r, [b, a]]
            wrong.append(swapped)
        # a changed given, and a wrong digit in a filled-in cell
        for mask in (puzzle != 0, puzzle == 0):
            cells = np.flatnonzero(mask)
            if len(cells):
                r, c = divmod(int(cells[rng.integers(len(cells))]), n)
                changed = solution.copy()
                changed[r, c] = solution[r, c] % n + 1
                wrong.append(changed)
        return [format_grid(grid.tolist()) for grid in wrong]


class _Geometry(NamedTuple):
    """Cell index i = r·n + c; unit u < n is row u, then n columns, then n boxes."""

    n: int
    row: list[int]
    col: list[int]
    box: list[int]
    unit_cells: list[list[int]]  # the n cells of each of the 3n units
    unit_ids: list[tuple[int, int, int]]  # per cell: its row, column and box unit
    units: list[tuple[list[int], list[int], list[int]]]  # per cell: the cells of those units


def _sorted_fill(lines: list[list[int]], descending: bool) -> list[list[int]]:
    """Each line's empty cells (0) filled with its missing digits in sorted order: a fill that
    keeps every line a permutation and looks at nothing else."""
    n = len(lines[0])
    out = []
    for line in lines:
        missing = iter(sorted(set(range(1, n + 1)) - set(line), reverse=descending))
        out.append([v or next(missing) for v in line])
    return out


@cache
def _geometry(box: int) -> _Geometry:
    n = box * box
    cells = range(n * n)
    row = [i // n for i in cells]
    col = [i % n for i in cells]
    box_of = [row[i] // box * box + col[i] // box for i in cells]
    unit_ids = [(row[i], n + col[i], 2 * n + box_of[i]) for i in cells]
    unit_cells = [[i for i in cells if u in unit_ids[i]] for u in range(3 * n)]
    units = [tuple(unit_cells[u] for u in unit_ids[i]) for i in cells]
    return _Geometry(n, row, col, box_of, unit_cells, unit_ids, units)


def _random_solution(rng: np.random.Generator, box: int) -> list[int]:
    """A random full grid, row-major: random diagonal boxes, then most-constrained-first search."""
    g = _geometry(box)
    n = g.n
    full = (1 << n) - 1
    grid = [0] * (n * n)
    rows, cols, boxes = [0] * n, [0] * n, [0] * n  # digits placed, as bit masks
    digit_order = rng.random((n * n, n)).argsort(axis=1).tolist()

    def mark(cell: int, digit: int) -> None:
        """Put digit + 1 into an empty cell, or take it back out of a filled one."""
        grid[cell] = 0 if grid[cell] else digit + 1
        rows[g.row[cell]] ^= 1 << digit
        cols[g.col[cell]] ^= 1 << digit
        boxes[g.box[cell]] ^= 1 << digit

    for k in range(box if box > 2 else 1):
        for i, digit in enumerate(rng.permutation(n).tolist()):
            mark((k * box + i // box) * n + k * box + i % box, digit)
    empty = [i for i in range(n * n) if not grid[i]]
    nodes = 0

    def search() -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > GRID_NODE_BUDGET:
            raise Reject("full-grid search ran over budget")
        best, best_free, best_count = -1, 0, n + 1
        for cell in empty:
            if grid[cell]:
                continue
            free = full & ~(rows[g.row[cell]] | cols[g.col[cell]] | boxes[g.box[cell]])
            count = free.bit_count()
            if count < best_count:
                best, best_free, best_count = cell, free, count
                if count <= 1:
                    break
        if best < 0:
            return True
        for digit in digit_order[best]:
            if best_free >> digit & 1:
                mark(best, digit)
                if search():
                    return True
                mark(best, digit)
        return False

    if not search():
        raise Reject("the random diagonal boxes cannot be completed")
    return grid


def _remove_cells(rng: np.random.Generator, solution: list[int], box: int, target: int) -> tuple[list[bool], float]:
    """Empty up to ``target`` cells in random order, keeping ``solution`` the only one.

    Returns which cells stay given, and the effort: one per uniqueness check made plus the
    SAT solver's conflicts and decisions.
    """
    g = _geometry(box)
    n = g.n
    given = [True] * (n * n)
    rows, cols, boxes = [(1 << n) - 1] * n, [(1 << n) - 1] * n, [(1 << n) - 1] * n
    holes, checks, deferred = 0, 0, []
    for cell in rng.permutation(n * n).tolist():
        if holes >= target:
            break
        checks += 1
        bit = 1 << (solution[cell] - 1)
        r, c, b = g.row[cell], g.col[cell], g.box[cell]
        given[cell] = False
        rows[r] ^= bit
        cols[c] ^= bit
        boxes[b] ^= bit
        if (rows[r] | cols[c] | boxes[b]).bit_count() == n - 1 or any(
            all(given[e] or (rows[g.row[e]] | cols[g.col[e]] | boxes[g.box[e]]) & bit
                for e in unit if e != cell)
            for unit in g.units[cell]
        ):
            holes += 1  # naked or hidden single: the remaining givens force S[cell]
        else:
            given[cell] = True
            rows[r] ^= bit
            cols[c] ^= bit
            boxes[b] ^= bit
            deferred.append(cell)
    search, start = 0, 0
    while start < len(deferred) and holes < target:
        missing = target - holes
        # a few holes to go: a small solver for the next few cells with every other given
        # substituted in (cheap to load); many: one solver for all the rest
        size = max(CHUNK, 2 * missing) if missing <= FEW_HOLES else len(deferred)
        chunk = deferred[start:start + size]
        start += len(chunk)
        fixed = list(given)
        for cell in chunk:
            fixed[cell] = False
        clauses, var = _rules_cnf(g, solution, fixed) if any(fixed) else _empty_grid_cnf(box)
        literals = {cell: var[cell * n + solution[cell] - 1] for cell in chunk}  # "cell holds S[cell]"
        with Solver(name=SOLVER, bootstrap_with=clauses) as solver:
            for cell in chunk:
                if holes >= target:
                    break
                checks += 1
                given[cell] = False
                assumptions = [literals[other] for other in chunk if given[other]]
                assumptions.append(-literals[cell])
                if solver.solve(assumptions=assumptions):
                    given[cell] = True  # another digit fits here: two solutions
                else:
                    holes += 1
            stats = solver.accum_stats() or {}
        search += stats.get("conflicts", 0) + stats.get("decisions", 0)
    return given, float(checks + search)


@cache
def _empty_grid_cnf(box: int) -> tuple[list[list[int]], dict[int, int]]:
    """The rules of the empty grid (nothing substituted), built once per size."""
    cells = box**4
    return _rules_cnf(_geometry(box), [1] * cells, [False] * cells)


def _rules_cnf(g: _Geometry, solution: list[int], fixed: list[bool]) -> tuple[list[list[int]], dict[int, int]]:
    """The sudoku rules with the ``fixed`` cells' digits substituted in.

    Only the other cells' candidates (digits no fixed peer holds) get variables, numbered
    1, 2, ... (``var[cell·n + d]`` says cell holds digit d + 1). Each such cell takes exactly
    one candidate and each digit missing from a unit goes to exactly one of the unit's
    cells: a clause plus pairwise at-most-one clauses (small groups load and propagate fast).
    """
    n = g.n
    full = (1 << n) - 1
    fixed_digits = [0] * (3 * n)
    for cell, is_fixed in enumerate(fixed):
        if is_fixed:
            for u in g.unit_ids[cell]:
                fixed_digits[u] |= 1 << (solution[cell] - 1)
    candidates = [0 if is_fixed else full & ~(fixed_digits[a] | fixed_digits[b] | fixed_digits[c])
                  for is_fixed, (a, b, c) in zip(fixed, g.unit_ids, strict=True)]
    var: dict[int, int] = {}
    groups = []
    for cell, mask in enumerate(candidates):
        if mask:
            groups.append([var.setdefault(cell * n + d, len(var) + 1) for d in range(n) if mask >> d & 1])
    for u, cells in enumerate(g.unit_cells):
        for d in range(n):
            if not fixed_digits[u] >> d & 1:
                groups.append([var[cell * n + d] for cell in cells if candidates[cell] >> d & 1])
    return groups + [[-a, -b] for group in groups for a, b in combinations(group, 2)], var


def _show(puzzle: list[list[int]], box: int) -> str:
    """The puzzle for the prompt: ``.`` for empty cells, ``|`` and a rule line between boxes."""
    n = box * box
    lines = []
    for r, row in enumerate(puzzle):
        if r and r % box == 0:
            lines.append("-+-".join(["-" * (2 * box - 1)] * box))
        cells = [str(v) if v else "." for v in row]
        lines.append(" | ".join(" ".join(cells[i:i + box]) for i in range(0, n, box)))
    return "\n".join(lines)
