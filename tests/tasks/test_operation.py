"""Specification of operation beyond the contract.

The expression TEXT shown in the prompt is re-parsed by a recursive-descent parser written
here and evaluated with the operator definitions (the generator evaluates its own tree).
"""

from __future__ import annotations

import json
import re
from fractions import Fraction

from synlog.synth.example import make_row
from synlog.tasks import get_task

TASK = get_task("operation")
TOKEN = re.compile(r"\s*(\d+|\(-\d+\)|[()+\-*]|[^\s\d()+\-*])")


def coefficient_value(coef: dict, a: Fraction, b: Fraction) -> Fraction:
    return Fraction(coef["ab"] * a * b + coef["a"] * a + coef["b"] * b + coef["c"], coef["div"])


def condition(kind: str, a: Fraction, b: Fraction) -> bool:
    whole = (a + b) if kind == "odd_sum" else a
    return {"gt": a > b, "le": a <= b,
            "even_a": whole.denominator == 1 and whole.numerator % 2 == 0,
            "odd_sum": whole.denominator == 1 and whole.numerator % 2 == 1}[kind]


def parse_and_evaluate(text: str, ops: dict) -> Fraction:
    tokens = TOKEN.findall(text)
    position = 0

    def operand() -> Fraction:
        nonlocal position
        token = tokens[position]
        position += 1
        if token == "(":
            value = binary()
            assert tokens[position] == ")"
            position += 1
            return value
        return Fraction(int(token.strip("()")))

    def binary() -> Fraction:
        nonlocal position
        left = operand()
        if position < len(tokens) and tokens[position] != ")":
            symbol = tokens[position]
            position += 1
            right = operand()
            if symbol in "+-*":
                return {"+": left + right, "-": left - right, "*": left * right}[symbol]
            op = ops[symbol]
            if op["if"] and not condition(op["if"], left, right):
                return coefficient_value(op["else"], left, right)
            return coefficient_value(op["then"], left, right)
        return left

    value = binary()
    assert position == len(tokens)
    return value


def rows(levels=range(1, 11), n=6, seed=3, lang="en"):
    for level in levels:
        for i in range(n):
            yield make_row("operation", level, {**TASK.knobs.resolve(level), "lang": lang}, seed, i)


def test_reparsed_expression_text_gives_the_gold_value():
    checked = 0
    for row in [*rows(), *rows(lang="zh")]:
        problem = json.loads(row["problem"])
        assert parse_and_evaluate(problem["expression"], problem["ops"]) == Fraction(row["answer"]), row["id"]
        assert problem["expression"] in row["prompt"]
        checked += 1
    assert checked >= 100


def test_equal_forms_count_and_others_do_not():
    problem = {"value": "3/2"}
    for text in ("3/2", "6/4", "1.5", " 3/2 "):
        assert TASK.verify(problem, text).correct, text
    for text in ("1.50001", "3/2 + 0", "3 / 0", "1 1/2", "3//2", "2"):
        assert not TASK.verify(problem, text).correct, text


def test_no_small_integer_is_a_common_value():
    task = get_task("operation")
    for level in (1, 3):
        values = [make_row("operation", level, task.knobs.resolve(level), 6, i)["answer"] for i in range(200)]
        assert max(values.count(str(k)) for k in range(-10, 11)) / len(values) <= 0.05, level
