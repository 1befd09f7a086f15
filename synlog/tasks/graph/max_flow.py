"""Maximum flow: send as much as possible from a source to a sink through capacitated pipes.

A tiny example (source S, sink T, capacities in brackets)::

    S -> A (3), S -> B (2), A -> B (2), A -> T (2), B -> T (3)
    answer:  value: 5
             S->A: 3
             S->B: 2
             A->B: 1
             A->T: 2
             B->T: 3

The answer is the flow's value and the flow itself, one edge per line (an edge left out
carries 0). Maximum flows are rarely unique, so any flow that attains the maximum scores 1
(``unique_answer`` is False). The verifier checks the rules: every edge named exists, no flow
exceeds its capacity, every node but the source and sink passes on exactly what it receives,
the stated value is the net flow out of the source, and that value equals the maximum that
Edmonds-Karp found at generation. A valid flow below the maximum scores 0 with
``fraction = value / maximum``.

The network is a random DAG-like web in which every node lies on some source-to-sink route,
with a few backward pipes. From level 3 the bottleneck is inside the network: the maximum is
below both the source's total outgoing and the sink's total incoming capacity, so neither
simple bound is the answer. Levels grow the network and its capacities.
"""

from __future__ import annotations

import math
import re
from collections import deque

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, answer_lines, decorated_forms
from synlog.tasks.common.graphs import (
    bounded_answer,
    edge_lines,
    largest,
    parse_edge_values,
    pick_node_names,
    refused,
)
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

_VALUE = re.compile(r"value\s*[:=]\s*(\d{1,12})", re.I)


def edmonds_karp(n: int, edges: list, source: int, sink: int) -> tuple[int, list[int], int]:
    """The maximum flow's value, the flow on each edge (in ``edges`` order) and the augmenting
    paths found (shortest first, by breadth-first search on the residual network)."""
    residual = [[0] * n for _ in range(n)]
    for u, v, c in edges:
        residual[u][v] += c
    value = paths = 0
    while True:
        parent = [-1] * n
        parent[source] = source
        queue = deque([source])
        while queue and parent[sink] < 0:
            u = queue.popleft()
            for v in range(n):
                if parent[v] < 0 and residual[u][v] > 0:
                    parent[v] = u
                    queue.append(v)
        if parent[sink] < 0:
            break
        push, v = math.inf, sink
        while v != source:
            push, v = min(push, residual[parent[v]][v]), parent[v]
        v = sink
        while v != source:
            residual[parent[v]][v] -= push
            residual[v][parent[v]] += push
            v = parent[v]
        value, paths = value + push, paths + 1
    # no two edges join the same pair either way round, so an edge's flow is what it lost
    return value, [c - residual[u][v] for u, v, c in edges], paths


def flow_network(rng: np.random.Generator, n: int, extra: int, backward: int, max_cap: int) -> list:
    """Edges ``(u, v, capacity)`` on nodes 0 (source) .. n - 1 (sink): every middle node gets a pipe
    in from an earlier node and out to a later one, then ``extra`` forward and ``backward``
    backward pipes join random middle pairs; never two pipes between the same two nodes."""
    pairs: set[tuple[int, int]] = set()
    for v in range(1, n - 1):
        pairs.add((int(rng.integers(0, v)), v))
        pairs.add((v, int(rng.integers(v + 1, n))))
    for count, forward in ((extra, True), (backward, False)):
        for _ in range(count * 4):
            if count <= 0:
                break
            a, b = sorted(rng.choice(n, 2, replace=False).tolist())
            if not forward and (a == 0 or b == n - 1):
                continue
            edge = (a, b) if forward else (b, a)
            if (a, b) not in pairs and (b, a) not in pairs:
                pairs.add(edge)
                count -= 1
    edges = [(u, v, int(rng.integers(1, max_cap + 1))) for u, v in sorted(pairs)]
    return [edges[i] for i in rng.permutation(len(edges)).tolist()]


def parse_answer(text: str, names: list[str]) -> tuple[int, dict[tuple[str, str], int]]:
    """``value: N`` on one line, then ``X->Y: f`` lines (or items separated by commas)."""
    lines = answer_lines(bounded_answer(text))
    values = [m for line in lines if (m := _VALUE.fullmatch(line))]
    if len(values) != 1:
        raise AnswerError("expected one line 'value: <number>' and then lines 'X->Y: <flow>'")
    rest = [line for line in lines if not _VALUE.fullmatch(line)]
    flows = parse_edge_values("\n".join(rest), names, directed=True) if rest else {}
    return int(values[0].group(1)), flows


