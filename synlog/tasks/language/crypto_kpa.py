"""Known-plaintext attack: recover a classical cipher's key from a pair, then decrypt a message.

The prompt names the cipher family but not its key, shows one message with its encryption,
and asks for the plaintext of a second message encrypted with the same key. A tiny example
(Caesar, key unknown)::

    known:   CAT  →  FDW          (so every letter moves 3 places forward)
    decrypt: GRJ                  →  DOG

Families, easiest first: Caesar (one shift), affine (E(x) = a·x + b mod 26, a coprime to 26,
A = 0 ... Z = 25), Vigenère with a stated key length L (the i-th letter of a message, spaces
not counted, moves by the (i mod L)-th key letter; every message starts at the key's first
letter) and simple substitution (any one-to-one letter table). Spaces are kept.

Why the answer is determined: at generation the set of every key consistent with the known
pair is derived by constraint propagation rather than by listing keys — Caesar and Vigenère
read each shift as ``cipher − plain`` per letter (per key position); affine solves
a = Δc·Δp⁻¹ mod 26 from two letters whose distance is a unit mod 26 (trying each unit a only
when no such pair exists); substitution reads the letter table the pair reveals (the last
letter is forced once 25 are known). The instance is kept only when every consistent key decrypts the
second message the same way; otherwise the known message is lengthened. ``verify`` compares
the answer's letters with that plaintext (case and spaces ignored, like ``cipher``).
"""

from __future__ import annotations

from math import gcd

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import bounded, scalar_forms, unwrap
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.language.cipher import ABC, letters_of, shift_letters
from synlog.tasks.language.word_sorting import WORDS
from synlog.verifiers.verdict import Verdict

FAMILIES = ("caesar", "affine", "vigenere", "substitution")
UNITS = tuple(a for a in range(1, 26) if gcd(a, 26) == 1)
#: longest answer read (a message is at most a few hundred letters)
MAX_ANSWER = 2_000
#: times the known message is lengthened by a word before the draw is given up
LENGTHEN = 12


def encrypt(family: str, key, text: str) -> str:
    """``text`` under ``key`` (Caesar: shift; affine: [a, b]; Vigenère: word; substitution:
    the 26 cipher letters for A..Z)."""
    if family == "caesar":
        return shift_letters(text, [key])
    if family == "vigenere":
        return shift_letters(text, [ABC.index(k) for k in key])
    if family == "affine":
        a, b = key
        return "".join(ABC[(a * ABC.index(ch) + b) % 26] if ch in ABC else ch for ch in text)
    return text.translate(str.maketrans(ABC, key))


def random_key(rng: np.random.Generator, family: str, length: int):
    """A key that changes every letter's image somewhere (never the identity)."""
    if family == "caesar":
        return int(rng.integers(1, 26))
    if family == "affine":
        a, b = UNITS[int(rng.integers(len(UNITS)))], int(rng.integers(26))
        return [a, b if (a, b) != (1, 0) else 1]
    if family == "vigenere":
        return "".join(ABC[i] for i in rng.integers(1, 26, length))
    return "".join(ABC[i] for i in rng.permutation(26))


def key_space(family: str, length: int) -> float:
    """How many keys the family has (identity left out)."""
    return {"caesar": 25.0, "affine": 12.0 * 26 - 1, "vigenere": 25.0 ** length,
            "substitution": float(np.prod(np.arange(1, 27, dtype=float))) - 1}[family]


def _pairs(plain: str, secret: str) -> list[tuple[int, int]]:
    return [(ABC.index(p), ABC.index(c)) for p, c in zip(plain, secret, strict=True) if p in ABC]


def determined_reading(family: str, length: int, plain: str, secret: str, message: str) -> tuple[str | None, int]:
    """The plaintext of ``message`` when every key consistent with ``plain`` → ``secret``
    decrypts it the same way, else None; and the propagation steps spent."""
    pairs = _pairs(plain, secret)
    if family in ("caesar", "vigenere"):
        period = 1 if family == "caesar" else length
        shifts: list[set[int]] = [set() for _ in range(period)]
        for i, (p, c) in enumerate(pairs):
            shifts[i % period].add((c - p) % 26)
        letters = [ch for ch in message if ch in ABC]
        if any(len(shifts[i % period]) != 1 for i in range(len(letters))):
            return None, len(pairs)  # a key letter the pair leaves open (or contradicts)
        back = [-next(iter(s)) for s in shifts]
        return shift_letters(message, back), len(pairs) + len(message)
    if family == "affine":
        # two plain letters whose difference d is a unit mod 26 pin a = Δc·d⁻¹ and then b;
        # without such a pair, every unit a is tried (b forced by the first pair)
        p0, c0 = pairs[0]
        unit = next(((p, c) for p, c in pairs if gcd((p - p0) % 26, 26) == 1), None)
        if unit is not None:
            a = (unit[1] - c0) * pow((unit[0] - p0) % 26, -1, 26) % 26
            candidates, steps = [a], 2 * len(pairs)
        else:
            candidates, steps = list(UNITS), len(UNITS) * len(pairs)
        keys = [(a, (c0 - a * p0) % 26) for a in candidates]
        keys = [(a, b) for a, b in keys if all((a * p + b) % 26 == c for p, c in pairs)]
        readings = set()
        for a, b in keys:
            inverse = {(a * x + b) % 26: x for x in range(26)}
            readings.add("".join(ABC[inverse[ABC.index(ch)]] if ch in ABC else ch for ch in message))
        return (readings.pop() if len(readings) == 1 else None), steps
    table: dict[int, int] = {}  # cipher letter -> plain letter
    for p, c in pairs:
        if table.setdefault(c, p) != p:
            return None, len(pairs)
    if len(set(table.values())) != len(table):
        return None, len(pairs)
    if len(table) == 25:  # the last cipher letter can only stand for the last plain letter
        table[next(c for c in range(26) if c not in table)] = next(p for p in range(26) if p not in table.values())
    if any(ch in ABC and ABC.index(ch) not in table for ch in message):
        return None, len(pairs) + len(message)
    return "".join(ABC[table[ABC.index(ch)]] if ch in ABC else ch for ch in message), len(pairs) + len(message)


