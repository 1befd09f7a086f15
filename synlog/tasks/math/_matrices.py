"""Shared pieces of the matrix tasks (matrix_determinant, matrix_rank, matrix_inverse,
matrix_power): drawing integer matrices, exact arithmetic on them, printing them in a prompt,
and one strict parser for a matrix answer.

A matrix answer is written one row per line, entries separated by single spaces::

    1 -2
    0 3/4

Also read (the same matrix): commas between entries (``1, -2``), a bracketed list of rows
(``[[1, -2], [0, 3/4]]``), and a LaTeX matrix (``\\begin{pmatrix} 1 & -2 \\\\ 0 & \\frac{3}{4}
\\end{pmatrix}``, also ``bmatrix``/``matrix``, inside ``$``/``\\[ \\]``). Markdown fences,
bullets and emphasis follow :mod:`synlog.tasks.common.answers`. Every entry is one number as
written, never evaluated: an integer, or (where the task allows fractions) a fraction ``a/b``
or ``\\frac{a}{b}`` in lowest terms with ``b > 1``. Decimals, unreduced fractions, arithmetic
(``2+1``), a wrong number of rows or columns and over-long text are refused before any value
is compared.
"""

from __future__ import annotations

import re
from fractions import Fraction
from math import gcd

import numpy as np

from synlog.tasks.common.answers import answer_lines
from synlog.tasks.common.arith import format_rational

Matrix = list[list[Fraction]]

#: characters an answer may have per entry (plus a fixed allowance) before it is refused unread
CHARS_PER_ENTRY = 40
#: most digits of one integer in an answer entry
MAX_DIGITS = 40

_DASHES = str.maketrans({"−": "-", "–": "-", "—": "-"})
_LATEX_NOISE = re.compile(r"\$|\\[()\[\]]|\\left\s*[\[(|.]|\\right\s*[\])|.]|\\[,;!]")
_FRAC = re.compile(r"\\[dt]?frac\s*\{\s*([+-]?\d{1,40})\s*\}\s*\{\s*([+-]?\d{1,40})\s*\}")
_ENV = re.compile(r"\s*\\begin\s*\{([pbvBV]?matrix)\}(.*?)\\end\s*\{\1\}\s*", re.S)
_INT = re.compile(rf"[+-]?\d{{1,{MAX_DIGITS}}}")
_RATIO = re.compile(rf"([+-]?\d{{1,{MAX_DIGITS}}})/([+-]?\d{{1,{MAX_DIGITS}}})")
_DECIMAL = re.compile(r"[+-]?(\d+\.\d*|\.\d+)")
_ROW_BRACKETS = re.compile(r"\[([^\[\]]*)\]")
_CELLS = re.compile(r"\s*,\s*|\s+")


class MatrixAnswerError(ValueError):
    """The answer is not a matrix of the asked shape; ``invalid`` marks a readable answer that
    breaks the format (wrong shape, a decimal, an unreduced fraction)."""

    def __init__(self, why: str, invalid: bool = False):
        super().__init__(why)
        self.invalid = invalid


# --------------------------------------------------------------------------- drawing and maths


def draw(rng: np.random.Generator, rows: int, cols: int, bound: int) -> list[list[int]]:
    """A rows×cols matrix of integers drawn uniformly from -bound..bound."""
    return rng.integers(-bound, bound + 1, size=(rows, cols)).tolist()


def determinant(matrix: list[list[int]]) -> int:
    """The exact determinant of a square integer matrix (Bareiss fraction-free elimination)."""
    a = [list(map(int, row)) for row in matrix]
    n, sign, previous = len(a), 1, 1
    for k in range(n - 1):
        if a[k][k] == 0:
            swap = next((i for i in range(k + 1, n) if a[i][k] != 0), None)
            if swap is None:
                return 0
            a[k], a[swap], sign = a[swap], a[k], -sign
        for i in range(k + 1, n):
            for j in range(k + 1, n):
                a[i][j] = (a[i][j] * a[k][k] - a[i][k] * a[k][j]) // previous
        previous = a[k][k]
    return sign * a[-1][-1]


