"""Vocabulary, clue semantics and English rendering for the ``zebra`` task.

A clue is data, e.g. ``{"type": "next_to", "a": ["pet", "fish"], "b": ["drink", "tea"]}``
("the person who keeps the fish lives next to the person who drinks tea"); a reference
``[category, value]`` names the person holding that value. Positional clues carry a
1-based ``"house"``. :func:`holds` is the meaning of every clue type, :func:`clue_text`
its English, :func:`clauses` its CNF (which must agree with :func:`holds`), and
:func:`random_clue` draws a clue true of a hidden arrangement.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

#: clue types unlocked by each ``variety`` knob value (cumulative)
KINDS_BY_VARIETY: dict[int, tuple[str, ...]] = {
    1: ("at", "same"),
    2: ("at", "same", "not_at", "not_same"),
    3: ("at", "same", "not_at", "not_same", "next_to", "left_of", "right_of"),
    4: ("at", "same", "not_at", "not_same", "next_to", "left_of", "right_of",
        "somewhere_left", "not_next_to"),
}
#: relative frequency of each clue type among those unlocked; direct "at" givens are rare
#: because they make a puzzle easy
WEIGHTS = {"at": 0.6, "same": 3.0, "not_at": 1.0, "not_same": 1.5, "next_to": 2.0,
           "left_of": 1.2, "right_of": 1.2, "somewhere_left": 1.5, "not_next_to": 1.0}

#: category -> (values, how to name the holder of {v}, how to ask for this category of {x});
#: values are distinct across all categories so an answer word names one cell
CATEGORIES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "name": (("Alice", "Bob", "Carol", "David", "Emma", "Frank", "Grace", "Henry"),
             "{v}", "What is the name of {x}?"),
    "nationality": (("Brit", "Swede", "Dane", "Norwegian", "German", "Spaniard", "Japanese",
                     "Italian"), "the {v}", "What is the nationality of {x}?"),
    "colour": (("red", "green", "white", "yellow", "blue", "ivory", "purple", "orange"),
               "the person in the {v} house", "What colour is the house of {x}?"),
    "pet": (("dog", "cat", "fish", "horse", "bird", "rabbit", "hamster", "zebra"),
            "the person who keeps the {v}", "Which pet does {x} keep?"),
    "drink": (("tea", "coffee", "milk", "water", "juice", "cocoa", "lemonade", "soda"),
              "the person who drinks {v}", "What does {x} drink?"),
    "sport": (("tennis", "golf", "soccer", "hockey", "rugby", "cricket", "baseball",
               "volleyball"), "the person who plays {v}", "Which sport does {x} play?"),
    "food": (("pizza", "pasta", "sushi", "tacos", "soup", "salad", "curry", "steak"),
             "the person who eats {v}", "What does {x} eat?"),
    "instrument": (("piano", "violin", "guitar", "flute", "drums", "cello", "trumpet", "harp"),
                   "the person who plays the {v}", "Which instrument does {x} play?"),
    "car": (("Ford", "Toyota", "BMW", "Honda", "Tesla", "Volvo", "Fiat", "Mazda"),
            "the {v} driver", "Which car does {x} drive?"),
    "job": (("doctor", "teacher", "pilot", "chef", "lawyer", "nurse", "farmer", "painter"),
            "the {v}", "What is the job of {x}?"),
}
MAX_HOUSES = min(len(values) for values, _, _ in CATEGORIES.values())

HouseOf = Callable[[Sequence[str]], int]


def cell_var(category: int, value: int, house: int, n: int) -> int:
    """The SAT variable "value ``value`` of ``category`` is in ``house``" (all 0-based)."""
    return 1 + (category * n + value) * n + house


def holds(clue: Mapping, house_of: HouseOf) -> bool:
    """Whether ``clue`` is true when the holder of ``[category, value]`` lives in ``house_of(ref)``."""
    kind, a = clue["type"], house_of(clue["a"])
    if kind == "at":
        return a == clue["house"]
    if kind == "not_at":
        return a != clue["house"]
    b = house_of(clue["b"])
    return {
        "same": a == b,
        "not_same": a != b,
        "left_of": a + 1 == b,
        "right_of": a == b + 1,
        "next_to": abs(a - b) == 1,
        "not_next_to": abs(a - b) != 1,
        "somewhere_left": a < b,
    }[kind]


def describe(ref: Sequence[str]) -> str:
    """The English noun phrase for the person holding ``[category, value]``."""
    return CATEGORIES[ref[0]][1].format(v=ref[1])


_CLUE_TEMPLATES = {
    "at": "{A} lives in house {k}.",
    "not_at": "{A} does not live in house {k}.",
    "same": "{A} is {B}.",
    "not_same": "{A} is not {B}.",
    "left_of": "{A} lives directly left of {B}.",
    "right_of": "{A} lives directly right of {B}.",
    "next_to": "{A} lives next to {B}.",
    "not_next_to": "{A} does not live next to {B}.",
    "somewhere_left": "{A} lives somewhere to the left of {B}.",
}


def clue_text(clue: Mapping) -> str:
    """One clue as an English sentence."""
    subject = describe(clue["a"])
    text = _CLUE_TEMPLATES[clue["type"]].format(
        A=subject[:1].upper() + subject[1:],
        B=describe(clue["b"]) if "b" in clue else "",
        k=clue.get("house", ""),
    )
    return text


def question_text(question: Mapping) -> str:
    """One question as English; ``target`` is ``"house"`` or a category name."""
    subject = describe(question["subject"])
    if question["target"] == "house":
        return f"In which house does {subject} live?"
    return CATEGORIES[question["target"]][2].format(x=subject)


def clauses(clue: dict, n: int) -> list[list[int]]:
    """CNF of one clue over x(c, v, h) = 1 + (c·n + v)·n + h (houses 0-based here)."""
    def x(ref, h):
        return cell_var(ref[0], ref[1], h, n)

    kind, a, b, houses = clue["type"], clue["a"], clue.get("b"), range(n)
    if kind == "at":
        return [[x(a, clue["house"] - 1)]]
    if kind == "not_at":
        return [[-x(a, clue["house"] - 1)]]
    if kind == "same":
        return [c for h in houses for c in ([-x(a, h), x(b, h)], [x(a, h), -x(b, h)])]
    if kind == "not_same":
        return [[-x(a, h), -x(b, h)] for h in houses]
    if kind == "right_of":
        a, b, kind = b, a, "left_of"
    if kind == "left_of":
        return [[-x(a, h)] + [x(b, h + 1)] * (h + 1 < n) for h in houses] + [
            [-x(b, h)] + [x(a, h - 1)] * (h > 0) for h in houses]
    if kind == "next_to":
        return [[-x(p, h)] + [x(q, j) for j in (h - 1, h + 1) if 0 <= j < n]
                for p, q in ((a, b), (b, a)) for h in houses]
    if kind == "not_next_to":
        return [c for h in range(n - 1) for c in ([-x(a, h), -x(b, h + 1)], [-x(a, h + 1), -x(b, h)])]
    if kind == "somewhere_left":
        return [[-x(a, h)] + [x(b, j) for j in range(h + 1, n)] for h in houses] + [
            [-x(b, h)] + [x(a, j) for j in range(h)] for h in houses]
    raise ValueError(f"unknown clue type {kind!r}")


def random_clue(kind: str, rng: np.random.Generator, perm: list, k: int) -> dict | None:
    """A clue of ``kind`` that is true of the arrangement ``perm[c][h] = value index``."""
    n = len(perm[0])

    def ref(h, c=None):
        c = int(rng.integers(k)) if c is None else int(c)
        return (c, int(perm[c][h]))

    h, g = (int(i) for i in rng.choice(n, 2, replace=False))  # two distinct houses
    if kind in ("at", "not_at"):
        return {"type": kind, "a": ref(h), "house": (h if kind == "at" else g) + 1}
    if kind in ("same", "not_same"):
        c1, c2 = rng.choice(k, 2, replace=False)
        return {"type": kind, "a": ref(h, c1), "b": ref(h if kind == "same" else g, c2)}
    if kind in ("left_of", "right_of", "next_to"):
        g = h + 1 if h + 1 < n else h - 1
    lo, hi = min(h, g), max(h, g)
    if kind == "left_of" or kind == "somewhere_left":
        return {"type": kind, "a": ref(lo), "b": ref(hi)}
    if kind == "right_of":
        return {"type": kind, "a": ref(hi), "b": ref(lo)}
    if kind == "next_to":
        return {"type": kind, "a": ref(h), "b": ref(g)}
    if kind == "not_next_to" and hi - lo >= 2:
        return {"type": kind, "a": ref(h), "b": ref(g)}
    return None
