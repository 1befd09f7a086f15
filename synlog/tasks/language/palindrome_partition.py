"""Palindrome partition: all ways to cut a string into palindromes, or the fewest cuts needed.

A palindrome reads the same forwards and backwards; a single letter is one. The problem gives a
string of lower-case letters and one of two questions (``mode``):

- ``all``: list every partition of the string into palindromes, one per line, the pieces in
  order separated by commas;
- ``min_cuts``: the fewest cuts that leave only palindromes, as one integer.

A tiny example with the string ``aab``::

    all        a, a, b          min_cuts    1   (aa | b)
               aa, b

Gold: for ``all``, a dynamic programme over suffixes (``parts[i]`` = the partitions of
``s[i:]``, built from a table of which substrings are palindromes); for ``min_cuts`` the classic
O(n²) cut table. The tests re-derive both by plain recursion that tries every cut position
(``all`` also by enumerating all 2^(n-1) cut masks). ``all`` instances have between 3 and
``most`` partitions, so neither the letters alone nor the whole string is ever the answer. A
``min_cuts`` target is drawn uniformly from 2..``span``+1 first and strings (glued from random
palindromes over ``alphabet`` letters plus more the more cuts are asked, since few letters make
palindromes everywhere) are redrawn until their fewest cuts equal it and differ from the number of
distinct letters minus one; it is never 0, 1 (the example) or ``len - 1``.

``verify`` checks the rules. ``all``: every line must spell the string (else ``invalid``) and
cut it into palindromes (else ``wrong``); a partition written twice is ``invalid``; a missing
one is ``wrong``; lines may come in any order. Pieces are separated by commas or spaces, in
any letter case; markdown bullets, numbering, emphasis and one final full stop per line are stripped, leading
prose is not. ``min_cuts``: exactly one integer
(:func:`~synlog.tasks.common.answers.verify_integer`; a decimal, a number word or a hedge is
refused). ``hardness`` is the string's length plus the number of its palindromic substrings of
length two or more (each one a branch a solver must consider).
"""

from __future__ import annotations

import math
import string

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import (
    AnswerError,
    answer_lines,
    bounded,
    decorated_forms,
    parse_word_list,
    scalar_forms,
    verify_integer,
)
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.language.letter_counting import number_word
from synlog.verifiers.verdict import Verdict

#: the longest gold list of partitions, in characters (answers are read up to 5,000)
MAX_GOLD_CHARS = 4_000
TRIES = 300


def palindrome_table(s: str) -> list[list[bool]]:
    """``table[i][j]``: whether ``s[i:j+1]`` is a palindrome."""
    n = len(s)
    table = [[False] * n for _ in range(n)]
    for i in range(n - 1, -1, -1):
        for j in range(i, n):
            table[i][j] = s[i] == s[j] and (j - i < 2 or table[i + 1][j - 1])
    return table


def all_partitions(s: str, cap: int | None = None) -> list[tuple[str, ...]] | None:
    """Every partition of ``s`` into palindromes, sorted; None once more than ``cap`` exist."""
    n, table = len(s), palindrome_table(s)
    parts: list[list[tuple[str, ...]]] = [[] for _ in range(n)] + [[()]]
    for i in range(n - 1, -1, -1):
        for j in range(i, n):
            if table[i][j]:
                parts[i].extend((s[i:j + 1], *rest) for rest in parts[j + 1])
        if cap is not None and len(parts[i]) > cap:
            return None
    return sorted(parts[0])


def min_cuts(s: str) -> int:
    """The fewest cuts that split ``s`` into palindromes."""
    n, table = len(s), palindrome_table(s)
    cuts = [0] * n
    for j in range(n):
        cuts[j] = 0 if table[0][j] else min(cuts[i - 1] + 1 for i in range(1, j + 1) if table[i][j])
    return cuts[-1]


def palindromic_substrings(s: str) -> int:
    """Palindromic substrings of length two or more, counted by position."""
    table = palindrome_table(s)
    return sum(table[i][j] for i in range(len(s)) for j in range(i + 1, len(s)))


def render(partitions: list[tuple[str, ...]]) -> str:
    return "\n".join(", ".join(p) for p in partitions)


