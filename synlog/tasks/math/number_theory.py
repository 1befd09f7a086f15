"""Number theory: gcd / lcm, modular inverses, the Chinese remainder theorem, Euler's totient,
and the last digits of a power. Every answer is one exact integer.

For example::

    Find the inverse of 7 modulo 26 (in 0..25).      answer: 15   (7 * 15 = 105 = 4*26 + 1)

Each question type has one integer answer computed with exact integer arithmetic
(``math.gcd``, ``pow(a, -1, m)``, CRT by combining congruences, totient by trial factoring,
``pow(b, e, 10**k)``); the prompt fixes the range (0..m-1, least positive solution, last k
digits with leading zeros dropped) so the answer is unique. Difficulty raises the magnitudes
and the number of moduli. ``effort`` is the bit length of the numbers involved.

Questions that state their own answer are redrawn: a gcd or lcm of two numbers one of which
divides the other, an inverse of a number that is its own inverse, the last digits of a power of
a base ending in 0.

Answer format: one integer. Several candidates are invalid.
"""

from __future__ import annotations

import math
import re

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.forms import NumberAnswer
from synlog.tasks.common.wording import reword
from synlog.tasks.knobs import Knob, Knobs, Params

#: a totient question's n ranges up to this many times the magnitude
TOTIENT_SPREAD = 10
KINDS = ("gcd", "lcm", "inverse", "crt", "totient", "last_digits")


#: the Chinese wording of each question pattern (a full match of the English question)
_ZH_QUESTIONS = (
    (re.compile(r"What is the greatest common divisor of (\d+) and (\d+)\?"), "{0} 和 {1} 的最大公约数是多少？"),
    (re.compile(r"What is the least common multiple of (\d+) and (\d+)\?"), "{0} 和 {1} 的最小公倍数是多少？"),
    (re.compile(r"Find the inverse of (\d+) modulo (\d+): the x in 0\.\.(\d+) with (\d+)\*x = 1 \(mod (\d+)\)\."),
     "求 {0} 模 {1} 的逆元：即 0..{2} 中满足 {3}*x = 1 (mod {4}) 的 x。"),
    (re.compile(r"Find the least non-negative integer x with (.+)\."), "求满足 {0} 的最小非负整数 x。"),
    (re.compile(r"What is Euler's totient phi\((\d+)\) \(how many of 1\.\.(\d+) are coprime to (\d+)\)\?"),
     "欧拉函数 phi({0}) 的值是多少（即 1..{1} 中有多少个数与 {2} 互素）？"),
    (re.compile(r"What number do the last (\d+) digit\(s\) of (\d+\^\d+) form \(leading zeros dropped\)\?"),
     "{1} 的最后 {0} 位数字组成的数是多少（去掉前导零）？"),
    (re.compile(r"What is the last digit of (\d+\^\d+)\?"), "{0} 的个位数字是多少？"),
)


def _zh_question(question: str) -> str:
    """The question in Chinese (numbers, words and formulas kept); unchanged if no pattern fits."""
    return reword(question, _ZH_QUESTIONS) or question



def totient(n: int) -> int:
    """Euler's phi by trial division (n is at most ~10**8 here)."""
    out, m, p = n, n, 2
    while p * p <= m:
        if m % p == 0:
            while m % p == 0:
                m //= p
            out -= out // p
        p += 1
    return out - out // m if m > 1 else out


def crt(residues: list[int], moduli: list[int]) -> int:
    """The least non-negative x with x = r_i (mod m_i), for pairwise coprime moduli."""
    x, m = 0, 1
    for r, n in zip(residues, moduli, strict=True):
        x += m * ((r - x) * pow(m, -1, n) % n)
        m *= n
    return x % m


def _top(value: int | tuple[int, int]) -> int:
    """The largest value of a knob that may be a sampled range."""
    return int(value[1]) if isinstance(value, tuple) else int(value)


