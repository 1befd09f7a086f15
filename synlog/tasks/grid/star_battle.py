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

1. a star placement drawn uniformly from every legal one (k non-touching columns per row,
   k per column, no two touching): the placements completing each partial board are counted
   once per board size (``_completions``), and each row's columns are drawn in proportion to
   them. Beyond ``UNIFORM_LIMIT`` the count is too slow and a randomised depth-first search
   stands in (those spaces are huge). The sizes allowed are those with many placements:
   k = 1 needs n ≥ 5 (14 placements), k = 2 needs n ≥ 9 (664; 8×8 has only 2);
2. regions grow at random from the stars (one star per seed) until the board is covered; for
   k = 2 neighbouring seed regions are then paired by a random perfect matching, so every
   region holds exactly k stars;
3. python-sat encodes the rules (exactly k per row, column and region; no two touching, king
   moves) plus a clause excluding the gold. Up to ``RESHAPES`` × n times, another placement
   is found and a cell it stars (the gold does not) moves to a neighbouring region: that
   placement breaks, the gold's counts stay, regions stay connected;
4. while another placement exists, a gold star it lacks is given; the givens are then
   trimmed to a minimal set (most boards keep a few: the region reshaping rarely isolates the
   gold alone).

``effort`` counts the rounds plus the solver's conflicts, decisions and propagations;
``hardness`` is the n²·k star-or-empty decisions (cells times stars per line) less the givens.
``verify`` checks every row, column and region count, every pair of touching cells, and the
given stars.
"""

from __future__ import annotations

from functools import cache
from itertools import combinations

import numpy as np
from pysat.formula import IDPool
from pysat.solvers import Solver

from synlog.errors import KnobError, Reject
from synlog.tasks.base import Problem, Task, register
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
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: region reshapes allowed per board side before the remaining ambiguity is pinned
RESHAPES = 4
#: search nodes allowed for one random star placement (depth-first, large boards only)
PLACEMENT_BUDGET = 20_000
#: largest board side per k whose placements are counted, so drawn uniformly
UNIFORM_LIMIT = {1: 14, 2: 10}
#: smallest board side per k with more than a handful of placements (8×8, k = 2 has two)
SMALLEST = {1: 5, 2: 9}


@register
class StarBattle(Task):
    """Place k stars per row, column and region with no two touching (unique solution)."""

    name, family, version = "star_battle", "grid", 2
    knobs = Knobs(
        n=Knob(int, levels=[6, 6, 7, 7, 8, 8, 9, 9, 10, 10], lo=5, hi=14, help="board side"),
        k=Knob(int, levels=[1, 1, 1, 1, 1, 1, 2, 2, 2, 2], choices=[1, 2], help="stars per row, column, region"),
        balanced=Knob(bool, levels=[True, False, True, False, True, False, True, False, True, False],
                      help="regions grow evenly (True) or irregularly (False)"),
    )

    def check_params(self, p: Params) -> None:
        if p.n < SMALLEST[p.k]:
            raise KnobError(f"{p.k} star{'s' if p.k > 1 else ''} per row need a board side of at least"
                            f" {SMALLEST[p.k]}: smaller boards admit only a handful of star placements,"
                            f" so the answer could be guessed; set n={SMALLEST[p.k]} or more")

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

    def context(self, problem: Problem, lang: str) -> dict:
        data = problem.data
        given = ", ".join(f"({r}, {c})" for r, c in data["given"])
        return {"n": len(data["regions"]), "k": data["k"], "board": show_regions(data["regions"]), "given": given}

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

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        # a legal placement for the board size that ignores the regions
        n, k = len(problem["regions"]), problem["k"]
        if n < SMALLEST[k] or n > UNIFORM_LIMIT[k]:
            return {}
        stars = set(_first_placement(n, k))
        return {"first legal placement, regions ignored":
                format_grid([[int((r, c) in stars) for c in range(n)] for r in range(n)])}

    def hardness(self, problem: dict) -> float:
        return float(len(problem["regions"]) ** 2 * problem["k"] - len(problem["given"]))


@cache
def _row_options(n: int, k: int) -> tuple[tuple[int, ...], ...]:
    """The column sets one row may star: k columns, no two side by side."""
    return tuple(combo for combo in combinations(range(n), k)
                 if all(b - a >= 2 for a, b in zip(combo, combo[1:], strict=False)))


def _next_rows(n: int, k: int, prev: tuple[int, ...], counts: tuple[int, ...]):
    """Each row that may follow ``prev`` (no star touching it, no column over k, every column
    still able to reach k) with the column counts after it."""
    rows_left = n - 1 - sum(counts) // k
    for combo in _row_options(n, k):
        if any(abs(c - d) <= 1 for c in combo for d in prev) or any(counts[c] >= k for c in combo):
            continue
        after = list(counts)
        for c in combo:
            after[c] += 1
        if all(k - x <= rows_left for x in after):
            yield combo, tuple(after)


@cache
def _completions(n: int, k: int, prev: tuple[int, ...], counts: tuple[int, ...]) -> int:
    """How many ways the rows below ``prev`` complete a placement from these column counts."""
    if sum(counts) == n * k:
        return 1
    return sum(_completions(n, k, combo, after) for combo, after in _next_rows(n, k, prev, counts))


def _random_placement(rng: np.random.Generator, n: int, k: int) -> list[tuple[int, int]]:
    """k non-touching stars per row and column, uniform over every such placement up to
    ``UNIFORM_LIMIT`` (each row drawn in proportion to its completions); larger boards use a
    randomised depth-first search."""
    if n > UNIFORM_LIMIT[k]:
        return _searched_placement(rng, n, k)
    prev, counts = (), (0,) * n
    stars = []
    for r in range(n):
        choices = list(_next_rows(n, k, prev, counts))
        weights = [_completions(n, k, combo, after) for combo, after in choices]
        if not sum(weights):
            raise Reject(f"no {n}×{n} placement with {k} stars per row")
        pick, index = int(rng.integers(sum(weights))), 0
        while pick >= weights[index]:
            pick -= weights[index]
            index += 1
        prev, counts = choices[index]
        stars += [(r, c) for c in prev]
    return stars


def _first_placement(n: int, k: int) -> list[tuple[int, int]]:
    """The lexicographically first legal placement (a shortcut the audit scores)."""
    prev, counts, stars = (), (0,) * n, []
    for r in range(n):
        combo, counts = next((combo, after) for combo, after in _next_rows(n, k, prev, counts)
                             if _completions(n, k, combo, after))
        stars += [(r, c) for c in combo]
        prev = combo
    return stars


def _searched_placement(rng: np.random.Generator, n: int, k: int) -> list[tuple[int, int]]:
    """k non-touching stars per row, k per column: depth-first over rows, random choices."""
    options = _row_options(n, k)
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

