"""Systems of linear equations: find the one rational solution of n equations in n unknowns.

For example::

    2x + y = 4
    2x - 2y = 3           answer: x = 11/6, y = 1/3

Generation draws an integer coefficient matrix with a non-zero determinant (computed exactly
with fraction-free Bareiss elimination), so the solution exists and is unique, then a
solution (integers, or fractions with denominators up to ``max_denominator``) and the
right-hand sides; an equation whose right-hand side is fractional is multiplied through by
its denominator, so every printed number is an integer. At higher levels the equations are
rearranged: terms move to either side, a variable can appear on both sides, constants are
added to both sides, and term order is shuffled. ``effort`` is ``n_vars`` times the number
of printed terms (the work of eliminating them).

Answer format: ``x = 1/2, y = -3``: every variable exactly once, separated by commas (or
semicolons, new lines, "and"), in any order. Each value is a number, read exactly: ``1/2``,
``0.5``, ``(1/2)``, ``-3`` and LaTeX ``\\frac{1}{2}`` are the same number; arithmetic such
as ``5 - 9`` is not read (it would let an unfinished computation through). A bare tuple
``(1/2, -3)`` is also read, in the variable order the prompt states. A missing, unknown or
repeated variable is invalid; a wrong value is wrong, with ``details["fraction"]`` = (values
right − values wrong) / unknowns, at least 0, so a guess that hits one value of two earns nothing.
"""

from __future__ import annotations

import re
from fractions import Fraction
from math import gcd

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.arith import ArithmeticParseError, format_rational, parse_rational
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.math._matrices import determinant
from synlog.verifiers.math_parse import enclosed
from synlog.verifiers.verdict import Verdict

VARIABLES = ["x", "y", "z", "w", "v", "u", "t", "s"]
#: matrices drawn inside one ``generate`` call before handing a Reject to the engine
CANDIDATES_PER_CALL = 50

_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]{0,60})\}\s*\{([^{}]{0,60})\}")
_LATEX_NOISE = re.compile(r"\$|\\[()\[\]]|\\[,;!]|\\quad")
_SEPARATORS = re.compile(r"[,;\n]|\band\b")
_ASSIGNMENT = re.compile(r"\s*([A-Za-z])\s*=\s*([^=]+?)\s*")
_DECIMAL = r"(?:\d{1,40}(?:\.\d{0,40})?|\.\d{1,40})"
#: a value, once brackets and spaces are dropped: a signed number or a ratio of two
_NUMBER_SHAPE = re.compile(rf"[+-]?{_DECIMAL}(?:/[+-]?{_DECIMAL})?")
_BRACKETS_AND_SPACES = re.compile(r"[()\s]")
_DASHES = str.maketrans({"−": "-", "–": "-", "—": "-"})


class AnswerError(ValueError):
    """The answer cannot be read; ``invalid`` marks a readable answer that breaks the format."""

    def __init__(self, why: str, invalid: bool = False):
        super().__init__(why)
        self.invalid = invalid


def _side(terms: list[tuple[int, str]]) -> str:
    """``[(3, "x"), (-1, "y"), (7, "")]`` -> ``3x - y + 7``; an empty side is ``0``."""
    out = ""
    for coef, var in terms:
        magnitude = "" if var and abs(coef) == 1 else str(abs(coef))
        if not out:
            out = ("-" if coef < 0 else "") + magnitude + var
        else:
            out += (" - " if coef < 0 else " + ") + magnitude + var
    return out or "0"


def _present(rng: np.random.Generator, coefs: list[int], rhs: int, names: list[str],
             style: str, coef_max: int) -> tuple[str, int]:
    """One equation as text in the given style, and the number of printed terms."""
    left = [(c, v) for c, v in zip(coefs, names, strict=True) if c]
    right: list[tuple[int, str]] = [(rhs, "")] if rhs or not left else []
    if style == "shuffled":
        left = [left[i] for i in rng.permutation(len(left))]
        if rng.random() < 0.3:
            left, right = right, left
    elif style == "both_sides":
        left, right = [], []
        for c, v in zip(coefs, names, strict=True):
            if not c:
                continue
            roll = rng.random()
            if roll < 0.35:
                right.append((-c, v))
            elif roll < 0.6:  # the variable appears on both sides
                t = int(rng.integers(1, coef_max + 1)) * int(rng.choice([-1, 1]))
                left.append((c + t, v) if c + t else (c, v))
                right.append((t, v) if c + t else (0, v))
            else:
                left.append((c, v))
        shift = int(rng.integers(-coef_max, coef_max + 1))
        left.append((shift, ""))
        right.append((rhs + shift, ""))
        left = [term for term in left if term[0]]
        right = [term for term in right if term[0]]
        left = [left[i] for i in rng.permutation(len(left))]
        right = [right[i] for i in rng.permutation(len(right))]
    return f"{_side(left)} = {_side(right)}", len(left) + len(right)


