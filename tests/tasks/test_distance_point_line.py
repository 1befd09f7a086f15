"""distance_point_line: the gold is sympy's Point.distance of a Line or Segment built from the
numbers *parsed from the printed prompt* (parallel lines: the distance from a point of one to
the other); shortcut values never pay; verify accepts any exact form of the value, rationalised
or not, and refuses decimals and hedges."""

from __future__ import annotations

import re

import sympy
from sympy.geometry import Line, Point, Segment
from sympy.parsing.sympy_parser import (
    convert_xor,
    implicit_multiplication_application,
    parse_expr,
    standard_transformations,
)

from synlog.tasks.base import Problem
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("distance_point_line")
TASK = CHECKS.task
READ = standard_transformations + (implicit_multiplication_application, convert_xor)
X, Y = sympy.symbols("x y")
PT = r"\((-?\d+), (-?\d+)\)"


def line_of(text: str) -> Line:
    left, right = text.split("=")
    return Line(parse_expr(left, transformations=READ, local_dict={"x": X, "y": Y}) - int(right))


def point(match, i: int = 1) -> Point:
    return Point(int(match.group(i)), int(match.group(i + 1)))


def printed_distance(prompt: str) -> sympy.Expr:
    m = re.search(r"The lines (.*? = 0) and (.*? = 0) are parallel", prompt)
    if m:
        first, second = line_of(m.group(1)), line_of(m.group(2))
        return first.p1.distance(second)
    m = re.search(rf"P = {PT} to the segment AB, with A = {PT} and B = {PT}", prompt)
    if m:
        return point(m).distance(Segment(point(m, 3), point(m, 5)))
    m = re.search(rf"P = {PT} to the line through A = {PT} and B = {PT}", prompt)
    if m:
        return point(m).distance(Line(point(m, 3), point(m, 5)))
    m = re.search(rf"P = {PT} to the line (.*? = 0)\?", prompt)
    return point(m).distance(line_of(m.group(3)))


def test_gold_is_sympys_distance_of_the_printed_objects():
    checked = 0
    kinds = set()
    for level in range(1, 11):
        for row in CHECKS.rows(level, 6):
            expected = printed_distance(row["prompt"])
            assert sympy.simplify(expected - sympy.sympify(row["answer"])) == 0, (row["id"], expected, row["answer"])
            checked += 1
        kinds |= {p["kind"] for p in CHECKS.problems(level, 6)}
    assert checked >= 50 and len(kinds) == 4


def test_segment_questions_mix_endpoint_and_perpendicular_cases():
    endpoint = perpendicular = 0
    for problem in CHECKS.problems(9, 150, seed=11):
        if problem["kind"] != "point_segment":
            continue
        p, a, b = (Point(*q) for q in (problem["point"], *problem["segment"]))
        if p.distance(Line(a, b)) == p.distance(Segment(a, b)):
            perpendicular += 1
        else:
            endpoint += 1
    assert endpoint >= 5 and perpendicular >= 5, (endpoint, perpendicular)


def test_shortcut_values_never_give_the_gold():
    for level in (1, 4, 7, 10):
        for problem in CHECKS.problems(level, 10):
            value = sympy.sympify(problem["value"])
            assert value not in (0, 1) and problem["value"] != "7*sqrt(13)/13"
            if problem["kind"] == "point_line":
                (x, y), (a, b, c) = problem["point"], problem["line"]
                e = abs(a * x + b * y + c)
                assert value not in (e, sympy.Rational(e, a * a + b * b))
            if problem["kind"] == "parallel_lines":
                (a, b, c1), (_, _, c2) = problem["line"], problem["other"]
                assert sympy.simplify(value - abs(c1 - c2) / sympy.sqrt(a * a + b * b)) != 0


def test_hostile_answers_score_below_one():
    problem = next(p for p in CHECKS.problems(3, 10) if "sqrt" in p["value"])
    value = sympy.sympify(problem["value"])
    gold = problem["value"]
    hostile = [f"{gold} or {value + 1}", f"{gold}, {2 * value}", f"{float(value):.6f}", f"{float(value)}",
               "7*sqrt(13)/13", str(value * 2), str(value / 2), str(value ** 2), "1" * 5000, "",
               f"d = {gold}", f"{gold} \\approx {float(value):.3f}", f"{gold} = {float(value):.4f}",
               f"sqrt({value ** 2} + 1)", "none"]
    CHECKS.assert_below_one(problem, hostile, gold=gold)
    CHECKS.assert_below_one(problem, TASK.forbidden_forms(Problem(problem, gold)))


def test_unrationalised_and_latex_forms_score_one():
    problem = {"kind": "point_line", "point": [1, 2], "line": [3, 2, -14], "value": "7*sqrt(13)/13"}
    CHECKS.assert_scores_one(problem, ["7*sqrt(13)/13", "7/sqrt(13)", "\\frac{7}{\\sqrt{13}}",
                                       "\\frac{7\\sqrt{13}}{13}", "sqrt(49/13)", "$\\dfrac{7\\sqrt{13}}{13}$",
                                       "7 sqrt(13) / 13"])
    real = next(p for p in CHECKS.problems(5, 10) if "sqrt" in p["value"])
    CHECKS.assert_scores_one(real, TASK.alternative_forms(Problem(real, real["value"])))


test_verify_never_raises = CHECKS.never_raises(level=5, examples=80)


def test_levels_get_harder():
    hard = [CHECKS.mean(level, TASK.hardness, n=20) for level in (1, 5, 10)]
    assert hard[0] * 1.3 < hard[1] < hard[2]
    efforts = [sum(r["effort"] for r in CHECKS.rows(level, 20)) / 20 for level in (1, 5, 10)]
    assert efforts[0] * 1.3 < efforts[1] < efforts[2]
