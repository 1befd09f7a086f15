"""Object properties: a collection of items whose attributes change by rules; count a query.

The narrator has groups of items, each group described by a colour, a size and a kind
("3 small red balls"). Rules then apply in the order given: repaint every item matching a
filter, resize it, throw it away, or buy one more of each. The question counts the items
matching a query at the end. A tiny example::

    I have 2 small red balls, 1 large blue cup and 3 small blue pens.
    1. Every red item is painted green.
    2. I throw away every small pen.
    How many green items do I have?          → 2

Rules: a filter such as "small blue items" or "cups" matches the items having all the named
attributes; a query may also say "not <colour>". Rules apply one after another, each to
the collection left by the previous one; "buy one more of each" doubles the matching items.
The answer is one integer (replaying the rules makes it unique). Group sizes are fitted so
the answer is spread evenly over its range, and an answer that needs no replay (zero, the
query's count before the rules, a total, or a number printed in the prompt) is kept in only
about 1 % of instances, so echoing a number of the prompt never pays.
"""

from __future__ import annotations

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import scalar_forms, verify_integer
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

ATTRIBUTES = {
    "colour": ["red", "blue", "green", "yellow", "black", "white"],
    "size": ["small", "large"],
    "kind": ["ball", "cup", "book", "pen", "box", "hat"],
}
#: probability of keeping a candidate whose answer is 0, is the count before the rules, or is a
#: number printed in the prompt (a group's count, the example answer): such answers need no replay
ECHO_KEEP = 0.01
#: the answer the prompt shows as an example of the format
EXAMPLE_ANSWER = 5
#: items in one group at the start: 1 to this many
MOST_PER_GROUP = 30
#: queries tried on one collection before a new collection is drawn
QUERY_TRIES = 30


def matches(item: dict, where: dict) -> bool:
    """Whether an item has every attribute of a filter (``not_colour`` excludes one colour)."""
    return all(item["colour"] != value if key == "not_colour" else item[key] == value
               for key, value in where.items())


def plural(kind: str) -> str:
    """``balls``, ``boxes``."""
    return kind + ("es" if kind.endswith("x") else "s")


def describe(where: dict) -> str:
    """``small red items``, ``cups``, ``items that are not red``."""
    words = [where[key] for key in ("size", "colour") if key in where]
    noun = plural(where["kind"]) if "kind" in where else "items"
    text = " ".join([*words, noun])
    return f"{text} that are not {where['not_colour']}" if "not_colour" in where else text


def apply_rule(items: list[dict], rule: dict) -> list[dict]:
    """The collection after one rule."""
    out = []
    for item in items:
        if not matches(item, rule["where"]):
            out.append(item)
        elif rule["op"] == "remove":
            continue
        elif rule["op"] == "double":
            out.append({**item, "count": item["count"] * 2})
        else:
            out.append({**item, rule["op"]: rule["to"]})
    return out


def replay(items: list[dict], rules: list[dict]) -> list[dict]:
    """The collection after every rule, in order."""
    for rule in rules:
        items = apply_rule(items, rule)
    return items


def fit_counts(rng: np.random.Generator, weights: list[int]) -> list[int] | None:
    """Group sizes in 1..MOST_PER_GROUP whose weighted sum (the answer: a group's weight is how
    many query items one of its items becomes) is a target drawn uniformly over its range, so
    answers spread evenly instead of piling up in the middle; None when no fit is found."""
    live = [i for i, w in enumerate(weights) if w]
    if not live:
        return None
    target = int(rng.integers(sum(weights), sum(weights) * MOST_PER_GROUP + 1))
    for _ in range(20):
        counts = [int(x) for x in rng.integers(1, MOST_PER_GROUP + 1, len(weights))]
        j = live[rng.integers(len(live))]
        rest = target - sum(w * n for i, (w, n) in enumerate(zip(weights, counts, strict=True)) if i != j)
        if rest % weights[j] == 0 and 1 <= rest // weights[j] <= MOST_PER_GROUP:
            counts[j] = rest // weights[j]
            return counts
    return None


def rule_text(rule: dict) -> str:
    """A rule in English."""
    what = describe(rule["where"])
    if rule["op"] == "colour":
        return f"All my {what} are painted {rule['to']}."
    if rule["op"] == "size":
        return f"All my {what} are swapped for {rule['to']} ones of the same colour and kind."
    if rule["op"] == "remove":
        return f"I throw away all my {what}."
    return f"For each of my {what} I buy one more identical item."


