"""Rush hour: slide the vehicles on a 6×6 lot until the red car X reaches the exit.

Rules: every vehicle (a car of length 2 or a truck of length 3, named by a letter) lies
horizontally or vertically and slides only along its own line, any number of free cells per
move, never over another vehicle or off the lot. The exit is at the right end of X's row
(row 3); the puzzle is solved when X fills the two rightmost cells of that row. The answer
lists slides ``<letter><direction><distance>``; *any* sequence of legal slides that ends
solved scores 1 (the prompt says so; the fewest slides is reported beside the verdict, and
the level sets that optimum). A 2-slide example, solved by ``AD1 XR4`` (or ``AU2 XR4``)::

    . . . . . .
    . . . . . .
    X X . A . .
    . . . A . .
    . . . . . .
    . . . . . .

How the lot is made: X lies in row 3 and the other vehicles are dropped at random (none lies
horizontally in X's row, where it could never pass X). A breadth-first search explores
every arrangement reachable from there (one move = one slide of any length) and a second
one, backwards from the solved arrangements, gives each arrangement's exact distance to a
solution; the start is drawn among those exactly ``moves`` slides away (lots with too many
arrangements, or none that far, are drawn again). ``effort`` counts the arrangements a plain
breadth-first search from the start expands before it meets a solved one (the proof of the
optimum); :meth:`RushHour.hardness` is the optimum.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, decorated_forms
from synlog.tasks.common.moves import STEPS, TooManyMoves, format_board, parse_slides
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

SIZE, ROW, RED = 6, 2, "X"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVW"
MAX_SLIDES = 200
#: arrangements one lot may have before it is dropped as too slow to explore
MAX_STATES = 2_500
#: lots tried per instance before the generator gives up on this draw
ATTEMPTS = 60


@register
class RushHour(Task):
    """Slide cars and trucks on a 6×6 lot until the red car reaches the exit."""

    name, family, version = "rush_hour", "search", 1
    unique_answer = False
    knobs = Knobs(
        vehicles=Knob(int, levels=[13] * 10, lo=1, hi=14,
                      help="vehicles besides the red car (crowded lots have few arrangements)"),
        moves=Knob(int, levels=[2, 3, (3, 4), 4, 5, (5, 6), 6, 7, 8, (8, 9)], lo=1, hi=30,
                   help="fewest slides that solve the lot"),
        trucks=Knob(float, levels=[0.4] * 10, lo=0.0, hi=1.0, help="share of vehicles that are trucks (length 3)"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        for _ in range(ATTEMPTS):  # most lots are too free (too many arrangements) or too easy
            try:
                vehicles = _place(rng, p.vehicles, p.trucks)
                states, edges = _explore(vehicles)
            except Reject:
                continue
            distance = _distances(vehicles, states, edges)
            candidates = [i for i, d in enumerate(distance) if d == p.moves]
            if candidates:
                break
        else:
            raise Reject("no lot had an arrangement that many slides from a solution")
        start = candidates[int(rng.integers(len(candidates)))]
        slides = _solution(vehicles, states, edges, distance, start)
        lot = [[*v[:4], pos] for v, pos in zip(vehicles, _unpack(states[start], len(vehicles)), strict=True)]
        data = {"vehicles": lot, "optimum": p.moves}
        return Problem(data, " ".join(f"{a}{b}{c}" for a, b, c in slides), float(_search_effort(edges, distance, start)))

    def context(self, problem: Problem, lang: str) -> dict:
        lot = problem.data["vehicles"]
        return dict(board=format_board(_board(lot)), example=_example(lot))

    def verify(self, problem: dict, answer: str) -> Verdict:
        lot = problem["vehicles"]
        try:
            slides = parse_slides(answer, "".join(v[0] for v in lot), MAX_SLIDES)
        except TooManyMoves as error:
            return Verdict.invalid(str(error))
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        board = _board(lot)
        where = {v[0]: list(_cells(v)) for v in lot}
        for k, (name, way, distance) in enumerate(slides, start=1):
            dr, dc = STEPS[way]
            horizontal = where[name][0][0] == where[name][-1][0]
            if (dr == 0) != horizontal:
                return Verdict.wrong(f"slide {k}: {name} cannot move {way}; it lies "
                                     f"{'horizontally' if horizontal else 'vertically'}")
            for _ in range(distance):
                cells = [(r + dr, c + dc) for r, c in where[name]]
                ahead = [cell for cell in cells if cell not in where[name]]
                if not all(0 <= r < SIZE and 0 <= c < SIZE and board[r][c] == "." for r, c in ahead):
                    return Verdict.wrong(f"slide {k} ({name}{way}{distance}) runs into a vehicle or the edge")
                for r, c in where[name]:
                    board[r][c] = "."
                for r, c in cells:
                    board[r][c] = name
                where[name] = cells
        if board[ROW][SIZE - 1] != RED or board[ROW][SIZE - 2] != RED:
            return Verdict.wrong("the red car X has not reached the exit")
        return Verdict.ok(slides=len(slides), optimum=problem["optimum"])

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        red = next(v for v in problem["vehicles"] if v[0] == RED)
        return {"drive X straight out": f"XR{SIZE - 2 - red[4]}", "the example": _example(problem["vehicles"])}

    def hardness(self, problem: dict) -> float:
        return float(problem["optimum"])

    def instance_space(self, spec: dict) -> float | None:
        vehicles = spec["vehicles"][0] if isinstance(spec["vehicles"], tuple) else spec["vehicles"]
        return float(10.0 ** min(vehicles, 12))  # about 20 free spots per vehicle, most overlapping

    def alternative_forms(self, problem: Problem) -> list[str]:
        slides = problem.answer.split()
        spaced = [f"{s[0]} {s[1]} {s[2:]}" for s in slides]
        return decorated_forms(slides, ", ") + [", ".join(spaced), "; ".join(slides), "\n".join(spaced)]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        slides = problem.answer.split()
        flip = {"U": "D", "D": "U", "L": "R", "R": "L"}
        k = int(rng.integers(len(slides)))
        out = [slides[:-1], slides[1:], slides[:k] + [slides[k][0] + flip[slides[k][1]] + slides[k][2:]] + slides[k + 1:],
               slides[:k] + [slides[k][:2] + str(int(slides[k][2:]) + 5)] + slides[k + 1:], slides[::-1]]
        texts = [" ".join(s) for s in out if s]
        return [t for t in texts if self.verify(problem.data, t).score < 1]


def _cells(vehicle) -> list[tuple[int, int]]:
    """The cells of ``[name, horizontal, line, length, position]``, front last."""
    name, horizontal, line, length, position = vehicle
    return [(line, position + i) if horizontal else (position + i, line) for i in range(length)]


def _board(lot) -> list[list[str]]:
    board = [["."] * SIZE for _ in range(SIZE)]
    for vehicle in lot:
        for r, c in _cells(vehicle):
            board[r][c] = vehicle[0]
    return board


def _example(lot) -> str:
    """An example answer in the right form that is not a solution (X never moves)."""
    others = [v for v in lot if v[0] != RED]
    v = others[0]
    return f"{v[0]}{'R' if v[1] else 'D'}1 {RED}L1" if others else "XL1"


def _place(rng: np.random.Generator, count: int, trucks: float) -> list[list]:
    """X somewhere in its row, then ``count`` vehicles dropped where they fit (the start is
    drawn later from every arrangement this one reaches)."""
    vehicles = [[RED, True, ROW, 2, int(rng.integers(0, SIZE - 2))]]
    taken = set(_cells(vehicles[0]))
    names = iter(LETTERS)
    for _ in range(50 * count):
        if len(vehicles) > count:
            break
        horizontal = bool(rng.random() < 0.5)
        length = 3 if rng.random() < trucks else 2
        line = int(rng.integers(SIZE))
        if horizontal and line == ROW:
            continue
        vehicle = [None, horizontal, line, length, int(rng.integers(SIZE - length + 1))]
        cells = set(_cells(vehicle))
        if cells & taken:
            continue
        vehicle[0] = next(names)
        vehicles.append(vehicle)
        taken |= cells
    if len(vehicles) <= count:
        raise Reject("the lot is too full for that many vehicles")
    return vehicles


def _runs(length: int) -> list[list[tuple[int, ...]]]:
    """``runs[pos][line]``: the shifts open to a vehicle of ``length`` at ``pos`` when the other
    vehicles cover the bits ``line`` of its row or column."""
    table = []
    for pos in range(SIZE - length + 1):
        by_line = []
        for line in range(1 << SIZE):
            shifts = []
            for sign in (-1, 1):
                new = pos + sign
                while 0 <= new <= SIZE - length and not line >> new & ((1 << length) - 1):
                    shifts.append(new - pos)
                    new += sign
            by_line.append(tuple(shifts))
        table.append(by_line)
    return table


RUNS = {length: _runs(length) for length in (2, 3)}


def _explore(vehicles) -> tuple[list[int], list[list[int]]]:
    """Every arrangement reachable from the placement (packed: 3 bits of position per vehicle)
    and, per arrangement, the indices of the arrangements one slide away."""
    count = len(vehicles)
    shifts = [3 * v for v in range(count)]
    # a vehicle's cells as bits of its line (the row of a horizontal one, the column of a
    # vertical one), of the rows (bit r·6+c) and of the columns (bit c·6+r)
    own = [[((1 << length) - 1) << pos for pos in range(SIZE - length + 1)] for _, _, _, length, _ in vehicles]
    across = [[sum(1 << (line * SIZE + pos + i) for i in range(length)) for pos in range(SIZE - length + 1)]
              for _, _, line, length, _ in vehicles]
    crossing = [[sum(1 << ((pos + i) * SIZE + line) for i in range(length)) for pos in range(SIZE - length + 1)]
                for _, _, line, length, _ in vehicles]
    horizontal = [v[1] for v in vehicles]
    rows_bits = [across[v] if horizontal[v] else crossing[v] for v in range(count)]
    cols_bits = [crossing[v] if horizontal[v] else across[v] for v in range(count)]
    lines = [v[2] * SIZE for v in vehicles]
    runs = [RUNS[v[3]] for v in vehicles]
    start = sum(v[4] << shift for v, shift in zip(vehicles, shifts, strict=True))
    index, states, edges = {start: 0}, [start], []
    full = (1 << SIZE) - 1
    for state in states:  # the list grows while it is read: a breadth-first queue
        positions = [(state >> shift) & 7 for shift in shifts]
        by_rows = by_cols = 0
        for v, pos in enumerate(positions):
            by_rows |= rows_bits[v][pos]
            by_cols |= cols_bits[v][pos]
        out = []
        for v, pos in enumerate(positions):
            line = ((by_rows if horizontal[v] else by_cols) >> lines[v]) & full
            for shift in runs[v][pos][line ^ own[v][pos]]:
                nxt = state + (shift << shifts[v])
                j = index.get(nxt)
                if j is None:
                    if len(states) >= MAX_STATES:
                        raise Reject("the lot has too many arrangements to explore")
                    j = index[nxt] = len(states)
                    states.append(nxt)
                out.append(j)
        edges.append(out)
    return states, edges


def _distances(vehicles, states, edges) -> list[int]:
    """Slides from each arrangement to the nearest solved one (-1: none), by a backward
    breadth-first search from every solved arrangement (slides are reversible)."""
    goal = SIZE - 2
    distance = [0 if state & 7 == goal else -1 for state in states]
    queue = deque(i for i, d in enumerate(distance) if d == 0)
    while queue:
        i = queue.popleft()
        for j in edges[i]:
            if distance[j] < 0:
                distance[j] = distance[i] + 1
                queue.append(j)
    return distance


def _search_effort(edges, distance, start) -> int:
    """Arrangements a plain breadth-first search from ``start`` expands before its first
    solved one: the work of proving the optimum."""
    seen, frontier, expanded = {start}, [start], 0
    while frontier and all(distance[i] for i in frontier):
        layer = []
        for i in frontier:
            expanded += 1
            for j in edges[i]:
                if j not in seen:
                    seen.add(j)
                    layer.append(j)
        frontier = layer
    return expanded


def _solution(vehicles, states, edges, distance, start) -> list[tuple[str, str, int]]:
    """A fewest-slides solution from ``start``: always slide to an arrangement one nearer."""
    slides, i = [], start
    while distance[i] > 0:
        j = next(j for j in edges[i] if distance[j] == distance[i] - 1)
        v, shift = _moved(states[i], states[j], len(vehicles))
        way = ("R" if shift > 0 else "L") if vehicles[v][1] else ("D" if shift > 0 else "U")
        slides.append((vehicles[v][0], way, abs(shift)))
        i = j
    return slides


def _unpack(state: int, count: int) -> list[int]:
    return [(state >> (3 * v)) & 7 for v in range(count)]


def _moved(before: int, after: int, count: int) -> tuple[int, int]:
    """The vehicle that slid between two packed arrangements, and by how much."""
    old, new = _unpack(before, count), _unpack(after, count)
    v = next(v for v in range(count) if old[v] != new[v])
    return v, new[v] - old[v]
