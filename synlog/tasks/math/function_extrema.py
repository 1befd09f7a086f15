"""Function extrema: the local extrema of an integer polynomial, or its extreme value on an interval.

For example::

    f(x) = 2*x^3 - 3*x^2 - 12*x + 5
    x-coordinates of all local extrema:   -1, 2        (f'(x) = 6(x + 1)(x - 2))
    maximum value of f on [-3, 1]:        12           (at x = -1; f(-3) = -40, f(1) = -8)

A prompt asks one of five questions: the x-coordinates of all local extrema, of the local
maxima only, of the local minima only (not for a cubic: its one maximum alone would be a
one-number guess), the maximum value on [a, b], or the minimum value on [a, b]. The polynomial is built from its derivative: f'(x) is a product of integer factors with
chosen roots (integers, fractions p/q at level 3 up, an irrational pair p ± sqrt(k) at level 6
up and (m ± sqrt(k))/2 at level 9 up, and at level 5 up "traps": a double root, where f' does not
change sign and f has no extremum, or a factor x^2 + k with no real root); f is its
antiderivative scaled to coprime integer coefficients, with a random sign and constant term.
Difficulty raises the degree (3 to 5) and the size of the roots.

Gold: the extrema are the roots of f' of odd multiplicity (all simple here), a maximum where
f'' < 0; the extreme value on [a, b] is the largest (smallest) of f at a, at b and at the
critical points inside, computed exactly (values like 45/2 - 12*sqrt(3)).

Rejected at generation: a "maxima"/"minima" question when f lacks the other kind (the list of
all extrema would then be the answer); an interval question whose answer is attained at an
endpoint (evaluating a and b alone would give it); a gold that is 0, ±1 or ± a number printed
in the prompt (a coefficient, the constant term f(0), an interval end); a list of one or two
x-values holding an integer in -2..2 (a guessed 0 or 1, or the 2 read off x^2, would earn half
the partial credit); any gold equal to the prompt's example answer.

Answer format: a list question takes the x-values separated by commas, any order, each once
(braces and ``x = ...`` items allowed; a repeated value is ``invalid``); an interval question
takes one exact value. Values are exact (fractions, ``sqrt(k)``); a decimal is ``invalid``. A
wrong list reports ``details["fraction"]`` = (values right − values wrong) / values, at least 0.
"""

from __future__ import annotations

import re

import numpy as np
import sympy

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.forms import exact_forbidden
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.math._functions import (
    SMALL_VALUES,
    factored,
    largest_coefficient,
    numeric,
    primitive,
    set_verdict,
    show,
    values_text,
)
from synlog.tasks.math.symbolic import X, to_text
from synlog.verifiers.math_answer import check
from synlog.verifiers.sympy_worker import shared_worker
from synlog.verifiers.verdict import Verdict

QUESTIONS = ("extrema", "maxima", "minima", "max_on", "min_on")
LIST_QUESTIONS = ("extrema", "maxima", "minima")
#: the example answer each question shows (never a gold)
EXAMPLES = {"extrema": "-4, 1/2", "maxima": "-4, 1/2", "minima": "-4, 1/2", "max_on": "27/4", "min_on": "27/4"}
#: interval endpoints tried per derivative before the engine draws a new one
INTERVAL_TRIES = 40

WORDING = {
    "en": {
        "extrema": "the x-coordinates of all local extrema (local maxima and local minima) of f",
        "maxima": "the x-coordinates of all local maxima of f",
        "minima": "the x-coordinates of all local minima of f",
        "max_on": "the maximum value of f on the closed interval [{a}, {b}]",
        "min_on": "the minimum value of f on the closed interval [{a}, {b}]",
    },
    "zh": {
        "extrema": "f 的所有局部极值点（极大值点与极小值点）的横坐标",
        "maxima": "f 的所有局部极大值点的横坐标",
        "minima": "f 的所有局部极小值点的横坐标",
        "max_on": "f 在闭区间 [{a}, {b}] 上的最大值",
        "min_on": "f 在闭区间 [{a}, {b}] 上的最小值",
    },
}