@register
class NumberTheory(NumberAnswer, Task):
    """Answer a number-theory question (gcd, lcm, inverse, CRT, totient, last digits) exactly."""

    name, family, version = "number_theory", "math", 2
    value_form = "integer"  # the prompt: "one integer, nothing else"
    knobs = Knobs(
        # magnitude 50 left CRT moduli below 11 (the answer often the first residue) and gcds
        # of 1; two last digits from level 1 (one digit has ten answers, "1" the gold of a fifth)
        magnitude=Knob(int, levels=[200, 300, 500, 1000, 3000, 10**4, 3 * 10**4, 10**5, 10**6, 10**7],
                       lo=10, hi=10**8, help="size of the numbers involved"),
        moduli=Knob(int, levels=[2, 2, 2, 2, 3, 3, 3, 4, 4, 5], lo=2, hi=6,
                    help="congruences in a CRT question"),
        digits=Knob(int, levels=[2, 2, 2, 2, 2, 3, 3, 3, 4, 4], lo=1, hi=9,
                    help="digits asked for in a last-digits question"),
    )

    def context(self, problem: Problem, lang: str) -> dict:
        data = dict(problem.data)
        if lang == "zh":
            data["question"] = _zh_question(data["question"])
        return data

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        kind = KINDS[int(rng.integers(len(KINDS)))]
        top = p.magnitude

        def draw(lo: int = 2) -> int:
            return int(rng.integers(lo, top + 1))

        if kind in ("gcd", "lcm"):
            common = int(rng.integers(2, max(3, int(top ** 0.5)) + 1))
            x, y = draw(2), draw(2)
            if x % y == 0 or y % x == 0:  # one number dividing the other states the answer
                raise Reject("one number divides the other")
            a, b = common * x, common * y
            value = math.gcd(a, b) if kind == "gcd" else a * b // math.gcd(a, b)
            question = (f"What is the greatest common divisor of {a} and {b}?" if kind == "gcd"
                        else f"What is the least common multiple of {a} and {b}?")
            numbers = [a, b]
        elif kind == "inverse":
            m = draw(5)
            a = int(rng.integers(2, m - 1))  # below m - 1, whose inverse is itself
            while math.gcd(a, m) != 1:
                a += 1
            if a * a % m == 1:  # its own inverse: the answer is printed in the question
                raise Reject("a is its own inverse")
            value = pow(a, -1, m)
            question = f"Find the inverse of {a} modulo {m}: the x in 0..{m - 1} with {a}*x = 1 (mod {m})."
            numbers = [a, m]
        elif kind == "crt":
            bound = max(3, min(10**4, int(top ** (1 / p.moduli)) + 3))
            moduli: list[int] = []
            for _ in range(200):
                m = int(rng.integers(2, bound + 1))
                if all(math.gcd(m, n) == 1 for n in moduli):
                    moduli.append(m)
                if len(moduli) == p.moduli:
                    break
            else:
                raise Reject("no pairwise coprime moduli drawn")
            residues = [int(rng.integers(0, m)) for m in moduli]
            value = crt(residues, moduli)
            system = ", ".join(f"x = {r} (mod {m})" for r, m in zip(residues, moduli, strict=True))
            question = f"Find the least non-negative integer x with {system}."
            numbers = moduli
        elif kind == "totient":
            n = int(rng.integers(2, TOTIENT_SPREAD * top + 1))  # n up to top alone repeats at level 1
            value = totient(n)
            question = f"What is Euler's totient phi({n}) (how many of 1..{n} are coprime to {n})?"
            numbers = [n]
        else:
            base, exponent = draw(2), int(rng.integers(10, 10 * top + 1))
            if base % 10 == 0:  # ends in zeros whatever the exponent
                raise Reject("a base ending in 0")
            value = pow(base, exponent, 10 ** p.digits)
            question = (f"What number do the last {p.digits} digit(s) of {base}^{exponent} form "
                        f"(leading zeros dropped)?" if p.digits > 1
                        else f"What is the last digit of {base}^{exponent}?")
            numbers = [base, exponent]
        effort = float(sum(n.bit_length() for n in numbers) + (p.digits if kind == "last_digits" else 0))
        return Problem({"kind": kind, "question": question, "value": str(value)}, str(value), effort)

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """A guess a glance suggests: the smallest number in the question (a residue, a small
        modulus, the number of digits asked for)."""
        numbers = [int(n) for n in re.findall(r"\d+", problem["question"])]
        return {"the smallest number in the question": str(min(numbers))}

    def hardness(self, problem: dict) -> float:
        """Digits the computation works on: every number in the question, plus the answer's."""
        return float(len(re.findall(r"\d", problem["question"])) + len(problem["value"]))

    def instance_space(self, spec: dict) -> float | None:
        """The commonest kind's draws (two numbers up to the magnitude), summed over kinds."""
        top = _top(spec["magnitude"])
        return float(len(KINDS) * top * top)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        value = int(problem.data["value"])
        return [str(value + 1), str(value - 1), f"{value} or {value + 1}", str(-value - 1)]
