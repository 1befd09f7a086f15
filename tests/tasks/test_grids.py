"""Specification of the shared grid text convention (synlog.tasks.common.grids)."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synlog.tasks.common.grids import MAX_CHARS, GridParseError, format_grid, parse_grid


def test_format_grid_writes_one_row_per_line_cells_separated_by_single_spaces():
    assert format_grid([[1, 2, 3], [4, 5, 6]]) == "1 2 3\n4 5 6"
    assert format_grid([["a", "#"]]) == "a #"


@pytest.mark.parametrize(
    "text",
    [
        "1 2\n3 4",
        "  1 2 \n\n 3   4  \n",
        "1,2\n3,4",
        "1, 2\n3, 4",
        "[[1, 2], [3, 4]]",
        "[[1,2],\n [3,4]]",
        "[1, 2]\n[3, 4]",
        "1 | 2\n--+--\n3 | 4",
        "1 2\r\n3 4\r\n",
    ],
)
def test_parse_accepts_the_convention_and_common_variants(text):
    assert parse_grid(text, rows=2, cols=2) == [[1, 2], [3, 4]]


def test_parse_reads_text_cells():
    assert parse_grid("a b\n# .", cell=str) == [["a", "b"], ["#", "."]]
    assert parse_grid('[["a", "b"], ["#", "."]]', cell=str) == [["a", "b"], ["#", "."]]
    # a row of single dashes is cells, not a box-drawing rule
    assert parse_grid("- -\n+ +", cell=str) == [["-", "-"], ["+", "+"]]


def test_parse_reads_signed_integers():
    assert parse_grid("-1 +2\n0 10") == [[-1, 2], [0, 10]]


@pytest.mark.parametrize(
    "text, why",
    [
        ("", "empty"),
        ("   \n  ", "empty"),
        ("1 2\n3", "row 2"),
        ("1 2 3\n4 5 6\n7 8 9", "expected 2 rows"),
        ("1 2\n3 x", "not an integer"),
        ("1.5 2\n3 4", "not an integer"),
        ("1 2\n3 " + "9" * 40, "not an integer"),
        ("[[1, 2], [3, true]]", "not an integer"),
        ("[[1, 2], [3, 4.0]]", "not an integer"),
        ('{"a": 1}', "not an integer"),
        ("[1, 2, 3]", "array of arrays"),
        ("[[]]", "empty row"),
        ("[]", "no cells"),
        ("----\n====", "no cells"),
        ("[" * 5000, "no cells"),
        ("١ ٢\n٣ ٤", "not an integer"),  # non-ASCII digits are not digits here
    ],
)
def test_bad_text_raises_a_grid_parse_error_that_says_why(text, why):
    with pytest.raises(GridParseError, match=why):
        parse_grid(text, rows=2, cols=2)


def test_shape_is_checked_per_row():
    with pytest.raises(GridParseError, match="expected 3 cells in row 2"):
        parse_grid("1 2 3\n4 5\n7 8 9", rows=3, cols=3)
    with pytest.raises(GridParseError, match="differ in width"):
        parse_grid("1 2 3\n4 5\n7 8 9")


def test_text_longer_than_the_limit_is_refused_before_reading():
    text = "1 " * (MAX_CHARS // 2 + 10)
    start = time.perf_counter()
    with pytest.raises(GridParseError, match="too long"):
        parse_grid(text)
    assert time.perf_counter() - start < 0.05


def test_worst_case_text_under_the_limit_is_fast():
    for text in ["-" * (MAX_CHARS - 1) + "x", "[" * (MAX_CHARS - 1), "1 " * (MAX_CHARS // 2 - 1), "|" * MAX_CHARS]:
        start = time.perf_counter()
        try:
            parse_grid(text, rows=9, cols=9)
        except GridParseError:
            pass
        assert time.perf_counter() - start < 0.5, text[:10]


grids_of_ints = st.integers(1, 6).flatmap(
    lambda width: st.lists(st.lists(st.integers(-(10**17), 10**17), min_size=width, max_size=width), min_size=1, max_size=6)
)
tokens = st.text(st.characters(categories=["L", "N", "P", "S"], exclude_characters=",;|[]│┃"), min_size=1, max_size=4)
grids_of_text = st.integers(1, 5).flatmap(
    lambda width: st.lists(st.lists(tokens, min_size=width, max_size=width), min_size=1, max_size=5)
)


@given(grids_of_ints)
def test_parse_reads_back_what_format_writes(grid):
    assert parse_grid(format_grid(grid), rows=len(grid), cols=len(grid[0])) == grid


@given(grids_of_ints)
def test_parse_reads_json_and_comma_forms(grid):
    assert parse_grid(str(grid)) == grid
    assert parse_grid("\n".join(", ".join(map(str, row)) for row in grid)) == grid


@given(grids_of_text)
def test_text_cells_round_trip(grid):
    text = format_grid(grid)
    if any(len(line.strip()) >= 2 and set(line) <= set(" -=_+|─━┼") for line in text.splitlines()):
        return  # a row that reads as a box-drawing rule (e.g. "-- ==") is skipped by design
    assert parse_grid(text, cell=str) == grid


@given(st.text(max_size=200))
def test_any_text_parses_or_raises_grid_parse_error(text):
    try:
        grid = parse_grid(text)
    except GridParseError:
        return
    assert grid and all(len(row) == len(grid[0]) for row in grid)
    assert all(isinstance(v, int) for row in grid for v in row)
