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


@pytest.mark.parametrize(("task", "key"), [("derivative", "function"), ("integral", "antiderivative")])
def test_level_one_is_a_wide_space_of_three_term_polynomials(task, key):
    """Level 1 used to be one monomial c*x^k (40 instances; for c*x the gold was the prompt's
    first number): now three distinct powers that never merge, so no gold is a bare number."""
    rows = instances(task, levels=[1], per_level=80)
    assert len({r[key] for r in rows}) >= 76
    for problem in rows:
        f = expr(problem[key])
        assert len(sympy.Add.make_args(f)) == 3 and sympy.degree(f, X) <= 4, problem
        assert expr(problem["_answer"]).has(X), problem


def test_polynomial_space_counts_every_distinct_polynomial():
    from synlog.tasks.math.symbolic import polynomial_space

    coefs = [c for c in range(-2, 3) if c]
    brute = {tuple(sorted(zip(powers, cs, strict=True)))
             for powers in itertools.combinations(range(1, 5), 2) for cs in itertools.product(coefs, repeat=2)}
    assert polynomial_space(2, 2) == len(brute) == 96
    assert get_task("derivative").instance_space({"terms": 3, "depth": 0, "coef_max": 9}) == 4 * 18**3


@pytest.mark.parametrize("task", ["derivative", "integral"])
def test_terms_never_merge_or_cancel(task):
    key = "function" if task == "derivative" else "antiderivative"
    for level in range(1, 11):
        terms = get_task(task).knobs.resolve(level)["terms"]
        for problem in instances(task, levels=[level], per_level=4):
            assert len(sympy.Add.make_args(expr(problem[key]))) == terms, problem


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
    # 200 digits: a Taylor-family numerator cancels to x^m (m <= 4) at x = 1e-15
    mpmath.mp.dps = 200
    for problem in instances("limits"):
        f = sympy.lambdify(X, expr(problem["expression"]), "mpmath")
        point = problem["point"]
        near = mpmath.mpf(10) ** 15 if point == "oo" else mpmath.mpf(point) + mpmath.mpf(10) ** -15
        value = Fraction(problem["value"])
        assert abs(f(near) - mpmath.mpf(value.numerator) / value.denominator) < 1e-9, problem


def test_limits_values_are_not_concentrated_on_0_1_or_minus_1():
    rows = instances("limits", per_level=30)
    trivial = sum(r["value"] in ("0", "1", "-1") for r in rows)
    assert trivial <= 0.05 * len(rows)
    top = max(sum(r["value"] == v for r in rows) for v in {r["value"] for r in rows})
    assert top <= 0.03 * len(rows)


def test_limits_every_family_appears_and_grows_with_the_level():
    """Level 3 used to be the ratio of leading coefficients alone, easier than level 1."""
    task = get_task("limits")
    families = {("oo" if r["point"] == "oo" else "0" if "sin" in r["expression"] or "cos" in r["expression"]
                 or "exp" in r["expression"] or "log" in r["expression"] or "tan" in r["expression"] else "a")
                for r in instances("limits", levels=[5], per_level=40)}
    assert families == {"oo", "0", "a"}
    sizes = [sum(task.hardness(r) for r in instances("limits", levels=[lv], per_level=20)) for lv in range(1, 11)]
    assert all(b >= 0.95 * a for a, b in zip(sizes, sizes[1:], strict=False)), sizes
    assert sizes[-1] > 2 * sizes[0]


def test_limits_taylor_coefficients_match_sympy_series():
    from synlog.tasks.math.limits import _FUNCTIONS, TAYLOR

    for name, series in TAYLOR.items():
        expansion = sympy.series(_FUNCTIONS[name](X), X, 0, 8).removeO()
        assert [expansion.coeff(X, n) for n in range(8)] == [sympy.Rational(c.numerator, c.denominator) for c in series]


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
            if math.comb(n, k) <= 200_000:
                count = sum(1 for c in itertools.combinations(range(n), k) if any(i < s for i in c))
            else:  # too many to list: count by the number j of officers instead of the complement
                count = sum(math.comb(s, j) * math.comb(n - s, k - j) for j in range(1, k + 1))
        elif kind == "arrangements":
            count = len(set(itertools.permutations(problem["word"]))) if len(problem["word"]) <= 9 else value
        elif kind == "paths":  # dynamic programming over the grid, the blocked point at 0
            w, h, (bx, by) = problem["width"], problem["height"], problem["blocked"]
            ways = [[0] * (h + 1) for _ in range(w + 1)]
            for x in range(w + 1):
                for y in range(h + 1):
                    if (x, y) == (bx, by):
                        continue
                    ways[x][y] = 1 if x == y == 0 else (ways[x - 1][y] if x else 0) + (ways[x][y - 1] if y else 0)
            count = ways[w][h]
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


