"""Web of lies: truth-tellers and liars talk about each other; who tells the truth?

Each person either always tells the truth or always lies. One fact fixes one person; every
other person makes a statement about others. A tiny example::

    Ann tells the truth. Bob says Ann lies. Cy says Bob lies.
    Does Cy tell the truth?        → yes   (Bob lies, so Cy's statement is true)

Rules: a truth-teller's statement is true, a liar's is false. Statement kinds: "X tells the
truth", "X lies", "X and Y both tell the truth", "exactly one of X and Y tells the truth",
"at least one of X and Y lies". Statements are built along a hidden chain (each speaker talks
about people earlier in it) and shown shuffled at higher levels; every instance is checked
by enumerating all 2^n truth assignments: exactly one is consistent.

The question is asked about a *group* of people (five at level 1, more above) whose truth
values are independent fair coins, so a blind guess of the whole group is right with chance
2^-5 at most (:attr:`WebOfLies.chance`); a single yes/no question would pay a constant 50 %.

Answer: yes/no per asked person, in the asked order, separated by commas (``yes, no``); or
every item named, ``Chris: no, Xavier: yes``, in any order; with the shared markdown
decorations (bullets, numbered lines, bold; see :mod:`synlog.tasks.common.answers`).
"""

from __future__ import annotations

import re

import numpy as np

from synlog.errors import KnobError, Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, decorated_forms, parse_truth_list
from synlog.tasks.common.names import pick_names
from synlog.tasks.common.wording import reword
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: statement kind → (text with {0} {1} for the people spoken about, truth of the content)
KINDS = {
    "truth": ("{0} tells the truth", lambda a: a[0]),
    "lie": ("{0} lies", lambda a: ~a[0]),
    "both": ("{0} and {1} both tell the truth", lambda a: a[0] & a[1]),
    "exactly_one": ("exactly one of {0} and {1} tells the truth", lambda a: a[0] ^ a[1]),
    "some_lie": ("at least one of {0} and {1} lies", lambda a: ~(a[0] & a[1])),
}


#: the Chinese of a statement's content, by the English pattern it was written from
_CONTENT_ZH = [
    (re.compile(r"exactly one of (\S+) and (\S+) tells the truth"), "{0} 和 {1} 中恰好有一人说真话"),
    (re.compile(r"at least one of (\S+) and (\S+) lies"), "{0} 和 {1} 中至少有一人说谎"),
    (re.compile(r"(\S+) and (\S+) both tell the truth"), "{0} 和 {1} 都说真话"),
    (re.compile(r"(\S+) tells the truth"), "{0} 说真话"),
    (re.compile(r"(\S+) lies"), "{0} 说谎"),
]


def _content_zh(text: str) -> str:
    chinese = reword(text, _CONTENT_ZH)
    if chinese is None:
        raise ValueError(f"no Chinese for statement {text!r}")
    return chinese


def line_zh(line: str) -> str:
    """The Chinese of one English line of the web (the opening fact or a statement)."""
    body = line.removesuffix(".")
    speaker, says, content = body.partition(" says ")
    if says:
        return f"{speaker} 说：“{_content_zh(content)}。”"
    return _content_zh(body) + "。"


def consistent(n: int, fact: tuple[int, bool], statements: list[dict]) -> np.ndarray:
    """Every truth assignment (rows of a 2^n × n table) that satisfies the fact and statements."""
    table = ((np.arange(2 ** n)[:, None] >> np.arange(n)) & 1).astype(bool)
    ok = table[:, fact[0]] == fact[1]
    for s in statements:
        content = KINDS[s["kind"]][1]([table[:, j] for j in s["about"]])
        ok &= table[:, s["speaker"]] == content
    return table[ok]


def statements_needed(statements: list[dict], asked: list[int]) -> int:
    """How many statements must be resolved to settle every asked person: each asked person's
    statement, the statements of the people it speaks about, and so on back to the fact (a
    two-person statement counts twice)."""
    by_speaker = {s["speaker"]: s for s in statements}
    seen: set[int] = set()
    stack = list(asked)
    while stack:
        who = stack.pop()
        if who in seen or who not in by_speaker:
            continue
        seen.add(who)
        stack += by_speaker[who]["about"]
    return sum(len(by_speaker[who]["about"]) for who in seen)


