"""Shared pieces of the function tasks (``function_extrema``, ``function_intersections``,
``function_zeros_count``): integer polynomials built from chosen roots, exact values and lists
of them printed the way the math checker reads them back, and the verdict for a set of values::

    roots = [sympy.Integer(2), *irrational_pair(rng, 5, halves=False)[1]]   # 2, 1 - sqrt(3), 1 + sqrt(3)
    show(2 * X**3 - 3 * X**2 + 1)          # '2*x^3 - 3*x^2 + 1'
    values_text(roots)                      # '1 - sqrt(3), 1 + sqrt(3), 2' (sorted by value)

Every value is a sympy number (rational, or ``a + b*sqrt(k)``), so golds stay exact; floats are
used only to order values already known to be distinct.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import numpy as np
import sympy

from synlog.errors import Reject
from synlog.tasks.math.polynomial_roots import net_fraction
from synlog.tasks.math.symbolic import X, to_text
from synlog.verifiers.math_answer import check
from synlog.verifiers.verdict import Verdict

#: x-values a gold of one or two values may not hold: the constants and exponents (2 of x^2, of
#: 1/2 in an example) a guess picks first, which would earn half the partial credit
SMALL_VALUES = (-2, -1, 0, 1, 2)
#: radicands of irrational roots: no squares, small enough to compute by hand
RADICANDS = (2, 3, 5, 6, 7, 10, 11, 13)


def show(expr: sympy.Expr) -> str:
    """A polynomial expanded and printed plainly: ``2*x^3 - 3*x^2 + 1``."""
    return to_text(sympy.expand(expr))


def numeric(value: sympy.Expr) -> float:
    """A float of an exact value, only for ordering values known to differ."""
    return float(sympy.N(value, 30))


def values_text(values: Iterable[sympy.Expr]) -> str:
    """Exact values sorted by size, separated by ``, `` (the gold of a set answer)."""
    return ", ".join(to_text(v) for v in sorted(values, key=numeric))


def rational_root(rng: np.random.Generator, root_max: int, fractions: bool) -> sympy.Rational:
    """A root p (|p| <= root_max) or, where fractions are allowed and 40 % of the time, p/q with
    q in 2..3 and the fraction in lowest terms not an integer."""
    if fractions and rng.random() < 0.4:
        q = int(rng.integers(2, 4))
        while True:
            p = int(rng.integers(-root_max * q + 1, root_max * q))
            if p % q:
                return sympy.Rational(p, q)
    return sympy.Integer(int(rng.integers(-root_max, root_max + 1)))


def irrational_pair(rng: np.random.Generator, root_max: int, halves: bool) -> tuple[sympy.Expr, list[sympy.Expr]]:
    """An integer quadratic factor with two irrational roots, and the roots: p ± sqrt(k)
    (``x^2 - 2p*x + p^2 - k``) or, with ``halves``, (m ± sqrt(k))/2 (``4x^2 - 4m*x + m^2 - k``)."""
    k = int(rng.choice(RADICANDS))
    if halves:
        m = int(rng.integers(-2 * root_max + 3, 2 * root_max - 2))
        return 4 * X**2 - 4 * m * X + m * m - k, [(m - sympy.sqrt(k)) / 2, (m + sympy.sqrt(k)) / 2]
    p = int(rng.integers(-root_max + 2, root_max - 1))
    return X**2 - 2 * p * X + p * p - k, [p - sympy.sqrt(k), p + sympy.sqrt(k)]


def linear_factor(root: sympy.Rational) -> sympy.Expr:
    """The integer factor ``q*x - p`` whose root is ``p/q``."""
    return root.q * X - root.p


def factored(rng: np.random.Generator, degree: int, root_max: int, *, fractions: bool, irrational: str,
             traps: bool) -> tuple[sympy.Expr, list[sympy.Expr]]:
    """A product of integer factors of total ``degree`` and its distinct real roots.

    Factors: ``q*x - p`` for distinct rational roots (:func:`rational_root`); with ``irrational``
    (``sqrt`` or ``half``) a quadratic with roots p ± sqrt(k) or (m ± sqrt(k))/2, 70 % of the time;
    with ``traps`` (degree >= 3, 60 % of the time) either a squared linear factor (a double
    root) or ``x^2 + k`` (no real root). Raises Reject when two roots coincide."""
    factors: list[sympy.Expr] = []
    roots: list[sympy.Expr] = []
    remaining = degree
    if traps and remaining >= 3 and rng.random() < 0.6:
        if rng.random() < 0.6:
            root = rational_root(rng, root_max, fractions)
            factors.append(linear_factor(root) ** 2)
            roots.append(root)
        else:
            factors.append(X**2 + int(rng.integers(1, 10)))
        remaining -= 2
    if irrational != "none" and remaining >= 2 and rng.random() < 0.7:
        factor, pair = irrational_pair(rng, root_max, halves=irrational == "half" and rng.random() < 0.5)
        factors.append(factor)
        roots += pair
        remaining -= 2
    while remaining:
        root = rational_root(rng, root_max, fractions)
        if any(root == r for r in roots):
            continue
        factors.append(linear_factor(root))
        roots.append(root)
        remaining -= 1
    if len({numeric(r) for r in roots}) != len(roots):  # the irrational pair met a rational root
        raise Reject("two roots coincide")
    return sympy.Mul(*factors), roots


def primitive(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` times the positive rational that makes its coefficients coprime integers."""
    coefficients = sympy.Poly(sympy.expand(expr), X).all_coeffs()
    denominators = math.lcm(*(sympy.Rational(c).q for c in coefficients))
    scaled = [int(sympy.Rational(c) * denominators) for c in coefficients]
    content = math.gcd(*scaled)
    return sympy.expand(expr * denominators / content)


def largest_coefficient(text: str) -> int:
    """The number of digits of the longest integer printed in ``text`` (excluding exponents)."""
    return max((len(c) for c in re.findall(r"(?<![\^\d])\d+", text)), default=1)


def set_verdict(gold: str, answer: str) -> Verdict:
    """A set of exact x-values (any order, each once, ``x = ...`` items allowed); a wrong list's
    ``details["fraction"]`` is right values minus wrong ones over the gold's count, at least 0,
    so a list padded with guesses earns nothing for its lucky hits."""
    verdict = check(gold, answer, kind="set", variables=("x",), form="exact")
    if "fraction" in verdict.details:
        verdict.details["fraction"] = net_fraction(gold, answer, verdict.details["fraction"])
    return verdict
