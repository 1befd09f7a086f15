"""Specification of the course_schedule task beyond the shared contract.

Feasibility is re-derived by a different algorithm from the task's Kahn's algorithm: a
recursive depth-first search that emits each course after all of its prerequisites (reverse
post-order) and reports a circle when it meets a course still on its own call stack. It must
agree with the gold's ``impossible`` on every instance, its order must score 1, and every gold
order must respect every requirement as a checker written here reads them.
"""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import synlog
from synlog.tasks.base import get_task
from synlog.tasks.common.graphs import parse_path
from synlog.verifiers.verdict import Reason

TASK = "course_schedule"


def problems(level: int, n: int, seed: int = 7, **knobs) -> list[tuple[dict, str]]:
    rows = synlog.generate(TASK, difficulty=level, n=n, seed=seed, knobs=knobs or None)
    return [(json.loads(row["problem"]), row["answer"]) for row in rows]


def dfs_order(problem: dict) -> list[str] | None:
    """Each course after its prerequisites (depth-first, post-order), or None on a circle."""
    needs = {course: list(required) for course, required in problem["requires"]}
    done: set[str] = set()
    on_stack: set[str] = set()
    order: list[str] = []

    def visit(course: str) -> bool:
        if course in done:
            return True
        if course in on_stack:
            return False  # a circle: the course requires itself through the stack
        on_stack.add(course)
        if not all(visit(need) for need in needs.get(course, [])):
            return False
        on_stack.discard(course)
        done.add(course)
        order.append(course)
        return True

    return order if all(visit(course) for course in problem["courses"]) else None


def respects(problem: dict, order: list[str]) -> bool:
    position = {course: k for k, course in enumerate(order)}
    return (len(order) == len(position) and set(order) == set(problem["courses"])
            and all(position[need] < position[course] for course, needs in problem["requires"] for need in needs))


def check_against_dfs(level: int, count: int, **knobs) -> int:
    """Every gold agrees with the depth-first search; returns how many were impossible."""
    t = get_task(TASK)
    impossible = 0
    for problem, gold in problems(level, count, **knobs):
        order = dfs_order(problem)
        assert (order is None) == (gold == "impossible"), (level, problem, gold)
        if order is not None:
            assert respects(problem, order) and respects(problem, gold.split(", "))
            assert t.verify(problem, ", ".join(order)).score == 1.0
        impossible += order is None
        assert t.verify(problem, gold).score == 1.0
    return impossible


def test_sixty_golds_agree_with_depth_first_search():
    for level in range(1, 7):
        check_against_dfs(level, 10)


def test_every_impossible_is_re_proved_by_depth_first_search():
    assert sum(check_against_dfs(level, 8, infeasible=0.5) for level in (1, 4, 7, 10)) >= 8


@pytest.mark.slow
def test_golds_agree_with_depth_first_search_on_every_level():
    for level in range(1, 11):
        check_against_dfs(level, 20, infeasible=0.2)


def shortest_circle(problem: dict) -> int | None:
    """The fewest courses on a circle of requirements (breadth-first from every course)."""
    needs = {course: set(required) for course, required in problem["requires"]}
    best = None
    for start in problem["courses"]:
        seen, frontier, steps = {start}, [start], 0
        while frontier and (best is None or steps < best):
            steps += 1
            nxt = {u for v in frontier for u in needs.get(v, ())}
            if start in nxt:
                best = steps if best is None else min(best, steps)
                break
            frontier = [u for u in nxt if u not in seen]
            seen.update(frontier)
    return best


@pytest.mark.parametrize("level", [1, 4, 10])
def test_the_circle_has_exactly_the_length_the_level_asks_for(level):
    """Level 10 hides a circle of 7 requirements, and no shorter one gives it away."""
    length = get_task(TASK).knobs.resolve(level)["cycle"]
    for problem, gold in problems(level, 6, infeasible=1.0):
        assert gold == "impossible"
        assert shortest_circle(problem) == length
    for problem, _ in problems(level, 6, infeasible=0.0):
        assert shortest_circle(problem) is None


def test_worked_example():
    problem = {"courses": ["A", "B", "C", "D"], "requires": [["D", ["A", "C"]], ["C", ["B"]]]}
    verify = get_task(TASK).verify
    for order in ("A, B, C, D", "B, C, A, D", "B, A, C, D", "A -> B -> C -> D"):
        assert verify(problem, order).score == 1.0, order
    assert verify(problem, "A, C, B, D").score == 0.0  # C before its prerequisite B
    assert verify(problem, "impossible").score == 0.0
    circular = {**problem, "requires": [["D", ["A", "C"]], ["C", ["B"]], ["B", ["D"]]]}
    assert dfs_order(circular) is None
    assert verify(circular, "impossible").score == 1.0
    assert verify(circular, "A, B, C, D").score == 0.0


def test_impossible_scores_one_only_on_circular_requirements():
    t = get_task(TASK)
    for problem, gold in problems(5, 12, infeasible=0.5):
        assert (t.verify(problem, "impossible").score == 1.0) == (gold == "impossible")
        assert (t.verify(problem, "**Impossible.**").score == 1.0) == (gold == "impossible")
        if gold == "impossible":  # no order of a circular schedule is right
            assert t.verify(problem, ", ".join(problem["courses"])).score == 0.0


@pytest.mark.parametrize("level", [2, 6, 10])
def test_hostile_answers_score_zero_and_never_error(level):
    t = get_task(TASK)
    for problem, gold in problems(level, 4, infeasible=0.0):
        items = gold.split(", ")
        for text in (f"{gold} or impossible", f"impossible\n{gold}", f"{gold}, {gold}", f"{gold}\n{gold}",
                     ", ".join(items[:-1]), ", ".join(items + items[-1:]), "P, R, Q", f"Order: {gold}",
                     ", ".join(reversed(items)), ", ".join(items * 100), "none", "possible",
                     f"{gold}, ZZ", ", ".join(str(k) for k in range(len(items)))):
            start = time.perf_counter()
            verdict = t.verify(problem, text)
            assert time.perf_counter() - start < 0.1
            assert verdict.score == 0.0 and verdict.reason is not Reason.ERROR, (text[:80], verdict)
        assert t.verify(problem, ", ".join(items * 100)).reason is Reason.INVALID


PROBLEM, GOLD = problems(3, 1, infeasible=0.0)[0]


@settings(max_examples=300, deadline=None)
@given(st.permutations(PROBLEM["courses"]))
def test_random_orders_score_one_exactly_when_they_respect_every_requirement(order):
    verdict = get_task(TASK).verify(PROBLEM, ", ".join(order))
    assert verdict.reason is not Reason.ERROR
    assert (verdict.score == 1.0) == respects(PROBLEM, list(order))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ABCDEFGH ,->\nimpossible*", max_size=60))
def test_random_strings_never_raise_and_pay_only_valid_orders(text):
    verdict = get_task(TASK).verify(PROBLEM, text)
    assert verdict.reason is not Reason.ERROR
    if verdict.score == 1.0:
        assert respects(PROBLEM, parse_path(text, PROBLEM["courses"]))


def test_generation_is_fast():
    start = time.perf_counter()
    list(synlog.generate(TASK, difficulty=10, n=20, seed=3))
    assert (time.perf_counter() - start) / 20 < 0.3
