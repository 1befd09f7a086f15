"""Data-quality contracts, measured: what `synlog audit` prints and the contract suite checks.

For one task at chosen levels, :func:`audit_task` draws a sample per level from two seeds and
measures what hurts RL when it goes wrong:

- **Degenerate policies.** A shared battery of answers that involve no reasoning (constants,
  the most common gold of the other seed, numbers echoed from the prompt, an all-same grid of
  the gold's shape, the prompt's own example answer, and the task's own
  :meth:`~synlog.tasks.base.Task.degenerate_answers`) is scored on every row, as a binary reward
  and with opt-in partial credit. Each policy must score at most the task's stated chance
  (:attr:`~synlog.tasks.base.Task.chance`, plus sampling slack), and never above 20 % at levels
  1–2 or 10 % at levels ≥ 3.
- **Overlap.** Distinct prompts within a level, prompts shared between the two seeds and with
  the previous audited level, and the size of the instance space (declared by the task, or
  estimated from collisions in the sample).
- **Difficulty.** Mean recorded ``effort`` and an independent measure
  (:meth:`~synlog.tasks.base.Task.hardness`) per level: neither may fall from one audited level
  to the next, and level 10 must be clearly harder than level 1 in both.
- **Delivery.** Every requested row is generated (a generator that gives up is a failure).

::

    report = audit_task("sudoku", levels=(1, 5, 10), n=40)
    report.failures          # [] when every contract holds
    report.to_json()         # what `synlog audit --json` writes

The numbers are sample estimates; :data:`DEFAULT_N` keeps the contract suite fast, a report
for the README uses more rows.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from synlog.errors import GenerationError, KnobError
from synlog.synth.example import make_row, prompt_key
from synlog.tasks.base import Problem, Task, get_task
from synlog.verifiers.score import score_answer
from synlog.verifiers.verdict import Reason, partial_credit

DEFAULT_LEVELS = (1, 3, 5, 7, 10)
DEFAULT_N = 200
DEFAULT_SEEDS = (0, 1)

#: constant answers every task's battery includes
CONSTANTS = ("", "none", "0", "1", "-1", "yes", "no", "True", "False", "A")
#: share of a level's rows that must be distinct prompts, and the most two seeds may share
MIN_DISTINCT, MAX_OVERLAP = 0.90, 0.10
#: how far a level's mean effort or hardness may fall below the previous level's (sampling noise)
MONOTONE_TOLERANCE = 0.05
#: level 10 must exceed level 1 by this factor in effort and in hardness
CLEARLY_HARDER = 1.25

_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")
_EXAMPLE_ANSWER = re.compile(r"<answer>(.*?)</answer>", re.S)


def cap(level: int) -> float:
    """The most any degenerate policy may earn at a level, whatever the task's chance."""
    return 0.20 if level <= 2 else 0.10


def bound(level: int, chance: float, n: int) -> float:
    """A policy's allowed mean score on ``n`` rows: chance plus three standard errors (and one
    row), never above :func:`cap`."""
    slack = 3 * math.sqrt(max(chance, 0.0) * (1 - min(chance, 1.0)) / max(n, 1)) + 1 / max(n, 1)
    return min(cap(level), chance + slack)


def estimate_space(draws: int, distinct: int) -> tuple[float, bool]:
    """Instance-space size from ``distinct`` values in ``draws`` uniform draws.

    Returns ``(size, exact)``: with collisions, the N solving ``N(1 - e^{-draws/N}) = distinct``
    (``exact`` False: an estimate); without any, the birthday lower bound ``draws²/2``.
    """
    if draws <= 0:
        return 0.0, False
    if distinct >= draws:
        return draws * draws / 2.0, False
    lo, hi = float(distinct), float(distinct) * 1e6 + 1.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if mid * (1 - math.exp(-draws / mid)) < distinct:
            lo = mid
        else:
            hi = mid
    return hi, True


# --------------------------------------------------------------------------- the battery


def _grid(answer: str) -> list[list[str]] | None:
    """The gold's cells when it is a grid of at least two rows of equal width."""
    lines = [line.split() for line in answer.strip().splitlines() if line.strip()]
    if len(lines) < 2 or len({len(line) for line in lines}) != 1 or len(lines[0]) < 2:
        return None
    return lines


