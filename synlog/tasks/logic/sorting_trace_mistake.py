"""Sorting trace mistake: find the first wrong step in a step-by-step sorting trace.

A list is sorted ascending by a named algorithm; after each step the trace shows the whole
list. At most one step introduces a mistake (later steps then continue correctly from the
wrong list). The answer is the number of the first wrong step, or "none"::

    insertion sort of [3, 1, 2]
    Step 1: [1, 3, 2]     (insert the 2nd element into the sorted prefix)
    Step 2: [1, 3, 2]     ← wrong: inserting 2 gives [1, 2, 3]
    answer: 2

Steps (k = 1, 2, …, n−1, always n−1 steps): *insertion* — move element k+1 left past every
larger element before it; *selection* — swap the smallest of elements k..n (the first one
if tied) into position k; *bubble* — one pass comparing positions (1,2), (2,3), … and swapping
each pair that is out of order. Step k is wrong when its list is not step k applied to the
list shown before it; the verifier recomputes this, so the answer is unique. "none" is
capped by ``clean_share`` (≤ 0.25; tested).
"""

from __future__ import annotations

import numpy as np

from synlog.synth.knobs import Knob, Knobs, Params
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, parse_int_or_none, scalar_forms
from synlog.verifiers.verdict import Verdict

ALGORITHMS = ("insertion", "selection", "bubble")


def step(algorithm: str, values: list[int], k: int) -> list[int]:
    """Step ``k`` (1-based) of ``algorithm`` applied to ``values``."""
    out = list(values)
    if algorithm == "insertion":
        i = k
        while i > 0 and out[i - 1] > out[i]:
            out[i - 1], out[i] = out[i], out[i - 1]
            i -= 1
    elif algorithm == "selection":
        j = min(range(k - 1, len(out)), key=lambda i: (out[i], i))
        out[k - 1], out[j] = out[j], out[k - 1]
    else:
        for i in range(len(out) - 1):
            if out[i] > out[i + 1]:
                out[i], out[i + 1] = out[i + 1], out[i]
    return out


def first_wrong(algorithm: str, initial: list[int], shown: list[list[int]]) -> int | None:
    """The first step whose list is not that step applied to the list before it."""
    previous = initial
    for k, values in enumerate(shown, 1):
        if values != step(algorithm, previous, k):
            return k
        previous = values
    return None


def mistake(rng: np.random.Generator, right: list[int], previous: list[int]) -> list[int]:
    """A plausible slip: a neighbouring pair swapped, the step skipped, or a value miscopied."""
    out = list(right)
    kind = int(rng.integers(3))
    if kind == 0:
        i = int(rng.integers(len(out) - 1))
        out[i], out[i + 1] = out[i + 1], out[i]
    elif kind == 1:
        out = list(previous)
    else:
        i = int(rng.integers(len(out)))
        out[i] += int(rng.choice([-2, -1, 1, 2]))
    return out


@register
class SortingTraceMistake(Task):
    """Find the first wrong step in a step-by-step trace of a sorting algorithm, or say none."""

    name, family, version = "sorting_trace_mistake", "logic", 1
    knobs = Knobs(
        length=Knob(int, levels=[4, 5, 5, 6, 7, 8, 9, 10, 12, 14], lo=3, hi=40, help="list length"),
        algorithm=Knob(str, levels=["insertion", "selection", "bubble", "insertion", "selection", "bubble",
                                    "insertion", "selection", "bubble", "insertion"],
                       choices=ALGORITHMS, help="sorting algorithm traced"),
        spread=Knob(int, levels=[9, 20, 20, 50, 50, 99, 99, 99, 200, 500], lo=5, hi=10_000,
                    help="values drawn from 1..spread"),
        clean_share=Knob(float, levels=[0.15] * 10, lo=0.0, hi=0.25, help="share of traces with no mistake"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        initial = [int(x) for x in rng.integers(1, p.spread + 1, p.length)]
        steps = p.length - 1
        wrong_at = None if rng.random() < p.clean_share else int(rng.integers(1, steps + 1))
        shown, previous = [], initial
        for k in range(1, steps + 1):
            values = step(p.algorithm, previous, k)
            if k == wrong_at:
                for _ in range(8):
                    slipped = mistake(rng, values, previous)
                    if slipped != values:
                        values = slipped
                        break
                else:
                    wrong_at = None
            shown.append(values)
            previous = values
        gold = first_wrong(p.algorithm, initial, shown)
        effort = p.length * steps * (1 + len(str(p.spread)))
        data = {"algorithm": p.algorithm, "initial": initial, "steps": shown}
        return Problem(data, "none" if gold is None else str(gold), float(effort))

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            claimed = parse_int_or_none(answer, 1, len(problem["steps"]))
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        gold = first_wrong(problem["algorithm"], problem["initial"], problem["steps"])
        if claimed != gold:
            return Verdict.wrong(f"the first wrong step is not {'none' if claimed is None else claimed}")
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        return scalar_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        steps = len(problem.data["steps"])
        if problem.answer == "none":
            return ["1", str(steps), "0"]
        k = int(problem.answer)
        return [w for w in ("none", str(k + 1), str(k - 1), f"{k}, {k + 1}") if w not in (problem.answer, "0")]
