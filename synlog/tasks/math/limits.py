"""Limits: evaluate a limit whose value is an exact rational number.

For example::

    lim_{x -> 2} (x^2 - 4)/(x^2 - 3*x + 2)      answer: 4

Three families, all with the value known by construction, each growing with the level's
``degree`` d and ``order`` m:

- ``removable``: P(x)·(x - a)^m / (Q(x)·(x - a)^m), expanded, at x -> a; P and Q of degree d
  with P(a), Q(a) != 0; the value is P(a)/Q(a).
- ``infinity``: a product of d + m linear factors, less its top m - 1 terms, over an expanded
  polynomial of degree d + 1, at x -> oo; the value is the product's next coefficient over the
  leading coefficient (for m = 1: the product of the factors' leading coefficients).
- ``taylor``: c·f(k·x) less its Taylor polynomial below degree m, plus x^m·R(x), over x^m·Q(x),
  at x -> 0, for f in sin, cos, tan, atan, exp, log(1 + ·); the value is (c·f_m·k^m + R(0))/Q(0)
  with f_m the m-th Taylor coefficient of f.

Values 0, 1 and -1 are kept only rarely (a blind "1" would otherwise pay). ``effort`` is the
work of a plain L'Hôpital solver (the operation counts of the expanded derivatives it takes
until the form is determinate); ``hardness`` counts the tokens of the shown expression.

Answer format (``form="rational"`` of the math checker): one integer or one fraction in lowest
terms (``4``, ``-3/2``, ``\\frac{3}{2}``); decimals (``1.5``), unreduced fractions, expressions
to evaluate, undefined forms (``0^0``), several candidates or an expression in x are ``invalid``.
"""

from __future__ import annotations

import re
from fractions import Fraction
from math import factorial

import numpy as np
import sympy

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.arith import format_rational
from synlog.tasks.common.forms import NumberAnswer
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.math.symbolic import X, nonzero, size, to_text

