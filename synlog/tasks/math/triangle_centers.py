"""Triangle centers: the exact coordinates of a triangle's centroid, circumcenter, orthocenter
or incenter.

For example::

    A = (0, 0), B = (6, 0), C = (2, 4); the circumcenter?      answer: (3, 1)

The triangle has lattice vertices. Difficulty widens the coordinates and brings in more kinds
of center: the centroid only at level 1, the circumcenter from level 2, the orthocenter from
level 4 and the incenter from level 7. An incenter is asked only of a triangle whose three
sides have integer lengths (built from two Pythagorean right triangles sharing a leg, then
turned by a quarter turn, mirrored and moved), so that every answer is rational.

Gold, with Fractions: the centroid is the mean of the vertices; the circumcenter solves the
two perpendicular-bisector equations (the determinant formula); the orthocenter is
``A + B + C - 2·O``; the incenter is ``(a·A + b·B + c·C) / (a + b + c)`` with the integer side
lengths. The tests recompute each with sympy's ``Triangle`` (``centroid``, ``circumcenter``,
``orthocenter``, ``incenter``) from the vertices printed in the prompt.

Rejected: collinear vertices, and every triangle where the asked center equals a vertex, the
midpoint of a side, another of the four centers, or the prompt's example ``(7/3, -2)`` (so
right triangles never ask for the orthocenter or circumcenter, and naming the wrong center
never pays).

Answer format: the point ``(x, y)``, each coordinate an integer or a fraction a/b in lowest
terms (the shared math checker, ``kind="tuple"``, ``form="rational"``; ``\\frac{a}{b}``,
brackets or no brackets accepted). Decimals, unreduced fractions, expressions, ``x = ...``
labels and several points are invalid or wrong. No partial credit: a point with one right
coordinate is wrong.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.forms import rational_alternatives, rational_forbidden
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.math._chance import top
from synlog.tasks.math._geometry import check_point, cross, draw, fraction_text, point_text
from synlog.verifiers.verdict import Verdict

KINDS = ("centroid", "circumcenter", "orthocenter", "incenter")
#: the gold the prompt's example shows
EXAMPLE = (Fraction(7, 3), Fraction(-2))
CANDIDATES_PER_CALL = 200
MAX_ANSWER_CHARS = 200

NAMES = {
    "en": {"centroid": "centroid", "circumcenter": "circumcenter", "orthocenter": "orthocenter",
           "incenter": "incenter"},
    "zh": {"centroid": "重心", "circumcenter": "外心", "orthocenter": "垂心", "incenter": "内心"},
}
DEFINITIONS = {
    "en": {"centroid": "the point where the three medians meet",
           "circumcenter": "the center of the circle through the three vertices",
           "orthocenter": "the point where the three altitudes (or their extensions) meet",
           "incenter": "the center of the circle tangent to all three sides"},
    "zh": {"centroid": "三条中线的交点", "circumcenter": "经过三个顶点的圆的圆心",
           "orthocenter": "三条高（或其延长线）的交点", "incenter": "与三边都相切的圆的圆心"},
}


def _pythagorean_legs(limit: int) -> dict[int, list[int]]:
    """For each leg h up to ``limit``, the legs p with p² + h² a square."""
    out: dict[int, list[int]] = {}
    for h in range(1, limit + 1):
        for p in range(1, limit + 1):
            if math.isqrt(p * p + h * h) ** 2 == p * p + h * h:
                out.setdefault(h, []).append(p)
    return out


LEGS = _pythagorean_legs(40)


def centers(a: tuple, b: tuple, c: tuple) -> dict[str, tuple[Fraction, Fraction] | None]:
    """The four centers (the incenter None unless the sides have integer lengths)."""
    (ax, ay), (bx, by), (cx, cy) = ((Fraction(x), Fraction(y)) for x, y in (a, b, c))
    d = 2 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by))
    sa, sb, sc = ax * ax + ay * ay, bx * bx + by * by, cx * cx + cy * cy
    ox = (sa * (by - cy) + sb * (cy - ay) + sc * (ay - by)) / d
    oy = (sa * (cx - bx) + sb * (ax - cx) + sc * (bx - ax)) / d
    out: dict[str, tuple[Fraction, Fraction] | None] = {
        "centroid": ((ax + bx + cx) / 3, (ay + by + cy) / 3),
        "circumcenter": (ox, oy),
        "orthocenter": (ax + bx + cx - 2 * ox, ay + by + cy - 2 * oy),
        "incenter": None,
    }
    sides = [_integer_length(p, q) for p, q in (((bx, by), (cx, cy)), ((cx, cy), (ax, ay)), ((ax, ay), (bx, by)))]
    if all(s is not None for s in sides):
        la, lb, lc = sides
        total = la + lb + lc
        out["incenter"] = ((la * ax + lb * bx + lc * cx) / total, (la * ay + lb * by + lc * cy) / total)
    return out


def _integer_length(p: tuple, q: tuple) -> int | None:
    squared = (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2
    if squared.denominator != 1:
        return None
    root = math.isqrt(int(squared))
    return root if root * root == squared else None


@register
class TriangleCenters(Task):
    """Find the exact coordinates of a triangle's centroid, circumcenter, orthocenter or incenter."""

    name, family, version = "triangle_centers", "math", 1
    chance = 0.02
    knobs = Knobs(
        kinds=Knob(int, levels=[1, 2, 2, 3, 3, 3, 4, 4, 4, 4], lo=1, hi=4,
                   help="how many of centroid, circumcenter, orthocenter, incenter may be asked (in that order)"),
        coordinate_max=Knob(int, levels=[5, 6, 8, 8, 10, 12, 12, 15, 18, 20], lo=3, hi=100,
                            help="vertex coordinates lie in -coordinate_max..coordinate_max"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        kind = KINDS[int(rng.integers(p.kinds))]
        for _ in range(CANDIDATES_PER_CALL):
            triangle = self._heronian(rng, p.coordinate_max) if kind == "incenter" else \
                [(draw(rng, p.coordinate_max), draw(rng, p.coordinate_max)) for _ in range(3)]
            if triangle is None or cross(*triangle) == 0:
                continue
            found = centers(*triangle)
            gold = found[kind]
            if gold is None or gold in self._shortcuts(triangle, found, kind).values():
                continue
            data = {"vertices": [list(v) for v in triangle], "kind": kind, "value": point_text(gold)}
            span = max(abs(c) for v in triangle for c in v)
            return Problem(data, data["value"], float((KINDS.index(kind) + 1) * math.log2(2 * span + 2) * 3))
        raise Reject(f"every triangle drawn made the {kind} a shortcut point")

    @staticmethod
    def _heronian(rng: np.random.Generator, bound: int) -> list[tuple[int, int]] | None:
        """A lattice triangle with integer sides: (-p, 0), (q, 0), (0, h) (or p on q's side),
        a quarter turn and a mirror at random, moved to a random place inside the bounds."""
        h = int(rng.choice(list(LEGS)))
        first, second = (int(x) for x in rng.choice(LEGS[h], size=2))
        left = -first if rng.random() < 0.7 else first
        if left == second:
            return None
        points = [(left, 0), (second, 0), (0, h)]
        if rng.random() < 0.5:
            points = [(y, x) for x, y in points]
        if rng.random() < 0.5:
            points = [(-x, y) for x, y in points]
        if rng.random() < 0.5:
            points = [(x, -y) for x, y in points]
        xs, ys = [x for x, _ in points], [y for _, y in points]
        if max(xs) - min(xs) > 2 * bound or max(ys) - min(ys) > 2 * bound:
            return None
        dx = int(rng.integers(-bound - min(xs), bound - max(xs) + 1))
        dy = int(rng.integers(-bound - min(ys), bound - max(ys) + 1))
        return [(x + dx, y + dy) for x, y in points]

    @staticmethod
    def _shortcuts(triangle: list[tuple], found: dict, kind: str) -> dict[str, tuple]:
        """Points a wrong method lands on: the vertices, the side midpoints, the other centers,
        the prompt's example."""
        out: dict[str, tuple] = {"the prompt's example": EXAMPLE}
        for label, vertex in zip("ABC", triangle, strict=True):
            out[f"vertex {label}"] = (Fraction(vertex[0]), Fraction(vertex[1]))
        for i, j in ((0, 1), (1, 2), (2, 0)):
            out[f"midpoint of {'ABC'[i]}{'ABC'[j]}"] = (Fraction(triangle[i][0] + triangle[j][0], 2),
                                                       Fraction(triangle[i][1] + triangle[j][1], 2))
        for other, point in found.items():
            if other != kind and point is not None:
                out[other] = point
        return out

    def context(self, problem: Problem, lang: str) -> dict:
        kind = problem.data["kind"]
        lines = [f"{label} = {point_text(v)}" for label, v in zip("ABC", problem.data["vertices"], strict=True)]
        return {**problem.data, "vertex_lines": lines, "center": NAMES[lang][kind],
                "definition": DEFINITIONS[lang][kind]}

    def verify(self, problem: dict, answer: str) -> Verdict:
        if len(answer) > MAX_ANSWER_CHARS:
            return Verdict.invalid(f"the answer is longer than {MAX_ANSWER_CHARS} characters")
        return check_point(problem["value"], answer, "rational")

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """The vertices, the side midpoints and the other centers."""
        triangle = [tuple(v) for v in problem["vertices"]]
        points = self._shortcuts(triangle, centers(*triangle), problem["kind"])
        return {name: point_text(point) for name, point in points.items() if name != "the prompt's example"}

    def hardness(self, problem: dict) -> float:
        """The center's rank (centroid 1 .. incenter 4: the steps it takes) times the bits of
        the coordinates of the vertices and of the answer."""
        span = max(abs(c) for v in problem["vertices"] for c in v)
        digits = sum(ch.isdigit() for ch in problem["value"])
        return float((KINDS.index(problem["kind"]) + 1) * (math.log2(2 * span + 2) + digits))

    def instance_space(self, spec: dict) -> float | None:
        """Ordered triples of lattice points, for the first kind (the commonest family)."""
        side = 2 * top(spec["coordinate_max"]) + 1
        return float(side ** 6)

    def alternative_forms(self, problem: Problem) -> list[str]:
        x, y = (Fraction(v) for v in problem.data["value"].strip("()").split(", "))
        xs, ys = rational_alternatives(x), rational_alternatives(y)
        text = problem.data["value"]
        return [text[1:-1], f"[{text[1:-1]}]", f"({xs[0]}, {ys[0]})", f"\\left({text[1:-1]}\\right)"]

    def forbidden_forms(self, problem: Problem) -> list[str]:
        x, y = (Fraction(v) for v in problem.data["value"].strip("()").split(", "))
        return [f"({a}, {fraction_text(y)})" for a in rational_forbidden(x)][:3] + \
            [f"({fraction_text(x)}, {b})" for b in rational_forbidden(y)][:3]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        x, y = (Fraction(v) for v in problem.data["value"].strip("()").split(", "))
        out = [point_text((y, x)) if x != y else point_text((x + 1, y)), point_text((x, y + 1)),
               point_text((-x, y)) if x else point_text((x - 1, y)),
               f"{problem.data['value']} or {point_text((x + 1, y))}"]
        return out + list(self.degenerate_answers(problem.data).values())[:3]
