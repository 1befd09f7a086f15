"""math_answer: judge an answer against a gold written by any dataset (GSM8K, MATH, multiple choice).

The problem is a contract that ``synlog import --as math_answer`` writes and this task judges::

    {"question": "...", "answer": "Natalia sold 48/2 = 24 clips...\\n#### 72", "kind": "number"}
    verify(problem, "72")        # ok
    verify(problem, "72 or 73")  # invalid: a hedge

Fields: ``answer`` (the gold exactly as the dataset wrote it), ``kind`` (``number``,
``expression``, ``set``, ``interval``, ``tuple``, ``choice`` or ``auto``), ``allow_decimals``
(default false), ``choices`` (option texts A, B, ... of a multiple-choice row) and
``second_opinion`` (``"math-verify"``: also record math-verify's verdict). The gold is read with
its dataset's conventions by :mod:`synlog.verifiers.gold_forms`; the answer is judged by the
shared math checker (:mod:`synlog.verifiers.math_answer`) with today's strictness:

- ``number``: one number literal, no units. An integer or a reduced fraction (``1/2`` for a gold
  ``0.5`` is right: the same value, exact); a decimal only where ``allow_decimals`` is set
  (within the checker's tolerance) or the gold itself is a decimal (then compared exactly).
  Thousands separators are the gold's convention only: ``1,234`` in an answer is two numbers
  (``invalid``), as the prompt asks for one number without separators.
- ``expression`` / ``set`` / ``tuple`` / ``interval``: any exact expression of the right value;
  a set in any order with each element once; a tuple in order; intervals with the right ends.
- ``choice``: exactly one capital option letter, optionally ``(B)``, ``B)``, ``B.`` or
  ``\\text{B}``; the option's text, ``A or B``, ``AB``, ``A, B`` are ``invalid``.

Hedges (``3 or 4``, ``±``) are ``invalid`` everywhere. A gold that cannot be read gives
``invalid`` with ``details["problem_error"]`` (:func:`gold_error` says why; the importer
reports such rows), never ``error``. The second opinion never changes synlog's verdict: it is
recorded in ``details["second_opinion"]``.

The generator makes rows that look foreign (:mod:`._math_answer_rows`): GSM8K solutions, MATH
solutions ending in ``\\boxed{}``, sets, tuples, intervals and lettered options, with more
steps, larger numbers and more conventions as the level rises.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from synlog.errors import KnobError, Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.arith import format_rational
from synlog.tasks.common.forms import rational_alternatives, rational_forbidden
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.math._math_answer_rows import MAKERS, WEIGHTS
from synlog.verifiers.gold_forms import KINDS, UnreadableGold, letters, normalise_gold, number_value
from synlog.verifiers.math_answer import DECIMAL_TOLERANCE, GoldError, check
from synlog.verifiers.math_parse import CONSTANTS, FUNCTIONS, clean, enclosed, split_top
from synlog.verifiers.sympy_worker import shared_worker
from synlog.verifiers.verdict import Verdict

SECOND_OPINIONS = ("math-verify",)
CHECKER_KINDS = {"number": "expr", "expression": "expr", "set": "set", "tuple": "tuple", "interval": "intervals"}
_DECIMAL = re.compile(r"[+-]?(?:\d+\.\d*|\.\d+)")
_ANSWER_LETTER = re.compile(r"\(([A-Z])\)|([A-Z])[.)]?")
_ANSWER_TEXT_WRAP = re.compile(r"\\(?:text|textbf|mathrm|mathbf)\s*\{([^{}]*)\}")
_WORDS = re.compile(r"\\[A-Za-z]+|\b(?:" + "|".join(sorted(set(FUNCTIONS) | set(CONSTANTS) | {"U"}, key=len,
                                                            reverse=True)) + r")\b")
_PROMPT_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")  # as the audit reads numbers
_EXAMPLE = re.compile(r"<answer>(.*?)</answer>", re.S)


@dataclass(frozen=True)
class Gold:
    """A problem's gold, read: checker syntax, resolved kind and what the answer may look like."""

    text: str
    kind: str
    choices: tuple[str, ...] = ()
    allow_decimals: bool = False
    decimal_gold: bool = False
    variables: tuple[str, ...] = ()

    @property
    def decimals_ok(self) -> bool:
        return self.allow_decimals or self.decimal_gold


