"""Twiddle: rotate k×k blocks of a numbered n×n grid a quarter turn at a time to reach a target.

Rules: a move names the top-left cell of a k×k block (row, column, counted from 1) and a
direction, ``cw`` (clockwise: the block's top row becomes its right column) or ``ccw``. The
answer is a shortest move sequence turning the start grid into the target grid. A 3×3, k = 2
example one move from the target (turning the block 2 5 / 1 4 clockwise gives 1 2 / 4 5)::

    2 5 3                  1 2 3
    1 4 6   "1 1 cw"  →    4 5 6
    7 8 9                  7 8 9

The target is a random arrangement of the numbers 1..n² (so every prompt is new and no
target is a pattern to memorise). How the optimum is proved: the start is the target
scrambled by ``moves`` random moves, and a bidirectional breadth-first search (from the start
and from the target, always growing the smaller frontier) finds the true distance; scrambles that turn out shorter than ``moves`` are
redrawn, so the optimal length is exactly the knob. ``verify`` replays the answer (at most
``MAX_MOVES`` moves): a sequence that reaches the target in the optimal number of moves scores
1; a longer one scores 0 with ``details["fraction"]`` = optimum / length.
"""

from __future__ import annotations

import math
import re
from functools import cache
from operator import itemgetter

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

#: longest answer replayed
MAX_MOVES = 200
#: scrambles tried before the draw is given up
SCRAMBLES = 20
_MOVE = re.compile(r"([0-9]{1,2})\s+([0-9]{1,2})\s+(cw|ccw)", re.I)

Move = tuple[int, int, str]


@cache
def move_getters(n: int, k: int) -> tuple[tuple[Move, itemgetter], ...]:
    """The moves as item getters (a state is a tuple: the getter builds the moved tuple fast)."""
    return tuple((move, itemgetter(*perm)) for move, perm in move_table(n, k).items())


@cache
def move_table(n: int, k: int) -> dict[Move, tuple[int, ...]]:
    """Each move (row, column from 1, direction) as the index each cell takes its value from."""
    table = {}
    for r in range(n - k + 1):
        for c in range(n - k + 1):
            cw = list(range(n * n))
            for i in range(k):
                for j in range(k):
                    # clockwise: the cell (i, j) of the block receives the value of (k-1-j, i)
                    cw[(r + i) * n + c + j] = (r + k - 1 - j) * n + c + i
            ccw = [0] * (n * n)
            for target, source in enumerate(cw):
                ccw[source] = target
            table[r + 1, c + 1, "cw"] = tuple(cw)
            table[r + 1, c + 1, "ccw"] = tuple(ccw)
    return table


