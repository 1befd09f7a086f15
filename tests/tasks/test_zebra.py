"""Specification of the zebra task beyond the contract.

Uniqueness is re-proved here by brute force over every arrangement (one permutation per
category), with a clue evaluator written independently of the generator's SAT encoding.
"""

from __future__ import annotations

import itertools
import json
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.synth.example import make_row
from synlog.tasks import get_task
from synlog.tasks.deduction._zebra_clues import CATEGORIES, clue_text
from synlog.tasks.deduction.zebra import clue_text_zh, question_text_zh
from synlog.verifiers.verdict import Reason

TASK = get_task("zebra")

#: the meaning of each clue type, as a relation between the two people's house numbers
RELATION = {
    "same": lambda a, b: a == b,
    "not_same": lambda a, b: a != b,
    "left_of": lambda a, b: b - a == 1,
    "right_of": lambda a, b: a - b == 1,
    "next_to": lambda a, b: a - b in (-1, 1),
    "not_next_to": lambda a, b: a - b not in (-1, 1),
    "somewhere_left": lambda a, b: a < b,
}


def clue_ok(clue: dict, where: dict) -> bool:
    a = where[tuple(clue["a"])]
    if clue["type"] == "at":
        return a == clue["house"]
    if clue["type"] == "not_at":
        return a != clue["house"]
    return RELATION[clue["type"]](a, where[tuple(clue["b"])])


def all_solutions(problem: dict, clues: list[dict], stop: int = 10**9) -> list[dict]:
    """Every arrangement satisfying ``clues``, category by category (plain brute force)."""
    categories = [(c["name"], c["values"]) for c in problem["categories"]]
    found: list[dict] = []

    def cats_of(clue):
        return {clue["a"][0]} | ({clue["b"][0]} if "b" in clue else set())

    def extend(depth: int, where: dict, rows: dict) -> None:
        if len(found) >= stop:
            return
        if depth == len(categories):
            found.append(dict(rows))
            return
        name, values = categories[depth]
        known = {c for c, _ in categories[: depth + 1]}
        ready = [c for c in clues if name in cats_of(c) and cats_of(c) <= known]
        for order in itertools.permutations(values):
            trial = {**where, **{(name, v): h + 1 for h, v in enumerate(order)}}
            if all(clue_ok(c, trial) for c in ready):
                extend(depth + 1, trial, {**rows, name: list(order)})

    extend(0, {}, {})
    return found


SMALL_SHAPES = [(3, 2), (4, 3), (3, 3), (4, 2), (2, 3)]  # (houses, attributes)


def small_rows(count: int, **overrides) -> list[dict]:
    """Puzzles of at most 4 houses × 3 categories, cycling through levels and clue varieties."""
    rows = []
    for i in range(count):
        houses, attributes = SMALL_SHAPES[i % len(SMALL_SHAPES)]
        level = 1 + i % 10
        spec = TASK.knobs.resolve(level, {
            "houses": houses, "attributes": attributes, "variety": 1 + i % 4, **overrides})
        rows.append(make_row("zebra", level, spec, 77, i))
    return rows


def test_every_small_puzzle_has_exactly_the_stored_solution():
    for row in small_rows(60):
        problem = json.loads(row["problem"])
        solutions = all_solutions(problem, problem["clues"], stop=2)
        assert solutions == [problem["solution"]], row["id"]


def test_minimal_puzzles_need_every_clue():
    for row in small_rows(25, minimal=True):
        problem = json.loads(row["problem"])
        clues = problem["clues"]
        for i in range(len(clues)):
            rest = clues[:i] + clues[i + 1:]
            assert len(all_solutions(problem, rest, stop=2)) == 2, (row["id"], clues[i])


def test_clues_are_true_of_the_solution_and_use_only_enabled_types():
    allowed = {1: {"at", "same"}, 2: {"at", "same", "not_at", "not_same"}}
    for level in (1, 3, 6, 10):
        spec = TASK.knobs.resolve(level)
        for i in range(8):
            problem = json.loads(make_row("zebra", level, spec, 5, i)["problem"])
            where = {(c, v): h + 1 for c, vs in problem["solution"].items() for h, v in enumerate(vs)}
            for clue in problem["clues"]:
                assert clue_ok(clue, where), clue
                if spec["variety"] in allowed:
                    assert clue["type"] in allowed[spec["variety"]]


def test_questions_are_answered_from_the_solution():
    for level in (2, 8):
        spec = TASK.knobs.resolve(level)
        for i in range(10):
            problem = json.loads(make_row("zebra", level, spec, 9, i)["problem"])
            solution = problem["solution"]
            for q in problem["questions"]:
                cat, value = q["subject"]
                house = solution[cat].index(value)
                expected = str(house + 1) if q["target"] == "house" else solution[q["target"]][house]
                assert q["answer"] == expected and q["key"] == value