def _parse_value(text: str) -> Fraction:
    """One number as the prompt allows it: an integer, an exact decimal, or a fraction a/b of
    integers in lowest terms (``-18/4`` is ``invalid``: the prompt asks for lowest terms)."""
    text = text.strip().translate(_DASHES)
    bare = _BRACKETS_AND_SPACES.sub("", text)
    # a number, not an expression: "5 - 9" would let an unsolved computation through
    if not _NUMBER_SHAPE.fullmatch(bare):
        raise AnswerError(f"{text[:30]!r} is not a number or a fraction")
    if "/" in bare:
        top, bottom = bare.split("/")
        if "." in bare:
            raise AnswerError("a fraction of integers a/b, not of decimals", True)
        if int(bottom) == 0:
            raise AnswerError("division by zero", True)
        if abs(int(bottom)) == 1 or gcd(int(top), int(bottom)) != 1:
            raise AnswerError(f"write {text[:30]} in lowest terms with a denominator above 1", True)
    try:
        return parse_rational(text)
    except (ArithmeticParseError, ValueError, ZeroDivisionError) as error:
        raise AnswerError(f"cannot read {text[:30]!r} as a number: {error}"[:120]) from None


def parse_answer(text: str, names: list[str]) -> dict[str, Fraction]:
    """Read ``x = 1/2, y = -3`` (any order) or ``(1/2, -3)`` (prompt order) into values."""
    if len(text) > 120 * len(names) + 200:
        raise AnswerError("answer too long")
    text = _LATEX_NOISE.sub(" ", text)
    text = _FRAC.sub(r"(\1)/(\2)", text, count=4 * len(names)).strip().rstrip(".")
    if "=" not in text:
        if len(names) > 1 and text[:1] + text[-1:] in ("()", "[]") and enclosed(text):
            text = text[1:-1]
        parts = [text] if len(names) == 1 else text.split(",")
        if len(parts) != len(names):
            raise AnswerError(f"expected {len(names)} values, got {len(parts)}", True)
        return {name: _parse_value(part) for name, part in zip(names, parts, strict=True)}
    values: dict[str, Fraction] = {}
    for item in _SEPARATORS.split(text):
        if not item.strip():
            continue
        match = _ASSIGNMENT.fullmatch(item)
        if not match:
            raise AnswerError(f"cannot read {item.strip()[:30]!r} as name = value")
        name = match.group(1).lower()
        if name not in names:
            raise AnswerError(f"{name} is not a variable of the system", True)
        if name in values:
            raise AnswerError(f"{name} is given twice", True)
        values[name] = _parse_value(match.group(2))
    missing = [n for n in names if n not in values]
    if missing:
        raise AnswerError(f"no value for {', '.join(missing)}", True)
    return values


def format_answer(values: dict[str, Fraction], names: list[str]) -> str:
    """The canonical answer: ``x = 1/2, y = -3`` in variable order."""
    return ", ".join(f"{n} = {format_rational(values[n])}" for n in names)


def _top(value: int | tuple[int, int]) -> int:
    """The largest value of a knob that may be a sampled range."""
    return int(value[1]) if isinstance(value, tuple) else int(value)


