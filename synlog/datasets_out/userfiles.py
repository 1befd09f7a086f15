"""Reading the files a user hands synlog, safely: text, YAML/JSON documents, JSON lines.

Every command that reads a user's file (a mixture spec, a reward spec, a train config,
completions, a JSONL dataset) goes through here, so every one of them answers bad bytes the
same way: an :class:`~synlog.errors.InputFileError` naming the file, the line and the fix,
never a traceback. A document's size is bounded *before* it is built (bytes, nesting depth,
node count with YAML aliases expanded, digits of an integer), so no file makes synlog
allocate much more than the file's own size::

    spec = load_document("mix.yaml", "mixture spec")          # dict / list / scalar
    for number, record in iter_json_lines("outs.jsonl", "an object with 'id'"):
        ...

Non-finite numbers (``.nan``, ``.inf``, ``NaN``, ``Infinity``) are refused in documents:
no synlog setting takes one, and a NaN weight silently poisons arithmetic later.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from synlog.errors import InputFileError

#: a spec or config larger than this is not one (a 52-task mixture at every level is ~10 KB)
MAX_DOCUMENT_BYTES = 1 << 20
#: nesting depth of a YAML/JSON document (synlog's deepest setting is 4 levels down)
MAX_DEPTH = 64
#: values in a document, counting each use of a YAML alias as a copy (no billion laughs)
MAX_NODES = 100_000
#: digits of an integer literal (Python refuses to convert longer ones anyway)
MAX_INT_DIGITS = 4_300
#: a JSON line longer than this has its structure counted before it is parsed
LARGE_LINE_BYTES = 1 << 20
#: values in one JSON line (a completions line holds an id and a few strings)
MAX_LINE_NODES = 1_000_000

_STRING_LITERAL = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def decode_text(data: bytes, path: Path, first_line: int = 1) -> str:
    """UTF-8 text (a leading byte-order mark dropped), or an error naming line and column."""
    try:
        return data.decode("utf-8-sig" if first_line == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = first_line + before.count(b"\n")
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise InputFileError(
            f"{path}:{line}:{column}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
            "save the file as UTF-8"
        ) from None


def _open_error(path: Path, what: str, exc: OSError) -> InputFileError:
    reason = exc.strerror or str(exc)
    return InputFileError(f"cannot read {what} '{path}': {reason}; check the path")


def read_text(path: str | Path, what: str, max_bytes: int = MAX_DOCUMENT_BYTES) -> str:
    """The whole of a small user file as text; ``what`` names it in errors ("mixture spec")."""
    path = Path(path)
    if path.is_dir():
        raise InputFileError(f"{what} '{path}' is a folder; pass a file")
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise _open_error(path, what, exc) from None
    if len(data) > max_bytes:
        raise InputFileError(
            f"{what} '{path}' is larger than {max_bytes // 1024} KB; that is not a {what} "
            "(check you passed the right file)"
        )
    return decode_text(data, path)


class _DocumentTooLarge(Exception):
    """Internal: a size bound of a document was crossed (turned into InputFileError)."""


def _yaml_error(path: Path, exc: yaml.YAMLError) -> InputFileError:
    """One line: file:line:column, the problem, and what it was parsing."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    detail = f"{problem} ({context})" if context else problem
    return InputFileError(f"{where}: not valid YAML: {detail}; fix the file (YAML or JSON)")


def _check_yaml_events(text: str) -> None:
    """Bound depth and node count from the event stream, before any node is built.

    libyaml's parser is a state machine, so even 100,000 nested brackets are scanned without
    recursion; the composer that builds nodes is recursive and runs only after this passes.
    (An alias counts once here; :func:`_check_values` counts every use.)
    """
    depth, nodes = 0, 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _DocumentTooLarge(f"is nested deeper than {MAX_DEPTH} levels")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
        nodes += 1
        if nodes > 2 * MAX_NODES:  # start and end events: two per collection
            raise _DocumentTooLarge(f"has more than {MAX_NODES:,} values")


