"""Cipher: encrypt or decrypt a message with described classical ciphers.

The prompt names the cipher(s) and keys and gives a message; the answer is the result. A
tiny example::

    Encrypt "CAT" with a Caesar cipher, shift 3      → FDW
    Decrypt "FDW" (Caesar, shift 3)                  → CAT

Ciphers (later levels add later ones and stack two): Caesar (shift), Atbash (A↔Z), Vigenère
(key word; the key advances over letters only), substitution (a full 26-letter table),
rail fence (zigzag over r rails, read rail by rail) and columnar transposition (rows under a
key word, columns read in the alphabetical order of its letters). Letter ciphers keep spaces;
transpositions work on the letters with spaces removed. Every cipher is a bijection for a
fixed key and length, so the answer is unique; answers are compared on their letters
(case and spaces ignored, any other character is invalid; the shared one-value decorations,
bold, a code span, a trailing full stop, are stripped first). A wrong answer's
``details["fraction"]`` is the agreement beyond chance (Cohen's kappa, floored at 0) of the
answer's and the gold's letters position by position, over the longer of the two, so extra
or missing letters cost as much as wrong ones, and letters that agree only as often as the
two texts' letter frequencies make likely (a guessed word, the prompt's message) earn nothing.
"""

from __future__ import annotations

import string

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import bounded, scalar_forms, unwrap
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.language.word_sorting import WORDS
from synlog.verifiers.verdict import Verdict

ABC = string.ascii_uppercase
CIPHERS = ("caesar", "atbash", "vigenere", "substitution", "rail_fence", "columnar")


def shift_letters(text: str, shifts: list[int]) -> str:
    """Shift the i-th letter of ``text`` forward by ``shifts[i % len]``; other characters kept."""
    out, i = [], 0
    for ch in text:
        if ch in ABC:
            out.append(ABC[(ABC.index(ch) + shifts[i % len(shifts)]) % 26])
            i += 1
        else:
            out.append(ch)
    return "".join(out)


def rail_order(length: int, rails: int) -> list[int]:
    """Positions of the plaintext in the order the rail fence reads them."""
    cycle = 2 * (rails - 1)
    rail_of = [min(i % cycle, cycle - i % cycle) for i in range(length)]
    return sorted(range(length), key=lambda i: (rail_of[i], i))


def column_order(length: int, key: str) -> list[int]:
    """Positions of the plaintext in the order columnar transposition reads them."""
    columns = sorted(range(len(key)), key=lambda c: key[c])
    return [i for c in columns for i in range(c, length, len(key))]


def apply(cipher: str, key, text: str, decrypt: bool) -> str:
    """Encrypt (or decrypt) ``text`` with one cipher and its key."""
    if cipher == "caesar":
        return shift_letters(text, [-key if decrypt else key])
    if cipher == "atbash":
        return text.translate(str.maketrans(ABC, ABC[::-1]))
    if cipher == "vigenere":
        return shift_letters(text, [(-1 if decrypt else 1) * ABC.index(k) for k in key])
    if cipher == "substitution":
        table = str.maketrans(key, ABC) if decrypt else str.maketrans(ABC, key)
        return text.translate(table)
    letters = text.replace(" ", "")
    order = rail_order(len(letters), key) if cipher == "rail_fence" else column_order(len(letters), key)
    if not decrypt:
        return "".join(letters[i] for i in order)
    plain = [""] * len(letters)
    for ch, i in zip(letters, order, strict=False):
        plain[i] = ch
    return "".join(plain)


def make_key(rng: np.random.Generator, cipher: str):
    """A random key for ``cipher`` (JSON-serialisable)."""
    if cipher == "caesar":
        return int(rng.integers(1, 26))
    if cipher == "vigenere":
        return "".join(ABC[i] for i in rng.integers(0, 26, int(rng.integers(3, 7))))
    if cipher == "substitution":
        return "".join(ABC[i] for i in rng.permutation(26))
    if cipher == "rail_fence":
        return int(rng.integers(2, 5))
    if cipher == "columnar":
        return "".join(ABC[i] for i in rng.choice(26, int(rng.integers(3, 6)), replace=False))
    return None


