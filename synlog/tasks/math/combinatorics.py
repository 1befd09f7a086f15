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

Answer format: one integer. Several candidates are invalid.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from synlog.synth.knobs import Knob, Knobs, Params
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.forms import NumberAnswer

KINDS = ("committee", "arrangements", "paths", "divisible")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def divisible_count(limit: int, divisors: list[int]) -> int:
    """How many of 1..limit are divisible by at least one divisor (inclusion–exclusion)."""
    total = 0
    for size in range(1, len(divisors) + 1):
        for subset in itertools.combinations(divisors, size):
            total += (-1) ** (size + 1) * (limit // math.lcm(*subset))
    return total


@register
class Combinatorics(NumberAnswer, Task):
    """Count arrangements, committees, lattice paths or divisible integers exactly."""

    name, family, version = "combinatorics", "math", 1
    value_form = "integer"  # the prompt: "one integer, nothing else"
    knobs = Knobs(
        size=Knob(int, levels=[5, 6, 7, 8, 9, 10, 12, 14, 16, 20], lo=3, hi=40,
                  help="n: people, letters, grid side"),
        parts=Knob(int, levels=[2, 2, 2, 3, 3, 3, 4, 4, 5, 5], lo=2, hi=6,
                   help="divisors in inclusion–exclusion / distinct letters"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        kind = KINDS[int(rng.integers(len(KINDS)))]
        n = p.size
        if kind == "committee":
            special = int(rng.integers(1, n))
            k = int(rng.integers(1, n))
            value = math.comb(n, k) - math.comb(n - special, k)
            question = (f"A club has {n} members, {special} of whom are officers. How many committees of "
                        f"exactly {k} members contain at least one officer?")
            data = {"n": n, "special": special, "k": k}
        elif kind == "arrangements":
            counts = [int(c) for c in rng.integers(1, 4, size=min(p.parts + 1, 6))]
            word = "".join(LETTERS[i] * c for i, c in enumerate(counts))
            word = "".join(rng.permutation(list(word)).tolist())
            value = math.factorial(len(word))
            for c in counts:
                value //= math.factorial(c)
            question = (f"How many distinct strings can be made by rearranging all the letters of "
                        f"{word}?")
            data = {"word": word}
        elif kind == "paths":
            width, height = int(rng.integers(2, n // 2 + 3)), int(rng.integers(2, n // 2 + 3))
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
            question = (f"How many integers from 1 to {limit} (inclusive) are divisible by at least one "
                        f"of {', '.join(map(str, divisors))}?")
            data = {"limit": limit, "divisors": divisors}
        effort = float(value.bit_length() + n)
        return Problem({"kind": kind, "question": question, "value": str(value), **data}, str(value), effort)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        value = int(problem.data["value"])
        return [str(value + 1), str(value - 1), str(2 * value), f"{value}, {value + 1}"]
