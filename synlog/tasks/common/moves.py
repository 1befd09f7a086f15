"""Move sequences on boards: the one convention the search puzzles (maze, sliding_puzzle,
sokoban, rush_hour) read, write and simulate.

A walk is a list of the letters ``U D L R`` (up, down, left, right). Answers may write them
separated by spaces or commas, as words, glued together, or one per line with list markers::

    parse_moves("R R D")              # ["R", "R", "D"]
    parse_moves("right, right, down") # ["R", "R", "D"]
    parse_moves("RRD")                # ["R", "R", "D"]
    parse_moves("- R\\n- R\\n- D")      # ["R", "R", "D"]
    parse_moves("go right")           # AnswerError: 'go' is not a move

A slide of a named piece (rush hour) is the piece's letter, a direction and a distance:
``parse_slides("AR2, BU1", "AB")`` reads ``[("A", "R", 2), ("B", "U", 1)]``.

Every parser refuses over-long text before reading it (:class:`TooManyMoves`, which a verifier
reports as ``invalid``) and raises :class:`AnswerError` with what was expected otherwise.
Boards are lists of equal-length strings, one character a cell, shown with single spaces
between cells (:func:`format_board`).
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence

import numpy as np

from synlog.tasks.common.answers import AnswerError, answer_lines

Cell = tuple[int, int]

#: the four moves and their (row, column) steps
STEPS: dict[str, Cell] = {"U": (-1, 0), "D": (1, 0), "L": (0, -1), "R": (0, 1)}
WORDS = {"up": "U", "down": "D", "left": "L", "right": "R"}
OPPOSITE = {"U": "D", "D": "U", "L": "R", "R": "L"}
#: most characters a move answer may hold (a 2,000-move walk written as words fits)
MAX_CHARS = 20_000

_SEPARATORS = re.compile(r"[\s,;]+|->|→")
_COMPACT = re.compile(r"[UDLR]+")
_SLIDE = re.compile(r"([A-Z])\s*[-:]?\s*(UP|DOWN|LEFT|RIGHT|[UDLR])\s*[-:]?\s*([0-9]{1,2})?")


class TooManyMoves(AnswerError):
    """The answer is longer than any sensible solution; verifiers call it ``invalid``."""


def _tokens(text: str, limit: int) -> list[str]:
    """The items of a move answer: decorations dropped, outer brackets and quotes removed."""
    if not isinstance(text, str):
        raise AnswerError("expected text")
    if len(text) > limit:
        raise TooManyMoves(f"answer longer than {limit} characters")
    body = " ".join(answer_lines(text.strip()))
    if len(body) >= 2 and body[0] + body[-1] in ("[]", "()"):
        body = body[1:-1]
    tokens = [token.strip("'\"") for token in _SEPARATORS.split(body)]
    tokens = [token for token in tokens if token]
    if not tokens:
        raise AnswerError("expected moves such as 'R R D'")
    return tokens


def parse_moves(text: str, max_moves: int, limit: int = MAX_CHARS) -> list[str]:
    """The moves ``U D L R`` of ``text`` (letters or words, any case); at most ``max_moves``."""
    moves: list[str] = []
    for token in _tokens(text, limit):
        word = WORDS.get(token.lower())
        if word is not None:
            moves.append(word)
        elif _COMPACT.fullmatch(token.upper()):
            moves.extend(token.upper())
        else:
            raise AnswerError(f"{token[:20]!r} is not a move; write U, D, L or R (up, down, left, right)")
        if len(moves) > max_moves:
            raise TooManyMoves(f"more than {max_moves} moves")
    return moves


def parse_slides(text: str, pieces: str, max_moves: int, limit: int = MAX_CHARS) -> list[tuple[str, str, int]]:
    """Slides ``<piece><direction><distance>`` (``AR2``, ``A R 2``, ``A right 2``; the distance
    may be left out for 1), separated by commas, semicolons or lines; ``pieces`` are the letters."""
    if not isinstance(text, str):
        raise AnswerError("expected text")
    if len(text) > limit:
        raise TooManyMoves(f"answer longer than {limit} characters")
    body = " ; ".join(answer_lines(text.strip())).upper()
    if len(body) >= 2 and body[0] + body[-1] in ("[]", "()"):
        body = body[1:-1]
    items = [item.strip().strip("'\"") for item in re.split(r"[,;]", body)]
    if len(items) == 1:  # "AR2 BU1": spaces alone separate the slides
        items = items[0].split()
    slides = []
    for item in items:
        if not item:
            continue
        match = _SLIDE.fullmatch(item)
        if match is None:
            raise AnswerError(f"{item[:20]!r} is not a slide; write the car, a direction and a distance, e.g. AR2")
        piece, way, count = match.groups()
        if piece not in pieces:
            raise AnswerError(f"there is no car {piece}")
        way = WORDS.get(way.lower(), way)
        distance = int(count) if count else 1
        if distance < 1:
            raise AnswerError(f"{item[:20]!r} slides no distance")
        slides.append((piece, way, distance))
        if len(slides) > max_moves:
            raise TooManyMoves(f"more than {max_moves} slides")
    if not slides:
        raise AnswerError("expected slides such as 'AR2, BU1'")
    return slides


def format_moves(moves: Sequence[str]) -> str:
    """The canonical answer: the letters separated by single spaces."""
    return " ".join(moves)


def move_forms(moves: Sequence[str]) -> list[str]:
    """The walk ``moves`` in each other form :func:`parse_moves` reads."""
    words = [next(w for w, m in WORDS.items() if m == move) for move in moves]
    gold = " ".join(moves)
    forms = [", ".join(moves), "".join(moves), ", ".join(words), " ".join(words), "\n".join(moves),
             "\n".join(f"- {m}" for m in moves), "\n".join(f"{k}. {w}" for k, w in enumerate(words, 1)),
             f"**{gold}**", f"`{gold}`", f"{gold}.", f"```\n{gold}\n```", json.dumps(list(moves)),
             " ".join(m.lower() for m in moves), " -> ".join(moves)]
    return list(dict.fromkeys(form for form in forms if form != gold))


def move_candidates(moves: Sequence[str], rng: np.random.Generator) -> list[list[str]]:
    """Walks near ``moves`` (one move dropped, changed, added; two swapped; the walk twice); the
    caller keeps those its verifier rejects, since a nearby walk may be another right answer."""
    moves = list(moves)
    out = [moves + moves, moves + [moves[-1]] if moves else ["U"], moves[:-1], moves[1:]]
    if moves:
        k = int(rng.integers(len(moves)))
        out.append(moves[:k] + [OPPOSITE[moves[k]]] + moves[k + 1:])
        out.append(moves[:k] + moves[k + 1:])
    if len(moves) >= 2:
        k = int(rng.integers(len(moves) - 1))
        out.append(moves[:k] + [moves[k + 1], moves[k]] + moves[k + 2:])
    return [walk for walk in out if walk]


def format_board(board: Sequence[str]) -> str:
    """A character board shown one row per line, cells separated by single spaces."""
    return "\n".join(" ".join(row) for row in board)


def step(cell: Cell, move: str) -> Cell:
    """The cell one ``move`` away from ``cell`` (it may lie off the board)."""
    dr, dc = STEPS[move]
    return cell[0] + dr, cell[1] + dc


def bfs(start: Hashable, successors: Callable[[Hashable], Iterable[tuple[str, Hashable]]],
        is_goal: Callable[[Hashable], bool], max_states: int | None = None
        ) -> tuple[list[str] | None, int]:
    """A shortest list of move labels from ``start`` to a goal state, and the states expanded.

    ``successors(state)`` yields ``(label, next_state)``; None when no goal is reachable (or
    when more than ``max_states`` states were expanded: the count then exceeds the cap).
    """
    parent: dict = {start: None}
    queue = deque([start])
    expanded = 0
    while queue:
        state = queue.popleft()
        if is_goal(state):
            path = []
            while parent[state] is not None:
                state, label = parent[state]
                path.append(label)
            return path[::-1], expanded
        expanded += 1
        if max_states is not None and expanded > max_states:
            return None, expanded
        for label, nxt in successors(state):
            if nxt not in parent:
                parent[nxt] = (state, label)
                queue.append(nxt)
    return None, expanded


def grid_successors(board: Sequence[str], wall: str = "#", blocked: Collection[Cell] = ()
                    ) -> Callable[[Cell], Iterable[tuple[str, Cell]]]:
    """The moves of a single walker on ``board`` that stay on it, off ``wall`` cells and off
    the ``blocked`` cells (boxes, say)."""
    rows, cols = len(board), len(board[0])

    def successors(cell: Cell) -> Iterable[tuple[str, Cell]]:
        for move, (dr, dc) in STEPS.items():
            r, c = cell[0] + dr, cell[1] + dc
            if 0 <= r < rows and 0 <= c < cols and board[r][c] != wall and (r, c) not in blocked:
                yield move, (r, c)

    return successors


def flood(start: Hashable, successors: Callable[[Hashable], Iterable[tuple[str, Hashable]]]) -> list:
    """Every state reachable from ``start``, nearest first (breadth-first order)."""
    seen, order = {start}, [start]
    for state in order:  # the list grows while it is read: a breadth-first queue
        for _, nxt in successors(state):
            if nxt not in seen:
                seen.add(nxt)
                order.append(nxt)
    return order
