"""Specification of the hamiltonian_path task beyond the shared contract.

Whether a Hamiltonian path exists is re-derived by a Held-Karp bitmask dynamic programme that
shares nothing with the generator (no SAT): ``ends[mask]`` is the set of nodes at which some
path through exactly the nodes of ``mask`` can end. The gold's ``none`` must agree with it on
every instance, feasible and infeasible, and every gold path must obey the rules as a plain
checker written here reads them.
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
from synlog.verifiers.score import score
from synlog.verifiers.verdict import Reason

TASK = "hamiltonian_path"


def problems(level: int, n: int, seed: int = 7, task: str = TASK, **knobs) -> list[tuple[dict, str]]:
    rows = synlog.generate(task, difficulty=level, n=n, seed=seed, knobs=knobs or None)
    return [(json.loads(row["problem"]), row["answer"]) for row in rows]


def bitmasks(problem: dict) -> list[int]:
    """Each node's neighbours as a bitmask over the node indices."""
    index = {name: k for k, name in enumerate(problem["nodes"])}
    adj = [0] * len(index)
    for a, b in problem["edges"]:
        adj[index[a]] |= 1 << index[b]
        adj[index[b]] |= 1 << index[a]
    return adj


def held_karp(problem: dict, cycle: bool) -> bool:
    """Whether a Hamiltonian path (cycle) exists, by dynamic programming over node subsets."""
    adj = bitmasks(problem)
    n = len(adj)
    full = (1 << n) - 1
    ends = [0] * (1 << n)
    starts = [0] if cycle else range(n)  # a cycle may be rotated to start at node 0
    for v in starts:
        ends[1 << v] = 1 << v
    for mask in range(1, full + 1):
        here = ends[mask]
        while here:
            low = here & -here
            v = low.bit_length() - 1
            here ^= low
            fresh = adj[v] & ~mask
            while fresh:
                bit = fresh & -fresh
                fresh ^= bit
                ends[mask | bit] |= bit
    return bool(ends[full] & (adj[0] if cycle else full))


def obeys_rules(problem: dict, order: list[str], cycle: bool) -> bool:
    """The rules read plainly: every node once, each step (and the closing one) an edge."""
    if sorted(order) != sorted(problem["nodes"]):
        return False
    joined = {frozenset(e) for e in problem["edges"]}
    steps = list(zip(order, order[1:], strict=False)) + ([(order[-1], order[0])] if cycle else [])
    return all(frozenset(step) in joined for step in steps)


def check_against_held_karp(level: int, count: int, task: str, cycle: bool, **knobs) -> int:
    """Every gold agrees with Held-Karp; returns how many instances had no answer."""
    t = get_task(task)
    infeasible = 0
    for problem, gold in problems(level, count, task=task, **knobs):
        exists = held_karp(problem, cycle)
        assert exists == problem["exists"] == (gold != "none"), (level, problem, gold)
        if exists:
            assert obeys_rules(problem, gold.split(" -> "), cycle)
        infeasible += not exists
        assert t.verify(problem, gold).score == 1.0
    return infeasible


def test_sixty_golds_agree_with_held_karp():
    for level in range(1, 7):
        check_against_held_karp(level, 10, TASK, cycle=False)


def test_every_none_is_re_proved_by_held_karp():
    """A share of 0.5 gives many infeasible instances; each is re-proved without SAT."""
    proved = sum(check_against_held_karp(level, 8, TASK, cycle=False, infeasible=0.5) for level in (1, 3, 5))
    assert proved >= 6


@pytest.mark.slow
def test_golds_agree_with_held_karp_on_the_big_levels():
    for level in range(7, 9):
        check_against_held_karp(level, 10, TASK, cycle=False, infeasible=0.3)


def test_worked_example():
    problem = {"nodes": ["A", "B", "C", "D"], "edges": [["A", "B"], ["A", "C"], ["C", "D"]], "exists": True}
    verify = get_task(TASK).verify
    assert verify(problem, "B -> A -> C -> D").score == 1.0
    assert verify(problem, "D -> C -> A -> B").score == 1.0  # the reverse is a path too
    assert verify(problem, "A -> B -> C -> D").score == 0.0  # no edge B - C
    assert verify(problem, "none").score == 0.0


