"""Stack permutation: turn an input queue into a target output using one stack, or say it cannot.

Rules: the cards of the input are taken from its front, one at a time. ``push`` moves the next
input card onto the top of the stack; ``pop`` moves the top card of the stack to the end of
the output. The output must become exactly the target. A tiny example::

    input  C A B          push push pop push pop pop
    target A B C     →    (stack: C, C A, C → out A, C B, C → out B, empty → out C)

Some targets cannot be made (input ``A B C``, target ``C A B``: ``C`` comes out first, so
``A`` and ``B`` lie under it with ``B`` on top, and ``A`` cannot leave before ``B``); they
are answered ``impossible``.

Why the answer is unique and the verdict exact: with distinct cards, the only move that does
not doom the run is forced at every step — pop when the top card is the next target card
(pushing would bury it under a card that must leave after it), push otherwise. So the greedy
simulation (``greedy_operations``) finds the one operation sequence, or proves there is none
when it gets stuck. Feasible targets come from a uniformly drawn push/pop word (a Dyck word:
every prefix has at least as many pushes as pops); infeasible ones from a feasible target
with two cards exchanged until the greedy run fails, so they look just as plausible.
``verify`` replays the answer and compares the output with the target.
"""

from __future__ import annotations

import math
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
    scalar_forms,
    unwrap,
)
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

LABELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
IMPOSSIBLE = "impossible"
#: exchanges tried while looking for an infeasible target near a feasible one
SWAP_TRIES = 60


@cache
def _dyck_count(pushes_left: int, depth: int) -> int:
    """How many ways to finish a push/pop word with ``pushes_left`` pushes still to make and
    ``depth`` cards on the stack (every card is popped by the end)."""
    if pushes_left == 0:
        return 1
    total = _dyck_count(pushes_left - 1, depth + 1)
    if depth:
        total += _dyck_count(pushes_left, depth - 1)
    return total


def random_dyck(rng: np.random.Generator, n: int) -> list[str]:
    """A push/pop word of n pushes drawn uniformly from all C(n) valid ones."""
    ops, left, depth = [], n, 0
    while left or depth:
        with_push = _dyck_count(left - 1, depth + 1) if left else 0
        with_pop = _dyck_count(left, depth - 1) if depth else 0
        if int(rng.integers(with_push + with_pop)) < with_push:
            ops.append("push")
            left, depth = left - 1, depth + 1
        else:
            ops.append("pop")
            depth -= 1
    return ops


def run(source: list[str], ops: list[str]) -> list[str] | str:
    """The output of ``ops`` on ``source``, or why the run is illegal."""
    stack, out, nxt = [], [], 0
    for step, op in enumerate(ops, start=1):
        if op == "push":
            if nxt == len(source):
                return f"operation {step} pushes, but the input is empty"
            stack.append(source[nxt])
            nxt += 1
        else:
            if not stack:
                return f"operation {step} pops an empty stack"
            out.append(stack.pop())
    return out


def greedy_operations(source: list[str], target: list[str]) -> tuple[list[str] | None, int]:
    """The forced operation sequence making ``target`` from ``source``, or None when there is
    none, and the steps simulated."""
    stack, ops, nxt, steps = [], [], 0, 0
    for card in target:
        while not stack or stack[-1] != card:
            steps += 1
            if nxt == len(source):
                return None, steps
            stack.append(source[nxt])
            nxt += 1
            ops.append("push")
        stack.pop()
        ops.append("pop")
        steps += 1
    return ops, steps


def parse_operations(text: str) -> list[str]:
    """``push``/``pop`` words separated by spaces, commas or lines."""
    words = " ".join(answer_lines(bounded(text))).replace(",", " ").split()
    if not words:
        raise AnswerError("expected push/pop operations such as 'push push pop pop', or 'impossible'")
    ops = [word.lower() for word in words]
    for word in ops:
        if word not in ("push", "pop"):
            raise AnswerError(f"{word[:20]!r} is not push or pop")
    return ops


