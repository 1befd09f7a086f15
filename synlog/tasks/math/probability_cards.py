"""Probability with playing cards: the exact chance of an event, as a reduced fraction.

For example::

    A standard 52-card deck ... 2 cards are dealt from it at random, without replacement.
    What is the probability that at least 1 ace is drawn and no two cards drawn have the
    same rank?
    answer: 32/221

The deck is the standard 52 cards (13 ranks in four suits) or, at low levels, a reduced deck
that keeps only the top ranks (ace, king, queen, jack, ...) of each suit. ``cards`` cards are
dealt without replacement (every set of cards equally likely) or drawn with replacement (the
card is put back and the deck reshuffled; every ordered sequence equally likely). The event
joins conditions with "and" (and, from level 3, "or"); a condition counts a suit, a rank, a
colour or the face cards among the cards drawn (at least / exactly / at most j, "no ..."), or
says the cards all share a suit or a colour, all differ in rank, or all differ in suit.
Difficulty grows the deck, the cards drawn and the conditions.

Gold: every hand is enumerated as a numpy matrix of card indices (``combinations`` of the deck
without replacement; ``combinations_with_replacement`` weighted by the number of ordered draws,
``k! / prod(m!)``, with replacement), each condition is a boolean mask over it, and the
probability is ``Fraction(hits, total)``. The tests recount each instance by a pure-Python
loop over ``itertools.combinations`` / ``itertools.product`` of a deck they build from the
printed English question, with their own reading of each printed condition.

Instances are rejected when the probability is 0, 1 or 1/2, equals the prompt's example
(1/17), or equals a shortcut: one condition alone, the event with the other join, or the same
event with the drawing mode swapped (with versus without replacement).

Answer format: an integer (0 or 1) or a fraction a/b in lowest terms (``\\frac{a}{b}``
accepted). Decimals, percentages, unreduced fractions, expressions to evaluate and several
candidates are invalid (the shared math checker with ``form="rational"``).
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from functools import lru_cache

import numpy as np

from synlog.errors import KnobError, Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.arith import format_rational
from synlog.tasks.common.forms import NumberAnswer
from synlog.tasks.knobs import Knob, Knobs, Params

#: the gold the prompt's example shows
EXAMPLE = Fraction(1, 17)
#: ranks from the top; a reduced deck keeps the first ``ranks`` of them
RANKS_EN = ("ace", "king", "queen", "jack", "ten", "nine", "eight", "seven", "six", "five", "four",
            "three", "two")
RANKS_ZH = ("A", "K", "Q", "J", "10", "9", "8", "7", "6", "5", "4", "3", "2")
FACE_RANKS = (1, 2, 3)  # king, queen, jack
SUITS_EN = ("spade", "heart", "diamond", "club")
SUITS_ZH = ("黑桃", "红心", "方块", "梅花")
RED_SUITS = (1, 2)
COLOURS_EN = ("red", "black")
COLOURS_ZH = ("红色", "黑色")
#: the most hands one instance may enumerate
MAX_HANDS = 4_000_000


# ----------------------------------------------------------------------------- hands


def hands(deck: int, cards: int, replacement: bool) -> tuple[np.ndarray, np.ndarray]:
    """Every hand as a sorted row of card indices (card i has rank i // 4, suit i % 4), and how
    many equally likely outcomes each row stands for (1 each without replacement; the ordered
    draws ``k! / prod(m!)`` giving that multiset with replacement)."""
    combine = itertools.combinations_with_replacement if replacement else itertools.combinations
    flat = np.fromiter(itertools.chain.from_iterable(combine(range(deck), cards)), dtype=np.int8)
    rows = flat.reshape(-1, cards)
    if replacement:
        # for sorted rows, the product over positions of "copies of this card so far" is prod(m!)
        so_far = np.stack([(rows[:, : j + 1] == rows[:, j: j + 1]).sum(axis=1) for j in range(cards)], axis=1)
        weight = math.factorial(cards) // np.prod(so_far, axis=1)
    else:
        weight = np.ones(len(rows), dtype=np.int64)
    return rows, weight.astype(np.int64)


def outcomes(exp: dict) -> int:
    """The number of equally likely outcomes: sets of cards, or ordered draws."""
    deck = 4 * exp["ranks"]
    return deck ** exp["cards"] if exp["replacement"] else math.comb(deck, exp["cards"])


def _compare(counts: np.ndarray, cmp: str, j: int) -> np.ndarray:
    return counts >= j if cmp == "ge" else (counts == j if cmp == "eq" else counts <= j)


@lru_cache(maxsize=64)
def features(deck: int, cards: int, replacement: bool) -> dict[str, np.ndarray]:
    """What the conditions read from each hand, computed once per deck and drawing mode: the
    count of each suit and of each rank, of red and of face cards, and whether the hand is one
    suit, one colour, all ranks different, all suits different; ``weight`` as in :func:`hands`."""
    rows, weight = hands(deck, cards, replacement)
    suits, ranks = rows % 4, rows // 4
    suit = np.stack([(suits == s).sum(axis=1) for s in range(4)], axis=1).astype(np.int8)
    rank = np.stack([(ranks == r).sum(axis=1) for r in range(deck // 4)], axis=1).astype(np.int8)
    red = suit[:, list(RED_SUITS)].sum(axis=1)
    out = {
        "suit": suit, "rank": rank, "red": red, "face": rank[:, list(FACE_RANKS)].sum(axis=1),
        "same_suit": suit.max(axis=1) == cards, "same_colour": (red == 0) | (red == cards),
        "distinct_ranks": rank.max(axis=1) <= 1, "distinct_suits": suit.max(axis=1) <= 1, "weight": weight,
    }
    for array in out.values():
        array.setflags(write=False)
    return out


def atom_mask(atom: list, hand: dict[str, np.ndarray], cards: int) -> np.ndarray:
    """The hands (rows of :func:`features`) where the condition holds."""
    name, args = atom[0], atom[1:]
    if name in ("suit", "rank"):
        return _compare(hand[name][:, args[2]], args[0], args[1])
    if name == "colour":
        return _compare(hand["red"] if args[2] == 0 else cards - hand["red"], args[0], args[1])
    if name == "face":
        return _compare(hand["face"], args[0], args[1])
    if name in ("same_suit", "same_colour", "distinct_ranks", "distinct_suits"):
        return hand[name]
    raise ValueError(f"unknown condition {name!r}")


def masks(exp: dict, event: dict, replacement: bool | None = None) -> tuple[list[np.ndarray], np.ndarray]:
    """The masks of the event's conditions and the hands' weights (the experiment's drawing
    mode, or the one named)."""
    mode = exp["replacement"] if replacement is None else replacement
    hand = features(4 * exp["ranks"], exp["cards"], mode)
    return [atom_mask(atom, hand, exp["cards"]) for atom in event["atoms"]], hand["weight"]


def chance_of(mask: np.ndarray, weight: np.ndarray) -> Fraction:
    """The weighted share of the hands in ``mask`` (an integer dot product: exact, and faster
    than summing a fancy-indexed copy of millions of weights)."""
    return Fraction(int(np.dot(mask.astype(np.int64), weight)), int(weight.sum()))


def probability(exp: dict, event: dict, replacement: bool | None = None) -> Fraction:
    """The event's probability (optionally with the drawing mode swapped)."""
    parts, weight = masks(exp, event, replacement)
    reduce = np.logical_and if event["join"] == "and" else np.logical_or
    return chance_of(reduce.reduce(parts), weight)


def chances(exp: dict, event: dict) -> dict[str, Fraction]:
    """From one set of masks: the probability with each join ("and", "or") and of each
    condition alone ("condition k alone")."""
    parts, weight = masks(exp, event)
    out = {"and": chance_of(np.logical_and.reduce(parts), weight), "or": chance_of(np.logical_or.reduce(parts), weight)}
    out.update({f"condition {k + 1} alone": chance_of(m, weight) for k, m in enumerate(parts)})
    return out


def shortcuts(exp: dict, event: dict, own: dict[str, Fraction]) -> dict[str, Fraction]:
    """What a solver who drops conditions, misreads the join, swaps the drawing mode or takes
    one card's chance gets (``own``: :func:`chances` of the event)."""
    out = {}
    if len(event["atoms"]) > 1:
        out = {name: value for name, value in own.items() if name.startswith("condition")}
        out["the other join"] = own["or" if event["join"] == "and" else "and"]
    out["drawing mode swapped"] = probability(exp, event, replacement=not exp["replacement"])
    out["one over the deck"] = Fraction(1, 4 * exp["ranks"])
    return out


# ----------------------------------------------------------------------------- wording


def _count_noun(atom: list, j: int, lang: str) -> str:
    """What a counting condition counts, in the number ``j`` asks for ("hearts", "红心")."""
    name, value = atom[0], atom[-1]
    if lang == "zh":
        if name == "suit":
            return SUITS_ZH[value]
        if name == "rank":
            return f" {RANKS_ZH[value]}"
        return f"{COLOURS_ZH[value]}的牌" if name == "colour" else "人头牌"
    if name == "suit":
        word = SUITS_EN[value]
    elif name == "rank":
        word = RANKS_EN[value]
    elif name == "colour":
        word = f"{COLOURS_EN[value]} card"
    else:
        word = "face card"
    if j == 1:
        return word
    return word + ("es" if word.endswith("x") else "s")


def atom_text(atom: list, lang: str) -> str:
    """The condition as a clause ("exactly 2 hearts are drawn")."""
    name = atom[0]
    en = lang == "en"
    if name in ("suit", "rank", "colour", "face"):
        cmp, j = atom[1], atom[2]
        noun = _count_noun(atom, j, lang)
        if cmp == "le" and j == 0:
            return f"no {_count_noun(atom, 1, lang)} is drawn" if en else f"没有抽到{noun}"
        if en:
            verb = "is" if j == 1 else "are"
            word = {"ge": "at least", "eq": "exactly", "le": "at most"}[cmp]
            return f"{word} {j} {noun} {verb} drawn"
        word = {"ge": "至少", "eq": "恰好", "le": "至多"}[cmp]
        return f"{word}抽到 {j} 张{noun}"
    return {
        "same_suit": ("all the cards drawn have the same suit", "抽到的牌花色全部相同"),
        "same_colour": ("all the cards drawn have the same colour", "抽到的牌颜色全部相同"),
        "distinct_ranks": ("no two cards drawn have the same rank", "抽到的牌中没有两张点数相同"),
        "distinct_suits": ("the cards drawn all have different suits", "抽到的牌花色互不相同"),
    }[name][0 if en else 1]


def event_text(event: dict, lang: str) -> str:
    clauses = [atom_text(atom, lang) for atom in event["atoms"]]
    if len(clauses) == 1:
        return clauses[0]
    if lang == "en":
        word = " and " if event["join"] == "and" else " or "
        body = ", ".join(clauses[:-1]) + ("," if len(clauses) > 2 else "") + word + clauses[-1]
        return body + (" (or more than one of these)" if event["join"] == "or" else "")
    if event["join"] == "and":
        return "，并且".join(clauses)
    return "，或者".join(clauses) + "（满足其中至少一条即可）"


def describe_experiment(exp: dict, lang: str) -> str:
    """The deck and the drawing, as sentences."""
    r, k = exp["ranks"], exp["cards"]
    if lang == "en":
        if r == 13:
            deck = ("A standard 52-card deck is used: 13 ranks (ace, 2 to 10, jack, queen, king) in each of "
                    "the four suits spades, hearts, diamonds and clubs.")
        else:
            names = ", ".join(RANKS_EN[: r - 1]) + f" and {RANKS_EN[r - 1]}"
            deck = (f"A reduced deck of {4 * r} cards is used: only the {names} of each of the four suits "
                    f"spades, hearts, diamonds and clubs.")
        deck += " Hearts and diamonds are red, spades and clubs are black; jacks, queens and kings are face cards."
        if exp["replacement"]:
            draw = (f" A card is drawn at random, noted, put back and the deck reshuffled; this is done {k} "
                    f"times in all, so the same card may be drawn more than once (all {k}-draw sequences "
                    f"are equally likely).")
        else:
            draw = (f" {k} cards are dealt from it at random, without replacement (every set of {k} cards "
                    f"is equally likely).")
        return deck + draw
    if r == 13:
        deck = ("使用一副标准的 52 张扑克牌（不含大小王）：黑桃、红心、方块、梅花四种花色各 13 张，"
                "点数为 A、2～10、J、Q、K。")
    else:
        names = "、".join(RANKS_ZH[:r])
        deck = f"使用一副精简的扑克牌，共 {4 * r} 张：黑桃、红心、方块、梅花四种花色各只保留 {names}。"
    deck += "红心和方块是红色，黑桃和梅花是黑色；J、Q、K 是人头牌。"
    if exp["replacement"]:
        draw = (f"每次随机抽一张牌，记下后放回并重新洗牌，共抽 {k} 次，所以同一张牌可能被抽到不止一次"
                f"（所有 {k} 次抽取的序列都等可能）。")
    else:
        draw = f"从中随机抽出 {k} 张牌，不放回（任意 {k} 张牌的组合都等可能）。"
    return deck + draw


def question(data: dict, lang: str) -> str:
    exp, event = data["experiment"], data["event"]
    setup = describe_experiment(exp, lang)
    if lang == "en":
        return f"{setup} What is the probability that {event_text(event, lang)}?"
    return f"{setup}求以下事件的概率：{event_text(event, lang)}。"


# ----------------------------------------------------------------------------- random events


def random_atom(rng: np.random.Generator, exp: dict) -> list:
    """One condition on the hand (it may still be certain or impossible: the caller checks)."""
    r, k = exp["ranks"], exp["cards"]
    menu = ["suit", "suit", "rank", "rank", "colour", "face", "same_suit", "same_colour", "distinct_ranks"]
    if k <= 4:
        menu.append("distinct_suits")
    name = menu[int(rng.integers(len(menu)))]
    if name not in ("suit", "rank", "colour", "face"):
        return [name]
    cmp = ("ge", "eq", "le")[int(rng.integers(3))]
    j = int(rng.integers(1, k + 1)) if cmp != "le" else int(rng.integers(0, k))
    value = {"suit": 4, "rank": r, "colour": 2, "face": 1}[name]
    return [name, cmp, j] + ([int(rng.integers(value))] if name != "face" else [])


def random_event(rng: np.random.Generator, exp: dict, atoms: int, or_join: bool) -> dict:
    """``atoms`` different conditions, none certain or impossible alone, joined by "and" or
    (when allowed) "or"."""
    join = "or" if or_join and rng.random() < 0.5 else "and"
    hand = features(4 * exp["ranks"], exp["cards"], exp["replacement"])
    chosen: list[list] = []
    for _ in range(200):
        atom = random_atom(rng, exp)
        mask = atom_mask(atom, hand, exp["cards"])
        if atom not in chosen and mask.any() and not mask.all():
            chosen.append(atom)
            if len(chosen) == atoms:
                return {"join": join, "atoms": chosen}
    raise Reject("no varied conditions found")


@register
class ProbabilityCards(NumberAnswer, Task):
    """Give the exact probability of an event when cards are drawn from a deck."""

    name, family, version = "probability_cards", "math", 1
    value_form = "rational"
    chance = 0.05
    knobs = Knobs(
        ranks=Knob(int, levels=[(4, 7), (4, 8), (6, 10), 13, 13, 13, 13, 13, 13, 13], lo=4, hi=13,
                   help="ranks kept in each suit (13: the standard 52-card deck)"),
        cards=Knob(int, levels=[(2, 4), 3, 3, 3, 3, 4, 5, 5, 5, 5], lo=2, hi=5, help="cards drawn"),
        conditions=Knob(int, levels=[2, 2, 2, 2, 3, 3, 3, 4, 4, 5], lo=1, hi=5,
                        help="conditions joined into the event"),
        or_join=Knob(bool, levels=[False, False] + [True] * 8,
                     help="whether the conditions may be joined by 'or' (else always 'and')"),
        replacement=Knob(str, levels=["without"] + ["either"] * 7 + ["with"] * 2,
                         choices=("without", "with", "either"),
                         help="drawing mode: without or with replacement, or either at random"),
    )

    def check_params(self, params: Params) -> None:
        deck, k = 4 * params.ranks, params.cards
        if max(math.comb(deck + k - 1, k), math.comb(deck, k)) > MAX_HANDS:
            raise KnobError(f"{k} cards from a {deck}-card deck are too many hands to enumerate "
                            f"(at most {MAX_HANDS:,}); lower cards or ranks")

    def context(self, problem: Problem, lang: str) -> dict:
        return {**problem.data, "question": question(problem.data, lang)}

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        mode = p.replacement if p.replacement != "either" else ("with", "without")[int(rng.integers(2))]
        exp = {"ranks": p.ranks, "cards": p.cards, "replacement": mode == "with"}
        event = random_event(rng, exp, p.conditions, p.or_join)
        own = chances(exp, event)
        value = own[event["join"]]
        if value in (0, 1, Fraction(1, 2), EXAMPLE) or value in shortcuts(exp, event, own).values():
            raise Reject("a trivial or shortcut probability")
        data = {"experiment": exp, "event": event, "value": format_rational(value)}
        data["question"] = question(data, "en")
        return Problem(data, data["value"], float(outcomes(exp) * len(event["atoms"])))

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """The chance of one condition alone, of the event with "and"/"or" swapped or with the
        drawing mode swapped, and one over the deck."""
        exp, event = problem["experiment"], problem["event"]
        return {name: format_rational(value) for name, value in shortcuts(exp, event, chances(exp, event)).items()}

    def hardness(self, problem: dict) -> float:
        """Conditions times the bits of the outcome space."""
        return float(len(problem["event"]["atoms"]) * math.log2(outcomes(problem["experiment"])))

    def instance_space(self, spec: dict) -> float | None:
        """Unordered choices of conditions (about 30 parametrised conditions at the smallest
        deck) times the joins and drawing modes (a lower estimate)."""
        ranks = spec["ranks"][0] if isinstance(spec["ranks"], tuple) else spec["ranks"]
        k = spec["conditions"][1] if isinstance(spec["conditions"], tuple) else spec["conditions"]
        atoms = 3 * 3 * (4 + ranks + 2 + 1) + 4
        return float(math.comb(atoms, k) * (2 if spec["or_join"] else 1) * (2 if spec["replacement"] == "either" else 1))

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        value = Fraction(problem.data["value"])
        out = [format_rational(1 - value), format_rational(value * 2) if value * 2 < 1 else format_rational(value / 2),
               f"{value.numerator + 1}/{value.denominator}" if math.gcd(value.numerator + 1, value.denominator) == 1
               else f"{value.numerator}/{value.denominator + 1}",
               f"{format_rational(value)} or {format_rational(1 - value)}"]
        return [o for o in out if o != problem.data["value"]]
