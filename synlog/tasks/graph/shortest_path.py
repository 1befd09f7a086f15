"""Shortest path: name a cheapest route from S to T in a weighted graph, or ``none``.

A tiny example (undirected, weights in brackets)::

    A - B (2), B - C (2), A - C (5), C - D (1)      from A to D
    answer: A -> B -> C -> D     (length 5; A -> C -> D is 6, valid but not shortest)

Any path of optimal length scores 1, so ``unique_answer`` is False: the verifier walks the
path (it must start at S, end at T, follow existing edges — in their direction when the graph
is directed — and visit no node twice) and compares its length with the optimum Dijkstra
computed at generation. A valid longer path scores 0 with ``fraction = optimum / length``.
A small share of instances have T unreachable from S (proved by the search exhausting S's
component); their answer is ``none``, and ``none`` on a reachable target scores 0.

Levels grow the graph, widen the weights, turn the edges one-way, demand more hops on the
optimal route and (from level 3) make the fewest-hops route strictly longer than the optimum.
"""

from __future__ import annotations

import math
import re

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, is_none, scalar_forms
from synlog.tasks.common.graphs import (
    adjacency,
    bounded_answer,
    dijkstra,
    edge_lines,
    fewest_hops,
    largest,
    optimal_path,
    parse_path,
    pick_node_names,
    random_connected_graph,
    refused,
    tight_hops,
)
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: graphs tried in one generate call before it gives up
ATTEMPTS = 60


def path_length(problem: dict, path: list[str]) -> int | str:
    """The length of ``path`` in the problem's graph, or the reason it is not a path."""
    weight = {}
    for u, v, w in problem["edges"]:
        weight[(u, v)] = w
        if not problem["directed"]:
            weight[(v, u)] = w
    if path[0] != problem["source"] or path[-1] != problem["target"]:
        return f"the path must run from {problem['source']} to {problem['target']}"
    if len(set(path)) != len(path):
        return "the path visits a node twice"
    total = 0
    for u, v in zip(path, path[1:], strict=False):
        if (u, v) not in weight:
            return f"there is no edge {u} -> {v}" if problem["directed"] else f"there is no edge {u} - {v}"
        total += weight[(u, v)]
    return total


