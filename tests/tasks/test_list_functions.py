"""list_functions: the answer's uniqueness is re-proved by a depth-first enumeration of every
composition of the printed operations, with this file's own implementation of each, reading
the example pairs, the new input and the depth from the printed prompt; verify takes one list."""

from __future__ import annotations

import itertools
import json
import re

import pytest

from synlog.tasks.base import Problem
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("list_functions")
TASK = CHECKS.task


def _dedup(xs):
    out = []
    for x in xs:
        if x not in out:
            out.append(x)
    return out


def family():
    """Every operation the prompt lists, as a function on Python lists."""
    ops = [lambda xs, k=k: [x + k for x in xs] for k in (-3, -2, -1, 1, 2, 3)]
    ops += [lambda xs, k=k: [x * k for x in xs] for k in (2, 3, -1)]
    ops += [lambda xs: [x for x in xs if x % 2 == 0], lambda xs: [x for x in xs if x % 2 == 1]]
    ops += [lambda xs, k=k: [x for x in xs if x > k] for k in range(10)]
    ops += [lambda xs: list(reversed(xs)), sorted, lambda xs: sorted(xs)[::-1]]
    ops += [lambda xs, n=n: xs[:n] for n in range(1, 5)] + [lambda xs, n=n: xs[n:] for n in range(1, 4)]
    ops += [lambda xs, c=c: xs + [c] for c in range(10)] + [lambda xs, c=c: [c] + xs for c in range(10)]
    ops += [_dedup, lambda xs: list(itertools.accumulate(xs))]
    return ops


FAMILY = family()


def printed(prompt: str):
    """(pairs, new input, depth) as the English prompt prints them."""
    def parse(text):
        return [int(v) for v in text.split(",")] if text.strip() else []

    pairs = [(parse(a), parse(b)) for a, b in re.findall(r"^\[([-\d, ]*)\] -> \[([-\d, ]*)\]$", prompt, re.M)]
    test = parse(re.search(r"^\[([-\d, ]*)\] -> \?$", prompt, re.M).group(1))
    depth = 1 if "applies exactly one of" in prompt else int(re.search(r"between 1 and (\d) of", prompt).group(1))
    return pairs, test, depth


def outputs_of_fitting_functions(pairs, test, depth) -> set[tuple]:
    """Test outputs of all compositions of 1..depth operations that fit every pair (plain DFS,
    no sharing of equal behaviours; the leaves check the first pair before the others)."""
    found = set()
    lists = [x for x, _ in pairs] + [test]

    def visit(current, left):
        for op in FAMILY:
            if left == 1 and op(current[0]) != pairs[0][1]:
                continue
            new = [op(xs) for xs in current]
            if all(new[i] == y for i, (_, y) in enumerate(pairs)):
                found.add(tuple(new[-1]))
            if left > 1:
                visit(new, left - 1)

    visit(lists, depth)
    return found


def check_rows(rows):
    for row in rows:
        pairs, test, depth = printed(row["prompt"])
        found = outputs_of_fitting_functions(pairs, test, depth)
        assert len(found) == 1, (row["id"], found)
        (answer,) = found
        assert "[" + ", ".join(map(str, answer)) + "]" == row["answer"], row["id"]
        assert list(answer) != test and all(list(answer) != y for _, y in pairs) and answer != (2, 2, 4)
        assert TASK.verify(json.loads(row["problem"]), row["answer"]).score == 1.0


def test_the_answer_is_unique_over_the_family_at_depth_one_and_two():
    rows = [row for level in range(1, 7) for row in CHECKS.rows(level, 9)]
    check_rows(rows)
    assert len(rows) >= 50


def test_the_answer_is_unique_over_the_family_at_depth_three():
    check_rows([row for level in (7, 10) for row in CHECKS.rows(level, 2)])


@pytest.mark.slow
def test_the_answer_is_unique_on_more_depth_three_rows():
    check_rows([row for level in (7, 8, 9, 10) for row in CHECKS.rows(level, 6, seed=11)])


def test_the_enumeration_finds_ambiguity_where_there_is_some():
    """One pair that "add 1" and "append 3, then drop the first element" both fit: the
    enumeration must see two answers on [5, 5]."""
    pairs = [([1, 2], [2, 3])]
    assert len(outputs_of_fitting_functions(pairs, [5, 5], 2)) > 1


def test_hostile_answers_score_below_one():
    problem = CHECKS.problem(level=4)
    xs = problem["answer"]
    gold = "[" + ", ".join(map(str, xs)) + "]"
    other = "[" + ", ".join(map(str, [xs[0] + 1, *xs[1:]])) + "]"
    hostile = [f"{gold} or {other}", f"{gold}, {other}", f"{gold}\n{other}", other, "[2, 2, 4]",
               "[" + ", ".join(f"{x}.0" for x in xs) + "]", "[" + ", ".join(map(str, xs[:-1])) + "]",
               gold + " " + gold, "[" + ", ".join(map(str, xs)) + ", 0]", "[" + "1, " * 3000 + "1]",
               "The answer is " + gold, "[" + " ".join(map(str, xs)) + "]", f"[{gold}]", gold[:-1],
               "(" + ", ".join(map(str, xs)) + ")", "[]", "{" + ", ".join(map(str, xs)) + "}"]
    CHECKS.assert_below_one(problem, hostile, gold=None)


def test_alternative_forms_score_one():
    problem = CHECKS.problem(level=4)
    xs = problem["answer"]
    CHECKS.assert_scores_one(problem, ["[" + ", ".join(map(str, xs)) + "]", ", ".join(map(str, xs)),
                                       "[" + ",".join(map(str, xs)) + "]", " [ " + " , ".join(map(str, xs)) + " ] ",
                                       "**[" + ", ".join(map(str, xs)) + "]**"])


test_verify_never_raises = CHECKS.never_raises(level=3)


def test_levels_get_harder():
    for measure in (TASK.hardness, lambda p: p["depth"]):
        means = [CHECKS.mean(level, measure) for level in (1, 4, 7, 10)]
        assert means == sorted(means) and means[-1] > 2 * means[0], means
    efforts = [sum(r["effort"] for r in CHECKS.rows(level, 10)) for level in (1, 5, 10)]
    assert efforts == sorted(efforts) and efforts[-1] > 10 * efforts[0]


def test_chinese_prompt_lists_the_family_in_chinese():
    row = CHECKS.rows(4, 1)[0]
    problem = json.loads(row["problem"])
    text = TASK.prompt(Problem(problem, row["answer"]), 0, "zh")
    assert "反转" in text and "reverse" not in text and "<answer>[2, 2, 4]</answer>" in text
