"""Word problems: a short story of several steps, with facts it does not need; one integer answer.

For example::

    Mia has 40 dollars in a piggy bank. Mia's friend has 25 dollars saved. For 3 weeks, Mia
    puts 6 dollars into it every week. Mia spends 1/2 of the money in the bank on a gift.
    How many dollars are in Mia's piggy bank now?
    answer: 29            (40 + 3 * 6 = 58, then 58 - 58/2 = 29; the friend's 25 is a distractor)

A story follows one of six schemas (savings over weeks, shopping with discounts and coupons,
a bakery's stock (rates of work), ages of a chain of people, a train's distance at several
speeds, sharing marbles by fractions and ratios). It is a chain computation graph: a first
step sets a quantity and every later step updates it (adds a product, takes a percentage off,
gives away a fraction, shares in a ratio...). Difficulty adds steps (2 to 8), distractor
sentences (numbers the answer never uses) and larger quantities.

Gold: the chain evaluated step by step with :class:`fractions.Fraction`; the numbers are drawn
so that every intermediate quantity is a positive integer. The tests read the printed English
story back sentence by sentence with their own patterns and evaluate it with sympy.

Rejected at generation: a gold equal to any number printed in the story (a distractor or a
step's number), to any intermediate quantity (stopping early never pays), to the sum of all
the story's numbers, to the prompt's example (42), or below 2.

Answer format: one integer, nothing else (``$29$`` and ``+29`` are read too). Decimals,
expressions to evaluate, units and several candidates are invalid (the shared math checker
with ``form="integer"``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.forms import NumberAnswer
from synlog.tasks.knobs import Knob, Knobs, Params

#: the gold the prompt's example shows (never a gold)
EXAMPLE = 42
#: people of the stories, written per language
NAMES = (("Mia", "小美"), ("Leo", "小雷"), ("Anna", "安娜"), ("Tom", "汤姆"), ("Lily", "莉莉"),
         ("Sam", "山姆"), ("Nora", "诺拉"), ("Ben", "小本"), ("Zoe", "佐伊"), ("Max", "马克斯"),
         ("Ivy", "艾薇"), ("Jack", "杰克"), ("Eva", "伊娃"), ("Paul", "保罗"), ("Rosa", "罗莎"),
         ("Dan", "小丹"))

# --------------------------------------------------------------------------- the step kinds
# Each kind: (how many numbers it prints, a sampler of those numbers given the current
# quantity, and the update). A sampler returns None when no numbers fit the current quantity.

Sampler = Callable[[np.random.Generator, int, int], list[int] | None]


def _divisor(rng: np.random.Generator, value: int, choices: tuple[int, ...]) -> int | None:
    """One of ``choices`` that divides ``value``, or None."""
    fits = [k for k in choices if value % k == 0]
    return int(rng.choice(fits)) if fits else None


def _take(rng: np.random.Generator, value: int, _scale: int) -> list[int] | None:
    """At most half the quantity, so small answers do not crowd the easy levels."""
    return [int(rng.integers(1, value // 2 + 1))] if value > 2 else None


def _give(rng: np.random.Generator, value: int, _scale: int) -> list[int] | None:
    k = _divisor(rng, value, (2, 3, 4, 5, 6))
    return None if k is None else [k]


def _times(rng: np.random.Generator, value: int, scale: int) -> list[int] | None:
    fits = [k for k in (2, 3, 4) if value * k <= scale]
    return [int(rng.choice(fits))] if fits else None


def _product(lo_a: int, hi_a: int, lo_b: int, hi_b: int) -> Sampler:
    return lambda rng, value, scale: [int(rng.integers(lo_a, hi_a + 1)), int(rng.integers(lo_b, hi_b + 1))]


def _amount(lo: int, hi_share: float) -> Sampler:
    return lambda rng, value, scale: [int(rng.integers(lo, max(lo, int(scale * hi_share)) + 1))]


def _discount(rng: np.random.Generator, value: int, _scale: int) -> list[int] | None:
    fits = [d for d in (10, 20, 25, 50) if value * (100 - d) % 100 == 0]
    return [int(rng.choice(fits))] if fits else None


def _ratio(rng: np.random.Generator, value: int, _scale: int) -> list[int] | None:
    fits = [(a, b) for a in (1, 2, 3, 4) for b in (1, 2, 3, 4, 5)
            if math.gcd(a, b) == 1 and a != b and value % (a + b) == 0]
    return list(fits[int(rng.integers(len(fits)))]) if fits else None


def _minutes(rng: np.random.Generator, value: int, _scale: int) -> list[int] | None:
    minutes = int(rng.choice([15, 20, 30, 40, 45]))
    speeds = [v for v in range(20, 121, 10) if v * minutes % 60 == 0]
    return [minutes, int(rng.choice(speeds))]


def _boxes(rng: np.random.Generator, value: int) -> list[int] | None:
    fits = [(k, b) for k in range(2, 7) for b in range(2, 13) if k * b < value]
    return list(fits[int(rng.integers(len(fits)))]) if fits else None


def _travel(rng: np.random.Generator) -> list[int]:
    """Hours and a speed in km per hour (a multiple of ten)."""
    return [int(rng.integers(1, 5)), 10 * int(rng.integers(3, 13))]


#: kind -> (sampler, update); the update maps (quantity, numbers) to the new quantity
STEPS: dict[str, tuple[Sampler, Callable[[Fraction, list[int]], Fraction]]] = {
    "add_product": (_product(2, 6, 2, 12), lambda v, a: v + a[0] * a[1]),
    "start_product": (_product(2, 9, 2, 15), lambda v, a: Fraction(a[0] * a[1])),
    "start": (_amount(10, 0.5), lambda v, a: Fraction(a[0])),
    "add": (_amount(2, 0.2), lambda v, a: v + a[0]),
    "subtract": (_take, lambda v, a: v - a[0]),
    "subtract_product": (lambda rng, v, s: _boxes(rng, v), lambda v, a: v - a[0] * a[1]),
    "times": (_times, lambda v, a: v * a[0]),
    "give_fraction": (_give, lambda v, a: v - v / a[0]),
    "divide": (_give, lambda v, a: v / a[0]),
    "discount": (_discount, lambda v, a: v * (100 - a[0]) / 100),
    "keep_ratio": (_ratio, lambda v, a: v * a[0] / (a[0] + a[1])),
    "add_minutes": (_minutes, lambda v, a: v + Fraction(a[0] * a[1], 60)),
    "start_travel": (lambda rng, v, s: _travel(rng), lambda v, a: Fraction(a[0] * a[1])),
    "add_travel": (lambda rng, v, s: _travel(rng), lambda v, a: v + a[0] * a[1]),
}


# --------------------------------------------------------------------------- the schemas
# A schema: its first step's kind, the kinds its later steps draw from, its distractor facts
# (each with its number's range), an optional multiple of the ``scale`` cap, and whether it
# names a new person at every step (ages). Sentences are per-language tables below.

SCHEMAS: dict[str, dict] = {
    "savings": {"first": "start", "later": ["add_product", "subtract", "times", "give_fraction", "add"],
                "distractors": {"friend_saved": (5, 90), "age": (7, 15), "bank_coins": (3, 30)}},
    "shopping": {"first": "start_product", "later": ["add_product", "discount", "subtract", "add"],
                 "distractors": {"stock": (20, 200), "walk": (5, 40), "shop_age": (2, 60)}},
    "bakery": {"first": "start", "later": ["add_product", "subtract", "subtract_product", "give_fraction"],
               "distractors": {"workers": (3, 20), "oven_age": (2, 30), "opens": (5, 9)}},
    "ages": {"first": "start", "later": ["add", "subtract", "times", "divide"], "people": True,
             "distractors": {"cat": (1, 18), "cousins": (2, 12), "school_km": (2, 25)}},
    "train": {"first": "start_travel", "later": ["add_travel", "add_minutes", "subtract"], "cap": 8,
              "distractors": {"carriages": (3, 14), "stop": (2, 25), "passengers": (40, 400)}},
    "marbles": {"first": "start", "later": ["give_fraction", "add", "add_product", "keep_ratio"],
                "distractors": {"brother_age": (4, 16), "box_cm": (8, 40), "classmates": (12, 35)}},
}

#: sentences per language: (schema, kind) for steps, (schema, distractor) for facts, and
#: (schema, "question"); {p} is the story's person, {q}/{prev} the ages chain's new/previous one
SENTENCES: dict[str, dict[tuple[str, str], str]] = {
    "en": {
        ("savings", "start"): "{p} has {0} dollars in a piggy bank.",
        ("savings", "add_product"): "For {0} weeks, {p} puts {1} dollars into it every week.",
        ("savings", "subtract"): "{p} takes out {0} dollars to buy a book.",
        ("savings", "times"): "An aunt adds money until the bank holds {0} times as much as before.",
        ("savings", "give_fraction"): "{p} spends 1/{0} of the money in the bank on a gift.",
        ("savings", "add"): "{p} finds {0} dollars and puts them in the bank.",
        ("savings", "friend_saved"): "{p}'s friend has {0} dollars saved.",
        ("savings", "age"): "{p} is {0} years old.",
        ("savings", "bank_coins"): "The piggy bank has {0} stars painted on it.",
        ("savings", "question"): "How many dollars are in {p}'s piggy bank now?",
        ("shopping", "start_product"): "{p} buys {0} notebooks at {1} dollars each.",
        ("shopping", "add_product"): "{p} also buys {0} pens at {1} dollars each.",
        ("shopping", "discount"): "The shop then takes {0}% off everything bought so far.",
        ("shopping", "subtract"): "{p} then uses a coupon worth {0} dollars.",
        ("shopping", "add"): "A delivery fee of {0} dollars is then added.",
        ("shopping", "stock"): "The shop has {0} notebooks in stock.",
        ("shopping", "walk"): "{p} walks for {0} minutes to get to the shop.",
        ("shopping", "shop_age"): "The shop opened {0} years ago.",
        ("shopping", "question"): "How many dollars does {p} pay in the end?",
        ("bakery", "start"): "A bakery has {0} loaves on its shelves in the morning.",
        ("bakery", "add_product"): "An oven then bakes {1} loaves per hour for {0} hours, and they all go on the shelves.",
        ("bakery", "subtract"): "Customers then buy {0} loaves.",
        ("bakery", "subtract_product"): "Then {0} boxes of {1} loaves each are sent to a café.",
        ("bakery", "give_fraction"): "Then 1/{0} of the loaves on the shelves are given to a shelter.",
        ("bakery", "workers"): "The bakery has {0} workers.",
        ("bakery", "oven_age"): "The oven is {0} years old.",
        ("bakery", "opens"): "The bakery opens at {0} o'clock.",
        ("bakery", "question"): "How many loaves are on the shelves at the end?",
        ("ages", "start"): "{q} is {0} years old.",
        ("ages", "add"): "{q} is {0} years older than {prev}.",
        ("ages", "subtract"): "{q} is {0} years younger than {prev}.",
        ("ages", "times"): "{q} is {0} times as old as {prev}.",
        ("ages", "divide"): "{q}'s age is {prev}'s age divided by {0}.",
        ("ages", "cat"): "{p}'s cat is {0} years old.",
        ("ages", "cousins"): "{p} has {0} cousins.",
        ("ages", "school_km"): "{p} lives {0} km from school.",
        ("ages", "question"): "How old is {q}?",
        ("train", "start_travel"): "A train leaves the station and travels for {0} hours at {1} km per hour.",
        ("train", "add_travel"): "It then travels for {0} hours at {1} km per hour.",
        ("train", "add_minutes"): "It then travels for {0} minutes at {1} km per hour.",
        ("train", "subtract"): "It then goes back {0} km towards the station.",
        ("train", "carriages"): "The train has {0} carriages.",
        ("train", "stop"): "On the way it waits {0} minutes at a signal.",
        ("train", "passengers"): "There are {0} passengers on board.",
        ("train", "question"): "How many km from the station is the train at the end?",
        ("marbles", "start"): "{p} has {0} marbles.",
        ("marbles", "give_fraction"): "{p} then gives 1/{0} of the marbles to a friend.",
        ("marbles", "add"): "{p} then wins {0} more marbles.",
        ("marbles", "add_product"): "{p} then buys {0} bags with {1} marbles in each.",
        ("marbles", "keep_ratio"): "{p} and a sister then share all the marbles in the ratio {0}:{1}, "
                                   "and {p} keeps only the first share.",
        ("marbles", "brother_age"): "{p}'s brother is {0} years old.",
        ("marbles", "box_cm"): "The marbles came in a box {0} cm wide.",
        ("marbles", "classmates"): "{p} has {0} classmates.",
        ("marbles", "question"): "How many marbles does {p} have now?",
    },
    "zh": {
        ("savings", "start"): "{p}的存钱罐里有 {0} 元。",
        ("savings", "add_product"): "接下来 {0} 周，{p}每周往里面存 {1} 元。",
        ("savings", "subtract"): "{p}从中取出 {0} 元买了一本书。",
        ("savings", "times"): "阿姨往存钱罐里添钱，使里面的钱变成原来的 {0} 倍。",
        ("savings", "give_fraction"): "{p}用存钱罐里 1/{0} 的钱买了一份礼物。",
        ("savings", "add"): "{p}捡到 {0} 元，放进了存钱罐。",
        ("savings", "friend_saved"): "{p}的朋友存了 {0} 元。",
        ("savings", "age"): "{p}今年 {0} 岁。",
        ("savings", "bank_coins"): "存钱罐上画着 {0} 颗星星。",
        ("savings", "question"): "现在{p}的存钱罐里有多少元？",
        ("shopping", "start_product"): "{p}买了 {0} 本笔记本，每本 {1} 元。",
        ("shopping", "add_product"): "{p}又买了 {0} 支笔，每支 {1} 元。",
        ("shopping", "discount"): "接着商店对目前买的所有东西打折，减去 {0}%。",
        ("shopping", "subtract"): "接着{p}用了一张 {0} 元的优惠券。",
        ("shopping", "add"): "接着又加收 {0} 元的送货费。",
        ("shopping", "stock"): "商店里有 {0} 本笔记本的库存。",
        ("shopping", "walk"): "{p}走了 {0} 分钟才到商店。",
        ("shopping", "shop_age"): "这家商店开业已有 {0} 年。",
        ("shopping", "question"): "{p}最后一共付了多少元？",
        ("bakery", "start"): "早上，一家面包店的货架上有 {0} 个面包。",
        ("bakery", "add_product"): "接着一台烤箱每小时烤 {1} 个面包，烤了 {0} 小时，全部放上货架。",
        ("bakery", "subtract"): "接着顾客买走了 {0} 个面包。",
        ("bakery", "subtract_product"): "接着有 {0} 箱面包被送到一家咖啡馆，每箱 {1} 个。",
        ("bakery", "give_fraction"): "接着货架上 1/{0} 的面包被送给了收容所。",
        ("bakery", "workers"): "面包店有 {0} 名员工。",
        ("bakery", "oven_age"): "这台烤箱已经用了 {0} 年。",
        ("bakery", "opens"): "面包店 {0} 点开门。",
        ("bakery", "question"): "最后货架上有多少个面包？",
        ("ages", "start"): "{q}今年 {0} 岁。",
        ("ages", "add"): "{q}比{prev}大 {0} 岁。",
        ("ages", "subtract"): "{q}比{prev}小 {0} 岁。",
        ("ages", "times"): "{q}的年龄是{prev}的 {0} 倍。",
        ("ages", "divide"): "{q}的年龄等于{prev}的年龄除以 {0}。",
        ("ages", "cat"): "{p}的猫 {0} 岁了。",
        ("ages", "cousins"): "{p}有 {0} 个表亲。",
        ("ages", "school_km"): "{p}家离学校 {0} 公里。",
        ("ages", "question"): "{q}今年几岁？",
        ("train", "start_travel"): "一列火车离开车站，以每小时 {1} 公里的速度行驶了 {0} 小时。",
        ("train", "add_travel"): "接着它以每小时 {1} 公里的速度又行驶了 {0} 小时。",
        ("train", "add_minutes"): "接着它以每小时 {1} 公里的速度又行驶了 {0} 分钟。",
        ("train", "subtract"): "接着它朝车站方向往回开了 {0} 公里。",
        ("train", "carriages"): "这列火车有 {0} 节车厢。",
        ("train", "stop"): "途中它在一个信号灯前等了 {0} 分钟。",
        ("train", "passengers"): "车上有 {0} 名乘客。",
        ("train", "question"): "最后火车离车站多少公里？",
        ("marbles", "start"): "{p}有 {0} 颗弹珠。",
        ("marbles", "give_fraction"): "接着{p}把 1/{0} 的弹珠送给了朋友。",
        ("marbles", "add"): "接着{p}又赢了 {0} 颗弹珠。",
        ("marbles", "add_product"): "接着{p}买了 {0} 袋弹珠，每袋 {1} 颗。",
        ("marbles", "keep_ratio"): "接着{p}和姐姐按 {0}:{1} 的比例分了所有弹珠，{p}只留下第一份。",
        ("marbles", "brother_age"): "{p}的弟弟今年 {0} 岁。",
        ("marbles", "box_cm"): "这些弹珠装在一个宽 {0} 厘米的盒子里。",
        ("marbles", "classmates"): "{p}有 {0} 个同学。",
        ("marbles", "question"): "{p}现在有多少颗弹珠？",
    },
}

#: kinds never repeated back to back ("takes 10% off, then takes 20% off" is one step in disguise)
ONCE_IN_A_ROW = ("give_fraction", "discount", "keep_ratio", "times", "divide")
#: ages are kept human; every other quantity is capped by the ``scale`` knob
AGE_CAP = 99


def evaluate(steps: list[dict]) -> list[Fraction]:
    """The quantity after each step of the chain (the last is the gold)."""
    values: list[Fraction] = []
    value = Fraction(0)
    for step in steps:
        value = STEPS[step["kind"]][1](value, step["args"])
        values.append(value)
    return values


def story_numbers(data: dict) -> list[int]:
    """Every number the story prints: the steps' and the distractors'."""
    return [n for step in data["steps"] for n in step["args"]] + [n for fact in data["facts"] for n in fact["args"]]


def render(data: dict, lang: str) -> tuple[str, str]:
    """(story, question) in ``lang``; the facts stand after the step they follow."""
    table, schema = SENTENCES[lang], data["schema"]
    names = [NAMES[i][0 if lang == "en" else 1] for i in data["people"]]
    person = names[0]
    sentences = []
    for k, step in enumerate(data["steps"]):
        # the ages chain names a new person at every step; other stories have one person
        q, prev = (names[k], names[k - 1]) if len(names) > 1 else (person, person)
        sentences.append(table[(schema, step["kind"])].format(*step["args"], p=person, q=q, prev=prev))
        for fact in data["facts"]:
            if fact["after"] == k:
                who = names[fact.get("who", 0)]
                sentences.append(table[(schema, fact["kind"])].format(*fact["args"], p=who))
    last = names[-1]
    question = table[(schema, "question")].format(p=person, q=last)
    return ("" if lang == "zh" else " ").join(sentences), question


@register
class WordProblems(NumberAnswer, Task):
    """Solve a multi-step word problem whose story also holds facts the answer does not use."""

    name, family, version = "word_problems", "math", 1
    value_form = "integer"
    #: the commonest gold at level 1 (two small steps) comes up in about 3 % of the rows
    chance = 0.04
    knobs = Knobs(
        steps=Knob(int, levels=[2, 2, 3, 3, 4, 5, 5, 6, 7, 8], lo=2, hi=8,
                   help="steps of the computation chain (the first sets the quantity)"),
        distractors=Knob(int, levels=[0, 1, 1, 1, 2, 2, 2, 3, 3, 3], lo=0, hi=3,
                         help="sentences with numbers the answer does not use"),
        scale=Knob(int, levels=[80, 100, 150, 200, 300, 400, 500, 700, 850, 1000], lo=40, hi=10_000,
                   help="the largest quantity a step may reach (ages stay below 100)"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        schema_name = list(SCHEMAS)[int(rng.integers(len(SCHEMAS)))]
        schema = SCHEMAS[schema_name]
        cap = AGE_CAP if schema.get("people") else p.scale * schema.get("cap", 1)
        steps = self._chain(rng, schema, p.steps, cap)
        people = rng.choice(len(NAMES), p.steps if schema.get("people") else 1, replace=False).tolist()
        facts = self._facts(rng, schema, p.distractors, p.steps, len(people))
        data = {"schema": schema_name, "people": people, "steps": steps, "facts": facts}
        values = evaluate(steps)
        gold = values[-1]
        printed = story_numbers(data)
        if gold.denominator != 1 or gold < 2 or gold == EXAMPLE:
            raise Reject("a trivial gold or the example's")
        if gold in printed or gold in values[:-1] or gold == sum(printed):
            raise Reject("the gold equals a printed number, an intermediate quantity or the numbers' sum")
        data["value"] = str(int(gold))
        data["story"], data["question"] = render(data, "en")
        operations = sum(max(len(s["args"]), 1) for s in steps)
        return Problem(data, data["value"], float(operations + len(facts)))

    @staticmethod
    def _chain(rng: np.random.Generator, schema: dict, count: int, cap: int) -> list[dict]:
        """``count`` steps whose running quantity stays a positive integer up to ``cap``."""
        first = schema["first"]
        steps = [{"kind": first, "args": STEPS[first][0](rng, 0, cap)}]
        value = evaluate(steps)[-1]
        if value > cap:
            raise Reject("the first quantity is over the cap")
        while len(steps) < count:
            for _ in range(20):
                kind = schema["later"][int(rng.integers(len(schema["later"])))]
                if kind == steps[-1]["kind"] and kind in ONCE_IN_A_ROW:
                    continue
                args = STEPS[kind][0](rng, int(value), cap)
                if args is None:
                    continue
                new = STEPS[kind][1](value, args)
                if new.denominator == 1 and 1 <= new <= cap and new != value:
                    steps.append({"kind": kind, "args": args})
                    value = new
                    break
            else:
                raise Reject("no step fits the current quantity")
        return steps

    @staticmethod
    def _facts(rng: np.random.Generator, schema: dict, count: int, steps: int, people: int) -> list[dict]:
        """Distractor sentences, each after a random step, each about a random person."""
        kinds = list(schema["distractors"])
        chosen = rng.choice(len(kinds), min(count, len(kinds)), replace=False).tolist()
        facts = []
        for index in chosen:
            lo, hi = schema["distractors"][kinds[index]]
            fact = {"kind": kinds[index], "args": [int(rng.integers(lo, hi + 1))],
                    "after": int(rng.integers(steps))}
            if people > 1:  # someone already in the story
                fact["who"] = int(rng.integers(fact["after"] + 1))
            facts.append(fact)
        return facts

    def context(self, problem: Problem, lang: str) -> dict:
        story, question = render(problem.data, lang)
        return {"story": story, "question": question}

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Stopping one step early, the sum of every printed number, the largest printed number."""
        values = evaluate(problem["steps"])
        printed = story_numbers(problem)
        out = {"the sum of the story's numbers": str(sum(printed)), "the largest printed number": str(max(printed))}
        if len(values) > 1:
            out["stopping one step early"] = str(values[-2])
        return out

    def hardness(self, problem: dict) -> float:
        """Numbers in the story (used or not) plus twice the steps."""
        return float(len(story_numbers(problem)) + 2 * len(problem["steps"]))

    def instance_space(self, spec: dict) -> float | None:
        """About ten choices per number and three kinds per step, over six schemas (a rough
        lower estimate)."""
        steps = spec["steps"][0] if isinstance(spec["steps"], tuple) else spec["steps"]
        return float(6 * 30 ** steps)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = int(problem.data["value"])
        return [str(gold + 1), str(gold - 1), str(2 * gold), f"{gold} or {gold + 1}", f"{gold}, {gold + 1}"]
