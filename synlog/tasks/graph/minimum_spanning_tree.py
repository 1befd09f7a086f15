"""Minimum spanning tree: pick edges joining every node at the least total weight.

A tiny example::

    A - B (1), B - C (2), A - C (2), C - D (4), B - D (5)
    answer:  total: 7
             edges: A-B, B-C, C-D        (A-B, A-C, C-D is another tree of weight 7)

Weights repeat, so a graph often has several minimum spanning trees; any of them scores 1
(``unique_answer`` is False). The verifier checks the rules: every listed edge is in the
graph, there are n - 1 of them and they join every node (union-find finds no cycle), the stated
total is their weight, and that weight equals the optimum Kruskal's algorithm found at
generation. A spanning tree that is heavier than the optimum scores 0 with
``fraction = optimum / weight``.

Instances never let the n - 1 lightest edges be the answer (their total is strictly below the
optimum, so they always close a cycle): the cycle check is part of the work. Levels grow the
graph and its density and widen the weights.
"""

from __future__ import annotations

import math
import re

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, answer_lines, decorated_forms
from synlog.tasks.common.graphs import (
    bounded_answer,
    edge_lines,
    largest,
    parse_edge_list,
    pick_node_names,
    random_connected_graph,
    refused,
)
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

_TOTAL = re.compile(r"(?:total|total weight|weight)\s*[:=]\s*(\d{1,9})", re.I)
_EDGES = re.compile(r"edges\s*[:=]\s*(.+)", re.I)


def find(parent: list[int], x: int) -> int:
    """Union-find root of ``x``, halving the path as it goes."""
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def kruskal(n: int, edges: list) -> tuple[list, int, int]:
    """A minimum spanning tree's edges, its weight, and the edges examined."""
    parent, tree, total, examined = list(range(n)), [], 0, 0
    for u, v, w in sorted(edges, key=lambda edge: edge[2]):
        examined += 1
        ru, rv = find(parent, u), find(parent, v)
        if ru != rv:
            parent[ru] = rv
            tree.append((u, v, w))
            total += w
            if len(tree) == n - 1:
                break
    return tree, total, examined


def parse_answer(text: str, names: list[str]) -> tuple[int, list[tuple[str, str]]]:
    """``total: 7`` and ``edges: A-B, B-C`` on two lines (either order)."""
    lines = answer_lines(bounded_answer(text))
    totals = [m for line in lines if (m := _TOTAL.fullmatch(line))]
    edges = [m for line in lines if (m := _EDGES.fullmatch(line))]
    if len(lines) != 2 or len(totals) != 1 or len(edges) != 1:
        raise AnswerError("expected two lines: 'total: <weight>' and 'edges: A-B, C-D, ...'")
    return int(totals[0].group(1)), parse_edge_list(edges[0].group(1), names)


