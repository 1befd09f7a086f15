"""Complex arithmetic: evaluate an expression in complex numbers exactly, as ``a + bi``.

For example::

    ((3 + 2i)*(1 - i)) / (2 + i)          answer: 11/5 - (7/5)i

The expression is a random tree of ``+ - * /`` and small powers over Gaussian integers
``(p + qi)``; it is evaluated with exact rationals (a pair of :class:`fractions.Fraction`), never
floats. Difficulty raises the number of operations, brings in division (level 3) and powers
(level 5), and widens the integers. Expressions whose value, or any intermediate value, grows
past ``digit_max`` digits are redrawn, as are those that divide by zero.

Answer format: one number ``a + bi`` (or ``a - bi``), the real part first, ``a`` and ``b``
rational: integers or reduced fractions ``p/q`` (``\\frac{p}{q}`` too). The imaginary part is
written ``bi``, ``b*i``, ``(p/q)i``, ``p/q*i``, ``pi/q`` or ``\\frac{p}{q}i``; ``i`` and ``-i`` for
``b = ±1``; a zero part may be left out (``3``, ``-2i``) or written (``3 + 0i``). ``I`` is read
as ``i``. ``invalid``: decimals, unreduced fractions, ``p/qi`` (which reads as ``p/(qi)``), the
imaginary part first, an expression left to evaluate, several candidates. No partial credit.
"""

from __future__ import annotations

import re
from fractions import Fraction

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.arith import format_rational
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.math._one_line import one_line
from synlog.verifiers.verdict import Verdict

MAX_ANSWER_CHARS = 400
MAX_DIGITS = 60

Gauss = tuple[Fraction, Fraction]

_INT = rf"\d{{1,{MAX_DIGITS}}}"
_FRAC = rf"(?:{_INT}/{_INT}|\\d?frac\{{{_INT}\}}\{{{_INT}\}})"
_REAL = rf"(?:{_FRAC}|{_INT})"
#: the coefficient of i, written before it: 3i, 3*i, (3/5)i, 3/5*i, \frac{3}{5}i; or 3i/5
_IMAG = (rf"(?:(?P<coef>{_INT}|\({_FRAC}\)\*?|{_FRAC}\*|\\d?frac\{{{_INT}\}}\{{{_INT}\}})\s*\*?\s*)?i"
         rf"(?:\s*/\s*(?P<under>{_INT}))?")
_NUMBER = re.compile(
    rf"(?P<rsign>[-+]?)\s*(?:(?P<real>{_REAL})\s*(?P<op>[-+])\s*)?(?P<imag>{_IMAG})"
    rf"|(?P<osign>[-+]?)\s*(?P<only_real>{_REAL})"
)
_ALLOWED = re.compile(r"[\d\s+\-*/^()i{}\\frac.,]*")
_TRANSLATE = str.maketrans({"−": "-", "–": "-", "·": "*", "×": "*", "I": "i", "⋅": "*"})


class FormError(ValueError):
    """The answer is not one number a + bi in the documented form (``invalid``)."""


def _rational(text: str) -> Fraction:
    """An integer or a reduced fraction p/q (q > 1), as written; raises FormError otherwise."""
    text = text.strip().rstrip("*").strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    match = re.fullmatch(r"\\d?frac\{(\d+)\}\{(\d+)\}", text)
    top, bottom = match.groups() if match else (text.split("/") + ["1"])[:2]
    if "/" not in text and not match:
        return Fraction(int(text))
    p, q = int(top), int(bottom)
    if q <= 1 or Fraction(p, q).denominator != q:
        raise FormError("write each part as an integer or a fraction p/q in lowest terms")
    return Fraction(p, q)


def _closes_at_end(text: str) -> bool:
    """True when the bracket opening ``text`` is the one closing it (``(a + (b)i)``, not ``(a)(b)``)."""
    depth = 0
    for n, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return n == len(text) - 1
    return False


def read_number(answer: str) -> Gauss:
    """``(a, b)`` of an answer ``a + bi``; raises FormError (``invalid``) or ValueError (unreadable)."""
    text = answer.translate(_TRANSLATE).replace("$", "").replace("\\cdot", "*").replace("\\left", "")
    text = text.replace("\\right", "").replace("\\dfrac", "\\frac").strip()
    if text.endswith("."):
        text = text[:-1].rstrip()
    if text.startswith("(") and text.endswith(")") and _closes_at_end(text):
        text = text[1:-1].strip()
    match = _NUMBER.fullmatch(text)
    if not match:
        if _ALLOWED.fullmatch(text):
            if "." in text:
                raise FormError("write exact rationals, not decimals")
            raise FormError("write one number a + bi (real part first), nothing left to evaluate;"
                            " write (p/q)i or p/q*i, never p/qi")
        raise ValueError("not a complex number a + bi")
    if match.group("imag") is not None:
        sign = -1 if match.group("rsign") == "-" else 1
        imag = _imaginary(match)
        if match.group("real") is None:
            real, imag = Fraction(0), sign * imag
        else:
            real, imag = sign * _rational(match.group("real")), imag * (-1 if match.group("op") == "-" else 1)
    else:
        real, imag = _rational(match.group("only_real")) * (-1 if match.group("osign") == "-" else 1), Fraction(0)
    return real, imag


