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
equals ``2*sqrt(2)``); decimals are read exactly, so ``1.414`` is not ``sqrt(2)``.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy

from synlog.synth.knobs import Knob, Knobs, Params
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.arith import format_rational
from synlog.tasks.common.forms import exact_forbidden
from synlog.tasks.math.symbolic import X, to_text
from synlog.verifiers.math_answer import check
from synlog.verifiers.sympy_worker import shared_worker
from synlog.verifiers.verdict import Verdict


@register
class PolynomialRoots(Task):
    """Find all real roots of an integer polynomial, each repeated by its multiplicity."""

    name, family, version = "polynomial_roots", "math", 1
    knobs = Knobs(
        distinct=Knob(int, levels=[1, 2, 2, 2, 3, 3, 3, 3, 4, 4], lo=1, hi=8,
                      help="distinct rational roots"),
        max_multiplicity=Knob(int, levels=[1, 1, 2, 2, 2, 2, 2, 3, 3, 3], lo=1, hi=4,
                              help="largest multiplicity of a rational root"),
        root_max=Knob(int, levels=[5, 5, 6, 6, 7, 7, 8, 8, 9, 9], lo=1, hi=50,
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
        poly = sympy.Integer(int(rng.choice([1, 1, 1, 2, -1, 3])))
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
        return check(problem["roots"], answer, kind="multiset", variables=("x",), form="exact")

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
