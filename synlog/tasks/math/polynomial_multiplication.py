"""Polynomial multiplication: expand a product of integer polynomials.

For example::

    (2*x - 3)*(x^2 + 4*x - 1)          answer: 2*x^3 + 5*x^2 - 14*x + 3

Each factor is drawn as a sum of 2 or more monomials (in ``x``, and from level 7 in ``x`` and
``y``) of total degree at most ``degree``, with nonzero integer coefficients. The gold is the
product computed exactly on coefficient dictionaries (exponent tuple -> integer), printed with
``*`` and ``^``, terms by descending total degree then descending power of ``x``.

Answer format: the expanded polynomial on one line: a sum of terms, each an optional sign, an
optional integer coefficient and a product of powers of the variables (``3x^2y``,
``3*x^2*y``, ``x**2``, ``x^{2}`` are all read), terms in any order. The answer is read by the
shared parser into a tree (no eval, no sympy) and checked to *be* in expanded form, then its
coefficients are compared with the gold's exactly. ``invalid``: a bracketed sum anywhere (a
factored or partly expanded form), a power of a sum, like terms not combined (``x^2 + 2x^2``),
a variable repeated inside a term (``x*x``), a zero term, a decimal, a fraction or a coefficient
that is itself a product (``2*3*x``), several lines, a hedge. A polynomial ``p(x) = ...`` may
be named. No partial credit.
"""

from __future__ import annotations

import math
import re

import numpy as np

from synlog.tasks.base import Problem, Task, register
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.math._one_line import one_line
from synlog.verifiers.math_parse import AmbiguousForm, MathParseError, Node, parse_expression
from synlog.verifiers.verdict import Verdict

MAX_ANSWER_CHARS = 2_000
MAX_EXPONENT = 200
MAX_TERMS = 300
MAX_DIGITS = 200

#: a polynomial, as ``{(power of x, power of y): coefficient}`` with no zero coefficient
Poly = dict[tuple[int, int], int]

_NAME = re.compile(r"^\s*[A-Za-z]{1,3}\s*(?:\(\s*[xy]\s*(?:,\s*[xy]\s*)?\))?\s*=(?!=)")


class NotExpanded(ValueError):
    """The answer is readable but not an expanded polynomial (an ``invalid`` answer)."""


def multiply(a: Poly, b: Poly) -> Poly:
    out: Poly = {}
    for (i, j), c in a.items():
        for (k, m), d in b.items():
            key = (i + k, j + m)
            out[key] = out.get(key, 0) + c * d
    return {k: v for k, v in out.items() if v}


def _order(key: tuple[int, int]) -> tuple[int, int]:
    return (-(key[0] + key[1]), -key[0])


def monomial_text(key: tuple[int, int], star: str = "*") -> str:
    parts = []
    for name, power in zip("xy", key, strict=True):
        if power:
            parts.append(name if power == 1 else f"{name}^{power}")
    return star.join(parts)


def poly_text(poly: Poly, star: str = "*", reverse: bool = False) -> str:
    """``2*x^3 - x*y + 5`` (``star=""``: ``2x^3 - xy + 5``)."""
    keys = sorted(poly, key=_order, reverse=reverse)
    out = ""
    for n, key in enumerate(keys):
        c = poly[key]
        mono = monomial_text(key, star)
        body = str(abs(c)) if not mono else (mono if abs(c) == 1 else f"{abs(c)}{star}{mono}")
        if n == 0:
            out = ("-" if c < 0 else "") + body
        else:
            out += (" - " if c < 0 else " + ") + body
    return out


def _terms(node: Node, sign: int, out: list[tuple[int, Node]]) -> None:
    """Flatten a left-associated chain of + and - into (sign, term) pairs."""
    while node[0] in ("add", "sub"):
        right = node[2]
        if right[0] in ("add", "sub"):
            raise NotExpanded("a bracketed sum is not expanded")
        out.append((sign if node[0] == "add" else -sign, right))
        node = node[1]
    out.append((sign, node))


def _factors(node: Node, out: list[Node]) -> None:
    while node[0] == "mul":
        _factors(node[2], out)
        node = node[1]
    out.append(node)


def _integer(node: Node) -> int:
    text = node[1]
    if "." in text:
        raise NotExpanded("write integer coefficients, not decimals")
    if len(text) > MAX_DIGITS:
        raise NotExpanded("a coefficient too long")
    return int(text)


