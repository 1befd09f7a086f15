"""The shared math answer checker: is a model's answer the same mathematical object as the gold?

Argument order carries meaning, as in math-verify: ``check(gold, answer)``. The gold is trusted
text written by a generator; the answer is untrusted. Hedges are judged on the answer only::

    check("1/2", r"\\dfrac12")                       # ok: equal forms
    check("2*sqrt(2)", r"\\sqrt{8}")                 # ok (sympy, in a worker process)
    check("3", "x = 3", variables=("x",))           # ok: the known variable may be named
    check("3", "3 or 4")                            # invalid: several candidates
    check("-1, 2, 2", "2, -1", kind="multiset")      # wrong: multiplicity of 2 missing
    check("(-oo, 1] U (3, oo)", r"(-\\infty,1]\\cup(3,\\infty)", kind="intervals")   # ok
    check("pi/2", "1.5707963", allow_decimals=True)  # ok only because decimals are allowed
    check("35", "36 - 1", form="integer")            # invalid: the prompt asked for one integer
    check("-1/2", "-2/4", form="rational")           # invalid: not in lowest terms

Forms (what the prompt allows the answer to look like; :data:`FORMS`): ``any`` (any expression
of the right value), ``exact`` (no decimal numbers), ``integer`` (one integer literal per item,
nothing to evaluate), ``rational`` (an integer, or a fraction ``a/b`` / ``\\frac{a}{b}`` in
lowest terms with ``b > 1``, nothing to evaluate). A value in a form the prompt forbids is
``invalid``, whatever it equals. Mixed numbers (``2 1/3``, ``-1\\frac{19}{90}``) and undefined
forms (``0^0``, ``\\infty^0``, ``1/0``) are ``invalid`` in every form.

Kinds: ``expr`` (one expression or number), ``multiset`` (a list, any order, repeats count:
roots with multiplicity), ``set`` (any order, repeats ignored), ``tuple`` (ordered list),
``intervals`` (a union of intervals, or ``\\emptyset`` / ``\\mathbb{R}``).
:func:`check_antiderivative` judges an indefinite integral by differentiating the answer.

Bounded: text is parsed here by :mod:`~synlog.verifiers.math_parse` (linear, capped at 2,000
characters, no sympy); a pair of exact rationals is compared with :class:`~fractions.Fraction`
(the fast path: ``0.5`` vs ``1/2`` never starts sympy); anything symbolic goes to the sympy
worker process (:mod:`~synlog.verifiers.sympy_worker`), which is killed after ``timeout``
seconds, giving a ``timeout`` verdict. A numeric power tower such as ``9**9**9**9`` is refused
before sympy sees it (``unparseable``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from synlog.verifiers.math_parse import (
    AmbiguousForm,
    MathParseError,
    Node,
    clean,
    enclosed,
    exact_value,
    huge_power,
    parse_expression,
    split_top,
    undefined_form,
)
from synlog.verifiers.sympy_worker import SympyTimeout, shared_worker
from synlog.verifiers.verdict import Verdict

DEFAULT_TIMEOUT_S = 5.0
#: relative tolerance for decimal answers where a task allows them
DECIMAL_TOLERANCE = 1e-6
MAX_ITEMS = 64
KINDS = ("expr", "multiset", "set", "tuple", "intervals")
FORMS = ("any", "exact", "integer", "rational")

_HEDGE = re.compile(r"\bor\b|\\lor|\\pm|±|\\mp|∓|\band\b|\\vee|\bnot\b|\?", re.IGNORECASE)
_CONSTANT = re.compile(r"\s*\+\s*(?:(?:C|c|K)(?:_\{?\d{1,2}\}?)?|\\text\{const\}|\\mathrm\{const\}|\\?constant)\s*$")
_MEMBER = re.compile(r"^\s*[A-Za-z]\s*(?:\\in\b|∈|\bin\b)\s*")
_UNION = re.compile(r"\\cup|∪|\bU\b|\bunion\b", re.IGNORECASE)
_EMPTY = re.compile(r"\\emptyset|\\varnothing|∅|\{\s*\}|empty( set)?", re.IGNORECASE)
_REALS = re.compile(r"\\mathbb\s*\{?R\}?|ℝ|\\R\b|all reals|all real numbers", re.IGNORECASE)


class GoldError(ValueError):
    """The gold text (first argument) is not readable: a bug in the task, never the answer's fault."""


