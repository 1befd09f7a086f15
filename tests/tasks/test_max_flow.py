"""Specification of the max_flow task beyond the shared contract.

The maximum is re-derived through the max-flow min-cut theorem: every source-side node set
is enumerated and the lightest cut must weigh exactly the generator's maximum (Edmonds-Karp
there); larger networks use a depth-first Ford-Fulkerson written here. The gold flow is
checked against the rules by this file's own checker, and random flows must score 1 exactly
when that checker says they are valid and maximum.
"""

from __future__ import annotations

import json
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.synth.example import make_row
from synlog.tasks.base import get_task
from synlog.verifiers.verdict import Reason

TASK = get_task("max_flow")


def rows(level: int, n: int, seed: int = 7) -> list[dict]:
    """Problems of a level, each with its gold answer under ``_gold`` (verify ignores it)."""
    spec = TASK.knobs.resolve(level)
    made = [make_row("max_flow", level, spec, seed, i) for i in range(n)]
    return [json.loads(row["problem"]) | {"_gold": row["answer"]} for row in made]


def min_cut(problem: dict) -> int:
    """The lightest total capacity of pipes leaving a node set that holds the source, not the sink."""
    middle = [x for x in problem["nodes"] if x not in (problem["source"], problem["sink"])]
    best = None
    for size in range(len(middle) + 1):
        for side in combinations(middle, size):
            inside = {problem["source"], *side}
            cut = sum(c for u, v, c in problem["edges"] if u in inside and v not in inside)
            best = cut if best is None else min(best, cut)
    return best


def ford_fulkerson(problem: dict) -> int:
    """The maximum by depth-first augmenting paths on a residual dict."""
    residual: dict[str, dict[str, int]] = {x: {} for x in problem["nodes"]}
    for u, v, c in problem["edges"]:
        residual[u][v] = residual[u].get(v, 0) + c
        residual[v].setdefault(u, 0)

    def push(node: str, limit: int, seen: set) -> int:
        if node == problem["sink"]:
            return limit
        seen.add(node)
        for nxt, room in residual[node].items():
            if room > 0 and nxt not in seen:
                sent = push(nxt, min(limit, room), seen)
                if sent:
                    residual[node][nxt] -= sent
                    residual[nxt][node] += sent
                    return sent
        return 0

    total = 0
    while sent := push(problem["source"], 10**9, set()):
        total += sent
    return total


def flow_value(problem: dict, flows: dict[tuple[str, str], int]) -> int | None:
    """The value of ``flows`` when it obeys every rule, else None."""
    capacity = {(u, v): c for u, v, c in problem["edges"]}
    net = dict.fromkeys(problem["nodes"], 0)
    for (u, v), f in flows.items():
        if (u, v) not in capacity or not 0 <= f <= capacity[(u, v)]:
            return None
        net[u] -= f
        net[v] += f
    if any(net[x] for x in problem["nodes"] if x not in (problem["source"], problem["sink"])):
        return None
    return -net[problem["source"]]


def gold_flows(gold: str) -> dict[tuple[str, str], int]:
    flows = {}
    for line in gold.split("\n")[1:]:
        edge, amount = line.split(": ")
        flows[tuple(edge.split("->"))] = int(amount)
    return flows


def written(value: int, flows: dict) -> str:
    return "\n".join([f"value: {value}"] + [f"{u}->{v}: {f}" for (u, v), f in flows.items()])


def check_optimum(levels: range, per_level: int) -> int:
    checked = 0
    for level in levels:
        for problem in rows(level, per_level):
            maximum = min_cut(problem) if len(problem["nodes"]) <= 12 else ford_fulkerson(problem)
            assert maximum == problem["optimum"] == ford_fulkerson(problem)
            assert flow_value(problem, gold_flows(problem["_gold"])) == maximum
            assert TASK.verify(problem, problem["_gold"]).correct
            checked += 1
    return checked


def test_maximum_is_rederived_by_the_min_cut_and_the_gold_obeys_the_rules():
    assert check_optimum(range(1, 7), 10) >= 50


@pytest.mark.slow
def test_maximum_is_rederived_at_every_level():
    assert check_optimum(range(1, 11), 30) >= 300


def test_bottleneck_is_inside_the_network_from_level_three():
    for problem in rows(3, 20) + rows(9, 10):
        out = sum(c for u, _, c in problem["edges"] if u == problem["source"])
        into = sum(c for _, v, c in problem["edges"] if v == problem["sink"])
        assert problem["optimum"] < min(out, into)


