"""Board geometry and SAT building blocks shared by the grid puzzles (tents, norinori, ...).

Cells are ``(row, col)`` pairs, 0-based inside the code and 1-based in prompts and answers
(see ``docs/grid-puzzles.md``). A board's SAT variables are usually a dict from cell to
literal, so the helpers take such a ``var`` mapping::

    cells = [(r, c) for r in range(3) for c in range(3)]
    var = {cell: i + 1 for i, cell in enumerate(cells)}
    clauses = no_two_touching(var, diagonal=True)       # [-a, -b] for every touching pair
    pinned, effort = pin_until_unique(rng, clauses, gold_lits=[...], pinnable=[...])

Two routines make a puzzle unique, both with one incremental solver that holds the rules and
a clause blocking the gold solution (so "satisfiable" means "another solution exists"):

- :func:`pin_until_unique` *adds* clues: while another solution exists, reveal one gold
  literal that this other solution gets wrong;
- :func:`carve_clues` *removes* clues: drop clues in random order while the solver proves
  the rest still force the gold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import cache
from typing import Any

import numpy as np
from pysat.formula import IDPool
from pysat.solvers import Solver

from synlog.tasks.common.answers import MARKDOWN_SYMBOLS, undecorate
from synlog.tasks.common.grids import GridParseError, format_grid, parse_grid
from synlog.tasks.common.satenc import SOLVER, Clause, exactly_one
from synlog.verifiers.verdict import Verdict

Cell = tuple[int, int]

ORTHOGONAL: tuple[Cell, ...] = ((-1, 0), (0, 1), (1, 0), (0, -1))
DIAGONAL: tuple[Cell, ...] = ((-1, -1), (-1, 1), (1, 1), (1, -1))
KING: tuple[Cell, ...] = ORTHOGONAL + DIAGONAL

__all__ = [
    "DIAGONAL",
    "KING",
    "ORTHOGONAL",
    "CellsParseError",
    "another_solution",
    "binary_perturbations",
    "block_gold",
    "carve_clues",
    "changed_given",
    "latin_violation",
    "format_cells",
    "grow_regions",
    "is_connected",
    "latin_square_cnf",
    "move_to_neighbour_region",
    "neighbours",
    "no_two_touching",
    "parse_cells",
    "pin_until_unique",
    "random_latin_square",
    "read_board",
    "region_cells",
    "region_name",
    "show_regions",
    "show_with_totals",
    "solver_effort",
    "touching_pairs",
    "all_latin_squares",
    "uniform_latin_square",
]


def neighbours(r: int, c: int, rows: int, cols: int, steps: Sequence[Cell] = ORTHOGONAL) -> list[Cell]:
    """The cells one ``step`` away from ``(r, c)`` that lie on a ``rows × cols`` board."""
    return [(r + dr, c + dc) for dr, dc in steps if 0 <= r + dr < rows and 0 <= c + dc < cols]


#: steps to the touching cells after a cell in row-major order (each touching pair once)
_FORWARD: tuple[Cell, ...] = ((0, 1), (1, 0))
_FORWARD_DIAGONAL: tuple[Cell, ...] = _FORWARD + ((1, 1), (1, -1))


@cache
def touching_pairs(rows: int, cols: int, diagonal: bool = False) -> tuple[tuple[Cell, Cell], ...]:
    """Every unordered pair of cells sharing an edge (and a corner when ``diagonal``); built
    once per board shape, since verifiers walk it on every call."""
    forward = _FORWARD_DIAGONAL if diagonal else _FORWARD
    return tuple(((r, c), (r + dr, c + dc)) for r in range(rows) for c in range(cols)
                 for dr, dc in forward if 0 <= r + dr < rows and 0 <= c + dc < cols)


def no_two_touching(var: Mapping[Cell, int], diagonal: bool = True) -> list[Clause]:
    """Clauses: no two cells of ``var`` that touch (by edge, or also corner) are both true."""
    forward = _FORWARD_DIAGONAL if diagonal else _FORWARD
    clauses = []
    for (r, c), lit in var.items():
        for step in forward:
            other = var.get((r + step[0], c + step[1]))
            if other is not None:
                clauses.append([-lit, -other])
    return clauses


def latin_square_cnf(n: int, pool: IDPool) -> tuple[list[Clause], Callable[[int, int, int], int]]:
    """The rules of an n×n Latin square over digits 1..n, and ``var(r, c, digit)``.

    Every cell holds exactly one digit, every digit appears exactly once in each row and column.
    """
    def var(r: int, c: int, digit: int) -> int:
        return pool.id(("latin", r, c, digit))

    clauses: list[Clause] = []
    span = range(n)
    for a in span:
        for b in span:
            clauses += exactly_one([var(a, b, d) for d in range(1, n + 1)], pool)
        for d in range(1, n + 1):
            clauses += exactly_one([var(a, b, d) for b in span], pool)  # row a
            clauses += exactly_one([var(b, a, d) for b in span], pool)  # column a
    return clauses, var


def random_latin_square(rng: np.random.Generator, n: int) -> list[list[int]]:
    """A random n×n Latin square over 1..n: depth-first search, most constrained cell first,
    digits in random order (fast for the sizes puzzles use, n ≤ 9)."""
    full = (1 << n) - 1
    grid = [[0] * n for _ in range(n)]
    rows, cols = [0] * n, [0] * n
    order = rng.random((n * n, n)).argsort(axis=1).tolist()

    def search() -> bool:
        best, best_free, best_count = None, 0, n + 1
        for r in range(n):
            for c in range(n):
                if not grid[r][c]:
                    free = full & ~(rows[r] | cols[c])
                    if free.bit_count() < best_count:
                        best, best_free, best_count = (r, c), free, free.bit_count()
        if best is None:
            return True
        r, c = best
        for d in order[r * n + c]:
            if best_free >> d & 1:
                grid[r][c] = d + 1
                rows[r] |= 1 << d
                cols[c] |= 1 << d
                if search():
                    return True
                grid[r][c] = 0
                rows[r] &= ~(1 << d)
                cols[c] &= ~(1 << d)
        return False

    search()
    return grid


@cache
def all_latin_squares(n: int) -> tuple[tuple[tuple[int, ...], ...], ...]:
    """Every n×n Latin square over 1..n, row by row in lexicographic order (small n only:
    12 at n = 3, 576 at n = 4)."""
    from itertools import permutations

    rows = list(permutations(range(1, n + 1)))
    out: list[tuple[tuple[int, ...], ...]] = []

    def extend(square: list[tuple[int, ...]]) -> None:
        if len(square) == n:
            out.append(tuple(square))
            return
        for row in rows:
            if all(row[c] != other[c] for other in square for c in range(n)):
                extend([*square, row])

    extend([])
    return tuple(out)


def uniform_latin_square(rng: np.random.Generator, n: int) -> list[list[int]]:
    """A Latin square drawn uniformly from all of them for n ≤ 4 (where the search of
    :func:`random_latin_square` favours some squares several times over), else that search."""
    if n > 4:
        return random_latin_square(rng, n)
    squares = all_latin_squares(n)
    return [list(row) for row in squares[int(rng.integers(len(squares)))]]


def grow_regions(rng: np.random.Generator, rows: int, cols: int, seeds: Sequence[Sequence[Cell]],
                 sizes: Sequence[int] | None = None) -> list[list[int]]:
    """Partition the board into connected regions grown from ``seeds`` (one cell list each).

    Returns a rows×cols grid of region ids (the index of the seed). Regions take turns, in
    random order, to claim a random free orthogonal neighbour. With ``sizes``, a region that
    has reached its entry waits while some smaller region can still grow; once none can,
    every region grows again until the board is covered. Raises ValueError when a free area
    touches no seed.
    """
    region = [[-1] * cols for _ in range(rows)]
    members: list[list[Cell]] = []
    for index, cells in enumerate(seeds):
        for r, c in cells:
            region[r][c] = index
        members.append(list(cells))
    free = rows * cols - sum(len(m) for m in members)
    while free:
        grew = False
        order = rng.permutation(len(members)).tolist()
        small_can_grow = sizes is not None and any(
            len(members[i]) < sizes[i] and _frontier(members[i], region) for i in order)
        for index in order:
            if small_can_grow and len(members[index]) >= sizes[index]:
                continue
            frontier = _frontier(members[index], region)
            if not frontier:
                continue
            r, c = frontier[int(rng.integers(len(frontier)))]
            region[r][c] = index
            members[index].append((r, c))
            free -= 1
            grew = True
        if not grew:
            raise ValueError("some free cells touch no region seed")
    return region


def _frontier(cells: list[Cell], region: list[list[int]]) -> list[Cell]:
    rows, cols = len(region), len(region[0])
    seen = {n for r, c in cells for n in neighbours(r, c, rows, cols) if region[n[0]][n[1]] < 0}
    return sorted(seen)


def region_cells(region: Sequence[Sequence[int]]) -> dict[int, list[Cell]]:
    """Region id → its cells (row-major), from a grid of region ids."""
    out: dict[int, list[Cell]] = {}
    for r, line in enumerate(region):
        for c, rid in enumerate(line):
            out.setdefault(rid, []).append((r, c))
    return out


def pin_until_unique(
    rng: np.random.Generator,
    clauses: Iterable[Clause],
    gold_lits: Sequence[int],
    pinnable: Sequence[int],
    pinned: Sequence[int] = (),
    trim: bool = False,
) -> tuple[list[int], float]:
    """Reveal gold literals until they and ``clauses`` leave only the gold solution.

    ``gold_lits`` are the answer's literals (the projection uniqueness is about); ``pinnable``
    the ones that may be revealed as clues. Each round asks the solver for another solution
    agreeing with the pins; if there is one, a random pinnable literal it violates is pinned.
    With ``trim``, pins (the ``pinned`` ones too) are then dropped in random order while the
    rest still force the gold, so every remaining pin is needed. Raises ValueError if another
    solution differs only on literals that cannot be pinned. Returns the pins (``pinned`` first) and the effort: rounds plus :func:`solver_effort`.
    """
    pins = list(pinned)
    rounds = 0
    with Solver(name=SOLVER, bootstrap_with=list(clauses)) as solver:
        block_gold(solver, gold_lits)
        while solver.solve(assumptions=pins):
            rounds += 1
            truth = set(solver.get_model())
            wrong = [lit for lit in pinnable if lit not in truth and lit not in pins]
            if not wrong:
                raise ValueError("another solution differs only on literals that cannot be pinned")
            pins.append(wrong[int(rng.integers(len(wrong)))])
        if trim:
            for lit in [pins[i] for i in rng.permutation(len(pins)).tolist()]:
                rounds += 1
                rest = [x for x in pins if x != lit]
                if not solver.solve(assumptions=rest):
                    pins = rest
        effort = solver_effort(solver)
    return pins, rounds + effort


def block_gold(solver: Solver, gold_lits: Sequence[int], assumptions: Sequence[int] = ()) -> None:
    """Check that the gold obeys the rules, then exclude it: from here on a model is another
    solution (without the check, rules that wrongly reject the gold would "prove" it unique).

    The solver's preferred phases are then set away from the gold, so the other solutions it
    finds differ from the gold in many places (one pin or reshape then rules out many)."""
    if not solver.solve(assumptions=[*gold_lits, *assumptions]):
        raise ValueError("the gold solution breaks the puzzle's own rules")
    solver.add_clause([-lit for lit in gold_lits])
    solver.set_phases([-lit for lit in gold_lits])


def solver_effort(solver: Solver) -> float:
    """Conflicts, decisions and propagations so far: puzzles that unit propagation alone
    proves unique still cost work that grows with their size."""
    stats = solver.accum_stats() or {}
    return float(stats.get("conflicts", 0) + stats.get("decisions", 0) + stats.get("propagations", 0))


def carve_clues(
    rng: np.random.Generator,
    clauses: Iterable[Clause],
    gold_lits: Sequence[int],
    clues: Sequence[Sequence[int]],
    removable: int | None = None,
    keep: Sequence[bool] | None = None,
) -> tuple[list[bool], float]:
    """Drop clues in random order while the rest still force the gold solution.

    ``clues[i]`` is a list of literals assumed while clue i is kept (a given digit, a
    selector switching a constraint on...). The clues must already force the gold. At most
    ``removable`` clues are dropped (default: as many as possible, a minimal clue set); clues
    with ``keep[i]`` set are never dropped. Returns which clues stay, and the effort: checks
    plus :func:`solver_effort`.
    """
    kept = [True] * len(clues)
    limit = len(clues) if removable is None else removable
    dropped = checks = 0
    with Solver(name=SOLVER, bootstrap_with=list(clauses)) as solver:
        block_gold(solver, gold_lits)
        for i in rng.permutation(len(clues)).tolist():
            if dropped >= limit:
                break
            if keep is not None and keep[i]:
                continue
            kept[i] = False
            checks += 1
            if solver.solve(assumptions=[lit for j, clue in enumerate(clues) if kept[j] for lit in clue]):
                kept[i] = True  # without clue i another solution appears
            else:
                dropped += 1
        effort = solver_effort(solver)
    return kept, checks + effort


class CellsParseError(ValueError):
    """Text that is not a list of 1-based ``(row, col)`` coordinates on the board."""


_PAIR = re.compile(r"\(\s*([0-9]{1,4})\s*,\s*([0-9]{1,4})\s*\)|\[\s*([0-9]{1,4})\s*,\s*([0-9]{1,4})\s*\]")
_BETWEEN = re.compile(r"[\s,;]*")
_EMPTY_WORDS = {"", "none", "[]", "{}", "()", "empty"}
#: longest coordinate list :func:`parse_cells` reads
MAX_CELLS_CHARS = 20_000


def parse_cells(text: str, rows: int, cols: int) -> set[Cell]:
    """Read a set of 1-based ``(row, col)`` coordinates; returns 1-based pairs.

    Accepted: ``(1, 2), (3, 4)``, ``(1,2) (3,4)``, ``[[1, 2], [3, 4]]`` (JSON), optionally
    inside one pair of ``[]`` or ``{}``; ``none`` or ``[]`` is the empty set; one coordinate
    per line with the shared markdown decorations (``- (1, 2)``, ``1. (1, 2)``, ``**(1, 2)**``,
    see :mod:`synlog.tasks.common.answers`). A coordinate off the board or written twice
    raises :class:`CellsParseError`.
    """
    if not isinstance(text, str):
        raise CellsParseError(f"expected text, got {type(text).__name__}")
    if len(text) > MAX_CELLS_CHARS:
        raise CellsParseError(f"answer too long ({len(text)} characters)")
    body = undecorate(text).strip()
    if body.lower().rstrip(".") in _EMPTY_WORDS:
        return set()
    if (body.startswith("[[") and body.endswith("]]")) or body[:1] + body[-1:] == "{}" or (
            body[:1] + body[-1:] == "[]" and body[1:].lstrip().startswith("(")):
        body = body[1:-1].strip()  # one outer bracket around the list
    if not body:
        return set()
    pairs: list[Cell] = []
    position = 0
    for match in _PAIR.finditer(body):
        if not _BETWEEN.fullmatch(body, position, match.start()):
            raise CellsParseError(f"unexpected text {body[position:match.start()][:20]!r}; "
                                  "expected coordinates like (1, 2), (3, 4)")
        a, b = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        pairs.append((int(a), int(b)))
        position = match.end()
    if not pairs or not _BETWEEN.fullmatch(body, position):
        raise CellsParseError("expected coordinates like (1, 2), (3, 4)")
    cells = set(pairs)
    if len(cells) != len(pairs):
        raise CellsParseError("a coordinate is listed twice")
    for r, c in cells:
        if not (1 <= r <= rows and 1 <= c <= cols):
            raise CellsParseError(f"({r}, {c}) is off the {rows}×{cols} board")
    return cells


def format_cells(cells: Iterable[Cell]) -> str:
    """1-based cells, sorted, as ``(1, 2), (3, 4)``; ``none`` for the empty set."""
    ordered = sorted(cells)
    return ", ".join(f"({r}, {c})" for r, c in ordered) if ordered else "none"


def latin_violation(grid: Sequence[Sequence[int]], n: int) -> str | None:
    """Why ``grid`` is not an n×n Latin square over 1..n, or None when it is."""
    digits = set(range(1, n + 1))
    for r, row in enumerate(grid):
        if not digits.issuperset(row):
            return f"row {r + 1} holds a number outside 1..{n}"
        if len(set(row)) != n:
            return f"row {r + 1} repeats a number"
    for c, column in enumerate(zip(*grid, strict=True)):
        if len(set(column)) != n:
            return f"column {c + 1} repeats a number"
    return None


def changed_given(puzzle: Sequence[Sequence[object]], grid: Sequence[Sequence[object]],
                  empty: object = 0) -> str | None:
    """Why ``grid`` does not keep the non-``empty`` cells of ``puzzle``, or None."""
    for r, (given_row, row) in enumerate(zip(puzzle, grid, strict=True)):
        for c, given in enumerate(given_row):
            if given != empty and row[c] != given:
                return f"the given {given} at row {r + 1}, column {c + 1} was changed"
    return None


def region_name(index: int) -> str:
    """Short names for regions and cages: a..z, then aa, ab, ..."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[index] if index < 26 else letters[index // 26 - 1] + letters[index % 26]


