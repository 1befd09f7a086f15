"""Specification of tree_relations beyond the contract.

Relatives are recomputed for every pair of people from ancestor chains and the lowest common
ancestor (the generator walks up and then down the tree); empty answers are rare.
"""

from __future__ import annotations

import json

from synlog.synth.example import make_row
from synlog.tasks import get_task
from synlog.tasks.state.tree_relations import RELATIONS

TASK = get_task("tree_relations")


def ancestors(parent_of: dict[str, str], person: str) -> list[str]:
    line = [person]
    while line[-1] in parent_of:
        line.append(parent_of[line[-1]])
    return line


def by_common_ancestor(problem: dict) -> set[str]:
    parent_of = {child: par for par, child in problem["facts"]}
    up, down = RELATIONS[problem["relation"]]
    mine = ancestors(parent_of, problem["person"])
    found = set()
    for other in problem["people"]:
        theirs = ancestors(parent_of, other)
        common = next(a for a in mine if a in theirs)
        if other != problem["person"] and (mine.index(common), theirs.index(common)) == (up, down):
            found.add(other)
    return found


def rows(levels=range(1, 11), n=8, seed=12):
    for level in levels:
        for i in range(n):
            yield make_row("tree_relations", level, TASK.knobs.resolve(level), seed, i)


def test_gold_matches_lowest_common_ancestor_distances():
    checked = 0
    for row in rows():
        problem = json.loads(row["problem"])
        assert by_common_ancestor(problem) == set(problem["answer_names"]), row["id"]
        checked += 1
    assert checked >= 50


def test_empty_answers_are_at_most_a_fifth():
    answers = [r["answer"] for r in rows(n=15, seed=2)]
    assert answers.count("none") / len(answers) <= 0.2


def test_set_parsing_is_strict():
    row = next(r for r in rows(levels=[7], n=20) if "," in r["answer"])
    problem = json.loads(row["problem"])
    gold = problem["answer_names"]
    assert TASK.verify(problem, " and ".join(reversed(gold))).correct
    assert not TASK.verify(problem, ", ".join(gold[1:])).correct
    assert not TASK.verify(problem, ", ".join(gold + gold[:1])).correct
    assert not TASK.verify(problem, "none").correct


def test_none_is_rare_and_every_allowed_relation_is_asked():
    answers = [r for r in rows(levels=(1, 5, 10), n=150, seed=6)]
    share = sum(r["answer"] == "none" for r in answers) / len(answers)
    assert share <= 0.04, share
    asked = {json.loads(r["problem"])["relation"] for r in rows(levels=(10,), n=150, seed=6)}
    assert asked == set(RELATIONS)


def test_no_single_name_or_listed_fact_is_a_free_answer():
    """A name picked without reasoning (the founder, the last fact's child) is rarely the gold."""
    for level in (1, 3):
        data = [(json.loads(r["problem"]), r["answer"]) for r in rows(levels=(level,), n=200, seed=8)]
        for name in ("the founder", "the child of the last listed fact", "the parent of the first listed fact"):
            hits = sum(TASK.verify(p, TASK.degenerate_answers(p)[name]).correct for p, _ in data)
            assert hits / len(data) <= 0.05, (level, name, hits)
        golds = [g for _, g in data]
        assert max(golds.count(g) for g in set(golds)) / len(golds) <= 0.05
