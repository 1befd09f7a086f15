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

Every kind above is closed by a one-line tactic (``decide``, ``omega``, ``simp_all``, ``grind``...),
so a proof that ignores the statement would pass it; :data:`CLOSED_BY` says which, per kind.
The *witness* kinds need an ingredient that only solving the statement gives: an existential's
witness or a universal's counterexample, found by reasoning, and no one-line tactic closes
them (no ``Decidable`` instance for an unbounded quantifier over Nat/Int, and ``omega``,
``simp`` and ``grind`` do not invent witnesses)::

    solve      theorem synlog_goal : ∃ x : Nat, 3 * x + 5 = 41                  ⟨12, by decide⟩
    system     ∃ x y : Int, 2 * x - y = 7 ∧ x + 3 * y = 0                      ⟨3, -1, by decide⟩
    crt        ∃ n : Nat, n % 4 = 3 ∧ n % 5 = 2                                ⟨7, by decide⟩
    factor     ∃ a b : Nat, 1 < a ∧ 1 < b ∧ a * b = 221                        ⟨13, 17, by decide⟩
    roots      ∃ n : Nat, n * n + 3 * n + 2 = 42                                ⟨5, by decide⟩
    counter    ¬ ∀ n : Nat, n % 4 = 1 → n % 3 ≠ 2     fun h => absurd (h 5 (by decide)) (by decide)

No witness of a witness kind is 0, 1, 2 or 3 (:data:`GUESSES`), so a fixed small witness
earns nothing either.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

WITNESS_KINDS = ("solve", "system", "crt", "factor", "roots", "counter")
CORE_KINDS = ("arith", "linear", "prop", "forall", "lists", "parity") + WITNESS_KINDS
MATHLIB_KINDS = ("ring", "norm_num", "nlinarith")
VARIABLES = ["a", "b", "c", "d", "e", "f", "g", "k"]


#: the one-line proofs that ignore the statement: the audit tries each on every row
ONE_LINE_PROOFS = ("by decide", "by omega", "by simp", "by simp_all", "by norm_num", "by rfl", "by trivial",
                   "by linarith", "by nlinarith", "by positivity", "by ring", "by aesop", "by tauto",
                   "by grind", "by assumption", "by simp +arith", "⟨_, rfl⟩")
_EVALUATE = frozenset({"by decide", "by rfl", "by trivial", "by simp", "by simp_all", "by norm_num",
                       "by simp +arith", "by omega", "by grind", "by aesop", "by linarith", "by nlinarith",
                       "by ring"})
_LOGIC = frozenset({"by simp_all", "by grind", "by aesop", "by tauto", "by simp"})
_ARITHMETIC = frozenset({"by omega", "by grind", "by linarith", "by nlinarith", "by simp +arith", "by aesop"})
#: which one-line proofs (may) close each kind, read off how the kind is built; generous where
#: unsure. A witness kind is closed by none: no Decidable instance for an unbounded ∃ or ∀
#: over Nat/Int (decide, rfl, trivial fail), and omega, simp, grind and aesop do not invent
#: the witness (``⟨_, rfl⟩`` would need ``a * ?x`` to unify with a literal: no, since a ≥ 2)
CLOSED_BY: dict[str, frozenset[str]] = {
    "arith": _EVALUATE,
    "linear": _ARITHMETIC,
    "prop": _LOGIC,
    "forall": _LOGIC,
    "lists": _EVALUATE | _LOGIC,
    "parity": _EVALUATE | _ARITHMETIC,
    "ring": frozenset({"by ring", "by grind", "by simp", "by nlinarith", "by norm_num", "by linarith"}),
    "norm_num": _EVALUATE | {"by linarith", "by positivity"},
    "nlinarith": frozenset({"by nlinarith", "by positivity", "by grind", "by linarith"}),
    **{kind: frozenset() for kind in WITNESS_KINDS},
}
#: fixed small witnesses; no witness kind is satisfied by any of them
GUESSES = (0, 1, 2, 3)


