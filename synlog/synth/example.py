"""One example, as a pure function of (task, version, params, seed, index).

This is the unit the engine parallelises, and what random access returns::

    row = make_row("sudoku", level=4, spec=get_task("sudoku").knobs.resolve(4), seed=7, index=0)
    row["answer"], row["fingerprint"]

Ranged knobs are sampled from a stream keyed by the *spec*; the instance itself is drawn from
a stream keyed by the *concrete* params the row records, so a row can be regenerated from its
own ``params``, ``seed`` and ``index`` alone (see :func:`regenerate`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from synlog.errors import GenerationError, KnobError, Reject, SynlogError
from synlog.synth.seeding import canonical_json, digest, example_rng, stream_rng
from synlog.tasks.base import Problem, Task, get_task
from synlog.tasks.knobs import Params
from synlog.tasks.prompts import PRESENTATION
from synlog.version import __version__

#: candidate attempts per example before the knobs are declared impossible
RETRY_BUDGET = 64


def fingerprint(task: str, problem: Mapping[str, Any] | str) -> str:
    """Identity of a problem's content (dedup within a run, decontamination across splits).

    ``problem`` is the data dict or its canonical JSON (the row's ``problem`` column).
    """
    text = problem if isinstance(problem, str) else canonical_json(problem)
    return hashlib.sha256(f"{task}\n{text}".encode()).hexdigest()[:32]


def has_inner_problems(task_name: str) -> bool:
    """Whether rows of ``task_name`` hold problems of other tasks (composed tasks)."""
    try:
        task = get_task(task_name)
    except SynlogError:
        return False
    return type(task).inner_problems is not Task.inner_problems


def row_keys(row: Mapping[str, Any]) -> list[str]:
    """What dedup and decontamination count as a row's problems: its fingerprint, and the
    fingerprints of the problems inside it (:meth:`~synlog.tasks.base.Task.inner_problems`)."""
    if not row.get("task") or not has_inner_problems(row["task"]):
        return [row["fingerprint"]]
    inner = get_task(row["task"]).inner_problems(json.loads(row["problem"]))
    return [row["fingerprint"], *(fingerprint(name, data) for name, data in inner)]


def prompt_key(prompt: str) -> str:
    """Identity of a prompt's text, blind to case and whitespace (decontamination by prompt:
    the same question rendered by another task version or template still matches)."""
    normal = " ".join(prompt.casefold().split())
    return hashlib.sha256(normal.encode()).hexdigest()[:32]


def concrete_params(task: Task, spec: Mapping[str, Any], seed: int, index: int) -> Params:
    """Sample every ranged knob of ``spec`` for one example."""
    if not any(isinstance(v, tuple) for v in spec.values()):
        return Params(spec)
    rng = stream_rng("knobs", task.name, task.version, {k: list(v) if isinstance(v, tuple) else v for k, v in spec.items()}, seed, index)
    return task.knobs.sample(spec, rng)


def generate_problem(task: Task, params: Params, seed: int, index: int) -> Problem:
    """The instance for concrete params, retrying rejected candidates a bounded number of times."""
    for attempt in range(RETRY_BUDGET):
        rng = example_rng(task.name, task.version, params, seed, index, attempt)
        try:
            return task.generate(rng, params)
        except Reject:
            continue
    shown = ", ".join(f"{k}={v}" for k, v in params.items())
    raise GenerationError(
        f"task '{task.name}' produced no valid instance with {shown} in {RETRY_BUDGET} attempts;"
        " these knobs look impossible together; try a lower difficulty or other --set values"
    )


def choose_template(task: Task, setting: Any, lang: str, params: Mapping[str, Any], seed: int, index: int) -> int:
    """The template of one row: ``setting`` when it is a number, else a draw from the row's own
    stream (apart from the problem's, so the wording never changes the problem)."""
    count = task.templates(lang)
    if setting != "random":
        if not 0 <= int(setting) < count:
            raise KnobError(f"task '{task.name}' has templates 0 to {count - 1}; got template={setting}")
        return int(setting)
    return int(stream_rng("template", task.name, task.version, dict(params), seed, index).integers(count))


def make_row(task_name: str, level: int, spec: Mapping[str, Any], seed: int, index: int) -> dict[str, Any]:
    """The dataset row (the schema of synlog.datasets_out.schema) of example ``index``.

    ``spec`` may hold the presentation knobs ``template`` and ``lang`` beside the task's own;
    they choose the prompt's wording, and the row's ``params`` record both."""
    task = get_task(task_name)
    knobs = {k: v for k, v in spec.items() if k not in PRESENTATION}
    lang = spec.get("lang", "en")
    task.check_spec(knobs)
    params = concrete_params(task, knobs, seed, index)
    task.check_params(params)
    problem = generate_problem(task, params, seed, index)
    template = choose_template(task, spec.get("template", "random"), lang, params, seed, index)
    params_json = canonical_json({**params, "lang": lang, "template": template})
    problem_json = canonical_json(problem.data)
    return {
        "id": f"{task.name}-{digest([task.version, params_json, seed], 8)}-{index}",
        "task": task.name,
        "family": task.family,
        "difficulty": int(level),
        "params": params_json,
        "seed": int(seed),
        "index": int(index),
        "prompt": task.prompt(problem, template, lang),
        "answer": problem.answer,
        "problem": problem_json,
        "effort": float(problem.effort),
        "fingerprint": fingerprint(task.name, problem_json),
        "task_version": int(task.version),
        "synlog_version": __version__,
    }


def regenerate(row: Mapping[str, Any]) -> dict[str, Any]:
    """Rebuild a row from its own task, difficulty, params, seed and index."""
    task = get_task(row["task"])
    if int(row["task_version"]) != task.version:
        raise GenerationError(
            f"row was made by {row['task']} version {row['task_version']}, this synlog has"
            f" version {task.version}; regenerate with the synlog version {row['synlog_version']}"
        )
    return make_row(row["task"], row["difficulty"], json.loads(row["params"]), row["seed"], row["index"])
