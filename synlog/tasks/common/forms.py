"""The answer forms of number answers, as the contract suite exercises them.

A math task states in its prompt how a number must be written (``one integer, nothing else``;
``an integer or a reduced fraction a/b``) and passes the matching ``form=`` to the math checker
(:data:`synlog.verifiers.math_answer.FORMS`). These helpers write a gold value in the other
forms the checker accepts, and in forms of the same value that the prompt forbids::

    integer_alternatives(35)           # ["$35$", "+35", ...]      each must score 1.0
    integer_forbidden(35)              # ["36 - 1", "35.0", "70/2", ...]   each below 1.0
    rational_forbidden(Fraction(-1, 2))  # ["-2/4", "-0.5", "-1/2 + 0", ...]

Tasks return them from ``alternative_forms`` / ``forbidden_forms``; the contract suite checks
them over every task, so a new task that states a form inherits the check.
"""

from __future__ import annotations

from fractions import Fraction

from synlog.tasks.common.arith import format_rational


def integer_alternatives(value: int) -> list[str]:
    """The integer in the other ways the checker reads it exactly: LaTeX math, a plus sign."""
    out = [f"${value}$", f"\\({value}\\)"]
    if value >= 0:
        out.append(f"+{value}")
    return out


def integer_forbidden(value: int) -> list[str]:
    """The same integer written as something to evaluate, or as a decimal."""
    return [f"{value + 1} - 1", f"{value}.0", f"{2 * value}/2", f"{value} + 0", f"({value})*1"]


def rational_alternatives(value: Fraction) -> list[str]:
    """A fraction in LaTeX (``\\frac``, ``\\dfrac``, the sign outside or on the numerator)."""
    if value.denominator == 1:
        return integer_alternatives(value.numerator)
    p, q = value.numerator, value.denominator
    sign = "-" if p < 0 else ""
    return [f"{sign}\\frac{{{abs(p)}}}{{{q}}}", f"\\dfrac{{{p}}}{{{q}}}", f"${format_rational(value)}$"]


def rational_forbidden(value: Fraction) -> list[str]:
    """The same value unreduced, as a decimal, as a sum, or as a mixed number."""
    if value.denominator == 1:
        return integer_forbidden(value.numerator)
    p, q = value.numerator, value.denominator
    out = [f"{2 * p}/{2 * q}", f"{format_rational(value)} + 0", f"({p})/({q})*1"]
    if _terminates(q):
        out.append(_decimal(value))
    whole = abs(p) // q
    if whole:
        sign = "-" if p < 0 else ""
        out.append(f"{sign}{whole}\\frac{{{abs(p) % q}}}{{{q}}}")
        out.append(f"{sign}{whole} {abs(p) % q}/{q}")
    return out


def exact_forbidden(value: Fraction) -> list[str]:
    """A rational value as a decimal (where the prompt asks for exact values, not decimals)."""
    return [_decimal(value)] if value.denominator == 1 or _terminates(value.denominator) else []


def _terminates(denominator: int) -> bool:
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


def _decimal(value: Fraction) -> str:
    """The exact decimal of a terminating fraction (``-0.5``; an integer as ``3.0``)."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    digits = 1
    while (value * 10**digits).denominator != 1:
        digits += 1
    scaled = int(value * 10**digits)
    whole, rest = divmod(scaled, 10**digits)
    return f"{sign}{whole}.{rest:0{digits}d}"


class NumberAnswer:
    """Mixin for a task whose problem holds its gold number as ``value`` and whose prompt fixes
    the number's form (``value_form``: ``integer`` or ``rational``)::

        class Combinatorics(NumberAnswer, Task):
            value_form = "integer"

    It gives ``verify`` (the math checker with that form) and the contract's alternative and
    forbidden forms of the gold.
    """

    value_form: str = "integer"

    def verify(self, problem: dict, answer: str):
        from synlog.verifiers.math_answer import check

        return check(problem["value"], answer, form=self.value_form)

    def alternative_forms(self, problem) -> list[str]:
        return rational_alternatives(Fraction(problem.data["value"]))

    def forbidden_forms(self, problem) -> list[str]:
        return rational_forbidden(Fraction(problem.data["value"]))
