"""Polygon area: the exact area of a simple polygon given by its vertices in order.

For example::

    A = (0, 0), B = (4, 0), C = (4, 3), D = (1, 5)      answer: 29/2

Difficulty adds vertices (a triangle at level 1, ten vertices at level 10), widens the
coordinates, makes the polygon non-convex from level 5 (a dent: the convex hull's area is
then wrong) and gives rational coordinates (halves) from level 7. The vertices are listed
along the boundary, clockwise or counter-clockwise, from a random starting vertex.

Generation: a convex polygon is ``n`` random lattice points in convex position (redrawn until
they are); a non-convex one is ``n`` random points sorted by angle around their mean (a star
shaped polygon), kept only when it is simple (checked exactly: no repeated vertex, no three
consecutive vertices collinear, no two edges meeting except neighbours at their shared vertex)
and not convex. Gold: half the absolute value of the shoelace sum, with Fractions. The tests
recompute it by sympy's ``Polygon.area`` and, for lattice polygons, by Pick's theorem with a
lattice-point count of their own.

Rejected: areas of at most 1, the prompt's example (17/2), any number printed in the data,
and every shortcut value: the bounding box's area and half of it, the shoelace sum without
halving, and (non-convex polygons) the convex hull's area.

Answer format: one integer or one fraction a/b in lowest terms (``\\frac{a}{b}`` accepted),
nothing else (the shared math checker, ``form="rational"``). Decimals, unreduced fractions,
mixed numbers, expressions to evaluate and several candidates are invalid.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from synlog.errors import KnobError, Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.forms import NumberAnswer
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.math._chance import top
from synlog.tasks.math._geometry import (
    cross,
    double_signed_area,
    fraction_text,
    is_convex,
    is_simple,
)

#: the gold the prompt's example shows
EXAMPLE = Fraction(17, 2)
#: polygons drawn inside one ``generate`` call before handing a Reject to the engine
CANDIDATES_PER_CALL = 200
LABELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def convex_hull(points: list[tuple]) -> list[tuple]:
    """The hull's vertices counter-clockwise (Andrew's monotone chain; collinear points dropped)."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def half(seq):
        chain: list[tuple] = []
        for p in seq:
            while len(chain) >= 2 and cross(chain[-2], chain[-1], p) <= 0:
                chain.pop()
            chain.append(p)
        return chain

    lower, upper = half(pts), half(reversed(pts))
    return lower[:-1] + upper[:-1]


