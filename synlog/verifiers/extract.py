"""Answer extraction, shared by every task.

Parsing the model's text into an answer is one step; judging that answer is another (the
task's ``verify``). Extraction, in order::

    1. drop everything up to the last ``</think>`` (an unclosed ``<think>`` means the model
       never finished reasoning: no answer);
    2. the content of the last complete ``<answer>…</answer>``;
    3. else the content of the last balanced ``\\boxed{…}``;
    4. else, only if the caller allows it, the task's own fallback (e.g. the last line).

>>> extract("<think>maybe 3</think>so <answer> 4 </answer>").text
'4'

Every step is linear-time string search (no backtracking regexes), so 10 MB of text is safe.
The mode that succeeded is recorded on the verdict (``Verdict.extraction``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

THINK_OPEN, THINK_CLOSE = "<think>", "</think>"
BOXED = "\\boxed{"


@dataclass(frozen=True)
class ExtractConfig:
    """How to find the answer in a completion.

    strip_think: drop text up to the last ``</think>``; an unclosed ``<think>`` yields no answer.
    tag: the answer tag name (``answer`` → ``<answer>…</answer>``); None disables it.
    boxed: accept the last ``\\boxed{…}`` when no tag is found.
    fallback: let the task's own fallback extractor run when nothing else matched.
    max_chars: answers longer than this are cut (verifiers never see megabytes).
    """

    strip_think: bool = True
    tag: str | None = "answer"
    boxed: bool = True
    fallback: bool = False
    max_chars: int = 100_000


DEFAULT = ExtractConfig()


@dataclass(frozen=True)
class Extraction:
    """The extracted answer text (None when nothing was found) and the mode that found it."""

    text: str | None
    mode: str  # "tag" | "boxed" | "fallback" | "none" | "unfinished_think"


def last_tag_content(text: str, tag: str) -> str | None:
    """Content of the last complete ``<tag>…</tag>`` pair, or None."""
    open_tag, close_tag = f"<{tag}>", f"</{tag}>"
    end = text.rfind(close_tag)
    while end != -1:
        start = text.rfind(open_tag, 0, end)
        if start != -1:
            return text[start + len(open_tag) : end]
        end = text.rfind(close_tag, 0, end)
    return None


def last_boxed_content(text: str) -> str | None:
    """Content of the last ``\\boxed{…}`` whose braces balance, or None."""
    start = text.rfind(BOXED)
    while start != -1:
        depth, i = 1, start + len(BOXED)
        while i < len(text):
            ch = text[i]
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    return text[start + len(BOXED) : i]
            i += 1
        start = text.rfind(BOXED, 0, start)
    return None


def extract(
    completion: str,
    config: ExtractConfig = DEFAULT,
    fallback: Callable[[str], str | None] | None = None,
) -> Extraction:
    """Find the final answer in a completion according to ``config``."""
    if not isinstance(completion, str):
        return Extraction(None, "none")
    text = completion
    if config.strip_think:
        close = text.rfind(THINK_CLOSE)
        if close != -1:
            text = text[close + len(THINK_CLOSE) :]
        elif THINK_OPEN in text:
            return Extraction(None, "unfinished_think")
    found: str | None = None
    mode = "none"
    if config.tag:
        found = last_tag_content(text, config.tag)
        mode = "tag"
    if found is None and config.boxed:
        found = last_boxed_content(text)
        mode = "boxed"
    if found is None and config.fallback and fallback is not None:
        found = fallback(text)
        mode = "fallback"
    if found is None:
        return Extraction(None, "none")
    return Extraction(found.strip()[: config.max_chars], mode)
