"""Rotate matrix: turn a matrix clockwise by 90°, 180° or 270°, possibly several times in a row.

The prompt shows a rows×cols matrix of integers and a list of clockwise rotations (each 90°,
180° or 270°) to apply in order. The answer is the matrix after all of them: one row per line,
entries separated by single spaces. A 90° clockwise turn makes the first column, read from the
bottom up, the new first row, so a rows×cols matrix becomes cols×rows.

The gold is ``np.rot90(matrix, -k)`` with k the total number of quarter turns. Instances whose
total turn is a whole number of revolutions are never generated. Neither are instances whose
result equals the input, its transpose, or its mirror images (rows or columns reversed), so
those answers always score 0. The verifier reads the grid with the shared grid parser
(:mod:`synlog.tasks.common.grids`: commas, a JSON array of arrays, fences, bullets accepted)
and demands the exact shape and every entry. ``hardness`` is the entries times the quarter
turns the listed rotations add up to.

A policy that reads the matrix but ignores the angles and always turns once by the same
amount is not in the degenerate battery: it still has to do the rotation.
"""

from __future__ import annotations

import math

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.grids import GridParseError, format_grid, grid_forms, parse_grid
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

MAX_ANSWER = 20_000
ANGLES = (90, 180, 270)
THEN = {"en": ", then ", "zh": "，然后 "}


def rotate(matrix, angles) -> np.ndarray:
    """``matrix`` after the clockwise rotations ``angles`` (degrees, multiples of 90), in order."""
    return np.rot90(np.asarray(matrix), -(sum(angles) // 90) % 4)


@register
class RotateMatrix(Task):
    """Rotate a matrix clockwise by 90°, 180° or 270°, possibly several times; give the result."""

    name, family, version = "rotate_matrix", "state", 1
    chance = 0.02
    knobs = Knobs(
        rows=Knob(int, levels=[2, 3, 3, 4, 4, 5, 5, 6, 7, 8], lo=2, hi=30, help="matrix rows"),
        extra_cols=Knob(int, levels=[(0, 1), (0, 1), (-1, 1), (-1, 1), (-1, 2), (-1, 2), (-2, 2), (-2, 2),
                                     (-2, 3), (-3, 3)], lo=-10, hi=10, help="columns minus rows"),
        rotations=Knob(int, levels=[1, 1, 1, 2, 2, 3, 3, 4, 4, 5], lo=1, hi=20, help="rotations to apply in turn"),
        max_value=Knob(int, levels=[9, 9, 20, 50, 99, 99, 99, 99, 999, 999], lo=5, hi=10**6, help="largest entry"),
        negative=Knob(bool, levels=[False] * 6 + [True] * 4, help="entries may be negative"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        rows, cols = p.rows, max(2, p.rows + p.extra_cols)
        angles = [int(ANGLES[rng.integers(3)]) for _ in range(p.rotations)]
        if sum(angles) % 360 == 0:
            raise Reject("the rotations add up to whole turns")
        lo = -p.max_value if p.negative else 0
        matrix = rng.integers(lo, p.max_value + 1, (rows, cols))
        result = rotate(matrix, angles)
        for echo in (matrix, matrix.T, matrix[::-1], matrix[:, ::-1]):
            if echo.shape == result.shape and np.array_equal(echo, result):
                raise Reject("the result equals the input, its transpose or a mirror image")
        data = {"rows": rows, "cols": cols, "angles": angles, "matrix": matrix.tolist(), "result": result.tolist()}
        return Problem(data, format_grid(result.tolist()), float(rows * cols * len(angles)))

    def context(self, problem: Problem, lang: str) -> dict:
        d = problem.data
        out_rows, out_cols = (d["rows"], d["cols"]) if (sum(d["angles"]) // 90) % 2 == 0 else (d["cols"], d["rows"])
        return {**d, "matrix_text": format_grid(d["matrix"]), "count": len(d["angles"]),
                "angles_text": THEN[lang].join(f"{a}°" for a in d["angles"]),
                "out_rows": out_rows, "out_cols": out_cols}

    def verify(self, problem: dict, answer: str) -> Verdict:
        if len(answer) > MAX_ANSWER:
            return Verdict.unparseable(f"answer too long ({len(answer)} characters)")
        try:
            grid = parse_grid(answer)
        except GridParseError as error:
            return Verdict.unparseable(str(error))
        gold = rotate(problem["matrix"], problem["angles"]).tolist()
        if len(grid) != len(gold) or len(grid[0]) != len(gold[0]):
            return Verdict.wrong(f"the result is {len(gold)}×{len(gold[0])}, not {len(grid)}×{len(grid[0])}")
        wrong = sum(a != b for row, grow in zip(grid, gold, strict=True) for a, b in zip(row, grow, strict=True))
        if wrong:
            return Verdict.wrong(f"{wrong} entries differ", entries=wrong)
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        return grid_forms(problem.answer)

    def forbidden_forms(self, problem: Problem) -> list[str]:
        # all entries on one line (not a grid), and decimals where integers are asked
        return [" ".join(problem.answer.split()),
                "\n".join(" ".join(f"{x}.0" for x in line.split()) for line in problem.answer.splitlines())]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        d = problem.data
        m, gold = np.array(d["matrix"]), np.array(d["result"])
        changed = gold.copy()
        r, c = int(rng.integers(gold.shape[0])), int(rng.integers(gold.shape[1]))
        changed[r, c] += 1
        wrong = [changed, np.rot90(gold, 2), rotate(m, d["angles"][:1]), np.rot90(m, -1), np.rot90(m, 1), gold.T]
        return list(dict.fromkeys(format_grid(w.tolist()) for w in wrong
                                  if w.shape != gold.shape or not np.array_equal(w, gold)))

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        m = np.array(problem["matrix"])
        return {"the input unchanged": format_grid(m.tolist()), "the transpose": format_grid(m.T.tolist()),
                "rows reversed": format_grid(m[::-1].tolist()), "columns reversed": format_grid(m[:, ::-1].tolist())}

    def hardness(self, problem: dict) -> float:
        return float(problem["rows"] * problem["cols"] * sum(problem["angles"]) // 90)

    def instance_space(self, spec: dict) -> float | None:
        def low(v):
            return v[0] if isinstance(v, (list, tuple)) else v
        rows, hi, k = low(spec["rows"]), low(spec["max_value"]), low(spec["rotations"])
        span = 2 * hi + 1 if spec["negative"] else hi + 1
        exponent = rows * max(2, rows - 1) * math.log10(span) + k * math.log10(3)
        return 10.0 ** min(exponent, 300.0)
