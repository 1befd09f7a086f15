"""Specification of the shortest_path task beyond the shared contract.

The optimum and the unreachability of ``none`` instances are re-derived by Bellman-Ford over
the edge list the prompt shows (the generator runs Dijkstra over an adjacency list), and on
small graphs every simple path is enumerated: the verifier must pay exactly the shortest ones.
"""

from __future__ import annotations

import json
import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.synth.example import make_row
from synlog.tasks.base import get_task
from synlog.verifiers.verdict import Reason

TASK = get_task("shortest_path")


def rows(level: int, n: int, seed: int = 7) -> list[dict]:
    """Problems of a level, each with its gold answer under ``_gold`` (verify ignores it)."""
    spec = TASK.knobs.resolve(level)
    made = [make_row("shortest_path", level, spec, seed, i) for i in range(n)]
    return [json.loads(row["problem"]) | {"_gold": row["answer"]} for row in made]


def bellman_ford(problem: dict) -> float:
    """The target's distance by relaxing the prompt's edge list n - 1 times (inf: unreachable)."""
    dist = {name: math.inf for name in problem["nodes"]}
    dist[problem["source"]] = 0
    arcs = [(u, v, w) for u, v, w in problem["edges"]]
    if not problem["directed"]:
        arcs += [(v, u, w) for u, v, w in problem["edges"]]
    for _ in range(len(dist) - 1):
        for u, v, w in arcs:
            if dist[u] + w < dist[v]:
                dist[v] = dist[u] + w
    return dist[problem["target"]]


def simple_paths(problem: dict) -> list[tuple[list[str], int]]:
    """Every simple path from source to target with its length (small graphs only)."""
    out: dict[str, list[tuple[str, int]]] = {name: [] for name in problem["nodes"]}
    for u, v, w in problem["edges"]:
        out[u].append((v, w))
        if not problem["directed"]:
            out[v].append((u, w))
    found = []

    def walk(path: list[str], length: int) -> None:
        if path[-1] == problem["target"]:
            found.append((list(path), length))
            return
        for v, w in out[path[-1]]:
            if v not in path:
                path.append(v)
                walk(path, length + w)
                path.pop()

    walk([problem["source"]], 0)
    return found


def check_optimum(levels: range, per_level: int) -> int:
    checked = 0
    for level in levels:
        for problem in rows(level, per_level):
            distance = bellman_ford(problem)
            if problem["optimum"] is None:
                assert distance == math.inf and problem["_gold"] == "none"
            else:
                assert distance == problem["optimum"]
                assert TASK.verify(problem, problem["_gold"]).correct
            checked += 1
    return checked


def test_optimum_and_unreachability_are_rederived_by_bellman_ford():
    assert check_optimum(range(1, 7), 10) >= 50


@pytest.mark.slow
def test_optimum_is_rederived_at_every_level():
    assert check_optimum(range(1, 11), 30) >= 300


def test_every_shortest_path_scores_one_and_every_longer_one_gets_a_fraction():
    for level in (1, 2, 3):
        for problem in rows(level, 8):
            if problem["optimum"] is None:
                continue
            for path, length in simple_paths(problem):
                verdict = TASK.verify(problem, " -> ".join(path))
                if length == problem["optimum"]:
                    assert verdict.correct
                else:
                    assert verdict.score == 0 and verdict.reason is Reason.WRONG
                    assert verdict.details["fraction"] == pytest.approx(problem["optimum"] / length)
                    assert verdict.details["fraction"] < 1


def test_unreachable_targets_answer_none_and_a_path_there_scores_zero():
    unreachable = [p for level in (1, 2) for p in rows(level, 120) if p["optimum"] is None]
    assert 2 <= len(unreachable) <= 0.15 * 240
    for problem in unreachable:
        assert TASK.verify(problem, "none").correct
        assert TASK.verify(problem, f"{problem['source']} -> {problem['target']}").score == 0
    reachable = [p for p in rows(2, 20) if p["optimum"] is not None]
    assert all(TASK.verify(p, "none").score == 0 for p in reachable)


def test_attacks_score_below_one():
    for problem in rows(8, 6):
        gold = problem["_gold"]
        if gold == "none":
            continue
        hops = gold.split(" -> ")
        not_neighbour = next(n for n in problem["nodes"] if n not in hops and n != problem["source"]
                             and not any({u, v} == {problem["source"], n} for u, v, _ in problem["edges"]))
        attacks = {
            "hedge on two lines": f"{gold}\n{problem['source']} -> {problem['target']}",
            "hedge with or": f"{gold} or none",
            "partial plan": " -> ".join(hops[:-1]),
            "through a wall": f"{problem['source']} -> {problem['target']}",
            "illegal hop then the goal": f"{problem['source']} -> {not_neighbour} -> " + " -> ".join(hops[1:]),
            "gold twice": f"{gold} -> {gold}",
            "gold twice on lines": f"{gold}\n{gold}",
            "prompt's example": problem["example"],
            "backwards on one-way edges": " -> ".join(hops[::-1]),
            "spaces instead of arrows": " ".join(hops),
            "enormous": " -> ".join(hops + hops[1:-1] * 5000),
        }
        for name, answer in attacks.items():
            verdict = TASK.verify(problem, answer)
            assert verdict.score < 1 and verdict.reason is not Reason.ERROR, name
            assert name != "enormous" or verdict.reason is Reason.INVALID


def test_enormous_answer_is_refused_quickly():
    problem = rows(10, 1)[0]
    start = time.perf_counter()
    verdict = TASK.verify(problem, " -> ".join(["A"] * 1_000_000))
    assert verdict.score == 0 and verdict.reason is Reason.INVALID
    assert time.perf_counter() - start < 0.5


def test_levels_grow_the_graph_and_the_route():
    small, large = rows(1, 20), rows(10, 20)
    assert max(len(p["nodes"]) for p in small) < min(len(p["nodes"]) for p in large)
    hops = [len(p["_gold"].split(" -> ")) - 1 for p in large if p["_gold"] != "none"]
    assert min(hops) >= 6 and all(p["directed"] for p in large)


PROBLEM = rows(3, 1, seed=11)[0]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PROBLEM["nodes"]), min_size=1, max_size=12))
def test_random_node_sequences_score_one_only_when_they_are_shortest_paths(sequence):
    verdict = TASK.verify(PROBLEM, " -> ".join(sequence))
    valid = [length for path, length in simple_paths(PROBLEM) if path == sequence]
    assert verdict.correct == (bool(valid) and valid[0] == PROBLEM["optimum"])


def test_every_template_shows_every_edge_in_both_languages():
    spec = TASK.knobs.resolve(5)
    for lang, shown in (("en", "{} {} {} (weight {})"), ("zh", "{} {} {}（权重 {}）")):
        for template in range(TASK.templates(lang)):
            row = make_row("shortest_path", 5, {**spec, "template": template, "lang": lang}, 7, 0)
            problem = json.loads(row["problem"])
            link = "->" if problem["directed"] else "-"
            for u, v, w in problem["edges"]:
                assert shown.format(u, link, v, w) in row["prompt"], (lang, template, u, v)
