"""Sokoban: walk the warehouse keeper so that every box is pushed onto a goal.

Rules: ``#`` walls, ``-`` floor, ``.`` goals, ``$`` boxes, ``*`` a box on a goal, ``@`` the
keeper and ``+`` the keeper on a goal (the XSB notation, with ``-`` for floor). Each move
(``U D L R``) steps the keeper to the neighbouring cell; stepping into a box pushes it one
cell further, which is allowed only when that cell is floor or a goal (never a wall or
another box). Boxes are never pulled. The puzzle is solved when every box stands on a goal;
*any* move sequence that ends solved scores 1 (the prompt says so; the fewest pushes is
reported beside the verdict, and the level sets it). A 1-box example solved by ``R R``::

    # # # # # #
    # @ $ - . #
    # # # # # #

How the warehouse is made: a room of ``size`` cells with a ``walls`` share of inner walls
(the largest connected floor is kept); boxes start on random goals and the keeper makes
random *pulls* (walk beside a box, step back dragging it), each the reverse of a push, so
the result is solvable. A breadth-first search over pushes (the keeper's position reduced to the area it
can reach; boxes never pushed onto cells from which no goal can be reached) then finds the
fewest pushes; a warehouse that needs fewer than ``pushes`` is drawn again. ``effort``
counts the states that search expanded; :meth:`Sokoban.hardness` is the fewest pushes.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError
from synlog.tasks.common.moves import (
    STEPS,
    TooManyMoves,
    bfs,
    flood,
    format_board,
    format_moves,
    grid_successors,
    move_candidates,
    move_forms,
    parse_moves,
)
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

WALL, FLOOR, GOAL, BOX, BOX_ON_GOAL, KEEPER, KEEPER_ON_GOAL = "#", "-", ".", "$", "*", "@", "+"
MAX_MOVES = 1_000
#: push states one warehouse may take before it is drawn again
MAX_STATES = 2_500
EXAMPLES = ("U L D R", "L L U R", "D R U L")


@register
class Sokoban(Task):
    """Push every box onto a goal in a small warehouse (any solution counts)."""

    name, family, version = "sokoban", "search", 1
    unique_answer = False
    knobs = Knobs(
        size=Knob(int, levels=[5, 5, 5, 5, 6, 6, 7, 7, 7, 6], lo=3, hi=9, help="inner side of the room"),
        boxes=Knob(int, levels=[1, 1, 2, 2, 2, 2, 2, 2, 2, 3], lo=1, hi=5, help="boxes (and goals)"),
        pushes=Knob(int, levels=[2, 3, 3, 4, 5, 6, 7, 8, 9, 8], lo=1, hi=40,
                    help="fewest pushes a solution needs, at least"),
        walls=Knob(float, levels=[0.1, 0.1, 0.12, 0.12, 0.15, 0.15, 0.18, 0.18, 0.18, 0.15], lo=0.0, hi=0.4,
                   help="share of inner cells that are walls"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        board = _room(rng, p.size, p.walls)
        floor = [(r, c) for r, row in enumerate(board) for c, x in enumerate(row) if x != WALL]
        if len(floor) < p.boxes + 3:
            raise Reject("too little floor")
        picks = rng.choice(len(floor), p.boxes + 1, replace=False).tolist()
        goals = sorted(floor[i] for i in picks[:-1])
        boxes, keeper = _scramble(rng, board, set(goals), floor[picks[-1]], 3 * p.pushes)
        pushes, expanded = fewest_pushes(board, goals, boxes, keeper)
        if pushes is None or len(pushes) < p.pushes:
            raise Reject("the scramble is too easy")
        moves = _walk_pushes(board, boxes, keeper, pushes)
        data = {"board": _draw(board, goals, boxes, keeper), "pushes": len(pushes)}
        return Problem(data, format_moves(moves), float(expanded))

    def context(self, problem: Problem, lang: str) -> dict:
        board = problem.data["board"]
        example = next(e for e in EXAMPLES if self.verify(problem.data, e).score < 1)
        return dict(board=format_board(board), example=example)

    def verify(self, problem: dict, answer: str) -> Verdict:
        board, goals, boxes, keeper = read(problem["board"])
        try:
            moves = parse_moves(answer, MAX_MOVES)
        except TooManyMoves as error:
            return Verdict.invalid(str(error))
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        pushes = 0
        for k, move in enumerate(moves, start=1):
            dr, dc = STEPS[move]
            ahead = (keeper[0] + dr, keeper[1] + dc)
            if board[ahead[0]][ahead[1]] == WALL:
                return Verdict.wrong(f"move {k} ({move}) walks into a wall")
            if ahead in boxes:
                beyond = (ahead[0] + dr, ahead[1] + dc)
                if board[beyond[0]][beyond[1]] == WALL or beyond in boxes:
                    return Verdict.wrong(f"move {k} ({move}) pushes a box into a wall or another box")
                boxes = (boxes - {ahead}) | {beyond}
                pushes += 1
            keeper = ahead
        if boxes != goals:
            return Verdict.wrong(f"{len(boxes - goals)} box(es) not on a goal")
        return Verdict.ok(moves=len(moves), pushes=pushes, fewest_pushes=problem["pushes"])

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        return {f"always {m}": format_moves([m] * len(problem["board"])) for m in STEPS}

    def hardness(self, problem: dict) -> float:
        return float(problem["pushes"])

    def instance_space(self, spec: dict) -> float | None:
        def value(key):
            return spec[key][0] if isinstance(spec[key], tuple) else spec[key]
        cells, boxes = value("size") ** 2, value("boxes")
        return float(2 ** (cells * value("walls")) * cells ** (2 * boxes + 1) / 10)

    def alternative_forms(self, problem: Problem) -> list[str]:
        return move_forms(problem.answer.split())

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        walks = [format_moves(w) for w in move_candidates(problem.answer.split(), rng)]
        return [w for w in walks if self.verify(problem.data, w).score < 1]


def read(lines: list[str]) -> tuple[list[str], set, set, tuple[int, int]]:
    """Walls-and-floor board, goals, boxes and keeper of a drawn warehouse."""
    board, goals, boxes, keeper = [], set(), set(), (0, 0)
    for r, line in enumerate(lines):
        board.append("".join(WALL if x == WALL else FLOOR for x in line))
        for c, x in enumerate(line):
            if x in (GOAL, BOX_ON_GOAL, KEEPER_ON_GOAL):
                goals.add((r, c))
            if x in (BOX, BOX_ON_GOAL):
                boxes.add((r, c))
            if x in (KEEPER, KEEPER_ON_GOAL):
                keeper = (r, c)
    return board, goals, boxes, keeper


def _draw(board, goals, boxes, keeper) -> list[str]:
    out = []
    for r, line in enumerate(board):
        row = []
        for c, x in enumerate(line):
            cell, goal = (r, c), (r, c) in goals
            if x == WALL:
                row.append(WALL)
            elif cell in boxes:
                row.append(BOX_ON_GOAL if goal else BOX)
            elif cell == keeper:
                row.append(KEEPER_ON_GOAL if goal else KEEPER)
            else:
                row.append(GOAL if goal else FLOOR)
        out.append("".join(row))
    return out


def _room(rng: np.random.Generator, size: int, walls: float) -> list[str]:
    """A walled square room with random inner walls; floor cut off from the largest part walled."""
    grid = [[WALL] * (size + 2) for _ in range(size + 2)]
    for r in range(1, size + 1):
        for c in range(1, size + 1):
            grid[r][c] = WALL if rng.random() < walls else FLOOR
    board = ["".join(row) for row in grid]
    parts, seen = [], set()
    for cell in [(r, c) for r in range(1, size + 1) for c in range(1, size + 1) if grid[r][c] == FLOOR]:
        if cell not in seen:
            part = flood(cell, grid_successors(board, WALL))
            seen.update(part)
            parts.append(part)
    keep = set(max(parts, key=len)) if parts else set()
    return ["".join(FLOOR if (r, c) in keep else WALL for c in range(size + 2)) for r in range(size + 2)]


def _scramble(rng, board, goals: set, keeper, pulls: int) -> tuple[frozenset, tuple[int, int]]:
    """Boxes on the goals, then ``pulls`` random pulls: the keeper walks beside a box and steps
    back, dragging the box one cell (the exact reverse of a push)."""
    boxes = set(goals)
    if keeper in boxes:
        keeper = next(cell for cell in _reach(board, boxes, keeper) if cell not in boxes)
    for _ in range(pulls):
        area = set(_reach(board, boxes, keeper))
        options = []
        for box in sorted(boxes):
            for dr, dc in STEPS.values():
                stand, back = (box[0] + dr, box[1] + dc), (box[0] + 2 * dr, box[1] + 2 * dc)
                if stand in area and board[back[0]][back[1]] != WALL and back not in boxes:
                    options.append((box, stand, back))
        if not options:
            break
        # mostly drag a box away from the goals: random pulls alone keep undoing each other
        away = [o for o in options if _gap(o[1], goals) > _gap(o[0], goals)]
        pool = away if away and rng.random() < 0.75 else options
        box, stand, back = pool[int(rng.integers(len(pool)))]
        boxes.remove(box)
        boxes.add(stand)
        keeper = back
    area = _reach(board, boxes, keeper)
    return frozenset(boxes), area[int(rng.integers(len(area)))]


def _gap(cell, goals) -> int:
    """Manhattan distance from ``cell`` to the nearest goal."""
    return min(abs(cell[0] - g[0]) + abs(cell[1] - g[1]) for g in goals)


def _reach(board, boxes, keeper) -> list[tuple[int, int]]:
    """The cells the keeper can walk to without pushing, nearest first."""
    return flood(keeper, grid_successors(board, WALL, boxes))


def _live(board, goals) -> set:
    """Cells from which a lone box can still be pushed onto some goal."""
    live, queue = set(goals), deque(goals)
    while queue:
        r, c = queue.popleft()
        for dr, dc in STEPS.values():
            source, keeper = (r - dr, c - dc), (r - 2 * dr, c - 2 * dc)
            if source not in live and board[source[0]][source[1]] != WALL and board[keeper[0]][keeper[1]] != WALL:
                live.add(source)
                queue.append(source)
    return live


def fewest_pushes(board, goals, boxes, keeper) -> tuple[list | None, int]:
    """A solution with the fewest pushes as ``(box, move)`` pairs, by breadth-first search
    over pushes; states with the same boxes whose keepers share an area are expanded once.
    None when none exists within ``MAX_STATES`` expansions. Cells are bits of an int here
    (cell r·width+c), which keeps the keeper's flood fill cheap."""
    width = len(board[0])
    bit = {(r, c): r * width + c for r in range(len(board)) for c in range(width)}
    floor = sum(1 << bit[(r, c)] for r, row in enumerate(board) for c, x in enumerate(row) if x != WALL)
    live = sum(1 << bit[cell] for cell in _live(board, goals))
    offsets = {move: dr * width + dc for move, (dr, dc) in STEPS.items()}
    steps = tuple(offsets.values())
    goal_mask = sum(1 << bit[cell] for cell in goals)

    def reach(boxes_mask: int, here: int) -> int:
        free, seen, stack = floor & ~boxes_mask, 1 << here, [here]
        while stack:
            cell = stack.pop()
            for off in steps:
                n = cell + off
                if free >> n & 1 and not seen >> n & 1:
                    seen |= 1 << n
                    stack.append(n)
        return seen

    start = (sum(1 << bit[cell] for cell in boxes), bit[keeper])
    parent: dict = {start: None}
    closed: set = set()
    queue = deque([start])
    expanded = 0
    while queue:
        key = queue.popleft()
        boxes_mask, here = key
        if boxes_mask == goal_mask:
            path = []
            while parent[key] is not None:
                key, (box, move) = parent[key]
                path.append((divmod(box, width), move))
            return path[::-1], expanded
        area = reach(boxes_mask, here)
        canon = (boxes_mask, area & -area)
        if canon in closed:
            continue
        closed.add(canon)
        expanded += 1
        if expanded > MAX_STATES:
            return None, expanded
        rest = boxes_mask
        while rest:
            low = rest & -rest
            rest ^= low
            box = low.bit_length() - 1
            for move, off in offsets.items():
                target = box + off
                if area >> (box - off) & 1 and live >> target & 1 and not boxes_mask >> target & 1:
                    nxt = (boxes_mask ^ low | 1 << target, box)
                    if nxt not in parent:
                        parent[nxt] = (key, (box, move))
                        queue.append(nxt)
    return None, expanded


def _walk_pushes(board, boxes, keeper, pushes) -> list[str]:
    """The keeper's moves: a shortest walk to behind each box, then the push."""
    boxes, moves = set(boxes), []
    for box, move in pushes:
        dr, dc = STEPS[move]
        moves += _walk(board, boxes, keeper, (box[0] - dr, box[1] - dc))
        moves.append(move)
        boxes.remove(box)
        boxes.add((box[0] + dr, box[1] + dc))
        keeper = box
    return moves


def _walk(board, boxes, start, goal) -> list[str]:
    """A shortest walk of the keeper from ``start`` to ``goal`` around walls and boxes."""
    path, _ = bfs(start, grid_successors(board, WALL, boxes), lambda cell: cell == goal)
    if path is None:
        raise AssertionError("the keeper cannot reach a push the search found")
    return path
