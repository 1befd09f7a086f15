"""Sliding puzzle: slide the tiles of an n×m board into a goal arrangement in the fewest moves.

Rules: the board holds tiles ``1 .. n·m−1`` and one empty square ``.``. A move slides a tile
next to the empty square into it; the answer names each move by the way the *empty square*
travels (``U D L R``), so ``L`` slides the tile on its left one step to the right. The answer
is a shortest move sequence from the start to the goal (any shortest one scores 1), or the
word ``unsolvable`` when the goal cannot be reached. A 2×3 example solved by ``L U L``::

    start    goal
    1 2 3    . 1 3
    4 5 .    4 2 5

How the instance is made, and why the answer is right:

1. a goal arrangement is drawn uniformly; the start is a random walk from it (never straight
   back) of ``depth`` moves (a value drawn from the level's range);
2. a bidirectional breadth-first search (full layers from both ends, the smaller side first)
   finds the exact distance; a start nearer the goal than ``depth`` is rejected;
3. an ``infeasible`` share of the instances then swaps two tiles of the start. Each move
   swaps the empty square with a tile (flipping the permutation's parity) and moves it one
   step (flipping the parity of its distance from its goal square), so the two parities stay
   equal on every reachable board; after the swap they differ: unsolvable, proved.

``effort`` counts the states the search expanded; :meth:`SlidingPuzzle.hardness` is the sum
of the tiles' Manhattan distances to their goal squares. ``verify`` simulates the moves.
"""

from __future__ import annotations

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, bounded, scalar_forms, unwrap
from synlog.tasks.common.moves import (
    OPPOSITE,
    STEPS,
    TooManyMoves,
    format_moves,
    move_candidates,
    move_forms,
    parse_moves,
)
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

UNSOLVABLE = "unsolvable"
BLANK = 0
MAX_MOVES = 500
EXAMPLES = ("L U R D", "U L D R", "R D L U")