def random_palindrome(rng: np.random.Generator, length: int, letters: str) -> str:
    half = "".join(letters[int(i)] for i in rng.integers(len(letters), size=(length + 1) // 2))
    return half + half[::-1][length % 2:]


@register
class PalindromePartition(Task):
    """Cut a string into palindromes: list every way, or give the fewest cuts."""

    name, family, version = "palindrome_partition", "language", 1
    knobs = Knobs(
        length=Knob(int, levels=[5, 6, 6, 7, 8, 9, 10, 11, 12, 13], lo=2, hi=16,
                    help="string length in 'all' mode"),
        alphabet=Knob(int, levels=[3, 3, 2, 3, 3, 3, 3, 3, 3, 3], lo=2, hi=26, help="distinct letters drawn from"),
        most=Knob(int, levels=[6, 8, 12, 16, 24, 32, 48, 64, 80, 100], lo=3, hi=200,
                  help="most partitions an 'all' instance has"),
        min_cuts_share=Knob(float, levels=[0, 0, 0.25, 0.3, 0.4, 0.5, 0.5, 0.5, 0.5, 0.5], lo=0, hi=1,
                            help="chance of the 'min_cuts' question"),
        cut_length=Knob(int, levels=[10, 12, 14, 16, 18, 22, 26, 30, 36, 42], lo=3, hi=200,
                        help="string length in 'min_cuts' mode"),
        span=Knob(int, levels=[5, 6, 7, 8, 9, 10, 12, 14, 16, 20], lo=1, hi=190,
                  help="the fewest cuts are drawn from 2..span+1 (below the length - 1)"),
    )
    chance = 0.05

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        letters = "".join(string.ascii_lowercase[int(i)] for i in rng.choice(26, p.alphabet, replace=False))
        if rng.random() < p.min_cuts_share:
            return self._min_cuts(rng, p)
        for tries in range(1, TRIES + 1):  # noqa: B007 (read after the loop)
            s = "".join(letters[int(i)] for i in rng.integers(len(letters), size=p.length))
            parts = all_partitions(s, p.most)
            if parts is not None and len(parts) >= 3 and len(render(parts)) <= MAX_GOLD_CHARS:
                break
        else:
            raise Reject(f"no string with 3..{p.most} partitions")
        effort = sum(len(x) for x in parts) + p.length ** 2 + tries
        return Problem({"string": s, "mode": "all"}, render(parts), float(effort))

    def _min_cuts(self, rng: np.random.Generator, p: Params) -> Problem:
        n = p.cut_length
        target = 2 + int(rng.integers(max(1, min(p.span, n - 3))))
        for tries in range(1, TRIES + 1):  # noqa: B007 (read after the loop)
            # more letters for more cuts: few letters make palindromes everywhere
            k = min(26, p.alphabet + int(rng.integers(0, 2 + 30 * target // n)))
            letters = "".join(string.ascii_lowercase[int(i)] for i in rng.choice(26, k, replace=False))
            bounds = sorted(rng.choice(np.arange(1, n), target, replace=False).tolist())
            sizes = [b - a for a, b in zip([0, *bounds], [*bounds, n], strict=True)]
            s = "".join(random_palindrome(rng, size, letters) for size in sizes)
            if min_cuts(s) == target and len(set(s)) - 1 != target:
                break
        else:
            raise Reject(f"no string with exactly {target} fewest cuts")
        effort = n * n * (1 + math.log2(n)) + tries
        return Problem({"string": s, "mode": "min_cuts"}, str(target), float(effort))

    def verify(self, problem: dict, answer: str) -> Verdict:
        s = problem["string"]
        if problem["mode"] == "min_cuts":
            return verify_integer(answer, min_cuts(s), f"fewest cuts of {s} into palindromes")
        try:
            lines = answer_lines(bounded(answer))
            if not lines:
                raise AnswerError("expected the partitions, one per line")
            claimed = [tuple(parse_word_list(line)) for line in lines]
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        seen: set[tuple[str, ...]] = set()
        for k, parts in enumerate(claimed, start=1):
            if "".join(parts) != s:
                return Verdict.invalid(f"line {k} does not spell {s}")
            if parts in seen:
                return Verdict.invalid(f"line {k} repeats a partition")
            seen.add(parts)
            bad = next((x for x in parts if x != x[::-1]), None)
            if bad is not None:
                return Verdict.wrong(f"line {k}: {bad} is not a palindrome")
        gold = all_partitions(s) or []
        if len(seen) != len(gold):
            return Verdict.wrong(f"{len(gold) - len(seen)} partitions are missing")
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        s = problem["string"]
        return {"every letter alone": ", ".join(s),
                "the whole string": s,
                "every letter alone, then the whole string": f"{', '.join(s)}\n{s}",
                "length minus one": str(len(s) - 1),
                "distinct letters minus one": str(len(set(s)) - 1),
                "the example answer": "a, a, b\naa, b",
                "the example count": "1"}

    def alternative_forms(self, problem: Problem) -> list[str]:
        if problem.data["mode"] == "min_cuts":
            return scalar_forms(problem.answer)
        lines = problem.answer.split("\n")
        return [*decorated_forms(lines, "\n"), "\n".join(lines[::-1]),
                "\n".join(line.replace(", ", " ") for line in lines),
                "\n".join(f"[{line}]" for line in lines)]

    def forbidden_forms(self, problem: Problem) -> list[str]:
        if problem.data["mode"] != "min_cuts":
            return []
        n = int(problem.answer)
        return [f"{n}.0", number_word(n), f"{n} cuts", f"{n + 1} - 1"]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        if problem.data["mode"] == "min_cuts":
            n = int(problem.answer)
            return [str(n + 1), str(n - 1), f"{n} or {n + 1}", str(n + 2)]
        lines = problem.answer.split("\n")
        s = problem.data["string"]
        out = ["\n".join(lines[:-1]), "\n".join([*lines, lines[0]]), "\n".join(lines[1:])]
        # a partition with a piece that is not a palindrome, in place of one
        for cut in range(1, len(s)):
            head, tail = s[:cut], s[cut:]
            if head != head[::-1]:
                out.append("\n".join([*lines[:-1], ", ".join([head, *tail])]))
                break
        return out

    def hardness(self, problem: dict) -> float:
        s = problem["string"]
        return float(len(s) + palindromic_substrings(s))

    def instance_space(self, spec: dict) -> float | None:
        alphabet = int(max(np.atleast_1d(spec["alphabet"])))
        length = int(max(np.atleast_1d(spec["length"])))
        cut_length = int(max(np.atleast_1d(spec["cut_length"])))
        space = float(math.comb(26, alphabet)) * alphabet ** length
        if max(np.atleast_1d(spec["min_cuts_share"])) > 0:
            space += float(math.comb(26, alphabet)) * float(alphabet) ** cut_length
        return space
