"""Shared pieces of the story tasks (object_counting, tree_relations, goods_exchange, ...).

Name pools and strict parsers for the answer shapes those tasks use: one integer, a set of
names, and a ``name: value`` list. Every parser refuses long text before looking at it and
raises :class:`AnswerError` (a ``ValueError``) with a message fit for a verdict::

    parse_integer(" 12 ")                       # 12
    parse_name_set("Ann, Bob", {"Ann", "Bob"})  # {"Ann", "Bob"}
    parse_name_set("none", {"Ann"})             # set()
    parse_pairs("Ann: pear; Bob: fig")          # {"Ann": "pear", "Bob": "fig"}
"""

from __future__ import annotations

import re
from collections.abc import Collection

import numpy as np

from synlog.verifiers.verdict import Verdict

#: longest answer text any of these parsers reads
MAX_CHARS = 5_000

NAMES = (
    "Alice", "Bob", "Carol", "David", "Emma", "Frank", "Grace", "Henry", "Iris", "Jack",
    "Kate", "Leo", "Mia", "Noah", "Olga", "Paul", "Quinn", "Rosa", "Sam", "Tina", "Uma",
    "Victor", "Wendy", "Xavier", "Yara", "Zoe", "Adam", "Bella", "Chris", "Diana", "Ethan",
    "Fiona", "George", "Hana", "Ivan", "Julia", "Kevin", "Lily", "Marco", "Nora",
)
_INTEGER = re.compile(r"[+-]?\d{1,15}")
_NONE = frozenset({"none", "nobody", "no one", "empty", "{}", "[]", "∅"})


class AnswerError(ValueError):
    """The answer text does not have the expected shape; the message says what was expected."""


def pick_names(rng: np.random.Generator, k: int) -> list[str]:
    """``k`` distinct names in random order."""
    return [NAMES[i] for i in rng.choice(len(NAMES), k, replace=False).tolist()]


def _bounded(text: str) -> str:
    if not isinstance(text, str):
        raise AnswerError("expected text")
    if len(text) > MAX_CHARS:
        raise AnswerError(f"answer longer than {MAX_CHARS} characters")
    return text.strip()


def parse_integer(text: str) -> int:
    """Exactly one integer (optional sign, at most 15 digits), nothing else but spaces."""
    text = _bounded(text).rstrip(".")
    if not _INTEGER.fullmatch(text):
        raise AnswerError("expected a single integer such as 7")
    return int(text)


def verify_integer(answer: str, gold: int, what: str) -> Verdict:
    """The verdict on an answer that must be exactly the integer ``gold`` (``what`` it counts)."""
    try:
        value = parse_integer(answer)
    except AnswerError as error:
        return Verdict.unparseable(str(error))
    if value != gold:
        return Verdict.wrong(f"{value} is not the number of {what}")
    return Verdict.ok()


def parse_name_set(text: str, allowed: Collection[str]) -> set[str]:
    """Comma-separated names from ``allowed`` (case-insensitive, any order), or ``none``.

    A repeated name, an unknown name or an empty item is an error, not silently dropped.
    """
    text = _bounded(text).strip("{}[]. ").strip()
    if text.lower() in _NONE or text == "":
        return set()
    by_lower = {name.lower(): name for name in allowed}
    names: set[str] = set()
    for item in re.split(r"\s*[,;]\s*|\s+and\s+", text):
        key = item.strip().strip("'\"").lower()
        if key not in by_lower:
            raise AnswerError(f"{item.strip()[:40]!r} is not one of the names in the question")
        if by_lower[key] in names:
            raise AnswerError(f"{by_lower[key]} is listed twice")
        names.add(by_lower[key])
    return names


def parse_pairs(text: str) -> dict[str, str]:
    """``key: value`` items separated by newlines or semicolons; keys kept as written (stripped).

    A repeated key (case-insensitively) or an item without a colon is an error.
    """
    text = _bounded(text)
    pairs: dict[str, str] = {}
    seen: set[str] = set()
    for item in re.split(r"[;\n]", text):
        if not item.strip():
            continue
        key, colon, value = item.partition(":")
        if not colon or not key.strip() or not value.strip():
            raise AnswerError(f"expected 'name: value', got {item.strip()[:40]!r}")
        key = key.strip().strip("-*• ").strip()
        if key.lower() in seen:
            raise AnswerError(f"{key[:40]} is listed twice")
        seen.add(key.lower())
        pairs[key] = value.strip().rstrip(".").strip()
    if not pairs:
        raise AnswerError("expected 'name: value' items")
    return pairs


def join_names(names: Collection[str]) -> str:
    """The canonical text of a name set: sorted, comma-separated, or ``none``."""
    return ", ".join(sorted(names)) if names else "none"
