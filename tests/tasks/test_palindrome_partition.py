"""Specification of palindrome_partition beyond the contract.

Golds are re-derived on >= 50 instances without the generator's palindrome table or suffix
programme: ``all`` by enumerating every one of the 2^(n-1) cut masks and keeping those whose
pieces are palindromes, and also by plain recursion over the first piece; ``min_cuts`` by a
memoised recursion over the first piece (fewest pieces minus one).
"""

from __future__ import annotations

import json
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.verifiers.verdict import Reason
from tests.tasks.row_checks import assert_refused, assert_shortcuts_score_zero, rows_at
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("palindrome_partition")
TASK = CHECKS.task
AAB = {"string": "aab", "mode": "all"}


def by_masks(s: str) -> set[tuple[str, ...]]:
    out = set()
    for mask in range(1 << (len(s) - 1)):
        pieces, start = [], 0
        for i in range(1, len(s)):
            if mask >> (i - 1) & 1:
                pieces.append(s[start:i])
                start = i
        pieces.append(s[start:])
        if all(p == p[::-1] for p in pieces):
            out.add(tuple(pieces))
    return out


def by_recursion(s: str) -> list[tuple[str, ...]]:
    if not s:
        return [()]
    return [(s[:k], *rest) for k in range(1, len(s) + 1) if s[:k] == s[:k][::-1] for rest in by_recursion(s[k:])]


def fewest_cuts(s: str) -> int:
    @cache
    def pieces(i: int) -> int:
        if i == len(s):
            return 0
        return min(1 + pieces(j) for j in range(i + 1, len(s) + 1) if s[i:j] == s[i:j][::-1])
    return pieces(0) - 1


def test_golds_match_independent_enumerations():
    checked = {"all": 0, "min_cuts": 0}
    for level in (1, 3, 5, 7, 10):
        for row in CHECKS.rows(level, 16, seed=4):
            problem = json.loads(row["problem"])
            s = problem["string"]
            line = next(x for x in row["prompt"].splitlines() if x.startswith(("String: ", "字符串：")))
            assert line.endswith(s)
            if problem["mode"] == "all":
                gold = [tuple(line.split(", ")) for line in row["answer"].split("\n")]
                assert len(gold) == len(set(gold)) >= 3
                assert set(gold) == by_masks(s) == set(by_recursion(s)), row["id"]
            else:
                assert row["answer"] == str(fewest_cuts(s)), row["id"]
                assert 2 <= int(row["answer"]) < len(s) - 1
            checked[problem["mode"]] += 1
    assert sum(checked.values()) >= 50 and checked["min_cuts"] >= 10


def test_the_verifier_judges_sets_of_partitions():
    assert TASK.verify(AAB, "a, a, b\naa, b").score == 1
    assert TASK.verify(AAB, "aa b\n- a a b").score == 1
    cases = {"a, a, b": Reason.WRONG,                   # one missing
             "a, a, b\naa, b\naa, b": Reason.INVALID,    # one twice
             "a, a, b\naa, b\na, ab": Reason.WRONG,      # ab is not a palindrome
             "a, a, b\naa, b\naab": Reason.WRONG,
             "a, a, b\naa, b, b": Reason.INVALID,        # does not spell aab
             "a, a, b; aa, b": Reason.INVALID,
             "Partitions:\na, a, b\naa, b": Reason.UNPARSEABLE,
             "1": Reason.UNPARSEABLE}
    assert_refused(CHECKS, AAB, cases)
    cuts = {"string": "aabcb", "mode": "min_cuts"}   # aa | bcb
    assert TASK.verify(cuts, "1").score == 1
    for bad in ("2", "1.0", "one", "1 or 2", "1, 2", "0", "4"):
        assert TASK.verify(cuts, bad).score == 0, bad


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_verifier_never_raises_on_arbitrary_text(text):
    assert TASK.verify(AAB, text).reason is not Reason.ERROR
    assert TASK.verify({"string": "abacab", "mode": "min_cuts"}, text).reason is not Reason.ERROR


def test_hostile_answers():
    assert_shortcuts_score_zero(CHECKS, (2, 6, 9), n=8, seed=11)
    for row in rows_at(CHECKS, (2, 6, 9), n=8, seed=11):
        assert TASK.verify(json.loads(row["problem"]), row["answer"] + "\n" * 3 + "x" * 6000).score == 0


def test_levels_get_harder():
    hardness = [CHECKS.mean(level, TASK.hardness, n=20, seed=4) for level in (1, 5, 10)]
    assert hardness[0] < hardness[1] < hardness[2]
