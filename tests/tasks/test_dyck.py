"""Specification of dyck_completion, dyck_first_error and dyck_trace_errors beyond the contract.

Gold answers are re-derived by an independent method: repeatedly deleting adjacent matched
pairs from the text (string rewriting, no stack), on ≥ 50 instances per task; degenerate
answers (-1, "none", a lone first or last step, the commonest completion) stay rare.
"""

from __future__ import annotations

import json
from collections import Counter

from synlog.synth.example import make_row
from synlog.tasks import get_task
from synlog.tasks.common.dyck import PAIRS

MATCHED = [open_ + close for open_, close in PAIRS]
CLOSERS = {close for _, close in PAIRS}


def reduce(text: str) -> str:
    """Delete adjacent matched pairs until none is left."""
    while True:
        shorter = text
        for pair in MATCHED:
            shorter = shorter.replace(pair, "")
        if shorter == text:
            return text
        text = shorter


def viable(text: str) -> bool:
    """A prefix that can still be completed: after reduction only openers remain."""
    return not any(ch in CLOSERS for ch in reduce(text))


def rows(task, levels=(1, 3, 5, 7, 10), n=12, seed=9):
    spec_of = get_task(task).knobs.resolve
    return [make_row(task, level, spec_of(level), seed, i) for level in levels for i in range(n)]


def test_completion_gold_closes_exactly_what_reduction_leaves_open():
    checked = 0
    for row in rows("dyck_completion"):
        seq = "".join(json.loads(row["problem"])["sequence"].split())
        left_open = reduce(seq)
        expected = [dict(MATCHED_PAIR)[ch] for ch in reversed(left_open)]
        assert row["answer"].split() == expected, row["id"]
        assert reduce(seq + "".join(expected)) == ""
        checked += 1
    assert checked >= 50


MATCHED_PAIR = [(p[0], p[1]) for p in PAIRS]


def test_completion_accepts_the_whole_sequence_and_rejects_extra_closers():
    task = get_task("dyck_completion")
    row = rows("dyck_completion", levels=(4,), n=1)[0]
    problem = json.loads(row["problem"])
    assert task.verify(problem, problem["sequence"] + " " + row["answer"]).score == 1
    assert task.verify(problem, row["answer"] + " )").score == 0
    assert task.verify(problem, "( " + row["answer"]).score == 0


def test_completion_has_no_common_answer():
    """No completion (the prompt's example included) is the gold of more than 5 % of rows."""
    for level in (1, 3):
        answers = [r["answer"] for r in rows("dyck_completion", levels=(level,), n=300)]
        assert max(Counter(answers).values()) / len(answers) <= 0.05, level
        assert answers.count(") ) ]") / len(answers) <= 0.03, level
        assert min(len(a.split()) for a in answers) >= 4


def test_first_error_matches_the_shortest_non_viable_prefix():
    checked = 0
    for row in rows("dyck_first_error"):
        answers = row["answer"].split(", ")
        sequences = json.loads(row["problem"])["sequences"]
        assert len(answers) == len(sequences) == 3
        for sequence, answer in zip(sequences, answers, strict=True):
            seq = "".join(sequence.split())
            bad = [i for i in range(1, len(seq) + 1) if not viable(seq[:i])]
            expected = bad[0] if bad else -1
            if expected == -1:
                assert reduce(seq) == "", "a valid sequence is balanced"
            assert int(answer) == expected, row["id"]
            checked += 1
    assert checked >= 150


def test_valid_sequences_stay_under_a_quarter_and_no_tuple_is_common():
    for level in (1, 5, 10):
        answers = [r["answer"] for r in rows("dyck_first_error", levels=(level,), n=300)]
        items = [a for answer in answers for a in answer.split(", ")]
        share = items.count("-1") / len(items)
        assert 0.05 <= share <= 0.25, (level, share)
        assert answers.count("-1, -1, -1") / len(answers) <= 0.02, level
        assert max(Counter(answers).values()) / len(answers) <= 0.04, level


def test_first_error_verifier_reads_one_number_per_sequence():
    task = get_task("dyck_first_error")
    problem = {"sequences": ["( [ ] { ) }", "( )", ") ("], "pairs": ["()", "[]", "{}"]}
    for right in ("5, -1, 1", "5; -1; 1", "5\n-1\n1", "- 5\n- -1\n- 1", "Sequence 1: 5\nSequence 2: -1\nSequence 3: 1",
                  "1: 5, 2: -1, 3: 1"):
        assert task.verify(problem, right).score == 1, right
    for wrong in ("15, -1, 1", "5, -1", "5, -1, 1, 1", "-1, 5, 1", "5 -1 1", "position 5, -1, 1", "-5, -1, 1",
                  "valid", "2: 5, 1: -1, 3: 1", "5, -1, 2"):
        assert task.verify(problem, wrong).score == 0, wrong


def test_trace_errors_match_an_independent_replay():
    checked = 0
    for row in rows("dyck_trace_errors"):
        problem = json.loads(row["problem"])
        seq = problem["sequence"].split()
        wrong = set()
        for k, (token, thought) in enumerate(zip(seq, problem["thoughts"], strict=False), 1):
            assert thought.startswith(f"{token} ; stack: ")
            said = thought.split("stack: ")[1]
            true_stack = " ".join(reduce("".join(seq[:k]))) or "empty"
            wrong |= {k} if said != true_stack else set()
        closing = " ".join(dict(MATCHED_PAIR)[ch] for ch in reversed(reduce("".join(seq))))
        if problem["thoughts"][-1] != f"the closing brackets are: {closing}":
            wrong.add(len(problem["thoughts"]))
        expected = ", ".join(map(str, sorted(wrong))) or "none"
        assert row["answer"] == expected, row["id"]
        checked += 1
    assert checked >= 50


def test_clean_traces_and_lone_steps_are_rare():
    """'none' ≤ 4 %, a single wrong thought never, any one set of thoughts ≤ 5 % of rows."""
    for level in (1, 5, 10):
        answers = [r["answer"] for r in rows("dyck_trace_errors", levels=(level,), n=300)]
        assert answers.count("none") / len(answers) <= 0.04, level
        assert all(a == "none" or len(a.split(", ")) >= 2 for a in answers), level
        assert max(Counter(answers).values()) / len(answers) <= 0.05, level


def test_trace_errors_rejects_repeats_and_out_of_range_numbers():
    task = get_task("dyck_trace_errors")
    row = rows("dyck_trace_errors", levels=(5,), n=1)[0]
    problem = json.loads(row["problem"])
    n = len(problem["thoughts"])
    assert task.verify(problem, row["answer"]).score == 1
    assert task.verify(problem, f"{n + 1}").score == 0
    assert task.verify(problem, "1, 1").score == 0


def test_completion_order_matters():
    """Closers in opening order never complete the sequence (the open stack is no palindrome)."""
    task = get_task("dyck_completion")
    for row in rows("dyck_completion", n=20):
        problem = json.loads(row["problem"])
        gold = row["answer"].split()
        assert gold != gold[::-1], row["id"]
        for answer in task.degenerate_answers(problem).values():
            assert task.verify(problem, answer).score == 0, row["id"]
