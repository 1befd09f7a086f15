"""Tic-tac-toe (and its k-in-a-row cousins): name a best move in a mid-game position.

X and O take turns (X first) marking empty cells of an n×n board; whoever first gets k marks in
a row, column or diagonal wins; a full board without one is a draw. Best play is minimax with
time: a win sooner beats a win later, a loss later beats a loss sooner (a game's score for the
winner is 1 + the empty cells left when it ends). A tiny example (3×3, three in a row)::

      a b c
    1 X O .        X to move: a3 wins at once (a1, a2, a3); b2 also wins, but later,
    2 X . O        so the only best move is a3
    3 . . .

The answer is one cell; every move of best value scores 1 (``unique_answer`` is False, though
positions are drawn with few best moves). The best moves come from a memoised minimax over the
whole game tree at generation (``effort``: positions searched); the tests re-derive them with
an alpha-beta negamax. Positions are drawn so that cheap policies (the centre, the first empty
cell, a corner, the commonest answer) stay under the audit's bounds. ``hardness`` is the number
of plies the game lasts under best play plus the empty cells.
"""

from __future__ import annotations

import re

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, bounded, scalar_forms, unwrap
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

CELL = re.compile(r"([a-e])\s*([1-5])", re.I)


def lines_of(n: int, k: int) -> list[tuple[int, ...]]:
    """Every run of k cells in a row, column or diagonal of an n×n board (cells numbered row by row)."""
    out = []
    for r in range(n):
        for c in range(n):
            for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
                if 0 <= r + (k - 1) * dr < n and 0 <= c + (k - 1) * dc < n:
                    out.append(tuple((r + i * dr) * n + c + i * dc for i in range(k)))
    return out


#: (size, k) → kind of cell → the share of positions whose best move is there that is kept,
#: measured on random positions so that every cell ends up about equally often the answer
KEEP = {(4, 3): {"middle": 0.4}, (5, 4): {"centre": 0.3, "middle": 0.5}}


def kind(i: int, n: int) -> str:
    """A cell's kind: corner, edge, middle, or the centre of an odd board."""
    r, c = divmod(i, n)
    if n % 2 and r == c == n // 2:
        return "centre"
    border = (r in (0, n - 1)) + (c in (0, n - 1))
    return ("middle", "edge", "corner")[border]


def symmetries(n: int) -> list[list[int]]:
    """The 8 turns and mirror images of an n×n board, each as cell → the cell it moves to."""
    out = []
    for flip in (False, True):
        for quarter in range(4):
            image = []
            for i in range(n * n):
                r, c = divmod(i, n)
                if flip:
                    c = n - 1 - c
                for _ in range(quarter):
                    r, c = c, n - 1 - r
                image.append(r * n + c)
            out.append(image)
    return out


