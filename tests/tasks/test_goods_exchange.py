"""Specification of goods_exchange beyond the contract.

The trades are replayed on an item → holder map (the generator keeps holder → item) with
the refusal rules re-implemented; every person is checked, extras and omissions are wrong.
"""

from __future__ import annotations

import json

from synlog.synth.example import make_row
from synlog.tasks import get_task

TASK = get_task("goods_exchange")


def refuses(rule: dict, person: str, gives: str, gets: str, proposer: str) -> bool:
    if rule["who"] != person:
        return False
    return {"keep": gives == rule.get("item"), "refuse_item": gets == rule.get("item"),
            "refuse_from": proposer == rule.get("other") and person != proposer}[rule["kind"]]


def replay(problem: dict) -> dict[str, str]:
    holder = {item: person for person, item in problem["start"].items()}
    for trade in problem["trades"]:
        ring = trade["ring"]
        held = {holder_: item for item, holder_ in holder.items()}
        gives = {p: held[p] for p in ring}
        gets = {ring[(i + 1) % len(ring)]: held[p] for i, p in enumerate(ring)}
        if any(refuses(r, p, gives[p], gets[p], trade["by"]) for p in ring for r in problem["rules"]):
            continue
        for person, item in gets.items():
            holder[item] = person
    return {person: item for item, person in holder.items()}


def rows(levels=range(1, 11), n=6, seed=21):
    for level in levels:
        for i in range(n):
            yield make_row("goods_exchange", level, TASK.knobs.resolve(level), seed, i)


def test_replay_by_item_holder_map_gives_the_gold():
    checked = refused = 0
    for row in rows():
        problem = json.loads(row["problem"])
        assert replay(problem) == problem["final"], row["id"]
        refused += sum(not t["done"] for t in problem["trades"])
        checked += 1
    assert checked >= 50 and refused > 0


def test_every_person_is_checked():
    row = next(rows(levels=[6], n=1))
    problem = json.loads(row["problem"])
    final = problem["final"]
    people = list(final)
    assert TASK.verify(problem, "\n".join(f"{p.lower()}: {final[p].upper()}" for p in reversed(people))).correct
    assert not TASK.verify(problem, "; ".join(f"{p}: {final[p]}" for p in people[1:])).correct
    assert not TASK.verify(problem, row["answer"] + "; Zed: kite").correct
    assert not TASK.verify(problem, row["answer"] + f"; {people[0]}: {final[people[0]]}").correct
    assert not TASK.verify(problem, "everyone keeps their item").correct


def test_neither_the_start_nor_ignoring_the_rules_gives_the_answer():
    for row in rows(levels=(1, 3, 5, 10), n=15, seed=4):
        problem = json.loads(row["problem"])
        assert problem["rules"], row["id"]
        assert problem["final"] != problem["start"], row["id"]
        for name, answer in TASK.degenerate_answers(problem).items():
            assert TASK.verify(problem, answer).score == 0, (row["id"], name)
