"""Word ladder: turn one word into another, one letter at a time, in the fewest steps.

Each step changes exactly one letter in place, and every word of the ladder must be one of the
words the prompt lists. The list is drawn from the ``english-words`` GCIDE ∩ web2 list that
crossword_fill uses (without offensive words): a shortest ladder of that whole list, words one
letter away from its words (side roads and dead ends) and other words, shown in alphabetical
order, so the puzzle never depends on which rare words a model happens to know. A tiny example::

    words: card, cold, cord, corm, ward, warm, word, worm
    cold -> warm:   cold, cord, card, ward, warm     (4 steps; also cold, cord, word, ward, warm)

The answer lists the words from the start word to the target word, both included. Any ladder
of the fewest steps scores 1; a valid but longer ladder scores 0 with
``fraction = optimum / steps``. The optimum is a breadth-first search over the whole list's
words of that length at generation (``effort``: words expanded); the listed words hold a ladder
that short, and no subset of the list has a shorter one. The tests re-derive it with a
bidirectional search over the listed words that builds neighbours another way. ``hardness`` is the optimal number of
steps times the number of listed words.
"""

from __future__ import annotations

import re
from collections import deque
from functools import cache

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import (
    MAX_CHARS,
    AnswerError,
    answer_lines,
    bounded,
    decorated_forms,
)
from synlog.tasks.grid.crossword_fill import _words
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.search._planning import TooLong, judge_length
from synlog.verifiers.verdict import Verdict

EXAMPLE = "cold, cord, card, ward, warm"
_SPLIT = re.compile(r"\s*(?:,|;|->|→|\s)\s*")
#: the most words a ladder answer may hold (no shortest ladder of these lists comes near it)
MAX_WORDS = 60


@cache
def vocabulary(length: int) -> frozenset[str]:
    """The list's words of ``length`` letters."""
    return frozenset(w for w in _words() if len(w) == length)


@cache
def _buckets(length: int) -> dict[str, tuple[str, ...]]:
    """Pattern with one letter blanked (``c_ld``) → the words that fit it."""
    out: dict[str, list[str]] = {}
    for word in sorted(vocabulary(length)):
        for i in range(length):
            out.setdefault(word[:i] + "_" + word[i + 1:], []).append(word)
    return {k: tuple(v) for k, v in out.items()}


def neighbours(word: str) -> list[str]:
    """The list's words one letter away from ``word``."""
    buckets = _buckets(len(word))
    return [w for i in range(len(word)) for w in buckets.get(word[:i] + "_" + word[i + 1:], ()) if w != word]


def distances(start: str) -> tuple[dict[str, int], dict[str, str]]:
    """Breadth-first search from ``start``: steps to each reachable word, and parent links."""
    dist, parent, queue = {start: 0}, {}, deque([start])
    while queue:
        word = queue.popleft()
        for nxt in neighbours(word):
            if nxt not in dist:
                dist[nxt], parent[nxt] = dist[word] + 1, word
                queue.append(nxt)
    return dist, parent


def parse_ladder(text: str) -> list[str]:
    """The words of a ladder answer, lower-cased; AnswerError when it cannot be read."""
    if isinstance(text, str) and len(text) > MAX_CHARS:
        raise TooLong(f"answer longer than {MAX_CHARS} characters")
    lines = answer_lines(bounded(text))
    words = [w for line in lines for w in _SPLIT.split(line) if w]
    if not words:
        raise AnswerError("expected the ladder's words separated by commas")
    if len(words) > MAX_WORDS:
        raise TooLong(f"more than {MAX_WORDS} words")
    if not all(w.isascii() and w.isalpha() for w in words):
        raise AnswerError("expected words of letters only, separated by commas")
    return [w.lower() for w in words]


@register
class WordLadder(Task):
    """Change one word into another one letter at a time, through listed words, in fewest steps."""

    name, family, version = "word_ladder", "search", 1
    unique_answer = False
    chance = 0.01
    knobs = Knobs(
        length=Knob(int, levels=[3, 3, 4, 4, 4, 4, 5, 5, 5, 5], lo=3, hi=6, help="letters per word"),
        steps=Knob(int, levels=[(3, 4), (4, 5), (4, 5), (5, 6), (6, 7), (7, 8), (6, 7), (7, 9), (9, 11),
                                (11, 14)], lo=2, hi=20, help="steps of the shortest ladder"),
        side_words=Knob(int, levels=[6, 8, 10, 12, 16, 20, 24, 30, 36, 44], lo=0, hi=200,
                        help="listed words one letter away from a ladder word (side roads, dead ends)"),
        other_words=Knob(int, levels=[4, 5, 6, 8, 10, 12, 14, 16, 18, 20], lo=0, hi=200,
                         help="listed words drawn at random"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        words = sorted(vocabulary(p.length))
        start = words[rng.integers(len(words))]
        dist, parent = distances(start)
        far = sorted(w for w, d in dist.items() if d == p.steps)
        if not far:
            raise Reject("no word that far")
        target = far[rng.integers(len(far))]
        ladder = [target]
        while ladder[-1] != start:
            ladder.append(parent[ladder[-1]])
        near = sorted({w for word in ladder for w in neighbours(word)} - set(ladder))
        side = [near[i] for i in rng.permutation(len(near))[:p.side_words]]
        others = [words[i] for i in rng.choice(len(words), min(p.other_words, len(words)), replace=False)]
        listed = sorted(set(ladder) | set(side) | set(others))
        data = {"start": start, "target": target, "length": p.length, "optimum": p.steps, "words": listed}
        if self.verify(data, EXAMPLE).correct:
            raise Reject("the prompt's example would solve it")
        return Problem(data, ", ".join(ladder[::-1]), float(len(dist)))

    def context(self, problem: Problem, lang: str) -> dict:
        return dict(example=EXAMPLE, **problem.data)

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            words = parse_ladder(answer)
        except TooLong as error:
            return Verdict.invalid(str(error))
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        if words[0] != problem["start"] or words[-1] != problem["target"]:
            return Verdict.wrong(f"the ladder must run from {problem['start']} to {problem['target']}")
        known = set(problem["words"])
        for k, (a, b) in enumerate(zip(words, words[1:], strict=False), start=1):
            if b not in known:
                return Verdict.wrong(f"{b!r} is not one of the listed words")
            if sum(x != y for x, y in zip(a, b, strict=True)) != 1:
                return Verdict.wrong(f"step {k} ({a} -> {b}) does not change exactly one letter")
        return judge_length(len(words) - 1, problem["optimum"])

    def hardness(self, problem: dict) -> float:
        return float(problem["optimum"] * len(problem["words"]))

    def instance_space(self, spec: dict) -> float | None:
        length = int(max(np.atleast_1d(spec["length"])))
        return float(len(vocabulary(length)) * 20 * 2 ** int(max(np.atleast_1d(spec["other_words"]))))

    def alternative_forms(self, problem: Problem) -> list[str]:
        words = problem.answer.split(", ")
        return decorated_forms(words, ", ") + [" -> ".join(words), problem.answer.upper()]

    def forbidden_forms(self, problem: Problem) -> list[str]:
        return [problem.answer.replace(", ", "")]  # the words run together

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        words = problem.answer.split(", ")
        wrong = [", ".join(words[:-1]), ", ".join(words[1:]), f"{words[0]}, {words[-1]}",
                 problem.answer + ", " + problem.answer]
        back = words[:2] + words[:1] + words[1:]  # a step there and back: valid but longer
        wrong.append(", ".join(back))
        return wrong

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        return {"start and target only": f"{problem['start']}, {problem['target']}",
                "the target": problem["target"]}