def _variables(text: str) -> tuple[str, ...]:
    """The letters a gold uses as symbols (LaTeX commands, function names and ``e`` aside); a
    word of three letters or more is prose, not math (``xy`` is a product, ``box`` is not)."""
    bare = _WORDS.sub(" ", text)
    word = re.search(r"[A-Za-z]{3,}", bare)
    if word:
        raise UnreadableGold(f"the gold reads as words ({word.group()!r}), not as a math answer")
    return tuple(sorted(set(re.findall(r"[A-Za-z]", bare)) - {"e", "E"}))


def read_problem(problem: Any) -> Gold:
    """The problem's :class:`Gold`; raises :class:`UnreadableGold` saying what is wrong."""
    if not isinstance(problem, dict):
        raise UnreadableGold("the problem is not a JSON object")
    kind, gold, choices = problem.get("kind", "auto"), problem.get("answer"), problem.get("choices")
    if not isinstance(gold, str):
        raise UnreadableGold("'answer' (the gold) is missing or not a string")
    if kind not in KINDS:
        raise UnreadableGold(f"'kind' must be one of {', '.join(KINDS)}, not {str(kind)[:40]!r}")
    if not isinstance(problem.get("allow_decimals", False), bool):
        raise UnreadableGold("'allow_decimals' must be true or false")
    if problem.get("second_opinion") not in (None, *SECOND_OPINIONS):
        raise UnreadableGold(f"'second_opinion' must be one of {', '.join(SECOND_OPINIONS)}")
    if choices is not None:
        if kind not in ("choice", "auto"):
            raise UnreadableGold(f"'choices' belong to kind choice (or auto), not {kind}")
        if not (isinstance(choices, list) and 2 <= len(choices) <= 26 and all(isinstance(c, str) for c in choices)):
            raise UnreadableGold("'choices' must be a list of 2 to 26 option texts")
    text, resolved = normalise_gold(gold, kind, choices)
    if resolved == "choice":
        return Gold(text, resolved, tuple(choices or ()))
    variables = () if resolved == "number" else _variables(text)
    try:
        check(text, "", kind=CHECKER_KINDS[resolved], variables=variables)  # reads the gold only
    except GoldError as exc:
        raise UnreadableGold(str(exc)) from None
    decimal = re.search(r"\d*\.\d", clean(text)) is not None
    return Gold(text, resolved, (), problem.get("allow_decimals", False), decimal, variables)


def gold_error(problem: dict) -> str | None:
    """Why the problem's gold cannot be read (the importer reports the row), or None."""
    try:
        read_problem(problem)
    except UnreadableGold as exc:
        return str(exc)
    return None


def _canonical(gold: Gold) -> str:
    if gold.kind == "number" and not gold.decimal_gold:
        return format_rational(number_value(gold.text))
    if gold.kind == "number":
        return "".join(clean(gold.text).split())
    return gold.text


def canonical_gold(problem: dict) -> str:
    """The row's ``answer`` column: the gold as a model should write it (``1200``, ``7/12``,
    ``B``, ``(-\\infty, 3]``). Raises :class:`UnreadableGold` where :func:`gold_error` is set."""
    return _canonical(read_problem(problem))


# --------------------------------------------------------------------------- judging


def _choice(gold: Gold, answer: str) -> Verdict:
    text = _ANSWER_TEXT_WRAP.sub(r"\1", answer.strip().strip("$").strip()).strip()
    match = _ANSWER_LETTER.fullmatch(text)
    valid = letters(len(gold.choices)) if gold.choices else letters(26)
    if match is None:
        return Verdict.invalid(f"answer with one option letter ({valid[0]} to {valid[-1]}), nothing else")
    letter = match.group(1) or match.group(2)
    if letter not in valid:
        return Verdict.invalid(f"{letter} is not an option ({valid[0]} to {valid[-1]})")
    return Verdict.ok() if letter == gold.text else Verdict.wrong(got=letter)


def _number_form(gold: Gold, answer: str) -> tuple[str, str] | Verdict:
    """``(answer, form)`` for the checker, or the verdict itself (a decimal that is not one
    number; a decimal judged by the tolerance ``allow_decimals`` grants). Thousands separators
    are the gold's convention only: ``1,234`` in an answer is two numbers, a hedge (``invalid``)."""
    if gold.decimals_ok and "." in answer:
        literal = "".join(clean(answer).split())
        if not _DECIMAL.fullmatch(literal):
            return Verdict.invalid("write one number, not an expression to evaluate")
        if gold.allow_decimals:  # the checker's tolerance, here on exact values (its fast path has none)
            value, target = Fraction(literal), number_value(gold.text)
            close = abs(value - target) <= Fraction(DECIMAL_TOLERANCE) * max(1, abs(target))
            return Verdict.ok() if close else Verdict.wrong(got=literal)
        return answer, "any"
    return answer, "rational"


