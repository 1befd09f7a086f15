"""Graphs for the graph tasks: seeded generation, node names, prompt text, strict answer parsing.

Inside the code a graph is ``n`` nodes ``0..n-1`` and a list of edges ``(u, v, w)`` (``w`` a
weight or capacity; 1 where unweighted). Prompts and answers use node *names*. A tiny example::

    rng = np.random.default_rng(0)
    edges = random_connected_graph(rng, 5, extra=2, weights=(1, 9))   # [(0, 3, 4), ...]
    names = node_names(5)                                            # ["A", "B", "C", "D", "E"]
    pick_node_names(rng, 4)                                          # e.g. ["C", "H", "M", "T"]
    edge_lines(edges, names, label="weight")          # ["A - D (weight 4)", ...]
    parse_path("A -> D -> C", names)                  # ["A", "D", "C"]
    parse_edge_list("A-D, D-C", names)                # [("A", "D"), ("D", "C")]
    parse_edge_values("A->D: 3, D->C: 2", names, directed=True)   # {("A", "D"): 3, ("D", "C"): 2}

Names match case-insensitively and come back spelled as in ``names``. Every parser bounds the
text before reading it and raises :class:`~synlog.tasks.common.answers.AnswerError` whose
message says what was expected; a repeated edge is an error, never silently merged. An
over-long answer raises :class:`AnswerTooLong`, which :func:`refused` turns into ``invalid``.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Sequence

import numpy as np

from synlog.tasks.common.answers import AnswerError, answer_lines, bounded
from synlog.verifiers.verdict import Verdict

__all__ = [
    "AnswerTooLong",
    "adjacency",
    "bounded_answer",
    "dijkstra",
    "edge_lines",
    "fewest_hops",
    "largest",
    "node_names",
    "optimal_path",
    "parse_edge_list",
    "parse_edge_values",
    "parse_path",
    "pick_node_names",
    "random_connected_graph",
    "random_graph",
    "refused",
    "tight_hops",
]

Edge = tuple[int, int, int]
#: longest answer any parser here reads
MAX_CHARS = 20_000
#: most items (path nodes, edges) a parser accepts; longer answers are refused, not walked
MAX_ITEMS = 2_000



class AnswerTooLong(AnswerError):
    """The answer is longer than any right answer could be (text or items past the caps)."""


def refused(error: AnswerError) -> Verdict:
    """The verdict on an answer a parser here refused: ``invalid`` when it was over-long (it is
    never cut, so a hedge cannot hide past the cap), ``unparseable`` otherwise."""
    return Verdict.invalid(str(error)) if isinstance(error, AnswerTooLong) else Verdict.unparseable(str(error))


def bounded_answer(text: str) -> str:
    """``text`` stripped; :class:`AnswerTooLong` past :data:`MAX_CHARS`, AnswerError if not text."""
    if isinstance(text, str) and len(text) > MAX_CHARS:
        raise AnswerTooLong(f"answer longer than {MAX_CHARS} characters")
    return bounded(text, MAX_CHARS)


_PATH_SEPARATOR = re.compile(r"\s*(?:->|→|⟶|=>|,)\s*")
_EDGE_SEPARATOR = re.compile(r"\s*[,;\n]\s*")
_DIRECTED_LINK = re.compile(r"\s*(?:->|→|⟶)\s*")
_UNDIRECTED_LINK = re.compile(r"\s*(?:--|-|–|—)\s*")


def node_names(n: int) -> list[str]:
    """``A``..``Z``, then ``AA``, ``AB``, ...: short, distinct names that never contain a separator."""
    names = []
    for k in range(n):
        name, k = "", k
        while True:
            name = chr(ord("A") + k % 26) + name
            k = k // 26 - 1
            if k < 0:
                break
        names.append(name)
    return names


def pick_node_names(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` distinct capital letters drawn at random and sorted (``B, F, K, ...``), so answers of
    small graphs do not repeat across instances; past 26 nodes, :func:`node_names`."""
    if n > 26:
        return node_names(n)
    return sorted(chr(ord("A") + int(k)) for k in rng.choice(26, n, replace=False))


def random_connected_graph(
    rng: np.random.Generator, n: int, extra: int, weights: tuple[int, int] = (1, 1), directed: bool = False
) -> list[Edge]:
    """A connected graph on ``n`` nodes: a random spanning tree plus ``extra`` other edges.

    The tree attaches each node (in random order) to a random earlier one, so every shape of
    tree can appear; extra edges are distinct pairs not yet joined. Weights are uniform in
    ``weights`` (inclusive). ``directed`` orients each edge at random (the tree is then only
    weakly connected). Edges come back in random order.
    """
    order = rng.permutation(n).tolist()
    pairs = {tuple(sorted((order[k], order[int(rng.integers(k))]))) for k in range(1, n)}
    room = n * (n - 1) // 2 - len(pairs)
    pairs |= _fresh_pairs(rng, n, min(extra, room), pairs)
    return _weighted(rng, sorted(pairs), weights, directed)