def _imaginary(match: re.Match) -> Fraction:
    coef, under = match.group("coef"), match.group("under")
    value = Fraction(1) if coef is None else _rational(coef)
    if under is not None:
        if coef is not None and "/" in coef or "frac" in (coef or ""):
            raise FormError("write the imaginary part once as a fraction")
        value = _rational(f"{value.numerator}/{under}")
    return value


def gauss_text(value: Gauss) -> str:
    """``11/5 - (7/5)i``, ``3 + i``, ``-2i``, ``4``, ``0``."""
    real, imag = value
    if imag == 0:
        return format_rational(real)
    size = abs(imag)
    body = "i" if size == 1 else (f"{size.numerator}i" if size.denominator == 1
                                  else f"({format_rational(size)})i")
    if real == 0:
        return ("-" if imag < 0 else "") + body
    return f"{format_rational(real)} {'-' if imag < 0 else '+'} {body}"


def _leaf_text(value: tuple[int, int]) -> str:
    return f"({gauss_text((Fraction(value[0]), Fraction(value[1])))})"


def _apply(op: str, a: Gauss, b: Gauss | int) -> Gauss:
    if op == "+":
        return a[0] + b[0], a[1] + b[1]
    if op == "-":
        return a[0] - b[0], a[1] - b[1]
    if op == "*":
        return a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]
    if op == "/":
        norm = b[0] * b[0] + b[1] * b[1]
        if norm == 0:
            raise Reject("division by zero")
        return (a[0] * b[0] + a[1] * b[1]) / norm, (a[1] * b[0] - a[0] * b[1]) / norm
    out: Gauss = (Fraction(1), Fraction(0))
    for _ in range(int(b)):
        out = _apply("*", out, a)
    return out


#: real multiplications a schoolbook evaluation spends on each operation (a power of n: n-1 products)
COST = {"+": 0, "-": 0, "*": 4, "/": 8}


def _digits(value: Gauss) -> int:
    return sum(len(str(abs(part.numerator))) + len(str(part.denominator)) for part in value)