def walk(edges: set, start: str, stop: str) -> list[tuple[str, str]] | None:
    """A path of ``edges`` from ``start`` to ``stop`` (depth first), as its edges."""
    stack, seen = [(start, [])], {start}
    while stack:
        node, path = stack.pop()
        for u, v in edges:
            if u == node and (v == stop or v not in seen):
                if v == stop:
                    return path + [(u, v)]
                seen.add(v)
                stack.append((v, path + [(u, v)]))
    return None


def test_a_smaller_valid_flow_scores_zero_with_a_fraction():
    for problem in rows(4, 10):
        flows = gold_flows(problem["_gold"])
        path = walk({edge for edge, f in flows.items() if f > 0}, problem["source"], problem["sink"])
        for edge in path:
            flows[edge] -= 1
        verdict = TASK.verify(problem, written(problem["optimum"] - 1, flows))
        assert verdict.score == 0 and verdict.details["fraction"] == (problem["optimum"] - 1) / problem["optimum"]
        assert TASK.verify(problem, "value: 0").details["fraction"] == 0


def test_another_maximum_flow_also_scores_one():
    """Pushing one more unit around a cycle with spare room keeps the flow valid and maximum."""
    found = 0
    for problem in rows(10, 20):
        flows = gold_flows(problem["_gold"])
        capacity = {(u, v): c for u, v, c in problem["edges"]}
        spare = {edge for edge, c in capacity.items() if flows.get(edge, 0) < c}
        for u, v in sorted(spare):
            back = walk(spare - {(u, v)}, v, u)
            if back:
                other = dict(flows)
                for edge in [(u, v)] + back:
                    other[edge] = other.get(edge, 0) + 1
                assert other != flows and TASK.verify(problem, written(problem["optimum"], other)).correct
                found += 1
                break
    assert found >= 3


def test_attacks_score_below_one():
    for problem in rows(7, 5):
        gold = problem["_gold"]
        lines = gold.split("\n")
        flows = gold_flows(gold)
        first = next(iter(flows))
        over = dict(flows) | {first: flows[first] + 1}
        absent = next(f"{u}->{v}" for u in problem["nodes"] for v in problem["nodes"]
                      if u != v and not any((u, v) == (a, b) for a, b, _ in problem["edges"]))
        attacks = {
            "value only": lines[0],
            "flow without value": "\n".join(lines[1:]),
            "partial flow": "\n".join(lines[:-1]),
            "over capacity": written(problem["optimum"] + 1, over),
            "pipe that does not exist": gold + f"\n{absent}: 1",
            "inflated value": f"value: {problem['optimum'] + 1}\n" + "\n".join(lines[1:]),
            "hedge of two values": f"value: {problem['optimum']}\nvalue: {problem['optimum'] + 1}\n"
                                   + "\n".join(lines[1:]),
            "gold twice": f"{gold}\n{gold}",
            "prompt's example": problem["example"],
            "every pipe full": TASK.degenerate_answers(problem)["every pipe full"],
            "negative flow": gold + f"\n{absent.split('->')[1]}->{absent.split('->')[0]}: -1",
            "enormous": gold + "\n" + "\n".join(lines[1:]) * 2000,
        }
        for name, answer in attacks.items():
            verdict = TASK.verify(problem, answer)
            assert verdict.score < 1 and verdict.reason is not Reason.ERROR, name
            assert name != "enormous" or verdict.reason is Reason.INVALID


PROBLEM = rows(2, 1, seed=11)[0]
EDGES = [(u, v, c) for u, v, c in PROBLEM["edges"]]


@settings(max_examples=200, deadline=None)
@given(st.tuples(*[st.integers(0, c) for _, _, c in EDGES]), st.integers(0, 30))
def test_random_flows_score_one_only_when_valid_and_maximum(amounts, stated):
    flows = {(u, v): f for (u, v, _), f in zip(EDGES, amounts, strict=True)}
    verdict = TASK.verify(PROBLEM, written(stated, flows))
    value = flow_value(PROBLEM, flows)
    assert verdict.correct == (value is not None and value == stated == min_cut(PROBLEM))


def test_every_template_shows_every_edge_in_both_languages():
    spec = TASK.knobs.resolve(5)
    for lang, shown in (("en", "{} {} {} (capacity {})"), ("zh", "{} {} {}（容量 {}）")):
        for template in range(TASK.templates(lang)):
            row = make_row("max_flow", 5, {**spec, "template": template, "lang": lang}, 7, 0)
            problem = json.loads(row["problem"])
            link = "->"
            for u, v, w in problem["edges"]:
                assert shown.format(u, link, v, w) in row["prompt"], (lang, template, u, v)