class Unreadable(Exception):
    """The answer cannot be read; ``invalid`` marks a readable answer that breaks the format."""

    def __init__(self, why: str, invalid: bool = False):
        super().__init__(why)
        self.invalid = invalid


def _strip_assignment(text: str, variables: tuple[str, ...]) -> str:
    """``x = 3`` -> ``3`` when ``x`` is a known variable or another name the task allows for
    its answer (``f'(x)``; compared without spaces)."""
    left, sep, right = text.partition("=")
    if sep and "".join(left.split()) in variables and "=" not in right:
        return right
    if sep:
        raise Unreadable("write the value only (or `x = value` for the question's variable)", True)
    return text


def _parse(text: str, variables: tuple[str, ...], form: str = "any") -> Node:
    try:
        node = parse_expression(text, tuple(v for v in variables if v.isalpha()))
    except AmbiguousForm as exc:
        raise Unreadable(str(exc), True) from None
    except MathParseError as exc:
        raise Unreadable(str(exc)) from None
    except RecursionError:
        raise Unreadable("expression nested too deeply") from None
    if huge_power(node):
        raise Unreadable("a power too large to evaluate")
    why = undefined_form(node)
    if why:
        raise Unreadable(f"the answer has no value: {why}", True)
    _check_form(node, form)
    return node


def _is_integer_literal(node: Node) -> bool:
    if node[0] == "neg":
        node = node[1]
    return node[0] == "num" and "." not in node[1]


def _check_form(node: Node, form: str) -> None:
    """Raise an ``invalid`` Unreadable when ``node`` is not written the way ``form`` allows."""
    if form == "any":
        return
    if _has_decimal(node):
        raise Unreadable("write the exact value, not a decimal", True)
    if form == "exact":
        return
    if _is_integer_literal(node):
        return
    if form == "rational":
        inner = node[1] if node[0] == "neg" else node
        if inner[0] == "div" and _is_integer_literal(inner[1]) and _is_integer_literal(inner[2]) \
                and not (node[0] == "neg" and inner[1][0] == "neg"):
            value = exact_value(inner)
            numerator, denominator = exact_value(inner[1]), exact_value(inner[2])
            if value is not None and denominator is not None and abs(denominator) > 1 \
                    and value.denominator == abs(denominator) and abs(value.numerator) == abs(numerator):
                return
            raise Unreadable("write the fraction in lowest terms, with a denominator other than 1",
                             True)
        raise Unreadable("write the value as one integer or one reduced fraction a/b, "
                         "not an expression to evaluate", True)
    raise Unreadable("write the value as one integer, not an expression to evaluate", True)


def _gold(text: str, variables: tuple[str, ...]) -> Node:
    try:
        return _parse(text, variables)
    except Unreadable as exc:
        raise GoldError(f"gold {text[:60]!r} is not readable: {exc}") from None


def _unwrap(text: str, opening: str, closing: str) -> str:
    text = text.strip()
    if text[:1] in opening and text[-1:] in closing and enclosed(text):
        return text[1:-1]
    return text


def _items(text: str, lhs: tuple[str, ...], opening: str = "{[(", closing: str = "}])") -> list[str]:
    """The items of a list answer, each without an allowed ``name =`` in front."""
    text = _unwrap(clean(text), opening, closing)
    parts = [p for p in split_top(text, ",;") if p.strip()]
    if len(parts) > MAX_ITEMS:
        raise Unreadable(f"more than {MAX_ITEMS} items")
    return [_strip_assignment(p.strip(), lhs) for p in parts]


