"""Sequences: the n-th term of a stated linear recurrence, or the next term of a polynomial
sequence of stated degree.

For example::

    a_1 = 1, a_2 = 1, a_n = a_(n-1) + a_(n-2) + 1. What is a_8?     answer: 33
    2, 5, 10, 17, 26 follow a polynomial of degree at most 2. Next?   answer: 37

Both kinds have exactly one answer: the recurrence (coefficients, constant, initial values)
is stated in full, and ``degree + 2`` shown terms of a polynomial sequence of degree at most
``degree`` determine the polynomial (its finite differences of order ``degree + 1`` vanish),
so the next term is forced. Values are exact Python integers.

A recurrence that returns to a stated value (periodic or constant, such as
``a_n = a_(n-1) - a_(n-2) + c``, period 6) or a polynomial sequence whose next term repeats a
shown one is redrawn: the question would answer itself.

Answer format: one integer.
"""

from __future__ import annotations

import re

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.forms import NumberAnswer
from synlog.tasks.common.wording import reword
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.math.symbolic import nonzero

#: how much wider the linear coefficient of a polynomial sequence ranges than the others
LINEAR_SPREAD = 4


#: the Chinese wording of each question pattern (a full match of the English question)
_ZH_QUESTIONS = (
    (re.compile(r"A sequence starts (.+) and, for n > (\d+), a_n = (.+)\. What is a_(\d+)\?"),
     "一个数列的开头为 {0}，且当 n > {1} 时，a_n = {2}。求 a_{3}。"),
    (re.compile(r"The sequence (.+), \.\.\. is given by a polynomial in the index of degree at most (\d+)\. "
                r"What is the next term\?"),
     "数列 {0}, ... 的通项是关于项号的次数不超过 {1} 的多项式。它的下一项是多少？"),
)


def _zh_question(question: str) -> str:
    """The question in Chinese (numbers, words and formulas kept); unchanged if no pattern fits."""
    return reword(question, _ZH_QUESTIONS) or question



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


def _top(value: int | tuple[int, int]) -> int:
    """The largest value of a knob that may be a sampled range."""
    return int(value[1]) if isinstance(value, tuple) else int(value)


