"""Matrix rank: the rank of each of several integer matrices.

For example (two of the three or four matrices a prompt shows)::

    A = [ 1  2 ]        B = [ 1  2  3 ]
        [ 2  4 ]            [ 0  1  1 ]          answer: 1, 2, ...

One matrix's rank takes few values (1..3 for a 3×3), so a prompt asks for the ranks of three or
four matrices at once and the answer is the list of ranks in order: a constant guess ("all
full rank") then hits one row in 27 or fewer, where a single 3×3 would pay it one row in three.

Generation picks each matrix's shape (the knobs ``rows`` × ``cols``, transposed at random), a
target rank r uniformly in 1..min(rows, cols), and builds the matrix as a product L·R of random
integer factors (rows×r and r×cols, entries in -coef..coef), so rank-deficient matrices look
like any other; the rank of the product is then computed exactly (Gaussian elimination on
Fractions) and the draw is kept only when it equals r and the matrix has no zero row or
column (a zero line is a visible hint). Difficulty raises the number of matrices, their size
and the factor entries. ``effort`` is the elimination work, Σ rows·cols·min(rows, cols).

Answer format: the ranks in the order A, B, C, ... separated by commas (``1, 2, 3, 2``); named
items in any order (``A: 1, B: 2, ...`` or ``rank(A) = 1, ...``) are also read. Every matrix
exactly once; each rank one integer. A missing, extra or repeated item is ``invalid``;
anything else that is not this list (a hedge, a word, a decimal) is ``unparseable``. There is no
partial credit: the verdict is ok only when every rank is right.
"""

from __future__ import annotations

import re

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import unwrap
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.math._matrices import multiply, rank, show_matrix, top
from synlog.verifiers.verdict import Verdict

NAMES = "ABCDEFGH"
#: factor pairs drawn for one matrix before handing a Reject to the engine
CANDIDATES_PER_MATRIX = 60
#: the example ranks the prompt shows (its first ``k``)
EXAMPLE = (2, 1, 3, 2, 1, 3, 2, 1)

_NAMED = re.compile(r"(?:rank\s*\(?\s*)?([A-Za-z])\s*\)?\s*[:=]\s*([+-]?\d{1,4})")
_LIST_SEPARATORS = re.compile(r"\s*[,;\n]\s*|\s+")
_ITEM_SEPARATORS = re.compile(r"\s*[,;\n]\s*")


class RankAnswerError(ValueError):
    def __init__(self, why: str, invalid: bool = False):
        super().__init__(why)
        self.invalid = invalid


def parse_ranks(text: str, names: list[str]) -> dict[str, int]:
    """The ranks of an answer, by matrix name: ``1, 2, 3`` (in order) or ``A: 1, C: 3, B: 2``."""
    if len(text) > 200 + 30 * len(names):
        raise RankAnswerError("answer too long", True)
    text = unwrap(text.translate({0x2212: "-"})).strip()
    if len(text) >= 2 and text[0] + text[-1] in ("()", "[]", "{}"):
        text = text[1:-1].strip()
    if not text:
        raise RankAnswerError("empty answer; expected the ranks separated by commas")
    if ":" in text or "=" in text:
        values: dict[str, int] = {}
        for item in _ITEM_SEPARATORS.split(text):
            if not item:
                continue
            match = _NAMED.fullmatch(item)
            if not match:
                raise RankAnswerError(f"cannot read {item[:30]!r} as 'A: rank'")
            name = match.group(1).upper()
            if name not in names:
                raise RankAnswerError(f"{name} is not one of the matrices {', '.join(names)}", True)
            if name in values:
                raise RankAnswerError(f"{name} is answered twice", True)
            values[name] = int(match.group(2))
        missing = [n for n in names if n not in values]
        if missing:
            raise RankAnswerError(f"no rank for {', '.join(missing)}", True)
        return values
    items = [item for item in _LIST_SEPARATORS.split(text) if item]
    for item in items:
        if not re.fullmatch(r"[+-]?\d{1,4}", item):
            raise RankAnswerError(f"{item[:30]!r} is not a rank (one integer)")
    if len(items) != len(names):
        raise RankAnswerError(f"expected {len(names)} ranks, one per matrix, got {len(items)}", True)
    return {name: int(item) for name, item in zip(names, items, strict=True)}


def _matrix(rng: np.random.Generator, rows: int, cols: int, coef: int) -> tuple[list[list[int]], int]:
    target = int(rng.integers(1, min(rows, cols) + 1))
    for _ in range(CANDIDATES_PER_MATRIX):
        left = rng.integers(-coef, coef + 1, size=(rows, target)).tolist()
        right = rng.integers(-coef, coef + 1, size=(target, cols)).tolist()
        matrix = multiply(left, right)
        if any(not any(row) for row in matrix) or any(not any(col) for col in zip(*matrix, strict=True)):
            continue
        if rank(matrix) == target:
            return matrix, target
    raise Reject(f"no {rows}×{cols} matrix of rank {target} drawn")