# ------------------------------------------- data quality of the counted math tasks (version 2)

COUNTED = ("arithmetic", "linear_equations", "polynomial_roots", "inequality_solution", "sequences",
           "number_theory", "fractions_simplify", "combinatorics")


def _rows(task: str, level: int, n: int, seed: int = 0) -> list[dict]:
    spec = get_task(task).knobs.resolve(level)
    return [make_row(task, level, spec, seed, i) for i in range(n)]


@pytest.mark.parametrize("task", COUNTED)
def test_instance_space_is_declared_and_not_above_what_level_one_draws(task):
    t = get_task(task)
    assert all(t.instance_space(t.knobs.resolve(level)) > 0 for level in range(1, 11))
    rows = _rows(task, 1, 200)
    distinct, space = len({r["prompt"] for r in rows}), t.instance_space(t.knobs.resolve(1))
    expected = space * (1 - math.exp(-len(rows) / space))
    assert distinct >= 0.8 * expected - 3 * math.sqrt(expected)


@pytest.mark.parametrize("task", ["polynomial_roots", "inequality_solution", "sequences", "combinatorics"])
def test_level_one_seeds_share_few_prompts(task):
    """The review found these tasks' level 1 shared by two seeds (41, 87, 67 and 33 of 200)."""
    first, second = ({r["prompt"] for r in _rows(task, 1, 200, seed)} for seed in (0, 1))
    assert len(first) >= 180 and len(first & second) <= 20


def test_polynomial_level_one_is_a_quadratic_whose_roots_are_not_printed():
    rows = _rows("polynomial_roots", 1, 200)
    assert all(json.loads(r["problem"])["degree"] == 2 for r in rows)
    # the first number of the polynomial as the prompt shows it (the wording around it varies)
    first_numbers = [re.findall(r"(?<![\w.])-?\d+", json.loads(r["problem"])["polynomial"])[0] for r in rows]
    assert all(json.loads(r["problem"])["polynomial"] in r["prompt"] for r in rows)
    hits = sum(number in r["answer"].split(", ") for number, r in zip(first_numbers, rows, strict=True))
    assert hits <= 0.08 * len(rows)  # the first number (a coefficient or the 2 of x^2) is a root by luck only


def test_polynomial_partial_credit_is_right_minus_wrong_over_the_roots():
    task = get_task("polynomial_roots")
    problem = {"roots": "-1, 2, 2, sqrt(3), -sqrt(3)"}

    def fraction(answer: str) -> float:
        verdict = task.verify(problem, answer)
        assert not verdict.correct
        return verdict.details["fraction"]

    assert fraction("2") == pytest.approx(1 / 5)
    assert fraction("-1, 2, 2, sqrt(3)") == pytest.approx(4 / 5)
    assert fraction("-1, 2, 2, sqrt(3), 7") == pytest.approx(3 / 5)
    assert fraction("0, 1, 2, 3, 4, 5, -1") == 0  # guesses that happen to contain two roots
    assert fraction("{-1, 5, 6}") == 0
    assert fraction("x = 2, x = 2, x = 9") == pytest.approx(1 / 5)


def test_polynomial_guessed_root_lists_collect_little_partial_credit():
    from synlog.verifiers.verdict import partial_credit

    task = get_task("polynomial_roots")
    for level in (1, 3, 5):
        rows = _rows("polynomial_roots", level, 60)
        problems = [json.loads(r["problem"]) for r in rows]
        other = _rows("polynomial_roots", level, 1, seed=9)[0]["answer"]
        for guess in ("1", "-1", "0", "2", other, "-1, 2, 2"):
            mean = sum(partial_credit(task.verify(p, guess)) for p in problems) / len(problems)
            assert mean <= 0.06, (level, guess, mean)


