"""Course schedule: order courses so that each comes after all of its prerequisites.

Rules: every course is taken once, one after another; a course may be taken only after every
course it requires. The answer is all the courses in a valid order, ``B, A, D, C``, or
``impossible`` when the requirements go round in a circle. A 4-course example, D requires A
and C, C requires B, and one of its answers (A could also come later)::

    A, B, C, D

How instances are made, and why ``impossible`` is right exactly when the gold says so:

1. the courses are put in a hidden random order and each later course draws up to
   ``prereqs`` requirements among the ``window`` courses just before it (a few draw none),
   so the requirement graph has long chains and few valid orders;
2. with probability ``infeasible`` one requirement closes a circle: two courses are picked
   whose shortest chain of requirements has ``cycle`` - 1 steps (breadth-first search), and
   the chain's last course is made to require the first, so the shortest circle has exactly
   ``cycle`` courses. The generator proves the circle by finding it (a depth-first search
   with three node states), and Kahn's algorithm confirms that no order remains.

Any valid order scores 1 (``unique_answer`` is False): ``verify`` itself decides feasibility
with Kahn's algorithm and checks every requirement of the answer, never a gold string; the
gold is the order Kahn's algorithm gives, earliest name first. ``effort`` counts the nodes and
edges the searches touch; ``hardness`` counts courses plus requirements.
"""

from __future__ import annotations

import heapq
import math

import numpy as np

from synlog.errors import KnobError, Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, decorated_forms
from synlog.tasks.common.graph_sat import says
from synlog.tasks.common.graphs import node_names, parse_path
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: longest answer read; 26 courses with two-letter names is under 200 characters
MAX_CHARS = 2_000
#: chance that a course (other than the first of the hidden order) has no prerequisites
NO_PREREQS = 0.1
#: requirement graphs drawn for an impossible instance before the candidate is dropped
DRAWS = 20


