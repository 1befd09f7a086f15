"""Specification of the knights_knaves task beyond the contract.

Uniqueness is re-proved by brute force over every assignment with an evaluator written
independently of the generator's (an explicit post-order stack machine here, numpy truth
tables and recursion there).
"""

from __future__ import annotations

import itertools
import json
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.synth.example import make_row
from synlog.tasks import get_task
from synlog.tasks.deduction.knights_knaves import say, say_zh
from synlog.verifiers.verdict import Reason, partial_credit

TASK = get_task("knights_knaves")
APPLY = {
    "and": lambda a, b: a and b,
    "or": lambda a, b: a or b,
    "implies": lambda a, b: (not a) or b,
    "iff": lambda a, b: a is b,
}


def evaluate(tree: dict, roles: tuple[str, ...]) -> bool:
    """Post-order evaluation with an explicit stack (no recursion)."""
    values: list[bool] = []
    todo: list[tuple[dict, bool]] = [(tree, False)]
    while todo:
        node, expanded = todo.pop()
        if node["op"] == "is":
            values.append(roles[node["who"]] == node["role"])
        elif not expanded:
            todo.append((node, True))
            for child in reversed(node.get("args") or [node["arg"]]):
                todo.append((child, False))
        elif node["op"] == "not":
            values.append(not values.pop())
        else:
            right, left = values.pop(), values.pop()
            values.append(APPLY[node["op"]](left, right))
    (result,) = values
    return result


def consistent(statements: list[dict], roles: tuple[str, ...]) -> bool:
    return all(evaluate(s, roles) == (roles[i] == "knight") for i, s in enumerate(statements))


def depth(tree: dict) -> int:
    if tree["op"] == "is":
        return 0
    return 1 + max(depth(t) for t in tree.get("args") or [tree["arg"]])


def sample_rows(levels=range(1, 11), per_level=6, seed=31):
    for level in levels:
        spec = TASK.knobs.resolve(level)
        for i in range(per_level):
            yield level, spec, make_row("knights_knaves", level, spec, seed, i)


def test_exactly_one_assignment_is_consistent_by_brute_force():
    checked = 0
    for _, _, row in sample_rows():
        problem = json.loads(row["problem"])
        n = len(problem["people"])
        solutions = [roles for roles in itertools.product(("knight", "knave"), repeat=n)
                     if consistent(problem["statements"], roles)]
        assert solutions == [tuple(problem["roles"])], row["id"]
        checked += 1
    assert checked >= 50


def test_knights_say_true_things_and_knaves_false_ones():
    for _, _, row in sample_rows(per_level=3, seed=5):
        problem = json.loads(row["problem"])
        roles = tuple(problem["roles"])
        for speaker, statement in enumerate(problem["statements"]):
            assert evaluate(statement, roles) == (roles[speaker] == "knight")


def test_statements_respect_the_knobs():
    allowed = {2: {"and", "or"}, 3: {"and", "or", "implies"}, 4: {"and", "or", "implies", "iff"}}
    for _, spec, row in sample_rows(per_level=4, seed=8):
        problem = json.loads(row["problem"])
        assert len(problem["people"]) == len(set(problem["people"])) == spec["people"]
        for statement in problem["statements"]:
            assert depth(statement) <= spec["depth"]
            stack = [statement]
            while stack:
                node = stack.pop()
                if node["op"] not in ("is", "not"):
                    assert node["op"] in allowed[spec["connectives"]]
                stack.extend(node.get("args") or ([node["arg"]] if "arg" in node else []))


def test_statements_render_with_parentheses_and_first_person():
    names = ["Alice", "Bob", "Carol"]
    tree = {"op": "and", "args": [
        {"op": "is", "who": 1, "role": "knave"},
        {"op": "or", "args": [{"op": "is", "who": 0, "role": "knight"},
                              {"op": "not", "arg": {"op": "iff", "args": [
                                  {"op": "is", "who": 2, "role": "knave"},
                                  {"op": "is", "who": 1, "role": "knight"}]}}]}]}
    assert say(tree, 0, names) == (
        "Bob is a knave and (I am a knight or (it is not true that"
        " (Carol is a knave if and only if Bob is a knight)))")
    for template in range(TASK.templates("en")):
        row = make_row("knights_knaves", 6, {**TASK.knobs.resolve(6), "template": template}, 2, 0)
        problem = json.loads(row["problem"])
        for i, statement in enumerate(problem["statements"]):
            text = say(statement, i, problem["people"])
            assert f'{problem["people"][i]} says: "{text[:1].upper() + text[1:]}."' in row["prompt"]


