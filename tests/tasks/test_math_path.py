"""Specification of math_path beyond the contract.

A shunting-yard evaluator over Fractions, written here, re-checks that the gold equation
holds and, by brute force over every filling (itertools, one digit per ``?``), that the
number of valid fillings equals what the generator's vectorised count recorded.
"""

from __future__ import annotations

import itertools
import json
import re
from fractions import Fraction

from synlog.synth.example import make_row
from synlog.tasks import get_task

TASK = get_task("math_path")
RANK = {"+": 1, "-": 1, "×": 2, "÷": 2}


def shunting_yard(text: str) -> Fraction | None:
    output: list[Fraction] = []
    stack: list[str] = []

    def reduce() -> bool:
        op = stack.pop()
        b, a = output.pop(), output.pop()
        if op == "÷" and b == 0:
            return False
        output.append({"+": a + b, "-": a - b, "×": a * b, "÷": a / b if b else 0}[op])
        return True

    for token in re.findall(r"\d+|[-+×÷()]", text):
        if token.isdigit():
            if len(token) > 1 and token[0] == "0":
                return None
            output.append(Fraction(int(token)))
        elif token == "(":
            stack.append(token)
        elif token == ")":
            while stack[-1] != "(":
                if not reduce():
                    return None
            stack.pop()
        else:
            while stack and stack[-1] != "(" and RANK[stack[-1]] >= RANK[token]:
                if not reduce():
                    return None
            stack.append(token)
    while stack:
        if not reduce():
            return None
    return output[0]


def holds(equation: str) -> bool:
    left, right = equation.split("=")
    a, b = shunting_yard(left), shunting_yard(right)
    return a is not None and b is not None and a == b


def rows(levels=range(1, 11), n=6, seed=17):
    for level in levels:
        for i in range(n):
            yield make_row("math_path", level, TASK.knobs.resolve(level), seed, i)


def test_gold_holds_and_brute_force_counts_the_same_fillings():
    checked = 0
    for row in rows():
        problem = json.loads(row["problem"])
        puzzle = problem["puzzle"]
        assert holds(row["answer"]), row["id"]
        assert len(row["answer"]) == len(puzzle)
        assert all(p == a or p == "?" and a.isdigit() for p, a in zip(puzzle, row["answer"], strict=True))
        holes = puzzle.count("?")
        if holes <= 3:
            count = 0
            pieces = puzzle.split("?")
            for digits in itertools.product("0123456789", repeat=holes):
                count += holds("".join(p + d for p, d in zip(pieces, (*digits, ""), strict=True)))
            assert count == problem["solutions"], row["id"]
        checked += 1
    assert checked >= 50


def test_any_valid_filling_scores_one_and_the_shown_text_must_be_kept():
    problem = {"puzzle": "1? + 2 × 3 = 1?", "solutions": 4}
    for text in ("10 + 2 × 3 = 16", "13+2*3=19", "12 + 2 x 3 = 18"):
        assert TASK.verify(problem, text).correct, text
    for text in ("10 + 3 × 2 = 16", "10 + 2 × 3 = 17", "10 + (2 × 3) = 16", "10 + 2 × 3 = 16 = 16",
                 "1 + 2 × 3 = 7", "10 + 2 × 3", "16", "1a + 2 × 3 = 1b", "10 + 2 ** 3 = 18"):
        assert not TASK.verify(problem, text).correct, text


def test_leading_zeros_are_refused():
    problem = {"puzzle": "?4 - 4 = ?", "solutions": 0}
    assert not TASK.verify(problem, "04 - 4 = 0").correct


def test_no_one_digit_filling_holds_and_few_fillings_do():
    """Filling every ? with one digit never pays, and at most 1 in 50 fillings hold."""
    for row in rows(levels=(1, 2, 3, 5), n=15, seed=23):
        problem = json.loads(row["problem"])
        assert problem["solutions"] <= max(1, 10 ** problem["puzzle"].count("?") // 50)
        for name, answer in TASK.degenerate_answers(problem).items():
            assert not TASK.verify(problem, answer).correct, (name, problem)


def test_effort_and_hardness_grow_from_level_to_level():
    def means(level: int) -> tuple[float, float]:
        sample = list(rows(levels=[level], n=12, seed=29))
        return (sum(r["effort"] for r in sample) / len(sample),
                sum(TASK.hardness(json.loads(r["problem"])) for r in sample) / len(sample))

    ladder = [means(level) for level in (1, 3, 5, 7, 10)]
    for (e0, h0), (e1, h1) in zip(ladder, ladder[1:], strict=False):
        assert e1 > e0 and h1 > h0, ladder
