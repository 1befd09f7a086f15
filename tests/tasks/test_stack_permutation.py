"""Specification of stack_permutation beyond the shared contract.

Feasibility is re-derived without simulating a stack: the target is reachable exactly when the
permutation "input position → output position" avoids the pattern 231 (Knuth), and for small
inputs by enumerating every push/pop word. Feasible golds are replayed; the attacks a hostile
model would try all score 0.
"""

from __future__ import annotations

import json
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.synth.example import make_row
from synlog.tasks import get_task
from synlog.tasks.search.stack_permutation import IMPOSSIBLE

TASK = get_task("stack_permutation")


def rows(levels, n, seed=7):
    for level in levels:
        spec = TASK.knobs.resolve(level)
        for i in range(n):
            yield make_row("stack_permutation", level, spec, seed, i)


def avoids_231(source: list[str], target: list[str]) -> bool:
    """No i < j < k with out(k) < out(i) < out(j), out = each input card's output position."""
    out = [target.index(card) for card in source]
    return not any(out[k] < out[i] < out[j] for i, j, k in combinations(range(len(out)), 3))


def every_word(n: int):
    """Every push/pop word with n pushes in which no pop meets an empty stack."""
    def extend(prefix, pushes, depth):
        if pushes == n and depth == 0:
            yield prefix
            return
        if pushes < n:
            yield from extend(prefix + ["push"], pushes + 1, depth + 1)
        if depth:
            yield from extend(prefix + ["pop"], pushes, depth - 1)
    yield from extend([], 0, 0)


def replay(source, ops):
    stack, out, queue = [], [], list(source)
    for op in ops:
        if op == "push":
            stack.append(queue.pop(0))
        else:
            out.append(stack.pop())
    return out


def test_feasibility_matches_the_231_criterion_on_sixty_rows():
    checked = infeasible = 0
    for row in rows(range(1, 11), 6):
        problem = json.loads(row["problem"])
        assert avoids_231(problem["input"], problem["target"]) == problem["feasible"], row["id"]
        if problem["feasible"]:
            assert replay(problem["input"], row["answer"].split()) == problem["target"]
        else:
            assert row["answer"] == IMPOSSIBLE
            infeasible += 1
        checked += 1
    assert checked >= 60


def test_small_inputs_have_exactly_the_gold_word_or_none():
    for row in rows((1, 2, 3), 12, seed=3):
        problem = json.loads(row["problem"])
        making = [" ".join(w) for w in every_word(len(problem["input"]))
                  if replay(problem["input"], w) == problem["target"]]
        assert making == ([] if row["answer"] == IMPOSSIBLE else [row["answer"]]), row["id"]


def test_infeasible_rows_occur_and_stay_rare():
    answers = [row["answer"] for row in rows((1,), 200, seed=11)]
    share = answers.count(IMPOSSIBLE) / len(answers)
    assert 0.02 <= share <= 0.14
    targets = [json.loads(r["problem"]) for r in rows((5,), 60, seed=11)]
    assert all(t["target"] not in (t["input"], t["input"][::-1]) for t in targets)


def test_the_docstring_example():
    problem = {"input": ["C", "A", "B"], "target": ["A", "B", "C"], "feasible": True}
    assert TASK.verify(problem, "push push pop push pop pop").correct
    assert TASK.verify(problem, "push, push, pop, push, pop, pop").correct
    assert TASK.verify(problem, "- push\n- push\n- pop\n- push\n- pop\n- pop").correct
    impossible = {"input": ["A", "B", "C"], "target": ["C", "A", "B"], "feasible": False}
    assert not avoids_231(impossible["input"], impossible["target"])
    assert TASK.verify(impossible, "impossible").correct
    assert TASK.verify(impossible, "**Impossible**").correct


FEASIBLE = {"input": ["C", "A", "B"], "target": ["A", "B", "C"], "feasible": True}
GOLD = "push push pop push pop pop"


@pytest.mark.parametrize("answer, why", [
    ("impossible", "a feasible target answered impossible"),
    ("push push pop push pop", "a partial plan (C never leaves)"),
    ("pop push push pop push pop pop", "an illegal pop, then the gold"),
    ("pop push push pop push push", "an illegal pop, with the right number of operations"),
    (GOLD + " " + GOLD, "the gold twice"),
    (GOLD + " pop", "an extra pop on an empty stack"),
    (GOLD + " or impossible", "a hedge"),
    ("push push pop push pop pop push", "a push from an empty input"),
    ("push pop push pop push pop", "alternate push and pop"),
    ("push push push pop pop pop", "everything pushed, then popped"),
    ("1 1 0 1 0 0", "push/pop written as bits, which the prompt does not allow"),
    ("U U O U O O", "letters instead of words"),
    ("push " * 5000, "an enormous answer"),
])
def test_attacks_score_zero(answer, why):
    verdict = TASK.verify(FEASIBLE, answer)
    assert verdict.score == 0, why


def test_a_plan_for_an_infeasible_target_scores_zero():
    for row in rows(range(1, 11), 40, seed=5):
        problem = json.loads(row["problem"])
        if problem["feasible"]:
            continue
        n = len(problem["input"])
        for word in (["push"] * n + ["pop"] * n, ["push", "pop"] * n):
            assert TASK.verify(problem, " ".join(word)).score == 0
        assert TASK.verify(problem, "impossible, push pop").score == 0


def test_the_prompts_example_is_never_the_answer():
    for row in rows((1, 10), 10):
        problem = json.loads(row["problem"])
        assert TASK.verify(problem, GOLD).score == 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["push", "pop", "Push", "pop,", "x", "impossible", "\n"]), max_size=30))
def test_random_operation_strings_never_raise_and_pay_only_real_solutions(words):
    problem = {"input": ["D", "B", "A", "C"], "target": ["B", "A", "C", "D"], "feasible": True}
    text = " ".join(words)
    verdict = TASK.verify(problem, text)
    ops = text.replace(",", " ").lower().split()
    really = (all(op in ("push", "pop") for op in ops) and ops.count("push") == 4
              and _legal(ops) and replay(problem["input"], ops) == problem["target"])
    assert verdict.score == (1.0 if really else 0.0)


def _legal(ops):
    depth = pushes = 0
    for op in ops:
        pushes += op == "push"
        depth += 1 if op == "push" else -1
        if depth < 0 or pushes > 4:
            return False
    return depth == 0


def test_an_enormous_answer_or_a_wrong_count_of_operations_is_invalid():
    assert TASK.verify(FEASIBLE, "push " * 5000).reason.value == "invalid"
    assert TASK.verify(FEASIBLE, GOLD + " pop").reason.value == "invalid"
