"""Specification of spatial_walk beyond the contract.

The walk is replayed on an adjacency table built independently from the edge list; the
network is checked to be properly coloured and built from the named shapes.
"""

from __future__ import annotations

import json
from collections import defaultdict

from synlog.synth.example import make_row
from synlog.tasks import get_task

TASK = get_task("spatial_walk")


def rows(levels=range(1, 11), n=6, seed=8):
    for level in levels:
        for i in range(n):
            yield make_row("spatial_walk", level, TASK.knobs.resolve(level), seed, i)


def test_walk_replayed_on_an_adjacency_table_gives_the_gold():
    checked = 0
    for row in rows():
        problem = json.loads(row["problem"])
        table: dict[tuple[str, str], list[str]] = defaultdict(list)
        for a, b, colour in problem["edges"]:
            table[a, colour].append(b)
            table[b, colour].append(a)
        assert all(len(v) == 1 for v in table.values()), "colours at a place must differ"
        here, seen = problem["start"], [problem["start"]]
        for colour in problem["walk"]:
            (here,) = table[here, colour]
            seen.append(here)
        want = {problem["items"][p] for p in (seen if problem["ask_seen"] else seen[-1:])}
        assert TASK.verify(problem, ", ".join(sorted(want))).correct
        assert set(problem["answer_items"]) == want, row["id"]
        expected_edges = sum({"triangle": 3, "square": 4, "diamond": 5}[s] for s in problem["shapes"])
        assert len(problem["edges"]) == expected_edges
        checked += 1
    assert checked >= 50


def test_answer_is_a_strict_set():
    row = next(rows(levels=[8], n=1))
    problem = json.loads(row["problem"])
    gold = problem["answer_items"]
    assert TASK.verify(problem, ", ".join(reversed(gold))).correct
    assert not TASK.verify(problem, ", ".join(gold + gold[:1])).correct
    assert not TASK.verify(problem, ", ".join(gold[1:])).correct
    assert not TASK.verify(problem, ", ".join(gold) + ", unicorn").correct


def test_a_walk_asking_for_the_last_item_never_ends_at_the_start():
    task = get_task("spatial_walk")
    for level in (1, 2, 3, 4):
        for i in range(30):
            problem = json.loads(make_row("spatial_walk", level, task.knobs.resolve(level), 3, i)["problem"])
            start_item = problem["items"][problem["start"]]
            assert problem["answer_items"] != [start_item]
            assert task.verify(problem, start_item).score == 0
