"""Knights and knaves: knights always tell the truth, knaves always lie; who is which?

Every inhabitant makes one statement built from claims "X is a knight/knave" joined by
and / or / if-then / if-and-only-if / it-is-not-true-that. For example::

    Alice says: "Bob is a knave."
    Bob says: "Alice is a knight and I am a knight."
    <answer>Alice: knight, Bob: knave</answer>

(Were Bob a knight, Alice would be a knight too, yet she calls him a knave: impossible. So
Bob is a knave, Alice tells the truth and is a knight, and Bob's claim is false, as it must be.)

Statements are JSON trees: ``{"op": "is", "who": 1, "role": "knave"}`` (a claim about
person 1), ``{"op": "not", "arg": T}``, ``{"op": "and"|"or"|"implies"|"iff", "args": [T, U]}``.
Generation hides a random assignment with at least one knight and one knave (so "everyone is
a knight" or "everyone is a knave" is never the answer), draws each statement so that it is true exactly when
its speaker is a knight, and checks all 2^n assignments at once (numpy truth tables): while
another assignment survives, one speaker's statement is redrawn so that it also refutes that
survivor. ``effort`` is the node count of a plain backtracking search (people in order,
statements checked as soon as everyone they mention is assigned) that proves uniqueness.

Answer format: every inhabitant exactly once as ``Name: knight`` or ``Name: knave``, in any
order, separated by commas, semicolons or new lines; case and spacing are ignored, and so are
the shared markdown decorations (``- **Victor**: knave`` bullet lists, numbered lines, bold or
code names; see :mod:`synlog.tasks.common.answers`). A wrong answer's ``details["fraction"]``
(opt-in partial credit) is the lower of the shares of knights and of knaves named right, so
calling everyone by one role earns 0, however the roles are split.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import decorated_forms, undecorate
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

NAMES = (
    "Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy",
    "Kevin", "Laura", "Mallory", "Nina", "Oscar", "Peggy", "Quentin", "Rupert", "Sybil",
    "Trent", "Ursula", "Victor", "Wendy", "Xavier", "Yvonne", "Zach",
)
#: binary connectives unlocked by the ``connectives`` knob (2, 3 or 4 of them)
CONNECTIVES = ("and", "or", "implies", "iff")
_ITEM = re.compile(r"([a-z]+)(?:\s*[:=-]\s*|\s+is\s+an?\s+|\s+is\s+|\s+)(knight|knave)s?")
_SEPARATORS = re.compile(r"[,;\n]+|\band\b")
REDRAW_BUDGET = 400


@cache
def _truth_table(n: int) -> tuple[np.ndarray, ...]:
    """Column j: whether person j is a knight, over all 2^n assignments (row i: bits of i)."""
    rows = np.arange(2**n)
    columns = tuple(((rows >> j) & 1).astype(bool) for j in range(n))
    for column in columns:
        column.flags.writeable = False
    return columns


def _vector(tree: dict, columns: Sequence[np.ndarray]) -> np.ndarray:
    """The statement's truth value under every assignment at once."""
    op = tree["op"]
    if op == "is":
        column = columns[tree["who"]]
        return column if tree["role"] == "knight" else ~column
    if op == "not":
        return ~_vector(tree["arg"], columns)
    a, b = (_vector(t, columns) for t in tree["args"])
    if op == "and":
        return a & b
    if op == "or":
        return a | b
    if op == "implies":
        return ~a | b
    return a == b


def _truth(tree: dict, knight: Sequence[bool]) -> bool:
    """The statement's truth value when ``knight[j]`` says whether person j is a knight."""
    op = tree["op"]
    if op == "is":
        return knight[tree["who"]] == (tree["role"] == "knight")
    if op == "not":
        return not _truth(tree["arg"], knight)
    a, b = (_truth(t, knight) for t in tree["args"])
    return {"and": a and b, "or": a or b, "implies": not a or b, "iff": a == b}[op]


def _mentioned(tree: dict) -> set[int]:
    if tree["op"] == "is":
        return {tree["who"]}
    return set().union(*map(_mentioned, tree.get("args") or [tree["arg"]]))