@dataclass(frozen=True)
class Statement:
    """A locked theorem header, a reference proof body, and its size.

    ``search``: the candidates a plain enumeration tries before it finds the witness (the
    instance's size for kinds without one), an independent measure of difficulty.
    """

    kind: str
    statement: str
    proof: str
    size: int
    search: int = 0


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


# --------------------------------------------------------------------------- witness kinds


def _signed(rng: np.random.Generator, lo: int, hi: int, negative: bool) -> int:
    """An int of magnitude lo..hi, negative half the time when ``negative``."""
    value = _int(rng, lo, hi)
    return -value if negative and rng.random() < 0.5 else value


def _linear(terms: list[tuple[int, str]], constant: int = 0) -> str:
    """``[(3, "x"), (-2, "y")], 5`` → ``3 * x - 2 * y + 5``."""
    text = ""
    for coefficient, name in terms:
        part = name if abs(coefficient) == 1 else f"{abs(coefficient)} * {name}"
        if not text:
            text = part if coefficient > 0 else f"-{part}"
        else:
            text += (" + " if coefficient > 0 else " - ") + part
    if constant:
        text += (" + " if constant > 0 else " - ") + str(abs(constant))
    return text


def _nodes(value: int, integer: bool) -> int:
    """Candidates an enumeration 0, 1, 2... (Int: 0, 1, -1, 2, -2...) tries up to ``value``."""
    if not integer:
        return value + 1
    return 2 * value if value > 0 else -2 * value + 1


def solve(rng: np.random.Generator, size: int, hypotheses: int, depth: int) -> Statement:
    """A linear equation in one unknown, stated as an existential: the witness is its solution."""
    integer = depth >= 2 and rng.random() < 0.5
    x = _signed(rng, 4, 40 + 12 * size, integer)
    a = _int(rng, 2, 3 + size)
    b = _signed(rng, 0, 9 + 10 * size, integer)
    if depth >= 1 and rng.random() < 0.5:  # unknowns on both sides: a*x + b = c*x + d, a ≥ c + 2
        a += 1  # (a - c = 1 would let simp +arith rewrite it to x = d - b and close it)
        c = _int(rng, 1, a - 2)
        lhs, rhs = _linear([(a, "x")], b), _linear([(c, "x")], (a - c) * x + b)
    else:
        lhs, rhs = _linear([(a, "x")], b), str(a * x + b)
    kind = "Int" if integer else "Nat"
    return Statement("solve", f"theorem synlog_goal : ∃ x : {kind}, {lhs} = {rhs}", f"⟨{x}, by decide⟩",
                     size + 2 + depth, _nodes(x, integer))


def system(rng: np.random.Generator, size: int, hypotheses: int, depth: int) -> Statement:
    """Two linear equations in two integer unknowns with one solution, one of them ≥ 4 in size;
    every coefficient is at least 2 in size."""
    hi = 4 + 3 * size
    x, y = 0, 0
    while max(abs(x), abs(y)) < 4:
        x, y = _int(rng, -hi, hi), _int(rng, -hi, hi)
    a1 = b1 = a2 = b2 = 0
    while a1 * b2 - a2 * b1 == 0:
        a1, b1, a2, b2 = (_signed(rng, 2, 3 + size, True) for _ in range(4))  # no lone x or y to isolate
    first = f"{_linear([(a1, 'x'), (b1, 'y')])} = {a1 * x + b1 * y}"
    second = f"{_linear([(a2, 'x'), (b2, 'y')])} = {a2 * x + b2 * y}"
    shell = max(abs(x), abs(y))
    return Statement("system", f"theorem synlog_goal : ∃ x y : Int, {first} ∧ {second}",
                     f"⟨{x}, {y}, by decide⟩", 2 * (size + 2), (2 * shell + 1) ** 2)


