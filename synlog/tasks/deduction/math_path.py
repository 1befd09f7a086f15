"""Math path: an arithmetic equation with hidden digits (``?``); fill them so that it holds.

A tiny example::

    3? + 4 × (1? - 7) = 6?      → 35 + 4 × (12 - 7) = 55   (one of the fillings that hold)

Rules: each ``?`` is one digit 0–9; a number of two or more digits may not start with 0;
every operator, parenthesis and visible digit stays exactly as shown; ``×`` and ``÷`` bind
tighter than ``+`` and ``-``, and operators of equal precedence apply left to right;
division is exact (rational), so ``7 ÷ 2 × 2 = 7`` holds. The answer is the whole equation
with the digits filled in. ``verify`` compares the answer with the puzzle character by
character (spaces aside; ``*`` and ``/`` may stand for ``×`` and ``÷``) and evaluates both
sides exactly with :mod:`synlog.tasks.common.arith` (a whitelisting parser, never ``eval``).
Several fillings may hold and every one scores 1; generation counts them by enumerating
every filling (``effort`` is the arithmetic operations that enumeration performs: fillings
tried times operators), and the gold is one of them. So that guessing does not pay, a
candidate is redrawn when more than :data:`MAX_SOLUTION_SHARE` of its fillings hold or when
a filling with one digit in every ``?`` (``0…0``, ``1…1``, …) holds. :meth:`MathPath.hardness`
is the operators plus the hidden digits.
"""

from __future__ import annotations

import re
from fractions import Fraction

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import scalar_forms, unwrap
from synlog.tasks.common.arith import ArithmeticParseError, parse_expression
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

PRECEDENCE = {"+": 1, "-": 1, "×": 2, "÷": 2}
_CANON = str.maketrans({"*": "×", "/": "÷", "x": "×", "−": "-", "·": "×"})
MAX_ANSWER_CHARS = 400
#: the largest share of all fillings that may hold (more, and a random filling would pay)
MAX_SOLUTION_SHARE = 1 / 50


def show(tree, parent: str | None = None, right: bool = False) -> str:
    """Equation text with only the parentheses precedence requires."""
    if isinstance(tree, int):
        return str(tree)
    op, left, right_tree = tree
    text = f"{show(left, op)} {op} {show(right_tree, op, True)}"
    if parent and (PRECEDENCE[op] < PRECEDENCE[parent] or right and PRECEDENCE[op] == PRECEDENCE[parent]
                   and parent in "-÷"):
        return f"({text})"
    return text


def value_of(tree) -> Fraction:
    """Exact value of a tree."""
    if isinstance(tree, int):
        return Fraction(tree)
    op, left, right = tree
    a, b = value_of(left), value_of(right)
    if op == "÷" and b == 0:
        raise ZeroDivisionError
    return combine(op, a, b)


def combine(op: str, a, b):
    """``a op b`` for Fractions or numpy arrays alike."""
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "×":
        return a * b
    return a / b


def count_solutions(tree, puzzle: str) -> tuple[int, int]:
    """(fillings that hold, fillings tried) for a puzzle made from ``tree``."""
    holding, tried = holding_fillings(tree, puzzle)
    return len(holding), tried


def holding_fillings(tree, puzzle: str) -> tuple[list[str], int]:
    """(the digits of each filling that holds, fillings tried) for a puzzle from ``tree``.

    Every filling is tried at once with numpy: each number's value per filling, the tree
    evaluated in floating point, and the near-equal candidates confirmed exactly.
    """
    holes = [i for i, ch in enumerate(puzzle) if ch == "?"]
    fillings = np.indices((10,) * len(holes)).reshape(len(holes), -1).T
    column = {pos: k for k, pos in enumerate(holes)}
    runs = [m.span() for m in re.finditer(r"[\d?]+", puzzle)]
    valid = np.ones(len(fillings), dtype=bool)
    values = []
    for start, end in runs:
        value = np.zeros(len(fillings))
        for pos in range(start, end):
            digit = fillings[:, column[pos]] if pos in column else int(puzzle[pos])
            value = value * 10 + digit
        if end - start > 1 and start in column:
            valid &= fillings[:, column[start]] != 0
        values.append(value)
    leaves = iter(values[:-1])

    def evaluate(node) -> np.ndarray:
        if isinstance(node, int):
            return next(leaves)
        op, left, right = node
        return combine(op, evaluate(left), evaluate(right))

    with np.errstate(all="ignore"):
        left = evaluate(tree)
    close = valid & np.isclose(left, values[-1], rtol=1e-9, atol=1e-6)
    found = []
    for filling in fillings[close]:
        chars = list(puzzle)
        for pos, digit in zip(holes, filling.tolist(), strict=True):
            chars[pos] = str(digit)
        if check_equation("".join(chars)) is None:
            found.append("".join(map(str, filling.tolist())))
    return found, len(fillings)


