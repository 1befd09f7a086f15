"""Dyck first error: the position of the first wrong bracket in each of a few sequences, or −1.

Reading left to right, an opening bracket is pushed; a closing bracket must match the most
recent unclosed opening bracket (same type), which it then closes. The first error is the
first closing bracket that does not (or that comes when nothing is open)::

    ( [ ] { ) }        → 5   (")" comes while "{" is open)
    ( [ ] )            → -1  (valid)

Sequences never end with brackets left open unless an error came first, so "valid" means
"balanced". Positions are 1-based over the brackets shown. Each problem shows several
sequences (knob ``sequences``) and the answer is one integer per sequence, in order
(``5, -1, 12``): a single position over a short sequence would be guessed one time in ten,
a tuple of them almost never. The gold is computed by one scan per sequence; it is unique.
A share of valid sequences (−1) is kept per sequence and capped (knob ``valid_share`` ≤ 0.25;
tested).
"""

from __future__ import annotations

import re

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, bounded, decorated_forms, undecorate
from synlog.tasks.common.dyck import CLOSE_TO_OPEN, OPEN_TO_CLOSE, PAIRS, random_dyck, scan, spaced
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict


def corrupt(rng: np.random.Generator, word: list[str], pairs: int) -> list[str]:
    """``word`` with one local fault: a closer of the wrong type, an opener turned closer, or a swap."""
    word = list(word)
    closers = [i for i, token in enumerate(word) if token in CLOSE_TO_OPEN]
    kind = int(rng.integers(3)) if pairs > 1 else 1 + int(rng.integers(2))
    if kind == 0:
        i = closers[int(rng.integers(len(closers)))]
        others = [PAIRS[k][1] for k in range(pairs) if PAIRS[k][1] != word[i]]
        word[i] = others[int(rng.integers(len(others)))]
    elif kind == 1:
        openers = [i for i, token in enumerate(word) if token in OPEN_TO_CLOSE]
        i = openers[int(rng.integers(len(openers)))]
        word[i] = PAIRS[int(rng.integers(pairs))][1]
        j = int(rng.integers(i + 1, len(word) + 1))
        word.insert(j, PAIRS[int(rng.integers(pairs))][0])
    else:
        i = closers[int(rng.integers(len(closers)))]
        word[i - 1], word[i] = word[i], word[i - 1]
    return word


_ITEM = re.compile(r"(?:(?:sequence\s*)?(\d{1,3})\s*[:=]\s*)?([+-]?\d{1,6})")
_SEPARATORS = re.compile(r"[,;\n]+")


def first_errors(sequences: list[str]) -> list[int]:
    """The gold: each sequence's first error position, or -1 when it is valid."""
    out = []
    for sequence in sequences:
        result = scan(sequence.split())
        out.append(-1 if result.first_error is None else result.first_error)
    return out


def parse_positions(text: str, count: int) -> list[int]:
    """``count`` integers in order, separated by commas, semicolons or new lines; each may carry
    its sequence number (``2: 7`` or ``Sequence 2: 7``), which must then be its place."""
    items = [item.strip(" \t.*`'\"") for item in _SEPARATORS.split(undecorate(bounded(text, 2_000)).lower())]
    items = [item for item in items if item]
    if len(items) != count:
        raise AnswerError(f"expected {count} integers (one per sequence), got {len(items)} items")
    out = []
    for k, item in enumerate(items, 1):
        match = _ITEM.fullmatch(item)
        if match is None:
            raise AnswerError(f"expected an integer for sequence {k}, got {item[:40]!r}")
        if match.group(1) is not None and int(match.group(1)) != k:
            raise AnswerError(f"item {k} is labelled as sequence {match.group(1)}")
        out.append(int(match.group(2)))
    return out


@register
class DyckFirstError(Task):
    """Give the 1-based position of the first wrong bracket in each sequence, or -1 if it is valid."""

    name, family, version = "dyck_first_error", "language", 2
    knobs = Knobs(
        pairs=Knob(int, levels=[2, 2, 3, 3, 4, 4, 5, 6, 7, 8], lo=1, hi=len(PAIRS), help="bracket types"),
        length=Knob(int, levels=[(6, 10), (10, 14), (12, 18), (16, 24), (20, 30), (26, 36), (32, 44),
                                 (40, 52), (48, 62), (56, 76)], lo=4, hi=400, help="tokens per sequence"),
        sequences=Knob(int, levels=[3] * 10, lo=1, hi=10, help="sequences per problem (one answer each)"),
        valid_share=Knob(float, levels=[0.15] * 10, lo=0.0, hi=0.25,
                         help="share of valid sequences (answer -1)"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        sequences = [self._sequence(rng, p) for _ in range(p.sequences)]
        gold = first_errors(sequences)
        effort = sum(len(sequence.split()) for sequence in sequences) * p.pairs
        return Problem({"sequences": sequences, "pairs": list(PAIRS[: p.pairs])},
                       ", ".join(map(str, gold)), float(effort))

    @staticmethod
    def _sequence(rng: np.random.Generator, p: Params) -> str:
        length = p.length + p.length % 2
        word = random_dyck(rng, p.pairs, length, depth_bias=0.6)
        result = scan(word)
        if rng.random() >= p.valid_share:
            for _ in range(8):  # a corruption can leave the word valid; the share must not drift
                faulty = corrupt(rng, word, p.pairs)
                result = scan(faulty)
                if result.first_error is not None:
                    break
            word = faulty
        if result.first_error is None and result.stack:
            raise Reject("brackets left open without an earlier error")
        return spaced(word)

    def verify(self, problem: dict, answer: str) -> Verdict:
        gold = first_errors(problem["sequences"])
        try:
            claimed = parse_positions(answer, len(gold))
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        wrong = [k for k, (a, b) in enumerate(zip(claimed, gold, strict=True), 1) if a != b]
        if wrong:
            return Verdict.wrong(f"wrong position for sequence {', '.join(map(str, wrong))}")
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Every sequence called valid, or its first / last bracket called the error."""
        lengths = [len(sequence.split()) for sequence in problem["sequences"]]
        return {"all valid (-1)": ", ".join("-1" for _ in lengths),
                "none": "none",
                "the first bracket": ", ".join("1" for _ in lengths),
                "the last bracket": ", ".join(str(n) for n in lengths)}

    def alternative_forms(self, problem: Problem) -> list[str]:
        items = problem.answer.split(", ")
        labelled = "\n".join(f"Sequence {k}: {v}" for k, v in enumerate(items, 1))
        return [*decorated_forms(items, ", "), "; ".join(items), labelled]

    def forbidden_forms(self, problem: Problem) -> list[str]:
        items = problem.answer.split(", ")
        return [" ".join(items)] if len(items) > 1 else []

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = [int(x) for x in problem.answer.split(", ")]
        n = len(problem.data["sequences"][0].split())
        wrong = [[gold[0] + 1, *gold[1:]], [gold[0] - 1 if gold[0] > 1 else n, *gold[1:]],
                 gold[:-1], [*gold, -1], [-1 if gold[0] != -1 else 1, *gold[1:]]]
        if len(set(gold)) > 1:
            wrong.append(gold[::-1])
        return [", ".join(map(str, w)) for w in wrong if w != gold] + ["valid"]