def test_prompt_lists_every_clue_in_english_and_every_question_key():
    for template in range(TASK.templates("en")):
        row = make_row("zebra", 7, {**TASK.knobs.resolve(7), "template": template}, 3, 0)
        problem = json.loads(row["problem"])
        for clue in problem["clues"]:
            assert clue_text(clue) in row["prompt"]
        for q in problem["questions"]:
            assert f"(key `{q['key']}`)" in row["prompt"]


def test_chinese_prompt_lists_every_clue_in_chinese_and_every_question_key():
    for template in range(TASK.templates("zh")):
        row = make_row("zebra", 7, {**TASK.knobs.resolve(7), "template": template, "lang": "zh"}, 3, 0)
        problem = json.loads(row["problem"])
        for clue in problem["clues"]:
            assert clue_text_zh(clue) in row["prompt"]
            assert clue_text(clue) not in row["prompt"]
        for q in problem["questions"]:
            assert f"（键 `{q['key']}`）{question_text_zh(q)}" in row["prompt"]
        for category in problem["categories"]:
            assert ", ".join(category["values"]) in row["prompt"]  # the answer's words, verbatim


def test_category_values_are_distinct_words_across_categories():
    words = [v.lower() for values, _, _ in CATEGORIES.values() for v in values]
    assert len(words) == len(set(words))
    assert not any(ch in w for w in words for ch in ":;,\n")


@cache
def _nine():
    row = make_row("zebra", 9, TASK.knobs.resolve(9), 1, 0)
    return json.loads(row["problem"]), row["answer"]


@pytest.fixture
def three_questions():
    problem, answer = _nine()
    assert len(problem["questions"]) == 5  # level 9 asks five (three before version 2)
    return problem, answer


def test_equivalent_answer_forms_are_accepted(three_questions):
    problem, gold = three_questions
    lines = gold.splitlines()
    forms = [
        "; ".join(reversed(lines)),
        "\n".join(f"  `{line.split(':')[0].upper()}` :  {line.split(':')[1].strip().upper()}. "
                  for line in lines),
        ", ".join(lines),
        "\n".join(
            f"{q['key']}: house {q['answer']}" if q["target"] == "house" else f"{q['key']}: {q['answer']}"
            for q in problem["questions"]),
    ]
    for form in forms:
        verdict = TASK.verify(problem, form)
        assert verdict.correct, (form, verdict)


def test_wrong_missing_duplicate_or_unknown_answers_fail(three_questions):
    problem, gold = three_questions
    lines = gold.splitlines()
    key, value = lines[0].split(": ")
    q = problem["questions"][0]
    wrong_value = (str(int(value) % problem["houses"] + 1) if q["target"] == "house"
                   else next(v for c in problem["categories"] if c["name"] == q["target"]
                             for v in c["values"] if v != value))
    assert TASK.verify(problem, "\n".join([f"{key}: {wrong_value}"] + lines[1:])).reason is Reason.WRONG
    assert TASK.verify(problem, "\n".join(lines[1:])).reason is Reason.INVALID
    assert TASK.verify(problem, "\n".join(lines + lines[:1])).reason is Reason.INVALID
    assert TASK.verify(problem, "\n".join(lines + ["zebra2: 1"])).reason is Reason.INVALID
    assert TASK.verify(problem, "Alice lives in house 2").reason is Reason.UNPARSEABLE


def test_puzzles_grow_with_level():
    def mean_clues(level):
        spec = TASK.knobs.resolve(level)
        return sum(len(json.loads(make_row("zebra", level, spec, 2, i)["problem"])["clues"])
                   for i in range(10)) / 10

    assert mean_clues(1) < mean_clues(5) < mean_clues(10)


@settings(max_examples=40, deadline=None)
@given(order=st.permutations(range(5)), separator=st.sampled_from(["\n", "; ", ", ", "\n\n"]),
       wrong=st.sets(st.integers(0, 4), max_size=3))
def test_any_order_and_separator_is_read_and_any_wrong_cell_fails(order, separator, wrong):
    problem, _ = _nine()
    items = []
    for i in order:
        q = problem["questions"][i]
        value = q["answer"]
        if i in wrong:
            value = "999" if q["target"] == "house" else "nobody"
        items.append(f"{q['key']}: {value}")
    verdict = TASK.verify(problem, separator.join(items))
    assert verdict.reason is (Reason.WRONG if wrong else Reason.OK)


def test_a_blind_guess_per_question_almost_never_scores():
    """The first or last listed value (house 1 or n) for every question: at most a few per cent."""
    for level in (1, 3):
        spec = TASK.knobs.resolve(level)
        problems = [json.loads(make_row("zebra", level, spec, 4, i)["problem"]) for i in range(60)]
        for name in ("first listed value of each attribute", "last listed value of each attribute"):
            hits = sum(TASK.verify(p, TASK.degenerate_answers(p)[name]).correct for p in problems)
            assert hits <= 3, (level, name, hits)


def test_a_wrong_answer_reports_no_guessable_fraction():
    problem, gold = _nine()
    first = TASK.degenerate_answers(problem)["first listed value of each attribute"]
    verdict = TASK.verify(problem, first)
    assert not verdict.correct and "fraction" not in verdict.details
