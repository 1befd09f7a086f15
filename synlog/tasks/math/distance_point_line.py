"""Distance to a line: the exact distance from a point to a line, between two parallel lines, or
from a point to a segment.

For example::

    the point P = (1, 2) and the line 3x + 2y - 14 = 0         answer: 7*sqrt(13)/13
    the point P = (5, 1) and the segment from (0, 0) to (3, 0)  answer: sqrt(5)

Four kinds of question, brought in by difficulty (``kinds``): a point and a line given by its
equation (level 1), a point and a line through two given points (level 3), two parallel lines
whose equations may be scaled differently (``x + 2y - 3 = 0`` and ``2x + 4y + 5 = 0``, level 5)
and a point and a segment (level 8: the nearest point of the segment may be an endpoint).
Difficulty also widens the coordinates and the coefficients.

Gold, exact with sympy: ``|a x0 + b y0 + c| / sqrt(a² + b²)`` for a line; ``|k c1 - c2| / (|k|
sqrt(a² + b²))`` for the lines ``a x + b y + c1 = 0`` and ``k a x + k b y + c2 = 0``; for a
segment, the line distance when the foot of the perpendicular falls on the segment, else the
distance to the nearer endpoint. sympy writes the value with a rational denominator
(``7*sqrt(13)/13``). The tests recompute it with sympy's ``Point.distance`` of a ``Line`` or a
``Segment`` built from the numbers parsed out of the printed prompt.

Rejected: a distance of 0 or 1, the prompt's example (``7*sqrt(13)/13``), a rational distance
equal to a number printed in the data, and the shortcut values: ``|a x0 + b y0 + c|`` (no
division), ``|a x0 + b y0 + c| / (a² + b²)`` (no square root), and for parallel lines
``|c1 - c2| / sqrt(a² + b²)`` (the second equation not rescaled).

Answer format: one exact value (the shared math checker, ``form="exact"``): an integer, a
fraction, or an expression with square roots of the same value, rationalised or not
(``7*sqrt(13)/13``, ``7/sqrt(13)``, ``\\frac{7\\sqrt{13}}{13}`` and ``sqrt(49/13)`` all score 1).
Decimals and several candidates are invalid.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import sympy

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.math._chance import top
from synlog.tasks.math._geometry import draw, line_text, line_through, point_text
from synlog.verifiers.math_answer import check
from synlog.verifiers.verdict import Verdict

KINDS = ("point_line", "point_two_points", "parallel_lines", "point_segment")
EXAMPLE = "7*sqrt(13)/13"
CANDIDATES_PER_CALL = 200
MAX_ANSWER_CHARS = 200


def _nonzero(rng: np.random.Generator, bound: int) -> int:
    value = int(rng.integers(1, bound + 1))
    return value if rng.random() < 0.5 else -value


def _leading_positive(a: int, b: int, c: int) -> list[int]:
    """The same line with its first nonzero coefficient positive."""
    return [-a, -b, -c] if a < 0 or (a == 0 and b < 0) else [a, b, c]


def distance_to_line(point: tuple, line: tuple) -> sympy.Expr:
    a, b, c = line
    return sympy.Abs(a * point[0] + b * point[1] + c) / sympy.sqrt(a * a + b * b)


def distance_to_segment(point: tuple, start: tuple, end: tuple) -> sympy.Expr:
    """The line distance when the foot of the perpendicular lies between the ends, else the
    distance to the nearer end."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    t = Fraction((point[0] - start[0]) * dx + (point[1] - start[1]) * dy, dx * dx + dy * dy)
    if 0 <= t <= 1:
        return distance_to_line(point, line_through(start, end))
    nearer = start if t < 0 else end
    return sympy.sqrt((point[0] - nearer[0]) ** 2 + (point[1] - nearer[1]) ** 2)


