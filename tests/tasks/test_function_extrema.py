"""function_extrema: every gold is re-derived from the polynomial *printed in the prompt* by
sympy's real_roots of f' and a sign test of f' between consecutive roots (not the generator's
f'' test on the roots it chose), and verify refuses hedges, decimals and near misses."""

from __future__ import annotations

import json
import re

import sympy

from synlog.tasks.base import Problem
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("function_extrema")
TASK = CHECKS.task
X = sympy.Symbol("x")


def printed(prompt: str) -> tuple[sympy.Expr, str, tuple[int, int] | None]:
    """f, the question and the interval, read from the English prompt."""
    f = sympy.sympify(re.search(r"^f\(x\) = (.+)$", prompt, re.M).group(1).replace("^", "**"), locals={"x": X})
    interval = re.search(r"closed interval \[(-?\d+), (-?\d+)\]", prompt)
    if interval:
        question = "max_on" if "maximum value of f" in prompt else "min_on"
        return f, question, (int(interval.group(1)), int(interval.group(2)))
    question = "maxima" if "all local maxima" in prompt else "minima" if "all local minima" in prompt else "extrema"
    return f, question, None


def extrema_by_sign_change(f: sympy.Expr) -> tuple[list, list]:
    """Local maxima and minima: real roots of f' where its sign flips (checked at rational
    points halfway to the neighbouring roots)."""
    derivative = sympy.Poly(sympy.diff(f, X), X)
    roots = sorted(set(sympy.real_roots(derivative)), key=lambda r: float(r.evalf(30)))
    floats = [float(r.evalf(30)) for r in roots]
    maxima, minima = [], []
    for i, root in enumerate(roots):
        left = floats[i - 1] if i else floats[i] - 2
        right = floats[i + 1] if i + 1 < len(roots) else floats[i] + 2
        before = derivative.eval(sympy.Rational((left + floats[i]) / 2))
        after = derivative.eval(sympy.Rational((right + floats[i]) / 2))
        if before > 0 > after:
            maxima.append(root)
        elif before < 0 < after:
            minima.append(root)
    return maxima, minima


def rederive(prompt: str) -> tuple[str, list | sympy.Expr]:
    f, question, interval = printed(prompt)
    maxima, minima = extrema_by_sign_change(f)
    if interval is None:
        return question, {"extrema": maxima + minima, "maxima": maxima, "minima": minima}[question]
    a, b = interval
    candidates = [f.subs(X, a), f.subs(X, b)] + [f.subs(X, r) for r in maxima + minima if a < r < b]
    values = [sympy.nsimplify(sympy.expand(v)) for v in candidates]
    return question, (sympy.Max if question == "max_on" else sympy.Min)(*values)


def same_value(a: sympy.Expr, b: sympy.Expr) -> bool:
    return sympy.simplify(sympy.expand(a - b)) == 0


def test_gold_is_rederived_from_the_printed_function():
    checked = 0
    for level in range(1, 11):
        for row in CHECKS.rows(level, 6):
            question, derived = rederive(row["prompt"])
            assert question == json.loads(row["problem"])["question"]
            gold = [sympy.sympify(v) for v in row["answer"].split(", ")]
            if isinstance(derived, list):
                assert len(gold) == len(derived), row["id"]
                assert all(any(same_value(g, d) for d in derived) for g in gold), row["id"]
            else:
                assert len(gold) == 1 and same_value(gold[0], derived), (row["id"], row["answer"], derived)
            checked += 1
    assert checked >= 50


def test_golds_avoid_shortcuts_and_cubics_ask_no_single_kind():
    for level in (1, 4, 7, 10):
        for row in CHECKS.rows(level, 12):
            f, question, interval = printed(row["prompt"])
            if interval:
                shortcuts = {str(f.subs(X, interval[0])), str(f.subs(X, interval[1])), str(f.subs(X, 0))}
                assert row["answer"] not in shortcuts | {"0", "1", "-1"}
            else:
                values = row["answer"].split(", ")
                assert len(values) > 2 or not set(values) & {"-2", "-1", "0", "1", "2"}
            if sympy.degree(f, X) == 3:
                assert question not in ("maxima", "minima")


