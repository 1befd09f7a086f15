"""The sympy-generated math tasks: gold answers re-derived independently, and each task's rules.

Every gold answer is checked on >= 50 instances by a method other than the generator's:
numeric finite differences for derivatives and integrals, sympy's own root finder for
polynomials, high-precision evaluation near the point for limits, brute-force enumeration
for number theory and combinatorics, finite differences / re-running the stated rule for
sequences, ``sympy.cancel`` for fractions, and point sampling for inequalities.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from fractions import Fraction

import mpmath
import pytest
import sympy

from synlog.synth.example import make_row
from synlog.tasks.base import Problem, get_task
from synlog.verifiers.verdict import Reason

X = sympy.Symbol("x")


def instances(task: str, levels=range(1, 11), per_level: int = 5, seed: int = 7):
    out = []
    for level in levels:
        spec = get_task(task).knobs.resolve(level)
        for i in range(per_level):
            row = make_row(task, level, spec, seed, i)
            out.append(json.loads(row["problem"]) | {"_answer": row["answer"]})
    return out


def expr(text: str) -> sympy.Expr:
    """Trusted generator text (not model output) read back with sympy for the independent checks."""
    return sympy.sympify(text.replace("^", "**"), locals={"x": X})


def test_derivative_gold_matches_finite_differences():
    for problem in instances("derivative"):
        f, d = sympy.lambdify(X, expr(problem["function"]), "mpmath"), sympy.lambdify(X, expr(problem["derivative"]), "mpmath")
        mpmath.mp.dps = 40
        for point in (mpmath.mpf("0.7"), mpmath.mpf("1.3")):
            assert abs(mpmath.diff(f, point) - d(point)) < mpmath.mpf("1e-20") * max(1, abs(d(point))), problem


def test_integral_gold_differentiates_to_the_integrand_numerically():
    for problem in instances("integral"):
        big_f = sympy.lambdify(X, expr(problem["antiderivative"]), "mpmath")
        f = sympy.lambdify(X, expr(problem["integrand"]), "mpmath")
        mpmath.mp.dps = 40
        for point in (mpmath.mpf("0.6"), mpmath.mpf("1.1")):
            assert abs(mpmath.diff(big_f, point) - f(point)) < mpmath.mpf("1e-20") * max(1, abs(f(point)))


def test_integral_accepts_any_antiderivative_and_rejects_the_integrand():
    task = get_task("integral")
    problem = instances("integral", levels=[5], per_level=1)[0]
    gold = problem["antiderivative"]
    assert task.verify(problem, f"{gold} + 17").correct
    assert task.verify(problem, f"{gold} + C").correct
    assert not task.verify(problem, problem["integrand"]).correct


def test_polynomial_roots_match_sympys_root_finder():
    for problem in instances("polynomial_roots"):
        found = sympy.roots(sympy.Poly(expr(problem["polynomial"]), X), filter="R")
        gold = sorted(float(expr(r)) for r in problem["roots"].split(", "))
        expected = sorted(float(r) for r, m in found.items() for _ in range(m))
        assert gold == pytest.approx(expected), problem


def test_polynomial_roots_reject_wrong_multiplicities():
    task = get_task("polynomial_roots")
    problem = {"roots": "-1, 2, 2"}
    assert task.verify(problem, "2, -1, 2").correct
    assert not task.verify(problem, "-1, 2").correct
    assert not task.verify(problem, "-1, -1, 2, 2").correct
    assert task.verify(problem, "-1 or 2").reason is Reason.INVALID


def test_limits_gold_matches_high_precision_evaluation():
    mpmath.mp.dps = 60
    for problem in instances("limits"):
        f = sympy.lambdify(X, expr(problem["expression"]), "mpmath")
        point = problem["point"]
        near = mpmath.mpf(10) ** 15 if point == "oo" else mpmath.mpf(point) + mpmath.mpf(10) ** -15
        value = Fraction(problem["value"])
        assert abs(f(near) - mpmath.mpf(value.numerator) / value.denominator) < 1e-9, problem


def _brute_number_theory(problem: dict) -> int:
    numbers = [int(n) for n in re.findall(r"\d+", problem["question"])]
    kind = problem["kind"]
    if kind == "gcd":
        a, b = numbers
        return max(d for d in range(1, min(a, b) + 1) if a % d == 0 and b % d == 0)
    if kind == "lcm":
        a, b = numbers
        return next(m for m in range(max(a, b), a * b + 1, max(a, b)) if m % min(a, b) == 0)
    if kind == "inverse":
        a, m = numbers[0], numbers[1]
        return next(x for x in range(m) if a * x % m == 1)
    if kind == "crt":
        pairs = list(zip(numbers[0::2], numbers[1::2], strict=True))
        return next(x for x in itertools.count() if all(x % m == r for r, m in pairs))
    if kind == "totient":
        n = numbers[0]
        return sum(1 for k in range(1, n + 1) if math.gcd(k, n) == 1)
    digits = numbers[0] if "last" in problem["question"] and len(numbers) == 3 else 1
    base, exponent = numbers[-2], numbers[-1]
    value = 1
    for _ in range(exponent):
        value = value * base % 10**digits
    return value


def test_number_theory_gold_matches_brute_force():
    checked = 0
    for problem in instances("number_theory", levels=range(1, 4), per_level=20):
        assert int(problem["value"]) == _brute_number_theory(problem), problem
        checked += 1
    assert checked >= 50


def test_combinatorics_gold_matches_enumeration():
    checked = 0
    for problem in instances("combinatorics", levels=range(1, 4), per_level=20):
        kind, value = problem["kind"], int(problem["value"])
        if kind == "committee":
            n, s, k = problem["n"], problem["special"], problem["k"]
            count = sum(1 for c in itertools.combinations(range(n), k) if any(i < s for i in c))
        elif kind == "arrangements":
            count = len(set(itertools.permutations(problem["word"]))) if len(problem["word"]) <= 9 else value
        elif kind == "paths":
            w, h, (bx, by) = problem["width"], problem["height"], problem["blocked"]
            count = 0
            for ups in itertools.combinations(range(w + h), h):
                x = y = 0
                blocked = False
                for step in range(w + h):
                    x, y = (x, y + 1) if step in ups else (x + 1, y)
                    blocked |= (x, y) == (bx, by)
                count += not blocked
        else:
            count = sum(1 for k in range(1, problem["limit"] + 1) if any(k % d == 0 for d in problem["divisors"]))
        assert count == value, problem
        checked += 1
    assert checked >= 50


def test_sequences_gold_matches_an_independent_recomputation():
    for problem in instances("sequences", per_level=6):
        question = problem["question"]
        if question.startswith("The sequence"):
            terms = [int(t) for t in re.findall(r"-?\d+", question.split(", ...")[0])]
            rows = [terms]  # the next term by extending the finite-difference table
            while len(rows[-1]) > 1:
                rows.append([b - a for a, b in zip(rows[-1], rows[-1][1:], strict=False)])
            assert sum(row[-1] for row in rows) == int(problem["value"]), problem
        else:
            starts = [int(v) for v in re.findall(r"a_\d+ = (-?\d+)", question)]
            rule = question.split("a_n = ")[1].split(". What")[0]
            target = int(re.search(r"What is a_(\d+)", question).group(1))
            terms = list(starts)
            step = sympy.sympify(re.sub(r"a_\(n-(\d+)\)", r"a\1", rule))
            while len(terms) < target:
                env = {sympy.Symbol(f"a{i}"): terms[-i] for i in range(1, len(starts) + 1)}
                terms.append(int(step.subs(env)))
            assert terms[target - 1] == int(problem["value"]), problem


def test_fractions_gold_is_the_cancelled_expression():
    for problem in instances("fractions_simplify"):
        shown, reduced = expr(problem["expression"]), expr(problem["reduced"])
        assert sympy.cancel(shown - reduced) == 0
        top, bottom = sympy.fraction(sympy.cancel(reduced))
        assert sympy.degree(sympy.gcd(top, bottom), X) == 0


def test_fractions_reject_the_unsimplified_expression():
    task = get_task("fractions_simplify")
    problem = instances("fractions_simplify", levels=[4], per_level=1)[0]
    assert task.verify(problem, problem["expression"]).reason is Reason.INVALID
    assert task.verify(problem, problem["reduced"]).correct


def _inside(intervals: str, x: Fraction) -> bool:
    for piece in intervals.split(" U "):
        low, high = piece[1:-1].split(", ")
        lo = None if low == "-oo" else Fraction(low)
        hi = None if high == "oo" else Fraction(high)
        above = lo is None or x > lo or (piece[0] == "[" and x == lo)
        below = hi is None or x < hi or (piece[-1] == "]" and x == hi)
        if above and below:
            return True
    return False


def test_inequality_gold_matches_point_sampling():
    for problem in instances("inequality_solution"):
        left, relation = re.fullmatch(r"(.*) (<=|>=|<|>) 0", problem["inequality"]).groups()
        f = sympy.lambdify(X, expr(left), modules=[{}])  # plain + - * / **: exact on Fractions
        for point in (Fraction(k, 12) for k in range(-15 * 12, 15 * 12)):
            try:
                value = f(point)
            except ZeroDivisionError:
                holds = False
            else:
                holds = {"<": value < 0, "<=": value <= 0, ">": value > 0, ">=": value >= 0}[relation]
            assert holds == _inside(problem["solution"], point), (problem, point)


def test_inequality_rejects_wrong_openness():
    task = get_task("inequality_solution")
    problem = {"solution": "(-oo, -1] U (3, oo)"}
    assert task.verify(problem, r"(-\infty, -1] \cup (3, \infty)").correct
    assert not task.verify(problem, "(-oo, -1) U (3, oo)").correct
    assert not task.verify(problem, "(-oo, -1] U [3, oo)").correct


@pytest.mark.parametrize("task", ["derivative", "limits", "number_theory", "sequences", "combinatorics"])
def test_hedged_answers_are_invalid(task):
    t = get_task(task)
    row = instances(task, levels=[3], per_level=1)[0]
    gold = row["_answer"]
    assert t.verify(row, gold).correct
    assert t.verify(row, f"{gold} or 1").reason is Reason.INVALID


def test_perturbations_are_wrong():
    for task in ("polynomial_roots", "fractions_simplify", "inequality_solution"):
        t = get_task(task)
        for problem in instances(task, levels=[2, 6, 9], per_level=2):
            answer = problem.pop("_answer")
            for wrong in t.perturb(Problem(problem, answer), __import__("numpy").random.default_rng(0)):
                assert not t.verify(problem, wrong).correct, (task, wrong)
