"""Specification of the minimum_spanning_tree task beyond the shared contract.

The optimum is re-derived by Prim's algorithm over a weight matrix (the generator runs
Kruskal with union-find), and on small graphs every subset of n - 1 edges is tried: the
verifier must pay exactly the spanning trees of least weight, whichever of them is written.
"""

from __future__ import annotations

import json
import math
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.synth.example import make_row
from synlog.tasks.base import get_task
from synlog.verifiers.verdict import Reason

TASK = get_task("minimum_spanning_tree")


def rows(level: int, n: int, seed: int = 7) -> list[dict]:
    """Problems of a level, each with its gold answer under ``_gold`` (verify ignores it)."""
    spec = TASK.knobs.resolve(level)
    made = [make_row("minimum_spanning_tree", level, spec, seed, i) for i in range(n)]
    return [json.loads(row["problem"]) | {"_gold": row["answer"]} for row in made]


def prim(problem: dict) -> int:
    """The minimum spanning tree's weight, grown from the first node over a weight matrix."""
    names = problem["nodes"]
    index = {name: k for k, name in enumerate(names)}
    matrix = [[math.inf] * len(names) for _ in names]
    for u, v, w in problem["edges"]:
        matrix[index[u]][index[v]] = matrix[index[v]][index[u]] = w
    best, inside, total = matrix[0][:], {0}, 0
    while len(inside) < len(names):
        nxt = min((k for k in range(len(names)) if k not in inside), key=lambda k: best[k])
        total += best[nxt]
        inside.add(nxt)
        best = [min(best[k], matrix[nxt][k]) for k in range(len(names))]
    return total


def is_spanning_tree(names: list[str], chosen) -> bool:
    """n - 1 edges that reach every node from the first one (so no cycle)."""
    reach, grew = {names[0]}, True
    while grew:
        grew = False
        for u, v, _ in chosen:
            if (u in reach) != (v in reach):
                reach |= {u, v}
                grew = True
    return len(chosen) == len(names) - 1 and len(reach) == len(names)


def written(tree) -> str:
    return f"total: {sum(w for _, _, w in tree)}\nedges: " + ", ".join(f"{u}-{v}" for u, v, _ in tree)


def check_optimum(levels: range, per_level: int) -> int:
    checked = 0
    for level in levels:
        for problem in rows(level, per_level):
            assert prim(problem) == problem["optimum"]
            assert TASK.verify(problem, problem["_gold"]).correct
            checked += 1
    return checked


def test_optimum_is_rederived_by_prim():
    assert check_optimum(range(1, 7), 10) >= 50


@pytest.mark.slow
def test_optimum_is_rederived_at_every_level():
    assert check_optimum(range(1, 11), 30) >= 300


def test_every_minimum_tree_scores_one_and_every_heavier_one_gets_a_fraction():
    several = 0
    for level in (1, 2):
        for problem in rows(level, 10):
            minimum = 0
            for chosen in combinations(problem["edges"], len(problem["nodes"]) - 1):
                verdict = TASK.verify(problem, written(chosen))
                weight = sum(w for _, _, w in chosen)
                if not is_spanning_tree(problem["nodes"], chosen):
                    assert verdict.reason is Reason.INVALID
                elif weight == problem["optimum"]:
                    assert verdict.correct
                    minimum += 1
                else:
                    assert verdict.score == 0 and verdict.details["fraction"] == problem["optimum"] / weight
            several += minimum > 1
    assert several > 0, "ties in the weights should give some graphs several minimum trees"


def test_the_lightest_edges_never_form_the_answer():
    for level in (1, 4, 8):
        for problem in rows(level, 10):
            answer = TASK.degenerate_answers(problem)["the lightest edges"]
            assert TASK.verify(problem, answer).reason is Reason.INVALID


def test_attacks_score_below_one():
    for problem in rows(6, 5):
        gold = problem["_gold"]
        total_line, edges_line = gold.split("\n")
        listed = edges_line[7:].split(", ")
        absent = next(f"{u}-{v}" for u, v in combinations(problem["nodes"], 2)
                      if not any({u, v} == {a, b} for a, b, _ in problem["edges"]))
        attacks = {
            "hedge: two trees": f"{gold}\n{edges_line}",
            "weight only": total_line,
            "edges only": edges_line,
            "partial tree": f"{total_line}\nedges: " + ", ".join(listed[:-1]),
            "edge not in the graph": f"{total_line}\nedges: " + ", ".join(listed[:-1] + [absent]),
            "wrong total": f"total: {problem['optimum'] - 1}\n{edges_line}",
            "gold twice": f"{gold}\n{gold}",
            "edges twice": f"{total_line}\nedges: " + ", ".join(listed + listed),
            "every edge": f"{total_line}\nedges: " + ", ".join(f"{u}-{v}" for u, v, _ in problem["edges"]),
            "prompt's example": problem["example"],
            "one line": f"{total_line}; {edges_line}",
            "enormous": f"{total_line}\nedges: " + ", ".join(listed * 3000),
        }
        for name, answer in attacks.items():
            verdict = TASK.verify(problem, answer)
            assert verdict.score < 1 and verdict.reason is not Reason.ERROR, name
            assert name != "enormous" or verdict.reason is Reason.INVALID


PROBLEM = rows(2, 1, seed=11)[0]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PROBLEM["edges"]), min_size=1, max_size=8, unique_by=lambda e: (e[0], e[1])))
def test_random_edge_sets_score_one_only_when_they_are_minimum_trees(chosen):
    verdict = TASK.verify(PROBLEM, written(chosen))
    tree = is_spanning_tree(PROBLEM["nodes"], chosen)
    assert verdict.correct == (tree and sum(w for _, _, w in chosen) == PROBLEM["optimum"])


def test_every_template_shows_every_edge_in_both_languages():
    spec = TASK.knobs.resolve(5)
    for lang, shown in (("en", "{} {} {} (weight {})"), ("zh", "{} {} {}（权重 {}）")):
        for template in range(TASK.templates(lang)):
            row = make_row("minimum_spanning_tree", 5, {**spec, "template": template, "lang": lang}, 7, 0)
            problem = json.loads(row["problem"])
            link = "-"
            for u, v, w in problem["edges"]:
                assert shown.format(u, link, v, w) in row["prompt"], (lang, template, u, v)