@register
class PolygonArea(NumberAnswer, Task):
    """Compute the exact area of a simple polygon from its vertex coordinates."""

    name, family, version = "polygon_area", "math", 1
    value_form = "rational"
    chance = 0.03
    knobs = Knobs(
        vertices=Knob(int, levels=[3, 4, 4, 5, 5, 6, 7, 8, 9, 10], lo=3, hi=16, help="vertices of the polygon"),
        coordinate_max=Knob(int, levels=[6, 8, 10, 10, 12, 12, 8, 9, 10, 12], lo=3, hi=100,
                            help="coordinates lie in -coordinate_max..coordinate_max"),
        convex=Knob(bool, levels=[True] * 4 + [False] * 6, help="true: convex; false: never convex"),
        denominator=Knob(int, levels=[1, 1, 1, 1, 1, 1, 2, 2, 2, 2], lo=1, hi=6,
                         help="coordinates are multiples of 1/denominator"),
    )

    def check_params(self, params: Params) -> None:
        if not params.convex and params.vertices < 4:
            raise KnobError("convex=false needs vertices >= 4: every triangle is convex")
        if params.convex and params.vertices > 2 * params.coordinate_max:
            raise KnobError(f"a convex lattice {params.vertices}-gon needs coordinate_max >= "
                            f"{math.ceil(params.vertices / 2)}")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        span = p.coordinate_max * p.denominator
        for _ in range(CANDIDATES_PER_CALL):
            raw = [(int(rng.integers(-span, span + 1)), int(rng.integers(-span, span + 1))) for _ in range(p.vertices)]
            polygon = [(Fraction(x, p.denominator), Fraction(y, p.denominator)) for x, y in raw]
            polygon = self._shape(polygon, p.convex)
            if polygon is None:
                continue
            if rng.random() < 0.5:
                polygon.reverse()
            start = int(rng.integers(len(polygon)))
            polygon = polygon[start:] + polygon[:start]
            value = abs(double_signed_area(polygon)) / 2
            data = {"vertices": [[fraction_text(x), fraction_text(y)] for x, y in polygon],
                    "value": fraction_text(value)}
            if self._trivial(value, polygon, data):
                continue
            bits = math.log2(2 * span + 1)
            return Problem(data, data["value"], float(len(polygon) ** 2 * bits))
        raise Reject("every polygon drawn was degenerate or had a shortcut area")

    @staticmethod
    def _shape(points: list[tuple], convex: bool) -> list[tuple] | None:
        """The points as a simple polygon of the asked kind, or None."""
        if len(set(points)) != len(points):
            return None
        if convex:
            hull = convex_hull(points)
            return hull if len(hull) == len(points) and is_simple(hull) else None
        cx = sum(x for x, _ in points) / len(points)
        cy = sum(y for _, y in points) / len(points)
        # floats only order the vertices; the exact test below decides
        ordered = sorted(points, key=lambda q: math.atan2(float(q[1] - cy), float(q[0] - cx)))
        return ordered if is_simple(ordered) and not is_convex(ordered) else None

    def _trivial(self, value: Fraction, polygon: list[tuple], data: dict) -> bool:
        printed = {abs(Fraction(c)) for vertex in data["vertices"] for c in vertex} | {Fraction(len(polygon))}
        shortcuts = {Fraction(v) for v in self.degenerate_answers(data).values()}
        return value <= 1 or value == EXAMPLE or value in printed or value in shortcuts

    def context(self, problem: Problem, lang: str) -> dict:
        lines = [f"{LABELS[i]} = ({x}, {y})" for i, (x, y) in enumerate(problem.data["vertices"])]
        return {**problem.data, "n": len(lines), "vertex_lines": lines}

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Shortcut areas: the bounding box and half of it, the shoelace sum not halved, and
        (for a non-convex polygon) the convex hull's area."""
        polygon = [(Fraction(x), Fraction(y)) for x, y in problem["vertices"]]
        xs, ys = [x for x, _ in polygon], [y for _, y in polygon]
        box = (max(xs) - min(xs)) * (max(ys) - min(ys))
        out = {
            "bounding box": fraction_text(box),
            "half the bounding box": fraction_text(box / 2),
            "shoelace sum not halved": fraction_text(abs(double_signed_area(polygon))),
        }
        hull = convex_hull(polygon)
        if len(hull) < len(polygon):  # a non-convex polygon: ignoring its dents is wrong
            out["convex hull"] = fraction_text(abs(double_signed_area(hull)) / 2)
        return out

    def hardness(self, problem: dict) -> float:
        """Vertices times the bits of the coordinates (each shoelace term is two products)."""
        coordinates = [Fraction(c) for vertex in problem["vertices"] for c in vertex]
        denominator = max(c.denominator for c in coordinates)
        span = max(abs(c) for c in coordinates) * denominator
        return float(len(problem["vertices"]) * math.log2(2 * span + 2) * (1 + (denominator > 1)))

    def instance_space(self, spec: dict) -> float | None:
        """Sets of n grid points, each listed in 2n ways (from any vertex, either way round):
        an upper estimate, since most sets are not a polygon of the asked kind."""
        n, span = top(spec["vertices"]), top(spec["coordinate_max"]) * top(spec["denominator"])
        return float(math.comb((2 * span + 1) ** 2, n) * 2 * n)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        value = Fraction(problem.data["value"])
        out = [value + Fraction(1, 2), value - Fraction(1, 2), 2 * value, value + 1]
        texts = [fraction_text(v) for v in out if v != value and v > 0]
        return texts + [f"{problem.data['value']} or {fraction_text(value + 1)}"]