@register
class ComplexArithmetic(Task):
    """Evaluate an expression in complex numbers exactly and write it as a + bi."""

    name, family, version = "complex_arithmetic", "math", 1
    knobs = Knobs(
        ops=Knob(int, levels=[1, 2, 2, 3, 3, 4, 4, 5, 6, 7], lo=1, hi=12, help="operations in the expression"),
        coef_max=Knob(int, levels=[9, 9, 9, 9, 9, 9, 12, 12, 12, 15], lo=2, hi=100,
                      help="parts of a number lie in -coef_max..coef_max"),
        divide=Knob(float, levels=[0.0, 0.0, 0.3, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4], lo=0.0, hi=1.0,
                    help="chance that an operation is a division"),
        power=Knob(int, levels=[1, 1, 1, 1, 2, 3, 3, 3, 3, 4], lo=1, hi=6,
                   help="largest exponent of a power (1: no powers)"),
        digit_max=Knob(int, levels=[8, 10, 10, 12, 14, 16, 18, 20, 24, 28], lo=4, hi=MAX_DIGITS,
                       help="most digits (all numerators and denominators) of any value"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        def leaf() -> tuple[tuple[int, int], Gauss, str]:
            while True:
                re_, im = (int(v) for v in rng.integers(-p.coef_max, p.coef_max + 1, 2))
                if im != 0 and (re_, im) not in ((0, 1), (0, -1)):
                    break
            return (re_, im), (Fraction(re_), Fraction(im)), _leaf_text((re_, im))

        work = 0
        operations = 0

        def build(ops: int) -> tuple[Gauss, str, str]:
            """(value, text, kind) of a tree with ``ops`` operations; kind is leaf, power or op."""
            nonlocal work, operations
            if ops == 0:
                _, value, text = leaf()
                return value, text, "leaf"
            if p.power > 1 and rng.random() < 0.3:
                exponent = int(rng.integers(2, p.power + 1))
                base, text, kind = build(ops - 1)
                if kind == "power":
                    raise Reject("a power of a power")
                value = _apply("^", base, exponent)
                work += 4 * (exponent - 1)
                text, kind = (f"{text}^{exponent}" if kind == "leaf" else f"({text})^{exponent}"), "power"
            else:
                left_ops = int(rng.integers(0, ops))
                # one sum of two numbers alone is its own degenerate answer (the numbers added)
                choices = ["-", "*", "*"] if p.ops == 1 else ["+", "-", "*", "*"]
                op = "/" if rng.random() < p.divide else str(rng.choice(choices))
                a, a_text, a_kind = build(left_ops)
                b, b_text, b_kind = build(ops - 1 - left_ops)
                value = _apply(op, a, b)
                work += COST[op]
                a_text = a_text if a_kind != "op" else f"({a_text})"
                b_text = b_text if b_kind != "op" else f"({b_text})"
                text, kind = (f"{a_text} {op} {b_text}" if op in "+-" else f"{a_text}{op}{b_text}"), "op"
            operations += 1
            if _digits(value) > p.digit_max:
                raise Reject("a value with too many digits")
            return value, text, kind

        value, expression, _ = build(p.ops)
        if value[1] == 0 or value[0] == 0 and abs(value[1]) == 1:
            raise Reject("a real or ±i result")
        answer = gauss_text(value)
        data = {"expression": expression, "real": format_rational(value[0]),
                "imag": format_rational(value[1])}
        return Problem(data, answer, float(work + operations))

    def verify(self, problem: dict, answer: str) -> Verdict:
        text = one_line(answer, "one number", MAX_ANSWER_CHARS)
        if isinstance(text, Verdict):
            return text
        text = re.sub(r"^\s*z\s*=", "", text)
        try:
            real, imag = read_number(text)
        except FormError as exc:
            return Verdict.invalid(str(exc))
        except ValueError as exc:
            return Verdict.unparseable(str(exc))
        gold = (Fraction(problem["real"]), Fraction(problem["imag"]))
        if (real, imag) == gold:
            return Verdict.ok()
        return Verdict.wrong("the real part differs" if real != gold[0] else "the imaginary part differs")

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Answers that skip the arithmetic: the first and the last number of the expression, the
        sum of all its numbers (operators ignored), and 1 + i."""
        leaves = [read_number(m) for m in re.findall(r"\(([^()]*i)\)", problem["expression"])]
        total = (sum((v[0] for v in leaves), Fraction(0)), sum((v[1] for v in leaves), Fraction(0)))
        return {"the first number": gauss_text(leaves[0]), "the last number": gauss_text(leaves[-1]),
                "the sum of the numbers": gauss_text(total), "1 + i": "1 + i"}

    def hardness(self, problem: dict) -> float:
        """Digits of the expression's numbers plus the digits of the result (what must be
        multiplied, reduced and carried)."""
        digits = len(re.findall(r"\d", problem["expression"]))
        result = sum(len(re.sub(r"\D", "", problem[k])) for k in ("real", "imag"))
        return float(digits + 2 * result)

    def instance_space(self, spec: dict) -> float | None:
        """Leaf choices times operator choices (tree shapes left out)."""
        top = lambda v: v[1] if isinstance(v, tuple) else v  # noqa: E731
        ops, coef = top(spec["ops"]), top(spec["coef_max"])
        return float(((2 * coef + 1) * 2 * coef) ** (ops + 1) * 4 ** ops)

    def _gold(self, problem: Problem) -> Gauss:
        return Fraction(problem.data["real"]), Fraction(problem.data["imag"])

    def alternative_forms(self, problem: Problem) -> list[str]:
        real, imag = self._gold(problem)
        sign = "-" if imag < 0 else "+"
        size = abs(imag)
        out = [f"${gauss_text((real, imag))}$", gauss_text((real, imag)).replace("i", "I"),
               f"z = {gauss_text((real, imag))}"]
        if size.denominator > 1:
            out.append(f"{format_rational(real)} {sign} {format_rational(size)}*i")
            out.append(f"{format_rational(real)} {sign} {size.numerator}i/{size.denominator}")
            out.append(f"{format_rational(real)} {sign} \\frac{{{size.numerator}}}{{{size.denominator}}}i")
        else:
            out.append(f"{format_rational(real)} {sign} {size.numerator}*i")
        if real.denominator > 1:
            out.append(f"{'-' if real < 0 else ''}\\frac{{{abs(real.numerator)}}}{{{real.denominator}}} "
                       f"{sign} ({format_rational(size)})i")
        return out

    def forbidden_forms(self, problem: Problem) -> list[str]:
        """The expression itself, unreduced fractions, the imaginary part first, a decimal real
        part, and p/qi where a fraction is imaginary."""
        real, imag = self._gold(problem)
        sign = "-" if imag < 0 else "+"
        size = abs(imag)
        out = [problem.data["expression"],
               f"{2 * real.numerator}/{2 * real.denominator} {sign} ({2 * size.numerator}/{2 * size.denominator})i",
               f"{'-' if imag < 0 else ''}({format_rational(size)})i + {format_rational(real)}"
               if real >= 0 else f"{'-' if imag < 0 else ''}({format_rational(size)})i - {format_rational(-real)}"]
        if size.denominator > 1:
            out.append(f"{format_rational(real)} {sign} {format_rational(size)}i")
        denominator = real.denominator
        for prime in (2, 5):
            while denominator % prime == 0:
                denominator //= prime
        if denominator == 1:
            out.append(f"{float(real)} {sign} ({format_rational(size)})i")
        return out

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        real, imag = self._gold(problem)
        return [gauss_text((real, -imag)), gauss_text((imag, real)), gauss_text((real + 1, imag)),
                gauss_text((-real, imag + 1)), f"{gauss_text((real, imag))} or {gauss_text((real, -imag))}"]
