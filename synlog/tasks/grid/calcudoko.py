"""Calcudoko (KenKen): an n×n Latin square cut into cages, each with an operation and target.

Every row and column holds 1..n once. A cage's numbers combine to its target with its
operation: ``+`` sum, ``×`` product, ``−`` difference and ``÷`` quotient of exactly two cells
(larger first; ÷ must be exact), ``=`` a single given cell. A 3×3 example (cages a..e) and
its only solution::

    a a b        a: 3 +  (1,1),(1,2)          1 2 3
    c d b   →    b: 1 −  (1,3),(2,3)          3 1 2
    c d e        c: 6 ×  (2,1),(3,1)          2 3 1
                 d: 3 ÷  (2,2),(3,2)
                 e: 1 =  (3,3)

How the puzzle is made, and why it has exactly one solution:

1. a random Latin square S (uniform over all of them for n ≤ 4, where they are few enough
   to list: 576 at n = 4); cages grown from random cells to random sizes up to
   ``cage_max`` (orthogonally connected); each cage takes a random allowed operation that
   fits (÷ only when the larger of two cells is a multiple of the smaller; −, ÷ only on
   two cells), with the target read off S;
2. python-sat looks for a second solution (the Latin rules, every cage as "one of its
   fitting digit tuples", and a clause excluding S). If one exists, a cell where it differs
   from S gets a cage whose operation tells the two apart (e.g. a ``+`` cage whose sums
   agree becomes ``×``) or, when no allowed operation does, is cut out of its cage as a
   one-cell ``=`` cage (the rest re-split into connected cages); repeat until the solver
   proves S unique. One incremental solver serves every round: each cage's clauses hang
   on an activation literal, assumed while the cage stands.

``effort`` counts the rounds plus the solver's conflicts, decisions and propagations;
``hardness`` is the cages' ambiguity: the bits of digit tuples each cage still allows on its
own (its fitting tuples, cells sharing a line differing), summed over the cages.
``verify`` checks the rules: Latin square over 1..n and every cage's arithmetic (÷ exact).
"""

from __future__ import annotations

from collections.abc import Hashable
from functools import cache
from itertools import product
from math import log2, prod

import numpy as np
from pysat.formula import IDPool
from pysat.solvers import Solver

from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.boards import (
    block_gold,
    latin_perturbations,
    latin_square_cnf,
    neighbours,
    read_latin,
    region_name,
    show_regions,
    solver_effort,
    uniform_latin_square,
)
from synlog.tasks.common.grids import format_grid, grid_forms
from synlog.tasks.common.satenc import SOLVER
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

SHOWN = {"+": "+", "-": "−", "*": "×", "/": "÷", "=": "="}