def _polynomial(rng: np.random.Generator, p: Params) -> tuple[sympy.Expr, list[sympy.Expr]]:
    """f with integer coprime coefficients (random sign and constant), and the roots of f'."""
    derivative, roots = factored(rng, p.degree - 1, p.root_max, fractions=p.fractions,
                                 irrational=p.irrational, traps=p.traps)
    f = primitive(sympy.integrate(sympy.expand(derivative), X))
    if rng.random() < 0.5:
        f = -f
    return f + int(rng.integers(-9, 10)), roots


def _classify(f: sympy.Expr, roots: list[sympy.Expr]) -> tuple[list, list]:
    """The local maxima and minima among the roots of f' (a simple root: the sign of f'')."""
    second = sympy.diff(f, X, 2)
    maxima, minima = [], []
    for root in roots:
        curvature = numeric(second.subs(X, root))
        if curvature < 0:
            maxima.append(root)
        elif curvature > 0:
            minima.append(root)
    return maxima, minima


def _interval(rng: np.random.Generator, f: sympy.Expr, roots: list, targets: list,
              biggest: bool) -> tuple[int, int, sympy.Expr]:
    """Integer [a, b] holding a critical point where f reaches its max (min) on [a, b], higher
    (lower) than at both ends; the value is exact."""
    better = (lambda u, v: u > v) if biggest else (lambda u, v: u < v)
    for _ in range(INTERVAL_TRIES):
        centre = numeric(targets[int(rng.integers(len(targets)))])
        a = int(np.ceil(centre)) - 1 - int(rng.integers(0, 4))
        b = int(np.floor(centre)) + 1 + int(rng.integers(0, 4))
        inside = [r for r in roots if a < numeric(r) < b]
        values = {r: sympy.expand(f.subs(X, r)) for r in inside}
        best = max(values, key=lambda r: numeric(values[r]) * (1 if biggest else -1))
        value = values[best]
        ends = [f.subs(X, a), f.subs(X, b)]
        if all(better(numeric(value), float(e)) for e in ends) and value not in (0, 1, -1):
            return a, b, value
    raise Reject("no interval whose extreme value lies inside")


