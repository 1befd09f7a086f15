"""Matrix inverse: the exact inverse of an invertible integer matrix.

For example::

    [ 2  1 ]                          answer:   3/5  -1/5
    [ 1  3 ]     (det = 5)                     -1/5   2/5

Generation draws an n×n matrix of integers from -entry_max..entry_max whose determinant
(Bareiss, exact) has an absolute value in det_min..det_max, so the matrix is never singular
and the denominators stay readable (det ±1 at levels 3 and 7: an integer inverse of a larger matrix). The
inverse is computed by Gauss-Jordan elimination on Fractions. Matrices whose inverse a
shortcut gives are redrawn: the identity, involutions (A⁻¹ = A), signed permutations and other
orthogonal matrices (A⁻¹ = Aᵀ), A⁻¹ = -A or -Aᵀ, and entrywise reciprocals. Difficulty raises
the size (2×2 to 4×4), the entries and the determinant (hence the denominators). ``effort`` is
n³ times the bits of entry_max plus the bits of det_max.

Answer format: the inverse one row per line, entries separated by spaces, each an integer or a
fraction a/b in lowest terms with b > 1 (read by the strict parser of
:mod:`synlog.tasks.math._matrices`: also commas, ``[[...], [...]]``, a LaTeX ``pmatrix`` /
``bmatrix`` with ``\\frac``). The verifier checks the answer X against the problem: A·X must be
the identity, in exact arithmetic. A decimal, an unreduced fraction (``2/10``, ``4/2``, ``3/1``),
an expression, a factored-out scalar (``1/5 * [...]``), a wrong shape and several matrices are
refused.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from synlog.errors import KnobError, Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.arith import format_rational
from synlog.tasks.common.forms import rational_forbidden
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.math._matrices import (
    MatrixAnswerError,
    determinant,
    draw,
    format_matrix,
    identity,
    inverse,
    matrix_forms,
    multiply,
    parse_matrix,
    show_matrix,
    top,
    transpose,
)
from synlog.verifiers.verdict import Verdict

#: matrices drawn inside one ``generate`` call before handing a Reject to the engine
CANDIDATES_PER_CALL = 400


def _shortcuts(matrix: list[list[int]]) -> dict[str, list[list]]:
    """Answers that skip the inversion, by name."""
    n = len(matrix)
    out: dict[str, list[list]] = {
        "the identity": identity(n),
        "the matrix itself": matrix,
        "the transpose": transpose(matrix),
        "the negated matrix": [[-x for x in row] for row in matrix],
        "the negated transpose": [[-x for x in row] for row in transpose(matrix)],
    }
    if all(x for row in matrix for x in row):
        out["entrywise reciprocals"] = [[Fraction(1, x) for x in row] for row in matrix]
    return out


@register
class MatrixInverse(Task):
    """Invert an integer matrix exactly (rational entries)."""

    name, family, version = "matrix_inverse", "math", 1
    chance = 0.02
    knobs = Knobs(
        size=Knob(int, levels=[2, 2, 3, 3, 3, 3, 4, 4, 4, 4], lo=2, hi=6, help="rows (and columns) of the matrix"),
        entry_max=Knob(int, levels=[9, 12, 3, 4, 5, 6, 3, 4, 5, 6], lo=1, hi=20,
                       help="entries are drawn from -entry_max..entry_max"),
        det_min=Knob(int, levels=[1, 2, 1, 2, 2, 2, 1, 2, 2, 2], lo=1, hi=1000,
                     help="smallest |determinant| (1 allows integer inverses)"),
        det_max=Knob(int, levels=[4, 12, 1, 6, 12, 20, 3, 8, 15, 24], lo=1, hi=1000,
                     help="largest |determinant| (the largest denominator of the inverse)"),
    )

    def check_params(self, params: Params) -> None:
        if params.det_min > params.det_max:
            raise KnobError(f"det_min ({params.det_min}) must not exceed det_max ({params.det_max})")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n = p.size
        for _ in range(CANDIDATES_PER_CALL):
            matrix = draw(rng, n, n, p.entry_max)
            det = determinant(matrix)
            if not p.det_min <= abs(det) <= p.det_max:
                continue
            inv = inverse(matrix)
            if any(inv == [[Fraction(x) for x in row] for row in m] for m in _shortcuts(matrix).values()):
                continue
            break
        else:
            raise Reject(f"no {n}×{n} matrix with |det| in {p.det_min}..{p.det_max} drawn")
        effort = float(n ** 3 * (p.entry_max.bit_length() + p.det_max.bit_length()))
        data = {"matrix": matrix, "det": det, "inverse": [[format_rational(x) for x in row] for row in inv]}
        return Problem(data, format_matrix(inv), effort)

    def context(self, problem: Problem, lang: str) -> dict:
        return {**problem.data, "n": len(problem.data["matrix"]), "matrix_text": show_matrix(problem.data["matrix"])}

    def verify(self, problem: dict, answer: str) -> Verdict:
        matrix = problem["matrix"]
        n = len(matrix)
        try:
            x = parse_matrix(answer, n, n, fractions=True)
        except MatrixAnswerError as error:
            return Verdict.invalid(str(error)) if error.invalid else Verdict.unparseable(str(error))
        if multiply(matrix, x) != identity(n):
            wrong = sum(a != Fraction(b) for ra, rb in zip(x, problem["inverse"], strict=True)
                        for a, b in zip(ra, rb, strict=True))
            return Verdict.wrong("A times the answer is not the identity", wrong_entries=wrong)
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """The identity, the matrix echoed, its transpose, negation, negated transpose, and its
        entrywise reciprocals."""
        return {name: format_matrix(m) for name, m in _shortcuts(problem["matrix"]).items()}

    def hardness(self, problem: dict) -> float:
        """n³ elimination steps plus every digit of the entries and of the inverse."""
        digits = sum(len(str(abs(x))) for row in problem["matrix"] for x in row)
        digits += sum(len(e.lstrip("-")) - ("/" in e) for row in problem["inverse"] for e in row)
        return float(len(problem["matrix"]) ** 3 + digits)

    def instance_space(self, spec: dict) -> float | None:
        """All matrices of the entry range (an upper bound: most are outside the det range)."""
        n, bound = top(spec["size"]), top(spec["entry_max"])
        return float((2 * bound + 1) ** (n * n))

    def _gold(self, problem: Problem) -> list[list[Fraction]]:
        return [[Fraction(e) for e in row] for row in problem.data["inverse"]]

    def alternative_forms(self, problem: Problem) -> list[str]:
        return matrix_forms(self._gold(problem))

    def forbidden_forms(self, problem: Problem) -> list[str]:
        """The first entry unreduced, as a decimal, a sum or a mixed number; the inverse written
        as 1/det times the adjugate."""
        gold = self._gold(problem)
        text = format_matrix(gold)
        first = gold[0][0]
        head = format_rational(first)
        rest = text[len(head):]
        out = [f"{form}{rest}" for form in rational_forbidden(first)]
        det = problem.data["det"]
        if abs(det) > 1:
            adjugate = [[x * det for x in row] for row in gold]
            out.append(f"1/{det} * " + "[" + ", ".join("[" + ", ".join(format_rational(x) for x in row) + "]"
                                                        for row in adjugate) + "]")
        return out

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = self._gold(problem)
        n = len(gold)
        i, j = int(rng.integers(n)), int(rng.integers(n))
        bumped = [row[:] for row in gold]
        bumped[i][j] += 1
        out = [format_matrix(bumped), format_matrix(gold) + " or " + format_matrix(bumped)]
        if transpose(gold) != gold:
            out.append(format_matrix(transpose(gold)))
        nonzero = [(a, b) for a in range(n) for b in range(n) if gold[a][b]]
        if nonzero:
            a, b = nonzero[int(rng.integers(len(nonzero)))]
            flipped = [row[:] for row in gold]
            flipped[a][b] = -flipped[a][b]
            out.append(format_matrix(flipped))
        out.append(format_matrix([[x * problem.data["det"] for x in row] for row in gold])
                   if abs(problem.data["det"]) > 1 else format_matrix([[-x for x in row] for row in gold]))
        return out
