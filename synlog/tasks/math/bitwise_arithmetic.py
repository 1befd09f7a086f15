"""Bitwise arithmetic: evaluate an expression of ``&``, ``|``, ``^``, ``~``, ``<<``, ``>>`` on
fixed-width integers whose exact meaning the prompt states.

For example (8-bit unsigned)::

    ((0xB4 & 0x3F) << 2) | ~0x0F      answer: 0xF0

Each row picks one of three modes: ``unsigned`` (w-bit unsigned integers, decimal answer),
``hex`` (w-bit unsigned integers, literals and answer in hexadecimal with ``0x``) and ``signed``
(w-bit two's-complement integers, decimal answer). In the unsigned modes every result is
reduced modulo 2**w, ``~x`` is ``2**w - 1 - x`` and ``>>`` is a logical shift; in the signed mode
every result wraps into ``-2**(w-1) .. 2**(w-1) - 1``, ``~x`` is ``-x - 1`` and ``>>`` is an
arithmetic shift (floor division by ``2**k``). A shift amount is always a literal. Every binary
operation except the outermost is in parentheses, so precedence never matters.

The gold is computed exactly with Python integers on the generated tree, wrapping after every
operation. Difficulty raises the width (8 to 64 bits) and the number of operators. Rows whose
value is 0, 1, -1, all ones, the top bit alone, an end of the signed range or one of the
expression's own literals are redrawn. ``effort`` is
operators times width (the bit operations a bit-serial evaluator does).

Answer format: one decimal integer (``unsigned``/``signed``), or ``0x`` and hexadecimal digits
in either case, no leading zeros (``hex``). A decimal answer where hex is asked, a hex answer
where decimal is asked, an expression, or a hedge is not accepted.
"""

from __future__ import annotations

import re

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, bounded, scalar_forms, unwrap
from synlog.tasks.common.forms import integer_alternatives, integer_forbidden
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

MODES = ("unsigned", "hex", "signed")
BINARY = ("&", "|", "^", "<<", ">>")
#: the longest answer read (a 64-bit value has at most 20 decimal digits)
MAX_CHARS = 200
_HEX = re.compile(r"0[xX]([0-9a-fA-F]{1,40})")
_DEC = re.compile(r"[+-]?\d{1,40}")


def wrap(value: int, bits: int, signed: bool) -> int:
    """``value`` reduced to a ``bits``-wide unsigned or two's-complement integer."""
    mask = (1 << bits) - 1
    value &= mask
    if signed and value >> (bits - 1):
        value -= 1 << bits
    return value


def apply(op: str, a: int, b: int | None, bits: int, signed: bool) -> int:
    """One operation on ``bits``-wide values, wrapped as the prompt defines."""
    if op == "~":
        result = ~a
    elif op == "&":
        result = a & b
    elif op == "|":
        result = a | b
    elif op == "^":
        result = a ^ b
    elif op == "<<":
        result = a << b
    else:  # ">>": arithmetic on signed values, logical on non-negative ones
        result = a >> b
    return wrap(result, bits, signed)


def literal(value: int, mode: str) -> str:
    if mode == "hex":
        return f"0x{value:X}"
    return f"({value})" if value < 0 else str(value)


def to_hex(value: int) -> str:
    return f"0x{value:x}"