def _search_nodes(statements: list[dict]) -> tuple[int, int]:
    """(nodes, solutions) of a backtracking search over people 0..n-1 in order."""
    n = len(statements)
    ready: list[list[int]] = [[] for _ in range(n)]
    for speaker, tree in enumerate(statements):
        ready[max(_mentioned(tree) | {speaker})].append(speaker)
    knight: list[bool] = []
    counts = [0, 0]

    def visit(depth: int) -> None:
        counts[0] += 1
        if depth == n:
            counts[1] += 1
            return
        for role in (True, False):
            knight.append(role)
            if all(_truth(statements[s], knight) == knight[s] for s in ready[depth]):
                visit(depth + 1)
            knight.pop()

    visit(0)
    return counts[0], counts[1]


#: how a statement is worded per language (the answer keeps the English ``knight``/``knave``)
_WORDS = {
    "en": {"group": "({})", "me": "I am a {role}", "other": "{name} is a {role}",
           "not": "it is not true that {a}", "and": "{a} and {b}", "or": "{a} or {b}",
           "implies": "if {a} then {b}", "iff": "{a} if and only if {b}",
           "knight": "knight", "knave": "knave"},
    "zh": {"group": "（{}）", "me": "我是{role}", "other": "{name} 是{role}",
           "not": "并非{a}", "and": "{a}并且{b}", "or": "{a}或者{b}",
           "implies": "如果{a}，那么{b}", "iff": "{a}当且仅当{b}",
           "knight": "骑士", "knave": "无赖"},
}


def say(tree: dict, speaker: int, names: Sequence[str], lang: str = "en") -> str:
    """A statement spoken by ``speaker``, worded in ``lang``; compound parts go in parentheses."""
    words = _WORDS[lang]

    def part(t: dict) -> str:
        text = say(t, speaker, names, lang)
        return text if t["op"] == "is" else words["group"].format(text)

    op = tree["op"]
    if op == "is":
        role = words[tree["role"]]
        return words["me"].format(role=role) if tree["who"] == speaker else words["other"].format(
            name=names[tree["who"]], role=role)
    if op == "not":
        return words["not"].format(a=part(tree["arg"]))
    a, b = (part(t) for t in tree["args"])
    return words[op].format(a=a, b=b)


def say_zh(tree: dict, speaker: int, names: Sequence[str]) -> str:
    """Chinese for a statement spoken by ``speaker`` (:func:`say` in ``zh``)."""
    return say(tree, speaker, names, "zh")