@register
class CourseSchedule(Task):
    """Order courses so every prerequisite comes first, or say the requirements are circular."""

    name, family, version = "course_schedule", "graph", 1
    knobs = Knobs(
        courses=Knob(int, levels=[6, 7, 8, 10, 12, 14, 16, 18, 20, 24], lo=3, hi=26, help="number of courses"),
        prereqs=Knob(int, levels=[2, 2, 2, 2, 3, 3, 3, 3, 3, 3], lo=1, hi=6, help="most requirements per course"),
        window=Knob(int, levels=[3, 3, 3, 4, 4, 4, 5, 5, 6, 6], lo=1, hi=25,
                    help="how many courses back (in the hidden order) a requirement may reach"),
        cycle=Knob(int, levels=[3, 3, 3, 4, 4, 5, 5, 6, 6, 7], lo=2, hi=20,
                   help="length of the circle of requirements in an impossible instance"),
        infeasible=Knob(float, levels=[0.08, 0.08, 0.04, 0.04, 0.04, 0.03, 0.03, 0.03, 0.03, 0.03],
                        lo=0.0, hi=1.0, help="share of instances with circular requirements (answer 'impossible')"),
    )
    unique_answer = False
    # answering "impossible" everywhere earns the infeasible share, at most 8 %
    chance = 0.08

    def check_params(self, p: Params) -> None:
        if p.cycle > p.courses:
            raise KnobError(f"a circle of {p.cycle} requirements needs at least {p.cycle} courses; set courses higher")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n = p.courses
        circular = bool(rng.random() < p.infeasible)
        effort = float(n)
        for _ in range(DRAWS):  # redraw the graph, never the decision, so the share stays as set
            requires = _requirements(rng, n, p.prereqs, p.window)
            ends = _circle_ends(rng, requires, p.cycle, p.prereqs) if circular else None
            if ends is not None or not circular:
                break
        else:
            raise Reject(f"no chain of {p.cycle - 1} requirements to close into a circle")
        if ends is not None:
            first, last = ends
            requires[last].add(first)
            circle, spent = find_circle(requires)
            effort += spent
            if circle is None:
                raise Reject("no circle found after closing one")
        order, spent = kahn_order(requires)
        effort += spent
        names = node_names(n)
        listed = [v for v in rng.permutation(n).tolist() if requires[v]]
        rules = [[names[v], sorted(names[u] for u in requires[v])] for v in listed]
        gold = "impossible" if order is None else ", ".join(names[v] for v in order)
        return Problem({"courses": names, "requires": rules}, gold, effort)

    def context(self, problem: Problem, lang: str) -> dict:
        data = problem.data
        return {"courses": data["courses"], "rules": data["requires"]}

    def verify(self, problem: dict, answer: str) -> Verdict:
        if not isinstance(answer, str) or len(answer) > MAX_CHARS:
            return Verdict.invalid(f"answer longer than {MAX_CHARS} characters")
        names = problem["courses"]
        index = {name: k for k, name in enumerate(names)}
        requires = {v: set() for v in range(len(names))}
        for course, needs in problem["requires"]:
            requires[index[course]] = {index[u] for u in needs}
        possible = kahn_order(requires)[0] is not None
        if says(answer, "impossible"):
            return Verdict.wrong("the courses can be ordered") if possible else Verdict.ok()
        try:
            order = parse_path(answer, names)
        except AnswerError as error:
            return Verdict.unparseable(f"{error}; expected e.g. 'A, C, B' or 'impossible'")
        position: dict[str, int] = {}
        for k, name in enumerate(order):
            if name in position:
                return Verdict.wrong(f"{name} is taken twice")
            position[name] = k
        if len(order) != len(names):
            missing = [name for name in names if name not in position]
            return Verdict.wrong(f"{len(missing)} course(s) never taken, e.g. {missing[0]}")
        for course, needs in problem["requires"]:
            for need in needs:
                if position[need] > position[course]:
                    return Verdict.wrong(f"{course} is taken before its prerequisite {need}")
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        gold = problem.answer
        if gold == "impossible":
            return decorated_forms(["impossible"]) + ["Impossible", "IMPOSSIBLE"]
        items = gold.split(", ")
        return [" -> ".join(items), "\n".join(items), ",".join(items), gold.lower(), *decorated_forms([gold])]

    def forbidden_forms(self, problem: Problem) -> list[str]:
        # the names separated by spaces only, or numbered by position: the prompt asks for commas
        if problem.answer == "impossible":
            return []
        items = problem.answer.split(", ")
        return [" ".join(items), ", ".join(f"{k}: {item}" for k, item in enumerate(items, start=1))]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        names = problem.data["courses"]
        if problem.answer == "impossible":
            return [", ".join(names), ", ".join(reversed(names))]
        items = problem.answer.split(", ")
        candidates = [", ".join(items[:-1]), ", ".join(items + items[:1]), ", ".join(reversed(items)), "impossible"]
        if problem.data["requires"]:  # a course moved just before one of its prerequisites
            course, needs = problem.data["requires"][int(rng.integers(len(problem.data["requires"])))]
            early = [x for x in items if x != course]
            early.insert(early.index(needs[0]), course)
            candidates.append(", ".join(early))
        return [c for c in candidates if self.verify(problem.data, c).score < 1]

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        names = problem["courses"]
        mentioned = list(dict.fromkeys(name for course, needs in problem["requires"] for name in [course, *needs]))
        mentioned += [name for name in names if name not in mentioned]
        return {"always impossible": "impossible", "alphabetical order": ", ".join(names), "reverse alphabetical order": ", ".join(reversed(names)),
                "order of first mention": ", ".join(mentioned),
                "order of first mention, reversed": ", ".join(reversed(mentioned))}

    def hardness(self, problem: dict) -> float:
        return float(len(problem["courses"]) + sum(len(needs) for _, needs in problem["requires"]))

    def instance_space(self, spec: dict) -> float | None:
        # hidden orders times requirement choices, over a factor n for orders that give the same
        # graph (several valid orders): a rough, low estimate
        n, most, window = spec["courses"], spec["prereqs"], spec["window"]
        if any(isinstance(x, tuple) for x in (n, most, window)):
            return None
        choices = 1.0
        for i in range(1, n):
            room = min(i, window)
            choices *= sum(math.comb(room, c) for c in range(min(most, room) + 1))
        return math.factorial(n) * choices / n


