"""Limits: evaluate a limit whose value is an exact rational number.

For example::

    lim_{x -> 2} (x^2 - 4)/(x^2 - 3*x + 2)      answer: 4

Three families, all with the value known by construction: a removable singularity
(P(x)·(x - a)^m / (Q(x)·(x - a)^m) at x -> a, value P(a)/Q(a) with Q(a) != 0), a ratio of two
polynomials of equal degree at x -> oo (ratio of leading coefficients), and
sin(k*x)/(m*x) or (1 - cos(k*x))/(m*x^2) at x -> 0. The value is computed with Fractions.

Answer format (``form="rational"`` of the math checker): one integer or one fraction in lowest
terms (``4``, ``-3/2``, ``\\frac{3}{2}``); decimals (``1.5``), unreduced fractions, expressions
to evaluate, undefined forms (``0^0``), several candidates or an expression in x are ``invalid``.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy

from synlog.synth.knobs import Knob, Knobs, Params
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.arith import format_rational
from synlog.tasks.common.forms import NumberAnswer
from synlog.tasks.math.symbolic import X, nonzero, to_text


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


@register
class Limits(NumberAnswer, Task):
    """Evaluate a limit (removable singularity, ratio at infinity, or a trigonometric limit)."""

    name, family, version = "limits", "math", 1
    value_form = "rational"  # the prompt: "an integer or a fraction a/b"
    knobs = Knobs(
        kinds=Knob(str, levels=["removable", "removable", "infinity", "removable,infinity",
                                "removable,infinity,trig"] + ["removable,infinity,trig"] * 5,
                   help="comma-separated families to draw from"),
        degree=Knob(int, levels=[1, 1, 1, 2, 2, 2, 3, 3, 4, 4], lo=1, hi=8,
                    help="degree of the polynomial factors"),
        coef_max=Knob(int, levels=[3, 5, 5, 5, 6, 7, 8, 9, 9, 9], lo=1, hi=50,
                      help="largest absolute coefficient"),
        order=Knob(int, levels=[1, 1, 1, 1, 1, 2, 2, 2, 3, 3], lo=1, hi=4,
                   help="multiplicity m of the cancelling factor (x - a)^m"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        kinds = p.kinds.split(",")
        kind = kinds[int(rng.integers(len(kinds)))]
        if kind == "removable":
            a = int(rng.integers(-5, 6))
            top, bottom = _poly(rng, p.degree - 1, p.coef_max), _poly(rng, p.degree, p.coef_max)
            while _value(bottom, Fraction(a)) == 0:
                bottom[-1] += 1
            value = _value(top, Fraction(a)) / _value(bottom, Fraction(a))
            factor = (X - a) ** p.order
            expression = (f"({to_text(sympy.expand(_expr(top) * factor))})"
                          f"/({to_text(sympy.expand(_expr(bottom) * factor))})")
            point, effort = str(a), 2 * p.degree + 2 * p.order
        elif kind == "infinity":
            top, bottom = _poly(rng, p.degree, p.coef_max), _poly(rng, p.degree, p.coef_max)
            value = Fraction(top[0], bottom[0])
            expression = f"({to_text(_expr(top))})/({to_text(_expr(bottom))})"
            point, effort = "oo", 2 * p.degree + 1
        else:
            k, m = nonzero(rng, p.coef_max), nonzero(rng, p.coef_max)
            if rng.random() < 0.5:
                value, expression = Fraction(k, m), f"sin({k}*x)/({m}*x)"
            else:
                value, expression = Fraction(k * k, 2 * m), f"(1 - cos({k}*x))/({m}*x^2)"
            point, effort = "0", 3 + p.order
        gold = format_rational(value)
        data = {"expression": expression, "point": point, "value": gold}
        return Problem(data, gold, float(effort))

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        value = Fraction(problem.data["value"])
        wrong = [format_rational(value + 1), format_rational(value * 2 if value else Fraction(1)),
                 f"{format_rational(value)} or {format_rational(value + 1)}", "oo"]
        if value:
            wrong.append(format_rational(1 / value) if abs(value) != 1 else format_rational(value + 2))
        return wrong