def rank(matrix: list[list[int]]) -> int:
    """The rank of a matrix over the rationals (Gaussian elimination on Fractions)."""
    a = [[Fraction(x) for x in row] for row in matrix]
    rows, cols = len(a), len(a[0]) if a else 0
    r = 0
    for c in range(cols):
        pivot = next((i for i in range(r, rows) if a[i][c] != 0), None)
        if pivot is None:
            continue
        a[r], a[pivot] = a[pivot], a[r]
        for i in range(r + 1, rows):
            if a[i][c]:
                f = a[i][c] / a[r][c]
                a[i] = [x - f * y for x, y in zip(a[i], a[r], strict=True)]
        r += 1
        if r == rows:
            break
    return r


def inverse(matrix: list[list[int]]) -> Matrix:
    """The exact inverse (Gauss-Jordan on Fractions); ValueError when the matrix is singular."""
    n = len(matrix)
    a = [[Fraction(x) for x in row] + [Fraction(int(i == j)) for j in range(n)] for i, row in enumerate(matrix)]
    for c in range(n):
        pivot = next((i for i in range(c, n) if a[i][c] != 0), None)
        if pivot is None:
            raise ValueError("singular matrix")
        a[c], a[pivot] = a[pivot], a[c]
        p = a[c][c]
        a[c] = [x / p for x in a[c]]
        for i in range(n):
            if i != c and a[i][c]:
                f = a[i][c]
                a[i] = [x - f * y for x, y in zip(a[i], a[c], strict=True)]
    return [row[n:] for row in a]


def multiply(a: list[list[int]] | Matrix, b: list[list[int]] | Matrix) -> list[list]:
    """The matrix product ``a @ b`` in exact arithmetic."""
    columns = list(zip(*b, strict=True))
    return [[sum(x * y for x, y in zip(row, col, strict=True)) for col in columns] for row in a]


def power(matrix: list[list[int]], k: int) -> list[list[int]]:
    """``matrix`` to the power ``k >= 1`` by repeated multiplication."""
    out = [row[:] for row in matrix]
    for _ in range(k - 1):
        out = multiply(out, matrix)
    return out


def identity(n: int) -> list[list[int]]:
    return [[int(i == j) for j in range(n)] for i in range(n)]


def transpose(matrix: list[list]) -> list[list]:
    return [list(col) for col in zip(*matrix, strict=True)]


# --------------------------------------------------------------------------- printing


def format_matrix(matrix: list[list]) -> str:
    """The canonical answer text: one row per line, entries (``3``, ``-1/2``) separated by
    single spaces."""
    return "\n".join(" ".join(format_rational(Fraction(x)) for x in row) for row in matrix)


def show_matrix(matrix: list[list], indent: str = "    ") -> str:
    """The matrix for a prompt: one row per line inside brackets, columns right-aligned."""
    cells = [[format_rational(Fraction(x)) for x in row] for row in matrix]
    width = max(len(c) for row in cells for c in row)
    return "\n".join(f"{indent}[ " + "  ".join(c.rjust(width) for c in row) + " ]" for row in cells)


def latex_matrix(matrix: list[list], env: str = "pmatrix") -> str:
    """The matrix as a LaTeX environment (fractions as ``\\frac``), an accepted answer form."""
    return f"\\begin{{{env}}} {latex_body(matrix)} \\end{{{env}}}"


def latex_body(matrix: list[list]) -> str:
    """The rows of a LaTeX matrix: entries joined by ``&``, rows by ``\\\\``."""
    def cell(x: Fraction) -> str:
        x = Fraction(x)
        if x.denominator == 1:
            return str(x.numerator)
        sign = "-" if x < 0 else ""
        return f"{sign}\\frac{{{abs(x.numerator)}}}{{{x.denominator}}}"

    return " \\\\ ".join(" & ".join(cell(x) for x in row) for row in matrix)


def matrix_forms(matrix: list[list]) -> list[str]:
    """The gold matrix in the other forms :func:`parse_matrix` reads."""
    text = format_matrix(matrix)
    rows = text.splitlines()
    listed = "[" + ", ".join("[" + ", ".join(row.split()) + "]" for row in rows) + "]"
    forms = [
        "\n".join(", ".join(row.split()) for row in rows),
        listed,
        "[\n" + ",\n".join("  [" + ", ".join(row.split()) + "]" for row in rows) + "\n]",
        "\n".join(f"[{row}]" for row in rows),
        latex_matrix(matrix),
        f"$${latex_matrix(matrix, 'bmatrix')}$$",
        f"\\[\\left[\\begin{{matrix}} {latex_body(matrix)} \\end{{matrix}}\\right]\\]",
        "\n\n".join(rows),
        f"```\n{text}\n```",
        "\n".join("  ".join(row.split()) for row in rows),
    ]
    if len(rows) > 1 or not rows[0][:1].isdigit():
        forms.append("\n".join(f"- {row}" for row in rows))
    return [f for f in dict.fromkeys(forms) if f != text]


