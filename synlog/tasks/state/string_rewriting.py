"""String rewriting: apply rewrite rules in a fixed priority order until none applies.

The prompt lists rules ``left -> right`` in priority order and a start string. One *step*:
take the first rule in the list whose left side occurs in the current string, and replace the
leftmost occurrence of that left side by the rule's right side. Steps repeat until no left
side occurs anywhere (a fixpoint); that final string is the answer. A tiny example::

    1. ab -> b
    2. ca -> ac
    start: cab   → cb (rule 1)   → fixpoint "cb"

The gold is computed by scanning: for each rule in order, compare the left side against every
position from the left (no ``str.find``, no regex); the first hit is rewritten. Generation
draws rules and a start string at random and keeps an instance only when the fixpoint is
reached within :data:`MAX_STEPS` steps (the prompt promises the cap; it is never hit), the
string never grows past :data:`MAX_LENGTH` letters, at least ``min_steps`` steps are taken, the
final string has at least three letters and two different ones, and it differs from the start string and from the
results of three wrong readings of the rules: the leftmost match of *any* rule first (rule
order ignored), one pass of replace-all per rule, and a single step. So the priority order
and the repetition both matter. The answer is unique.

Answer: the final string, letters only, lower case, no spaces or quotes. Markdown wrappers
(bold, a code span, a fence, one final full stop) are stripped; anything else is unparseable.
"""

from __future__ import annotations

import re
import string

import numpy as np

from synlog.errors import KnobError, Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import scalar_forms, unwrap
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: the fixpoint is always reached within this many steps (the prompt states it)
MAX_STEPS = 100
#: the string never grows longer than this while rewriting
MAX_LENGTH = 40
#: the longest answer text read at all
MAX_ANSWER = 400
_LETTERS = re.compile(rf"[a-z]{{1,{MAX_ANSWER}}}")


def first_match(text: str, pattern: str) -> int:
    """The leftmost position where ``pattern`` occurs in ``text``, by plain scanning; -1 if none."""
    n, m = len(text), len(pattern)
    for i in range(n - m + 1):
        k = 0
        while k < m and text[i + k] == pattern[k]:
            k += 1
        if k == m:
            return i
    return -1


def step(text: str, rules: list[list[str]]) -> tuple[str, int, int] | None:
    """One rewrite step: (new text, rule index, position), or None at a fixpoint."""
    for index, (left, right) in enumerate(rules):
        at = first_match(text, left)
        if at >= 0:
            return text[:at] + right + text[at + len(left):], index, at
    return None


def rewrite(text: str, rules: list[list[str]], max_steps: int = MAX_STEPS,
            max_length: int = MAX_LENGTH) -> list[tuple[str, int, int]] | None:
    """The trace (string after each step, rule, position) to the fixpoint; None when the cap on
    steps or length is hit first."""
    trace: list[tuple[str, int, int]] = []
    current = text
    for _ in range(max_steps + 1):
        nxt = step(current, rules)
        if nxt is None:
            return trace
        if len(trace) == max_steps or len(nxt[0]) > max_length:
            return None
        trace.append(nxt)
        current = nxt[0]
    return None


def leftmost_any(text: str, rules: list[list[str]]) -> str | None:
    """The wrong reading that ignores rule order: rewrite the occurrence that starts leftmost."""
    current = text
    for _ in range(MAX_STEPS):
        best = None
        for left, right in rules:
            at = first_match(current, left)
            if at >= 0 and (best is None or at < best[0]):
                best = (at, left, right)
        if best is None:
            return current
        at, left, right = best
        current = current[:at] + right + current[at + len(left):]
        if len(current) > MAX_LENGTH:
            return None
    return None


def one_pass(text: str, rules: list[list[str]]) -> str:
    """The wrong reading that replaces every occurrence of each rule once, in order, and stops."""
    for left, right in rules:
        text = text.replace(left, right)
    return text


def scans(text: str, rules: list[list[str]]) -> int:
    """Letter comparisons a naive solver makes: every rule tried at every position, per step."""
    total = 0
    current = text
    for _ in range(MAX_STEPS + 1):
        found = False
        for left, right in rules:
            at = first_match(current, left)
            total += (at if at >= 0 else len(current)) + 1
            if at >= 0:
                current = current[:at] + right + current[at + len(left):]
                found = True
                break
        if not found:
            break
    return total


