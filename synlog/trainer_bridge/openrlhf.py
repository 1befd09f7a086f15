"""OpenRLHF: the remote reward protocol, shared by ``synlog serve`` and the file option.

OpenRLHF sends ``{"query": [...], "prompts": [...], "labels": [...]}`` (``query`` = prompt +
response, ``labels`` from the dataset's ``--label_key`` column) and reads
``{"rewards": [...], "scores": [...], "extra_logs": {...}}``: ``rewards`` feed the advantage,
``scores`` (0/1 correctness) its dynamic filtering, ``extra_logs`` its logger.

A label is the JSON of ``{"task": ..., "problem": ..., "difficulty": ...}`` (what
``synlog export --format openrlhf`` writes), or a row ``id`` when the server was given the
dataset (``synlog serve --dataset DIR``). Two ways to use it::

    synlog serve --port 5000                  # then: --remote_rm_url http://HOST:5000/get_reward
    --remote_rm_url $(python -c 'import synlog.trainer_bridge.openrlhf as m; print(m.__file__)')

The second loads this file and calls :func:`reward_func` in the trainer's process (verdicts
still come from bounded worker processes).

A failure is never a reward of 0. A label no task can judge (not synlog's, an unknown task, a
problem that is not a JSON object) is a :class:`BadRequest` (HTTP 400, naming ``labels[i]``);
an ``error`` verdict (a verifier that failed) or a pool that cannot run is a
:class:`~synlog.errors.ScoringError` (HTTP 500 with the reason). OpenRLHF retries a failed
request a few times and then stops with an error (openrlhf/utils/agent.py,
``_fetch_rewards_via_http``); the file option raises in the trainer's process.
``timeout`` is a verdict: reward 0.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from synlog.errors import ScoringError, SynlogError, UnscorableError
from synlog.trainer_bridge.scorer import Scorer, default_scorer
from synlog.trainer_bridge.spec import RewardSpec, total_rewards
from synlog.trainer_bridge.train import chat_messages
from synlog.verifiers.verdict import Reason, Verdict

MAX_ITEMS = 4096


class BadRequest(SynlogError, ValueError):
    """A reward request that does not follow the protocol; the message says what is wrong."""


def strip_prompt(query: str, prompt: str | None) -> str:
    """The response part of ``query`` (prompt + response)."""
    if not prompt:
        return query
    if query.startswith(prompt):
        return query[len(prompt):]
    at = query.rfind(prompt)
    return query[at + len(prompt):] if at != -1 else query


def openrlhf_row(row: Mapping[str, Any], system_prompt: str | None = None) -> dict[str, Any]:
    """A synlog dataset row as an OpenRLHF row: ``prompt`` (chat messages) and the ``label``
    that :func:`parse_label` reads back."""
    label = {"task": row["task"], "problem": row["problem"], "difficulty": row["difficulty"]}
    return {"id": row["id"], "prompt": chat_messages(row["prompt"], system_prompt), "label": json.dumps(label)}


def write_openrlhf(tables: Mapping[str, Any], folder: str | Path, system_prompt: str | None = None) -> list[Path]:
    """Write ``<split>.jsonl`` per split (OpenRLHF's ``--prompt_data``, ``--label_key label``)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for split, table in tables.items():
        target = folder / f"{split}.jsonl"
        with open(target, "w", encoding="utf-8") as out:
            for row in table.to_pylist():
                out.write(json.dumps(openrlhf_row(row, system_prompt), ensure_ascii=False) + "\n")
        written.append(target)
    return written


def parse_label(label: Any, rows_by_id: Mapping[str, Mapping[str, Any]] | None = None) -> tuple[str, Any, int | None]:
    """``(task, problem, difficulty)`` from a label (JSON object, dict, or a known row id)."""
    if isinstance(label, str) and rows_by_id is not None and label in rows_by_id:
        row = rows_by_id[label]
        return row["task"], row["problem"], row.get("difficulty")
    if isinstance(label, str):
        try:
            label = json.loads(label)
        except json.JSONDecodeError:
            raise BadRequest("label is neither JSON {task, problem} nor a known row id"
                             + ("" if rows_by_id else " (start the server with --dataset to use ids)")) from None
    if not isinstance(label, Mapping) or not isinstance(label.get("task"), str) or label.get("problem") is None:
        raise BadRequest("label must carry 'task' (a string) and 'problem'")
    difficulty = label.get("difficulty")
    return label["task"], label["problem"], int(difficulty) if isinstance(difficulty, int) else None


def parse_request(body: Any) -> tuple[list[str], list[str | None], list[Any]]:
    """Validate a request body; raises :class:`BadRequest` naming the first problem."""
    if not isinstance(body, Mapping):
        raise BadRequest("body must be a JSON object with 'query' and 'labels'")
    query, prompts, labels = body.get("query"), body.get("prompts"), body.get("labels")
    if not isinstance(query, list) or not all(isinstance(q, str) for q in query):
        raise BadRequest("'query' must be a list of strings (prompt + response)")
    if len(query) > MAX_ITEMS:
        raise BadRequest(f"at most {MAX_ITEMS} queries per request (got {len(query)})")
    if not isinstance(labels, list) or len(labels) != len(query):
        raise BadRequest("'labels' must be a list with one label per query")
    if prompts is None:
        prompts = [None] * len(query)
    if not isinstance(prompts, list) or len(prompts) != len(query) or not all(
            p is None or isinstance(p, str) for p in prompts):
        raise BadRequest("'prompts' must be a list of strings, one per query")
    return query, prompts, labels


def score_request(body: Any, spec: RewardSpec | None = None, scorer: Scorer | None = None,
                  rows_by_id: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """The protocol's response for a request body: raises :class:`BadRequest` on bad input
    (labels no task can judge included) and :class:`ScoringError` when a completion could not
    be scored."""
    query, prompts, labels = parse_request(body)
    spec, scorer = spec or RewardSpec(), scorer or default_scorer()
    parsed = []
    for i, label in enumerate(labels):
        try:
            parsed.append(parse_label(label, rows_by_id))
        except BadRequest as exc:
            raise BadRequest(f"labels[{i}]: {exc}") from None
    texts = [strip_prompt(q, p) for q, p in zip(query, prompts, strict=True)]
    outcomes = scorer.outcomes([t for t, _, _ in parsed], [p for _, p, _ in parsed], texts) if texts else []
    for i, outcome in enumerate(outcomes):
        if isinstance(outcome, UnscorableError):
            raise BadRequest(f"labels[{i}]: {outcome}")
    for i, outcome in enumerate(outcomes):
        if outcome.reason is Reason.ERROR:
            raise ScoringError(f"query {i} (task '{parsed[i][0]}'): the verifier failed "
                               f"({outcome.details.get('why', '?')}); not answering 0 for it. Retry, "
                               "or report the verifier bug with this completion")
    verdicts: list[Verdict] = outcomes  # type: ignore[assignment]
    groups = [f"{task}\n{p if p is not None else problem}" for (task, problem, _), p in zip(parsed, prompts, strict=True)]
    totals, values = total_rewards(spec, verdicts, texts, levels=[d for _, _, d in parsed], groups=groups)
    return {"rewards": totals, "scores": [float(v.correct) for v in verdicts],
            "extra_logs": _extra_logs(verdicts, values)}


def _extra_logs(verdicts: Sequence[Verdict], values: Mapping[str, Sequence[float]]) -> dict[str, list[float]]:
    logs = {"synlog_acc": [float(v.correct) for v in verdicts]}
    for term, vals in values.items():
        if term != "accuracy":
            logs[f"synlog_{term}"] = [float(x) for x in vals]
    return logs


def reward_func(queries: Sequence[str], prompts: Sequence[str], labels: Sequence[Any], **kwargs: Any) -> dict[str, Any]:
    """OpenRLHF's file option (``--remote_rm_url path/to/this/file.py``).

    Returns torch tensors (what OpenRLHF expects from this entry point). Raises
    :class:`BadRequest` on labels that are not synlog labels and :class:`ScoringError` when a
    completion could not be scored (never a 0 for it).
    """
    import torch

    from synlog.trainer_bridge.verl import default_spec

    result = score_request({"query": list(queries), "prompts": list(prompts), "labels": list(labels)}, default_spec())
    return {"rewards": torch.tensor(result["rewards"], dtype=torch.float32),
            "scores": torch.tensor(result["scores"], dtype=torch.float32),
            "extra_logs": {k: torch.tensor(v, dtype=torch.float32) for k, v in result["extra_logs"].items()}}
