"""Goods exchange: people trade items through proposed swaps, some refused; who holds what?

Everybody starts with one item. Each step proposes a trade: "Ann proposes to swap items with
Bob" (two people exchange what they hold) or, at higher levels, "Ann proposes a round: Ann →
Bob → Cid" (each passes their item to the next, the last to the first). Standing rules make
some people refuse::

    Ann: kite, Bob: lamp, Cid: bell.      Rule: Bob never gives up the lamp.
    1. Ann proposes to swap items with Cid.     → done: Ann bell, Cid kite
    2. Cid proposes to swap items with Bob.     → refused (Bob holds the lamp)
    Answer: Ann: bell; Bob: lamp; Cid: kite

Rules: a trade happens only if nobody in it refuses. "X never gives up the I" — X refuses
while holding I; "X refuses to take the I" — X refuses when the trade would give X the I;
"X refuses every proposal from Y" — X refuses trades Y proposes. A trade that happens moves
items at once; a refused one changes nothing. The answer names every person with the item
they hold at the end; the replay is deterministic, so it is unique. A person missing, a
person added, or any wrong item makes the answer wrong. Trades are redrawn until the final
holdings differ both from the starting ones and from those of replaying every trade as if
no rule existed: copying the start list, or ignoring the rules, earns nothing.
"""

from __future__ import annotations

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, decorated_forms, parse_pairs
from synlog.tasks.common.names import pick_names
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.state.spatial_walk import ITEMS
from synlog.verifiers.verdict import Verdict


def trade_happens(holds: dict[str, str], trade: dict, rules: list[dict]) -> bool:
    """Whether nobody in ``trade`` refuses it, given who holds what now."""
    ring = trade["ring"]
    for i, person in enumerate(ring):
        giving, getting = holds[person], holds[ring[i - 1]]
        for rule in rules:
            if rule["who"] != person:
                continue
            if rule["kind"] == "keep" and rule["item"] == giving:
                return False
            if rule["kind"] == "refuse_item" and rule["item"] == getting:
                return False
            if rule["kind"] == "refuse_from" and rule["other"] == trade["by"] and person != trade["by"]:
                return False
    return True


def replay_all(start: dict[str, str], trades: list[dict]) -> dict[str, str]:
    """The holdings if every proposed trade happened, whatever the rules say."""
    holds = dict(start)
    for trade in trades:
        ring = trade["ring"]
        holds = {**holds, **{ring[(i + 1) % len(ring)]: holds[p] for i, p in enumerate(ring)}}
    return holds


#: the wording of standing rules and proposals per language (items keep their English names)
_WORDS = {
    "en": {"keep": "{who} never gives up the {item}.", "refuse_item": "{who} refuses to take the {item}.",
           "refuse_from": "{who} refuses every proposal from {other}.",
           "swap": "{by} proposes to swap items with {other}.",
           "round": "{by} proposes a round: {ring} (each passes their item to the next)."},
    "zh": {"keep": "{who} 绝不交出 {item}。", "refuse_item": "{who} 拒绝接收 {item}。",
           "refuse_from": "{who} 拒绝 {other} 提出的一切提议。",
           "swap": "{by} 提议与 {other} 交换物品。",
           "round": "{by} 提议轮换：{ring}（每人把自己的物品交给下一个人）。"},
}


def rule_text(rule: dict, lang: str = "en") -> str:
    """A standing rule in ``lang``."""
    return _WORDS[lang][rule["kind"]].format(**rule)


def trade_text(trade: dict, lang: str = "en") -> str:
    """A proposed trade in ``lang``."""
    ring = trade["ring"]
    if len(ring) == 2:
        other = ring[1] if ring[0] == trade["by"] else ring[0]
        return _WORDS[lang]["swap"].format(by=trade["by"], other=other)
    return _WORDS[lang]["round"].format(by=trade["by"], ring=f"{' → '.join(ring)} → {ring[0]}")


