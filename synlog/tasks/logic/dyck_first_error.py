"""Dyck first error: the position of the first wrong bracket in a bracket sequence, or −1.

Reading left to right, an opening bracket is pushed; a closing bracket must match the most
recent unclosed opening bracket (same type), which it then closes. The first error is the
first closing bracket that does not (or that comes when nothing is open)::

    ( [ ] { ) }        → 5   (")" comes while "{" is open)
    ( [ ] )            → -1  (valid)

Sequences never end with brackets left open unless an error came first, so "valid" means
"balanced". Positions are 1-based over the brackets shown. The gold is computed by one scan;
it is unique. A share of valid sequences (answer −1) is kept per level and capped (knob
``valid_share`` ≤ 0.25; tested).
"""

from __future__ import annotations

import numpy as np

from synlog.errors import Reject
from synlog.synth.knobs import Knob, Knobs, Params
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, parse_int, scalar_forms
from synlog.tasks.common.dyck import CLOSE_TO_OPEN, OPEN_TO_CLOSE, PAIRS, random_dyck, scan, spaced
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


@register
class DyckFirstError(Task):
    """Give the 1-based position of the first wrong bracket in a sequence, or -1 if it is valid."""

    name, family, version = "dyck_first_error", "logic", 1
    knobs = Knobs(
        pairs=Knob(int, levels=[2, 2, 3, 3, 4, 4, 5, 6, 7, 8], lo=1, hi=len(PAIRS), help="bracket types"),
        length=Knob(int, levels=[(6, 10), (10, 14), (12, 18), (16, 24), (20, 30), (26, 36), (32, 44),
                                 (40, 52), (48, 62), (56, 76)], lo=4, hi=400, help="tokens in the sequence"),
        valid_share=Knob(float, levels=[0.2] * 10, lo=0.0, hi=0.25,
                         help="share of valid sequences (answer -1)"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
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
        gold = -1 if result.first_error is None else result.first_error
        effort = len(word) * p.pairs
        return Problem({"sequence": spaced(word), "pairs": list(PAIRS[: p.pairs])}, str(gold), float(effort))

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            value = parse_int(answer)
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        result = scan(problem["sequence"].split())
        gold = -1 if result.first_error is None else result.first_error
        if value != gold:
            return Verdict.wrong(f"{value} is not the first error position")
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        return scalar_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = int(problem.answer)
        n = len(problem.data["sequence"].split())
        return [str(x) for x in {gold + 1, gold - 1, -1, n, gold - 1 if gold > 0 else 1} if x != gold] + ["valid"]
