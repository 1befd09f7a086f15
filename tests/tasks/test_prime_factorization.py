"""prime_factorization: the gold re-derived with sympy.factorint, and the verifier's rules."""

from __future__ import annotations

import json

import numpy as np
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.synth.example import make_row
from synlog.tasks.base import Problem, get_task
from synlog.verifiers.verdict import Reason

TASK = "prime_factorization"
P168 = {"n": 168, "factors": [[2, 3], [3, 1], [7, 1]]}


def rows(levels=range(1, 11), per_level=6, seed=13):
    t = get_task(TASK)
    return [make_row(TASK, level, t.knobs.resolve(level), seed, i) for level in levels for i in range(per_level)]


def test_gold_rederived_by_factorint_on_60_instances():
    t = get_task(TASK)
    for row in rows():
        p = json.loads(row["problem"])
        n = p["n"]
        assert not sympy.isprime(n) and n >= 4
        expected = sympy.factorint(n)
        assert row["answer"] == " * ".join(str(q) if e == 1 else f"{q}^{e}" for q, e in sorted(expected.items()))
        assert {q: e for q, e in p["factors"]} == expected
        level = row["difficulty"]
        top = t.knobs.items["number_max"].levels[level - 1]
        assert top // 10 <= n <= top


def test_number_max_knob_is_used_and_n_stored():
    t = get_task(TASK)
    spec = t.knobs.resolve(3, {"number_max": 777})
    for i in range(10):
        row = make_row(TASK, 3, spec, 0, i)
        p = json.loads(row["problem"])
        assert 77 <= p["n"] <= 777 and str(p["n"]) in row["prompt"]


def test_accepted_forms():
    t = get_task(TASK)
    for text in ("2^3 * 3 * 7", "2^3*3*7", "2^{3} * 3 * 7", r"2^3 \times 3 \times 7", "2^3 × 3 × 7",
                 r"$2^{3} \cdot 3 \cdot 7$", "**2^3 * 3 * 7**", "2 ^ 3 * 3 * 7", "2^3 * 3 * 7."):
        assert t.verify(P168, text).score == 1.0, text


def test_refused_forms_and_wrong_answers():
    t = get_task(TASK)
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
    for text, reason in cases.items():
        verdict = t.verify(P168, text)
        assert verdict.score == 0.0 and verdict.reason is reason, (text[:40], verdict)


def test_hostile_answers_score_below_one():
    t = get_task(TASK)
    for row in rows(levels=(2, 6, 10), per_level=5):
        p, gold = json.loads(row["problem"]), row["answer"]
        for text in (f"{gold} or 2", f"{gold}\n{gold}", f"{gold} * {gold}", "2^3 * 3 * 7", str(p["n"]),
                     f"{gold} * 1", "9" * 100_000, " * ".join(["2"] * 60)):
            assert t.verify(p, text).score < 1.0, text[:40]
        for wrong in t.perturb(Problem(p, gold), np.random.default_rng(0)):
            assert t.verify(p, wrong).score < 1.0, wrong


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 *^{}x×.$-")), max_size=80) | st.text(max_size=100))
def test_verify_never_raises_or_errors(text):
    verdict = get_task(TASK).verify(P168, text)
    assert verdict.reason is not Reason.ERROR


def test_levels_get_harder():
    t = get_task(TASK)

    def mean(level):
        rs = rows(levels=(level,), per_level=30, seed=3)
        return (sum(t.hardness(json.loads(r["problem"])) for r in rs) / len(rs), sum(r["effort"] for r in rs) / len(rs))

    (h1, e1), (h5, e5), (h10, e10) = mean(1), mean(5), mean(10)
    assert h1 < h5 < h10 and e1 < e5 < e10 and h10 > 1.5 * h1