@register
class ObjectProperties(Task):
    """Items with colour, size and kind change by ordered rules; count those matching a query."""

    name, family, version = "object_properties", "state", 2
    knobs = Knobs(
        groups=Knob(int, levels=[4, 4, 5, 5, 6, 7, 8, 9, 10, 11], lo=1, hi=30, help="groups of identical items"),
        rules=Knob(int, levels=[1, 2, 2, 3, 3, 4, 5, 6, 7, 8], lo=0, hi=30, help="transformation rules"),
        filter_size=Knob(int, levels=[1, 1, 1, 2, 2, 2, 2, 3, 3, 3], lo=1, hi=3,
                         help="attributes in a rule's filter or the query (at most)"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        def pick(key: str) -> str:
            values = ATTRIBUTES[key]
            return values[rng.integers(len(values))]

        def random_filter(allow_not: bool) -> dict:
            keys = ["colour", "size", "kind"]
            k = int(rng.integers(1, p.filter_size + 1))
            where = {key: pick(key) for key in rng.permutation(keys)[:k].tolist()}
            if allow_not and "colour" in where and len(where) > 1 and rng.random() < 0.3:
                where["not_colour"] = where.pop("colour")
            return dict(sorted(where.items()))

        items: list[dict] = []
        while len(items) < p.groups:
            item = {"colour": pick("colour"), "size": pick("size"), "kind": pick("kind")}
            if not any(matches(old, item) for old in items):
                items.append({**item, "count": int(rng.integers(1, MOST_PER_GROUP + 1))})
        rules, current, effort = [], items, 0
        for _ in range(p.rules):
            op = ["colour", "size", "remove", "double"][rng.choice(4, p=[0.38, 0.22, 0.28, 0.12])]
            where = random_filter(allow_not=False)
            present = [it for it in current if matches(it, where)]
            if not present and current:  # a rule that changes nothing teaches nothing: aim it at an item
                target = current[rng.integers(len(current))]
                where = {key: target[key] for key in where}
            rule = {"op": op, "where": where}
            if op in ("colour", "size"):
                rule["to"] = pick(op)
            rules.append(rule)
            current = apply_rule(current, rule)
            effort += len(current) + 1
        echo_kept = rng.random() < ECHO_KEEP
        for _ in range(QUERY_TRIES):
            query = random_filter(allow_not=True)
            if current:  # aim the query at an item left, as a rule is aimed
                target = current[rng.integers(len(current))]
                other_colours = [c for c in ATTRIBUTES["colour"] if c != target["colour"]]
                query = {key: other_colours[rng.integers(len(other_colours))] if key == "not_colour"
                         else target[key] for key in query}
            weights = [sum(it["count"] for it in replay([{**item, "count": 1}], rules) if matches(it, query))
                       for item in items]
            counts = None if echo_kept else fit_counts(rng, weights)
            if counts is None:
                counts = [int(rng.integers(1, MOST_PER_GROUP + 1)) for _ in items]
            items = [{**item, "count": n} for item, n in zip(items, counts, strict=True)]
            current = replay(items, rules)
            count = sum(it["count"] for it in current if matches(it, query))
            before = sum(it["count"] for it in items if matches(it, query))
            shown = set(counts) | {EXAMPLE_ANSWER, sum(counts), sum(it["count"] for it in current)}
            if echo_kept or count and count != before and count not in shown:
                break
        else:
            raise Reject("every query's answer is zero, untouched by the rules, a total or a printed number")
        data = {"items": items, "rules": [rule_text(r) for r in rules], "rule_data": rules,
                "query": describe(query), "query_data": query, "count": count}
        return Problem(data, str(count), float(effort + len(items) * (1 + p.rules)))

    def context(self, problem: Problem, lang: str) -> dict:
        groups = [f"{it['count']} {it['size']} {it['colour']} {plural(it['kind']) if it['count'] > 1 else it['kind']}"
                  for it in problem.data["items"]]
        return {**problem.data, "groups": groups, "example": EXAMPLE_ANSWER}

    def verify(self, problem: dict, answer: str) -> Verdict:
        return verify_integer(answer, problem["count"], problem["query"])

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        items, query = problem["items"], problem["query_data"]
        counts = [it["count"] for it in items]
        return {"the query's count before the rules": str(sum(it["count"] for it in items if matches(it, query))),
                "every item at the start": str(sum(counts)),
                "every item at the end": str(sum(it["count"] for it in replay(items, problem["rule_data"]))),
                "the largest group": str(max(counts)), "the first group": str(counts[0]),
                "the last group": str(counts[-1])}

    def alternative_forms(self, problem: Problem) -> list[str]:
        return scalar_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        count = problem.data["count"]
        before = sum(it["count"] for it in problem.data["items"] if matches(it, problem.data["query_data"]))
        wrong = {str(count + 1), str(abs(count - 1) if count else 2), f"{count} items", str(before)}
        wrong.discard(str(count))
        return sorted(wrong)