@register
class MatrixRank(Task):
    """Find the rank of each of several integer matrices."""

    name, family, version = "matrix_rank", "math", 1
    chance = 0.04
    knobs = Knobs(
        n_matrices=Knob(int, levels=[3, 3, 4, 4, 4, 4, 4, 4, 4, 4], lo=3, hi=len(NAMES),
                        help="matrices in one prompt (the answer lists a rank for each)"),
        rows=Knob(int, levels=[3, 3, 3, 3, 4, 4, 4, 5, 5, 6], lo=2, hi=8, help="rows of each matrix"),
        cols=Knob(int, levels=[3, 4, 4, 5, 4, 5, 6, 5, 6, 6], lo=2, hi=8,
                  help="columns of each matrix (each matrix is transposed with probability 1/2)"),
        coef=Knob(int, levels=[2, 2, 2, 3, 2, 3, 3, 3, 3, 3], lo=1, hi=9,
                  help="entries of the two random factors lie in -coef..coef"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        matrices, ranks, effort = [], [], 0
        for _ in range(p.n_matrices):
            rows, cols = (p.rows, p.cols) if rng.random() < 0.5 else (p.cols, p.rows)
            matrix, r = _matrix(rng, rows, cols, p.coef)
            matrices.append(matrix)
            ranks.append(r)
            effort += rows * cols * min(rows, cols)
        names = list(NAMES[: p.n_matrices])
        data = {"names": names, "matrices": matrices, "ranks": ranks}
        return Problem(data, ", ".join(map(str, ranks)), float(effort))

    def context(self, problem: Problem, lang: str) -> dict:
        data = problem.data
        shown = [{"name": n, "rows": len(m), "cols": len(m[0]), "text": show_matrix(m)}
                 for n, m in zip(data["names"], data["matrices"], strict=True)]
        return {**data, "k": len(data["names"]), "shown": shown,
                "example": ", ".join(map(str, EXAMPLE[: len(data["names"])]))}

    def verify(self, problem: dict, answer: str) -> Verdict:
        names = problem["names"]
        try:
            values = parse_ranks(answer, names)
        except RankAnswerError as error:
            return Verdict.invalid(str(error)) if error.invalid else Verdict.unparseable(str(error))
        wrong = [n for n, r in zip(names, problem["ranks"], strict=True) if values[n] != r]
        if wrong:
            return Verdict.wrong(f"wrong rank for {', '.join(wrong)}", wrong=wrong)
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Ranks read off the shape or guessed alike: every matrix of full rank, every rank 1,
        every rank 2, and the number of rows of each."""
        shapes = [(len(m), len(m[0])) for m in problem["matrices"]]
        k = len(shapes)
        return {
            "every matrix of full rank": ", ".join(str(min(s)) for s in shapes),
            "every rank 1": ", ".join(["1"] * k),
            "every rank 2": ", ".join(["2"] * k),
            "number of rows": ", ".join(str(s[0]) for s in shapes),
        }

    def hardness(self, problem: dict) -> float:
        """Entries to eliminate plus every digit printed."""
        cells = sum(len(m) * len(m[0]) for m in problem["matrices"])
        digits = sum(len(str(abs(x))) for m in problem["matrices"] for row in m for x in row)
        return float(cells + digits)

    def instance_space(self, spec: dict) -> float | None:
        """Factor pairs per matrix (an upper estimate), to the power of the number of matrices."""
        k, rows, cols, coef = (top(spec[key]) for key in ("n_matrices", "rows", "cols", "coef"))
        per = sum((2 * coef + 1) ** (r * (rows + cols)) for r in range(1, min(rows, cols) + 1))
        return float(min(per ** k, 10 ** 300))

    def alternative_forms(self, problem: Problem) -> list[str]:
        names, ranks = problem.data["names"], problem.data["ranks"]
        pairs = [f"{n}: {r}" for n, r in zip(names, ranks, strict=True)]
        return [f"[{problem.answer}]", f"({problem.answer})", " ".join(map(str, ranks)), ", ".join(pairs),
                "\n".join(reversed(pairs)), ", ".join(f"rank(A) = {r}".replace("A", n) for n, r in
                                                     zip(names, ranks, strict=True)),
                f"**{problem.answer}**", f"{problem.answer}."]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        ranks = problem.data["ranks"]
        pick = int(rng.integers(len(ranks)))
        bumped = list(ranks)
        bumped[pick] = ranks[pick] + 1 if ranks[pick] == 1 else ranks[pick] - 1
        out = [", ".join(map(str, bumped)), ", ".join(map(str, ranks[:-1])),
               ", ".join(map(str, ranks)) + f" or {', '.join(map(str, bumped))}"]
        if len(set(ranks)) > 1:
            out.append(", ".join(map(str, reversed(ranks))) if ranks != ranks[::-1] else ", ".join(map(str, bumped)))
        return out
