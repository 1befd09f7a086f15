"""Graph colouring: give every node one of k colours so that no edge joins two of the same.

Rules: the undirected graph's nodes are named A, B, C, ...; colours are the numbers 1..k;
the answer gives every node exactly one colour, ``A: 1, B: 2, C: 1``, and the two ends of
every edge differ. When no such colouring exists the answer is ``none``. A triangle A, B, C
with a tail C - D and k = 3, and one of its many answers::

    A: 1, B: 2, C: 3, D: 1

How instances are made, and why ``none`` is right exactly when the gold says so:

1. a random graph with ``degree`` · n / 2 edges is drawn (a degree drawn per instance from a
   range around the k-colourability threshold, where colourings are scarce and proofs of none
   are long);
2. python-sat decides whether it is k-colourable. With probability ``infeasible`` an
   uncolourable graph is wanted, else a colourable one; graphs with the same edge count are
   redrawn (up to ``REDRAWS``) until the solver gives the wanted answer: a colouring (the
   gold) or a proof that none exists (UNSAT; the gold is then ``none``). So the edge count,
   drawn before the answer is known, says little about it. Where no redraw gives the wanted
   answer, the last graph gains (or loses) random edges until the solver does.

Any proper colouring scores 1 (``unique_answer`` is False): ``verify`` checks each edge, never
a gold string. ``effort`` is the solver's conflicts and decisions on the graph kept; ``hardness``
counts nodes plus edges, times k − 1.
"""

from __future__ import annotations

import math
import re

import numpy as np

from synlog.errors import KnobError
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, answer_lines, decorated_forms
from synlog.tasks.common.graph_sat import find_coloring, says
from synlog.tasks.common.graphs import node_names
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: longest answer read; 26 nodes as "AB: 4, " is under 200 characters
MAX_CHARS = 2_000
#: graphs with the drawn edge count tried for the wanted answer before one is adjusted edge by edge
REDRAWS = 30
_ITEM = re.compile(r"([A-Za-z]{1,3})\s*[:=]\s*(\d{1,3})")


