"""acre: every query's label is re-derived from the printed prompt by a SAT solver (python-sat:
can the query set hold a blicket, can it hold none, under the trials' clauses), the generator
having brute-forced all assignments instead; verify takes one label per query."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from pysat.solvers import Minisat22

from synlog.tasks.base import Problem
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("acre")
TASK = CHECKS.task


def printed(prompt: str):
    """(objects, trials as (names, lit), queries as names) read from the English prompt."""
    objects = re.search(r"^Objects: (.*)$", prompt, re.M).group(1).split(", ")
    trials = [(names.split(", "), state == "on")
              for names, state in re.findall(r"^Trial \d+: (.*) -> (on|off)$", prompt, re.M)]
    queries = [names.split(", ") for names in re.findall(r"^Query \d+: (.*)$", prompt, re.M)]
    return objects, trials, queries


def sat_labels(prompt: str) -> list[str]:
    objects, trials, queries = printed(prompt)
    var = {name: k + 1 for k, name in enumerate(objects)}
    selector = len(objects) + 1
    labels = []
    for query in queries:
        with Minisat22() as solver:
            for names, lit in trials:
                if lit:
                    solver.add_clause([var[n] for n in names])
                else:
                    for n in names:
                        solver.add_clause([-var[n]])
            assert solver.solve(), "the trials must be explainable"
            solver.add_clause([-selector] + [var[n] for n in query])  # selector -> a blicket in the set
            can_be_on = solver.solve(assumptions=[selector])
            can_be_off = solver.solve(assumptions=[-var[n] for n in query])
        labels.append("undetermined" if can_be_on and can_be_off else "on" if can_be_on else "off")
    return labels


def test_labels_match_a_sat_solver_on_the_printed_prompt():
    checked = 0
    for level in range(1, 11):
        for row in CHECKS.rows(level, 6):
            assert ", ".join(sat_labels(row["prompt"])) == row["answer"], row["id"]
            checked += 1
    assert checked >= 50


@pytest.mark.slow
def test_labels_match_a_sat_solver_on_more_rows():
    for level in (2, 5, 8, 10):
        for row in CHECKS.rows(level, 40, seed=13):
            assert ", ".join(sat_labels(row["prompt"])) == row["answer"], row["id"]


def test_labels_are_balanced_and_queries_are_new():
    for level in (1, 4, 7, 10):
        for row in CHECKS.rows(level, 10):
            objects, trials, queries = printed(row["prompt"])
            counts = Counter(row["answer"].split(", "))
            assert set(counts) == {"on", "off", "undetermined"}, row["answer"]
            assert max(counts.values()) - min(counts.values()) <= 1, row["answer"]
            sets = [frozenset(q) for q in queries] + [frozenset(t) for t, _ in trials]
            assert len(set(sets)) == len(sets), row["id"]
            assert row["answer"] != "on, off, undetermined, off"


def test_hostile_answers_score_below_one():
    problem = CHECKS.problem(level=3)
    gold = problem["labels"]
    flipped = ["off" if x == "on" else "on" for x in gold]
    hostile = [", ".join(flipped), ", ".join(gold[:-1]), ", ".join(gold + ["on"]),
               ", ".join(gold[:-1] + [f"{gold[-1]} or off"]), ", ".join(["undetermined"] * len(gold)),
               ", ".join(["on"] * len(gold)), "on, off, undetermined, off", ", ".join(gold) + " " * 500 + "x",
               " ".join(gold), "\n".join(f"Query {k + 2}: {x}" for k, x in enumerate(gold)),
               ", ".join(gold) + "\n" + ", ".join(flipped), ", ".join("maybe" if x == "undetermined" else x for x in gold),
               ", ".join("亮" if x == "on" else x for x in gold), "on" * 300]
    CHECKS.assert_below_one(problem, hostile)


def test_alternative_forms_score_one():
    problem = CHECKS.problem(level=3)
    gold = problem["labels"]
    CHECKS.assert_scores_one(problem, [", ".join(gold), "\n".join(gold), ",".join(gold), "; ".join(gold),
                                       ", ".join(x.capitalize() for x in gold),
                                       "\n".join(f"{k}. {x}" for k, x in enumerate(gold, start=1)),
                                       "\n".join(f"Query {k}: {x}" for k, x in enumerate(gold, start=1))])


test_verify_never_raises = CHECKS.never_raises(level=3)


def test_levels_get_harder():
    means = [CHECKS.mean(level, TASK.hardness) for level in (1, 4, 7, 10)]
    assert means == sorted(means) and means[-1] > 2 * means[0], means
    efforts = [sum(r["effort"] for r in CHECKS.rows(level, 10)) for level in (1, 5, 10)]
    assert efforts == sorted(efforts) and efforts[-1] > 10 * efforts[0]


def test_chinese_prompt_names_the_objects_in_chinese():
    row = CHECKS.rows(4, 1)[0]
    data = json.loads(row["problem"])
    text = TASK.prompt(Problem(data, row["answer"]), 0, "zh")
    assert "试验 1" in text and "Trial" not in text and "<answer>on, off, undetermined, off</answer>" in text