def show_regions(region: Sequence[Sequence[int]]) -> str:
    """A grid of region ids drawn with :func:`region_name`, one row per line, aligned."""
    names = [[region_name(rid) for rid in line] for line in region]
    width = max(len(x) for line in names for x in line)
    return "\n".join(" ".join(x.ljust(width) for x in line).rstrip() for line in names)


def another_solution(clauses: Iterable[Clause], gold_lits: Sequence[int]) -> tuple[set[int] | None, float]:
    """A model (as a set of true literals) that differs from the gold on ``gold_lits``, or
    None when the gold is the only solution; and :func:`solver_effort`."""
    with Solver(name=SOLVER, bootstrap_with=list(clauses)) as solver:
        block_gold(solver, gold_lits)
        model = set(solver.get_model()) if solver.solve() else None
        return model, solver_effort(solver)


def read_board(answer: str, rows: int, cols: int, allowed: Collection[Any], allowed_text: str,
               cell: type = int) -> list[list[Any]] | Verdict:
    """The answer grid (shared grid convention), or the verdict saying why it is not one:
    unparseable text or the wrong shape, or ``invalid`` when a cell is not in ``allowed``
    (``allowed_text`` completes "every cell must be ..."). Markdown list markers and emphasis
    are read as decorations unless some allowed cell is itself such a symbol."""
    markdown = not any(str(x) in MARKDOWN_SYMBOLS for x in allowed) if cell is str else True
    try:
        grid = parse_grid(answer, rows=rows, cols=cols, cell=cell, markdown=markdown)
    except GridParseError as error:
        return Verdict.unparseable(str(error))
    if any(x not in allowed for line in grid for x in line):
        return Verdict.invalid(f"every cell must be {allowed_text}")
    return grid


