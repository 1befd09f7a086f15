"""Letter counting: how many times one letter occurs in a text, under a stated case rule.

The text is a run of dictionary words (the ``english-words`` GCIDE ∩ web2 list that
crossword_fill and word_ladder use, without offensive words), some written with a capital
first letter and, at higher levels, some in capitals throughout. The question names a letter
and a case rule:

- ``any``: the letter counts in either case (``e`` and ``E`` both count);
- ``lower``: only the lower-case letter counts (``E`` does not).

A tiny example::

    text: Green tree REEF apple        letter: e
    any case    → 7      lower-case only → 5

The gold is one integer, counted over the text's characters by the case rule. It is drawn
first, uniformly from a range that widens with the level (never 0 or 1), and words are redrawn
until a letter has exactly that count, so no constant guess pays more than about one row in
the range's size. Every instance has the letter in both cases, so the other case rule always
gives another number; the number of words holding the letter differs from the count (some
word holds it twice); and the count is never the number of words, nor 7 (the prompt's
example). ``verify`` reads exactly one integer (:func:`~synlog.tasks.common.answers.verify_integer`: markdown emphasis
and a final full stop are stripped; a decimal ``7.0``, a number word, ``7 times`` or a hedge
``7 or 8`` are refused) and compares it with the count recomputed from the problem.
``effort`` is the characters read plus five per word with a capital (a case to check);
``hardness`` is the number of letters in the text.
"""

from __future__ import annotations

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import scalar_forms, verify_integer
from synlog.tasks.grid.crossword_fill import _words
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

RULES = ("any", "lower")
#: the prompt's example answer (the count of "e" in any case in "Green tree REEF apple")
EXAMPLE = 7
#: tries at drawing a text in which some letter has the drawn count
TRIES = 400
_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
         " sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_word(n: int) -> str:
    """``n`` (0..99) in English words."""
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens - 2] + (f"-{_ONES[ones]}" if ones else "")


def count(text: str, letter: str, rule: str) -> int:
    """Occurrences of ``letter`` in ``text`` under the case ``rule``."""
    if rule == "any":
        return text.lower().count(letter)
    return text.count(letter)


def other_rule(rule: str) -> str:
    return "lower" if rule == "any" else "any"


@register
class LetterCounting(Task):
    """Count how many times a letter occurs in a text of words, in any case or lower-case only."""

    name, family, version = "letter_counting", "language", 1
    knobs = Knobs(
        words=Knob(int, levels=[14, 16, 18, 20, 24, 30, 36, 44, 52, 60], lo=3, hi=200, help="words in the text"),
        span=Knob(int, levels=[12, 13, 16, 17, 18, 20, 24, 28, 32, 36], lo=1, hi=100,
                  help="the count is drawn uniformly from 2..span+1"),
        capitalised=Knob(float, levels=[0.2, 0.25, 0.3, 0.3, 0.35, 0.35, 0.4, 0.4, 0.4, 0.4], lo=0.05, hi=0.9,
                         help="share of words written with a capital first letter"),
        shouted=Knob(float, levels=[0, 0, 0.05, 0.1, 0.1, 0.15, 0.15, 0.2, 0.2, 0.2], lo=0, hi=0.5,
                     help="share of words written in capitals throughout"),
        lower_share=Knob(float, levels=[0, 0.2, 0.4, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], lo=0, hi=1,
                         help="chance that only lower-case letters count"),
    )
    chance = 0.1

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        vocabulary = _words()
        # never the example's 7 nor the number of words: neither is a free guess
        targets = [t for t in range(2, p.span + 2) if t not in (EXAMPLE, p.words)] or [p.span + 1]
        target = targets[int(rng.integers(len(targets)))]
        rule = "lower" if rng.random() < p.lower_share else "any"
        for _ in range(TRIES):
            words = []
            for i in rng.choice(len(vocabulary), p.words, replace=False):
                word, roll = vocabulary[int(i)], rng.random()
                if roll < p.shouted:
                    word = word.upper()
                elif roll < p.shouted + p.capitalised:
                    word = word.capitalize()
                words.append(word)
            text = " ".join(words)
            fits = [ch for ch in "abcdefghijklmnopqrstuvwxyz" if self._fits(words, ch, rule, target)]
            if fits:
                letter = fits[int(rng.integers(len(fits)))]
                break
        else:
            raise Reject(f"no letter occurs exactly {target} times in {TRIES} texts")
        effort = len(text) + 5 * sum(1 for w in words if not w.islower())  # characters read, case checks
        return Problem({"words": words, "letter": letter, "rule": rule}, str(target), float(effort))

    @staticmethod
    def _fits(words: list[str], letter: str, rule: str, target: int) -> bool:
        text = " ".join(words)
        if count(text, letter, rule) != target or target == len(words):
            return False
        if letter not in text or letter.upper() not in text:  # the case rule must matter
            return False
        holding = sum(1 for w in words if count(w, letter, rule))
        return holding != target

    def context(self, problem: Problem, lang: str) -> dict:
        return {**problem.data, "text": " ".join(problem.data["words"]), "upper": problem.data["letter"].upper()}

    def verify(self, problem: dict, answer: str) -> Verdict:
        gold = count(" ".join(problem["words"]), problem["letter"], problem["rule"])
        what = f"'{problem['letter']}'s" + (" in any case" if problem["rule"] == "any" else " in lower case")
        return verify_integer(answer, gold, what)

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        words, letter, rule = problem["words"], problem["letter"], problem["rule"]
        text = " ".join(words)
        return {"the other case rule": str(count(text, letter, other_rule(rule))),
                "words holding the letter": str(sum(1 for w in words if count(w, letter, rule))),
                "upper-case letters only": str(text.count(letter.upper())),
                "the number of words": str(len(words)),
                "the example answer": str(EXAMPLE)}

    def alternative_forms(self, problem: Problem) -> list[str]:
        return scalar_forms(problem.answer)

    def forbidden_forms(self, problem: Problem) -> list[str]:
        n = int(problem.answer)
        return [f"{n}.0", number_word(n), f"{n} times", f"{n} letters", f"{2 * n}/2"]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        n = int(problem.answer)
        return [str(n + 1), str(n - 1), f"{n} or {n + 1}", f"{n}, {n + 1}", str(-n)]

    def hardness(self, problem: dict) -> float:
        return float(sum(len(w) for w in problem["words"]))

    def instance_space(self, spec: dict) -> float | None:
        words = max(np.atleast_1d(spec["words"]))
        return 10.0 ** min(300.0, float(words) * np.log10(len(_words())) - 2 * np.log10(26))
