"""polygon_area: the gold is sympy's polygon area of the vertices *parsed from the printed
prompt*, and for lattice polygons also Pick's theorem with a lattice-point count of its own;
polygons are simple (checked by sympy's own segment intersection); verify refuses hedges,
decimals and unreduced forms."""

from __future__ import annotations

import math
import re
from fractions import Fraction

import sympy
from sympy.geometry import Polygon, Segment

from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("polygon_area")
TASK = CHECKS.task
VERTEX = re.compile(r"^([A-Z]) = \((-?[\d/]+), (-?[\d/]+)\)$", re.M)


def printed_vertices(prompt: str) -> list[tuple[Fraction, Fraction]]:
    return [(Fraction(x), Fraction(y)) for _, x, y in VERTEX.findall(prompt)]


def on_boundary(point, polygon) -> bool:
    n = len(polygon)
    for i in range(n):
        (ax, ay), (bx, by) = polygon[i], polygon[(i + 1) % n]
        px, py = point
        if (bx - ax) * (py - ay) == (by - ay) * (px - ax) and min(ax, bx) <= px <= max(ax, bx) \
                and min(ay, by) <= py <= max(ay, by):
            return True
    return False


def inside(point, polygon) -> bool:
    """Crossing number of a ray to the right (half-open edges), for points off the boundary."""
    px, py = point
    crossings = 0
    n = len(polygon)
    for i in range(n):
        (ax, ay), (bx, by) = polygon[i], polygon[(i + 1) % n]
        if (ay > py) != (by > py):
            x_at = ax + (py - ay) * (bx - ax) / (by - ay)
            if x_at > px:
                crossings += 1
    return crossings % 2 == 1


def pick_area(polygon) -> Fraction:
    """Pick's theorem: I + B/2 - 1, counting lattice points one by one."""
    n = len(polygon)
    boundary = sum(math.gcd(int(abs(polygon[(i + 1) % n][0] - polygon[i][0])),
                            int(abs(polygon[(i + 1) % n][1] - polygon[i][1]))) for i in range(n))
    xs, ys = [int(x) for x, _ in polygon], [int(y) for _, y in polygon]
    interior = sum(1 for x in range(min(xs), max(xs) + 1) for y in range(min(ys), max(ys) + 1)
                   if not on_boundary((x, y), polygon) and inside((Fraction(x), Fraction(y)), polygon))
    return interior + Fraction(boundary, 2) - 1


def sympy_simple(polygon) -> bool:
    points = [sympy.Point(sympy.Rational(x.numerator, x.denominator), sympy.Rational(y.numerator, y.denominator))
              for x, y in polygon]
    edges = [Segment(points[i], points[(i + 1) % len(points)]) for i in range(len(points))]
    n = len(edges)
    for i in range(n):
        for j in range(i + 1, n):
            meet = edges[i].intersection(edges[j])
            neighbours = j == i + 1 or (i == 0 and j == n - 1)
            if neighbours:
                if len(meet) != 1 or not isinstance(meet[0], sympy.Point):
                    return False
            elif meet:
                return False
    return True


def test_gold_is_sympys_area_and_picks_theorem_of_the_printed_vertices():
    checked = picked = 0
    for level in range(1, 11):
        for row in CHECKS.rows(level, 6):
            polygon = printed_vertices(row["prompt"])
            assert len(polygon) == TASK.knobs.resolve(level)["vertices"]
            area = abs(Polygon(*[(sympy.Rational(str(x)), sympy.Rational(str(y))) for x, y in polygon]).area)
            assert Fraction(row["answer"]) == Fraction(str(area)), row["id"]
            if all(c.denominator == 1 for p in polygon for c in p):
                assert pick_area(polygon) == Fraction(row["answer"]), row["id"]
                picked += 1
            checked += 1
    assert checked >= 50 and picked >= 25


def test_polygons_are_simple_and_convex_only_where_asked():
    for level in (1, 4, 5, 8, 10):
        for row in CHECKS.rows(level, 4):
            polygon = printed_vertices(row["prompt"])
            assert sympy_simple(polygon), row["id"]
            convex = Polygon(*[(sympy.Rational(str(x)), sympy.Rational(str(y))) for x, y in polygon]).is_convex()
            assert convex == TASK.knobs.resolve(level)["convex"], row["id"]


def test_shortcut_areas_never_give_the_gold():
    for level in (1, 3, 6, 9):
        for problem in CHECKS.problems(level, 10):
            polygon = [(Fraction(x), Fraction(y)) for x, y in problem["vertices"]]
            xs, ys = [x for x, _ in polygon], [y for _, y in polygon]
            box = (max(xs) - min(xs)) * (max(ys) - min(ys))
            value = Fraction(problem["value"])
            assert value not in (box, box / 2, Fraction(17, 2)) and value > 1


def test_hostile_answers_score_below_one():
    problem = CHECKS.problem(level=3)
    value = Fraction(problem["value"])
    p, q = value.numerator, value.denominator
    text = problem["value"]
    hostile = [f"{text} or {value + 1}", f"{text}, {value + 1}", f"{2 * p}/{2 * q}", f"{float(value)}",
               f"{text} + 0", f"2*{value / 2}", "17/2", "1" * 5000, f"{-value}", f"{value + Fraction(1, 2)}",
               f"{2 * value}", f"area = {text} or {value / 2}", f"{text}/1", ""]
    CHECKS.assert_below_one(problem, hostile, gold=text)


def test_alternative_forms_score_one():
    problem = CHECKS.problem(level=7)
    value = Fraction(problem["value"])
    forms = [problem["value"], f" {problem['value']} ", f"${problem['value']}$"]
    if value.denominator > 1:
        forms += [f"\\frac{{{value.numerator}}}{{{value.denominator}}}", f"\\dfrac{{{value.numerator}}}{{{value.denominator}}}"]
    CHECKS.assert_scores_one(problem, forms)


test_verify_never_raises = CHECKS.never_raises(level=3)


def test_levels_get_harder():
    hard = [CHECKS.mean(level, TASK.hardness) for level in (1, 5, 10)]
    assert hard[0] * 1.5 < hard[1] < hard[2]
    efforts = [sum(r["effort"] for r in CHECKS.rows(level, 10)) / 10 for level in (1, 5, 10)]
    assert efforts[0] * 1.5 < efforts[1] < efforts[2]
