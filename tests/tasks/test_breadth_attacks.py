"""Hostile answers tried by hand against the last breadth II tasks, kept as tests: hedges,
extra or missing items, repeated answers, forms the prompt forbids, prose around the answer,
a bare `none`. Each scores below 1 and is a verdict, not an error; the gold (and the forms
the docs promise) still score 1."""

from __future__ import annotations

import pytest

from tests.tasks.task_checks import TaskChecks

#: tasks whose answer is one value (the others take lists or sets, where brackets are a list form)
SCALAR = ("polygon_area", "distance_point_line", "word_problems", "probability_cards", "triangle_centers")


def attacks(gold: str) -> list[str]:
    return [f"{gold} or (0, 0)", f"{gold}, (0, 0)", f"{gold}\n{gold}", f"{gold} ≈ 1.5", f"(x, y) = {gold}",
            "none", f"The answer is {gold}", f"{gold}, on", f"{gold} or off", "", gold * 300]


@pytest.mark.parametrize("name", ["triangle_centers", "circle_line_intersection", "distance_point_line",
                                  "polygon_area", "acre", "list_functions", "word_problems", "calendar_arithmetic",
                                  "time_intervals", "function_extrema", "function_intersections",
                                  "function_zeros_count", "probability_cards"])
def test_hand_attacks_score_below_one(name):
    checks = TaskChecks(name)
    for level in (2, 6):
        row = checks.rows(level, 1, seed=2)[0]
        problem, gold = checks.problems(level, 1, seed=2)[0], row["answer"]
        checks.assert_scores_one(problem, [gold])
        hostile = [a for a in attacks(gold) if a != gold]
        if name in SCALAR:  # one value asked: brackets make it a list, which the prompt forbids
            hostile.append(f"[{gold}]")
        checks.assert_below_one(problem, hostile, gold=gold)


def test_list_and_label_answers_refuse_hedges_and_extra_items():
    acre = TaskChecks("acre")
    problem, gold = acre.problem(5, seed=0), acre.rows(5, 1, seed=0)[0]["answer"]
    labels = gold.split(", ")
    acre.assert_below_one(problem, [" ".join(labels), "|".join(labels), ", ".join(labels[:-1]),
                                    gold + ", on", gold + " or off", gold + "\non"])
    acre.assert_scores_one(problem, [gold.upper(), "\n".join(f"{k}. {x}" for k, x in enumerate(labels, 1))])
    lists = TaskChecks("list_functions")
    problem, gold = lists.problem(5, seed=0), lists.rows(5, 1, seed=0)[0]["answer"]
    lists.assert_below_one(problem, [f"{gold} or [1]", f"{gold}\n[2]", gold.replace("[", "[1.0, ", 1)])
