"""Tower of Hanoi from any arrangement to any other, on 3 or 4 pegs, in the fewest moves.

Disks 1 (smallest) .. n sit on pegs A, B, C (and D); a move takes the top disk of one peg
onto another peg, never onto a smaller disk. Start and goal are random legal arrangements
(every arrangement is legal: a peg's disks stack largest first). A tiny example::

    start: A: 2 1   B: -   C: -        goal: A: -   B: -   C: 2 1
    A->B, A->C, B->C                   (3 moves, the fewest possible)

Any legal move list that ends in the goal arrangement with the fewest moves scores 1; a legal
one that is longer scores 0 with ``fraction = optimum / length``. The optimum is proved by a
breadth-first search over all arrangements at generation (``effort``: arrangements expanded);
the tests re-derive it with a bidirectional search, and check the search against the classic
counts on the standard puzzle (2^n − 1 moves on 3 pegs, Frame–Stewart on 4, which is optimal).
``hardness`` is the optimal move count.
"""

from __future__ import annotations

import re
from collections import deque

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import decorated_forms
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.search._planning import judge_length, read_plan
from synlog.verifiers.verdict import Verdict

PEGS = "ABCD"
STEP = re.compile(r"([A-Da-d])\s*(?:->|→)\s*([A-Da-d])")
EXAMPLE = "A->B, A->C, B->C"

State = tuple[int, ...]  # the peg of disk 1, disk 2, ... (index into PEGS)


def moves_from(state: State, pegs: int) -> list[tuple[int, int, State]]:
    """Every legal move ``(from, to, next state)``: a peg's top disk is its smallest."""
    top = [len(state)] * pegs
    for disk in range(len(state) - 1, -1, -1):
        top[state[disk]] = disk
    out = []
    for a in range(pegs):
        if top[a] == len(state):
            continue
        for b in range(pegs):
            if b != a and top[a] < top[b]:
                out.append((a, b, state[:top[a]] + (b,) + state[top[a] + 1:]))
    return out


def shortest(start: State, goal: State, pegs: int) -> tuple[list[tuple[int, int]], int]:
    """A fewest-move plan from ``start`` to ``goal`` by breadth-first search, and the count of
    arrangements expanded."""
    parent: dict[State, tuple[State, int, int] | None] = {start: None}
    queue, expanded = deque([start]), 0
    while queue:
        state = queue.popleft()
        if state == goal:
            break
        expanded += 1
        for a, b, nxt in moves_from(state, pegs):
            if nxt not in parent:
                parent[nxt] = (state, a, b)
                queue.append(nxt)
    plan = []
    while parent[goal] is not None:
        goal, a, b = parent[goal]  # type: ignore[misc]
        plan.append((a, b))
    return plan[::-1], expanded


def stacks(state: State, pegs: int) -> dict[str, list[int]]:
    """Peg letter → its disks, bottom (largest) to top."""
    return {PEGS[p]: [d + 1 for d in range(len(state) - 1, -1, -1) if state[d] == p] for p in range(pegs)}


@register
class TowerOfHanoi(Task):
    """Move Hanoi disks from one arrangement to another on 3 or 4 pegs in the fewest moves."""

    name, family, version = "tower_of_hanoi", "search", 1
    unique_answer = False
    chance = 0.01
    knobs = Knobs(
        # 4 pegs make short plans over many arrangements (the easy levels); 3 pegs long ones
        pegs=Knob(int, levels=[4, 4, 4, 3, 3, 3, 3, 3, 3, 3], choices=[3, 4], help="pegs"),
        disks=Knob(int, levels=[4, 5, 5, 6, 7, 7, 8, 8, 8, 8], lo=2, hi=8, help="disks (4 pegs: at most 7)"),
        min_moves=Knob(int, levels=[3, 5, 7, 12, 30, 50, 60, 90, 120, 150], lo=1, hi=200,
                       help="fewest moves the optimal plan must take (a start is redrawn until it does)"),
    )

    def check_params(self, params: Params) -> None:
        from synlog.errors import KnobError
        if params.pegs == 4 and params.disks > 7:
            raise KnobError("tower_of_hanoi: 4 pegs take at most 7 disks (the search is exhaustive)")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        start = tuple(int(x) for x in rng.integers(0, p.pegs, p.disks))
        goal = tuple(int(x) for x in rng.integers(0, p.pegs, p.disks))
        plan, expanded = shortest(start, goal, p.pegs)
        if len(plan) < p.min_moves:
            raise Reject("too few moves")
        data = {"pegs": p.pegs, "start": stacks(start, p.pegs), "goal": stacks(goal, p.pegs),
                "optimum": len(plan)}
        if self.verify(data, EXAMPLE).correct:
            raise Reject("the prompt's example would solve it")
        answer = ", ".join(f"{PEGS[a]}->{PEGS[b]}" for a, b in plan)
        return Problem(data, answer, float(expanded))

    def context(self, problem: Problem, lang: str) -> dict:
        return dict(example=EXAMPLE, disks=sum(map(len, problem.data["start"].values())),
                    **problem.data)

    def verify(self, problem: dict, answer: str) -> Verdict:
        pegs, optimum = problem["pegs"], problem["optimum"]
        steps = read_plan(answer, STEP, max_steps=4 * optimum + 20)
        if isinstance(steps, Verdict):
            return steps
        piles = {peg: list(disks) for peg, disks in problem["start"].items()}
        for k, (a, b) in enumerate(steps, start=1):
            a, b = a.upper(), b.upper()
            if PEGS.index(a) >= pegs or PEGS.index(b) >= pegs or a == b:
                return Verdict.invalid(f"move {k} ({a}->{b}) names no pair of pegs of this puzzle")
            if not piles[a]:
                return Verdict.wrong(f"move {k} takes from the empty peg {a}")
            if piles[b] and piles[b][-1] < piles[a][-1]:
                return Verdict.wrong(f"move {k} puts disk {piles[a][-1]} on the smaller disk {piles[b][-1]}")
            piles[b].append(piles[a].pop())
        if piles != problem["goal"]:
            return Verdict.wrong("the moves do not end in the goal arrangement")
        return judge_length(len(steps), optimum)

    def hardness(self, problem: dict) -> float:
        return float(problem["optimum"])

    def instance_space(self, spec: dict) -> float | None:
        disks, pegs = max(np.atleast_1d(spec["disks"])), max(np.atleast_1d(spec["pegs"]))
        return float(pegs) ** (2 * int(disks))

    def alternative_forms(self, problem: Problem) -> list[str]:
        return decorated_forms(problem.answer.split(", "), ", ")

    def forbidden_forms(self, problem: Problem) -> list[str]:
        # disk numbers instead of pegs: the prompt asks for FROM->TO peg letters
        return [problem.answer.replace("->", " ")]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        steps = problem.answer.split(", ")
        k = int(rng.integers(len(steps)))
        a, b = steps[k].split("->")
        swapped = steps[:k] + [f"{b}->{a}"] + steps[k + 1:]
        return [", ".join(steps[:-1]),                       # one move short of the goal
                ", ".join(swapped),                          # one move reversed
                ", ".join(steps + [steps[-1].split("->")[1] + "->" + steps[-1].split("->")[0]] +
                          [steps[-1]]),                      # two wasted moves at the end
                problem.answer + ", " + problem.answer]      # the plan twice

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        pegs = PEGS[:problem["pegs"]]
        return {"the classic 3-disk plan": "A->C, A->B, C->B, A->C, B->A, B->C, A->C",
                "one move": f"{pegs[0]}->{pegs[-1]}"}
