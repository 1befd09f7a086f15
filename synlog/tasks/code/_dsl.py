"""A small DSL of list/integer operations shared by the code tasks.

A *pipeline* is a list of steps ``[name, k]`` applied in order to a list of integers ``xs``;
an optional final *fold* turns the list into one integer. Every operation has three faces
that must agree: a reference implementation (run here, on our own data, to make tests),
a line of Python source (the gold program) and an English sentence (the prompt)::

    steps = [["keep_gt", 0], ["mul", 3], ["window_sum", 2]]; fold = ["sum", 0]
    apply_pipeline(steps, fold, [4, -1, 2, 5])      # [12, 6, 15] → [18, 21] → 39
    pipeline_source("f", steps, fold)               # def f(xs): xs = [x for x in xs if x > 0] ...

Operations that only make sense with a constant draw it from ``Op.constants``. The English
is written for the drawn constant ("between 0 and 4", "remove the first element", "subtract 3
from every element"), and :func:`sample_pipeline` given probe inputs keeps only pipelines in
which every step changes the result, so ``depth`` counts real steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from synlog.errors import Reject


def _digit_sum(x: int) -> int:
    return sum(int(d) for d in str(abs(x)))


def _runs(xs: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for x in xs:
        if runs and runs[-1][0] == x:
            runs[-1].append(x)
        else:
            runs.append([x])
    return runs


def _unique(xs: list[int]) -> list[int]:
    seen: set[int] = set()
    out = []
    for x in xs:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


@dataclass(frozen=True)
class Op:
    """One operation: reference function, source lines (with ``{k}``), English, constants."""

    apply: Callable[[list[int], int], Any]
    source: str
    text: str
    constants: tuple[int, ...] = (0,)
    #: the operation whose swap makes a near-miss (perturbations)
    sibling: str | None = None


STEPS: dict[str, Op] = {
    "add": Op(lambda xs, k: [x + k for x in xs], "xs = [x + {k} for x in xs]",
              "{add_k} every element", (-5, -3, -2, -1, 1, 2, 3, 4, 7)),
    "mul": Op(lambda xs, k: [x * k for x in xs], "xs = [x * {k} for x in xs]",
              "multiply every element by {k}", (-3, -2, -1, 2, 3, 5)),
    "mod": Op(lambda xs, k: [x % k for x in xs], "xs = [x % {k} for x in xs]",
              "replace every element by its remainder modulo {k} (always between 0 and {k_minus_1}, "
              "also for negative elements)", (2, 3, 4, 5, 7, 10)),
    "abs": Op(lambda xs, k: [abs(x) for x in xs], "xs = [abs(x) for x in xs]",
              "replace every element by its absolute value", sibling="negate"),
    "negate": Op(lambda xs, k: [-x for x in xs], "xs = [-x for x in xs]",
                 "negate every element", sibling="abs"),
    "square": Op(lambda xs, k: [x * x for x in xs], "xs = [x * x for x in xs]",
                 "replace every element by its square", sibling="abs"),
    "digit_sum": Op(lambda xs, k: [_digit_sum(x) for x in xs],
                    "xs = [sum(int(d) for d in str(abs(x))) for x in xs]",
                    "replace every element by the sum of the decimal digits of its absolute value",
                    sibling="abs"),
    "keep_even": Op(lambda xs, k: [x for x in xs if x % 2 == 0], "xs = [x for x in xs if x % 2 == 0]",
                    "keep only the even elements", sibling="keep_odd"),
    "keep_odd": Op(lambda xs, k: [x for x in xs if x % 2 != 0], "xs = [x for x in xs if x % 2 != 0]",
                   "keep only the odd elements", sibling="keep_even"),
    "keep_gt": Op(lambda xs, k: [x for x in xs if x > k], "xs = [x for x in xs if x > {k}]",
                  "keep only the elements greater than {k}", (-3, -1, 0, 1, 2, 5), sibling="keep_lt"),
    "keep_lt": Op(lambda xs, k: [x for x in xs if x < k], "xs = [x for x in xs if x < {k}]",
                  "keep only the elements less than {k}", (-2, 0, 1, 3, 6, 10), sibling="keep_gt"),
    "keep_multiple": Op(lambda xs, k: [x for x in xs if x % k == 0], "xs = [x for x in xs if x % {k} == 0]",
                        "keep only the elements divisible by {k}", (2, 3, 4, 5)),
    "sort_asc": Op(lambda xs, k: sorted(xs), "xs = sorted(xs)",
                   "sort the list in ascending order", sibling="sort_desc"),
    "sort_desc": Op(lambda xs, k: sorted(xs, reverse=True), "xs = sorted(xs, reverse=True)",
                    "sort the list in descending order", sibling="sort_asc"),
    "sort_by_abs": Op(lambda xs, k: sorted(xs, key=abs), "xs = sorted(xs, key=abs)",
                      "sort the list by absolute value, ascending; elements with equal absolute "
                      "value keep their relative order", sibling="sort_asc"),
    "sort_by_last_digit": Op(lambda xs, k: sorted(xs, key=lambda x: abs(x) % 10),
                             "xs = sorted(xs, key=lambda x: abs(x) % 10)",
                             "sort the list by the last decimal digit of each element's absolute "
                             "value, ascending; ties keep their relative order", sibling="sort_asc"),
    "reverse": Op(lambda xs, k: xs[::-1], "xs = xs[::-1]", "reverse the list", sibling="sort_desc"),
    "window_sum": Op(lambda xs, k: [sum(xs[i:i + k]) for i in range(len(xs) - k + 1)],
                     "xs = [sum(xs[i:i + {k}]) for i in range(len(xs) - {k} + 1)]",
                     "replace the list by the sums of its windows of {k} consecutive elements, "
                     "left to right (a list shorter than {k} becomes empty)", (2, 3)),
    "diffs": Op(lambda xs, k: [b - a for a, b in zip(xs, xs[1:], strict=False)], "xs = [b - a for a, b in zip(xs, xs[1:])]",
                "replace the list by the differences of neighbours (each element minus the one "
                "before it), one element shorter; a list of fewer than 2 elements becomes empty",
                sibling="prefix_sums"),
    "prefix_sums": Op(lambda xs, k: [sum(xs[:i + 1]) for i in range(len(xs))],
                      "xs = [sum(xs[:i + 1]) for i in range(len(xs))]",
                      "replace every element by the sum of itself and all elements before it",
                      sibling="diffs"),
    "dedupe_runs": Op(lambda xs, k: [run[0] for run in _runs(xs)],
                      "xs = [x for i, x in enumerate(xs) if i == 0 or xs[i - 1] != x]",
                      "collapse every run of equal neighbouring elements into one element",
                      sibling="unique"),
    "run_lengths": Op(lambda xs, k: [len(run) for run in _runs(xs)],
                      "xs = [len(list(g)) for _, g in __import__('itertools').groupby(xs)]",
                      "replace the list by the lengths of its runs of equal neighbouring elements "
                      "(run-length encoding, lengths only)", sibling="dedupe_runs"),
    "unique": Op(lambda xs, k: _unique(xs), "xs = list(dict.fromkeys(xs))",
                 "remove repeated elements, keeping the first occurrence of each",
                 sibling="dedupe_runs"),
    "take": Op(lambda xs, k: xs[:k], "xs = xs[:{k}]", "keep only the {first_k} (all of "
               "them if there are fewer)", (2, 3, 4, 5), sibling="drop"),
    "drop": Op(lambda xs, k: xs[k:], "xs = xs[{k}:]", "remove the {first_k} ({all_if_fewer})", (1, 2, 3), sibling="take"),
}

FOLDS: dict[str, Op] = {
    "sum": Op(lambda xs, k: sum(xs), "return sum(xs)", "the sum of the elements (0 for an empty list)",
              sibling="alt_sum"),
    "max": Op(lambda xs, k: max(xs, default=0), "return max(xs, default=0)",
              "the largest element (0 for an empty list)", sibling="min"),
    "min": Op(lambda xs, k: min(xs, default=0), "return min(xs, default=0)",
              "the smallest element (0 for an empty list)", sibling="max"),
    "count": Op(lambda xs, k: len(xs), "return len(xs)", "the number of elements", sibling="sum"),
    "alt_sum": Op(lambda xs, k: sum(x if i % 2 == 0 else -x for i, x in enumerate(xs)),
                  "return sum(x if i % 2 == 0 else -x for i, x in enumerate(xs))",
                  "the alternating sum: first element minus second plus third minus fourth … "
                  "(0 for an empty list)", sibling="sum"),
    "weighted_sum": Op(lambda xs, k: sum((i + 1) * x for i, x in enumerate(xs)),
                       "return sum((i + 1) * x for i, x in enumerate(xs))",
                       "the sum of each element times its 1-based position (0 for an empty list)",
                       sibling="sum"),
}

#: steps whose output can grow without bound in a long pipeline: at most one per pipeline
GROWING = {"square", "mul", "prefix_sums"}
#: classes of steps and how many of each one pipeline may hold: a later sort undoes an
#: earlier one, a second de-duplication or cut finds little left to do, and three filters
#: (or three steps that shorten the list) leave most lists empty
CLASS_LIMITS = ((frozenset(GROWING), 1),
                (frozenset({"sort_asc", "sort_desc", "sort_by_abs", "sort_by_last_digit"}), 1),
                (frozenset({"unique", "dedupe_runs"}), 1), (frozenset({"take", "drop"}), 1),
                (frozenset({"keep_even", "keep_odd", "keep_gt", "keep_lt", "keep_multiple"}), 2),
                (frozenset({"diffs", "window_sum", "take", "drop"}), 2))


def phrase(text: str, k: int) -> str:
    """An operation's English for the constant ``k``: arithmetic done, singular where it is one."""
    return text.format(
        k=k, k_minus_1=k - 1,
        add_k=f"add {k} to" if k >= 0 else f"subtract {-k} from",
        first_k="first element" if k == 1 else f"first {k} elements",
        all_if_fewer="nothing if the list is empty" if k == 1 else "all of them if there are fewer",
    )


