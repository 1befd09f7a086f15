"""Game of Life: give the grid of Conway's Game of Life after k steps.

The prompt shows a rows×cols grid of live and dead cells and a number of steps k. Every step
updates all cells at once by Conway's rules (B3/S23): a dead cell with exactly three live
neighbours (of its eight) becomes live; a live cell with two or three live neighbours stays
live; every other cell is dead next step. The grid is either *bounded* (cells beyond the edge
are dead and stay dead) or a *torus* (the edges wrap around), as the prompt says.

The gold is computed by stepping a numpy array k times (neighbour counts from eight shifted
copies, zero-padded or rolled). Cells are written in one symbol pair the prompt fixes: ``0``
(dead) / ``1`` (live), or ``.`` / ``#``. The answer is the grid after k steps, one row per
line, cells separated by single spaces; also accepted are rows written without spaces
(``.#..``), commas between cells, a JSON array of arrays and code fences. The other symbol
pair, any other symbol, or a grid of the wrong shape scores 0.

Degenerate answers are capped by generation: an instance is rejected when the final grid is
all dead, equals the initial grid (still lifes, even-step period-2 oscillators), or has at most
one live cell, so "all dead" and "echo the input" never win. ``hardness`` is the number of
cell changes (births and deaths) along the k steps.
"""

from __future__ import annotations

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.grids import GridParseError, grid_forms, parse_grid
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

SYMBOLS = {"01": ("0", "1"), ".#": (".", "#")}
MAX_ANSWER = 20_000


def life_step(grid: np.ndarray, torus: bool) -> np.ndarray:
    """One synchronous B3/S23 step of a 0/1 array (bounded: dead outside; or a torus)."""
    if torus:
        count = sum(np.roll(np.roll(grid, dr, 0), dc, 1)
                    for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr, dc) != (0, 0))
    else:
        padded = np.pad(grid, 1)
        h, w = grid.shape
        count = sum(padded[1 + dr:1 + dr + h, 1 + dc:1 + dc + w]
                    for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr, dc) != (0, 0))
    return ((count == 3) | ((grid == 1) & (count == 2))).astype(np.int64)


def show(grid, symbols: str) -> str:
    dead, live = SYMBOLS[symbols]
    return "\n".join(" ".join(live if v else dead for v in row) for row in grid)


@register
class GameOfLife(Task):
    """Give the grid of Conway's Game of Life after k steps (bounded grid or torus)."""

    name, family, version = "game_of_life", "state", 1
    chance = 0.02
    knobs = Knobs(
        side=Knob(int, levels=[4, 5, 5, 6, 6, 7, 8, 9, 10, 12], lo=3, hi=30, help="grid columns (rows: up to 2 fewer)"),
        steps=Knob(int, levels=[1, 1, 2, 2, 3, 3, 4, 5, 6, 8], lo=1, hi=50, help="steps to simulate"),
        density=Knob(float, levels=[(0.3, 0.45)] * 10, lo=0.05, hi=0.95, help="share of live cells at the start"),
        topology=Knob(str, levels=["bounded"] * 4 + ["either"] * 6, choices=("bounded", "torus", "either"),
                      help="dead border, wrap-around edges, or either at random"),
        symbols=Knob(str, levels=["either"] * 10, choices=("01", ".#", "either"), help="cell symbols"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        cols = p.side
        rows = int(rng.integers(max(3, cols - 2), cols + 1))
        torus = p.topology == "torus" or (p.topology == "either" and bool(rng.integers(2)))
        symbols = p.symbols if p.symbols != "either" else ("01", ".#")[int(rng.integers(2))]
        start = (rng.random((rows, cols)) < p.density).astype(np.int64)
        grid, changes = start, 0
        for _ in range(p.steps):
            nxt = life_step(grid, torus)
            changes += int((nxt != grid).sum())
            grid = nxt
        if grid.sum() <= 1:
            raise Reject("the pattern (nearly) dies out")
        if np.array_equal(grid, start):
            raise Reject("the final grid equals the initial grid")
        data = {"rows": rows, "cols": cols, "steps": p.steps, "torus": torus, "symbols": symbols,
                "initial": start.tolist(), "final": grid.tolist(), "changes": changes}
        return Problem(data, show(grid.tolist(), symbols), float(rows * cols * p.steps))

    def context(self, problem: Problem, lang: str) -> dict:
        d = problem.data
        dead, live = SYMBOLS[d["symbols"]]
        return {**d, "grid": show(d["initial"], d["symbols"]), "dead": dead, "live": live}

    def parse(self, problem: dict, answer: str) -> list[list[str]]:
        if len(answer) > MAX_ANSWER:
            raise GridParseError(f"answer too long ({len(answer)} characters)")
        symbols = problem["symbols"]
        grid = parse_grid(answer, cell=str, markdown=symbols == "01")
        if all(len(row) == 1 for row in grid) and len(grid[0][0]) > 1:
            grid = [list(row[0]) for row in grid]  # rows written without spaces
        return grid

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            grid = self.parse(problem, answer)
        except GridParseError as error:
            return Verdict.unparseable(str(error))
        dead, live = SYMBOLS[problem["symbols"]]
        bad = {cell for row in grid for cell in row} - {dead, live}
        if bad:
            return Verdict.invalid(f"cells must be {dead!r} (dead) or {live!r} (live), not {sorted(bad)[0][:10]!r}")
        gold = problem["final"]
        if len(grid) != len(gold) or any(len(row) != len(gold[0]) for row in grid):
            return Verdict.wrong(f"the grid is {len(gold)}×{len(gold[0])}")
        wrong = sum((cell == live) != bool(g) for row, grow in zip(grid, gold, strict=True)
                    for cell, g in zip(row, grow, strict=True))
        if wrong:
            return Verdict.wrong(f"{wrong} cells differ", cells=wrong)
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        text = problem.answer
        forms = grid_forms(text, full_stops=False, markdown=problem.data["symbols"] == "01")
        forms.append("\n".join(line.replace(" ", "") for line in text.splitlines()))
        return forms

    def forbidden_forms(self, problem: Problem) -> list[str]:
        other = ".#" if problem.data["symbols"] == "01" else "01"
        return [show(problem.data["final"], other)]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        d = problem.data
        gold = np.array(d["final"])
        flipped = gold.copy()
        r, c = int(rng.integers(gold.shape[0])), int(rng.integers(gold.shape[1]))
        flipped[r, c] ^= 1
        before = np.array(d["initial"])
        for _ in range(d["steps"] - 1):
            before = life_step(before, d["torus"])
        after = life_step(gold, d["torus"])
        other = life_step(np.array(d["initial"]), not d["torus"])
        for _ in range(d["steps"] - 1):
            other = life_step(other, not d["torus"])
        wrong = [flipped, before, after, other, np.array(d["initial"]), gold[:-1]]
        return list(dict.fromkeys(show(w.tolist(), d["symbols"]) for w in wrong
                                  if w.shape != gold.shape or not np.array_equal(w, gold)))

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        rows, cols, s = problem["rows"], problem["cols"], problem["symbols"]
        return {"all dead": show([[0] * cols] * rows, s), "all live": show([[1] * cols] * rows, s),
                "the initial grid": show(problem["initial"], s)}

    def hardness(self, problem: dict) -> float:
        return float(problem["changes"])

    def instance_space(self, spec: dict) -> float | None:
        side = spec["side"]
        side = side[1] if isinstance(side, (list, tuple)) else side
        return float(2 ** (side * side))
