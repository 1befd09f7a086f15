"""Specification of crypto_kpa beyond the shared contract.

The determinacy proof is re-derived by brute force over the key space, sharing nothing with the
generator's propagation: every Caesar shift and affine key (a, b) is tried on the known pair;
Vigenère keys are enumerated whole for keys of up to 3 letters and position by position
(26 shifts each, the space being their product) beyond; for substitution, where 26! keys
cannot be listed, each cipher letter of the message is tried against every plain letter and
kept when some complete one-to-one table (a bipartite matching) extends the known pair with
it. Every consistent key must decrypt the message to the gold.
"""

from __future__ import annotations

import json
from itertools import product
from math import gcd

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.synth.example import make_row
from synlog.tasks import get_task

TASK = get_task("crypto_kpa")
ABC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def rows(levels, n, seed=7):
    for level in levels:
        spec = TASK.knobs.resolve(level)
        for i in range(n):
            yield make_row("crypto_kpa", level, spec, seed, i)


def shift(text: str, shifts: list[int]) -> str:
    out, i = [], 0
    for ch in text:
        if ch == " ":
            out.append(ch)
        else:
            out.append(ABC[(ABC.index(ch) + shifts[i % len(shifts)]) % 26])
            i += 1
    return "".join(out)


def affine(text: str, a: int, b: int) -> str:
    return "".join(ch if ch == " " else ABC[(a * ABC.index(ch) + b) % 26] for ch in text)


def affine_inverse(text: str, a: int, b: int) -> str:
    return "".join(ch if ch == " " else next(x for x in ABC if affine(x, a, b) == ch) for ch in text)


def matching_exists(fixed: dict[str, str]) -> bool:
    """Whether a one-to-one table plain → cipher over all 26 letters extends ``fixed``
    (plain → cipher) — Kuhn's augmenting paths over the letters left free."""
    if len(set(fixed.values())) != len(fixed):
        return False
    free_plain = [x for x in ABC if x not in fixed]
    free_cipher = [y for y in ABC if y not in fixed.values()]
    match: dict[str, str] = {}

    def augment(x, seen):
        for y in free_cipher:
            if y not in seen:
                seen.add(y)
                if y not in match or augment(match[y], seen):
                    match[y] = x
                    return True
        return False

    return all(augment(x, set()) for x in free_plain)


def brute_force_readings(problem: dict) -> set[str]:
    plain, secret, message = problem["known_plain"], problem["known_cipher"], problem["message"]
    family = problem["cipher"]
    if family == "caesar":
        return {shift(message, [-k]) for k in range(26) if shift(plain, [k]) == secret}
    if family == "affine":
        return {affine_inverse(message, a, b) for a in range(26) if gcd(a, 26) == 1 for b in range(26)
                if affine(plain, a, b) == secret}
    if family == "vigenere":
        length = problem["key_length"]
        if length <= 3:
            keys = [list(k) for k in product(range(26), repeat=length) if shift(plain, list(k)) == secret]
        else:
            letters = [(p, c) for p, c in zip(plain, secret, strict=True) if p != " "]
            options = [[k for k in range(26) if all(ABC[(ABC.index(p) + k) % 26] == c
                                                     for p, c in letters[i::length])] for i in range(length)]
            keys = [list(k) for k in product(*options)] if all(options) else []
            assert len(keys) <= 26 ** 2, "a key space this big means the message is not pinned"
        return {shift(message, [-k for k in key]) for key in keys}
    known = {p: c for p, c in zip(plain, secret, strict=True) if p != " "}
    readings = [""]
    for ch in message:
        if ch == " ":
            readings = [r + " " for r in readings]
            continue
        options = [x for x in ABC if known.get(x, ch) == ch and matching_exists({**known, x: ch})]
        readings = [r + x for r in readings for x in options]
    return set(readings)


def check(levels, per_level, seed=7) -> int:
    checked = 0
    for row in rows(levels, per_level, seed):
        problem = json.loads(row["problem"])
        assert brute_force_readings(problem) == {row["answer"]}, row["id"]
        checked += 1
    return checked


def test_every_consistent_key_gives_the_gold_on_sixty_rows():
    assert check(range(1, 11), 6) >= 60


@pytest.mark.slow
def test_every_consistent_key_gives_the_gold_on_two_hundred_rows():
    assert check(range(1, 11), 20, seed=2027) == 200


def test_an_undetermined_pair_is_recognised_by_the_brute_force():
    # X stands for C, but Q may stand for any letter except C, A, T (taken by X, Y, Z): 23 readings
    problem = {"cipher": "substitution", "known_plain": "CAT", "known_cipher": "XYZ", "message": "QX"}
    readings = brute_force_readings(problem)
    assert len(readings) == 23 and all(r.endswith("C") for r in readings)


def test_the_docstring_example():
    problem = {"cipher": "caesar", "key_length": None, "known_plain": "CAT", "known_cipher": "FDW",
               "message": "GRJ", "result": "DOG"}
    assert brute_force_readings(problem) == {"DOG"}
    for answer in ("DOG", "dog", "**DOG**", "D O G", "DOG."):
        assert TASK.verify(problem, answer).correct, answer


def a_row(level=8):
    return next(rows((level,), 1))


@pytest.mark.parametrize("attack", ["hedge", "twice", "example", "ciphertext", "known", "reversed", "partial",
                                    "extra", "digits", "enormous", "prose"])
def test_attacks_score_zero(attack):
    row = a_row()
    problem, gold = json.loads(row["problem"]), row["answer"]
    text = {"hedge": f"{gold} or {problem['known_plain']}", "twice": f"{gold} {gold}", "example": "DOG",
            "ciphertext": problem["message"], "known": problem["known_plain"], "reversed": gold[::-1],
            "partial": gold.split()[0], "extra": gold + " AND", "digits": gold.replace("A", "4"),
            "enormous": "A" * 100_000, "prose": f"The message is {gold}"}[attack]
    verdict = TASK.verify(problem, text)
    assert verdict.score == 0 and verdict.reason.value in ("wrong", "unparseable", "invalid"), verdict
    if attack == "enormous":
        assert verdict.reason.value == "invalid"


def test_substitution_messages_use_only_letters_the_pair_reveals():
    for row in rows((8, 9, 10), 10):
        problem = json.loads(row["problem"])
        known = set(problem["known_plain"]) - {" "}
        assert set(problem["result"]) - {" "} <= known or len(known) == 25


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ELSFTPARelsft .*`\n", max_size=40))
def test_random_letter_strings_pay_only_when_their_letters_are_the_plaintext(text):
    problem = {"cipher": "caesar", "key_length": None, "known_plain": "CAT", "known_cipher": "FDW",
               "message": "HOVH IHOW SDUW", "result": "ELSE FELT PART"}
    verdict = TASK.verify(problem, text)
    letters = "".join(ch for ch in text if ch.isalpha()).upper()
    assert verdict.score == 0.0 or letters == "ELSEFELTPART"
