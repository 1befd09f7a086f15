"""Campsite (Tents): place one tent beside every tree.

Rules: each tent stands on an empty cell orthogonally next to a tree, and tents and trees
pair up one to one (each tree gets its own tent next to it: a perfect matching); no two
tents touch, not even diagonally; every row and column holds the number of tents printed
beside it. Some tents may be given. A 4×4 example (``A`` tree, ``T`` tent) and its only
solution::

      . A . .  1        T A . .
      . . . A  0   →    . . . A
      A . . .  1        A . . T
      . . . .  1        T . . .
      2 0 0 1

How the puzzle is made, and why it has exactly one solution:

1. tents are placed at random cells touching no other tent, each with a tree on a random
   free orthogonal neighbour, until ``trees`` × cells trees stand; the counts are read off;
2. python-sat encodes the rules (tent variables, "no two touching" over king moves, exact
   row and column counts, matching variables tree–cell with exactly one per tree and
   exactly one per tent) plus a clause excluding the gold; while another solution exists,
   a gold tent it lacks is revealed as a given tent.

``effort`` counts those rounds plus the solver's conflicts, decisions and propagations;
:meth:`Campsite.hardness` is the number of free cells beside a tree (where a tent could go).
``verify`` checks every rule, the matching by augmenting paths.
"""

from __future__ import annotations

import numpy as np
from pysat.formula import IDPool

from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.boards import (
    KING,
    neighbours,
    no_two_touching,
    pin_until_unique,
    read_board,
    show_with_totals,
)
from synlog.tasks.common.grids import format_grid, grid_forms
from synlog.tasks.common.satenc import at_most_one, exactly_k, exactly_one
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

TREE, TENT, EMPTY = "A", "T", "."


