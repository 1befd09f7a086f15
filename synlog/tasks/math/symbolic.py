"""Helpers shared by the sympy-generated math tasks: random expressions and their printing.

Gold answers and prompts print expressions with :func:`to_text` (sympy's string form with
``^`` for powers: ``3*x^2*sin(x)``), which the math answer checker reads back exactly::

    f = random_function(rng, terms=2, depth=1)     # e.g. 3*x^2 + sin(2*x)
    to_text(sympy.diff(f, X))                      # '6*x + 2*cos(2*x)'
"""

from __future__ import annotations

import numpy as np
import sympy

X = sympy.Symbol("x")


def to_text(expr: sympy.Expr) -> str:
    """sympy's plain string with ``^`` for powers (what prompts show and gold answers hold)."""
    return sympy.sstr(expr).replace("**", "^")


def nonzero(rng: np.random.Generator, bound: int) -> int:
    """A random integer in ``-bound..bound`` other than 0."""
    value = int(rng.integers(1, bound + 1))
    return value if rng.random() < 0.5 else -value


def _inner(rng: np.random.Generator, coef_max: int) -> sympy.Expr:
    """A small argument for a function: ``a*x`` or ``x^2 + b``."""
    if rng.random() < 0.6:
        return nonzero(rng, min(coef_max, 4)) * X
    return X ** 2 + int(rng.integers(1, coef_max + 1))


def random_term(rng: np.random.Generator, coef_max: int, depth: int) -> sympy.Expr:
    """One term: a power of x, or (at depth >= 1) a function of a small argument, or a product."""
    coef = nonzero(rng, coef_max)
    power = X ** int(rng.integers(1, 5))
    if depth == 0:
        return coef * power
    kinds = ["sin", "cos", "exp", "power"] + (["product", "log"] if depth >= 2 else [])
    kind = kinds[int(rng.integers(len(kinds)))]
    if kind == "power":
        return coef * power
    if kind == "log":
        return coef * sympy.log(X)
    function = {"sin": sympy.sin, "cos": sympy.cos, "exp": sympy.exp}.get(kind)
    if function is not None:
        return coef * function(_inner(rng, coef_max))
    return coef * X ** int(rng.integers(1, 3)) * random_term(rng, coef_max, depth - 1) / coef


def random_function(rng: np.random.Generator, terms: int, coef_max: int, depth: int) -> sympy.Expr:
    """A sum of ``terms`` distinct random terms."""
    out = sympy.Integer(0)
    for _ in range(terms):
        out += random_term(rng, coef_max, depth)
    return out


def size(expr: sympy.Expr) -> int:
    """Operation count: the effort measure for symbolic tasks."""
    return int(sympy.count_ops(expr)) + 1
