"""Shared pieces of the coordinate-geometry tasks (``polygon_area``, ``triangle_centers``,
``circle_line_intersection``, ``distance_point_line``): exact points and lines, their printed
forms, a proper simple-polygon test, and the verification of answers that are points.

Points are pairs of :class:`fractions.Fraction`; a line is ``(a, b, c)`` with integers, meaning
``a*x + b*y + c = 0``::

    line_text((3, -4, 5))             # "3x - 4y + 5 = 0"
    point_text((Fraction(1, 2), 3))   # "(1/2, 3)"
    is_simple([(0, 0), (4, 0), (0, 3), (4, 3)])   # False: the edges cross

Answers that are points go through the shared math checker one point at a time
(``kind="tuple"``), with no partial credit: a point with one right coordinate is a wrong point.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import numpy as np

from synlog.tasks.common.arith import format_rational
from synlog.verifiers.math_answer import check
from synlog.verifiers.math_parse import clean, enclosed, split_top
from synlog.verifiers.verdict import Reason, Verdict

Point = tuple[Fraction, Fraction]
Line = tuple[int, int, int]

#: answers longer than this are refused before parsing (a few points with radicals fit easily)
MAX_ANSWER_CHARS = 400
#: the most points an answer may list
MAX_POINTS = 8
_NONE = re.compile(r"\s*(?:none|no points?|no intersection|\\emptyset|\\varnothing|∅|\{\s*\})\s*", re.I)


def draw(rng: np.random.Generator, bound: int) -> int:
    """An integer from -bound..bound."""
    return int(rng.integers(-bound, bound + 1))


def fraction_text(value: Fraction | int) -> str:
    return format_rational(Fraction(value))


def exact_text(value) -> str:
    """An integer, a Fraction or a sympy number as the answer writes it (``-1/2``,
    ``2 - 3*sqrt(5)/5``)."""
    if isinstance(value, (int, Fraction)):
        return fraction_text(value)
    return str(value)


def point_text(point: tuple) -> str:
    """``(x, y)`` with exact coordinates (integers, reduced fractions, sympy's radicals)."""
    return f"({exact_text(point[0])}, {exact_text(point[1])})"


def line_text(line: Line) -> str:
    """``a x + b y + c = 0`` written as people write it: ``3x - y + 5 = 0``, ``x - 2 = 0``."""
    terms = []
    for coefficient, name in zip(line, ("x", "y", ""), strict=True):
        if coefficient == 0:
            continue
        size = abs(coefficient)
        body = name if size == 1 and name else f"{size}{name}"
        sign = "-" if coefficient < 0 else "+"
        terms.append(("-" if sign == "-" else "") + body if not terms else f" {sign} {body}")
    return "".join(terms) + " = 0"


def line_through(p: tuple, q: tuple) -> Line:
    """The line through two distinct integer points, with coprime coefficients and ``a > 0``
    (or ``a = 0, b > 0``)."""
    a, b = int(q[1] - p[1]), int(p[0] - q[0])
    c = -(a * int(p[0]) + b * int(p[1]))
    return normalised((a, b, c))


def normalised(line: Line) -> Line:
    a, b, c = line
    g = math.gcd(math.gcd(a, b), c) or 1
    if a < 0 or (a == 0 and b < 0):
        g = -g
    return (a // g, b // g, c // g)


def cross(o: tuple, p: tuple, q: tuple) -> Fraction:
    """The z-component of (p - o) × (q - o): positive for a left turn, 0 when collinear."""
    return (p[0] - o[0]) * (q[1] - o[1]) - (p[1] - o[1]) * (q[0] - o[0])


def _on_segment(p: tuple, q: tuple, r: tuple) -> bool:
    """``r`` (collinear with p, q) lies on the closed segment pq."""
    return min(p[0], q[0]) <= r[0] <= max(p[0], q[0]) and min(p[1], q[1]) <= r[1] <= max(p[1], q[1])


def segments_meet(p1: tuple, p2: tuple, q1: tuple, q2: tuple) -> bool:
    """The closed segments p1p2 and q1q2 share at least one point (touching counts)."""
    d1, d2 = cross(q1, q2, p1), cross(q1, q2, p2)
    d3, d4 = cross(p1, p2, q1), cross(p1, p2, q2)
    if ((d1 > 0 > d2) or (d1 < 0 < d2)) and ((d3 > 0 > d4) or (d3 < 0 < d4)):
        return True
    return ((d1 == 0 and _on_segment(q1, q2, p1)) or (d2 == 0 and _on_segment(q1, q2, p2))
            or (d3 == 0 and _on_segment(p1, p2, q1)) or (d4 == 0 and _on_segment(p1, p2, q2)))


def is_simple(polygon: list[tuple]) -> bool:
    """The closed polygon has distinct vertices, no three consecutive ones collinear, and edges
    that meet only where consecutive edges share their vertex."""
    n = len(polygon)
    if n < 3 or len(set(polygon)) != n:
        return False
    if any(cross(polygon[i - 1], polygon[i], polygon[(i + 1) % n]) == 0 for i in range(n)):
        return False
    edges = [(polygon[i], polygon[(i + 1) % n]) for i in range(n)]
    for i in range(n):
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue  # neighbours through the first vertex
            if segments_meet(*edges[i], *edges[j]):
                return False
    return True


def is_convex(polygon: list[tuple]) -> bool:
    """Every turn goes the same way (for a simple polygon: convex)."""
    n = len(polygon)
    turns = {cross(polygon[i - 1], polygon[i], polygon[(i + 1) % n]) > 0 for i in range(n)}
    return len(turns) == 1


def double_signed_area(polygon: list[tuple]) -> Fraction:
    """The shoelace sum: twice the signed area (positive counter-clockwise)."""
    n = len(polygon)
    return sum((Fraction(polygon[i][0]) * polygon[(i + 1) % n][1] - Fraction(polygon[(i + 1) % n][0]) * polygon[i][1]
                for i in range(n)), Fraction(0))


# ----------------------------------------------------------------------------- answers


def point_items(answer: str) -> list[str] | None:
    """The points of a list answer (``(1, 2), (3, 4)``, braces allowed), or None for a stated
    empty set (``none``); raises ValueError when an item is not a parenthesised pair."""
    text = clean(answer).strip()
    if _NONE.fullmatch(text):
        return None
    if text[:1] == "{" and text[-1:] == "}" and enclosed(text):
        text = text[1:-1]
    items = [item.strip() for item in split_top(text, ",;")]
    if not items or len(items) > MAX_POINTS:
        raise ValueError("list the points as (x, y), separated by commas")
    for item in items:
        if not (item[:1] == "(" and item[-1:] == ")" and enclosed(item)):
            raise ValueError(f"{item[:30]!r} is not a point (x, y)")
    return items


def check_point(gold: str, answer: str, form: str) -> Verdict:
    """One point against one gold point; a point is right or wrong, never half right."""
    verdict = check(gold, answer, kind="tuple", form=form)
    if verdict.reason is Reason.WRONG:
        return Verdict.wrong("a different point")
    return verdict


def check_point_set(golds: list[str], answer: str, form: str) -> Verdict:
    """The answer lists exactly the gold points (any order, each once), or says ``none`` when
    there are none. No partial credit."""
    if len(answer) > MAX_ANSWER_CHARS:
        return Verdict.invalid(f"the answer is longer than {MAX_ANSWER_CHARS} characters")
    try:
        items = point_items(answer)
    except ValueError as exc:
        return Verdict.invalid(str(exc))
    if items is None:
        return Verdict.ok() if not golds else Verdict.wrong("there are intersection points")
    if not golds:
        return Verdict.wrong("there is no intersection point")
    verdicts = [[check_point(gold, item, form) for item in items] for gold in golds]
    for row in verdicts:
        for verdict in row:
            if verdict.reason not in (Reason.OK, Reason.WRONG):
                return verdict
    if any(sum(row[j].correct for row in verdicts) > 1 for j in range(len(items))) or any(
            sum(v.correct for v in row) > 1 for row in verdicts):
        return Verdict.invalid("a point is listed twice")
    if len(items) != len(golds):
        return Verdict.wrong(f"expected {len(golds)} point(s), got {len(items)}")
    if all(any(v.correct for v in row) for row in verdicts):
        return Verdict.ok()
    return Verdict.wrong("a point is not an intersection point")
