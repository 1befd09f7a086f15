"""Exact arithmetic on untrusted text, without ``eval``.

Model answers such as ``(8 / (3 - 8/3))`` or ``-1/2`` are parsed with :mod:`ast` into a tree
whose node types are whitelisted (numbers, + − × ÷, unary minus, parentheses, and ``^``/``**``
only when allowed, with a bounded exponent), then evaluated with :class:`fractions.Fraction`
so ``1/3 + 1/3 + 1/3 == 1`` holds exactly::

    parse_rational("3/4 + 0.25")                   # Fraction(1, 1)
    e = parse_expression("(10 - 4) * (2 + 2)")
    e.value, e.numbers                              # Fraction(24, 1), [10, 4, 2, 2]

Anything outside the whitelist, too long, too deep or dividing by zero raises
:class:`ArithmeticParseError`, whose message says why (used as the verdict's detail).
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass, field
from fractions import Fraction

MAX_CHARS = 2_000
MAX_EXPONENT = 64
MAX_MAGNITUDE_DIGITS = 400

_UNICODE = str.maketrans({"×": "*", "·": "*", "÷": "/", "−": "-", "–": "-", "—": "-", "∕": "/"})
_DECIMAL = re.compile(r"^\d+(\.\d*)?([eE][+-]?\d+)?$|^\.\d+([eE][+-]?\d+)?$")


class ArithmeticParseError(ValueError):
    """The text is not an allowed arithmetic expression; the message says why.

    ``kind`` tells callers what went wrong without matching message text: ``"syntax"``
    (not an allowed expression), ``"division_by_zero"``, or ``"too_large"``.
    """

    def __init__(self, message: str, kind: str = "syntax"):
        super().__init__(message)
        self.kind = kind


def _too_large(value: Fraction) -> bool:
    # bit_length, not len(str()): str() of a >4300-digit int raises ValueError in Python 3.11+
    limit = MAX_MAGNITUDE_DIGITS * 3.33
    return value.numerator.bit_length() > limit or value.denominator.bit_length() > limit


@dataclass
class Expression:
    """A parsed expression: its exact value and the number literals it uses, left to right."""

    value: Fraction
    numbers: list[Fraction] = field(default_factory=list)


def normalise(text: str) -> str:
    """Map unicode operators to ASCII, ``x`` between numbers to ``*``, ``^`` to ``**``."""
    text = text.translate(_UNICODE).replace("\\times", "*").replace("\\cdot", "*")
    text = text.replace("\\div", "/").replace("\\left", "").replace("\\right", "")
    text = re.sub(r"(?<=[\d)\s])[xX](?=[\s(\d])", "*", text)
    return text.replace("^", "**").strip()


class _Evaluator:
    def __init__(self, allow_power: bool, allow_decimals: bool, source: str):
        self.allow_power = allow_power
        self.allow_decimals = allow_decimals
        self.source = source
        self.numbers: list[Fraction] = []

    def number(self, node: ast.Constant) -> Fraction:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ArithmeticParseError(f"not a number: {value!r}")
        if isinstance(value, float):
            if not self.allow_decimals:
                raise ArithmeticParseError("decimals are not allowed here; use fractions")
            literal = ast.get_source_segment(self.source, node) or repr(value)
            literal = literal.replace("_", "")
            if not _DECIMAL.match(literal):
                raise ArithmeticParseError(f"bad number literal {literal!r}")
            mantissa, _, exponent = literal.lower().partition("e")
            # Fraction("1e9999999") would build a ten-million-digit integer: bound it first
            if exponent and abs(int(exponent)) > MAX_MAGNITUDE_DIGITS or len(mantissa) > MAX_MAGNITUDE_DIGITS:
                raise ArithmeticParseError("number too large", "too_large")
            result = Fraction(literal)
        else:
            if value.bit_length() > MAX_MAGNITUDE_DIGITS * 3.33:
                raise ArithmeticParseError("number too large", "too_large")
            result = Fraction(value)
        self.numbers.append(result)
        return result

    def visit(self, node: ast.AST) -> Fraction:
        if isinstance(node, ast.Expression):
            return self.visit(node.body)
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.visit(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp):
            left, right = self.visit(node.left), self.visit(node.right)
            op = node.op
            if isinstance(op, ast.Add):
                result = left + right
            elif isinstance(op, ast.Sub):
                result = left - right
            elif isinstance(op, ast.Mult):
                result = left * right
            elif isinstance(op, ast.Div):
                if right == 0:
                    raise ArithmeticParseError("division by zero", "division_by_zero")
                result = left / right
            elif isinstance(op, ast.Pow) and self.allow_power:
                if right.denominator != 1 or abs(right) > MAX_EXPONENT:
                    raise ArithmeticParseError(f"exponents must be integers up to {MAX_EXPONENT}")
                if left == 0 and right < 0:
                    raise ArithmeticParseError("division by zero", "division_by_zero")
                result = left ** int(right)
            else:
                raise ArithmeticParseError(f"operator {type(op).__name__} is not allowed")
            if _too_large(result):
                raise ArithmeticParseError("intermediate value too large", "too_large")
            return result
        raise ArithmeticParseError(f"{type(node).__name__} is not allowed in an arithmetic expression")


def parse_expression(
    text: str, *, allow_power: bool = False, allow_decimals: bool = True
) -> Expression:
    """Parse and evaluate an arithmetic expression exactly; raise ArithmeticParseError."""
    if not isinstance(text, str):
        raise ArithmeticParseError("not text")
    if len(text) > MAX_CHARS:
        raise ArithmeticParseError(f"expression longer than {MAX_CHARS} characters")
    source = normalise(text)
    if not source:
        raise ArithmeticParseError("empty expression")
    if "**" in source and not allow_power:
        raise ArithmeticParseError("powers are not allowed here")
    try:
        with warnings.catch_warnings():  # "3in 4" warns "invalid decimal literal" on stderr
            warnings.simplefilter("ignore", SyntaxWarning)
            tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise ArithmeticParseError(f"not an arithmetic expression: {exc.__class__.__name__}") from None
    evaluator = _Evaluator(allow_power, allow_decimals, source)
    try:
        value = evaluator.visit(tree)
    except RecursionError:
        raise ArithmeticParseError("expression nested too deeply") from None
    return Expression(value, evaluator.numbers)


def parse_rational(text: str, *, allow_decimals: bool = True, allow_power: bool = False) -> Fraction:
    """The exact value of a number or arithmetic expression (``-3/4``, ``0.5``, ``2*(1+1)``)."""
    return parse_expression(text, allow_power=allow_power, allow_decimals=allow_decimals).value


def format_rational(value: Fraction) -> str:
    """Canonical text of a rational: ``3``, ``-1/2``."""
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
