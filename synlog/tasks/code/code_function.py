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
scores 1, so ``unique_answer`` is False.

Generation keeps only pipelines in which every step matters (dropping any one changes the
result on random lists, so ``depth`` counts real steps) and whose tests a program that ignores
the spec cannot pass: no expected output repeats on more than :data:`MAX_SAME` tests, an
empty result (``0`` or ``[]``) on at most :data:`MAX_BLIND`, and neither ``return xs`` nor
the prompt's example program passes more than :data:`MAX_BLIND`. The two examples in the
prompt are extra inputs, not graded tests, so echoing them earns nothing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.code import _dsl
from synlog.tasks.code._harness import canonical, extract_code, run_tests, warm_up
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

NAMES = ("transform", "crunch", "process_values", "reshape", "digest_list", "refine",
         "compute", "walk_list", "squeeze", "pipeline")
FOLDS = sorted(_dsl.FOLDS)
#: the most tests one expected output may be the answer of
MAX_SAME = 5
#: the most tests on which the output is empty (0 or []), or a spec-blind program passes
MAX_BLIND = 2
#: pipelines tried per generate call before it gives up (Reject: the caller retries)
CANDIDATES = 40
#: random lists that decide whether a step is live (see :func:`_dsl.dead_steps`)
PROBES = 32
#: the share of probes that must keep elements through the steps
NONEMPTY = 0.95
#: the template's example program, which ignores the spec: it must not pass the tests
EXAMPLE_STEPS = [["keep_gt", 0]]
#: programs that ignore the spec: the audit scores each on every row
DEGENERATE_BODIES = {"return 0": "return 0", "return ''": "return ''", "return []": "return []",
                     "return None": "return None", "identity (return xs)": "return xs"}


def test_inputs(rng: np.random.Generator, count: int, max_len: int, bound: int) -> list[list[int]]:
    """Edge cases first (empty, singleton, zero, negatives, duplicates), then random lists."""
    edge = [[], [int(rng.integers(1, bound + 1))], [0, -int(rng.integers(1, bound + 1))],
            [int(v) for v in rng.integers(-bound, bound + 1, 3)] * 2]
    value = int(rng.integers(-bound, bound + 1))
    edge.append([value, value, -value, value])
    return edge[:count] + random_lists(rng, count - len(edge[:count]), max_len, bound)


def pipeline_knobs(tests: int, tests_hi: int, returns: str) -> Knobs:
    """The knobs of a task over DSL pipelines (code_function, code_tests): depth, list sizes and
    values, tests per problem, and how often the program ends in a fold to one integer."""
    return Knobs(
        depth=Knob(int, levels=[1, 1, 2, 2, 3, 3, 4, 5, 6, 7], lo=1, hi=12, help="operations composed"),
        max_len=Knob(int, levels=[4, 5, 6, 6, 8, 8, 10, 10, 12, 12], lo=2, hi=50, help="longest random test list"),
        bound=Knob(int, levels=[9, 9, 12, 15, 20, 20, 30, 30, 50, 50], lo=1, hi=1000,
                   help="test values lie in -bound..bound"),
        tests=Knob(int, levels=[tests] * 10, lo=8, hi=tests_hi, help="tests per problem"),
        fold=Knob(float, levels=[0.5] * 10, lo=0.0, hi=1.0,
                  help=f"probability that {returns} one integer instead of a list"),
    )


def draw_lists(rng: np.random.Generator, p: Params) -> tuple[list[str] | None, list, list, list]:
    """One row's random draws: the folds allowed (None: none), the test inputs, the probe lists
    that decide which steps are live, and the two example inputs shown in the prompt."""
    folds = FOLDS if rng.random() < p.fold else None
    return (folds, test_inputs(rng, p.tests, p.max_len, p.bound), random_lists(rng, PROBES, p.max_len, p.bound),
            random_lists(rng, 2, p.max_len, p.bound))


def random_lists(rng: np.random.Generator, count: int, max_len: int, bound: int) -> list[list[int]]:
    """``count`` lists of 3..max_len values in -bound..bound (edge cases cover shorter ones)."""
    return [[int(v) for v in rng.integers(-bound, bound + 1, int(rng.integers(min(3, max_len), max_len + 1)))]
            for _ in range(count)]


def spec_blind(outputs: list[Any], inputs: list[list[int]]) -> str | None:
    """Why these expected outputs could be passed without reading the spec, or None."""
    keys = [canonical(out) for out in outputs]
    if len(set(keys)) < 2:
        return "the pipeline gives the same output on every test"
    if max(keys.count(key) for key in set(keys)) > MAX_SAME:
        return f"one output is expected on more than {MAX_SAME} tests"
    if keys.count(canonical(0)) + keys.count(canonical([])) > MAX_BLIND:
        return f"0 or [] is expected on more than {MAX_BLIND} tests"
    for steps in ([], EXAMPLE_STEPS):  # return xs, and the prompt's example program
        if sum(canonical(_dsl.apply_pipeline(steps, None, xs)) == key for xs, key in zip(inputs, keys, strict=True)) > MAX_BLIND:
            return "a program that ignores the spec passes too many tests"
    return None


def _add_zh(k: int) -> str:
    return f"每个元素加上 {k}" if k >= 0 else f"每个元素减去 {-k}"


