"""Tree relations: a family tree given as shuffled parent facts; name a person's relatives.

Every person but the founder has exactly one listed parent, so the family is a rooted tree.
A relation is fixed by the number of generations up from the asked person to the closest
common ancestor (``up``) and down from it to the relative (``down``)::

    Ann is the parent of Bob and Cid. Bob is the parent of Dee. Cid is the parent of Eve.
    Who are Dee's cousins?              → Eve    (up 2 to Ann, down 2)

Relations (also defined in the prompt): children (0, 1), grandchildren (0, 2),
great-grandchildren (0, 3), siblings (1, 1), nieces and nephews (1, 2), aunts and uncles
(2, 1: the siblings of a parent), cousins (2, 2: children of a parent's siblings), second
cousins (3, 3: grandchildren of a grandparent's siblings). The answer is the set of every
such relative (any order), or ``none``; it is unique. The question is drawn among the
(person, relation) pairs with at least one relative, and only an ``EMPTY_SHARE`` of instances
(1.5 %) ask one whose answer is ``none``, so neither ``none`` nor an empty answer pays.
"""

from __future__ import annotations

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, decorated_forms, join_set, parse_name_set
from synlog.tasks.common.names import NAMES
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: relation → (generations up to the common ancestor, generations down from it)
RELATIONS = {
    "children": (0, 1), "grandchildren": (0, 2), "siblings": (1, 1), "nieces and nephews": (1, 2),
    "aunts and uncles": (2, 1), "cousins": (2, 2), "great-grandchildren": (0, 3), "second cousins": (3, 3),
}
#: the Chinese kinship term of each relation (the prompt's definitions fix its meaning)
RELATIONS_ZH = {
    "children": "子女", "grandchildren": "孙辈", "siblings": "兄弟姐妹", "nieces and nephews": "侄甥辈",
    "aunts and uncles": "叔伯姑姨舅辈", "cousins": "堂表兄弟姐妹", "great-grandchildren": "曾孙辈",
    "second cousins": "远房堂表兄弟姐妹",
}
#: share of instances whose answer is the empty set ("none")
EMPTY_SHARE = 0.015


def relatives(parent: dict[str, str | None], person: str, up: int, down: int) -> set[str]:
    """People ``down`` generations below the ancestor ``up`` above ``person``, on another branch."""
    children: dict[str, list[str]] = {}
    for child, par in parent.items():
        if par is not None:
            children.setdefault(par, []).append(child)
    chain = [person]
    for _ in range(up):
        if parent[chain[-1]] is None:
            return set()
        chain.append(parent[chain[-1]])
    layer = [chain[-1]]
    for depth in range(down):
        avoid = chain[up - depth - 1] if up - depth - 1 >= 0 else None  # the branch we came up by
        layer = [c for p in layer for c in children.get(p, []) if c != avoid]
    return set(layer)


@register
class TreeRelations(Task):
    """Read a family tree from shuffled parent facts and name one person's relatives of a kind."""

    name, family, version = "tree_relations", "state", 2
    knobs = Knobs(
        generations=Knob(int, levels=[3, 3, 3, 4, 4, 4, 4, 5, 5, 5], lo=2, hi=6, help="generations in the tree"),
        people=Knob(int, levels=[10, 12, 14, 16, 18, 20, 24, 28, 32, 36], lo=3, hi=len(NAMES), help="people (at most)"),
        relations=Knob(int, levels=[2, 3, 4, 5, 6, 6, 7, 8, 8, 8], lo=1, hi=len(RELATIONS),
                       help="how many relation kinds may be asked (in the order listed)"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        names = [NAMES[i] for i in rng.permutation(len(NAMES))[:p.people]]
        parent: dict[str, str | None] = {names[0]: None}
        generation = {names[0]: 0}
        frontier = [names[0]]
        for name in names[1:]:
            open_parents = [x for x in frontier if generation[x] < p.generations - 1]
            if not open_parents:
                break
            par = open_parents[rng.integers(len(open_parents))]
            parent[name], generation[name] = par, generation[par] + 1
            frontier.append(name)
        people = list(parent)
        asked = list(RELATIONS)[: p.relations]
        answers = {(who, rel): relatives(parent, who, *RELATIONS[rel]) for rel in asked for who in people}
        want_empty = rng.random() < EMPTY_SHARE
        kinds = [rel for rel in asked if any(bool(answers[who, rel]) != want_empty for who in people)]
        if not kinds:
            raise Reject("no question with the wanted kind of answer in this tree")
        relation = kinds[rng.integers(len(kinds))]  # a relation first, so every kind is asked
        candidates = [who for who in people if bool(answers[who, relation]) != want_empty]
        person = candidates[rng.integers(len(candidates))]
        up, down = RELATIONS[relation]
        answer = answers[person, relation]
        facts = [[par, child] for child, par in parent.items() if par is not None]
        facts = [facts[i] for i in rng.permutation(len(facts))]
        data = {"facts": facts, "person": person, "relation": relation, "answer_names": sorted(answer),
                "people": sorted(people)}
        effort = len(facts) * (up + down) + len(answer)
        return Problem(data, join_set(answer), float(effort))

    def context(self, problem: Problem, lang: str) -> dict:
        return {**problem.data, "relation_zh": RELATIONS_ZH[problem.data["relation"]]}

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            named = parse_name_set(answer, problem["people"])
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        gold = set(problem["answer_names"])
        if named != gold:
            return Verdict.wrong(f"not exactly {problem['person']}'s {problem['relation']}",
                                 missing=sorted(gold - named), extra=sorted(named - gold))
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        facts, person = problem["facts"], problem["person"]
        children = {child for _, child in facts}
        founder = next(name for name in problem["people"] if name not in children)
        return {"the founder": founder, "the asked person": person,
                "everyone but the asked person": join_set(set(problem["people"]) - {person}),
                "the child of the last listed fact": facts[-1][1],
                "the parent of the first listed fact": facts[0][0]}

    def alternative_forms(self, problem: Problem) -> list[str]:
        return decorated_forms(problem.answer.split(", "), ", ")

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = set(problem.data["answer_names"])
        others = sorted(set(problem.data["people"]) - gold - {problem.data["person"]})
        wrong = [join_set(gold | {problem.data["person"]})]
        if others:
            wrong.append(join_set(gold | {others[rng.integers(len(others))]}))
        if gold:
            wrong.append(join_set(sorted(gold)[1:]))
        return wrong
