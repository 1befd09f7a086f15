"""Base conversion: rewrite a number given in base a (2..36) in base b (2..36, b != a).

For example::

    Convert the base-16 number 1F4 to base 5.      answer: 4000   (1F4 = 500 = 4*125)

The gold is computed exactly with Python integers: the number's value is drawn first, its digits
in base a are written by repeated division, and the answer is the value's digits in base b by
repeated division (``0-9`` then ``A-Z`` for digit values 10..35). Difficulty raises the value
(more digits on both sides) and widens the bases; the bases are the knobs ``from_base`` and
``to_base`` (a composition may set ``to_base`` from another task's answer) and are stored in the
problem data under those names (when the two drawn bases coincide, the source base is redrawn
within six of it). ``effort`` is the digit work of schoolbook conversion (input
digits times output digits).

Answer format: the digits of the number in base b, nothing else: no prefix (``0x``), no
subscript, no spaces, no leading zeros. Letters may be upper or lower case. A digit not below b
or any leading zero is ``invalid``; another value is ``wrong``.
"""

from __future__ import annotations

import re

import numpy as np

from synlog.errors import KnobError, Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, bounded, scalar_forms, unwrap
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: the longest digit string an answer may have (a 10**18 value in base 2 has 60 digits)
MAX_DIGITS = 200
_DIGITS = re.compile(r"[0-9A-Za-z]+")


def to_digits(value: int, base: int) -> str:
    """``value`` (>= 0) in ``base`` by repeated division, upper-case letters for 10..35."""
    if value == 0:
        return "0"
    out = []
    while value:
        value, digit = divmod(value, base)
        out.append(DIGITS[digit])
    return "".join(reversed(out))


def from_digits(text: str, base: int) -> int:
    """The value of a digit string (already checked: every digit below ``base``) by Horner."""
    value = 0
    for char in text.upper():
        value = value * base + DIGITS.index(char)
    return value


def _top(value: int | tuple[int, int]) -> int:
    return int(value[1]) if isinstance(value, tuple) else int(value)


def _width(value: int | tuple[int, int]) -> int:
    return int(value[1]) - int(value[0]) + 1 if isinstance(value, tuple) else 1


@register
class BaseConversion(Task):
    """Convert a number written in one base (2..36) to another base."""

    name, family, version = "base_conversion", "math", 1
    knobs = Knobs(
        from_base=Knob(int, levels=[(2, 16), (2, 16), (2, 16), (2, 20), (2, 24), (2, 28), (2, 32), (2, 36), (2, 36), (2, 36)],
                       lo=2, hi=36, help="the base the number is given in"),
        to_base=Knob(int, levels=[(2, 16), (2, 16), (2, 16), (2, 20), (2, 24), (2, 28), (2, 32), (2, 36), (2, 36), (2, 36)],
                     lo=2, hi=36, help="the base the answer is written in"),
        value_max=Knob(int, levels=[255, 1000, 4095, 2 * 10**4, 65535, 10**6, 10**8, 10**10, 10**13, 10**18],
                       lo=40, hi=10**30, help="the largest value converted"),
    )

    def check_spec(self, spec: dict) -> None:
        source, target = spec.get("from_base"), spec.get("to_base")
        if isinstance(source, int) and source == target:
            raise KnobError(f"from_base and to_base are both {source}: a number converted to its own base is"
                            " itself; set two different bases (or a range for one of them)")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        source, target = int(p.from_base), int(p.to_base)
        if source == target:  # a sampled clash: the source base is redrawn next to it
            near = [b for b in range(max(2, target - 6), min(36, target + 6) + 1) if b != target]
            source = near[int(rng.integers(len(near)))]
        top = int(p.value_max)
        # at least two digits in the larger base, and the top decade of magnitudes
        lo = max(max(source, target) + 1, top // 16)
        value = int(rng.integers(lo, top + 1)) if top < 2**62 else lo + int(rng.integers(0, 2**62)) % (top - lo + 1)
        number, answer = to_digits(value, source), to_digits(value, target)
        if number == answer:
            raise Reject("the number reads the same in both bases")
        effort = float(len(number) * len(answer))
        data = {"from_base": source, "to_base": target, "number": number, "value": str(value)}
        return Problem(data, answer, effort)

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            text = unwrap(bounded(answer, 4 * MAX_DIGITS)).strip()
        except AnswerError as error:
            return Verdict.invalid(str(error))
        if not text:
            return Verdict.no_answer()
        if len(text) > MAX_DIGITS:
            return Verdict.invalid(f"more than {MAX_DIGITS} digits")
        if not _DIGITS.fullmatch(text):
            return Verdict.unparseable("expected one run of digits 0-9 / letters A-Z, nothing else")
        base = int(problem["to_base"])
        bad = [c for c in text if DIGITS.index(c.upper()) >= base]
        if bad:
            return Verdict.invalid(f"{bad[0]!r} is not a digit of base {base}")
        if len(text) > 1 and text[0] == "0":
            return Verdict.invalid("no leading zeros")
        if from_digits(text, base) != int(problem["value"]):
            return Verdict.wrong("not the same number")
        return Verdict.ok()

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        value, base = int(problem.data["value"]), int(problem.data["to_base"])
        gold = problem.answer
        out = [to_digits(value + 1, base), to_digits(value - 1, base), gold[::-1], f"{gold} or {to_digits(value + 1, base)}",
               to_digits(value, int(problem.data["from_base"]))]
        return [w for w in dict.fromkeys(out) if w.upper() != gold]

    def alternative_forms(self, problem: Problem) -> list[str]:
        gold = problem.answer
        forms = scalar_forms(gold)
        if gold.lower() != gold:
            forms.append(gold.lower())
        return forms

    def forbidden_forms(self, problem: Problem) -> list[str]:
        gold, base = problem.answer, int(problem.data["to_base"])
        forms = [f"0{gold}", " ".join(gold), f"{gold}_{base}", f"({gold})_{{{base}}}", f"{gold} (base {base})"]
        prefix = {2: "0b", 8: "0o", 16: "0x"}.get(base)
        if prefix:
            forms.append(prefix + gold)
        if len(gold) > 1:
            forms.append(" ".join(gold))
        return list(dict.fromkeys(f for f in forms if f != gold))

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """The number copied unchanged, and its value written in base 10 whatever the base asked."""
        out = {"the number copied": problem["number"]}
        if int(problem["to_base"]) != 10:
            out["the value in decimal"] = problem["value"]
        return out

    def hardness(self, problem: dict) -> float:
        """Bits of the value converted plus the digits written (independent of the draw order)."""
        value = int(problem["value"])
        return float(value.bit_length() + len(to_digits(value, int(problem["to_base"]))))

    def instance_space(self, spec: dict) -> float | None:
        top = _top(spec["value_max"])
        pairs = _width(spec["from_base"]) * _width(spec["to_base"])
        return float(pairs * (top - top // 16))
