"""Combinatorics: counting questions with exact integer answers (binomials, multinomials,
inclusion–exclusion).

For example::

    How many integers in 1..100 are divisible by 3 or 5?       answer: 47  (33 + 20 - 6)

Question types: committees (choose k of n with at least one of a special group:
C(n, k) - C(n - s, k)), arrangements of the letters of a word with repeats (the
multinomial n! / (a! b! ...)), lattice paths in a grid avoiding one blocked point
(C(a+b, a) - paths through it), and integers up to N divisible by at least one of several
numbers (inclusion–exclusion over subsets with lcm). Answers are computed with ``math.comb``
and exact integers; the tests recount small cases by brute-force enumeration.

Every question needs its correction term: a committee question leaves some committees without
an officer (and 2 <= k <= n - 2), a word repeats a letter, a divisor set has a multiple counted
twice; so the uncorrected count (C(n, k), len(word)!, the sum of limit // d) is never the gold.

Answer format: one integer. Several candidates are invalid.
"""

from __future__ import annotations

import itertools
import math
import re

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.forms import NumberAnswer
from synlog.tasks.common.wording import reword
from synlog.tasks.knobs import Knob, Knobs, Params

KINDS = ("committee", "arrangements", "paths", "divisible")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: the largest side of a lattice-path grid
MAX_SIDE = 16


#: the Chinese wording of each question pattern (a full match of the English question)
_ZH_QUESTIONS = (
    (re.compile(r"A club has (\d+) members, (\d+) of whom are officers\. How many committees of exactly (\d+) "
                r"members contain at least one officer\?"),
     "某俱乐部有 {0} 名成员，其中 {1} 名是干事。由恰好 {2} 名成员组成、且至少包含一名干事的委员会有多少个？"),
    (re.compile(r"How many distinct strings can be made by rearranging all the letters of (\w+)\?"),
     "把 {0} 的全部字母重新排列，一共能得到多少个不同的字符串？"),
    (re.compile(r"How many shortest lattice paths go from \(0, 0\) to \((\d+), (\d+)\), each step moving one unit "
                r"right or up, without passing through the point \((\d+), (\d+)\)\?"),
     "从 (0, 0) 到 ({0}, {1}) 的最短格点路径（每一步向右或向上移动一个单位）中，不经过点 ({2}, {3}) 的有多少条？"),
    (re.compile(r"How many integers from 1 to (\d+) \(inclusive\) are divisible by at least one of ([\d, ]+)\?"),
     "从 1 到 {0}（含 {0}）的整数中，能被 {1} 中至少一个数整除的有多少个？"),
)


def _zh_question(question: str) -> str:
    """The question in Chinese (numbers, words and formulas kept); unchanged if no pattern fits."""
    return reword(question, _ZH_QUESTIONS) or question