def read_latin(answer: str, n: int, puzzle: Sequence[Sequence[int]] | None = None) -> list[list[int]] | Verdict:
    """An n×n answer over 1..n that keeps ``puzzle``'s givens (0 = blank) and is a Latin square,
    or the verdict saying why not (the first checks of futoshiki, skyscraper, calcudoko)."""
    grid = read_board(answer, n, n, range(1, n + 1), f"a number from 1 to {n}")
    if isinstance(grid, Verdict):
        return grid
    why = (changed_given(puzzle, grid) if puzzle is not None else None) or latin_violation(grid, n)
    return Verdict.wrong(why) if why else grid


def latin_perturbations(answer: str, n: int, rng: np.random.Generator) -> list[str]:
    """Near misses of a Latin-square answer: two rows swapped (still Latin: only the puzzle's
    own clues can tell), the transpose, and one cell changed; copies equal to it are left out."""
    solution = np.array(parse_grid(answer, rows=n, cols=n))
    a, b = rng.choice(n, 2, replace=False)
    rows_swapped = solution.copy()
    rows_swapped[[a, b]] = rows_swapped[[b, a]]
    changed = solution.copy()
    r, c = (int(v) for v in rng.integers(n, size=2))
    changed[r, c] = solution[r, c] % n + 1
    return [format_grid(g.tolist()) for g in (rows_swapped, solution.T, changed) if not np.array_equal(g, solution)]