@register
class StackPermutation(Task):
    """Make a target sequence from an input queue with one stack (push/pop), or say impossible."""

    name, family, version = "stack_permutation", "search", 1
    chance = 0.08
    knobs = Knobs(
        n=Knob(int, levels=[6, 7, 8, 9, 10, 12, 14, 16, 19, 22], lo=4, hi=26, help="cards in the input"),
        infeasible=Knob(float, levels=[0.08, 0.08] + [0.04] * 8, lo=0.0, hi=0.08,
                        help="share of targets no stack can make (answer 'impossible')"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        source = [LABELS[i] for i in rng.choice(len(LABELS), p.n, replace=False)]
        ops = random_dyck(rng, p.n)
        target = run(source, ops)
        if target in (source, source[::-1]):  # "push pop ..." or "push all, pop all" would do
            raise Reject("the target is the input or its reverse")
        effort = 2 * p.n
        if rng.random() < p.infeasible:
            for _ in range(SWAP_TRIES):
                i, j = sorted(rng.choice(p.n, 2, replace=False).tolist())
                target[i], target[j] = target[j], target[i]
                found, steps = greedy_operations(source, target)
                effort += steps + 1
                if found is None:
                    break
            else:
                raise Reject("no infeasible target found near the feasible one")
            return Problem({"input": source, "target": target, "feasible": False}, IMPOSSIBLE, float(effort))
        return Problem({"input": source, "target": target, "feasible": True}, " ".join(ops), float(effort))

    def verify(self, problem: dict, answer: str) -> Verdict:
        source, target = problem["input"], problem["target"]
        if len(answer) > MAX_CHARS:
            return Verdict.invalid(f"answer longer than {MAX_CHARS} characters")
        try:
            word = unwrap(bounded(answer)).lower()
            if word == IMPOSSIBLE:
                if problem["feasible"]:
                    return Verdict.wrong("the target can be made with the stack")
                return Verdict.ok()
            ops = parse_operations(answer)
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        if len(ops) != 2 * len(source):  # every card is pushed once and popped once
            return Verdict.invalid(f"{len(ops)} operations; every card needs one push and one pop,"
                                   f" {2 * len(source)} in all")
        out = run(source, ops)
        if isinstance(out, str):
            return Verdict.wrong(out)
        if out != target:
            return Verdict.wrong("the output is " + " ".join(out) + ", not the target")
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        if problem.answer == IMPOSSIBLE:
            return [*scalar_forms(IMPOSSIBLE), "Impossible", "IMPOSSIBLE"]
        ops = problem.answer.split()
        return [", ".join(ops), problem.answer.upper(), *decorated_forms(ops, " ")]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        source = problem.data["input"]
        if problem.answer == IMPOSSIBLE:
            return [" ".join(["push"] * len(source) + ["pop"] * len(source)),
                    " ".join(["push", "pop"] * len(source))]
        ops = problem.answer.split()
        i = next(k for k in range(len(ops) - 1) if ops[k] != ops[k + 1])
        swapped = ops[:i] + [ops[i + 1], ops[i]] + ops[i + 2:]
        return [IMPOSSIBLE, " ".join(swapped), " ".join(ops[:-2]), problem.answer + " pop",
                problem.answer + " " + problem.answer]

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        n = len(problem["input"])
        return {"push everything, then pop everything": " ".join(["push"] * n + ["pop"] * n),
                "push and pop in turn": " ".join(["push", "pop"] * n)}

    def hardness(self, problem: dict) -> float:
        # cards, plus how deep the stack must get (a deep stack is more to keep in mind)
        source, target = problem["input"], problem["target"]
        ops, _ = greedy_operations(source, target)
        depth = peak = 0
        for op in ops or []:
            depth += 1 if op == "push" else -1
            peak = max(peak, depth)
        return float(len(source) + peak)

    def instance_space(self, spec: dict) -> float | None:
        n = spec["n"] if not isinstance(spec["n"], tuple) else spec["n"][1]
        catalan = math.comb(2 * n, n) // (n + 1)
        return float(math.perm(len(LABELS), n) * (catalan - 2))
