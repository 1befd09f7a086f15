"""Generated English sentences worded in another language, by the pattern they were written from.

A task that writes sentences in Python (a question, a statement) keeps one table per language of
``(compiled English pattern, format string)`` pairs; the format string receives the pattern's
groups (names, numbers and formulas, kept verbatim)::

    PATTERNS = ((re.compile(r"What is the gcd of (\\d+) and (\\d+)\\?"), "{0} 和 {1} 的最大公约数是多少？"),)
    reword("What is the gcd of 4 and 6?", PATTERNS)     # "4 和 6 的最大公约数是多少？"
    reword("Something else.", PATTERNS)                  # None
"""

from __future__ import annotations

import re
from collections.abc import Sequence


def reword(text: str, patterns: Sequence[tuple[re.Pattern[str], str]]) -> str | None:
    """``text`` rewritten by the first pattern that matches all of it, or None."""
    for pattern, template in patterns:
        match = pattern.fullmatch(text)
        if match:
            return template.format(*match.groups())
    return None