def approx(node: Node) -> float | None:
    """A float value of a constant tree (for ordering intervals); ``None`` if not a real number."""
    try:
        value = _approx(node)
    except (OverflowError, ValueError, ZeroDivisionError, TypeError, RecursionError):
        return None
    return value if isinstance(value, float) else None


_FLOAT_FUNCTIONS = {"sqrt": math.sqrt, "sin": math.sin, "cos": math.cos, "tan": math.tan,
                    "exp": math.exp, "log": math.log, "Abs": abs, "atan": math.atan}


def _approx(node: Node) -> float:
    kind = node[0]
    if kind == "num":
        return float(node[1])
    if kind == "const":
        return {"pi": math.pi, "E": math.e, "oo": math.inf}[node[1]]
    if kind == "neg":
        return -_approx(node[1])
    if kind == "fn":
        return float(_FLOAT_FUNCTIONS[node[1]](_approx(node[2])))
    if kind in ("add", "sub", "mul", "div", "pow"):
        a, b = _approx(node[1]), _approx(node[2])
        if kind == "pow" and abs(b) > 1e4:
            raise OverflowError
        result = {"add": a + b, "sub": a - b, "mul": a * b}.get(kind)
        if result is None:
            result = a / b if kind == "div" else a ** b
        return float(result)
    raise TypeError(kind)


class _Comparer:
    """Compares lists of (gold, answer) trees: fast exact path first, the rest in one sympy call."""

    def __init__(self, allow_decimals: bool, timeout: float) -> None:
        self.allow_decimals, self.timeout = allow_decimals, timeout

    def equal_many(self, pairs: list[tuple[Node, Node]]) -> list[bool]:
        out: list[bool | None] = []
        symbolic: list[int] = []
        for i, (gold, answer) in enumerate(pairs):
            g, a = exact_value(gold), exact_value(answer)
            if g is not None and a is not None:
                # a decimal answer, where decimals are allowed, is judged within the tolerance
                # (the sympy path's "close" rule), not exactly: 0.3333333 for 1/3
                close = self.allow_decimals and _has_decimal(answer) and \
                    abs(g - a) <= Fraction(DECIMAL_TOLERANCE) * max(1, abs(g))
                out.append(g == a or close)
            elif gold == answer:
                out.append(True)
            elif _clearly_different(gold, answer):
                out.append(False)  # floats differ by far more than rounding: no sympy needed
            else:
                out.append(None)
                symbolic.append(i)
        if symbolic:
            request = [[_as_list(pairs[i][0]), _as_list(pairs[i][1])] for i in symbolic]
            results = shared_worker().call({"op": "equal", "pairs": request}, self.timeout)
            if self.allow_decimals:
                approximate = [i for i, r in zip(symbolic, results, strict=True)
                               if not r and _has_decimal(pairs[i][1])]
                if approximate:
                    close = shared_worker().call(
                        {"op": "close", "tol": DECIMAL_TOLERANCE,
                         "pairs": [[_as_list(pairs[i][0]), _as_list(pairs[i][1])] for i in approximate]},
                        self.timeout)
                    results = list(results)
                    for i, ok in zip(approximate, close, strict=True):
                        results[symbolic.index(i)] = ok
            for i, result in zip(symbolic, results, strict=True):
                out[i] = bool(result)
        return [bool(x) for x in out]


def _clearly_different(gold: Node, answer: Node) -> bool:
    a, b = approx(gold), approx(answer)
    if a is None or b is None or not (math.isfinite(a) and math.isfinite(b)):
        return False
    return abs(a - b) > 1e-3 * max(1.0, abs(a), abs(b))


def _has_decimal(node: Node) -> bool:
    if node[0] == "num":
        return "." in node[1]
    return any(isinstance(c, tuple) and _has_decimal(c) for c in node[1:])


def _as_list(node: Any) -> Any:
    return [_as_list(c) for c in node] if isinstance(node, tuple) else node


