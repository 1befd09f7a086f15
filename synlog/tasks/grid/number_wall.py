"""Number wall (Nurikabe): wall off the grid into islands, each holding one number = its size.

The exact rule set (stated in the prompt too):

1. every cell is either wall (``#``) or island (``.``); numbered cells are island;
2. an island is a maximal group of island cells joined orthogonally; every island contains
   exactly one numbered cell, and its number equals the island's cell count;
3. all wall cells form one orthogonally connected group;
4. no 2×2 square is entirely wall;
5. given wall cells (``#`` in the puzzle, only when the numbers alone are ambiguous) are wall.

A 4×4 example and its only solution::

    . . . .        # # # #
    . 2 . .   →    # 2 . #
    . . . .        . # # #
    2 . 2 .        2 # 2 .

How the puzzle is made, and why it has exactly one solution:

1. a random solution: starting from an all-wall board, random wall cells (those inside a
   2×2 wall block first) turn into island cells when the walls stay connected and the island
   they join (or merge) stays within ``max_island`` cells, until no 2×2 wall block is left
   and ``islands`` × n² cells are island; each island shows its size in a random cell;
2. uniqueness is proved by python-sat with lazy connectivity cuts. Variables: ``wall(c)``
   and ``in(c, i)`` (cell c belongs to island i, only for cells within reach of number i).
   Clauses: a cell is wall or in exactly one island, a numbered cell is in its island, an
   island cell's non-wall neighbour is in the same island, island i has exactly its number
   of cells, no 2×2 wall block, given walls. Connectivity is added lazily: while a model
   has a wall group C apart from another wall cell e, the clause "some cell of C is not
   wall, or some neighbour of C is wall, or e is not wall" is added; while a model has a
   group K of island i cells without i's number, "some cell of K is not in i, or some
   neighbour of K is not wall". Both clauses hold in every solution, so the loop ends with
   a model that obeys all five rules, or UNSAT. With a clause excluding the gold walls,
   UNSAT proves the gold unique; otherwise a gold wall that the other solution leaves
   open is given, and the loop repeats; the givens are then trimmed to a minimal set.

``effort`` counts the solve calls and cuts plus the solver's conflicts, decisions and
propagations; ``hardness`` counts the cells to decide (neither numbered nor a given wall). ``verify`` checks the five rules directly on the answer.
"""

from __future__ import annotations

import numpy as np
from pysat.formula import IDPool
from pysat.solvers import Solver

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.boards import connected_groups, is_connected, neighbours, solver_effort
from synlog.tasks.common.grids import GridParseError, format_grid, grid_forms, parse_grid
from synlog.tasks.common.satenc import SOLVER, Clause, exactly_k
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

Cell = tuple[int, int]
#: random cell trials per board cell when growing the islands
TRIALS = 30