def judge(gold: Gold, answer: str) -> Verdict:
    """synlog's verdict on ``answer`` (extracted text) against a read gold."""
    if gold.kind == "choice":
        return _choice(gold, answer)
    form = "any" if gold.decimals_ok else "exact"
    if gold.kind == "number":
        read = _number_form(gold, answer)
        if isinstance(read, Verdict):
            return read
        answer, form = read
    return check(gold.text, answer, kind=CHECKER_KINDS[gold.kind], variables=gold.variables,
                 allow_decimals=gold.allow_decimals, form=form)


# --------------------------------------------------------------------------- the task


def _blind_values(prompt: str) -> set[Fraction]:
    """Values a policy that ignores the problem would try: 0, ±1, the prompt's numbers."""
    texts = _PROMPT_NUMBER.findall(prompt) + [e.strip() for e in _EXAMPLE.findall(prompt)]
    return {Fraction(0), Fraction(1), Fraction(-1)} | {v for v in map(number_value, texts) if v is not None}


def _set_items(gold: Gold) -> list[str]:
    flat = clean(gold.text)
    return [i.strip() for i in split_top(flat[1:-1] if flat[:1] == "{" and enclosed(flat) else flat, ",")]


def _elements(gold: Gold) -> list[Fraction]:
    if gold.kind == "number":
        return [number_value(gold.text)]
    if gold.kind == "set":
        return [v for v in map(number_value, _set_items(gold)) if v is not None]
    return []


