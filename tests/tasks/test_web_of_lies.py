"""Specification of web_of_lies beyond the contract.

The printed lines are parsed back with regular expressions and every truth assignment is
enumerated with itertools (independent of the generator's numpy table): exactly one is
consistent, and it gives the gold answers, on ≥ 50 instances.
"""

from __future__ import annotations

import itertools
import json
import re

from synlog.synth.example import make_row
from synlog.tasks import get_task

TASK = get_task("web_of_lies")
CONTENT = [
    (r"(\w+) tells the truth", lambda v, a: v[a[0]]),
    (r"(\w+) lies", lambda v, a: not v[a[0]]),
    (r"(\w+) and (\w+) both tell the truth", lambda v, a: v[a[0]] and v[a[1]]),
    (r"exactly one of (\w+) and (\w+) tells the truth", lambda v, a: v[a[0]] != v[a[1]]),
    (r"at least one of (\w+) and (\w+) lies", lambda v, a: not (v[a[0]] and v[a[1]])),
]


def constraint(line):
    if m := re.fullmatch(r"(\w+) (tells the truth|lies)\.", line):
        return lambda v: v[m[1]] == (m[2] == "tells the truth")
    speaker, said = re.fullmatch(r"(\w+) says (.+)\.", line).groups()
    for pattern, rule in CONTENT:
        if m := re.fullmatch(pattern, said):
            return lambda v, m=m, rule=rule: v[speaker] == rule(v, m.groups())
    raise AssertionError(line)


def test_exactly_one_assignment_is_consistent_and_it_gives_the_gold():
    checked = 0
    for level in (1, 3, 5, 7, 10):
        for i in range(12):
            row = make_row("web_of_lies", level, TASK.knobs.resolve(level), 4, i)
            problem = json.loads(row["problem"])
            names = sorted({w for line in problem["lines"] for w in re.findall(r"\b[A-Z]\w+", line)})
            rules = [constraint(line) for line in problem["lines"]]
            models = []
            for values in itertools.product([False, True], repeat=len(names)):
                v = dict(zip(names, values, strict=False))
                if all(rule(v) for rule in rules):
                    models.append(v)
            assert len(models) == 1, row["id"]
            expected = ", ".join("yes" if models[0][name] else "no" for name in problem["asked"])
            assert row["answer"] == expected
            checked += 1
    assert checked >= 50


def test_answers_are_read_in_order_and_in_full():
    problem = {"lines": [], "asked": ["Ann", "Bob"], "answers": [True, False]}
    assert TASK.verify(problem, "yes, no").score == 1
    assert TASK.verify(problem, "True; False").score == 1
    for wrong in ("no, yes", "yes", "yes, no, no", "yes, not", "yesno", "yes, no yes"):
        assert TASK.verify(problem, wrong).score == 0, wrong


def test_neither_answer_dominates():
    answers = [a for lv in (1, 5, 10) for i in range(100)
               for a in make_row("web_of_lies", lv, TASK.knobs.resolve(lv), 8, i)["answer"].split(", ")]
    assert 0.3 <= answers.count("yes") / len(answers) <= 0.7


def test_people_are_asked_in_groups_so_a_blind_guess_stays_under_chance():
    for level in range(1, 11):
        spec = TASK.knobs.resolve(level)
        assert spec["asked"] >= 5, level
        assert 2.0 ** -spec["asked"] <= TASK.chance
    golds = [make_row("web_of_lies", 1, TASK.knobs.resolve(1), 11, i)["answer"] for i in range(300)]
    assert max(golds.count(g) for g in set(golds)) / len(golds) <= 0.08  # 32 patterns, ~3 % each
    assert golds.count("yes, yes, yes, yes, yes") / len(golds) <= 0.08


def test_degenerate_answers_cover_the_constant_and_alternating_groups():
    problem = json.loads(make_row("web_of_lies", 3, TASK.knobs.resolve(3), 0, 0)["problem"])
    shortcuts = TASK.degenerate_answers(problem)
    assert shortcuts["all yes"] == ", ".join(["yes"] * len(problem["asked"]))
    assert {"all no", "alternating yes, no", "alternating no, yes"} <= set(shortcuts)


def test_hardness_counts_the_statements_needed_and_grows():
    means = []
    for level in (1, 5, 10):
        data = [json.loads(make_row("web_of_lies", level, TASK.knobs.resolve(level), 2, i)["problem"]) for i in range(40)]
        for problem in data:
            assert len(problem["asked"]) <= TASK.hardness(problem) <= 2 * len(problem["lines"])
        means.append(sum(TASK.hardness(p) for p in data) / len(data))
    assert means == sorted(means) and means[-1] >= 1.25 * means[0]


def test_chinese_prompt_translates_every_line():
    """Every English line (the opening fact, each statement kind) has its Chinese, in every
    Chinese template; the names asked about stay verbatim."""
    from synlog.tasks.deduction.web_of_lies import line_zh

    checked = 0
    for level in (1, 5, 10):
        for i in range(10):
            params = {**TASK.knobs.resolve(level), "template": i % TASK.templates("zh"), "lang": "zh"}
            row = make_row("web_of_lies", level, params, 7, i)
            problem = json.loads(row["problem"])
            for line in problem["lines"]:
                assert line_zh(line) in row["prompt"]
                assert line not in row["prompt"]
            assert "、".join(problem["asked"]) in row["prompt"]
            checked += 1
    assert checked == 30