@register
class MinimumSpanningTree(Task):
    """Give a minimum spanning tree of a weighted graph: its total weight and its edges."""

    name, family, version = "minimum_spanning_tree", "graph", 1
    unique_answer = False
    knobs = Knobs(
        nodes=Knob(int, levels=[4, 5, 6, 7, 8, 10, 12, 14, 17, 20], lo=3, hi=60, help="nodes in the graph"),
        extra=Knob(float, levels=[.5, .6, .7, .8, .9, 1.0, 1.1, 1.2, 1.3, 1.4], lo=0.2, hi=3,
                   help="edges beyond a spanning tree, per node"),
        max_weight=Knob(int, levels=[6, 8, 9, 10, 12, 15, 18, 20, 25, 30], lo=2, hi=1000, help="largest edge weight"),
    )

    def context(self, problem: Problem, lang: str) -> dict:
        data = dict(problem.data)
        if lang == "zh":  # "A -> B (weight 4)" becomes "A -> B（权重 4）"
            data["lines"] = [re.sub(r" \(weight (\d+)\)$", r"（权重 \1）", line) for line in data["lines"]]
        return data

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n = p.nodes
        edges = random_connected_graph(rng, n, max(1, round(p.extra * n)), (1, p.max_weight))
        tree, total, examined = kruskal(n, edges)
        if sum(sorted(w for _, _, w in edges)[: n - 1]) >= total:
            raise Reject("the n - 1 lightest edges would already be a minimum spanning tree")
        names = pick_node_names(rng, n)
        order = {name: k for k, name in enumerate(names)}

        def written(u: int, v: int) -> str:
            a, b = sorted((names[u], names[v]), key=order.get)
            return f"{a}-{b}"

        data = {
            "nodes": names, "edges": [[names[u], names[v], w] for u, v, w in edges],
            "lines": edge_lines(edges, names, "weight"), "optimum": total,
            # a format example that is never an answer: two edges cannot span four or more nodes
            "example": f"total: 9\nedges: {names[0]}-{names[1]}, {names[1]}-{names[2]}",
        }
        gold = f"total: {total}\nedges: " + ", ".join(sorted(written(u, v) for u, v, _ in tree))
        return Problem(data, gold, float(examined * (1 + math.log2(len(edges)))))

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            stated, chosen = parse_answer(answer, problem["nodes"])
        except AnswerError as error:
            return refused(error)
        index = {name: k for k, name in enumerate(problem["nodes"])}
        weight = {}
        for u, v, w in problem["edges"]:
            weight[(u, v)] = weight[(v, u)] = w
        missing = [f"{u}-{v}" for u, v in chosen if (u, v) not in weight]
        if missing:
            return Verdict.invalid(f"{missing[0]} is not an edge of the graph")
        n = len(index)
        if len(chosen) != n - 1:
            return Verdict.invalid(f"a spanning tree of {n} nodes has {n - 1} edges, not {len(chosen)}")
        parent = list(range(n))
        for u, v in chosen:
            ru, rv = find(parent, index[u]), find(parent, index[v])
            if ru == rv:
                return Verdict.invalid(f"edge {u}-{v} closes a cycle")
            parent[ru] = rv
        value = sum(weight[edge] for edge in chosen)
        if stated != value:
            return Verdict.wrong(f"the listed edges weigh {value}, not {stated}")
        if value != problem["optimum"]:
            return Verdict.wrong("a spanning tree, but not a minimum one", fraction=problem["optimum"] / value,
                                 optimum=problem["optimum"], value=value)
        return Verdict.ok()

    def hardness(self, problem: dict) -> float:
        """Union-find work over the sorted edge list: edges times log of the nodes."""
        return float(len(problem["edges"]) * math.log2(len(problem["nodes"]) + 1))

    def instance_space(self, spec: dict) -> float | None:
        n, weight = largest(spec["nodes"]), largest(spec["max_weight"])
        m = n - 1 + round(largest(spec["extra"]) * n)
        return float(math.exp(min(m * math.log(weight) + (n - 2) * math.log(n) + math.log(math.comb(26, min(n, 26))),
                                  700)))

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """The n - 1 lightest edges (always closing a cycle here), with their true total."""
        n = len(problem["nodes"])
        lightest = sorted(problem["edges"], key=lambda edge: edge[2])[: n - 1]
        listed = ", ".join(f"{u}-{v}" for u, v, _ in lightest)
        return {"the lightest edges": f"total: {sum(w for _, _, w in lightest)}\nedges: {listed}"}

    def alternative_forms(self, problem: Problem) -> list[str]:
        lines = problem.answer.split("\n")
        if len(lines) != 2 or not lines[0].startswith("total: ") or not lines[1].startswith("edges: "):
            return decorated_forms(lines)  # a perturbed answer of another shape
        total_line, edges_line = lines
        reversed_edges = ", ".join("-".join(edge.split("-")[::-1]) for edge in edges_line[7:].split(", "))
        return decorated_forms([total_line, edges_line]) + [
            f"{edges_line}\n{total_line}", f"{total_line}\nedges: {reversed_edges}",
            f"{total_line}\n{edges_line.replace(', ', '; ')}", f"Total: {total_line[7:]}\nEdges: {edges_line[7:]}",
        ]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        total_line, edges_line = problem.answer.split("\n")
        total, listed = int(total_line[7:]), edges_line[7:].split(", ")
        used = {tuple(sorted(edge.split("-"))) for edge in listed}
        weight = {tuple(sorted((u, v))): w for u, v, w in problem.data["edges"]}
        dropped = weight[tuple(sorted(listed[0].split("-")))]
        # a spare edge of another weight: swapping it in can never give another minimum tree
        spare = [f"{u}-{v}" for (u, v), w in weight.items() if (u, v) not in used and w != dropped]
        wrong = [f"total: {total + 1}\n{edges_line}", f"total: {total}\nedges: " + ", ".join(listed[1:]),
                 f"total: {total}\nedges: " + ", ".join(listed + listed[:1]), total_line, edges_line,
                 problem.answer + "\n" + problem.answer]
        if spare:
            wrong.append(f"total: {total}\nedges: " + ", ".join(listed[1:] + spare[:1]))
            wrong.append(f"total: {total}\nedges: " + ", ".join(listed + spare[:1]))
        return wrong