@register
class LinearEquations(Task):
    """Solve a system of n linear equations in n unknowns with one rational solution."""

    name, family, version = "linear_equations", "math", 2
    knobs = Knobs(
        n_vars=Knob(int, levels=[1, 1, 2, 2, 3, 3, 4, 4, 5, 5], lo=1, hi=len(VARIABLES),
                    help="number of unknowns (and of equations)"),
        coef_max=Knob(int, levels=[9, 12, 5, 9, 6, 9, 6, 9, 9, 12], lo=1, hi=100,
                      help="coefficients are drawn from -coef_max..coef_max"),
        # one unknown needs a wide value range: ±5 made x = 1 the answer of one row in eleven
        value_max=Knob(int, levels=[30, 30, 9, 10, 9, 10, 9, 10, 10, 12], lo=1, hi=1000,
                       help="solution values lie in -value_max..value_max"),
        max_denominator=Knob(int, levels=[1, 1, 1, 2, 1, 3, 3, 4, 5, 6], lo=1, hi=50,
                             help="largest denominator of a solution value (1: integers only)"),
        presentation=Knob(str, levels=["both_sides", "both_sides", "standard", "shuffled",
                                       "shuffled", "both_sides", "both_sides", "both_sides",
                                       "both_sides", "both_sides"],
                          choices=["standard", "shuffled", "both_sides"],
                          help="standard: ax + by = c; shuffled: terms in random order;"
                               " both_sides: terms and constants on both sides"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n, c = p.n_vars, p.coef_max
        for _ in range(CANDIDATES_PER_CALL):
            matrix = rng.integers(-c, c + 1, size=(n, n)).tolist()
            # a lone x = 5 would state its own answer
            if determinant(matrix) != 0 and (n > 1 or c == 1 or abs(matrix[0][0]) > 1):
                break
        else:
            raise Reject("singular matrices only")
        # one common denominator keeps the integer-scaled equations small
        q = int(rng.integers(2, p.max_denominator + 1)) if p.max_denominator > 1 else 1
        bound = p.value_max * q
        numerators = rng.integers(-bound, bound + 1, size=n).tolist()
        if q > 1 and all(k % q == 0 for k in numerators):
            numerators[int(rng.integers(n))] += int(rng.integers(1, q))
        solution = [Fraction(k, q) for k in numerators]
        names = VARIABLES[:n]
        equations, terms = [], 0
        for row in matrix:
            rhs = sum((a * v for a, v in zip(row, solution, strict=True)), Fraction(0))
            scaled = [a * rhs.denominator for a in row] + [rhs.numerator]
            # dividing out a common factor must not turn 3x = 12 into a given x = 4
            common = gcd(*scaled) if sum(a != 0 for a in row) > 1 else 1
            coefs = [a // common for a in scaled[:-1]]
            text, count = _present(rng, coefs, scaled[-1] // common, names, p.presentation, c)
            equations.append(text)
            terms += count
        values = dict(zip(names, solution, strict=True))
        data = {"variables": names, "equations": equations,
                "solution": {k: format_rational(v) for k, v in values.items()}}
        return Problem(data, format_answer(values, names), float(n * terms))

    def verify(self, problem: dict, answer: str) -> Verdict:
        names = problem["variables"]
        try:
            values = parse_answer(answer, names)
        except AnswerError as error:
            return Verdict.invalid(str(error)) if error.invalid else Verdict.unparseable(str(error))
        wrong = [n for n in names if values[n] != Fraction(problem["solution"][n])]
        if wrong:
            # each wrong value cancels a right one: a guess that hits one value of two by luck
            # (an echoed number, another problem's answer) earns nothing
            right = len(names) - len(wrong)
            return Verdict.wrong(f"wrong value for {', '.join(wrong)}", wrong=wrong,
                                 fraction=max(0, right - len(wrong)) / len(names))
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Answers that solve nothing: every unknown 0, or 1, or the first printed number."""
        names = problem["variables"]
        first = re.search(r"-?\d+", " ".join(problem["equations"]).replace("- ", "-"))
        echo = first.group() if first else "1"
        return {f"every unknown {v}": ", ".join(f"{n} = {v}" for n in names) for v in ("0", "1", echo)}

    def hardness(self, problem: dict) -> float:
        """Elimination work, measured apart from ``effort``: n³ steps of Gaussian elimination
        plus every digit printed (the numbers that go into them)."""
        n = len(problem["variables"])
        return float(n ** 3 + sum(len(re.findall(r"\d", equation)) for equation in problem["equations"]))

    def instance_space(self, spec: dict) -> float | None:
        """Coefficient matrices times solutions (times the rearrangements of a shown equation)."""
        n, c, v, q = (_top(spec[k]) for k in ("n_vars", "coef_max", "value_max", "max_denominator"))
        matrices = (2 * c + 1) ** (n * n) if n > 1 else max(1, 2 * c - 2)
        solutions = (2 * v * q + 1) ** n * max(1, q - 1)
        layouts = {"standard": 1, "shuffled": 2, "both_sides": 2 * c + 1}[spec["presentation"]] ** n
        return float(matrices * solutions * layouts)

    def alternative_forms(self, problem: Problem) -> list[str]:
        names = problem.data["variables"]
        gold = {n: Fraction(v) for n, v in problem.data["solution"].items()}
        values = [format_rational(gold[n]) for n in names]
        latex = ", ".join(f"{n} = " + (f"\\frac{{{v.numerator}}}{{{v.denominator}}}" if v.denominator > 1
                                        else str(v)) for n, v in gold.items())
        listed = values[0] if len(names) == 1 else f"({', '.join(values)})"
        return [listed, latex, "\n".join(f"{n} = {v}" for n, v in zip(names, values, strict=True)),
                ", ".join(f"{n} = {v}" for n, v in reversed(list(zip(names, values, strict=True))))]

    def forbidden_forms(self, problem: Problem) -> list[str]:
        """One value unreduced (``-18/4``) or as a sum to evaluate."""
        names = problem.data["variables"]
        gold = {n: Fraction(v) for n, v in problem.data["solution"].items()}
        first = gold[names[0]]
        unreduced = f"{2 * first.numerator}/{2 * first.denominator}"
        return [format_answer(gold, names).replace(f"{names[0]} = {format_rational(first)}", f"{names[0]} = {text}", 1)
                for text in (unreduced, f"{format_rational(first)} + 0")]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        names = problem.data["variables"]
        gold = {n: Fraction(v) for n, v in problem.data["solution"].items()}
        pick = names[int(rng.integers(len(names)))]
        wrong = [format_answer(dict(gold, **{pick: gold[pick] + 1}), names)]
        if len(names) > 1:
            a, b = (names[i] for i in rng.choice(len(names), size=2, replace=False))
            if gold[a] != gold[b]:
                wrong.append(format_answer(dict(gold, **{a: gold[b], b: gold[a]}), names))
        nonzero = [n for n in names if gold[n]]
        if nonzero:
            flip = nonzero[int(rng.integers(len(nonzero)))]
            wrong.append(format_answer(dict(gold, **{flip: -gold[flip]}), names))
        return wrong
