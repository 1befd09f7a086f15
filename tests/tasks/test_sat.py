"""Specification of the random k-SAT task beyond the shared contract."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from synlog.errors import KnobError
from synlog.synth.example import make_row
from synlog.tasks.base import Problem, get_task
from synlog.tasks.knobs import Params
from synlog.verifiers.verdict import Reason

TASK = get_task("sat")


def generated(level: int, n: int, seed: int = 5, **overrides) -> list[dict]:
    spec = TASK.knobs.resolve(level, overrides)
    return [json.loads(make_row("sat", level, spec, seed, i)["problem"]) for i in range(n)]


def satisfies(assignment: dict[int, bool], clauses: list[list[int]]) -> bool:
    """Evaluate the formula directly, written independently of the task's verifier."""
    return all(any(assignment[abs(lit)] == (lit > 0) for lit in clause) for clause in clauses)


def as_answer(assignment: dict[int, bool]) -> str:
    return " ".join(f"{v}" if value else f"-{v}" for v, value in sorted(assignment.items()))


@pytest.mark.parametrize("level", [1, 2, 3])
def test_verify_accepts_exactly_the_satisfying_assignments(level):
    """Brute force over all 2^n assignments of small instances agrees with verify, and at
    least one assignment satisfies each formula (instances are never unsatisfiable)."""
    for problem in generated(level, 8):
        n, clauses = problem["n_vars"], problem["clauses"]
        satisfying = 0
        for bits in itertools.product([False, True], repeat=n):
            assignment = dict(enumerate(bits, start=1))
            expected = satisfies(assignment, clauses)
            satisfying += expected
            verdict = TASK.verify(problem, as_answer(assignment))
            assert verdict.correct == expected, (problem, assignment, verdict)
            assert verdict.reason is (Reason.OK if expected else Reason.WRONG)
        assert satisfying >= 1


def test_clauses_are_uniform_k_clauses_without_repeats():
    for level in (1, 5, 10):
        spec = TASK.knobs.resolve(level)
        for i in range(10):
            row = make_row("sat", level, spec, 3, i)
            problem, params = json.loads(row["problem"]), json.loads(row["params"])
            clauses = problem["clauses"]
            assert len(clauses) == max(1, round(params["ratio"] * params["n_vars"]))
            assert len({tuple(c) for c in clauses}) == len(clauses)
            for clause in clauses:
                variables = [abs(lit) for lit in clause]
                assert len(clause) == params["k"] == len(set(variables))
                assert variables == sorted(variables)
                assert all(1 <= v <= params["n_vars"] for v in variables)


def test_hard_levels_sit_at_the_phase_transition():
    spec = TASK.knobs.resolve(10)
    assert spec["ratio"] == pytest.approx(4.26) and spec["k"] == 3


@pytest.mark.parametrize("k", [2, 4, 5])
def test_other_clause_widths_generate_and_verify(k):
    ratio = {2: 0.8, 4: 8.0, 5: 15.0}[k]
    spec = TASK.knobs.resolve(6, {"k": k, "ratio": ratio})
    for i in range(5):
        row = make_row("sat", 6, spec, 1, i)
        problem = json.loads(row["problem"])
        assert all(len(c) == k for c in problem["clauses"])
        assert TASK.verify(problem, row["answer"]).correct


PROBLEM = {"n_vars": 3, "clauses": [[1, -2, 3], [-1, 2, 3], [-1, -2, -3]]}


@pytest.mark.parametrize(
    "answer",
    [
        "1 2 -3",
        "-3 1 2",
        "1 2 -3 0",
        "  1,  2, -3 ",
        "[1, 2, -3]",
        "x1 x2 -x3",
        "x1 x2 ¬x3",
        "+1 +2 -3",
        "x1=1, x2=1, x3=0",
        "x1 = true, x2 = true, x3 = false",
        "X1=T X2=T X3=F",
        "x3=0; x1=1; x2=1",
        "x1: 1\nx2: 1\nx3: 0",
        "x1=1 2 -x3",
    ],
)
def test_equivalent_answer_forms_are_accepted(answer):
    assert TASK.verify(PROBLEM, answer).correct, answer


def test_any_satisfying_assignment_scores_one():
    assert TASK.verify(PROBLEM, "-1 -2 3").correct
    assert TASK.verify(PROBLEM, "-1 -2 -3").correct
    assert TASK.unique_answer is False


