"""Conditional probability P(A | B) in a described experiment (dice, coin flips, urn draws),
exactly, as a reduced fraction.

For example::

    A fair coin is flipped 5 times in a row. Given that at least 3 of the flips are heads, what
    is the probability that the first flip is heads?          answer: 11/16

A and B are events of the experiment, each one condition or (at higher levels) two joined by
"and" / "or"; the conditions are those of :mod:`~synlog.tasks.math._chance` (sums, counts of
a face, heads or colour, the face of one die, the colour of the i-th ball, runs of heads,
all different / all equal, highest / lowest face). Difficulty grows the experiment and the
number of conditions.

Gold: the outcomes are enumerated (dice and coins: every ordered outcome; urn: every colour
sequence of the draws, weighted by the number of labelled-ball draws that give it), and
P(A | B) = |A and B| / |B| as a ``Fraction``. The tests recount both events by a plain Python
enumeration (itertools.product; labelled-ball permutations for urns) and also check Bayes'
rule P(B | A) P(A) / P(B) against the gold.

Instances are rejected unless 0 < P(B) < 1 and 0 < P(A | B) < 1, when P(A | B) has a
denominator below 5 (1/2, 1/3, 3/4: what a blind guess names), and when it equals the
example, P(A) (the condition would not matter), P(B), P(A and B) or P(B | A) (so ignoring
or reversing the condition never earns the reward; those values are the degenerate answers).

Answer format: a fraction a/b in lowest terms (``\\frac{a}{b}`` accepted). Decimals,
percentages, unreduced fractions, mixed numbers, expressions and several candidates are
invalid (the shared math checker with ``form="rational"``).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.arith import format_rational
from synlog.tasks.common.forms import NumberAnswer
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.math import _chance

EXAMPLE = Fraction(11, 16)
#: golds such as 1/3 or 3/4 are what a blind guess names; small experiments made them the
#: gold of a tenth of level-1 rows, so a gold needs at least this denominator
MIN_DENOMINATOR = 5
KINDS = ("dice", "coins", "urn")


def question(data: dict, lang: str) -> str:
    exp = data["experiment"]
    setup = _chance.describe_experiment(exp, lang)
    a = _chance.event_text(exp, data["event"], lang)
    b = _chance.event_text(exp, data["given"], lang)
    if lang == "en":
        return f"{setup} Given that {b}, what is the probability that {a}?"
    return f"{setup}已知{b}，求在此条件下{a}的概率。"


def masses(exp: dict, event: dict, given: dict) -> tuple[int, int, int, int]:
    """|A|, |B|, |A and B| and the number of elementary outcomes."""
    o = _chance.outcomes(exp)
    a = _chance.event_mask(exp, event, o)
    b = _chance.event_mask(exp, given, o)
    return _chance.mass(exp, a), _chance.mass(exp, b), _chance.mass(exp, a & b), _chance.size(exp)


def shortcuts(exp: dict, event: dict, given: dict) -> dict[str, Fraction]:
    """What ignoring, reversing or misplacing the condition gives (None-free: P(B) > 0 and
    P(A) > 0 are checked by the caller)."""
    a, b, ab, total = masses(exp, event, given)
    out = {"P(A), the condition ignored": Fraction(a, total), "P(B)": Fraction(b, total),
           "P(A and B)": Fraction(ab, total)}
    if a:
        out["P(B | A), the condition reversed"] = Fraction(ab, a)
    return out


@register
class ConditionalProbability(NumberAnswer, Task):
    """Give P(A | B) exactly for two events of a dice, coin or urn experiment."""

    name, family, version = "conditional_probability", "math", 1
    value_form = "rational"
    chance = 0.05
    knobs = Knobs(
        dice=Knob(int, levels=[2, 2, 2, 3, 3, 3, 4, 4, 4, 5], lo=1, hi=6, help="dice rolled"),
        sides=Knob(int, levels=[(4, 6), (6, 8), (8, 10), (4, 6), (6, 8), (8, 10), (4, 6), (6, 8),
                                (6, 8), (6, 7)], lo=2, hi=12, help="faces per die"),
        coins=Knob(int, levels=[(3, 5), (4, 6), (5, 7), (6, 8), (7, 9), (8, 10), (9, 11), (10, 12),
                                (11, 13), (12, 14)], lo=2, hi=16, help="coin flips"),
        balls=Knob(int, levels=[(5, 7), (6, 8), (7, 9), (8, 10), (9, 11), (10, 12), (11, 13), (12, 14),
                                (13, 15), (14, 16)], lo=3, hi=20, help="balls in the urn"),
        draws=Knob(int, levels=[2, 2, 3, 3, 4, 4, 5, 5, 6, 6], lo=2, hi=8, help="balls drawn"),
        conditions=Knob(int, levels=[3, 3, 3, 3, 3, 3, 4, 4, 4, 4], lo=2, hi=4,
                        help="conditions in A and B together"),
    )

    def context(self, problem: Problem, lang: str) -> dict:
        return {**problem.data, "question": question(problem.data, lang)}

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        kind = KINDS[int(rng.integers(len(KINDS)))]
        exp = _chance.random_experiment(rng, kind, p.dice, p.sides, p.coins, p.balls, p.draws)
        if kind == "dice" and p.sides ** p.dice > 200_000:
            raise Reject("too many outcomes")
        in_a = 1 if p.conditions < 3 else int(rng.integers(1, p.conditions))
        event = _chance.random_event(rng, exp, in_a)
        given = _chance.random_event(rng, exp, p.conditions - in_a)
        if any(atom in given["atoms"] for atom in event["atoms"]):
            raise Reject("A repeats a condition of B")
        a, b, ab, total = masses(exp, event, given)
        if not 0 < b < total or not 0 < ab < b:
            raise Reject("B certain or impossible, or A decided by B")
        value = Fraction(ab, b)
        if value.denominator < MIN_DENOMINATOR:
            raise Reject("a guessable small fraction")
        if value in (Fraction(1, 2), EXAMPLE) or value in shortcuts(exp, event, given).values():
            raise Reject("a shortcut gives the same value")
        data = {"experiment": exp, "event": event, "given": given, "value": format_rational(value)}
        data["question"] = question(data, "en")
        atoms = len(event["atoms"]) + len(given["atoms"])
        return Problem(data, data["value"], float(len(_chance.outcomes(exp)) * atoms))

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """P(A) (the condition ignored), P(B), P(A and B) and P(B | A) (the condition reversed)."""
        found = shortcuts(problem["experiment"], problem["event"], problem["given"])
        return {name: format_rational(v) for name, v in found.items()}

    def hardness(self, problem: dict) -> float:
        """Conditions times the bits of the equally likely outcome space."""
        atoms = len(problem["event"]["atoms"]) + len(problem["given"]["atoms"])
        return float(atoms * math.log2(_chance.size(problem["experiment"])))

    def instance_space(self, spec: dict) -> float | None:
        """Pairs of conditions over the smallest coin experiment of the range (the fewest
        parametrised conditions: about 3 n), a lower estimate."""
        coins = spec["coins"][0] if isinstance(spec["coins"], tuple) else spec["coins"]
        k = _chance.top(spec["conditions"])
        return float((3 * coins) ** k)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        value = Fraction(problem.data["value"])
        out = [format_rational(1 - value), format_rational(value / 2),
               format_rational(Fraction(value.numerator, value.denominator + 1)),
               f"{format_rational(value)} or {format_rational(1 - value)}"]
        return [o for o in out if o != problem.data["value"]]
