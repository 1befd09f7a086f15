"""Grid text: the one convention every grid task (sudoku, futoshiki, ...) reads and writes.

A grid is written one row per line, cells separated by single spaces. Parsers also accept
what models often write instead: commas between cells, a JSON array of arrays, blank lines,
surrounding whitespace, and box-drawing separators (``|`` inside a row, rule lines such as
``------+------``)::

    format_grid([[1, 2], [3, 4]])                  # "1 2\\n3 4"
    parse_grid("1 2\\n3 4", rows=2, cols=2)         # [[1, 2], [3, 4]]
    parse_grid("[[1, 2], [3, 4]]")                 # [[1, 2], [3, 4]]
    parse_grid("1,2\\n3,4\\n")                      # [[1, 2], [3, 4]]
    parse_grid("```\\n- 1 2\\n- 3 4\\n```")          # [[1, 2], [3, 4]]
    parse_grid("1 2\\n3", rows=2)                   # GridParseError: rows 1 and 2 differ in width

Markdown decorations follow the one rule set of :mod:`synlog.tasks.common.answers`: fence
lines (```` ``` ````, ```` ```json ````) and blank lines are dropped; with ``markdown`` (the
default for integer cells) a bullet or ordinal on *every* row and emphasis (``**``, ``*``,
``__``, ``` ` ```) around a row or a cell are removed too; integer grids also lose one
trailing full stop per row (in text grids ``.`` is often a cell). Text grids whose cells can
be ``-``, ``*``, ``+``, ``•``, ``_`` or ``` ` `` pass ``markdown=False`` so those stay cells.
Leading prose ("Here is the grid:") is not a decoration: the answer is unparseable.
:func:`grid_forms` writes a gold grid in each accepted form.

Every way the text can be wrong raises :class:`GridParseError` (a ``ValueError``) whose
message says what was expected, so a verifier can pass it straight into a verdict. Parsing
is linear in the text and refuses text longer than :data:`MAX_CHARS` before looking at it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from synlog.tasks.common.answers import answer_lines

__all__ = ["GridParseError", "MAX_CHARS", "format_grid", "grid_forms", "parse_grid"]

#: longest text :func:`parse_grid` will read (a 100×100 grid of 4-digit cells fits)
MAX_CHARS = 100_000
#: most digits in an integer cell (keeps int() cheap and far from Python's digit limits)
MAX_INT_CHARS = 18

_INT = re.compile(r"[+-]?[0-9]+")
# a box-drawing rule such as "------+------" or "|=====|=====|": only these characters and
# somewhere two dashes in a row (so a row of single "-" cells is not mistaken for a rule)
_RULE_CHARS = frozenset(" \t|+-=_─━│┃┼╋├┤┬┴")
_DASH_RUN = re.compile(r"[-=_─━]{2}")
_CELL_SEPARATORS = re.compile(r"[\s,;|│┃\[\]]+")
_PLAIN_INTS = re.compile(r"[0-9 \t\r\n,]*")
_LONG_INT = re.compile(f"[0-9]{{{MAX_INT_CHARS + 1}}}")
_SLOW_SEPARATOR = re.compile(r"[;|│┃\[\]]")  # lines without these split on spaces and commas


class GridParseError(ValueError):
    """The text is not a grid of the expected shape; the message says what was wrong."""


def format_grid(rows: Iterable[Iterable[Any]]) -> str:
    """One row per line, cells separated by single spaces: the canonical grid answer."""
    return "\n".join(" ".join(str(cell) for cell in row) for row in rows)


def parse_grid(
    text: str,
    rows: int | None = None,
    cols: int | None = None,
    cell: type = int,
    markdown: bool | None = None,
) -> list[list[Any]]:
    """Read a rectangular grid of ``cell`` values (``int`` or ``str``) from ``text``.

    ``rows`` / ``cols``, when given, are the required shape. Integer cells are plain decimal
    integers (an optional sign, at most 18 digits); string cells are any token without
    whitespace, commas, semicolons, ``|`` or brackets. ``markdown`` (default: ``cell is int``)
    strips list markers and emphasis; pass True for text cells only when no cell token can be
    a markdown symbol (``- * + • _ ```).
    """
    if cell not in (int, str):
        raise TypeError(f"cell must be int or str, not {cell!r}")
    if not isinstance(text, str):
        raise GridParseError(f"expected text, got {type(text).__name__}")
    if len(text) > MAX_CHARS:
        raise GridParseError(f"answer too long ({len(text)} characters; at most {MAX_CHARS})")
    stripped = text.strip()
    if not stripped:
        raise GridParseError("empty answer; expected a grid, one row per line")
    if cell is int and _PLAIN_INTS.fullmatch(stripped) and not _LONG_INT.search(stripped):
        # the canonical form (digits, spaces, commas, newlines), read without per-cell checks
        grid = [list(map(int, tokens)) for line in stripped.splitlines()
                if (tokens := line.replace(",", " ").split())]
    else:
        body = "\n".join(answer_lines(stripped, full_stops=cell is int,
                                      markdown=cell is int if markdown is None else markdown))
        if not body:
            raise GridParseError("empty answer; expected a grid, one row per line")
        grid = _from_json(body, cell) if body.startswith("[") else None
        if grid is None:
            grid = _from_lines(body, cell)
    _check_shape(grid, rows, cols)
    return grid


def _from_json(text: str, cell: type) -> list[list[Any]] | None:
    """A JSON array of arrays, or None when the text is not JSON (then lines are tried)."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise GridParseError("expected a JSON array of arrays (one inner array per row)")
    return [[_json_cell(item, cell) for item in row] for row in value]


def _json_cell(item: Any, cell: type) -> Any:
    if isinstance(item, bool) or not isinstance(item, (int, str)):
        raise GridParseError(f"cell {item!r} is not {_kind(cell)}")
    return _convert(str(item), cell)


def _from_lines(text: str, cell: type) -> list[list[Any]]:
    grid = []
    for line in text.splitlines():
        if _DASH_RUN.search(line) and _RULE_CHARS.issuperset(line):
            continue  # box-drawing rules carry no cells
        tokens = _CELL_SEPARATORS.split(line) if _SLOW_SEPARATOR.search(line) else line.replace(",", " ").split()
        tokens = [t for t in tokens if t]
        if tokens:
            grid.append(_convert_row(tokens, cell))
    return grid


def _convert_row(tokens: list[str], cell: type) -> list[Any]:
    if cell is int:
        digits = "".join(tokens)
        if digits.isascii() and digits.isdigit() and max(map(len, tokens)) <= MAX_INT_CHARS:
            return list(map(int, tokens))  # the common case, checked for the whole row at once
    return [_convert(token, cell) for token in tokens]


def _convert(token: str, cell: type) -> Any:
    token = token.strip()
    if cell is str:
        if not token or _CELL_SEPARATORS.search(token):
            raise GridParseError(f"cell {token[:20]!r} is not {_kind(cell)}")
        return token
    if len(token.lstrip("+-")) > MAX_INT_CHARS or not _INT.fullmatch(token):
        raise GridParseError(f"cell {token[:20]!r} is not {_kind(cell)}")
    return int(token)


def _check_shape(grid: Sequence[Sequence[Any]], rows: int | None, cols: int | None) -> None:
    if not grid:
        raise GridParseError("no cells found; expected a grid, one row per line")
    if not all(grid):
        raise GridParseError("the grid has an empty row")
    if rows is not None and len(grid) != rows:
        raise GridParseError(f"expected {rows} rows, found {len(grid)}")
    width = len(grid[0])
    for index, row in enumerate(grid, start=1):
        if cols is not None and len(row) != cols:
            raise GridParseError(f"expected {cols} cells in row {index}, found {len(row)}")
        if len(row) != width:
            raise GridParseError(f"rows 1 and {index} differ in width ({width} vs {len(row)})")


def _kind(cell: type) -> str:
    return "an integer" if cell is int else "a text token"


def grid_forms(text: str, full_stops: bool = True, markdown: bool = True) -> list[str]:
    """The gold grid ``text`` (canonical form) in each other form :func:`parse_grid` reads: in a
    fence, as JSON (also fenced), with commas, with blank lines between rows, and with
    ``markdown`` bullets, ordinals and code spans per row; ``full_stops`` adds a final ``.``."""
    rows = text.splitlines()
    cells = [[int(token) if _INT.fullmatch(token) else token for token in row.split()] for row in rows]
    as_json = json.dumps(cells, ensure_ascii=False)
    forms = [f"```\n{text}\n```", f"```text\n{text}\n```", as_json, f"```json\n{as_json}\n```",
             json.dumps(cells, ensure_ascii=False, indent=1), "\n".join(", ".join(row.split()) for row in rows),
             "\n\n".join(rows), f"\n{text}\n"]
    if markdown:
        forms += ["\n".join(f"- {row}" for row in rows), "\n".join(f"* {row}" for row in rows),
                  "\n".join(f"{k}. {row}" for k, row in enumerate(rows, start=1)),
                  "\n".join(f"`{row}`" for row in rows), "```\n" + "\n".join(f"- {row}" for row in rows) + "\n```"]
        if len(rows) == 1 and rows[0][:1].isdigit():  # "- 1 2" on one line may be -1 2
            forms = [f for f in forms if not f.startswith(("- ", "1. ", "```\n- "))]
    if full_stops:
        forms.append(f"{text}.")
    return list(dict.fromkeys(form for form in forms if form != text))