# --------------------------------------------------------------------------- parsing


def _entry(token: str, fractions: bool) -> Fraction:
    token = token.strip()
    if _INT.fullmatch(token):
        return Fraction(int(token))
    match = _RATIO.fullmatch(token)
    if match:
        if not fractions:
            raise MatrixAnswerError(f"entry {token[:30]!r} is not an integer; write each entry as one integer", True)
        top, bottom = int(match.group(1)), int(match.group(2))
        if bottom <= 0:
            raise MatrixAnswerError(f"entry {token[:30]!r}: write a fraction as a/b with b > 0", True)
        if bottom == 1 or gcd(top, bottom) != 1:
            raise MatrixAnswerError(f"entry {token[:30]!r} is not a fraction in lowest terms with a denominator above 1", True)
        return Fraction(top, bottom)
    if _DECIMAL.fullmatch(token):
        raise MatrixAnswerError(f"entry {token[:30]!r} is a decimal; give exact entries", True)
    what = "an integer or a fraction a/b" if fractions else "an integer"
    raise MatrixAnswerError(f"entry {token[:30]!r} is not {what}")


def _split_cells(line: str) -> list[str]:
    return [cell for cell in _CELLS.split(line.strip().strip(",")) if cell]


def _rows_of(text: str) -> list[list[str]]:
    """The answer's rows of entry tokens (shape not yet checked)."""
    text = _FRAC.sub(r"\1/\2", _LATEX_NOISE.sub(" ", text)).strip()
    env = _ENV.fullmatch(text)
    if env:
        body = env.group(2).strip().rstrip("\\").strip()
        return [[c.strip() for c in row.split("&")] for row in re.split(r"\\\\", body) if row.strip()]
    if "\\" in text or "&" in text:
        raise MatrixAnswerError("cannot read this LaTeX as one matrix; use one row per line")
    lines = answer_lines(text)
    if not lines:
        raise MatrixAnswerError("empty answer; expected a matrix, one row per line")
    body = re.sub(r"\[\s+", "[", re.sub(r"\s+\]", "]", " ".join(lines)))
    if body.startswith("[["):  # a list of rows: [[1, 2], [3, 4]]
        inner = body[1:-1] if body.endswith("]]") else None
        if inner is None:
            raise MatrixAnswerError("an unclosed list of rows")
        groups = _ROW_BRACKETS.findall(inner)
        if _ROW_BRACKETS.sub("", inner).replace(",", "").strip():
            raise MatrixAnswerError("expected only bracketed rows inside the outer brackets")
        return [_split_cells(g) for g in groups]
    out = []
    for line in lines:
        if line.startswith("[") and line.endswith("]") and line.count("[") == 1 and line.count("]") == 1:
            line = line[1:-1]
        elif "[" in line or "]" in line:
            raise MatrixAnswerError(f"cannot read the row {line[:40]!r}")
        out.append(_split_cells(line))
    return out


def parse_matrix(text: str, rows: int, cols: int, fractions: bool = False) -> Matrix:
    """Read a rows×cols matrix of exact entries (integers; with ``fractions``, also ``a/b`` in
    lowest terms) from an answer; :class:`MatrixAnswerError` says what is wrong."""
    if not isinstance(text, str):
        raise MatrixAnswerError("expected text")
    if len(text) > CHARS_PER_ENTRY * rows * cols + 200:
        raise MatrixAnswerError("answer too long for the matrix asked", True)
    text = text.translate(_DASHES).strip()
    if not text:
        raise MatrixAnswerError("empty answer; expected a matrix, one row per line")
    tokens = _rows_of(text)
    if len(tokens) != rows:
        raise MatrixAnswerError(f"expected {rows} rows, found {len(tokens)}", True)
    for index, row in enumerate(tokens, start=1):
        if len(row) != cols:
            raise MatrixAnswerError(f"expected {cols} entries in row {index}, found {len(row)}", True)
    return [[_entry(token, fractions) for token in row] for row in tokens]


def top(value: int | tuple[int, int]) -> int:
    """The largest value of a knob that may be a sampled range."""
    return int(value[1]) if isinstance(value, tuple) else int(value)