@register
class Campsite(Task):
    """Place a tent next to every tree: matched one to one, never touching, counts per line."""

    name, family, version = "campsite", "grid", 2
    knobs = Knobs(
        # 5×5 at level 1: a 4×4 board holds too few distinct layouts for distinct samples
        size=Knob(int, levels=[5, 5, 6, 6, 7, 8, 8, 9, 10, 12], lo=3, hi=16, help="board side"),
        trees=Knob(float, levels=[0.15, 0.18, 0.15, 0.18, 0.18, 0.18, 0.2, 0.2, 0.2, 0.2], lo=0.05, hi=0.3,
                   help="trees per cell aimed at (fewer when no room is left)"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        size = p.size
        board = [[EMPTY] * size for _ in range(size)]
        wanted = max(1, round(p.trees * size * size))
        placed = 0
        for start in rng.permutation(size * size).tolist():
            if placed >= wanted:
                break
            r, c = divmod(start, size)
            if board[r][c] != EMPTY or any(board[a][b] == TENT for a, b in neighbours(r, c, size, size, KING)):
                continue
            spots = [x for x in neighbours(r, c, size, size) if board[x[0]][x[1]] == EMPTY]
            if spots:
                a, b = spots[int(rng.integers(len(spots)))]
                board[r][c], board[a][b] = TENT, TREE
                placed += 1
        rows = [line.count(TENT) for line in board]
        cols = [column.count(TENT) for column in zip(*board, strict=True)]
        trees = [[TREE if x == TREE else EMPTY for x in line] for line in board]
        clauses, tent = _rules(trees, rows, cols)
        gold = [lit if board[r][c] == TENT else -lit for (r, c), lit in tent.items()]
        pins, effort = pin_until_unique(rng, clauses, gold, [lit for lit in gold if lit > 0])
        given = {cell for cell, lit in tent.items() if lit in pins}
        puzzle = [[TENT if (r, c) in given else x for c, x in enumerate(line)] for r, line in enumerate(trees)]
        data = {"board": ["".join(line) for line in puzzle], "rows": rows, "cols": cols}
        return Problem(data, format_grid(board), effort)

    def context(self, problem: Problem, lang: str) -> dict:
        data = problem.data
        return dict(size=len(data["board"]),
                    board=show_with_totals(data["board"], data["rows"], data["cols"]),
                    given=any(TENT in line for line in data["board"]))

    def verify(self, problem: dict, answer: str) -> Verdict:
        board = problem["board"]
        size = len(board)
        grid = read_board(answer, size, size, (TREE, TENT, EMPTY),
                          f"{TREE} (tree), {TENT} (tent) or {EMPTY} (empty)", cell=str)
        if isinstance(grid, Verdict):
            return grid
        for r in range(size):
            for c in range(size):
                if (grid[r][c] == TREE) != (board[r][c] == TREE):
                    return Verdict.wrong(f"the trees must stay as given; see row {r + 1}, column {c + 1}")
                if board[r][c] == TENT and grid[r][c] != TENT:
                    return Verdict.wrong(f"the given tent at row {r + 1}, column {c + 1} is missing")
        for r, line in enumerate(grid):
            if line.count(TENT) != problem["rows"][r]:
                return Verdict.wrong(f"row {r + 1} needs {problem['rows'][r]} tents")
        for c, column in enumerate(zip(*grid, strict=True)):
            if column.count(TENT) != problem["cols"][c]:
                return Verdict.wrong(f"column {c + 1} needs {problem['cols'][c]} tents")
        tents = [(r, c) for r in range(size) for c in range(size) if grid[r][c] == TENT]
        for r, c in tents:
            if any(grid[a][b] == TENT for a, b in neighbours(r, c, size, size, KING)):
                return Verdict.wrong(f"the tent at row {r + 1}, column {c + 1} touches another tent")
        trees = [(r, c) for r in range(size) for c in range(size) if grid[r][c] == TREE]
        if len(tents) != len(trees) or not _perfect_matching(grid, trees):
            return Verdict.wrong("tents and trees cannot be paired one to one as orthogonal neighbours")
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        board = [list(line) for line in problem["board"]]
        beside = _beside_trees(problem["board"])
        every = [[TENT if (r, c) in beside else x for c, x in enumerate(line)] for r, line in enumerate(board)]
        return {"the board as shown (no tent placed)": format_grid(board),
                "a tent on every free cell beside a tree": format_grid(every)}

    def hardness(self, problem: dict) -> float:
        return float(len(_beside_trees(problem["board"])))

    def alternative_forms(self, problem: Problem) -> list[str]:
        return grid_forms(problem.answer, full_stops=False)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        grid = [line.split() for line in problem.answer.splitlines()]
        size = len(grid)
        tents = [(r, c) for r in range(size) for c in range(size) if grid[r][c] == TENT]
        empty = [(r, c) for r in range(size) for c in range(size) if grid[r][c] == EMPTY]
        wrong = []
        r, c = tents[int(rng.integers(len(tents)))]
        moved = [line[:] for line in grid]
        moved[r][c] = EMPTY  # one tent short
        wrong.append(moved)
        if empty:
            a, b = empty[int(rng.integers(len(empty)))]
            extra = [line[:] for line in moved]
            extra[a][b] = TENT  # a tent moved elsewhere
            wrong.append(extra)
        wrong.append([line[::-1] for line in grid])
        return [format_grid(g) for g in wrong if g != grid]


def _rules(trees: list[list[str]], rows: list[int], cols: list[int]) -> tuple[list[list[int]], dict]:
    """Tent variables (cells beside a tree), the counts, no touching, and the tree–tent matching."""
    size = len(trees)
    pool = IDPool()
    tree_cells = [(r, c) for r in range(size) for c in range(size) if trees[r][c] == TREE]
    tent = {(r, c): pool.id(("tent", r, c)) for r in range(size) for c in range(size)
            if trees[r][c] != TREE and any(trees[a][b] == TREE for a, b in neighbours(r, c, size, size))}
    clauses = no_two_touching(tent, diagonal=True)
    for r in range(size):
        clauses += exactly_k([tent[(r, c)] for c in range(size) if (r, c) in tent], rows[r], pool)
    for c in range(size):
        clauses += exactly_k([tent[(r, c)] for r in range(size) if (r, c) in tent], cols[c], pool)
    pairs: dict[tuple, list[int]] = {}
    for tree in tree_cells:
        links = []
        for cell in neighbours(*tree, size, size):
            if cell in tent:
                link = pool.id(("pair", tree, cell))
                links.append(link)
                pairs.setdefault(cell, []).append(link)
                clauses.append([-link, tent[cell]])
        clauses += exactly_one(links, pool)
    for cell, lit in tent.items():
        clauses.append([-lit, *pairs.get(cell, [])])
        clauses += at_most_one(pairs.get(cell, []), pool)
    return clauses, tent


def _beside_trees(board: list[str]) -> set[tuple[int, int]]:
    """The empty cells orthogonally next to a tree."""
    size = len(board)
    return {(r, c) for r in range(size) for c in range(size) if board[r][c] == EMPTY
            and any(board[a][b] == TREE for a, b in neighbours(r, c, size, size))}


def _perfect_matching(grid: list[list[str]], trees: list[tuple[int, int]]) -> bool:
    """Whether every tree gets its own orthogonally adjacent tent (Kuhn's augmenting paths)."""
    size = len(grid)
    owner: dict[tuple[int, int], int] = {}

    def augment(i: int, seen: set) -> bool:
        for cell in neighbours(*trees[i], size, size):
            if grid[cell[0]][cell[1]] == TENT and cell not in seen:
                seen.add(cell)
                if cell not in owner or augment(owner[cell], seen):
                    owner[cell] = i
                    return True
        return False

    return all(augment(i, set()) for i in range(len(trees)))