def crt(rng: np.random.Generator, size: int, hypotheses: int, depth: int) -> Statement:
    """Simultaneous remainders with pairwise coprime moduli (Chinese remainder theorem)."""
    count = 2 if size < 4 else 3
    pool = [int(m) for m in rng.permutation(np.arange(3, 10 + 2 * size))]
    moduli: list[int] = []
    for m in pool:
        if len(moduli) < count and all(math.gcd(m, other) == 1 for other in moduli):
            moduli.append(m)
    n = _int(rng, 4, math.prod(moduli) - 1)  # the least solution: every other is n + k·∏moduli
    claim = " ∧ ".join(f"n % {m} = {n % m}" for m in moduli)
    return Statement("crt", f"theorem synlog_goal : ∃ n : Nat, {claim}", f"⟨{n}, by decide⟩",
                     len(moduli) * (size + 2), n + 1)


PRIMES = tuple(p for p in range(11, 1000) if all(p % d for d in range(2, math.isqrt(p) + 1)))


def factor(rng: np.random.Generator, size: int, hypotheses: int, depth: int) -> Statement:
    """A product of primes ≥ 11: name a factorisation, or one proper divisor."""
    primes = [p for p in PRIMES if p <= 50 + 25 * size]
    count = 3 if depth >= 2 and rng.random() < 0.5 else 2
    factors = sorted(primes[int(rng.integers(len(primes)))] for _ in range(count))
    n = math.prod(factors)
    if rng.random() < 0.5:
        # the divisibility first: ``∃ d, d < n ∧ p d`` would be decidable by a core instance
        statement = f"theorem synlog_goal : ∃ d : Nat, {n} % d = 0 ∧ 1 < d ∧ d < {n}"
        proof = f"⟨{factors[0]}, by decide⟩"
    else:
        names = ["a", "b", "c"][:count]
        bounds = " ∧ ".join(f"1 < {v}" for v in names)
        statement = f"theorem synlog_goal : ∃ {' '.join(names)} : Nat, {bounds} ∧ {' * '.join(names)} = {n}"
        proof = f"⟨{', '.join(map(str, factors))}, by decide⟩"
    return Statement("factor", statement, proof, count * (size + 2), factors[0] - 1)


def roots(rng: np.random.Generator, size: int, hypotheses: int, depth: int) -> Statement:
    """The natural root of an increasing polynomial (one root, ≥ 4)."""
    n = _int(rng, 4, 20 + 6 * size)
    a, b = _int(rng, 1, 5 + 2 * size), _int(rng, 0, 9 + 5 * size)
    cubic = depth >= 2 and rng.random() < 0.5
    lead, value = ("n * n * n", n ** 3) if cubic else ("n * n", n * n)
    lhs = f"{lead} + {_linear([(a, 'n')], b)}"
    return Statement("roots", f"theorem synlog_goal : ∃ n : Nat, {lhs} = {value + a * n + b}",
                     f"⟨{n}, by decide⟩", size + 3 + int(cubic), n + 1)


def counter(rng: np.random.Generator, size: int, hypotheses: int, depth: int) -> Statement:
    """A claim about remainders that fails only on one residue class modulo a·b, refuted by its
    least counterexample (never 0..3)."""
    while True:
        a, b = _int(rng, 3, 6 + 2 * size), _int(rng, 2, 6 + 2 * size)
        r, s = _int(rng, 0, a - 1), _int(rng, 0, b - 1)
        w = next((n for n in range(a * b) if n % a == r and n % b == s), None)
        if a != b and w is not None and w not in GUESSES:
            break
    return Statement("counter", f"theorem synlog_goal : ¬ ∀ n : Nat, n % {a} = {r} → n % {b} ≠ {s}",
                     f"fun h => absurd (h {w} (by decide)) (by decide)", size + 3, w + 1)


GENERATORS: dict[str, Callable[[np.random.Generator, int, int, int], Statement]] = {
    "arith": arith, "linear": linear, "prop": prop, "forall": forall, "lists": lists, "parity": parity,
    "ring": ring, "norm_num": norm_num, "nlinarith": nlinarith,
    "solve": solve, "system": system, "crt": crt, "factor": factor, "roots": roots, "counter": counter,
}