def apply(state: tuple[int, ...], perm: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(state[i] for i in perm)


def inverse(move: Move) -> Move:
    return (move[0], move[1], "ccw" if move[2] == "cw" else "cw")


def shortest_solution(start: tuple[int, ...], goal: tuple[int, ...], n: int, k: int) -> tuple[list[Move], int]:
    """A shortest move sequence from ``start`` to ``goal`` and the states expanded
    (bidirectional breadth-first search)."""
    getters = move_getters(n, k)
    if start == goal:
        return [], 0
    seen = [{start: None}, {goal: None}]  # state -> (previous state, move taken from it)
    frontier = [[start], [goal]]
    expanded = 0
    while frontier[0] and frontier[1]:
        side = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        grown = []
        for state in frontier[side]:
            expanded += 1
            for move, get in getters:
                nxt = get(state)
                if nxt in seen[side]:
                    continue
                seen[side][nxt] = (state, move)
                if nxt in seen[1 - side]:
                    return _join(seen, nxt), expanded
                grown.append(nxt)
        frontier[side] = grown
    raise Reject("the target cannot be reached")


def _join(seen: list[dict], meet: tuple[int, ...]) -> list[Move]:
    forward, state = [], meet
    while seen[0][state] is not None:
        state, move = seen[0][state]
        forward.append(move)
    backward, state = [], meet
    while seen[1][state] is not None:
        state, move = seen[1][state]
        backward.append(inverse(move))
    return forward[::-1] + backward


def parse_moves(text: str) -> list[Move]:
    """Moves ``row column cw|ccw`` separated by commas, semicolons or lines."""
    items = [item.strip() for line in answer_lines(bounded(text)) for item in re.split(r"[,;]", line)]
    if not items or any(not item for item in items):
        raise AnswerError("expected moves such as '1 2 cw, 2 1 ccw'")
    if len(items) > MAX_MOVES:
        raise AnswerError(f"more than {MAX_MOVES} moves")
    moves = []
    for item in items:
        match = _MOVE.fullmatch(item)
        if match is None:
            raise AnswerError(f"{item[:30]!r} is not a move 'row column cw' or 'row column ccw'")
        moves.append((int(match[1]), int(match[2]), match[3].lower()))
    return moves


def show(grid: list[int], n: int) -> str:
    width = len(str(n * n))
    return "\n".join(" ".join(str(v).rjust(width) for v in grid[r * n:(r + 1) * n]) for r in range(n))


@register
class Twiddle(Task):
    """Rotate k×k blocks of a numbered grid to reach a target in the fewest moves (any shortest sequence)."""

    name, family, version = "twiddle", "search", 1
    unique_answer = False
    knobs = Knobs(
        n=Knob(int, levels=[3, 3, 3, 3, 3, 4, 4, 4, 4, 5], lo=3, hi=5, help="grid side"),
        k=Knob(int, levels=[2] * 10, lo=2, hi=3, help="side of a rotated block"),
        moves=Knob(int, levels=[3, 4, 5, 6, 7, 5, 6, (6, 7), 7, 6], lo=1, hi=8, help="optimal solution length"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        table = move_table(p.n, p.k)
        names = list(table)
        goal = tuple(int(v) + 1 for v in rng.permutation(p.n * p.n))
        effort = 0
        for _ in range(SCRAMBLES):
            start, last = goal, None
            for _ in range(p.moves):
                move = names[int(rng.integers(len(names)))]
                while last is not None and move == inverse(last):
                    move = names[int(rng.integers(len(names)))]
                start, last = apply(start, table[move]), move
            solution, expanded = shortest_solution(start, goal, p.n, p.k)
            effort += expanded
            if len(solution) == p.moves:
                data = {"n": p.n, "k": p.k, "start": list(start), "target": list(goal), "optimum": p.moves}
                answer = ", ".join(f"{r} {c} {d}" for r, c, d in solution)
                return Problem(data, answer, float(effort))
        raise Reject("no scramble kept its length")

    def context(self, problem: Problem, lang: str) -> dict:
        data = problem.data
        return dict(n=data["n"], k=data["k"], last=data["n"] - data["k"] + 1,
                    start=show(data["start"], data["n"]), target=show(data["target"], data["n"]))

    def verify(self, problem: dict, answer: str) -> Verdict:
        n, k = problem["n"], problem["k"]
        if len(answer) > MAX_CHARS or answer.count(",") + answer.count(";") + answer.count("\n") >= MAX_MOVES:
            return Verdict.invalid(f"answer longer than {MAX_MOVES} moves or {MAX_CHARS} characters")
        try:
            moves = parse_moves(answer)
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        table = move_table(n, k)
        state = tuple(problem["start"])
        for step, move in enumerate(moves, start=1):
            if move not in table:
                return Verdict.invalid(f"move {step} ({move[0]} {move[1]}) is not the top-left cell of a"
                                       f" {k}×{k} block; rows and columns run from 1 to {n - k + 1}")
            state = apply(state, table[move])
        if state != tuple(problem["target"]):
            return Verdict.wrong("the moves do not reach the target grid")
        best = problem["optimum"]
        if len(moves) > best:
            return Verdict.wrong(f"{len(moves)} moves; {best} suffice", fraction=best / len(moves),
                                 optimum=best, value=len(moves))
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        moves = problem.answer.split(", ")
        return ["; ".join(moves), "\n".join(moves), problem.answer.upper(), *decorated_forms(moves, ", ")]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        moves = problem.answer.split(", ")
        flipped = [" ".join(moves[0].split()[:2] + ["ccw" if moves[0].endswith(" cw") else "cw"])]
        longer = moves + ["1 1 cw", "1 1 ccw"]
        return [", ".join(flipped + moves[1:]), ", ".join(moves[:-1]), ", ".join(longer),
                ", ".join(moves[::-1]), problem.answer + ", " + problem.answer]

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        return {"one clockwise turn of the first block": "1 1 cw",
                "four clockwise turns of the first block": ", ".join(["1 1 cw"] * 4)}

    def hardness(self, problem: dict) -> float:
        # moves to find times the moves to choose from at each step
        n, k = problem["n"], problem["k"]
        return float(problem["optimum"] * 2 * (n - k + 1) ** 2)

    def instance_space(self, spec: dict) -> float | None:
        n, k, moves = (v[1] if isinstance(v, tuple) else v for v in (spec["n"], spec["k"], spec["moves"]))
        # random targets times scrambles with no move undoing the last (an upper estimate)
        branching = 2 * (n - k + 1) ** 2
        return float(math.factorial(n * n) * branching * (branching - 1) ** (moves - 1))