@register
class MaxFlow(Task):
    """Give a maximum flow from source to sink in a capacitated network: its value and the flow."""

    name, family, version = "max_flow", "graph", 1
    unique_answer = False
    knobs = Knobs(
        nodes=Knob(int, levels=[4, 5, 6, 7, 8, 9, 10, 12, 14, 16], lo=4, hi=40, help="nodes, source and sink included"),
        extra=Knob(float, levels=[.3, .4, .5, .6, .7, .8, .9, 1.0, 1.1, 1.2], lo=0, hi=3,
                   help="forward pipes beyond the two per middle node, per node"),
        backward=Knob(int, levels=[0, 0, 1, 1, 1, 2, 2, 2, 3, 3], lo=0, hi=10, help="pipes pointing back"),
        max_capacity=Knob(int, levels=[5, 6, 8, 9, 10, 12, 14, 16, 18, 20], lo=1, hi=10_000,
                          help="largest pipe capacity"),
        inner_cut=Knob(bool, levels=[False, False] + [True] * 8,
                       help="the maximum is below the source's outgoing and the sink's incoming total"),
    )

    def context(self, problem: Problem, lang: str) -> dict:
        data = dict(problem.data)
        if lang == "zh":  # "A -> B (capacity 4)" becomes "A -> B（容量 4）"
            data["lines"] = [re.sub(r" \(capacity (\d+)\)$", r"（容量 \1）", line) for line in data["lines"]]
        return data

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n = p.nodes
        for _ in range(50):
            edges = flow_network(rng, n, round(p.extra * n), p.backward, p.max_capacity)
            value, flows, paths = edmonds_karp(n, edges, 0, n - 1)
            out_of_source = sum(c for u, _, c in edges if u == 0)
            into_sink = sum(c for _, v, c in edges if v == n - 1)
            if not p.inner_cut or value < min(out_of_source, into_sink):
                break
        else:
            raise Reject("the bottleneck stays at the source or the sink")
        names = pick_node_names(rng, n)
        order = rng.permutation(n).tolist()  # the source is not always the first letter
        names = [names[k] for k in order]
        source, sink = names[0], names[n - 1]
        middle = names[1 + int(rng.integers(n - 2))]
        data = {
            "nodes": sorted(names), "source": source, "sink": sink,
            "edges": [[names[u], names[v], c] for u, v, c in edges],
            "lines": edge_lines(edges, names, "capacity", directed=True), "optimum": value,
            # a format example that breaks conservation at a middle node, so it is never a flow
            "example": f"value: 3\n{source}->{middle}: 3",
        }
        used = sorted((f"{names[u]}->{names[v]}: {f}" for (u, v, _), f in zip(edges, flows, strict=True) if f))
        # effort: Edmonds-Karp's searches on the network kept (earlier networks only filter)
        return Problem(data, "\n".join([f"value: {value}"] + used), float((paths + 1) * (n + len(edges))))

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            stated, flows = parse_answer(answer, problem["nodes"])
        except AnswerError as error:
            return refused(error)
        capacity = {(u, v): c for u, v, c in problem["edges"]}
        balance = dict.fromkeys(problem["nodes"], 0)
        for (u, v), f in flows.items():
            if (u, v) not in capacity:
                return Verdict.invalid(f"there is no pipe {u}->{v}")
            if f > capacity[(u, v)]:
                return Verdict.invalid(f"{f} on {u}->{v} exceeds its capacity {capacity[(u, v)]}")
            balance[u] -= f
            balance[v] += f
        for node, net in balance.items():
            if node not in (problem["source"], problem["sink"]) and net:
                return Verdict.invalid(f"{node} receives and sends different amounts ({net:+d})")
        value = -balance[problem["source"]]
        if stated != value:
            return Verdict.wrong(f"the listed flow has value {value}, not {stated}")
        if value != problem["optimum"]:
            fraction = max(value, 0) / problem["optimum"]
            return Verdict.wrong("a valid flow, but not a maximum one", fraction=fraction,
                                 optimum=problem["optimum"], value=value)
        return Verdict.ok()

    def hardness(self, problem: dict) -> float:
        """The network's size as Edmonds-Karp meets it: nodes times pipes (one search per augmenting path)."""
        return float(len(problem["nodes"]) * len(problem["edges"]))

    def instance_space(self, spec: dict) -> float | None:
        n, cap = largest(spec["nodes"]), largest(spec["max_capacity"])
        m = 2 * (n - 2) + round(largest(spec["extra"]) * n) + largest(spec["backward"])
        return float(math.exp(min(m * math.log(max(cap, 2)) + 2 * (n - 2) * math.log(n), 700)))

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Every pipe at capacity; the source's total outgoing capacity with no flow listed."""
        full = "\n".join(f"{u}->{v}: {c}" for u, v, c in problem["edges"])
        out = sum(c for u, _, c in problem["edges"] if u == problem["source"])
        return {"every pipe full": f"value: {out}\n{full}", "source's capacity": f"value: {out}"}

    def alternative_forms(self, problem: Problem) -> list[str]:
        lines = problem.answer.split("\n")
        if not lines[0].startswith("value: "):
            return decorated_forms(lines)
        spaced = [line.replace("->", " -> ") for line in lines]
        return decorated_forms(lines) + ["\n".join(spaced), "\n".join(lines[1:] + lines[:1]),
                                         lines[0] + "\n" + ", ".join(lines[1:]), "\n".join(lines).replace(":", " =")]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        lines = problem.answer.split("\n")
        value = int(lines[0][7:])
        wrong = [f"value: {value + 1}\n" + "\n".join(lines[1:]), lines[0], "\n".join(lines[1:]),
                 "\n".join(lines[:-1]), problem.answer + "\n" + problem.answer, "value: 0"]
        if len(lines) > 1:
            edge, flow = lines[1].rsplit(": ", 1)
            wrong.append("\n".join([lines[0], f"{edge}: {int(flow) + 1}"] + lines[2:]))
        return wrong
