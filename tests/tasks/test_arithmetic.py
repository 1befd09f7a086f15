"""arithmetic: the gold is the exact value of the rendered expression, in any exact form.

The value is re-computed by sympy from the prompt's expression text, independently of the
generator's Fraction tree.
"""

from __future__ import annotations

import ast
import json
from decimal import Decimal
from fractions import Fraction
from functools import cache

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.parsing.sympy_parser import convert_xor, parse_expr, standard_transformations

from synlog.errors import KnobError
from synlog.synth.example import make_row
from synlog.tasks import get_task
from synlog.tasks.base import Problem
from synlog.tasks.prompts import LANGS
from synlog.verifiers.verdict import Reason

TASK = get_task("arithmetic")
TRANSFORMS = standard_transformations + (convert_xor,)


@cache
def instances(level: int, n: int = 8, **overrides) -> tuple[dict, ...]:
    spec = TASK.knobs.resolve(level, overrides)
    return tuple(make_row("arithmetic", level, spec, 3, i) for i in range(n))


def test_sympy_evaluation_of_the_prompt_expression_equals_the_gold():
    checked = 0
    for level in range(1, 11):
        for row in instances(level):
            problem = json.loads(row["problem"])
            assert problem["expression"] in row["prompt"]
            for lang in LANGS:  # every wording shows the expression the gold is the value of
                for template in range(TASK.templates(lang)):
                    assert problem["expression"] in TASK.prompt(Problem(problem, row["answer"]), template, lang)
            value = parse_expr(problem["expression"], transformations=TRANSFORMS)
            assert value == sympy.Rational(row["answer"]), (problem["expression"], row["answer"])
            checked += 1
    assert checked >= 50


def test_gold_is_reduced():
    for level in range(1, 11):
        for row in instances(level):
            assert row["answer"] == str(Fraction(row["answer"]))


def test_operators_follow_the_knob():
    for row in instances(1):
        assert set(json.loads(row["problem"])["expression"]) <= set("0123456789 +-")
    powers = [json.loads(r["problem"])["expression"] for r in instances(10, 30)]
    assert any("^" in e for e in powers)


def _shape(node) -> tuple[int, int]:
    """(leaves, operator depth) of a parsed expression; a negated literal is one leaf."""
    if isinstance(node, ast.BinOp):
        (ll, ld), (rl, rd) = _shape(node.left), _shape(node.right)
        return ll + rl, max(ld, rd) + 1
    return 1, 0


@pytest.mark.parametrize("level", [3, 6, 8, 10])
def test_tree_has_the_requested_operands_and_depth(level):
    overrides = {"fractions": False, "operators": "+-*/"}
    spec = TASK.knobs.resolve(level, overrides)
    for row in instances(level, 6, **overrides):
        tree = ast.parse(json.loads(row["problem"])["expression"], mode="eval").body
        assert _shape(tree) == (spec["operands"], min(spec["depth"], spec["operands"] - 1))


@settings(max_examples=200, deadline=None)
@given(st.integers(-10**6, 10**6), st.integers(1, 10**4))
def test_equivalent_forms_are_accepted(numerator, denominator):
    value = Fraction(numerator, denominator)
    problem = {"expression": "x", "value": str(value)}
    p, q = value.numerator, value.denominator
    forms = [
        f"\\frac{{{p}}}{{{q}}}", f"\\dfrac{{{p}}}{{{q}}}", f"${p}/{q}$", f"\\({p}/{q}\\)",
        f"({p}/{q})", f" {p} / {q} ", f"{p}/{q}".replace("-", "−"),
    ] if q > 1 else [str(p), f"({p})", f"${p}$"]
    if p < 0 and q > 1:
        forms += [f"-\\frac{{{-p}}}{{{q}}}", f"-({-p}/{q})"]
    for form in forms:
        assert TASK.verify(problem, form).score == 1.0, form


@settings(max_examples=200, deadline=None)
@given(st.integers(-10**6, 10**6), st.integers(1, 10**4), st.integers(2, 9))
def test_forms_the_prompt_forbids_are_invalid(numerator, denominator, scale):
    """The prompt asks for "an integer or a reduced fraction a/b, with no decimals"."""
    value = Fraction(numerator, denominator)
    problem = {"expression": "x", "value": str(value)}
    p, q = value.numerator, value.denominator
    forms = [f"{p * scale}/{q * scale}", f"{p}/{q} + 0"]
    if q == 1:
        forms += [f"{p}.0", f"{p}/1"]
    if q > 1 and set(sympy.factorint(q)) <= {2, 5}:  # a terminating decimal, written out exactly
        forms.append(format(Decimal(p) / Decimal(q), "f"))
    for form in forms:
        verdict = TASK.verify(problem, form)
        assert verdict.reason is Reason.INVALID, (form, verdict)