def test_none_scores_one_only_where_no_path_exists():
    t = get_task(TASK)
    for problem, gold in problems(3, 12, infeasible=0.5):
        assert (t.verify(problem, "none").score == 1.0) == (not problem["exists"])
        assert (t.verify(problem, "**None**").score == 1.0) == (not problem["exists"])
        if gold == "none":  # any plan on an infeasible graph is wrong
            assert t.verify(problem, " -> ".join(problem["nodes"])).score == 0.0


def attacks(problem: dict, gold: str) -> dict[str, str]:
    nodes = gold.split(" -> ")
    outside = next(([a, b] for a in problem["nodes"] for b in problem["nodes"]
                    if a != b and {a, b} not in [set(e) for e in problem["edges"]]), None)
    found = {
        "hedge with none": f"{gold} or none",
        "none then the path": f"none\n{gold}",
        "two answers on two lines": f"{gold}\n{' -> '.join(reversed(nodes))}",
        "gold twice": f"{gold} -> {gold}",
        "gold twice, comma": f"{gold}, {gold}",
        "partial path": " -> ".join(nodes[:-1]),
        "a node twice": " -> ".join(nodes + nodes[:1]),
        "prompt's example": "P -> Q -> S -> R",
        "prose around it": f"The path is {gold}",
        "enormous": " -> ".join(nodes * 400),
        "numbers for names": " -> ".join(str(k) for k in range(len(nodes))),
        "empty path": "->",
    }
    if outside is not None:  # a jump between two nodes that no edge joins
        rest = [v for v in problem["nodes"] if v not in outside]
        found["step off the edges"] = " -> ".join(outside + rest)
    return found


@pytest.mark.parametrize("level", [2, 6, 10])
def test_hostile_answers_score_zero_and_never_error(level):
    t = get_task(TASK)
    for problem, gold in problems(level, 4):
        if gold == "none":
            continue
        for name, text in attacks(problem, gold).items():
            start = time.perf_counter()
            verdict = t.verify(problem, text)
            assert time.perf_counter() - start < 0.1, name
            assert verdict.score == 0.0 and verdict.reason is not Reason.ERROR, (name, text[:80], verdict)


def test_an_enormous_answer_is_invalid():
    problem, gold = problems(10, 1)[0]
    verdict = get_task(TASK).verify(problem, " -> ".join([gold] * 200))
    assert verdict.reason is Reason.INVALID
    wrapped = score(get_task(TASK), json.dumps(problem), f"<answer>{gold + ' ' * 200_000}x</answer>")
    assert wrapped.score == 0.0


PROBLEM, GOLD = problems(4, 1, infeasible=0.0)[0]


@settings(max_examples=200, deadline=None)
@given(st.permutations(PROBLEM["nodes"]), st.integers(0, 3))
def test_random_orders_score_one_exactly_when_they_obey_the_rules(order, cut):
    order = list(order)[: len(order) - cut]
    verdict = get_task(TASK).verify(PROBLEM, " -> ".join(order))
    assert verdict.reason is not Reason.ERROR
    assert (verdict.score == 1.0) == (cut == 0 and obeys_rules(PROBLEM, order, False))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ABCDEFGHI ->,→\n*none", max_size=80))
def test_random_strings_never_raise_and_never_pay_unless_valid(text):
    verdict = get_task(TASK).verify(PROBLEM, text)
    assert verdict.reason is not Reason.ERROR
    if verdict.score == 1.0:
        assert obeys_rules(PROBLEM, parse_path(text, PROBLEM["nodes"]), False)


def test_generation_is_fast():
    start = time.perf_counter()
    synlog.generate(TASK, difficulty=10, n=10, seed=3)
    assert (time.perf_counter() - start) / 10 < 0.3


def test_the_edge_count_says_little_about_the_answer():
    """A broken graph gets edges back wherever the proof survives them, so graphs with and
    without a path have about as many edges: the two classes' mean counts agree within one."""
    found = problems(4, 40, seed=5, infeasible=0.5)
    feasible = [len(p["edges"]) for p, gold in found if gold != "none"]
    infeasible = [len(p["edges"]) for p, gold in found if gold == "none"]
    assert len(feasible) >= 10 and len(infeasible) >= 10
    assert abs(sum(feasible) / len(feasible) - sum(infeasible) / len(infeasible)) < 1.0
