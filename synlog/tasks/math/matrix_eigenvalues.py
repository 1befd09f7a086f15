"""Matrix eigenvalues: list every eigenvalue of a small integer matrix, repeated by its
algebraic multiplicity.

For example::

    [ 4  1 ]
    [ 2  3 ]          answer: 2, 5

The matrix is built from its eigenvalues: a block-diagonal ``D`` holds integer eigenvalues on
the diagonal and, at higher levels, 2×2 companion blocks of ``x^2 - 2p*x + (p^2 - k)`` (``k``
square-free, eigenvalues ``p ± sqrt(k)``); an integer eigenvalue is never 0 (with a 0 the trace
alone would give the rest of a 2×2 spectrum); then ``A = P D P^-1`` with ``P`` a product of random
integer row additions (determinant 1, so ``P^-1`` and ``A`` are integer). The gold multiset is
``D``'s eigenvalues, known exactly; a matrix whose diagonal already lists its eigenvalues
(triangular-looking) is redrawn. Difficulty raises the size, the mixing of ``P``, repeated
eigenvalues and the number of irrational pairs.

Answer format: the eigenvalues separated by commas, in any order, each as many times as its
multiplicity (``2, 2, -1``); braces allowed. Values are compared exactly by the shared math
checker (``kind="multiset"``, ``form="exact"``): ``(2 + sqrt(12))/2`` equals ``1 + sqrt(3)``;
decimals are ``invalid``; ``±`` and ``or`` are hedges (``invalid``); a missing or extra
repetition is ``wrong``. No partial credit: a wrong list scores 0.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.forms import exact_forbidden
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.math_answer import check
from synlog.verifiers.sympy_worker import shared_worker
from synlog.verifiers.verdict import Verdict

#: square-free radicands of the irrational eigenvalue pairs p ± sqrt(k)
RADICANDS = (2, 3, 5, 6, 7, 10, 11, 13)
MAX_ANSWER_CHARS = 2_000

Matrix = list[list[int]]


def _identity(n: int) -> Matrix:
    return [[int(i == j) for j in range(n)] for i in range(n)]


def _multiply(a: Matrix, b: Matrix) -> Matrix:
    return [[sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))] for i in range(len(a))]


def _unimodular(rng: np.random.Generator, n: int, steps: int, scale: int) -> tuple[Matrix, Matrix]:
    """``(P, P^-1)``: ``steps`` random row additions ``row_i += c*row_j`` and their inverses."""
    p, q = _identity(n), _identity(n)
    for _ in range(steps):
        i, j = (int(v) for v in rng.choice(n, 2, replace=False))
        c = int(rng.integers(1, scale + 1)) * (1 if rng.random() < 0.5 else -1)
        # P <- E P with E = I + c e_ij; P^-1 <- P^-1 E^-1 with E^-1 = I - c e_ij
        p[i] = [p[i][k] + c * p[j][k] for k in range(n)]
        for r in range(n):
            q[r][j] -= c * q[r][i]
    return p, q


def eigen_text(p: int, k: int, sign: int) -> str:
    """``p + sqrt(k)`` / ``p - sqrt(k)`` / ``sqrt(k)`` / ``-sqrt(k)``."""
    if p == 0:
        return f"sqrt({k})" if sign > 0 else f"-sqrt({k})"
    return f"{p} {'+' if sign > 0 else '-'} sqrt({k})"


def format_matrix(matrix: Matrix) -> str:
    """Rows in brackets, entries right-aligned to a common width."""
    width = max(len(str(v)) for row in matrix for v in row)
    return "\n".join("[ " + "  ".join(str(v).rjust(width) for v in row) + " ]" for row in matrix)


@register
class MatrixEigenvalues(Task):
    """Find all eigenvalues of a small integer matrix, each repeated by its multiplicity."""

    name, family, version = "matrix_eigenvalues", "math", 1
    knobs = Knobs(
        size=Knob(int, levels=[2, 2, 3, 3, 3, 4, 4, 4, 5, 5], lo=2, hi=6, help="the matrix is size×size"),
        eigen_max=Knob(int, levels=[12, 12, 9, 9, 9, 9, 9, 9, 9, 9], lo=2, hi=20,
                       help="integer eigenvalues lie in -eigen_max..eigen_max, never 0"),
        repeat=Knob(float, levels=[0.0, 0.0, 0.2, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3], lo=0.0, hi=1.0,
                    help="chance that an integer eigenvalue repeats the previous one"),
        pairs=Knob(int, levels=[0, 0, 0, 0, 0, 1, 1, 1, 1, 2], lo=0, hi=3,
                   help="irrational eigenvalue pairs p ± sqrt(k)"),
        mix=Knob(int, levels=[3, 3, 4, 5, 6, 7, 8, 9, 10, 12], lo=1, hi=30,
                 help="random row additions in P (A = P D P^-1)"),
        entry_max=Knob(int, levels=[30, 36, 40, 50, 60, 80, 100, 120, 150, 200], lo=5, hi=10**4,
                       help="largest absolute entry of the matrix"),
    )

    def check_params(self, params: Params) -> None:
        from synlog.errors import KnobError

        if 2 * params.pairs > params.size:
            raise KnobError(f"pairs={params.pairs} needs size ≥ {2 * params.pairs}; got size={params.size}")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n = p.size
        d = [[0] * n for _ in range(n)]
        values: list[tuple[float, str]] = []
        at = 0
        for _ in range(p.pairs):
            centre, k = int(rng.integers(-3, 4)), int(rng.choice(RADICANDS))
            d[at][at + 1], d[at + 1][at], d[at + 1][at + 1] = -(centre * centre - k), 1, 2 * centre
            values += [(centre - math.sqrt(k), eigen_text(centre, k, -1)),
                       (centre + math.sqrt(k), eigen_text(centre, k, 1))]
            at += 2
        previous: int | None = None
        while at < n:
            if previous is not None and rng.random() < p.repeat:
                value = previous
            else:
                value = int(rng.integers(1, p.eigen_max + 1)) * (1 if rng.random() < 0.5 else -1)
            d[at][at] = value
            values.append((float(value), str(value)))
            previous, at = value, at + 1
        pm, pinv = _unimodular(rng, n, p.mix, 2 if n <= 3 else 1)
        matrix = _multiply(_multiply(pm, d), pinv)
        if max(abs(v) for row in matrix for v in row) > p.entry_max:
            raise Reject("entries too large")
        if sum(1 for i in range(n) for j in range(n) if i != j and matrix[i][j] != 0) < n:
            raise Reject("too few off-diagonal entries")
        gold_values = [text for _, text in sorted(values)]
        diagonal = sorted(matrix[i][i] for i in range(n))
        if not p.pairs and diagonal == sorted(int(v) for v in gold_values):
            raise Reject("the diagonal lists the eigenvalues")
        answer = ", ".join(gold_values)
        digits = sum(len(str(abs(v))) for row in matrix for v in row)
        data = {"matrix": matrix, "size": n, "eigenvalues": answer}
        return Problem(data, answer, float(n * n * (1 + p.pairs) + digits))

    def context(self, problem: Problem, lang: str) -> dict:
        data = dict(problem.data)
        data["matrix_text"] = format_matrix(data["matrix"])
        return data

    def warm_up(self) -> None:
        shared_worker().start()

    def verify(self, problem: dict, answer: str) -> Verdict:
        if len(answer) > MAX_ANSWER_CHARS:
            return Verdict.invalid(f"answer longer than {MAX_ANSWER_CHARS} characters")
        verdict = check(problem["eigenvalues"], answer, kind="multiset", form="exact")
        verdict.details.pop("fraction", None)  # no partial credit: a guessed eigenvalue earns nothing
        return verdict

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Lists that need no algebra: the diagonal entries, n zeros, n ones, 1..n, the trace
        followed by zeros."""
        matrix, n = problem["matrix"], int(problem["size"])
        trace = sum(matrix[i][i] for i in range(n))
        return {"the diagonal": ", ".join(str(matrix[i][i]) for i in range(n)),
                "zeros": ", ".join(["0"] * n), "ones": ", ".join(["1"] * n),
                "1 to n": ", ".join(str(k) for k in range(1, n + 1)),
                "the trace then zeros": ", ".join([str(trace)] + ["0"] * (n - 1))}

    def hardness(self, problem: dict) -> float:
        """The work of the characteristic polynomial: n^3 times the mean digits of an entry,
        doubled when an eigenvalue is irrational (the quadratic formula is needed)."""
        matrix, n = problem["matrix"], int(problem["size"])
        digits = sum(len(str(abs(v))) for row in matrix for v in row) / (n * n)
        return float(n ** 3 * digits * (2 if "sqrt" in problem["eigenvalues"] else 1))

    def instance_space(self, spec: dict) -> float | None:
        """Eigenvalue choices times the mixing matrices (a loose estimate)."""
        top = lambda v: v[1] if isinstance(v, tuple) else v  # noqa: E731
        n, e, mix = top(spec["size"]), top(spec["eigen_max"]), top(spec["mix"])
        return float((2 * e + 1) ** n * (n * (n - 1) * 2) ** mix)

    def alternative_forms(self, problem: Problem) -> list[str]:
        values = problem.data["eigenvalues"].split(", ")
        latex = ", ".join(v.replace("sqrt(", "\\sqrt{").replace(")", "}") for v in values)
        return [", ".join(reversed(values)), "{" + ", ".join(values) + "}", latex, "; ".join(values)]

    def forbidden_forms(self, problem: Problem) -> list[str]:
        """An integer eigenvalue as a decimal (the prompt asks for exact values)."""
        values = problem.data["eigenvalues"].split(", ")
        integers = [i for i, v in enumerate(values) if "sqrt" not in v]
        if not integers:
            return []
        i = integers[-1]
        return [", ".join(values[:i] + exact_forbidden(Fraction(values[i])) + values[i + 1:])]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        values = problem.data["eigenvalues"].split(", ")
        wrong = [", ".join(values + [values[0]]), ", ".join(values[1:]),
                 ", ".join(values[:-1] + [f"{values[-1]} + 1"]),
                 ", ".join(f"{v} + 1" for v in values)]
        if any("sqrt" in v for v in values):
            wrong.append(", ".join(v.replace("-", "+") if "sqrt" in v else v for v in values))
        return [w for w in wrong if w]
