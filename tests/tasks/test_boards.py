"""Specification of the shared board helpers (synlog.tasks.common.boards)."""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest
from pysat.formula import IDPool

from synlog.tasks.common.boards import (
    KING,
    CellsParseError,
    another_solution,
    binary_perturbations,
    carve_clues,
    format_cells,
    grow_regions,
    latin_square_cnf,
    latin_violation,
    neighbours,
    no_two_touching,
    parse_cells,
    pin_until_unique,
    random_latin_square,
    read_board,
    region_cells,
    show_regions,
    show_with_totals,
    touching_pairs,
)
from synlog.tasks.common.satenc import count_models
from synlog.verifiers.verdict import Reason, Verdict


def test_neighbours_stay_on_the_board():
    assert sorted(neighbours(0, 0, 3, 3)) == [(0, 1), (1, 0)]
    assert len(neighbours(1, 1, 3, 3, KING)) == 8
    assert sorted(neighbours(2, 2, 3, 3, KING)) == [(1, 1), (1, 2), (2, 1)]


def test_touching_pairs_count_edges_and_corners():
    assert len(touching_pairs(3, 3)) == 12
    assert len(touching_pairs(3, 3, diagonal=True)) == 12 + 8


def test_no_two_touching_allows_exactly_the_independent_sets():
    cells = [(r, c) for r in range(3) for c in range(3)]
    var = {cell: i + 1 for i, cell in enumerate(cells)}
    for diagonal in (False, True):
        clauses = no_two_touching(var, diagonal=diagonal)
        pairs = touching_pairs(3, 3, diagonal=diagonal)
        expected = sum(all(not (bits[cells.index(a)] and bits[cells.index(b)]) for a, b in pairs)
                       for bits in product((0, 1), repeat=9))
        assert count_models(clauses, limit=1000).models == expected


def test_the_latin_square_cnf_has_the_twelve_3x3_squares():
    clauses, var = latin_square_cnf(3, IDPool())
    projection = [var(r, c, d) for r in range(3) for c in range(3) for d in (1, 2, 3)]
    assert count_models(clauses, limit=100, projection=projection).models == 12


@pytest.mark.parametrize("n", range(2, 10))
def test_random_latin_squares_are_latin_and_vary(n):
    rng = np.random.default_rng(n)
    squares = [random_latin_square(rng, n) for _ in range(5)]
    assert all(latin_violation(square, n) is None for square in squares)
    assert n == 2 or len({str(s) for s in squares}) > 1


def test_latin_violation_names_the_line():
    assert latin_violation([[1, 2], [2, 1]], 2) is None
    assert "column 1" in latin_violation([[1, 2], [1, 2]], 2)
    assert "row 1" in latin_violation([[1, 1], [2, 2]], 2)
    assert "outside" in latin_violation([[1, 3], [3, 1]], 2)


def test_grown_regions_cover_the_board_and_are_connected():
    rng = np.random.default_rng(0)
    region = grow_regions(rng, 6, 7, [[(0, 0)], [(5, 6)], [(2, 3), (2, 4)]])
    groups = region_cells(region)
    assert sorted(groups) == [0, 1, 2] and sum(map(len, groups.values())) == 42
    for cells in groups.values():
        seen, stack = {cells[0]}, [cells[0]]
        while stack:
            r, c = stack.pop()
            for x in neighbours(r, c, 6, 7):
                if x in cells and x not in seen:
                    seen.add(x)
                    stack.append(x)
        assert seen == set(cells)


def test_grown_regions_respect_sizes_while_others_can_grow():
    rng = np.random.default_rng(0)
    assert grow_regions(rng, 1, 4, [[(0, 0)], [(0, 3)]], sizes=[3, 1]) == [[0, 0, 0, 1]]
    # once no region under its size can grow, the rest is shared out anyway
    assert sum(map(len, region_cells(grow_regions(rng, 3, 3, [[(0, 0)], [(2, 2)]], sizes=[1, 1])).values())) == 9
    with pytest.raises(ValueError, match="touch no region"):
        grow_regions(rng, 2, 2, [])


