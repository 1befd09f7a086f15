"""Norinori: shade dominoes so that every region holds exactly two shaded cells.

Rules: every region (outlined block of cells) contains exactly two shaded cells; shaded
cells come in dominoes: each shaded cell has exactly one shaded orthogonal neighbour, so
shaded areas are 1×2 pieces that never share an edge (touching at a corner is allowed);
given cells are shaded. A 4×4 example (regions a..d) and its only solution (1 shaded)::

    a a b c        1 0 1 0
    a a b c   →    1 0 1 0
    d a a c        0 0 0 1
    d d d c        1 1 0 1

How the puzzle is made, and why it has exactly one solution:

1. dominoes are dropped at random places and orientations wherever they touch no other
   domino along an edge, until none fits; each domino seeds a region that grows by random
   free neighbours until the board is covered (so every region holds exactly one domino);
2. python-sat encodes the rules (exactly two shaded per region; a shaded cell has at least
   one and at most one shaded neighbour) plus a clause excluding the gold. Up to
   ``RESHAPES`` × size times, another shading is found and a cell it shades (the gold
   leaves it blank) moves to a neighbouring region, which breaks that shading and keeps the
   gold (regions stay connected);
3. while another shading exists, a gold shaded cell it leaves blank is given; the givens
   are then trimmed to a minimal set.

``effort`` counts those rounds plus the solver's conflicts, decisions and propagations;
:meth:`Norinori.hardness` is the number of cells to decide (those not given).
``verify`` checks every region, every shaded cell's neighbours and every given.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
from pysat.formula import IDPool
from pysat.solvers import Solver

from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.boards import (
    binary_perturbations,
    block_gold,
    grow_regions,
    move_to_neighbour_region,
    neighbours,
    pin_until_unique,
    read_board,
    region_cells,
    show_regions,
    solver_effort,
)
from synlog.tasks.common.grids import format_grid, grid_forms
from synlog.tasks.common.satenc import SOLVER, exactly_k
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: region reshapes allowed per board side before the remaining ambiguity is pinned
RESHAPES = 3


@register
class Norinori(Task):
    """Shade two cells per region as dominoes that never share an edge (unique solution)."""

    name, family, version = "norinori", "grid", 1
    knobs = Knobs(
        size=Knob(int, levels=[4, 5, 5, 6, 6, 7, 7, 8, 8, 9], lo=3, hi=16, help="board side"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        size = p.size
        shaded = [[0] * size for _ in range(size)]
        dominoes = []
        for start in rng.permutation(2 * size * size).tolist():
            (r, c), (dr, dc) = divmod(start // 2, size), ((0, 1), (1, 0))[start % 2]
            cells = [(r, c), (r + dr, c + dc)]
            if r + dr >= size or c + dc >= size:
                continue
            if any(shaded[a][b] for x in cells for a, b in [x, *neighbours(*x, size, size)]):
                continue
            for a, b in cells:
                shaded[a][b] = 1
            dominoes.append(cells)
        region = grow_regions(rng, size, size, dominoes)
        gold = [(r * size + c + 1) * (1 if shaded[r][c] else -1) for r in range(size) for c in range(size)]
        effort = _reshape_regions(rng, region, shaded, gold, RESHAPES * size)
        pins, spent = pin_until_unique(rng, rules_cnf(region), gold, [lit for lit in gold if lit > 0], trim=True)
        effort += spent
        given = sorted([r + 1, c + 1] for r, c in (divmod(lit - 1, size) for lit in pins))
        return Problem({"regions": region, "given": given}, format_grid(shaded), effort)

    def context(self, problem: Problem, lang: str) -> dict:
        data = problem.data
        given = ", ".join(f"({r}, {c})" for r, c in data["given"])
        return {"size": len(data["regions"]), "board": show_regions(data["regions"]), "given": given}

    def verify(self, problem: dict, answer: str) -> Verdict:
        region = problem["regions"]
        size = len(region)
        grid = read_board(answer, size, size, (0, 1), "1 (shaded) or 0 (unshaded)")
        if isinstance(grid, Verdict):
            return grid
        for r, c in problem["given"]:
            if not grid[r - 1][c - 1]:
                return Verdict.wrong(f"the given shaded cell ({r}, {c}) is unshaded")
        for cells in region_cells(region).values():
            if sum(grid[r][c] for r, c in cells) != 2:
                r, c = cells[0]
                return Verdict.wrong(f"the region containing ({r + 1}, {c + 1}) needs exactly two shaded cells")
        for r in range(size):
            for c in range(size):
                if grid[r][c] and sum(grid[a][b] for a, b in neighbours(r, c, size, size)) != 1:
                    return Verdict.wrong(f"the shaded cell ({r + 1}, {c + 1}) is not part of exactly one domino")
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        size = len(problem["regions"])
        grid = [[0] * size for _ in range(size)]
        for r, c in problem["given"]:
            grid[r - 1][c - 1] = 1
        return {"only the given cells shaded": format_grid(grid)}

    def hardness(self, problem: dict) -> float:
        return float(len(problem["regions"]) ** 2 - len(problem["given"]))  # cells to decide

    def alternative_forms(self, problem: Problem) -> list[str]:
        return grid_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        # one flipped cell, the transpose, every domino shifted one column
        return binary_perturbations(problem.answer, rng, 1, lambda grid: [np.roll(grid, 1, axis=1)])


def _reshape_regions(rng: np.random.Generator, region: list[list[int]], shaded: list[list[int]],
                     gold: list[int], rounds: int) -> float:
    """Up to ``rounds`` times, find another solution and reshape two regions to break it.

    One incremental solver: the domino rules stay, each region's "exactly two" clauses hang
    on an activation literal that is assumed while the region keeps its shape. Returns the
    solver effort.
    """
    size = len(region)
    pool = IDPool(start_from=size * size + 1)
    active: dict[int, int] = {}
    with Solver(name=SOLVER, bootstrap_with=domino_cnf(size)) as solver:

        def switch_on(rid: int, cells: list[tuple[int, int]]) -> None:
            active[rid] = on = pool.id(("on", rid, len(pool.obj2id)))
            for clause in exactly_k([r * size + c + 1 for r, c in cells], 2, pool):
                solver.add_clause([-on, *clause])

        for rid, cells in region_cells(region).items():
            switch_on(rid, cells)
        block_gold(solver, gold, assumptions=list(active.values()))
        for _ in range(rounds):
            if not solver.solve(assumptions=list(active.values())):
                break
            # a cell the other solution shades and the gold leaves blank changes region: the
            # gold's counts stay, the other solution's break
            truth = set(solver.get_model())
            movable = {(r, c) for r in range(size) for c in range(size)
                       if not shaded[r][c] and r * size + c + 1 in truth}
            moved = move_to_neighbour_region(rng, region, movable)
            if moved is None:
                break
            groups = region_cells(region)
            for rid in moved:
                switch_on(rid, groups[rid])
        return solver_effort(solver)


def rules_cnf(region: list[list[int]]) -> list[list[int]]:
    """Cell (r, c) is variable r·size + c + 1: two shaded per region, each shaded cell in one domino."""
    size = len(region)
    pool = IDPool(start_from=size * size + 1)
    clauses = domino_cnf(size)
    for cells in region_cells(region).values():
        clauses += exactly_k([r * size + c + 1 for r, c in cells], 2, pool)
    return clauses


def domino_cnf(size: int) -> list[list[int]]:
    """Each shaded cell has exactly one shaded orthogonal neighbour (cell (r, c) = r·size + c + 1)."""
    clauses = []
    for r in range(size):
        for c in range(size):
            me = r * size + c + 1
            around = [a * size + b + 1 for a, b in neighbours(r, c, size, size)]
            clauses.append([-me, *around])
            clauses += [[-me, -a, -b] for a, b in combinations(around, 2)]
    return clauses
