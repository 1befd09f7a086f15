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
scores 1, so ``unique_answer`` is False. Generation rejects targets the empty list already
reaches. Difficulty deepens the pipeline and lengthens the hidden list.
"""

from __future__ import annotations

import json

import numpy as np

from synlog.errors import Reject
from synlog.sandbox import Status
from synlog.synth.knobs import Knob, Knobs, Params
from synlog.tasks.base import Problem, Task, register, render
from synlog.tasks.code import _dsl
from synlog.tasks.code._harness import canonical, run_program, warm_up
from synlog.verifiers.verdict import Verdict

MAX_ITEMS, MAX_VALUE = 50, 10**6
FOLDS = ["alt_sum", "max", "min", "sum", "weighted_sum"]
RUNNER = "\nimport json, sys\nprint(json.dumps(f(json.loads(sys.stdin.read()))))\n"


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

    name, family, version = "code_input", "code", 1
    unique_answer = False
    knobs = Knobs(
        depth=Knob(int, levels=[1, 1, 2, 2, 3, 3, 4, 4, 5, 6], lo=1, hi=12, help="operations composed"),
        length=Knob(int, levels=[3, 4, 4, 5, 6, 6, 7, 8, 9, 10], lo=1, hi=MAX_ITEMS,
                    help="length of the hidden input"),
        bound=Knob(int, levels=[9, 9, 12, 15, 20, 20, 30, 30, 50, 50], lo=1, hi=1000,
                   help="hidden input values lie in -bound..bound"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        steps, fold = _dsl.sample_pipeline(rng, p.depth, FOLDS)
        hidden = [int(v) for v in rng.integers(-p.bound, p.bound + 1, p.length)]
        target = _dsl.apply_pipeline(steps, fold, hidden)
        if target == _dsl.apply_pipeline(steps, fold, []):
            raise Reject("the empty list already reaches the target")
        source = _dsl.pipeline_source("f", steps, fold)
        data = {"function": source, "steps": steps, "fold": fold, "target": target}
        return Problem(data, canonical(hidden), _dsl.effort(steps, [hidden]) + p.depth)

    def prompt(self, problem: Problem) -> str:
        d = problem.data
        return render("code_input.j2", function=d["function"], target=d["target"],
                      max_items=MAX_ITEMS, max_value=MAX_VALUE)

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