@register
class SlidingPuzzle(Task):
    """Slide tiles into a goal arrangement in the fewest moves, or say it is unsolvable."""

    name, family, version = "sliding_puzzle", "search", 1
    unique_answer = False
    chance = 0.08  # answering "unsolvable" everywhere earns the infeasible share
    knobs = Knobs(
        rows=Knob(int, levels=[2, 2, 3, 3, 3, 3, 3, 3, 4, 4], lo=2, hi=5, help="board rows"),
        cols=Knob(int, levels=[3, 3, 3, 3, 3, 3, 4, 4, 4, 4], lo=2, hi=5, help="board columns"),
        depth=Knob(int, levels=[(3, 5), (6, 9), (8, 11), (11, 13), (13, 15), (15, 17), (16, 18), (18, 19),
                                (18, 20), (20, 22)], lo=1, hi=26, help="optimal number of moves"),
        infeasible=Knob(float, levels=[0.06, 0.06, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04],
                        lo=0.0, hi=1.0, help="share of unsolvable instances"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        rows, cols = p.rows, p.cols
        goal = tuple(rng.permutation(rows * cols).tolist())
        state, previous = goal, None
        for _ in range(p.depth):
            options = [m for m in STEPS if m != previous and slide(state, rows, cols, m) is not None]
            move = options[int(rng.integers(len(options)))]
            state, previous = slide(state, rows, cols, move), OPPOSITE[move]
        path, expanded = shortest(state, goal, rows, cols)
        if len(path) != p.depth:  # the walk doubled back on itself somewhere: draw another
            raise Reject("the walk's start is nearer the goal than its length")
        data = {"rows": rows, "cols": cols, "start": list(state), "goal": list(goal), "optimum": len(path)}
        answer = format_moves(path)
        if rng.random() < p.infeasible:
            tiles = [i for i, x in enumerate(state) if x != BLANK]
            a, b = rng.choice(tiles, 2, replace=False).tolist()
            start = list(state)
            start[a], start[b] = start[b], start[a]
            if solvable(start, goal, cols):
                raise AssertionError("a tile swap always flips solvability")
            data |= {"start": start, "optimum": None}
            answer = UNSOLVABLE
        return Problem(data, answer, float(expanded))

    def context(self, problem: Problem, lang: str) -> dict:
        d = problem.data
        example = next(e for e in EXAMPLES if self.verify(d, e).score < 1)
        return dict(rows=d["rows"], cols=d["cols"], start=show(d["start"], d["cols"]),
                    goal=show(d["goal"], d["cols"]), example=example)

    def verify(self, problem: dict, answer: str) -> Verdict:
        rows, cols, optimum = problem["rows"], problem["cols"], problem["optimum"]
        try:
            said_unsolvable = unwrap(bounded(answer)).lower() == UNSOLVABLE
        except AnswerError:
            said_unsolvable = False
        if said_unsolvable:
            return Verdict.ok() if optimum is None else Verdict.wrong("the goal can be reached")
        try:
            moves = parse_moves(answer, MAX_MOVES)
        except TooManyMoves as error:
            return Verdict.invalid(str(error))
        except AnswerError as error:
            return Verdict.unparseable(f"{error}; or answer '{UNSOLVABLE}'")
        if optimum is None:
            return Verdict.wrong("the goal cannot be reached from the start (a parity argument)")
        state = tuple(problem["start"])
        for k, move in enumerate(moves, start=1):
            state = slide(state, rows, cols, move)
            if state is None:
                return Verdict.wrong(f"move {k} ({move}) takes the empty square off the board")
        if list(state) != problem["goal"]:
            return Verdict.wrong("the moves do not reach the goal arrangement")
        if len(moves) > optimum:
            return Verdict.wrong(f"{len(moves)} moves; the fewest is {optimum}",
                                 fraction=optimum / len(moves), optimum=optimum, value=len(moves))
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        return {"always unsolvable": UNSOLVABLE}

    def hardness(self, problem: dict) -> float:
        cols = problem["cols"]
        where = {tile: divmod(i, cols) for i, tile in enumerate(problem["goal"])}
        return float(sum(abs(r - where[t][0]) + abs(c - where[t][1])
                         for i, t in enumerate(problem["start"]) if t != BLANK for r, c in [divmod(i, cols)]))

    def instance_space(self, spec: dict) -> float | None:
        def low(key):  # a ranged knob counts by its smallest value
            return spec[key][0] if isinstance(spec[key], tuple) else spec[key]
        cells, lo = low("rows") * low("cols"), low("depth")
        goals = float(np.prod(np.arange(1, cells + 1, dtype=float)))
        return goals * 1.8 ** lo  # boards at that distance grow by about 1.8–2.1 per move

    def alternative_forms(self, problem: Problem) -> list[str]:
        if problem.answer == UNSOLVABLE:
            return scalar_forms(UNSOLVABLE) + ["Unsolvable", "UNSOLVABLE"]
        return move_forms(problem.answer.split())

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        if problem.answer == UNSOLVABLE:
            return ["L U", "R"]
        walks = [format_moves(w) for w in move_candidates(problem.answer.split(), rng)] + [UNSOLVABLE]
        return [w for w in walks if self.verify(problem.data, w).score < 1]


def slide(state: tuple, rows: int, cols: int, move: str) -> tuple | None:
    """The board after the empty square moves one step ``move``; None off the board."""
    i = state.index(BLANK)
    r, c = divmod(i, cols)
    dr, dc = STEPS[move]
    if not (0 <= r + dr < rows and 0 <= c + dc < cols):
        return None
    j = (r + dr) * cols + c + dc
    board = list(state)
    board[i], board[j] = board[j], board[i]
    return tuple(board)


def solvable(start, goal, cols: int) -> bool:
    """The parity invariant: the permutation from goal to start has the parity of the empty
    square's taxicab distance from its goal square (necessary and, on any board, sufficient)."""
    position = {tile: i for i, tile in enumerate(goal)}
    perm = [position[tile] for tile in start]
    seen, parity = [False] * len(perm), 0
    for i in range(len(perm)):  # parity = Σ (cycle length − 1)
        length = 0
        while not seen[i]:
            seen[i], i, length = True, perm[i], length + 1
        parity += max(length - 1, 0)
    (r, c), (gr, gc) = divmod(list(start).index(BLANK), cols), divmod(list(goal).index(BLANK), cols)
    return parity % 2 == (abs(r - gr) + abs(c - gc)) % 2


def shortest(start: tuple, goal: tuple, rows: int, cols: int) -> tuple[list[str], int]:
    """A shortest move list from ``start`` to ``goal`` by bidirectional breadth-first search
    over whole layers, and the states expanded."""
    if start == goal:
        return [], 0
    sides = [{start: None}, {goal: None}]
    frontiers = [[start], [goal]]
    expanded = 0
    while frontiers[0] and frontiers[1]:
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        seen, other = sides[side], sides[1 - side]
        layer, meets = [], []
        for state in frontiers[side]:
            expanded += 1
            for move in STEPS:
                nxt = slide(state, rows, cols, move)
                if nxt is None or nxt in seen:
                    continue
                seen[nxt] = (state, move)
                layer.append(nxt)
                if nxt in other:
                    meets.append(nxt)
        frontiers[side] = layer
        if meets:  # every meeting in this full layer has the same forward depth: pick the closest
            meet = min(meets, key=lambda s: _depth(other, s))
            return _path(sides[0], sides[1], meet), expanded
    raise AssertionError("no route between two boards of equal parity")


def _depth(parents: dict, state) -> int:
    depth = 0
    while parents[state] is not None:
        state, depth = parents[state][0], depth + 1
    return depth


def _path(forward: dict, backward: dict, meet) -> list[str]:
    head, state = [], meet
    while forward[state] is not None:
        state, move = forward[state]
        head.append(move)
    tail, state = [], meet
    while backward[state] is not None:
        state, move = backward[state]
        tail.append(OPPOSITE[move])
    return head[::-1] + tail


def show(board: list[int], cols: int) -> str:
    """The board one row per line, the empty square as ``.``."""
    cells = ["." if x == BLANK else str(x) for x in board]
    width = max(map(len, cells))
    return "\n".join(" ".join(cell.rjust(width) for cell in cells[i:i + cols]) for i in range(0, len(cells), cols))
