"""circle_line_intersection: the gold is sympy's Circle.intersection(Line) of the equations
*parsed from the printed prompt*; the no-intersection and tangent cases come as often as
documented; verify reads a set of exact points strictly, with no partial credit."""

from __future__ import annotations

import json
import re

import sympy
from sympy.geometry import Circle, Line, Point
from sympy.parsing.sympy_parser import (
    convert_xor,
    implicit_multiplication_application,
    parse_expr,
    standard_transformations,
)

from synlog.tasks.base import Problem
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("circle_line_intersection")
TASK = CHECKS.task
READ = standard_transformations + (implicit_multiplication_application, convert_xor)
X, Y = sympy.symbols("x y")


def equation(text: str) -> sympy.Expr:
    left, right = text.split("=")
    return parse_expr(left, transformations=READ, local_dict={"x": X, "y": Y}) - \
        parse_expr(right, transformations=READ, local_dict={"x": X, "y": Y})


def printed(prompt: str) -> tuple[Circle, Line]:
    circle = Circle(equation(re.search(r"^Circle: (.*)$", prompt, re.M).group(1)))
    line_text = re.search(r"^Line: (.*)$", prompt, re.M).group(1)
    through = re.fullmatch(r"the line through \((-?\d+), (-?\d+)\) and \((-?\d+), (-?\d+)\)", line_text)
    if through:
        a, b, c, d = (int(v) for v in through.groups())
        return circle, Line(Point(a, b), Point(c, d))
    return circle, Line(equation(line_text))


def gold_points(answer: str) -> list[Point]:
    if answer == "none":
        return []
    return [Point(*[sympy.sympify(v) for v in item.split(", ")]) for item in re.findall(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)", answer)]


def same_points(found: list[Point], gold: list[Point]) -> bool:
    return len(found) == len(gold) and all(any(sympy.simplify(f.distance(g)) == 0 for g in gold) for f in found)


def test_gold_is_sympys_intersection_of_the_printed_circle_and_line():
    checked = 0
    for level in range(1, 11):
        for row in CHECKS.rows(level, 6):
            circle, line = printed(row["prompt"])
            found = circle.intersection(line)
            assert same_points(found, gold_points(row["answer"])), (row["id"], found, row["answer"])
            checked += 1
    assert checked >= 50


def test_cases_come_as_often_as_documented():
    counts = {0: 0, 1: 0, 2: 0}
    for level in (1, 5, 9):
        for problem in CHECKS.problems(level, 80, seed=9):
            counts[len(problem["points"])] += 1
    total = sum(counts.values())
    assert counts[0] / total < TASK.chance and 0.05 < counts[1] / total < 0.2, counts


def test_lattice_levels_have_no_radicals_and_high_levels_do():
    assert all("sqrt" not in r["answer"] for r in CHECKS.rows(2, 10))
    assert sum("sqrt" in r["answer"] for r in CHECKS.rows(9, 10)) >= 5


def test_hostile_answers_score_below_one():
    problem = next(p for p in CHECKS.problems(5, 10) if len(p["points"]) == 2)
    first, second = problem["points"]
    gold = problem["value"]
    center = f"({problem['center'][0]}, {problem['center'][1]})"
    hostile = [first, f"{first}, {first}", f"{gold}, {center}", f"{gold} or none", f"none, {gold}", "none",
               f"{first} or {second}", "(2 + sqrt(3), 1), (2 - sqrt(3), 1)", gold * 50, center, "",
               f"{first}; {first}; {second}", f"{first[:-1]}, 0)", "(" * 500, "x = 1, y = 2",
               f"[{gold}]"]
    CHECKS.assert_below_one(problem, hostile, gold=gold)
    CHECKS.assert_below_one(problem, TASK.forbidden_forms(Problem(problem, gold)))


def test_none_is_right_only_when_the_line_misses():
    missing = next(p for level in (3, 6, 9) for p in CHECKS.problems(level, 80, seed=9) if not p["points"])
    CHECKS.assert_scores_one(missing, ["none", "None", " none ", "\\emptyset", "no intersection"])
    CHECKS.assert_below_one(missing, ["(0, 0)", f"({missing['center'][0]}, {missing['center'][1]})", "none, none",
                                      "none or (0, 0)", "nothing"])


def test_alternative_forms_score_one():
    problem = next(p for p in CHECKS.problems(5, 10) if len(p["points"]) == 2 and "sqrt" in p["value"])
    first, second = problem["points"]
    CHECKS.assert_scores_one(problem, [f"{second}, {first}", f"{{{first}, {second}}}", f"{first}; {second}"])


def test_unrationalised_coordinates_are_accepted():
    problem = {"points": ["(sqrt(2)/2, 1)", "(-sqrt(2)/2, 1)"], "value": "(sqrt(2)/2, 1), (-sqrt(2)/2, 1)"}
    CHECKS.assert_scores_one(problem, ["(1/sqrt(2), 1), (-1/sqrt(2), 1)", "(\\frac{\\sqrt{2}}{2}, 1), (-\\frac{1}{\\sqrt{2}}, 1)"])
    CHECKS.assert_below_one(problem, ["(0.70710678, 1), (-0.70710678, 1)"])


test_verify_never_raises = CHECKS.never_raises(level=5, examples=80)


def test_levels_get_harder():
    hard = [CHECKS.mean(level, TASK.hardness, n=20) for level in (1, 5, 10)]
    assert hard[0] * 1.5 < hard[1] < hard[2]
    efforts = [sum(r["effort"] for r in CHECKS.rows(level, 20)) / 20 for level in (1, 5, 10)]
    assert efforts[0] * 1.5 < efforts[1] < efforts[2]
    assert json.loads(CHECKS.rows(10, 1)[0]["problem"])["expanded"]