@register
class Calcudoko(Task):
    """Fill a Latin square whose cages meet arithmetic targets (KenKen; unique solution)."""

    name, family, version = "calcudoko", "grid", 2
    knobs = Knobs(
        # 3×3 has only 12 Latin squares, so the ladder starts at 4×4 (576)
        n=Knob(int, levels=[4, 4, 5, 5, 5, 6, 6, 6, 7, 7], lo=3, hi=8, help="grid side"),
        cage_max=Knob(int, levels=[2, 2, 2, 3, 3, 3, 4, 4, 4, 4], lo=1, hi=5, help="largest cage size"),
        ops=Knob(str, levels=["+-", "+-*", "+-*", "+-*", "+-*/", "+-*/", "+-*/", "+-*/", "+-*/", "+-*/"],
                 choices=["+", "+-", "+*", "+-*", "+-*/"], help="operations allowed in cages"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n = p.n
        solution = uniform_latin_square(rng, n)
        cages = [_make_cage(rng, cells, solution, p.ops) for cells in _grow_cages(rng, n, p.cage_max)]
        effort = _settle(rng, n, cages, solution, p.ops)
        cages.sort(key=lambda cage: min(cage["cells"]))
        data = {"n": n, "cages": [{"cells": [[r + 1, c + 1] for r, c in sorted(cage["cells"])],
                                   "op": cage["op"], "target": cage["target"]} for cage in cages]}
        return Problem(data, format_grid(solution), effort)

    def context(self, problem: Problem, lang: str) -> dict:
        n, cages = problem.data["n"], problem.data["cages"]
        names = [region_name(i) for i in range(len(cages))]
        board = [[0] * n for _ in range(n)]
        lines = []
        word = "格子" if lang == "zh" else "cells"
        for index, (name, cage) in enumerate(zip(names, cages, strict=True)):
            for r, c in cage["cells"]:
                board[r - 1][c - 1] = index
            cells = ", ".join(f"({r}, {c})" for r, c in cage["cells"])
            lines.append(f"{name}: {cage['target']} {SHOWN[cage['op']]}  {word} {cells}")
        return dict(n=n, board=show_regions(board), cage_lines=lines)

    def verify(self, problem: dict, answer: str) -> Verdict:
        n = problem["n"]
        grid = read_latin(answer, n)
        if isinstance(grid, Verdict):
            return grid
        for cage in problem["cages"]:
            values = [grid[r - 1][c - 1] for r, c in cage["cells"]]
            if cage_value(cage["op"], values) != cage["target"]:
                r, c = cage["cells"][0]
                return Verdict.wrong(f"the {cage['target']} {SHOWN[cage['op']]} cage at ({r}, {c}) is not met")
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        return grid_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        return latin_perturbations(problem.answer, problem.data["n"], rng)  # only the cages can tell

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        n = problem["n"]
        return {"cyclic Latin square, cages ignored": format_grid([[(r + c) % n + 1 for c in range(n)] for r in range(n)])}

    def hardness(self, problem: dict) -> float:
        return sum(log2(len(_cage_options(problem["n"], cage))) for cage in problem["cages"])


def cage_value(op: str, values: list[int]) -> int | None:
    """What ``values`` make under ``op`` (None when the operation does not apply)."""
    if op == "+":
        return sum(values)
    if op == "*":
        return prod(values)
    if op == "=":
        return values[0] if len(values) == 1 else None
    if len(values) != 2:
        return None
    high, low = max(values), min(values)
    if op == "-":
        return high - low
    if op == "/":
        return high // low if high % low == 0 else None
    return None


def _cage_options(n: int, cage: dict) -> list[tuple[int, ...]]:
    """The digit tuples a cage allows on its own (cells sharing a row or column differ)."""
    cells = [tuple(x) for x in cage["cells"]]
    clash = [(i, j) for i in range(len(cells)) for j in range(i)
             if cells[i][0] == cells[j][0] or cells[i][1] == cells[j][1]]
    return [digits for digits in _fitting_tuples(cage["op"], cage["target"], len(cells), n)
            if all(digits[i] != digits[j] for i, j in clash)]


def _grow_cages(rng: np.random.Generator, n: int, cage_max: int) -> list[list[tuple[int, int]]]:
    """Cover the grid with connected cages of random sizes 2..cage_max (one-cell cages only
    where a cell is boxed in by full cages)."""
    owner: dict[tuple[int, int], int] = {}
    cages: list[list[tuple[int, int]]] = []
    sizes = list(range(2, cage_max + 1)) or [1]
    for start in rng.permutation(n * n).tolist():
        cell = divmod(start, n)
        if cell in owner:
            continue
        size = sizes[int(rng.integers(len(sizes)))]
        cage = [cell]
        owner[cell] = len(cages)
        while len(cage) < size:
            free = sorted({x for r, c in cage for x in neighbours(r, c, n, n) if x not in owner})
            if not free:
                break
            nxt = free[int(rng.integers(len(free)))]
            owner[nxt] = len(cages)
            cage.append(nxt)
        cages.append(cage)
    for cage in [cage for cage in cages if len(cage) == 1 and cage_max > 1]:
        # a cell boxed in by full cages joins the smallest neighbouring cage with room left
        r, c = cage[0]
        room = sorted((len(cages[owner[x]]), owner[x]) for x in neighbours(r, c, n, n)
                      if len(cages[owner[x]]) < cage_max)
        if room:
            cages[room[0][1]].append(cage.pop())
            owner[(r, c)] = room[0][1]
    return [cage for cage in cages if cage]


def _make_cage(rng: np.random.Generator, cells: list[tuple[int, int]], solution: list[list[int]],
               ops: str) -> dict:
    """A cage over ``cells`` with a random allowed operation that fits, target read off S."""
    values = [solution[r][c] for r, c in cells]
    if len(cells) == 1:
        op = "="
    else:
        fitting = [op for op in "+-*/" if op in ops and cage_value(op, values) is not None]
        op = fitting[int(rng.integers(len(fitting)))]
    return {"cells": cells, "op": op, "target": cage_value(op, values)}


def _reroll_operation(rng: np.random.Generator, cages: list[dict], differing: list, solution: list[list[int]],
                      other: list[list[int]], ops: str) -> dict | None:
    """Give one cage where ``other`` differs from S an operation that tells them apart;
    returns the new cage (it replaces the old one in ``cages``), or None when none can."""
    touched = sorted({i for i, cage in enumerate(cages) for cell in differing if cell in cage["cells"]})
    for i in rng.permutation(touched).tolist():
        cells = cages[i]["cells"]
        gold = [solution[r][c] for r, c in cells]
        alt = [other[r][c] for r, c in cells]
        telling = [op for op in "+-*/" if op in ops and cage_value(op, gold) is not None
                   and cage_value(op, gold) != cage_value(op, alt)]
        if telling:
            op = telling[int(rng.integers(len(telling)))]
            cages[i] = {"cells": cells, "op": op, "target": cage_value(op, gold)}
            return cages[i]
    return None


def _components(cells: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Orthogonally connected parts of a set of cells."""
    left, parts = set(cells), []
    while left:
        stack = [left.pop()]
        part = []
        while stack:
            r, c = stack.pop()
            part.append((r, c))
            for x in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                if x in left:
                    left.remove(x)
                    stack.append(x)
        parts.append(sorted(part))
    return parts


@cache
def _fitting_tuples(op: str, target: int, size: int, n: int) -> tuple[tuple[int, ...], ...]:
    return tuple(t for t in product(range(1, n + 1), repeat=size) if cage_value(op, list(t)) == target)


def _settle(rng: np.random.Generator, n: int, cages: list[dict], solution: list[list[int]], ops: str) -> float:
    """Change ``cages`` in place until S is their only solution; returns the effort.

    One incremental solver holds the Latin rules and a clause excluding S; each cage's
    clauses carry an activation literal, assumed while the cage stands, so replacing a cage
    just stops assuming the old literal.
    """
    pool = IDPool()
    latin, var = latin_square_cnf(n, pool)
    active: list[int] = []

    def switch_on(cage: dict) -> None:
        on = pool.id(("on", len(active)))
        cage["on"] = on
        active.append(on)
        for clause in cage_cnf(n, cage, var, pool, on):
            solver.add_clause([-on, *clause])

    rounds = 0
    with Solver(name=SOLVER, bootstrap_with=latin) as solver:
        for cage in cages:
            switch_on(cage)
        block_gold(solver, [var(r, c, solution[r][c]) for r in range(n) for c in range(n)],
                   assumptions=[cage["on"] for cage in cages])
        while solver.solve(assumptions=[cage["on"] for cage in cages]):
            rounds += 1
            truth = set(solver.get_model())
            other = [[next(d for d in range(1, n + 1) if var(r, c, d) in truth) for c in range(n)] for r in range(n)]
            differing = [(r, c) for r in range(n) for c in range(n) if other[r][c] != solution[r][c]]
            changed = _reroll_operation(rng, cages, differing, solution, other, ops)
            if changed is None:
                cell = differing[int(rng.integers(len(differing)))]
                index = next(i for i, cage in enumerate(cages) if cell in cage["cells"])
                rest = [x for x in cages.pop(index)["cells"] if x != cell]
                fresh = [_make_cage(rng, [cell], solution, ops)]
                fresh += [_make_cage(rng, part, solution, ops) for part in _components(rest)]
                cages += fresh
            else:
                fresh = [changed]
            for cage in fresh:
                switch_on(cage)
        effort = solver_effort(solver)
    for cage in cages:
        del cage["on"]
    return rounds + effort


def cage_cnf(n: int, cage: dict, var, pool: IDPool, key: Hashable) -> list[list[int]]:
    """The cage takes one of its fitting digit tuples (cells sharing a line differ);
    ``key`` names the cage's option variables in ``pool``."""
    cells = [tuple(x) for x in cage["cells"]]
    clauses, options = [], []
    for digits in _cage_options(n, cage):
        option = pool.id(("cage", key, digits))
        options.append(option)
        clauses += [[-option, var(r, c, d)] for (r, c), d in zip(cells, digits, strict=True)]
    clauses.append(options)
    return clauses
