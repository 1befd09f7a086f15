"""Car painting: reorder a line of coloured cars, each moving at most d places, to minimise
the colour changes along the line (every change costs the paint shop a purge of its guns).

Rules: cars 1..m stand in a line, each with a colour; the answer lists them in a new order in
which every car stands at most d places from where it started; the cost is the number of
neighbouring pairs of different colours. Any order of least cost scores 1. A tiny example
(d = 1)::

    1 red, 2 blue, 3 red, 4 blue          cost 3
    order 1 3 2 4  →  red red blue blue   cost 1 (optimal; car 3 moved one place left, car 2 right)

How the optimum is proved: dynamic programming over positions. At position i every car
before i − d is already placed and none after i + d can be, so a state is the set of cars of
the window [i − d, i + d] already placed plus the colour of the last car: at most 2^(2d+1)·k
states per position. The DP is exact; an optimal order is read back from it. Instances where
the greedy order (``greedy_order``: keep the last car's colour whenever the window allows)
is already optimal are redrawn, so every instance needs lookahead, and neither copying the
line nor the obvious heuristic ever pays.

``verify`` checks that the answer is an order of all the cars, that no car moved more than d
places, and counts the changes. A valid order that is not optimal scores 0 with
``details["fraction"]`` = the share of the gap between the greedy order and the optimum that
it closes (0 for the greedy order and anything worse, below 1 for every suboptimal order), so
a random legal reshuffle earns about nothing.
"""

from __future__ import annotations

import math

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import (
    MAX_CHARS,
    AnswerError,
    answer_lines,
    bounded,
    decorated_forms,
)
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

COLOURS = ("red", "blue", "white", "black", "green", "yellow")
#: the colours as a Chinese prompt names them (the answer is car numbers, never colours)
COLOURS_ZH = {"red": "红色", "blue": "蓝色", "white": "白色", "black": "黑色", "green": "绿色", "yellow": "黄色"}


def changes(colours: list[int]) -> int:
    """Neighbouring pairs of different colours."""
    return sum(a != b for a, b in zip(colours, colours[1:], strict=False))


def optimal_order(colour: list[int], d: int) -> tuple[int, list[int], int]:
    """The least number of colour changes over all orders moving each car ≤ d places, one
    order attaining it (0-based car indices), and the DP states expanded."""
    m = len(colour)
    # states at position i: (mask over cars i-d .. i+d already placed, last colour) -> cost
    layer: dict[tuple[int, int], int] = {(0, -1): 0}
    back: list[dict[tuple[int, int], tuple[tuple[int, int], int]]] = []
    expanded = 0
    width = 2 * d + 1
    for i in range(m):
        nxt: dict[tuple[int, int], int] = {}
        links: dict[tuple[int, int], tuple[tuple[int, int], int]] = {}
        for (mask, last), cost in layer.items():
            expanded += 1
            # bit b of mask is car i - d + b; the car leaving the window must go now
            forced = not mask & 1 and i - d >= 0
            for b in range(width):
                car = i - d + b
                if car < 0 or car >= m or mask >> b & 1 or (forced and b != 0):
                    continue
                placed = mask | 1 << b
                state = (placed >> 1, colour[car])
                total = cost + (last != -1 and last != colour[car])
                if total < nxt.get(state, math.inf):
                    nxt[state] = total
                    links[state] = ((mask, last), car)
        layer = nxt
        back.append(links)
    # m distinct cars were placed (a car leaves the window only once placed): all of them
    state = min(layer, key=lambda s: (layer[s], s))
    best, order = layer[state], []
    for links in reversed(back):
        state, car = links[state]
        order.append(car)
    return best, order[::-1], expanded


def greedy_order(colour: list[int], d: int) -> list[int]:
    """The car each position takes greedily: the car that must go now, else the earliest car
    in reach that keeps the last colour, else the earliest car in reach (never stuck: one car
    at most is due at each position)."""
    m, placed, order, last = len(colour), [False] * len(colour), [], None
    for i in range(m):
        if i - d >= 0 and not placed[i - d]:
            car = i - d
        else:
            reach = [j for j in range(max(0, i - d), min(m, i + d + 1)) if not placed[j]]
            car = next((j for j in reach if colour[j] == last), reach[0])
        placed[car] = True
        order.append(car)
        last = colour[car]
    return order