def check_equation(text: str) -> str | None:
    """None when ``left = right`` holds exactly and no number has a leading zero; else why not."""
    left, _, right = text.partition("=")
    if re.search(r"(?<![\d.])0\d", text):
        return "a number starts with 0"
    try:
        if parse_expression(left, allow_power=False, allow_decimals=False).value != parse_expression(
                right, allow_power=False, allow_decimals=False).value:
            return "the two sides differ"
    except ArithmeticParseError as error:
        return str(error)
    return None


@register
class MathPath(Task):
    """Fill the hidden digits of an arithmetic equation so it holds, keeping everything shown."""

    name, family, version = "math_path", "deduction", 2
    unique_answer = False
    knobs = Knobs(
        numbers=Knob(int, levels=[2, 3, 3, 4, 4, 5, 5, 6, 6, 7], lo=2, hi=10, help="numbers on the left side"),
        hidden=Knob(int, levels=[2, 2, 2, 3, 3, 3, 4, 4, 5, 5], lo=1, hi=6, help="hidden digits"),
        big=Knob(float, levels=[0.5, 0.5, 0.5, 0.5, 0.6, 0.6, 0.6, 0.7, 0.7, 0.8], lo=0, hi=1,
                 help="share of two-digit numbers"),
        ops=Knob(str, levels=["+-", "+-", "+-×", "+-×", "+-×", "+-×÷", "+-×÷", "+-×÷", "+-×÷", "+-×÷"],
                 choices=["+-", "+-×", "+-×÷"], help="operators used"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        def number() -> int:
            return int(rng.integers(10, 100)) if rng.random() < p.big else int(rng.integers(1, 10))

        def build(count: int):
            if count == 1:
                return number()
            op = p.ops[rng.integers(len(p.ops))]
            k = int(rng.integers(1, count))
            left = build(k)
            if op == "÷":
                value = value_of(left)
                divisors = [d for d in range(2, 13) if value.denominator == 1 and value.numerator % d == 0]
                if value > 0 and divisors:
                    return ["÷", left, divisors[rng.integers(len(divisors))]]
                op = "+"
            return [op, left, build(count - k)]

        tree = build(p.numbers)
        value = value_of(tree)
        if value < 0 or value.denominator != 1 or value > 10**5:
            raise Reject("the right side is not a small whole number")
        equation = f"{show(tree)} = {value.numerator}"
        digits = [i for i, ch in enumerate(equation) if ch.isdigit()]
        if len(digits) <= p.hidden:
            raise Reject("too few digits to hide")
        chosen = set(rng.choice(digits, p.hidden, replace=False).tolist())
        puzzle = "".join("?" if i in chosen else ch for i, ch in enumerate(equation))
        holding, tried = holding_fillings(tree, puzzle)
        if not holding:  # a filling made by a zero leading digit would only shrink this; never 0
            raise Reject("the gold filling was not found again")
        if len(holding) > max(1, tried * MAX_SOLUTION_SHARE):
            raise Reject("too many fillings hold: a guess would pay")
        if any(len(set(digits)) == 1 for digits in holding):
            raise Reject("one digit in every ? holds")
        operators = sum(ch in PRECEDENCE for ch in puzzle)
        return Problem({"puzzle": puzzle, "solutions": len(holding)}, equation, float(tried * operators))

    def verify(self, problem: dict, answer: str) -> Verdict:
        if not isinstance(answer, str) or len(answer) > MAX_ANSWER_CHARS:
            return Verdict.unparseable("answer too long; expected the equation")
        skeleton = problem["puzzle"].replace(" ", "")
        filled = re.sub(r"\s+", "", unwrap(answer)).translate(_CANON).replace("\\times", "×").replace("\\div", "÷")
        if len(filled) != len(skeleton):
            return Verdict.invalid("the answer must be the puzzle's equation with each ? replaced by one digit")
        for shown, written in zip(skeleton, filled, strict=True):
            if shown == "?" and not written.isdigit() or shown != "?" and shown != written:
                return Verdict.invalid("operators, parentheses and visible digits must be kept; each ? is one digit")
        problem_found = check_equation(filled)
        if problem_found is not None:
            return Verdict.wrong(problem_found)
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        return {f"every ? as {d}": problem["puzzle"].replace("?", d) for d in "0123456789"}

    def hardness(self, problem: dict) -> float:
        puzzle = problem["puzzle"]
        return float(sum(ch in PRECEDENCE for ch in puzzle) + puzzle.count("?"))

    def alternative_forms(self, problem: Problem) -> list[str]:
        return scalar_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold, puzzle = problem.answer, problem.data["puzzle"]
        holes = [i for i, ch in enumerate(puzzle) if ch == "?"]
        wrong = [gold.replace("=", "+ 0 =", 1), puzzle, gold.replace(" ", "").replace("=", "==")]
        changed = list(gold)
        i = holes[0]
        for d in "0123456789":
            changed[i] = d
            candidate = "".join(changed)
            if self.verify(problem.data, candidate).score < 1:
                wrong.append(candidate)
                break
        ops = [i for i, ch in enumerate(gold) if ch in "+-"]
        if ops:
            j = ops[0]
            wrong.append(gold[:j] + ("-" if gold[j] == "+" else "+") + gold[j + 1:])
        return wrong
