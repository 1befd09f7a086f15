"""prime_factorization: the gold re-derived with sympy.factorint, and the verifier's rules."""

from __future__ import annotations

import json

import numpy as np
import sympy
from hypothesis import strategies as st

from synlog.synth.example import make_row
from synlog.tasks.base import Problem
from synlog.verifiers.verdict import Reason
from tests.tasks.row_checks import assert_effort_and_hardness_grow, assert_refused, rows_at
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("prime_factorization")
TASK = CHECKS.task
P168 = {"n": 168, "factors": [[2, 3], [3, 1], [7, 1]]}


def test_gold_rederived_by_factorint_on_60_instances():
    for row in rows_at(CHECKS, n=6, seed=13):
        p = json.loads(row["problem"])
        n = p["n"]
        assert not sympy.isprime(n) and n >= 4
        expected = sympy.factorint(n)
        assert row["answer"] == " * ".join(str(q) if e == 1 else f"{q}^{e}" for q, e in sorted(expected.items()))
        assert {q: e for q, e in p["factors"]} == expected
        level = row["difficulty"]
        top = TASK.knobs.items["number_max"].levels[level - 1]
        assert top // 10 <= n <= top


def test_number_max_knob_is_used_and_n_stored():
    spec = TASK.knobs.resolve(3, {"number_max": 777})
    for i in range(10):
        row = make_row(CHECKS.name, 3, spec, 0, i)
        p = json.loads(row["problem"])
        assert 77 <= p["n"] <= 777 and str(p["n"]) in row["prompt"]


def test_accepted_forms():
    CHECKS.assert_scores_one(P168, ["2^3 * 3 * 7", "2^3*3*7", "2^{3} * 3 * 7", r"2^3 \times 3 \times 7", "2^3 × 3 × 7",
                                    r"$2^{3} \cdot 3 \cdot 7$", "**2^3 * 3 * 7**", "2 ^ 3 * 3 * 7", "2^3 * 3 * 7."])


def test_refused_forms_and_wrong_answers():
    cases = {
        "2 * 2 * 2 * 3 * 7": Reason.INVALID,  # repeated prime
        "3 * 7 * 2^3": Reason.INVALID,  # not increasing
        "2^3 * 3^1 * 7": Reason.INVALID,  # exponent 1
        "2^3 * 3 * 7^0 * 7": Reason.INVALID,
        "2**3 * 3 * 7": Reason.INVALID,
        "02^3 * 3 * 7": Reason.INVALID,
        "2^3 * 21": Reason.WRONG,  # product right, 21 not prime
        "1 * 2^3 * 3 * 7": Reason.WRONG,  # 1 is not prime
        "168": Reason.WRONG,
        "2^3 * 3 * 11": Reason.WRONG,
        "2^3 * 3": Reason.WRONG,
        "2^9999 * 3": Reason.WRONG,
        "2^3 * 3 * 7 or 2^2 * 3 * 7": Reason.UNPARSEABLE,
        "2^3 * 3 * 7, 2^3 * 3 * 7": Reason.UNPARSEABLE,
        "n = 2^3 * 3 * 7": Reason.UNPARSEABLE,
        "2^3 * 3 * 7 * ": Reason.UNPARSEABLE,
        "": Reason.NO_ANSWER,
        "2 * " * 5000: Reason.INVALID,
    }
    assert_refused(CHECKS, P168, cases)


def test_hostile_answers_score_below_one():
    for row in rows_at(CHECKS, (2, 6, 10), n=5, seed=13):
        p, gold = json.loads(row["problem"]), row["answer"]
        hostile = [f"{gold} or 2", f"{gold}\n{gold}", f"{gold} * {gold}", "2^3 * 3 * 7", str(p["n"]),
                   f"{gold} * 1", "9" * 100_000, " * ".join(["2"] * 60)]
        CHECKS.assert_below_one(p, hostile)
        CHECKS.assert_below_one(p, TASK.perturb(Problem(p, gold), np.random.default_rng(0)))


FACTOR_LIKE = st.text(alphabet=st.sampled_from(list("0123456789 *^{}x×.$-")), max_size=80)
test_verify_never_raises_or_errors = CHECKS.never_raises(level=3, examples=200, text=FACTOR_LIKE | st.text(max_size=100))


def test_levels_get_harder():
    hardness = assert_effort_and_hardness_grow(CHECKS, n=30, seed=3)["hardness"]
    assert hardness[-1] > 1.5 * hardness[0]
