"""Maze: walk from S to G in as few moves as possible.

Rules: the board has walls ``#``, open cells ``.``, the start ``S`` and the goal ``G``; each
move (``U D L R``) steps to the neighbouring cell, never into a wall. The answer is a walk
from S that ends on G with the fewest moves; *any* shortest walk scores 1 (mazes with loops
have several). A 5×7 example, whose shortest walks take 4 moves (``R R D D`` or ``D D R R``)::

    # # # # # # #
    # S . . # . #
    # . # . # . #
    # . . G . . #
    # # # # # # #

How the maze is made: a perfect maze is carved by a randomised depth-first search on a
``rooms × rooms`` lattice of cells; a ``loops`` share of the inner walls between two open cells
is then knocked down, which opens alternative routes. S is a random cell and G a random cell
at least ``spread`` of the largest distance from S away. A breadth-first search gives the
optimum. ``effort`` counts the cells that search expanded; :meth:`Maze.hardness` is the optimum.

``verify`` simulates the walk: a step into a wall or off the board is wrong, a walk that does
not end on G is wrong, and a valid walk longer than the optimum scores 0 with
``details["fraction"] = optimum / length``.
"""

from __future__ import annotations

import numpy as np

from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError
from synlog.tasks.common.moves import (
    STEPS,
    TooManyMoves,
    bfs,
    format_board,
    format_moves,
    grid_successors,
    move_candidates,
    move_forms,
    parse_moves,
    step,
)
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

WALL, OPEN, START, GOAL = "#", ".", "S", "G"
#: example walks shown in the prompt; the first one that does not solve the maze is used
EXAMPLES = ("D D R R U", "R R D D L", "U U L L D", "L L U U R")


