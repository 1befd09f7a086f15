"""Expected value of a described random quantity, exactly: dice, coin flips, draws from an urn.

For example::

    3 fair 6-sided dice are rolled. What is the expected value of the highest number shown?
    answer: 119/24

Quantities:

- dice: the sum of the m highest / lowest faces (m = 1: the highest / lowest face), the highest
  minus the lowest, the number of different faces shown, the number of dice showing a v or
  showing t or more, the sum of the faces above t, the product of the faces (at most 3 dice), a
  score of +a points for each die showing at least t and -b points for each other die;
- coins: the longest run of heads, the number of tails before the first heads (all the flips
  if none is heads), the number of (overlapping) blocks of r heads in a row (a payoff per heads and
  per tails is left out: its mean is the midpoint of its range);
- urn (draws without replacement): the number of drawn balls of a colour, the number of
  different colours drawn, a score of given points per colour;
- any experiment: the payoff of a bet that wins a points if a condition holds (a condition of
  ``probability_dice`` / ``conditional_probability``) and loses b points otherwise.

Gold: the outcomes are enumerated (dice and coins: every ordered outcome; urn: every colour
sequence of the draws, weighted by the number of labelled-ball draws that give it), the
quantity is evaluated on each with numpy integers, and the mean is ``Fraction(sum, total)``.
The tests re-derive it by closed forms (linearity, the hypergeometric mean, tail sums for
maxima and minima) and by a plain itertools enumeration (labelled-ball permutations for urns).

Instances are rejected when the quantity is constant, when the mean equals the smallest or
largest possible value or their midpoint (a symmetric quantity's mean is the midpoint, which
a guess reads off the range), equals the prompt's example, or is an integer printed in the
question.

Answer format: an integer or a fraction a/b in lowest terms (``\\frac{a}{b}`` accepted), sign
in front when negative. Decimals, unreduced fractions, mixed numbers, expressions and several
candidates are invalid (the shared math checker with ``form="rational"``).
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

EXAMPLE = Fraction(7, 2)
KINDS = ("dice", "coins", "urn")


def values(exp: dict, quantity: list, o: np.ndarray) -> np.ndarray:
    """The quantity on every outcome (int64)."""
    name, args = quantity[0], quantity[1:]
    o = o.astype(np.int64)
    kind = exp["kind"]
    if name == "bet":  # +a if the condition holds, else -b
        atom, a, b = args
        return np.where(_chance.atom_mask(exp, atom, o), a, -b).astype(np.int64)
    if name == "top_sum":  # the sum of the m highest dice
        return np.sort(o, axis=1)[:, -args[0]:].sum(axis=1)
    if name == "low_sum":  # the sum of the m lowest dice
        return np.sort(o, axis=1)[:, : args[0]].sum(axis=1)
    if name == "count_ge":  # dice showing t or more
        return (o >= args[0]).sum(axis=1)
    if name == "clipped_sum":  # the sum of the dice that show more than t
        return np.where(o > args[0], o, 0).sum(axis=1)
    if name == "windows":  # blocks of r consecutive heads, overlapping ones counted
        r = args[0]
        return sum(o[:, i:i + r].all(axis=1).astype(np.int64) for i in range(o.shape[1] - r + 1))
    if name == "range":
        return o.max(axis=1) - o.min(axis=1)
    if name == "distinct":
        ordered = np.sort(o, axis=1)
        return 1 + (np.diff(ordered, axis=1) != 0).sum(axis=1)
    if name == "count":
        return (o == args[0]).sum(axis=1)
    if name == "product":
        return o.prod(axis=1)
    if name == "score" and kind == "dice":  # +a per die showing at least t, -b per other die
        t, a, b = args
        high = (o >= t).sum(axis=1)
        return a * high - b * (o.shape[1] - high)
    if name == "longest_run":
        return _chance._run_length(o, 1)
    if name == "runs":
        return 1 + (np.diff(o, axis=1) != 0).sum(axis=1)
    if name == "leading_tails":
        first = np.argmax(o == 1, axis=1)
        return np.where((o == 1).any(axis=1), first, o.shape[1])
    if name == "points":  # urn: points per colour
        table = np.array(args[0], dtype=np.int64)
        return table[o].sum(axis=1)
    raise ValueError(f"unknown quantity {name!r}")


def quantity_text(exp: dict, quantity: list, lang: str) -> str:
    name, args = quantity[0], quantity[1:]
    en = lang == "en"
    kind = exp["kind"]
    if name == "bet":
        atom, a, b = args
        clause = _chance.atom_text(exp, atom, lang)
        return (f"the payoff of a bet that wins {a} points if {clause} and loses {b} points otherwise" if en
                else f"一次赌注的收益（若{clause}，则赢 {a} 分；否则输 {b} 分）")
    if kind == "dice":
        if name == "top_sum":
            if args[0] == 1:
                return "the highest number shown" if en else "掷出的最大点数"
            return (f"the sum of the {args[0]} highest numbers shown" if en
                    else f"最大的 {args[0]} 个点数之和")
        if name == "low_sum":
            if args[0] == 1:
                return "the lowest number shown" if en else "掷出的最小点数"
            return (f"the sum of the {args[0]} lowest numbers shown" if en
                    else f"最小的 {args[0]} 个点数之和")
        if name == "count_ge":
            return (f"the number of dice showing {args[0]} or more" if en
                    else f"点数不小于 {args[0]} 的骰子个数")
        if name == "clipped_sum":
            return (f"the sum of the numbers shown that are greater than {args[0]} (0 if there are none)" if en
                    else f"所有大于 {args[0]} 的点数之和（没有则为 0）")
        texts = {
            "range": ("the highest number shown minus the lowest number shown", "最大点数减去最小点数的差"),
            "distinct": ("the number of different numbers shown", "掷出的不同点数的个数"),
            "product": ("the product of the numbers shown", "所有点数的乘积"),
        }
        if name in texts:
            return texts[name][0 if en else 1]
        if name == "count":
            return f"the number of dice showing a {args[0]}" if en else f"掷出 {args[0]} 的骰子个数"
        t, a, b = args
        return (f"the score, where each die showing {t} or more earns {a} points and every other die "
                f"loses {b} points" if en else
                f"得分（每颗点数不小于 {t} 的骰子得 {a} 分，其余每颗骰子扣 {b} 分）")
    if kind == "coins":
        texts = {
            "longest_run": ("the length of the longest run of consecutive heads (0 if there are no heads)",
                            "最长的连续正面次数（没有正面时为 0）"),
            "runs": ("the number of runs, where a run is a maximal block of consecutive equal faces",
                     "段数（一段是由连续相同的面组成、且不能再延长的一段）"),
            "leading_tails": ("the number of tails before the first heads (all the flips if no flip is heads)",
                              "第一次出现正面之前的反面次数（若一次正面也没有，则为总次数）"),
        }
        if name in texts:
            return texts[name][0 if en else 1]
        if name == "windows":
            return (f"the number of blocks of {args[0]} consecutive flips that are all heads (overlapping "
                    f"blocks counted separately)" if en else
                    f"全为正面的连续 {args[0]} 次抛掷的段数（相互重叠的段分别计数）")
        raise ValueError(f"unknown quantity {name!r}")
    colours = _chance.COLOURS_EN if en else _chance.COLOURS_ZH
    if name == "count":
        return f"the number of {colours[args[0]]} balls drawn" if en else f"取出的{colours[args[0]]}球个数"
    if name == "distinct":
        return "the number of different colours among the drawn balls" if en else "取出的球中不同颜色的种数"
    table = args[0]
    if en:
        parts = [f"{p} points for each {colours[c]} ball" for c, p in enumerate(table)]
        return "the total score of the drawn balls, counting " + ", ".join(parts[:-1]) + f" and {parts[-1]}"
    parts = [f"每个{colours[c]}球 {p} 分" for c, p in enumerate(table)]
    return "取出的球的总得分（" + "，".join(parts) + "）"


def question(data: dict, lang: str) -> str:
    exp, quantity = data["experiment"], data["quantity"]
    setup = _chance.describe_experiment(exp, lang)
    if lang == "en":
        return f"{setup} What is the expected value of {quantity_text(exp, quantity, lang)}?"
    return f"{setup}求{quantity_text(exp, quantity, lang)}的数学期望。"


def expectation(exp: dict, quantity: list) -> tuple[Fraction, int, int]:
    """The mean, the smallest and the largest value of the quantity."""
    o = _chance.outcomes(exp)
    x = values(exp, quantity, o)
    w = _chance.weights(exp)
    total = int(x.sum()) if w is None else int((x * w).sum())
    return Fraction(total, _chance.size(exp)), int(x.min()), int(x.max())


def random_quantity(rng: np.random.Generator, exp: dict) -> list:
    def between(lo, hi):
        return int(rng.integers(lo, hi + 1))

    kind = exp["kind"]
    if rng.random() < (0.85 if kind == "coins" else 0.7):
        return ["bet", _chance.random_atom(rng, exp), between(1, 9), between(1, 9)]
    if kind == "dice":
        n, sides = exp["n"], exp["sides"]
        menu = ["top_sum", "low_sum", "range", "distinct", "count", "count_ge", "clipped_sum", "score"]
        if n <= 3:
            menu.append("product")
        name = menu[int(rng.integers(len(menu)))]
        if name in ("top_sum", "low_sum"):
            return [name, between(1, n - 1)]
        if name == "count":
            return [name, between(1, sides)]
        if name == "count_ge":
            return [name, between(2, sides)]
        if name == "clipped_sum":
            return [name, between(1, sides - 1)]
        if name == "score":
            return [name, between(2, sides), between(1, 9), between(1, 9)]
        return [name]
    if kind == "coins":
        name = ("longest_run", "leading_tails", "windows")[int(rng.integers(3))]
        if name == "windows":
            return [name, between(2, 4)]
        return [name]
    name = ("count", "distinct", "points")[int(rng.integers(3))]
    colours = len(exp["counts"])
    if name == "count":
        return [name, between(0, colours - 1)]
    if name == "points":
        return [name, [between(-3, 9) for _ in range(colours)]]
    return [name]


@register
class ExpectedValue(NumberAnswer, Task):
    """Give the exact expected value of a random quantity of dice, coin flips or urn draws."""

    name, family, version = "expected_value", "math", 1
    value_form = "rational"
    chance = 0.05
    knobs = Knobs(
        dice=Knob(int, levels=[2, 2, 3, 3, 4, 4, 5, 5, 6, 6], lo=1, hi=7, help="dice rolled"),
        sides=Knob(int, levels=[(4, 6), (8, 10), (4, 6), (6, 8), (4, 6), (6, 8), (4, 6), (6, 8),
                                (5, 6), (6, 7)], lo=2, hi=12, help="faces per die"),
        coins=Knob(int, levels=[(4, 6), (5, 7), (6, 8), (7, 9), (8, 10), (9, 11), (10, 12), (11, 13),
                                (12, 14), (13, 15)], lo=2, hi=16, help="coin flips"),
        balls=Knob(int, levels=[(5, 7), (6, 8), (7, 9), (8, 10), (9, 11), (10, 12), (11, 13), (12, 14),
                                (13, 15), (14, 16)], lo=3, hi=20, help="balls in the urn"),
        draws=Knob(int, levels=[2, 2, 3, 3, 4, 4, 5, 5, 6, 7], lo=1, hi=8, help="balls drawn"),
    )

    def context(self, problem: Problem, lang: str) -> dict:
        return {**problem.data, "question": question(problem.data, lang)}

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        kind = KINDS[int(rng.integers(len(KINDS)))]
        exp = _chance.random_experiment(rng, kind, p.dice, p.sides, p.coins, p.balls, p.draws)
        if _chance.size(exp) > 10**8 or (kind == "dice" and p.sides ** p.dice > 200_000):
            raise Reject("too many outcomes")
        quantity = random_quantity(rng, exp)
        value, low, high = expectation(exp, quantity)
        if low == high or value in (low, high, Fraction(low + high, 2), EXAMPLE):
            raise Reject("a constant, extreme, midpoint or example mean")
        data = {"experiment": exp, "quantity": quantity, "value": format_rational(value),
                "low": low, "high": high}
        data["question"] = question(data, "en")
        if value.denominator == 1 and str(value.numerator) in _chance.numbers_in(data["question"]):
            raise Reject("the mean is printed in the question")
        outcomes = len(_chance.outcomes(exp))
        return Problem(data, data["value"], float(outcomes * exp.get("n", exp.get("draws", 1))))

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """The smallest and the largest possible value and their midpoint."""
        low, high = problem["low"], problem["high"]
        return {"smallest value": str(low), "largest value": str(high),
                "midpoint of the range": format_rational(Fraction(low + high, 2))}

    def hardness(self, problem: dict) -> float:
        """Bits of the equally likely outcome space (log2 of the elementary outcomes)."""
        return float(math.log2(_chance.size(problem["experiment"])))

    def instance_space(self, spec: dict) -> float | None:
        """About 6 dice quantities × faces, 4 coin quantities × payoffs, urn splits × quantities
        (a rough lower estimate)."""
        sides = spec["sides"][0] if isinstance(spec["sides"], tuple) else spec["sides"]
        balls = _chance.top(spec["balls"])
        dice = sides * (4 + sides + 81 * sides)
        coins = 3 + 81 + 81 * 20
        urns = (balls - 1) * (2 + 1 + 13 ** 2)
        return float(dice + coins + urns)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        value = Fraction(problem.data["value"])
        out = [format_rational(value + 1), format_rational(value * 2), format_rational(-value),
               format_rational(value + Fraction(1, value.denominator + 1)),
               f"{format_rational(value)} or {format_rational(value + 1)}"]
        return [o for o in out if o != problem.data["value"]]
