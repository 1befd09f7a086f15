"""Gold answers as public datasets write them, read into the math checker's syntax.

A foreign row's gold is trusted text in its dataset's own conventions. :func:`normalise_gold`
finds the final answer in it and says what kind of answer it is::

    normalise_gold("She pays 2 * 600 = 1200.\\n#### 1,200", "number")   # ("1200", "number")
    normalise_gold(r"so $x = \\boxed{\\dfrac{7}{12}}$.", "auto")        # (r"\\frac{7}{12}", "number")
    normalise_gold(r"$\\left(-\\infty, 3\\right]$", "auto")             # (..., "interval")
    normalise_gold(r"\\text{(B)}", "choice", choices=["1", "2", "3"])   # ("B", "choice")

In order: the text after the last ``####`` line (GSM8K), else the content of the last balanced
``\\boxed{…}`` / ``\\fbox{…}`` (MATH); ``$…$``, ``$$…$$``, ``\\(…\\)``, ``\\[…\\]`` wrappers and
a final full stop; the decorations ``\\$``, ``\\%``, ``^\\circ``, a trailing ``\\text{ units}``
and a leading ``x =``; ``\\dfrac`` / ``\\tfrac`` as ``\\frac``; thousands separators
(``1,234,567``, ``1{,}234``) for kind ``number``, and for ``auto`` only when the whole gold is one
separated number (``1,2`` in a set or tuple is two items). These relaxations are for the gold
only: the model's answer is judged as the prompt states it.

Kind ``auto`` is decided from the gold's shape: an option letter (or an option's text) when
choices are given; an interval where brackets hold an infinity, a union, a closed end or mixed
ends (``\\emptyset`` and ``\\mathbb{R}`` too); ``\\{…\\}`` a set; ``(a, b)`` a tuple; a bare
comma list a set (MATH's "enter all the solutions, separated by commas"); else a plain number
literal is a ``number`` and anything else an ``expression``. A gold that cannot be read raises
:class:`UnreadableGold` with the reason.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from fractions import Fraction

from synlog.errors import SynlogError
from synlog.verifiers.math_parse import (
    MathParseError,
    Node,
    clean,
    enclosed,
    exact_value,
    parse_expression,
    split_top,
)

KINDS = ("number", "expression", "set", "interval", "tuple", "choice", "auto")
MAX_GOLD_CHARS = 20_000

_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:(?:,|\{,\})\d{3})+(?:\.\d+)?")
_BOX = re.compile(r"\\(?:boxed|fbox)\s*")
_WRAPPERS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))
_UNITS = re.compile(r"\s*\\(?:text|mbox|mathrm|textnormal)\s*\{\s*[A-Za-z][A-Za-z .]*\}(?:\^\{?[23]\}?)?\s*$")
_DEGREES = re.compile(r"\s*(?:\^\s*\{?\\circ\}?|°|\\degree)\s*$")
_PERCENT = re.compile(r"\s*\\?%\s*$")
_DOLLAR = re.compile(r"^\s*\\\$\s*|^\s*\$(?=\s*[\d.])")
_ASSIGNED = re.compile(r"^\s*[A-Za-z]\s*=\s*(?=[^=]*$)")
_TEXT_WRAP = re.compile(r"\\(?:text|textbf|mathrm|mathbf|textrm)\s*\{([^{}]*)\}")
_GOLD_LETTER = re.compile(r"\(([A-Z])\)(?:\s.*)?|([A-Z])[.):]?(?:\s.*)?", re.S)
_INFINITY = re.compile(r"\\infty|\boo\b|∞|\binfinity\b")
_UNION = re.compile(r"\\cup|∪|\bU\b")
_EMPTY_OR_REALS = re.compile(r"\\emptyset|\\varnothing|∅|\\mathbb\s*\{?R\}?|ℝ")


class UnreadableGold(SynlogError, ValueError):
    """The gold of a row cannot be read: the row is reported, never scored as 0."""


def letters(count: int) -> str:
    """The option letters of ``count`` options: ``letters(4) == "ABCD"``."""
    return string.ascii_uppercase[:count]


def last_box(text: str) -> str | None:
    """The content of the last balanced ``\\boxed{…}`` or ``\\fbox{…}`` (``\\boxed 5`` too);
    None when there is none. An unbalanced last box raises :class:`UnreadableGold`."""
    starts = list(_BOX.finditer(text))
    if not starts:
        return None
    at = starts[-1].end()
    if text[at:at + 1] != "{":  # \boxed 5: one token
        token = re.match(r"[^\s$]+", text[at:])
        if token is None:
            raise UnreadableGold("\\boxed is followed by nothing")
        return token.group()
    depth = 0
    for i in range(at, len(text)):
        depth += text[i] == "{"
        depth -= text[i] == "}"
        if depth == 0:
            return text[at + 1:i]
    raise UnreadableGold("the last \\boxed{ is never closed")


def final_answer(text: str) -> str:
    """The final answer inside a worked solution: after the last ``####`` (GSM8K), else the last
    box (MATH), else the whole text."""
    if "####" in text:
        rest = text.rsplit("####", 1)[1].strip()
        return rest.splitlines()[0].strip() if rest else ""
    boxed = last_box(text)
    return text if boxed is None else boxed


def _unwrap_math(text: str) -> str:
    text = text.strip()
    changed = True
    while changed:
        changed = False
        if text.endswith(".") and not text.endswith(".."):
            text, changed = text[:-1].rstrip(), True
        for opening, closing in _WRAPPERS:
            if len(text) >= len(opening) + len(closing) and text.startswith(opening) and text.endswith(closing):
                inner = text[len(opening):len(text) - len(closing)]
                if opening == "$" and "$" in inner:
                    continue
                text, changed = inner.strip(), True
                break
    return text


def _undecorate(text: str) -> str:
    before = None
    while before != text:
        before = text
        text = _UNITS.sub("", text) if _UNITS.sub("", text).strip() else text
        text = _DEGREES.sub("", text)
        text = _PERCENT.sub("", text)
        text = _DOLLAR.sub("", text)
        text = _ASSIGNED.sub("", text)
        text = _unwrap_math(text)
    return re.sub(r"\\[dt]frac", r"\\frac", text).strip()


def _unwrap_text(text: str) -> str:
    before = None
    while before != text:
        before, text = text, _TEXT_WRAP.sub(r"\1", text)
    return text.strip().strip("$").strip()


def gold_letter(text: str, choices: Sequence[str] | None) -> str | None:
    """The option letter a gold names (``(B)``, ``B)``, ``B.``, ``\\text{(B)}``,
    ``\\textbf{(B) } 15``, or an option's exact text), or None."""
    body = _unwrap_text(text)
    match = _GOLD_LETTER.fullmatch(body)
    if match is not None:
        letter = match.group(1) or match.group(2)
        if choices and letter not in letters(len(choices)):
            raise UnreadableGold(f"the gold letter {letter} is not one of the {len(choices)} options")
        return letter
    if choices:
        same = [i for i, option in enumerate(choices) if " ".join(option.split()) == " ".join(body.split())]
        if len(same) > 1:
            raise UnreadableGold(f"the gold is the text of {len(same)} options")
        if same:
            return letters(len(choices))[same[0]]
    return None


