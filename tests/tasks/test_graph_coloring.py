"""Specification of the graph_coloring task beyond the shared contract.

Colourability is re-derived by a plain backtracking search that shares nothing with the
generator (no SAT): nodes in order of decreasing degree, each tries the colours its coloured
neighbours leave free, never more than one colour beyond those used so far (colours are
interchangeable). Its answer must agree with the gold's ``none`` on every instance, and every
gold colouring must be proper as a checker written here reads the rules.
"""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import synlog
from synlog.tasks.base import get_task
from synlog.tasks.graph.graph_coloring import read_colouring
from synlog.verifiers.verdict import Reason

TASK = "graph_coloring"


def problems(level: int, n: int, seed: int = 7, **knobs) -> list[tuple[dict, str]]:
    rows = synlog.generate(TASK, difficulty=level, n=n, seed=seed, knobs=knobs or None)
    return [(json.loads(row["problem"]), row["answer"]) for row in rows]


def backtrack_colouring(problem: dict) -> dict[str, int] | None:
    """A proper colouring with colours 1..k, or None when the search exhausts every choice."""
    neighbours: dict[str, set[str]] = {name: set() for name in problem["nodes"]}
    for a, b in problem["edges"]:
        neighbours[a].add(b)
        neighbours[b].add(a)
    order = sorted(neighbours, key=lambda v: -len(neighbours[v]))
    k, colour = problem["colours"], {}

    def place(i: int, used: int) -> bool:
        if i == len(order):
            return True
        v = order[i]
        taken = {colour[u] for u in neighbours[v] if u in colour}
        for c in range(1, min(k, used + 1) + 1):
            if c not in taken:
                colour[v] = c
                if place(i + 1, max(used, c)):
                    return True
                del colour[v]
        return False

    return dict(colour) if place(0, 0) else None


def proper(problem: dict, colour: dict[str, int]) -> bool:
    return (set(colour) == set(problem["nodes"]) and all(1 <= c <= problem["colours"] for c in colour.values())
            and all(colour[a] != colour[b] for a, b in problem["edges"]))


def as_colouring(gold: str) -> dict[str, int]:
    return {name: int(c) for name, c in (item.split(": ") for item in gold.split(", "))}


def check_against_backtracking(level: int, count: int, **knobs) -> int:
    """Every gold agrees with the backtracking search; returns how many had no colouring."""
    t = get_task(TASK)
    infeasible = 0
    for problem, gold in problems(level, count, **knobs):
        found = backtrack_colouring(problem)
        assert (found is not None) == problem["exists"] == (gold != "none"), (level, problem, gold)
        if found is not None:
            assert proper(problem, found) and proper(problem, as_colouring(gold))
            assert t.verify(problem, ", ".join(f"{v}: {c}" for v, c in found.items())).score == 1.0
        infeasible += found is None
        assert t.verify(problem, gold).score == 1.0
    return infeasible


def test_sixty_golds_agree_with_backtracking():
    for level in range(1, 7):
        check_against_backtracking(level, 10)


def test_every_none_is_re_proved_by_backtracking():
    proved = sum(check_against_backtracking(level, 8, infeasible=0.5) for level in (1, 3, 5, 7))
    assert proved >= 8


@pytest.mark.slow
def test_golds_agree_with_backtracking_on_the_big_levels():
    for level in range(7, 11):
        check_against_backtracking(level, 10, infeasible=0.3)


def test_worked_example():
    problem = {"nodes": ["A", "B", "C", "D"], "colours": 3, "exists": True,
               "edges": [["A", "B"], ["B", "C"], ["C", "A"], ["C", "D"]]}
    verify = get_task(TASK).verify
    assert verify(problem, "A: 1, B: 2, C: 3, D: 1").score == 1.0
    assert verify(problem, "D: 2, C: 1, B: 3, A: 2").score == 1.0  # any order, any proper colours
    assert verify(problem, "A: 1, B: 2, C: 3, D: 3").score == 0.0  # C - D clash
    assert verify(problem, "A: 1, B: 2, C: 4, D: 1").score == 0.0  # colour 4 of 3
    assert verify(problem, "none").score == 0.0
    two = {**problem, "colours": 2, "exists": False}
    assert backtrack_colouring(two) is None and verify(two, "none").score == 1.0