def agreement(answer: str, gold: str) -> float:
    """Cohen's kappa of two letter strings compared position by position, floored at 0.

    Observed agreement is over the longer length; chance agreement is what the two texts'
    letter frequencies give at the overlapping positions.
    """
    longest, overlap = max(len(answer), len(gold)), min(len(answer), len(gold))
    observed = sum(a == b for a, b in zip(answer, gold, strict=False)) / longest
    expected = sum(answer.count(ch) * gold.count(ch) for ch in set(answer)) / (len(answer) * len(gold))
    expected *= overlap / longest
    return max(0.0, (observed - expected) / (1 - expected)) if expected < 1 else 0.0


def letters_of(text: str) -> str | None:
    """The letters of an answer, upper-cased with whitespace removed; None if anything else."""
    joined = "".join(text.split()).upper()
    return joined if all(ch in ABC for ch in joined) else None


@register
class Cipher(Task):
    """Encrypt or decrypt a message with described classical ciphers (Caesar to stacked transpositions)."""

    name, family, version = "cipher", "language", 2
    knobs = Knobs(
        kinds=Knob(int, levels=[1, 1, 2, 3, 3, 4, 5, 6, 6, 6], lo=1, hi=len(CIPHERS),
                   help="ciphers available (in order: " + ", ".join(CIPHERS) + ")"),
        layers=Knob(int, levels=[1, 1, 1, 1, 1, 1, 1, 2, 2, 2], lo=1, hi=3, help="ciphers applied in turn"),
        words=Knob(int, levels=[1, 2, 2, 3, 3, 4, 4, 4, 5, 6], lo=1, hi=40, help="words in the message"),
        decrypt_share=Knob(float, levels=[0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], lo=0, hi=1,
                           help="chance the task is to decrypt"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        weights = np.arange(1, p.kinds + 1, dtype=float)  # newer ciphers more often
        names = [CIPHERS[int(i)] for i in rng.choice(p.kinds, p.layers, p=weights / weights.sum())]
        layers = [{"cipher": name, "key": make_key(rng, name)} for name in names]
        plain = " ".join(WORDS[int(i)] for i in rng.integers(0, len(WORDS), p.words)).upper()
        secret = plain
        for layer in layers:
            secret = apply(layer["cipher"], layer["key"], secret, decrypt=False)
        if secret.replace(" ", "") == plain.replace(" ", ""):  # e.g. Atbash twice: copying would pass
            raise Reject("the layers cancel out")
        decrypt = bool(rng.random() < p.decrypt_share)
        source, target = (secret, plain) if decrypt else (plain, secret)
        effort = len(plain) * sum(1 + CIPHERS.index(name) for name in names) * (1 + decrypt)
        data = {"layers": layers, "decrypt": decrypt, "message": source, "result": target}
        return Problem(data, target, float(effort))

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            letters = letters_of(unwrap(bounded(answer, 2_000)))
        except ValueError as error:
            return Verdict.unparseable(str(error))
        if not letters:
            return Verdict.unparseable("expected the message in letters A-Z (spaces allowed)")
        gold = problem["result"].replace(" ", "")
        if letters != gold:
            where = next((i for i, (a, b) in enumerate(zip(letters, gold, strict=False)) if a != b), min(len(letters), len(gold)))
            return Verdict.wrong(f"letter {where + 1} differs", fraction=agreement(letters, gold))
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """The message copied unchanged or reversed: answers that apply no cipher."""
        return {"the message unchanged": problem["message"], "the message reversed": problem["message"][::-1]}

    def alternative_forms(self, problem: Problem) -> list[str]:
        return scalar_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = problem.answer
        i = next(k for k, ch in enumerate(gold) if ch in ABC)
        changed = gold[:i] + ABC[(ABC.index(gold[i]) + 1) % 26] + gold[i + 1:]
        wrong = [changed, gold[:-1], gold + "X", problem.data["message"], gold[::-1]]
        return [w for w in wrong if letters_of(w) != gold.replace(" ", "")]