@register
class StringRewriting(Task):
    """Apply string rewrite rules in a fixed priority order until none applies; give the final string."""

    name, family, version = "string_rewriting", "state", 1
    knobs = Knobs(
        alphabet=Knob(int, levels=[3, 3, 3, 3, 3, 4, 4, 4, 5, 5], lo=2, hi=8, help="letters used"),
        rules=Knob(int, levels=[2, 3, 3, 4, 4, 5, 5, 6, 6, 7], lo=1, hi=12, help="rewrite rules"),
        length=Knob(int, levels=[(4, 5), (5, 6), (6, 7), (7, 8), (8, 9), (9, 10), (10, 11), (11, 12),
                                 (12, 13), (13, 15)], lo=2, hi=30, help="letters in the start string"),
        left=Knob(int, levels=[2, 2, 2, 2, 3, 3, 3, 3, 3, 3], lo=1, hi=4, help="longest left side"),
        min_steps=Knob(int, levels=[2, 3, 4, 5, 6, 7, 8, 10, 11, 12], lo=1, hi=60,
                       help="fewest rewrite steps to the fixpoint"),
    )

    def check_params(self, params: Params) -> None:
        if params.min_steps > MAX_STEPS:
            raise KnobError(f"min_steps must be at most {MAX_STEPS}")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        letters = string.ascii_lowercase[: p.alphabet]

        def word(lo: int, hi: int) -> str:
            return "".join(letters[int(i)] for i in rng.integers(0, len(letters), int(rng.integers(lo, hi + 1))))

        for _ in range(40):
            rules: list[list[str]] = []
            while len(rules) < p.rules:
                left = word(1 if p.left < 2 or rng.random() < 0.25 else 2, p.left)
                right = word(0 if rng.random() < 0.15 else 1, min(len(left) + 1, 3))
                if left == right or right and left in right or any(left == r[0] for r in rules):
                    continue
                rules.append([left, right])
            start = word(p.length, p.length)
            trace = rewrite(start, rules)
            if trace is None or len(trace) < p.min_steps:
                continue
            final = trace[-1][0]
            if len(final) < 3 or len(set(final)) < 2 or final == start:
                continue
            used = {rule for _, rule, _ in trace}
            if len(used) < min(len(rules), 2):
                continue
            if final in (leftmost_any(start, rules), one_pass(start, rules), trace[0][0]):
                continue
            break
        else:
            raise Reject("no terminating rule set with enough steps")
        data = {"letters": letters, "rules": rules, "start": start, "max_steps": MAX_STEPS,
                "final": final, "steps": len(trace)}
        effort = len(trace) * (1 + len(rules) / 2)
        return Problem(data, final, float(effort))

    def context(self, problem: Problem, lang: str) -> dict:
        d = problem.data
        shown = [f"{left} -> {right if right else '(empty)'}" for left, right in d["rules"]]
        if lang == "zh":
            shown = [f"{left} -> {right if right else '（空）'}" for left, right in d["rules"]]
        return {**d, "rule_lines": shown}

    def verify(self, problem: dict, answer: str) -> Verdict:
        if not isinstance(answer, str) or len(answer) > MAX_ANSWER + 50:
            return Verdict.unparseable(f"expected one string of at most {MAX_ANSWER} letters")
        text = unwrap(answer.strip())
        if not _LETTERS.fullmatch(text):
            return Verdict.unparseable("expected the final string: lower-case letters only, no spaces or quotes")
        trace = rewrite(problem["start"], problem["rules"])
        gold = trace[-1][0] if trace else problem["final"]
        if text != gold:
            return Verdict.wrong(f"{text[:60]} is not the string where the rewriting stops")
        if step(text, problem["rules"]) is not None:  # a gold is a fixpoint by construction
            return Verdict.wrong("a rule still applies to that string")
        return Verdict.ok()

    def hardness(self, problem: dict) -> float:
        return float(scans(problem["start"], problem["rules"]))

    def instance_space(self, spec: dict) -> float | None:
        def top(v):
            return v[1] if isinstance(v, tuple) else v

        a, r, n = top(spec["alphabet"]), top(spec["rules"]), top(spec["length"])
        return float(a ** n * (a ** 2 * a ** 3) ** r) / 1000.0  # most draws are refused

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        start, rules = problem["start"], problem["rules"]
        out = {"the start string": start, "one pass of replace-all per rule": one_pass(start, rules),
               "the start string, sorted": "".join(sorted(start))}
        first = step(start, rules)
        if first is not None:
            out["after one step"] = first[0]
        other = leftmost_any(start, rules)
        if other:
            out["rule order ignored (leftmost match first)"] = other
        return out

    def alternative_forms(self, problem: Problem) -> list[str]:
        return scalar_forms(problem.answer)

    def forbidden_forms(self, problem: Problem) -> list[str]:
        gold = problem.answer
        return [" ".join(gold), gold.upper(), f'"{gold}"', ", ".join(gold), f"final string: {gold}"]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = problem.answer
        letters = problem.data["letters"]
        i = int(rng.integers(len(gold)))
        swap = letters[(letters.index(gold[i]) + 1) % len(letters)]
        out = [gold[:i] + swap + gold[i + 1:], gold[:-1], gold + gold[-1], problem.data["start"],
               f"{gold} or {problem.data['start']}"]
        if gold[::-1] != gold:
            out.append(gold[::-1])
        return [w for w in out if w != gold]
