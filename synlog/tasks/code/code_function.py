"""code_function: write a Python function from a natural-language specification.

Each problem is a pipeline of list operations from a small DSL (:mod:`._dsl`: map, filter,
sort by key, windows, run-length, digit sums, …), composed to a depth set by the difficulty,
optionally ending in a fold to one integer. The prompt states the steps in English::

    Write a Python function `crunch(xs)` that takes a list of integers xs and:
    1. Keep only the elements greater than 0.
    2. Multiply every element by 3.
    3. Return the sum of the elements (0 for an empty list).

    gold: def crunch(xs): xs = [x for x in xs if x > 0]; xs = [x * 3 for x in xs]; return sum(xs)

The tests are the reference (the composition, run here on our own data) applied to edge-case
inputs (empty, a singleton, zero, negatives, duplicates) and random lists. ``verify`` runs the
answer's function on every test input in ONE sandboxed run (:mod:`synlog.sandbox`, never in
this process) and compares the outputs here: score 1 when every test passes, with the pass
fraction in ``details`` (partial credit is the reward layer's policy). Any correct program
scores 1, so ``unique_answer`` is False. Generation rejects pipelines whose outputs are the
same on every test (a constant function teaches nothing).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from synlog.errors import Reject
from synlog.synth.knobs import Knob, Knobs, Params
from synlog.tasks.base import Problem, Task, register, render
from synlog.tasks.code import _dsl
from synlog.tasks.code._harness import canonical, extract_code, run_tests, warm_up
from synlog.verifiers.verdict import Verdict

NAMES = ("transform", "crunch", "process_values", "reshape", "digest_list", "refine",
         "compute", "walk_list", "squeeze", "pipeline")
FOLDS = sorted(_dsl.FOLDS)


def test_inputs(rng: np.random.Generator, count: int, max_len: int, bound: int) -> list[list[int]]:
    """Edge cases first (empty, singleton, zero, negatives, duplicates), then random lists."""
    edge = [[], [int(rng.integers(1, bound + 1))], [0, -int(rng.integers(1, bound + 1))],
            [int(v) for v in rng.integers(-bound, bound + 1, 3)] * 2]
    value = int(rng.integers(-bound, bound + 1))
    edge.append([value, value, -value, value])
    inputs = edge[:count]
    while len(inputs) < count:
        length = int(rng.integers(2, max_len + 1))
        inputs.append([int(v) for v in rng.integers(-bound, bound + 1, length)])
    return inputs


def render_code(code: str) -> str:
    return f"```python\n{code}```"


@register
class CodeFunction(Task):
    """Write a Python function from an English spec of list operations; graded by tests in a sandbox."""

    name, family, version = "code_function", "code", 1
    unique_answer = False
    knobs = Knobs(
        depth=Knob(int, levels=[1, 1, 2, 2, 3, 3, 4, 5, 6, 7], lo=1, hi=12,
                   help="operations composed"),
        max_len=Knob(int, levels=[4, 5, 6, 6, 8, 8, 10, 10, 12, 12], lo=2, hi=50,
                     help="longest random test list"),
        bound=Knob(int, levels=[9, 9, 12, 15, 20, 20, 30, 30, 50, 50], lo=1, hi=1000,
                   help="test values lie in -bound..bound"),
        tests=Knob(int, levels=[10] * 10, lo=3, hi=100, help="tests per problem"),
        fold=Knob(float, levels=[0.5] * 10, lo=0.0, hi=1.0,
                  help="probability that the function returns one integer instead of a list"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        folds = FOLDS if rng.random() < p.fold else None
        steps, fold = _dsl.sample_pipeline(rng, p.depth, folds)
        inputs = test_inputs(rng, p.tests, p.max_len, p.bound)
        outputs = [_dsl.apply_pipeline(steps, fold, xs) for xs in inputs]
        if len({canonical(out) for out in outputs}) < 2:
            raise Reject("the pipeline gives the same output on every test")
        function = NAMES[int(rng.integers(len(NAMES)))]
        data = {"function": function, "steps": steps, "fold": fold, "inputs": inputs, "outputs": outputs}
        answer = render_code(_dsl.pipeline_source(function, steps, fold))
        return Problem(data, answer, _dsl.effort(steps, inputs) + p.depth)

    def prompt(self, problem: Problem) -> str:
        d = problem.data
        shown = [(xs, out) for xs, out in zip(d["inputs"], d["outputs"], strict=True) if xs][:2]
        return render("code_function.j2", function=d["function"],
                      sentences=_dsl.pipeline_text(d["steps"], d["fold"]),
                      examples=[(canonical(xs), canonical(out)) for xs, out in shown],
                      returns="an integer" if d["fold"] else "a list of integers")

    def warm_up(self) -> None:
        warm_up()

    def verify(self, problem: dict, answer: str) -> Verdict:
        return verify_function(problem, answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        d = problem.data
        wrong = []
        for steps, fold in _dsl.mutants(d["steps"], d["fold"]):
            outs = [_dsl.apply_pipeline(steps, fold, xs) for xs in d["inputs"]]
            if any(canonical(a) != canonical(b) for a, b in zip(outs, d["outputs"], strict=True)):
                wrong.append(render_code(_dsl.pipeline_source(d["function"], steps, fold)))
        picked = [wrong[i] for i in sorted(rng.permutation(len(wrong))[:3].tolist())] if wrong else []
        gold = problem.answer
        picked.append(gold.replace(f"def {d['function']}(", f"def {d['function']}_v2("))
        picked.append(gold.replace("    return", "    return None  #", 1))
        return picked


def verify_function(problem: dict[str, Any], answer: str) -> Verdict:
    """Run the answer's function on every test input in the sandbox; 1 when all match."""
    code, why = extract_code(answer, problem["function"])
    if code is None:
        return Verdict.unparseable(why)
    run = run_tests(code, problem["function"], problem["inputs"])
    total = len(problem["inputs"])
    if run.results is None:
        if run.fault == "sandbox":
            return Verdict.error(run.problem)
        if run.fault == "report":
            return Verdict.invalid(run.problem, passed=0, total=total, fraction=0.0)
        return Verdict.wrong(run.problem, passed=0, total=total, fraction=0.0)
    passed = sum(
        kind == "ok" and canonical(value) == canonical(expected)
        for (kind, value), expected in zip(run.results, problem["outputs"], strict=False)
    )
    if passed == total:
        return Verdict.ok(passed=passed, total=total, fraction=1.0)
    why = f"{total - passed} of {total} tests fail" + (f" ({run.problem})" if run.problem else "")
    return Verdict.wrong(why, passed=passed, total=total, fraction=passed / total)