@register
class Maze(Task):
    """Find a shortest walk from S to G through a maze with walls."""

    name, family, version = "maze", "search", 1
    unique_answer = False
    knobs = Knobs(
        rooms=Knob(int, levels=[4, 5, 6, 7, 8, 9, 10, 11, 12, 13], lo=2, hi=30,
                   help="cells per side of the maze lattice (the board is 2·rooms+1 wide)"),
        loops=Knob(float, levels=[0.05, 0.08, 0.1, 0.1, 0.12, 0.12, 0.12, 0.12, 0.12, 0.12], lo=0.0, hi=1.0,
                   help="share of inner walls knocked down to open alternative routes"),
        spread=Knob(float, levels=[0.5, 0.6, 0.7, 0.7, 0.75, 0.75, 0.8, 0.8, 0.85, 0.85], lo=0.0, hi=1.0,
                    help="the goal lies at least this share of the farthest distance from the start"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        grid = _carve(rng, p.rooms)
        _knock_down(rng, grid, p.loops)
        cells = [(r, c) for r in range(1, len(grid), 2) for c in range(1, len(grid), 2)]
        start = cells[int(rng.integers(len(cells)))]
        distance = _distances(grid, start)
        far = max(distance.values())
        goals = [cell for cell in cells if distance[cell] >= max(1, p.spread * far)]
        goal = goals[int(rng.integers(len(goals)))]
        grid[start[0]][start[1]], grid[goal[0]][goal[1]] = START, GOAL
        board = ["".join(row) for row in grid]
        path, expanded = bfs(start, grid_successors(board), lambda cell: cell == goal)
        data = {"board": board, "optimum": len(path)}
        return Problem(data, format_moves(path), float(expanded))

    def context(self, problem: Problem, lang: str) -> dict:
        board = problem.data["board"]
        example = next(e for e in EXAMPLES if self.verify(problem.data, e).score < 1)
        return dict(board=format_board(board), rows=len(board), cols=len(board[0]), example=example)

    def verify(self, problem: dict, answer: str) -> Verdict:
        board = problem["board"]
        try:
            moves = parse_moves(answer, max_moves=4 * len(board) * len(board[0]))
        except TooManyMoves as error:
            return Verdict.invalid(str(error))
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        cell = _find(board, START)
        for k, move in enumerate(moves, start=1):
            r, c = step(cell, move)
            if not (0 <= r < len(board) and 0 <= c < len(board[0])) or board[r][c] == WALL:
                return Verdict.wrong(f"move {k} ({move}) walks into a wall")
            cell = (r, c)
        if board[cell[0]][cell[1]] != GOAL:
            return Verdict.wrong("the walk does not end on G")
        optimum = problem["optimum"]
        if len(moves) > optimum:
            return Verdict.wrong(f"{len(moves)} moves; the shortest walk takes {optimum}",
                                 fraction=optimum / len(moves), optimum=optimum, value=len(moves))
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Straight lines and a staircase toward G, ignoring the walls."""
        (sr, sc), (gr, gc) = _find(problem["board"], START), _find(problem["board"], GOAL)
        vertical = ["D" if gr > sr else "U"] * abs(gr - sr)
        horizontal = ["R" if gc > sc else "L"] * abs(gc - sc)
        return {"rows then columns": format_moves(vertical + horizontal) or "U",
                "columns then rows": format_moves(horizontal + vertical) or "U",
                **{f"always {m}": format_moves([m] * len(problem["board"])) for m in STEPS}}

    def hardness(self, problem: dict) -> float:
        return float(problem["optimum"])

    def instance_space(self, spec: dict) -> float | None:
        rooms = spec["rooms"][0] if isinstance(spec["rooms"], tuple) else spec["rooms"]
        # spanning trees of a k×k grid grow like 3.2^(k²); start and goal choices on top
        return 3.2 ** (rooms * rooms) * rooms ** 2

    def alternative_forms(self, problem: Problem) -> list[str]:
        return move_forms(problem.answer.split())

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        walks = [format_moves(w) for w in move_candidates(problem.answer.split(), rng)]
        return [w for w in walks if self.verify(problem.data, w).score < 1]


def _find(board: list[str], mark: str) -> tuple[int, int]:
    return next((r, row.index(mark)) for r, row in enumerate(board) if mark in row)


def _carve(rng: np.random.Generator, rooms: int) -> list[list[str]]:
    """A perfect maze (one route between any two cells) by randomised depth-first search."""
    side = 2 * rooms + 1
    grid = [[WALL] * side for _ in range(side)]
    stack = [(1, 1)]
    grid[1][1] = OPEN
    while stack:
        r, c = stack[-1]
        fresh = [(r + 2 * dr, c + 2 * dc) for dr, dc in STEPS.values()
                 if 0 < r + 2 * dr < side and 0 < c + 2 * dc < side and grid[r + 2 * dr][c + 2 * dc] == WALL]
        if not fresh:
            stack.pop()
            continue
        nr, nc = fresh[int(rng.integers(len(fresh)))]
        grid[(r + nr) // 2][(c + nc) // 2] = grid[nr][nc] = OPEN
        stack.append((nr, nc))
    return grid


def _knock_down(rng: np.random.Generator, grid: list[list[str]], share: float) -> None:
    """Open a ``share`` of the inner walls that stand between two open cells."""
    side = len(grid)
    walls = [(r, c) for r in range(1, side - 1) for c in range(1, side - 1) if grid[r][c] == WALL
             and (r % 2 == 1 and c % 2 == 0 or r % 2 == 0 and c % 2 == 1)]
    for k in rng.permutation(len(walls))[:round(share * len(walls))].tolist():
        r, c = walls[k]
        grid[r][c] = OPEN


def _distances(grid: list[list[str]], start: tuple[int, int]) -> dict[tuple[int, int], int]:
    """Breadth-first distances from ``start`` to every open cell."""
    distance, frontier = {start: 0}, [start]
    while frontier:
        nxt = []
        for r, c in frontier:
            for dr, dc in STEPS.values():
                cell = (r + dr, c + dc)
                if grid[cell[0]][cell[1]] != WALL and cell not in distance:
                    distance[cell] = distance[(r, c)] + 1
                    nxt.append(cell)
        frontier = nxt
    return distance