@register
class KnightsKnaves(Task):
    """Tell knights (always truthful) from knaves (always lying) by their statements."""

    name, family, version = "knights_knaves", "deduction", 2
    knobs = Knobs(
        # four people at least: with two or three, a blind guess of the roles is right one time
        # in four to eight
        people=Knob(int, levels=[4, 4, 5, 5, 6, 6, 7, 8, 9, 10], lo=2, hi=14,
                    help="inhabitants, each making one statement"),
        # depth 0 (bare "X is a knight" claims) can never be unique: flipping everyone's role
        # keeps every such statement consistent
        depth=Knob(int, levels=[1, 1, 2, 2, 2, 3, 3, 3, 3, 4], lo=1, hi=5,
                   help="deepest nesting of connectives in a statement"),
        connectives=Knob(int, levels=[2, 3, 3, 4, 4, 4, 4, 4, 4, 4], lo=2, hi=4,
                         help="connectives used: 2 and/or, 3 +if-then, 4 +if-and-only-if"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n = p.people
        names = [NAMES[int(i)] for i in rng.choice(len(NAMES), n, replace=False)]
        # uniform over the assignments with both roles present
        code = int(rng.integers(1, 2**n - 1))
        gold = [bool(code >> j & 1) for j in range(n)]
        columns = _truth_table(n)
        statements = [self._statement(rng, p, i, gold) for i in range(n)]
        consistent = np.array([_vector(s, columns) == columns[i] for i, s in enumerate(statements)])
        for _ in range(REDRAW_BUDGET):
            survivors = np.flatnonzero(consistent.all(axis=0))
            if len(survivors) == 1:
                break
            rival = int(rng.choice(survivors[survivors != sum(b << j for j, b in enumerate(gold))]))
            other = [bool(rival >> j & 1) for j in range(n)]
            speaker = int(rng.integers(n))
            statement = self._statement(rng, p, speaker, gold, other)
            if statement is not None:
                statements[speaker] = statement
                consistent[speaker] = _vector(statement, columns) == columns[speaker]
        else:
            raise Reject("statements never pinned down a unique assignment")
        nodes, solutions = _search_nodes(statements)
        if solutions != 1:
            raise Reject("backtracking disagrees with the truth tables")  # a bug if ever raised
        data = {"people": names, "statements": statements,
                "roles": ["knight" if b else "knave" for b in gold]}
        return Problem(data, _format(names, data["roles"]), float(nodes))

    def _statement(self, rng, p, speaker, gold, rival=None) -> dict | None:
        """A statement true iff ``speaker`` is a knight under ``gold``, and (when given) one
        that ``rival`` makes inconsistent, so the speaker rules that assignment out."""
        for _ in range(60):
            depth = int(rng.integers(0 if p.depth <= 1 else 1, p.depth + 1))
            tree = _tree(rng, depth, p.people, CONNECTIVES[: p.connectives])
            if _truth(tree, gold) == gold[speaker] and (
                    rival is None or _truth(tree, rival) != rival[speaker]):
                return tree
        if rival is None:
            raise Reject(f"no statement fits speaker {speaker}")
        return None

    def context(self, problem: Problem, lang: str) -> dict:
        d = problem.data
        names = d["people"]
        speak = say_zh if lang == "zh" else say
        return {"people": names, "statements": [
            (names[i], _capital(speak(s, i, names))) for i, s in enumerate(d["statements"])]}

    def verify(self, problem: dict, answer: str) -> Verdict:
        names = problem["people"]
        if len(answer) > 40 * len(names) + 200:
            return Verdict.unparseable("answer too long")
        index = {name.lower(): i for i, name in enumerate(names)}
        given: dict[int, str] = {}
        for item in _SEPARATORS.split(undecorate(answer).lower()):
            item = item.strip(" \t.*`'\"")
            if not item:
                continue
            match = _ITEM.fullmatch(item)
            if match is None:
                return Verdict.unparseable(f"expected `Name: knight` or `Name: knave`, got {item[:40]!r}")
            who = index.get(match.group(1))
            if who is None:
                return Verdict.invalid(f"{match.group(1)!r} is not one of the inhabitants")
            if who in given:
                return Verdict.invalid(f"{names[who]} is listed twice")
            given[who] = match.group(2)
        if len(given) != len(names):
            missing = [names[i] for i in range(len(names)) if i not in given]
            return Verdict.invalid(f"no role for {', '.join(missing)}")
        roles = problem["roles"]
        wrong = [names[i] for i, role in enumerate(roles) if given[i] != role]
        if wrong:
            # the lower per-role recall: one role for everybody scores 0, however roles split
            recall = [sum(given[i] == role for i, r in enumerate(roles) if r == role) / roles.count(role)
                      for role in ("knight", "knave") if role in roles]
            return Verdict.wrong(f"wrong role for {', '.join(wrong)}", fraction=min(recall))
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Everybody a knight, everybody a knave: answers that read no statement."""
        names = problem["people"]
        return {"all knights": _format(names, ["knight"] * len(names)),
                "all knaves": _format(names, ["knave"] * len(names))}

    def alternative_forms(self, problem: Problem) -> list[str]:
        return decorated_forms(problem.answer.split(", "), ", ")

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        names, roles = problem.data["people"], problem.data["roles"]
        flip = {"knight": "knave", "knave": "knight"}
        out = [_format(names, [flip[r] if j == i else r for j, r in enumerate(roles)])
               for i in rng.permutation(len(names))[:3]]
        out.append(_format(names[:-1], roles[:-1]))  # one inhabitant omitted
        out.append(_format(names + names[:1], roles + [flip[roles[0]]]))  # one listed twice
        return out


def _tree(rng: np.random.Generator, depth: int, n: int, connectives: Sequence[str]) -> dict:
    """A random statement whose connectives nest exactly ``depth`` deep."""
    if depth == 0:
        return {"op": "is", "who": int(rng.integers(n)),
                "role": "knight" if rng.random() < 0.5 else "knave"}
    if depth >= 2 and rng.random() < 0.15:
        return {"op": "not", "arg": _tree(rng, depth - 1, n, connectives)}
    op = connectives[int(rng.integers(len(connectives)))]
    deep = _tree(rng, depth - 1, n, connectives)
    for _ in range(8):  # "X is a knight or X is a knave" and the like say nothing
        other = _tree(rng, int(rng.integers(depth)), n, connectives)
        if other != deep and not (deep["op"] == other["op"] == "is" and deep["who"] == other["who"]):
            break
    args = [deep, other] if rng.random() < 0.5 else [other, deep]
    return {"op": op, "args": args}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _format(names: Sequence[str], roles: Sequence[str]) -> str:
    return ", ".join(f"{name}: {role}" for name, role in zip(names, roles, strict=True))
