"""Game of 24: combine the given numbers with + − × ÷ and parentheses to reach the target.

Each given number is used exactly once (as a multiset: a number given twice is used twice).
For example, with 3, 3, 8, 8 and target 24::

    8 / (3 - 8 / 3)        = 8 / (1/3) = 24

Only solvable instances are emitted. An exact-rational exhaustive solver decides it: for every
sub-multiset of at most ``count - 2`` numbers it tabulates every reachable value (with the
number of expression trees reaching it; + and × are counted once per pair of sub-results), and
larger sub-multisets are searched *towards* a needed value (for a split into A and B, each value
a of A says which b of B would finish the job: x − a, a − x, x + a, x / a, a / x, x · a), so
nothing is rounded and no float is used. ``effort`` is the solver's node count (pairs combined
plus values looked up); higher levels use more and larger numbers, a wider range of targets
(the target is drawn per instance, 24 being one of them), and keep only instances with few
solution trees (``max_solutions``). :meth:`GameOf24.hardness` is independent of the node count:
the bits a blind guess needs, log2(expression trees / solution trees).

Instances that a policy could solve without searching are never emitted: the numbers joined by
one operator in the order shown (all ``+``, all ``*``, all ``-``, all ``/``) never reach the
target. Echoing the numbers (``3 3 8 8``, ``3, 3, 8, 8``) is no expression and never scores.

Answer format: one expression with + - * / (× ÷ − \\times \\div accepted) and parentheses
(square brackets and braces count as parentheses), optionally followed by ``= <target>``.
Any expression that uses the given numbers exactly once each and equals the target exactly
scores 1. Rules (each breach is ``invalid``, with the reason in ``details``): no other numbers,
no concatenating digits (``12`` from 1 and 2 is the number 12), no decimals, no powers, and no
unary minus or plus (``-3`` is not the given 3). Unary minus is never needed for a positive
target: a negative sub-result can always be folded into the operator above it (−a + b = b − a,
(−a)·b = −(a·b) ...), so forbidding it loses no solution. Leading zeros (``08``) do not parse.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from fractions import Fraction
from functools import cache
from math import gcd

import numpy as np

from synlog.errors import KnobError, Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.arith import ArithmeticParseError, normalise, parse_expression
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: candidate multisets drawn inside one ``generate`` call before handing a Reject to the engine
CANDIDATES_PER_CALL = 48
MAX_ANSWER_CHARS = 1_000

_BRACKETS = str.maketrans("[]{}", "()()")
_ALLOWED = frozenset("0123456789+-*/() \t\n")
_UNARY = re.compile(r"(?:^|[-+*/(])\s*[-+]")
_LAST_OPERAND = re.compile(r"\s*[-+*/]\s*\d+(?=\)*\s*$)")
_OPERATOR = re.compile(r"(?<=\s)[-+*/](?=\s)")


def _rational(p: int, q: int) -> int | tuple[int, int]:
    """A value as a dict key: an int when whole, else the reduced pair (p, q) with q > 1.

    Keys this way hash far faster than Fraction does, which is most of the solver's time.
    """
    if q < 0:
        p, q = -p, -q
    g = gcd(p, q)
    if g != 1:
        p, q = p // g, q // g
    return p if q == 1 else (p, q)


def _combine(a, b) -> list:
    """a + b, a · b, a − b, b − a, then a / b and b / a where defined (this order is used below)."""
    if type(a) is int and type(b) is int:
        out = [a + b, a * b, a - b, b - a]
        if b:
            out.append(a // b if a % b == 0 else _rational(a, b))
        if a:
            out.append(b // a if b % a == 0 else _rational(b, a))
        return out
    p, q = (a, 1) if type(a) is int else a
    r, s = (b, 1) if type(b) is int else b
    out = [_rational(p * s + r * q, q * s), _rational(p * r, q * s),
           _rational(p * s - r * q, q * s), _rational(r * q - p * s, q * s)]
    if r:
        out.append(_rational(p * s, q * r))
    if p:
        out.append(_rational(r * q, p * s))
    return out


def _splits(values: tuple) -> list[tuple[tuple, tuple]]:
    """Distinct ways to split a sorted multiset into two non-empty parts, smaller part first."""
    n, full, seen, out = len(values), (1 << len(values)) - 1, set(), []
    for mask in range(1, full):
        size = mask.bit_count()
        if 2 * size > n or (2 * size == n and mask > full ^ mask):
            continue
        part = tuple(v for i, v in enumerate(values) if mask >> i & 1)
        rest = tuple(v for i, v in enumerate(values) if not mask >> i & 1)
        if (part, rest) not in seen:
            seen.update({(part, rest), (rest, part)})
            out.append((part, rest))
    return out


def _wanted(a, x) -> list[tuple[str, bool, object]]:
    """(operator, a on the left?, b) for every b with a ∘ b = x or b ∘ a = x; b may be "any"."""
    s = _combine(x, a)  # x + a, x·a, x − a, a − x, x / a, a / x
    out = [("+", True, s[2]), ("-", True, s[3]), ("-", False, s[0])]
    if a:
        out += [("*", True, s[4]), ("/", False, s[1])]
        if x:
            out.append(("/", True, s[5]))
    elif x == 0:  # 0 · b = 0 and 0 / b = 0 for every (nonzero) b
        out += [("*", True, "any"), ("/", True, "nonzero")]
    return out


class _Solver:
    """Exact search over one multiset; tables are memoised per sorted sub-multiset."""

    def __init__(self, count: int):
        self.table_limit = max(2, count - 2)
        self.tables: dict[tuple, dict] = {}
        self.nodes = 0

    def table(self, values: tuple) -> dict:
        """Every value reachable from ``values`` -> the number of trees reaching it."""
        found = self.tables.get(values)
        if found is None:
            found = {values[0]: 1} if len(values) == 1 else {}
            get = found.get
            for part, rest in _splits(values) if len(values) > 1 else ():
                left, right = self.table(part), self.table(rest)
                self.nodes += len(left) * len(right)
                for a, ways_a in left.items():
                    for b, ways_b in right.items():
                        for value in _combine(a, b):
                            found[value] = get(value, 0) + ways_a * ways_b
            self.tables[values] = found
        return found

    def ways(self, values: tuple, x, cap: int = 0) -> int:
        """Trees over ``values`` worth ``x`` ("any"/"nonzero": any value); stops above cap > 0."""
        if isinstance(x, str):
            return sum(w for v, w in self.table(values).items() if v or x == "any")
        if len(values) <= self.table_limit:
            return self.table(values).get(x, 0)
        total = 0
        for part, rest in _splits(values):
            left = self.table(part)
            self.nodes += len(left)
            for a, ways_a in left.items():
                for _, _, b in _wanted(a, x):
                    total += ways_a * self.ways(rest, b)
            if cap and total > cap:
                break
        return total

    def build(self, values: tuple, x) -> object:
        """One expression tree over ``values`` worth ``x``: a number or (op, left, right)."""
        if len(values) == 1:
            return values[0]
        for part, rest in _splits(values):
            for a in self.table(part):
                for op, a_left, b in _wanted(a, x):
                    if self.ways(rest, b) > 0:
                        if isinstance(b, str):
                            b = next(v for v in self.table(rest) if v or b == "any")
                        left, right = self.build(part, a), self.build(rest, b)
                        return (op, left, right) if a_left else (op, right, left)
        raise RuntimeError(f"no tree over {values} is worth {x}; the solver tables disagree")


def solve(numbers: list[int], target: int, cap: int = 0) -> tuple[int, int, _Solver]:
    """(solution trees, search nodes, solver) for ``numbers``; trees stop counting above cap."""
    solver = _Solver(len(numbers))
    return solver.ways(tuple(sorted(numbers)), target, cap), solver.nodes, solver


def expression_trees(count: int) -> int:
    """Expression trees over ``count`` distinct numbers as the solver counts them (a split into
    two parts is unordered; each combines in 6 ways: +, ×, both − and both ÷)."""
    trees = [0, 1]
    for n in range(2, count + 1):
        trees.append(sum(math.comb(n, a) * 6 * trees[a] * trees[n - a] for a in range(1, n)) // 2)
    return trees[count]


#: the operators whose plain join of the shown numbers a policy could try without searching
JOIN_OPERATORS = "+*-/"


def joined_value(numbers: list[int], op: str) -> Fraction | None:
    """``n1 op n2 op ...`` evaluated left to right (None on a division by zero)."""
    value = Fraction(numbers[0])
    for v in numbers[1:]:
        if op == "/" and v == 0:
            return None
        value = value + v if op == "+" else value * v if op == "*" else value - v if op == "-" else value / v
    return value


def trivially_joined(numbers: list[int], target: int) -> bool:
    """Whether the numbers joined by a single operator, in the order shown, reach the target."""
    return any(joined_value(numbers, op) == target for op in JOIN_OPERATORS)


def _uniform_multiset(rng: np.random.Generator, count: int, max_number: int) -> list[int]:
    """A multiset of ``count`` numbers from 1..max_number, uniform over multisets (stars and bars)."""
    bars = sorted(int(v) for v in rng.choice(max_number + count - 1, count, replace=False))
    return [b - i + 1 for i, b in enumerate(bars)]


def _spans(spec_value) -> tuple[int, int]:
    return spec_value if isinstance(spec_value, tuple) else (spec_value, spec_value)


@cache
def _estimated_space(count: tuple[int, int], max_number: tuple[int, int], target: tuple[int, int],
                     max_solutions: int) -> float:
    """Distinct accepted (multiset, target) pairs: the total, times the accepted share of a
    fixed uniform sample (exact enough; the audit only needs the size's order)."""
    # numbers drawn from 1..m for a smaller m are among those from 1..max: the top end counts
    total = float(sum(math.comb(max_number[1] + c - 1, c) for c in range(count[0], count[1] + 1)))
    total *= target[1] - target[0] + 1
    draws = 200 if count[1] <= 4 else 60 if count[1] == 5 else 24
    rng = np.random.default_rng(24)
    accepted = 0
    for _ in range(draws):
        c = int(rng.integers(count[0], count[1] + 1))
        numbers = _uniform_multiset(rng, c, int(rng.integers(max_number[0], max_number[1] + 1)))
        goal = int(rng.integers(target[0], target[1] + 1))
        if trivially_joined(numbers, goal):
            continue
        ways = solve(numbers, goal, max_solutions)[0]
        accepted += bool(ways) and (not max_solutions or ways <= max_solutions)
    return total * max(accepted, 1) / draws


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


def render_tree(tree) -> str:
    """Text with only the parentheses precedence needs: ``(8 - 2) * (3 + 1)``."""
    if not isinstance(tree, tuple):
        return str(tree)
    op, left, right = tree
    texts = []
    for side, child in (("l", left), ("r", right)):
        text = render_tree(child)
        if isinstance(child, tuple):
            inner = _PRECEDENCE[child[0]]
            if inner < _PRECEDENCE[op] or (side == "r" and inner == _PRECEDENCE[op] and op in "-/"):
                text = f"({text})"
        texts.append(text)
    return f"{texts[0]} {op} {texts[1]}"


@register
class GameOf24(Task):
    """Game of 24: reach the target with + − × ÷ using each given number exactly once."""

    name, family, version = "game_of_24", "math", 2
    unique_answer = False
    # Every level draws its target from a range: with the target fixed at 24, four numbers up
    # to 13 allow only ~1,400 solvable multisets, so seeds and levels repeated each other. The
    # solver's nodes saturate near 90 with four numbers, so the ladder moves to five by level 5.
    knobs = Knobs(
        count=Knob(int, levels=[4, 4, (4, 5), (4, 5), 5, 5, 5, 5, 5, 6], lo=2, hi=6,
                   help="how many numbers are given (a range: drawn per instance)"),
        max_number=Knob(int, levels=[9, 10, 12, 13, 12, 20, 40, 50, 70, 99], lo=1, hi=999,
                        help="numbers are drawn from 1..max_number, repeats allowed"),
        max_solutions=Knob(int, levels=[0, 0, 40, 25, 60, 40, 25, 12, 6, 300], lo=0,
                           help="keep instances with at most this many solution trees (0: any)"),
        target=Knob(int, levels=[(10, 30), (10, 40), (12, 48), (12, 60), (20, 80), (24, 100),
                                 (24, 100), (24, 120), (24, 150), (24, 200)],
                    lo=1, hi=100_000, help="the value to reach (a range: drawn per instance)"),
    )

    def check_params(self, params: Params) -> None:
        # each operation at most doubles the bound on numerators and denominators, so n numbers
        # up to M never reach more than 2 ** (n - 1) * M ** n
        if params.target > 2 ** (params.count - 1) * params.max_number ** params.count:
            raise KnobError(
                f"target={params.target} is out of reach of {params.count} numbers up to"
                f" {params.max_number}; raise count or max_number, or lower target"
            )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        for _ in range(CANDIDATES_PER_CALL):
            numbers = sorted(int(v) for v in rng.integers(1, p.max_number + 1, p.count))
            if trivially_joined(numbers, p.target):
                continue
            solutions, nodes, solver = solve(numbers, p.target, p.max_solutions)
            if solutions and (not p.max_solutions or solutions <= p.max_solutions):
                gold = render_tree(solver.build(tuple(numbers), p.target))
                return Problem({"numbers": numbers, "target": int(p.target)}, gold, float(nodes))
        raise Reject("no candidate had a solution within max_solutions")

    def hardness(self, problem: dict) -> float:
        """Bits a blind guess needs: log2(expression trees / solution trees)."""
        numbers, target = problem["numbers"], problem["target"]
        ways = max(solve(numbers, target)[0], 1)
        return math.log2(expression_trees(len(numbers)) / ways)

    def instance_space(self, spec: dict) -> float | None:
        """Accepted (multiset, target) pairs at the spec's ranges, from a fixed uniform sample."""
        return _estimated_space(_spans(spec["count"]), _spans(spec["max_number"]),
                                _spans(spec["target"]), int(max(_spans(spec["max_solutions"]))))

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """The numbers echoed, and joined in the order shown by one operator each."""
        shown = [str(v) for v in problem["numbers"]]
        out = {"numbers echoed": " ".join(shown), "numbers echoed with commas": ", ".join(shown)}
        for op in JOIN_OPERATORS:
            out[f"numbers joined by {op!r}"] = f" {op} ".join(shown)
        return out

    def verify(self, problem: dict, answer: str) -> Verdict:
        if len(answer) > MAX_ANSWER_CHARS:
            return Verdict.unparseable(f"answer longer than {MAX_ANSWER_CHARS} characters")
        target = problem["target"]
        text = normalise(answer).translate(_BRACKETS)
        if "=" in text:
            text, _, claimed = text.rpartition("=")
            if "=" in text or claimed.strip() != str(target):
                return Verdict.invalid(f"only a trailing '= {target}' may follow the expression")
        if not _ALLOWED.issuperset(text):
            if "." in text:
                return Verdict.invalid("decimals are not allowed; use the given whole numbers")
            bad = next(c for c in text if c not in _ALLOWED)
            return Verdict.unparseable(f"unexpected character {bad!r}; use digits, + - * / and ()")
        if "**" in text:
            return Verdict.invalid("powers are not allowed")
        if _UNARY.search(text):
            return Verdict.invalid("unary minus or plus is not allowed; use binary operators only")
        try:
            expression = parse_expression(text, allow_decimals=False)
        except ArithmeticParseError as exc:
            if exc.kind == "division_by_zero":
                return Verdict.invalid("division by zero")
            return Verdict.unparseable(str(exc))
        used = Counter(int(v) for v in expression.numbers)
        given = Counter(problem["numbers"])
        if used != given:
            missing, extra = sorted((given - used).elements()), sorted((used - given).elements())
            return Verdict.invalid("each given number must be used exactly once",
                                   missing=missing, extra=extra)
        if expression.value != target:
            return Verdict.wrong(f"the expression equals {expression.value}, not {target}",
                                 value=str(expression.value))
        return Verdict.ok()

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold, target = problem.answer, problem.data["target"]
        out = []
        positions = [m.start() for m in _OPERATOR.finditer(gold)]
        for at in rng.permutation(len(positions)).tolist():
            i = positions[at]
            for op in "+-*/":
                swapped = gold[:i] + op + gold[i + 1:]
                try:
                    if parse_expression(swapped).value != target:
                        out.append(swapped)
                        break
                except ArithmeticParseError:
                    continue
            if out:
                break
        literals = list(re.finditer(r"\d+", gold))
        pick = literals[int(rng.integers(len(literals)))]
        out.append(gold[:pick.start()] + str(int(pick.group()) + 1) + gold[pick.end():])
        out.append(_LAST_OPERAND.sub("", gold, count=1))
        out.append(f"{gold} + {literals[0].group()} - {literals[0].group()}")
        return out

