"""triangle_centers: the gold is sympy's Triangle center of the vertices *parsed from the printed
prompt* (the center's name read from the prompt too); shortcut points never pay; verify reads
one point strictly, with no partial credit."""

from __future__ import annotations

import re
from fractions import Fraction

import sympy
from sympy.geometry import Point, Triangle

from synlog.verifiers.verdict import Reason
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("triangle_centers")
TASK = CHECKS.task
VERTEX = re.compile(r"^([ABC]) = \((-?\d+), (-?\d+)\)$", re.M)
CENTER = re.compile(r"^The (centroid|circumcenter|orthocenter|incenter) is ", re.M)


def printed_triangle(prompt: str) -> tuple[Triangle, str]:
    vertices = [Point(int(x), int(y)) for _, x, y in VERTEX.findall(prompt)]
    return Triangle(*vertices), CENTER.search(prompt).group(1)


def sympy_center(triangle: Triangle, kind: str) -> Point:
    return {"centroid": lambda: triangle.centroid, "circumcenter": lambda: triangle.circumcenter,
            "orthocenter": lambda: triangle.orthocenter, "incenter": lambda: triangle.incenter}[kind]()


def answer_point(answer: str) -> tuple[Fraction, Fraction]:
    x, y = answer.strip("()").split(", ")
    return Fraction(x), Fraction(y)


def test_gold_is_sympys_center_of_the_printed_triangle():
    checked = 0
    kinds = set()
    for level in range(1, 11):
        for row in CHECKS.rows(level, 6):
            triangle, kind = printed_triangle(row["prompt"])
            center = sympy_center(triangle, kind)
            assert all(c.is_rational for c in center.args), (row["id"], center)
            expected = tuple(Fraction(str(c)) for c in center.args)
            assert answer_point(row["answer"]) == expected, row["id"]
            checked += 1
            kinds.add(kind)
    assert checked >= 50 and kinds == {"centroid", "circumcenter", "orthocenter", "incenter"}


def test_asked_center_is_no_vertex_midpoint_or_other_center():
    for level in (2, 5, 8, 10):
        for row in CHECKS.rows(level, 8):
            triangle, kind = printed_triangle(row["prompt"])
            gold = sympy.Point(*[sympy.Rational(str(c)) for c in answer_point(row["answer"])])
            others = [*triangle.vertices, *(s.midpoint for s in triangle.sides)]
            others += [sympy_center(triangle, k) for k in ("centroid", "circumcenter", "orthocenter", "incenter")
                       if k != kind]
            assert all(not sympy.simplify(gold.distance(o)) == 0 for o in others), row["id"]


def test_hostile_answers_score_below_one():
    problem = CHECKS.problem(level=5)
    x, y = answer_point(problem["value"])
    gold = problem["value"]
    fx, fy = (f"{v.numerator}/{v.denominator}" if v.denominator > 1 else str(v.numerator) for v in (x, y))
    hostile = [f"{gold} or ({x + 1}, {y})", f"{gold}, ({x + 1}, {y})", f"({y}, {x})", f"({float(x)}, {float(y)})",
               f"({2 * x.numerator}/{2 * x.denominator}, {fy})", f"({fx} + 0, {fy})", "(7/3, -2)",
               f"x = {fx}, y = {fy}", f"({fx})", f"({fx}, {fy}, 0)", "(" * 3000, gold * 100, f"({fx}, {y + 1})",
               f"{fx}", "", "(0, 0)", "none"]
    CHECKS.assert_below_one(problem, hostile, gold=gold)


def test_one_right_coordinate_earns_no_partial_credit():
    problem = CHECKS.problem(level=5)
    x, y = answer_point(problem["value"])
    verdict = TASK.verify(problem, f"({x}, {y + 1})")
    assert verdict.reason is Reason.WRONG and not verdict.details.get("fraction")


def test_alternative_forms_score_one():
    problem = CHECKS.problem(level=5)
    x, y = answer_point(problem["value"])
    body = problem["value"][1:-1]
    CHECKS.assert_scores_one(problem, [problem["value"], body, f"[{body}]", f"$({body})$",
                                       f"({latex_fraction(x)}, {latex_fraction(y)})", f"( {body} )"])


def latex_fraction(v: Fraction) -> str:
    return f"\\frac{{{v.numerator}}}{{{v.denominator}}}" if v.denominator > 1 else str(v)


test_verify_never_raises = CHECKS.never_raises(level=3)


def test_levels_get_harder():
    hard = [CHECKS.mean(level, TASK.hardness, n=20) for level in (1, 5, 10)]
    assert hard[0] * 1.5 < hard[1] < hard[2]
    efforts = [sum(r["effort"] for r in CHECKS.rows(level, 20)) / 20 for level in (1, 5, 10)]
    assert efforts[0] * 1.5 < efforts[1] < efforts[2]