def _words(rng: np.random.Generator, count: int, pool) -> list[str]:
    return [pool[int(i)].upper() for i in rng.integers(0, len(pool), count)]


@register
class CryptoKpa(Task):
    """Recover a classical cipher's key from a known plaintext/ciphertext pair; decrypt a second message."""

    name, family, version = "crypto_kpa", "language", 1
    knobs = Knobs(
        cipher=Knob(str, levels=["caesar", "caesar", "affine", "affine", "vigenere", "vigenere", "vigenere",
                                 "substitution", "substitution", "substitution"], choices=FAMILIES,
                    help="the cipher family (its key is unknown)"),
        key_length=Knob(int, levels=[3, 3, 3, 3, 3, 4, 5, 5, 6, 6], lo=2, hi=8, help="Vigenère key length"),
        known_words=Knob(int, levels=[1, 2, 2, 2, 2, 3, 3, 8, 9, 10], lo=1, hi=20,
                         help="words in the known message (more are added until the key is pinned)"),
        words=Knob(int, levels=[2, 2, 3, 3, 3, 4, 4, 4, 5, 6], lo=1, hi=20, help="words in the message to decrypt"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        key = random_key(rng, p.cipher, p.key_length)
        known = _words(rng, p.known_words, WORDS)
        effort = 0
        for _ in range(LENGTHEN):
            plain = " ".join(known)
            seen = set(plain) - {" "}
            # substitution: the message uses only letters the pair reveals (else it is undetermined)
            pool = [w for w in WORDS if set(w.upper()) <= seen] if p.cipher == "substitution" else WORDS
            if len(pool) >= 20:
                message = " ".join(_words(rng, p.words, pool))
                secret, hidden = encrypt(p.cipher, key, plain), encrypt(p.cipher, key, message)
                reading, steps = determined_reading(p.cipher, p.key_length, plain, secret, hidden)
                effort += steps
                if reading == message and message.replace(" ", "") != hidden.replace(" ", ""):
                    data = {"cipher": p.cipher, "key_length": p.key_length if p.cipher == "vigenere" else None,
                            "known_plain": plain, "known_cipher": secret, "message": hidden, "result": message}
                    # steps weighted by the key bits a step may have to pin (the key space's log)
                    return Problem(data, message, float(effort * np.log2(key_space(p.cipher, p.key_length))))
            known.append(_words(rng, 1, WORDS)[0])
        raise Reject("the known pair never pinned the key")

    def verify(self, problem: dict, answer: str) -> Verdict:
        if len(answer) > MAX_ANSWER:
            return Verdict.invalid(f"answer longer than {MAX_ANSWER} characters")
        try:
            letters = letters_of(unwrap(bounded(answer, MAX_ANSWER)))
        except ValueError as error:
            return Verdict.unparseable(str(error))
        if not letters:
            return Verdict.unparseable("expected the decrypted message in letters A-Z (spaces allowed)")
        gold = problem["result"].replace(" ", "")
        if letters != gold:
            where = next((i for i, (a, b) in enumerate(zip(letters, gold, strict=False)) if a != b),
                         min(len(letters), len(gold)))
            return Verdict.wrong(f"letter {where + 1} differs from the plaintext")
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        return [*scalar_forms(problem.answer), problem.answer.lower(), problem.answer.replace(" ", "")]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = problem.answer
        i = int(rng.integers(len(gold.replace(" ", ""))))
        letters = [k for k, ch in enumerate(gold) if ch in ABC]
        k = letters[i]
        changed = gold[:k] + ABC[(ABC.index(gold[k]) + 1) % 26] + gold[k + 1:]
        return [changed, gold[:-1], gold + " A", problem.data["message"], problem.data["known_plain"]]

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        return {"the encrypted message unchanged": problem["message"],
                "the known plaintext": problem["known_plain"],
                "the encrypted message reversed": problem["message"][::-1]}

    def instance_space(self, spec: dict) -> float | None:
        # word choices for both messages times the keys (substitution messages draw from fewer words)
        top = {name: value[1] if isinstance(value, tuple) else value for name, value in spec.items()}
        keys = key_space(top["cipher"], top["key_length"])
        return float(len(WORDS)) ** (top["known_words"] + top["words"]) * keys

    def hardness(self, problem: dict) -> float:
        # letters to read, weighted by how much of the key each letter has to reveal
        weight = {"caesar": 1, "affine": 2, "vigenere": 3, "substitution": 4}[problem["cipher"]]
        return float(weight * (len(problem["known_plain"]) + len(problem["message"])))
