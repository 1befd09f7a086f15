"""Specification of the bipartite_matching task beyond the shared contract.

The maximum is re-derived twice, sharing nothing with the generator's augmenting paths: a
dynamic programme over (person, set of jobs taken), and König's theorem (the smallest set of
people and jobs touching every allowed pair has the same size, found by brute force on small
instances). On small instances every matching is enumerated: the verifier must pay exactly
the largest ones.
"""

from __future__ import annotations

import json
from functools import cache
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.synth.example import make_row
from synlog.tasks.base import get_task
from synlog.verifiers.verdict import Reason

TASK = get_task("bipartite_matching")


def rows(level: int, n: int, seed: int = 7) -> list[dict]:
    """Problems of a level, each with its gold answer under ``_gold`` (verify ignores it)."""
    spec = TASK.knobs.resolve(level)
    made = [make_row("bipartite_matching", level, spec, seed, i) for i in range(n)]
    return [json.loads(row["problem"]) | {"_gold": row["answer"]} for row in made]


def dp_maximum(problem: dict) -> int:
    """Largest matching by deciding person by person, remembering which jobs are taken."""
    people, index = problem["people"], {job: k for k, job in enumerate(problem["jobs"])}
    masks = [[1 << index[job] for job in problem["can_do"][person]] for person in people]

    @cache
    def best(k: int, taken: int) -> int:
        if k == len(people):
            return 0
        return max([best(k + 1, taken)] + [1 + best(k + 1, taken | bit) for bit in masks[k] if not taken & bit])

    return best(0, 0)


def konig_cover(problem: dict) -> int:
    """The smallest number of people and jobs that touch every allowed pair (brute force)."""
    pairs = [(p, j) for p, jobs in problem["can_do"].items() for j in jobs]
    ends = problem["people"] + problem["jobs"]
    for size in range(len(ends) + 1):
        for cover in combinations(ends, size):
            chosen = set(cover)
            if all(p in chosen or j in chosen for p, j in pairs):
                return size
    raise AssertionError("every end together always covers")


def matchings(problem: dict) -> list[list[tuple[str, str]]]:
    """Every matching (small instances only)."""
    out: list[list[tuple[str, str]]] = []
    people = problem["people"]

    def grow(k: int, chosen: list, taken: set) -> None:
        if k == len(people):
            out.append(list(chosen))
            return
        grow(k + 1, chosen, taken)
        for job in problem["can_do"][people[k]]:
            if job not in taken:
                chosen.append((people[k], job))
                grow(k + 1, chosen, taken | {job})
                chosen.pop()

    grow(0, [], set())
    return out


def check_optimum(levels: range, per_level: int) -> int:
    checked = 0
    for level in levels:
        for problem in rows(level, per_level):
            assert dp_maximum(problem) == problem["optimum"]
            if len(problem["people"]) + len(problem["jobs"]) <= 12:
                assert konig_cover(problem) == problem["optimum"]
            assert TASK.verify(problem, problem["_gold"]).correct
            checked += 1
    return checked


def test_maximum_is_rederived_by_a_dp_and_by_konig():
    assert check_optimum(range(1, 7), 10) >= 50


@pytest.mark.slow
def test_maximum_is_rederived_at_every_level():
    assert check_optimum(range(1, 11), 30) >= 300


def test_every_maximum_matching_scores_one_and_smaller_ones_get_a_fraction():
    several = 0
    for level in (1, 2, 3):
        for problem in rows(level, 8):
            best = 0
            for matching in matchings(problem):
                verdict = TASK.verify(problem, ", ".join(f"{p}-{j}" for p, j in matching) or "none")
                if len(matching) == problem["optimum"]:
                    assert verdict.correct
                    best += 1
                else:
                    assert verdict.score == 0
                    assert verdict.details["fraction"] == len(matching) / problem["optimum"]
            several += best > 1
    assert several > 0


def test_greedy_in_the_listed_order_is_never_maximum():
    for level in (1, 5, 10):
        for problem in rows(level, 10):
            taken, size = set(), 0
            for person in problem["people"]:
                free = [job for job in problem["can_do"][person] if job not in taken]
                if free:
                    taken.add(free[0])
                    size += 1
            assert size < problem["optimum"]


def test_attacks_score_below_one():
    for problem in rows(7, 6):
        gold = problem["_gold"]
        pairs = gold.split(", ")
        person = problem["people"][0]
        cannot = next(j for j in problem["jobs"] if j not in problem["can_do"][person])
        attacks = {
            "hedge: two pairings": f"{gold}\n{', '.join(pairs[1:])}",
            "partial": ", ".join(pairs[:-1]),
            "a job they cannot do": ", ".join(pairs + [f"{person}-{cannot}"]),
            "a person twice": ", ".join(pairs + [f"{pairs[0].split('-')[0]}-{cannot}"]),
            "every allowed pair": ", ".join(f"{p}-{j}" for p, js in problem["can_do"].items() for j in js),
            "gold twice": f"{gold}, {gold}",
            "prompt's example": problem["example"],
            "two people paired": f"{problem['people'][0]}-{problem['people'][1]}",
            "arrows instead of dashes": gold.replace("-", " -> "),
            "enormous": ", ".join(pairs * 3000),
        }
        for name, answer in attacks.items():
            verdict = TASK.verify(problem, answer)
            assert verdict.score < 1 and verdict.reason is not Reason.ERROR, name
            assert name != "enormous" or verdict.reason is Reason.INVALID


PROBLEM = rows(3, 1, seed=11)[0]
ALLOWED = [(p, j) for p, js in PROBLEM["can_do"].items() for j in js]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(ALLOWED), max_size=8, unique=True))
def test_random_pair_lists_score_one_only_when_they_are_maximum_matchings(chosen):
    verdict = TASK.verify(PROBLEM, ", ".join(f"{p}-{j}" for p, j in chosen) or "none")
    valid = len({p for p, _ in chosen}) == len({j for _, j in chosen}) == len(chosen)
    assert verdict.correct == (valid and len(chosen) == PROBLEM["optimum"])
