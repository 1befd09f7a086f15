"""Knight swap: white and black knights trade places on a small board, in the fewest moves.

The board is a small rectangle with some squares missing. A move takes a knight of the side to
move (white first, then the colours alternate) one knight's jump (two squares one way, one the
other) to an empty square of the board; knights jump over anything. The goal: every square that
held a white knight holds a black one and vice versa. A tiny example (``#``: no square)::

    3 . . B
    2 . # .       a1-b3, c3-b1, b3-c1, b1-a3, c1-a2, a3-c2, a2-c3, c2-a1
    1 W . .       (8 moves, the fewest: the knights chase each other round the ring)
      a b c

Any legal move list that ends in the swapped position with the fewest moves scores 1; a legal
but longer one scores 0 with ``fraction = optimum / length``. When no swap is possible the
answer is ``impossible`` (a small ``infeasible`` share). A breadth-first search over every
reachable position (knights of each colour, side to move) proves both at generation
(``effort``: positions expanded); the tests re-derive optima with an iterative-deepening search
and re-prove infeasibility with a backward search from the goal. ``hardness`` is the optimal
move count (infeasible: the number of reachable positions).
"""

from __future__ import annotations

import re
from collections import deque

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import decorated_forms, scalar_forms
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.search._planning import is_word, judge_length, read_plan
from synlog.verifiers.verdict import Verdict

IMPOSSIBLE = "impossible"
STEP = re.compile(r"([a-e][1-5])\s*(?:-|->|→|to)\s*([a-e][1-5])", re.I)
Position = tuple[frozenset[str], frozenset[str], int]  # white squares, black squares, side (0 white)


def square(row: int, col: int) -> str:
    return "abcde"[col] + str(row + 1)


def jumps(squares: list[str]) -> dict[str, list[str]]:
    """Each square → the squares of the board a knight's jump away."""
    on = set(squares)
    out = {}
    for s in squares:
        c, r = "abcde".index(s[0]), int(s[1]) - 1
        out[s] = [t for dc, dr in ((1, 2), (2, 1), (-1, 2), (-2, 1), (1, -2), (2, -1), (-1, -2), (-2, -1))
                  if 0 <= c + dc < 5 and 0 <= r + dr < 5 and (t := square(r + dr, c + dc)) in on]
    return out


def solve(squares: list[str], white: list[str], black: list[str]) -> tuple[list[str] | None, int]:
    """A fewest-move swap by breadth-first search (None when there is none), and the number of
    positions expanded. Positions are bit masks over ``squares`` (white, black, side to move)."""
    index = {s: i for i, s in enumerate(squares)}
    graph = jumps(squares)
    reach = [[index[t] for t in graph[s]] for s in squares]
    w0 = sum(1 << index[s] for s in white)
    b0 = sum(1 << index[s] for s in black)
    start = (w0, b0, 0)
    parent: dict[tuple[int, int, int], tuple[tuple[int, int, int], int, int] | None] = {start: None}
    queue, expanded = deque([start]), 0
    while queue:
        pos = queue.popleft()
        if pos[0] == b0 and pos[1] == w0:
            moves = []
            while parent[pos] is not None:
                pos, a, b = parent[pos]  # type: ignore[misc]
                moves.append(f"{squares[a]}-{squares[b]}")
            return moves[::-1], expanded
        expanded += 1
        mine, side = pos[pos[2]], pos[2]
        occupied = pos[0] | pos[1]
        for a in range(len(squares)):
            if not mine >> a & 1:
                continue
            for b in reach[a]:
                if occupied >> b & 1:
                    continue
                moved = mine ^ (1 << a) ^ (1 << b)
                nxt = (moved, pos[1], 1) if side == 0 else (pos[0], moved, 0)
                if nxt not in parent:
                    parent[nxt] = (pos, a, b)
                    queue.append(nxt)
    return None, expanded


