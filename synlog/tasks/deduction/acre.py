"""ACRE-style causal induction: which object sets light the machine, from a few trials?

After Zhang et al. (2021), "ACRE: Abstract Causal REasoning Beyond Covariation". Some objects
are *blickets*; the machine lights up exactly when at least one blicket is on it. The prompt
shows trials (a set of objects, and whether the machine lit up), then asks about new sets::

    Trial 1: red cube, blue sphere -> on
    Trial 2: blue sphere -> off
    Trial 3: green cone -> off
    Query 1: red cube               (on: the blue sphere is no blicket, so the red cube is)
    Query 2: green cone, blue sphere   (off: neither is a blicket)
    Query 3: yellow cylinder        (undetermined: never tried)
    <answer>on, off, undetermined</answer>

A query is ``on`` when every assignment of blicket status that explains all the trials puts a
blicket in the set, ``off`` when none does, and ``undetermined`` otherwise. Difficulty adds
objects (4 to 10), trials (distinct sets), objects per trial and queries (4 to 6).

Gold: every one of the 2^n blicket assignments is checked against the trials at once (numpy
bit masks); each query is labelled by the surviving assignments. The tests parse the printed
prompt and ask a SAT solver (python-sat) whether each query can be on, and whether it can be
off, under the trials' clauses.

Generation balances the labels (each of the three labels appears ``queries // 3`` or one more
times, in random order), so a constant answer is never right and a blind guess is right far
below one time in ten. Rejected: a query equal to a trial's set or to another query, and an
answer equal to the prompt's example.

Answer format: one label per query, in query order: ``on``, ``off`` or ``undetermined``,
separated by commas or new lines (case is ignored; an item may start with its number, as in
``Query 2: off`` or ``2. off``). A wrong count of labels is invalid; there is no partial credit.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np

from synlog.errors import KnobError, Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import answer_lines, decorated_forms
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

LABELS = ("on", "off", "undetermined")
#: the prompt's example answer (never a gold)
EXAMPLE = ("on", "off", "undetermined", "off")
COLOURS = (("red", "红色"), ("blue", "蓝色"), ("green", "绿色"), ("yellow", "黄色"), ("purple", "紫色"),
           ("gray", "灰色"), ("brown", "棕色"), ("orange", "橙色"), ("pink", "粉色"), ("white", "白色"))
SHAPES = (("cube", "立方体"), ("sphere", "球体"), ("cylinder", "圆柱体"), ("cone", "圆锥体"))
#: candidate query sets drawn before the labels are balanced
CANDIDATES = 60
MAX_ANSWER_CHARS = 400
_ITEM = re.compile(r"(?:(?:query\s*)?(\d+)\s*[:.)=-]\s*)?(on|off|undetermined)", re.I)
_SEPARATORS = re.compile(r"[,;\n]")


@cache
def _assignments(n: int) -> np.ndarray:
    """Every blicket assignment of n objects as a bit mask (bit i: object i is a blicket)."""
    out = np.arange(2**n, dtype=np.int64)
    out.flags.writeable = False
    return out


def mask(objects: list[int]) -> int:
    return sum(1 << i for i in objects)


def consistent(n: int, trials: list[dict]) -> np.ndarray:
    """The assignments that explain every trial: a lit trial holds a blicket, a dark one none."""
    masks = _assignments(n)
    keep = np.ones(len(masks), dtype=bool)
    for trial in trials:
        keep &= ((masks & mask(trial["objects"])) != 0) == trial["on"]
    return masks[keep]


def label(survivors: np.ndarray, objects: list[int]) -> str:
    """``on``/``off`` when every surviving assignment agrees on the set, else ``undetermined``."""
    lit = (survivors & mask(objects)) != 0
    return "on" if lit.all() else "off" if not lit.any() else "undetermined"


@register
class Acre(Task):
    """Say whether object sets light a blicket detector, from the trials shown (ACRE)."""

    name, family, version = "acre", "deduction", 1
    chance = 0.03
    knobs = Knobs(
        objects=Knob(int, levels=[4, 4, 5, 5, 6, 6, 7, 8, 9, 10], lo=3, hi=12, help="objects in the scene"),
        trials=Knob(int, levels=[3, 4, 4, 5, 5, 6, 6, 7, 8, 8], lo=1, hi=20, help="trials shown"),
        set_size=Knob(int, levels=[2, 2, 3, 3, 3, 3, 4, 4, 4, 4], lo=1, hi=6,
                      help="most objects in one trial or query"),
        queries=Knob(int, levels=[4, 4, 4, 5, 5, 5, 6, 6, 6, 6], lo=3, hi=9, help="sets asked about"),
    )

    def check_params(self, params: Params) -> None:
        if params.set_size > params.objects:
            raise KnobError(f"set_size={params.set_size} exceeds objects={params.objects}; "
                            "a set holds at most every object")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        n = p.objects
        blickets = sorted(rng.choice(n, int(rng.integers(1, n // 2 + 1)), replace=False).tolist())
        trials: list[dict] = []
        for _ in range(4 * p.trials):  # distinct sets: a repeated trial tells nothing new
            objects = self._draw_set(rng, n, p.set_size)
            if all(t["objects"] != objects for t in trials):
                trials.append({"objects": objects, "on": bool(set(objects) & set(blickets))})
            if len(trials) == p.trials:
                break
        else:
            raise Reject("too few distinct trial sets")
        survivors = consistent(n, trials)
        queries = self._balanced_queries(rng, p, survivors, {tuple(t["objects"]) for t in trials})
        labels = [label(survivors, q) for q in queries]
        if tuple(labels) == EXAMPLE:
            raise Reject("the answer is the prompt's example")
        names = rng.choice(len(COLOURS) * len(SHAPES), n, replace=False).tolist()
        data = {"names": names, "blickets": blickets, "trials": trials, "queries": queries, "labels": labels}
        return Problem(data, ", ".join(labels), float(2**n * (p.trials + p.queries)))

    @staticmethod
    def _draw_set(rng: np.random.Generator, n: int, most: int) -> list[int]:
        size = int(rng.integers(1, most + 1))
        return sorted(rng.choice(n, size, replace=False).tolist())

    def _balanced_queries(self, rng: np.random.Generator, p: Params, survivors: np.ndarray,
                          tried: set[tuple]) -> list[list[int]]:
        """``p.queries`` new sets whose labels are as evenly spread as three labels allow."""
        pools: dict[str, list[list[int]]] = {name: [] for name in LABELS}
        seen = set(tried)
        for _ in range(CANDIDATES):
            objects = self._draw_set(rng, p.objects, p.set_size)
            if tuple(objects) not in seen:
                seen.add(tuple(objects))
                pools[label(survivors, objects)].append(objects)
        counts = [p.queries // 3] * 3
        for k in rng.choice(3, p.queries % 3, replace=False).tolist():
            counts[k] += 1
        if any(len(pools[name]) < count for name, count in zip(LABELS, counts, strict=True)):
            raise Reject("too few query sets of some label")
        queries = [pools[name][k] for name, count in zip(LABELS, counts, strict=True) for k in range(count)]
        return [queries[int(i)] for i in rng.permutation(len(queries))]

    def context(self, problem: Problem, lang: str) -> dict:
        d = problem.data
        side = 0 if lang == "en" else 1
        names = [COLOURS[i // len(SHAPES)][side] + (" " if side == 0 else "") + SHAPES[i % len(SHAPES)][side]
                 for i in d["names"]]
        join = ", " if lang == "en" else "、"
        state = {True: "on", False: "off"} if lang == "en" else {True: "亮", False: "不亮"}
        return {"objects": join.join(names),
                "trials": [(join.join(names[i] for i in t["objects"]), state[t["on"]]) for t in d["trials"]],
                "queries": [join.join(names[i] for i in q) for q in d["queries"]]}

    def verify(self, problem: dict, answer: str) -> Verdict:
        if len(answer) > MAX_ANSWER_CHARS:
            return Verdict.invalid("answer too long")
        items = [item.strip() for line in answer_lines(answer) for item in _SEPARATORS.split(line)]
        items = [item for item in items if item]
        given = []
        for position, item in enumerate(items, start=1):
            match = _ITEM.fullmatch(item)
            if match is None:
                return Verdict.unparseable(f"expected on, off or undetermined; got {item[:40]!r}")
            if match.group(1) is not None and int(match.group(1)) != position:
                return Verdict.invalid(f"item {position} is numbered {match.group(1)}")
            given.append(match.group(2).lower())
        gold = problem["labels"]
        if len(given) != len(gold):
            return Verdict.invalid(f"expected {len(gold)} labels, one per query, got {len(given)}")
        wrong = [k + 1 for k, (a, b) in enumerate(zip(given, gold, strict=True)) if a != b]
        return Verdict.wrong(f"wrong label for queries {wrong}") if wrong else Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """One label for every query; the true blickets' answer read as covariation (a set is
        on when it holds an object of a lit trial)."""
        k = len(problem["queries"])
        out = {f"all {name}": ", ".join([name] * k) for name in LABELS}
        lit = {i for t in problem["trials"] if t["on"] for i in t["objects"]}
        out["on when an object was ever in a lit trial"] = ", ".join(
            "on" if set(q) & lit else "off" for q in problem["queries"])
        return out

    def hardness(self, problem: dict) -> float:
        """Objects times trials plus the objects named in all trials and queries."""
        named = sum(len(t["objects"]) for t in problem["trials"]) + sum(map(len, problem["queries"]))
        return float(len(problem["names"]) * len(problem["trials"]) + named)

    def instance_space(self, spec: dict) -> float | None:
        """Blicket sets times the trials' object sets (singletons and pairs at least)."""
        n = spec["objects"][0] if isinstance(spec["objects"], tuple) else spec["objects"]
        trials = spec["trials"][0] if isinstance(spec["trials"], tuple) else spec["trials"]
        return float(2**n * (n * (n + 1) // 2) ** trials)

    def alternative_forms(self, problem: Problem) -> list[str]:
        """The labels of ``problem.answer`` (the gold, or any answer written as the gold is) in
        the other forms verify accepts."""
        labels = [x.strip() for x in problem.answer.split(",")]
        return [*decorated_forms(labels, ", "), "\n".join(labels), ", ".join(x.upper() for x in labels),
                "\n".join(f"Query {k}: {x}" for k, x in enumerate(labels, start=1))]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        labels = problem.data["labels"]
        out = []
        for k in rng.permutation(len(labels))[:3].tolist():
            other = [x for x in LABELS if x != labels[k]][int(rng.integers(2))]
            out.append(", ".join(labels[:k] + [other] + labels[k + 1:]))
        out.append(", ".join(labels[:-1]))
        out.append(", ".join(labels) + ", on")
        out.append(", ".join(labels[:-1] + [labels[-1] + " or " + ("on" if labels[-1] != "on" else "off")]))
        return out
