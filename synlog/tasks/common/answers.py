"""Strict parsers for the answer shapes that several language tasks share.

Every parser refuses over-long text before looking at it and raises :class:`AnswerError`
(a ``ValueError``) whose message says what was expected, fit for ``Verdict.unparseable``::

    parse_letter_set("A, c", "ABCDE")        # {"A", "C"}
    parse_letter_set("none", "ABCDE")        # set()
    parse_int_set("3, 7", lo=1, hi=20)       # {3, 7}
    parse_int("-1")                          # -1
    parse_truth_list("yes, no", 2)           # [True, False]
    parse_truth_list("Bo: no, Al: yes", 2, names=["Al", "Bo"])  # [True, False]
    parse_word_list("pear, fig")             # ["pear", "fig"]
    parse_number("3.50")                     # Fraction(7, 2)
    close_enough(Fraction(7, 2), 3.5, 0.01)  # True
    parse_name_set("Ann and bob", {"Ann", "Bob"})  # {"Ann", "Bob"}
    parse_pairs("Ann: pear; Bob: fig")       # {"Ann": "pear", "Bob": "fig"}

"none" (also "empty", "{}", "[]", "∅", "no errors") means the empty set; it is never confused
with a word that merely contains it. Repeated items are errors, never silently merged, so a
set answer cannot game a verifier by listing everything twice.

Markdown decorations (one rule set for every logic, grid and language task)
-------------------------------------------------------------------------

Models dress answers up in markdown. What the parsers strip, and nothing more:

1. **Fence lines and blank lines** are dropped: a line that is only ```` ``` ```` or
   ```` ```lang ```` (or ``~~~``), wherever it stands (the extractor already unwraps one fence
   around the whole answer; a fence left inside is harmless).
2. **List markers**, only when *every* remaining line starts with one: a bullet ``- ``,
   ``* ``, ``• ``, ``+ `` (the symbol, then a space), or an ordinal ``1. `` / ``1) `` numbered
   1, 2, 3, ... in order. A ``-`` or ``+`` directly before a digit is a sign, never a
   bullet (``-1``); on a one-line answer a marker followed by a digit is also kept, since
   ``- 1`` may mean −1 and ``1. 5`` may mean 1.5.
3. **Emphasis** ``**x**``, ``__x__``, ``*x*`` and ``` `x` ``` around a name, a value, a
   ``key: value`` item or a whole line (``**Victor**: knave``, ``**Victor:** knave``,
   ``juice: `flute` ``): balanced markers, not inside a word, so ``**1**2`` never becomes
   ``12``. Single ``_x_`` is not emphasis (``x_1`` is a variable name).
4. **One trailing full stop** per line.

Line-based shapes (lists, sets, ``key: value`` pairs, grids, coordinates, assignments) read
:func:`answer_lines`; one-value answers (an integer, a number, an equation, a message) read
:func:`unwrap`, which drops fence lines and removes only emphasis wrapping the *whole* answer
plus one trailing full stop (inside an equation ``*`` is a multiplication). Leading prose
("Here is the grid:") is never stripped: it makes the answer unparseable. No rule removes a
separator, so stripping never merges two items, and no rule changes a letter, digit or sign
of an item, so a wrong answer stays wrong::

    answer_lines("- **Victor**: knave\\n- Bob: knight.")   # ["Victor: knave", "Bob: knight"]
    answer_lines("1. juice: flute\\n2) cat: 3")             # ["juice: flute", "cat: 3"]
    answer_lines("- 1")                                   # ["- 1"]  (may be minus one)
    unwrap("**-1**.")                                     # "-1"

:func:`decorated_forms` and :func:`scalar_forms` write a gold answer in each of these
decorations (the ``alternative_forms`` hook of every task returns them).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
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


#: symbols that start a bullet line (followed by a space); also the characters that markdown
#: emphasis uses, so a grid whose cells may be one of these reads them as cells
MARKDOWN_SYMBOLS = frozenset("-*•+`_")

_FENCE = re.compile(r"(?:`{3,}|~{3,})[ \t]*[\w+#.-]*[ \t]*")
_BULLET = re.compile(r"[-*•+][ \t]+(?=\S)")
_ORDINAL = re.compile(r"([0-9]{1,5})[.)][ \t]+(?=\S)")
# balanced emphasis around a run that starts and ends with a non-space, not glued to a word (or
# to another star) on either side; the run never holds the marker's own character, which keeps
# matching linear
_EMPHASIS = re.compile(
    r"(?<![\w*])(?:(\*{1,3})([^\s*](?:[^*\n]*[^\s*])?)\1"
    r"|__([^\s_](?:[^_\n]*[^\s_])?)__"
    r"|`([^\s`](?:[^`\n]*[^\s`])?)`)(?![\w*])")
# emphasis wrapping a whole one-value answer (its inside may hold single "*": 2*3=6)
_WRAPPED = re.compile(r"\*\*((?:(?!\*\*).)+)\*\*|__((?:(?!__).)+)__|`([^`]+)`|\*([^*]+)\*", re.DOTALL)
#: rounds of emphasis removal (``***x***`` and ``**`x`**`` need two)
_EMPHASIS_ROUNDS = 3


class AnswerError(ValueError):
    """The answer text does not have the expected shape; the message says what was expected."""


def answer_lines(text: str, full_stops: bool = True, markdown: bool = True) -> list[str]:
    """The non-blank lines of a line-based answer, stripped of markdown decorations.

    Fence and blank lines go; with ``markdown``, list markers (when every line has one) and
    emphasis go; with ``full_stops``, one trailing full stop per line goes. The module
    docstring states the rules. ``text`` must already be bounded by the caller.
    """
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not _FENCE.fullmatch(line)]
    if markdown:
        lines = [_without_emphasis(line) for line in _without_list_markers(lines)]
    if full_stops:
        lines = [line[:-1].rstrip() if line.endswith(".") else line for line in lines]
    return [line for line in lines if line]


def undecorate(text: str, full_stops: bool = True, markdown: bool = True) -> str:
    """:func:`answer_lines` joined by newlines."""
    return "\n".join(answer_lines(text, full_stops, markdown))


def unwrap(text: str) -> str:
    """A one-value answer without its decorations: fence lines dropped, emphasis wrapping the
    whole text removed, and one trailing full stop (before or inside the emphasis)."""
    text = "\n".join(line for line in text.strip().splitlines() if not _FENCE.fullmatch(line.strip())).strip()
    stopped = text.endswith(".")
    if stopped:
        text = text[:-1].rstrip()
    for _ in range(_EMPHASIS_ROUNDS):
        match = _WRAPPED.fullmatch(text)
        if match is None or not match.group(match.lastindex).strip():
            break
        text = match.group(match.lastindex).strip()
    if not stopped and text.endswith("."):
        text = text[:-1].rstrip()
    return text


def _without_list_markers(lines: list[str]) -> list[str]:
    """``lines`` without their bullets or ordinals, when every line carries one."""
    if not lines:
        return lines
    one_line = len(lines) == 1
    bullets = [_BULLET.match(line) for line in lines]
    if all(bullets):
        rests = [line[m.end():] for line, m in zip(lines, bullets, strict=True)]
        if not (one_line and lines[0][0] in "-+" and rests[0][0].isdigit()):
            return rests
        return lines
    ordinals = [_ORDINAL.match(line) for line in lines]
    if all(m is not None and int(m.group(1)) == k for k, m in enumerate(ordinals, start=1)):
        rests = [line[m.end():] for line, m in zip(lines, ordinals, strict=True)]
        if not (one_line and rests[0][0].isdigit()):
            return rests
    return lines


def _without_emphasis(line: str) -> str:
    for _ in range(_EMPHASIS_ROUNDS):
        stripped = _EMPHASIS.sub(lambda m: m.group(m.lastindex), line)
        if stripped == line:
            break
        line = stripped
    return line


def decorated_forms(items: Sequence[str], separator: str = "\n") -> list[str]:
    """A gold answer made of ``items`` (written joined by ``separator``) in each decoration the
    parsers strip: bullets, ordinals, bold names and values, code spans, full stops, fences.

    Items of the form ``key: value`` (or ``key=value``) also get their key or value emphasised::

        decorated_forms(["Victor: knave", "Bob: knight"], ", ")
        # ["- Victor: knave\\n- Bob: knight", ..., "**Victor**: knave, **Bob**: knight", ...]
    """
    items = [item.strip() for item in items]
    gold = separator.join(items)
    lines = "\n".join(items)

    def keyed(item: str, key_form: str, value_form: str = "{}") -> str:
        for mark in (":", "="):
            key, found, value = item.partition(mark)
            if found and key.strip() and value.strip():
                space = " " if mark == ":" else ""
                return key_form.format(key.strip()) + mark + space + value_form.format(value.strip())
        return key_form.format(item)

    # on a one-line answer "- 1" and "1. 5" stay as written (a sign, a decimal): no such forms
    signed = len(items) == 1 and items[0][:1].isdigit()
    bullets = ("*", "•") if signed else ("-", "*", "•", "+")
    forms = ["\n".join(f"{mark} {item}" for item in items) for mark in bullets]
    if not signed:
        forms += ["\n".join(f"{k}{mark} {item}" for k, item in enumerate(items, start=1)) for mark in ".)"]
    forms += [
        separator.join(keyed(item, "**{}**") for item in items),
        "\n".join(f"- {keyed(item, '**{}**')}" for item in items),
        "\n".join(f"{k}. **{item.replace(':', ':**', 1) if ':' in item else item + '**'}"
                  for k, item in enumerate(items, start=1)),
        separator.join(keyed(item, "{}", "**{}**") for item in items),
        separator.join(keyed(item, "`{}`", "`{}`") for item in items),
        separator.join(f"`{item}`" for item in items),
        separator.join(f"*{item}*" for item in items),
        "\n".join(f"{item}." for item in items),
        "\n".join(f"- **{item}**." for item in items),
        f"{gold}.",
        f"```\n{gold}\n```",
        f"```text\n{lines}\n```",
        f"\n{lines}\n\n",
    ]
    if "\n" not in gold:
        forms.append(f"**{gold}**")
    return list(dict.fromkeys(form for form in forms if form != gold))


def scalar_forms(gold: str) -> list[str]:
    """A one-value gold answer in each decoration :func:`unwrap` strips (a wrapper whose marker
    the answer itself contains is left out: ``*2*3=6*`` is not italic)."""
    forms = [f"{gold}.", f"```\n{gold}\n```", f"```text\n{gold}\n```"]
    for mark in ("**", "__", "`", "*"):
        if mark[0] not in gold:
            forms += [f"{mark}{gold}{mark}", f"{mark}{gold}{mark}.", f"{mark}{gold}.{mark}"]
    return forms


def bounded(text: str, limit: int = MAX_CHARS) -> str:
    """``text`` stripped, or AnswerError when it is not a string or longer than ``limit``."""
    if not isinstance(text, str):
        raise AnswerError("expected text")
    if len(text) > limit:
        raise AnswerError(f"answer longer than {limit} characters")
    return text.strip()


def is_none(text: str) -> bool:
    """True when ``text`` (already bounded) spells the empty set and nothing else."""
    return undecorate(text).strip(".").strip().lower() in NONE_WORDS


def _items(text: str, split: re.Pattern[str] = _SPLIT) -> list[str]:
    """The items of a list answer with its outer brackets removed; empty items are an error."""
    text = undecorate(bounded(text)).rstrip(".").strip()
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
    text = unwrap(bounded(text)).rstrip(".").strip()
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


def parse_truth_list(text: str, count: int, names: Sequence[str] | None = None) -> list[bool]:
    """Exactly ``count`` words from yes/no/true/false, separated by commas, semicolons or lines.

    With ``names`` (the people asked about, in order) every item may instead be written
    ``Name: yes``; then all items must be named, each name once, in any order, and the result
    follows the order of ``names``.
    """
    items = [item.lower() for item in _items(text, re.compile(r"\s*[,;\n]\s*"))]
    if len(items) != count:
        raise AnswerError(f"expected {count} answers (yes or no), got {len(items)}")
    keyed = [item.partition(":") for item in items]
    if names is not None and any(colon for _, colon, _ in keyed):
        index = {name.lower(): i for i, name in enumerate(names)}
        ordered: list[str | None] = [None] * len(names)
        for key, colon, value in keyed:
            who = index.get(key.strip())
            if not colon or who is None:
                raise AnswerError(f"expected 'Name: yes' for every person, got {(key + colon)[:40]!r}")
            if ordered[who] is not None:
                raise AnswerError(f"{names[who]} is answered twice")
            ordered[who] = value.strip()
        items = [item or "" for item in ordered]
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
    text = undecorate(bounded(text)).strip("{}[]. ").strip()
    if text.lower() in NOBODY_WORDS or text == "":
        return set()
    by_lower = {name.lower(): name for name in allowed}
    names: set[str] = set()
    for item in re.split(r"\s*[,;\n]\s*|\s+and\s+", text):
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
    text = undecorate(bounded(text))
    pairs: dict[str, str] = {}
    seen: set[str] = set()
    for item in re.split(r"[;\n]", text):
        if not item.strip():
            continue
        key, colon, value = item.partition(":")
        if not colon or not key.strip() or not value.strip():
            raise AnswerError(f"expected 'name: value', got {item.strip()[:40]!r}")
        key = key.strip()
        if key.lower() in seen:
            raise AnswerError(f"{key[:40]} is listed twice")
        seen.add(key.lower())
        pairs[key] = value.strip().rstrip(".").strip()
    if not pairs:
        raise AnswerError("expected 'name: value' items")
    return pairs


def parse_number(text: str) -> Fraction:
    """One decimal number (``12``, ``-3.25``, ``.5``), exactly, without exponents or words."""
    text = unwrap(bounded(text, 100)).rstrip(".").strip()
    if not _NUMBER.fullmatch(text):
        raise AnswerError("expected one decimal number such as 12.5")
    return Fraction(text)


def close_enough(value: Fraction, gold: float | Fraction, tolerance: float) -> bool:
    """``|value − gold| ≤ tolerance`` in exact arithmetic."""
    return abs(value - Fraction(gold)) <= Fraction(tolerance)


def join_set(items: Collection) -> str:
    """The canonical text of a set answer: sorted, comma-separated, or ``none``."""
    return ", ".join(str(item) for item in sorted(items)) if items else "none"
