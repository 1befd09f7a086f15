"""Specification of car_painting beyond the shared contract.

The optimum is re-derived two ways that share nothing with the generator's windowed DP: by
listing every legal order (each car at most d places from its start) on the small levels, and
by a memoised search over the exact set of cars placed so far on all levels. Any optimal order
scores 1; every other legal order scores 0 with a fraction below 1; illegal orders score 0.
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.synth.example import make_row
from synlog.tasks import get_task
from synlog.tasks.search.car_painting import greedy_order

TASK = get_task("car_painting")


def rows(levels, n, seed=7):
    for level in levels:
        spec = TASK.knobs.resolve(level)
        for i in range(n):
            yield make_row("car_painting", level, spec, seed, i)


def cost(colours, order):
    line = [colours[car - 1] for car in order]
    return sum(a != b for a, b in zip(line, line[1:], strict=False))


def legal_orders(m: int, d: int):
    """Every order of cars 1..m in which car k stands at a position within d of k."""
    order: list[int] = []
    used: set[int] = set()

    def extend():
        pos = len(order) + 1
        if pos > m:
            yield list(order)
            return
        for car in range(max(1, pos - d), min(m, pos + d) + 1):
            if car not in used and all(c in used for c in range(1, pos - d)):
                used.add(car)
                order.append(car)
                yield from extend()
                order.pop()
                used.discard(car)

    yield from extend()


def searched_optimum(colours: list[str], d: int) -> int:
    """Least colour changes by a memoised search over (cars placed, last colour)."""
    m = len(colours)

    @cache
    def best(placed: frozenset, last: str | None) -> float:
        pos = len(placed) + 1
        if pos > m:
            return 0
        if any(c not in placed for c in range(1, pos - d)):
            return float("inf")
        options = [car for car in range(max(1, pos - d), min(m, pos + d) + 1) if car not in placed]
        return min((last is not None and colours[car - 1] != last) + best(placed | {car}, colours[car - 1])
                   for car in options) if options else float("inf")

    return int(best(frozenset(), None))


def test_the_optimum_matches_a_memoised_search_on_sixty_rows():
    checked = 0
    for row in rows(range(1, 11), 6):
        problem = json.loads(row["problem"])
        assert searched_optimum(problem["colours"], problem["shift"]) == problem["optimum"], row["id"]
        gold = [int(x) for x in row["answer"].split()]
        assert cost(problem["colours"], gold) == problem["optimum"]
        checked += 1
    assert checked >= 60


def test_every_legal_order_of_a_small_line_scores_by_its_cost():
    for row in rows((1, 2), 3, seed=4):
        problem = json.loads(row["problem"])
        orders = list(legal_orders(len(problem["colours"]), problem["shift"]))
        costs = [cost(problem["colours"], order) for order in orders]
        assert min(costs) == problem["optimum"]
        for order, value in list(zip(orders, costs, strict=True))[::7]:
            verdict = TASK.verify(problem, " ".join(map(str, order)))
            assert verdict.correct == (value == problem["optimum"]), (order, value)
            if not verdict.correct:
                assert 0 <= verdict.details["fraction"] < 1 and verdict.details["value"] == value


def test_the_greedy_order_is_never_optimal_and_earns_no_fraction():
    palette = ("red", "blue", "white", "black", "green", "yellow")
    for row in rows((1, 5, 10), 10):
        problem = json.loads(row["problem"])
        greedy = greedy_order([palette.index(c) for c in problem["colours"]], problem["shift"])
        verdict = TASK.verify(problem, " ".join(str(car + 1) for car in greedy))
        assert not verdict.correct and verdict.details["fraction"] == 0


EXAMPLE = {"colours": ["red", "blue", "red", "blue"], "shift": 1, "optimum": 1, "greedy": 2}


def test_the_docstring_example():
    assert searched_optimum(EXAMPLE["colours"], 1) == 1
    assert TASK.verify(EXAMPLE, "1 3 2 4").correct
    # red blue red blue red, d = 1: three orders reach the optimum of 2, and each scores 1
    line = {"colours": ["red", "blue", "red", "blue", "red"], "shift": 1, "optimum": 2, "greedy": 3}
    for order in ("1 2 4 3 5", "1 3 2 4 5", "2 1 3 5 4"):
        assert TASK.verify(line, order).correct
    assert TASK.verify(EXAMPLE, "- 1\n- 3\n- 2\n- 4").correct
    wrong = TASK.verify(EXAMPLE, "1 2 3 4")
    assert wrong.score == 0 and wrong.details["optimum"] == 1 and wrong.details["fraction"] == 0


@pytest.mark.parametrize("answer, why", [
    ("3 1 2 4", "car 3 moved two places"),
    ("1 3 3 4", "a car twice"),
    ("1 3 2", "a car missing"),
    ("1 3 2 4 1 3 2 4", "the gold twice"),
    ("1 3 2 4 or 2 1 4 3", "a hedge"),
    ("1 3 2 4 5", "a car that does not exist"),
    ("0 1 3 2 4", "car 0"),
    ("red red blue blue", "colours instead of cars"),
    ("¹ ³ ² ⁴", "superscript digits (str.isdigit() says yes, int() refuses them)"),
    ("١ ٣ ٢ ٤", "Arabic-Indic digits"),
    ("1 " * 50_000, "an enormous answer"),
])
def test_attacks_score_zero(answer, why):
    assert TASK.verify(EXAMPLE, answer).score == 0, why


def test_the_prompts_example_is_never_an_answer():
    for row in rows((1, 10), 5):
        assert TASK.verify(json.loads(row["problem"]), "1 3 2 4").score == 0


@settings(max_examples=150, deadline=None)
@given(st.permutations(list(range(1, 9))), st.lists(st.sampled_from(["red", "blue", "white"]), min_size=8, max_size=8))
def test_random_orders_pay_exactly_when_legal_and_optimal(order, colours):
    best = searched_optimum(colours, 2)
    greedy_cars = greedy_order([["red", "blue", "white"].index(c) for c in colours], 2)
    problem = {"colours": colours, "shift": 2, "optimum": best, "greedy": cost(colours, [c + 1 for c in greedy_cars])}
    verdict = TASK.verify(problem, " ".join(map(str, order)))
    legal = all(abs(pos - car) <= 2 for pos, car in enumerate(order, start=1))
    assert verdict.correct == (legal and cost(colours, order) == best)
    assert verdict.details.get("fraction", 0) < 1


def test_the_dp_is_exact_on_random_lines():
    from synlog.tasks.search.car_painting import optimal_order
    rng = np.random.default_rng(0)
    for _ in range(40):
        m, d, k = int(rng.integers(4, 9)), int(rng.integers(1, 4)), int(rng.integers(2, 4))
        colour = rng.integers(0, k, m).tolist()
        best, order, _ = optimal_order(colour, d)
        names = [str(c) for c in colour]
        assert best == min(cost(names, o) for o in legal_orders(m, d))
        assert sorted(order) == list(range(m)) and all(abs(p - c) <= d for p, c in enumerate(order))


def test_an_enormous_answer_or_a_broken_order_is_invalid():
    for answer in ("1 " * 50_000, "1 3 3 4", "1 3 2 4 5"):
        assert TASK.verify(EXAMPLE, answer).reason.value == "invalid", answer