def test_chinese_prompt_states_every_statement_in_chinese():
    for template in range(TASK.templates("zh")):
        row = make_row("knights_knaves", 6, {**TASK.knobs.resolve(6), "template": template, "lang": "zh"}, 2, 0)
        problem = json.loads(row["problem"])
        for i, statement in enumerate(problem["statements"]):
            assert f'{problem["people"][i]} 说：“{say_zh(statement, i, problem["people"])}。”' in row["prompt"]
        assert " says: " not in row["prompt"]


@cache
def _one():
    row = make_row("knights_knaves", 7, TASK.knobs.resolve(7, {"people": 7}), 4, 0)
    problem = json.loads(row["problem"])
    assert len(problem["people"]) == 7
    return problem, list(zip(problem["people"], problem["roles"], strict=True))


def test_equivalent_answer_forms_are_accepted():
    problem, pairs = _one()
    forms = [
        ", ".join(f"{n}: {r}" for n, r in reversed(pairs)),
        "\n".join(f"  {n.upper()} : {r.upper()}  " for n, r in pairs),
        "; ".join(f"{n} is a {r}" for n, r in pairs),
        ", ".join(f"{n} - {r}" for n, r in pairs[:-1]) + f" and {pairs[-1][0]} = {pairs[-1][1]}.",
        ", ".join(f"{n} {r}" for n, r in pairs),
    ]
    for form in forms:
        verdict = TASK.verify(problem, form)
        assert verdict.correct, (form, verdict)


def test_wrong_missing_duplicate_and_unknown_people_fail():
    problem, pairs = _one()
    flip = {"knight": "knave", "knave": "knight"}
    flipped = [(n, flip[r]) if i == 2 else (n, r) for i, (n, r) in enumerate(pairs)]

    def text(items):
        return ", ".join(f"{n}: {r}" for n, r in items)

    wrong = TASK.verify(problem, text(flipped))
    assert wrong.reason is Reason.WRONG and wrong.details["fraction"] < 1
    assert TASK.verify(problem, text(pairs[1:])).reason is Reason.INVALID
    assert TASK.verify(problem, text(pairs + pairs[:1])).reason is Reason.INVALID
    assert TASK.verify(problem, text(pairs + [("Zorro", "knight")])).reason is Reason.INVALID
    assert TASK.verify(problem, text(pairs).replace(": kn", ": l")).reason is Reason.UNPARSEABLE


def test_effort_counts_search_nodes_and_grows_with_people():
    def median_effort(level):
        efforts = sorted(row["effort"] for _, _, row in sample_rows([level], per_level=9, seed=3))
        return efforts[4]

    assert median_effort(1) < median_effort(5) < median_effort(10)


@settings(max_examples=60, deadline=None)
@given(order=st.permutations(range(7)), separator=st.sampled_from([", ", "; ", "\n", " and ", ",\n"]),
       upper=st.booleans(), flips=st.sets(st.integers(0, 6), max_size=3))
def test_any_order_and_separator_is_read_and_any_flip_is_wrong(order, separator, upper, flips):
    problem, pairs = _one()
    flip = {"knight": "knave", "knave": "knight"}
    text = separator.join(f"{pairs[i][0]}: {flip[pairs[i][1]] if i in flips else pairs[i][1]}"
                          for i in order)
    verdict = TASK.verify(problem, text.upper() if upper else text)
    assert verdict.correct == (not flips)
    assert verdict.reason is (Reason.OK if not flips else Reason.WRONG)


def test_both_roles_always_appear_and_one_role_for_all_earns_no_credit():
    task = get_task("knights_knaves")
    for level in (1, 5, 10):
        for i in range(15):
            problem = json.loads(make_row("knights_knaves", level, task.knobs.resolve(level), 8, i)["problem"])
            assert {"knight", "knave"} <= set(problem["roles"])
            for answer in task.degenerate_answers(problem).values():
                verdict = task.verify(problem, answer)
                assert verdict.score == 0 and partial_credit(verdict) == 0


def test_partial_credit_is_the_lower_per_role_recall():
    task = get_task("knights_knaves")
    problem = {"people": ["Al", "Bo", "Cy", "Di"], "roles": ["knight", "knight", "knave", "knave"],
               "statements": []}
    verdict = task.verify(problem, "Al: knight, Bo: knave, Cy: knave, Di: knave")
    assert verdict.details["fraction"] == 0.5
    assert task.verify(problem, "Al: knave, Bo: knight, Cy: knight, Di: knave").details["fraction"] == 0.5
