"""Magic square: complete a partial n×n square holding 1..n² so that every line has the same sum.

Every number 1..n² appears exactly once; every row, every column and both main diagonals sum
to the magic constant n(n²+1)/2 (34 for 4×4, 65 for 5×5). A 4×4 example (``.`` empty) and
its only completion::

    .  .  .  .        16  1  6 11
    .  .  .  .    →   10  7  4 13
    3  .  9  8         3 14  9  8
    .  .  .  2         5 12 15  2

How the puzzle is made, and why it has exactly one completion:

1. a random magic square built from two orthogonal diagonal Latin squares A and B over
   0..n−1 as n·σ(A) + τ(B) + 1 (σ, τ random relabellings; A, B linear over GF(4) at n = 4
   and over Z/5 at n = 5): every line holds each symbol of A and of B once, so every line
   sums to the constant;
2. ``givens`` random cells are shown;
3. python-sat encodes the rules over ALL magic squares (not only those of step 1): each cell
   exactly one number, each number exactly one cell, and per line a running-sum chain
   (``sum(line, i, t)``: the first i cells add up to t; a number that would overshoot the
   constant, or leave the rest unable to reach it, is forbidden) plus a clause excluding the
   gold; while another completion exists, a gold cell it gets wrong is shown too.

``effort`` counts those rounds plus the solver's conflicts, decisions and propagations;
``hardness`` is the cells to fill times log2 of the numbers still free for them. ``verify``
checks the rules: a permutation of 1..n², the givens kept, every line at the constant.
"""

from __future__ import annotations

from functools import cache
from math import comb, log2

import numpy as np
from pysat.formula import IDPool

from synlog.errors import KnobError
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.boards import changed_given, pin_until_unique, read_board
from synlog.tasks.common.grids import format_grid, grid_forms
from synlog.tasks.common.satenc import Clause, exactly_one
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: multiplication in GF(4) (elements 0..3, addition is XOR): the linear Latin squares of order 4
GF4_MUL = ((0, 0, 0, 0), (0, 1, 2, 3), (0, 2, 3, 1), (0, 3, 1, 2))


@register
class MagicSquare(Task):
    """Complete a partial n×n magic square of 1..n² (unique completion)."""

    name, family, version = "magic_square", "grid", 1
    knobs = Knobs(
        n=Knob(int, levels=[4, 4, 4, 4, 4, 5, 5, 5, 5, 5], choices=[4, 5], help="square side"),
        givens=Knob(int, levels=[9, 8, 7, 6, 5, 14, 13, 12, 11, 10], lo=0, hi=25,
                    help="cells shown at random before more are shown to make the completion unique"),
    )

    def check_params(self, p: Params) -> None:
        if p.givens >= p.n * p.n:
            raise KnobError(f"a {p.n}×{p.n} square has {p.n * p.n} cells; show fewer than that (givens)")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n = p.n
        square = random_magic_square(rng, n)
        clauses, var = rules(n)
        gold = [var(r, c, square[r][c]) for r in range(n) for c in range(n)]
        shown = [gold[i] for i in rng.permutation(n * n)[:p.givens].tolist()]
        pins, effort = pin_until_unique(rng, clauses, gold, gold, pinned=shown)
        keep = set(pins)
        puzzle = [[square[r][c] if var(r, c, square[r][c]) in keep else 0 for c in range(n)] for r in range(n)]
        return Problem({"n": n, "puzzle": puzzle}, format_grid(square), effort)

    def context(self, problem: Problem, lang: str) -> dict:
        puzzle = problem.data["puzzle"]
        n = len(puzzle)
        width = len(str(n * n))
        board = "\n".join(" ".join((str(v) if v else ".").rjust(width) for v in line) for line in puzzle)
        return dict(n=n, top=n * n, total=magic_constant(n), board=board)

    def verify(self, problem: dict, answer: str) -> Verdict:
        n, puzzle = problem["n"], problem["puzzle"]
        grid = read_board(answer, n, n, range(1, n * n + 1), f"a number from 1 to {n * n}")
        if isinstance(grid, Verdict):
            return grid
        why = changed_given(puzzle, grid)
        if why:
            return Verdict.wrong(why)
        seen = sorted(v for line in grid for v in line)
        if seen != list(range(1, n * n + 1)):
            twice = next(v for a, v in zip(seen, seen[1:], strict=False) if a == v)
            return Verdict.wrong(f"{twice} appears more than once")
        total = magic_constant(n)
        for name, cells in lines(n):
            line_sum = sum(grid[r][c] for r, c in cells)
            if line_sum != total:
                return Verdict.wrong(f"{name} sums to {line_sum}, not {total}")
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        return grid_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        # two numbers swapped (still 1..n² once each), the transpose, the mirror image
        square = np.array([[int(v) for v in line.split()] for line in problem.answer.splitlines()])
        n = len(square)
        swapped = square.copy()
        a, b = rng.choice(n * n, 2, replace=False)
        swapped.flat[a], swapped.flat[b] = square.flat[b], square.flat[a]
        wrong = [swapped, square.T, square[:, ::-1], n * n + 1 - square]
        return [format_grid(g.tolist()) for g in wrong if not np.array_equal(g, square)]

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        n = problem["n"]
        counting = [[r * n + c + 1 for c in range(n)] for r in range(n)]
        return {"1..n² in reading order": format_grid(counting),
                "the givens kept, the rest counted up": format_grid(_fill_in_order(problem["puzzle"]))}

    def instance_space(self, spec: dict) -> float | None:
        # squares the construction reaches (counted: 1152 at n = 4, about 14 400 at n = 5)
        # times the ways to choose the shown cells (pins made for uniqueness ignored)
        n, shown = spec["n"], spec["givens"]
        if isinstance(shown, tuple):
            shown = shown[0]
        return float({4: 1152, 5: 14400}.get(n, 1) * comb(n * n, min(shown, n * n)))

    def hardness(self, problem: dict) -> float:
        puzzle = problem["puzzle"]
        n = len(puzzle)
        blanks = sum(line.count(0) for line in puzzle)
        return float(blanks * log2(max(blanks, 2)) + n * n)


