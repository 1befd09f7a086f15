"""Prime factorization: write a composite number as a product of prime powers.

For example::

    Find the prime factorization of 168.      answer: 2^3 * 3 * 7

The number is built from its factors: primes are drawn one at a time, log-uniformly below the
room left under ``number_max`` (each the largest prime at or below a drawn integer, found with
``sympy.prevprime``), until the product lies in ``[number_max / 10, number_max]``; a prime
itself is never asked, nor 2, 3 or 5 times a prime (one division would answer it). The gold lists the primes in increasing order with their exponents.
Difficulty raises ``number_max`` (5 to 13 digits), which brings more factors and larger primes.
``effort`` is the trial divisions a plain trial-division factorer needs (up to the larger of
the second-largest prime and the square root of the largest).

Answer format: the distinct primes in strictly increasing order joined by ``*`` (``×``,
``\\times`` and ``\\cdot`` are read as ``*``), a prime that occurs k >= 2 times written ``p^k``
(``p^{k}``), one that occurs once written bare. The verifier multiplies the answer out and
checks every factor is prime (``sympy.isprime``) and the form: a repeated or unordered prime, an
exponent 0 or 1, leading zeros, or ``**`` is refused, whatever the product.
"""

from __future__ import annotations

import math
import re

import numpy as np
import sympy

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, bounded, scalar_forms, unwrap
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

MAX_CHARS = 2_000
MAX_FACTORS = 64
_TIMES = re.compile(r"\\times|×|\\cdot|·|⋅")
_FACTOR = re.compile(r"(\d{1,40})(?:\s*\^\s*(?:\{\s*(\d{1,6})\s*\}|(\d{1,6})))?")


def format_factors(factors: list[tuple[int, int]], times: str = " * ", power: str = "{p}^{e}") -> str:
    return times.join(str(p) if e == 1 else power.format(p=p, e=e) for p, e in factors)


def _top(value: int | tuple[int, int]) -> int:
    return int(value[1]) if isinstance(value, tuple) else int(value)


class _Refused(Exception):
    def __init__(self, verdict: Verdict):
        self.verdict = verdict


def parse_factorization(text: str) -> list[tuple[int, int]]:
    """``[(p, e), ...]`` from an answer, in the order written; raises _Refused with the verdict."""
    try:
        text = unwrap(bounded(text, MAX_CHARS)).strip()
    except AnswerError as error:
        raise _Refused(Verdict.invalid(str(error))) from None
    for opening, closing in (("$", "$"), ("\\(", "\\)"), ("\\[", "\\]")):
        if len(text) > len(opening) + len(closing) and text.startswith(opening) and text.endswith(closing):
            text = text[len(opening):-len(closing)].strip()
            break
    if not text:
        raise _Refused(Verdict.no_answer())
    if "**" in text:
        raise _Refused(Verdict.invalid("write powers with ^, not **"))
    items = [item.strip() for item in _TIMES.sub("*", text).split("*")]
    if len(items) > MAX_FACTORS:
        raise _Refused(Verdict.invalid(f"more than {MAX_FACTORS} factors"))
    out = []
    for item in items:
        match = _FACTOR.fullmatch(item)
        if match is None:
            raise _Refused(Verdict.unparseable("expected prime powers such as 2^3 * 3 * 7 joined by *"))
        base, exponent = match.group(1), match.group(2) or match.group(3)
        if (len(base) > 1 and base[0] == "0") or (exponent and len(exponent) > 1 and exponent[0] == "0"):
            raise _Refused(Verdict.invalid("no leading zeros"))
        if exponent is not None and int(exponent) < 2:
            raise _Refused(Verdict.invalid("write a prime that occurs once without an exponent; no exponent 0"))
        out.append((int(base), int(exponent) if exponent else 1))
    return out