@register
class NumberWall(Task):
    """Nurikabe: walls split the grid into islands sized by their one number (unique)."""

    name, family, version = "number_wall", "grid", 2
    knobs = Knobs(
        # 4×4 boards repeat (about a thousand of them), so the ladder starts at 5×5
        n=Knob(int, levels=[5, 5, 6, 6, 7, 7, 8, 8, 9, 9], lo=3, hi=12, help="grid side"),
        max_island=Knob(int, levels=[3, 4, 4, 5, 4, 6, 5, 6, 5, 6], lo=1, hi=20, help="largest island"),
        islands=Knob(float, levels=[0.4, 0.4, 0.45, 0.45, 0.45, 0.5, 0.5, 0.5, 0.5, 0.5], lo=0.1, hi=0.7,
                     help="share of island cells aimed at"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n = p.n
        label = _random_solution(rng, n, p.max_island, p.islands)
        groups: dict[int, list[Cell]] = {}
        for r in range(n):
            for c in range(n):
                if label[r][c] >= 0:
                    groups.setdefault(label[r][c], []).append((r, c))
        clues = []
        for cells in groups.values():
            r, c = cells[int(rng.integers(len(cells)))]
            clues.append([r + 1, c + 1, len(cells)])
        clues.sort()
        walls = [(r, c) for r in range(n) for c in range(n) if label[r][c] < 0]
        given, effort = _make_unique(rng, n, clues, walls)
        puzzle = [["."] * n for _ in range(n)]
        for r, c, size in clues:
            puzzle[r - 1][c - 1] = str(size)
        for r, c in given:
            puzzle[r][c] = "#"
        answer = [["#" if label[r][c] < 0 else puzzle[r][c] for c in range(n)] for r in range(n)]
        return Problem({"n": n, "clues": clues, "walls": sorted([r + 1, c + 1] for r, c in given)},
                       format_grid(answer), effort)

    def context(self, problem: Problem, lang: str) -> dict:
        d = problem.data
        return {"n": d["n"], "board": format_grid(_puzzle(d)), "walls": bool(d["walls"])}

    def verify(self, problem: dict, answer: str) -> Verdict:
        n = problem["n"]
        try:
            grid = parse_grid(answer, rows=n, cols=n, cell=str, markdown=True)
        except GridParseError as error:
            return Verdict.unparseable(str(error))
        number = {(r - 1, c - 1): size for r, c, size in problem["clues"]}
        for r in range(n):
            for c in range(n):
                token = grid[r][c]
                if token not in ("#", ".") and not ((r, c) in number and token == str(number[r, c])):
                    return Verdict.invalid(f"cell ({r + 1}, {c + 1}) must be # or . (or its number)")
        wall = [[token == "#" for token in row] for row in grid]
        for r, c in number:
            if wall[r][c]:
                return Verdict.wrong(f"the numbered cell ({r + 1}, {c + 1}) is walled")
        for r, c in problem["walls"]:
            if not wall[r - 1][c - 1]:
                return Verdict.wrong(f"the given wall ({r}, {c}) is open")
        for r in range(n - 1):
            for c in range(n - 1):
                if wall[r][c] and wall[r + 1][c] and wall[r][c + 1] and wall[r + 1][c + 1]:
                    return Verdict.wrong(f"the 2×2 square at ({r + 1}, {c + 1}) is all wall")
        for island in connected_groups(n, [(r, c) for r in range(n) for c in range(n) if not wall[r][c]]):
            inside = [cell for cell in island if cell in number]
            r, c = island[0]
            if len(inside) != 1:
                return Verdict.wrong(f"the island at ({r + 1}, {c + 1}) holds {len(inside)} numbers, not 1")
            if number[inside[0]] != len(island):
                r, c = inside[0]
                return Verdict.wrong(f"the island of ({r + 1}, {c + 1}) has {len(island)} cells, not {number[r, c]}")
        walls = [(r, c) for r in range(n) for c in range(n) if wall[r][c]]
        if not is_connected(walls):
            return Verdict.wrong("the walls are not all connected")
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        return grid_forms(problem.answer, full_stops=False)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        # the solution is unique, so flipping any open cell or wall breaks a rule
        n = problem.data["n"]
        grid = parse_grid(problem.answer, rows=n, cols=n, cell=str)
        open_cells = [(r, c) for r in range(n) for c in range(n) if grid[r][c] == "."]
        wall_cells = [(r, c) for r in range(n) for c in range(n) if grid[r][c] == "#"]
        wrong = []
        for cells, token in ((open_cells, "#"), (wall_cells, ".")):
            if cells:
                r, c = cells[int(rng.integers(len(cells)))]
                changed = [row[:] for row in grid]
                changed[r][c] = token
                wrong.append(format_grid(changed))
        wrong.append(format_grid([["." if t == "#" else "#" if t == "." else t for t in row] for row in grid]))
        return wrong

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        # the numbers kept, every other cell wall (or every other cell island)
        puzzle = _puzzle(problem)
        return {f"every undecided cell {token}": format_grid([[token if t == "." else t for t in row] for row in puzzle])
                for token in ("#", ".")}

    def hardness(self, problem: dict) -> float:
        return float(problem["n"] ** 2 - len(problem["clues"]) - len(problem["walls"]))


def _puzzle(data: dict) -> list[list[str]]:
    n = data["n"]
    puzzle = [["."] * n for _ in range(n)]
    for r, c, size in data["clues"]:
        puzzle[r - 1][c - 1] = str(size)
    for r, c in data["walls"]:
        puzzle[r - 1][c - 1] = "#"
    return puzzle


def _random_solution(rng: np.random.Generator, n: int, max_island: int, share: float) -> list[list[int]]:
    """Island labels (−1 = wall) obeying rules 1–4; islands grow by turning walls open."""
    label = [[-1] * n for _ in range(n)]
    sizes: dict[int, int] = {}
    next_id = 0
    open_cells = 0
    spare = 4 * n * n
    for _ in range(TRIALS * n * n):
        blocks = [(r + dr, c + dc) for r in range(n - 1) for c in range(n - 1)
                  if all(label[r + a][c + b] < 0 for a in (0, 1) for b in (0, 1))
                  for dr in (0, 1) for dc in (0, 1)]
        if not blocks and open_cells >= share * n * n:
            return label
        pool = blocks or [(r, c) for r in range(n) for c in range(n) if label[r][c] < 0]
        r, c = pool[int(rng.integers(len(pool)))]
        joined = {label[a][b] for a, b in neighbours(r, c, n, n) if label[a][b] >= 0}
        walls = [(a, b) for a in range(n) for b in range(n) if label[a][b] < 0 and (a, b) != (r, c)]
        if 1 + sum(sizes[i] for i in joined) > max_island or not walls or not is_connected(walls):
            if not blocks:
                spare -= 1
                if spare <= 0:
                    return label
            continue
        target = min(joined) if joined else next_id
        next_id += not joined
        for a in range(n):
            for b in range(n):
                if label[a][b] in joined:
                    label[a][b] = target
        label[r][c] = target
        sizes[target] = 1 + sum(sizes.pop(i) for i in joined)
        open_cells += 1
    if not any(all(label[r + a][c + b] < 0 for a in (0, 1) for b in (0, 1))
               for r in range(n - 1) for c in range(n - 1)):
        return label
    raise Reject("the islands could not break every 2×2 wall block")


def rules(n: int, clues: list[list[int]]) -> tuple[list[Clause], dict[Cell, int], dict[tuple[Cell, int], int]]:
    """The local rules (1, 2 without connectivity, 4) as clauses; ``wall[c]``, ``inside[c, i]``."""
    pool = IDPool()
    cells = [(r, c) for r in range(n) for c in range(n)]
    wall = {cell: pool.id(("wall", cell)) for cell in cells}
    inside: dict[tuple[Cell, int], int] = {}
    for i, (r, c, size) in enumerate(clues):
        for a, b in cells:
            if abs(a - r + 1) + abs(b - c + 1) < size:
                inside[(a, b), i] = pool.id(("in", a, b, i))
    clauses: list[Clause] = []
    for cell in cells:
        options = [wall[cell]] + [inside[cell, i] for i in range(len(clues)) if (cell, i) in inside]
        clauses.append(options)
        clauses += [[-x, -y] for k, x in enumerate(options) for y in options[k + 1:]]
    for i, (r, c, size) in enumerate(clues):
        clauses.append([inside[(r - 1, c - 1), i]])
        members = [lit for (cell, j), lit in inside.items() if j == i]
        clauses += exactly_k(members, size, pool)
        for (cell, j), lit in inside.items():
            if j != i:
                continue
            for other in neighbours(*cell, n, n):
                clauses.append([-lit, wall[other]] + ([inside[other, i]] if (other, i) in inside else []))
    for r in range(n - 1):
        for c in range(n - 1):
            clauses.append([-wall[r + a, c + b] for a in (0, 1) for b in (0, 1)])
    return clauses, wall, inside


def _violation(n: int, clues: list[list[int]], wall: dict, inside: dict, truth: set[int]) -> list[Clause]:
    """Connectivity cuts that the model ``truth`` violates (empty when it obeys every rule)."""
    walls = [cell for cell, lit in wall.items() if lit in truth]
    cuts = []
    groups = connected_groups(n, walls)
    if len(groups) > 1:
        for k, group in enumerate(groups):
            other = groups[(k + 1) % len(groups)][0]
            rim = {x for cell in group for x in neighbours(*cell, n, n)} - set(group)
            cuts.append([-wall[cell] for cell in group] + [wall[x] for x in rim] + [-wall[other]])
    members: dict[int, list[Cell]] = {}
    for (cell, i), lit in inside.items():
        if lit in truth:
            members.setdefault(i, []).append(cell)
    for i, (r, c, _) in enumerate(clues):
        for group in connected_groups(n, members.get(i, [])):
            if (r - 1, c - 1) not in group:
                rim = {x for cell in group for x in neighbours(*cell, n, n)} - set(group)
                cuts.append([-inside[cell, i] for cell in group] + [-wall[x] for x in rim])
    return cuts


def other_solution(solver: Solver, n: int, clues, wall, inside, assumptions: list[int]) -> tuple[set[int] | None, int]:
    """A model obeying every rule under ``assumptions`` (or None), adding cuts as needed;
    also the number of solve calls and cuts made."""
    work = 0
    while solver.solve(assumptions=assumptions):
        truth = set(solver.get_model())
        cuts = _violation(n, clues, wall, inside, truth)
        work += 1 + len(cuts)
        if not cuts:
            return truth, work
        for cut in cuts:
            solver.add_clause(cut)
    return None, work + 1


def _make_unique(rng: np.random.Generator, n: int, clues: list[list[int]], walls: list[Cell]) -> tuple[list[Cell], float]:
    """Given walls (a minimal set) that make the gold walls the only solution; and the effort."""
    clauses, wall, inside = rules(n, clues)
    gold_walls = set(walls)
    gold = [wall[cell] if cell in gold_walls else -wall[cell] for cell in wall]
    pins: list[int] = []
    work = 0
    with Solver(name=SOLVER, bootstrap_with=clauses) as solver:
        truth, spent = other_solution(solver, n, clues, wall, inside, gold)
        work += spent
        if truth is None:
            raise ValueError("the gold solution breaks the puzzle's own rules")
        solver.add_clause([-lit for lit in gold])
        while True:
            truth, spent = other_solution(solver, n, clues, wall, inside, pins)
            work += spent
            if truth is None:
                break
            options = [wall[cell] for cell in walls if wall[cell] not in truth]
            pins.append(options[int(rng.integers(len(options)))])
        for lit in [pins[i] for i in rng.permutation(len(pins)).tolist()]:
            rest = [x for x in pins if x != lit]
            truth, spent = other_solution(solver, n, clues, wall, inside, rest)
            work += spent
            if truth is None:
                pins = rest
        effort = solver_effort(solver)
    where = {lit: cell for cell, lit in wall.items()}
    return [where[lit] for lit in pins], work + effort
