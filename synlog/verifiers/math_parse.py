"""Read math answers (plain text or LaTeX) into a small tree, without ``eval`` and without sympy.

The tree is made of tuples, so it is cheap to build, JSON-serialisable (it travels to the
sympy worker process as a list) and easy to evaluate exactly when it holds only numbers::

    parse_expression(r"\\dfrac12 + 2^{-1}")     # ('add', ('div', ('num', '1'), ('num', '2')), ...)
    exact_value(parse_expression("0.5 + 1/2"))  # Fraction(1, 1)

Node shapes: ``('num', '12' | '0.5')``, ``('sym', 'x')``, ``('const', 'pi' | 'E' | 'oo')``,
``('neg', a)``, ``('add' | 'sub' | 'mul' | 'div' | 'pow', a, b)``, ``('fn', name, a)``,
``('root', n, a)``. Function names are a fixed whitelist. Input is capped at
:data:`MAX_CHARS` characters and :data:`MAX_DEPTH` levels of nesting, so parsing is linear.

:func:`exact_value` is the fast path: a tree of numbers and + - * / and small integer powers
becomes a :class:`~fractions.Fraction` without touching sympy; anything else returns ``None``.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

MAX_CHARS = 2_000
MAX_DEPTH = 60
MAX_EXPONENT = 256
MAX_BITS = 4_000

Node = tuple[Any, ...]

FUNCTIONS = {
    "sqrt": "sqrt", "sin": "sin", "cos": "cos", "tan": "tan", "exp": "exp", "ln": "log",
    "log": "log", "arcsin": "asin", "arccos": "acos", "arctan": "atan", "asin": "asin",
    "acos": "acos", "atan": "atan", "sinh": "sinh", "cosh": "cosh", "tanh": "tanh",
    "abs": "Abs", "sec": "sec", "csc": "csc", "cot": "cot",
}
CONSTANTS = {"pi": "pi", "π": "pi", "infty": "oo", "infinity": "oo", "∞": "oo", "oo": "oo", "e": "E", "E": "E"}

_UNICODE = str.maketrans({
    "−": "-", "–": "-", "—": "-", "×": "*", "·": "*", "⋅": "*", "÷": "/", "∕": "/", "⁄": "/",
    "√": " sqrt ", "π": " pi ", "∞": " oo ", "²": "^2", "³": "^3",
})
_NOISE = re.compile(r"\\left|\\right|\\displaystyle|\\[,;:! ]|\\quad|\\qquad|\$|\\\(|\\\)|\\\[|\\\]")
_TEXT_WRAP = re.compile(r"\\(?:mathrm|text|operatorname|mathit|mathbf)\s*\{([^{}]*)\}")
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?|\.\d+)|(?P<cmd>\\[A-Za-z]+)|(?P<name>[A-Za-z]+)"
    r"|(?P<op>\*\*|[-+*/^(){}\[\],|]))"
)


class MathParseError(ValueError):
    """The text is not a math expression this parser reads; the message says why."""


class AmbiguousForm(MathParseError):
    """The text reads two ways (``2 1/3``, ``-1\\frac{19}{90}``: a mixed number or a product):
    an ``invalid`` answer, never guessed either way."""


def clean(text: str) -> str:
    """Drop LaTeX spacing and delimiters, map unicode operators to ASCII."""
    text = text.translate(_UNICODE)
    text = _TEXT_WRAP.sub(r"\1", text).replace("\\{", "{").replace("\\}", "}")
    text = _NOISE.sub(" ", text)
    return text.replace("\\cdot", "*").replace("\\times", "*").replace("\\div", "/").strip()


def tokenize(text: str) -> list[tuple[str, str]]:
    """``(kind, text)`` tokens; kind is num, cmd, name or op. Raises on any other character."""
    if len(text) > MAX_CHARS:
        raise MathParseError(f"answer longer than {MAX_CHARS} characters")
    tokens, at = [], 0
    text = text.rstrip()
    while at < len(text):
        match = _TOKEN.match(text, at)
        if not match or match.end() == at:
            raise MathParseError(f"unexpected character {text[at:at + 1]!r}")
        kind = match.lastgroup or "op"
        tokens.append((kind, match.group(kind)))
        at = match.end()
    return tokens


class _Parser:
    """Precedence climbing over tokens: sum > product (explicit or implicit) > unary > power."""

    def __init__(self, tokens: list[tuple[str, str]], variables: frozenset[str]):
        self.tokens, self.at, self.depth, self.variables = tokens, 0, 0, variables

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, text: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (text is not None and token[1] != text):
            raise MathParseError(f"expected {text or 'more input'}, found {token[1] if token else 'the end'}")
        self.at += 1
        return token

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise MathParseError("expression nested too deeply")

    def expression(self) -> Node:
        self.nest()
        node = self.product()
        while (token := self.peek()) and token[1] in "+-" and token[0] == "op":
            self.take()
            node = ("add" if token[1] == "+" else "sub", node, self.product())
        self.depth -= 1
        return node

    def product(self) -> Node:
        node = self.unary()
        while (token := self.peek()) is not None:
            if token[0] == "op" and token[1] in ("*", "/"):
                self.take()
                node = ("mul" if token[1] == "*" else "div", node, self.unary())
            elif token[0] == "num":
                raise AmbiguousForm("two numbers side by side; write one number (no mixed numbers)")
            elif token[0] != "op" or token[1] in ("(", "{"):
                factor = self.power()  # implicit: 2x, 2\sqrt{2}, x(x+1)
                if _is_number(node) and token[1] in _FRACS and _is_number(factor[1]) and _is_number(factor[2]):
                    raise AmbiguousForm("a number next to a fraction reads as a mixed number or a "
                                        "product; write one fraction such as -109/90")
                node = ("mul", node, factor)
            else:
                break
        return node

    def unary(self) -> Node:
        token = self.peek()
        if token and token[0] == "op" and token[1] in "+-":
            self.take()
            self.nest()
            inner = self.unary()
            self.depth -= 1
            return ("neg", inner) if token[1] == "-" else inner
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        token = self.peek()
        if token and token[1] in ("^", "**"):
            self.take()
            self.nest()
            exponent = self.unary()  # right-associative: 2^3^2 = 2^(3^2)
            self.depth -= 1
            return ("pow", base, exponent)
        return base

    def bare_argument(self) -> Node:
        """The argument of a function written without brackets: ``\\sin x^2`` is sin(x²),
        ``\\cos 3x`` is cos(3x), ``\\sin 2\\pi x`` is sin(2πx); it ends at an operator or at
        the next function name (``\\sin x \\cos x`` is sin(x)·cos(x))."""
        node = self.power()
        while (token := self.peek()) is not None and token[0] in ("name", "cmd"):
            word = token[1].lstrip("\\")
            if word in FUNCTIONS or word in ("frac", "dfrac", "tfrac") or not (
                    word in self.variables or word in CONSTANTS
                    or all(c in self.variables or c == "e" for c in word)):
                break
            node = ("mul", node, self.power())
        return node

    def group(self) -> Node:
        """``{...}`` or ``(...)``, or a single digit / letter as in ``\\frac12``."""
        token = self.peek()
        if token and token[1] in ("{", "("):
            close = "}" if token[1] == "{" else ")"
            self.take()
            node = self.expression()
            self.take(close)
            return node
        if token and token[0] == "num":
            self.take()
            if len(token[1]) > 1:  # \frac12 is \frac{1}{2}: the rest of the digits stay in the input
                self.tokens.insert(self.at, ("num", token[1][1:]))
            return ("num", token[1][0])
        return self.atom()

    def atom(self) -> Node:
        kind, text = self.take()
        if kind == "num":
            return ("num", text)
        if kind == "op":
            if text in ("(", "{"):
                node = self.expression()
                self.take(")" if text == "(" else "}")
                return node
            if text == "|":
                node = self.expression()
                self.take("|")
                return ("fn", "Abs", node)
            raise MathParseError(f"unexpected {text!r}")
        word = text.lstrip("\\")
        if kind == "cmd" and word in ("frac", "dfrac", "tfrac"):
            return ("div", self.group(), self.group())
        if word == "sqrt":
            token = self.peek()
            if kind == "cmd" and token and token[1] == "[":
                self.take("[")
                index = self.expression()
                self.take("]")
                return ("root", index, self.group())
            if kind == "name" and token and token[0] == "num":
                self.take()  # sqrt 10 and √10 take the whole number (only LaTeX's \sqrt10 is √1·0)
                return ("fn", "sqrt", ("num", token[1]))
            return ("fn", "sqrt", self.group())
        if word in FUNCTIONS:
            token = self.peek()
            if token and token[1] in ("^",):  # \sin^2 x
                self.take()
                exponent = self.group()
                return ("pow", ("fn", FUNCTIONS[word], self.power()), exponent)
            if token and token[1] in ("(", "{"):  # sin(x)^2 is (sin x)^2: the caller reads the ^
                return ("fn", FUNCTIONS[word], self.group())
            return ("fn", FUNCTIONS[word], self.bare_argument())
        if word in self.variables:
            return ("sym", word)
        if word in CONSTANTS:
            return ("const", CONSTANTS[word])
        if kind == "name" and all(c in self.variables or c == "e" for c in word) and set(word) & self.variables:
            if len(word) > 1:  # xy is x*y when both are variables, xe is x*e: read one letter now
                self.tokens.insert(self.at, ("name", word[1:]))
            return ("sym", word[0]) if word[0] in self.variables else ("const", "E")
        raise MathParseError(f"unknown name {text!r}")


_FRACS = ("\\frac", "\\dfrac", "\\tfrac")


def _is_number(node: Node) -> bool:
    return node[0] == "num" or (node[0] == "neg" and node[1][0] == "num")


def parse_expression(text: str, variables: tuple[str, ...] | frozenset[str] = ("x",)) -> Node:
    """Parse one expression; ``variables`` are the letters allowed as symbols (``e`` is Euler's)."""
    tokens = tokenize(clean(text))
    if not tokens:
        raise MathParseError("empty answer")
    parser = _Parser(tokens, frozenset(variables))
    node = parser.expression()
    if parser.peek() is not None:
        raise MathParseError(f"unexpected {parser.peek()[1]!r} after a complete expression")
    return node


def exact_value(node: Node) -> Fraction | None:
    """The exact value of a tree of numbers, + - * / and small integer powers, else ``None``."""
    kind = node[0]
    if kind == "num":
        return Fraction(node[1]) if len(node[1]) <= 400 else None
    if kind == "neg":
        inner = exact_value(node[1])
        return None if inner is None else -inner
    if kind in ("add", "sub", "mul", "div", "pow"):
        a = exact_value(node[1])
        b = exact_value(node[2]) if a is not None else None
        if a is None or b is None:
            return None
        if kind == "add":
            value = a + b
        elif kind == "sub":
            value = a - b
        elif kind == "mul":
            value = a * b
        elif kind == "div":
            if b == 0:
                return None
            value = a / b
        else:
            if b.denominator != 1 or abs(b) > MAX_EXPONENT or (a == 0 and b < 0):
                return None
            if a.numerator.bit_length() * abs(b) > MAX_BITS or a.denominator.bit_length() * abs(b) > MAX_BITS:
                return None
            value = a ** int(b)
        too_big = value.numerator.bit_length() > MAX_BITS or value.denominator.bit_length() > MAX_BITS
        return None if too_big else value
    return None


def huge_power(node: Node) -> bool:
    """True when a power has a numeric exponent too large to expand (``9**9**9**9``)."""
    if node[0] == "pow":
        exponent = node[2]
        value = exact_value(exponent)
        if value is None and _numeric_only(exponent):
            return True  # a number too large for the fast path, as an exponent
        if value is not None and abs(value) > 10_000:
            return True
    return any(isinstance(child, tuple) and huge_power(child) for child in node[1:])


def _numeric_only(node: Node) -> bool:
    if node[0] == "num":
        return True
    if node[0] in ("sym", "const", "fn", "root"):
        return False
    return all(_numeric_only(child) for child in node[1:] if isinstance(child, tuple))


def symbols_in(node: Node) -> set[str]:
    """The variable names a tree uses."""
    if node[0] == "sym":
        return {node[1]}
    out: set[str] = set()
    for child in node[1:]:
        if isinstance(child, tuple):
            out |= symbols_in(child)
    return out


def enclosed(text: str) -> bool:
    """True when the bracket opening ``text`` closes only at its end: ``(1, 2)``, not ``(1)(2)``."""
    if len(text) < 2:
        return False
    depth = 0
    for c in text[:-1]:
        depth += c in "([{"
        depth -= c in ")]}"
        if depth == 0:
            return False
    return True


def split_top(text: str, separators: str = ",") -> list[str]:
    """Split at separators outside any brackets (for lists, sets, tuples and intervals)."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c in separators and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def undefined_form(node: Node) -> str | None:
    """Why a tree has no value (``0^0``, ``\\infty^0``, ``(0/0)^0``, ``1/0``, ``oo - oo``), or None.

    sympy evaluates ``0**0`` and ``nan**0`` to 1 while building an expression, so an answer
    made of an undefined form would be judged equal to 1; it is refused on the tree instead.
    Infinity may stand alone (``oo``, ``-oo``), never inside arithmetic.
    """
    kind = node[0]
    if kind in ("num", "sym"):
        return None
    if kind == "const":
        return None
    if kind == "neg":
        return undefined_form(node[1])
    children = [c for c in node[1:] if isinstance(c, tuple)]
    for child in children:
        why = undefined_form(child)
        if why:
            return why
    if any(_mentions_infinity(c) for c in children) and kind != "neg":
        return "infinity inside arithmetic has no value"
    if kind == "div" and exact_value(node[2]) == 0:
        return "division by zero"
    if kind == "pow":
        base, exponent = exact_value(node[1]), exact_value(node[2])
        if base == 0 and (exponent is None or exponent <= 0):
            return "0 to a power that is not positive"
    if kind == "fn" and node[1] == "log" and exact_value(node[2]) == 0:
        return "log(0)"
    return None


def _mentions_infinity(node: Node) -> bool:
    if node[0] == "const":
        return node[1] == "oo"
    return any(isinstance(c, tuple) and _mentions_infinity(c) for c in node[1:])