def divisible_count(limit: int, divisors: list[int]) -> int:
    """How many of 1..limit are divisible by at least one divisor (inclusion–exclusion)."""
    total = 0
    for size in range(1, len(divisors) + 1):
        for subset in itertools.combinations(divisors, size):
            total += (-1) ** (size + 1) * (limit // math.lcm(*subset))
    return total


def _top(value: int | tuple[int, int]) -> int:
    """The largest value of a knob that may be a sampled range."""
    return int(value[1]) if isinstance(value, tuple) else int(value)


@register
class Combinatorics(NumberAnswer, Task):
    """Count arrangements, committees, lattice paths or divisible integers exactly."""

    name, family, version = "combinatorics", "math", 2
    value_form = "integer"  # the prompt: "one integer, nothing else"
    knobs = Knobs(
        # a range per level (one n per level gave level 1 sixteen committee questions); the
        # ranges are disjoint, since equal concrete knobs at two levels draw the same rows
        size=Knob(int, levels=[(5, 7), (8, 9), (10, 12), (13, 14), (15, 17), (18, 19), (20, 22),
                               (23, 24), (25, 27), (28, 30)], lo=4, hi=40,
                  help="n: people, letters, grid side"),
        parts=Knob(int, levels=[2, 2, 2, 3, 3, 3, 4, 4, 5, 5], lo=2, hi=6,
                   help="divisors in inclusion–exclusion / distinct letters"),
    )

    def context(self, problem: Problem, lang: str) -> dict:
        data = dict(problem.data)
        if lang == "zh":
            data["question"] = _zh_question(data["question"])
        return data

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        kind = KINDS[int(rng.integers(len(KINDS)))]
        n = p.size
        if kind == "committee":
            # a club of 2n..4n members (small clubs made a handful of questions); k = 1 counts
            # the officers and k = n - 1 the members (both printed), and with more than n - k
            # officers every committee has one
            members = int(rng.integers(2 * n, 4 * n + 1))
            k = int(rng.integers(2, min(members - 2, 2 + n // 3) + 1))
            special = int(rng.integers(1, members - k + 1))
            value = math.comb(members, k) - math.comb(members - special, k)
            question = (f"A club has {members} members, {special} of whom are officers. How many committees of "
                        f"exactly {k} members contain at least one officer?")
            data = {"n": members, "special": special, "k": k}
        elif kind == "arrangements":
            letters = min(p.parts + int(rng.integers(1, 3)), 7)
            counts = [int(c) for c in rng.integers(1, 5, size=letters)]
            if max(counts) == 1:  # all letters distinct: n! with nothing to divide out
                counts[int(rng.integers(len(counts)))] = int(rng.integers(2, 4))
            word = "".join(LETTERS[i] * c for i, c in enumerate(counts))
            word = "".join(rng.permutation(list(word)).tolist())
            value = math.factorial(len(word))
            for c in counts:
                value //= math.factorial(c)
            question = (f"How many distinct strings can be made by rearranging all the letters of "
                        f"{word}?")
            data = {"word": word}
        elif kind == "paths":
            # sides from 3: the 2 × 2 grid, drawn often, had one point to block
            side = min(n + 2, MAX_SIDE)
            width, height = int(rng.integers(3, side + 1)), int(rng.integers(3, side + 1))
            bx, by = int(rng.integers(1, width)), int(rng.integers(1, height))
            value = math.comb(width + height, width) - math.comb(bx + by, bx) * math.comb(
                width - bx + height - by, width - bx)
            question = (f"How many shortest lattice paths go from (0, 0) to ({width}, {height}), each "
                        f"step moving one unit right or up, without passing through the point "
                        f"({bx}, {by})?")
            data = {"width": width, "height": height, "blocked": [bx, by]}
        else:
            divisors = sorted({int(d) for d in rng.integers(2, 4 + 2 * n, size=p.parts)})
            limit = int(rng.integers(10 * n, 100 * n + 1))
            value = divisible_count(limit, divisors)
            if value == sum(limit // d for d in divisors):  # no multiple counted twice
                raise Reject("no overlap to correct for")
            question = (f"How many integers from 1 to {limit} (inclusive) are divisible by at least one "
                        f"of {', '.join(map(str, divisors))}?")
            data = {"limit": limit, "divisors": divisors}
        effort = float(value.bit_length() + n)
        return Problem({"kind": kind, "question": question, "value": str(value), **data}, str(value), effort)

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Counts without the correction: the plain binomial, multinomial or path count, or the
        question's largest number (the members, the limit)."""
        kind = problem["kind"]
        if kind == "committee":
            plain = math.comb(problem["n"], problem["k"])
        elif kind == "arrangements":
            plain = math.factorial(len(problem["word"]))
        elif kind == "paths":
            plain = math.comb(problem["width"] + problem["height"], problem["width"])
        else:
            plain = sum(problem["limit"] // d for d in problem["divisors"])
        out = {"the uncorrected count": str(plain)}
        numbers = [int(n) for n in re.findall(r"\d+", problem["question"])]
        if numbers:  # an arrangements question shows only its word
            out["the largest number in the question"] = str(max(numbers))
        return out

    def hardness(self, problem: dict) -> float:
        """Multiplications of the direct formula: the factorials or binomials it multiplies
        out, or the inclusion–exclusion terms times their lcm work."""
        kind = problem["kind"]
        if kind == "committee":
            return float(2 * problem["k"])
        if kind == "arrangements":
            return float(2 * len(problem["word"]))
        if kind == "paths":
            return float(2 * (problem["width"] + problem["height"]))
        parts = len(problem["divisors"])
        return float(parts * 2 ** (parts - 1) + len(str(problem["limit"])))

    def instance_space(self, spec: dict) -> float | None:
        """Committees, lattice-path grids and divisor sets summed over the sizes of the range
        (arrangements of a word add far more: a lower estimate)."""
        size, parts = spec["size"], _top(spec["parts"])
        sizes = range(size[0], size[1] + 1) if isinstance(size, tuple) else [size]
        top = max(sizes)
        committees = sum(members - k for members in range(2 * min(sizes), 4 * top + 1)
                         for k in range(2, min(members - 2, 2 + top // 3) + 1))
        side = min(top + 2, MAX_SIDE)
        paths = sum(range(2, side)) ** 2
        divisor_sets = math.comb(2 * top + 2, parts) * 90 * top
        return float(committees + paths + divisor_sets)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        value = int(problem.data["value"])
        return [str(value + 1), str(value - 1), str(2 * value), f"{value}, {value + 1}"]