def battery(task: Task, problem: Problem, prompt: str, other_mode: str | None) -> dict[str, str]:
    """Every degenerate answer for one row, by policy name (the gold is used only for shape)."""
    answers: dict[str, str] = {f"constant {c!r}": c for c in CONSTANTS}
    if other_mode is not None:
        answers["other seed's most common gold"] = other_mode
    numbers = _NUMBER.findall(prompt)
    if numbers:
        answers["first number in the prompt"] = numbers[0]
        answers["last number in the prompt"] = numbers[-1]
        answers["most frequent number in the prompt"] = Counter(numbers).most_common(1)[0][0]
    grid = _grid(problem.answer)
    if grid is not None:
        symbol = Counter(cell for row in grid for cell in row).most_common(1)[0][0]
        answers["all-same grid (gold's commonest cell)"] = "\n".join(" ".join(symbol for _ in row) for row in grid)
        for other in ("0", "1", "."):
            answers[f"all-same grid {other!r}"] = "\n".join(" ".join(other for _ in row) for row in grid)
    for k, example in enumerate(_EXAMPLE_ANSWER.findall(prompt)[:3]):
        answers[f"prompt's example answer {k + 1}"] = example.strip()
    for name, answer in task.degenerate_answers(problem.data).items():
        answers[f"{task.name}: {name}"] = answer
    return answers


# --------------------------------------------------------------------------- the report


@dataclass
class PolicyScore:
    """A degenerate policy's mean reward at one level, binary and with partial credit."""

    policy: str
    score: float
    partial: float


@dataclass
class LevelAudit:
    """What one level of one task measured."""

    level: int
    rows: int
    failed: int
    distinct_prompts: int
    distinct_answers: int
    top_answer_share: float
    seed_overlap: int
    level_overlap: int | None
    effort: float
    hardness: float
    space: float | None
    space_estimate: float
    space_estimate_exact: bool
    bound: float
    worst: list[PolicyScore] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    refused: str | None = None
    battery_skipped: str | None = None


@dataclass
class TaskAudit:
    """The audit of one task: a row per level and every failed contract."""

    task: str
    family: str
    chance: float
    n: int
    levels: list[LevelAudit]

    @property
    def failures(self) -> list[str]:
        return [f"L{lv.level}: {f}" for lv in self.levels for f in lv.failures] + self._ladder_failures()

    def _ladder_failures(self) -> list[str]:
        out = []
        live = [lv for lv in self.levels if lv.refused is None and lv.rows]
        for measure in ("effort", "hardness"):
            for prev, nxt in zip(live, live[1:], strict=False):
                a, b = getattr(prev, measure), getattr(nxt, measure)
                if b < a * (1 - MONOTONE_TOLERANCE) - 1e-9:
                    out.append(f"{measure} falls from L{prev.level} ({a:.3g}) to L{nxt.level} ({b:.3g})")
            ends = [lv for lv in live if lv.level in (1, 10)]
            if len(ends) == 2 and not getattr(ends[1], measure) >= CLEARLY_HARDER * getattr(ends[0], measure) > 0:
                out.append(
                    f"{measure} at L10 ({getattr(ends[1], measure):.3g}) is not clearly above"
                    f" L1 ({getattr(ends[0], measure):.3g})"
                )
        return out

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["failures"] = self.failures
        return out


def _sample(task: Task, level: int, n: int, seed: int) -> tuple[list[dict[str, Any]], int]:
    # one wording (template 0, English), so distinct prompts count distinct questions, not the
    # paraphrases a random template would add
    spec = {**task.knobs.resolve(level, {}, task.name), "template": 0}
    rows, failed = [], 0
    for index in range(n):
        try:
            rows.append(make_row(task.name, level, spec, seed, index))
        except GenerationError:
            failed += 1
    return rows, failed


def _missing_requirements(task: Task) -> str | None:
    """Why this machine cannot run the task's verifier (a Lean toolchain, a sandbox), or None."""
    from synlog.errors import SynlogError

    try:
        task.check_requirements()
    except SynlogError as exc:
        return str(exc)
    return None


def _problem(row: Mapping[str, Any]) -> Problem:
    import json

    return Problem(json.loads(row["problem"]), row["answer"], row["effort"])


