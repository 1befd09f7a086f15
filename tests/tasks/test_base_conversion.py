"""base_conversion: the gold re-derived with sympy / Python's int(text, base), and the verifier's rules."""

from __future__ import annotations

import json

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.errors import KnobError
from synlog.synth.example import make_row
from synlog.tasks.base import Problem, get_task
from synlog.verifiers.verdict import Reason

TASK = "base_conversion"


def rows(levels=range(1, 11), per_level=6, seed=11):
    t = get_task(TASK)
    return [make_row(TASK, level, t.knobs.resolve(level), seed, i) for level in levels for i in range(per_level)]


def problem_of(row) -> Problem:
    return Problem(json.loads(row["problem"]), row["answer"], row["effort"])


def test_gold_rederived_by_int_and_sympy_on_60_instances():
    for row in rows():
        p = json.loads(row["problem"])
        value = int(p["number"], p["from_base"])  # Python's own parser of the shown numeral
        assert value == int(p["value"])
        assert int(row["answer"], p["to_base"]) == value
        # sympy's digits(): most significant first, after the base
        digits = sympy.ntheory.digits(value, p["to_base"])[1:]
        assert "".join("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[d] for d in digits) == row["answer"]
        assert p["from_base"] != p["to_base"]
        assert 2 <= p["from_base"] <= 36 and 2 <= p["to_base"] <= 36


def test_to_base_knob_is_used_and_stored():
    t = get_task(TASK)
    for to_base in (2, 7, 10, 36):
        spec = t.knobs.resolve(4, {"to_base": to_base})
        for i in range(5):
            row = make_row(TASK, 4, spec, 3, i)
            p = json.loads(row["problem"])
            assert p["to_base"] == to_base and f"base {to_base}" in row["prompt"]
            assert t.verify(p, row["answer"]).score == 1.0


def test_accepted_and_refused_forms():
    t = get_task(TASK)
    problem = {"from_base": 10, "to_base": 16, "number": "500", "value": "500"}
    assert t.verify(problem, "1F4").score == 1.0
    assert t.verify(problem, "1f4").score == 1.0
    assert t.verify(problem, "**1F4**").score == 1.0
    for bad, reason in [("01F4", Reason.INVALID), ("0x1F4", Reason.INVALID), ("1F4_16", Reason.UNPARSEABLE),
                        ("1 F 4", Reason.UNPARSEABLE), ("1F4 or 1F5", Reason.UNPARSEABLE), ("1F5", Reason.WRONG),
                        ("500", Reason.WRONG), ("1G4", Reason.INVALID), ("", Reason.NO_ANSWER),
                        ("1" * 10_000, Reason.INVALID), ("2223", Reason.WRONG)]:
        verdict = t.verify(problem, bad)
        assert verdict.score == 0.0 and verdict.reason is reason, (bad, verdict)


def test_hostile_answers_score_below_one():
    t = get_task(TASK)
    for row in rows(levels=(2, 6, 9), per_level=5):
        p, gold = json.loads(row["problem"]), row["answer"]
        for text in (f"{gold} or 1", f"{gold}, {gold}", f"{gold}\n{gold}", f"{gold}0", f"0{gold}",
                     "2223" if gold != "2223" else "2224", p["number"], "9" * 100_000):
            assert t.verify(p, text).score < 1.0, text[:40]
        for wrong in t.perturb(problem_of(row), np.random.default_rng(0)):
            assert t.verify(p, wrong).score < 1.0


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_verify_never_raises_or_errors(text):
    t = get_task(TASK)
    verdict = t.verify({"from_base": 7, "to_base": 36, "number": "1234", "value": "466"}, text)
    assert verdict.reason is not Reason.ERROR


def test_levels_get_harder():
    t = get_task(TASK)
    def mean(level, what):
        rs = rows(levels=(level,), per_level=30, seed=2)
        return sum(t.hardness(json.loads(r["problem"])) if what == "h" else r["effort"] for r in rs) / len(rs)
    assert mean(10, "h") > 2 * mean(1, "h") and mean(10, "e") > 4 * mean(1, "e")
    assert mean(5, "h") > mean(1, "h")


@pytest.mark.parametrize("level", [1, 10])
def test_digits_of_the_answer_are_below_the_base(level):
    for row in rows(levels=(level,), per_level=20):
        base = json.loads(row["problem"])["to_base"]
        assert all(int(c, 36) < base for c in row["answer"])


def test_both_bases_fixed_to_one_value_is_a_knob_error():
    """Fixing both bases to one value is a user mistake, said as such (the old behaviour
    silently moved from_base); a sampled clash inside ranges still redraws the source base."""
    with pytest.raises(KnobError, match="from_base and to_base are both 10"):
        make_row(TASK, 3, get_task(TASK).knobs.resolve(3, {"to_base": 10, "from_base": 10}), 0, 0)
    spec = get_task(TASK).knobs.resolve(3, {"to_base": 16, "from_base": 10})
    assert all(json.loads(make_row(TASK, 3, spec, 0, i)["problem"])["from_base"] == 10 for i in range(5))
