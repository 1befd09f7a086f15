"""Word sorting: sort words under a modified alphabet order, ascending or descending.

Some letters are moved to the front of the alphabet, in a given order; the others keep their
usual order after them. Words compare letter by letter; a word that is a prefix of another
comes first (ascending). A tiny example::

    alphabet: t, c first, then a b d e ... (usual order); ascending
    cat, apple, tea, car   → tea, cat, car, apple   ("t" before "r")

The words are distinct, so the sorted list is unique; the verifier compares the whole list
(same words, each once, in order). At least one letter is always moved, and the moved letters
are redrawn until they change the order: the plain alphabetical order (either direction) is
never the answer, so sorting that ignores the modified alphabet earns nothing; nor is the
order the words are listed in (or its reverse).
"""

from __future__ import annotations

import string

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, decorated_forms, parse_word_list
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

WORDS = tuple("""
able acid aged also area army away baby back ball band bank base bath bear beat been bell belt
best bird blow blue boat body bone book born both bowl bulk burn bush busy cake call calm came
camp card care cart case cash cast cell chat chip city club coal coat code cold come cook cool
cope copy core cost crew crop dark data date dawn dead deal dear debt deep deny desk dial diet
disc dish door dose down draw drew drop drug dual duke dust duty each earn ease east easy edge
else even ever exit face fact fail fair fall farm fast fate fear feed feel feet fell felt file
fill film find fine fire firm fish five flag flat flow food foot form fort four free from fuel
full fund gain game gate gave gear gene gift girl give glad goal goes gold golf gone good gray
grew grow gulf hair half hall hand hang hard harm hate have head hear heat held hell help here
hero high hill hire hold hole holy home hope host hour huge hung hunt hurt idea inch into iron
item jack jane jazz join joke jump jury just keen keep kept kick kill kind king knee knew know
lack lady laid lake land lane last late lead left lend less life lift like line link list live
load loan lock long look lord lose loss lost love luck made mail main make male mall many mark
mass meal mean meat meet menu mere mild mile milk mill mind mine miss mode mood moon more most
move much must name navy near neck need news next nice nine none nose note okay once only open
oral over pace pack page paid pain pair palm park part pass past path peak pick pink pipe plan
play plot plug plus poem poet pole poll pool poor port post pull pure push quit quiz race rail
rain rank rare rate read real rear rely rent rest rice rich ride ring rise risk road rock role
roll roof room root rope rose rule rush safe sake sale salt same sand save seat seed seek seem
yard yeah year yell yoga zero zinc zone zoom quartz vivid wax oxen yak zebra quill jovial
""".split())


def sort_key(order: str):
    """The key that sorts words by the alphabet ``order`` (a permutation of a..z)."""
    rank = {letter: i for i, letter in enumerate(order)}
    return lambda word: [rank[ch] for ch in word]


@register
class WordSorting(Task):
    """Sort words under an alphabet with some letters moved to the front, ascending or descending."""

    name, family, version = "word_sorting", "language", 2
    knobs = Knobs(
        words=Knob(int, levels=[5, 5, 6, 7, 8, 10, 12, 14, 16, 20], lo=2, hi=60, help="words to sort"),
        moved=Knob(int, levels=[1, 1, 2, 3, 3, 4, 5, 6, 7, 8], lo=1, hi=26, help="letters moved to the front"),
        descending_share=Knob(float, levels=[0, 0, 0.3, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], lo=0, hi=1,
                              help="chance of descending order"),
        same_start=Knob(float, levels=[0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], lo=0, hi=1,
                        help="share of words drawn to share a first letter with another word"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        chosen: list[str] = []
        while len(chosen) < p.words:
            unused = [w for w in WORDS if w not in chosen]
            if chosen and rng.random() < p.same_start:
                first = chosen[int(rng.integers(len(chosen)))][0]
                unused = [w for w in unused if w[0] == first] or unused
            chosen.append(unused[int(rng.integers(len(unused)))])
        descending = bool(rng.random() < p.descending_share)
        plain = {tuple(sorted(chosen)), tuple(sorted(chosen, reverse=True))}
        for _ in range(200):  # the modified alphabet must matter, or plain sorting is a free answer
            moved = [string.ascii_lowercase[i] for i in rng.choice(26, p.moved, replace=False)]
            order = "".join(moved) + "".join(ch for ch in string.ascii_lowercase if ch not in moved)
            gold = sorted(chosen, key=sort_key(order), reverse=descending)
            if tuple(gold) not in plain:
                break
        else:
            raise Reject("no moved letters change the order of these words")
        while chosen in (gold, gold[::-1]):  # the listing itself must not be an answer to copy
            chosen = [chosen[int(i)] for i in rng.permutation(len(chosen))]
        effort = len(chosen) * np.log2(len(chosen)) * (1 + p.moved)
        data = {"words": chosen, "moved": moved, "descending": descending, "order": order}
        return Problem(data, ", ".join(gold), float(effort))

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            claimed = parse_word_list(answer)
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        if sorted(claimed) != sorted(problem["words"]):
            return Verdict.invalid("the answer must list each given word exactly once")
        gold = sorted(problem["words"], key=sort_key(problem["order"]), reverse=problem["descending"])
        if claimed != gold:
            first = next(i for i, (a, b) in enumerate(zip(claimed, gold, strict=False)) if a != b)
            return Verdict.wrong(f"position {first + 1} should be {gold[first]}")
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """The modified alphabet ignored (plain order, either direction), or the words as listed."""
        words = problem["words"]
        return {"plain alphabetical order": ", ".join(sorted(words)),
                "plain alphabetical order, reversed": ", ".join(sorted(words, reverse=True)),
                "the words as listed": ", ".join(words)}

    def alternative_forms(self, problem: Problem) -> list[str]:
        return decorated_forms(problem.answer.split(", "), ", ")

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = problem.answer.split(", ")
        swapped = [gold[1], gold[0], *gold[2:]]
        return [", ".join(swapped), ", ".join(gold[:-1]), ", ".join(gold[::-1]), ", ".join([*gold, gold[0]]),
                ", ".join(sorted(gold)) if sorted(gold) != gold else ", ".join(swapped[::-1])]
