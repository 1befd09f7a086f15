"""game_of_24: every instance is solvable, the gold reaches the target, any valid expression wins.

Solvability is re-checked by a brute force written unlike the generator's solver: every
ordering of the numbers × every choice of operators × every bracketing, evaluated as trees
of Fractions, with no memo and no search towards a needed value.
"""

from __future__ import annotations

import itertools
import json
import re
import statistics
from fractions import Fraction
from functools import cache

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.errors import KnobError
from synlog.synth.example import make_row
from synlog.tasks import get_task
from synlog.tasks.math.game_of_24 import expression_trees, solve, trivially_joined
from synlog.verifiers.verdict import Reason

TASK = get_task("game_of_24")
OPS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b if b else None,
}


def bracketings(lo: int, hi: int):
    """Every full binary tree over leaf positions lo..hi-1 (nested pairs of ints)."""
    if hi - lo == 1:
        yield lo
        return
    for mid in range(lo + 1, hi):
        for left in bracketings(lo, mid):
            for right in bracketings(mid, hi):
                yield (left, right)


def evaluate(tree, leaves, ops, counter):
    """Value of a bracketing with the given leaf values and operators (None: division by 0)."""
    if isinstance(tree, int):
        return leaves[tree]
    left = evaluate(tree[0], leaves, ops, counter)
    right = evaluate(tree[1], leaves, ops, counter)
    if left is None or right is None:
        return None
    op = ops[next(counter)]
    return OPS[op](left, right)


def text(tree, leaves, ops, counter) -> str:
    if isinstance(tree, int):
        return str(leaves[tree])
    left = text(tree[0], leaves, ops, counter)
    right = text(tree[1], leaves, ops, counter)
    return f"({left} {ops[next(counter)]} {right})"


def brute_force(numbers, target, first_only=False) -> list[str]:
    """All (or the first) fully parenthesised expressions over ``numbers`` equal to ``target``."""
    found = []
    shapes = list(bracketings(0, len(numbers)))
    for order in sorted(set(itertools.permutations(numbers))):
        leaves = [Fraction(v) for v in order]
        for ops in itertools.product("+-*/", repeat=len(numbers) - 1):
            for shape in shapes:
                if evaluate(shape, leaves, ops, itertools.count()) == target:
                    found.append(text(shape, order, ops, itertools.count()))
                    if first_only:
                        return found
    return found


@cache
def instances(level: int, n: int) -> tuple[dict, ...]:
    spec = TASK.knobs.resolve(level)
    return tuple(make_row("game_of_24", level, spec, 24, i) for i in range(n))


@cache
def all_solutions(level: int, i: int) -> tuple[str, ...]:
    problem = json.loads(instances(level, 6)[i]["problem"])
    return tuple(brute_force(problem["numbers"], problem["target"]))


def test_instances_are_solvable_by_independent_brute_force():
    checked = 0
    for level in (1, 2, 3, 4, 5):
        for row in instances(level, 12):
            problem = json.loads(row["problem"])
            assert brute_force(problem["numbers"], problem["target"], first_only=True), row["id"]
            checked += 1
    for level in (6, 7, 8):
        for row in instances(level, 2):
            problem = json.loads(row["problem"])
            assert brute_force(problem["numbers"], problem["target"], first_only=True), row["id"]
            checked += 1
    assert checked >= 50


def test_solver_agrees_with_brute_force_on_random_multisets():
    rng = np.random.default_rng(7)
    unsolvable = 0
    for _ in range(40):
        numbers = [int(v) for v in rng.integers(1, 11, 4)]
        target = int(rng.integers(1, 40))
        exists = bool(brute_force(numbers, target, first_only=True))
        assert (solve(numbers, target)[0] > 0) == exists, (numbers, target)
        unsolvable += not exists
    assert unsolvable >= 5, "the sample should include unsolvable multisets"


def test_gold_uses_the_numbers_once_and_equals_the_target():
    for level in range(1, 11):
        for row in instances(level, 6):
            problem = json.loads(row["problem"])
            assert sorted(map(int, re.findall(r"\d+", row["answer"]))) == sorted(problem["numbers"])
            assert sympy.sympify(row["answer"]) == problem["target"], row["answer"]


def test_classic_hard_instance():
    solutions, _, solver = solve([3, 3, 8, 8], 24)
    assert 1 <= solutions <= 2
    assert TASK.verify({"numbers": [3, 3, 8, 8], "target": 24}, "8 / (3 - 8 / 3)").correct
    assert solve([1, 1, 1, 1], 24)[0] == 0


@settings(max_examples=30, deadline=None)
@given(level=st.sampled_from([1, 3, 5]), i=st.integers(0, 5), pick=st.integers(0, 10**6),
       style=st.sampled_from(["plain", "tight", "unicode", "suffix", "brackets"]))
