"""Synthetic rows that look like foreign rows, for math_answer's generator.

Each maker returns ``(problem, operations)``: a math_answer problem whose gold is written in one
dataset's conventions, and the arithmetic operations the solution takes (the row's effort)::

    gsm8k     word problem; gold a worked solution ending "#### 1,234"        kind number
    boxed     a sum of fractions; gold a MATH solution ending \\boxed{\\frac{p}{q}}  kind auto
    choice    a word problem with 4-5 options; gold "(C)", "C)", "\\text{(C)}"...  kind choice
    set       roots of a polynomial; gold "\\boxed{-2, 5}" or "\\{-2, 5\\}"       kind auto / set
    tuple     a linear system; gold "\\boxed{(3, -4)}"                           kind auto / tuple
    interval  a linear inequality; gold "$\\left(-\\infty, \\frac{7}{3}\\right)$"   kind auto / interval
    radical   a hypotenuse or diagonal; gold "$6\\sqrt{2}$"                     kind auto
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from synlog.errors import Reject

NAMES = ("Ava", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonah", "Kira", "Liam",
         "Maya", "Nico", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Victor", "Wen", "Yusuf")
ITEMS = ("apples", "stickers", "marbles", "books", "coins", "stamps", "pencils", "shells", "cards", "beads",
         "tickets", "bottles", "cookies", "plants", "tiles", "buttons", "badges", "ribbons")
LETTER_FORMS = ("({})", "{}", "{})", "\\text{{({})}}", "{}.", "\\textbf{{({})}}")


def _int(rng: np.random.Generator, low: int, high: int) -> int:
    return int(rng.integers(low, high + 1))


def _frac(value: Fraction) -> str:
    """LaTeX of a rational, MATH style: ``-\\frac{7}{12}``, ``5``."""
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    return f"{sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def _signed(coefficient: int, term: str, first: bool = False) -> str:
    """`` + 3x`` / `` - x`` / ``2y`` for one term of a sum."""
    size = "" if abs(coefficient) == 1 and term else str(abs(coefficient))
    if first:
        return f"{'-' if coefficient < 0 else ''}{size}{term}"
    return f" {'-' if coefficient < 0 else '+'} {size}{term}"


def story(rng: np.random.Generator, steps: int, magnitude: int) -> tuple[str, list[str], int]:
    """A GSM8K-like chain: ``(question, solution lines, answer)`` after ``steps`` operations."""
    name, item = NAMES[_int(rng, 0, len(NAMES) - 1)], ITEMS[_int(rng, 0, len(ITEMS) - 1)]
    value = _int(rng, max(3, magnitude // 10), magnitude)
    sentences, lines = [f"{name} has {value} {item}."], []
    for _ in range(steps):
        operation = ("add", "sub", "mul", "div")[_int(rng, 0, 3)]
        divisors = [k for k in range(2, 10) if value % k == 0 and value // k > 2]
        if operation == "div" and not divisors:
            operation = "add"
        if operation == "sub" and value < 6:
            operation = "mul"
        if operation == "add":
            b = _int(rng, 2, magnitude)
            sentences.append(f"Then {name} gets {b} more.")
            lines.append(f"{value} + {b} = {value + b}")
            value += b
        elif operation == "sub":
            b = _int(rng, 1, value - 3)
            sentences.append(f"Then {name} gives {b} of them away.")
            lines.append(f"{value} - {b} = {value - b}")
            value -= b
        elif operation == "mul":
            k = _int(rng, 2, 6)
            sentences.append(f"Then {name} ends up with {k} times as many as that.")
            lines.append(f"{value} * {k} = {value * k}")
            value *= k
        else:
            k = divisors[_int(rng, 0, len(divisors) - 1)]
            sentences.append(f"Then {name} shares them equally among {k} friends and keeps one share.")
            lines.append(f"{value} / {k} = {value // k}")
            value //= k
    sentences.append(f"How many {item} does {name} have now?")
    return " ".join(sentences), lines, value


def gsm8k(rng: np.random.Generator, steps: int, magnitude: int) -> tuple[dict[str, Any], int]:
    question, lines, value = story(rng, steps, magnitude)
    solution = "\n".join(f"{line.split(' = ')[0]} = <<{line}>>{line.split(' = ')[1]}" for line in lines)
    return {"question": question, "answer": f"{solution}\n#### {value:,}", "kind": "number"}, steps


def choice(rng: np.random.Generator, steps: int, magnitude: int) -> tuple[dict[str, Any], int]:
    question, _, value = story(rng, steps, magnitude)
    count = _int(rng, 4, 5)
    options = {value}
    while len(options) < count:
        options.add(max(2, value + _int(rng, -max(5, value // 4), max(5, value // 4))))
    others = sorted(options - {value})
    rng.shuffle(others)
    at = _int(rng, 0, count - 1)
    texts = others[:at] + [value] + others[at:]
    letter = "ABCDE"[at]
    gold = LETTER_FORMS[_int(rng, 0, len(LETTER_FORMS) - 1)].format(letter)
    return {"question": question, "answer": gold, "kind": "choice", "choices": [str(t) for t in texts]}, steps


def boxed(rng: np.random.Generator, steps: int, magnitude: int) -> tuple[dict[str, Any], int]:
    top = max(20, int(round(2 * magnitude ** 0.5)))
    terms = [Fraction(_int(rng, 1, top), _int(rng, 2, 6 + steps)) for _ in range(steps + 1)]
    signs = [1] + [(-1) ** _int(rng, 0, 1) for _ in terms[1:]]
    total = sum(s * t for s, t in zip(signs, terms, strict=True))
    shown = "".join((_frac(t) if i == 0 else f" {'+' if s > 0 else '-'} {_frac(t)}")
                    for i, (s, t) in enumerate(zip(signs, terms, strict=True)))
    common = math.lcm(*(t.denominator for t in terms))
    question = f"Compute ${shown}$. Express your answer as a common fraction in lowest terms."
    solution = (f"Over the common denominator ${common}$ the sum is "
                f"$\\frac{{{total.numerator * (common // total.denominator)}}}{{{common}}}$, "
                f"so the answer is $\\boxed{{{_frac(total)}}}$.")
    return {"question": question, "answer": solution, "kind": "auto"}, steps + 1


def _polynomial(roots: list[int]) -> str:
    coefficients = [1]
    for r in roots:  # multiply by (x - r)
        coefficients = [a - r * b for a, b in zip(coefficients + [0], [0] + coefficients, strict=True)]
    degree = len(roots)
    text = ""
    for power, c in zip(range(degree, -1, -1), coefficients, strict=True):
        if c:
            term = "" if power == 0 else "x" if power == 1 else f"x^{power}"
            text += _signed(c, term, first=not text) if term or not text else f" {'-' if c < 0 else '+'} {abs(c)}"
    return text


def roots_set(rng: np.random.Generator, steps: int, magnitude: int) -> tuple[dict[str, Any], int]:
    degree = 2 if steps < 4 else 3
    reach = max(15, int(magnitude ** 0.5) // 2)
    lead = _int(rng, 1, 3)
    roots: list[int] = []
    while len(roots) < degree:
        r = _int(rng, -reach, reach)
        if r not in roots and abs(r) > 1:
            roots.append(r)
    shown = _polynomial(roots) if lead == 1 else f"{lead}({_polynomial(roots)})"
    question = (f"Find all real solutions of ${shown} = 0$. "
                "Enter all the solutions, separated by commas.")
    listed = ", ".join(str(r) for r in sorted(roots))
    if rng.random() < 0.5:
        return {"question": question, "answer": f"The roots are $\\boxed{{{listed}}}$.", "kind": "auto"}, 2 * degree
    return {"question": question, "answer": f"\\{{{listed}\\}}", "kind": "set"}, 2 * degree


def system(rng: np.random.Generator, steps: int, magnitude: int) -> tuple[dict[str, Any], int]:
    size = 2 if steps < 5 else 3
    names = "xyz"[:size]
    reach = max(6, int(magnitude ** 0.5) // 2)
    solution = [_int(rng, -reach, reach) for _ in range(size)]
    if any(abs(v) <= 1 for v in solution):
        raise Reject("a component 0 or ±1 is a constant's guess")
    while True:
        matrix = [[_int(rng, -5, 5) for _ in range(size)] for _ in range(size)]
        if round(np.linalg.det(np.array(matrix, dtype=float))) != 0 and all(any(row) for row in matrix):
            break
    equations = []
    for row in matrix:
        left = ""
        for c, name in zip(row, names, strict=True):
            if c:
                left += _signed(c, name, first=not left)
        equations.append(f"{left} = {sum(c * v for c, v in zip(row, solution, strict=True))}")
    question = ("Solve the system " + ", ".join(f"${e}$" for e in equations)
                + f". Enter your answer as an ordered {'pair' if size == 2 else 'triple'} $({', '.join(names)})$.")
    gold = "(" + ", ".join(str(v) for v in solution) + ")"
    kind = "auto" if rng.random() < 0.5 else "tuple"
    return {"question": question, "answer": f"We find $\\boxed{{{gold}}}$." if kind == "auto" else gold,
            "kind": kind}, size * size * 2


def inequality(rng: np.random.Generator, steps: int, magnitude: int) -> tuple[dict[str, Any], int]:
    reach = max(9, int(magnitude ** 0.5))
    a = _int(rng, 2, 9) * (-1) ** _int(rng, 0, 1)
    b = _int(rng, -reach, reach)
    if steps < 3:
        c = _int(rng, -reach, reach)
        strict = rng.random() < 0.5
        end = Fraction(c - b, a)
        below = a > 0  # a x + b < c  ->  x < (c - b)/a when a > 0
        relation = "<" if strict else "\\le"
        closed = "" if strict else "]"
        bracket = closed or ")"
        gold = (f"\\left(-\\infty, {_frac(end)}\\right{bracket}" if below
                else f"\\left{'(' if strict else '['}{_frac(end)}, \\infty\\right)")
        question = f"Solve ${_signed(a, 'x', True)}{_signed(b, '') if b else ''} {relation} {c}$."
        operations = 2
    else:
        low, high = sorted(_int(rng, -reach, reach) for _ in range(2))
        if low == high:
            raise Reject("an empty inequality")
        ends = sorted([Fraction(low - b, a), Fraction(high - b, a)])
        left_closed, right_closed = (True, False) if a > 0 else (False, True)
        gold = f"{'[' if left_closed else '('}{_frac(ends[0])}, {_frac(ends[1])}{']' if right_closed else ')'}"
        question = f"Solve ${low} \\le {_signed(a, 'x', True)}{_signed(b, '') if b else ''} < {high}$."
        operations = 4
    kind = "auto" if rng.random() < 0.5 else "interval"
    return {"question": question + " Express your answer in interval notation.",
            "answer": f"${gold}$", "kind": kind}, operations + steps


def radical(rng: np.random.Generator, steps: int, magnitude: int) -> tuple[dict[str, Any], int]:
    sides = [_int(rng, 2, max(12, int(1.5 * magnitude ** 0.5))) for _ in range(2 if steps < 4 else 3)]
    square = sum(s * s for s in sides)
    whole, rest = 1, square
    for k in range(int(math.isqrt(square)), 1, -1):
        if rest % (k * k) == 0:
            whole, rest = k, rest // (k * k)
            break
    if rest == 1:
        raise Reject("a whole-number length")
    gold = f"{whole if whole > 1 else ''}\\sqrt{{{rest}}}"
    if len(sides) == 2:
        question = (f"A right triangle has legs of length {sides[0]} and {sides[1]}. "
                    "Find the length of the hypotenuse in simplest radical form.")
    else:
        question = (f"A box measures {sides[0]} by {sides[1]} by {sides[2]}. "
                    "Find the length of its space diagonal in simplest radical form.")
    return {"question": question, "answer": f"The length is $\\sqrt{{{square}}} = \\boxed{{{gold}}}$.",
            "kind": "auto"}, 2 * len(sides) + 1


MAKERS = {"gsm8k": gsm8k, "boxed": boxed, "choice": choice, "set": roots_set, "tuple": system,
          "interval": inequality, "radical": radical}
#: how often a convention is drawn among those a level allows: choice rows are fewer, since a
#: blind letter earns 1/options on them
WEIGHTS = {"choice": 0.35}