@pytest.mark.parametrize(
    "answer, reason, why",
    [
        ("1 2 3", Reason.WRONG, "clause 3"),
        ("1 -2 -3", Reason.WRONG, "clause 2"),
        ("1 2", Reason.INVALID, "no value for x3"),
        ("1 2 -3 -1", Reason.INVALID, "contradictory"),
        ("1 2 -3 2", Reason.INVALID, "repeated"),
        ("1 2 -3 4", Reason.INVALID, "x4 does not exist"),
        ("1 0 2 -3", Reason.INVALID, "x0 does not exist"),
        ("x1=1 x2=1 x3=2", Reason.UNPARSEABLE, "cannot read"),
        ("1 2 maybe", Reason.UNPARSEABLE, "cannot read"),
        ("1.0 2 -3", Reason.UNPARSEABLE, "cannot read"),
        ("", Reason.UNPARSEABLE, "no literals"),
        ("0", Reason.UNPARSEABLE, "no literals"),
        ("1 " * 10_000, Reason.UNPARSEABLE, "too long"),
    ],
)
def test_rule_breaking_answers_score_zero_with_a_reason(answer, reason, why):
    verdict = TASK.verify(PROBLEM, answer)
    assert verdict.score == 0 and verdict.reason is reason
    assert why in verdict.details["why"]


def test_perturbations_include_a_single_flip_and_a_dropped_variable():
    rows = [make_row("sat", 8, TASK.knobs.resolve(8), 2, i) for i in range(5)]
    for row in rows:
        problem = Problem(json.loads(row["problem"]), row["answer"], row["effort"])
        wrong = TASK.perturb(problem, np.random.default_rng(0))
        reasons = {TASK.verify(problem.data, w).reason for w in wrong}
        assert Reason.WRONG in reasons and Reason.INVALID in reasons
        gold = set(row["answer"].split())
        assert any(len(gold - set(w.split())) == 1 and len(w.split()) == len(gold) for w in wrong)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"n_vars": 2, "k": 3, "ratio": 2.0}, "n_vars"),
        ({"n_vars": 20, "k": 3, "ratio": 7.0}, "threshold"),
        ({"n_vars": 3, "k": 3, "ratio": 4.0}, "distinct"),
    ],
)
def test_impossible_knobs_are_refused_with_the_fix(params, message):
    with pytest.raises(KnobError, match=message):
        TASK.check_params(Params(params))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("template", range(5))
def test_prompt_lists_every_clause_readably(template, lang):
    row = make_row("sat", 3, {**TASK.knobs.resolve(3), "template": template, "lang": lang}, 9, 0)
    problem = json.loads(row["problem"])
    for index, clause in enumerate(problem["clauses"], start=1):
        shown = " ∨ ".join(("¬" if lit < 0 else "") + f"x{abs(lit)}" for lit in clause)
        assert f"{index}. ({shown})" in row["prompt"]


@pytest.mark.parametrize("level", [1, 2, 3])
def test_no_constant_or_majority_assignment_satisfies_a_generated_formula(level):
    """All-false, all-true and each-variable-at-its-commoner-sign are never a model, so the
    shortcut answers that need no reasoning score zero on every row."""
    for problem in generated(level, 40, seed=11):
        for name, answer in TASK.degenerate_answers(problem).items():
            assert not TASK.verify(problem, answer).correct, (name, problem)


@pytest.mark.parametrize("level", [1, 2, 3])
def test_small_formulas_leave_a_fixed_guess_at_most_one_chance_in_32(level):
    """Brute force: at most 2^n / 32 assignments satisfy a formula of the guessable sizes."""
    for problem in generated(level, 20, seed=12):
        n, clauses = problem["n_vars"], problem["clauses"]
        models = sum(satisfies(dict(enumerate(bits, start=1)), clauses)
                     for bits in itertools.product([False, True], repeat=n))
        assert 1 <= models <= max(1, 2**n // 32)


def test_the_other_seeds_commonest_gold_rarely_satisfies_level_one():
    spec = TASK.knobs.resolve(1)
    others = [make_row("sat", 1, spec, 1, i)["answer"] for i in range(60)]
    mode = max(set(others), key=others.count)
    hits = sum(TASK.verify(problem, mode).correct for problem in generated(1, 100, seed=0))
    assert hits <= 8


def test_dpll_hardness_grows_with_the_level():
    def mean(level: int) -> float:
        return float(np.mean([TASK.hardness(p) for p in generated(level, 15)]))

    assert mean(1) < mean(5) < mean(10)
