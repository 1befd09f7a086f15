"""Operation: new operator symbols defined by formulas (some conditional); evaluate an expression.

Each new operator takes two numbers ``a`` and ``b`` and is defined by a formula in them,
sometimes with a condition that picks between two formulas. A tiny example::

    a ⊕ b = 2*a + b
    a ⊗ b = a*b - a if a > b, otherwise a + b
    (3 ⊕ 1) ⊗ 4           → 7 ⊗ 4 = 7*4 - 7 = 21

Rules: parentheses group as usual; every operation in the expression is parenthesised except
the outermost, so no precedence question arises; ``+ - *`` are ordinary arithmetic. Some
formulas divide by a whole number, so values are exact rationals; the answer is the exact
value as an integer or a fraction ``p/q`` (any equal form, e.g. ``6/4`` or ``1.5``, counts).
Evaluation is deterministic, so the answer is unique.
"""

from __future__ import annotations

import re
from fractions import Fraction

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import scalar_forms, unwrap
from synlog.tasks.common.arith import format_rational
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

SYMBOLS = ["⊕", "⊗", "⊙", "△", "◇", "★", "⊞", "♦"]
CONDITIONS = {"gt": "a > b", "even_a": "a is even", "odd_sum": "a + b is odd", "le": "a ≤ b"}
#: the same conditions in Chinese
CONDITIONS_ZH = {"gt": "a > b ", "even_a": "a 为偶数", "odd_sum": "a + b 为奇数", "le": "a ≤ b "}
#: largest magnitude any intermediate value may reach
LIMIT = 10**6
_NUMBER = re.compile(r"\s*([+-]?)(\d{1,12})(?:(/)(\d{1,12})|\.(\d{1,12}))?\s*")


def parse_exact(text: str) -> Fraction | None:
    """An integer, ``p/q`` or a finite decimal, exactly; None for anything else."""
    if not isinstance(text, str) or len(text) > 100:
        return None
    match = _NUMBER.fullmatch(unwrap(text))
    if not match:
        return None
    sign, whole, slash, denominator, decimals = match.groups()
    if slash:
        if int(denominator) == 0:
            return None
        value = Fraction(int(whole), int(denominator))
    else:
        value = Fraction(whole + "." + decimals) if decimals else Fraction(int(whole))
    return -value if sign == "-" else value


def holds(condition: str, a: Fraction, b: Fraction) -> bool:
    """Whether a formula's condition holds (parity tests are false for non-integers)."""
    if condition == "gt":
        return a > b
    if condition == "le":
        return a <= b
    if condition == "even_a":
        return a.denominator == 1 and a.numerator % 2 == 0
    total = a + b
    return total.denominator == 1 and total.numerator % 2 == 1


def formula_value(coef: dict, a: Fraction, b: Fraction) -> Fraction:
    """``(ab·a·b + a·a + b·b + c) / div``."""
    return (coef["ab"] * a * b + coef["a"] * a + coef["b"] * b + coef["c"]) / coef["div"]


def formula_text(coef: dict) -> str:
    """``2*a*b + a - 3``, divided as ``(…) / 2`` when ``div`` > 1."""
    terms = []
    for key, var in (("ab", "a*b"), ("a", "a"), ("b", "b"), ("c", "")):
        k = coef[key]
        if k == 0:
            continue
        body = str(abs(k)) if not var else (var if abs(k) == 1 else f"{abs(k)}*{var}")
        terms.append(("- " if k < 0 else "+ ") + body)
    text = " ".join(terms).removeprefix("+ ") or "0"
    text = "-" + text[2:] if text.startswith("- ") else text
    return f"({text}) / {coef['div']}" if coef["div"] > 1 else text


def apply(op: dict, a: Fraction, b: Fraction) -> Fraction:
    """The value of ``a op b``."""
    if op["if"] and not holds(op["if"], a, b):
        return formula_value(op["else"], a, b)
    return formula_value(op["then"], a, b)


def evaluate(tree, ops: dict[str, dict]) -> tuple[Fraction, int]:
    """The exact value of an expression tree and the number of operations applied."""
    if isinstance(tree, int):
        return Fraction(tree), 0
    symbol, left, right = tree
    a, na = evaluate(left, ops)
    b, nb = evaluate(right, ops)
    if symbol == "+":
        value = a + b
    elif symbol == "-":
        value = a - b
    elif symbol == "*":
        value = a * b
    else:
        value = apply(ops[symbol], a, b)
    if abs(value) > LIMIT or value.denominator > 1000:
        raise Reject("values grow too large")
    return value, na + nb + 1


