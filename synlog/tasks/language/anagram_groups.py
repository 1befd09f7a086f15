"""Anagram groups: sort a list of words into classes of anagrams, one class per line.

Two words are anagrams when they use the same letters the same number of times. The words come
from the ``english-words`` GCIDE ∩ web2 list that crossword_fill and word_ladder use (without
offensive words). A tiny example::

    words: stone, cat, notes, dog, act, tones
    act, cat
    dog
    notes, stone, tones

How an instance is made: ``groups`` anagram classes of the whole list are drawn and two or more
of each class's words shown; then ``singles`` words whose letters no other shown word shares
(some from a class of which only that one word is shown); and ``decoys``: words one letter away
from a shown group (one letter replaced, so they look like anagrams but are not), each its own
class. The words are shown shuffled. The gold is computed by grouping on a letter-count key
(``collections.Counter``); the tests re-derive it with sorted-letter keys.

Answer: every class on its own line, its words separated by commas or spaces; a word with no
anagram in the list stands alone on its line. Groups may come in any order and the words of a
group in any order, in any letter case. ``verify`` checks the rules, not a string: every
given word exactly once (an unknown, missing or repeated word is ``invalid``), the words of a line are anagrams of each
other, and no two lines are (else ``wrong``). Markdown bullets, numbering, emphasis and a
final full stop per line are stripped (:func:`~synlog.tasks.common.answers.answer_lines`);
leading prose is not. Lines that merely group by length, by first letter, or by both, are
never right: instances where such a shortcut would be are redrawn.
``hardness`` is the number of letters in the list plus the letters of the words that stand alone
(singles and decoys: each must be checked against every group).
"""

from __future__ import annotations

import math
from collections import Counter
from functools import cache

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import (
    AnswerError,
    answer_lines,
    bounded,
    decorated_forms,
    parse_word_list,
)
from synlog.tasks.grid.crossword_fill import _words
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: the most words one instance lists
MAX_WORDS = 120
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def letter_key(word: str) -> frozenset:
    """The word's letters with their counts (the generator's and verifier's key)."""
    return frozenset(Counter(word).items())


@cache
def _classes() -> dict[str, tuple[str, ...]]:
    """Sorted letters → the words of the whole list with those letters."""
    index: dict[str, list[str]] = {}
    for w in _words():
        index.setdefault("".join(sorted(w)), []).append(w)
    return {k: tuple(v) for k, v in index.items()}


@cache
def _multi() -> tuple[str, ...]:
    """The keys of classes with two or more words, sorted."""
    return tuple(sorted(k for k, v in _classes().items() if len(v) >= 2))


def groups_of(words: list[str]) -> list[list[str]]:
    """The anagram classes of ``words``: each sorted, classes ordered by their first word."""
    by_key: dict[frozenset, list[str]] = {}
    for w in words:
        by_key.setdefault(letter_key(w), []).append(w)
    return sorted(sorted(g) for g in by_key.values())


def render(groups: list[list[str]]) -> str:
    return "\n".join(", ".join(g) for g in groups)


def one_letter_off(key: str) -> list[str]:
    """Words of the whole list whose letters are ``key``'s with one letter replaced."""
    classes, out = _classes(), []
    for i, old in enumerate(key):
        if i and key[i - 1] == old:
            continue
        for new in LETTERS:
            if new != old:
                out.extend(classes.get("".join(sorted(key[:i] + new + key[i + 1:])), ()))
    return out


