"""Navigation in words: walk the shortest route to the nearest landmark of a kind.

The town is described street by street in sentences; the question names a starting place and
a kind of landmark (a pharmacy, a bank...) of which the town has several. A tiny example::

    Elm Street runs 200 m north from the Library to the Mill.
    Oak Lane runs 300 m east from the Mill to Rose Pharmacy.
    Ash Road runs 600 m east from the Library to Crown Pharmacy.
    From the Library, walk to the nearest pharmacy.    answer: Library -> Mill -> Rose Pharmacy

The answer is the route as the places passed, start and landmark included. Any route of the
least length to any landmark of the kind at the least distance scores 1 (``unique_answer`` is
False): the verifier walks the route (streets that exist, one-way streets only forwards, no
place twice), checks it ends at a landmark of the asked kind and compares its length with the
distance Dijkstra found at generation. A valid route that is longer, or that ends at a farther
landmark of the kind, scores 0 with ``fraction = optimum / length``.

Places sit on a map, so the compass directions are consistent and street lengths are the
straight-line distance plus a detour. The start never touches a landmark of the kind; from
level 3 the route with the fewest streets to such a landmark is strictly longer than the
nearest one's. Levels add places, landmarks, streets and one-way streets.
"""

from __future__ import annotations

import math

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, scalar_forms
from synlog.tasks.common.graphs import (
    adjacency,
    dijkstra,
    fewest_hops,
    largest,
    optimal_path,
    parse_path,
    refused,
    tight_hops,
)
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

PLACES = ("Library", "Park", "Mill", "Harbour", "Tower", "Market", "Chapel", "Bridge", "Garden", "Station",
          "Museum", "Farm", "Castle", "Forge", "Inn", "Lighthouse", "Theatre", "Well", "Quarry", "Orchard",
          "Temple", "Dock", "Barn", "Fountain", "Gate", "Hall", "Pier", "Stadium", "Zoo", "Courthouse")
KINDS = ("pharmacy", "bank", "cafe", "bakery", "bookshop", "florist", "post office", "cinema")
BRANDS = ("Rose", "Crown", "Maple", "Star", "Anchor", "Willow", "Golden", "Corner", "Royal", "Sunny",
          "Harvest", "Lantern", "Oakwood", "Silver", "Blue")
STREETS = ("Elm", "Oak", "Ash", "Birch", "Cedar", "Pine", "Beech", "Hazel", "Rowan", "Alder", "Yew", "Holly",
           "Ivy", "Fern", "Heath", "Brook", "Mill", "Church", "King", "Queen", "Bell", "Fox", "Swan", "Wren",
           "Hill", "Vale", "Moor", "Park", "Castle", "Market")
SUFFIXES = ("Street", "Road", "Lane", "Avenue", "Way")
COMPASS = ("east", "north-east", "north", "north-west", "west", "south-west", "south", "south-east")
#: the compass words and landmark kinds in the Chinese prompts (places and streets keep their
#: English names, which the answer must repeat)
COMPASS_ZH = {"east": "东", "north-east": "东北", "north": "北", "north-west": "西北", "west": "西",
              "south-west": "西南", "south": "南", "south-east": "东南"}
KINDS_ZH = {"pharmacy": "药店", "bank": "银行", "cafe": "咖啡馆", "bakery": "面包店", "bookshop": "书店",
            "florist": "花店", "post office": "邮局", "cinema": "电影院"}
#: maps tried in one generate call before it gives up
ATTEMPTS = 60


def compass(a: tuple[int, int], b: tuple[int, int]) -> str:
    """The compass direction from point ``a`` to point ``b`` (x east, y north)."""
    angle = math.atan2(b[1] - a[1], b[0] - a[0])
    return COMPASS[round(angle / (math.pi / 4)) % 8]