#: a step is real when dropping it changes the pipeline's result on this share of the probes
REAL_STEP_SHARE = 0.2
#: candidates :func:`sample_pipeline` draws for one position before it gives up
PIPELINE_TRIES = 30


def dead_steps(steps: list, fold: list | None, probes: list[list[int]], first: bool = False) -> list[int]:
    """Indices of steps whose removal changes the result on fewer than
    :data:`REAL_STEP_SHARE` of ``probes`` (sorting before a sum, ``abs`` after ``square``...);
    with ``first``, only the first one found (the last steps are tried first)."""
    prefixes = []  # prefixes[j][i]: probe j after the first i steps
    for xs in probes:
        states = [list(xs)]
        for name, k in steps:
            states.append(STEPS[name].apply(states[-1], k))
        prefixes.append(states)
    full = [apply_pipeline([], fold, states[-1]) for states in prefixes]
    dead: list[int] = []
    for i in reversed(range(len(steps))):
        rest = steps[i + 1:]
        changed = sum(apply_pipeline(rest, fold, states[i]) != out for states, out in zip(prefixes, full, strict=True))
        if changed < REAL_STEP_SHARE * len(probes):
            dead.append(i)
            if first:
                break
    return sorted(dead)


def sample_pipeline(rng: np.random.Generator, depth: int, allowed_folds: list[str] | None,
                    probes: list[list[int]] | None = None, nonempty: float = 0.0) -> tuple[list, list | None]:
    """``depth`` random steps (no immediate repeats, within :data:`CLASS_LIMITS`) and a fold.

    With ``probes`` (random inputs like the task's own), the pipeline is built a step at a
    time and a step is kept only if the pipeline so far has no dead step (:func:`dead_steps`),
    so ``depth`` means ``depth`` steps that matter, and only if at least ``nonempty`` of the
    probes still have elements left for the fold (filters and cuts that empty most lists make
    a function that is nearly constant); raises :class:`~synlog.errors.Reject` when
    :data:`PIPELINE_TRIES` candidates for one position all failed.
    """
    fold = None
    if allowed_folds:
        fold = [allowed_folds[int(rng.integers(len(allowed_folds)))], 0]
    steps: list[list[Any]] = []
    while len(steps) < depth:
        for _ in range(PIPELINE_TRIES if probes else 1):
            trial = steps + [_draw_step(rng, steps, len(steps))]
            if not probes or (_share_nonempty(trial, probes) >= nonempty and not dead_steps(trial, fold, probes, first=True)):
                steps = trial
                break
        else:
            raise Reject(f"no live step {len(steps) + 1} of {depth} in {PIPELINE_TRIES} draws")
    return steps, fold