@register
class PrimeFactorization(Task):
    """Factor a composite number into primes, written like 2^3 * 3 * 7."""

    name, family, version = "prime_factorization", "math", 1
    knobs = Knobs(
        number_max=Knob(int, levels=[2 * 10**4, 10**5, 3 * 10**5, 10**6, 5 * 10**6, 2 * 10**7, 10**8, 10**9, 10**10, 10**12],
                        lo=40, hi=10**18, help="the largest number factored (the smallest is a tenth of it)"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        hi = int(p.number_max)
        lo = max(4, hi // 10)
        n, primes = 1, []
        for _ in range(80):
            room = hi // n
            if room < 2 or (n >= lo and rng.random() < 0.5):
                break
            x = int(math.exp(rng.uniform(math.log(2), math.log(room + 1))))
            prime = int(sympy.prevprime(min(max(x, 2), room) + 1))
            n *= prime
            primes.append(prime)
        if not lo <= n <= hi or len(primes) < 2:
            raise Reject("the product left the range, or is a prime")
        factors = sorted((q, primes.count(q)) for q in set(primes))
        if len(primes) == 2 and factors[0][0] <= 5:  # 2 * p, 3 * p, 5 * p: one division answers it
            raise Reject("a small prime times a prime")
        distinct = [q for q, _ in factors]
        largest = distinct[-1]
        second = distinct[-2] if len(distinct) > 1 else 2
        effort = float(max(second, math.isqrt(largest)))
        data = {"n": n, "factors": [list(f) for f in factors]}
        return Problem(data, format_factors(factors), effort)

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            factors = parse_factorization(answer)
        except _Refused as refused:
            return refused.verdict
        bases = [q for q, _ in factors]
        if any(a >= b for a, b in zip(bases, bases[1:], strict=False)):
            return Verdict.invalid("list each prime once, in increasing order")
        n = int(problem["n"])
        budget = n.bit_length() + 1
        product = 1
        for q, e in factors:
            if q < 2 or not sympy.isprime(q):
                return Verdict.wrong(f"{q} is not prime")
            if e * (q.bit_length() - 1) > budget:  # far too large: never build the power
                return Verdict.wrong("the product is not the number")
            product *= q**e
            if product > n:
                return Verdict.wrong("the product is not the number")
        if product != n:
            return Verdict.wrong("the product is not the number")
        return Verdict.ok()

    def _factors(self, problem: Problem) -> list[tuple[int, int]]:
        return [(int(q), int(e)) for q, e in problem.data["factors"]]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        factors = self._factors(problem)
        out = []
        q, e = factors[0]
        out.append(format_factors([(q, e + 1), *factors[1:]]))  # one power too many
        if len(factors) > 1:
            out.append(format_factors(factors[:-1]))  # the last prime dropped
        if e > 1:
            out.append(format_factors([(q, e - 1), *factors[1:]]))
        big = factors[-1][0]
        out.append(format_factors([*factors[:-1], (int(sympy.nextprime(big)), factors[-1][1])]))
        out.append(f"{problem.answer} or {out[0]}")
        return [w for w in dict.fromkeys(out) if w != problem.answer]

    def alternative_forms(self, problem: Problem) -> list[str]:
        factors = self._factors(problem)
        forms = [format_factors(factors, " * ", "{p}^{{{e}}}"), format_factors(factors, " × "),
                 format_factors(factors, " \\times "), format_factors(factors, " \\cdot "),
                 "$" + format_factors(factors, " \\cdot ", "{p}^{{{e}}}") + "$", format_factors(factors, "*"),
                 format_factors(factors, " * ", "{p} ^ {e}"), *scalar_forms(problem.answer)]
        return [f for f in dict.fromkeys(forms) if f != problem.answer]

    def forbidden_forms(self, problem: Problem) -> list[str]:
        factors = self._factors(problem)
        out = [format_factors(factors, " * ", "{p}**{e}") if any(e > 1 for _, e in factors) else ""]
        if any(e > 1 for _, e in factors):
            out.append(" * ".join(str(q) for q, e in factors for _ in range(e)))  # repeated primes
        if len(factors) > 1:
            out.append(format_factors(factors[::-1]))  # decreasing order
        out.append(" * ".join(f"{q}^{e}" for q, e in factors))  # explicit ^1 (when some e is 1)
        out.append(str(problem.data["n"]))
        return [f for f in dict.fromkeys(out) if f and f != problem.answer]

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """The number itself, and one division by the smallest prime 2, 3 or 5 dividing it with the
        cofactor taken for prime (``2 * 1234``)."""
        n = int(problem["n"])
        out = {"the number itself": str(n)}
        q = next((q for q in (2, 3, 5) if n % q == 0), None)
        if q is not None:
            out["one division by 2, 3 or 5"] = f"{q} * {n // q}"
        return out

    def hardness(self, problem: dict) -> float:
        """Digits of the number plus its prime factors counted with multiplicity."""
        return float(len(str(problem["n"])) + sum(int(e) for _, e in problem["factors"]))

    def instance_space(self, spec: dict) -> float | None:
        """The composites in [number_max / 10, number_max] (about four in five numbers)."""
        top = _top(spec["number_max"])
        return float(0.8 * (top - top // 10))