def random_graph(
    rng: np.random.Generator, n: int, m: int, weights: tuple[int, int] = (1, 1), directed: bool = False
) -> list[Edge]:
    """``m`` distinct random edges on ``n`` nodes (not necessarily connected)."""
    pairs = _fresh_pairs(rng, n, min(m, n * (n - 1) // 2), set())
    return _weighted(rng, sorted(pairs), weights, directed)


def _fresh_pairs(rng: np.random.Generator, n: int, count: int, taken: set) -> set:
    fresh: set = set()
    while len(fresh) < count:
        u, v = sorted(rng.choice(n, 2, replace=False).tolist())
        if (u, v) not in taken:
            fresh.add((u, v))
    return fresh


def _weighted(rng: np.random.Generator, pairs: list, weights: tuple[int, int], directed: bool) -> list[Edge]:
    edges = []
    for u, v in pairs:
        if directed and rng.random() < 0.5:
            u, v = v, u
        edges.append((int(u), int(v), int(rng.integers(weights[0], weights[1] + 1))))
    return [edges[i] for i in rng.permutation(len(edges)).tolist()]


def adjacency(n: int, edges: Sequence[Sequence[int]], directed: bool = False) -> list[list[tuple[int, int]]]:
    """``adj[u]`` = list of ``(v, w)``; both directions for an undirected graph."""
    adj: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for u, v, w in edges:
        adj[u].append((v, w))
        if not directed:
            adj[v].append((u, w))
    return adj


def dijkstra(adj: Sequence[Sequence[tuple[int, int]]], source: int) -> tuple[list[float], int]:
    """Shortest distances from ``source`` (``inf`` where unreachable) and the nodes settled."""
    dist = [float("inf")] * len(adj)
    dist[source] = 0
    heap, settled, done = [(0, source)], 0, [False] * len(adj)
    while heap:
        d, u = heapq.heappop(heap)
        if done[u]:
            continue
        done[u], settled = True, settled + 1
        for v, w in adj[u]:
            if d + w < dist[v]:
                dist[v] = d + w
                heapq.heappush(heap, (d + w, v))
    return dist, settled


def edge_lines(
    edges: Sequence[Sequence[int]], names: Sequence[str], label: str = "weight", directed: bool = False
) -> list[str]:
    """One prompt line per edge: ``A - B (weight 4)``, ``A -> B (capacity 4)``; no label: ``A - B``."""
    link = "->" if directed else "-"
    return [f"{names[u]} {link} {names[v]}" + (f" ({label} {w})" if label else "") for u, v, w in edges]


def _lookup(names: Sequence[str]) -> dict[str, str]:
    return {name.lower(): name for name in names}


def _node(item: str, index: dict[str, str], article: bool = False) -> str:
    key = item.strip().strip("'\"").lower()
    if article and key.startswith("the ") and key not in index:
        key = key[4:].strip()
    name = index.get(key)
    if name is None:
        raise AnswerError(f"{item.strip()[:30]!r} is not a node of the graph")
    return name


def parse_path(text: str, names: Sequence[str], article: bool = False) -> list[str]:
    """A node path ``A -> B -> C`` (also ``A, B, C`` or ``A → B → C``) on one line, or one node per
    line; returns the names in order. Repeats are kept (a path check decides about them). With
    ``article``, a leading "the " is dropped from a name (places: ``the Library``)."""
    lines = answer_lines(bounded_answer(text))
    if not lines:
        raise AnswerError("expected a path such as 'A -> B -> C'")
    if len(lines) > 1 and any(_PATH_SEPARATOR.search(line) for line in lines):
        raise AnswerError("expected one path on one line, such as 'A -> B -> C'")
    joined = ", ".join(lines).strip()
    if len(joined) >= 2 and joined[0] + joined[-1] in ("[]", "()"):
        joined = joined[1:-1]
    items = _PATH_SEPARATOR.split(joined.strip())
    if len(items) > MAX_ITEMS:
        raise AnswerTooLong(f"path longer than {MAX_ITEMS} nodes")
    if any(not item.strip() for item in items):
        raise AnswerError("empty node in the path; expected 'A -> B -> C'")
    index = _lookup(names)
    return [_node(item, index, article) for item in items]


def _split_edge(item: str, index: dict[str, str], directed: bool) -> tuple[str, str]:
    link = _DIRECTED_LINK if directed else _UNDIRECTED_LINK
    parts = link.split(item.strip())
    if len(parts) != 2 or not all(part.strip() for part in parts):
        shape = "A->B" if directed else "A-B"
        raise AnswerError(f"expected an edge written {shape}, got {item.strip()[:30]!r}")
    return _node(parts[0], index), _node(parts[1], index)


def _edge_items(text: str) -> list[str]:
    text = "\n".join(answer_lines(bounded_answer(text))).strip()
    if len(text) >= 2 and text[0] + text[-1] in ("[]", "{}"):
        text = text[1:-1].strip()
    if not text:
        raise AnswerError("expected a list of edges")
    items = _EDGE_SEPARATOR.split(text)
    if len(items) > MAX_ITEMS:
        raise AnswerTooLong(f"more than {MAX_ITEMS} edges")
    if any(not item.strip() for item in items):
        raise AnswerError("empty item in the edge list")
    return items


def parse_edge_list(text: str, names: Sequence[str], directed: bool = False) -> list[tuple[str, str]]:
    """Edges ``A-B, C-D`` (commas, semicolons or lines between them; ``A->B`` when directed).

    An undirected edge comes back with its ends in the order of ``names``; an edge listed
    twice (either way round) is an error.
    """
    index = _lookup(names)
    order = {name: k for k, name in enumerate(names)}
    edges: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for item in _edge_items(text):
        u, v = _split_edge(item, index, directed)
        if not directed and order[u] > order[v]:
            u, v = v, u
        if (u, v) in seen:
            raise AnswerError(f"edge {u}-{v} is listed twice")
        seen.add((u, v))
        edges.append((u, v))
    return edges


def parse_edge_values(
    text: str, names: Sequence[str], directed: bool = True, max_value: int = 10**9
) -> dict[tuple[str, str], int]:
    """Edges with a non-negative integer each: ``A->B: 3, B->C: 2`` (also ``A->B = 3``)."""
    index = _lookup(names)
    order = {name: k for k, name in enumerate(names)}
    values: dict[tuple[str, str], int] = {}
    for item in _edge_items(text):
        parts = re.split(r"\s*[:=]\s*", item.strip(), maxsplit=1)
        edge_text, value_text = (parts[0], parts[1]) if len(parts) == 2 else (item, "")
        found = len(parts) == 2
        if not found or not re.fullmatch(r"\d{1,12}", value_text.strip()):
            raise AnswerError(f"expected 'A->B: 3' (an edge, a colon, a whole number), got {item.strip()[:30]!r}")
        u, v = _split_edge(edge_text, index, directed)
        if not directed and order[u] > order[v]:
            u, v = v, u
        value = int(value_text)
        if value > max_value:
            raise AnswerError(f"{value} on {u}->{v} is larger than any value in the graph")
        if (u, v) in values:
            raise AnswerError(f"edge {u}->{v} is listed twice")
        values[(u, v)] = value
    return values


def fewest_hops(adj: Sequence[Sequence[tuple[int, int]]], source: int) -> list[float]:
    """Breadth-first edge counts from ``source`` (``inf`` where unreachable)."""
    hops = [float("inf")] * len(adj)
    hops[source], frontier = 0, [source]
    while frontier:
        nxt = []
        for u in frontier:
            for v, _ in adj[u]:
                if hops[v] == float("inf"):
                    hops[v] = hops[u] + 1
                    nxt.append(v)
        frontier = nxt
    return hops


def tight_hops(adj: Sequence[Sequence[tuple[int, int]]], dist: Sequence[float], source: int) -> list[float]:
    """The fewest edges on a *shortest* path from ``source`` to each node (``dist`` from
    :func:`dijkstra`): breadth-first search over the edges with ``dist[u] + w == dist[v]``."""
    tight = [[(v, w) for v, w in out if dist[u] + w == dist[v]] for u, out in enumerate(adj)]
    return fewest_hops(tight, source)


def optimal_path(adj: Sequence[Sequence[tuple[int, int]]], dist: Sequence[float], source: int, target: int) -> list[int]:
    """A shortest path from ``source`` to ``target`` with the fewest edges among shortest paths
    (walked back along tight edges, the lowest node first where there is a choice)."""
    hops = tight_hops(adj, dist, source)
    path = [target]
    while path[-1] != source:
        v = path[-1]
        path.append(min(u for u, out in enumerate(adj) for x, w in out
                        if x == v and dist[u] + w == dist[v] and hops[u] == hops[v] - 1))
    return path[::-1]


def largest(value):
    """A resolved knob's largest value: the top of a ``(lo, hi)`` range, else the value itself
    (what ``instance_space`` sizes a level by)."""
    return value[-1] if isinstance(value, (list, tuple)) else value
