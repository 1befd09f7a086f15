"""Specification of the shared markdown decoration rules (synlog.tasks.common.answers).

One rule set for every logic, grid and language task: fence and blank lines are dropped; a
bullet (``- * • +``) or an ordinal (``1.`` ``1)``, numbered in order) is removed when every
line carries one; balanced emphasis (``**`` ``__`` ``*`` ``` ` ```) around a name, value or
line is removed; one trailing full stop per line goes. One-value answers lose only emphasis
wrapping the whole answer and one full stop. Decorations never make a wrong answer right.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import synlog
from synlog.tasks.base import Problem, all_tasks, get_task
from synlog.tasks.common.answers import (
    AnswerError,
    answer_lines,
    decorated_forms,
    parse_int,
    parse_int_set,
    parse_name_set,
    parse_pairs,
    parse_truth_list,
    parse_word_list,
    scalar_forms,
    unwrap,
)
from synlog.tasks.common.boards import parse_cells
from synlog.tasks.common.grids import GridParseError, grid_forms, parse_grid

OUR_TASKS = sorted(name for name, cls in all_tasks().items() if cls.family not in ("math", "code", "lean"))


def problems(name: str, levels=(1, 5, 10), n: int = 3) -> list[Problem]:
    rows = [row for level in levels for row in synlog.generate(name, difficulty=level, n=n, seed=11)]
    return [Problem(json.loads(row["problem"]), row["answer"], row["effort"]) for row in rows]


# --- the rules, one by one -------------------------------------------------------------------


def test_fence_and_blank_lines_are_dropped_anywhere():
    assert answer_lines("```\na: 1\n\n   \nb: 2\n```") == ["a: 1", "b: 2"]
    assert answer_lines("```json\n[1]\n```") == ["[1]"]
    assert answer_lines("~~~\nx\n~~~") == ["x"]


@pytest.mark.parametrize("mark", ["-", "*", "•", "+"])
def test_a_bullet_on_every_line_is_removed(mark):
    assert answer_lines(f"{mark} Victor: knave\n{mark} Bob: knight") == ["Victor: knave", "Bob: knight"]


def test_bullets_on_only_some_lines_stay():
    assert answer_lines("Victor: knave\n- Bob: knight") == ["Victor: knave", "- Bob: knight"]


def test_a_minus_before_a_digit_is_a_sign_never_a_bullet():
    assert answer_lines("-1\n-2") == ["-1", "-2"]
    assert answer_lines("- 1") == ["- 1"]  # one line: "- 1" may mean minus one
    assert answer_lines("+ 1") == ["+ 1"]
    assert answer_lines("- 1 2\n- 2 1") == ["1 2", "2 1"]  # every line: a list
    assert answer_lines("* 1") == ["1"]  # a star is never a sign


def test_ordinals_numbered_in_order_are_removed():
    assert answer_lines("1. juice: flute\n2) cat: 3") == ["juice: flute", "cat: 3"]
    assert answer_lines("1. juice: flute") == ["juice: flute"]


def test_ordinals_out_of_order_or_on_some_lines_stay():
    assert answer_lines("2. a\n1. b") == ["2. a", "1. b"]
    assert answer_lines("1. a\nb") == ["1. a", "b"]
    assert answer_lines("1. 5") == ["1. 5"]  # one line: may be the decimal 1.5


@pytest.mark.parametrize("text", ["**Victor**: knave", "__Victor__: knave", "*Victor*: knave",
                                  "`Victor`: knave", "**Victor:** knave", "Victor: **knave**",
                                  "***Victor***: knave", "**`Victor`**: knave", "**Victor: knave**"])
def test_emphasis_around_a_name_a_value_or_the_line_is_removed(text):
    assert answer_lines(text) == ["Victor: knave"]


def test_emphasis_inside_a_word_or_unbalanced_stays():
    assert answer_lines("**1**2") == ["**1**2"]  # never glued into 12
    assert answer_lines("x**2**") == ["x**2**"]
    assert answer_lines("**a*") == ["**a*"]
    assert answer_lines("_a_ x_1") == ["_a_ x_1"]  # single underscores are not emphasis


def test_one_trailing_full_stop_per_line():
    assert answer_lines("a: 1.\nb: 2.") == ["a: 1", "b: 2"]
    assert answer_lines("a: 1..") == ["a: 1."]
    assert answer_lines("a.", full_stops=False) == ["a."]


def test_unwrap_removes_only_what_wraps_the_whole_answer():
    assert unwrap("**-1**.") == "-1"
    assert unwrap("**-1.**") == "-1"
    assert unwrap("```\n7\n```") == "7"
    assert unwrap("**2*3=6**") == "2*3=6"
    assert unwrap("*2*3*") == "*2*3*"
    assert unwrap("**a** and **b**") == "**a** and **b**"
    assert unwrap("7..") == "7."
    assert unwrap("- 1") == "- 1"


def test_leading_prose_is_never_a_decoration():
    with pytest.raises(GridParseError):
        parse_grid("Here is the grid:\n```\n1 2\n2 1\n```")
    with pytest.raises(AnswerError):
        parse_pairs("The answer:\n- Ann: kite")


def test_shared_parsers_read_decorated_lists():
    assert parse_pairs("- **Ann**: kite\n- Bob: `lamp`.") == {"Ann": "kite", "Bob": "lamp"}
    assert parse_word_list("1. pear\n2. fig") == ["pear", "fig"]
    assert parse_name_set("- **Ann**\n- Bob", {"Ann", "Bob"}) == {"Ann", "Bob"}
    assert parse_int_set("- 3\n- 7", 1, 9) == {3, 7}
    assert parse_int_set("**none**", 1, 9) == set()
    assert parse_int("`-1`") == -1
    assert parse_cells("- (1, 2)\n- (3, 4)", 4, 4) == {(1, 2), (3, 4)}


def test_decorations_never_merge_or_hide_items():
    with pytest.raises(AnswerError, match="twice"):
        parse_pairs("- Ann: kite\n- **Ann**: lamp")
    with pytest.raises(AnswerError):
        parse_int_set("- 3", 1, 9)  # "- 3" alone reads as minus three, off the range
    with pytest.raises(GridParseError):
        parse_grid("**1**2 3\n4 5 6", cols=3)


# --- grids ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["```\n1 2\n2 1\n```", "```text\n1 2\n2 1\n```", "```json\n[[1, 2], [2, 1]]\n```",
                                  "- 1 2\n- 2 1", "1. 1 2\n2. 2 1", "`1 2`\n`2 1`", "1 2\n2 1.", "1 2\n\n2 1"])
def test_grid_decorations(text):
    assert parse_grid(text, rows=2, cols=2) == [[1, 2], [2, 1]]


def test_grid_signs_and_text_cells_stay():
    assert parse_grid("-1 2\n-2 1") == [[-1, 2], [-2, 1]]
    with pytest.raises(GridParseError):
        parse_grid("- 1 2")
    # text grids may hold markdown symbols as cells unless the task says they cannot
    assert parse_grid("- -\n+ +", cell=str) == [["-", "-"], ["+", "+"]]
    assert parse_grid("- a .\n- b #", cell=str, markdown=True) == [["a", "."], ["b", "#"]]
    assert parse_grid("T . .", cell=str, markdown=True) == [["T", ".", "."]]  # "." is a cell, not a full stop


def test_grid_forms_all_parse_to_the_gold():
    gold = "1 2 3\n3 1 2\n2 3 1"
    for form in grid_forms(gold):
        assert parse_grid(form, rows=3, cols=3) == [[1, 2, 3], [3, 1, 2], [2, 3, 1]], form
    for form in grid_forms("A . T\n. # .", full_stops=False):
        assert parse_grid(form, cell=str, markdown=True) == [["A", ".", "T"], [".", "#", "."]], form


# --- the findings of the review, exactly ------------------------------------------------------

KK = {"people": ["Victor", "Bob"], "roles": ["knave", "knight"], "statements": []}
ZEBRA = {"questions": [{"key": "juice", "target": "instrument", "answer": "flute"},
                       {"key": "cat", "target": "house", "answer": "3"}]}
WEB = {"asked": ["Chris", "Xavier"], "answers": [False, True], "lines": []}


@pytest.mark.parametrize("answer", ["**Victor**: knave, **Bob**: knight", "- Victor: knave\n- Bob: knight",
                                    "* **Victor:** knave\n* **Bob:** knight", "1. Victor: knave\n2. Bob: knight"])
def test_knights_knaves_markdown_answers_score_one(answer):
    assert get_task("knights_knaves").verify(KK, answer).score == 1


@pytest.mark.parametrize("answer", ["- juice: flute\n- cat: 3", "1. juice: flute\n2. cat: 3",
                                    "- **juice**: flute\n- **cat**: house 3", "* `juice`: `flute`\n* cat: 3."])
def test_zebra_markdown_answers_score_one(answer):
    assert get_task("zebra").verify(ZEBRA, answer).score == 1


@pytest.mark.parametrize("answer", ["Chris: no, Xavier: yes", "Xavier: yes, Chris: no", "- Chris: no\n- Xavier: yes",
                                    "**Chris**: no, **Xavier**: yes", "no, yes", "1. no\n2. yes"])
def test_web_of_lies_named_and_markdown_answers_score_one(answer):
    assert get_task("web_of_lies").verify(WEB, answer).score == 1


@pytest.mark.parametrize("answer", ["Chris: yes, Xavier: yes", "Xavier: no, Chris: no", "Chris: no, Chris: yes",
                                    "Chris: no, yes", "Chris: no, Zoe: yes", "yes, no"])
def test_web_of_lies_named_answers_are_still_checked(answer):
    assert get_task("web_of_lies").verify(WEB, answer).score < 1


def test_web_of_lies_names_follow_the_asked_order_in_the_parser():
    assert parse_truth_list("Bo: no, Al: yes", 2, names=["Al", "Bo"]) == [True, False]
    with pytest.raises(AnswerError):
        parse_truth_list("Al: yes, Bo: no", 2)  # names only where the caller gives them


@pytest.mark.parametrize("name", ["sudoku", "futoshiki", "arc_grid", "campsite", "number_wall"])
def test_a_grid_in_a_fence_inside_the_answer_scores_one(name):
    task = get_task(name)
    for problem in problems(name, levels=(1,), n=2):
        assert task.verify(problem.data, f"```\n{problem.answer}\n```").score == 1
        assert task.verify(problem.data, f"Here is the grid:\n```\n{problem.answer}\n```").score == 0


# --- partial credit accounts for extra and missing parts --------------------------------------

CIPHER = {"layers": [{"cipher": "caesar", "key": 3}], "decrypt": False, "message": "CAT DOG", "result": "FDW GRJ"}


@pytest.mark.parametrize("answer", ["FDW GRJ XYZ", "FDWGRJFDWGRJ", "FDW GRJ A", "FDW", "XFDWGRJ"])
def test_cipher_fraction_counts_extra_and_missing_letters(answer):
    verdict = get_task("cipher").verify(CIPHER, answer)
    assert verdict.score == 0 and verdict.details["fraction"] < 1


def test_cipher_gold_twice_gets_under_half():
    """Partial credit is chance-corrected letter agreement (Cohen's kappa over the positions of
    the longer string): the gold written twice matches half the positions, less than half once
    chance is taken out; one wrong letter in six keeps most of the credit."""
    assert get_task("cipher").verify(CIPHER, "FDWGRJ FDWGRJ").details["fraction"] < 0.5
    assert 0.7 < get_task("cipher").verify(CIPHER, "FDW GRK").details["fraction"] < 5 / 6


@pytest.mark.parametrize("name", ["cipher", "knights_knaves", "zebra"])
def test_no_wrong_answer_gets_full_fraction(name):
    """Every task here that sets details["fraction"]: junk after the gold, the gold twice,
    perturbations, all decorated or not, keep fraction below 1."""
    task = get_task(name)
    rng = np.random.default_rng(3)
    for problem in problems(name):
        gold = problem.answer
        wrong = [*task.perturb(problem, rng), f"{gold} XYZ", f"{gold}\n{gold}", f"{gold}, {gold}"]
        for text in wrong:
            for form in [text, *task.alternative_forms(Problem(problem.data, text))]:
                verdict = task.verify(problem.data, form)
                assert verdict.score < 1, form
                assert verdict.details.get("fraction", 0) < 1, form


# --- every task: the gold's forms score 1, decorated wrong answers stay wrong -----------------


@pytest.mark.parametrize("name", OUR_TASKS)
def test_alternative_forms_of_the_gold_score_one(name):
    task = get_task(name)
    for problem in problems(name, levels=(1, 5), n=2):
        forms = task.alternative_forms(problem)
        assert forms, "every logic/grid/language task promises decorated forms"
        for form in forms:
            assert task.verify(problem.data, form).score == 1, form


@pytest.mark.parametrize("name", OUR_TASKS)
def test_decorated_perturbations_still_score_below_one(name):
    """Each wrong answer, rewritten in every form the gold may take, is still wrong."""
    task = get_task(name)
    rng = np.random.default_rng(5)
    for problem in problems(name, levels=(1, 5), n=2):
        for wrong in task.perturb(problem, rng):
            for form in task.alternative_forms(Problem(problem.data, wrong)):
                assert task.verify(problem.data, form).score < 1, (wrong, form)


def test_helpers_write_each_decoration():
    forms = decorated_forms(["Victor: knave", "Bob: knight"], ", ")
    assert "- Victor: knave\n- Bob: knight" in forms
    assert "1. Victor: knave\n2. Bob: knight" in forms
    assert "**Victor**: knave, **Bob**: knight" in forms
    assert "```\nVictor: knave, Bob: knight\n```" in forms
    assert not {"- 1", "+ 1", "1. 1", "1) 1"} & set(decorated_forms(["1"]))  # a sign, a decimal
    assert "**7**" in scalar_forms("7") and "*2*3*" not in scalar_forms("2*3")
