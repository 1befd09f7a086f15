"""Largest island: the size of the biggest 4-connected group of land cells on a grid.

Land is ``#``, water ``.``; two land cells are on the same island when a chain of land cells,
each sharing an EDGE with the next, joins them (touching corners do not join). A 4×5 example
and its answer (the 4-cell island on the left; the two corner-touching pieces on the right
are islands of 2 and 1)::

    # # . . #
    # . . # .        →   4
    # . . # .
    . . . . .

How the instance is made, and why the answer is what it is:

1. the target size L is drawn uniformly from the level's range (so no size dominates the
   answers), and one island of exactly L cells grows from a random cell;
2. a second island starts on a cell touching the first only at a corner: an answer that
   joins diagonal neighbours (8-connectivity) overcounts on every instance;
3. more islands of at most L cells grow until the land share is reached; a growing island
   never takes a cell sharing an edge with another island, so islands stay apart.

The gold is then recomputed by breadth-first search over the finished grid (``effort``
counts the cells it visits plus the growth steps); the tests re-derive it by union-find.
``verify`` recomputes it too and reads exactly one integer.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from synlog.errors import KnobError, Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import scalar_forms, verify_integer
from synlog.tasks.common.boards import DIAGONAL, KING, ORTHOGONAL, neighbours
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

LAND, WATER = "#", "."
#: island starts tried per grid cell before the land share is given up on
ATTEMPTS = 3
#: share of instances kept whose first island in reading order is a largest one (big islands
#: reach the top first, so without this "the first island's size" would earn about half)
FIRST_KEEP = 0.04


@register
class LargestIsland(Task):
    """Give the size of the largest 4-connected island of a land/water grid."""

    name, family, version = "largest_island", "graph", 1
    knobs = Knobs(
        rows=Knob(int, levels=[6, 7, 8, 9, 10, 11, 12, 14, 16, 18], lo=3, hi=40, help="grid rows"),
        cols=Knob(int, levels=[6, 7, 8, 9, 10, 12, 13, 15, 16, 18], lo=3, hi=40, help="grid columns"),
        largest=Knob(int, levels=[[3, 14], [3, 18], [4, 26], [4, 30], [5, 36], [5, 42], [6, 48],
                                  [6, 58], [8, 66], [8, 76]], lo=3, hi=400,
                     help="size of the largest island (the answer), drawn per instance"),
        land=Knob(float, levels=[0.35, 0.38, 0.4, 0.42, 0.42, 0.44, 0.44, 0.45, 0.45, 0.46], lo=0.05, hi=0.6,
                  help="share of land cells aimed at"),
    )
    # the answer is one integer drawn uniformly from at least 12 sizes (23+ from level 3)
    chance = 0.1

    def check_params(self, p: Params) -> None:
        if p.largest > p.rows * p.cols // 2:
            raise KnobError(f"an island of {p.largest} cells needs a grid of at least {2 * p.largest} cells;"
                            f" raise rows/cols or lower largest")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        rows, cols, size = p.rows, p.cols, p.largest
        owner = [[-1] * cols for _ in range(rows)]
        # the largest island starts low, so other islands usually come first in reading order
        start = (int(rng.integers(rows // 3, rows)), int(rng.integers(cols)))
        steps = _grow(rng, owner, 0, start, size)
        if steps < size:
            raise Reject("the largest island could not reach its size")
        corners = sorted({x for (r, c) in _cells(owner, 0) for x in neighbours(r, c, rows, cols, DIAGONAL)
                          if _free(owner, x, 1)})
        if not corners:
            raise Reject("no cell touches the largest island only at a corner")
        island = 1
        steps += _grow(rng, owner, island, corners[int(rng.integers(len(corners)))], int(rng.integers(1, size + 1)))
        land = sum(cell >= 0 for line in owner for cell in line)
        for _ in range(ATTEMPTS * rows * cols):
            if land >= p.land * rows * cols:
                break
            cell = (int(rng.integers(rows)), int(rng.integers(cols)))
            if _free(owner, cell, island + 1):
                island += 1
                grown = _grow(rng, owner, island, cell, int(rng.integers(1, size + 1)))
                steps, land = steps + grown, land + grown
        grid = ["".join(LAND if cell >= 0 else WATER for cell in line) for line in owner]
        sizes, visited = island_sizes(grid)
        if max(sizes) != size:
            raise Reject("the islands merged")  # never expected: growth keeps islands apart
        if sizes[0] == size and rng.random() >= FIRST_KEEP:
            raise Reject("the first island met in reading order is the largest")
        return Problem({"grid": grid}, str(size), float(visited + steps))

    def context(self, problem: Problem, lang: str) -> dict:
        grid = problem.data["grid"]
        return {"rows": len(grid), "cols": len(grid[0]), "board": "\n".join(" ".join(line) for line in grid)}

    def verify(self, problem: dict, answer: str) -> Verdict:
        sizes, _ = island_sizes(problem["grid"])
        return verify_integer(answer, max(sizes, default=0), "cells of the largest island")

    def alternative_forms(self, problem: Problem) -> list[str]:
        return scalar_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = int(problem.answer)
        wrong = {gold - 1, gold + 1, *self._miscounts(problem.data["grid"])}
        return [str(value) for value in sorted(wrong - {gold})]

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        diagonal, land, count, first = self._miscounts(problem["grid"])
        return {"largest 8-connected island (corners join)": str(diagonal), "all land cells": str(land),
                "number of islands": str(count), "first island's size": str(first)}

    def hardness(self, problem: dict) -> float:
        grid = problem["grid"]
        return float(len(grid) * len(grid[0]) + sum(line.count(LAND) for line in grid))

    def instance_space(self, spec: dict) -> float | None:
        def top(value):
            return value[1] if isinstance(value, tuple) else value
        cells = top(spec["rows"]) * top(spec["cols"])
        return float(2.0 ** min(cells, 1000) / 4)  # a land/water colouring per cell, loosely

    @staticmethod
    def _miscounts(grid: list[str]) -> tuple[int, int, int, int]:
        """What a careless count gives: corners joining, all land, the island count, and the
        first island met in reading order."""
        four, _ = island_sizes(grid)
        eight, _ = island_sizes(grid, KING)
        return max(eight), sum(four), len(four), four[0]


def island_sizes(grid: list[str], steps=ORTHOGONAL) -> tuple[list[int], int]:
    """The size of every island in reading order of its first cell (joined by ``steps``), and
    the cells the breadth-first search visited."""
    rows, cols = len(grid), len(grid[0])
    seen = [[False] * cols for _ in range(rows)]
    sizes, visited = [], 0
    for r in range(rows):
        for c in range(cols):
            visited += 1
            if grid[r][c] != LAND or seen[r][c]:
                continue
            seen[r][c] = True
            queue, size = deque([(r, c)]), 0
            while queue:
                cell = queue.popleft()
                size += 1
                for a, b in neighbours(*cell, rows, cols, steps):
                    if grid[a][b] == LAND and not seen[a][b]:
                        seen[a][b] = True
                        queue.append((a, b))
            sizes.append(size)
            visited += size
    return sizes, visited


def _free(owner: list[list[int]], cell: tuple[int, int], island: int) -> bool:
    """Whether ``island`` may take ``cell``: water, and no edge shared with another island."""
    rows, cols = len(owner), len(owner[0])
    r, c = cell
    return owner[r][c] < 0 and all(owner[a][b] in (-1, island) for a, b in neighbours(r, c, rows, cols))


def _cells(owner: list[list[int]], island: int) -> list[tuple[int, int]]:
    return [(r, c) for r, line in enumerate(owner) for c, v in enumerate(line) if v == island]


def _grow(rng: np.random.Generator, owner: list[list[int]], island: int, start: tuple[int, int],
          size: int) -> int:
    """Grow ``island`` from ``start`` by random free edge neighbours up to ``size`` cells, in
    place; returns the cells it got (fewer when it is walled in)."""
    rows, cols = len(owner), len(owner[0])
    owner[start[0]][start[1]] = island
    frontier = set(neighbours(*start, rows, cols))
    got = 1
    while got < size:
        options = sorted(x for x in frontier if _free(owner, x, island))
        if not options:
            break
        r, c = options[int(rng.integers(len(options)))]
        owner[r][c] = island
        frontier.discard((r, c))
        frontier.update(x for x in neighbours(r, c, rows, cols) if owner[x[0]][x[1]] < 0)
        got += 1
    return got