def show_with_totals(board: Sequence[Sequence[Any]], row_totals: Sequence[int], col_totals: Sequence[int]) -> str:
    """The board one row per line with each row's total at its end, column totals below."""
    lines = [" ".join(map(str, line)) + f"  {total}" for line, total in zip(board, row_totals, strict=True)]
    return "\n".join([*lines, " ".join(map(str, col_totals))])


def binary_perturbations(answer: str, rng: np.random.Generator, flips: int,
                         more: Callable[[np.ndarray], list[np.ndarray]] = lambda grid: []) -> list[str]:
    """Near misses of a 0/1 answer grid: ``flips`` copies with one random cell flipped, the
    transpose, and whatever ``more`` builds; copies equal to the answer are left out."""
    grid = np.array(parse_grid(answer))
    wrong = []
    for _ in range(flips):
        flipped = grid.copy()
        r, c = (int(v) for v in rng.integers(len(grid), size=2))
        flipped[r, c] ^= 1
        wrong.append(flipped)
    wrong += [grid.T, *more(grid)]
    return [format_grid(g.tolist()) for g in wrong if not np.array_equal(g, grid)]


def connected_groups(n: int, cells: Iterable[Cell]) -> list[list[Cell]]:
    """The orthogonally connected groups of ``cells`` on an n×n board, each in the order its cells
    were reached, the groups in the order of their first cell in ``cells``."""
    cells = list(cells)
    left = set(cells)
    out = []
    for start in cells:
        if start not in left:
            continue
        left.remove(start)
        group, stack = [start], [start]
        while stack:
            for x in neighbours(*stack.pop(), n, n):
                if x in left:
                    left.remove(x)
                    group.append(x)
                    stack.append(x)
        out.append(group)
    return out


