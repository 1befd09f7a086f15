"""Exact arithmetic: evaluate a nested expression over integers and fractions.

For example::

    (3 - 5/2) * (-4) + 1/3        =  -5/3

The expression is a random tree with ``operands`` leaves nested ``depth`` deep (depth counts
operators on the longest path, capped at ``operands - 1``). Leaves are integers up to
``magnitude``, negative (written ``(-7)``) and fractions (written ``(3/4)``) where their
knobs allow; operators come from ``operators`` (``^`` raises a small sub-result to the power 2
or 3). Each operator is chosen bottom-up among those that keep the value defined (no division
by zero) and small (numerator below 10**6, denominator below 10**4). Values are computed with
:class:`fractions.Fraction`; ``effort`` is the tree's node count.

Answer format, as the prompt states it: the exact value as an integer or a *reduced* fraction
a/b, no decimals (``12``, ``-7/3``). Accepted as the same form: the unicode minus, a fraction
in LaTeX (``\\frac{-7}{3}``, ``-\\dfrac{7}{3}``, ``\\tfrac``), math delimiters (``$…$``,
``\\(…\\)``) and one pair of outer parentheses. ``invalid``: an unreduced fraction
(``-14/6``, ``4/1``), a decimal (``0.5``, ``2.0``), an unevaluated expression (``3+4`` when the
value is 7: the model must evaluate), a mixed number (``2 1/3``: ambiguous), a zero denominator.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from synlog.errors import KnobError, Reject
from synlog.tasks.base import Problem, Task, last_answer_line, register
from synlog.tasks.common.arith import (
    ArithmeticParseError,
    format_rational,
    normalise,
    parse_rational,
)
from synlog.tasks.common.forms import rational_alternatives, rational_forbidden
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

NUMERATOR_LIMIT = 10**6
DENOMINATOR_LIMIT = 10**4
NEGATIVE_SHARE = FRACTION_SHARE = 0.3
#: chance that a small sub-result is squared or cubed where ``^`` is allowed
POWER_SHARE = 0.2
MAX_ANSWER_CHARS = 200

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}
_ATOMIC = 4  # precedence of a leaf; ^ binds at 3
_LATEX_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]{1,60})\}\s*\{([^{}]{1,60})\}")
_LATEX_NOISE = re.compile(r"\$|\\[,;:! ()]|\\displaystyle")
_SPLIT_NUMBER = re.compile(r"[\d.]\s+[\d.]")
_EXPONENT = re.compile(r"[\d.][eE]")  # 1e999999999 would build a huge integer
_WRAPPED = re.compile(r"([+-]?)\(([^()]*)\)")
_INT = r"(?:[+-]?\d+|\([+-]?\d+\))"
_NUMBER = re.compile(rf"[+-]?(?:\d+\.?\d*|\.\d+|{_INT}/{_INT})")


@dataclass(frozen=True)
class Node:
    """A rendered sub-expression: exact value, text, binding strength, tree nodes inside."""

    value: Fraction
    text: str
    precedence: int
    nodes: int


def _small(value: Fraction) -> bool:
    return abs(value.numerator) < NUMERATOR_LIMIT and value.denominator < DENOMINATOR_LIMIT


def _leaf(rng: np.random.Generator, p: Params) -> Node:
    value = Fraction(int(rng.integers(1, p.magnitude + 1)))
    if p.fractions and rng.random() < FRACTION_SHARE:
        value /= int(rng.integers(2, 10))
    if p.negative and rng.random() < NEGATIVE_SHARE:
        value = -value
    text = format_rational(value)
    return Node(value, text if value.denominator == 1 and value >= 0 else f"({text})", _ATOMIC, 1)


def _combine(rng: np.random.Generator, left: Node, right: Node, operators: str) -> Node:
    """The first operator (in random order) whose result is defined and small."""
    for op in rng.permutation(list(operators)).tolist():
        if op == "/" and right.value == 0:
            continue
        a, b = left.value, right.value
        value = a + b if op == "+" else a - b if op == "-" else a * b if op == "*" else a / b
        if not _small(value):
            continue
        level = _PRECEDENCE[op]
        lt = left.text if left.precedence >= level else f"({left.text})"
        # a right operand of equal rank keeps its brackets, so the text parses as this tree
        rt = right.text if right.precedence > level else f"({right.text})"
        return Node(value, f"{lt} {op} {rt}", level, left.nodes + right.nodes + 1)
    raise Reject("no operator keeps this sub-expression defined and small")


def _maybe_power(rng: np.random.Generator, node: Node, p: Params) -> Node:
    """Square or cube a small sub-result now and then, where ``^`` is allowed."""
    value = node.value
    if "^" not in p.operators or rng.random() >= POWER_SHARE:
        return node
    if abs(value.numerator) > 12 or value.denominator > 6:
        return node
    exponent = int(rng.integers(2, 4))
    base = node.text if node.precedence == _ATOMIC else f"({node.text})"
    return Node(value**exponent, f"{base}^{exponent}", 3, node.nodes + 2)


def _grow(rng: np.random.Generator, p: Params, leaves: int, depth: int) -> Node:
    """A random tree with exactly ``leaves`` leaves and exactly ``depth`` operator levels."""
    if leaves == 1:
        return _maybe_power(rng, _leaf(rng, p), p)
    half = 2 ** (depth - 1)
    deep = int(rng.integers(max(depth, leaves - half), min(half, leaves - 1) + 1))
    rest = leaves - deep
    lowest = (rest - 1).bit_length()  # fewest levels that hold `rest` leaves
    shallow = int(rng.integers(lowest, min(depth - 1, rest - 1) + 1))
    sides = [_grow(rng, p, deep, depth - 1), _grow(rng, p, rest, shallow)]
    if rng.random() < 0.5:
        sides.reverse()
    binary = p.operators.replace("^", "")
    return _maybe_power(rng, _combine(rng, sides[0], sides[1], binary), p)


def read_number(answer: str) -> Fraction | Verdict:
    """The exact value of an answer that is one number, or the Verdict saying why it is not."""
    if len(answer) > MAX_ANSWER_CHARS:
        return Verdict.unparseable(f"answer longer than {MAX_ANSWER_CHARS} characters")
    text = _LATEX_NOISE.sub("", answer.replace("⁄", "/"))
    text = _LATEX_FRAC.sub(r"(\1)/(\2)", text, count=2)
    text = normalise(text)
    if _SPLIT_NUMBER.search(text):
        return Verdict.invalid("write one number: no spaces inside it and no mixed numbers like 2 1/3")
    text = "".join(text.split())
    wrapped = _WRAPPED.fullmatch(text)  # (-7/3) or -(7/3)
    if wrapped:
        text = wrapped[1] + wrapped[2]
    shaped = _NUMBER.fullmatch(text) is not None
    if _EXPONENT.search(text):
        return Verdict.unparseable("scientific notation is not accepted; write the exact value")
    try:
        value = parse_rational(text)
    except ArithmeticParseError as exc:
        return Verdict.invalid(str(exc)) if exc.kind == "division_by_zero" else Verdict.unparseable(
            f"expected an integer or a fraction a/b ({exc})")
    if not shaped:
        return Verdict.invalid("give the value as one number, not an expression to evaluate")
    if "." in text:
        return Verdict.invalid("give the exact value as an integer or a fraction, not a decimal")
    if "/" in text and (value.denominator == 1 or int(text.split("/")[1].strip("()+-")) != value.denominator):
        return Verdict.invalid("write the fraction in lowest terms (a denominator above 1)")
    return value


#: a number standing alone: ``7``, ``-3``, ``12/5`` (not a piece of ``3.5``, ``x2`` or ``9-2``'s ``-2``)
#: a leaf of a generated expression: ``7``, ``(-7)``, ``(3/4)``, ``(-3/4)``
_LEAF = re.compile(r"-?\d+(?:/\d+)?")
_POWER = re.compile(r"\^\d")

_LONE_NUMBER = re.compile(r"(?<![\w/.])-?\d+(?:/\d+)?(?![\w/]|\.\d)")


def _top(value: int | tuple[int, int]) -> int:
    """The largest value of a knob that may be a sampled range."""
    return int(value[1]) if isinstance(value, tuple) else int(value)


@register
class Arithmetic(Task):
    """Evaluate a nested arithmetic expression exactly (integer or reduced fraction)."""

    name, family, version = "arithmetic", "math", 2
    knobs = Knobs(
        operands=Knob(int, levels=[2, 3, 3, 4, 5, 6, 7, 8, 10, 12], lo=2, hi=64,
                      help="number of leaves (numbers) in the expression"),
        depth=Knob(int, levels=[1, 2, 2, 2, 3, 3, 4, 5, 6, 7], lo=1, hi=63,
                   help="operator levels on the longest path (capped at operands - 1)"),
        # two-digit leaves from level 1: 2 × 60 × 60 sums and differences, not 162 one-digit ones
        magnitude=Knob(int, levels=[60, 60, 60, 60, 60, 70, 70, 80, 90, 99], lo=1, hi=10**4,
                       help="largest absolute integer in a leaf"),
        negative=Knob(bool, levels=[False] * 3 + [True] * 7, help="leaves may be negative"),
        fractions=Knob(bool, levels=[False] * 4 + [True] * 6, help="leaves may be fractions"),
        operators=Knob(str, levels=["+-", "+-*", "+-*/", "+-*/", "+-*/", "+-*/", "+-*/",
                                    "+-*/^", "+-*/^", "+-*/^"],
                       help="operators used, a subset of +-*/^ (^: squares and cubes)"),
    )

    def check_params(self, params: Params) -> None:
        ops = params.operators
        if not ops or set(ops) - set("+-*/^") or not set(ops) & set("+-*/"):
            raise KnobError(f"operators takes a subset of +-*/^ with at least one of +-*/; got {ops!r}")
        if params.operands > 2 ** params.depth:
            raise KnobError(f"operands={params.operands} need depth ≥"
                            f" {(params.operands - 1).bit_length()}; raise depth or lower operands")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        root = _grow(rng, p, p.operands, min(p.depth, p.operands - 1))
        answer = format_rational(root.value)
        return Problem({"expression": root.text, "value": answer}, answer, float(root.nodes))

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Echoing a leaf instead of evaluating: the first, the last and the largest number."""
        leaves = [Fraction(x) for x in _LEAF.findall(_POWER.sub("", problem["expression"]))]
        return {"the first number": format_rational(leaves[0]),
                "the last number": format_rational(leaves[-1]),
                "the largest number": format_rational(max(leaves))}

    def hardness(self, problem: dict) -> float:
        """Operations to carry out: operators (a power counts its multiplications) plus the
        digits of every leaf, as a pencil-and-paper evaluation would touch them."""
        expression = problem["expression"]
        operators = len(re.findall(r"(?<=\s)[-+*/](?=\s)", expression))
        powers = sum(int(e) - 1 for e in re.findall(r"\^(\d)", expression))
        digits = len(re.findall(r"\d", _POWER.sub("", expression)))
        return float(operators + powers + digits)

    def instance_space(self, spec: dict) -> float | None:
        """Leaf values to the power of the leaves, times operator choices and tree shapes (an
        upper estimate: it ignores the operators dropped to keep values small)."""
        operands, magnitude = _top(spec["operands"]), _top(spec["magnitude"])
        leaf = magnitude * (1 + 8 * bool(spec["fractions"])) * (1 + bool(spec["negative"]))
        binary = len(str(spec["operators"]).replace("^", ""))
        shapes = math.comb(2 * (operands - 1), operands - 1) // operands  # Catalan(operands - 1)
        powers = 2 ** operands if "^" in str(spec["operators"]) else 1
        return float(leaf ** operands * binary ** (operands - 1) * shapes * powers)

    def fallback_extract(self, text: str) -> str | None:
        """The last number (``7``, ``-3``, ``12/5``) of the last line that has one (stray tags
        and full stops ignored): weak models write "9 - 2 = 7" or "... which is 7." rather than a
        bare value (opt-in, like every fallback)."""
        line = last_answer_line(text)
        numbers = _LONE_NUMBER.findall(line) if line else []
        return numbers[-1] if numbers else None

    def verify(self, problem: dict, answer: str) -> Verdict:
        value = read_number(answer)
        if isinstance(value, Verdict):
            return value
        gold = Fraction(problem["value"])
        if value != gold:
            return Verdict.wrong("not the value of the expression", got=format_rational(value))
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        return rational_alternatives(Fraction(problem.data["value"]))

    def forbidden_forms(self, problem: Problem) -> list[str]:
        return rational_forbidden(Fraction(problem.data["value"]))

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = Fraction(problem.data["value"])
        near = [gold + 1, gold - 1, -gold if gold else Fraction(1)]
        if gold not in (0, 1, -1):
            near.append(1 / gold)
        out = [format_rational(v) for v in near]
        # numerator off by one, written unreduced: (p + 1)/q never equals p/q
        out.append(f"{2 * (gold.numerator + 1)}/{2 * gold.denominator}")
        return out
