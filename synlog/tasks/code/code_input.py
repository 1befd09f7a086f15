"""code_input: find an input on which a generated function returns a given value.

The function is a pipeline from the code DSL (:mod:`._dsl`) ending in a fold to one
integer, shown as Python source; the target is its value on a hidden random list::

    def f(xs):
        xs = [x for x in xs if x % 2 == 0]
        return sum(xs)
    Find xs with f(xs) == 10.          any of [10], [4, 6], [1, 2, 8], … scores 1

The answer is a JSON list of integers (at most ``MAX_ITEMS`` items, each within
±``MAX_VALUE``). ``verify`` checks that format here, then runs the function on the answer in
the sandbox (:mod:`synlog.sandbox`) and compares the result with the target: any valid input
scores 1, so ``unique_answer`` is False. Difficulty deepens the pipeline and lengthens the
hidden list.

Generation keeps only functions whose value depends on the input: every step matters (see
:func:`._dsl.dead_steps`), and on :data:`PROBES` random lists like the hidden one no value
comes back more than :data:`MAX_REPEATS` times, so a fixed list rarely hits the target. It
rejects targets that a shortcut already reaches: the empty list, ``[target]``, ``[target, 0]``,
``[0, target]``, the prompt's example input and a few small constant lists.
"""

from __future__ import annotations

import json
from collections import Counter

import numpy as np

from synlog.errors import Reject
from synlog.sandbox import Status
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.code import _dsl
from synlog.tasks.code._harness import canonical, run_program, warm_up
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

MAX_ITEMS, MAX_VALUE = 50, 10**6
FOLDS = ["alt_sum", "max", "min", "sum", "weighted_sum"]
RUNNER = "\nimport json, sys\nprint(json.dumps(f(json.loads(sys.stdin.read()))))\n"
#: the input the template shows as the answer format
EXAMPLE_INPUT = [3, -1, 4]
#: random lists (the hidden list's distribution) that measure how much f depends on its input
PROBES = 48
#: how many of the probes decide whether a step is live (see :func:`._dsl.dead_steps`)
LIVENESS_PROBES = 32
#: the most probes on which one value may come back
MAX_REPEATS = 2
#: candidate functions per generate call before it gives up (Reject: the caller retries)
CANDIDATES = 40


def shortcuts(target: int) -> dict[str, list[int]]:
    """Inputs that need no reasoning about f: each must miss the target."""
    return {"[]": [], "[target]": [target], "[target, 0]": [target, 0], "[0, target]": [0, target],
            "[-target]": [-target], "the prompt's example input": EXAMPLE_INPUT,
            "[0]": [0], "[1]": [1], "[-1]": [-1], "[1, 2, 3]": [1, 2, 3]}


def parse_input(text: str) -> list[int] | str:
    """The answer as a list of ints, or why it is not one."""
    text = text.strip()
    if text.startswith("```"):
        text = text.strip("`").split("\n", 1)[-1] if "\n" in text else text.strip("`")
    if len(text) > 20 * MAX_ITEMS:
        return "answer too long"
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return "not a JSON list of integers"
    if not isinstance(value, list):
        return "not a JSON list of integers"
    if len(value) > MAX_ITEMS:
        return f"more than {MAX_ITEMS} items"
    if not all(type(x) is int and abs(x) <= MAX_VALUE for x in value):
        return f"every item must be an integer within ±{MAX_VALUE}"
    return value


@register
class CodeInput(Task):
    """Find a list of integers on which a generated Python function returns a given value."""

    name, family, version = "code_input", "code", 2
    sandboxed = True
    unique_answer = False
    knobs = Knobs(
        depth=Knob(int, levels=[1, 1, 2, 2, 3, 3, 4, 4, 5, 6], lo=1, hi=12, help="operations composed"),
        length=Knob(int, levels=[3, 4, 4, 5, 6, 6, 7, 8, 9, 10], lo=1, hi=MAX_ITEMS,
                    help="length of the hidden input"),
        bound=Knob(int, levels=[25, 28, 30, 32, 36, 40, 45, 50, 60, 70], lo=1, hi=1000,
                   help="hidden input values lie in -bound..bound"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        probes = [[int(v) for v in rng.integers(-p.bound, p.bound + 1, p.length)] for _ in range(PROBES)]
        for _ in range(CANDIDATES):
            try:
                steps, fold = _dsl.sample_pipeline(rng, p.depth, FOLDS, probes[:LIVENESS_PROBES], nonempty=0.75)
            except Reject:
                continue
            values = Counter(_dsl.apply_pipeline(steps, fold, xs) for xs in probes)
            if values.most_common(1)[0][1] > MAX_REPEATS:
                continue  # nearly constant: a fixed list would hit the target too often
            hidden = [int(v) for v in rng.integers(-p.bound, p.bound + 1, p.length)]
            target = _dsl.apply_pipeline(steps, fold, hidden)
            if all(_dsl.apply_pipeline(steps, fold, xs) != target for xs in shortcuts(target).values()):
                break
        else:
            raise Reject(f"no function in {CANDIDATES} draws depended enough on its input")
        source = _dsl.pipeline_source("f", steps, fold)
        data = {"function": source, "steps": steps, "fold": fold, "target": target}
        return Problem(data, canonical(hidden), _dsl.effort(steps, [hidden]) + p.depth)

    def context(self, problem: Problem, lang: str) -> dict:
        d = problem.data
        return {"function": d["function"], "target": d["target"], "max_items": MAX_ITEMS,
                "max_value": MAX_VALUE, "example": json.dumps(EXAMPLE_INPUT)}

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        return {name: json.dumps(xs) for name, xs in shortcuts(problem["target"]).items() if xs}

    def warm_up(self) -> None:
        warm_up()

    def verify(self, problem: dict, answer: str) -> Verdict:
        value = parse_input(answer)
        if isinstance(value, str):
            return Verdict.unparseable(value)
        result = run_program(problem["function"] + RUNNER, stdin=json.dumps(value))
        if result.status is Status.SANDBOX_ERROR:
            return Verdict.error(f"sandbox failed: {result.stderr[:200]}")
        if not result.ok:
            return Verdict.wrong(f"f raised or ran out of limits ({result.status.value})")
        got = result.stdout.strip()
        if got == canonical(problem["target"]):
            return Verdict.ok()
        return Verdict.wrong(f"f returns {got[:100]}, not {problem['target']}")

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        d = problem.data
        hidden = json.loads(problem.answer)
        candidates = [[]]
        for i in range(len(hidden)):
            for delta in (1, -1, 2):
                changed = hidden[:i] + [hidden[i] + delta] + hidden[i + 1:]
                candidates.append(changed)
        candidates.append(hidden + [7])
        wrong = [xs for xs in candidates if _dsl.apply_pipeline(d["steps"], d["fold"], xs) != d["target"]]
        picked = [wrong[0]] + [wrong[i] for i in rng.permutation(len(wrong))[:3].tolist() if i]
        return [canonical(xs) for xs in picked]
