"""Specification of sorting_trace_mistake beyond the contract.

The true trace is re-simulated by independent implementations (insertion as "sort the
prefix", selection through ``list.index``), and the gold is the first step that differs
from it, on ≥ 50 instances; "none" stays under its stated share.
"""

from __future__ import annotations

import json

from synlog.synth.example import make_row
from synlog.tasks import get_task

TASK = get_task("sorting_trace_mistake")


def true_trace(algorithm, values):
    a, out = list(values), []
    for k in range(1, len(a)):
        if algorithm == "insertion":
            a = sorted(a[: k + 1]) + a[k + 1:]
        elif algorithm == "selection":
            j = a.index(min(a[k - 1:]), k - 1)
            a[k - 1], a[j] = a[j], a[k - 1]
        else:
            for i in range(len(a) - 1):
                if a[i] > a[i + 1]:
                    a[i: i + 2] = [a[i + 1], a[i]]
        out.append(list(a))
    return out


def rows(levels=(1, 2, 3, 5, 7, 10), n=10, seed=2):
    return [make_row("sorting_trace_mistake", lv, TASK.knobs.resolve(lv), seed, i) for lv in levels for i in range(n)]


def test_gold_is_the_first_step_off_the_true_trace():
    checked = 0
    for row in rows():
        problem = json.loads(row["problem"])
        truth = true_trace(problem["algorithm"], problem["initial"])
        assert truth[-1] == sorted(problem["initial"])
        off = [k for k, (a, b) in enumerate(zip(problem["steps"], truth, strict=False), 1) if a != b]
        assert row["answer"] == (str(off[0]) if off else "none"), row["id"]
        checked += 1
    assert checked >= 50


def test_none_stays_under_a_quarter():
    for level in (1, 5, 10):
        answers = [r["answer"] for r in rows(levels=(level,), n=300)]
        assert 0.05 <= answers.count("none") / len(answers) <= 0.25, level


def test_the_number_is_read_strictly():
    problem = {"algorithm": "insertion", "initial": [3, 1, 2], "steps": [[1, 3, 2], [1, 3, 2]]}
    assert TASK.verify(problem, "2").score == 1
    for wrong in ("1", "none", "2, 3", "12", "step 2", "3"):
        assert TASK.verify(problem, wrong).score == 0, wrong
    problem["steps"][1] = [1, 2, 3]
    assert TASK.verify(problem, "none").score == 1
    assert TASK.verify(problem, "nonexistent").score == 0
