"""ARC-style grid transformations: small, deterministic, composable.

A grid is a 2-D numpy array of colours 0–9, 0 being the background. Every transformation
is a pure function ``grid -> grid`` named by a *step*, a dict ``{"op": name, **params}``
(JSON-serialisable, so a composition can be stored with a problem)::

    steps = [{"op": "rotate", "turns": 1}, {"op": "recolour", "source": 2, "target": 5}]
    apply_steps(np.array([[0, 2], [0, 0]]), steps)      # array([[5, 0], [0, 0]])

The library (``OPS``):

- ``rotate(turns)``: a quarter turn clockwise, ``turns`` times (1–3);
- ``reflect(axis)``: ``"h"`` mirrors left↔right, ``"v"`` top↔bottom, ``"d"`` transposes;
- ``recolour(source, target)``: every cell of colour ``source`` becomes ``target``;
- ``gravity(direction)``: non-background cells slide towards ``"down" | "up" | "left" |
  "right"`` within their column or row, keeping their order;
- ``crop()``: the smallest rectangle holding every non-background cell (all of an empty grid);
- ``tile(rows, cols)``: the grid repeated ``rows`` × ``cols`` times;
- ``scale(factor)``: every cell blown up to a ``factor`` × ``factor`` block;
- ``fill_enclosed(colour)``: background cells that cannot reach the border through
  background cells (4-neighbours) take ``colour`` (flood fill of holes);
- ``move(colour, dr, dc)``: every cell of ``colour`` moves by (dr, dc); cells leaving the grid
  vanish, vacated cells become background, moved cells cover what they land on.

:func:`step_space` lists every step of the library for a palette, used by generators to
draw random compositions and to look for simpler compositions explaining the same examples.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

#: largest side a grid may reach (ARC's own limit)
MAX_SIDE = 30
DIRECTIONS = ("down", "up", "left", "right")


def rotate(grid: np.ndarray, turns: int) -> np.ndarray:
    """A quarter turn clockwise, ``turns`` times."""
    return np.rot90(grid, -turns)


def reflect(grid: np.ndarray, axis: str) -> np.ndarray:
    """Mirror left↔right (``h``), top↔bottom (``v``), or transpose (``d``)."""
    if axis == "h":
        return grid[:, ::-1]
    if axis == "v":
        return grid[::-1, :]
    return grid.T


def recolour(grid: np.ndarray, source: int, target: int) -> np.ndarray:
    """Every ``source`` cell becomes ``target``."""
    return np.where(grid == source, target, grid)


def gravity(grid: np.ndarray, direction: str) -> np.ndarray:
    """Slide non-background cells to one side of their column (down/up) or row (left/right)."""
    # turn the grid so the direction is "down", drop each column, turn back
    turns = {"down": 0, "left": 1, "up": 2, "right": 3}[direction]
    work = np.rot90(grid, turns).copy()
    for c in range(work.shape[1]):
        column = work[:, c]
        cells = column[column != 0]
        work[:, c] = 0
        if len(cells):
            work[-len(cells):, c] = cells
    return np.rot90(work, -turns)


def crop(grid: np.ndarray) -> np.ndarray:
    """The bounding box of the non-background cells (the whole grid when there are none)."""
    rows, cols = np.nonzero(grid)
    if not len(rows):
        return grid
    return grid[rows.min():rows.max() + 1, cols.min():cols.max() + 1]


def tile(grid: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """The grid repeated ``rows`` times down and ``cols`` times across."""
    return np.tile(grid, (rows, cols))


def scale(grid: np.ndarray, factor: int) -> np.ndarray:
    """Each cell becomes a ``factor`` × ``factor`` block."""
    return np.kron(grid, np.ones((factor, factor), dtype=grid.dtype))


def fill_enclosed(grid: np.ndarray, colour: int) -> np.ndarray:
    """Background cells not 4-connected to the border through background take ``colour``."""
    h, w = grid.shape
    outside = np.zeros((h, w), dtype=bool)
    queue = deque((r, c) for r in range(h) for c in range(w)
                  if (r in (0, h - 1) or c in (0, w - 1)) and grid[r, c] == 0)
    for r, c in queue:
        outside[r, c] = True
    while queue:
        r, c = queue.popleft()
        for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if 0 <= nr < h and 0 <= nc < w and not outside[nr, nc] and grid[nr, nc] == 0:
                outside[nr, nc] = True
                queue.append((nr, nc))
    return np.where((grid == 0) & ~outside, colour, grid)


def move(grid: np.ndarray, colour: int, dr: int, dc: int) -> np.ndarray:
    """Shift every ``colour`` cell by (dr, dc); leaving cells vanish, moved cells cover others."""
    out = np.where(grid == colour, 0, grid)
    for r, c in zip(*np.nonzero(grid == colour), strict=True):
        nr, nc = r + dr, c + dc
        if 0 <= nr < grid.shape[0] and 0 <= nc < grid.shape[1]:
            out[nr, nc] = colour
    return out


OPS: dict[str, Callable[..., np.ndarray]] = {
    "rotate": rotate, "reflect": reflect, "recolour": recolour, "gravity": gravity, "crop": crop,
    "tile": tile, "scale": scale, "fill_enclosed": fill_enclosed, "move": move,
}


def apply_step(grid: np.ndarray, step: dict[str, Any]) -> np.ndarray:
    """One step of a composition."""
    params = {k: v for k, v in step.items() if k != "op"}
    return np.ascontiguousarray(OPS[step["op"]](grid, **params))


def apply_steps(grid: np.ndarray, steps: Iterable[dict[str, Any]]) -> np.ndarray:
    """A composition, applied left to right."""
    for step in steps:
        grid = apply_step(grid, step)
    return grid


def step_space(palette: Iterable[int], resize: bool = True) -> list[dict[str, Any]]:
    """Every step of the library for the colours in ``palette`` (targets may be any colour 1–9).

    ``resize`` includes the steps that grow the grid (tile, scale).
    """
    palette = sorted(set(palette) - {0})
    steps: list[dict[str, Any]] = [{"op": "rotate", "turns": k} for k in (1, 2, 3)]
    steps += [{"op": "reflect", "axis": a} for a in ("h", "v", "d")]
    steps += [{"op": "gravity", "direction": d} for d in DIRECTIONS]
    steps.append({"op": "crop"})
    steps += [{"op": "recolour", "source": s, "target": t} for s in palette for t in range(1, 10) if t != s]
    steps += [{"op": "fill_enclosed", "colour": c} for c in range(1, 10)]
    steps += [{"op": "move", "colour": c, "dr": dr, "dc": dc} for c in palette
              for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1))]
    if resize:
        steps += [{"op": "tile", "rows": r, "cols": c} for r, c in ((1, 2), (2, 1), (2, 2))]
        steps += [{"op": "scale", "factor": 2}]
    return steps


def describe_step(step: dict[str, Any]) -> str:
    """A step in words (for documentation and debugging, never shown in prompts)."""
    params = ", ".join(f"{k}={v}" for k, v in step.items() if k != "op")
    return f"{step['op']}({params})"