@register
class AnagramGroups(Task):
    """Group the listed words into classes of anagrams, one class per line."""

    name, family, version = "anagram_groups", "language", 1
    knobs = Knobs(
        groups=Knob(int, levels=[2, 2, 3, 3, 4, 5, 6, 7, 8, 10], lo=1, hi=30, help="anagram classes of 2+ words"),
        most=Knob(int, levels=[2, 3, 3, 3, 4, 4, 5, 5, 6, 7], lo=2, hi=10, help="most words shown of one class"),
        singles=Knob(int, levels=[1, 2, 2, 3, 3, 4, 5, 6, 7, 8], lo=0, hi=30, help="words with no anagram in the list"),
        decoys=Knob(int, levels=[0, 0, 1, 1, 2, 3, 4, 5, 6, 8], lo=0, hi=30,
                    help="words one letter away from a shown class"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        if p.groups * p.most + p.singles + p.decoys > MAX_WORDS:
            raise Reject(f"more than {MAX_WORDS} words")
        classes, multi, vocabulary = _classes(), _multi(), _words()
        for _ in range(50):
            keys = [multi[int(i)] for i in rng.choice(len(multi), p.groups, replace=False)]
            words: list[str] = []
            for k in keys:
                members = classes[k]
                size = int(rng.integers(2, min(p.most, len(members)) + 1))
                words += [members[int(i)] for i in rng.choice(len(members), size, replace=False)]
            used = {"".join(sorted(w)) for w in words}
            decoys: list[str] = []
            for _ in range(p.decoys * 4):
                if len(decoys) == p.decoys:
                    break
                near = [w for w in one_letter_off(keys[int(rng.integers(len(keys)))]) if "".join(sorted(w)) not in used]
                if near:
                    pick = near[int(rng.integers(len(near)))]
                    decoys.append(pick)
                    used.add("".join(sorted(pick)))
            singles: list[str] = []
            lengths = sorted({len(w) for w in words})
            while len(singles) < p.singles:
                pick = vocabulary[int(rng.integers(len(vocabulary)))]
                if rng.random() < 0.7 and len(pick) not in lengths:  # mostly lengths of the groups' words
                    continue
                if "".join(sorted(pick)) not in used:
                    singles.append(pick)
                    used.add("".join(sorted(pick)))
            if len(decoys) < p.decoys:
                continue
            shown = words + decoys + singles
            shown = [shown[int(i)] for i in rng.permutation(len(shown))]
            problem = {"words": shown}
            gold = render(groups_of(shown))
            if all(self.verify(problem, a).score < 1 for a in self.degenerate_answers(problem).values()):
                break
        else:
            raise Reject("no instance that the shortcuts miss")
        effort = sum(len(w) * math.log2(len(w)) for w in shown) * (1 + len(decoys)) ** 0.5 + len(shown) ** 1.5
        return Problem(problem, gold, float(effort))

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            lines = answer_lines(bounded(answer))
            if not lines:
                raise AnswerError("expected the groups, one per line")
            if len(lines) > len(problem["words"]):
                return Verdict.invalid("more lines than words")
            claimed = [parse_word_list(line) for line in lines]
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        given = set(problem["words"])
        flat = [w for line in claimed for w in line]
        for w in flat:
            if w not in given:
                return Verdict.invalid(f"{w[:40]!r} is not one of the given words")
        seen: set[str] = set()
        for w in flat:
            if w in seen:
                return Verdict.invalid(f"{w} is written twice")
            seen.add(w)
        if seen != given:
            return Verdict.invalid(f"{len(given - seen)} given words are missing; write every word exactly once")
        keys: dict[frozenset, int] = {}
        for k, line in enumerate(claimed, start=1):
            line_keys = {letter_key(w) for w in line}
            if len(line_keys) > 1:
                return Verdict.wrong(f"line {k} holds words that are not anagrams of each other")
            key = line_keys.pop()
            if key in keys:
                return Verdict.wrong(f"lines {keys[key]} and {k} are anagrams of each other: they are one group")
            keys[key] = k
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        words = problem["words"]

        def by(key) -> str:
            parts: dict = {}
            for w in words:
                parts.setdefault(key(w), []).append(w)
            return render(sorted(sorted(g) for g in parts.values()))

        return {"every word alone": "\n".join(sorted(words)),
                "all words on one line": ", ".join(words),
                "grouped by length": by(len),
                "grouped by first letter": by(lambda w: w[0]),
                "grouped by length and first letter": by(lambda w: (len(w), w[0])),
                "the example answer": "act, cat\ndog\nnotes, stone, tones"}

    def alternative_forms(self, problem: Problem) -> list[str]:
        groups = [line.split(", ") for line in problem.answer.split("\n")]
        lines = [", ".join(g) for g in groups]
        return [*decorated_forms(lines, "\n"),
                render([g[::-1] for g in groups[::-1]]),
                "\n".join(" ".join(g) for g in groups),
                "\n".join(f"[{', '.join(g)}]" for g in groups),
                "\n".join(",".join(g) for g in groups)]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        groups = [line.split(", ") for line in problem.answer.split("\n")]
        big = next(i for i, g in enumerate(groups) if len(g) > 1)
        split = [g for i, g in enumerate(groups) if i != big] + [groups[big][:1], groups[big][1:]]
        other = (big + 1) % len(groups)
        merged = [g for i, g in enumerate(groups) if i not in (big, other)] + [groups[big] + groups[other]]
        dropped = [g[:-1] if i == big else g for i, g in enumerate(groups)]
        doubled = [*groups, groups[big][:1]]
        return [render(split), render(merged), render([g for g in dropped if g]), render(doubled)]

    def hardness(self, problem: dict) -> float:
        words = problem["words"]
        keys = Counter("".join(sorted(w)) for w in words)
        alone = [w for w in words if keys["".join(sorted(w))] == 1]
        return float(sum(len(w) for w in words) + sum(len(w) for w in alone))

    def instance_space(self, spec: dict) -> float | None:
        groups = int(max(np.atleast_1d(spec["groups"])))
        singles = int(max(np.atleast_1d(spec["singles"])))
        return float(math.comb(len(_multi()), groups)) * float(len(_words())) ** singles