@settings(max_examples=200, deadline=None)
@given(st.integers(-10**6, 10**6), st.integers(1, 10**4))
def test_near_misses_are_rejected(numerator, denominator):
    value = Fraction(numerator, denominator)
    problem = {"expression": "x", "value": str(value)}
    near = [value + 1, value - 1, value + Fraction(1, value.denominator + 1)]
    if value:
        near.append(-value)
    if value not in (0, 1, -1):
        near.append(1 / value)
    for wrong in near:
        assert TASK.verify(problem, str(wrong)).reason is Reason.WRONG, wrong
    if value.denominator % 3 == 0:
        assert TASK.verify(problem, f"{float(value):.6f}").score == 0.0


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("3+4", Reason.INVALID),  # unevaluated
        ("14/2 + 0", Reason.INVALID),
        ("6 1/1", Reason.INVALID),  # mixed number
        ("7/0", Reason.INVALID),
        ("7e0", Reason.UNPARSEABLE),
        ("seven", Reason.UNPARSEABLE),
        ("\\frac{7}{1", Reason.UNPARSEABLE),
        ("6.9999999", Reason.INVALID),  # a decimal
        ("-4914/40", Reason.INVALID),  # not reduced (the review's example)
        ("-7", Reason.WRONG),
    ],
)
def test_non_numbers_and_near_misses_score_zero(answer, reason):
    verdict = TASK.verify({"expression": "3 + 4", "value": "7"}, answer)
    assert verdict.score == 0.0 and verdict.reason is reason, verdict


def test_perturbations_cover_the_usual_slips():
    problem = Problem({"expression": "1 - 10 / 3", "value": "-7/3"}, "-7/3")
    wrongs = TASK.perturb(problem, np.random.default_rng(0))
    assert wrongs == ["-4/3", "-10/3", "7/3", "-3/7", "-12/6"]


@pytest.mark.parametrize(
    "overrides", [{"operands": 9, "depth": 3}, {"operators": "+x"}, {"operators": "^"}]
)
def test_impossible_knobs_are_knob_errors(overrides):
    spec = TASK.knobs.resolve(4, overrides)
    with pytest.raises(KnobError):
        make_row("arithmetic", 4, spec, 0, 0)


def test_malformed_numbers_are_verdicts_without_warnings_on_stderr():
    """``ast.parse("3in 4")`` warns "invalid decimal literal"; a trainer scoring thousands of
    completions must not print that once per completion."""
    import warnings

    task = get_task("arithmetic")
    problem = json.loads(make_row("arithmetic", 1, task.knobs.resolve(1, {}), 0, 0)["problem"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        verdicts = [task.verify(problem, text) for text in ("3in 4", "0x1for", "1_000_", "12abc")]
    assert all(not v.correct for v in verdicts)
    assert [str(w.message) for w in caught] == []


@pytest.mark.parametrize("text, found", [
    ("9 - 2 = 7", "7"),
    ("The expression 9 - 2 equals 7 minus 2, which is 7.", "7"),
    ("work\n\n1 - 4 = -3", "-3"),
    ("so the answer: 12/5.", "12/5"),
    ("9-2", "2"),          # not "-2": a minus glued to a digit is subtraction
    ("about 3.5", None),   # no piece of a decimal
    ("I don't know", None),
])
def test_fallback_reads_the_last_number_of_the_last_line(text, found):
    assert get_task("arithmetic").fallback_extract(text) == found


# --------------------------------------------------------------------- data quality (version 2)


def _level_rows(level: int, seed: int, n: int = 200) -> list[dict]:
    spec = TASK.knobs.resolve(level)
    return [make_row("arithmetic", level, spec, seed, i) for i in range(n)]


def test_level_one_prompts_are_distinct_and_not_shared_between_seeds():
    """Two-digit leaves: level 1 once drew 110 distinct prompts in 200, 79 shared by two seeds."""
    first, second = ({r["prompt"] for r in _level_rows(1, seed)} for seed in (0, 1))
    assert len(first) >= 180
    assert len(first & second) <= 20


def test_small_constants_are_rarely_the_gold():
    golds = [r["answer"] for r in _level_rows(1, 0)]
    for constant in ("0", "1", "-1"):
        assert golds.count(constant) <= 0.03 * len(golds), constant


def test_echoing_a_leaf_is_named_in_the_battery_and_rarely_right():
    rows = _level_rows(3, 0, 100)
    hits = 0
    for row in rows:
        problem = json.loads(row["problem"])
        shortcuts = TASK.degenerate_answers(problem)
        assert set(shortcuts) == {"the first number", "the last number", "the largest number"}
        hits += any(TASK.verify(problem, a).correct for a in shortcuts.values())
    assert hits <= 8


def test_declared_instance_space_at_level_one_is_the_count_of_sums_and_differences():
    spec = TASK.knobs.resolve(1)
    assert TASK.instance_space(spec) == 2 * spec["magnitude"] ** 2
    assert all(TASK.instance_space(TASK.knobs.resolve(level)) >= 1e4 for level in range(2, 11))


def test_hardness_grows_with_the_level():
    means = [sum(TASK.hardness(json.loads(r["problem"])) for r in _level_rows(level, 0, 40)) / 40
             for level in (1, 3, 5, 7, 10)]
    assert means == sorted(means) and means[-1] >= 1.25 * means[0]
