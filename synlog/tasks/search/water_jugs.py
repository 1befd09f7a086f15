"""Water jugs: measure an exact amount with unmarked jugs in the fewest steps, or say impossible.

Jugs A, B, ... have capacities in litres and start with given amounts. A step fills a jug to
the brim from the tap, empties a jug onto the ground, or pours one jug into another until the
first is empty or the second is full. The goal: some jug holds exactly the target amount after
the last step. A tiny example::

    A holds 3, B holds 5, both empty; target 4.
    fill B, pour B A, empty A, pour B A, fill B, pour B A    (6 steps, the fewest: B holds 4)

Any legal plan of the fewest steps scores 1; a legal one that is longer scores 0 with
``fraction = optimum / length``. When no plan exists the answer is ``impossible``; such
instances are a small ``infeasible`` share, built with capacities sharing a factor g, amounts
that are multiples of g and a target that is not. A breadth-first search over every reachable
state proves both the optimum and the infeasibility at generation (``effort``: states
expanded); the tests re-derive optima by relaxing distances over the whole state space, and
re-prove infeasibility by the gcd argument (every step keeps every amount a multiple of g).
``hardness`` is the optimal step count.
"""

from __future__ import annotations

import math
import re
from collections import deque

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import decorated_forms, scalar_forms
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.search._planning import is_word, judge_length, read_plan
from synlog.verifiers.verdict import Verdict

JUGS = "ABCD"
IMPOSSIBLE = "impossible"
STEP = re.compile(r"(fill|empty|pour)\s+([A-Da-d])(?:\s+(?:into\s+)?([A-Da-d]))?", re.I)
EXAMPLE = "fill A, pour A B, empty B"
FILL, EMPTY = [f"fill {x}" for x in JUGS], [f"empty {x}" for x in JUGS]
POUR = [[f"pour {x} {y}" for y in JUGS] for x in JUGS]

State = tuple[int, ...]


def successors(state: State, caps: list[int]) -> list[tuple[str, State]]:
    """Every step from ``state`` that changes it, as (step text, next state)."""
    out = []
    for i, have in enumerate(state):
        if have < caps[i]:
            out.append((FILL[i], state[:i] + (caps[i],) + state[i + 1:]))
        if not have:
            continue
        out.append((EMPTY[i], state[:i] + (0,) + state[i + 1:]))
        for j, room in enumerate(caps):
            moved = min(have, room - state[j]) if j != i else 0
            if moved:
                nxt = list(state)
                nxt[i] -= moved
                nxt[j] += moved
                out.append((POUR[i][j], tuple(nxt)))
    return out


def explore(start: State, caps: list[int]) -> tuple[dict[State, tuple[State, str] | None], dict[State, int]]:
    """Breadth-first search from ``start``: each reachable state's parent link, and its depth
    (in BFS order, so depths never decrease)."""
    parent: dict[State, tuple[State, str] | None] = {start: None}
    depth, queue = {start: 0}, deque([start])
    while queue:
        state = queue.popleft()
        for step, nxt in successors(state, caps):
            if nxt not in parent:
                parent[nxt] = (state, step)
                depth[nxt] = depth[state] + 1
                queue.append(nxt)
    return parent, depth


def plan_to(state: State, parent: dict) -> list[str]:
    """The steps from the search's start to ``state``."""
    steps = []
    while parent[state] is not None:
        state, step = parent[state]
        steps.append(step)
    return steps[::-1]