@register
class WebOfLies(Task):
    """Decide who tells the truth in a web of liars and truth-tellers talking about each other."""

    name, family, version = "web_of_lies", "deduction", 2
    #: a blind guess of the five answers asked at levels 1-2 (more people are asked above)
    chance = 2.0 ** -5
    knobs = Knobs(
        people=Knob(int, levels=[6, 6, 7, 8, 9, 10, 11, 12, 13, 14], lo=2, hi=16, help="people in the web"),
        asked=Knob(int, levels=[5, 5, 6, 6, 7, 7, 8, 8, 9, 10], lo=1, hi=15,
                   help="people asked about, in one grouped answer"),
        pair_share=Knob(float, levels=[0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.5, 0.6, 0.6, 0.7], lo=0, hi=1,
                        help="share of statements about two people"),
        shuffle=Knob(bool, levels=[False, False, False, True, True, True, True, True, True, True],
                     help="show statements out of chain order"),
    )

    def check_params(self, params: Params) -> None:
        if params.asked >= params.people:
            raise KnobError(f"asked={params.asked} needs more people than that (people={params.people}):"
                            " the person of the opening fact is never asked")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n = p.people
        names = pick_names(rng, n)
        truth = [bool(x) for x in rng.random(n) < 0.5]
        fact = (0, truth[0])
        statements = []
        for speaker in range(1, n):
            pair = speaker >= 2 and rng.random() < p.pair_share
            about = sorted(int(x) for x in rng.choice(speaker, 2 if pair else 1, replace=False))
            if not pair:
                about = [speaker - 1] if rng.random() < 0.7 else about
            fits = [kind for kind, (text, rule) in KINDS.items()
                    if text.count("{") == len(about)
                    and bool(rule(np.array([[truth[j]] for j in about]))[0]) == truth[speaker]]
            statements.append({"speaker": speaker, "kind": str(rng.choice(fits)), "about": about})
        models = consistent(n, (fact[0], fact[1]), statements)
        if len(models) != 1:
            raise Reject(f"{len(models)} consistent assignments")
        order = rng.permutation(len(statements)).tolist() if p.shuffle else list(range(len(statements)))
        lines = [f"{names[0]} {'tells the truth' if fact[1] else 'lies'}."]
        for i in order:
            s = statements[i]
            lines.append(f"{names[s['speaker']]} says " + KINDS[s["kind"]][0].format(*(names[j] for j in s["about"])) + ".")
        asked = list(range(n - p.asked, n))  # the fact's person is never asked
        answers = [truth[i] for i in asked]
        data = {"lines": lines, "asked": [names[i] for i in asked], "answers": answers,
                "needed": statements_needed(statements, asked)}
        effort = n * len(statements) + sum(len(s["about"]) for s in statements)
        return Problem(data, ", ".join("yes" if a else "no" for a in answers), float(effort))

    def context(self, problem: Problem, lang: str) -> dict:
        d = problem.data
        lines = [line_zh(line) for line in d["lines"]] if lang == "zh" else d["lines"]
        return {**d, "lines": lines}

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            claimed = parse_truth_list(answer, len(problem["asked"]), names=problem["asked"])
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        wrong = [name for name, c, g in zip(problem["asked"], claimed, problem["answers"], strict=False) if c != g]
        if wrong:
            return Verdict.wrong("wrong about " + ", ".join(wrong))
        return Verdict.ok()

    def hardness(self, problem: dict) -> float:
        """Statements to resolve (two-person ones twice) to settle every asked person."""
        return float(problem["needed"])

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        k = len(problem["asked"])
        return {"all yes": ", ".join(["yes"] * k), "all no": ", ".join(["no"] * k),
                "alternating yes, no": ", ".join("yes" if i % 2 == 0 else "no" for i in range(k)),
                "alternating no, yes": ", ".join("no" if i % 2 == 0 else "yes" for i in range(k))}

    def alternative_forms(self, problem: Problem) -> list[str]:
        gold, asked = problem.answer.split(", "), problem.data["asked"]
        forms = decorated_forms(gold, ", ")
        if len(gold) == len(asked):
            named = [f"{name}: {word}" for name, word in zip(asked, gold, strict=True)]
            forms += [", ".join(named), ", ".join(named[::-1]), *decorated_forms(named, ", ")]
        return forms

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = problem.answer.split(", ")
        flip = {"yes": "no", "no": "yes"}
        wrong = [", ".join([flip[gold[0]], *gold[1:]]), ", ".join(flip[g] for g in gold), ", ".join(gold + ["yes"])]
        return [w for w in wrong if w != problem.answer] + ["yes and no"]
