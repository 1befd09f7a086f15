"""Specification of cipher beyond the contract.

Each gold is checked by an independent implementation running the *other* direction
(ord/chr arithmetic, an explicit zigzag grid, a row matrix for columnar transposition):
encrypting a decryption gold gives the shown ciphertext, and decrypting an encryption gold
gives the shown message, on ≥ 50 instances.
"""

from __future__ import annotations

import json

from synlog.synth.example import make_row
from synlog.tasks import get_task

TASK = get_task("cipher")


def shift(text, key_shifts):
    out, n = "", 0
    for ch in text:
        if ch == " ":
            out += ch
            continue
        out += chr((ord(ch) - 65 + key_shifts[n % len(key_shifts)]) % 26 + 65)
        n += 1
    return out


def rail_encrypt(text, rails):
    grid, row, down = [[] for _ in range(rails)], 0, True
    for ch in text:
        grid[row].append(ch)
        if row == rails - 1:
            down = False
        elif row == 0:
            down = True
        row += 1 if down else -1
    return "".join("".join(r) for r in grid)


def columnar_encrypt(text, key):
    rows = [text[i: i + len(key)] for i in range(0, len(text), len(key))]
    return "".join("".join(r[c] for r in rows if c < len(r)) for c in sorted(range(len(key)), key=key.__getitem__))


def invert(function, ciphertext, *args):
    """Decrypt a transposition by encrypting position markers."""
    markers = [chr(0x100 + i) for i in range(len(ciphertext))]
    moved = function("".join(markers), *args)
    plain = [""] * len(ciphertext)
    for ch, marker in zip(ciphertext, moved, strict=False):
        plain[ord(marker) - 0x100] = ch
    return "".join(plain)


def one(layer, text, decrypt):
    cipher, key = layer["cipher"], layer["key"]
    sign = -1 if decrypt else 1
    if cipher == "caesar":
        return shift(text, [sign * key])
    if cipher == "atbash":
        return "".join(ch if ch == " " else chr(155 - ord(ch)) for ch in text)
    if cipher == "vigenere":
        return shift(text, [sign * (ord(k) - 65) for k in key])
    if cipher == "substitution":
        table = dict(zip(key, map(chr, range(65, 91)), strict=False)) if decrypt else dict(zip(map(chr, range(65, 91)), key, strict=False))
        return "".join(table.get(ch, ch) for ch in text)
    function = rail_encrypt if cipher == "rail_fence" else columnar_encrypt
    letters = text.replace(" ", "")
    return invert(function, letters, key) if decrypt else function(letters, key)


def test_gold_round_trips_through_an_independent_implementation():
    checked = 0
    for level in (1, 3, 5, 7, 8, 9, 10):
        for i in range(10):
            row = make_row("cipher", level, TASK.knobs.resolve(level), 12, i)
            problem = json.loads(row["problem"])
            text = row["answer"]
            if problem["decrypt"]:
                for layer in problem["layers"]:
                    text = one(layer, text, decrypt=False)
            else:
                for layer in reversed(problem["layers"]):
                    text = one(layer, text, decrypt=True)
            assert text.replace(" ", "") == problem["message"].replace(" ", ""), row["id"]
            checked += 1
    assert checked >= 50


def test_every_cipher_appears_and_both_directions():
    seen, directions = set(), set()
    for level in (7, 8, 10):
        for i in range(40):
            problem = json.loads(make_row("cipher", level, TASK.knobs.resolve(level), 1, i)["problem"])
            seen |= {layer["cipher"] for layer in problem["layers"]}
            directions.add(problem["decrypt"])
    assert seen == {"caesar", "atbash", "vigenere", "substitution", "rail_fence", "columnar"}
    assert directions == {True, False}


def test_known_textbook_ciphertexts():
    assert rail_encrypt("WEAREDISCOVEREDFLEEATONCE", 3) == "WECRLTEERDSOEEFEAOCAIVDEN"
    assert columnar_encrypt("WEAREDISCOVEREDFLEEATONCE", "ZEBRAS") == "EVLNACDTESEAROFODEECWIREE"
    problem = {"layers": [{"cipher": "caesar", "key": 3}], "decrypt": False, "message": "CAT", "result": "FDW"}
    assert TASK.verify(problem, "fdw").score == 1
    assert TASK.verify(problem, "F D W").score == 1
    # one trailing full stop and bold are shared decorations (common/answers.py), not letters
    assert TASK.verify(problem, "FDW.").score == 1
    assert TASK.verify(problem, "**FDW**").score == 1
    for wrong in ("FDX", "FDW..", "FDW!", "FDWFDW", "The answer is FDW", "CAT"):
        assert TASK.verify(problem, wrong).score == 0, wrong


def test_partial_credit_subtracts_chance_agreement():
    from synlog.tasks.language.cipher import agreement

    assert agreement("ABCD", "ABCD") == 1
    assert agreement("AAAA", "ABAB") == 0  # one letter everywhere agrees only by frequency
    assert agreement("ABCDEFGH", "ABCDEFGX") > 0.8
    assert agreement("ZZZZ", "ABCDEFGH") == 0


def test_layers_never_cancel_and_copying_the_message_earns_little():
    task = get_task("cipher")
    for level in (1, 5, 10):
        problems = [json.loads(make_row("cipher", level, task.knobs.resolve(level), 5, i)["problem"]) for i in range(40)]
        for problem in problems:
            assert problem["message"].replace(" ", "") != problem["result"].replace(" ", "")
        verdicts = [task.verify(p, p["message"]) for p in problems]
        assert sum(v.details.get("fraction", 0) for v in verdicts) / len(verdicts) <= 0.05