def magic_constant(n: int) -> int:
    """The sum of every line of an n×n magic square of 1..n²."""
    return n * (n * n + 1) // 2


@cache
def lines(n: int) -> tuple[tuple[str, tuple[tuple[int, int], ...]], ...]:
    """Every line that must reach the constant, by name: rows, columns, the two diagonals."""
    out = [(f"row {r + 1}", tuple((r, c) for c in range(n))) for r in range(n)]
    out += [(f"column {c + 1}", tuple((r, c) for r in range(n))) for c in range(n)]
    out += [("the main diagonal", tuple((i, i) for i in range(n))),
            ("the anti-diagonal", tuple((i, n - 1 - i) for i in range(n)))]
    return tuple(out)


def random_magic_square(rng: np.random.Generator, n: int) -> list[list[int]]:
    """n·σ(A) + τ(B) + 1 for random orthogonal linear diagonal Latin squares A, B (n = 4, 5)."""
    if n == 4:
        def mul(a: int, b: int) -> int:
            return GF4_MUL[a][b]

        def add(a: int, b: int) -> int:
            return a ^ b
    else:
        def mul(a: int, b: int) -> int:
            return a * b % n

        def add(a: int, b: int) -> int:
            return (a + b) % n

    def sub(a: int, b: int) -> int:
        return a ^ b if n == 4 else (a - b) % n

    # a·i + b·j is a diagonal Latin square when a, b ≠ 0 and a ± b ≠ 0; the pair is orthogonal
    # when the determinant a·e − b·d is non-zero
    pairs = [(a, b) for a in range(1, n) for b in range(1, n) if add(a, b) and sub(a, b)]
    while True:
        (a, b), (d, e) = (pairs[int(i)] for i in rng.integers(len(pairs), size=2))
        if sub(mul(a, e), mul(b, d)):
            break
    high, low = rng.permutation(n).tolist(), rng.permutation(n).tolist()
    return [[n * high[add(mul(a, i), mul(b, j))] + low[add(mul(d, i), mul(e, j))] + 1 for j in range(n)]
            for i in range(n)]


@cache
def rules(n: int):
    """The rules of an n×n magic square as clauses, and ``var(r, c, v)`` (cell holds v).

    Each line is a running-sum chain: ``sum(line, i, t)`` is implied when the first i + 1 cells
    add up to t; a number that overshoots the constant, or leaves the remaining cells unable
    to reach it, is forbidden after the sum that precedes it. Built once per size."""
    pool = IDPool()
    top, total = n * n, magic_constant(n)

    def var(r: int, c: int, v: int) -> int:
        return pool.id(("cell", r, c, v))

    clauses: list[Clause] = []
    for r in range(n):
        for c in range(n):
            clauses += exactly_one([var(r, c, v) for v in range(1, top + 1)], pool)
    for v in range(1, top + 1):
        clauses += exactly_one([var(r, c, v) for r in range(n) for c in range(n)], pool)
    for name, cells in lines(n):
        sums = {0: []}  # reachable partial sum → the literal saying it was reached ([] at the start)
        for i, (r, c) in enumerate(cells):
            left = n - 1 - i
            least, most = left * (left + 1) // 2, sum(range(top - left + 1, top + 1))
            after: dict[int, list[int]] = {}
            for t, before in sums.items():
                for v in range(1, top + 1):
                    s = t + v
                    condition = [*(-x for x in before), -var(r, c, v)]
                    if s + least > total or s + most < total:
                        clauses.append(condition)
                    elif left:
                        lit = after.setdefault(s, [pool.id(("sum", name, i, s))])
                        clauses.append([*condition, lit[0]])
            sums = after
    return clauses, var


def _fill_in_order(puzzle: list[list[int]]) -> list[list[int]]:
    """The givens kept and the missing numbers written in increasing order into the blanks."""
    n = len(puzzle)
    missing = iter(sorted(set(range(1, n * n + 1)) - {v for line in puzzle for v in line}))
    return [[v or next(missing) for v in line] for line in puzzle]