@register
class GoodsExchange(Task):
    """People trade items through proposed swaps and rounds, some refused; say who holds what."""

    name, family, version = "goods_exchange", "state", 2
    knobs = Knobs(
        people=Knob(int, levels=[3, 3, 4, 4, 5, 5, 6, 6, 7, 8], lo=2, hi=20, help="people trading"),
        trades=Knob(int, levels=[2, 3, 4, 5, 6, 7, 8, 10, 12, 14], lo=0, hi=60, help="proposed trades"),
        rules=Knob(int, levels=[1, 1, 1, 2, 2, 3, 3, 4, 4, 5], lo=0, hi=20, help="standing refusal rules"),
        rounds=Knob(float, levels=[0, 0, 0, 0.1, 0.2, 0.2, 0.3, 0.3, 0.3, 0.4], lo=0, hi=1,
                    help="share of trades that are rounds of three or more people"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        people = pick_names(rng, p.people)
        items = [ITEMS[i] for i in rng.choice(len(ITEMS), p.people, replace=False)]
        start = dict(zip(people, items, strict=True))
        rules: list[dict] = []
        for _ in range(p.rules):
            who = people[rng.integers(p.people)]
            kind = ["keep", "refuse_item", "refuse_from"][rng.integers(3)]
            rule = {"who": who, "kind": kind}
            if kind == "refuse_from":
                rule["other"] = [x for x in people if x != who][rng.integers(p.people - 1)]
            else:
                rule["item"] = items[rng.integers(p.people)]
            if rule not in rules:
                rules.append(rule)
        holds, trades, effort = dict(start), [], 0
        for _ in range(p.trades):
            size = int(rng.integers(3, min(4, p.people) + 1)) if p.people >= 3 and rng.random() < p.rounds else 2
            ring = [people[i] for i in rng.choice(p.people, size, replace=False)]
            trade = {"by": ring[0] if size > 2 else ring[rng.integers(2)], "ring": ring}
            trade["done"] = trade_happens(holds, trade, rules)
            effort += 1 + size * len(rules)
            if trade["done"]:
                holds = {**holds, **{ring[(i + 1) % size]: holds[person] for i, person in enumerate(ring)}}
            trades.append(trade)
        if holds == start:  # the trades undid each other: the start list would be a free answer
            raise Reject("the final holdings equal the starting ones")
        if holds == replay_all(start, trades):  # the rules must matter, or they can be skipped
            raise Reject("no rule changes the outcome")
        data = {"start": start, "rules": rules, "trades": trades, "final": holds}
        answer = "; ".join(f"{person}: {holds[person]}" for person in people)
        return Problem(data, answer, float(effort + p.people))

    def context(self, problem: Problem, lang: str) -> dict:
        d = problem.data
        return {"start": d["start"], "rules": [rule_text(r, lang) for r in d["rules"]],
                "trades": [trade_text(t, lang) for t in d["trades"]],
                "example": next(iter(d["start"]))}

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            pairs = parse_pairs(answer)
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        final = {person.lower(): item for person, item in problem["final"].items()}
        named = {person.lower(): item.lower() for person, item in pairs.items()}
        missing = sorted(set(final) - set(named))
        extra = sorted(set(named) - set(final))
        if missing or extra:
            return Verdict.wrong("every person must be listed exactly once", missing=missing, extra=extra)
        wrong = sorted(person for person, item in final.items() if named[person] != item.lower())
        if wrong:
            return Verdict.wrong("some people hold other items", people=wrong)
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """The starting holdings, and the holdings if every trade happened (the rules ignored)."""
        start = problem["start"]
        holds = replay_all(start, problem["trades"])
        return {"the starting holdings": "; ".join(f"{p}: {start[p]}" for p in start),
                "every trade happens": "; ".join(f"{p}: {holds[p]}" for p in start)}

    def alternative_forms(self, problem: Problem) -> list[str]:
        return decorated_forms(problem.answer.split("; "), "; ")

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        final = problem.data["final"]
        people = list(final)
        lines = [f"{p}: {final[p]}" for p in people]
        swapped = dict(final)
        swapped[people[0]], swapped[people[1]] = final[people[1]], final[people[0]]
        return ["; ".join(lines[1:]),
                "; ".join([*lines, "Nobody: lamp"]),
                "; ".join(f"{p}: {swapped[p]}" for p in people),
                "; ".join(f"{p}: {problem.data['start'][p]}" for p in people)
                if problem.data["start"] != final else "; ".join(lines + lines[:1])]