def _share_nonempty(steps: list, probes: list[list[int]]) -> float:
    return sum(bool(apply_pipeline(steps, None, xs)) for xs in probes) / len(probes)


def _draw_step(rng: np.random.Generator, steps: list, i: int) -> list[Any]:
    """A step for position ``i``: not its neighbours' operation, and within
    :data:`CLASS_LIMITS`."""
    names = sorted(STEPS)
    neighbours = {steps[j][0] for j in (i - 1, i + 1) if 0 <= j < len(steps)}
    others = [name for j, (name, _) in enumerate(steps) if j != i]
    taken = set().union(*(group for group, limit in CLASS_LIMITS if sum(n in group for n in others) >= limit))
    while True:
        name = names[int(rng.integers(len(names)))]
        if name not in neighbours and name not in taken:
            constants = STEPS[name].constants
            return [name, int(constants[int(rng.integers(len(constants)))])]


def apply_pipeline(steps: list, fold: list | None, xs: list[int]) -> Any:
    """The reference result of the pipeline on ``xs`` (our own data, run in this process)."""
    out = list(xs)
    for name, k in steps:
        out = STEPS[name].apply(out, k)
    return FOLDS[fold[0]].apply(out, fold[1]) if fold else out


def pipeline_source(function: str, steps: list, fold: list | None) -> str:
    """The gold program: a function ``function(xs)`` applying the steps in order."""
    lines = [f"def {function}(xs):"]
    lines += ["    " + STEPS[name].source.format(k=k).replace("+ -", "- ") for name, k in steps]
    lines.append("    " + (FOLDS[fold[0]].source if fold else "return xs"))
    return "\n".join(lines) + "\n"