def test_inequality_level_one_draws_slopes_and_constants_widely():
    rows = [json.loads(r["problem"]) for r in _rows("inequality_solution", 1, 200)]
    assert len({r["solution"] for r in rows}) >= 150
    shortcuts = get_task("inequality_solution").degenerate_answers(rows[0])
    assert set(shortcuts.values()) == {"(-oo, oo)", "(-oo, 0)", "(0, oo)"}


def test_sequences_never_ask_for_a_value_already_shown():
    """Periodic recurrences (a_n = a_(n-1) - a_(n-2) + c repeats every 6 terms) answered themselves."""
    for level in (1, 3, 5, 7):
        for row in _rows("sequences", level, 80):
            problem = json.loads(row["problem"])
            question = problem["question"]
            shown = (re.findall(r"a_\d+ = (-?\d+)", question) if question.startswith("A sequence")
                     else re.findall(r"-?\d+", question.split(", ...")[0]))
            assert problem["value"] not in shown, question


def test_number_theory_questions_do_not_state_their_answer():
    for level in (1, 3):
        for row in _rows("number_theory", level, 120):
            problem = json.loads(row["problem"])
            numbers = [int(n) for n in re.findall(r"\d+", problem["question"])]
            if problem["kind"] in ("gcd", "lcm"):
                a, b = numbers
                assert a % b and b % a, problem  # neither divides the other
            elif problem["kind"] == "inverse":
                assert int(problem["value"]) != numbers[0], problem
            elif problem["kind"] == "last_digits":
                assert numbers[-2] % 10, problem


def test_number_theory_small_constants_are_rarely_the_gold():
    golds = [r["answer"] for r in _rows("number_theory", 1, 300)]
    for constant in ("0", "1", "2"):
        assert golds.count(constant) <= 0.04 * len(golds), constant


def test_combinatorics_questions_need_their_correction_term():
    """Every committee question has committees without an officer, every word repeats a letter,
    every divisor set has a multiple counted twice, so the uncorrected count is never the gold."""
    task = get_task("combinatorics")
    for level in (1, 5, 10):
        for row in _rows("combinatorics", level, 60):
            problem = json.loads(row["problem"])
            if problem["kind"] == "committee":
                assert problem["special"] <= problem["n"] - problem["k"] and 2 <= problem["k"] <= problem["n"] - 2
            elif problem["kind"] == "arrangements":
                assert len(set(problem["word"])) < len(problem["word"])
            assert task.degenerate_answers(problem)["the uncorrected count"] != problem["value"], problem


def test_combinatorics_size_ranges_are_disjoint_and_rising():
    """Equal concrete knobs at two levels draw the same rows, so the levels' ranges must not meet."""
    ranges = [get_task("combinatorics").knobs.resolve(level)["size"] for level in range(1, 11)]
    assert all(a[1] < b[0] for a, b in zip(ranges, ranges[1:], strict=False))


@pytest.mark.parametrize("task", ["combinatorics", "fractions_simplify", "sequences", "inequality_solution"])
def test_hardness_rises_from_level_one_to_ten(task):
    t = get_task(task)
    means = [sum(t.hardness(json.loads(r["problem"])) for r in _rows(task, level, 40)) / 40 for level in (1, 5, 10)]
    assert means[0] < means[1] < means[2] and means[2] >= 1.25 * means[0]


@pytest.mark.parametrize("task", ["combinatorics", "number_theory", "sequences"])
def test_chinese_prompts_word_every_generated_question_in_chinese(task):
    """Every question pattern has its Chinese wording, with the numbers of the English one."""
    from synlog.tasks.base import Problem

    t = get_task(task)
    for level in (1, 4, 7, 10):
        for row in _rows(task, level, 30):
            data = json.loads(row["problem"])
            zh = t.context(Problem(data, row["answer"]), "zh")["question"]
            assert zh != data["question"] and re.search(r"[\u4e00-\u9fff]", zh), data["question"]
            assert set(re.findall(r"\d+", zh)) == set(re.findall(r"\d+", data["question"])), (data["question"], zh)
            assert zh in t.prompt(Problem(data, row["answer"]), 0, "zh")