def _check_values(value: Any, path: Path) -> None:
    """Walk a built document (iteratively: no recursion) refusing non-finite numbers and bloat.

    Positions in lists count from 1 in messages (``tasks[1].weight``), as synlog's do.
    """
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    seen = 0
    while stack:
        item, where, depth = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            raise _DocumentTooLarge(f"has more than {MAX_NODES:,} values (YAML aliases count once per use)")
        if depth > MAX_DEPTH:
            raise _DocumentTooLarge(f"is nested deeper than {MAX_DEPTH} levels")
        if isinstance(item, float) and not math.isfinite(item):
            shown = where or "the document"
            raise InputFileError(
                f"{path}: {shown} is {item!r}; synlog settings take finite numbers, write a number"
            )
        if isinstance(item, dict):
            stack.extend((v, f"{where}.{k}" if where else str(k), depth + 1) for k, v in item.items())
            stack.extend((k, where or "a key", depth + 1) for k in item)
        elif isinstance(item, list):
            stack.extend((v, f"{where}[{i}]", depth + 1) for i, v in enumerate(item, 1))


def bounded_int(text: str) -> int:
    """``int`` for JSON that refuses integer literals too long to be a number anyone meant."""
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise _DocumentTooLarge(f"has an integer with {digits:,} digits (at most {MAX_INT_DIGITS:,})")
    return int(text)


def _parse(text: str, path: Path, as_json: bool) -> Any:
    if as_json:
        try:
            return json.loads(text, parse_int=bounded_int)  # NaN/Infinity: refused by _check_values
        except json.JSONDecodeError as exc:
            raise InputFileError(
                f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}; fix the file"
            ) from None
        except RecursionError:
            raise _DocumentTooLarge(f"is nested deeper than {MAX_DEPTH} levels") from None
    try:
        _check_yaml_events(text)
        return yaml.load(text, Loader=_BoundedYamlLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise _yaml_error(path, exc) from None


class _BoundedYamlLoader(_LOADER):
    """SafeLoader whose integers are bounded in length before Python converts them."""


def _construct_bounded_int(loader: Any, node: yaml.ScalarNode) -> int:
    digits = sum(c.isdigit() for c in node.value)
    if digits > MAX_INT_DIGITS:
        raise _DocumentTooLarge(
            f"has an integer with {digits:,} digits on line {node.start_mark.line + 1} (at most {MAX_INT_DIGITS:,})"
        )
    return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)


_BoundedYamlLoader.add_constructor("tag:yaml.org,2002:int", _construct_bounded_int)


def load_document(path: str | Path, what: str, as_json: bool | None = None) -> Any:
    """A YAML or JSON document from a user file, bounded in size, depth and values.

    ``as_json=None`` decides by suffix: ``.json`` is read as JSON, anything else as YAML (which
    also reads most JSON). Errors are one line naming file, line and column where known.
    """
    path = Path(path)
    text = read_text(path, what)
    if as_json is None:
        as_json = path.suffix.lower() == ".json"
    try:
        value = _parse(text, path, as_json)
        _check_values(value, path)
    except _DocumentTooLarge as exc:
        raise InputFileError(f"{path}: {what} {exc}; check you passed the right file") from None
    return value


def _count_structure(raw: bytes) -> int:
    """Upper bound of the values in one JSON line: separators and brackets outside strings."""
    bare = _STRING_LITERAL.sub(b'""', raw)
    return bare.count(b",") + bare.count(b"[") + bare.count(b"{") + 1


def iter_json_lines(path: str | Path, expected: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` for each non-blank line of a JSONL file.

    Errors name the file and line and say what each line should hold (``expected``): text
    that is not UTF-8, invalid JSON, nesting too deep, an integer too long, a line that is not
    a JSON object.
    """
    path = Path(path)
    if path.is_dir():
        raise InputFileError(f"'{path}' is a folder; pass a JSONL file ({expected} per line)")
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below; bytes so errors name the line
    except OSError as exc:
        raise _open_error(path, "JSONL file", exc) from None
    with handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            line = decode_text(raw, path, first_line=number)
            if len(raw) > LARGE_LINE_BYTES and _count_structure(raw) > MAX_LINE_NODES:
                raise InputFileError(
                    f"{path}:{number}: a line with more than {MAX_LINE_NODES:,} JSON values;"
                    f" each line needs {expected}"
                )
            try:
                record = json.loads(line, parse_int=bounded_int)
            except json.JSONDecodeError as exc:
                raise InputFileError(f"{path}:{number}: not valid JSON ({exc.msg}); each line needs {expected}") from None
            except RecursionError:
                raise InputFileError(f"{path}:{number}: JSON nested too deeply; each line needs {expected}") from None
            except _DocumentTooLarge as exc:
                raise InputFileError(f"{path}:{number}: {exc}; each line needs {expected}") from None
            if not isinstance(record, dict):
                raise InputFileError(f"{path}:{number}: each line needs {expected}")
            yield number, record

