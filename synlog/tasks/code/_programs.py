"""Random small programs for code_output: blocks of loops, conditionals and string operations.

Each block is a few lines of Python with random constants that prints exactly one line;
a program is a sequence of blocks. ``work`` estimates the loop iterations a reader has to
trace (the task's effort). Blocks use only builtins, terminate by construction (bounded
``for`` loops, a ``while`` with a step cap) and print deterministic text.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

WORDS = ("python", "sandbox", "reason", "lattice", "kernel", "vector", "puzzle", "orbit",
         "cascade", "syntax", "quartz", "meadow", "zephyr", "banana", "island", "mirror")
VOWELS = "aeiou"
#: the letters ``spell`` upper-cases
LETTER_SETS = (VOWELS, "aei", "ou", "rstln", "aeiouy", "pqrs", "mnop")


def _pick(rng: np.random.Generator, items: tuple[str, ...]) -> str:
    return items[int(rng.integers(len(items)))]


def _ints(rng: np.random.Generator, lo: int, hi: int, n: int) -> list[int]:
    return [int(v) for v in rng.integers(lo, hi + 1, n)]


def accumulate(rng: np.random.Generator, scale: int) -> tuple[str, int]:
    n = int(rng.integers(scale, 2 * scale + 1))
    m = int(rng.integers(2, 5))
    r = int(rng.integers(0, m))
    a, c, d = _ints(rng, -10, 10, 1)[0], int(rng.integers(1, 6)), int(rng.integers(1, 8))
    return (f"total = {a}\n"
            f"for i in range({n}):\n"
            f"    if i % {m} == {r}:\n"
            f"        total += i * {c}\n"
            f"    else:\n"
            f"        total -= {d}\n"
            f"print(total)\n"), n


def spell(rng: np.random.Generator, scale: int) -> tuple[str, int]:
    word = "".join(_pick(rng, WORDS) for _ in range(int(rng.integers(1, max(2, scale // 4) + 1))))
    m = int(rng.integers(2, 5))
    marked = _pick(rng, LETTER_SETS)
    return (f'word = "{word}"\n'
            f'out = ""\n'
            f"for i, ch in enumerate(word):\n"
            f'    if ch in "{marked}":\n'
            f"        out = out + ch.upper()\n"
            f"    elif i % {m} == 0:\n"
            f"        out = ch + out\n"
            f"    else:\n"
            f"        out += str(i % 10)\n"
            f"print(out)\n"), len(word)


def comprehension(rng: np.random.Generator, scale: int) -> tuple[str, int]:
    xs = _ints(rng, -20, 30, int(rng.integers(3, scale + 4)))
    k, m, t = int(rng.integers(-3, 4)) or 2, int(rng.integers(2, 5)), int(rng.integers(2, 6))
    return (f"xs = {xs}\n"
            f"ys = [x * {k} for x in xs if x % {m} != 0]\n"
            f"print(sorted(ys)[::-1][:{t}], len(ys))\n"), len(xs)


def collatz(rng: np.random.Generator, scale: int) -> tuple[str, int]:
    n, cap = int(rng.integers(3, 20 * scale)), int(rng.integers(scale, 3 * scale + 1))
    return (f"n = {n}\n"
            f"steps = 0\n"
            f"while n != 1 and steps < {cap}:\n"
            f"    n = n // 2 if n % 2 == 0 else 3 * n + 1\n"
            f"    steps += 1\n"
            f"print(n, steps)\n"), cap


def tally(rng: np.random.Generator, scale: int) -> tuple[str, int]:
    text = " ".join(_pick(rng, WORDS) for _ in range(max(2, scale // 4)))
    t = int(rng.integers(2, 5))
    return (f'text = "{text}"\n'
            f"counts = {{}}\n"
            f'for ch in text.replace(" ", ""):\n'
            f"    counts[ch] = counts.get(ch, 0) + 1\n"
            f"best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:{t}]\n"
            f"print(best)\n"), len(text)


def nested(rng: np.random.Generator, scale: int) -> tuple[str, int]:
    n, m, k = int(rng.integers(2, scale // 2 + 4)), int(rng.integers(3, scale // 2 + 6)), int(rng.integers(2, 6))
    start, r, c = int(rng.integers(-9, 10)), int(rng.integers(0, k)), int(rng.integers(1, 4))
    return (f"acc = {start}\n"
            f"for a in range({n}):\n"
            f"    for b in range(a, {m}):\n"
            f"        if (a + b) % {k} == {r}:\n"
            f"            acc += a * b + {c}\n"
            f"print(acc)\n"), n * m


def words(rng: np.random.Generator, scale: int) -> tuple[str, int]:
    parts = " ".join(_pick(rng, WORDS) for _ in range(max(2, scale // 3)))
    sep = _pick(rng, ("-", "+", ".", ":"))
    return (f'parts = "{parts}".split()\n'
            f'print("{sep}".join(p[::-1] if len(p) % 2 else p.upper() for p in parts))\n'), parts.count(" ") + 1


def recursion(rng: np.random.Generator, scale: int) -> tuple[str, int]:
    n = int(rng.integers(3, min(18, 4 + scale)))
    a, b, m = int(rng.integers(0, 6)), int(rng.integers(1, 5)), int(rng.integers(2, 5))
    return (f"def seq(n):\n"
            f"    if n < 2:\n"
            f"        return {a} + n * {b}\n"
            f"    return seq(n - 1) + seq(n - 2) - n % {m}\n"
            f"print(seq({n}))\n"), 2 ** min(n, 12)


BLOCKS: dict[str, Callable[[np.random.Generator, int], tuple[str, int]]] = {
    "accumulate": accumulate, "spell": spell, "comprehension": comprehension, "collatz": collatz,
    "tally": tally, "nested": nested, "words": words, "recursion": recursion,
}


def random_program(rng: np.random.Generator, blocks: int, scale: int) -> tuple[str, float]:
    """A program of ``blocks`` blocks (kinds drawn without repeats while possible) and its work."""
    kinds = sorted(BLOCKS)
    order = rng.permutation(len(kinds)).tolist()
    source, work = [], 0
    for i in range(blocks):
        text, cost = BLOCKS[kinds[order[i % len(kinds)]]](rng, scale)
        source.append(text)
        work += cost
    return "\n".join(source), float(work)
