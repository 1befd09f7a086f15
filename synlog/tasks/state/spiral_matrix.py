"""Spiral matrix: read a matrix in clockwise spiral order from the top-left corner.

The prompt shows a rows×cols matrix of integers. The answer lists every entry once, in the
order of a clockwise spiral that starts at the top-left corner: along the top row to the right,
down the right column, back along the bottom row to the left, up the left column, then the same
again one ring further in, until every entry is read.

The gold comes from peeling the matrix: take the first row, turn the rest a quarter
counter-clockwise (``np.rot90``), repeat. The answer is the rows·cols integers separated by
single spaces. Also accepted: commas between the numbers, one pair of square brackets around
the list, numbers spread over several lines, markdown bullets, emphasis and code fences. Every
token must be an integer (no decimals), and the list must have exactly rows·cols entries.

Instances where a reading that ignores the spiral (row by row, column by column, sorted) gives
the same list are rejected, so those policies always score 0. ``hardness`` is the number of
straight runs the spiral makes (its turns plus one) times the entries read.
"""

from __future__ import annotations

import math
import re

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, bounded, scalar_forms, undecorate
from synlog.tasks.common.grids import format_grid
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

MAX_ANSWER = 20_000
_TOKEN = re.compile(r"[+-]?[0-9]{1,15}")
_SEPARATORS = re.compile(r"[\s,]+")


def spiral(matrix: np.ndarray) -> list[int]:
    """Entries of ``matrix`` in clockwise spiral order from the top-left corner."""
    out: list[int] = []
    m = np.asarray(matrix)
    while m.size:
        out += m[0].tolist()
        m = np.rot90(m[1:])
    return out


def runs(rows: int, cols: int) -> int:
    """How many straight runs a clockwise spiral of a rows×cols matrix makes."""
    count = 0
    while rows > 0 and cols > 0:
        count += 1
        rows, cols = cols, rows - 1
    return count


def parse_int_list(text: str) -> list[int]:
    """Integers separated by spaces, commas or line breaks, optionally in one pair of brackets."""
    text = bounded(text, MAX_ANSWER)
    body = " ".join(undecorate(text).split()).rstrip(".").strip()
    if len(body) >= 2 and body[0] + body[-1] in ("[]", "()"):
        body = body[1:-1].strip()
    if not body:
        raise AnswerError("expected the numbers separated by spaces")
    tokens = [t for t in _SEPARATORS.split(body) if t]
    for token in tokens:
        if not _TOKEN.fullmatch(token):
            raise AnswerError(f"{token[:20]!r} is not an integer")
    return [int(t) for t in tokens]


@register
class SpiralMatrix(Task):
    """Read a matrix in clockwise spiral order, starting at the top-left corner."""

    name, family, version = "spiral_matrix", "state", 1
    chance = 0.02
    knobs = Knobs(
        rows=Knob(int, levels=[2, 3, 3, 4, 4, 5, 6, 7, 8, 10], lo=2, hi=30, help="matrix rows"),
        extra_cols=Knob(int, levels=[(0, 1), (0, 1), (-1, 1), (-1, 1), (-1, 2), (-1, 2), (-2, 2), (-2, 2),
                                     (-2, 3), (-3, 3)], lo=-10, hi=10, help="columns minus rows"),
        max_value=Knob(int, levels=[9, 20, 50, 99, 99, 99, 99, 99, 999, 999], lo=5, hi=10**6,
                       help="largest entry"),
        negative=Knob(bool, levels=[False] * 6 + [True] * 4, help="entries may be negative"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        rows, cols = p.rows, max(2, p.rows + p.extra_cols)
        lo = -p.max_value if p.negative else 0
        matrix = rng.integers(lo, p.max_value + 1, (rows, cols))
        order = spiral(matrix)
        if order in (matrix.flatten().tolist(), matrix.T.flatten().tolist(), sorted(order)):
            raise Reject("a reading that ignores the spiral gives the same list")
        data = {"rows": rows, "cols": cols, "matrix": matrix.tolist()}
        return Problem(data, " ".join(map(str, order)), float(rows * cols))

    def context(self, problem: Problem, lang: str) -> dict:
        return {**problem.data, "matrix_text": format_grid(problem.data["matrix"])}

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            values = parse_int_list(answer)
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        gold = spiral(np.array(problem["matrix"]))
        if len(values) != len(gold):
            return Verdict.wrong(f"expected {len(gold)} numbers, found {len(values)}")
        wrong = sum(a != b for a, b in zip(values, gold, strict=True))
        if wrong:
            return Verdict.wrong(f"{wrong} positions differ", positions=wrong)
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        gold = problem.answer
        items = gold.split()
        return [", ".join(items), "[" + ", ".join(items) + "]", "\n".join(items), f"`{gold}`",
                f"**{gold}**", *scalar_forms(gold), "\n".join("- " + x for x in items)]

    def forbidden_forms(self, problem: Problem) -> list[str]:
        return [" ".join(f"{x}.0" for x in problem.answer.split())]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        m = np.array(problem.data["matrix"])
        gold = spiral(m)
        counter = spiral(m.T)  # down first: the counter-clockwise spiral
        swapped = list(gold)
        i = int(rng.integers(len(gold) - 1))
        swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
        wrong = [counter, swapped, gold[:-1], gold[::-1], spiral(np.rot90(m, -1))]
        return list(dict.fromkeys(" ".join(map(str, w)) for w in wrong if w != gold))

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        m = np.array(problem["matrix"])
        return {"row by row": " ".join(map(str, m.flatten().tolist())),
                "column by column": " ".join(map(str, m.T.flatten().tolist())),
                "sorted": " ".join(map(str, sorted(m.flatten().tolist())))}

    def hardness(self, problem: dict) -> float:
        return float(runs(problem["rows"], problem["cols"]) * problem["rows"] * problem["cols"])

    def instance_space(self, spec: dict) -> float | None:
        rows = spec["rows"][0] if isinstance(spec["rows"], (list, tuple)) else spec["rows"]
        hi = spec["max_value"][0] if isinstance(spec["max_value"], (list, tuple)) else spec["max_value"]
        span = 2 * hi + 1 if spec["negative"] else hi + 1
        exponent = rows * max(2, rows - 1) * math.log10(span)
        return 10.0 ** min(exponent, 300.0)