def number_node(text: str) -> Node | None:
    """The tree of a plain number literal (``12``, ``-2.5``, ``7/12``, ``-\\frac{7}{12}``), or None."""
    try:
        node = parse_expression(text, ())
    except (MathParseError, RecursionError):
        return None
    inner = node[1] if node[0] == "neg" else node
    if inner[0] == "div":
        parts = [p[1] if p[0] == "neg" else p for p in inner[1:]]
        if all(p[0] == "num" and "." not in p[1] for p in parts) and exact_value(inner) is not None:
            return node
        return None
    return node if inner[0] == "num" else None


def number_value(text: str) -> Fraction | None:
    """The exact value of a plain number literal, or None."""
    node = number_node(text)
    return None if node is None else exact_value(node)


def infer_kind(text: str) -> str:
    """The kind of a normalised gold (see the module docstring)."""
    flat = clean(text)
    if _EMPTY_OR_REALS.fullmatch(text.strip()) or _EMPTY_OR_REALS.fullmatch(flat):
        return "interval"
    if flat[:1] == "{" and flat[-1:] == "}" and enclosed(flat):
        return "set"
    if flat[:1] in "([" and flat[-1:] in ")]":
        if _UNION.search(flat) or _INFINITY.search(text) or _INFINITY.search(flat) or flat[0] + flat[-1] != "()":
            return "interval"
        if enclosed(flat) and len(split_top(flat[1:-1], ",")) > 1:
            return "tuple"
    if len(split_top(flat, ",")) > 1:
        return "set"
    return "number" if number_node(text) is not None else "expression"


def normalise_gold(text: str, kind: str, choices: Sequence[str] | None = None) -> tuple[str, str]:
    """``(gold in checker syntax, resolved kind)`` for a gold written in a dataset's conventions.

    kind: one of :data:`KINDS`; ``auto`` is resolved from the gold, and ``number`` becomes
    ``expression`` when the gold is not a plain number literal (``2\\sqrt{3}``).
    choices: the option texts (A, B, ...) of a multiple-choice row.
    """
    if kind not in KINDS:
        raise UnreadableGold(f"kind must be one of {', '.join(KINDS)}, not {str(kind)[:40]!r}")
    if not isinstance(text, str) or not text.strip():
        raise UnreadableGold("the gold answer is empty")
    if len(text) > MAX_GOLD_CHARS:
        raise UnreadableGold(f"the gold is longer than {MAX_GOLD_CHARS} characters")
    body = _undecorate(final_answer(text))
    if not body:
        raise UnreadableGold("nothing follows the final answer marker")
    if kind == "choice" or (kind == "auto" and choices):
        letter = gold_letter(body, choices)
        if letter is None:
            raise UnreadableGold(f"the gold {body[:40]!r} names no option letter" + (" or option text" if choices else ""))
        return letter, "choice"
    if kind in ("number", "auto") and _THOUSANDS.fullmatch(body):
        body = body.replace("{,}", "").replace(",", "")
    resolved = infer_kind(body) if kind == "auto" else kind
    if resolved == "number" and number_node(body) is None:
        resolved = "expression"
    return body, resolved
