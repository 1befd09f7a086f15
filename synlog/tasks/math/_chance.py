"""Shared pieces of the probability tasks (``probability_dice``, ``expected_value``,
``conditional_probability``): finite experiments whose outcomes are equally likely, events
(atoms joined by "and"/"or") and random quantities over them, their wording in English and
Chinese, and exact evaluation by enumerating every outcome.

Experiments (``{"kind": ...}``):

- ``dice``: ``n`` fair, distinguishable dice with ``sides`` faces 1..sides; an outcome is the
  tuple of faces (``sides ** n`` outcomes).
- ``coins``: ``n`` fair coin flips in order; an outcome is a tuple of 1 (heads) / 0 (tails).
- ``urn``: balls of colours ``counts`` (red, blue, green) drawn one at a time without
  replacement, ``draws`` of them; the elementary outcomes are the ordered draws of labelled
  balls (``perm(total, draws)``), enumerated as colour sequences weighted by how many labelled
  draws give each.

Everything is enumerated as a numpy integer matrix (one row per outcome) and each event is a
boolean mask over it, so probabilities are exact ``Fraction(count, total)``.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from functools import lru_cache

import numpy as np

COLOURS_EN = ("red", "blue", "green")
COLOURS_ZH = ("红", "蓝", "绿")
ORDINALS_EN = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
               "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
               "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth")


def _ord(i: int, lang: str) -> str:
    """The ordinal of position i (0-based): "third" / "第 3 "."""
    return ORDINALS_EN[i] if lang == "en" else f"第 {i + 1} "


# ----------------------------------------------------------------------------- experiments


@lru_cache(maxsize=256)
def _urn_draws(counts: tuple[int, ...], draws: int) -> tuple[np.ndarray, np.ndarray]:
    """The colour sequences of ``draws`` draws that the urn allows, and the weight of each: the
    number of labelled-ball draw orders giving it (the product of perm(count, used) over the
    colours); the weights sum to perm(total, draws)."""
    seqs, weights = [], []
    for seq in itertools.product(range(len(counts)), repeat=draws):
        used = [seq.count(c) for c in range(len(counts))]
        if all(u <= c for u, c in zip(used, counts, strict=True)):
            seqs.append(seq)
            weights.append(math.prod(math.perm(c, u) for c, u in zip(counts, used, strict=True)))
    array, weight = np.array(seqs, dtype=np.int64), np.array(weights, dtype=np.int64)
    array.setflags(write=False)
    weight.setflags(write=False)
    return array, weight


@lru_cache(maxsize=64)
def _grid(n: int, values: int, offset: int) -> np.ndarray:
    array = np.ascontiguousarray(np.indices((values,) * n, dtype=np.int64).reshape(n, -1).T + offset)
    array.setflags(write=False)
    return array


def outcomes(exp: dict) -> np.ndarray:
    """Every outcome of the experiment, one row each (equally likely)."""
    if exp["kind"] == "dice":
        return _grid(exp["n"], exp["sides"], 1)
    if exp["kind"] == "coins":
        return _grid(exp["n"], 2, 0)
    return _urn_draws(tuple(exp["counts"]), exp["draws"])[0]


def weights(exp: dict) -> np.ndarray | None:
    """How many equally likely elementary outcomes each row of :func:`outcomes` stands for
    (None: one each)."""
    return _urn_draws(tuple(exp["counts"]), exp["draws"])[1] if exp["kind"] == "urn" else None


def mass(exp: dict, mask: np.ndarray) -> int:
    """The number of elementary outcomes in an event."""
    w = weights(exp)
    return int(mask.sum()) if w is None else int(w[mask].sum())


def size(exp: dict) -> int:
    """The number of equally likely outcomes."""
    if exp["kind"] == "dice":
        return exp["sides"] ** exp["n"]
    if exp["kind"] == "coins":
        return 2 ** exp["n"]
    return math.perm(sum(exp["counts"]), exp["draws"])


def describe_experiment(exp: dict, lang: str) -> str:
    """The experiment as a sentence."""
    kind = exp["kind"]
    if kind == "dice":
        n, s = exp["n"], exp["sides"]
        if lang == "en":
            return (f"{n} fair {s}-sided dice, with faces numbered 1 to {s}, are rolled; the dice are "
                    f"told apart as the first, second, ... die.")
        return f"同时掷 {n} 颗均匀的 {s} 面骰子，每颗骰子的面分别标有 1 到 {s}；骰子依次称为第 1 颗、第 2 颗……"
    if kind == "coins":
        n = exp["n"]
        if lang == "en":
            return f"A fair coin is flipped {n} times in a row."
        return f"把一枚均匀的硬币连续抛 {n} 次。"
    counts = exp["counts"]
    draws = exp["draws"]
    if lang == "en":
        parts = [f"{c} {COLOURS_EN[i]}" for i, c in enumerate(counts)]
        balls = ", ".join(parts[:-1]) + f" and {parts[-1]}"
        tail = f"{draws} balls are drawn one at a time, uniformly at random and without replacement."
        return f"An urn holds {balls} balls. {tail}"
    parts = [f"{c} 个{COLOURS_ZH[i]}球" for i, c in enumerate(counts)]
    balls = "、".join(parts[:-1]) + f"和 {parts[-1]}"
    tail = f"每次随机（等可能地）取出一个球，不放回，共取 {draws} 个。"
    return f"一个袋子里有 {balls}。{tail}"


# ----------------------------------------------------------------------------- events


def _run_length(o: np.ndarray, value: int) -> np.ndarray:
    """The longest run of ``value`` in each row."""
    best = np.zeros(len(o), dtype=np.int64)
    run = np.zeros(len(o), dtype=np.int64)
    for col in range(o.shape[1]):
        run = np.where(o[:, col] == value, run + 1, 0)
        best = np.maximum(best, run)
    return best


def atom_mask(exp: dict, atom: list, o: np.ndarray) -> np.ndarray:
    """The outcomes where the atom holds."""
    name, args = atom[0], atom[1:]
    if name == "sum_ge":
        return o.sum(axis=1) >= args[0]
    if name == "sum_le":
        return o.sum(axis=1) <= args[0]
    if name == "sum_eq":
        return o.sum(axis=1) == args[0]
    if name == "sum_parity":
        return o.sum(axis=1) % 2 == args[0]
    if name in ("count_ge", "count_le", "count_eq"):  # j entries equal v (a face, a colour; coins: heads)
        hits = (o == (args[1] if len(args) > 1 else 1)).sum(axis=1)
        if name == "count_ge":
            return hits >= args[0]
        return hits <= args[0] if name == "count_le" else hits == args[0]
    if name == "distinct":
        ordered = np.sort(o, axis=1)
        return (np.diff(ordered, axis=1) != 0).all(axis=1)
    if name == "same":
        return (o == o[:, :1]).all(axis=1)
    if name == "max_le":
        return o.max(axis=1) <= args[0]
    if name == "min_ge":
        return o.min(axis=1) >= args[0]
    if name == "pos_eq":  # the i-th entry equals v
        return o[:, args[0]] == args[1]
    if name == "pos_gt":  # the i-th entry is larger than the j-th
        return o[:, args[0]] > o[:, args[1]]
    if name == "run_ge":  # a run of at least r heads
        return _run_length(o, 1) >= args[0]
    raise ValueError(f"unknown atom {name!r}")


def atom_text(exp: dict, atom: list, lang: str) -> str:
    """The atom as a clause ("the sum of the dice is at least 9")."""
    name, args = atom[0], atom[1:]
    kind = exp["kind"]
    en = lang == "en"
    if kind == "dice":
        if name == "sum_ge":
            return f"the sum of the dice is at least {args[0]}" if en else f"点数之和至少为 {args[0]}"
        if name == "sum_le":
            return f"the sum of the dice is at most {args[0]}" if en else f"点数之和至多为 {args[0]}"
        if name == "sum_eq":
            return f"the sum of the dice is exactly {args[0]}" if en else f"点数之和恰好为 {args[0]}"
        if name == "sum_parity":
            word = ("even", "odd")[args[0]] if en else ("偶数", "奇数")[args[0]]
            return f"the sum of the dice is {word}" if en else f"点数之和为{word}"
        if name in ("count_le", "count_eq") and args[0] == 0:
            return f"no die shows {args[1]}" if en else f"没有骰子掷出 {args[1]}"
        if name == "count_ge":
            return (f"at least {args[0]} of the dice show {args[1]}" if en
                    else f"至少有 {args[0]} 颗骰子掷出 {args[1]}")
        if name == "count_le":
            return (f"at most {args[0]} of the dice show {args[1]}" if en
                    else f"至多有 {args[0]} 颗骰子掷出 {args[1]}")
        if name == "count_eq":
            return (f"exactly {args[0]} of the dice show {args[1]}" if en
                    else f"恰好有 {args[0]} 颗骰子掷出 {args[1]}")
        if name == "distinct":
            return "all the dice show different numbers" if en else "所有骰子的点数互不相同"
        if name == "same":
            return "all the dice show the same number" if en else "所有骰子的点数都相同"
        if name == "max_le":
            return f"the highest number shown is at most {args[0]}" if en else f"最大点数至多为 {args[0]}"
        if name == "min_ge":
            return f"the lowest number shown is at least {args[0]}" if en else f"最小点数至少为 {args[0]}"
        if name == "pos_eq":
            return (f"the {_ord(args[0], lang)} die shows {args[1]}" if en
                    else f"{_ord(args[0], lang)}颗骰子掷出 {args[1]}")
        if name == "pos_gt":
            return (f"the {_ord(args[0], lang)} die shows a larger number than the {_ord(args[1], lang)} die" if en
                    else f"{_ord(args[0], lang)}颗骰子的点数大于{_ord(args[1], lang)}颗骰子的点数")
    elif kind == "coins":
        if name in ("count_le", "count_eq") and args[0] == 0:
            return "no flip is heads" if en else "一次正面也没有"
        if name == "count_ge":
            return f"at least {args[0]} of the flips are heads" if en else f"至少有 {args[0]} 次正面朝上"
        if name == "count_le":
            return f"at most {args[0]} of the flips are heads" if en else f"至多有 {args[0]} 次正面朝上"
        if name == "count_eq":
            return f"exactly {args[0]} of the flips are heads" if en else f"恰好有 {args[0]} 次正面朝上"
        if name == "pos_eq":
            face = ("tails", "heads")[args[1]] if en else ("反面", "正面")[args[1]]
            return (f"the {_ord(args[0], lang)} flip is {face}" if en
                    else f"{_ord(args[0], lang)}次抛出{face}")
        if name == "run_ge":
            return (f"some {args[0]} consecutive flips are all heads" if en
                    else f"出现连续至少 {args[0]} 次正面")
    else:
        colour = None
        if name in ("count_ge", "count_le", "count_eq", "pos_eq"):
            colour = (COLOURS_EN if en else COLOURS_ZH)[args[-1]]
        if name in ("count_le", "count_eq") and args[0] == 0:
            return f"no drawn ball is {colour}" if en else f"取出的球中没有{colour}球"
        if name == "count_ge":
            return f"at least {args[0]} of the drawn balls are {colour}" if en else f"取出的球中至少有 {args[0]} 个{colour}球"
        if name == "count_le":
            return f"at most {args[0]} of the drawn balls are {colour}" if en else f"取出的球中至多有 {args[0]} 个{colour}球"
        if name == "count_eq":
            return f"exactly {args[0]} of the drawn balls are {colour}" if en else f"取出的球中恰好有 {args[0]} 个{colour}球"
        if name == "pos_eq":
            return (f"the {_ord(args[0], lang)} ball drawn is {colour}" if en
                    else f"{_ord(args[0], lang)}个取出的球是{colour}球")
        if name == "same":
            return "all the drawn balls have the same colour" if en else "取出的球颜色全部相同"
    raise ValueError(f"no wording for {name!r} in a {kind} experiment")


def event_mask(exp: dict, event: dict, o: np.ndarray) -> np.ndarray:
    masks = [atom_mask(exp, atom, o) for atom in event["atoms"]]
    if event["join"] == "and":
        return np.logical_and.reduce(masks)
    return np.logical_or.reduce(masks)


def event_text(exp: dict, event: dict, lang: str) -> str:
    clauses = [atom_text(exp, atom, lang) for atom in event["atoms"]]
    if len(clauses) == 1:
        return clauses[0]
    if lang == "en":
        word = " and " if event["join"] == "and" else " or "
        body = ", ".join(clauses[:-1]) + ("," if len(clauses) > 2 else "") + word + clauses[-1]
        if event["join"] == "or":
            body += " (or more than one of these)"
        return body
    if event["join"] == "and":
        return "，并且".join(clauses)
    return "，或者".join(clauses) + "（满足其中至少一条即可）"


def probability(exp: dict, event: dict) -> Fraction:
    return Fraction(mass(exp, event_mask(exp, event, outcomes(exp))), size(exp))


# ----------------------------------------------------------------------------- random atoms


def random_atom(rng: np.random.Generator, exp: dict, names: tuple[str, ...] | None = None) -> list:
    """One atom that the experiment can state, with parameters drawn so that it is neither
    certain nor impossible by construction."""
    kind = exp["kind"]

    def pick(options):
        return options[int(rng.integers(len(options)))]

    def between(lo, hi):
        return int(rng.integers(lo, hi + 1))

    if kind == "dice":
        n, s = exp["n"], exp["sides"]
        menu = ["sum_ge", "sum_le", "sum_eq", "sum_parity", "count_ge", "count_eq", "count_le",
                "max_le", "min_ge", "pos_eq", "pos_gt"]
        if n <= s:
            menu.append("distinct")
        if n <= 3:
            menu.append("same")
        name = pick(tuple(names or menu))
        if name in ("sum_ge", "sum_le", "sum_eq"):
            return [name, between(n + 1, n * s - 1)]
        if name == "sum_parity":
            return [name, between(0, 1)]
        if name == "count_ge":
            return [name, between(1, n), between(1, s)]
        if name == "count_le":
            return [name, between(0, n - 1), between(1, s)]
        if name == "count_eq":
            return [name, between(1, n), between(1, s)]
        if name == "max_le":
            return [name, between(2, s - 1)]
        if name == "min_ge":
            return [name, between(2, s - 1)]
        if name == "pos_eq":
            return [name, between(0, n - 1), between(1, s)]
        if name == "pos_gt":
            i, j = (int(x) for x in rng.permutation(n)[:2])
            return [name, i, j]
        return [name]
    if kind == "coins":
        n = exp["n"]
        name = pick(tuple(names or ("count_ge", "count_le", "count_eq", "pos_eq", "run_ge")))
        if name == "count_ge":
            return [name, between(1, n)]
        if name == "count_le":
            return [name, between(0, n - 1)]
        if name == "count_eq":
            return [name, between(0, n)]
        if name == "pos_eq":
            return [name, between(0, n - 1), between(0, 1)]
        return [name, between(2, max(2, n - 1))]
    draws, counts = exp["draws"], exp["counts"]
    name = pick(tuple(names or ("count_ge", "count_le", "count_eq", "pos_eq", "same")))
    colour = between(0, len(counts) - 1)
    top = min(draws, counts[colour])
    if name == "count_ge":
        return [name, between(1, top), colour]
    if name == "count_le":
        return [name, between(0, max(0, top - 1)), colour]
    if name == "count_eq":
        return [name, between(0, top), colour]
    if name == "pos_eq":
        return [name, between(0, draws - 1), colour]
    return [name]


def random_event(rng: np.random.Generator, exp: dict, atoms: int) -> dict:
    join = "and" if atoms == 1 or rng.random() < 0.5 else "or"
    chosen: list[list] = []
    while len(chosen) < atoms:
        atom = random_atom(rng, exp)
        if atom not in chosen:
            chosen.append(atom)
    return {"join": join, "atoms": chosen}


def random_experiment(rng: np.random.Generator, kind: str, dice: int, sides: int, coins: int,
                      balls: int, draws: int) -> dict:
    """An experiment of the given kind and size (an urn of ``balls`` balls in 2 or 3 colours)."""
    if kind == "dice":
        return {"kind": "dice", "n": dice, "sides": sides}
    if kind == "coins":
        return {"kind": "coins", "n": coins}
    colours = 2 if balls < 6 or rng.random() < 0.5 else 3
    if colours == 2:
        first = int(rng.integers(1, balls))
        counts = [first, balls - first]
    else:
        cuts = sorted(int(c) for c in rng.choice(np.arange(1, balls), size=2, replace=False))
        counts = [cuts[0], cuts[1] - cuts[0], balls - cuts[1]]
    return {"kind": "urn", "counts": counts, "draws": min(draws, balls - 1)}


def top(value) -> int:
    """The largest value of a knob that may be a sampled range."""
    return int(value[1]) if isinstance(value, tuple) else int(value)


def numbers_in(text: str) -> set[str]:
    import re

    return set(re.findall(r"\d+", text))