def cell_name(i: int, n: int) -> str:
    return "abcde"[i % n] + str(i // n + 1)


class Minimax:
    """Memoised minimax of one board shape; ``value(board)`` is the score for the side to move."""

    def __init__(self, n: int, k: int) -> None:
        self.n, self.k = n, k
        self.through = [[line for line in lines_of(n, k) if i in line] for i in range(n * n)]
        self.memo: dict[str, int] = {}

    def won(self, board: str, cell: int) -> bool:
        mark = board[cell]
        return any(all(board[j] == mark for j in line) for line in self.through[cell])

    def child_values(self, board: str) -> dict[int, int]:
        """Each empty cell → the mover's score after marking it (best play afterwards)."""
        mark = "X" if board.count("X") == board.count("O") else "O"
        out = {}
        for i, ch in enumerate(board):
            if ch == ".":
                nxt = board[:i] + mark + board[i + 1:]
                out[i] = nxt.count(".") + 1 if self.won(nxt, i) else -self.value(nxt)
        return out

    def value(self, board: str) -> int:
        if board not in self.memo:
            values = self.child_values(board)
            self.memo[board] = max(values.values()) if values else 0
        return self.memo[board]


@register
class TicTacToe(Task):
    """Name a best move (minimax, wins sooner and losses later) in a k-in-a-row position."""

    name, family, version = "tic_tac_toe", "search", 1
    unique_answer = False
    chance = 0.1
    knobs = Knobs(
        # 3×3 has too few cells: whatever positions are drawn, some cell is the answer too often
        size=Knob(int, levels=[4, 4, 5, 5, 5, 5, 5, 5, 5, 5], lo=3, hi=5, help="board side"),
        k=Knob(int, levels=[3, 3, 4, 4, 4, 4, 4, 4, 4, 4], lo=3, hi=5, help="marks in a row that win"),
        empty=Knob(int, levels=[(7, 8), (8, 9), 7, 7, 8, 8, 8, 8, 8, 8], lo=2, hi=12,
                   help="empty cells in the position"),
        min_plies=Knob(int, levels=[1, 1, 1, 3, 1, 3, 5, 6, 7, 8], lo=1, hi=20,
                       help="plies the game must last under best play (1: a win at once is allowed)"),
    )

    def check_params(self, params: Params) -> None:
        from synlog.errors import KnobError
        if params.k > params.size or params.empty >= params.size ** 2:
            raise KnobError("tic_tac_toe: k must fit the board and some cells must be marked")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        for _ in range(300):  # most random positions are over, or have many best moves
            try:
                return self._candidate(rng, p)
            except Reject:
                continue
        raise Reject("no position of this kind found")

    def _candidate(self, rng: np.random.Generator, p: Params) -> Problem:
        n, cells = p.size, p.size * p.size
        game = Minimax(n, p.k)
        board = "." * cells
        for i in rng.permutation(cells)[:cells - p.empty]:  # a random game's marks, X first
            mark = "X" if board.count("X") == board.count("O") else "O"
            board = board[:i] + mark + board[i + 1:]
            if game.won(board, int(i)):
                raise Reject("the game is already over")
        values = game.child_values(board)
        best = max(values.values())
        moves = sorted(i for i, v in values.items() if v == best)
        plies = p.empty + 1 - abs(best) if best else p.empty
        if len(moves) > max(1, p.empty // 4) or plies < p.min_plies:
            raise Reject("too many best moves, or over too soon")
        # the board is shown turned or mirrored at random: every cell of a kind is then equally
        # often the answer
        turn = symmetries(n)[int(rng.integers(8))]
        board = "".join(board[turn.index(j)] for j in range(cells))
        moves = sorted(turn[i] for i in moves)
        # the first and last empty cells are cheap guesses: keep them rarely right (on the board as shown)
        if {board.index("."), board.rindex(".")} & set(moves) and rng.random() < 0.85:
            raise Reject("a cheap guess would be right")
        # random positions favour some kinds of cell (the centre of 3×3): thin those out so that
        # no one cell (nor the first empty one, often a corner) is the answer much more often
        keep = min(KEEP.get((n, p.k), {}).get(kind(i, n), 1.0) for i in moves)
        if rng.random() >= keep:
            raise Reject("thinning a common kind of answer")
        occupied = [i for i, ch in enumerate(board) if ch != "."]
        example = cell_name(occupied[int(rng.integers(len(occupied)))], n)
        data = {"size": n, "k": p.k, "board": [board[r * n:(r + 1) * n] for r in range(n)],
                "best": [cell_name(i, n) for i in moves], "value": best, "plies": plies, "example": example}
        return Problem(data, cell_name(moves[0], n), float(len(game.memo)))

    def context(self, problem: Problem, lang: str) -> dict:
        d = problem.data
        mover = "X" if "".join(d["board"]).count("X") == "".join(d["board"]).count("O") else "O"
        rows = [f"{r + 1} " + " ".join(line) for r, line in enumerate(d["board"])]
        return dict(mover=mover, grid="\n".join(["  " + " ".join("abcde"[:d["size"]]), *rows]),
                    **d)

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            text = unwrap(bounded(answer)).strip()
        except AnswerError as error:
            return Verdict.invalid(str(error)) if "longer" in str(error) else Verdict.unparseable(str(error))
        match = CELL.fullmatch(text)
        n = problem["size"]
        if match is None:
            return Verdict.unparseable("expected one cell such as b2")
        col, row = "abcde".index(match.group(1).lower()), int(match.group(2)) - 1
        if col >= n or row >= n:
            return Verdict.invalid(f"{text} is not a cell of this {n}×{n} board")
        if problem["board"][row][col] != ".":
            return Verdict.wrong(f"{text} is already marked")
        name = cell_name(row * n + col, n)
        if name not in problem["best"]:
            return Verdict.wrong(f"{name} is not a best move", best_value=problem["value"])
        return Verdict.ok()

    def hardness(self, problem: dict) -> float:
        return float(problem["plies"] + "".join(problem["board"]).count("."))

    def instance_space(self, spec: dict) -> float | None:
        from math import comb
        n = int(max(np.atleast_1d(spec["size"])))
        empty = int(max(np.atleast_1d(spec["empty"])))
        marked = n * n - empty
        return float(comb(n * n, marked) * comb(marked, marked // 2))

    def alternative_forms(self, problem: Problem) -> list[str]:
        return scalar_forms(problem.answer) + [problem.answer.upper()]

    def forbidden_forms(self, problem: Problem) -> list[str]:
        n, name = problem.data["size"], problem.answer
        index = (int(name[1]) - 1) * n + "abcde".index(name[0])
        return [str(index + 1), f"{name[1]}{name[0]}"]  # a cell number, row before column

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        d = problem.data
        n = d["size"]
        empties = [cell_name(r * n + c, n) for r in range(n) for c in range(n) if d["board"][r][c] == "."]
        wrong = [e for e in empties if e not in d["best"]][:3]
        return wrong + [" ".join(d["best"] + [w for w in empties if w not in d["best"]][:1]), d["example"]]

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        n = problem["size"]
        flat = "".join(problem["board"])
        empties = [i for i, ch in enumerate(flat) if ch == "."]
        return {"the centre": cell_name((n - 1) // 2 * (n + 1), n), "the first empty cell": cell_name(empties[0], n),
                "the last empty cell": cell_name(empties[-1], n), "a corner": "a1",
                "the far corner": cell_name(n * n - 1, n)}