@register
class Sequences(NumberAnswer, Task):
    """Find the n-th term of a stated recurrence or the next term of a polynomial sequence."""

    name, family, version = "sequences", "math", 2
    value_form = "integer"  # the prompt: "one integer, nothing else"
    knobs = Knobs(
        order=Knob(int, levels=[1, 1, 2, 2, 2, 2, 3, 3, 3, 3], lo=1, hi=5,
                   help="order of the recurrence"),
        steps=Knob(int, levels=[3, 4, 4, 5, 6, 7, 8, 9, 10, 12], lo=1, hi=30,
                   help="terms to compute beyond the initial values"),
        degree=Knob(int, levels=[1, 1, 2, 2, 3, 3, 4, 4, 5, 5], lo=1, hi=6,
                    help="degree bound of a polynomial sequence"),
        coef_max=Knob(int, levels=[3, 3, 3, 3, 3, 3, 3, 4, 4, 5], lo=1, hi=20,
                      help="largest absolute coefficient"),
        # the start values carry most of the variety at level 1 (order 1, degree 1): ±5 made
        # two seeds share a third of their prompts
        start_max=Knob(int, levels=[99, 99, 30, 30, 30, 30, 30, 30, 30, 30], lo=1, hi=10**4,
                       help="initial values and a polynomial's constant term lie in ±start_max"),
    )

    def context(self, problem: Problem, lang: str) -> dict:
        data = dict(problem.data)
        if lang == "zh":
            data["question"] = _zh_question(data["question"])
        return data

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        if rng.random() < 0.5:
            coefs = [int(rng.integers(-p.coef_max, p.coef_max + 1)) for _ in range(p.order)]
            coefs[0] = coefs[0] or 1
            constant = int(rng.integers(-p.coef_max, p.coef_max + 1))
            initial = [int(rng.integers(-p.start_max, p.start_max + 1)) for _ in range(p.order)]
            n = p.order + p.steps
            terms = [recurrence_term(initial, coefs, constant, k) for k in range(1, n + 1)]
            value = terms[-1]
            states = [tuple(terms[k:k + p.order]) for k in range(n - p.order + 1)]
            # a periodic (or constant) sequence returns to a stated value: the question would
            # answer itself (a_n = a_(n-1) - a_(n-2) + c repeats every 6 terms)
            if len(set(states)) < len(states) or value in initial:
                raise Reject("the recurrence returns to a stated value")
            rule = "".join(_signed(c, f"a_(n-{i + 1})", not any(coefs[:i])) for i, c in enumerate(coefs) if c)
            rule += f" + {constant}" if constant > 0 else f" - {-constant}" if constant else ""
            starts = ", ".join(f"a_{i + 1} = {v}" for i, v in enumerate(initial))
            question = (f"A sequence starts {starts} and, for n > {p.order}, a_n = {rule}. "
                        f"What is a_{n}?")
            effort = p.order * p.steps
        else:
            # the shown terms fix the polynomial whatever the start index, so the variety is in
            # the coefficients: the constant like a start value, the linear one (the common
            # difference when degree is 1) LINEAR_SPREAD times wider than the others
            linear = LINEAR_SPREAD * p.coef_max
            poly = [int(rng.integers(-p.start_max, p.start_max + 1))]
            if p.degree > 1:
                poly.append(int(rng.integers(-linear, linear + 1)))
                poly += [int(rng.integers(-p.coef_max, p.coef_max + 1)) for _ in range(p.degree - 2)]
            poly.append(nonzero(rng, p.coef_max if p.degree > 1 else linear))  # coefficient of n^degree
            start = int(rng.integers(0, 4))
            terms = [sum(c * (start + k) ** i for i, c in enumerate(poly)) for k in range(p.degree + 3)]
            value = terms[-1]
            if value in terms[:-1]:  # a symmetric quadratic repeats a shown term
                raise Reject("the next term repeats a shown one")
            question = (f"The sequence {', '.join(map(str, terms[:-1]))}, ... is given by a polynomial "
                        f"in the index of degree at most {p.degree}. What is the next term?")
            effort = p.degree * (p.degree + 2)
        return Problem({"question": question, "value": str(value)}, str(value), float(effort))

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Continuing without the rule: the last term shown, repeated."""
        question = problem["question"]
        if question.startswith("A sequence"):
            last = re.findall(r"a_\d+ = (-?\d+)", question)[-1]
        else:
            last = re.findall(r"-?\d+", question.split(", ...")[0])[-1]
        return {"the last term shown": last}

    def hardness(self, problem: dict) -> float:
        """Arithmetic to do: terms to compute times the digits of the answer (the size of the
        numbers carried along)."""
        question, digits = problem["question"], len(problem["value"].lstrip("-"))
        if question.startswith("A sequence"):
            shown = len(re.findall(r"a_\d+ = ", question))
            target = int(re.search(r"What is a_(\d+)", question).group(1))
            work = (target - shown) * max(1, question.split("a_n = ")[1].count("a_("))
        else:
            degree = int(re.search(r"degree at most (\d+)", question).group(1))
            work = degree * (degree + 1)  # the difference table
        return float(work * digits)

    def instance_space(self, spec: dict) -> float | None:
        """Both kinds: recurrences (coefficients, constant, start values) plus polynomial
        sequences (coefficients, start index)."""
        order, degree, coef, start = (_top(spec[k]) for k in ("order", "degree", "coef_max", "start_max"))
        recurrences = (2 * coef + 1) ** (order + 1) * (2 * start + 1) ** order
        linear = 2 * LINEAR_SPREAD * coef
        polynomials = (2 * start + 1) * (linear if degree == 1 else
                                         (linear + 1) * (2 * coef + 1) ** (degree - 2) * 2 * coef)
        return float(recurrences + polynomials)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        value = int(problem.data["value"])
        return [str(value + 1), str(value - 1), str(-value if value else 2), f"{value} or {value - 1}"]