@register
class MathAnswer(Task):
    """Judge an answer against a gold in any dataset's conventions (GSM8K, MATH, choices)."""

    name, family, version = "math_answer", "math", 1
    #: a blind option letter earns 1/options on the choice rows (at most a fifth of a level)
    chance = 0.05
    knobs = Knobs(
        conventions=Knob(str, levels=["gsm8k,boxed", "gsm8k,boxed,choice", "gsm8k,boxed,choice,set",
                                      "gsm8k,boxed,choice,set,tuple"]
                         + ["gsm8k,boxed,choice,set,tuple,interval,radical"] * 6,
                         help="dataset conventions drawn from: gsm8k, boxed, choice, set, tuple, interval, radical"),
        steps=Knob(int, levels=[1, 2, 2, 3, 3, 4, 4, 5, 6, 7], lo=1, hi=12,
                   help="operations in a word problem, terms of a sum, size of a system or polynomial"),
        magnitude=Knob(int, levels=[100, 150, 250, 400, 700, 1000, 2000, 5000, 10000, 50000], lo=10, hi=10**6,
                       help="largest starting number"),
    )

    def check_params(self, params: Params) -> None:
        unknown = set(params.conventions.split(",")) - set(MAKERS)
        if unknown or not params.conventions:
            raise KnobError(f"conventions takes a comma list of {', '.join(MAKERS)}; got {params.conventions!r}")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        names = p.conventions.split(",")
        weights = np.array([WEIGHTS.get(n, 1.0) for n in names])
        maker = MAKERS[names[int(rng.choice(len(names), p=weights / weights.sum()))]]
        data, operations = maker(rng, p.steps, p.magnitude)
        gold = read_problem(data)
        if set(_elements(gold)) & _blind_values(self.prompt(Problem(data, ""))):
            raise Reject("a number of the gold is 0, ±1 or written in the prompt")
        return Problem(data, _canonical(gold), float(operations * (1 + math.log10(p.magnitude))))

    def context(self, problem: Problem, lang: str) -> dict[str, Any]:
        data = problem.data
        try:
            gold = read_problem(data)
            kind, decimals_ok = gold.kind, gold.decimals_ok
        except UnreadableGold:
            kind, decimals_ok = data.get("kind", "expression"), bool(data.get("allow_decimals"))
        choices = list(zip(letters(len(data.get("choices") or [])), data.get("choices") or [], strict=True))
        valid = letters(len(choices)) if choices else ""
        return {"question": data.get("question", ""), "choices": choices, "kind": kind, "decimals_ok": decimals_ok,
                "first_letter": valid[:1] or "A", "last_letter": valid[-1:] or "Z"}

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            gold = read_problem(problem)
        except UnreadableGold as exc:
            return Verdict.invalid(f"problem: {exc}", problem_error=str(exc))
        verdict = judge(gold, answer)
        if problem.get("second_opinion") == "math-verify":
            from synlog.tasks.math._math_verify import second_opinion

            verdict.details["second_opinion"] = second_opinion(
                gold.text, answer, letters(len(gold.choices) or 26) if gold.kind == "choice" else "")
        return verdict

    def verify_seconds(self, problem: dict) -> float | None:
        """A second opinion may start math-verify's child and wait for it as long as sympy."""
        return 30.0 if isinstance(problem, dict) and problem.get("second_opinion") else None

    def warm_up(self) -> None:
        shared_worker().start()

    def hardness(self, problem: dict) -> float:
        """Numbers and digits the question makes a solver read and combine."""
        question = problem.get("question", "")
        return float(len(re.findall(r"\d", question)) + 2 * len(re.findall(r"\d+", question)))

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """The last option letter, and the largest number of the question."""
        out = {}
        if problem.get("choices"):
            out["the last option letter"] = letters(len(problem["choices"]))[-1]
        numbers = [int(n) for n in re.findall(r"\d+", problem.get("question", ""))]
        if numbers:
            out["the largest number in the question"] = str(max(numbers))
        return out

    # ----------------------------------------------------------------------- contract forms

    def alternative_forms(self, problem: Problem) -> list[str]:
        gold = read_problem(problem.data)
        if gold.kind == "choice":
            return [f"({gold.text})", f"{gold.text})", f"\\text{{{gold.text}}}", f"{gold.text}."]
        if gold.kind == "number":
            value = number_value(gold.text)
            if gold.decimal_gold:
                return [format_rational(value), f"${problem.answer}$"]
            out = rational_alternatives(value)
            return out + ([f"{value.numerator:,}"] if value.denominator == 1 and abs(value) >= 1000 else [])
        flat = clean(gold.text).replace("\\infty", "oo")
        if gold.kind == "set":
            items = _set_items(gold)
            return [", ".join(reversed(items)), "\\{" + ",".join(items) + "\\}"]
        if gold.kind == "tuple":
            return [flat, f"\\left{gold.text}\\right"]
        if gold.kind == "interval":
            return [flat, flat.replace("oo", "\\infty")]
        return [re.sub(r"(\d*)\\sqrt\{(\d+)\}", lambda m: f"{m[1] or 1}*sqrt({m[2]})", gold.text)]

    def forbidden_forms(self, problem: Problem) -> list[str]:
        gold = read_problem(problem.data)
        answer = problem.answer
        if gold.kind == "choice":
            other = "A" if gold.text != "A" else "B"
            option = gold.choices[ord(gold.text) - ord("A")] if gold.choices else "x"
            return [f"{gold.text} or {other}", f"{gold.text}{other}", f"{other}, {gold.text}", option,
                    gold.text.lower()]
        hedges = [f"{answer} or {answer}0", f"\\pm {answer}"]
        if gold.kind == "number" and not gold.decimals_ok:
            return hedges + rational_forbidden(number_value(gold.text)) + [f"{answer}\\text{{ units}}"]
        if gold.kind == "number":
            return hedges + [f"{answer} + 0"]
        if gold.kind == "set":
            items = _set_items(gold)
            return hedges + [", ".join(items + items[:1])]
        if gold.kind == "expression" and not gold.decimals_ok and "sqrt" in gold.text:
            m = re.fullmatch(r"(\d*)\\sqrt\{(\d+)\}", gold.text)
            if m:
                return hedges + [f"{int(m[1] or 1) * math.sqrt(int(m[2])):.6f}"]
        return hedges

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = read_problem(problem.data)
        if gold.kind == "choice":
            valid = letters(len(gold.choices) or 4)
            return [c for c in valid if c != gold.text][:2]
        if gold.kind == "number":
            value = number_value(gold.text)
            return [format_rational(v) for v in (value + 1, value - 1, 2 * value)]
        flat = clean(gold.text)
        if gold.kind == "set":
            items = _set_items(gold)
            return [", ".join(items[1:]), ", ".join(items + ["1000003"])]
        if gold.kind == "tuple":
            items = [i.strip() for i in split_top(flat[1:-1] if enclosed(flat) else flat, ",")]
            swapped = ["(" + ", ".join(items[::-1]) + ")"] if items[::-1] != items else []
            return swapped + ["(" + ", ".join(items + ["7"]) + ")"]
        if gold.kind == "interval":
            pieces = flat.replace("\\infty", "oo")
            flipped = pieces.translate(str.maketrans("[]()", "()[]"))
            return [p for p in (flipped, "(-oo, oo)") if p != pieces]
        return [f"2*({gold.text})", f"({gold.text}) + 1"]
