"""bitwise_arithmetic: the gold re-derived by parsing the printed expression with a tiny separate
parser and evaluating it with Python's own operators; and the verifier's rules."""

from __future__ import annotations

import json
import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.tasks.base import Problem
from synlog.verifiers.verdict import Reason
from tests.tasks.row_checks import assert_effort_and_hardness_grow, rows_at
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("bitwise_arithmetic")
TASK = CHECKS.task
TOKEN = re.compile(r"\s*(0x[0-9A-Fa-f]+|\d+|<<|>>|[-~&|^()])")


class Evaluator:
    """Recursive descent with Python's precedence (| < ^ < & < shifts < unary), wrapping every
    result by the prompt's rule (``% 2**w``, then the sign for two's complement)."""

    def __init__(self, text: str, bits: int, signed: bool):
        self.tokens, pos = [], 0
        text = text.strip()
        while pos < len(text):
            m = TOKEN.match(text, pos)
            assert m, text[pos:]
            self.tokens.append(m.group(1))
            pos = m.end()
        self.i, self.bits, self.signed = 0, bits, signed

    def fix(self, x: int) -> int:
        x %= 2**self.bits
        return x - 2**self.bits if self.signed and x >= 2 ** (self.bits - 1) else x

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self):
        self.i += 1
        return self.tokens[self.i - 1]

    def run(self) -> int:
        value = self.bor()
        assert self.peek() is None
        return value

    def binary(self, ops, lower):
        value = lower()
        while self.peek() in ops:
            op = self.take()
            right = lower()
            value = self.fix({"|": int.__or__, "^": int.__xor__, "&": int.__and__,
                              "<<": int.__lshift__, ">>": int.__rshift__}[op](value, right))
        return value

    def bor(self):
        return self.binary(("|",), self.bxor)

    def bxor(self):
        return self.binary(("^",), self.band)

    def band(self):
        return self.binary(("&",), self.shift)

    def shift(self):
        return self.binary(("<<", ">>"), self.unary)

    def unary(self):
        token = self.take()
        if token == "~":
            return self.fix(~self.unary())
        if token == "-":
            return -self.unary()
        if token == "(":
            value = self.bor()
            assert self.take() == ")"
            return value
        return int(token, 0)


def test_gold_rederived_by_a_separate_parser_on_60_instances():
    modes = set()
    for row in rows_at(CHECKS, n=6, seed=5):
        p = json.loads(row["problem"])
        modes.add(p["mode"])
        value = Evaluator(p["expression"], p["bits"], p["mode"] == "signed").run()
        assert value == int(p["value"]), p
        assert row["answer"] == (hex(value) if p["mode"] == "hex" else str(value))
        if p["mode"] != "signed":
            assert 0 <= value < 2 ** p["bits"]
        else:
            assert -(2 ** (p["bits"] - 1)) <= value < 2 ** (p["bits"] - 1)
    assert modes == {"unsigned", "signed", "hex"}


def test_python_eval_agrees_on_rows_without_right_shift():
    """Without >>, reducing modulo 2**w only at the end is exact (&, |, ^, ~, << commute with it),
    so Python itself evaluates the printed text (trusted generator output, not model text)."""
    checked = 0
    for row in rows_at(CHECKS, n=15, seed=9):
        p = json.loads(row["problem"])
        if ">>" in p["expression"]:
            continue
        checked += 1
        bits = p["bits"]
        value = eval(p["expression"], {"__builtins__": {}}) % 2**bits
        if p["mode"] == "signed" and value >= 2 ** (bits - 1):
            value -= 2**bits
        assert value == int(p["value"]), p
    assert checked >= 20


def test_accepted_and_refused_forms():
    hexp = {"mode": "hex", "bits": 8, "expression": "0x0F | 0x30", "value": "63"}
    assert TASK.verify(hexp, "0x3f").score == 1.0 and TASK.verify(hexp, "0x3F").score == 1.0
    assert TASK.verify(hexp, "0X3F").score == 1.0 and TASK.verify(hexp, "**0x3f**").score == 1.0
    for bad in ("63", "0x03f", "3f", "0x3f or 0x3e", "0x40", "0b111111", "0x0F | 0x30", "", "0x" + "f" * 1000):
        assert TASK.verify(hexp, bad).score == 0.0, bad
    dec = {"mode": "signed", "bits": 8, "expression": "~5 & (-3)", "value": "-7"}
    assert TASK.verify(dec, "-7").score == 1.0 and TASK.verify(dec, "$-7$").score == 1.0
    for bad in ("249", "-7.0", "0xf9", "-7 or 7", "-6 - 1", "7", "-7, -7", "~5 & (-3)"):
        verdict = TASK.verify(dec, bad)
        assert verdict.score == 0.0 and verdict.reason is not Reason.ERROR, bad


def test_hostile_answers_score_below_one():
    for row in rows_at(CHECKS, (2, 6, 10), n=5):
        p, gold = json.loads(row["problem"]), row["answer"]
        hostile = [f"{gold} or 1", f"{gold}, {gold}", f"{gold}\n{gold}", "60", "0x3c", p["expression"],
                   "9" * 100_000, f"{gold}0"]
        CHECKS.assert_below_one(p, hostile, gold=gold)
        CHECKS.assert_below_one(p, TASK.perturb(Problem(p, gold), np.random.default_rng(0)))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200), st.sampled_from(["hex", "signed", "unsigned"]))
def test_verify_never_raises_or_errors(text, mode):
    verdict = TASK.verify({"mode": mode, "bits": 8, "expression": "1 | 2", "value": "3"}, text)
    assert verdict.reason is not Reason.ERROR


def test_levels_get_harder():
    hardness = assert_effort_and_hardness_grow(CHECKS, n=30, seed=2)["hardness"]
    assert hardness[-1] > 4 * hardness[0]
