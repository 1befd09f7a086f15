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


def distinct_terms_function(rng: np.random.Generator, terms: int, coef_max: int, depth: int,
                            attempts: int = 200) -> sympy.Expr:
    """A sum of ``terms`` random terms (as :func:`random_term` draws them) that never merge or
    cancel: no two share their non-numeric part, so the sum has exactly ``terms`` summands.

    Raises ValueError when ``attempts`` draws cannot find enough distinct terms (at depth 0 only
    the powers x..x^4 exist, so at most 4 terms).
    """
    chosen: dict[sympy.Expr, sympy.Expr] = {}
    for _ in range(attempts):
        if len(chosen) == terms:
            break
        term = random_term(rng, coef_max, depth)
        shape = term.as_coeff_Mul()[1]
        if shape not in chosen and term.has(X):
            chosen[shape] = term
    if len(chosen) < terms:
        raise ValueError(f"could not draw {terms} distinct terms at depth {depth}")
    return sympy.Add(*chosen.values())


def rule_applications(expr: sympy.Expr) -> int:
    """Rules a plain recursive differentiator applies to ``expr``: one per node that depends on
    x (sum, product, power and chain rules), none for constants; an instance-difficulty measure
    independent of the size of the result."""
    if not expr.has(X):
        return 0
    return 1 + sum(rule_applications(arg) for arg in expr.args)


def polynomial_space(terms, coef_max) -> float:
    """Distinct depth-0 functions of :func:`distinct_terms_function`: ``terms`` of the powers
    x..x^4, each with a nonzero coefficient in -coef_max..coef_max (knob ranges summed over)."""
    from math import comb

    spans = [value if isinstance(value, tuple) else (value, value) for value in (terms, coef_max)]
    return float(sum(comb(4, t) * (2 * c) ** t for t in range(spans[0][0], spans[0][1] + 1)
                     for c in range(spans[1][0], spans[1][1] + 1)))


def from_text(text: str) -> sympy.Expr:
    """Text that :func:`to_text` printed (a generator's own, never a model's answer) read back."""
    return sympy.sympify(text.replace("^", "**"), locals={"x": X})


class DistinctTermsLadder:
    """The knob checks, instance-space size and warm-up shared by the tasks whose function is
    :func:`distinct_terms_function` of knobs ``terms``, ``coef_max`` and ``depth``."""

    def check_params(self, params) -> None:
        from synlog.errors import KnobError

        if params.depth == 0 and params.terms > 4:
            raise KnobError(f"depth=0 has only the powers x..x^4, so at most 4 distinct terms;"
                            f" got terms={params.terms}: lower terms or raise depth")

    def instance_space(self, spec: dict) -> float | None:
        """Exact for polynomials (depth 0); None where the term families make it vast."""
        return polynomial_space(spec["terms"], spec["coef_max"]) if spec["depth"] == 0 else None

    def warm_up(self) -> None:
        from synlog.verifiers.sympy_worker import shared_worker

        shared_worker().start()
