"""Object counting: a short story of possessions with distractors; count one kind of thing.

The narrator owns some things, other people own things too (distractors), and at higher
levels things change hands ("I gave two of my plums to Ann"). The question asks how many
things of one category (fruits, vegetables, animals, musical instruments) the narrator has
at the end. A tiny example::

    I have two apples and a violin. Ann has four pears.
    I gave Ann one of my apples. Bob gave me three more plums.
    How many fruits do I have?          → 4   (1 apple + 3 plums; Ann's pears do not count)

Rules: only the narrator's own things count; "I have N X" adds N, "Bob gave me N more X"
adds N, "I gave Ann N of my X" removes N (never more than held); other people's sentences change
nothing. The answer is one integer, computed by replaying the events, so it is unique. It
is never 0 (a zero count is rejected at generation), so "0" is never a free guess. The
narrator always starts with at least two kinds of the asked category, whose counts are drawn so
their sum is uniform over its range, and a count that echoes the story (its first, last or
largest number, the sum of its numbers, the narrator's starting total, the count before any
transfer) is kept in only about 1 % of instances: see :meth:`ObjectCounting.degenerate_answers`.
"""

from __future__ import annotations

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import scalar_forms, verify_integer
from synlog.tasks.common.names import pick_names
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: category → (singular, plural) of its things
CATEGORIES = {
    "fruits": [("apple", "apples"), ("banana", "bananas"), ("plum", "plums"), ("peach", "peaches"),
               ("pear", "pears"), ("orange", "oranges"), ("grape", "grapes"), ("strawberry", "strawberries")],
    "vegetables": [("carrot", "carrots"), ("onion", "onions"), ("potato", "potatoes"), ("cabbage", "cabbages"),
                   ("yam", "yams"), ("lettuce head", "lettuce heads"), ("garlic bulb", "garlic bulbs")],
    "animals": [("dog", "dogs"), ("cat", "cats"), ("rabbit", "rabbits"), ("goat", "goats"),
                ("snail", "snails"), ("fish", "fish"), ("mouse", "mice"), ("duck", "ducks")],
    "musical instruments": [("violin", "violins"), ("drum", "drums"), ("flute", "flutes"),
                            ("piano", "pianos"), ("trumpet", "trumpets"), ("accordion", "accordions")],
}
NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
                "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
#: most things of one kind a person starts with
MOST_HELD = 30
#: the answer the prompt shows as an example of the format
EXAMPLE_ANSWER = 7
#: probability of keeping a candidate whose count echoes the story (its first, last or largest
#: number, the sum of its numbers, the narrator's starting total or the count before transfers)
ECHO_KEEP = 0.01


