"""Star Battle: place k stars in every row, every column and every region; stars never touch.

Rules: the n×n board is divided into n regions; put stars on cells so that every row, every
column and every region holds exactly k stars, and no two stars touch, not even at a corner;
given stars (if any) must be stars. A 5×5, k = 1 example (regions a..e) and its only
solution (1 star)::

    c c a a a        0 0 0 0 1
    c c b a a        0 0 1 0 0
    c c d d d   →    1 0 0 0 0
    c e e d d        0 0 0 1 0
    e e e e d        0 1 0 0 0

How the puzzle is made, and why it has exactly one solution:

1. a random star placement (row by row, random choice of k non-touching columns, depth-first
   with column counts ≤ k);
2. regions grow at random from the stars (one star per seed) until the board is covered; for
   k = 2 neighbouring seed regions are then paired by a random perfect matching, so every
   region holds exactly k stars;
3. python-sat encodes the rules (exactly k per row, column and region; no two touching, king
   moves) plus a clause excluding the gold. Up to ``RESHAPES`` × n times, another placement
   is found and a cell it stars (the gold does not) moves to a neighbouring region: that
   placement breaks, the gold's counts stay, regions stay connected;
4. while another placement exists, a gold star it lacks is given; the givens are then
   trimmed to a minimal set (usually none are needed).

``effort`` counts the rounds plus the solver's conflicts, decisions and propagations.
``verify`` checks every row, column and region count, every pair of touching cells, and the
given stars.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
from pysat.formula import IDPool
from pysat.solvers import Solver

from synlog.errors import KnobError, Reject
from synlog.synth.knobs import Knob, Knobs, Params
from synlog.tasks.base import Problem, Task, register, render
from synlog.tasks.common.boards import (
    binary_perturbations,
    block_gold,
    grow_regions,
    move_to_neighbour_region,
    no_two_touching,
    pin_until_unique,
    read_board,
    region_cells,
    show_regions,
    solver_effort,
    touching_pairs,
)
from synlog.tasks.common.grids import format_grid, grid_forms
from synlog.tasks.common.satenc import SOLVER, Clause, exactly_k
from synlog.verifiers.verdict import Verdict

#: region reshapes allowed per board side before the remaining ambiguity is pinned
RESHAPES = 4
#: search nodes allowed for one random star placement
PLACEMENT_BUDGET = 20_000


@register
class StarBattle(Task):
    """Place k stars per row, column and region with no two touching (unique solution)."""

    name, family, version = "star_battle", "logic", 1
    knobs = Knobs(
        n=Knob(int, levels=[5, 5, 6, 6, 7, 8, 8, 9, 10, 10], lo=4, hi=14, help="board side"),
        k=Knob(int, levels=[1, 1, 1, 1, 1, 1, 2, 2, 2, 2], choices=[1, 2], help="stars per row, column, region"),
        balanced=Knob(bool, levels=[True, True, True, False, True, False, True, False, True, False],
                      help="regions grow evenly (True) or irregularly (False)"),
    )

    def check_params(self, p: Params) -> None:
        if p.k == 2 and p.n < 6 or p.k == 1 and p.n < 4:
            raise KnobError(f"{p.k} stars per row need a board side of at least {4 if p.k == 1 else 6}")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n, k = p.n, p.k
        stars = _random_placement(rng, n, k)
        sizes = [n * n // len(stars)] * len(stars) if p.balanced else None
        seeded = grow_regions(rng, n, n, [[s] for s in stars], sizes)
        region = seeded if k == 1 else _pair_regions(rng, seeded, len(stars))
        gold = [(r * n + c + 1) * (1 if (r, c) in stars else -1) for r in range(n) for c in range(n)]
        effort = _reshape_regions(rng, region, set(stars), gold, k, RESHAPES * n)
        pins, spent = pin_until_unique(rng, rules_cnf(region, k), gold, [lit for lit in gold if lit > 0], trim=True)
        given = sorted([(lit - 1) // n + 1, (lit - 1) % n + 1] for lit in pins)
        board = [[int((r, c) in stars) for c in range(n)] for r in range(n)]
        return Problem({"k": k, "regions": region, "given": given}, format_grid(board), effort + spent)

    def prompt(self, problem: Problem) -> str:
        data = problem.data
        given = ", ".join(f"({r}, {c})" for r, c in data["given"])
        return render("star_battle.j2", n=len(data["regions"]), k=data["k"],
                      board=show_regions(data["regions"]), given=given)

    def verify(self, problem: dict, answer: str) -> Verdict:
        region, k = problem["regions"], problem["k"]
        n = len(region)
        grid = read_board(answer, n, n, (0, 1), "1 (star) or 0 (empty)")
        if isinstance(grid, Verdict):
            return grid
        for r, c in problem["given"]:
            if not grid[r - 1][c - 1]:
                return Verdict.wrong(f"the given star at ({r}, {c}) is missing")
        for i in range(n):
            if sum(grid[i]) != k:
                return Verdict.wrong(f"row {i + 1} holds {sum(grid[i])} stars, not {k}", row=i + 1)
        for i in range(n):
            if sum(line[i] for line in grid) != k:
                return Verdict.wrong(f"column {i + 1} holds {sum(line[i] for line in grid)} stars, not {k}", column=i + 1)
        for (r1, c1), (r2, c2) in touching_pairs(n, n, diagonal=True):
            if grid[r1][c1] and grid[r2][c2]:
                return Verdict.wrong(f"the stars at ({r1 + 1}, {c1 + 1}) and ({r2 + 1}, {c2 + 1}) touch")
        for cells in region_cells(region).values():
            if sum(grid[r][c] for r, c in cells) != k:
                r, c = cells[0]
                return Verdict.wrong(f"the region containing ({r + 1}, {c + 1}) needs exactly {k} star{'s' if k > 1 else ''}")
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        return grid_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        # one flipped cell, the transpose, every star shifted one column
        return binary_perturbations(problem.answer, rng, 2, lambda grid: [np.roll(grid, 1, axis=1)])


def _random_placement(rng: np.random.Generator, n: int, k: int) -> list[tuple[int, int]]:
    """k non-touching stars per row, k per column: depth-first over rows, random choices."""
    options = [combo for combo in combinations(range(n), k) if all(b - a >= 2 for a, b in zip(combo, combo[1:], strict=False))]
    counts = [0] * n
    chosen: list[tuple[int, ...]] = []
    nodes = 0

    def search() -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > PLACEMENT_BUDGET:
            raise Reject("star placement search ran over budget")
        row = len(chosen)
        if row == n:
            return True
        rows_left = n - row - 1
        for i in rng.permutation(len(options)).tolist():
            combo = options[i]
            if any(counts[c] >= k for c in combo):
                continue
            if chosen and any(abs(c - d) <= 1 for c in combo for d in chosen[-1]):
                continue
            for c in combo:
                counts[c] += 1
            if all(k - counts[c] <= rows_left for c in range(n)) or row == n - 1:
                chosen.append(combo)
                if search():
                    return True
                chosen.pop()
            for c in combo:
                counts[c] -= 1
        return False

    if not search():
        raise Reject("no star placement found")
    return [(r, c) for r, combo in enumerate(chosen) for c in combo]


def _pair_regions(rng: np.random.Generator, region: list[list[int]], count: int) -> list[list[int]]:
    """Merge the ``count`` regions into neighbouring pairs (a random perfect matching); the new
    ids are 0..count/2 − 1. Raises Reject when the regions admit no perfect matching."""
    n = len(region)
    adjacent: dict[int, set[int]] = {i: set() for i in range(count)}
    for (r1, c1), (r2, c2) in touching_pairs(n, n):
        a, b = region[r1][c1], region[r2][c2]
        if a != b:
            adjacent[a].add(b)
            adjacent[b].add(a)
    partner: dict[int, int] = {}
    nodes = 0

    def search() -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > PLACEMENT_BUDGET:
            return False
        free = [i for i in range(count) if i not in partner]
        if not free:
            return True
        first = min(free, key=lambda i: len(adjacent[i] - partner.keys()))
        others = sorted(adjacent[first] - partner.keys())
        for j in rng.permutation(others).tolist() if others else []:
            partner[first], partner[j] = j, first
            if search():
                return True
            del partner[first], partner[j]
        return False

    if not search():
        raise Reject("the seed regions cannot be paired")
    new_id: dict[int, int] = {}
    for i in range(count):
        new_id.setdefault(min(i, partner[i]), len(new_id))
    return [[new_id[min(rid, partner[rid])] for rid in line] for line in region]


def _reshape_regions(rng: np.random.Generator, region: list[list[int]], stars: set[tuple[int, int]],
                     gold: list[int], k: int, rounds: int) -> float:
    """Up to ``rounds`` times, find another placement and move a cell it stars (the gold does
    not) into a neighbouring region. Returns the rounds plus the solver effort."""
    n = len(region)
    effort = 0.0
    for spent in range(rounds):
        with Solver(name=SOLVER, bootstrap_with=rules_cnf(region, k)) as solver:
            block_gold(solver, gold)
            found = solver.solve()
            effort += solver_effort(solver)
            if not found:
                return effort + spent
            other = {divmod(lit - 1, n) for lit in solver.get_model()[:n * n] if lit > 0}
        if move_to_neighbour_region(rng, region, other - stars) is None:
            break
    return effort + rounds


def rules_cnf(region: list[list[int]], k: int) -> list[Clause]:
    """Cell (r, c) is variable r·n + c + 1: k stars per row, column and region, none touching."""
    n = len(region)
    var = {(r, c): r * n + c + 1 for r in range(n) for c in range(n)}
    pool = IDPool(start_from=n * n + 1)
    clauses = no_two_touching(var, diagonal=True)
    for i in range(n):
        clauses += exactly_k([var[i, c] for c in range(n)], k, pool)
        clauses += exactly_k([var[r, i] for r in range(n)], k, pool)
    for cells in region_cells(region).values():
        clauses += exactly_k([var[cell] for cell in cells], k, pool)
    return clauses

