"""Polynomial roots: list every real root of an integer polynomial, repeated by multiplicity.

For example::

    x^3 - 3*x^2 + 4 = (x + 1)(x - 2)^2      answer: -1, 2, 2

The polynomial is built from its roots: rational roots p/q as factors (q*x - p) raised to a
multiplicity, and at higher levels an irreducible quadratic x^2 - k (k not a square: roots
±sqrt(k)) or x^2 + k (no real roots), times a leading coefficient; sympy expands it. The
gold multiset of roots is therefore known exactly.

Answer format: the real roots separated by commas, in any order, each written as many times
as its multiplicity (``-1, 2, 2``); braces allowed; ``x = ...`` items allowed. A missing or
extra repetition is wrong ("wrong multiplicities"); roots are compared exactly (``sqrt(8)``
equals ``2*sqrt(2)``); decimals are read exactly, so ``1.414`` is not ``sqrt(2)``. A wrong
list reports ``details["fraction"]`` = (roots right − roots wrong) / roots, at least 0.
Level 1 is a quadratic (a linear polynomial prints its own root); roots range over ±20 so a
guessed number is rarely one of them.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import numpy as np
import sympy

from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.arith import format_rational
from synlog.tasks.common.forms import exact_forbidden
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.math.symbolic import X, to_text
from synlog.verifiers.math_answer import check
from synlog.verifiers.math_parse import clean, enclosed, split_top
from synlog.verifiers.sympy_worker import shared_worker
from synlog.verifiers.verdict import Verdict

#: leading coefficients, drawn uniformly
LEADING = (1, -1, 2, -2, 3, -3)


def _count_items(answer: str) -> int:
    """How many roots an answer lists, split the way the math checker splits a list."""
    text = clean(answer).strip()
    if text[:1] in "{[(" and text[-1:] in "}])" and enclosed(text):
        text = text[1:-1]
    return len([part for part in split_top(text, ",;") if part.strip()])


def net_fraction(gold: str, answer: str, matched_share: float) -> float:
    """Partial credit for a wrong root list: roots right minus roots wrong, over the gold's count
    (``1 - |gold Δ answer| / |gold|``, at least 0). The checker reports ``matched / max(gold,
    answer)``, which pays a list padded with guesses for every root it happens to contain; here
    each wrong root cancels a right one, so a list of guessed numbers earns nothing for its lucky
    hits and a single right root of ``n`` earns ``1/n``."""
    golds, answers = len(gold.split(", ")), _count_items(answer)
    matched = round(matched_share * max(golds, answers))
    if not 0 <= matched <= min(golds, answers):  # the count disagrees with the checker's
        return 0.0
    return max(0, 2 * matched - answers) / golds


@register
class PolynomialRoots(Task):
    """Find all real roots of an integer polynomial, each repeated by its multiplicity."""

    name, family, version = "polynomial_roots", "math", 2
    knobs = Knobs(
        # level 1 is a quadratic: a linear p(x) = x - 3 printed its own root
        distinct=Knob(int, levels=[2, 2, 3, 3, 3, 3, 3, 4, 4, 4], lo=1, hi=8,
                      help="distinct rational roots"),
        max_multiplicity=Knob(int, levels=[1, 2, 1, 2, 2, 2, 2, 2, 3, 3], lo=1, hi=4,
                              help="largest multiplicity of a rational root"),
        root_max=Knob(int, levels=[20, 20, 20, 20, 20, 20, 20, 20, 20, 20], lo=1, hi=50,
                      help="rational roots have numerators in -root_max..root_max"),
        denominators=Knob(bool, levels=[False] * 4 + [True] * 6, help="roots may be fractions p/q"),
        quadratic=Knob(str, levels=["none"] * 5 + ["irrational", "mixed", "mixed", "mixed", "mixed"],
                       choices=["none", "irrational", "mixed"],
                       help="add x^2 - k (roots ±sqrt(k)); mixed: or x^2 + k (no real roots)"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        roots: dict[Fraction, int] = {}
        while len(roots) < p.distinct:
            q = int(rng.integers(1, 4)) if p.denominators and rng.random() < 0.4 else 1
            roots[Fraction(int(rng.integers(-p.root_max, p.root_max + 1)), q)] = int(
                rng.integers(1, p.max_multiplicity + 1))
        poly = sympy.Integer(int(rng.choice(LEADING)))
        gold: list[str] = []
        for root, multiplicity in sorted(roots.items()):
            poly *= (root.denominator * X - root.numerator) ** multiplicity
            gold += [format_rational(root)] * multiplicity
        kind = p.quadratic
        if kind == "mixed":
            kind = "irrational" if rng.random() < 0.5 else "complex"
        if kind == "irrational":
            k = int(rng.choice([2, 3, 5, 6, 7, 8, 10, 11, 12, 13]))
            poly *= X ** 2 - k
            gold += [f"-sqrt({k})", f"sqrt({k})"]
        elif kind == "complex":
            poly *= X ** 2 + int(rng.integers(1, 10))
        expanded = sympy.expand(poly)
        degree = int(sympy.degree(expanded, X))
        answer = ", ".join(gold)
        data = {"polynomial": to_text(expanded), "roots": answer, "degree": degree}
        return Problem(data, answer, float(degree * (1 + len(roots))))

    def warm_up(self) -> None:
        shared_worker().start()

    def verify(self, problem: dict, answer: str) -> Verdict:
        verdict = check(problem["roots"], answer, kind="multiset", variables=("x",), form="exact")
        if "fraction" in verdict.details:
            verdict.details["fraction"] = net_fraction(problem["roots"], answer, verdict.details["fraction"])
        return verdict

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Root lists that need no algebra: ±1 (the first candidates of the rational root test),
        the degree's worth of 1s, and 1..degree."""
        degree = int(problem["degree"])
        return {"1, -1": "1, -1", "1 repeated to the degree": ", ".join(["1"] * degree),
                "1 to the degree": ", ".join(str(k) for k in range(1, degree + 1))}

    def hardness(self, problem: dict) -> float:
        """The size of the search: the degree times the digits of the largest coefficient (the
        rational-root candidates grow with the constant and the leading coefficient)."""
        coefficients = [len(c) for c in re.findall(r"(?<![\^\d])\d+", problem["polynomial"])]
        return float(int(problem["degree"]) * (1 + max(coefficients, default=1)))

    def instance_space(self, spec: dict) -> float | None:
        """Root sets and multiplicities, times leading coefficients and the quadratic factor."""
        distinct, multiplicity, top = spec["distinct"], spec["max_multiplicity"], spec["root_max"]
        values = (2 * top + 1) * (1 + 0.8 * bool(spec["denominators"]))
        factor = {"none": 1, "irrational": 10, "mixed": 19}[spec["quadratic"]]
        return float(math.comb(int(values), distinct) * multiplicity ** distinct * len(LEADING) * factor)

    def alternative_forms(self, problem: Problem) -> list[str]:
        roots = problem.data["roots"].split(", ")
        latex = ", ".join(r.replace("sqrt(", "\\sqrt{").replace(")", "}") for r in roots)
        return [", ".join(reversed(roots)), f"x = {', '.join(roots)}", latex, "{" + ", ".join(roots) + "}"]

    def forbidden_forms(self, problem: Problem) -> list[str]:
        """A rational root as a decimal: the prompt asks for exact roots, "not as decimals"."""
        roots = problem.data["roots"].split(", ")
        rational = [i for i, r in enumerate(roots) if "sqrt" not in r]
        if not rational:
            return []
        i = rational[-1]
        return [", ".join(roots[:i] + exact_forbidden(Fraction(roots[i])) + roots[i + 1:])]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        roots = problem.data["roots"].split(", ")
        wrong = [", ".join(roots + [roots[0]]), ", ".join(roots[:-1] + ["0" if roots[-1] != "0" else "1"])]
        if len(roots) > 1:
            wrong.append(", ".join(roots[1:]))
        wrong.append(", ".join(f"{r} + 1" for r in roots))  # a shifted multiset never equals itself
        return [w for w in wrong if w]
