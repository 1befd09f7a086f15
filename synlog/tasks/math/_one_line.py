"""The first checks of a one-line math answer (one number, one polynomial), shared by tasks
whose verifiers read the answer with their own strict parser."""

from __future__ import annotations

import re

from synlog.verifiers.verdict import Verdict

#: words and signs that offer several answers (or none): "3 or 4", "±2", "about 5?"
HEDGE = re.compile(r"\bor\b|\band\b|±|∓|\\pm|\\mp|\?|≈", re.IGNORECASE)


def one_line(answer: str, what: str, max_chars: int) -> str | Verdict:
    """The stripped answer, or the verdict that refuses it: too long, empty, several lines, or
    a hedge (``what`` names the thing asked for: "one number")."""
    if len(answer) > max_chars:
        return Verdict.invalid(f"answer longer than {max_chars} characters")
    text = answer.strip()
    if not text:
        return Verdict.no_answer()
    if "\n" in text:
        return Verdict.invalid(f"write {what} on one line")
    if HEDGE.search(text):
        return Verdict.invalid(f"give {what}, not several candidates or a hedge")
    return text