def test_pin_until_unique_reveals_enough_to_force_the_gold():
    clauses, var = latin_square_cnf(3, IDPool())
    gold_square = [[1, 2, 3], [2, 3, 1], [3, 1, 2]]
    gold = [var(r, c, gold_square[r][c]) for r in range(3) for c in range(3)]
    pins, effort = pin_until_unique(np.random.default_rng(1), clauses, gold, gold, trim=True)
    assert effort > 0 and set(pins) <= set(gold)
    assert count_models(clauses, limit=2, projection=gold + [-g for g in gold], assumptions=pins).models == 1
    for pin in pins:  # trimmed: every pin is needed
        rest = [p for p in pins if p != pin]
        model, _ = another_solution(clauses + [[p] for p in rest], gold)
        assert model is not None


def test_carve_clues_keeps_the_gold_unique_and_respects_the_limit():
    clauses, var = latin_square_cnf(4, IDPool())
    square = random_latin_square(np.random.default_rng(2), 4)
    gold = [var(r, c, square[r][c]) for r in range(4) for c in range(4)]
    kept, _ = carve_clues(np.random.default_rng(3), clauses, gold, [[g] for g in gold])
    givens = [g for g, k in zip(gold, kept, strict=False) if k]
    assert another_solution(clauses + [[g] for g in givens], gold)[0] is None
    kept, _ = carve_clues(np.random.default_rng(3), clauses, gold, [[g] for g in gold], removable=3)
    assert kept.count(False) == 3


def test_a_gold_that_breaks_the_rules_is_refused_not_called_unique():
    clauses, var = latin_square_cnf(2, IDPool())
    not_latin = [var(0, 0, 1), var(0, 1, 1), var(1, 0, 2), var(1, 1, 2)]
    with pytest.raises(ValueError, match="breaks"):
        pin_until_unique(np.random.default_rng(0), clauses, not_latin, not_latin)
    with pytest.raises(ValueError, match="breaks"):
        another_solution(clauses, not_latin)


@pytest.mark.parametrize("text, cells", [
    ("(1, 2), (3, 4)", {(1, 2), (3, 4)}),
    ("(1,2) (3,4)", {(1, 2), (3, 4)}),
    ("(1,2);(3,4)", {(1, 2), (3, 4)}),
    ("[[1, 2], [3, 4]]", {(1, 2), (3, 4)}),
    ("[(1, 2), (3, 4)]", {(1, 2), (3, 4)}),
    ("{(1, 2)}", {(1, 2)}),
    ("[1, 2]", {(1, 2)}),
    ("none", set()),
    ("None.", set()),
    ("[]", set()),
])
def test_parse_cells_reads_the_usual_forms(text, cells):
    assert parse_cells(text, 4, 4) == cells


@pytest.mark.parametrize("text", [
    "(1, 2) (1, 2)", "(0, 1)", "(5, 1)", "(1, 2) x", "1, 2", "(1, 2", "[[1, 2]", "((1, 2))",
    "(1, 2, 3)", "(-1, 2)", "(1.5, 2)", "x" * 30_000, "(" * 5000,
])
def test_parse_cells_refuses_everything_else(text):
    with pytest.raises(CellsParseError):
        parse_cells(text, 4, 4)


def test_format_cells_round_trips():
    cells = {(3, 1), (1, 2)}
    assert format_cells(cells) == "(1, 2), (3, 1)"
    assert parse_cells(format_cells(cells), 3, 3) == cells
    assert format_cells(set()) == "none" and parse_cells("none", 3, 3) == set()



def test_read_board_returns_the_grid_or_the_reason():
    assert read_board("1 0\n0 1", 2, 2, (0, 1), "0 or 1") == [[1, 0], [0, 1]]
    assert read_board("A .\nT A", 2, 2, "AT.", "A, T or .", cell=str) == [["A", "."], ["T", "A"]]
    for text, reason in [("1 0\n0 2", Reason.INVALID), ("1 0", Reason.UNPARSEABLE), ("x y\nz w", Reason.UNPARSEABLE)]:
        verdict = read_board(text, 2, 2, (0, 1), "0 or 1")
        assert isinstance(verdict, Verdict) and verdict.reason is reason


def test_board_drawings():
    assert show_with_totals(["A.", ".."], [1, 0], [0, 1]) == "A .  1\n. .  0\n0 1"
    assert show_regions([[0, 0], [1, 27]]) == "a  a\nb  ab"


def test_binary_perturbations_differ_from_the_answer():
    answer = "1 0\n0 0"
    wrong = binary_perturbations(answer, np.random.default_rng(0), 3, lambda grid: [1 - grid])
    assert wrong and answer not in wrong and "0 1\n1 1" in wrong
    assert binary_perturbations("1 1\n1 1", np.random.default_rng(0), 0) == []  # the transpose is equal
