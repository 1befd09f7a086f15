"""Score one completion in this process: extract, then the task's ``verify``.

This is the in-process core that worker pools and reward adapters call. A verifier bug or a
pathological answer never escapes as an exception: it becomes an ``error`` verdict. A job no
task can judge (an unknown task, a problem that is not a JSON object) raises
:class:`~synlog.errors.UnscorableError` with the fix: it is the caller's input, never a 0.
Use :mod:`synlog.verifiers.pool` to bound wall-clock time and memory.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from synlog.errors import UnscorableError
from synlog.tasks.base import Task, get_task
from synlog.verifiers.extract import DEFAULT, ExtractConfig, extract
from synlog.verifiers.verdict import Verdict


def load_problem(task_name: str, problem: Any) -> dict[str, Any]:
    """The row's ``problem`` (JSON text or an already decoded object) as a dict, or
    UnscorableError saying what to pass instead."""
    if isinstance(problem, str):
        try:
            problem = json.loads(problem)
        except ValueError as exc:
            raise UnscorableError(
                f"the problem of a '{task_name}' job is not valid JSON ({exc}); pass the row's "
                "`problem` column unchanged") from None
    if not isinstance(problem, Mapping):
        raise UnscorableError(
            f"the problem of a '{task_name}' job is a JSON {type(problem).__name__}, not an object; "
            "pass the row's `problem` column (a JSON object) unchanged")
    return dict(problem)


def score_answer(task: Task, problem: Mapping[str, Any], answer: str) -> Verdict:
    """Judge an already-extracted answer; exceptions become ``error`` verdicts."""
    try:
        verdict = task.verify(dict(problem), answer)
    except (MemoryError, RecursionError) as exc:
        return Verdict.error(f"verifier ran out of resources: {type(exc).__name__}")
    except Exception as exc:  # noqa: BLE001 - a verifier must never crash a batch
        return Verdict.error(f"verifier raised {type(exc).__name__}: {exc}"[:500])
    if not isinstance(verdict, Verdict):
        return Verdict.error(f"verifier returned {type(verdict).__name__}, not a Verdict")
    return verdict


def score(
    task: str | Task,
    problem: Mapping[str, Any] | str,
    completion: str,
    config: ExtractConfig = DEFAULT,
) -> Verdict:
    """Extract the answer from a completion and verify it against ``problem``.

    ``problem`` is the row's ``problem`` column (a JSON string) or the decoded dict.
    """
    task = get_task(task) if isinstance(task, str) else task
    problem = load_problem(task.name, problem)
    found = extract(completion, config, task.fallback_extract)
    if found.mode == "too_long":
        verdict = Verdict.invalid(f"answer longer than {config.max_chars} characters")
    elif found.text is None:
        verdict = Verdict.no_answer(
            "reasoning never closed (<think> without </think>)"
            if found.mode == "unfinished_think"
            else "no <answer>…</answer> or \\boxed{…} found"
            + (" and the task's fallback found no answer line" if config.fallback else "")
        )
    else:
        verdict = score_answer(task, problem, found.text)
        if found.mode == "fallback":  # say what the fallback read, so a wrong read is visible
            verdict.details.setdefault("read", found.text if len(found.text) <= 200 else found.text[:197] + "...")
    verdict.extraction = found.mode
    return verdict