def town_map(rng: np.random.Generator, n: int, extra: int) -> tuple[list, list]:
    """``n`` distinct points on a grid and the streets: the Euclidean minimum spanning tree plus
    ``extra`` streets to near neighbours; each street's length (metres) is its straight-line
    distance plus a detour of up to half again, rounded to 10 m."""
    side = math.ceil(math.sqrt(n)) + 2
    points = [(k % side, k // side) for k in rng.choice(side * side, n, replace=False).tolist()]

    def gap(u: int, v: int) -> float:
        return math.dist(points[u], points[v])

    pairs = sorted(((u, v) for u in range(n) for v in range(u + 1, n)), key=lambda e: (gap(*e), rng.random()))
    root, streets = list(range(n)), set()

    def find(x: int) -> int:
        while root[x] != x:
            root[x] = root[root[x]]
            x = root[x]
        return x

    for u, v in pairs:
        if find(u) != find(v):
            root[find(u)] = find(v)
            streets.add((u, v))
    for _ in range(extra):
        u = int(rng.integers(n))
        near = [v for v in sorted(range(n), key=lambda v: gap(u, v)) if v != u and tuple(sorted((u, v))) not in streets]
        if near:
            streets.add(tuple(sorted((u, near[int(rng.integers(min(3, len(near))))]))))
    edges = [(u, v, int(round(gap(u, v) * 100 * (1 + rng.uniform(0, 0.5)) / 10) * 10)) for u, v in sorted(streets)]
    return points, [edges[i] for i in rng.permutation(len(edges)).tolist()]


def route_length(problem: dict, route: list[str]) -> int | str:
    """The route's length in metres, or the reason it is not a walkable route."""
    length = {}
    for street in problem["streets"]:
        length[(street["from"], street["to"])] = street["length"]
        if not street["one_way"]:
            length[(street["to"], street["from"])] = street["length"]
    if route[0] != problem["start"]:
        return f"the route must start at the {problem['start']}"
    if len(set(route)) != len(route):
        return "the route passes a place twice"
    total = 0
    for a, b in zip(route, route[1:], strict=False):
        if (a, b) not in length:
            return f"no street leads from the {a} to the {b}"
        total += length[(a, b)]
    return total


@register
class NlNavigation(Task):
    """Find the shortest walking route to the nearest landmark of a kind in a town told in words."""

    name, family, version = "nl_navigation", "graph", 1
    unique_answer = False
    knobs = Knobs(
        places=Knob(int, levels=[4, 5, 6, 7, 8, 10, 12, 14, 16, 18], lo=3, hi=30, help="plain places on the map"),
        targets=Knob(int, levels=[2, 2, 2, 3, 3, 3, 3, 4, 4, 4], lo=1, hi=6, help="landmarks of the asked kind"),
        others=Knob(int, levels=[1, 1, 2, 2, 3, 3, 4, 4, 5, 6], lo=0, hi=15, help="landmarks of other kinds"),
        extra=Knob(float, levels=[.2, .3, .3, .4, .4, .5, .5, .6, .6, .7], lo=0, hi=2,
                   help="streets beyond a spanning tree, per place"),
        one_way=Knob(float, levels=[0, 0, 0, 0, .1, .15, .2, .25, .3, .3], lo=0, hi=.6, help="share of one-way streets"),
        trap=Knob(bool, levels=[False, False] + [True] * 8,
                  help="the route with the fewest streets to a landmark of the kind is not the shortest"),
    )

    def context(self, problem: Problem, lang: str) -> dict:
        data = dict(problem.data)
        if lang == "zh":
            data["streets"] = [s | {"heading": COMPASS_ZH[s["heading"]]} for s in data["streets"]]
            data["kind_zh"] = KINDS_ZH[data["kind"]]
        return data

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n = p.places + p.targets + p.others
        kinds = [KINDS[k] for k in rng.choice(len(KINDS), 1 + min(p.others, 3), replace=False).tolist()]
        brands = [BRANDS[k] for k in rng.choice(len(BRANDS), p.targets + p.others, replace=False).tolist()]
        names = [PLACES[k] for k in rng.choice(len(PLACES), p.places, replace=False).tolist()]
        names += [f"{brand} {kinds[0].title()}" for brand in brands[: p.targets]]
        names += [f"{brand} {kinds[1 + k % (len(kinds) - 1)].title()}" for k, brand in enumerate(brands[p.targets:])]
        goal = set(range(p.places, p.places + p.targets))
        for _ in range(ATTEMPTS):
            points, edges = town_map(rng, n, round(p.extra * p.places))
            oriented = [(v, u, w) if rng.random() < 0.5 else (u, v, w) for u, v, w in edges]
            one_way = [bool(rng.random() < p.one_way) for _ in edges]
            arcs = [arc for arc, single in zip(oriented, one_way, strict=True) for arc in
                    ([arc] if single else [arc, (arc[1], arc[0], arc[2])])]
            adj = adjacency(n, arcs, directed=True)
            start = int(rng.integers(p.places))  # a plain place, never a landmark
            dist, settled = dijkstra(adj, start)
            hops = fewest_hops(adj, start)
            best = min(dist[g] for g in goal)
            if best == math.inf or min(hops[g] for g in goal) < 2:
                continue
            nearest = [g for g in goal if dist[g] == best]
            fewest = min(hops[g] for g in goal)
            on_shortest = tight_hops(adj, dist, start)
            if p.trap and any(on_shortest[g] <= fewest for g in nearest):
                continue
            break
        else:
            raise Reject("no map puts the nearest landmark behind a detour")
        route = optimal_path(adj, dist, start, nearest[0])
        streets = []
        street_names = rng.choice(len(STREETS) * len(SUFFIXES), len(edges), replace=False).tolist()
        for (u, v, w), single, k in zip(oriented, one_way, street_names, strict=True):
            streets.append({"name": f"{STREETS[k // len(SUFFIXES)]} {SUFFIXES[k % len(SUFFIXES)]}",
                            "from": names[u], "to": names[v], "length": w, "one_way": single,
                            "heading": compass(points[u], points[v])})
        far = max(goal, key=lambda g: (dist[g], g))
        data = {
            "places": sorted(names), "start": names[start], "kind": kinds[0],
            "kind_plural": kinds[0][:-1] + "ies" if kinds[0].endswith("y") else kinds[0] + "s",
            "targets": sorted(names[g] for g in goal), "streets": streets, "optimum": int(best),
            # a format example that is never a route here: no street joins the start to a landmark
            "example": f"{names[start]} -> {names[far]}",
        }
        # effort: Dijkstra's work on the map kept (earlier maps only filter)
        return Problem(data, " -> ".join(names[v] for v in route), float(settled + len(arcs)))

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            route = parse_path(answer, problem["places"], article=True)
        except AnswerError as error:
            return refused(error)
        length = route_length(problem, route)
        if isinstance(length, str):
            return Verdict.invalid(length)
        if route[-1] not in problem["targets"]:
            return Verdict.wrong(f"the route must end at a {problem['kind']}; {route[-1]} is not one")
        if length != problem["optimum"]:
            return Verdict.wrong("a route to a " + problem["kind"] + ", but not the shortest to the nearest one",
                                 fraction=problem["optimum"] / length, optimum=problem["optimum"], value=length)
        return Verdict.ok()

    def hardness(self, problem: dict) -> float:
        """Dijkstra's work on the map: places times streets."""
        return float(len(problem["places"]) * len(problem["streets"]))

    def instance_space(self, spec: dict) -> float | None:
        n = largest(spec["places"]) + largest(spec["targets"]) + largest(spec["others"])
        side = math.ceil(math.sqrt(n)) + 2
        log_space = math.lgamma(side * side + 1) - math.lgamma(side * side - n + 1) + math.log(len(KINDS)) \
            + (n - 1) * math.log(6)
        return float(math.exp(min(log_space, 700)))

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Straight from the start to each landmark of the kind (never a street), and staying put."""
        straight = {f"straight to landmark {k + 1}": f"{problem['start']} -> {target}"
                    for k, target in enumerate(problem["targets"])}
        return straight | {"stay at the start": problem["start"]}

    def alternative_forms(self, problem: Problem) -> list[str]:
        items = problem.answer.split(" -> ")
        return scalar_forms(problem.answer) + [", ".join(items), " → ".join(items), "\n".join(f"- {x}" for x in items),
                                               " -> ".join(f"the {x}" for x in items)]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        items = problem.answer.split(" -> ")
        data = problem.data
        wrong = [" -> ".join(items[:-1]), " -> ".join(items[1:]), " -> ".join(items[::-1]),
                 problem.answer + ", " + problem.answer, data["example"], items[0]]
        if len(items) > 2:
            wrong.append(" -> ".join(items[:1] + items[2:]))
        return wrong
