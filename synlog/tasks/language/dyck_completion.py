"""Dyck completion: close every open bracket of a bracket sequence.

The sequence is a prefix of a balanced sequence over several bracket types; some brackets
are still open. The answer is the closing brackets that close them, innermost first::

    [ ( { } (          → ) ) ]

Rules: a closing bracket closes the most recent unclosed opening bracket of the same type.
Only closing brackets may be added, so the completion is unique (it is the open stack read
backwards); the verifier checks that prefix + answer is balanced. The open brackets never
read the same both ways, so closing them in opening order (or one type repeated) is wrong.
Writing the whole sequence (prefix followed by the completion) is accepted as the same answer.
"""

from __future__ import annotations

import numpy as np

from synlog.errors import KnobError, Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import bounded, scalar_forms, unwrap
from synlog.tasks.common.dyck import (
    CLOSE_TO_OPEN,
    PAIRS,
    closing_for,
    open_prefix,
    scan,
    spaced,
    tokens_of,
)
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict


@register
class DyckCompletion(Task):
    """Add the closing brackets that complete a bracket sequence over several bracket types."""

    name, family, version = "dyck_completion", "language", 2
    knobs = Knobs(
        pairs=Knob(int, levels=[3, 3, 3, 4, 4, 5, 5, 6, 7, 8], lo=1, hi=len(PAIRS), help="bracket types"),
        length=Knob(int, levels=[(12, 16), (14, 18), (16, 22), (18, 26), (24, 32), (30, 40), (36, 48),
                                 (44, 56), (52, 66), (60, 80)], lo=4, hi=400,
                    help="tokens of the balanced sequence the prefix is cut from"),
        # with 3 bracket types and 4 left open there are 81 completions, so no single one is
        # the gold of more than a few per cent of rows (a short ")" would be a free answer)
        min_open=Knob(int, levels=[4, 4, 4, 4, 5, 5, 5, 6, 6, 6], lo=1, hi=100,
                      help="fewest brackets left open (the completion's least length)"),
    )

    def check_params(self, params: Params) -> None:
        if 2 * params.min_open > params.length:
            raise KnobError(f"min_open={params.min_open} needs sequences of at least {2 * params.min_open}"
                            " tokens; raise length or lower min_open")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        length = p.length + p.length % 2
        prefix = open_prefix(rng, p.pairs, length, min_open=p.min_open)
        completion = closing_for(scan(prefix).stack)
        if completion == completion[::-1]:  # the closing order must matter (and not be one type)
            raise Reject("the open brackets read the same both ways")
        effort = len(prefix) * len(completion)
        return Problem({"sequence": spaced(prefix), "pairs": list(PAIRS[: p.pairs])}, spaced(completion),
                       float(effort))

    def verify(self, problem: dict, answer: str) -> Verdict:
        prefix = problem["sequence"].split()
        try:
            tokens = tokens_of(unwrap(bounded(answer)))
        except ValueError as error:
            return Verdict.unparseable(str(error))
        if tokens is None or not tokens:
            return Verdict.unparseable("expected closing brackets only, such as ) ] }")
        if tokens[: len(prefix)] == prefix and len(tokens) > len(prefix):
            tokens = tokens[len(prefix):]
        if any(token not in CLOSE_TO_OPEN for token in tokens):
            return Verdict.invalid("only closing brackets may be added")
        result = scan(prefix + tokens)
        if result.first_error is not None:
            return Verdict.wrong(f"bracket {result.first_error - len(prefix)} of the answer closes the wrong bracket")
        if result.stack:
            return Verdict.wrong(f"{len(result.stack)} brackets are still open")
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Closers read in the wrong order, or one closer repeated: answers that skip the stack."""
        stack = scan(problem["sequence"].split()).stack
        closers = closing_for(stack)
        return {"closers in opening order": spaced(closers[::-1]),
                "innermost closer repeated": spaced(closers[:1] * len(closers)),
                "none": "none"}

    def alternative_forms(self, problem: Problem) -> list[str]:
        return scalar_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = problem.answer.split()
        wrong = [spaced(gold[:-1]) or "]", spaced([*gold, gold[-1]]), spaced(gold[::-1]) + " ]" * (len(gold) < 2)]
        if len(set(gold)) > 1:
            wrong.append(spaced(gold[::-1]))
        return [w for w in wrong if w and w.split() != gold]