def _intervals(text: str, variables: tuple[str, ...], form: str = "any") -> list[tuple[bool, Node, Node, bool]]:
    """``[(left_closed, low, high, right_closed), ...]``; empty for the empty set.

    ``x \\in (1, 2]`` is read as ``(1, 2]``."""
    text = _MEMBER.sub("", clean(text), count=1)
    if _EMPTY.fullmatch(text.strip()):
        return []
    if _REALS.fullmatch(text.strip()):
        return [(False, ("neg", ("const", "oo")), ("const", "oo"), False)]
    out = []
    for part in _UNION.split(text):
        part = part.strip()
        if len(part) < 5 or part[0] not in "([" or part[-1] not in ")]":
            raise Unreadable(f"{part[:30]!r} is not an interval like (a, b] or [a, \\infty)")
        ends = split_top(part[1:-1], ",")
        if len(ends) != 2:
            raise Unreadable(f"{part[:30]!r}: an interval has exactly two endpoints")
        low, high = (_endpoint(e, variables, form) for e in ends)
        left_closed, right_closed = part[0] == "[", part[-1] == "]"
        for closed, end in ((left_closed, low), (right_closed, high)):
            if closed and approx(end) in (math.inf, -math.inf):
                raise Unreadable("an infinite endpoint must be open", True)
        out.append((left_closed, low, high, right_closed))
    if len(out) > MAX_ITEMS:
        raise Unreadable(f"more than {MAX_ITEMS} intervals")
    return out


def _endpoint(text: str, variables: tuple[str, ...], form: str) -> Node:
    """One endpoint: ``oo`` and ``-oo`` in any form, anything else as ``form`` says."""
    node = _parse(text, variables)
    if approx(node) in (math.inf, -math.inf):
        return node
    return _parse(text, variables, form)


