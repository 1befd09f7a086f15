"""Circle and line: every point where a line meets a circle, exactly (none, one or two).

For example::

    circle (x - 1)^2 + (y + 2)^2 = 25, line x - y - 2 = 0      answer: (4, 2), (-3, -5)
    the same circle and the line x - 7 = 0                    answer: none
    the same circle and the line x - 2y = 0                   answer: (-4, -2), (4, 2)
    the circle x^2 + y^2 = 5 and the line x - y - 1 = 0         answer: (2, 1), (-1, -2)

The circle has a lattice center; the line has integer coefficients. Difficulty widens the
coordinates, lets the answers carry square roots from level 4 (before that both points are
lattice points of the circle), writes the circle as an expanded equation
``x^2 + y^2 + Dx + Ey + F = 0`` from level 6 (completing the square is part of the work) and
gives the line by two of its points from level 8.

Gold: with the line ``a x + b y + c = 0``, ``n = a² + b²`` and ``e = a h + b k + c`` for the
center ``(h, k)`` and squared radius ``R``, the discriminant ``D = R n - e²`` decides: no point
(``D < 0``), the tangent point (``D = 0``), or the foot of the perpendicular
``(h - a e / n, k - b e / n)`` plus and minus ``(-b, a)·sqrt(D) / n`` (sympy writes the
radicals). The tests recompute it with sympy's ``Circle.intersection(Line)`` from the
equations parsed out of the printed prompt.

How often each case comes: no intersection in 3 % of instances, a tangent in 12 %, two
points otherwise, so the constant answer ``none`` stays under the task's chance bound (5 %).
Rejected: a set of points equal to the prompt's example.

Answer format: the points as ``(x, y)`` pairs separated by commas, in any order, each once
(braces around the list allowed), coordinates exact (integers, fractions, square roots:
``(1 + sqrt(2), 3/2)``; ``\\sqrt`` and ``\\frac`` accepted, as is any exact expression of the
same value); ``none`` when the line misses the circle. Decimals, a point listed twice, a
missing or extra point, ``none`` beside points, and hedges are invalid or wrong; no partial
credit.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import sympy

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.math._chance import top
from synlog.tasks.math._geometry import check_point_set, draw, line_text, line_through, point_text
from synlog.verifiers.math_parse import split_top
from synlog.verifiers.verdict import Verdict

#: how often the line misses the circle, and how often it touches it
NONE_SHARE, TANGENT_SHARE = 0.03, 0.12
CANDIDATES_PER_CALL = 300
EXAMPLE = "(2 + sqrt(3), 1), (2 - sqrt(3), 1)"
NONE = "none"


def circle_text(center: tuple[int, int], squared: int, expanded: bool) -> str:
    """``(x - 1)^2 + (y + 2)^2 = 25`` or ``x^2 + y^2 - 2x + 4y - 20 = 0``."""
    h, k = center
    if expanded:
        rest = line_text((-2 * h, -2 * k, h * h + k * k - squared))
        head = "x^2 + y^2"
        if rest.startswith("0 ="):
            return f"{head} = 0"
        return f"{head} - {rest[1:]}" if rest.startswith("-") else f"{head} + {rest}"

    def square(name: str, shift: int) -> str:
        if shift == 0:
            return f"{name}^2"
        return f"({name} {'-' if shift > 0 else '+'} {abs(shift)})^2"

    return f"{square('x', h)} + {square('y', k)} = {squared}"


def intersections(center: tuple[int, int], squared: int, line: tuple[int, int, int]) -> list[tuple]:
    """The intersection points as pairs of sympy numbers, ordered by x then y."""
    (h, k), (a, b, c) = center, line
    n = a * a + b * b
    e = a * h + b * k + c
    discriminant = squared * n - e * e
    if discriminant < 0:
        return []
    foot = (sympy.Rational(h * n - a * e, n), sympy.Rational(k * n - b * e, n))
    if discriminant == 0:
        return [foot]
    root = sympy.sqrt(discriminant)
    points = [(foot[0] - sign * sympy.Rational(b, n) * root, foot[1] + sign * sympy.Rational(a, n) * root)
              for sign in (1, -1)]
    return sorted(points, key=lambda q: (float(q[0]), float(q[1])))


def _lattice_points(squared: int) -> list[tuple[int, int]]:
    r = math.isqrt(squared)
    return [(u, v) for u in range(-r, r + 1) for v in range(-r, r + 1) if u * u + v * v == squared]


@register
class CircleLineIntersection(Task):
    """Find every point where a line meets a circle, exactly."""

    name, family, version = "circle_line_intersection", "math", 1
    chance = 0.05
    knobs = Knobs(
        coordinate_max=Knob(int, levels=[3, 4, 5, 5, 6, 6, 8, 8, 10, 12], lo=2, hi=50,
                            help="the center's coordinates lie in -coordinate_max..coordinate_max"),
        radius_max=Knob(int, levels=[5, 5, 10, 5, 6, 6, 8, 8, 10, 12], lo=2, hi=50,
                        help="the largest radius"),
        radicals=Knob(bool, levels=[False] * 3 + [True] * 7,
                      help="false: two intersection points are lattice points; true: square roots"),
        expanded=Knob(bool, levels=[False] * 5 + [True] * 5,
                      help="write the circle as x^2 + y^2 + Dx + Ey + F = 0"),
        line_by_points=Knob(bool, levels=[False] * 7 + [True] * 3, help="give the line by two of its points"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        center = (draw(rng, p.coordinate_max), draw(rng, p.coordinate_max))
        case = rng.random()
        for _ in range(CANDIDATES_PER_CALL):
            if case < NONE_SHARE:
                drawn = self._missing(rng, p)
            elif case < NONE_SHARE + TANGENT_SHARE:
                drawn = self._tangent(rng, p)
            elif p.radicals:
                drawn = self._secant(rng, p)
            else:
                drawn = self._lattice_secant(rng, p)
            if drawn is None:
                continue
            squared, first, second = drawn
            first = (first[0] + center[0], first[1] + center[1])
            second = (second[0] + center[0], second[1] + center[1])
            line = line_through(first, second)
            points = intersections(center, squared, line)
            if points and set(points) == set(_example_points()):
                continue  # sympy's canonical forms: equal points are equal tuples
            texts = [point_text(q) for q in points]
            answer = ", ".join(texts) if points else NONE
            data = {"center": list(center), "squared_radius": squared, "line": list(line),
                    "through": [list(first), list(second)] if p.line_by_points else None,
                    "expanded": p.expanded, "points": texts, "value": answer}
            return Problem(data, answer, self.hardness(data))
        raise Reject("no line of the asked kind was found")

    @staticmethod
    def _points_on_line(rng: np.random.Generator, first: tuple, direction: tuple) -> tuple:
        """A second lattice point of the line through ``first`` along ``direction``."""
        step = int(rng.integers(1, 3)) * (1 if rng.random() < 0.5 else -1)
        return (first[0] + step * direction[0], first[1] + step * direction[1])

    def _secant(self, rng, p):
        """Relative to the center: a line through two random lattice points that cuts the circle."""
        squared = int(rng.integers(2, p.radius_max ** 2 + 1))
        r = math.isqrt(squared) + 1
        first = (draw(rng, r), draw(rng, r))
        second = (draw(rng, r), draw(rng, r))
        if first == second:
            return None
        a, b, c = line_through(first, second)
        return (squared, first, second) if squared * (a * a + b * b) - c * c > 0 else None

    def _lattice_secant(self, rng, p):
        """Two distinct lattice points of a circle of radius at most radius_max."""
        squared = int(rng.integers(2, p.radius_max ** 2 + 1))
        points = _lattice_points(squared)
        if len(points) < 4:
            return None
        i, j = (int(t) for t in rng.choice(len(points), size=2, replace=False))
        return squared, points[i], points[j]

    def _tangent(self, rng, p):
        """The tangent at a lattice point (u, v) of the circle u² + v² = R."""
        u, v = draw(rng, p.radius_max), draw(rng, p.radius_max)
        squared = u * u + v * v
        if squared < 2 or squared > p.radius_max ** 2:
            return None
        g = math.gcd(u, v)
        return squared, (u, v), self._points_on_line(rng, (u, v), (-v // g, u // g))

    def _missing(self, rng, p):
        """A line through two lattice points that passes outside the circle, at most a few
        units from it (a near miss)."""
        squared = int(rng.integers(2, p.radius_max ** 2 + 1))
        reach = math.isqrt(squared) + 3
        first = (draw(rng, reach), draw(rng, reach))
        second = (draw(rng, reach), draw(rng, reach))
        if first == second:
            return None
        a, b, c = line_through(first, second)
        return (squared, first, second) if squared * (a * a + b * b) - c * c < 0 else None

    def context(self, problem: Problem, lang: str) -> dict:
        data = problem.data
        circle = circle_text(tuple(data["center"]), data["squared_radius"], data["expanded"])
        if data["through"]:
            p, q = (point_text(t) for t in data["through"])
            line = f"the line through {p} and {q}" if lang == "en" else f"经过点 {p} 和 {q} 的直线"
        else:
            line = line_text(tuple(data["line"]))
        return {**data, "circle": circle, "line_description": line}

    def verify(self, problem: dict, answer: str) -> Verdict:
        return check_point_set(problem["points"], answer, "exact")

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """The center, and the two given points of the line (as if they were on the circle)."""
        out = {"the center": point_text(problem["center"])}
        if problem["through"]:
            out["the two given points"] = ", ".join(point_text(t) for t in problem["through"])
        return out

    def hardness(self, problem: dict) -> float:
        """The bits of R·(a² + b²) (the discriminant's size), more for each step the prompt adds
        (an expanded circle, a line by points), plus each square root in the answer."""
        a, b, _ = problem["line"]
        steps = 1 + bool(problem["expanded"]) + bool(problem["through"])
        size = math.log2(problem["squared_radius"] * (a * a + b * b) + 2)
        return float(steps * size + 4 * problem["value"].count("sqrt"))

    def instance_space(self, spec: dict) -> float | None:
        """Centers times squared radii times lines through two of about (2r)² points (a lower
        estimate, counting only lines through lattice points of a disc of radius r)."""
        side, r = 2 * top(spec["coordinate_max"]) + 1, top(spec["radius_max"])
        return float(side * side * r * (2 * r) ** 2)

    def alternative_forms(self, problem: Problem) -> list[str]:
        points = problem.data["points"]
        if not points:
            return ["None", "no intersection", "\\emptyset"]
        return ["; ".join(points), "{" + ", ".join(reversed(points)) + "}", ", ".join(reversed(points)),
                ", ".join(q.replace("sqrt(", "\\sqrt(") for q in points)]

    def forbidden_forms(self, problem: Problem) -> list[str]:
        """Each point's coordinates as decimals."""
        out = []
        for text in problem.data["points"]:
            x, y = (sympy.sympify(part) for part in text[1:-1].split(", "))
            out.append(f"({float(x):.10f}, {float(y):.10f})")
        return [", ".join(out)] if out else []

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        data = problem.data
        points = data["points"]
        center = point_text(data["center"])
        if not points:
            return [center, "(0, 0)"]
        out = [f"{data['value']}, {center}", f"{data['value']} or none", "none"]
        if len(points) == 1:
            x, y = intersections_of(points)[0]
            return out + [point_text((x + 1, y)), f"{points[0]}, {points[0]}"]
        (x1, y1), (x2, y2) = (q[1:-1].split(", ") for q in points)
        swapped = f"({x1}, {y2}), ({x2}, {y1})"  # the coordinates paired the other way
        if not _same_set(intersections_of(points), swapped):
            out.append(swapped)
        return [points[0], *out]


@cache
def _example_points() -> tuple[tuple, ...]:
    return tuple(intersections_of(split_top(EXAMPLE, ",")))


def intersections_of(points: list[str]) -> list[tuple]:
    """Points written ``(x, y)`` (trusted text: golds and the example) as pairs of sympy numbers."""
    return [tuple(sympy.sympify(part) for part in q.strip()[1:-1].split(", ")) for q in points]


def _same_set(points: list[tuple], text: str) -> bool:
    """The sympy points equal the points written in ``text`` (as a set)."""
    other = intersections_of(split_top(text, ","))
    if len(other) != len(points):
        return False
    # coordinates are q + r*sqrt(m): expanding the difference decides equality exactly
    return all(any(sympy.expand(p[0] - o[0]) == 0 and sympy.expand(p[1] - o[1]) == 0 for o in other)
               for p in points)
