"""Zebra (Einstein) puzzles: deduce who lives where from clues, then answer questions.

``houses`` houses stand in a row, numbered 1 (left) to n (right). Each category (name, pet,
drink, ...) gives every house a different value. The clues pin down exactly one arrangement::

    Houses 1-2; names Alice, Bob; pets cat, dog.
    1. Alice lives directly left of the person who keeps the dog.
    2. Bob is not the person who keeps the cat.
    Question (key `cat`): What is the name of the person who keeps the cat?
    <answer>cat: Alice</answer>

Generation hides a random arrangement, then adds clues that are true of it until the SAT
encoding (one-hot variables ``x(category, value, house)``, exactly one per row and column)
has exactly one model. One incremental solver serves the whole search: every clue owns a
selector literal, so a clue is switched on or off through assumptions instead of rebuilding
the CNF. Each new clue is drawn true of the hidden arrangement and *false* of the solver's
latest counter-model, so every clue removes at least that model. With ``minimal`` on, clues
whose removal keeps the solution unique are then dropped, leaving no redundant clue. The
final clue set is re-proved unique from scratch with ``count_models(limit=2)``, whose
conflicts plus decisions are the recorded ``effort``.

Answer format: one ``key: answer`` line per question, in any order (``;`` or ``,`` also
separate them); the answer is a value word or, for "which house" questions, the house
number (``house 3`` also reads). Case, spacing, quotes and a leading "the" are ignored, and so
are the shared markdown decorations (``- juice: flute`` or ``1. juice: flute`` lines, as the
prompt's own bullet list invites; bold or code keys and values; see
:mod:`synlog.tasks.common.answers`).
Since the arrangement is unique, so is every answer: ``verify`` compares with the stored one.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
from pysat.solvers import Solver

from synlog.errors import KnobError, Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import decorated_forms, undecorate
from synlog.tasks.common.satenc import SOLVER, IDPool, count_models, exactly_one
from synlog.tasks.deduction._zebra_clues import (
    CATEGORIES,
    KINDS_BY_VARIETY,
    MAX_HOUSES,
    WEIGHTS,
    cell_var,
    clauses,
    clue_text,
    holds,
    question_text,
    random_clue,
)
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: Chinese for each category: (its name, how to name the holder of {v}, how to ask for it of
#: {x}); the values themselves stay in English, since they are the answer's words
_ZH: dict[str, tuple[str, str, str]] = {
    "name": ("名字", "{v}", "{x}叫什么名字？"),
    "nationality": ("国籍", "国籍为{v}的人", "{x}的国籍是什么？"),
    "colour": ("房子颜色", "住在{v}色房子里的人", "{x}的房子是什么颜色？"),
    "pet": ("宠物", "养{v}的人", "{x}养的是什么宠物？"),
    "drink": ("饮料", "喝{v}的人", "{x}喝什么？"),
    "sport": ("运动", "从事{v}运动的人", "{x}从事什么运动？"),
    "food": ("食物", "吃{v}的人", "{x}吃什么？"),
    "instrument": ("乐器", "演奏{v}的人", "{x}演奏什么乐器？"),
    "car": ("汽车", "开{v}车的人", "{x}开什么车？"),
    "job": ("职业", "职业是{v}的人", "{x}的职业是什么？"),
}
_CATEGORY_ZH = {name: words[0] for name, words in _ZH.items()}
_CLUE_ZH = {
    "at": "{A}住在{k}号房子。",
    "not_at": "{A}不住在{k}号房子。",
    "same": "{A}就是{B}。",
    "not_same": "{A}不是{B}。",
    "left_of": "{A}住在{B}的紧左边。",
    "right_of": "{A}住在{B}的紧右边。",
    "next_to": "{A}住在{B}的隔壁。",
    "not_next_to": "{A}不住在{B}的隔壁。",
    "somewhere_left": "{A}住在{B}左边的某处。",
}
#: a space between Chinese and Latin letters or digits, as Chinese text is usually set
_GAP = re.compile(r"(?<=[\u4e00-\u9fff])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[\u4e00-\u9fff])")


def _describe_zh(ref) -> str:
    return _ZH[ref[0]][1].format(v=ref[1])


def clue_text_zh(clue: dict) -> str:
    """One clue as a Chinese sentence (values and house numbers as in :func:`clue_text`)."""
    text = _CLUE_ZH[clue["type"]].format(A=_describe_zh(clue["a"]),
                                         B=_describe_zh(clue["b"]) if "b" in clue else "",
                                         k=clue.get("house", ""))
    return _GAP.sub(" ", text)


def question_text_zh(question: dict) -> str:
    """One question in Chinese, like :func:`question_text`."""
    subject = _describe_zh(question["subject"])
    if question["target"] == "house":
        return _GAP.sub(" ", f"{subject}住在几号房子？")
    return _GAP.sub(" ", _ZH[question["target"]][2].format(x=subject))


_PARTS = re.compile(r"[;,\n]+")
_HOUSE = re.compile(r"(?:house\s*(?:no\.?|number)?\s*#?\s*)?(\d{1,3})")
_STRIP = " \t`'\"*[]()."


def _norm(text: str) -> str:
    text = " ".join(text.strip(_STRIP).lower().split())
    return text[4:] if text.startswith("the ") else text


@cache
def _base_cnf(k: int, n: int) -> tuple[list[list[int]], int]:
    """Exactly one house per value and one value per house, per category; and the next free id."""
    def x(c, v, h):
        return cell_var(c, v, h, n)

    pool = IDPool(start_from=k * n * n + 1)
    base = [cl for c in range(k) for i in range(n) for cl in
            exactly_one([x(c, i, h) for h in range(n)], pool)
            + exactly_one([x(c, v, i) for v in range(n)], pool)]
    return base, pool.top + 1


@register
class Zebra(Task):
    """Solve an Einstein-style zebra puzzle whose clues force exactly one arrangement."""

    name, family, version = "zebra", "deduction", 2
    knobs = Knobs(
        # three houses and four questions at least: with two houses, or one question, any
        # value named blindly (say the first one listed) is right a third to a half of the time
        houses=Knob(int, levels=[3, 3, 3, 4, 4, 5, 5, 6, 6, 7], lo=2, hi=MAX_HOUSES,
                    help="houses in the row (= values per category)"),
        attributes=Knob(int, levels=[2, 2, 3, 3, 4, 4, 5, 5, 6, 6], lo=2, hi=len(CATEGORIES),
                        help="categories (name, pet, drink, ...) per house"),
        variety=Knob(int, levels=[1, 1, 2, 2, 3, 3, 4, 4, 4, 4], lo=1, hi=4,
                     help="clue types: 1 same-house/at, 2 +negations, 3 +adjacency,"
                          " 4 +somewhere-left/not-next-to"),
        minimal=Knob(bool, levels=[False] * 4 + [True] * 6,
                     help="drop every clue the unique solution does not need"),
        questions=Knob(int, levels=[4, 4, 4, 4, 4, 4, 4, 5, 5, 5], lo=1, hi=6,
                       help="questions asked about the solution"),
    )

    def check_params(self, params: Params) -> None:
        if params.questions > params.houses * params.attributes:
            raise KnobError(f"questions={params.questions} exceeds the {params.houses}×"
                            f"{params.attributes} cells of the puzzle; ask fewer questions")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n, k = p.houses, p.attributes
        others = [c for c in CATEGORIES if c != "name"]
        cats = ["name"] + [others[int(i)] for i in rng.choice(len(others), k - 1, replace=False)]
        values = [sorted(CATEGORIES[c][0][int(i)] for i in rng.choice(MAX_HOUSES, n, replace=False))
                  for c in cats]
        perm = [rng.permutation(n) for _ in cats]  # perm[c][h]: value index in house h
        clues, solver_effort = self._choose_clues(rng, p, perm)
        order = rng.permutation(len(clues))
        subjects = [divmod(int(i), n) for i in rng.choice(k * n, p.questions, replace=False)]
        questions = []
        for c, v in subjects:
            house = int(np.flatnonzero(perm[c] == v)[0])
            target = int(rng.integers(k))
            if target == c:
                answer, target_name = str(house + 1), "house"
            else:
                answer, target_name = values[target][int(perm[target][house])], cats[target]
            questions.append({"key": values[c][v], "subject": [cats[c], values[c][v]],
                              "target": target_name, "answer": answer})

        def named(ref):
            return [cats[ref[0]], values[ref[0]][ref[1]]]

        data = {
            "houses": n,
            "categories": [{"name": c, "values": list(vs)} for c, vs in zip(cats, values, strict=True)],
            "clues": [{**clues[i], "a": named(clues[i]["a"]),
                       **({"b": named(clues[i]["b"])} if "b" in clues[i] else {})} for i in order],
            "questions": questions,
            "solution": {c: [values[ci][int(v)] for v in perm[ci]] for ci, c in enumerate(cats)},
        }
        answer = "\n".join(f"{q['key']}: {q['answer']}" for q in questions)
        return Problem(data, answer, solver_effort)

    def _choose_clues(self, rng: np.random.Generator, p: Params, perm: list) -> tuple[list, float]:
        """Clues true of ``perm`` that force it uniquely, and the effort of proving that."""
        n, k = p.houses, len(perm)
        base, next_id = _base_cnf(k, n)

        truth = [cell_var(c, int(perm[c][h]), h, n) for c in range(k) for h in range(n)]
        kinds = [t for t in KINDS_BY_VARIETY[p.variety] if n >= 3 or t != "not_next_to"]
        cumulative = np.cumsum([WEIGHTS[t] for t in kinds]) / sum(WEIGHTS[t] for t in kinds)
        clues: list[dict] = []
        selectors: list[int] = []
        with Solver(name=SOLVER, bootstrap_with=base) as solver:
            guard = next_id
            solver.add_clause([-guard] + [-v for v in truth])
            while solver.solve(assumptions=selectors + [guard]):
                if len(clues) > 8 * n * k:
                    raise Reject("clue budget spent")
                cells = np.array(solver.get_model()[: k * n * n]).reshape(k, n, n)
                houses = (cells.argmax(axis=2) + 1).tolist()  # houses[c][v], 1-based
                other = {(c, v): houses[c][v] for c in range(k) for v in range(n)}
                clue = self._refuting_clue(rng, kinds, cumulative, perm, other)
                selectors.append(guard + 1 + len(clues))
                clues.append(clue)
                for clause in clauses(clue, n):
                    solver.add_clause(clause + [-selectors[-1]])
            if p.minimal:
                keep = [True] * len(clues)
                for i in rng.permutation(len(clues)):
                    keep[i] = False
                    kept = [s for s, on in zip(selectors, keep, strict=True) if on]
                    keep[i] = bool(solver.solve(assumptions=kept + [guard]))
                clues = [c for c, on in zip(clues, keep, strict=True) if on]
        cnf = base + [cl for clue in clues for cl in clauses(clue, n)]
        proof = count_models(cnf, limit=2, projection=list(range(1, k * n * n + 1)))
        if proof.models != 1:
            raise Reject("clue set is not unique on re-check")
        return clues, proof.effort

    @staticmethod
    def _refuting_clue(rng, kinds, cumulative, perm, other) -> dict:
        """A clue true of the hidden arrangement and false of the counter-model ``other``."""
        k = len(perm)
        for _ in range(40):
            kind = kinds[min(int(np.searchsorted(cumulative, rng.random(), side="right")), len(kinds) - 1)]
            clue = random_clue(kind, rng, perm, k)
            if clue is not None and not holds(clue, other.__getitem__):
                return clue
        for c in rng.permutation(k):
            for h in rng.permutation(len(perm[0])):
                ref = (int(c), int(perm[c][h]))
                if other[ref] != h + 1:
                    return {"type": "at", "a": ref, "house": int(h) + 1}
        raise Reject("counter-model equals the solution")  # unreachable: the guard forbids it

    def context(self, problem: Problem, lang: str) -> dict:
        d = problem.data
        zh = lang == "zh"
        return {
            "houses": d["houses"],
            "categories": [(_CATEGORY_ZH[c["name"]] if zh else c["name"], ", ".join(c["values"]))
                           for c in d["categories"]],
            "clues": [clue_text_zh(c) if zh else clue_text(c) for c in d["clues"]],
            "questions": [(q["key"], question_text_zh(q) if zh else question_text(q))
                          for q in d["questions"]],
        }

    def verify(self, problem: dict, answer: str) -> Verdict:
        questions = problem["questions"]
        if len(answer) > 100 * len(questions) + 200:
            return Verdict.unparseable("answer too long")
        given: dict[str, str] = {}
        for part in _PARTS.split(undecorate(answer)):
            if not part.strip():
                continue
            key, sep, value = part.partition(":")
            if not sep:
                return Verdict.unparseable(f"expected `key: answer`, got {part.strip()[:40]!r}")
            key = _norm(key)
            if key in given:
                return Verdict.invalid(f"{key!r} is answered twice")
            given[key] = _norm(value)
        expected = {q["key"].lower(): q for q in questions}
        if set(given) != set(expected):
            missing, extra = sorted(set(expected) - set(given)), sorted(set(given) - set(expected))
            return Verdict.invalid("answer keys do not match the questions",
                                   missing=missing, unexpected=extra[:5])
        wrong = []
        for key, q in expected.items():
            if q["target"] == "house":
                house = _HOUSE.fullmatch(given[key])
                ok = house is not None and int(house.group(1)) == int(q["answer"])
            else:
                ok = given[key] == q["answer"].lower()
            if not ok:
                wrong.append(key)
        if wrong:
            # no ``fraction``: each question has only `houses` possible answers, so a share of
            # right answers would pay a blind guess about 1/houses
            return Verdict.wrong(f"wrong answer for {', '.join(wrong)}", right=len(expected) - len(wrong),
                                 questions=len(expected))
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Each question answered with the first (or last) value listed for its target, house 1 (or n)."""
        values = {c["name"]: c["values"] for c in problem["categories"]}
        n = problem["houses"]

        def guess(pick: int) -> str:
            return "\n".join(f"{q['key']}: " + (str([1, n][pick]) if q["target"] == "house"
                                                 else values[q["target"]][pick]) for q in problem["questions"])

        return {"first listed value of each attribute": guess(0), "last listed value of each attribute": guess(-1)}

    def alternative_forms(self, problem: Problem) -> list[str]:
        return decorated_forms(problem.answer.splitlines())

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        d = problem.data
        values = {c["name"]: c["values"] for c in d["categories"]}
        lines = []
        for q in d["questions"]:
            if q["target"] == "house":
                wrong = str(int(q["answer"]) % d["houses"] + 1)
            else:
                pool = [v for v in values[q["target"]] if v != q["answer"]]
                wrong = pool[int(rng.integers(len(pool)))]
            lines.append((q["key"], q["answer"], wrong))
        out = []
        for i in range(len(lines)):
            out.append("\n".join(f"{key}: {bad if j == i else good}"
                                 for j, (key, good, bad) in enumerate(lines)))
        out.append("\n".join(f"{key}: {good}" for key, good, _ in lines[:-1]) or "nothing")
        return out