def _requirements(rng: np.random.Generator, n: int, most: int, window: int) -> dict[int, set[int]]:
    """Course -> the courses it requires: a hidden random order, each course drawing up to
    ``most`` requirements among the ``window`` courses before it (or, now and then, none)."""
    hidden = rng.permutation(n).tolist()
    requires: dict[int, set[int]] = {v: set() for v in range(n)}
    for i in range(1, n):
        earlier = hidden[max(0, i - window):i]
        # a few courses need nothing, so a single free course never marks the first one
        count = 0 if rng.random() < NO_PREREQS else int(rng.integers(1, min(most, len(earlier)) + 1))
        requires[hidden[i]] = {int(x) for x in rng.choice(earlier, count, replace=False)}
    return requires


def _circle_ends(rng: np.random.Generator, requires: dict[int, set[int]], length: int,
                 most: int) -> tuple[int, int] | None:
    """Two courses whose shortest chain of requirements (first requires ... requires last) has
    ``length`` - 1 steps, so making ``last`` require ``first`` closes a circle of exactly
    ``length`` and no shorter one (breadth-first search from each start in random order);
    ``last`` has fewer than ``most`` requirements where any chain allows it, so its new one
    rarely shows as one too many. None when no chain is that long."""
    fallback: list[tuple[int, int]] | None = None
    for first in rng.permutation(len(requires)).tolist():
        distance, frontier = {first: 0}, [first]
        for step in range(1, length):
            frontier = [u for v in frontier for u in sorted(requires[v]) if u not in distance]
            frontier = list(dict.fromkeys(frontier))
            distance.update(dict.fromkeys(frontier, step))
        roomy = [u for u in frontier if len(requires[u]) < most]
        if roomy:
            return first, roomy[int(rng.integers(len(roomy)))]
        fallback = fallback or ([(first, u) for u in frontier] if frontier else None)
    if fallback:  # every chain ends at a full course: let one take a requirement more
        return fallback[int(rng.integers(len(fallback)))]
    return None


def kahn_order(requires: dict[int, set[int]]) -> tuple[list[int] | None, float]:
    """A valid order (smallest available course first), or None when a circle blocks it;
    and the nodes plus edges touched."""
    waiting = {v: len(needs) for v, needs in requires.items()}
    unlocks: dict[int, list[int]] = {v: [] for v in requires}
    for v, needs in requires.items():
        for u in needs:
            unlocks[u].append(v)
    ready = [v for v, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    order: list[int] = []
    work = 0
    while ready:
        u = heapq.heappop(ready)
        order.append(u)
        for v in unlocks[u]:
            work += 1
            waiting[v] -= 1
            if waiting[v] == 0:
                heapq.heappush(ready, v)
    return (order if len(order) == len(requires) else None), float(len(order) + work)


def find_circle(requires: dict[int, set[int]]) -> tuple[list[int] | None, float]:
    """A circle of requirements (each course requires the next, the last the first), found by
    an iterative depth-first search with white/grey/black states; None when there is none."""
    state = dict.fromkeys(requires, 0)  # 0 unseen, 1 on the current path, 2 finished
    work = 0
    for root in requires:
        if state[root]:
            continue
        path, stack = [root], [iter(sorted(requires[root]))]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            work += 1
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state[nxt] == 1:
                return path[path.index(nxt):], float(work)
            elif state[nxt] == 0:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(requires[nxt])))
    return None, float(work)