def test_none_scores_one_only_where_no_colouring_exists():
    t = get_task(TASK)
    for problem, gold in problems(3, 12, infeasible=0.5):
        assert (t.verify(problem, "none").score == 1.0) == (not problem["exists"])
        if gold == "none":  # any colouring of an uncolourable graph is wrong
            assert t.verify(problem, ", ".join(f"{v}: {1 + i % problem['colours']}"
                                               for i, v in enumerate(problem["nodes"]))).score == 0.0


@pytest.mark.parametrize("level", [2, 6, 10])
def test_hostile_answers_score_zero_and_never_error(level):
    t = get_task(TASK)
    for problem, gold in problems(level, 4, infeasible=0.0):
        items = gold.split(", ")
        a, b = problem["edges"][0]
        colour = as_colouring(gold)
        clash = ", ".join(f"{v}: {colour[b] if v == a else c}" for v, c in colour.items())
        k = problem["colours"]
        for text in (f"{gold} or none", f"none\n{gold}", f"{gold}, {gold}", f"{gold}\n{gold}",
                     ", ".join(items[:-1]), clash, gold.replace(": 1", ": 0"),
                     gold.replace(items[0], f"{items[0][:-1]}{k + 1}"), f"{gold}, ZZ: 1", "P: 1, Q: 2, R: 1",
                     ", ".join(c for _, c in (i.split(": ") for i in items)), f"Colours: {gold}",
                     gold.replace(items[0], items[0] + " or 2"), ", ".join([gold] * 300),
                     ", ".join(f"{v}: 1" for v in problem["nodes"])):
            start = time.perf_counter()
            verdict = t.verify(problem, text)
            assert time.perf_counter() - start < 0.1
            assert verdict.score == 0.0 and verdict.reason is not Reason.ERROR, (text[:80], verdict)
        assert t.verify(problem, ", ".join([gold] * 300)).reason is Reason.INVALID


PROBLEM, GOLD = problems(4, 1, infeasible=0.0)[0]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(1, PROBLEM["colours"]), min_size=len(PROBLEM["nodes"]),
                max_size=len(PROBLEM["nodes"])))
def test_random_colourings_score_one_exactly_when_proper(colours):
    colour = dict(zip(PROBLEM["nodes"], colours, strict=True))
    verdict = get_task(TASK).verify(PROBLEM, ", ".join(f"{v}: {c}" for v, c in colour.items()))
    assert verdict.reason is not Reason.ERROR
    assert (verdict.score == 1.0) == proper(PROBLEM, colour)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ABCDEFGHIJ:=,;\n 0123 none*", max_size=80))
def test_random_strings_never_raise(text):
    verdict = get_task(TASK).verify(PROBLEM, text)
    assert verdict.reason is not Reason.ERROR
    if verdict.score == 1.0:
        assert proper(PROBLEM, read_colouring(text, PROBLEM["nodes"], PROBLEM["colours"]))


def test_generation_is_fast():
    start = time.perf_counter()
    list(synlog.generate(TASK, difficulty=10, n=10, seed=3))
    assert (time.perf_counter() - start) / 10 < 0.3


def test_the_edge_count_says_nothing_about_the_answer():
    """Colourable and uncolourable graphs are drawn with the same edge count, so counting edges
    cannot stand in for a proof: the two classes' mean counts agree within one edge."""
    found = problems(6, 40, seed=5, infeasible=0.5)
    feasible = [len(p["edges"]) for p, gold in found if gold != "none"]
    infeasible = [len(p["edges"]) for p, gold in found if gold == "none"]
    assert len(feasible) >= 10 and len(infeasible) >= 10
    assert abs(sum(feasible) / len(feasible) - sum(infeasible) / len(infeasible)) < 1.0
