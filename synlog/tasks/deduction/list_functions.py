"""List functions: infer a function on integer lists from examples, then apply it to a new list.

For example (compositions of at most 2 operations)::

    [3, 8, 1, 8] -> [4, 2]
    [5, 2, 6] -> [6]
    [4, 9, 0, 7, 2] -> [10, 8]
    [6, 1, 1, 3] -> ?
    <answer>[2, 2, 4]</answer>     ("keep only the odd elements", then "add 1")

The hidden function composes 1 to ``depth`` operations from a fixed, printed family of 53:
add k (k = ±1, ±2, ±3), multiply by k (2, 3, -1), keep the even / odd elements, keep the
elements greater than k (0..9), reverse, sort up / down, keep the first n (1..4), drop the
first n (1..3), append / prepend c (0..9), remove repeats, running sums. Difficulty raises the
depth (1 to 3), the lists' length and the number of example pairs.

Gold: the answer must be the same for every function of the family that fits all shown
pairs. Generation checks this by enumerating the family's behaviours breadth first (each
composition's outputs on the example inputs and the test input, deduplicated per depth) and
rejects the instance unless exactly one test output survives. The tests enumerate the
compositions again, depth first, with their own implementation of each printed operation,
reading the pairs from the printed prompt.

Rejected at generation: more than one possible answer; an answer equal to the test input
unchanged, to the output of an example pair or to the prompt's example; an answer shorter
than two elements; an example whose output is empty.

Answer format: the list as integers separated by commas, in square brackets (``[2, 2, 4]``;
the brackets may be left out, spaces are free). Anything else (words, several lists, a
decimal) is invalid; a wrong list earns no partial credit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from synlog.errors import KnobError, Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import unwrap
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: the prompt's example answer (never a gold)
EXAMPLE = (2, 2, 4)
#: the operation kinds and the parameters each takes (None: no parameter)
PARAMETERS: dict[str, tuple] = {
    "add": (-3, -2, -1, 1, 2, 3), "multiply": (2, 3, -1), "keep_even": (None,), "keep_odd": (None,),
    "keep_greater": tuple(range(10)), "reverse": (None,), "sort_up": (None,), "sort_down": (None,),
    "take": (1, 2, 3, 4), "drop": (1, 2, 3), "append": tuple(range(10)), "prepend": tuple(range(10)),
    "dedup": (None,), "running_sum": (None,),
}
#: every operation of the family as (kind, parameter)
OPERATIONS = tuple((kind, value) for kind, values in PARAMETERS.items() for value in values)
MAX_ANSWER_CHARS = 2_000
_LIST = re.compile(r"\[?\s*(-?[0-9]+(?:\s*,\s*-?[0-9]+)*)\s*,?\s*\]?")

List = tuple[int, ...]


def _running_sum(xs: List) -> List:
    out, total = [], 0
    for x in xs:
        total += x
        out.append(total)
    return tuple(out)


_APPLY: dict[str, Callable[[List, int | None], List]] = {
    "add": lambda xs, k: tuple(x + k for x in xs),
    "multiply": lambda xs, k: tuple(x * k for x in xs),
    "keep_even": lambda xs, _: tuple(x for x in xs if x % 2 == 0),
    "keep_odd": lambda xs, _: tuple(x for x in xs if x % 2),
    "keep_greater": lambda xs, k: tuple(x for x in xs if x > k),
    "reverse": lambda xs, _: xs[::-1],
    "sort_up": lambda xs, _: tuple(sorted(xs)),
    "sort_down": lambda xs, _: tuple(sorted(xs, reverse=True)),
    "take": lambda xs, n: xs[:n],
    "drop": lambda xs, n: xs[n:],
    "append": lambda xs, c: (*xs, c),
    "prepend": lambda xs, c: (c, *xs),
    "dedup": lambda xs, _: tuple(dict.fromkeys(xs)),
    "running_sum": lambda xs, _: _running_sum(xs),
}


def apply(operation: tuple[str, int | None], xs: List) -> List:
    """One operation of the family on one list."""
    return _APPLY[operation[0]](xs, operation[1])


def run(program: Sequence[Sequence], xs: List) -> List:
    """A composition, applied left to right."""
    for operation in program:
        xs = apply((operation[0], operation[1]), xs)
    return xs


def possible_answers(pairs: Sequence[tuple[List, List]], test: List, depth: int) -> tuple[set[List], int]:
    """(test outputs of every composition of 1..``depth`` operations that fits every pair,
    behaviours visited). A behaviour is the tuple of a composition's outputs on the example
    inputs and the test input; compositions with the same behaviour are explored once."""
    inputs = tuple(x for x, _ in pairs) + (test,)
    wanted = tuple(y for _, y in pairs)
    layer, seen = {inputs}, {inputs}
    answers: set[List] = set()
    visited = 0
    for level in range(1, depth + 1):
        last = level == depth
        following = set()
        for state in layer:
            for operation in OPERATIONS:
                visited += 1
                if last and apply(operation, state[0]) != wanted[0]:
                    continue  # the last layer is only checked, never extended: fail fast
                new = tuple(apply(operation, xs) for xs in state)
                if new[:-1] == wanted:
                    answers.add(new[-1])
                if not last and new not in seen:
                    seen.add(new)
                    following.add(new)
        layer = following
    return answers, visited


def format_list(xs: Sequence[int]) -> str:
    return "[" + ", ".join(map(str, xs)) + "]"


@register
class ListFunctions(Task):
    """Infer a function on integer lists from example pairs and apply it to a new list."""

    name, family, version = "list_functions", "deduction", 1
    knobs = Knobs(
        depth=Knob(int, levels=[1, 1, 2, 2, 2, 2, 3, 3, 3, 3], lo=1, hi=3,
                   help="most operations composed into the hidden function"),
        length=Knob(int, levels=[(4, 5), (5, 6), (4, 5), (5, 6), (6, 7), (7, 8), (5, 6), (6, 7), (7, 8),
                                 (8, 10)], lo=2, hi=12, help="elements of each input list"),
        examples=Knob(int, levels=[3, 3, 4, 4, 4, 4, 5, 5, 5, 5], lo=1, hi=8,
                      help="input/output pairs shown"),
    )

    def check_params(self, params: Params) -> None:
        if params.length < 3:
            raise KnobError(f"length={params.length} is too short for an answer of two elements"
                            " after the family's shrinking operations; use length ≥ 3")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        program = [OPERATIONS[int(i)] for i in rng.integers(len(OPERATIONS), size=p.depth)]
        inputs = [tuple(int(v) for v in rng.integers(0, 10, p.length)) for _ in range(p.examples + 1)]
        if len(set(inputs)) < len(inputs):
            raise Reject("two inputs are the same list")
        test = inputs.pop()
        pairs = [(x, run(program, x)) for x in inputs]
        gold = run(program, test)
        if any(not y for _, y in pairs) or len(gold) < 2:
            raise Reject("an empty example output or an answer under two elements")
        if gold == test or gold == EXAMPLE or any(gold == y for _, y in pairs):
            raise Reject("the answer is the test input, an example's output or the prompt's example")
        answers, visited = possible_answers(pairs, test, p.depth)
        if answers != {gold}:
            raise Reject(f"{len(answers)} answers fit the examples")
        data = {"depth": p.depth, "pairs": [[list(x), list(y)] for x, y in pairs], "test": list(test),
                "program": [list(op) for op in program], "answer": list(gold)}
        return Problem(data, format_list(gold), float(visited))

    def context(self, problem: Problem, lang: str) -> dict:
        d = problem.data
        return {"depth": d["depth"], "test": format_list(d["test"]),
                "pairs": [(format_list(x), format_list(y)) for x, y in d["pairs"]]}

    def verify(self, problem: dict, answer: str) -> Verdict:
        if len(answer) > MAX_ANSWER_CHARS:
            return Verdict.invalid("answer too long")
        text = unwrap(answer).strip()
        match = _LIST.fullmatch(text)
        if match is None or text.startswith("[") != text.endswith("]"):
            return Verdict.unparseable("expected one list of integers such as [2, 2, 4]")
        given = [int(v) for v in match.group(1).split(",")]
        if given != problem["answer"]:
            return Verdict.wrong(f"expected {len(problem['answer'])} elements" if len(given) != len(problem["answer"])
                                 else "")
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """The test input unchanged, and each example's output (all rejected at generation)."""
        out = {"the test input unchanged": format_list(problem["test"])}
        for k, (_, y) in enumerate(problem["pairs"]):
            out[f"example {k + 1}'s output"] = format_list(y)
        return out

    def hardness(self, problem: dict) -> float:
        """The depth times the elements shown in the examples and the test input."""
        shown = sum(len(x) + len(y) for x, y in problem["pairs"]) + len(problem["test"])
        return float(problem["depth"] * shown)

    def instance_space(self, spec: dict) -> float | None:
        """Programs times input lists (digits 0..9), at the shortest length of the range."""
        depth = spec["depth"][0] if isinstance(spec["depth"], tuple) else spec["depth"]
        length = spec["length"][0] if isinstance(spec["length"], tuple) else spec["length"]
        return float(len(OPERATIONS) ** depth * 10 ** length)

    def alternative_forms(self, problem: Problem) -> list[str]:
        """The answer ``problem.answer`` (the gold, or any list written as the gold is) in the
        other forms verify accepts; nothing for text that is not one plain list."""
        text = problem.answer.strip()
        if not re.fullmatch(r"\[\s*-?\d+(\s*,\s*-?\d+)*\s*\]", text):
            return []
        xs = [int(x) for x in re.findall(r"-?\d+", text)]
        return [", ".join(map(str, xs)), "[" + ",".join(map(str, xs)) + "]", f"**{format_list(xs)}**",
                f"`{format_list(xs)}`", f"{format_list(xs)}.", f"[ {' , '.join(map(str, xs))} ]"]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        xs = problem.data["answer"]
        out = [format_list(xs[::-1]), format_list(xs[:-1]), format_list([*xs, xs[-1]]),
               format_list([xs[0] + 1, *xs[1:]]), f"{format_list(xs)} or {format_list(xs[::-1])}"]
        return [o for o in out if o != format_list(xs)]