def check(gold: str, answer: str, *, kind: str = "expr", variables: tuple[str, ...] = (),
          allow_decimals: bool = False, timeout: float = DEFAULT_TIMEOUT_S, form: str = "any",
          names: tuple[str, ...] = ()) -> Verdict:
    """Judge ``answer`` against ``gold`` (in that order).

    variables: letters allowed as symbols in both (each may also name the answer: ``x = 3``).
    form: how the answer must be written (:data:`FORMS`); the gold is trusted as written.
    names: other left-hand sides the answer may start with, such as ``f'(x) =``.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    if form not in FORMS:
        raise ValueError(f"form must be one of {FORMS}, not {form!r}")
    compare = _Comparer(allow_decimals, timeout)
    lhs = variables + names
    try:
        if kind == "expr":
            golds: Any = [_parse(gold, variables)]
        elif kind == "intervals":
            golds = _intervals(gold, variables)
        else:
            golds = [_parse(g, variables) for g in _items(gold, lhs)]
    except Unreadable as exc:
        raise GoldError(f"gold {gold[:60]!r} is not readable: {exc}") from None

    def judge() -> Verdict:
        if _HEDGE.search(answer):
            return Verdict.invalid("give one answer, not several candidates or a hedge")
        if kind == "expr":
            items = _items(answer, lhs, "", "")
            if len(items) != 1:
                return Verdict.invalid("give one answer, not several candidates")
            pair = (golds[0], _parse(items[0], variables, form))
            return Verdict.ok() if compare.equal_many([pair])[0] else Verdict.wrong()
        if kind == "intervals":
            return _check_intervals(golds, _intervals(answer, variables, form), compare)
        answers = [_parse(a, variables, form) for a in _items(answer, lhs)]
        if kind == "tuple":
            if len(answers) != len(golds):
                return Verdict.wrong(f"expected {len(golds)} components, got {len(answers)}")
            same = compare.equal_many(list(zip(golds, answers, strict=True)))
            return Verdict.ok() if all(same) else Verdict.wrong(fraction=sum(same) / len(same))
        return _check_collection(golds, answers, kind == "multiset", compare)

    return _judged(judge, timeout)


def _judged(judge: Callable[[], Verdict], timeout: float) -> Verdict:
    """Run one judgement, turning an unreadable answer or a sympy timeout into its Verdict."""
    try:
        return judge()
    except GoldError:
        raise
    except Unreadable as exc:
        return Verdict.invalid(str(exc)) if exc.invalid else Verdict.unparseable(str(exc))
    except SympyTimeout:
        return Verdict.timeout(timeout)
    except ValueError as exc:  # sympy could not evaluate the answer
        return Verdict.unparseable(f"cannot evaluate the answer: {exc}"[:200])


def _check_collection(golds: list[Node], answers: list[Node], multiset: bool,
                      compare: _Comparer) -> Verdict:
    """Match answers to golds one to one (equality is transitive, so greedy matching is exact)."""
    pairs = [(g, a) for g in golds for a in answers]
    same = compare.equal_many(pairs) if pairs else []
    table = [same[i * len(answers):(i + 1) * len(answers)] for i in range(len(golds))]
    if not multiset:
        distinct_answers = [j for j in range(len(answers))
                            if not any(table_row[j] and table_row[k] for table_row in table
                                       for k in range(j))]
        if len(distinct_answers) != len(answers):
            return Verdict.invalid("an element is listed twice")
    used: set[int] = set()
    matched = 0
    for row in table:
        j = next((j for j, hit in enumerate(row) if hit and j not in used), None)
        if j is not None:
            used.add(j)
            matched += 1
    if matched == len(golds) == len(answers):
        return Verdict.ok()
    why = "wrong multiplicities" if multiset and matched < len(golds) and set(
        j for row in table for j, hit in enumerate(row) if hit) == set(range(len(answers))) else ""
    return Verdict.wrong(why or f"{matched} of {len(golds)} expected elements found, "
                         f"{len(answers) - matched} extra", fraction=matched / max(len(golds), len(answers), 1))


def _merged(intervals: list, compare: _Comparer) -> list:
    """Sorted intervals with touching or overlapping neighbours joined: ``(1, 2] U (2, 3)`` is
    ``(1, 3)``. Two ends count as the same point only when they are equal exactly (never by a
    float tolerance, so ``(1, 2) U (2.0000001, 3)`` stays two intervals)."""
    out = list(intervals[:1])
    for item in intervals[1:]:
        left_closed, low, high, right_closed = out[-1]
        touching = _same_point(high, item[1], compare)
        if not (_clearly_below(item[1], high) or (touching and (right_closed or item[0]))):
            out.append(item)
        elif _same_point(high, item[2], compare):
            out[-1] = (left_closed, low, high, right_closed or item[3])
        elif _clearly_below(item[2], high):
            continue  # inside the interval before it
        elif _clearly_below(high, item[2]):
            out[-1] = (left_closed, low, item[2], item[3])
        else:
            out.append(item)  # ends too close to order without exact arithmetic: left apart
    return out


def _same_point(a: Node, b: Node, compare: _Comparer) -> bool:
    x, y = approx(a), approx(b)
    if x is not None and y is not None and (math.isinf(x) or math.isinf(y)):
        return x == y
    return compare.equal_many([(a, b)])[0]


def _clearly_below(a: Node, b: Node) -> bool:
    """``a < b`` by more than rounding could explain (infinities included)."""
    x, y = approx(a), approx(b)
    if x is None or y is None or x >= y:
        return False
    return math.isinf(x) or math.isinf(y) or y - x > 1e-9 * max(1.0, abs(x), abs(y))


def _check_intervals(golds: list, answers: list, compare: _Comparer) -> Verdict:

    def order(item: tuple[bool, Node, Node, bool]) -> float:
        value = approx(item[1])
        return value if value is not None else math.nan

    answers = _merged(sorted(answers, key=order), compare)
    golds = _merged(sorted(golds, key=order), compare)
    if len(golds) != len(answers):
        return Verdict.wrong(f"expected {len(golds)} interval(s), got {len(answers)}")
    pairs = [(g[k], a[k]) for g, a in zip(golds, answers, strict=True) for k in (1, 2)]
    same = compare.equal_many(pairs)
    if not all(same):
        return Verdict.wrong("an endpoint differs")
    for g, a in zip(golds, answers, strict=True):
        if (g[0], g[3]) != (a[0], a[3]):
            return Verdict.wrong("an endpoint is open where it should be closed, or the reverse")
    return Verdict.ok()


def check_antiderivative(integrand: str, answer: str, *, variable: str = "x",
                         timeout: float = DEFAULT_TIMEOUT_S) -> Verdict:
    """Accept any ``F`` (``+ C`` allowed) whose derivative simplifies to ``integrand``."""
    gold = _gold(integrand, (variable,))

    def judge() -> Verdict:
        if _HEDGE.search(answer):
            return Verdict.invalid("give one antiderivative, not several candidates")
        text = _CONSTANT.sub("", clean(answer))
        text = _strip_assignment(text, ("F(x)", "y", "I", "F"))
        node = _parse(text, (variable,))
        result = shared_worker().call(
            {"op": "derivative_equal", "var": variable, "pairs": [[_as_list(gold), _as_list(node)]]},
            timeout)
        return Verdict.ok() if result[0] else Verdict.wrong("the derivative of the answer is not the integrand")

    return _judged(judge, timeout)


def check_lowest_terms(gold: str, answer: str, *, variable: str = "x",
                       timeout: float = DEFAULT_TIMEOUT_S) -> Verdict:
    """Equal to ``gold`` and, **as written**, one fraction ``P/Q`` of polynomials whose
    numerator and denominator share no factor in ``variable`` (the answer's numerator and
    denominator are built separately, so nothing is cancelled before the check)."""
    g = _gold(gold, (variable,))

    def judge() -> Verdict:
        if _HEDGE.search(answer):
            return Verdict.invalid("give one answer")
        a = _parse(_strip_assignment(clean(answer), ()), (variable,))
        gold_value, answer_value = exact_value(g), exact_value(a)
        if gold_value is not None and answer_value is not None:
            return Verdict.ok() if gold_value == answer_value else Verdict.wrong()
        top, bottom = _written_fraction(a)
        result = shared_worker().call(
            {"op": "lowest_terms", "var": variable, "gold": _as_list(g),
             "numerator": _as_list(top), "denominator": _as_list(bottom)}, timeout)
        if not result["defined"]:
            return Verdict.invalid("the answer has no value (a division by zero)")
        if not result["equal"]:
            return Verdict.wrong()
        if not result["polynomial"]:
            return Verdict.invalid("write one fraction P/Q of polynomials")
        return Verdict.ok() if result["reduced"] else Verdict.invalid("not in lowest terms: a common factor is left")

    return _judged(judge, timeout)


def _written_fraction(node: Node) -> tuple[Node, Node]:
    """``(numerator, denominator)`` of an answer written as one fraction (a leading minus sign
    allowed); a fraction inside either side is not "one fraction" and is ``invalid``."""
    sign = False
    while node[0] == "neg":
        sign, node = not sign, node[1]
    top, bottom = (node[1], node[2]) if node[0] == "div" else (node, ("num", "1"))
    if _has_division(top) or _has_division(bottom):
        raise Unreadable("write one fraction P/Q of polynomials, with no fraction inside P or Q", True)
    return (("neg", top) if sign else top), bottom


def _has_division(node: Node) -> bool:
    if node[0] == "div":
        return True
    return any(isinstance(c, tuple) and _has_division(c) for c in node[1:])


def rational_or_none(text: str) -> Fraction | None:
    """The exact value of a plain numeric text, or None (never starts sympy)."""
    try:
        return exact_value(parse_expression(text, ()))
    except (MathParseError, RecursionError):
        return None
