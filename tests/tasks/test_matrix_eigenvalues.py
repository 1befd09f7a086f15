"""Matrix eigenvalues: the gold is the matrix's spectrum with multiplicity, and verify reads the
documented forms exactly while refusing hedges, decimals and wrong multiplicities.

The independent check: sympy's ``Matrix.charpoly`` of the printed matrix (not the generator's
D and P), with ``roots`` of that polynomial, compared with the gold multiset.
"""

from __future__ import annotations

import json

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.tasks.math.matrix_eigenvalues import _multiply, _unimodular
from synlog.verifiers.verdict import Reason
from tests.tasks.row_checks import assert_effort_and_hardness_grow
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("matrix_eigenvalues")
TASK = CHECKS.task
PROBLEM = {"matrix": [[1, 3], [1, 1]], "size": 2, "eigenvalues": "1 - sqrt(3), 1 + sqrt(3)"}
INTEGER = {"matrix": [[4, 1], [2, 3]], "size": 2, "eigenvalues": "2, 5"}
REPEATED = {"matrix": [[3, 1, 0], [-1, 1, 0], [0, 0, 5]], "size": 3, "eigenvalues": "2, 2, 5"}


def spectrum(matrix: list[list[int]]) -> list[sympy.Expr]:
    lam = sympy.Symbol("lam")
    poly = sympy.Matrix(matrix).charpoly(lam)
    out: list[sympy.Expr] = []
    for root, multiplicity in sympy.roots(poly, lam).items():
        out += [root] * multiplicity
    assert len(out) == len(matrix)
    return sorted(out, key=lambda r: float(r))


def test_gold_is_the_spectrum_of_the_printed_matrix():
    checked = 0
    for level in range(1, 11):
        for row in CHECKS.rows(level, 6, seed=3):
            problem = json.loads(row["problem"])
            expected = spectrum(problem["matrix"])
            gold = [sympy.sympify(v) for v in row["answer"].split(", ")]
            assert len(gold) == len(expected), row["id"]
            assert all(sympy.simplify(a - b) == 0 for a, b in zip(gold, expected, strict=True)), row["id"]
            assert all(isinstance(v, int) for line in problem["matrix"] for v in line)
            checked += 1
    assert checked >= 50


def test_unimodular_pair_is_inverse():
    import numpy as np

    rng = np.random.default_rng(0)
    for n in (2, 3, 5):
        p, q = _unimodular(rng, n, 10, 2)
        assert _multiply(p, q) == [[int(i == j) for j in range(n)] for i in range(n)]


def test_irrational_pairs_and_repeats_appear_at_high_levels_only():
    assert not any("sqrt" in r["answer"] for lv in (1, 2, 3, 4, 5) for r in CHECKS.rows(lv, 10, seed=3))
    assert all("sqrt" in r["answer"] for lv in (6, 10) for r in CHECKS.rows(lv, 10, seed=3))
    repeats = sum(len(set(r["answer"].split(", "))) < len(r["answer"].split(", ")) for r in CHECKS.rows(4, 20, seed=3))
    assert repeats >= 2


def test_levels_get_harder():
    assert_effort_and_hardness_grow(CHECKS, n=10, seed=3)


def test_diagonal_never_lists_the_eigenvalues():
    for level in (1, 2, 3):
        for row in CHECKS.rows(level, 20, seed=3):
            problem = json.loads(row["problem"])
            diagonal = ", ".join(str(problem["matrix"][i][i]) for i in range(problem["size"]))
            assert not TASK.verify(problem, diagonal).correct


@pytest.mark.parametrize("problem, form", [
    (PROBLEM, "1 - sqrt(3), 1 + sqrt(3)"),
    (PROBLEM, "1 + sqrt(3), 1 - sqrt(3)"),
    (PROBLEM, "{1 - \\sqrt{3}, 1 + \\sqrt{3}}"),
    (PROBLEM, "(2 + sqrt(12))/2, (2 - sqrt(12))/2"),
    (PROBLEM, "1 - √3; 1 + √3"),
    (INTEGER, "5, 2"),
    (INTEGER, "[2, 5]"),
    (REPEATED, "5, 2, 2"),
])
def test_documented_forms_are_accepted(problem, form):
    CHECKS.assert_scores_one(problem, [form])


@pytest.mark.parametrize("problem, answer, reason", [
    (PROBLEM, "1 ± sqrt(3)", Reason.INVALID),
    (PROBLEM, "1 - sqrt(3) or 1 + sqrt(3)", Reason.INVALID),
    (PROBLEM, "-0.7320508, 2.7320508", Reason.INVALID),
    (PROBLEM, "1 + sqrt(3)", Reason.WRONG),
    (PROBLEM, "1 - sqrt(3), 1 + sqrt(3), 1 + sqrt(3)", Reason.WRONG),
    (INTEGER, "2.0, 5", Reason.INVALID),
    (INTEGER, "2, 5, 2", Reason.WRONG),
    (INTEGER, "2, 4", Reason.WRONG),
    (REPEATED, "2, 5", Reason.WRONG),
    (REPEATED, "2, 5, 5", Reason.WRONG),
    (REPEATED, "2, 2, 5, 2, 5", Reason.WRONG),
    (REPEATED, "2, 2, 1, 2, 2, 1, 2, 2, 1, 2", Reason.WRONG),    # the prompt's example
    (INTEGER, "2" * 3000, Reason.INVALID),                      # over-long
    (INTEGER, "9**9**9**9, 2", Reason.UNPARSEABLE),
])
def test_hostile_answers_score_zero(problem, answer, reason):
    verdict = TASK.verify(problem, answer)
    assert verdict.score == 0.0 and verdict.reason is reason, verdict
    assert "fraction" not in verdict.details


def test_the_example_answer_is_not_a_gold():
    example = "2, 2, 1 - sqrt(3), 1 + sqrt(3)"
    assert all(r["answer"] != example for lv in (1, 5, 10) for r in CHECKS.rows(lv, 20, seed=3))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80))
def test_verifier_never_raises_or_errors(text):
    for problem in (PROBLEM, INTEGER):
        verdict = TASK.verify(problem, text)
        assert verdict.reason is not Reason.ERROR
        assert verdict.score < 1.0 or text.strip()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-12, 12), min_size=1, max_size=4))
def test_only_the_spectrum_scores_one(values):
    answer = ", ".join(map(str, values))
    assert TASK.verify(REPEATED, answer).correct == (sorted(values) == [2, 2, 5])