#: Taylor coefficients at 0, up to x^7, of the functions the ``taylor`` family uses
TAYLOR = {
    "sin": [Fraction((-1) ** (n // 2), factorial(n)) if n % 2 else Fraction(0) for n in range(8)],
    "cos": [Fraction(0) if n % 2 else Fraction((-1) ** (n // 2), factorial(n)) for n in range(8)],
    "exp": [Fraction(1, factorial(n)) for n in range(8)],
    "log1p": [Fraction(0)] + [Fraction((-1) ** (n + 1), n) for n in range(1, 8)],
    "tan": [Fraction(v) for v in (0, 1, 0, Fraction(1, 3), 0, Fraction(2, 15), 0, Fraction(17, 315))],
    "atan": [Fraction(0) if n % 2 == 0 else Fraction((-1) ** (n // 2), n) for n in range(8)],
}
_FUNCTIONS = {"sin": sympy.sin, "cos": sympy.cos, "exp": sympy.exp, "tan": sympy.tan,
              "atan": sympy.atan, "log1p": lambda u: sympy.log(1 + u)}
#: chance of keeping an instance whose value is 0, 1 or -1 (each would otherwise be common)
KEEP_TRIVIAL = 0.1
_TOKEN = re.compile(r"\d+|[a-z]+|[-+*/^()]")


def _poly(rng: np.random.Generator, degree: int, coef_max: int) -> list[int]:
    coefs = [int(rng.integers(-coef_max, coef_max + 1)) for _ in range(degree)]
    return [nonzero(rng, coef_max)] + coefs  # leading coefficient first, never zero


def _value(coefs: list[int], x: Fraction) -> Fraction:
    out = Fraction(0)
    for c in coefs:
        out = out * x + c
    return out


def _expr(coefs: list[int]) -> sympy.Expr:
    return sum((c * X ** i for i, c in enumerate(reversed(coefs))), sympy.Integer(0))


def _rational(value: Fraction) -> sympy.Expr:
    return sympy.Rational(value.numerator, value.denominator)


def _removable(rng: np.random.Generator, p: Params):
    a = int(rng.integers(-4, 5))
    top, bottom = _poly(rng, p.degree, p.coef_max), _poly(rng, p.degree, p.coef_max)
    while _value(bottom, Fraction(a)) == 0:
        bottom[-1] += 1
    factor = (X - a) ** p.order
    return (sympy.expand(_expr(top) * factor), sympy.expand(_expr(bottom) * factor), str(a),
            _value(top, Fraction(a)) / _value(bottom, Fraction(a)))


def _infinity(rng: np.random.Generator, p: Params):
    n = p.degree + p.order
    factors = [(nonzero(rng, min(p.coef_max, 3)), nonzero(rng, p.coef_max))
               for _ in range(n)]
    product = sympy.Mul(*(u * X + w for u, w in factors), evaluate=False)
    coefs = sympy.Poly(sympy.expand(product), X).all_coeffs()  # leading first, length n + 1
    cut = sum(int(coefs[i]) * X ** (n - i) for i in range(p.order - 1))
    bottom = _poly(rng, n - p.order + 1, p.coef_max)
    top = sympy.Add(product, -cut, evaluate=False) if p.order > 1 else product
    return top, _expr(bottom), "oo", Fraction(int(coefs[p.order - 1]), bottom[0])


def _taylor(rng: np.random.Generator, p: Params):
    m = p.order
    names = [name for name, series in TAYLOR.items() if series[m] != 0]
    name = names[int(rng.integers(len(names)))]
    c, k = nonzero(rng, p.coef_max), nonzero(rng, 3)
    series = TAYLOR[name]
    head = sum((_rational(c * series[i] * k ** i) * X ** i for i in range(m)), sympy.Integer(0))
    rest = [int(rng.integers(-p.coef_max, p.coef_max + 1)) for _ in range(p.degree)]
    below = _poly(rng, p.degree - 1, p.coef_max)
    if below[-1] == 0:
        below[-1] = nonzero(rng, p.coef_max)
    top = c * _FUNCTIONS[name](k * X) + sympy.expand(X ** m * _expr(rest) - head)
    bottom = sympy.expand(X ** m * _expr(below))
    return top, bottom, "0", (c * series[m] * k ** m + rest[-1]) / below[-1]


_FAMILIES = {"removable": _removable, "infinity": _infinity, "taylor": _taylor}


def lhopital_work(top: sympy.Expr, bottom: sympy.Expr, point: str) -> int:
    """Operations a plain L'Hôpital solver writes: it expands both sides, then differentiates
    both until the denominator no longer vanishes (at oo: until it is constant)."""
    top, bottom, work = sympy.expand(top), sympy.expand(bottom), 0
    at = None if point == "oo" else sympy.Integer(int(point))
    for _ in range(12):
        work += size(top) + size(bottom)
        done = not bottom.has(X) if at is None else bottom.subs(X, at) != 0
        if done:
            return work
        top, bottom = sympy.diff(top, X), sympy.diff(bottom, X)
    return work


@register
class Limits(NumberAnswer, Task):
    """Evaluate a limit (removable singularity, ratio at infinity, or a Taylor-series limit)."""

    name, family, version = "limits", "math", 2
    value_form = "rational"  # the prompt: "an integer or a fraction a/b"
    # Every family grows with degree and order, so mixing families in never eases a level
    # (level 3 used to be the leading-coefficient ratio alone, easier than level 1).
    knobs = Knobs(
        kinds=Knob(str, levels=["removable", "removable,infinity"] + ["removable,infinity,taylor"] * 8,
                   help="comma-separated families to draw from: removable, infinity, taylor"),
        degree=Knob(int, levels=[1, 1, 2, 2, 3, 3, 3, 4, 4, 4], lo=1, hi=6,
                    help="degree of the polynomial factors"),
        coef_max=Knob(int, levels=[5, 6, 6, 7, 7, 9, 8, 8, 9, 9], lo=1, hi=50,
                      help="largest absolute coefficient"),
        order=Knob(int, levels=[1, 1, 1, 2, 2, 2, 3, 3, 3, 4], lo=1, hi=5,
                   help="multiplicity of the cancelling factor, cancelled leading terms at oo,"
                        " or the Taylor order at 0"),
    )

    def check_params(self, params: Params) -> None:
        from synlog.errors import KnobError

        unknown = set(params.kinds.split(",")) - set(_FAMILIES)
        if unknown:
            raise KnobError(f"unknown limit families {sorted(unknown)}; use {', '.join(_FAMILIES)}")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        kinds = p.kinds.split(",")
        for _ in range(16):
            kind = kinds[int(rng.integers(len(kinds)))]
            top, bottom, point, value = _FAMILIES[kind](rng, p)
            if value not in (0, 1, -1) or rng.random() < KEEP_TRIVIAL:
                break
        else:
            raise Reject("only trivial values drawn")
        expression = f"({to_text(top)})/({to_text(bottom)})"
        gold = format_rational(value)
        data = {"expression": expression, "point": point, "value": gold}
        return Problem(data, gold, float(lhopital_work(top, bottom, point)))

    def hardness(self, problem: dict) -> float:
        """Tokens of the shown expression (numbers, names, operators, brackets)."""
        return float(len(_TOKEN.findall(problem["expression"])))

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        value = Fraction(problem.data["value"])
        wrong = [format_rational(value + 1), format_rational(value * 2 if value else Fraction(1)),
                 f"{format_rational(value)} or {format_rational(value + 1)}", "oo"]
        if value:
            wrong.append(format_rational(1 / value) if abs(value) != 1 else format_rational(value + 2))
        return wrong
