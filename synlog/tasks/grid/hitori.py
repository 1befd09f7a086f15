"""Hitori: shade cells of a number grid until no number repeats in any row or column.

Rules: shade some cells so that (1) no number appears twice among the unshaded cells of a
row or of a column; (2) no two shaded cells share an edge; (3) all unshaded cells form one
orthogonally connected group. A 4×4 example and its only solution (``#`` = shaded)::

    1 2 2 3        1 # 2 3
    4 3 1 4   →    4 3 1 #
    3 2 2 1        3 2 # 1
    3 1 3 4        # 1 3 4

How the puzzle is made, and why it has exactly one solution:

1. a shading: cells in random order are shaded when no neighbour is shaded and the unshaded
   cells stay connected. The result is maximal (no further cell can be shaded alone), and
   then no other solution can shade a superset of it: every other solution leaves some gold
   shaded cell unshaded;
2. numbers: a random Latin square, so the unshaded cells never repeat; each shaded cell then
   shows a number that an unshaded cell of its row and of its column holds (of its row or
   its column when none is shared), so rule 1 wants it shaded;
3. python-sat: a variable per cell (shaded), ``[-a, -b]`` per touching pair, ``[a, b]`` per
   pair of equal numbers in a line, a clause excluding the gold, and connectivity added
   lazily: while a model has an unshaded group K apart from an unshaded cell e, the clause
   "a cell of K is shaded, or a cell around K is unshaded, or e is shaded" is added (it
   holds in every solution). UNSAT proves the gold unique. Otherwise the other solution
   leaves some gold shaded cell x open: x gets the number of a cell in its row or column
   that the other solution leaves open (one that keeps every earlier other solution broken
   when there is one), which breaks that solution and leaves the gold intact; repeat.

``effort`` counts the solve calls and cuts plus the solver's conflicts, decisions and
propagations; ``hardness`` counts the cells whose number repeats in their row or column
(the cells in question). ``verify`` checks the three rules and the numbers on the answer.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
from pysat.solvers import Solver

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.boards import (
    connected_groups,
    is_connected,
    neighbours,
    random_latin_square,
    solver_effort,
    touching_pairs,
)
from synlog.tasks.common.grids import GridParseError, format_grid, grid_forms, parse_grid
from synlog.tasks.common.satenc import SOLVER, Clause
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

Cell = tuple[int, int]
#: other solutions broken per board cell before the board is given up
ROUNDS = 2


@register
class Hitori(Task):
    """Shade cells so no number repeats in a line, shaded cells never touch, the rest connect."""

    name, family, version = "hitori", "grid", 1
    knobs = Knobs(
        n=Knob(int, levels=[5, 5, 6, 6, 7, 7, 8, 8, 9, 10], lo=4, hi=12, help="grid side"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n = p.n
        shaded = _maximal_shading(rng, n)
        numbers = random_latin_square(rng, n)
        for r, c in sorted(shaded):
            row = {numbers[r][j] for j in range(n) if (r, j) not in shaded}
            column = {numbers[i][c] for i in range(n) if (i, c) not in shaded}
            options = sorted(row & column or row | column)
            numbers[r][c] = options[int(rng.integers(len(options)))]
        effort = _make_unique(rng, numbers, shaded)
        answer = [["#" if (r, c) in shaded else numbers[r][c] for c in range(n)] for r in range(n)]
        return Problem({"numbers": numbers}, format_grid(answer), effort)

    def context(self, problem: Problem, lang: str) -> dict:
        n = len(problem.data["numbers"])
        return dict(n=n, board=format_grid(problem.data["numbers"]))

    def verify(self, problem: dict, answer: str) -> Verdict:
        numbers = problem["numbers"]
        n = len(numbers)
        try:
            grid = parse_grid(answer, rows=n, cols=n, cell=str, markdown=True)
        except GridParseError as error:
            return Verdict.unparseable(str(error))
        for r in range(n):
            for c in range(n):
                if grid[r][c] not in ("#", str(numbers[r][c])):
                    return Verdict.invalid(f"cell ({r + 1}, {c + 1}) must be # or its number {numbers[r][c]}")
        shaded = {(r, c) for r in range(n) for c in range(n) if grid[r][c] == "#"}
        for a, b in touching_pairs(n, n):
            if a in shaded and b in shaded:
                return Verdict.wrong(f"the shaded cells ({a[0] + 1}, {a[1] + 1}) and ({b[0] + 1}, {b[1] + 1}) touch")
        for kind, cells in _lines(n):
            seen: dict[int, Cell] = {}
            for r, c in cells:
                if (r, c) not in shaded:
                    if numbers[r][c] in seen:
                        return Verdict.wrong(f"{kind} repeats the unshaded number {numbers[r][c]}")
                    seen[numbers[r][c]] = (r, c)
        if not is_connected([(r, c) for r in range(n) for c in range(n) if (r, c) not in shaded]):
            return Verdict.wrong("the unshaded cells are not all connected")
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        return grid_forms(problem.answer, full_stops=False)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        # the solution is unique, so any other shading is wrong: one shaded cell opened, one
        # open cell shaded, the whole shading shifted one column
        numbers = problem.data["numbers"]
        n = len(numbers)
        shaded = {(r, c) for r, line in enumerate(problem.answer.splitlines())
                  for c, token in enumerate(line.split()) if token == "#"}
        opened = sorted(shaded)
        closed = sorted({(r, c) for r in range(n) for c in range(n)} - shaded)
        variants = [shaded - {opened[int(rng.integers(len(opened)))]},
                    shaded | {closed[int(rng.integers(len(closed)))]},
                    {(r, (c + 1) % n) for r, c in shaded}]
        return [_write(numbers, v) for v in variants if v != shaded]

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        numbers = problem["numbers"]
        n = len(numbers)
        later = set()
        for _, cells in _lines(n):
            seen = set()
            for r, c in cells:
                if numbers[r][c] in seen:
                    later.add((r, c))
                seen.add(numbers[r][c])
        return {"nothing shaded": _write(numbers, set()),
                "every repeat after its first in a line shaded": _write(numbers, later)}

    def hardness(self, problem: dict) -> float:
        return float(len(_repeated(problem["numbers"])))

    def instance_space(self, spec: dict) -> float | None:
        # Latin squares alone number more than (n!)^2n / n^(n^2) (van Lint–Wilson); the
        # shading multiplies that, so this is a lower-end estimate
        values = spec["n"] if isinstance(spec["n"], tuple) else (spec["n"],)
        n = min(values)
        return float(np.exp(2 * n * np.sum(np.log(np.arange(1, n + 1))) - n * n * np.log(n)))


def _write(numbers: list[list[int]], shaded: set[Cell]) -> str:
    n = len(numbers)
    return format_grid([["#" if (r, c) in shaded else numbers[r][c] for c in range(n)] for r in range(n)])


def _lines(n: int) -> list[tuple[str, list[Cell]]]:
    """Every row and column, named as the verdicts name them, with its cells in order."""
    return ([(f"row {r + 1}", [(r, c) for c in range(n)]) for r in range(n)]
            + [(f"column {c + 1}", [(r, c) for r in range(n)]) for c in range(n)])


def _repeated(numbers: list[list[int]]) -> set[Cell]:
    """The cells whose number appears again in their row or column."""
    n = len(numbers)
    out = set()
    for _, cells in _lines(n):
        for a, b in combinations(cells, 2):
            if numbers[a[0]][a[1]] == numbers[b[0]][b[1]]:
                out |= {a, b}
    return out


def _maximal_shading(rng: np.random.Generator, n: int) -> set[Cell]:
    """Cells in random order shaded when no neighbour is shaded and the rest stay connected."""
    shaded: set[Cell] = set()
    for index in rng.permutation(n * n).tolist():
        cell = divmod(index, n)
        if any(x in shaded for x in neighbours(*cell, n, n)):
            continue
        rest = [(r, c) for r in range(n) for c in range(n) if (r, c) not in shaded and (r, c) != cell]
        if is_connected(rest):
            shaded.add(cell)
    return shaded


def _var(n: int, cell: Cell) -> int:
    """The SAT variable of a cell: true when it is shaded."""
    return cell[0] * n + cell[1] + 1


def rules_cnf(numbers: list[list[int]]) -> list[Clause]:
    """Rules 1 and 2 as clauses (rule 3, connectivity, is added lazily by :func:`solve_connected`)."""
    n = len(numbers)
    clauses = [[-_var(n, a), -_var(n, b)] for a, b in touching_pairs(n, n)]
    for _, cells in _lines(n):
        clauses += [[_var(n, a), _var(n, b)] for a, b in combinations(cells, 2)
                    if numbers[a[0]][a[1]] == numbers[b[0]][b[1]]]
    return clauses


def connectivity_cuts(n: int, shaded: set[Cell]) -> list[Clause]:
    """Clauses the shading breaks when its unshaded cells fall apart (empty when connected)."""
    open_cells = [(r, c) for r in range(n) for c in range(n) if (r, c) not in shaded]
    groups = [set(group) for group in connected_groups(n, open_cells)]
    if len(groups) < 2:
        return []
    cuts = []
    for k, group in enumerate(groups):
        other = next(iter(groups[(k + 1) % len(groups)]))
        rim = {x for cell in group for x in neighbours(*cell, n, n)} - group
        cuts.append([_var(n, x) for x in sorted(group)] + [-_var(n, x) for x in sorted(rim)] + [_var(n, other)])
    return cuts


def solve_connected(solver: Solver, n: int, cuts: list[Clause]) -> tuple[set[Cell] | None, int]:
    """A shading obeying all three rules (or None), adding the cuts it needs to ``solver`` and
    to ``cuts``; also the solve calls and cuts made."""
    work = 0
    while solver.solve():
        truth = set(solver.get_model())
        shaded = {divmod(v - 1, n) for v in range(1, n * n + 1) if v in truth}
        new = connectivity_cuts(n, shaded)
        work += 1 + len(new)
        if not new:
            return shaded, work
        for cut in new:
            solver.add_clause(cut)
        cuts += new
    return None, work + 1


def _broken(numbers: list[list[int]], shaded: set[Cell]) -> bool:
    """Whether two unshaded cells of a line hold the same number."""
    n = len(numbers)
    for _, cells in _lines(n):
        open_numbers = [numbers[r][c] for r, c in cells if (r, c) not in shaded]
        if len(set(open_numbers)) < len(open_numbers):
            return True
    return False


def _make_unique(rng: np.random.Generator, numbers: list[list[int]], shaded: set[Cell]) -> float:
    """Change the numbers of gold shaded cells until no other shading obeys the rules;
    returns the effort. Raises Reject when ``ROUNDS`` × n² other solutions were not enough."""
    n = len(numbers)
    gold = [_var(n, (r, c)) * (1 if (r, c) in shaded else -1) for r in range(n) for c in range(n)]
    cuts: list[Clause] = []
    others: list[set[Cell]] = []
    work = effort = 0.0
    for _ in range(ROUNDS * n * n):
        with Solver(name=SOLVER, bootstrap_with=rules_cnf(numbers) + cuts) as solver:
            solver.add_clause([-lit for lit in gold])
            other, spent = solve_connected(solver, n, cuts)
            work += spent
            effort += solver_effort(solver)
        if other is None:
            return work + effort
        others.append(other)
        opened = sorted(shaded - other)
        if not opened:
            raise Reject("another solution shades every gold cell")  # impossible: the shading is maximal
        r, c = opened[int(rng.integers(len(opened)))]
        line = [(r, j) for j in range(n) if j != c] + [(i, c) for i in range(n) if i != r]
        options = sorted({numbers[a][b] for a, b in line if (a, b) not in other})
        keeping = []
        for value in options:
            numbers[r][c] = value
            if all(_broken(numbers, s) for s in others):
                keeping.append(value)
        pool = keeping or options
        numbers[r][c] = pool[int(rng.integers(len(pool)))]
    raise Reject("the hitori numbers could not be made unique")