#: the Chinese of each step of :data:`._dsl.STEPS` for the constant k (the English is ``Op.text``)
STEPS_ZH = {
    "add": _add_zh,
    "mul": lambda k: f"每个元素乘以 {k}",
    "mod": lambda k: f"把每个元素替换为它除以 {k} 的余数（总在 0 到 {k - 1} 之间，负数元素也是如此）",
    "abs": lambda k: "把每个元素替换为它的绝对值",
    "negate": lambda k: "把每个元素取相反数",
    "square": lambda k: "把每个元素替换为它的平方",
    "digit_sum": lambda k: "把每个元素替换为其绝对值的十进制各位数字之和",
    "keep_even": lambda k: "只保留偶数元素",
    "keep_odd": lambda k: "只保留奇数元素",
    "keep_gt": lambda k: f"只保留大于 {k} 的元素",
    "keep_lt": lambda k: f"只保留小于 {k} 的元素",
    "keep_multiple": lambda k: f"只保留能被 {k} 整除的元素",
    "sort_asc": lambda k: "把列表按升序排序",
    "sort_desc": lambda k: "把列表按降序排序",
    "sort_by_abs": lambda k: "按绝对值升序排序列表；绝对值相等的元素保持原有的相对顺序",
    "sort_by_last_digit": lambda k: "按每个元素绝对值的十进制末位数字升序排序列表；末位相同的元素保持原有的相对顺序",
    "reverse": lambda k: "把列表反转",
    "window_sum": lambda k: f"把列表替换为从左到右每 {k} 个连续元素组成的窗口之和（长度小于 {k} 的列表变为空列表）",
    "diffs": lambda k: "把列表替换为相邻元素之差（每个元素减去它前一个元素），长度少一；元素少于 2 个的列表变为空列表",
    "prefix_sums": lambda k: "把每个元素替换为它自身与它之前所有元素之和",
    "dedupe_runs": lambda k: "把每一段相邻且相等的元素合并成一个元素",
    "run_lengths": lambda k: "把列表替换为其中每一段相邻且相等元素的长度（游程编码，只保留长度）",
    "unique": lambda k: "删除重复的元素，每个值只保留第一次出现的那个",
    "take": lambda k: ("只保留第一个元素（列表为空则什么也不留）" if k == 1
                       else f"只保留前 {k} 个元素（不足 {k} 个则全部保留）"),
    "drop": lambda k: ("删除第一个元素（列表为空则什么也不删）" if k == 1
                       else f"删除前 {k} 个元素（不足 {k} 个则全部删除）"),
}
#: the Chinese of each fold of :data:`._dsl.FOLDS`
FOLDS_ZH = {
    "sum": "各元素之和（空列表为 0）",
    "max": "最大的元素（空列表为 0）",
    "min": "最小的元素（空列表为 0）",
    "count": "元素的个数",
    "alt_sum": "交错和：第一个元素减第二个加第三个减第四个……（空列表为 0）",
    "weighted_sum": "每个元素乘以它从 1 开始的位置后的总和（空列表为 0）",
}


def pipeline_text_zh(steps: list, fold: list | None) -> list[str]:
    """:func:`._dsl.pipeline_text` in Chinese: one sentence per step, the last one the result."""
    sentences = [STEPS_ZH[name](k) + "。" for name, k in steps]
    sentences.append(f"返回{FOLDS_ZH[fold[0]]}。" if fold else "返回得到的列表。")
    return sentences


def render_code(code: str) -> str:
    return f"```python\n{code}```"


@register
class CodeFunction(Task):
    """Write a Python function from an English spec of list operations; graded by tests in a sandbox."""

    name, family, version = "code_function", "code", 2
    sandboxed = True
    unique_answer = False
    knobs = pipeline_knobs(tests=30, tests_hi=100, returns="the function returns")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        folds, inputs, probes, shown = draw_lists(rng, p)
        for _ in range(CANDIDATES):
            try:
                steps, fold = _dsl.sample_pipeline(rng, p.depth, folds, probes, nonempty=NONEMPTY)
            except Reject:
                continue
            outputs = [_dsl.apply_pipeline(steps, fold, xs) for xs in inputs]
            if spec_blind(outputs, inputs) is None:
                break
        else:
            raise Reject(f"no pipeline in {CANDIDATES} draws had tests a spec-blind program fails")
        function = NAMES[int(rng.integers(len(NAMES)))]
        examples = [[xs, _dsl.apply_pipeline(steps, fold, xs)] for xs in shown]
        data = {"function": function, "steps": steps, "fold": fold, "inputs": inputs, "outputs": outputs,
                "examples": examples}
        answer = render_code(_dsl.pipeline_source(function, steps, fold))
        return Problem(data, answer, _dsl.effort(steps, inputs) + p.depth)

    def context(self, problem: Problem, lang: str) -> dict:
        d = problem.data
        text = pipeline_text_zh if lang == "zh" else _dsl.pipeline_text
        return {"function": d["function"], "sentences": text(d["steps"], d["fold"]),
                "examples": [(canonical(xs), canonical(out)) for xs, out in d["examples"]],
                "fold": bool(d["fold"])}

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        name = problem["function"]
        return {label: render_code(f"def {name}(xs):\n    {body}\n") for label, body in DEGENERATE_BODIES.items()}

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