@register
class KnightSwap(Task):
    """Swap the white and black knights on a small board in the fewest alternating moves."""

    name, family, version = "knight_swap", "search", 1
    unique_answer = False
    chance = 0.06
    knobs = Knobs(
        rows=Knob(int, levels=[3, 3, 4, 4, 4, 4, 4, 4, 4, 4], lo=3, hi=5, help="board rows"),
        cols=Knob(int, levels=[4, 4, 4, 4, 4, 4, 4, 5, 5, 5], lo=3, hi=5, help="board columns"),
        holes=Knob(int, levels=[3, 2, 4, 3, 3, 4, 4, 8, 7, 7], lo=0, hi=15, help="missing squares"),
        knights=Knob(int, levels=[1, 1, 2, 2, 2, 3, 3, 3, 3, 3], lo=1, hi=3, help="knights of each colour"),
        min_moves=Knob(int, levels=[3, 5, 8, 10, 12, 12, 14, 16, 16, 18], lo=1, hi=40,
                       help="fewest moves the optimal swap must take"),
        infeasible=Knob(float, levels=[0.05, 0.05] + [0.03] * 8, lo=0.0, hi=0.05,
                        help="share of instances with no swap (answer 'impossible')"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        # the kind is drawn once and candidates of that kind redrawn here, so that rejections
        # never skew the infeasible share
        infeasible = bool(rng.random() < p.infeasible)
        for _ in range(300):
            cells = [square(r, c) for r in range(p.rows) for c in range(p.cols)]
            keep = sorted(cells[i] for i in rng.choice(len(cells), len(cells) - p.holes, replace=False))
            if len(keep) < 2 * p.knights + 1:
                raise Reject("too few squares")
            placed = [keep[i] for i in rng.permutation(len(keep))[:2 * p.knights]]
            white, black = sorted(placed[:p.knights]), sorted(placed[p.knights:])
            moves, expanded = solve(keep, white, black)
            if moves is None and infeasible or moves is not None and not infeasible and len(moves) >= p.min_moves:
                break
        else:
            raise Reject("no instance of this kind found")
        data = {"rows": p.rows, "cols": p.cols, "squares": keep, "white": white, "black": black,
                "optimum": None if moves is None else len(moves),
                "reachable": expanded}
        return Problem(data, IMPOSSIBLE if moves is None else ", ".join(moves), float(expanded))

    def context(self, problem: Problem, lang: str) -> dict:
        d = problem.data
        lines = []
        for r in range(d["rows"] - 1, -1, -1):
            row = ["W" if (s := square(r, c)) in d["white"] else "B" if s in d["black"]
                   else "." if s in d["squares"] else "#" for c in range(d["cols"])]
            lines.append(f"{r + 1} " + " ".join(row))
        lines.append("  " + " ".join("abcde"[:d["cols"]]))
        example = f"{d['white'][0]}-{d['white'][0][0]}{'5' if d['white'][0][1] != '5' else '4'}"
        return dict(board="\n".join(lines), example=example, **d)

    def verify(self, problem: dict, answer: str) -> Verdict:
        optimum = problem["optimum"]
        if is_word(answer, IMPOSSIBLE):
            return Verdict.ok() if optimum is None else Verdict.wrong("the knights can swap")
        steps = read_plan(answer, STEP, max_steps=4 * (optimum or 10) + 20)
        if isinstance(steps, Verdict):
            return steps
        graph = jumps(problem["squares"])
        sides = [set(problem["white"]), set(problem["black"])]
        for k, (a, b) in enumerate(steps):
            a, b, mine = a.lower(), b.lower(), sides[k % 2]
            if a not in mine:
                return Verdict.wrong(f"move {k + 1} ({a}-{b}): no {('white', 'black')[k % 2]} knight on {a}")
            if b not in graph[a] or b in sides[0] or b in sides[1]:
                return Verdict.wrong(f"move {k + 1} ({a}-{b}) is not a knight's jump to an empty square")
            mine.remove(a)
            mine.add(b)
        if optimum is None:
            return Verdict.wrong("no sequence of moves swaps these knights")
        if sides != [set(problem["black"]), set(problem["white"])]:
            return Verdict.wrong("the knights have not swapped places")
        return judge_length(len(steps), optimum)

    def hardness(self, problem: dict) -> float:
        return float(problem["optimum"] if problem["optimum"] is not None else problem["reachable"] ** 0.5)

    def instance_space(self, spec: dict) -> float | None:
        from math import comb
        cells = int(max(np.atleast_1d(spec["rows"]))) * int(max(np.atleast_1d(spec["cols"])))
        holes, k = int(min(np.atleast_1d(spec["holes"]))), int(max(np.atleast_1d(spec["knights"])))
        return float(comb(cells, holes) * comb(cells - holes, k) * comb(cells - holes - k, k))

    def alternative_forms(self, problem: Problem) -> list[str]:
        if problem.answer == IMPOSSIBLE:
            return scalar_forms(IMPOSSIBLE) + ["Impossible"]
        return decorated_forms(problem.answer.split(", "), ", ") + [problem.answer.upper(),
                                                                    problem.answer.replace("-", " to ")]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        if problem.answer == IMPOSSIBLE:
            w = problem.data["white"][0]
            return [f"{w}-{w}", "none", "no"]
        steps = problem.answer.split(", ")
        return [IMPOSSIBLE, ", ".join(steps[:-1]), ", ".join(steps[1:]), problem.answer + ", " + problem.answer,
                ", ".join(steps[:1] + [steps[0].split("-")[1] + "-" + steps[0].split("-")[0]] + steps)]

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        return {"impossible": IMPOSSIBLE}