@register
class BitwiseArithmetic(Task):
    """Evaluate a bitwise expression (&, |, ^, ~, <<, >>) on fixed-width integers."""

    name, family, version = "bitwise_arithmetic", "math", 1
    knobs = Knobs(
        bits=Knob(int, levels=[8, 8, 8, 12, 16, 16, 24, 32, 32, 64], lo=4, hi=128,
                  help="the width of every value in bits"),
        ops=Knob(int, levels=[2, 2, 3, 3, 4, 5, 6, 7, 8, 10], lo=1, hi=40,
                 help="binary operators in the expression"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        bits, mode = int(p.bits), MODES[int(rng.integers(len(MODES)))]
        signed = mode == "signed"
        lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
        max_shift = max(3, bits // 4)
        literals: list[int] = []

        def leaf() -> tuple[str, int]:
            value = int(rng.integers(lo, hi, endpoint=True, dtype=np.int64)) if bits <= 63 else \
                lo + int(rng.integers(0, 1 << 62)) * 4 + int(rng.integers(0, 4))
            value = wrap(value, bits, signed)
            literals.append(value)
            return literal(value, mode), value

        def build(n_ops: int, top: bool) -> tuple[str, int]:
            if n_ops == 0:
                text, value = leaf()
            else:
                op = BINARY[int(rng.integers(len(BINARY)))]
                if op in ("<<", ">>"):
                    left, a = build(n_ops - 1, False)
                    k = int(rng.integers(1, max_shift + 1))
                    text, value = f"{left} {op} {k}", apply(op, a, k, bits, signed)
                else:
                    split = int(rng.integers(0, n_ops))
                    (left, a), (right, b) = build(split, False), build(n_ops - 1 - split, False)
                    text, value = f"{left} {op} {right}", apply(op, a, b, bits, signed)
                if not top:
                    text = f"({text})"
            if rng.random() < 0.2:
                enclosed = not top and text.startswith("(")  # a child is already in parentheses
                inner = f"({text})" if " " in text and not enclosed else text
                text, value = f"~{inner}", apply("~", value, None, bits, signed)
            return text, value

        expression, value = build(int(p.ops), True)
        mask = (1 << bits) - 1
        half = 1 << (bits - 1)  # the top bit alone (what long left shifts leave) and the range ends
        if value in (0, 1, -1, mask, half, -half, half - 1) or value in literals:
            raise Reject("the value is a constant, a bound of the range or one of the literals")
        answer = to_hex(value) if mode == "hex" else str(value)
        n_ops = int(p.ops) + expression.count("~")
        data = {"mode": mode, "bits": bits, "expression": expression, "value": str(value)}
        return Problem(data, answer, float(n_ops * bits))

    def context(self, problem: Problem, lang: str) -> dict:
        data = dict(problem.data)
        bits = int(data["bits"])
        data.update(top=bits - 1, modulus=f"2^{bits}", umax=(1 << bits) - 1,
                    smin=-(1 << (bits - 1)), smax=(1 << (bits - 1)) - 1)
        return data

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            text = unwrap(bounded(answer, 4 * MAX_CHARS)).strip()
        except AnswerError as error:
            return Verdict.invalid(str(error))
        if not text:
            return Verdict.no_answer()
        if len(text) > MAX_CHARS:
            return Verdict.invalid(f"answer longer than {MAX_CHARS} characters")
        value = int(problem["value"])
        if problem["mode"] == "hex":
            if text.startswith("$") and text.endswith("$") and len(text) > 2:
                text = text[1:-1].strip()
            match = _HEX.fullmatch(text)
            if match is None:
                if _DEC.fullmatch(text):
                    return Verdict.invalid("write the result in hexadecimal with the prefix 0x")
                return Verdict.unparseable("expected 0x followed by hexadecimal digits")
            digits = match.group(1)
            if len(digits) > 1 and digits[0] == "0":
                return Verdict.invalid("no leading zeros after 0x")
            return Verdict.ok() if int(digits, 16) == value else Verdict.wrong("not the value of the expression")
        if _HEX.fullmatch(text):
            return Verdict.invalid("write the result as a decimal integer")
        from synlog.verifiers.math_answer import check

        return check(str(value), text, form="integer")

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        value, bits = int(problem.data["value"]), int(problem.data["bits"])
        signed = problem.data["mode"] == "signed"
        wrong = [value + 1, value - 1, value ^ 2, value ^ (1 << (bits - 1)),
                 value & ((1 << bits) - 1) if signed else wrap(value, bits, True)]
        wrong = [w for w in dict.fromkeys(wrong) if w != value]
        if problem.data["mode"] == "hex":
            out = [to_hex(w) for w in wrong if w >= 0]
            return [*out, f"{problem.answer} or {to_hex(value + 1)}"]
        return [*map(str, wrong), f"{value} or {value + 1}"]

    def alternative_forms(self, problem: Problem) -> list[str]:
        if problem.data["mode"] == "hex":
            gold = problem.answer
            return [gold.upper().replace("0X", "0x"), f"0X{gold[2:]}", f"${gold}$", *scalar_forms(gold)]
        return integer_alternatives(int(problem.data["value"]))

    def forbidden_forms(self, problem: Problem) -> list[str]:
        value = int(problem.data["value"])
        if problem.data["mode"] == "hex":
            return [str(value), f"0x0{value:x}", f"{value:x}", f"{to_hex(value + 1)} - 1", f"{value:#b}"]
        out = integer_forbidden(value)
        if value >= 0:
            out += [to_hex(value), f"{value:#b}"]
        return out

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """All bits set, and the expression's first literal (in the answer's own form)."""
        bits, mode = int(problem["bits"]), problem["mode"]
        first = re.search(r"0x[0-9A-F]+|-?\d+", problem["expression"]).group(0)
        if mode == "hex":
            return {"all ones": to_hex((1 << bits) - 1), "first literal": first.lower()}
        return {"all ones": str(-1 if mode == "signed" else (1 << bits) - 1), "first literal": first}

    def hardness(self, problem: dict) -> float:
        """Characters of the expression (literals grow with the width, terms with the operators)."""
        return float(len(problem["expression"]))

    def instance_space(self, spec: dict) -> float | None:
        bits = int(spec["bits"][1] if isinstance(spec["bits"], tuple) else spec["bits"])
        ops = int(spec["ops"][1] if isinstance(spec["ops"], tuple) else spec["ops"])
        return float(len(MODES)) * float(2**bits) ** (ops + 1)