@register
class WaterJugs(Task):
    """Measure an exact amount with unmarked jugs in the fewest fill/empty/pour steps."""

    name, family, version = "water_jugs", "search", 1
    unique_answer = False
    chance = 0.06
    knobs = Knobs(
        # two jugs admit too few distinct plans, a fourth makes plans shorter, not harder: the
        # levels grow capacities and steps with three
        jugs=Knob(int, levels=[3] * 10, lo=2, hi=4, help="jugs"),
        capacity=Knob(int, levels=[10, 11, 12, 13, 14, 15, 17, 18, 20, 20], lo=3, hi=20,
                      help="largest capacity a jug may have"),
        min_steps=Knob(int, levels=[3, 4, 5, 5, 6, 6, 6, 7, 7, 7], lo=1, hi=30,
                       help="fewest steps the optimal plan must take"),
        infeasible=Knob(float, levels=[0.05, 0.05] + [0.04] * 8, lo=0.0, hi=0.05,
                        help="share of instances with no plan (answer 'impossible')"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        # the kind is drawn once, and candidates of that kind are redrawn here: rejections
        # would otherwise skew the infeasible share towards the kind that rarely fails
        infeasible = bool(rng.random() < p.infeasible)
        for _ in range(500):
            problem = self._candidate(rng, p, infeasible)
            if problem is not None:
                return problem
        raise Reject("no instance of this kind found")

    def _candidate(self, rng: np.random.Generator, p: Params, infeasible: bool) -> Problem | None:
        # a shared factor also in some feasible instances, so "even capacities" is no giveaway
        factor = int(rng.integers(2, 4)) if infeasible or rng.random() < 0.25 else 1
        if p.capacity // factor < p.jugs:
            return None
        sizes = rng.choice(np.arange(1, p.capacity // factor + 1), p.jugs, replace=False)
        caps = [int(s) * factor for s in sizes]  # unsorted: no jug letter has a fixed role
        if min(caps) < 2:
            return None  # a 1-litre jug measures anything
        # empty jugs (the longer plans), or random starting amounts (more variety); multiples
        # of the factor either way, which is what makes a target that is not one impossible
        empty = rng.random() < 0.1
        start = tuple(0 if empty else int(rng.integers(0, c // factor + 1)) * factor for c in caps)
        parent, depth = explore(start, caps)
        first: dict[int, State] = {}
        for state in depth:  # the first state (BFS order) holding each amount
            for amount in state:
                first.setdefault(amount, state)
        if infeasible:
            missing = [t for t in range(1, max(caps)) if t not in first]
            if not missing:
                return None
            target, plan = int(missing[rng.integers(len(missing))]), None
        else:
            far = [t for t in sorted(first) if t not in start and depth[first[t]] >= p.min_steps]
            if not far:
                return None
            target = int(far[rng.integers(len(far))])
            plan = plan_to(first[target], parent)
        data = {"capacities": caps, "start": list(start), "target": target,
                "optimum": None if plan is None else len(plan)}
        if self.verify(data, EXAMPLE).correct:
            return None  # the prompt's example would solve it
        return Problem(data, IMPOSSIBLE if plan is None else ", ".join(plan), float(len(depth)))

    def context(self, problem: Problem, lang: str) -> dict:
        return dict(example=EXAMPLE, jugs=JUGS, **problem.data)

    def verify(self, problem: dict, answer: str) -> Verdict:
        caps, target, optimum = problem["capacities"], problem["target"], problem["optimum"]
        if is_word(answer, IMPOSSIBLE):
            return Verdict.ok() if optimum is None else Verdict.wrong(f"{target} litres can be measured")
        steps = read_plan(answer, STEP, max_steps=4 * (optimum or 10) + 20)
        if isinstance(steps, Verdict):
            return steps
        amounts = list(problem["start"])
        for k, (verb, a, b) in enumerate(steps, start=1):
            verb, i = verb.lower(), JUGS.index(a.upper())
            j = JUGS.index(b.upper()) if b else None
            if i >= len(caps) or j is not None and (j >= len(caps) or j == i) or (verb == "pour") != (j is not None):
                return Verdict.invalid(f"step {k} is not a step of this puzzle (write fill A, empty A or pour A B)")
            if verb == "fill":
                amounts[i] = caps[i]
            elif verb == "empty":
                amounts[i] = 0
            else:
                moved = min(amounts[i], caps[j] - amounts[j])
                amounts[i], amounts[j] = amounts[i] - moved, amounts[j] + moved
        if optimum is None:
            return Verdict.wrong(f"no plan measures {target} litres")
        if target not in amounts:
            return Verdict.wrong(f"no jug holds {target} litres after the last step", amounts=amounts)
        return judge_length(len(steps), optimum)

    def hardness(self, problem: dict) -> float:
        return float(problem["optimum"] or 2 * len(problem["capacities"]))

    def instance_space(self, spec: dict) -> float | None:
        jugs, cap = int(max(np.atleast_1d(spec["jugs"]))), int(max(np.atleast_1d(spec["capacity"])))
        return float(math.comb(cap - 1, jugs) * (cap / 2) ** jugs * cap)

    def alternative_forms(self, problem: Problem) -> list[str]:
        if problem.answer == IMPOSSIBLE:
            return scalar_forms(IMPOSSIBLE) + ["Impossible", "IMPOSSIBLE"]
        spelled = re.sub(r"pour (\w) (\w)", r"pour \1 into \2", problem.answer)
        return decorated_forms(problem.answer.split(", "), ", ") + [problem.answer.upper(), "\n".join(
            problem.answer.split(", "))] + ([spelled] if spelled != problem.answer else [])

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        if problem.answer == IMPOSSIBLE:
            caps = problem.data["capacities"]
            return ["fill A", f"fill {JUGS[len(caps) - 1]}, pour {JUGS[len(caps) - 1]} A", "none", "0"]
        steps = problem.answer.split(", ")
        wrong = [IMPOSSIBLE, problem.answer + ", " + problem.answer]
        if len(steps) > 1:
            wrong.append(", ".join(steps[:-1]))
        wrong.append(", ".join(steps + ["fill A", "empty A"]))
        return wrong

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        last = JUGS[len(problem["capacities"]) - 1]
        return {"impossible": IMPOSSIBLE, "fill the largest jug": f"fill {last}",
                "fill and pour": f"fill {last}, pour {last} A"}
