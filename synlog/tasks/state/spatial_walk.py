"""Spatial walk: places joined by coloured paths, each holding an item; follow a walk.

The network is glued together from small shapes — triangles (3 places in a ring), squares
(4 in a ring) and diamonds (a square with one diagonal) — each new shape sharing one place
with the network so far. Every path has a colour, and the paths meeting at a place have
different colours, so "take the red path" is always unambiguous. A tiny example::

    Paths: Library –red– Park, Park –blue– Mill, Mill –green– Library   (a triangle)
    Items: Library: lamp, Park: kite, Mill: bell
    Start at the Library; take red, then blue.     → end at the Mill: bell
    Items seen (start included): bell, kite, lamp

Rules: a walk starts at a named place; each step takes the path of the named colour from
the current place. Easier levels ask for the item at the place where the walk ends; harder
ones for the set of items at every place visited, the start included. Following the walk is
deterministic and items are distinct, so the answer is unique. A walk whose last item is
asked never ends where it started (the start's item would be an answer that takes no step).
"""

from __future__ import annotations

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, decorated_forms, join_set, parse_name_set
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

PLACES = ["Library", "Park", "Mill", "Bakery", "Harbour", "Tower", "School", "Market", "Chapel", "Bridge",
          "Garden", "Station", "Museum", "Farm", "Castle", "Forge", "Inn", "Lighthouse", "Theatre", "Well",
          "Quarry", "Orchard", "Temple", "Dock", "Barn", "Cave", "Fountain", "Gate", "Hall", "Pier"]
ITEMS = ["lamp", "kite", "bell", "anchor", "basket", "candle", "drum", "feather", "globe", "hammer",
         "jar", "key", "ladder", "mirror", "needle", "oar", "pillow", "quill", "rope", "saddle", "teapot",
         "umbrella", "vase", "wagon", "whistle", "yarn", "compass", "helmet", "lantern", "scroll",
         # a wide pool keeps any one item the answer of only a few rows ("lamp" from the example)
         "apron", "barrel", "bucket", "chisel", "cushion", "dagger", "easel", "flute", "goblet", "harp",
         "kettle", "locket", "mallet", "napkin", "pitcher", "quiver", "ribbon", "shovel", "thimble", "trowel",
         "violin", "wreath", "anvil", "banner", "crown", "dice", "funnel", "glove", "hourglass", "sickle"]
#: degree stays ≤ 5 (anchors have degree ≤ 3), so a path's ends use ≤ 8 other colours: 12 suffice
COLOURS = ["red", "blue", "green", "yellow", "black", "white", "orange", "purple", "grey", "pink",
           "brown", "silver"]
SHAPES = {"triangle": [(0, 1), (1, 2), (2, 0)], "square": [(0, 1), (1, 2), (2, 3), (3, 0)],
          "diamond": [(0, 1), (1, 2), (2, 3), (3, 0), (0, 2)]}


def step(edges: list[list], place: str, colour: str) -> str:
    """The place reached from ``place`` along its path of ``colour``."""
    for a, b, c in edges:
        if c == colour and place in (a, b):
            return b if place == a else a
    raise KeyError(f"no {colour} path at {place}")


@register
class SpatialWalk(Task):
    """Follow a walk along coloured paths in a network of places; name the items seen."""

    name, family, version = "spatial_walk", "state", 2
    knobs = Knobs(
        shapes=Knob(int, levels=[1, 2, 2, 3, 3, 4, 5, 6, 7, 8], lo=1, hi=9, help="shapes glued into the network"),
        steps=Knob(int, levels=[2, 3, 4, 5, 6, 7, 8, 10, 12, 14], lo=1, hi=50, help="steps of the walk"),
        ask_seen=Knob(bool, levels=[False, False, False, False, True, True, True, True, True, True],
                      help="ask for every item seen along the walk instead of the last one"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        shapes = [list(SHAPES)[i] for i in rng.integers(0, 3, p.shapes)]
        n_places = 0
        edges_idx: list[tuple[int, int]] = []
        for k, shape in enumerate(shapes):
            size = 3 if shape == "triangle" else 4
            degree = np.bincount(np.array(edges_idx, dtype=int).ravel(), minlength=n_places) if k else None
            anchor = int(rng.choice(np.flatnonzero(degree <= 3))) if k else None
            nodes = ([anchor] if k else [n_places]) + list(range(n_places + (0 if k else 1), n_places + size - (1 if k else 0)))
            n_places = max(n_places, max(nodes) + 1)
            edges_idx += [(nodes[a], nodes[b]) for a, b in SHAPES[shape]]
        names = [PLACES[i] for i in rng.choice(len(PLACES), n_places, replace=False)]
        items = [ITEMS[i] for i in rng.choice(len(ITEMS), n_places, replace=False)]
        used: list[set[str]] = [set() for _ in range(n_places)]
        edges = []
        for a, b in (edges_idx[i] for i in rng.permutation(len(edges_idx))):
            free = [c for c in COLOURS if c not in used[a] and c not in used[b]]
            colour = free[rng.integers(len(free))]
            used[a].add(colour)
            used[b].add(colour)
            edges.append([names[a], names[b], colour])
        start = names[rng.integers(n_places)]
        place, walk, visited = start, [], [start]
        for _ in range(p.steps):
            # never straight back along the path just taken: a step must move the walk on
            options = sorted(used[names.index(place)] - set(walk[-1:]))
            colour = options[rng.integers(len(options))]
            walk.append(colour)
            place = step(edges, place, colour)
            visited.append(place)
        if not p.ask_seen and place == start:  # the start's item would then be a free answer
            raise Reject("the walk ends where it started")
        holds = dict(zip(names, items, strict=True))
        answer_items = {holds[v] for v in visited} if p.ask_seen else {holds[place]}
        data = {"shapes": shapes, "edges": edges, "items": holds, "start": start, "walk": walk,
                "ask_seen": p.ask_seen, "answer_items": sorted(answer_items)}
        effort = len(walk) * (1 + len(edges)) + (len(visited) if p.ask_seen else 0)
        return Problem(data, join_set(answer_items), float(effort))

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            named = parse_name_set(answer, problem["items"].values())
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        gold = set(problem["answer_items"])
        if named != gold:
            return Verdict.wrong("not the items asked for", missing=sorted(gold - named), extra=sorted(named - gold))
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """The start's item (no step taken), and every item in town."""
        return {"the starting place's item": problem["items"][problem["start"]],
                "every item": join_set(problem["items"].values())}

    def alternative_forms(self, problem: Problem) -> list[str]:
        return decorated_forms(problem.answer.split(", "), ", ")

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = set(problem.data["answer_items"])
        others = sorted(set(problem.data["items"].values()) - gold)
        wrong = [join_set(gold | {others[0]})] if others else []
        if len(gold) > 1:
            wrong.append(join_set(sorted(gold)[1:]))
        start_item = problem.data["items"][problem.data["start"]]
        if start_item not in gold:
            wrong.append(start_item)
        wrong.append(", ".join(sorted(gold) + sorted(gold)[:1]))
        return wrong
