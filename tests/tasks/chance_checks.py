"""What the chance tasks' tests share (expected_value, conditional_probability, probability_dice):
a plain enumeration of an experiment's elementary outcomes with this module's own reading of
every condition, the gold's numerator and denominator for building hostile and accepted
forms, and the check that the Chinese prompts translate the question.

An experiment is the problem's ``experiment`` dict: ``{"kind": "dice", "n": 2, "sides": 6}``,
``{"kind": "coins", "n": 4}`` (a toss is 0 or 1, 1 for heads) or ``{"kind": "urn", "counts":
[3, 2], "draws": 2}`` (balls of colour 0 and 1, drawn without replacement). A condition is an
atom such as ``["sum_ge", 9]`` or ``["count_eq", 2, 6]`` (exactly two sixes).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from fractions import Fraction

from synlog.tasks.base import Problem
from tests.tasks.task_checks import TaskChecks


def elementary(exp: dict) -> Iterator[tuple[int, ...]]:
    """Every equally likely outcome once: faces or tosses in order for dice and coins, and for
    an urn the colours of each ordered draw of distinct labelled balls (not the generator's
    weighted colour sequences)."""
    if exp["kind"] == "urn":
        balls = [c for c, k in enumerate(exp["counts"]) for _ in range(k)]
        for draw in itertools.permutations(range(len(balls)), exp["draws"]):
            yield tuple(balls[i] for i in draw)
        return
    faces = range(1, exp["sides"] + 1) if exp["kind"] == "dice" else (0, 1)
    yield from itertools.product(faces, repeat=exp["n"])


def holds(atom: list, seq: tuple) -> bool:
    """Whether one outcome satisfies one condition atom."""
    name, args = atom[0], atom[1:]
    target = args[1] if len(args) > 1 else 1
    tests = {
        "sum_ge": lambda: sum(seq) >= args[0],
        "sum_le": lambda: sum(seq) <= args[0],
        "sum_eq": lambda: sum(seq) == args[0],
        "sum_parity": lambda: sum(seq) % 2 == args[0],
        "count_ge": lambda: seq.count(target) >= args[0],
        "count_le": lambda: seq.count(target) <= args[0],
        "count_eq": lambda: seq.count(target) == args[0],
        "distinct": lambda: len(set(seq)) == len(seq),
        "same": lambda: len(set(seq)) == 1,
        "max_le": lambda: max(seq) <= args[0],
        "min_ge": lambda: min(seq) >= args[0],
        "pos_eq": lambda: seq[args[0]] == args[1],
        "pos_gt": lambda: seq[args[0]] > seq[args[1]],
        "run_ge": lambda: "1" * args[0] in "".join(map(str, seq)),
    }
    return tests[name]()


def fraction_parts(problem: dict) -> tuple[int, int]:
    """Numerator and denominator of the problem's gold ``value``, reduced."""
    value = Fraction(problem["value"])
    return value.numerator, value.denominator


def assert_chinese_prompts(checks: TaskChecks, rows: Iterable[dict], word: str, english: str,
                           example: str) -> None:
    """Each row's problem rendered with the first Chinese template has its question in Chinese
    (``word`` in it, the English ``english`` not) and shows the example answer ``example``."""
    for row in rows:
        text = checks.task.prompt(Problem(json.loads(row["problem"]), row["answer"]), 0, "zh")
        assert word in text and english not in text and f"<answer>{example}</answer>" in text, row["id"]