@register
class DistancePointLine(Task):
    """Give the exact distance from a point to a line or segment, or between parallel lines."""

    name, family, version = "distance_point_line", "math", 1
    chance = 0.02
    knobs = Knobs(
        kinds=Knob(int, levels=[1, 1, 2, 2, 3, 3, 3, 4, 4, 4], lo=1, hi=4,
                   help="how many of point-line, point-line-through-points, parallel lines, "
                        "point-segment may be asked (in that order)"),
        coordinate_max=Knob(int, levels=[5, 6, 8, 8, 10, 10, 12, 12, 15, 20], lo=2, hi=100,
                            help="point coordinates lie in -coordinate_max..coordinate_max"),
        coefficient_max=Knob(int, levels=[3, 4, 5, 5, 6, 6, 8, 8, 9, 10], lo=1, hi=50,
                             help="the line's x and y coefficients lie in -coefficient_max..coefficient_max"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        kind = KINDS[int(rng.integers(p.kinds))]
        for _ in range(CANDIDATES_PER_CALL):
            data = getattr(self, f"_{kind}")(rng, p)
            if data is None:
                continue
            value = self.distance(data)
            data["value"] = str(value)
            if self._trivial(value, data):
                continue
            return Problem(data, data["value"], self.hardness(data))
        raise Reject(f"every {kind} instance drawn was trivial")

    def _point_line(self, rng, p) -> dict:
        a, b = _nonzero(rng, p.coefficient_max), _nonzero(rng, p.coefficient_max)
        if rng.random() < 0.1:  # a horizontal or vertical line now and then
            a, b = (a, 0) if rng.random() < 0.5 else (0, b)
        c = draw(rng, p.coefficient_max * p.coordinate_max)
        point = [draw(rng, p.coordinate_max), draw(rng, p.coordinate_max)]
        return {"kind": "point_line", "point": point, "line": _leading_positive(a, b, c)}

    def _point_two_points(self, rng, p) -> dict | None:
        first, second, point = ([draw(rng, p.coordinate_max), draw(rng, p.coordinate_max)] for _ in range(3))
        if first == second:
            return None
        return {"kind": "point_two_points", "point": point, "through": [first, second]}

    def _parallel_lines(self, rng, p) -> dict | None:
        a, b = _nonzero(rng, p.coefficient_max), _nonzero(rng, p.coefficient_max)
        scale = int(rng.choice([1, 1, 2, 3, -1, -2]))
        c1, c2 = (draw(rng, p.coefficient_max * p.coordinate_max) for _ in range(2))
        if c2 == scale * c1:
            return None  # the same line
        if a < 0:  # the first equation reads a x + ..., a > 0; the second keeps its scale's sign
            a, b, c1, scale = -a, -b, -c1, -scale
        return {"kind": "parallel_lines", "line": [a, b, c1], "other": [scale * a, scale * b, c2]}

    def _point_segment(self, rng, p) -> dict | None:
        first, second, point = ([draw(rng, p.coordinate_max), draw(rng, p.coordinate_max)] for _ in range(3))
        if first == second or point in (first, second):
            return None
        return {"kind": "point_segment", "point": point, "segment": [first, second]}

    @staticmethod
    def distance(data: dict) -> sympy.Expr:
        kind = data["kind"]
        if kind == "point_line":
            return distance_to_line(data["point"], data["line"])
        if kind == "point_two_points":
            return distance_to_line(data["point"], line_through(*data["through"]))
        if kind == "parallel_lines":
            (a, b, c1), (ka, _, c2) = data["line"], data["other"]
            k = ka // a
            return sympy.Abs(k * c1 - c2) / (abs(k) * sympy.sqrt(a * a + b * b))
        return distance_to_segment(data["point"], *data["segment"])

    def _trivial(self, value: sympy.Expr, data: dict) -> bool:
        if value == 0 or value == 1 or str(value) == EXAMPLE:
            return True
        if value.is_rational and Fraction(str(value)) in self._printed(data):
            return True
        # sympy writes q*sqrt(m)/r canonically, so equal values are equal expressions
        return any(value == sympy.sympify(s) for s in self.degenerate_answers(data).values())

    @staticmethod
    def _printed(data: dict) -> set[Fraction]:
        numbers: list[int] = []
        for key in ("point", "line", "other"):
            numbers += data.get(key) or []
        for key in ("through", "segment"):
            for q in data.get(key) or []:
                numbers += q
        return {Fraction(abs(v)) for v in numbers}

    def context(self, problem: Problem, lang: str) -> dict:
        return {**problem.data, "question": question(problem.data, lang)}

    def verify(self, problem: dict, answer: str) -> Verdict:
        if len(answer) > MAX_ANSWER_CHARS:
            return Verdict.invalid(f"the answer is longer than {MAX_ANSWER_CHARS} characters")
        return check(problem["value"], answer, form="exact")

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """The distance formula without its division or without its square root, and for
        parallel lines the constants subtracted without rescaling the second equation."""
        kind = problem["kind"]
        if kind == "parallel_lines":
            (a, b, c1), (_, _, c2) = problem["line"], problem["other"]
            return {"second equation not rescaled": str(sympy.Abs(c1 - c2) / sympy.sqrt(a * a + b * b))}
        if kind == "point_segment":
            return {}
        line = problem["line"] if kind == "point_line" else line_through(*problem["through"])
        (x, y), (a, b, c) = problem["point"], line
        e, n = abs(a * x + b * y + c), a * a + b * b
        return {"no division": str(e), "no square root": str(sympy.Rational(e, n))}

    def hardness(self, problem: dict) -> float:
        """The question's rank (the steps it adds) times the bits of its numbers, plus the
        square roots left in the answer."""
        rank = KINDS.index(problem["kind"]) + 1
        size = max((float(v) for v in self._printed(problem)), default=1.0)
        return float(rank * math.log2(2 * size + 2) + 3 * problem["value"].count("sqrt"))

    def instance_space(self, spec: dict) -> float | None:
        """Points times lines for the first kind (a lower estimate)."""
        m, c = top(spec["coordinate_max"]), top(spec["coefficient_max"])
        return float((2 * m + 1) ** 2 * (2 * c) ** 2 * (2 * c * m + 1))

    def alternative_forms(self, problem: Problem) -> list[str]:
        value = sympy.sympify(problem.data["value"])
        out = [f"sqrt({sympy.nsimplify(value ** 2)})", f"${problem.data['value']}$"]
        numerator, denominator = sympy.fraction(sympy.together(value))
        if denominator != 1:
            out.append(f"\\frac{{{sympy.latex(numerator)}}}{{{denominator}}}")
        radical = [f for f in sympy.Mul.make_args(value) if f.is_Pow and f.exp == sympy.Rational(1, 2)]
        if radical and denominator != 1:
            root = radical[0]
            out.append(f"({value * root})/{root}".replace("**", "^"))
        return out

    def forbidden_forms(self, problem: Problem) -> list[str]:
        return [f"{float(sympy.sympify(problem.data['value'])):.10f}"]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        value = sympy.sympify(problem.data["value"])
        return [str(2 * value), str(value + 1), str(value / 2), f"{problem.data['value']} or {value + 1}"]


def question(data: dict, lang: str) -> str:
    """The question as a sentence in ``lang``."""
    en = lang == "en"
    kind = data["kind"]
    if kind == "parallel_lines":
        first, second = line_text(tuple(data["line"])), line_text(tuple(data["other"]))
        return (f"The lines {first} and {second} are parallel. What is the distance between them?" if en
                else f"直线 {first} 与直线 {second} 互相平行，求它们之间的距离。")
    point = point_text(data["point"])
    if kind == "point_line":
        line = line_text(tuple(data["line"]))
        return (f"What is the distance from the point P = {point} to the line {line}?" if en
                else f"求点 P = {point} 到直线 {line} 的距离。")
    if kind == "point_two_points":
        a, b = (point_text(q) for q in data["through"])
        return (f"What is the distance from the point P = {point} to the line through A = {a} and B = {b}?" if en
                else f"求点 P = {point} 到经过点 A = {a} 和 B = {b} 的直线的距离。")
    a, b = (point_text(q) for q in data["segment"])
    return (f"What is the distance from the point P = {point} to the segment AB, with A = {a} and B = {b}? "
            f"(The distance to a segment is the distance to its nearest point.)" if en
            else f"设 A = {a}，B = {b}，求点 P = {point} 到线段 AB 的距离（即点到线段上最近一点的距离）。")
