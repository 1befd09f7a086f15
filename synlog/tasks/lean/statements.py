"""Lean 4 theorem statements with known proofs, generated from a numpy Generator.

Each generator returns a :class:`Statement`: the locked theorem header (always named
``synlog_goal``), a reference proof body, and a size (difficulty: term size, quantifier
depth, number of hypotheses). Core-Lean kinds need no Mathlib::

    arith      theorem synlog_goal : 37 * 12 + 5 = 449                    by decide
    linear     theorem synlog_goal (a b c : Nat) (h0 : a + 2 ≤ b) (h1 : b + 1 ≤ c) :
                   a + 3 ≤ c                                              by omega
    prop       theorem synlog_goal (p0 p1 p2 : Prop) (h0 : p0) (h1 : p0 → p1) (h2 : p1 → p2) :
                   p2 ∧ p0                                                ⟨h2 (h1 h0), h0⟩
    forall     ∀-chains over predicates on Nat                            fun n => h2 n (h1 n (h0 n))
    lists      ([3, 1] ++ [4]).reverse = [4, 1, 3], length lemmas         by decide / by simp
    parity     (n : Nat) (h : n % 4 = 3) : n % 2 = 1, 7 ∣ 91, 6 ∣ n → 3 ∣ n    by omega

Mathlib kinds (``import Mathlib`` header; enabled by the ``mathlib`` knob): ``ring``
(polynomial identities over ℤ), ``norm_num`` (rational arithmetic over ℚ), ``nlinarith``
(sums of squares over ℝ).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

CORE_KINDS = ("arith", "linear", "prop", "forall", "lists", "parity")
MATHLIB_KINDS = ("ring", "norm_num", "nlinarith")
VARIABLES = ["a", "b", "c", "d", "e", "f", "g", "k"]


@dataclass(frozen=True)
class Statement:
    """A locked theorem header, a reference proof body, and its size."""

    kind: str
    statement: str
    proof: str
    size: int


def _int(rng: np.random.Generator, lo: int, hi: int) -> int:
    return int(rng.integers(lo, hi + 1))


def arith(rng: np.random.Generator, size: int, hypotheses: int, depth: int) -> Statement:
    """A closed Nat or Int equation, checked by evaluation (``decide``)."""
    integer = depth >= 2 and rng.random() < 0.5
    terms, value, text = [], 0, ""
    for i in range(size + 1):
        a, b = _int(rng, 2, 9 + 3 * size), _int(rng, 1, 12)
        if integer and rng.random() < 0.4:
            a = -a
        terms.append((a, b))
        product = a * b
        if i == 0:
            value, text = product, f"{a} * {b}" if a >= 0 else f"({a}) * {b}"
        else:
            sign = "+" if integer or rng.random() < 0.7 or value - product < 0 else "-"
            value = value + product if sign == "+" else value - product
            text += f" {sign} " + (f"{a} * {b}" if a >= 0 else f"({a}) * {b}")
    if integer:
        return Statement("arith", f"theorem synlog_goal : ({text} : Int) = {value}", "by decide", size + 1)
    return Statement("arith", f"theorem synlog_goal : {text} = {value}", "by decide", size + 1)


def linear(rng: np.random.Generator, size: int, hypotheses: int, depth: int) -> Statement:
    """A chain of linear hypotheses over Nat/Int that implies a (weakened) conclusion."""
    count = max(1, hypotheses)
    names = VARIABLES[:count + 1]
    kind = "Int" if depth >= 2 and rng.random() < 0.5 else "Nat"
    hyps, total = [], 0
    for i in range(count):
        gap = _int(rng, 0, 2 + size)
        coefficient = _int(rng, 1, 1 + depth)
        left = names[i] if coefficient == 1 else f"{coefficient} * {names[i]}"
        hyps.append(f"(h{i} : {left} + {gap} ≤ {coefficient} * {names[i + 1]})" if coefficient > 1
                    else f"(h{i} : {names[i]} + {gap} ≤ {names[i + 1]})")
        total += gap
    if all("*" not in h for h in hyps):
        slack = _int(rng, 0, total) if total else 0
        goal = f"{names[0]} + {total - slack} ≤ {names[-1]}"
    else:  # c*x + g ≤ c*y with c > 0 and g ≥ 0 gives x ≤ y, over Nat and Int alike
        goal = f"{names[0]} ≤ {names[-1]}"
    binder = f"({' '.join(names)} : {kind})"
    return Statement("linear", f"theorem synlog_goal {binder} {' '.join(hyps)} : {goal}", "by omega",
                     count * (size + 1))


def prop(rng: np.random.Generator, size: int, hypotheses: int, depth: int) -> Statement:
    """An implication chain p0 → p1 → ... closed by an explicit proof term."""
    count = max(1, hypotheses)
    names = [f"p{i}" for i in range(count + 1)]
    hyps = ["(h0 : p0)"] + [f"(h{i} : p{i - 1} → p{i})" for i in range(1, count + 1)]
    term = "h0"
    for i in range(1, count + 1):
        term = f"h{i} ({term})" if " " in term else f"h{i} {term}"
    shape = _int(rng, 0, 2) if depth >= 1 else 0
    if shape == 0:
        goal, proof = f"p{count}", f"{term}"
    elif shape == 1:
        goal, proof = f"p{count} ∧ p0", f"⟨{term}, h0⟩"
    else:
        goal, proof = f"q ∨ p{count}", f"Or.inr ({term})"
        names.append("q")
    statement = f"theorem synlog_goal ({' '.join(names)} : Prop) {' '.join(hyps)} : {goal}"
    return Statement("prop", statement, proof, count + shape + 1)


def forall(rng: np.random.Generator, size: int, hypotheses: int, depth: int) -> Statement:
    """∀-chains over predicates on Nat: from ∀ n, P0 n and ∀ n, P(i-1) n → Pi n, get ∀ n, Pk n."""
    count = max(1, hypotheses)
    preds = " ".join(f"P{i}" for i in range(count + 1))
    hyps = ["(h0 : ∀ n, P0 n)"] + [f"(h{i} : ∀ n, P{i - 1} n → P{i} n)" for i in range(1, count + 1)]
    term = "h0 n"
    for i in range(1, count + 1):
        term = f"h{i} n ({term})"
    statement = f"theorem synlog_goal ({preds} : Nat → Prop) {' '.join(hyps)} : ∀ n, P{count} n"
    return Statement("forall", statement, f"fun n => {term}", 2 * count + 1)


def lists(rng: np.random.Generator, size: int, hypotheses: int, depth: int) -> Statement:
    """A concrete list computation (decide) or a length lemma over variables (simp + omega)."""
    if depth >= 2 and rng.random() < 0.5:
        statement = ("theorem synlog_goal (xs ys : List Nat) : "
                     "(xs ++ ys).reverse.length = ys.length + xs.length")
        return Statement("lists", statement,
                         "by simp only [List.length_reverse, List.length_append]; omega", 4)
    first = [_int(rng, 0, 9) for _ in range(_int(rng, 1, size + 1))]
    second = [_int(rng, 0, 9) for _ in range(_int(rng, 1, size + 1))]
    result = list(reversed(first + second))
    return Statement("lists", f"theorem synlog_goal : ({first} ++ {second}).reverse = {result}",
                     "by decide", len(result))


def parity(rng: np.random.Generator, size: int, hypotheses: int, depth: int) -> Statement:
    """Parity and divisibility facts (omega)."""
    shape = _int(rng, 0, 2)
    if shape == 0:
        d = _int(rng, 2, 6 + size)
        q = _int(rng, 2, 10 * (size + 1))
        return Statement("parity", f"theorem synlog_goal : {d} ∣ {d * q}", "by omega", size + 1)
    if shape == 1:
        modulus = 2 * _int(rng, 1, 2 + size)
        residue = 2 * _int(rng, 0, modulus // 2 - 1) + 1
        return Statement("parity", f"theorem synlog_goal (n : Nat) (h : n % {modulus} = {residue}) : n % 2 = 1",
                         "by omega", size + 2)
    small = _int(rng, 2, 5)
    big = small * _int(rng, 2, 4)
    extra = " ".join(f"(h{i + 1} : {small} ∣ m{i})" for i in range(hypotheses))
    names = " ".join(["n"] + [f"m{i}" for i in range(hypotheses)])
    total = " + ".join(["n"] + [f"m{i}" for i in range(hypotheses)])
    statement = f"theorem synlog_goal ({names} : Nat) (h0 : {big} ∣ n) {extra} : {small} ∣ {total}".replace("  ", " ")
    return Statement("parity", statement, "by omega", size + hypotheses + 2)


def ring(rng: np.random.Generator, size: int, hypotheses: int, depth: int) -> Statement:
    """(a + k*b)^2 style identities over ℤ (Mathlib ``ring``)."""
    k = _int(rng, 1, 3 + size)
    statement = f"theorem synlog_goal (a b : ℤ) : (a + {k} * b) ^ 2 = a ^ 2 + {2 * k} * a * b + {k * k} * b ^ 2"
    return Statement("ring", statement, "by ring", size + 3)


def norm_num(rng: np.random.Generator, size: int, hypotheses: int, depth: int) -> Statement:
    """Rational arithmetic over ℚ (Mathlib ``norm_num``)."""
    from fractions import Fraction

    parts = [Fraction(_int(rng, 1, 9), _int(rng, 2, 9)) for _ in range(size + 1)]
    total = sum(parts, Fraction(0))
    text = " + ".join(f"{p.numerator} / {p.denominator}" for p in parts)
    statement = f"theorem synlog_goal : ({text} : ℚ) = {total.numerator} / {total.denominator}"
    return Statement("norm_num", statement, "by norm_num", size + 1)


def nlinarith(rng: np.random.Generator, size: int, hypotheses: int, depth: int) -> Statement:
    """2*k*a*b ≤ a^2 + k^2*b^2 over ℝ (Mathlib ``nlinarith`` with a square hint)."""
    k = _int(rng, 1, 2 + size)
    statement = f"theorem synlog_goal (a b : ℝ) : 2 * {k} * a * b ≤ a ^ 2 + {k * k} * b ^ 2"
    return Statement("nlinarith", statement, f"by nlinarith [sq_nonneg (a - {k} * b)]", size + 4)


GENERATORS: dict[str, Callable[[np.random.Generator, int, int, int], Statement]] = {
    "arith": arith, "linear": linear, "prop": prop, "forall": forall, "lists": lists, "parity": parity,
    "ring": ring, "norm_num": norm_num, "nlinarith": nlinarith,
}
