"""Matrix power: an integer matrix raised to a small power k.

For example::

    A = [ 1  2 ]       k = 3        answer:  13 14
        [ 0 -1 ]  ... (A³)                    ...

Generation draws an n×n matrix of integers from -entry_max..entry_max and computes A^k by
repeated exact integer multiplication. Matrices for which a shortcut gives the answer are
redrawn: A^k equal to A, to the identity or to zero (idempotent, periodic and nilpotent
matrices), to the entrywise power (every diagonal matrix), to k·A, or to A² when k > 2. Difficulty
raises the size (2×2 to 4×4) and the power (2 to 4). ``effort`` is the scalar multiplications of
the repeated product, n³(k − 1).

Answer format: A^k one row per line, entries separated by spaces, each one integer (read by the
strict parser of :mod:`synlog.tasks.math._matrices`: commas, ``[[...], [...]]`` and a LaTeX
``pmatrix``/``bmatrix`` are read too). The verifier recomputes A^k from the problem's matrix and
compares entry by entry. Decimals (``4.0``), fractions (``8/2``), arithmetic (``3+1``), a wrong
shape and several matrices are refused.
"""

from __future__ import annotations

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.forms import integer_forbidden
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.math._matrices import (
    MatrixAnswerError,
    draw,
    format_matrix,
    identity,
    matrix_forms,
    multiply,
    parse_matrix,
    power,
    show_matrix,
    top,
)
from synlog.verifiers.verdict import Verdict

#: matrices drawn inside one ``generate`` call before handing a Reject to the engine
CANDIDATES_PER_CALL = 100
SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _shortcuts(matrix: list[list[int]], k: int) -> dict[str, list[list[int]]]:
    """Answers that skip the multiplication, by name."""
    n = len(matrix)
    out = {
        "the matrix itself": matrix,
        "the identity": identity(n),
        "the zero matrix": [[0] * n for _ in range(n)],
        "entrywise power": [[x ** k for x in row] for row in matrix],
        "k times the matrix": [[k * x for x in row] for row in matrix],
    }
    if k > 2:
        out["the square"] = multiply(matrix, matrix)
    return out


@register
class MatrixPower(Task):
    """Raise a square integer matrix to a small power k, exactly."""

    name, family, version = "matrix_power", "math", 1
    chance = 0.02
    knobs = Knobs(
        size=Knob(int, levels=[2, 2, 2, 2, 3, 3, 3, 3, 4, 4], lo=2, hi=6, help="rows (and columns) of the matrix"),
        power=Knob(int, levels=[2, 3, 3, 4, 2, 3, 3, 4, 3, 4], lo=2, hi=8, help="the exponent k"),
        entry_max=Knob(int, levels=[4, 4, 5, 5, 3, 3, 4, 4, 3, 3], lo=1, hi=20,
                       help="entries are drawn from -entry_max..entry_max"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n, k = p.size, p.power
        for _ in range(CANDIDATES_PER_CALL):
            matrix = draw(rng, n, n, p.entry_max)
            result = power(matrix, k)
            if result not in _shortcuts(matrix, k).values():
                break
        else:
            raise Reject("every matrix drawn had a shortcut power")
        data = {"matrix": matrix, "k": k, "power": result}
        return Problem(data, format_matrix(result), float(n ** 3 * (k - 1)))

    def context(self, problem: Problem, lang: str) -> dict:
        data = problem.data
        return {**data, "n": len(data["matrix"]), "matrix_text": show_matrix(data["matrix"]),
                "sup": str(data["k"]).translate(SUPERSCRIPTS)}

    def verify(self, problem: dict, answer: str) -> Verdict:
        matrix = problem["matrix"]
        n = len(matrix)
        try:
            x = parse_matrix(answer, n, n, fractions=False)
        except MatrixAnswerError as error:
            return Verdict.invalid(str(error)) if error.invalid else Verdict.unparseable(str(error))
        gold = power(matrix, int(problem["k"]))
        wrong = sum(a != b for ra, rb in zip(x, gold, strict=True) for a, b in zip(ra, rb, strict=True))
        if wrong:
            return Verdict.wrong(f"{wrong} of {n * n} entries differ from A^{problem['k']}", wrong_entries=wrong)
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """The matrix echoed, the identity, zero, the entrywise power, k·A, and A² for k > 2."""
        return {name: format_matrix(m) for name, m in _shortcuts(problem["matrix"], int(problem["k"])).items()}

    def hardness(self, problem: dict) -> float:
        """Entries of A plus every digit of the result (how large the numbers to track get)."""
        n = len(problem["matrix"])
        return float(n * n + sum(len(str(abs(x))) for row in problem["power"] for x in row))

    def instance_space(self, spec: dict) -> float | None:
        n, bound = top(spec["size"]), top(spec["entry_max"])
        return float((2 * bound + 1) ** (n * n))

    def alternative_forms(self, problem: Problem) -> list[str]:
        return matrix_forms(problem.data["power"])

    def forbidden_forms(self, problem: Problem) -> list[str]:
        """The first entry as an expression, a decimal or a fraction."""
        gold = problem.data["power"]
        head = str(gold[0][0])
        rest = format_matrix(gold)[len(head):]
        return [f"{form}{rest}" for form in integer_forbidden(gold[0][0])]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        matrix, k, gold = problem.data["matrix"], int(problem.data["k"]), problem.data["power"]
        n = len(gold)
        i, j = int(rng.integers(n)), int(rng.integers(n))
        bumped = [row[:] for row in gold]
        bumped[i][j] += 1
        out = [format_matrix(bumped), format_matrix(gold) + "\nor\n" + format_matrix(bumped)]
        for other in (power(matrix, k - 1), power(matrix, k + 1), [list(col) for col in zip(*gold, strict=True)]):
            if other != gold:
                out.append(format_matrix(other))
        return out