def test_traps_make_stationary_points_that_are_not_extrema():
    """From level 5, some f' has a double root: a stationary point the list must leave out."""
    traps = 0
    for level in (5, 7, 10):
        for row in CHECKS.rows(level, 20):
            f, _, _ = printed(row["prompt"])
            stationary = set(sympy.real_roots(sympy.Poly(sympy.diff(f, X), X)))
            maxima, minima = extrema_by_sign_change(f)
            traps += len(stationary) > len(maxima) + len(minima)
    assert traps >= 3


def problem_of(level: int, question: str) -> dict:
    return next(p for p in CHECKS.problems(level, 40) if p["question"] == question)


def test_hostile_list_answers_score_below_one():
    problem = problem_of(6, "extrema")
    gold = problem["answer"]
    values = gold.split(", ")
    hostile = [gold + ", 0", ", ".join(values[:-1]) or "0", f"{values[0]} or {values[-1]}", gold + ", " + values[0],
               ", ".join(f"{v} + 1/1000" for v in values), "-4, 1/2", "-1, 1", gold * 200, "x", "",
               ", ".join(str(round(float(sympy.sympify(v)), 4)) for v in values), "all of them",
               ", ".join(f"{v}?" for v in values)]
    CHECKS.assert_below_one(problem, hostile)


def test_hostile_value_answers_score_below_one():
    problem = problem_of(5, "max_on")
    gold = problem["answer"]
    hostile = [f"{gold} or 0", f"{gold}, {gold}", f"{gold} + 1", f"-({gold})", "27/4",
               str(float(sympy.sympify(gold))), f"x = {gold} or x = 1", gold * 300, "max",
               str(problem["a"]), str(problem["b"])]
    CHECKS.assert_below_one(problem, hostile)


def test_accepted_forms_score_one():
    for question in ("extrema", "maxima", "min_on"):
        problem = problem_of(9, question)
        forms = TASK.alternative_forms(Problem(problem, problem["answer"]))
        CHECKS.assert_scores_one(problem, forms)
    problem = {"function": "2*x^3 - 3*x^2 - 12*x + 5", "question": "extrema", "degree": 3, "answer": "-1, 2"}
    CHECKS.assert_scores_one(problem, ["2, -1", "{-1, 2}", "x = -1, x = 2", "-1,2", "(4 - 6)/2, 2"])
    CHECKS.assert_below_one(problem, ["-1, 2, 2", "-1.0, 2", "2", "-1, 2, 0"])


def test_partial_credit_nets_out_guesses():
    problem = {"function": "x", "question": "extrema", "degree": 4, "answer": "-1, 2, 5"}
    assert TASK.verify(problem, "2").details["fraction"] == 1 / 3
    assert TASK.verify(problem, "2, 7").details["fraction"] == 0
    assert TASK.verify(problem, "-3, -2, 0, 1, 2, 3, 4").details["fraction"] == 0


test_verify_never_raises = CHECKS.never_raises(level=3)
test_verify_never_raises_on_a_list = CHECKS.never_raises(level=9)


def test_levels_get_harder():
    degree = [CHECKS.mean(level, lambda p: p["degree"]) for level in (1, 4, 8)]
    assert degree == sorted(degree) and degree[-1] > degree[0]
    radicals = [CHECKS.mean(level, lambda p: p["answer"].count("sqrt"), n=20) for level in (1, 10)]
    assert radicals[0] == 0 < radicals[1]
    hard = [CHECKS.mean(level, TASK.hardness, n=30) for level in (1, 3, 5, 7, 10)]
    assert hard[-1] > 2 * hard[0] and all(b >= 0.9 * a for a, b in zip(hard, hard[1:], strict=False))
    efforts = [sum(r["effort"] for r in CHECKS.rows(level, 10)) / 10 for level in (1, 5, 10)]
    assert efforts == sorted(efforts)
