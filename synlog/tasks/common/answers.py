"""Strict parsers for the answer shapes that several language tasks share.

Every parser refuses over-long text before looking at it and raises :class:`AnswerError`
(a ``ValueError``) whose message says what was expected, fit for ``Verdict.unparseable``::

    parse_letter_set("A, c", "ABCDE")        # {"A", "C"}
    parse_letter_set("none", "ABCDE")        # set()
    parse_int_set("3, 7", lo=1, hi=20)       # {3, 7}
    parse_int("-1")                          # -1
    parse_truth_list("yes, no", 2)           # [True, False]
    parse_word_list("pear, fig")             # ["pear", "fig"]
    parse_number("3.50")                     # Fraction(7, 2)
    close_enough(Fraction(7, 2), 3.5, 0.01)  # True
    parse_name_set("Ann and bob", {"Ann", "Bob"})  # {"Ann", "Bob"}
    parse_pairs("Ann: pear; Bob: fig")       # {"Ann": "pear", "Bob": "fig"}

"none" (also "empty", "{}", "[]", "∅", "no errors") means the empty set; it is never confused
with a word that merely contains it. Repeated items are errors, never silently merged, so a
set answer cannot game a verifier by listing everything twice.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from fractions import Fraction

from synlog.verifiers.verdict import Verdict

#: longest answer text any of these parsers reads
MAX_CHARS = 5_000
#: spellings of the empty set
NONE_WORDS = frozenset({"none", "empty", "{}", "[]", "∅", "no errors", "no mistakes", "nothing"})
TRUE_WORDS = frozenset({"yes", "true", "truthful", "tells the truth", "truth-teller"})
FALSE_WORDS = frozenset({"no", "false", "liar", "lies"})
#: spellings of an empty set of names
NOBODY_WORDS = frozenset({"none", "nobody", "no one", "empty", "{}", "[]", "∅"})

_INT = re.compile(r"[+-]?\d{1,15}")
_NUMBER = re.compile(r"[+-]?(\d{1,15}(\.\d{0,12})?|\.\d{1,12})")
_SPLIT = re.compile(r"\s*[,;]\s*|\s+")


class AnswerError(ValueError):
    """The answer text does not have the expected shape; the message says what was expected."""


def bounded(text: str, limit: int = MAX_CHARS) -> str:
    """``text`` stripped, or AnswerError when it is not a string or longer than ``limit``."""
    if not isinstance(text, str):
        raise AnswerError("expected text")
    if len(text) > limit:
        raise AnswerError(f"answer longer than {limit} characters")
    return text.strip()


def is_none(text: str) -> bool:
    """True when ``text`` (already bounded) spells the empty set and nothing else."""
    return text.strip().strip(".").strip().lower() in NONE_WORDS


def _items(text: str, split: re.Pattern[str] = _SPLIT) -> list[str]:
    """The items of a list answer with its outer brackets removed; empty items are an error."""
    text = bounded(text).rstrip(".").strip()
    if len(text) >= 2 and text[0] + text[-1] in ("{}", "[]", "()"):
        text = text[1:-1].strip()
    if not text:
        raise AnswerError("expected a list of items or 'none'")
    items = [item.strip().strip("'\"") for item in split.split(text)]
    if any(not item for item in items):
        raise AnswerError("empty item in the list")
    return items


def _no_repeats(items: list, what: str) -> None:
    seen = set()
    for item in items:
        if item in seen:
            raise AnswerError(f"{what} {item} is listed twice")
        seen.add(item)


def parse_letter_set(text: str, letters: Collection[str]) -> set[str]:
    """Option letters from ``letters`` separated by commas or spaces (any case), or ``none``."""
    if is_none(bounded(text)):
        return set()
    items = [item.upper() for item in _items(text)]
    for item in items:
        if item not in letters:
            raise AnswerError(f"{item[:20]!r} is not one of the option letters {', '.join(sorted(letters))}")
    _no_repeats(items, "option")
    return set(items)


def parse_int(text: str) -> int:
    """Exactly one integer (optional sign, at most 15 digits) and nothing else."""
    text = bounded(text).rstrip(".").strip()
    if not _INT.fullmatch(text):
        raise AnswerError("expected a single integer such as 7")
    return int(text)


def verify_integer(answer: str, gold: int, what: str) -> Verdict:
    """The verdict on an answer that must be exactly the integer ``gold`` (``what`` it counts)."""
    try:
        value = parse_int(answer)
    except AnswerError as error:
        return Verdict.unparseable(str(error))
    if value != gold:
        return Verdict.wrong(f"{value} is not the number of {what}")
    return Verdict.ok()


def parse_int_set(text: str, lo: int, hi: int) -> set[int]:
    """Integers in ``lo..hi`` separated by commas or spaces, or ``none``."""
    if is_none(bounded(text)):
        return set()
    values = []
    for item in _items(text):
        if not _INT.fullmatch(item):
            raise AnswerError(f"{item[:20]!r} is not an integer; expected e.g. '3, 7' or 'none'")
        value = int(item)
        if not lo <= value <= hi:
            raise AnswerError(f"{value} is outside {lo}..{hi}")
        values.append(value)
    _no_repeats(values, "number")
    return set(values)


def parse_int_or_none(text: str, lo: int, hi: int) -> int | None:
    """One integer in ``lo..hi``, or None for ``none``."""
    if is_none(bounded(text)):
        return None
    value = parse_int(text)
    if not lo <= value <= hi:
        raise AnswerError(f"{value} is outside {lo}..{hi}")
    return value


def parse_truth_list(text: str, count: int) -> list[bool]:
    """Exactly ``count`` words from yes/no/true/false, separated by commas or semicolons."""
    items = [item.lower() for item in _items(text, re.compile(r"\s*[,;\n]\s*"))]
    if len(items) != count:
        raise AnswerError(f"expected {count} answers (yes or no), got {len(items)}")
    values = []
    for item in items:
        if item in TRUE_WORDS:
            values.append(True)
        elif item in FALSE_WORDS:
            values.append(False)
        else:
            raise AnswerError(f"{item[:20]!r} is not yes or no")
    return values


def parse_word_list(text: str) -> list[str]:
    """Words (letters, apostrophes, hyphens) separated by commas or spaces, order kept."""
    items = [item.lower() for item in _items(text)]
    for item in items:
        if not re.fullmatch(r"[a-z'-]{1,40}", item):
            raise AnswerError(f"{item[:20]!r} is not a word")
    return items


def parse_name_set(text: str, allowed: Collection[str]) -> set[str]:
    """Names from ``allowed`` (any case, any order) separated by commas, semicolons or "and".

    ``none`` or ``nobody`` is the empty set; a repeated name, an unknown name or an empty item
    is an error, not silently dropped.
    """
    text = bounded(text).strip("{}[]. ").strip()
    if text.lower() in NOBODY_WORDS or text == "":
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
    text = bounded(text)
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


def parse_number(text: str) -> Fraction:
    """One decimal number (``12``, ``-3.25``, ``.5``), exactly, without exponents or words."""
    text = bounded(text, 100).rstrip(".").strip()
    if not _NUMBER.fullmatch(text):
        raise AnswerError("expected one decimal number such as 12.5")
    return Fraction(text)


def close_enough(value: Fraction, gold: float | Fraction, tolerance: float) -> bool:
    """``|value − gold| ≤ tolerance`` in exact arithmetic."""
    return abs(value - Fraction(gold)) <= Fraction(tolerance)


def join_set(items: Collection) -> str:
    """The canonical text of a set answer: sorted, comma-separated, or ``none``."""
    return ", ".join(str(item) for item in sorted(items)) if items else "none"
