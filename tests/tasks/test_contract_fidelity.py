"""Reward fidelity, checked for every registered task (new tasks get it for free).

Each class of hole an independent review found is a check here, over every task:
- every form the docs promise (the task's ``alternative_forms``, plus the universal wrappers:
  one ``\\boxed{…}`` or one code fence around the whole answer) scores 1.0;
- every form of the gold's value that the prompt forbids (``forbidden_forms``) scores below 1
  and is never ``error``;
- an over-long answer is ``invalid``, never cut down to a gold that happens to come first;
- the gold followed by a second, wrong answer is not correct, and partial credit
  (``details["fraction"]``) of gold plus junk or gold written twice is below 1;
- no answer of the shared adversarial corpus (``tests/helpers/adversarial.py``) gives an
  ``error`` verdict or a score of 1.0.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from synlog.tasks.base import all_tasks, get_task
from synlog.verifiers.extract import DEFAULT
from synlog.verifiers.score import score, score_answer
from synlog.verifiers.verdict import Reason
from tests.helpers.adversarial import CORPUS
from tests.tasks.test_contract import as_problem, first_rows, rows, skip_without_tools

TASKS = sorted(all_tasks())
LEVELS = (1, 4, 7, 10)
#: tasks whose answer is a program: the same program twice is still that program
PROGRAM_ANSWERS = {"code_function", "code_tests", "lean_proof"}
DEGENERATE = {"none", "[]", "{}", "-1", "0", "1", "all", "yes", "no", "true", "null", "i", "oo"}


def sample(task: str, per_level: int = 3) -> list[dict]:
    return [row for level in LEVELS for row in first_rows(task, level, per_level)]


def completion(answer: str) -> str:
    return f"<think>working</think>\n<answer>{answer}</answer>"


@pytest.mark.parametrize("task", TASKS)
def test_every_documented_form_of_the_gold_scores_one(task):
    t = get_task(task)
    skip_without_tools(t)
    for row in sample(task):
        gold = row["answer"]
        forms = list(t.alternative_forms(as_problem(row)))
        if gold.count("{") == gold.count("}"):  # \boxed{] ) }} cannot be read either way
            forms.append(f"\\boxed{{{gold}}}")
        if "```" not in gold:
            forms.append(f"```\n{gold}\n```")
        for form in forms:
            verdict = score(t, row["problem"], completion(form))
            assert verdict.score == 1.0, (row["id"], form, verdict)


@pytest.mark.parametrize("task", TASKS)
def test_forms_the_prompt_forbids_score_below_one(task):
    t = get_task(task)
    skip_without_tools(t)
    for row in sample(task):
        for form in t.forbidden_forms(as_problem(row)):
            verdict = score(t, row["problem"], completion(form))
            assert verdict.score < 1.0 and verdict.reason is not Reason.ERROR, (row["id"], form, verdict)


def test_forbidden_forms_are_declared_by_every_task_whose_prompt_fixes_a_number_form():
    """The math tasks whose prompt says "one integer" or "a reduced fraction" test it."""
    for task in ("arithmetic", "combinatorics", "number_theory", "sequences", "limits",
                 "linear_equations", "fractions_simplify", "polynomial_roots"):
        t = get_task(task)
        assert any(t.forbidden_forms(as_problem(row)) for row in sample(task, 2)), task


@pytest.mark.parametrize("task", TASKS)
def test_over_long_answer_is_invalid_not_cut(task):
    t = get_task(task)
    skip_without_tools(t)
    row = first_rows(task, 3, 1)[0]
    wrong = (t.perturb(as_problem(row), np.random.default_rng(0)) or ["x"])[0]
    padded = row["answer"] + " " * DEFAULT.max_chars + "\n" + wrong
    verdict = score(t, row["problem"], completion(padded))
    assert verdict.reason is Reason.INVALID and verdict.score == 0.0, verdict


@pytest.mark.parametrize("task", TASKS)
def test_gold_followed_by_a_wrong_answer_is_not_correct(task):
    t = get_task(task)
    skip_without_tools(t)
    if task in PROGRAM_ANSWERS:
        pytest.skip("the answer is a program: a later definition is its own test")
    for row in sample(task, 2):
        rng = np.random.default_rng(1)
        for wrong in t.perturb(as_problem(row), rng)[:2]:
            for joined in (f"{row['answer']}\n{wrong}", f"{row['answer']}\n\n{wrong}"):
                verdict = score_answer(t, json.loads(row["problem"]), joined)
                assert verdict.score < 1.0 and verdict.reason is not Reason.ERROR, (row["id"], joined, verdict)


@pytest.mark.parametrize("task", TASKS)
def test_partial_credit_of_gold_plus_junk_is_below_one(task):
    t = get_task(task)
    skip_without_tools(t)
    if task in PROGRAM_ANSWERS:
        pytest.skip("the answer is a program: the same program twice is still correct")
    for row in sample(task, 2):
        problem = json.loads(row["problem"])
        gold = row["answer"]
        for padded in (f"{gold} zq", f"{gold}\n{gold}", f"{gold} {gold}", f"{gold}, {gold}"):
            verdict = score_answer(t, problem, padded)
            assert verdict.score < 1.0, (row["id"], padded, verdict)
            assert verdict.details.get("fraction", 0.0) < 1.0, (row["id"], padded, verdict)
            assert verdict.reason is not Reason.ERROR, (row["id"], padded, verdict)


@pytest.mark.parametrize("task", TASKS)
def test_adversarial_corpus_never_errors_and_never_pays(task):
    t = get_task(task)
    skip_without_tools(t)
    # rows whose gold is itself a short degenerate answer ("none", "0") may be paid by one
    # spelling of it; the degenerate-policy audit bounds how often that happens
    candidates = [r for level in (2, 9) for r in rows(task, level, 6)]
    # one row for a task that runs every answer in the sandbox (the corpus is ~100 runs a row)
    chosen = [r for r in candidates if r["answer"].strip().lower() not in DEGENERATE][:1 if t.sandboxed else 2]
    for row in chosen or candidates[:1]:
        problem = json.loads(row["problem"])
        for text in CORPUS:
            if text == row["answer"]:
                continue
            for verdict in (score_answer(t, problem, text), score(t, row["problem"], completion(text))):
                assert verdict.reason is not Reason.ERROR, (task, text[:60], verdict)
                assert verdict.score < 1.0, (task, text[:60], verdict)
