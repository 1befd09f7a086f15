"""Dyck trace errors: find the wrong steps in a stack trace that completes a bracket sequence.

A solver completed a bracket sequence (see ``dyck_completion``) and wrote its reasoning as
numbered thoughts: one per bracket giving the stack of open brackets after it, then one
giving the closing brackets. Some thoughts may be wrong. A tiny example::

    Sequence: ( [ ]
    Thought 1: ( ; stack: (
    Thought 2: [ ; stack: ( [
    Thought 3: ] ; stack: ( [        ← wrong: "]" closes "[", the stack is "("
    Thought 4: the closing brackets are: )
    Answer: 3

Rules: thought k ≤ n (n brackets) is wrong exactly when its stack differs from the true stack
after the first k brackets (each thought is judged against the truth, not against the
previous thought); the last thought is wrong when its brackets are not the true completion.
The answer is the set of wrong thought numbers, or "none". The gold is computed from the
sequence alone, so it is unique. A faulty trace has at least two wrong thoughts among at least
half a sequence's worth of thoughts, so no single set (nor "none": zero-error traces are kept
at a small share, knob ``clean_share`` ≤ 0.25) is the gold of more than a few per cent of
rows (tested).
"""

from __future__ import annotations

import numpy as np

from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, decorated_forms, join_set, parse_int_set
from synlog.tasks.common.dyck import PAIRS, closing_for, open_prefix, spaced, stacks
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict


def show(stack: list[str]) -> str:
    """A stack as the trace writes it."""
    return spaced(stack) if stack else "empty"


def trace(prefix: list[str], shown: list[list[str]], final: list[str]) -> list[str]:
    """The thoughts: each bracket with the stack ``shown`` after it, then the closing brackets ``final``."""
    thoughts = [f"{token} ; stack: {show(stack)}" for token, stack in zip(prefix, shown, strict=False)]
    thoughts.append(f"the closing brackets are: {spaced(final) or 'none needed'}")
    return thoughts


def _zh_thought(thought: str) -> str:
    """A thought of :func:`trace` in Chinese (the brackets stay as they are)."""
    if thought.startswith("the closing brackets are: "):
        rest = thought.removeprefix("the closing brackets are: ")
        return "所需的右括号：" + ("无" if rest == "none needed" else rest)
    token, _, stack = thought.partition(" ; stack: ")
    return f"{token} ；栈：{'空' if stack == 'empty' else stack}"


def mistake(rng: np.random.Generator, stack: list[str], previous: list[str], pairs: int) -> list[str]:
    """A plausible wrong version of ``stack``: top dropped, extra push, top retyped, or no change."""
    options = [previous, [*stack, PAIRS[int(rng.integers(pairs))][0]]]
    if stack:
        options.append(stack[:-1])
        other = [PAIRS[k][0] for k in range(pairs) if PAIRS[k][0] != stack[-1]]
        if other:
            options.append([*stack[:-1], other[int(rng.integers(len(other)))]])
    options = [option for option in options if option != stack]
    return options[int(rng.integers(len(options)))]


@register
class DyckTraceErrors(Task):
    """Name the wrong thoughts in a step-by-step stack trace of completing a bracket sequence."""

    name, family, version = "dyck_trace_errors", "language", 2
    knobs = Knobs(
        pairs=Knob(int, levels=[2, 2, 3, 3, 4, 4, 5, 5, 6, 6], lo=1, hi=len(PAIRS), help="bracket types"),
        length=Knob(int, levels=[(10, 12), (10, 12), (12, 14), (12, 14), (14, 16), (16, 18), (18, 22),
                                 (22, 26), (26, 30), (30, 36)], lo=4, hi=200,
                    help="tokens of the balanced sequence the prefix is cut from (at least half are kept)"),
        errors=Knob(int, levels=[(2, 4), (2, 4), (2, 4), (2, 4), (2, 4), (2, 4), (2, 5), (3, 5), (3, 6),
                                 (3, 7)], lo=1, hi=50, help="wrong thoughts when the trace has errors"),
        clean_share=Knob(float, levels=[0.01] * 10, lo=0.0, hi=0.25, help="share of traces with no error"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        length = p.length + p.length % 2
        prefix = open_prefix(rng, p.pairs, length, min_length=length // 2)
        truth = stacks(prefix)
        shown = [list(stack) for stack in truth]
        completion = closing_for(truth[-1])
        final = list(completion)
        wrong: list[int] = []
        if rng.random() >= p.clean_share:
            count = min(p.errors, len(prefix) + 1)
            wrong = sorted(int(k) + 1 for k in rng.choice(len(prefix) + 1, count, replace=False))
        for k in wrong:
            if k <= len(prefix):
                shown[k - 1] = mistake(rng, truth[k - 1], truth[k - 2] if k > 1 else [], p.pairs)
            else:
                final = closing_for(mistake(rng, truth[-1], truth[-2] if len(truth) > 1 else [], p.pairs))
        thoughts = trace(prefix, shown, final)
        effort = len(prefix) * (1 + len(wrong))
        data = {"sequence": spaced(prefix), "pairs": list(PAIRS[: p.pairs]), "thoughts": thoughts}
        return Problem(data, join_set(wrong), float(effort))

    def context(self, problem: Problem, lang: str) -> dict:
        data = dict(problem.data)
        if lang == "zh":
            data["thoughts"] = [_zh_thought(thought) for thought in data["thoughts"]]
        return data

    def verify(self, problem: dict, answer: str) -> Verdict:
        thoughts = problem["thoughts"]
        try:
            claimed = parse_int_set(answer, 1, len(thoughts))
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        gold = wrong_thoughts(problem["sequence"].split(), thoughts)
        if claimed != gold:
            return Verdict.wrong("not the set of wrong thoughts", missed=sorted(gold - claimed),
                                 extra=sorted(claimed - gold))
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """No error, or only the first or the last thought: answers that read no stack."""
        n = len(problem["thoughts"])
        return {"none": "none", "the first thought": "1", "the last thought": str(n),
                "first and last thought": join_set({1, n})}

    def alternative_forms(self, problem: Problem) -> list[str]:
        return decorated_forms(problem.answer.split(", "), ", ")

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = set() if problem.answer == "none" else {int(x) for x in problem.answer.split(", ")}
        n = len(problem.data["thoughts"])
        wrong = [join_set(gold | {1 + (max(gold, default=0) % n)}), join_set(gold ^ {n})]
        if gold:
            wrong += ["none", join_set(set(sorted(gold)[1:]))]
        return [w for w in wrong if w != problem.answer]


def wrong_thoughts(prefix: list[str], thoughts: list[str]) -> set[int]:
    """The numbers of the thoughts that differ from the true trace of ``prefix``."""
    truth = stacks(prefix)
    expected = trace(prefix, truth, closing_for(truth[-1]))
    return {k for k, (said, right) in enumerate(zip(thoughts, expected, strict=False), 1) if said != right}