def is_connected(cells: Collection[Cell]) -> bool:
    """Whether ``cells`` form one orthogonally connected group (an empty group counts as one)."""
    left = set(cells)
    stack = [left.pop()] if left else []
    while stack:
        r, c = stack.pop()
        for step in ORTHOGONAL:
            nxt = (r + step[0], c + step[1])
            if nxt in left:
                left.remove(nxt)
                stack.append(nxt)
    return not left


def move_to_neighbour_region(rng: np.random.Generator, region: list[list[int]],
                             movable: Collection[Cell]) -> tuple[int, int] | None:
    """Move one random cell of ``movable`` into an orthogonally neighbouring region, in place,
    keeping every region connected and non-empty. Returns (old region, new region), or None
    when no cell of ``movable`` can move."""
    rows, cols = len(region), len(region[0])
    moves = [(cell, region[a][b]) for cell in sorted(movable)
             for a, b in neighbours(*cell, rows, cols) if region[a][b] != region[cell[0]][cell[1]]]
    groups = region_cells(region)
    for i in rng.permutation(len(moves)).tolist():
        (r, c), target = moves[i]
        home = [x for x in groups[region[r][c]] if x != (r, c)]
        if home and is_connected(home):
            source, region[r][c] = region[r][c], target
            return source, target
    return None