@register
class ShortestPath(Task):
    """Name a shortest path between two nodes of a weighted graph (or ``none`` if unreachable)."""

    name, family, version = "shortest_path", "graph", 1
    unique_answer = False
    chance = 0.08
    knobs = Knobs(
        nodes=Knob(int, levels=[5, 6, 8, 10, 12, 14, 16, 19, 22, 26], lo=4, hi=60, help="nodes in the graph"),
        extra=Knob(float, levels=[.4, .5, .6, .7, .8, .9, 1.0, 1.1, 1.2, 1.3], lo=0, hi=3,
                   help="edges beyond a spanning tree, per node"),
        max_weight=Knob(int, levels=[5, 9, 9, 12, 15, 20, 20, 30, 40, 50], lo=1, hi=1000, help="largest edge weight"),
        directed=Knob(bool, levels=[False] * 5 + [True] * 5, help="edges are one-way"),
        min_hops=Knob(int, levels=[2, 2, 3, 3, 3, 4, 4, 5, 5, 6], lo=1, hi=20, help="fewest edges on the optimal route"),
        trap=Knob(bool, levels=[False, False] + [True] * 8,
                  help="the route with the fewest edges is strictly longer than the optimum"),
        infeasible=Knob(float, levels=[.06, .06, .03, .03, .03, .03, .03, .03, .03, .03], lo=0, hi=.08,
                        help="share of instances whose target is unreachable (answer none)"),
    )

    def context(self, problem: Problem, lang: str) -> dict:
        data = dict(problem.data)
        if lang == "zh":  # "A -> B (weight 4)" becomes "A -> B（权重 4）"
            data["lines"] = [re.sub(r" \(weight (\d+)\)$", r"（权重 \1）", line) for line in data["lines"]]
        return data

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n, directed = p.nodes, p.directed
        # the share of unreachable targets is drawn once: a retry inside _reachable never
        # redraws it, so rejections cannot tilt the share of "none" answers
        unreachable = bool(rng.random() < p.infeasible)
        edges, source, target, effort = (self._unreachable if unreachable else self._reachable)(rng, p)
        adj = adjacency(n, edges, directed)
        dist, _ = dijkstra(adj, source)
        if unreachable and dist[target] != math.inf:  # the proof: S's search never reaches T
            raise Reject("the target is reachable")
        path = None if unreachable else optimal_path(adj, dist, source, target)
        names = pick_node_names(rng, n)
        # the example answer is a route the instance refutes: its first hop is not an edge
        out_of_source = {v for v, _ in adj[source]}
        middle = [m for m in range(n) if m not in (source, target) and m not in out_of_source]
        example = [source] + ([middle[int(rng.integers(len(middle)))]] if middle else []) + [target]
        data = {
            "nodes": names, "directed": directed, "source": names[source], "target": names[target],
            "edges": [[names[u], names[v], w] for u, v, w in edges],
            "lines": edge_lines(edges, names, "weight", directed),
            "optimum": None if path is None else int(dist[target]),
            "example": " -> ".join(names[v] for v in example),
        }
        answer = "none" if path is None else " -> ".join(names[v] for v in path)
        return Problem(data, answer, float(effort))

    def _unreachable(self, rng: np.random.Generator, p: Params) -> tuple[list, int, int, float]:
        """Two components; a directed graph may add edges only from T's side to S's."""
        n, k = p.nodes, int(rng.integers(2, p.nodes - 1))
        left = random_connected_graph(rng, k, round(p.extra * k), (1, p.max_weight), p.directed)
        right = random_connected_graph(rng, n - k, round(p.extra * (n - k)), (1, p.max_weight), p.directed)
        edges = left + [(u + k, v + k, w) for u, v, w in right]
        if p.directed:
            edges += [(int(rng.integers(k, n)), int(rng.integers(k)), int(rng.integers(1, p.max_weight + 1)))
                      for _ in range(int(rng.integers(1, 3)))]
            edges = list({(u, v): (u, v, w) for u, v, w in edges}.values())
        relabel = rng.permutation(n).tolist()
        edges = [(relabel[u], relabel[v], w) for u, v, w in edges]
        source = relabel[int(rng.integers(k))]
        _, settled = dijkstra(adjacency(n, edges, p.directed), source)
        return edges, source, relabel[int(rng.integers(k, n))], float(settled + len(edges))

    def _reachable(self, rng: np.random.Generator, p: Params) -> tuple[list, int, int, float]:
        """A graph and a target that is reachable, not adjacent, and as far as the knobs ask."""
        for _ in range(ATTEMPTS):
            edges = random_connected_graph(rng, p.nodes, round(p.extra * p.nodes), (1, p.max_weight), p.directed)
            adj = adjacency(p.nodes, edges, p.directed)
            source = int(rng.integers(p.nodes))
            dist, settled = dijkstra(adj, source)
            hops, neighbours = fewest_hops(adj, source), {v for v, _ in adj[source]}
            on_shortest = tight_hops(adj, dist, source)
            candidates = [t for t in range(p.nodes) if t != source and t not in neighbours and dist[t] < math.inf
                          and on_shortest[t] >= p.min_hops and (not p.trap or on_shortest[t] > hops[t])]
            if candidates:
                # effort: Dijkstra's work on the graph kept (earlier tries only filter)
                return edges, source, candidates[int(rng.integers(len(candidates)))], float(settled + len(edges))
        raise Reject("no target far enough from the source")

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            text = bounded_answer(answer)
            if is_none(text):
                if problem["optimum"] is None:
                    return Verdict.ok()
                return Verdict.wrong(f"{problem['target']} is reachable from {problem['source']}")
            path = parse_path(text, problem["nodes"])
        except AnswerError as error:
            return refused(error)
        length = path_length(problem, path)
        if isinstance(length, str):
            return Verdict.invalid(length)
        optimum = problem["optimum"]
        if optimum is None:
            return Verdict.wrong(f"{problem['target']} cannot be reached; the path is not in the graph")
        if length != optimum:
            return Verdict.wrong("a valid path, but not a shortest one", fraction=optimum / length,
                                 optimum=optimum, value=length)
        return Verdict.ok()

    def hardness(self, problem: dict) -> float:
        """Bellman-Ford's work on the graph: nodes times edges."""
        return float(len(problem["nodes"]) * len(problem["edges"]))

    def instance_space(self, spec: dict) -> float | None:
        n, weight = largest(spec["nodes"]), largest(spec["max_weight"])
        m = n - 1 + round(largest(spec["extra"]) * n)
        log_space = m * math.log(weight) + (n - 2) * math.log(n) + math.log(n * n)
        return float(math.exp(min(log_space, 700)))

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """The direct hop S -> T (never an edge), and ``none``."""
        return {"straight from source to target": f"{problem['source']} -> {problem['target']}",
                "unreachable": "none"}

    def alternative_forms(self, problem: Problem) -> list[str]:
        gold = problem.answer
        if gold == "none":
            return scalar_forms(gold)
        items = gold.split(" -> ")
        return scalar_forms(gold) + [", ".join(items), " → ".join(items), "->".join(items),
                                     "\n".join(f"- {item}" for item in items), f"[{', '.join(items)}]"]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        data = problem.data
        if problem.answer == "none":
            return [data["example"], f"{data['source']} -> {data['target']}"]
        items = problem.answer.split(" -> ")
        wrong = ["none", " -> ".join(items[::-1]), " -> ".join(items[:-1]), " -> ".join(items[1:]),
                 f"{problem.answer} -> {items[-2]} -> {items[-1]}", problem.answer + ", " + problem.answer]
        if len(items) > 2:
            wrong.append(" -> ".join(items[:1] + items[2:]))
        return wrong