def _monomial(node: Node, sign: int, variables: tuple[str, ...]) -> tuple[tuple[int, int], int]:
    if node[0] == "neg":
        sign, node = -sign, node[1]
        if node[0] in ("neg", "add", "sub"):
            raise NotExpanded("one sign per term, no brackets")
    factors: list[Node] = []
    _factors(node, factors)
    if factors[-1][0] == "neg":  # the parser binds a leading minus to the first factor: -3*x is (-3)*x
        sign, factors[-1] = -sign, factors[-1][1]
        if factors[-1][0] == "neg":
            raise NotExpanded("one sign per term, in front of it")
    coefficient: int | None = None
    powers = [0, 0]
    for factor in factors:
        kind = factor[0]
        if kind == "num":
            if coefficient is not None:
                raise NotExpanded("a term has one integer coefficient, not a product of numbers")
            coefficient = _integer(factor)
            continue
        if kind == "pow":
            base, exponent = factor[1], factor[2]
            if base[0] != "sym":
                raise NotExpanded("only a variable may be raised to a power in an expanded polynomial")
            if exponent[0] != "num" or "." in exponent[1] or len(exponent[1]) > 4:
                raise NotExpanded("an exponent is one positive integer")
            name, power = base[1], int(exponent[1])
            if not 1 <= power <= MAX_EXPONENT:
                raise NotExpanded(f"an exponent is an integer from 1 to {MAX_EXPONENT}")
        elif kind == "sym":
            name, power = factor[1], 1
        elif kind in ("add", "sub"):
            raise NotExpanded("a product with a bracketed sum is not expanded")
        elif kind == "div":
            raise NotExpanded("write integer coefficients, no fractions")
        elif kind == "neg":
            raise NotExpanded("one sign per term, in front of it")
        else:
            raise NotExpanded("not a polynomial in " + ", ".join(variables))
        index = variables.index(name)
        if powers[index]:
            raise NotExpanded(f"{name} appears twice in a term: combine the powers")
        powers[index] = power
    value = sign * (1 if coefficient is None else coefficient)
    if value == 0:
        raise NotExpanded("drop terms whose coefficient is 0")
    return (powers[0], powers[1]), value


def read_expanded(text: str, variables: tuple[str, ...]) -> Poly:
    """The polynomial an expanded answer writes. Raises :class:`NotExpanded` (readable, not
    expanded) or :class:`MathParseError` (not readable)."""
    node = parse_expression(text, variables)
    pairs: list[tuple[int, Node]] = []
    _terms(node, 1, pairs)
    if len(pairs) > MAX_TERMS:
        raise NotExpanded(f"more than {MAX_TERMS} terms")
    poly: Poly = {}
    for sign, term in pairs:
        key, value = _monomial(term, sign, variables)
        if key in poly:
            raise NotExpanded("like terms are not combined")
        poly[key] = value
    return poly


def _draw_factor(rng: np.random.Generator, p: Params) -> Poly:
    monomials = [(i, j) for i in range(p.degree + 1) for j in range(p.degree + 1 - i)
                 if p.variables == 2 or j == 0]
    count = int(rng.integers(2, min(p.terms, len(monomials)) + 1))
    while True:
        chosen = [monomials[int(k)] for k in rng.choice(len(monomials), count, replace=False)]
        if any(sum(key) > 0 for key in chosen):
            break
    return {key: int(rng.integers(1, p.coef_max + 1)) * (1 if rng.random() < 0.5 else -1) for key in chosen}


def factor_texts(product: str) -> list[str]:
    """The factors of a printed product ``(a)*(b)*(c)``."""
    return product[1:-1].split(")*(")


def naive_multiplications(factors: list[Poly]) -> int:
    """Coefficient products a left-to-right schoolbook expansion performs."""
    work, acc = 0, factors[0]
    for factor in factors[1:]:
        work += len(acc) * len(factor)
        acc = multiply(acc, factor)
    return work


