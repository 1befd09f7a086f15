"""math_answer: golds from any dataset's conventions, judged with the math checker's strictness.

Specification:
- a gold is read from its dataset's conventions (GSM8K ``####``, MATH's last ``\\boxed{}``,
  math delimiters, decorations, thousands separators, option letters), and kind ``auto`` is
  decided from its shape; a gold that cannot be read is reported, and verifying its row gives
  ``invalid`` with ``problem_error``, never ``error``;
- the answer gets none of the gold's relaxations (thousands separators included);
- hedges, several answers, forged letters and forms the prompt forbids never score 1;
- a second opinion from math-verify is recorded beside synlog's verdict and never changes it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.synth.example import make_row
from synlog.tasks.base import get_task
from synlog.tasks.common.arith import format_rational
from synlog.tasks.math.math_answer import canonical_gold, gold_error
from synlog.verifiers.gold_forms import UnreadableGold, normalise_gold
from synlog.verifiers.verdict import Reason

TASK = get_task("math_answer")


def problem(answer: str, kind: str = "auto", **extra) -> dict:
    return {"question": "What is it?", "answer": answer, "kind": kind, **extra}


def reason(row: dict, answer: str) -> str:
    return TASK.verify(row, answer).reason.value


# --------------------------------------------------------------------------- reading the gold

CONVENTIONS = [
    ("Natalia sold 48/2 = <<48/2=24>>24 clips.\n#### 72", "number", "72", "number"),
    ("So the total is 1,200 dollars.\n#### 1,200", "number", "1200", "number"),
    (r"Thus $x = \boxed{\dfrac{7}{12}}$.", "auto", r"\frac{7}{12}", "number"),
    (r"First $\boxed{2}$ is wrong; the answer is $\fbox{3}$.", "auto", "3", "number"),
    (r"We get $\boxed{\{1, 2\}}$.", "auto", r"\{1, 2\}", "set"),
    (r"$\left(-\infty, 3\right]$", "auto", r"\left(-\infty, 3\right]", "interval"),
    (r"\[(1, 2) \cup (3, \infty)\]", "auto", r"(1, 2) \cup (3, \infty)", "interval"),
    (r"\((3, -4)\)", "auto", "(3, -4)", "tuple"),
    ("-2, 5", "auto", "-2, 5", "set"),
    ("1,2", "tuple", "1,2", "tuple"),
    ("1,234,567", "auto", "1234567", "number"),
    ("1{,}234", "number", "1234", "number"),
    (r"\$18.50", "auto", "18.50", "number"),
    (r"30^\circ", "auto", "30", "number"),
    (r"12\%", "auto", "12", "number"),
    (r"5\text{ cm}^2", "auto", "5", "number"),
    ("x = 5", "auto", "5", "number"),
    (r"2\sqrt{3}", "number", r"2\sqrt{3}", "expression"),
    (r"\tfrac{x+1}{2}", "auto", r"\frac{x+1}{2}", "expression"),
]


@pytest.mark.parametrize(("gold", "kind", "text", "resolved"), CONVENTIONS)
def test_each_dataset_convention_is_read(gold, kind, text, resolved):
    assert normalise_gold(gold, kind) == (text, resolved)


@pytest.mark.parametrize("gold", ["(B)", "B)", "B.", "B", r"\text{(B)}", r"\textbf{(B) } 15", "15"])
def test_each_way_of_writing_an_option_letter_is_read(gold):
    assert normalise_gold(gold, "auto", choices=["12", "15", "18", "21"]) == ("B", "choice")


@pytest.mark.parametrize(("row", "why"), [
    (problem(""), "empty"),
    (problem("#### "), "nothing follows"),
    (problem(r"so the answer is \boxed{3"), "never closed"),
    (problem("The answer is not given here"), "words"),
    (problem("3", "fraction"), "kind"),
    (problem("E", "choice", choices=["1", "2", "3", "4"]), "not one of the 4 options"),
    (problem("7", "choice", choices=["1", "2", "3", "4"]), "names no option"),
    (problem("3", "number", choices=["1", "2"]), "choices"),
    (problem("3", allow_decimals="yes"), "allow_decimals"),
    ({"question": "q", "kind": "number"}, "answer"),
])
def test_an_unreadable_gold_is_reported_and_judged_invalid_with_problem_error(row, why):
    assert why in gold_error(row)
    with pytest.raises(UnreadableGold):
        canonical_gold(row)
    verdict = TASK.verify(row, "3")
    assert verdict.reason is Reason.INVALID and verdict.details["problem_error"] == gold_error(row)


def test_canonical_gold_is_what_a_model_should_write():
    assert canonical_gold(problem("#### 1,200", "number")) == "1200"
    assert canonical_gold(problem(r"\boxed{\frac{2}{4}}")) == "1/2"
    assert canonical_gold(problem(r"\boxed{-\dfrac{7}{12}}")) == "-7/12"
    assert canonical_gold(problem(r"\$18.50")) == "18.50"
    assert canonical_gold(problem(r"\text{(C)}", "choice", choices=["1", "2", "3"])) == "C"
    for gold in (r"\boxed{\frac{2}{4}}", "#### 1,200", r"\$18.50", "0.25"):
        row = problem(gold)
        assert TASK.verify(row, canonical_gold(row)).correct


# --------------------------------------------------------------------------- judging


@pytest.mark.parametrize(("answer", "expected"), [
    ("1234", "ok"), ("1,234", "invalid"), ("$1,234$", "invalid"), ("\\boxed{1234}", "unparseable"),
    ("12,34", "invalid"), ("1,23,4", "invalid"), ("1 234", "invalid"), ("1234.0", "invalid"),
    ("1233 + 1", "invalid"), ("1234 or 1235", "invalid"), ("\\pm 1234", "invalid"), ("x = 1234", "invalid"),
    ("1234 apples", "unparseable"), ("1235", "wrong"),
])
def test_a_number_answer_is_one_number_without_the_golds_thousands_separators(answer, expected):
    assert reason(problem("So she has 1,234.\n#### 1,234", "number"), answer) == expected


def test_thousands_separators_are_two_items_where_the_gold_is_a_set_or_tuple():
    assert reason(problem(r"\{1, 234\}", "set"), "1,234") == "ok"
    assert reason(problem("(1, 234)", "tuple"), "1,234") == "ok"
    assert reason(problem(r"\{1234\}", "set"), "1,234") != "ok"
    assert reason(problem("1234", "expression"), "1,234") == "invalid"


@pytest.mark.parametrize(("gold", "answer", "expected"), [
    (r"\frac{1}{2}", "1/2", "ok"), (r"\frac{1}{2}", r"\dfrac{1}{2}", "ok"), (r"\frac{1}{2}", "0.5", "invalid"),
    (r"\frac{1}{2}", "2/4", "invalid"), ("0.5", "1/2", "ok"), ("0.5", "0.50", "ok"), ("0.5", ".5", "ok"),
    ("0.5", "0.5000001", "wrong"), ("0.5", "0.5 + 0", "invalid"),
])
def test_an_exact_number_in_another_exact_form_is_right_a_decimal_only_where_allowed(gold, answer, expected):
    assert reason(problem(gold, "number"), answer) == expected


def test_allow_decimals_grants_the_checkers_tolerance():
    row = problem("1/3", "number", allow_decimals=True)
    assert reason(row, "0.3333333") == "ok"
    assert reason(row, "0.33") == "wrong"
    assert reason(row, "0.3333333 + 0") == "invalid"
    assert reason(problem(r"\pi/2", allow_decimals=True), "1.5707963") == "ok"
    assert reason(problem(r"\pi/2"), "1.5707963") == "invalid"


@pytest.mark.parametrize(("answer", "expected"), [
    ("B", "ok"), ("(B)", "ok"), ("B)", "ok"), ("B.", "ok"), (r"\text{B}", "ok"), ("$B$", "ok"),
    ("A", "wrong"), ("b", "invalid"), ("15", "invalid"), ("A or B", "invalid"), ("AB", "invalid"),
    ("A, B", "invalid"), ("B or C", "invalid"), ("E", "invalid"), ("(B) 15", "invalid"), ("", "invalid"),
])
def test_a_choice_answer_is_exactly_one_option_letter(answer, expected):
    assert reason(problem("(B)", "choice", choices=["12", "15", "18", "21"]), answer) == expected


@pytest.mark.parametrize(("gold", "answer", "expected"), [
    (r"\{1, 2\}", "2, 1", "ok"), (r"\{1, 2\}", "1, 1, 2", "invalid"), (r"\{1, 2\}", "1", "wrong"),
    ("(1, 2)", "(2, 1)", "wrong"), ("(1, 2)", "(1, 2) or (2, 1)", "invalid"),
    (r"\left(-\infty, 3\right]", "(-oo, 3]", "ok"), (r"\left(-\infty, 3\right]", "(-oo, 3)", "wrong"),
    (r"2\sqrt{3}", "sqrt(12)", "ok"), (r"2\sqrt{3}", "3.4641016", "invalid"), (r"2\sqrt{3}", r"2\sqrt{3} + 0.0", "invalid"),
])
def test_sets_tuples_intervals_and_expressions_use_the_checkers_kinds(gold, answer, expected):
    assert reason(problem(gold), answer) == expected


def test_the_golds_own_conventions_are_not_granted_to_the_answer():
    row = problem(r"The answer is $\boxed{12}$.", "auto")
    assert reason(row, "The answer is 12") != "ok"
    assert reason(row, "#### 12") != "ok"
    assert reason(row, "12 apples") != "ok"
    assert reason(problem("#### 12", "number"), "12\n#### 13") != "ok"


# --------------------------------------------------------------------------- properties


@settings(max_examples=40, deadline=None)
@given(st.integers(-10**9, 10**9).filter(lambda n: n not in (0,)))
def test_a_gsm8k_gold_with_separators_scores_its_plain_value_and_nothing_near(n):
    row = problem(f"Some working.\n#### {n:,}", "number")
    assert canonical_gold(row) == str(n)
    assert TASK.verify(row, str(n)).correct
    assert (TASK.verify(row, f"{n:,}").reason is Reason.INVALID) == (abs(n) >= 1000)  # the gold's convention only
    assert not TASK.verify(row, str(n + 1)).correct
    assert TASK.verify(row, f"{n} or {n + 1}").reason is Reason.INVALID


@settings(max_examples=40, deadline=None)
@given(st.integers(-999, 999), st.integers(2, 999))
def test_a_math_boxed_fraction_scores_reduced_and_never_unreduced_or_decimal(p, q):
    value = Fraction(p, q)
    row = problem(rf"Hence $\boxed{{\frac{{{p}}}{{{q}}}}}$.")
    assert TASK.verify(row, format_rational(value)).correct
    if value.denominator > 1:
        assert TASK.verify(row, f"{2 * value.numerator}/{2 * value.denominator}").reason is Reason.INVALID
        assert not TASK.verify(row, f"{float(value):.6f}").correct


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 4), st.text(alphabet="ABCDE(),. orand\\{}$", max_size=8))
def test_only_the_gold_letter_scores_a_choice(at, answer):
    row = problem("ABCDE"[at], "choice", choices=["1", "2", "3", "4", "5"])
    verdict = TASK.verify(row, answer)
    assert verdict.reason is not Reason.ERROR
    letter = "ABCDE"[at]
    if verdict.correct:
        forms = {letter, f"({letter})", f"{letter})", f"{letter}.", f"\\text{{{letter}}}", f"\\textbf{{{letter}}}"}
        assert answer.strip().strip("$").strip() in forms


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["auto", "number", "set", "tuple", "interval", "expression", "choice"]))
def test_any_gold_text_is_read_or_reported_never_a_crash(gold, kind):
    row = problem(gold, kind)
    why = gold_error(row)
    assert why is None or isinstance(why, str)
    verdict = TASK.verify(row, "3")
    assert verdict.reason is not Reason.ERROR
    assert (why is not None) == ("problem_error" in verdict.details)


# --------------------------------------------------------------------------- the second opinion


def test_math_verify_agreeing_is_recorded_beside_the_verdict():
    verdict = TASK.verify(problem("#### 72", "number", second_opinion="math-verify"), "72")
    assert verdict.correct
    assert verdict.details["second_opinion"] == {"tool": "math-verify", "correct": True, "error": None}


@pytest.mark.parametrize(("gold", "answer"), [(r"\frac{1}{2}", "2/4"), (r"\frac{1}{2}", "0.5")])
def test_a_disagreement_is_recorded_and_never_changes_synlogs_verdict(gold, answer):
    row = problem(gold, second_opinion="math-verify")
    verdict = TASK.verify(row, answer)
    assert verdict.reason is Reason.INVALID and verdict.score == 0.0
    assert verdict.details["second_opinion"] == {"tool": "math-verify", "correct": True, "error": None}
    plain = TASK.verify(problem(gold), answer)
    assert (plain.score, plain.reason) == (verdict.score, verdict.reason) and "second_opinion" not in plain.details


def test_missing_math_verify_is_an_error_in_the_record_naming_the_extra():
    code = ("import sys; sys.modules['math_verify'] = None\n"
            "from synlog.tasks.base import get_task\n"
            "v = get_task('math_answer').verify({'answer': '3', 'kind': 'number', 'second_opinion': 'math-verify'}, '3')\n"
            "print(v.correct, v.details['second_opinion']['error'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.startswith("True ") and "pip install 'synlog[math]'" in out


# --------------------------------------------------------------------------- the generator


def test_every_convention_is_generated_and_its_gold_is_the_rows_answer():
    spec = TASK.knobs.resolve(10)
    seen = set()
    for index in range(80):
        row = make_row("math_answer", 10, spec, 3, index)
        data = json.loads(row["problem"])
        assert gold_error(data) is None and canonical_gold(data) == row["answer"]
        seen.add(normalise_gold(data["answer"], data["kind"], data.get("choices"))[1])
        seen.add("gsm8k" if "####" in data["answer"] else "boxed" if "\\boxed" in data["answer"] else "plain")
    assert {"number", "expression", "set", "tuple", "interval", "choice", "gsm8k", "boxed", "plain"} <= seen


def test_the_prompt_states_the_form_of_each_kind():
    assert "letter of the option" in TASK.prompt(_as(problem("B", "choice", choices=["1", "2", "3"])))
    assert "no decimals" in TASK.prompt(_as(problem("#### 7", "number")))
    assert "a decimal" in TASK.prompt(_as(problem("2.5", "number")))
    assert "interval notation" in TASK.prompt(_as(problem("(3, \\infty)")))
    assert "ordered tuple" in TASK.prompt(_as(problem("(3, 4)")))
    assert "separated by commas" in TASK.prompt(_as(problem("3, 4")))


def _as(data: dict):
    from synlog.tasks.base import Problem

    return Problem(data, "")
