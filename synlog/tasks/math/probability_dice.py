"""Probability over several dice: the exact chance of an event, as a reduced fraction.

For example::

    3 fair 6-sided dice are rolled. What is the probability that the sum of the dice is at
    least 15, or all the dice show different numbers (or more than one of these)?
    answer: 65/108

The event joins two to four conditions with "and" (all hold) or "or" (at least one holds);
a condition is one of: the sum is at least / at most / exactly t, the sum is even / odd, at
least / at most / exactly j dice show a v, all dice differ, all dice agree, the highest face is
at most m, the lowest face is at least m, the i-th die shows v, the i-th die beats the j-th.
Difficulty adds dice, faces and conditions.

Gold: every one of the ``sides ** n`` ordered outcomes is enumerated as a numpy matrix, each
condition is a boolean mask, and the probability is ``Fraction(count, sides ** n)``. The tests
recount each instance by a pure-Python ``itertools.product`` loop with their own reading of
every condition.

Instances are rejected when the probability is 0, 1 or 1/2, equals the prompt's example, or
equals the probability of one condition alone or of the event with the other join (so
dropping conditions or misreading "and"/"or" never earns the reward).

Answer format: an integer (0 or 1) or a fraction a/b in lowest terms (``\\frac{a}{b}``
accepted). Decimals, percentages, unreduced fractions, mixed numbers, expressions to
evaluate and several candidates are invalid (the shared math checker with
``form="rational"``).
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

#: the gold the prompt's example shows
EXAMPLE = Fraction(5, 18)


def question(data: dict, lang: str) -> str:
    exp, event = data["experiment"], data["event"]
    setup = _chance.describe_experiment(exp, lang)
    if lang == "en":
        return f"{setup} What is the probability that {_chance.event_text(exp, event, lang)}?"
    return f"{setup}求以下事件的概率：{_chance.event_text(exp, event, lang)}。"


@register
class ProbabilityDice(NumberAnswer, Task):
    """Give the exact probability of an event over several fair dice."""

    name, family, version = "probability_dice", "math", 1
    value_form = "rational"
    chance = 0.05
    knobs = Knobs(
        dice=Knob(int, levels=[2, 2, 3, 3, 3, 4, 4, 5, 5, 6], lo=1, hi=7, help="dice rolled"),
        sides=Knob(int, levels=[(4, 6), (8, 10), (4, 6), (6, 8), (8, 10), (6, 8), (8, 10), (6, 8),
                                (6, 8), 6], lo=2, hi=12, help="faces per die"),
        conditions=Knob(int, levels=[2, 2, 2, 2, 3, 3, 3, 3, 4, 4], lo=1, hi=5,
                        help="conditions joined into the event"),
    )

    def context(self, problem: Problem, lang: str) -> dict:
        return {**problem.data, "question": question(problem.data, lang)}

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        if p.sides ** p.dice > 200_000:
            raise Reject("too many outcomes to enumerate")
        exp = {"kind": "dice", "n": p.dice, "sides": p.sides}
        event = _chance.random_event(rng, exp, p.conditions)
        value = _chance.probability(exp, event)
        data = {"experiment": exp, "event": event, "value": format_rational(value)}
        shortcuts = {Fraction(v) for v in self.degenerate_answers(data).values()}
        if value in (0, 1, Fraction(1, 2), EXAMPLE) or value in shortcuts:
            raise Reject("a trivial or shortcut probability")
        data["question"] = question(data, "en")
        outcomes = _chance.size(exp)
        return Problem(data, data["value"], float(outcomes * len(event["atoms"])))

    @staticmethod
    def _others(exp: dict, event: dict) -> dict[str, Fraction]:
        """Probabilities of shortcuts: each condition alone, the other join."""
        o = _chance.outcomes(exp)
        masks = [_chance.atom_mask(exp, atom, o) for atom in event["atoms"]]
        total = _chance.size(exp)
        out = {f"condition {k + 1} alone": Fraction(_chance.mass(exp, m), total) for k, m in enumerate(masks)}
        if len(masks) > 1:
            reduce = np.logical_and if event["join"] == "or" else np.logical_or
            out["the other join"] = Fraction(_chance.mass(exp, reduce.reduce(masks)), total)
        return out

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """The chance of one condition alone, of the event with "and"/"or" swapped, one over
        the number of faces or of outcomes."""
        exp = problem["experiment"]
        out = {name: format_rational(v) for name, v in self._others(exp, problem["event"]).items()}
        out["one over the faces"] = f"1/{exp['sides']}"
        out["one over the outcomes"] = f"1/{_chance.size(exp)}"
        return out

    def hardness(self, problem: dict) -> float:
        """Conditions times the bits of the outcome space (log2 of sides ** n)."""
        return float(len(problem["event"]["atoms"]) * math.log2(_chance.size(problem["experiment"])))

    def instance_space(self, spec: dict) -> float | None:
        """Ordered choices of conditions (about 6 n s parametrised conditions each) times the
        two joins, at the smallest die of the range (a lower estimate)."""
        n = _chance.top(spec["dice"])
        sides = spec["sides"][0] if isinstance(spec["sides"], tuple) else spec["sides"]
        k = _chance.top(spec["conditions"])
        atoms = 6 * n * sides
        return float(math.perm(atoms, k) * 2 // math.factorial(k))

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        value = Fraction(problem.data["value"])
        out = [format_rational(1 - value), format_rational(value * 2) if value * 2 < 1 else format_rational(value / 2),
               f"{value.numerator + 1}/{value.denominator}" if math.gcd(value.numerator + 1, value.denominator) == 1
               else f"{value.numerator}/{value.denominator + 1}",
               f"{format_rational(value)} or {format_rational(1 - value)}"]
        return [o for o in out if o != problem.data["value"]]
