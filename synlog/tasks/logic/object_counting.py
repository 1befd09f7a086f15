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
is never 0 (a zero count is rejected at generation), so "0" is never a free guess.
"""

from __future__ import annotations

import numpy as np

from synlog.errors import Reject
from synlog.synth.knobs import Knob, Knobs, Params
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import scalar_forms, verify_integer
from synlog.tasks.common.names import pick_names
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
                "eleven", "twelve"]


def say_count(n: int, singular: str, plural: str, words: bool) -> str:
    """``3 apples`` / ``three apples`` / ``one apple``."""
    return f"{NUMBER_WORDS[n] if words else n} {singular if n == 1 else plural}"


@register
class ObjectCounting(Task):
    """Count the narrator's things of one category in a story with distractors and transfers."""

    name, family, version = "object_counting", "logic", 1
    knobs = Knobs(
        owned=Knob(int, levels=[3, 4, 5, 5, 6, 7, 8, 9, 10, 12], lo=1, hi=20,
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
        picked = [kinds[i] for i in rng.choice(len(kinds), min(p.owned, len(kinds)), replace=False)]
        held = {plur: int(rng.integers(1, 6)) for _, _, plur in picked}
        others = pick_names(rng, 4)
        sentences = [f"I have {say_count(held[plur], sing, plur, p.words)}." for _, sing, plur in picked]
        events = []
        for _ in range(p.distractors):
            _, sing, plur = kinds[rng.integers(len(kinds))]
            who = others[rng.integers(len(others))]
            events.append(f"{who} has {say_count(int(rng.integers(1, 8)), sing, plur, p.words)}.")
        for _ in range(p.transfers):
            who = others[rng.integers(len(others))]
            if rng.random() < 0.5:
                _, sing, plur = kinds[rng.integers(len(kinds))]
                n = int(rng.integers(1, 5))
                held[plur] = held.get(plur, 0) + n
                events.append(f"{who} gave me {say_count(n, 'more ' + sing, 'more ' + plur, p.words)}.")
            else:
                having = [(s, pl) for _, s, pl in kinds if held.get(pl, 0) > 0]
                sing, plur = having[rng.integers(len(having))]
                n = int(rng.integers(1, held[plur] + 1))
                held[plur] -= n
                events.append(f"I gave {who} {NUMBER_WORDS[n] if p.words else n} of my {plur}.")
        order = rng.permutation(len(sentences) + p.distractors).tolist()
        opening = [(sentences + events[:p.distractors])[i] for i in order]
        story = opening + events[p.distractors:]
        category = list(CATEGORIES)[rng.integers(len(CATEGORIES))]
        plurals = {plur for _, plur in CATEGORIES[category]}
        count = sum(n for plur, n in held.items() if plur in plurals)
        if count == 0:
            raise Reject("the narrator holds nothing of the asked category")
        effort = len(story) * (1 + p.transfers) + sum(held.values())
        return Problem({"story": story, "category": category, "count": count}, str(count), float(effort))

    def verify(self, problem: dict, answer: str) -> Verdict:
        return verify_integer(answer, problem["count"], f"{problem['category']} the narrator has")

    def alternative_forms(self, problem: Problem) -> list[str]:
        return scalar_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        count = problem.data["count"]
        return [str(count + 1), str(count - 1), f"{count} {problem.data['category']}", f"{count}, {count + 1}"]
