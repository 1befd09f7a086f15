"""Specification of the nl_navigation task beyond the shared contract.

The nearest landmark's distance is re-derived by Floyd-Warshall over the street list the
prompt describes (the generator runs Dijkstra from the start), and on small towns every
simple route from the start is enumerated: the verifier must pay exactly the routes of least
length that end at a landmark of the asked kind.
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.synth.example import make_row
from synlog.tasks.base import get_task
from synlog.verifiers.verdict import Reason

TASK = get_task("nl_navigation")


def rows(level: int, n: int, seed: int = 7) -> list[dict]:
    """Problems of a level, each with its gold answer under ``_gold`` (verify ignores it)."""
    spec = TASK.knobs.resolve(level)
    made = [make_row("nl_navigation", level, spec, seed, i) for i in range(n)]
    return [json.loads(row["problem"]) | {"_gold": row["answer"], "_prompt": row["prompt"]} for row in made]


def walks(problem: dict) -> list[tuple[str, str, int]]:
    """Every direction a street may be walked in, with its length."""
    out = []
    for s in problem["streets"]:
        out.append((s["from"], s["to"], s["length"]))
        if not s["one_way"]:
            out.append((s["to"], s["from"], s["length"]))
    return out


def floyd_warshall_nearest(problem: dict) -> float:
    places = problem["places"]
    dist = {(a, b): 0 if a == b else math.inf for a in places for b in places}
    for a, b, w in walks(problem):
        dist[(a, b)] = min(dist[(a, b)], w)
    for k in places:
        for i in places:
            for j in places:
                if dist[(i, k)] + dist[(k, j)] < dist[(i, j)]:
                    dist[(i, j)] = dist[(i, k)] + dist[(k, j)]
    return min(dist[(problem["start"], t)] for t in problem["targets"])


def simple_routes(problem: dict) -> list[tuple[list[str], int]]:
    """Every simple route from the start, with its length (small towns only)."""
    out: dict[str, list[tuple[str, int]]] = {p: [] for p in problem["places"]}
    for a, b, w in walks(problem):
        out[a].append((b, w))
    found = []

    def walk(route: list[str], length: int) -> None:
        found.append((list(route), length))
        for nxt, w in out[route[-1]]:
            if nxt not in route:
                route.append(nxt)
                walk(route, length + w)
                route.pop()

    walk([problem["start"]], 0)
    return found


def check_optimum(levels: range, per_level: int) -> int:
    checked = 0
    for level in levels:
        for problem in rows(level, per_level):
            assert floyd_warshall_nearest(problem) == problem["optimum"]
            assert TASK.verify(problem, problem["_gold"]).correct
            checked += 1
    return checked


def test_nearest_distance_is_rederived_by_floyd_warshall():
    assert check_optimum(range(1, 7), 9) >= 50


@pytest.mark.slow
def test_nearest_distance_is_rederived_at_every_level():
    assert check_optimum(range(1, 11), 25) >= 250


def test_exactly_the_shortest_routes_to_a_nearest_landmark_score_one():
    for level in (1, 2, 3):
        for problem in rows(level, 6):
            for route, length in simple_routes(problem):
                verdict = TASK.verify(problem, " -> ".join(route))
                right = route[-1] in problem["targets"] and length == problem["optimum"]
                assert verdict.correct == right
                if route[-1] in problem["targets"] and not right:
                    assert verdict.details["fraction"] == problem["optimum"] / length < 1


def limited_distances(problem: dict, rounds: int) -> dict[str, float]:
    """Least length from the start using at most ``rounds`` streets (Bellman-Ford, cut short)."""
    dist = {p: math.inf for p in problem["places"]} | {problem["start"]: 0}
    for _ in range(rounds):
        nxt = dict(dist)
        for a, b, w in walks(problem):
            nxt[b] = min(nxt[b], dist[a] + w)
        dist = nxt
    return dist


def test_the_start_never_touches_a_landmark_and_the_fewest_streets_mislead():
    for level in (3, 6, 9):
        for problem in rows(level, 8):
            fewest = next(k for k in range(1, 50)
                          if any(limited_distances(problem, k)[t] < math.inf for t in problem["targets"]))
            assert fewest >= 2
            by_fewest = limited_distances(problem, fewest)
            assert min(by_fewest[t] for t in problem["targets"]) > problem["optimum"]


def test_prompt_tells_every_street_and_the_question():
    problem = rows(9, 1)[0]
    spec = TASK.knobs.resolve(9)
    for lang, unit, here in (("en", " m", "You are at the {}"), ("zh", " 米", "你现在在 {}")):
        for template in range(TASK.templates(lang)):
            row = make_row("nl_navigation", 9, {**spec, "template": template, "lang": lang}, 7, 0)
            assert json.loads(row["problem"]) == {k: v for k, v in problem.items() if not k.startswith("_")}
            prompt = row["prompt"]
            for s in problem["streets"]:
                assert s["name"] in prompt and f"{s['length']}{unit}" in prompt
            assert here.format(problem["start"]) in prompt and problem["kind"] in prompt
    assert any(s["one_way"] for p in rows(9, 5) for s in p["streets"])


def test_attacks_score_below_one():
    for problem in rows(8, 6):
        gold = problem["_gold"]
        hops = gold.split(" -> ")
        far = [t for t in problem["targets"] if t != hops[-1]]
        attacks = {
            "hedge on two lines": f"{gold}\n{problem['start']} -> {far[0]}",
            "hedge with or": f"{gold} or {far[0]}",
            "partial route": " -> ".join(hops[:-1]),
            "jump straight to the landmark": f"{problem['start']} -> {hops[-1]}",
            "gold twice": f"{gold} -> {gold}",
            "prompt's example": problem["example"],
            "landmark name only": hops[-1],
            "backwards": " -> ".join(hops[::-1]),
            "street names": " -> ".join(s["name"] for s in problem["streets"][:3]),
            "enormous": " -> ".join(hops * 4000),
        }
        for name, answer in attacks.items():
            verdict = TASK.verify(problem, answer)
            assert verdict.score < 1 and verdict.reason is not Reason.ERROR, name
            assert name != "enormous" or verdict.reason is Reason.INVALID


def test_one_way_streets_cannot_be_walked_backwards():
    problem = next(p for p in rows(9, 10) if any(s["one_way"] for s in p["streets"]))
    street = next(s for s in problem["streets"] if s["one_way"])
    back = [street["to"], street["from"]]
    assert sum({s["from"], s["to"]} == set(back) for s in problem["streets"]) == 1  # no other street there
    problem = problem | {"start": back[0]}
    assert TASK.verify(problem, " -> ".join(back)).reason is Reason.INVALID


PROBLEM = rows(2, 1, seed=11)[0]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PROBLEM["places"]), min_size=1, max_size=8))
def test_random_place_sequences_score_one_only_when_they_are_shortest_routes(sequence):
    verdict = TASK.verify(PROBLEM, " -> ".join(sequence))
    right = [length for route, length in simple_routes(PROBLEM) if route == sequence]
    assert verdict.correct == (bool(right) and sequence[-1] in PROBLEM["targets"] and right[0] == PROBLEM["optimum"])