@register
class GraphColoring(Task):
    """Colour a graph's nodes with k colours so that no edge joins equal colours (or none)."""

    name, family, version = "graph_coloring", "graph", 1
    knobs = Knobs(
        nodes=Knob(int, levels=[6, 7, 8, 10, 12, 14, 12, 14, 16, 20], lo=3, hi=26, help="nodes in the graph"),
        colours=Knob(int, levels=[3, 3, 3, 3, 3, 3, 4, 4, 4, 4], lo=2, hi=6, help="colours allowed (k)"),
        degree=Knob(float, levels=[(2.8, 3.6), (2.9, 3.7), (2.9, 3.8), (2.9, 3.9), (3.0, 4.0), (3.1, 4.1),
                                   (4.9, 5.9), (5.2, 6.2), (5.5, 6.5), (5.9, 6.9)], lo=0.0, hi=20.0,
                    help="average degree of the graph drawn before the threshold adjustment (drawn per"
                         " instance, so the edge count says little about the answer)"),
        infeasible=Knob(float, levels=[0.08, 0.08, 0.04, 0.04, 0.04, 0.03, 0.03, 0.03, 0.03, 0.03],
                        lo=0.0, hi=1.0, help="share of instances with no colouring (answer 'none')"),
    )
    unique_answer = False
    # answering "none" everywhere earns the infeasible share, at most 8 %
    chance = 0.08

    def check_params(self, p: Params) -> None:
        if p.nodes <= p.colours:
            raise KnobError(f"{p.nodes} nodes can always take {p.colours} different colours;"
                            f" set nodes above colours")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n, k = p.nodes, p.colours
        every = [(u, v) for u in range(n) for v in range(u + 1, n)]
        count = min(round(p.degree * n / 2), len(every))
        want_none = bool(rng.random() < p.infeasible)
        # effort is the work of deciding the graph finally kept: redraws say how rare the wanted
        # class is at this level (most at level 1, where "none" is most common), not how hard
        # the instance is
        for _ in range(REDRAWS):  # same edge count, fresh edges: the count tells nothing
            pairs = [every[i] for i in rng.permutation(len(every)).tolist()]
            present, absent = pairs[:count], pairs[count:]
            colouring, spent = find_coloring(n, present, k)
            if (colouring is None) == want_none:
                break
        while (colouring is None) != want_none:  # rare: walk the last graph to the threshold
            if want_none:  # colourable: one more edge (the complete graph is never k-colourable)
                present.append(absent.pop())
            else:  # not colourable: one edge fewer (no edges at all is always colourable)
                present.pop(int(rng.integers(len(present))))
            colouring, spent = find_coloring(n, present, k)
        effort = spent + 1.0
        names = node_names(n)
        order = rng.permutation(len(present)).tolist()
        edges = [[names[present[i][0]], names[present[i][1]]] for i in order]
        edges = [edge if rng.random() < 0.5 else edge[::-1] for edge in edges]
        gold = "none" if colouring is None else ", ".join(f"{names[v]}: {c + 1}" for v, c in enumerate(colouring))
        return Problem({"nodes": names, "colours": k, "edges": edges, "exists": colouring is not None}, gold, effort)

    def context(self, problem: Problem, lang: str) -> dict:
        data = problem.data
        return {"nodes": data["nodes"], "k": data["colours"], "edges": [f"{a} - {b}" for a, b in data["edges"]]}

    def verify(self, problem: dict, answer: str) -> Verdict:
        if not isinstance(answer, str) or len(answer) > MAX_CHARS:
            return Verdict.invalid(f"answer longer than {MAX_CHARS} characters")
        if says(answer, "none"):
            return Verdict.wrong("a proper colouring exists") if problem["exists"] else Verdict.ok()
        try:
            colour = read_colouring(answer, problem["nodes"], problem["colours"])
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        for a, b in problem["edges"]:
            if colour[a] == colour[b]:
                return Verdict.wrong(f"{a} and {b} are joined by an edge and both have colour {colour[a]}")
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        if problem.answer == "none":
            return decorated_forms(["none"]) + ["None", "NONE"]
        items = problem.answer.split(", ")
        return [*decorated_forms(items, ", "), "\n".join(items), "; ".join(items),
                ", ".join(item.replace(": ", "=") for item in items), ", ".join(reversed(items))]

    def forbidden_forms(self, problem: Problem) -> list[str]:
        # the colours alone, in node order, without the names the prompt asks for
        if problem.answer == "none":
            return []
        return [", ".join(item.split(": ")[1] for item in problem.answer.split(", "))]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        data = problem.data
        if problem.answer == "none":
            return [", ".join(f"{name}: {1 + i % data['colours']}" for i, name in enumerate(data["nodes"]))]
        colour = dict(item.split(": ") for item in problem.answer.split(", "))
        first = next(iter(colour))
        wrongs = [{**colour, first: str(data["colours"] + 1)}, dict(list(colour.items())[:-1])]
        if data["edges"]:  # one end of an edge takes the other end's colour
            a, b = data["edges"][int(rng.integers(len(data["edges"])))]
            wrongs.append({**colour, a: colour[b]})
        return [", ".join(f"{v}: {c}" for v, c in wrong.items()) for wrong in wrongs] + ["none"]

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        names, k = problem["nodes"], problem["colours"]
        return {"every node colour 1": ", ".join(f"{v}: 1" for v in names),
                "colours in turn": ", ".join(f"{v}: {1 + i % k}" for i, v in enumerate(names))}

    def hardness(self, problem: dict) -> float:
        return float((len(problem["nodes"]) + len(problem["edges"])) * (problem["colours"] - 1))

    def instance_space(self, spec: dict) -> float | None:
        # labelled graphs with the drawn edge count: an estimate (the adjustment moves it a little)
        n, degree = spec["nodes"], spec["degree"]
        if isinstance(n, tuple):
            return None
        degree = degree[0] if isinstance(degree, tuple) else degree  # the sparsest draw: a low estimate
        return float(math.comb(n * (n - 1) // 2, min(round(degree * n / 2), n * (n - 1) // 2)))


def read_colouring(text: str, nodes: list[str], k: int) -> dict[str, int]:
    """``Name: colour`` items (commas, semicolons or lines between them), every node once,
    colours 1..k; raises AnswerError saying what is wrong."""
    by_lower = {name.lower(): name for name in nodes}
    items = [item for item in re.split(r"\s*[,;\n]\s*", "\n".join(answer_lines(text))) if item]
    if not items:
        raise AnswerError("expected 'A: 1, B: 2, ...' or 'none'")
    colour: dict[str, int] = {}
    for item in items[: len(nodes) + 1]:
        match = _ITEM.fullmatch(item.strip())
        if match is None:
            raise AnswerError(f"expected 'Node: colour' such as 'A: 2', got {item.strip()[:30]!r}")
        name = by_lower.get(match.group(1).lower())
        if name is None:
            raise AnswerError(f"{match.group(1)!r} is not a node of the graph")
        if name in colour:
            raise AnswerError(f"{name} is coloured twice")
        value = int(match.group(2))
        if not 1 <= value <= k:
            raise AnswerError(f"colour {value} of {name} is not one of 1..{k}")
        colour[name] = value
    if len(items) > len(nodes):
        raise AnswerError(f"more than {len(nodes)} items; colour each node once")
    missing = [name for name in nodes if name not in colour]
    if missing:
        raise AnswerError(f"{len(missing)} node(s) have no colour, e.g. {missing[0]}")
    return colour
