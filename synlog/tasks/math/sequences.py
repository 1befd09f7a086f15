"""Sequences: the n-th term of a stated linear recurrence, or the next term of a polynomial
sequence of stated degree.

For example::

    a_1 = 1, a_2 = 1, a_n = a_(n-1) + a_(n-2) + 1. What is a_8?     answer: 33
    2, 5, 10, 17, 26 follow a polynomial of degree at most 2. Next?   answer: 37

Both kinds have exactly one answer: the recurrence (coefficients, constant, initial values)
is stated in full, and ``degree + 2`` shown terms of a polynomial sequence of degree at most
``degree`` determine the polynomial (its finite differences of order ``degree + 1`` vanish),
so the next term is forced. Values are exact Python integers.

Answer format: one integer.
"""

from __future__ import annotations

import numpy as np

from synlog.synth.knobs import Knob, Knobs, Params
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.forms import NumberAnswer
from synlog.tasks.math.symbolic import nonzero


def recurrence_term(initial: list[int], coefs: list[int], constant: int, n: int) -> int:
    """a_n (1-based) for a_k = sum coefs[i] * a_(k-1-i) + constant."""
    terms = list(initial)
    while len(terms) < n:
        terms.append(sum(c * terms[-1 - i] for i, c in enumerate(coefs)) + constant)
    return terms[n - 1]


def _signed(c: int, text: str, first: bool) -> str:
    body = text if abs(c) == 1 else f"{abs(c)}*{text}"
    if first:
        return ("-" if c < 0 else "") + body
    return (" - " if c < 0 else " + ") + body


@register
class Sequences(NumberAnswer, Task):
    """Find the n-th term of a stated recurrence or the next term of a polynomial sequence."""

    name, family, version = "sequences", "math", 1
    value_form = "integer"  # the prompt: "one integer, nothing else"
    knobs = Knobs(
        order=Knob(int, levels=[1, 1, 2, 2, 2, 2, 3, 3, 3, 3], lo=1, hi=5,
                   help="order of the recurrence"),
        steps=Knob(int, levels=[3, 4, 4, 5, 6, 7, 8, 9, 10, 12], lo=1, hi=30,
                   help="terms to compute beyond the initial values"),
        degree=Knob(int, levels=[1, 1, 2, 2, 2, 3, 3, 3, 4, 4], lo=1, hi=6,
                    help="degree bound of a polynomial sequence"),
        coef_max=Knob(int, levels=[2, 2, 2, 3, 3, 3, 3, 4, 4, 5], lo=1, hi=20,
                      help="largest absolute coefficient"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        if rng.random() < 0.5:
            coefs = [int(rng.integers(-p.coef_max, p.coef_max + 1)) for _ in range(p.order)]
            coefs[0] = coefs[0] or 1
            constant = int(rng.integers(-p.coef_max, p.coef_max + 1))
            initial = [int(rng.integers(-5, 6)) for _ in range(p.order)]
            n = p.order + p.steps
            value = recurrence_term(initial, coefs, constant, n)
            rule = "".join(_signed(c, f"a_(n-{i + 1})", not any(coefs[:i])) for i, c in enumerate(coefs) if c)
            rule += f" + {constant}" if constant > 0 else f" - {-constant}" if constant else ""
            starts = ", ".join(f"a_{i + 1} = {v}" for i, v in enumerate(initial))
            question = (f"A sequence starts {starts} and, for n > {p.order}, a_n = {rule}. "
                        f"What is a_{n}?")
            effort = p.order * p.steps
        else:
            poly = [int(rng.integers(-p.coef_max, p.coef_max + 1)) for _ in range(p.degree)]
            poly.append(nonzero(rng, p.coef_max))  # coefficient of n^degree
            start = int(rng.integers(0, 4))
            terms = [sum(c * (start + k) ** i for i, c in enumerate(poly)) for k in range(p.degree + 3)]
            value = terms[-1]
            question = (f"The sequence {', '.join(map(str, terms[:-1]))}, ... is given by a polynomial "
                        f"in the index of degree at most {p.degree}. What is the next term?")
            effort = p.degree * (p.degree + 2)
        return Problem({"question": question, "value": str(value)}, str(value), float(effort))

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        value = int(problem.data["value"])
        return [str(value + 1), str(value - 1), str(-value if value else 2), f"{value} or {value - 1}"]
