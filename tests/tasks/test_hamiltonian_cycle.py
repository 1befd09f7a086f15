"""Specification of the hamiltonian_cycle task beyond the shared contract.

Existence is re-derived by the Held-Karp subset programme of ``test_hamiltonian_path`` (paths
from node 0, closed by an edge back to it): no SAT, nothing shared with the generator.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.tasks.base import get_task
from synlog.verifiers.verdict import Reason
from tests.tasks.test_hamiltonian_path import (
    check_against_held_karp,
    held_karp,
    obeys_rules,
    problems,
)

TASK = "hamiltonian_cycle"


def test_sixty_golds_agree_with_held_karp():
    for level in range(1, 7):
        check_against_held_karp(level, 10, TASK, cycle=True)


def test_every_none_is_re_proved_by_held_karp():
    proved = sum(check_against_held_karp(level, 8, TASK, cycle=True, infeasible=0.5) for level in (1, 3, 5))
    assert proved >= 6


@pytest.mark.slow
def test_golds_agree_with_held_karp_on_the_big_levels():
    for level in range(7, 9):
        check_against_held_karp(level, 10, TASK, cycle=True, infeasible=0.3)


def test_worked_example():
    edges = [["A", "B"], ["B", "D"], ["D", "C"], ["C", "A"], ["A", "D"]]
    problem = {"nodes": ["A", "B", "C", "D"], "edges": edges, "exists": True}
    verify = get_task(TASK).verify
    assert held_karp(problem, cycle=True)
    for tour in ("A -> B -> D -> C", "D -> C -> A -> B", "A -> C -> D -> B", "A -> B -> D -> C -> A"):
        assert verify(problem, tour).score == 1.0, tour
    assert verify(problem, "A -> B -> D -> C -> B").score == 0.0  # closes on the wrong node
    assert verify(problem, "A -> D -> B -> C").score == 0.0  # B - C is no edge
    assert verify(problem, "B -> A -> D -> C").score == 0.0  # a path, but C - B closes nothing
    assert verify(problem, "none").score == 0.0


def test_a_hamiltonian_path_that_does_not_close_scores_zero():
    problem = {"nodes": ["A", "B", "C", "D"], "edges": [["A", "B"], ["B", "C"], ["C", "D"]], "exists": False}
    verify = get_task(TASK).verify
    assert not held_karp(problem, cycle=True)
    assert verify(problem, "A -> B -> C -> D").score == 0.0
    assert verify(problem, "A -> B -> C -> D -> A").score == 0.0
    assert verify(problem, "none").score == 1.0


@pytest.mark.parametrize("level", [2, 6, 10])
def test_hostile_answers_score_zero_and_never_error(level):
    t = get_task(TASK)
    for problem, gold in problems(level, 4, task=TASK):
        if gold == "none":
            continue
        nodes = gold.split(" -> ")
        for text in (f"{gold} or none", f"none\n{gold}", f"{gold} -> {gold}", " -> ".join(nodes[:-1]),
                     " -> ".join(nodes + nodes[:2]), "P -> Q -> S -> R", " -> ".join(nodes * 400),
                     f"{gold}, {gold}", f"Tour: {gold}"):
            start = time.perf_counter()
            verdict = t.verify(problem, text)
            assert time.perf_counter() - start < 0.1
            assert verdict.score == 0.0 and verdict.reason is not Reason.ERROR, (text[:80], verdict)


PROBLEM, GOLD = problems(4, 1, task=TASK, infeasible=0.0)[0]


@settings(max_examples=200, deadline=None)
@given(st.permutations(PROBLEM["nodes"]), st.booleans())
def test_random_orders_score_one_exactly_when_they_close_a_tour(order, closed):
    order = list(order)
    text = " -> ".join(order + order[:1] if closed else order)
    verdict = get_task(TASK).verify(PROBLEM, text)
    assert verdict.reason is not Reason.ERROR
    assert (verdict.score == 1.0) == obeys_rules(PROBLEM, order, cycle=True)


def test_the_edge_count_says_little_about_the_answer():
    found = problems(4, 40, seed=5, task=TASK, infeasible=0.5)
    feasible = [len(p["edges"]) for p, gold in found if gold != "none"]
    infeasible = [len(p["edges"]) for p, gold in found if gold == "none"]
    assert len(feasible) >= 10 and len(infeasible) >= 10
    assert abs(sum(feasible) / len(feasible) - sum(infeasible) / len(infeasible)) < 1.0
