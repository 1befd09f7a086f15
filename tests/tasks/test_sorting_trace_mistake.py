"""Specification of sorting_trace_mistake beyond the contract.

Each shown step is re-simulated from the list shown before it by independent
implementations (insertion as "sort the prefix", selection through ``list.index``), and the
gold is the set of steps that differ, on ≥ 50 instances; "none" and every single set of
steps stay rare.
"""

from __future__ import annotations

import json
from collections import Counter

from synlog.synth.example import make_row
from synlog.tasks import get_task

TASK = get_task("sorting_trace_mistake")


def true_step(algorithm, values, k):
    a = list(values)
    if algorithm == "insertion":
        # step k inserts element k+1 into the prefix before it (sorted when the trace is right)
        i = k
        while i > 0 and a[i - 1] > a[i]:
            a[i - 1: i + 1] = [a[i], a[i - 1]]
            i -= 1
    elif algorithm == "selection":
        j = a.index(min(a[k - 1:]), k - 1)
        a[k - 1], a[j] = a[j], a[k - 1]
    else:
        for i in range(len(a) - 1):
            if a[i] > a[i + 1]:
                a[i: i + 2] = [a[i + 1], a[i]]
    return a


def true_trace(algorithm, values):
    a, out = list(values), []
    for k in range(1, len(a)):
        a = sorted(a[: k + 1]) + a[k + 1:] if algorithm == "insertion" else true_step(algorithm, a, k)
        out.append(list(a))
    return out


def rows(levels=(1, 2, 3, 5, 7, 10), n=10, seed=2):
    return [make_row("sorting_trace_mistake", lv, TASK.knobs.resolve(lv), seed, i) for lv in levels for i in range(n)]


def test_true_trace_sorts():
    for row in rows(n=3):
        problem = json.loads(row["problem"])
        assert true_trace(problem["algorithm"], problem["initial"])[-1] == sorted(problem["initial"])


def test_gold_is_the_set_of_steps_off_their_own_previous_list():
    checked = 0
    for row in rows():
        problem = json.loads(row["problem"])
        previous, off = problem["initial"], []
        for k, shown in enumerate(problem["steps"], 1):
            if shown != true_step(problem["algorithm"], previous, k):
                off.append(k)
            previous = shown
        assert row["answer"] == (", ".join(map(str, off)) or "none"), row["id"]
        assert off == [] or len(off) >= 2
        checked += 1
    assert checked >= 50


def test_no_answer_is_the_gold_of_many_rows():
    """'none', the first or last step alone, or any one set of steps: each ≤ 5 % of rows."""
    for level in (1, 5, 10):
        answers = [r["answer"] for r in rows(levels=(level,), n=300)]
        steps = len(json.loads(rows(levels=(level,), n=1)[0]["problem"])["steps"])
        assert answers.count("none") / len(answers) <= 0.04, level
        assert answers.count("1") == answers.count(str(steps)) == 0, level
        assert max(Counter(answers).values()) / len(answers) <= 0.05, level


def test_the_set_is_read_strictly():
    problem = {"algorithm": "insertion", "initial": [3, 1, 2, 4], "steps": [[1, 3, 2, 4], [1, 3, 2, 4], [1, 3, 4, 2]]}
    assert TASK.verify(problem, "2, 3").score == 1
    assert TASK.verify(problem, "3, 2").score == 1
    for wrong in ("2", "3", "none", "1, 2, 3", "2, 2, 3", "23", "step 2", "2, 4"):
        assert TASK.verify(problem, wrong).score == 0, wrong
    problem["steps"][1:] = [[1, 2, 3, 4], [1, 2, 3, 4]]
    assert TASK.verify(problem, "none").score == 1
    assert TASK.verify(problem, "nonexistent").score == 0
