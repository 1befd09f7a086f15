"""Cryptarithms: replace each letter by a digit so that a word sum (or product) holds.

Different letters stand for different digits and no word starts with 0. For example::

    SEND + MORE = MONEY        D=7, E=5, M=1, N=6, O=0, R=8, S=9, Y=2

Instances are generated, not drawn from a list: random operands (their digits drawn from a
pool of ``digit_pool`` digits) are added (or, where ``allow_products``, sometimes multiplied),
and the digits are replaced by letters through a random injective map. A candidate is kept
only when an exact column-wise search (units column first, carrying into the next, each
result digit deduced rather than guessed) finds **exactly one** letter-to-digit assignment;
the search stops at the second solution. ``effort`` is the search's node count;
:meth:`Cryptarithm.hardness` counts the digit operations the equation asks for (an addition
per operand digit of a sum; a multiplication and an addition per digit pair of a product;
one per result digit), independent of the search.

Answer format: every letter of the puzzle exactly once as ``LETTER=DIGIT``, separated by
commas (``D=7, E=5, M=1, ...``) or lines, in any order, case-insensitive, with the shared
markdown decorations (``- D=7`` lines, ``**D**=7``; see :mod:`synlog.tasks.common.answers`).
``verify`` checks the rules
(all letters assigned once, distinct digits, no leading zero, the equation holds); since the
solution is unique this accepts exactly the gold mapping.
"""

from __future__ import annotations

import re

import numpy as np

from synlog.errors import KnobError, Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import decorated_forms, undecorate
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: candidates drawn inside one ``generate`` call before handing a Reject to the engine
CANDIDATES_PER_CALL = 200
#: share of puzzles that are products where ``allow_products`` is on
PRODUCT_SHARE = 1 / 3
#: search nodes one ``generate`` call may spend over all its candidates (bounds huge overrides)
NODE_BUDGET = 2_000_000

_ITEM = re.compile(r"([A-Z])[=:](\d)[,;]?")
_ANSWER = re.compile(r"(?:[A-Z][=:]\d[,;]?)+")


class SearchBudgetError(Exception):
    """The search went past its node budget."""


def count_solutions(operands: list[str], result: str, op: str, limit: int = 2,
                    budget: int = NODE_BUDGET) -> tuple[list[dict[str, int]], int]:
    """Solutions (up to ``limit``) of ``operands[0] op operands[1] ... = result``, and nodes.

    Returns ``(solutions, nodes)``; each solution maps letter -> digit. The search walks the
    columns from the units up: it guesses the operand letters a column introduces, then the
    column sum fixes the result letter (or, for sums whose result letter is already known, one
    operand letter), and the carry goes to the next column. A leftover carry is a dead end.
    Raises SearchBudgetError after ``budget`` nodes.
    """
    letters = sorted(set("".join(operands) + result))
    index = {c: i for i, c in enumerate(letters)}
    leading = [False] * len(letters)
    for word in (*operands, result):
        leading[index[word[0]]] = True
    rows = [[index[c] for c in reversed(w)] for w in operands]
    out = [index[c] for c in reversed(result)]
    # steps: (GUESS, letter) | (RESULT, letter, terms, pairs) | (DEDUCE, letter, terms, known)
    steps: list[tuple] = []
    known: set[int] = set()
    for col, res in enumerate(out):
        if op == "+":
            terms, pairs = [r[col] for r in rows if col < len(r)], []
        else:
            a, b = rows
            pairs = [(a[j], b[col - j]) for j in range(len(a)) if 0 <= col - j < len(b)]
            terms = [x for pair in pairs for x in pair]
        unknown = list(dict.fromkeys(t for t in terms if t not in known))
        single = [u for u in unknown if terms.count(u) == 1] if op == "+" and res in known else []
        if single:
            unknown.remove(single[-1])
        for u in unknown:
            steps.append((0, u, None, None))
            known.add(u)
        if single:
            steps.append((2, single[-1], [t for t in terms if t != single[-1]], res))
            known.add(single[-1])
        else:
            steps.append((1, res, [] if pairs else terms, pairs))
            known.add(res)
    digit = [-1] * len(letters)
    used = [False] * 10
    solutions: list[dict[str, int]] = []
    nodes = 0
    n_steps = len(steps)

    def go(k: int, carry: int) -> None:
        nonlocal nodes
        nodes += 1
        if nodes > budget:
            raise SearchBudgetError
        if k == n_steps:
            if carry == 0:
                solutions.append({c: digit[i] for i, c in enumerate(letters)})
            return
        kind, x, terms, extra = steps[k]
        if kind == 0:  # guess an operand letter
            for d in range(1 if leading[x] else 0, 10):
                if not used[d]:
                    used[d] = True
                    digit[x] = d
                    go(k + 1, carry)
                    used[d] = False
                    if len(solutions) >= limit:
                        break
            digit[x] = -1
            return
        total = carry
        for t in terms:
            total += digit[t]
        if kind == 2:  # the known result digit fixes the last operand letter of the column
            d = (digit[extra] - total) % 10
            carry = (total + d) // 10
        else:
            for a, b in extra:
                total += digit[a] * digit[b]
            d, carry = total % 10, total // 10
            if digit[x] >= 0:
                if digit[x] == d:
                    go(k + 1, carry)
                return
        if not used[d] and (d or not leading[x]):
            used[d] = True
            digit[x] = d
            go(k + 1, carry)
            used[d] = False
            digit[x] = -1

    go(0, 0)
    return solutions, nodes


