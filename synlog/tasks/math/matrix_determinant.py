"""Matrix determinant: the exact determinant of a square integer matrix.

For example::

    [  3  -1 ]
    [  4   2 ]          answer: 10      (3*2 - (-1)*4)

Generation draws an n×n matrix of integers from -entry_max..entry_max and computes its
determinant exactly with fraction-free Bareiss elimination (integers only, no floats). Two
shortcuts are redrawn so that they never give the answer: the product of the diagonal (true
for every triangular matrix) and the trace; a singular matrix is kept only one time in four
(so that "0" stays a poor guess while singular matrices still occur). Difficulty raises the
size (2×2 to 5×5) and the entry range. ``effort`` is n³ times the bits of the largest allowed
entry (the multiplications of elimination, weighted by operand size).

Answer format: one integer, nothing else (the shared math checker, ``form="integer"``): ``10``,
``+10`` and ``$10$`` are accepted; an expression (``12 - 2``), a decimal (``10.0``), a fraction
(``20/2``) and several candidates (``10 or -10``) are not.
"""

from __future__ import annotations

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.forms import NumberAnswer
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.math._matrices import determinant, draw, show_matrix, top

#: matrices drawn inside one ``generate`` call before handing a Reject to the engine
CANDIDATES_PER_CALL = 100
#: the share of singular draws kept
KEEP_SINGULAR = 0.25


@register
class MatrixDeterminant(NumberAnswer, Task):
    """Compute the exact determinant of a square integer matrix."""

    name, family, version = "matrix_determinant", "math", 1
    value_form = "integer"
    chance = 0.03
    knobs = Knobs(
        size=Knob(int, levels=[2, 2, 3, 3, 3, 4, 4, 4, 5, 5], lo=2, hi=8, help="rows (and columns) of the matrix"),
        entry_max=Knob(int, levels=[9, 12, 4, 6, 9, 4, 6, 9, 5, 9], lo=1, hi=99,
                       help="entries are drawn from -entry_max..entry_max"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n, bound = p.size, p.entry_max
        for _ in range(CANDIDATES_PER_CALL):
            matrix = draw(rng, n, n, bound)
            value = determinant(matrix)
            diagonal = int(np.prod([matrix[i][i] for i in range(n)], dtype=object))
            trace = sum(matrix[i][i] for i in range(n))
            if value in (diagonal, trace):
                continue  # a shortcut would give the answer
            if value == 0 and rng.random() >= KEEP_SINGULAR:
                continue
            break
        else:
            raise Reject("every matrix drawn had a shortcut determinant")
        effort = float(n ** 3 * max(1, bound.bit_length()))
        return Problem({"matrix": matrix, "value": str(value)}, str(value), effort)

    def context(self, problem: Problem, lang: str) -> dict:
        return {**problem.data, "n": len(problem.data["matrix"]), "matrix_text": show_matrix(problem.data["matrix"])}

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Shortcuts that skip the elimination: the product of the diagonal, the trace, the
        top-left entry, the sum of all entries, and (above 2×2) the 2×2 rule applied to the four
        corners."""
        m = problem["matrix"]
        n = len(m)
        diagonal = int(np.prod([m[i][i] for i in range(n)], dtype=object))
        out = {
            "product of the diagonal": str(diagonal),
            "trace": str(sum(m[i][i] for i in range(n))),
            "top-left entry": str(m[0][0]),
            "sum of the entries": str(sum(map(sum, m))),
        }
        if n > 2:  # for a 2×2 the corner rule is the determinant
            out["corner rule"] = str(m[0][0] * m[-1][-1] - m[0][-1] * m[-1][0])
        return out

    def hardness(self, problem: dict) -> float:
        """n³ elimination steps plus every digit of the entries and of the determinant."""
        m = problem["matrix"]
        digits = sum(len(str(abs(x))) for row in m for x in row) + len(problem["value"].lstrip("-"))
        return float(len(m) ** 3 + digits)

    def instance_space(self, spec: dict) -> float | None:
        n, bound = top(spec["size"]), top(spec["entry_max"])
        return float((2 * bound + 1) ** (n * n))

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        value = int(problem.data["value"])
        out = [str(value + 1), str(value - 1), f"{value} or {value + 1}"]
        if value:
            out.append(str(-value))
        return out
