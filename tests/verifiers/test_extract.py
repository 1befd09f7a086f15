"""Extraction takes the final answer, never one from the reasoning."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synlog.verifiers.extract import ExtractConfig, extract, last_boxed_content
from synlog.verifiers.verdict import Reason


def test_last_answer_tag_after_the_reasoning_wins():
    text = "<think>maybe <answer>3</answer></think> first <answer>4</answer> then <answer> 5 </answer>"
    assert extract(text).text == "5" and extract(text).mode == "tag"


def test_answers_inside_the_reasoning_are_ignored():
    assert extract("<think><answer>3</answer></think>no final answer").text is None


def test_unclosed_think_means_no_answer():
    found = extract("<think>let me see <answer>3</answer>")
    assert found.text is None and found.mode == "unfinished_think"


def test_boxed_is_the_fallback_and_balances_braces():
    assert extract("so \\boxed{\\frac{1}{2}} and earlier \\boxed{7}").text == "7"
    assert extract("final: \\boxed{\\frac{1}{2}}").text == "\\frac{1}{2}"
    assert extract("\\boxed{unbalanced").text is None
    assert extract("\\boxed{a} \\boxed{b").text == "a"  # the last *complete* box


def test_tag_beats_box_and_modes_are_recorded():
    assert extract("\\boxed{1} <answer>2</answer>").mode == "tag"
    assert extract("\\boxed{1}").mode == "boxed"


def test_fallback_runs_only_when_allowed():
    last_line = lambda t: t.strip().splitlines()[-1]  # noqa: E731
    assert extract("work\n42", fallback=last_line).text is None
    found = extract("work\n42", ExtractConfig(fallback=True), fallback=last_line)
    assert found.text == "42" and found.mode == "fallback"


def test_config_can_disable_steps():
    assert extract("<answer>1</answer>", ExtractConfig(tag=None)).text is None
    assert extract("\\boxed{1}", ExtractConfig(boxed=False)).text is None
    assert extract("<think>x<answer>1</answer>", ExtractConfig(strip_think=False)).text == "1"


def test_unbalanced_and_nested_tags():
    assert extract("</answer> <answer>").text is None
    assert extract("<answer><answer>7</answer>").text == "7"


def test_huge_inputs_are_linear_time():
    text = "<answer>" * 200_000 + "\\boxed{" * 200_000
    assert extract(text).text is None
    too_long = extract("<answer>" + "x" * 1_000_000 + "</answer>")
    assert too_long.text is None and too_long.mode == "too_long"  # never cut


@given(st.text())
def test_extraction_never_raises(text):
    found = extract(text)
    assert found.text is None or isinstance(found.text, str)
    last_boxed_content(text)


@pytest.mark.parametrize(("completion", "text"), [
    ("<answer>\\boxed{4}</answer>", "4"),
    ("<answer> \\boxed{\\frac{1}{2}} </answer>", "\\frac{1}{2}"),
    ("<answer>```\n1 2\n2 1\n```</answer>", "1 2\n2 1"),
    ("<answer>```text\n1 2\n```</answer>", "1 2"),
    ("<answer>```python\ndef f(x):\n    return x\n```</answer>", "def f(x):\n    return x"),
])
def test_one_wrapper_around_the_whole_answer_is_removed(completion, text):
    assert extract(completion).text == text


@pytest.mark.parametrize("answer", ["\\boxed{1}, \\boxed{2}", "\\boxed{1} + 1", "```\na\n```\n```\nb\n```",
                                    "x ```\na\n```", "\\boxed{1"])
def test_partial_wrappers_are_left_for_the_task_to_judge(answer):
    assert extract(f"<answer>{answer}</answer>").text == answer


def test_an_over_long_answer_is_invalid_never_cut():
    from synlog.verifiers.score import score

    gold = "1 2\n2 1"
    verdict = score("arithmetic", {"expression": "1", "value": "1"},
                    f"<answer>1{' ' * 100_000}\n2</answer>")
    assert verdict.reason is Reason.INVALID and verdict.extraction == "too_long"
    assert extract(f"<answer>{gold}{' ' * 100_000}</answer>").text == gold  # padding outside is stripped