@register
class PolynomialMultiplication(Task):
    """Expand a product of integer polynomials into a sum of monomials."""

    name, family, version = "polynomial_multiplication", "math", 1
    knobs = Knobs(
        factors=Knob(int, levels=[2, 2, 2, 3, 3, 3, 3, 3, 4, 4], lo=2, hi=6, help="factors in the product"),
        degree=Knob(int, levels=[1, 2, 2, 2, 2, 3, 2, 3, 3, 3], lo=1, hi=6,
                    help="largest total degree of a factor"),
        terms=Knob(int, levels=[2, 3, 3, 3, 3, 4, 4, 4, 4, 4], lo=2, hi=8, help="most terms of a factor"),
        coef_max=Knob(int, levels=[5, 5, 9, 5, 9, 9, 9, 9, 9, 12], lo=1, hi=100,
                      help="coefficients of a factor lie in ±1..coef_max"),
        variables=Knob(int, levels=[1, 1, 1, 1, 1, 1, 2, 2, 2, 2], lo=1, hi=2, help="x, or x and y"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        factors = [_draw_factor(rng, p) for _ in range(p.factors)]
        product = factors[0]
        for factor in factors[1:]:
            product = multiply(product, factor)
        names = ["x", "y"][: p.variables]
        expression = "*".join(f"({poly_text(f)})" for f in factors)
        answer = poly_text(product)
        data = {"product": expression, "variables": names, "expanded": answer}
        return Problem(data, answer, float(naive_multiplications(factors)))

    def verify(self, problem: dict, answer: str) -> Verdict:
        text = one_line(answer, "one polynomial", MAX_ANSWER_CHARS)
        if isinstance(text, Verdict):
            return text
        text = _NAME.sub("", text, count=1)
        if "=" in text:
            return Verdict.invalid("write the expanded polynomial only")
        variables = tuple(problem["variables"])
        try:
            poly = read_expanded(text.rstrip("."), variables)
            gold = read_expanded(problem["expanded"], variables)
        except AmbiguousForm as exc:
            return Verdict.invalid(str(exc))
        except NotExpanded as exc:
            return Verdict.invalid(f"not an expanded polynomial: {exc}")
        except (MathParseError, RecursionError) as exc:
            return Verdict.unparseable(str(exc)[:200])
        return Verdict.ok() if poly == gold else Verdict.wrong("a coefficient differs")

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Answers that skip the expansion: the product as written, its first factor, the sum of
        the factors, the product of the leading terms alone."""
        factors = factor_texts(problem["product"])
        variables = tuple(problem["variables"])
        polys = [read_expanded(f, variables) for f in factors]
        total: Poly = {}
        for poly in polys:
            for key, value in poly.items():
                total[key] = total.get(key, 0) + value
        total = {k: v for k, v in total.items() if v}
        leading: Poly = {(0, 0): 1}
        for poly in polys:
            key = min(poly, key=_order)
            leading = multiply(leading, {key: poly[key]})
        out = {"the product as written": problem["product"], "the first factor": factors[0],
               "the leading terms' product": poly_text(leading)}
        if total:
            out["the sum of the factors"] = poly_text(total)
        return out

    def hardness(self, problem: dict) -> float:
        """Terms of the expanded product times its total degree (what must be collected)."""
        poly = read_expanded(problem["expanded"], tuple(problem["variables"]))
        return float(len(poly) * max(sum(k) for k in poly))

    def instance_space(self, spec: dict) -> float | None:
        """Coefficient choices of every factor's terms (monomial choices left out)."""
        top = lambda v: v[1] if isinstance(v, tuple) else v  # noqa: E731
        factors, degree, terms, coef = (top(spec[k]) for k in ("factors", "degree", "terms", "coef_max"))
        monomials = math.comb(degree + 2, 2) if top(spec["variables"]) == 2 else degree + 1
        per_factor = math.comb(monomials, min(terms, monomials)) * (2 * coef) ** min(terms, monomials)
        return float(per_factor ** factors)

    def alternative_forms(self, problem: Problem) -> list[str]:
        variables = tuple(problem.data["variables"])
        gold = read_expanded(problem.data["expanded"], variables)
        plain = poly_text(gold, star="")
        name = "p(x, y)" if len(variables) == 2 else "p(x)"
        return [plain, poly_text(gold, reverse=True), problem.data["expanded"].replace("^", "**"),
                f"{name} = {problem.data['expanded']}", "$" + re.sub(r"\^(\d+)", r"^{\1}", plain) + "$",
                problem.data["expanded"] + "."]

    def forbidden_forms(self, problem: Problem) -> list[str]:
        """The product as written, partly expanded forms, like terms left apart, a decimal."""
        data = problem.data
        variables = tuple(data["variables"])
        gold = read_expanded(data["expanded"], variables)
        factors = [read_expanded(f, variables) for f in factor_texts(data["product"])]
        out = [data["product"], data["product"].replace(")*(", ")(")]
        if len(factors) > 2:
            out.append(f"({poly_text(multiply(factors[0], factors[1]))})*"
                       + "*".join(f"({poly_text(f)})" for f in factors[2:]))
        key = min(gold, key=_order)
        split = dict(gold)
        c = split.pop(key)
        mono = monomial_text(key)
        rest = poly_text(split) if split else ""
        first = f"{c + 1}*{mono} - {mono}" if mono else f"{c + 1} - 1"
        out.append(first + (f" + {rest}" if rest else "").replace("+ -", "- "))
        out.append(re.sub(r"(?<![\^\d])(\d+)\*", r"\1.0*", data["expanded"], count=1)
                   if re.search(r"(?<![\^\d])\d+\*", data["expanded"]) else data["expanded"] + " + 0.0")
        return out

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        variables = tuple(problem.data["variables"])
        gold = read_expanded(problem.data["expanded"], variables)
        keys = sorted(gold, key=_order)
        wrong = []
        for change in ({keys[-1]: gold[keys[-1]] + 1}, {keys[0]: -gold[keys[0]]}):
            poly = {**gold, **change}
            wrong.append(poly_text({k: v for k, v in poly.items() if v}))
        if len(keys) > 1:
            wrong.append(poly_text({k: v for k, v in gold.items() if k != keys[len(keys) // 2]}))
        wrong.append(poly_text(multiply(gold, {(1, 0): 1})))
        return wrong
