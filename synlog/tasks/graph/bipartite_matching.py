"""Bipartite matching: give as many people as possible a job each, from the jobs they can do.

A tiny example::

    Ann can do: bake, drive      Bob can do: bake      Cy can do: bake
    answer: Ann-drive, Bob-bake        (2 pairs; Cy and Bob cannot both bake)

A matching pairs a person with a job they can do, never using a person or a job twice; the
answer is a matching of the largest possible size. Several maximum matchings usually exist and
any of them scores 1 (``unique_answer`` is False): the verifier checks that every pair is
allowed, nobody and no job is used twice, and the size equals the maximum that augmenting
paths (Kuhn's algorithm) found at generation. A valid smaller matching scores 0 with
``fraction = size / maximum``.

The greedy matching (each person in the listed order takes their first free
job) falls short of the maximum, so an augmenting path has to be found; levels grow both
sides, and the jobs may outnumber the people or be too few for them.
"""

from __future__ import annotations

import math

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, decorated_forms, is_none
from synlog.tasks.common.graphs import bounded_answer, largest, parse_edge_list, refused
from synlog.tasks.common.names import NAMES, pick_names
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

JOBS = ("bake", "cook", "drive", "paint", "weld", "sew", "teach", "plumb", "garden", "type", "sing", "fish",
        "carve", "brew", "knit", "sail", "farm", "guard", "tutor", "cater", "print", "mend", "clean", "code",
        "draw", "film", "nurse", "ride", "sort", "tile")


def max_matching(can_do: list[list[int]], jobs: int) -> tuple[list[int], int]:
    """Kuhn's augmenting paths: ``holder[job]`` (a person or -1) and the search steps taken."""
    holder, steps = [-1] * jobs, 0

    def augment(person: int, seen: list[bool]) -> bool:
        nonlocal steps
        for job in can_do[person]:
            steps += 1
            if not seen[job]:
                seen[job] = True
                if holder[job] < 0 or augment(holder[job], seen):
                    holder[job] = person
                    return True
        return False

    for person in range(len(can_do)):
        augment(person, [False] * jobs)
    return holder, steps


def greedy_size(can_do: list[list[int]]) -> int:
    """The size of the matching where each person in turn takes their first free job."""
    taken: set[int] = set()
    for jobs in can_do:
        free = [job for job in jobs if job not in taken]
        if free:
            taken.add(free[0])
    return len(taken)