def pipeline_text(steps: list, fold: list | None) -> list[str]:
    """The English description, one sentence per step, the last one saying what is returned."""
    sentences = [_capitalise(phrase(STEPS[name].text, k)) + "." for name, k in steps]
    if fold:
        sentences.append("Return " + FOLDS[fold[0]].text.format(k=fold[1]) + ".")
    else:
        sentences.append("Return the resulting list.")
    return sentences


def _capitalise(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def mutants(steps: list, fold: list | None) -> list[tuple[list, list | None]]:
    """Near-miss pipelines: a constant off by one, a step swapped for its sibling, a step dropped."""
    out: list[tuple[list, list | None]] = []
    for i, (name, k) in enumerate(steps):
        op = STEPS[name]
        if len(op.constants) > 1:
            bumped = k + 1 if k + 1 not in (0,) else k + 2
            out.append((steps[:i] + [[name, bumped]] + steps[i + 1:], fold))
        if op.sibling:
            out.append((steps[:i] + [[op.sibling, STEPS[op.sibling].constants[0]]] + steps[i + 1:], fold))
        out.append((steps[:i] + steps[i + 1:], fold))
    if fold and FOLDS[fold[0]].sibling:
        out.append((steps, [FOLDS[fold[0]].sibling, 0]))
    return out


def effort(steps: list, inputs: list[list[int]]) -> float:
    """Elementary operations the reference performs: list elements touched, step by step."""
    total = 0
    for xs in inputs:
        current = list(xs)
        for name, k in steps:
            total += len(current) + 1
            current = STEPS[name].apply(current, k)
    return float(total)