def audit_level(
    task: Task, level: int, n: int, seeds: Sequence[int], previous_prompts: set[str] | None
) -> tuple[LevelAudit, set[str]]:
    """Measure one level; returns the audit and this level's prompt keys (for the next level)."""
    limit = bound(level, task.chance, n)
    main_seed, other_seed = seeds[0], seeds[1] if len(seeds) > 1 else seeds[0] + 1
    try:
        rows, failed = _sample(task, level, n, main_seed)
        others, other_failed = _sample(task, level, n, other_seed)
    except KnobError as exc:  # the task refuses the level up front: allowed, and reported
        empty = LevelAudit(level, 0, 0, 0, 0, 0.0, 0, None, 0.0, 0.0, None, 0.0, False, limit, refused=str(exc))
        return empty, set()
    keys = [prompt_key(r["prompt"]) for r in rows]
    other_keys = {prompt_key(r["prompt"]) for r in others}
    answers = Counter(r["answer"] for r in rows)
    other_mode = Counter(r["answer"] for r in others).most_common(1)[0][0] if others else None

    totals: dict[str, list[float]] = {}
    problems = [_problem(r) for r in rows]
    failures: list[str] = []
    skipped = _missing_requirements(task)
    if skipped is not None:  # cannot score here: the commonest gold, as a constant, stands in
        top_share = answers.most_common(1)[0][1] / len(rows) if rows else 0.0
        if top_share > limit:
            failures.append(f"one answer is the gold of {top_share:.0%} of rows; the bound is {limit:.0%}")
    for row, problem in [] if skipped else zip(rows, problems, strict=True):
        for policy, answer in battery(task, problem, row["prompt"], other_mode).items():
            verdict = score_answer(task, problem.data, answer)
            if verdict.reason is Reason.ERROR:
                failures.append(f"policy {policy} made the verifier fail: {verdict.details}"[:300])
            pair = totals.setdefault(policy, [0.0, 0.0])
            pair[0] += float(verdict.score)
            pair[1] += max(float(verdict.score), partial_credit(verdict))
    count = max(len(rows), 1)
    scores = sorted((PolicyScore(p, s / count, q / count) for p, (s, q) in totals.items()),
                    key=lambda ps: -max(ps.score, ps.partial))
    for ps in scores:
        if max(ps.score, ps.partial) > limit + 1e-12:
            failures.append(
                f"degenerate policy {ps.policy} earns {ps.score:.0%} ({ps.partial:.0%} with partial"
                f" credit); the bound is {limit:.0%}"
            )
    if failed or other_failed:
        failures.append(f"{failed + other_failed} of {2 * n} rows could not be generated")
    distinct = len(set(keys))
    if distinct < MIN_DISTINCT * len(rows):
        failures.append(f"only {distinct} distinct prompts in {len(rows)} rows")
    shared = len(set(keys) & other_keys)
    if shared > MAX_OVERLAP * len(rows):
        failures.append(f"seeds {main_seed} and {other_seed} share {shared} of {len(rows)} prompts")
    level_shared = None
    if previous_prompts is not None:
        level_shared = len(set(keys) & previous_prompts)
        if level_shared > MAX_OVERLAP * len(rows):
            failures.append(f"{level_shared} of {len(rows)} prompts also occur at the previous audited level")
    estimate, exact = estimate_space(len(rows), distinct)
    space = task.instance_space(task.knobs.resolve(level, {}, task.name))
    if space is not None and rows:
        expected = space * (1 - math.exp(-len(rows) / space)) if space > 0 else 0
        if distinct < 0.8 * expected - 3 * math.sqrt(expected):
            failures.append(f"declared instance space {space:.3g} is too large for {distinct} distinct prompts in {len(rows)} draws")
    audit = LevelAudit(
        level=level, rows=len(rows), failed=failed + other_failed, distinct_prompts=distinct,
        distinct_answers=len(answers),
        top_answer_share=answers.most_common(1)[0][1] / count if answers else 0.0,
        seed_overlap=shared, level_overlap=level_shared,
        effort=sum(r["effort"] for r in rows) / count,
        hardness=sum(task.hardness(p.data) for p in problems) / count,
        space=space, space_estimate=estimate, space_estimate_exact=exact, bound=limit,
        worst=scores[:3], failures=failures, battery_skipped=skipped,
    )
    return audit, set(keys)


def audit_task(
    name: str | Task,
    levels: Iterable[int] = DEFAULT_LEVELS,
    n: int = DEFAULT_N,
    seeds: Sequence[int] = DEFAULT_SEEDS,
    progress: Callable[[str, int], Any] | None = None,
) -> TaskAudit:
    """Audit one task at ``levels`` on ``n`` rows per level and seed."""
    task = get_task(name) if isinstance(name, str) else name
    out, previous = [], None
    for level in sorted(set(levels)):
        level_audit, keys = audit_level(task, level, n, seeds, previous)
        out.append(level_audit)
        previous = keys if level_audit.refused is None else previous
        if progress is not None:
            progress(task.name, level)
    return TaskAudit(task.name, task.family, task.chance, n, out)


def space_text(value: float | None, exact: bool = True) -> str:
    """``1234567.0`` → ``"1.2e6"``; an estimate from the sample is marked ``≈`` or ``≥``."""
    if value is None:
        return "-"
    mark = "" if exact else "≥"
    if value < 10_000:
        return f"{mark}{value:,.0f}"
    exponent = int(math.floor(math.log10(value)))
    return f"{mark}{value / 10 ** exponent:.1f}e{exponent}"


__all__ = [
    "CONSTANTS", "DEFAULT_LEVELS", "DEFAULT_N", "DEFAULT_SEEDS", "LevelAudit", "PolicyScore",
    "TaskAudit", "audit_level", "audit_task", "battery", "bound", "cap", "estimate_space",
    "space_text",
]