def show(tree, outer: bool = True) -> str:
    """The expression text, every operation but the outermost in parentheses."""
    if isinstance(tree, int):
        return str(tree) if tree >= 0 else f"({tree})"
    symbol, left, right = tree
    text = f"{show(left, False)} {symbol} {show(right, False)}"
    return text if outer else f"({text})"


@register
class Operation(Task):
    """Evaluate an expression over newly defined (sometimes conditional) operator symbols."""

    name, family, version = "operation", "state", 2
    knobs = Knobs(
        operators=Knob(int, levels=[1, 1, 2, 2, 2, 3, 3, 4, 4, 5], lo=1, hi=len(SYMBOLS), help="new operators defined"),
        conditional=Knob(float, levels=[0, 0, 0, 0.3, 0.5, 0.5, 0.6, 0.7, 0.8, 0.9], lo=0, hi=1,
                         help="share of operators defined by cases"),
        depth=Knob(int, levels=[1, 2, 2, 2, 3, 3, 3, 4, 4, 4], lo=1, hi=6, help="nesting depth of the expression"),
        divide=Knob(float, levels=[0, 0, 0, 0, 0.2, 0.3, 0.3, 0.4, 0.4, 0.5], lo=0, hi=1,
                    help="share of formulas that divide by a whole number"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        def coefficients() -> dict:
            while True:
                coef = {"ab": int(rng.choice([0, 0, 1, -1])), "a": int(rng.integers(-3, 4)),
                        "b": int(rng.integers(-3, 4)), "c": int(rng.integers(-4, 5)),
                        "div": int(rng.integers(2, 4)) if rng.random() < p.divide else 1}
                if coef["a"] and coef["b"] or coef["ab"]:  # the formula uses both a and b
                    return coef

        symbols = [SYMBOLS[i] for i in rng.choice(len(SYMBOLS), p.operators, replace=False)]
        ops = {}
        for symbol in symbols:
            conditional = rng.random() < p.conditional
            ops[symbol] = {"if": list(CONDITIONS)[rng.integers(len(CONDITIONS))] if conditional else None,
                           "then": coefficients(), "else": coefficients() if conditional else None}

        def tree(depth: int):
            if depth == 0 or (depth == 1 and rng.random() < 0.2):
                return int(rng.integers(-5, 16))
            symbol = symbols[rng.integers(len(symbols))] if rng.random() < 0.8 else "+-*"[rng.integers(3)]
            grow_left = rng.random() < 0.5
            return [symbol, tree(depth - 1 if grow_left else int(rng.integers(0, depth))),
                    tree(depth - 1 if not grow_left else int(rng.integers(0, depth)))]

        expression = tree(p.depth)
        if isinstance(expression, int) or not any(s in show(expression) for s in symbols):
            raise Reject("the expression uses no new operator")
        value, steps = evaluate(expression, ops)
        definitions = [self._definition(symbol, ops[symbol]) for symbol in symbols]
        data = {"ops": ops, "tree": expression, "expression": show(expression), "definitions": definitions,
                "value": format_rational(value)}
        effort = steps * (1 + sum(op["if"] is not None for op in ops.values())) + len(symbols)
        return Problem(data, format_rational(value), float(effort))

    @staticmethod
    def _definition(symbol: str, op: dict) -> str:
        if op["if"] is None:
            return f"a {symbol} b = {formula_text(op['then'])}"
        return (f"a {symbol} b = {formula_text(op['then'])} if {CONDITIONS[op['if']]}, "
                f"otherwise a {symbol} b = {formula_text(op['else'])}")

    @staticmethod
    def _definition_zh(symbol: str, op: dict) -> str:
        if op["if"] is None:
            return f"a {symbol} b = {formula_text(op['then'])}"
        return (f"当 {CONDITIONS_ZH[op['if']]}时，a {symbol} b = {formula_text(op['then'])}；"
                f"否则 a {symbol} b = {formula_text(op['else'])}")

    def context(self, problem: Problem, lang: str) -> dict:
        d = problem.data
        if lang != "zh":
            return d
        symbols = [line.split()[1] for line in d["definitions"]]
        return {**d, "definitions": [self._definition_zh(s, d["ops"][s]) for s in symbols]}


    def verify(self, problem: dict, answer: str) -> Verdict:
        value = parse_exact(answer)
        if value is None:
            return Verdict.unparseable("expected an integer or a fraction p/q")
        if value != Fraction(problem["value"]):
            return Verdict.wrong(f"{format_rational(value)} is not the value of the expression")
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        return scalar_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = Fraction(problem.data["value"])
        return [format_rational(gold + 1), format_rational(-gold if gold else Fraction(1)),
                f"{format_rational(gold)} + 1", f"x = {format_rational(gold)}"]