def parse_order(text: str) -> list[int]:
    """Car numbers separated by spaces, commas or lines."""
    items = " ".join(answer_lines(bounded(text))).replace(",", " ").split()
    if not items or not all(item.isascii() and item.isdigit() and len(item) <= 4 for item in items):
        raise AnswerError("expected the car numbers in their new order, such as '2 1 3'")
    return [int(item) for item in items]


@register
class CarPainting(Task):
    """Reorder coloured cars, each moving at most d places, to minimise colour changes (any optimum)."""

    name, family, version = "car_painting", "search", 1
    unique_answer = False
    #: another row's gold order is optimal here now and then (an order with a few short moves)
    chance = 0.04
    knobs = Knobs(
        cars=Knob(int, levels=[10, 11, 12, 13, 14, 16, 18, 20, 24, 28], lo=4, hi=60, help="cars in the line"),
        shift=Knob(int, levels=[2, 2, 2, 2, 2, 3, 3, 3, 3, 3], lo=1, hi=4, help="places a car may move (d)"),
        colours=Knob(int, levels=[3, 3, 4, 4, 4, 4, 5, 5, 6, 6], lo=2, hi=len(COLOURS), help="colours in use"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        colour = rng.integers(0, p.colours, p.cars).tolist()
        best, order, expanded = optimal_order(colour, p.shift)
        greedy = changes([colour[car] for car in greedy_order(colour, p.shift)])
        if greedy == best:
            raise Reject("the greedy order is already optimal")
        data = {"colours": [COLOURS[c] for c in colour], "shift": p.shift, "optimum": best, "greedy": greedy}
        return Problem(data, " ".join(str(car + 1) for car in order), float(expanded))

    def context(self, problem: Problem, lang: str) -> dict:
        data = problem.data
        if lang == "zh":
            return {**data, "colours": [COLOURS_ZH.get(c, c) for c in data["colours"]]}
        return dict(data)

    def verify(self, problem: dict, answer: str) -> Verdict:
        colours, d = problem["colours"], problem["shift"]
        if len(answer) > MAX_CHARS:
            return Verdict.invalid(f"answer longer than {MAX_CHARS} characters")
        try:
            cars = parse_order(answer)
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        if sorted(cars) != list(range(1, len(colours) + 1)):
            return Verdict.invalid(f"the order must list each car 1..{len(colours)} exactly once")
        for position, car in enumerate(cars, start=1):
            if abs(position - car) > d:
                return Verdict.wrong(f"car {car} moved {abs(position - car)} places; at most {d} are allowed")
        value, best, greedy = changes([colours[car - 1] for car in cars]), problem["optimum"], problem["greedy"]
        if value > best:
            # the share of the greedy order's excess this answer removes; generated rows always
            # have greedy > best, a row built elsewhere may not (then nothing was there to close)
            gap = greedy - best
            gained = max(0.0, (greedy - value) / gap) if gap > 0 else 0.0
            return Verdict.wrong(f"{value} colour changes; {best} are possible", fraction=gained,
                                 optimum=best, value=value)
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        cars = problem.answer.split()
        return [", ".join(cars), *decorated_forms(cars, " ")]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        cars = problem.answer.split()
        m = len(cars)
        return [" ".join(map(str, range(1, m + 1))), " ".join(cars[::-1]), " ".join(cars[:-1]),
                " ".join([cars[0], *cars[:-1]]), problem.answer + " " + problem.answer]

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        m = len(problem["colours"])
        index = {name: i for i, name in enumerate(COLOURS)}
        greedy = greedy_order([index[c] for c in problem["colours"]], problem["shift"])
        return {"the original order": " ".join(map(str, range(1, m + 1))),
                "the original order reversed": " ".join(map(str, range(m, 0, -1))),
                "greedy: keep the last colour when the window allows": " ".join(str(car + 1) for car in greedy)}

    def hardness(self, problem: dict) -> float:
        # cars times the window each one may land in, times colours: the choices to weigh
        return float(len(problem["colours"]) * (2 * problem["shift"] + 1) * len(set(problem["colours"])))

    def instance_space(self, spec: dict) -> float | None:
        cars, colours = (v[1] if isinstance(v, tuple) else v for v in (spec["cars"], spec["colours"]))
        return float(colours ** cars)
