"""Boolean expressions: which of several nested and/or/not expressions are true?

Each option is an expression over facts (``True``/``False`` and number facts such as
``prime(13)``, each computed, so actually true or false) and arithmetic comparisons, combined with
``and``, ``or`` and ``not`` and fully parenthesised. The answer is the set of letters of the
true options, or "none"::

    A. not (3 + 4 > 6) or True          → true
    B. (2 * 3 == 6) and (5 - 1 < 2)     → false
    C. prime(9) or divides(3, 12)       → true
    answer: A, C

Rules: standard Boolean logic; ``*`` before ``+``/``-``; comparisons on integers; ``True``
and ``False`` are facts with that value; ``even(n)``, ``prime(n)``, ``square(n)`` (a square of
an integer) and ``divides(k, n)`` are number facts. Every expression is built top-down to a chosen
truth value, so its value is known exactly (the tests re-evaluate the printed text with an
independent evaluator). The true options are a uniformly random non-empty subset, and "none"
is the answer of a ``none_share`` of instances (1.5 %, about a blind guess's 2^-6), so no set
of letters (``none``, ``A``, every letter) is the gold of more than a few percent of rows.
"""

from __future__ import annotations

import operator
import string

import numpy as np

from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, decorated_forms, join_set, parse_letter_set
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

RELATIONS = {"<": operator.lt, ">": operator.gt, "==": operator.eq, "!=": operator.ne,
             "<=": operator.le, ">=": operator.ge}


def comparison(rng: np.random.Generator, value: bool, operands: int) -> str:
    """``a + b * c > d`` whose truth is ``value``."""
    numbers = [int(x) for x in rng.integers(1, 10, operands)]
    ops = [str(rng.choice(["+", "-", "*"])) for _ in range(operands - 1)]
    text = " ".join(str(numbers[0]) if i == 0 else f"{ops[i - 1]} {numbers[i]}" for i in range(operands))
    left = arithmetic(numbers, ops)
    relation = str(rng.choice(list(RELATIONS)))
    candidates = [r for r in range(left - 4, left + 5) if RELATIONS[relation](left, r) == value]
    return f"{text} {relation} {candidates[int(rng.integers(len(candidates)))]}"


#: number facts → whether they hold for (n, k); the prompt defines each
FACTS = {
    "even": lambda n, k: n % 2 == 0,
    "prime": lambda n, k: n > 1 and all(n % d for d in range(2, int(n ** 0.5) + 1)),
    "square": lambda n, k: int(n ** 0.5) ** 2 == n,
    "divides": lambda n, k: n % k == 0,
}


def number_fact(rng: np.random.Generator, value: bool) -> str:
    """``prime(13)``, ``even(8)``, ``square(49)`` or ``divides(3, 12)`` whose truth is ``value``."""
    name = str(rng.choice(list(FACTS)))
    while True:  # each fact is true for some and false for other numbers in 2..99, so this ends
        n, k = int(rng.integers(2, 100)), int(rng.integers(2, 10))
        if name == "square" and value:
            n = int(rng.integers(2, 10)) ** 2
        if FACTS[name](n, k) == value:
            return f"divides({k}, {n})" if name == "divides" else f"{name}({n})"


def arithmetic(numbers: list[int], ops: list[str]) -> int:
    """Left-to-right with ``*`` first: the value of ``numbers`` joined by ``ops``."""
    terms, signs = [numbers[0]], []
    for op, n in zip(ops, numbers[1:], strict=False):
        if op == "*":
            terms[-1] *= n
        else:
            terms.append(n)
            signs.append(1 if op == "+" else -1)
    return terms[0] + sum(s * t for s, t in zip(signs, terms[1:], strict=False))


def expression(rng: np.random.Generator, depth: int, value: bool, operands: int) -> tuple[str, int]:
    """An expression of nesting ``depth`` whose value is ``value``, and its node count."""
    if depth == 0:
        roll = rng.random()
        if roll < 0.1:  # rare: a literal's value follows its parent's, a shortcut when common
            return ("True" if value else "False"), 1
        if roll < 0.4:
            return number_fact(rng, value), 1
        return comparison(rng, value, int(rng.integers(1, operands + 1)) if operands > 1 else 1), 1
    kind = int(rng.integers(3))
    if kind == 0:
        inner, nodes = expression(rng, depth - 1, not value, operands)
        return f"not ({inner})", nodes + 1
    word = "and" if kind == 1 else "or"
    if (word == "and") == value:
        parts = [value, value]
    else:
        parts = [[not value, value], [value, not value], [value, value]][int(rng.integers(3))]
    deep = int(rng.integers(2))
    texts, total = [], 1
    for side, part in enumerate(parts):
        text, nodes = expression(rng, depth - 1 if side == deep else int(rng.integers(depth)), part, operands)
        texts.append(text if nodes == 1 else f"({text})")
        total += nodes
    return f"{texts[0]} {word} {texts[1]}", total


@register
class BooleanExpressions(Task):
    """Pick the true ones among nested and/or/not expressions over facts and comparisons."""

    name, family, version = "boolean_expressions", "language", 2
    knobs = Knobs(
        options=Knob(int, levels=[6, 6, 7, 7, 8, 8, 9, 9, 10, 10], lo=1, hi=26, help="expressions to judge"),
        depth=Knob(int, levels=[1, 1, 2, 2, 3, 3, 4, 4, 5, 5], lo=0, hi=8, help="nesting depth"),
        operands=Knob(int, levels=[1, 2, 2, 3, 3, 4, 4, 5, 5, 6], lo=1, hi=6,
                      help="most numbers on the left of a comparison"),
        none_share=Knob(float, levels=[0.015] * 10, lo=0.0, hi=0.2, help="share of answers 'none'"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        truth = [False] * p.options
        if rng.random() >= p.none_share:  # otherwise a uniform non-empty subset is true
            while not any(truth):
                truth = [bool(x) for x in rng.random(p.options) < 0.5]
        letters = string.ascii_uppercase[: p.options]
        options, effort = [], 0
        for value in truth:
            text, nodes = expression(rng, p.depth, value, p.operands)
            options.append(text)
            effort += nodes
        true_letters = [letter for letter, value in zip(letters, truth, strict=False) if value]
        return Problem({"options": options, "letters": letters, "true_letters": true_letters},
                       join_set(true_letters), float(effort))

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            claimed = parse_letter_set(answer, problem["letters"])
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        gold = set(problem["true_letters"])
        if claimed != gold:
            return Verdict.wrong("not the set of true options", missed=sorted(gold - claimed),
                                 extra=sorted(claimed - gold))
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        letters, options = problem["letters"], problem["options"]
        shortcuts = {"every letter": join_set(letters), "every other letter": join_set(letters[::2]),
                     "the options without a 'not'": join_set(
                         [letter for letter, text in zip(letters, options, strict=True) if "not" not in text])}
        mention_true = [letter for letter, text in zip(letters, options, strict=True) if "True" in text]
        if mention_true:  # a literal True leans its option towards true
            shortcuts["the options that mention True"] = join_set(mention_true)
        return shortcuts

    def alternative_forms(self, problem: Problem) -> list[str]:
        return decorated_forms(problem.answer.split(", "), ", ")

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = set(problem.data["true_letters"])
        letters = problem.data["letters"]
        wrong = [join_set(gold ^ {letters[0]}), join_set(gold ^ {letters[-1]}), join_set(set(letters) - gold)]
        return [w for w in wrong if w != problem.answer] + [f"{problem.answer}, {problem.answer}"]