@register
class FunctionExtrema(Task):
    """Find the local extrema of a polynomial, or its maximum or minimum on an interval."""

    name, family, version = "function_extrema", "math", 1
    knobs = Knobs(
        degree=Knob(int, levels=[3, 3, 3, 4, 4, 4, 5, 5, 5, 5], lo=3, hi=6, help="degree of f"),
        root_max=Knob(int, levels=[6, 7, 7, 7, 7, 7, 7, 8, 8, 9], lo=3, hi=12,
                      help="critical points lie in -root_max..root_max"),
        fractions=Knob(bool, levels=[False] * 2 + [True] * 8, help="critical points may be fractions p/q"),
        irrational=Knob(str, levels=["none"] * 5 + ["sqrt"] * 3 + ["half"] * 2,
                        choices=["none", "sqrt", "half"],
                        help="f' may have roots p ± sqrt(k) (sqrt), or also (m ± sqrt(k))/2 (half)"),
        traps=Knob(bool, levels=[False] * 4 + [True] * 6,
                   help="f' may have a double root (no extremum there) or a factor x^2 + k"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        # a cubic has one maximum and one minimum: asking for either alone is a one-number guess
        questions = [q for q in QUESTIONS if p.degree > 3 or q not in ("maxima", "minima")]
        question = questions[int(rng.integers(len(questions)))]
        f, roots = _polynomial(rng, p)
        maxima, minima = _classify(f, roots)
        data = {"function": show(f), "question": question, "degree": p.degree}
        if question in LIST_QUESTIONS:
            chosen = {"extrema": maxima + minima, "maxima": maxima, "minima": minima}[question]
            if not chosen or (question != "extrema" and not (maxima and minima)):
                raise Reject("the question has no answer, or the same answer as 'all extrema'")
            answer = values_text(chosen)
            if sympy.FiniteSet(*chosen) == sympy.FiniteSet(sympy.Integer(-4), sympy.Rational(1, 2)):
                raise Reject("the gold is the prompt's example")
            if len(chosen) <= 2 and any(r in SMALL_VALUES for r in chosen):
                raise Reject("one of two x-values is a small integer, which a guess would half hit")
        else:
            targets = maxima if question == "max_on" else minima
            if not targets:
                raise Reject("no interior extremum of the asked kind")
            a, b, value = _interval(rng, f, roots, targets, question == "max_on")
            if value == sympy.Rational(27, 4):
                raise Reject("the gold is the prompt's example")
            answer = to_text(value)
            data.update(a=a, b=b)
        printed = re.findall(r"\d+", data["function"]) + [str(data.get("a")), str(data.get("b"))]
        if answer.lstrip("-") in printed + ["0", "1"]:
            raise Reject("the gold is a number printed in the prompt, or 0 or ±1")
        data["answer"] = answer
        # the stationary points to find, plus each one that is not an integer, plus the values to
        # compare on an interval
        effort = p.degree * len(roots) + 2 * sum(not r.is_integer for r in roots)
        return Problem(data, answer, float(effort + (2 if question not in LIST_QUESTIONS else 0)))

    def context(self, problem: Problem, lang: str) -> dict:
        data = problem.data
        asked = WORDING[lang][data["question"]].format(a=data.get("a"), b=data.get("b"))
        return {**data, "asked": asked, "is_list": data["question"] in LIST_QUESTIONS,
                "example": EXAMPLES[data["question"]]}

    def warm_up(self) -> None:
        shared_worker().start()

    def verify(self, problem: dict, answer: str) -> Verdict:
        if problem["question"] in LIST_QUESTIONS:
            return set_verdict(problem["answer"], answer)
        return check(problem["answer"], answer, form="exact")

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Answers that skip the calculus: -1, 1 or 0 as extrema; on an interval, the better of
        the two endpoint values and f(0) (both rejected as golds)."""
        f = sympy.sympify(problem["function"].replace("^", "**"), locals={"x": X})
        if problem["question"] in LIST_QUESTIONS:
            return {"-1, 1": "-1, 1", "0": "0"}
        ends = [f.subs(X, problem["a"]), f.subs(X, problem["b"])]
        end = max(ends) if problem["question"] == "max_on" else min(ends)
        return {"better endpoint value": str(end), "f(0)": str(f.subs(X, 0))}

    def hardness(self, problem: dict) -> float:
        """The degree times the digits of the largest coefficient, plus the radicals in the gold."""
        text = problem["function"]
        return float(problem["degree"] * (1 + largest_coefficient(text)) + 3 * problem["answer"].count("sqrt"))

    def alternative_forms(self, problem: Problem) -> list[str]:
        gold = problem.data["answer"]
        latex = gold.replace("sqrt(", "\\sqrt{").replace(")", "}") if "(" not in gold.replace("sqrt(", "") else gold
        if problem.data["question"] in LIST_QUESTIONS:
            values = gold.split(", ")
            return [", ".join(reversed(values)), "{" + gold + "}", ", ".join(f"x = {v}" for v in values), latex]
        return [f"${gold}$", latex, f"({gold})"]

    def forbidden_forms(self, problem: Problem) -> list[str]:
        """A rational value written as a decimal: the prompt asks for exact values."""
        values = problem.data["answer"].split(", ")
        for i, value in enumerate(values):
            if "sqrt" not in value:
                decimal = exact_forbidden(sympy.Rational(value))
                if decimal and problem.data["question"] in LIST_QUESTIONS:
                    return [", ".join(values[:i] + decimal + values[i + 1:])]
                return decimal
        return []

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = problem.data["answer"]
        if problem.data["question"] in LIST_QUESTIONS:
            values = gold.split(", ")
            wrong = [", ".join(f"{v} + 1" for v in values), gold + ", 100"]
            if len(values) > 1:
                wrong.append(", ".join(values[1:]))
            return wrong + [f"{values[0]} or {values[0]} + 1"]
        return [f"{gold} + 1", f"-({gold})" if gold != "0" else "1", f"{gold} or 0"]