@register
class BipartiteMatching(Task):
    """Match as many people as possible to distinct jobs they can do (a maximum matching)."""

    name, family, version = "bipartite_matching", "graph", 1
    unique_answer = False
    knobs = Knobs(
        people=Knob(int, levels=[3, 4, 5, 5, 6, 7, 8, 9, 10, 12], lo=2, hi=30, help="people on the left side"),
        spare_jobs=Knob(int, levels=[(0, 1), (0, 1), (-1, 1), (-1, 1), (-1, 2), (-2, 2), (-2, 2), (-2, 2),
                                     (-2, 3), (-3, 3)], lo=-5, hi=10,
                        help="jobs minus people (negative: too few jobs for everyone)"),
        skills=Knob(float, levels=[1.7, 1.8, 2.0, 2.0, 2.2, 2.3, 2.4, 2.5, 2.6, 2.7], lo=1, hi=6,
                    help="mean number of jobs each person can do"),
        greedy_fails=Knob(bool, levels=[True] * 10,
                          help="taking each person's first free job in the listed order is not maximum"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        people, jobs = p.people, max(2, p.people + p.spare_jobs)
        for _ in range(100):
            can_do = []
            for _ in range(people):
                count = int(np.clip(rng.poisson(p.skills - 1) + 1, 1, jobs))
                can_do.append(sorted(rng.choice(jobs, count, replace=False).tolist()))
            order = rng.permutation(jobs).tolist()  # the listed order of a person's jobs
            can_do = [sorted(row, key=order.index) for row in can_do]
            holder, steps = max_matching(can_do, jobs)
            size = sum(h >= 0 for h in holder)
            if not p.greedy_fails or greedy_size(can_do) < size:
                break
        else:
            raise Reject("greedy matching keeps finding the maximum")
        names = sorted(pick_names(rng, people), key=NAMES.index)
        titles = [JOBS[k] for k in rng.choice(len(JOBS), jobs, replace=False).tolist()]
        allowed = {name: [titles[j] for j in row] for name, row in zip(names, can_do, strict=True)}
        pairs = sorted(f"{names[h]}-{titles[j]}" for j, h in enumerate(holder) if h >= 0)
        # the format example pairs the first person with a job they cannot do: never a matching
        unable = [t for t in titles if t not in allowed[names[0]]]
        other = next((f", {name}-{allowed[name][0]}" for name in names[1:]), "")
        example = f"{names[0]}-{unable[0]}{other}" if unable else f"{names[0]}-{titles[0]}, {names[0]}-{titles[-1]}"
        data = {"people": names, "jobs": sorted(titles), "can_do": allowed, "optimum": size, "example": example}
        # effort: the augmenting-path search on the instance kept (retries only filter)
        return Problem(data, ", ".join(pairs), float(steps + sum(map(len, can_do))))

    def verify(self, problem: dict, answer: str) -> Verdict:
        people, jobs = problem["people"], problem["jobs"]
        try:
            text = bounded_answer(answer)
            pairs = [] if is_none(text) else parse_edge_list(text, people + jobs)
        except AnswerError as error:
            return refused(error)
        used: set[str] = set()
        for person, job in pairs:  # parse_edge_list puts people (listed first) on the left
            if person not in people or job not in jobs:
                return Verdict.invalid(f"{person}-{job} does not pair a person with a job")
            if job not in problem["can_do"][person]:
                return Verdict.invalid(f"{person} cannot do {job}")
            for end in (person, job):
                if end in used:
                    return Verdict.invalid(f"{end} is matched twice")
                used.add(end)
        if len(pairs) != problem["optimum"]:
            return Verdict.wrong("a valid matching, but not a largest one", fraction=len(pairs) / problem["optimum"],
                                 optimum=problem["optimum"], value=len(pairs))
        return Verdict.ok()

    def hardness(self, problem: dict) -> float:
        """Hopcroft-Karp's bound: allowed pairs times the square root of the people."""
        pairs = sum(len(jobs) for jobs in problem["can_do"].values())
        return float(pairs * math.sqrt(len(problem["people"])))

    def instance_space(self, spec: dict) -> float | None:
        people = largest(spec["people"])
        jobs = max(2, people + largest(spec["spare_jobs"]))
        log_space = people * jobs * math.log(2) + math.log(math.comb(len(NAMES), people)) \
            + math.log(math.comb(len(JOBS), jobs))
        return float(math.exp(min(log_space, 700)))

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Everyone paired with their first listed job (jobs clash), and the empty matching."""
        first = ", ".join(f"{person}-{jobs[0]}" for person, jobs in problem["can_do"].items())
        return {"everyone's first job": first, "nobody matched": "none"}

    def alternative_forms(self, problem: Problem) -> list[str]:
        pairs = problem.answer.split(", ") if problem.answer else []
        flipped = ", ".join("-".join(pair.split("-")[::-1]) for pair in pairs)
        return decorated_forms(pairs, ", ") + [flipped, "; ".join(pairs), "\n".join(pairs),
                                               ", ".join(pair.replace("-", " - ") for pair in pairs)]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        pairs = problem.answer.split(", ")
        data = problem.data
        person, job = pairs[0].split("-")
        other_job = next((j for j in data["can_do"][person] if j != job), None)
        wrong = [", ".join(pairs[1:]) or "none", problem.answer + ", " + pairs[0], "none",
                 problem.answer + "\n" + problem.answer]
        if other_job is not None:
            wrong.append(", ".join(pairs + [f"{person}-{other_job}"]))
        unable = [j for j in data["jobs"] if j not in data["can_do"][person]]
        if unable:
            wrong.append(", ".join([f"{person}-{unable[0]}"] + pairs[1:]))
        return wrong