def number_word(n: int) -> str:
    """``7`` → ``seven``, ``34`` → ``thirty-four`` (0..99)."""
    if n < 20:
        return NUMBER_WORDS[n]
    return TENS[n // 10] + ("" if n % 10 == 0 else "-" + NUMBER_WORDS[n % 10])


def word_number(word: str) -> int | None:
    """The inverse of :func:`number_word` (digits too); None when ``word`` is not a number."""
    if word.isdigit():
        return int(word)
    tens, _, units = word.partition("-")
    if tens in NUMBER_WORDS and not units:
        return NUMBER_WORDS.index(tens)
    if tens in TENS[2:] and (not units or units in NUMBER_WORDS[1:10]):
        return 10 * TENS.index(tens) + (NUMBER_WORDS.index(units) if units else 0)
    return None


def story_number(sentence: str) -> int:
    """The one number a story sentence states (``I have thirty-one apples.`` → 31)."""
    for word in sentence.rstrip(".").split():
        if (value := word_number(word)) is not None:
            return value
    raise ValueError(f"no number in {sentence!r}")


def spread_sum(rng: np.random.Generator, parts: int) -> list[int]:
    """``parts`` counts in 1..MOST_HELD whose sum is uniform over its range (independent draws
    would pile the sum up in the middle, making a few answers common)."""
    target = int(rng.integers(parts, parts * MOST_HELD + 1))
    for _ in range(50):
        counts = [int(x) for x in rng.integers(1, MOST_HELD + 1, parts - 1)]
        if 1 <= target - sum(counts) <= MOST_HELD:
            return [*counts, target - sum(counts)]
    return [int(x) for x in rng.integers(1, MOST_HELD + 1, parts)]


def say_count(n: int, singular: str, plural: str, words: bool) -> str:
    """``3 apples`` / ``three apples`` / ``one apple``."""
    return f"{number_word(n) if words else n} {singular if n == 1 else plural}"


@register
class ObjectCounting(Task):
    """Count the narrator's things of one category in a story with distractors and transfers."""

    name, family, version = "object_counting", "state", 2
    knobs = Knobs(
        owned=Knob(int, levels=[4, 4, 5, 6, 6, 7, 8, 9, 10, 12], lo=3, hi=20,
                   help="kinds of things the narrator starts with"),
        distractors=Knob(int, levels=[0, 1, 2, 3, 3, 4, 5, 6, 7, 8], lo=0, hi=20,
                         help="sentences about other people's things"),
        transfers=Knob(int, levels=[0, 0, 1, 2, 3, 4, 5, 6, 7, 9], lo=0, hi=20,
                       help="sentences where things change hands"),
        words=Knob(bool, levels=[False, False, False, True, True, True, True, True, True, True],
                   help="write numbers as words"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        kinds = [(cat, sing, plur) for cat, things in CATEGORIES.items() for sing, plur in things]
        category = list(CATEGORIES)[rng.integers(len(CATEGORIES))]
        # the narrator starts with at least two kinds of the asked category, so the answer is a sum
        asked_kinds = [k for k in kinds if k[0] == category]
        mine = int(rng.integers(2, max(2, min(len(asked_kinds), p.owned // 2 + 1)) + 1))
        other_kinds = [k for k in kinds if k[0] != category]
        picked = ([asked_kinds[i] for i in rng.choice(len(asked_kinds), min(mine, p.owned), replace=False)]
                  + [other_kinds[i] for i in rng.choice(len(other_kinds), max(0, p.owned - mine), replace=False)])
        picked = [picked[i] for i in rng.permutation(len(picked))]
        held = {plur: int(rng.integers(1, MOST_HELD + 1)) for _, _, plur in picked}
        mine_plurals = [plur for cat, _, plur in picked if cat == category]
        for plur, n in zip(mine_plurals, spread_sum(rng, len(mine_plurals)), strict=False):
            held[plur] = n
        others = pick_names(rng, 4)
        sentences = [f"I have {say_count(held[plur], sing, plur, p.words)}." for _, sing, plur in picked]
        events = []
        for _ in range(p.distractors):
            _, sing, plur = kinds[rng.integers(len(kinds))]
            who = others[rng.integers(len(others))]
            events.append(f"{who} has {say_count(int(rng.integers(1, MOST_HELD + 1)), sing, plur, p.words)}.")
        for _ in range(p.transfers):
            who = others[rng.integers(len(others))]
            if rng.random() < 0.5:
                _, sing, plur = kinds[rng.integers(len(kinds))]
                n = int(rng.integers(1, 10))
                held[plur] = held.get(plur, 0) + n
                events.append(f"{who} gave me {say_count(n, 'more ' + sing, 'more ' + plur, p.words)}.")
            else:
                having = [(s, pl) for _, s, pl in kinds if held.get(pl, 0) > 0]
                sing, plur = having[rng.integers(len(having))]
                n = int(rng.integers(1, min(held[plur], MOST_HELD) + 1))
                held[plur] -= n
                events.append(f"I gave {who} {number_word(n) if p.words else n} of my {plur}.")
        order = rng.permutation(len(sentences) + p.distractors).tolist()
        opening = [(sentences + events[:p.distractors])[i] for i in order]
        story = opening + events[p.distractors:]
        plurals = {plur for _, plur in CATEGORIES[category]}
        count = sum(n for plur, n in held.items() if plur in plurals)
        problem = {"story": story, "category": category, "count": count}
        if count == 0 or (str(count) in self.degenerate_answers(problem).values() and rng.random() >= ECHO_KEEP):
            raise Reject("zero, or a count that echoes the story (kept only rarely)")
        effort = len(story) * (1 + p.transfers) + sum(held.values())
        return Problem(problem, str(count), float(effort))

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        numbers = [story_number(sentence) for sentence in problem["story"]]
        mine = [n for sentence, n in zip(problem["story"], numbers, strict=True) if sentence.startswith("I have ")]
        shortcuts = {"last number in the story": str(numbers[-1]), "first number in the story": str(numbers[0]),
                     "largest number in the story": str(max(numbers)), "sum of the story's numbers": str(sum(numbers)),
                     "everything the narrator has at the start": str(sum(mine)), "the example answer": str(EXAMPLE_ANSWER)}
        names = {name for pair in CATEGORIES[problem["category"]] for name in pair}
        if any(" gave " in sentence for sentence in problem["story"]):  # ignoring who gave what to whom
            shortcuts["the category at the start, before any transfer"] = str(sum(
                n for sentence, n in zip(problem["story"], numbers, strict=True)
                if sentence.startswith("I have ") and sentence.rstrip(".").split(" ", 3)[3] in names))
        return shortcuts

    def context(self, problem: Problem, lang: str) -> dict:
        return {**problem.data, "example": EXAMPLE_ANSWER}

    def verify(self, problem: dict, answer: str) -> Verdict:
        return verify_integer(answer, problem["count"], f"{problem['category']} the narrator has")

    def alternative_forms(self, problem: Problem) -> list[str]:
        return scalar_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        count = problem.data["count"]
        return [str(count + 1), str(count - 1), f"{count} {problem.data['category']}", f"{count}, {count + 1}"]
