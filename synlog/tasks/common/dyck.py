"""Bracket sequences (Dyck words) over several bracket types, for the three dyck tasks.

A sequence is a list of one-character tokens; ``PAIRS`` lists the bracket types in the order
levels introduce them::

    word = random_dyck(rng, pairs=3, length=8)  # e.g. ['(', '[', ']', ')', '{', '}', '(', ')']
    scan("( [ )".split())                       # Scan(first_error=3, stack=['(', '['])
    closing_for(['(', '['])                     # [']', ')']

``scan`` defines validity for all three tasks: a closing bracket is an error when it does not
match the most recent unclosed opening bracket (or none is open); the first such position
(1-based) is the first error.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from synlog.errors import Reject

PAIRS = ("()", "[]", "{}", "<>", "⟨⟩", "⟦⟧", "«»", "⌈⌉")
OPEN_TO_CLOSE = {pair[0]: pair[1] for pair in PAIRS}
CLOSE_TO_OPEN = {pair[1]: pair[0] for pair in PAIRS}


@dataclass
class Scan:
    """The 1-based position of the first wrong closing bracket (None if none) and the open stack."""

    first_error: int | None
    stack: list[str]


def scan(tokens: list[str]) -> Scan:
    """Read ``tokens`` left to right; stop at the first closing bracket that breaks the rules."""
    stack: list[str] = []
    for position, token in enumerate(tokens, 1):
        if token in OPEN_TO_CLOSE:
            stack.append(token)
        elif stack and OPEN_TO_CLOSE[stack[-1]] == token:
            stack.pop()
        else:
            return Scan(position, stack)
    return Scan(None, stack)


def stacks(tokens: list[str]) -> list[list[str]]:
    """The stack of open brackets after each token of a sequence with no wrong closer."""
    out, stack = [], []
    for token in tokens:
        if token in OPEN_TO_CLOSE:
            stack = [*stack, token]
        else:
            stack = stack[:-1]
        out.append(stack)
    return out


def closing_for(stack: list[str]) -> list[str]:
    """The closing brackets that close ``stack``, innermost first."""
    return [OPEN_TO_CLOSE[token] for token in reversed(stack)]


def random_dyck(rng: np.random.Generator, pairs: int, length: int, depth_bias: float = 0.5) -> list[str]:
    """A random balanced sequence of ``length`` tokens (even) over the first ``pairs`` types.

    ``depth_bias`` is the chance to open rather than close when both are allowed; higher
    values give deeper nesting.
    """
    tokens: list[str] = []
    stack: list[str] = []
    for remaining in range(length, 0, -1):
        can_open = len(stack) + 1 <= remaining - 1
        if stack and (not can_open or rng.random() >= depth_bias):
            tokens.append(OPEN_TO_CLOSE[stack.pop()])
        else:
            opener = PAIRS[int(rng.integers(pairs))][0]
            stack.append(opener)
            tokens.append(opener)
    return tokens


def tokens_of(text: str, limit: int = 2_000) -> list[str] | None:
    """The bracket tokens of ``text`` with whitespace removed, or None if any other character."""
    text = "".join(text.split())
    if len(text) > limit or any(ch not in OPEN_TO_CLOSE and ch not in CLOSE_TO_OPEN for ch in text):
        return None
    return list(text)


def open_prefix(rng: np.random.Generator, pairs: int, length: int, min_open: int = 1,
                min_length: int = 1) -> list[str]:
    """A prefix of a random balanced sequence with at least ``min_open`` brackets left open.

    The balanced sequence has ``length`` tokens; the cut is drawn among the positions where
    at least ``min_open`` brackets are open and at least ``min_length`` tokens are kept,
    weighted towards deeper ones. Raises Reject when no draw allows such a cut.
    """
    for _ in range(50):
        word = random_dyck(rng, pairs, length, depth_bias=0.6)
        depths = np.array([len(stack) for stack in stacks(word)])
        candidates = np.flatnonzero(depths[: length - 1] >= min_open)
        candidates = candidates[candidates >= min_length - 1]
        if len(candidates):
            weights = depths[candidates].astype(float)
            cut = int(rng.choice(candidates, p=weights / weights.sum()))
            return word[: cut + 1]
    raise Reject(f"no prefix of {length} tokens leaves {min_open} brackets open")


def spaced(tokens: list[str]) -> str:
    """Tokens separated by single spaces (how prompts show sequences and stacks)."""
    return " ".join(tokens)
