"""Answer extraction, shared by every task.

Parsing the model's text into an answer is one step; judging that answer is another (the
task's ``verify``). Extraction, in order::

    1. drop everything up to the last ``</think>`` (an unclosed ``<think>`` means the model
       never finished reasoning: no answer);
    2. the content of the last complete ``<answer>…</answer>``;
    3. else the content of the last balanced ``\\boxed{…}``;
    4. else, only if the caller allows it, the task's own fallback (e.g. the last line).

Then two wrappers around the *whole* answer are removed, for every task alike: one
``\\boxed{…}`` (``<answer>\\boxed{4}</answer>`` is ``4``) and one markdown code fence
(``` or ```lang on its own line, closed by ``` at the end). Decorations *inside* an answer
(bullets, bold names) are the business of the shared answer parsers
(:mod:`synlog.tasks.common.answers`), since what they mean depends on the answer's shape.

>>> extract("<think>maybe 3</think>so <answer> \\boxed{4} </answer>").text
'4'

An answer longer than ``ExtractConfig.max_chars`` is never cut (a cut could drop a second,
wrong answer after megabytes of padding): it is reported as mode ``too_long``, and
:func:`~synlog.verifiers.score.score` gives it an ``invalid`` verdict.

Every step is linear-time string search (no backtracking regexes), so 10 MB of text is safe.
The mode that succeeded is recorded on the verdict (``Verdict.extraction``).
"""

from __future__ import annotations

import re
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
    max_chars: longest answer (after stripping) a verifier sees; a longer one is ``too_long``
        (an ``invalid`` verdict), never cut.
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
    mode: str  # "tag" | "boxed" | "fallback" | "none" | "unfinished_think" | "too_long"


def last_tag_content(text: str, tag: str) -> str | None:
    """Content of the last complete ``<tag>…</tag>`` pair, or None."""
    open_tag, close_tag = f"<{tag}>", f"</{tag}>"
    end = text.rfind(close_tag)
    if end == -1:
        return None
    start = text.rfind(open_tag, 0, end)
    # no opening tag before the last close means none before any earlier close either
    return None if start == -1 else text[start + len(open_tag) : end]


_BRACES = re.compile(r"\\boxed\{|\{|\}")


def last_boxed_content(text: str) -> str | None:
    """Content of the complete ``\\boxed{…}`` that starts last, or None.

    One left-to-right pass over the braces (a stack of open positions), so the cost is linear
    even for text made of a million unclosed ``\\boxed{``.
    """
    if BOXED not in text:
        return None
    stack: list[tuple[int, bool]] = []  # (content start, opened by \boxed{)
    best: tuple[int, int] | None = None
    for match in _BRACES.finditer(text):
        token = match.group()
        if token == "}":
            if stack:
                start, boxed = stack.pop()
                if boxed and (best is None or start > best[0]):
                    best = (start, match.start())
        else:
            stack.append((match.end(), token != "{"))
    return None if best is None else text[best[0] : best[1]]


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
    found = unwrap(found)
    if len(found) > config.max_chars:
        return Extraction(None, "too_long")
    return Extraction(found, mode)


_FENCE_OPEN = re.compile(r"```[\w+.-]*[ \t]*\n")


def unwrap(answer: str) -> str:
    """``answer`` stripped, without one ``\\boxed{…}`` or one code fence around all of it."""
    text = answer.strip()
    if text.startswith(BOXED) and _closing_brace(text, len(BOXED) - 1) == len(text) - 1:
        return text[len(BOXED):-1].strip()
    opening = _FENCE_OPEN.match(text)
    if opening and text.endswith("```") and "```" not in text[opening.end():-3]:
        return text[opening.end():-3].strip()
    return text


def _closing_brace(text: str, start: int) -> int:
    """Index of the ``}`` matching the ``{`` at ``start`` (-1 if it never closes); linear."""
    depth = 0
    for match in re.compile(r"[{}]").finditer(text, start):
        depth += 1 if match.group() == "{" else -1
        if depth == 0:
            return match.start()
    return -1