def test_any_brute_force_solution_scores_one(level, i, pick, style):
    solutions = all_solutions(level, i)
    answer = solutions[pick % len(solutions)]
    if style == "tight":
        answer = answer.replace(" ", "")
    elif style == "unicode":
        answer = answer.replace("*", "×").replace("/", "÷").replace("-", "−")
    problem = json.loads(instances(level, 6)[i]["problem"])
    if style == "suffix":
        answer += f" = {problem['target']}"
    elif style == "brackets":
        answer = f"[{answer}]"
    verdict = TASK.verify(problem, answer)
    assert verdict.score == 1.0, (answer, verdict)


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("8 / (3 - 8 / 3) + 8 - 8", Reason.INVALID),  # a number used twice
        ("8 * 3", Reason.INVALID),  # numbers missing
        ("8 / (3 - 8 / 3) * 1", Reason.INVALID),  # a number not given
        ("38 - 8 - 3 - 3", Reason.INVALID),  # concatenation: 38 is not given
        ("8 / (3 - 8 / 3.0)", Reason.INVALID),  # decimals
        ("(3 - 8 / 3) ^ (3 - 8) * 8", Reason.INVALID),  # powers
        ("-8 / (8 / 3 - 3)", Reason.INVALID),  # unary minus
        ("8 / (3 - 8 / 3) = 25", Reason.INVALID),  # a wrong claimed result
        ("8 + 8 + 3 + 3", Reason.WRONG),  # legal but 22
        ("8 / (3 - 3) * 8", Reason.INVALID),  # division by zero
        ("8 / (3 - 8 / 3", Reason.UNPARSEABLE),
        ("eight", Reason.UNPARSEABLE),
    ],
)
def test_rule_violations_score_zero(answer, reason):
    verdict = TASK.verify({"numbers": [3, 3, 8, 8], "target": 24}, answer)
    assert verdict.score == 0.0 and verdict.reason is reason, verdict


def test_latex_operators_are_accepted():
    problem = {"numbers": [3, 3, 8, 8], "target": 24}
    assert TASK.verify(problem, r"8 \div \left(3 - 8 \div 3\right)").correct


def test_higher_levels_keep_instances_with_fewer_solutions():
    """Solution density (brute-force solutions per brute-force expression) falls with the level;
    level 5 gives five numbers, so raw solution counts are not comparable with level 1."""
    def density(level: int, i: int) -> float:
        numbers = json.loads(instances(level, 6)[i]["problem"])["numbers"]
        n = len(numbers)
        shapes = sum(1 for _ in bracketings(0, n))
        orders = len(set(itertools.permutations(numbers)))
        return len(all_solutions(level, i)) / (orders * 4 ** (n - 1) * shapes)

    assert statistics.median(density(5, i) for i in range(6)) < statistics.median(density(1, i) for i in range(6))


def test_unreachable_target_is_a_knob_error():
    spec = TASK.knobs.resolve(2, {"target": 100_000})
    with pytest.raises(KnobError, match="out of reach"):
        make_row("game_of_24", 2, spec, 0, 0)


def test_no_instance_is_solved_by_joining_the_numbers_with_one_operator():
    """The numbers echoed, or joined by all +, all *, all - or all /, never score."""
    for level in (1, 2, 3, 5, 6, 10):
        for row in instances(level, 12):
            problem = json.loads(row["problem"])
            assert not trivially_joined(problem["numbers"], problem["target"]), problem
            for name, answer in TASK.degenerate_answers(problem).items():
                assert TASK.verify(problem, answer).score == 0.0, (name, answer, problem)


def test_joined_numbers_that_reach_the_target_are_caught():
    assert trivially_joined([6, 6, 6, 6], 24) and trivially_joined([1, 2, 3, 4], 24)
    assert trivially_joined([1, 2, 3, 4], 10) and not trivially_joined([3, 3, 8, 8], 24)
    answers = TASK.degenerate_answers({"numbers": [1, 2, 3, 4], "target": 24})
    assert answers["numbers joined by '*'"] == "1 * 2 * 3 * 4"
    assert TASK.verify({"numbers": [6, 6, 6, 6], "target": 24}, "6 6 6 6").score == 0.0


def test_targets_vary_so_level_one_has_thousands_of_instances():
    rows = instances(1, 60)
    targets = {json.loads(r["problem"])["target"] for r in rows}
    assert len(targets) >= 12
    assert len({r["prompt"] for r in rows}) >= 57


def test_declared_instance_space_matches_an_exact_count_on_a_small_spec():
    spec = {"count": 3, "max_number": 6, "target": (10, 14), "max_solutions": 0}
    exact = 0
    for numbers in itertools.combinations_with_replacement(range(1, 7), 3):
        for target in range(10, 15):
            exact += not trivially_joined(list(numbers), target) and solve(list(numbers), target)[0] > 0
    assert 0.6 * exact <= TASK.instance_space(spec) <= 1.5 * exact


def test_expression_tree_counts_match_the_solver_on_distinct_numbers():
    assert [expression_trees(n) for n in (1, 2, 3, 4)] == [1, 6, 108, 3240]
    # every tree over 1, 2, 3 lands somewhere: the solver's table counts them all
    _, _, solver = solve([1, 2, 3], 6)
    assert sum(solver.table((1, 2, 3)).values()) == 108


def test_hardness_grows_from_level_one_to_ten():
    low = statistics.mean(TASK.hardness(json.loads(r["problem"])) for r in instances(1, 12))
    high = statistics.mean(TASK.hardness(json.loads(r["problem"])) for r in instances(10, 2))
    assert high > 1.25 * low