def _value(word: str, mapping: dict[str, int]) -> int:
    value = 0
    for c in word:
        value = value * 10 + mapping[c]
    return value


def format_mapping(mapping: dict[str, int]) -> str:
    """The canonical answer: ``A=1, B=2, ...`` in alphabetical order."""
    return ", ".join(f"{c}={mapping[c]}" for c in sorted(mapping))


@register
class Cryptarithm(Task):
    """Assign distinct digits to letters so that a word sum or product holds; one solution."""

    name, family, version = "cryptarithm", "deduction", 2
    knobs = Knobs(
        n_addends=Knob(int, levels=[2, 2, 2, 2, 2, 3, 3, 3, 4, 5], lo=2, hi=8,
                       help="number of words added together (sums)"),
        word_len=Knob(int, levels=[3, 3, 4, 4, 5, 5, 6, 7, 7, 7], lo=1, hi=8,
                      help="letters per addend (and of the first factor of a product)"),
        digit_pool=Knob(int, levels=[3, 4, 5, 6, 8, 7, 9, 10, 10, 10], lo=2, hi=10,
                        help="distinct digits the operands are drawn from (the result may add"
                             " more); more digits means more letters"),
        allow_products=Knob(bool, levels=[False] * 7 + [True] * 3,
                            help="when true, a third of the puzzles are products A × B = C"),
        multiplier_len=Knob(int, levels=[1] * 7 + [2, (2, 3), 3], lo=1, hi=6,
                            help="digits of the second factor of a product"),
    )

    def check_params(self, params: Params) -> None:
        if params.allow_products and params.word_len + params.multiplier_len > 12:
            raise KnobError("products over 12 digits are too slow to prove unique;"
                            " lower word_len or multiplier_len")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        product = bool(p.allow_products) and bool(rng.random() < PRODUCT_SHARE)
        lengths = [p.word_len, p.multiplier_len] if product else [p.word_len] * p.n_addends
        budget = NODE_BUDGET
        for _ in range(CANDIDATES_PER_CALL):
            pool = rng.permutation(10)[: p.digit_pool]
            nonzero = pool[pool != 0]
            digits = pool[rng.integers(0, len(pool), size=sum(lengths))].tolist()
            leads = nonzero[rng.integers(0, len(nonzero), size=len(lengths))].tolist()
            numbers, start = [], 0
            for length, lead in zip(lengths, leads, strict=True):
                numbers.append(int("".join(map(str, [lead, *digits[start + 1 : start + length]]))))
                start += length
            total = numbers[0] * numbers[1] if product else sum(numbers)
            used = sorted(set("".join(map(str, [*numbers, total]))))
            letters = [ALPHABET[i] for i in rng.permutation(26)[: len(used)]]
            to_letter = dict(zip(used, letters, strict=True))
            operands = ["".join(to_letter[c] for c in str(n)) for n in numbers]
            result = "".join(to_letter[c] for c in str(total))
            try:
                solutions, nodes = count_solutions(operands, result, "*" if product else "+",
                                                   budget=budget)
            except SearchBudgetError:
                raise Reject("search budget spent") from None
            budget -= nodes
            if len(solutions) == 1:
                data = {"operator": "*" if product else "+", "operands": operands,
                        "result": result, "letters": sorted(solutions[0])}
                return Problem(data, format_mapping(solutions[0]), float(nodes))
        raise Reject("no candidate with a unique solution")

    def context(self, problem: Problem, lang: str) -> dict:
        data = problem.data
        sign = "×" if data["operator"] == "*" else "+"
        operands, result = data["operands"], data["result"]
        width = max(len(w) for w in [*operands, result]) + 2
        layout = [operands[0].rjust(width)]
        layout += [f"{sign} {w}".rjust(width) for w in operands[1:]]
        layout += ["-" * width, result.rjust(width)]
        return {**data, "layout": layout, "equation": f" {sign} ".join(operands) + f" = {result}"}

    def verify(self, problem: dict, answer: str) -> Verdict:
        if len(answer) > 400:
            return Verdict.unparseable("answer too long for a letter=digit mapping")
        text = "".join(undecorate(answer).split()).upper().strip("{}[]().")
        if not _ANSWER.fullmatch(text):
            return Verdict.unparseable("expected LETTER=DIGIT pairs separated by commas")
        letters = set(problem["letters"])
        mapping: dict[str, int] = {}
        for letter, digit in _ITEM.findall(text):
            if letter not in letters:
                return Verdict.invalid(f"{letter} is not a letter of the puzzle")
            if letter in mapping:
                return Verdict.invalid(f"{letter} is assigned twice")
            mapping[letter] = int(digit)
        missing = sorted(letters - mapping.keys())
        if missing:
            return Verdict.invalid(f"no digit for {', '.join(missing)}")
        if len(set(mapping.values())) != len(mapping):
            return Verdict.invalid("two letters share a digit")
        operands, result = problem["operands"], problem["result"]
        for word in (*operands, result):
            if mapping[word[0]] == 0:
                return Verdict.invalid(f"{word} starts with 0")
        values = [_value(w, mapping) for w in operands]
        if problem["operator"] == "*":
            total = 1
            for v in values:
                total *= v
        else:
            total = sum(values)
        if total != _value(result, mapping):
            return Verdict.wrong(f"the equation gives {total}, not {_value(result, mapping)}")
        return Verdict.ok()

    def hardness(self, problem: dict) -> float:
        operands, result = problem["operands"], problem["result"]
        if problem["operator"] == "*":
            steps = 2 * len(operands[0]) * len(operands[1])
        else:
            steps = sum(len(w) for w in operands)
        return float(steps + len(result))

    def alternative_forms(self, problem: Problem) -> list[str]:
        return decorated_forms(problem.answer.split(", "), ", ")

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = {c: int(d) for c, d in _ITEM.findall(problem.answer.replace(" ", ""))}
        letters = sorted(gold)
        wrong = []
        if len(letters) >= 2:
            a, b = (str(c) for c in rng.choice(letters, size=2, replace=False))
            swapped = dict(gold, **{a: gold[b], b: gold[a]})
            wrong.append(format_mapping(swapped))
        letter = str(rng.choice(letters))
        spare = sorted(set(range(10)) - set(gold.values())) or [d for d in range(10) if d != gold[letter]]
        wrong.append(format_mapping(dict(gold, **{letter: int(rng.choice(spare))})))
        wrong.append(format_mapping({c: d for c, d in gold.items() if c != letter}))
        return wrong
