"""Sorting trace mistake: find every wrong step in a step-by-step sorting trace.

A list is sorted ascending by a named algorithm; after each step the trace shows the whole
list. Some steps introduce a mistake (the next step then continues correctly from the wrong
list shown). The answer is the set of wrong step numbers, or "none"::

    insertion sort of [3, 1, 2, 4]
    Step 1: [1, 3, 2, 4]     (insert the 2nd element into the sorted prefix)
    Step 2: [1, 3, 2, 4]     ← wrong: inserting 2 gives [1, 2, 3, 4]
    Step 3: [1, 3, 4, 2]     ← wrong: 4 is already in place, the list stays [1, 3, 2, 4]
    answer: 2, 3

Steps (k = 1, 2, …, n−1, always n−1 steps): *insertion* — move element k+1 left past every
larger element before it; *selection* — swap the smallest of elements k..n (the first one
if tied) into position k; *bubble* — one pass comparing positions (1,2), (2,3), … and swapping
each pair that is out of order. Step k is wrong when its list is not step k applied to the
list shown before it (each step is judged on its own); the verifier recomputes this, so the
answer is unique. A faulty trace has at least two wrong steps (knob ``mistakes``) among at
least eight, so no single set of steps is the gold of more than a few per cent of rows, and
"none" is kept rare by ``clean_share`` (≤ 0.25; tested). A lone step number, the first or the
last, is never the gold.
"""

from __future__ import annotations

import numpy as np

from synlog.errors import KnobError, Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, decorated_forms, join_set, parse_int_set
from synlog.tasks.knobs import Knob, Knobs, Params
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


def wrong_steps(algorithm: str, initial: list[int], shown: list[list[int]]) -> set[int]:
    """The steps whose list is not that step applied to the list shown before it."""
    previous, wrong = initial, set()
    for k, values in enumerate(shown, 1):
        if values != step(algorithm, previous, k):
            wrong.add(k)
        previous = values
    return wrong


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
    """Find every wrong step in a step-by-step trace of a sorting algorithm, or say none."""

    name, family, version = "sorting_trace_mistake", "language", 2
    knobs = Knobs(
        length=Knob(int, levels=[9, 9, 10, 10, 11, 12, 13, 14, 15, 16], lo=3, hi=40, help="list length"),
        algorithm=Knob(str, levels=["insertion", "selection", "bubble", "insertion", "selection", "bubble",
                                    "insertion", "selection", "bubble", "insertion"],
                       choices=ALGORITHMS, help="sorting algorithm traced"),
        spread=Knob(int, levels=[9, 20, 20, 50, 50, 99, 99, 99, 200, 500], lo=5, hi=10_000,
                    help="values drawn from 1..spread"),
        mistakes=Knob(int, levels=[(2, 4), (2, 4), (2, 4), (2, 5), (2, 5), (3, 5), (3, 6), (3, 6), (3, 7),
                                   (4, 8)], lo=1, hi=39, help="wrong steps when the trace has mistakes"),
        clean_share=Knob(float, levels=[0.01] * 10, lo=0.0, hi=0.25, help="share of traces with no mistake"),
    )

    def check_params(self, params: Params) -> None:
        if params.mistakes > params.length - 1:
            raise KnobError(f"mistakes={params.mistakes} exceeds the {params.length - 1} steps of a list of"
                            f" {params.length}; lower mistakes or raise length")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        initial = [int(x) for x in rng.integers(1, p.spread + 1, p.length)]
        steps = p.length - 1
        planned = set() if rng.random() < p.clean_share else \
            {int(k) + 1 for k in rng.choice(steps, p.mistakes, replace=False)}
        shown, previous = [], initial
        for k in range(1, steps + 1):
            values = step(p.algorithm, previous, k)
            if k in planned:
                for _ in range(8):
                    slipped = mistake(rng, values, previous)
                    if slipped != values:
                        values = slipped
                        break
            shown.append(values)
            previous = values
        gold = wrong_steps(p.algorithm, initial, shown)
        if planned and len(gold) < 2:
            raise Reject("the planned mistakes left fewer than two wrong steps")
        effort = p.length * steps * (1 + len(str(p.spread))) * (1 + len(gold))
        data = {"algorithm": p.algorithm, "initial": initial, "steps": shown}
        return Problem(data, join_set(gold), float(effort))

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            claimed = parse_int_set(answer, 1, len(problem["steps"]))
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        gold = wrong_steps(problem["algorithm"], problem["initial"], problem["steps"])
        if claimed != gold:
            return Verdict.wrong("not the set of wrong steps", missed=sorted(gold - claimed),
                                 extra=sorted(claimed - gold))
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """No mistake, only the first or the last step, or every step: answers that replay nothing."""
        n = len(problem["steps"])
        return {"none": "none", "the first step": "1", "the last step": str(n),
                "first and last step": join_set({1, n}), "every step": join_set(range(1, n + 1))}

    def alternative_forms(self, problem: Problem) -> list[str]:
        return decorated_forms(problem.answer.split(", "), ", ")

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = set() if problem.answer == "none" else {int(x) for x in problem.answer.split(", ")}
        n = len(problem.data["steps"])
        wrong = [join_set(gold | {1 + (max(gold, default=0) % n)}), join_set(gold ^ {n})]
        if gold:
            wrong += ["none", join_set(set(sorted(gold)[1:])), str(min(gold))]
        return [w for w in wrong if w != problem.answer]
