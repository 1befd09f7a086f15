"""OpenRLHF: the remote reward protocol, shared by ``synlog serve`` and the file option.

OpenRLHF sends ``{"query": [...], "prompts": [...], "labels": [...]}`` (``query`` = prompt +
response as decoded by the policy's tokenizer with ``skip_special_tokens=False``, ``labels``
from the dataset's ``--data.label_key`` column) and reads ``{"rewards": [...], "scores": [...],
"extra_logs": {...}}``: ``rewards`` feed the advantage, ``scores`` (0/1 correctness) its
dynamic filtering, ``extra_logs`` its logger. OpenRLHF 0.11 sends one query per request
(openrlhf/utils/agent.py, ``SingleTurnAgentExecutor.execute``).

A label is the JSON of ``{"task": ..., "problem": ..., "difficulty": ...}`` (what
``synlog export --format openrlhf`` writes), or a row ``id`` when the server was given the
dataset (``synlog serve --dataset DIR``). Two ways to use it (OpenRLHF >= 0.10.2 flags; before,
``--remote_rm_url`` / ``--label_key`` / ``--input_key``)::

    synlog serve --port 5000       # then: --reward.remote_url http://HOST:5000/get_reward
    --reward.remote_url $(python -c 'import synlog.trainer_bridge.openrlhf as m; print(m.__file__)')

with ``--data.prompt_dataset data/x-orlhf/train.jsonl --data.input_key prompt --data.label_key
label --data.apply_chat_template``. The second loads this file and calls :func:`reward_func`
in the trainer's process (verdicts still come from bounded worker processes).

Before scoring, the prompt is cut off the query and so is the one stop text the response ends
in (:func:`strip_stop_text`: the EOS or pad text of the policy's tokenizer, e.g.
``<|im_end|>``), only at the very end and only once, so ``<answer>4</answer><|im_end|>`` is
well formatted and ``<answer>4</answer>junk<|im_end|>`` is not.

A failure is never a reward of 0. A label no task can judge (not synlog's, an unknown task, a
problem that is not a JSON object) is a :class:`BadRequest` (HTTP 400, naming ``labels[i]``
and the task; a batch with such a label is refused whole); an ``error`` verdict (a verifier
that failed) or a pool that cannot run is a :class:`~synlog.errors.ScoringError` (HTTP 500
with the reason). OpenRLHF 0.11 tries a failed request 5 times, then logs the failure and
leaves the sample without a reward, which stops the step (openrlhf/utils/agent.py,
``_fetch_rewards_via_http``; openrlhf/trainer/ppo_utils/experience_maker.py, ``rewards is
None``); the file option raises in the trainer's process. ``timeout`` is a verdict: reward 0.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from synlog.datasets_out.schema import row_source
from synlog.errors import ScoringError, SynlogError, UnknownTaskError, UnscorableError
from synlog.trainer_bridge.scorer import Scorer, default_scorer, failure_reason, problem_error
from synlog.trainer_bridge.spec import RewardSpec, total_rewards
from synlog.trainer_bridge.train import chat_messages
from synlog.verifiers.verdict import Reason, Verdict

MAX_ITEMS = 4096
#: end-of-turn / end-of-text / pad texts of common chat models (Qwen/ChatML, Llama 2 and 3,
#: Mistral, Gemma, Phi-3, gpt-oss, DeepSeek): a response that stopped on EOS ends in one of
#: them, because OpenRLHF decodes with ``skip_special_tokens=False``
STOP_TEXTS = ("<|im_end|>", "<|endoftext|>", "</s>", "<|eot_id|>", "<|end_of_text|>", "<|eom_id|>",
              "<end_of_turn>", "<eos>", "<|end|>", "<|return|>", "<\uff5cend\u2581of\u2581sentence\uff5c>")


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


def strip_stop_text(response: str, stop_texts: Sequence[str] = STOP_TEXTS) -> str:
    """``response`` without the stop text it ends in (trailing whitespace aside), if it ends in
    one: only at the very end and only one, so text after the answer stays and is judged."""
    body = response.rstrip()
    for stop in sorted(stop_texts, key=len, reverse=True):
        if stop and body.endswith(stop):
            return body[:-len(stop)]
    return response


def _token_text(value: Any) -> str | None:
    """A special token as tokenizer files write it: a string or ``{"content": ...}``."""
    if isinstance(value, dict):
        value = value.get("content")
    return value if isinstance(value, str) and value else None


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SynlogError(f"{path}: cannot read it ({exc}); pass the stop texts with --strip-suffix TEXT") from None
    return data if isinstance(data, dict) else {}


def tokenizer_stop_texts(folder: str | Path) -> tuple[str, ...]:
    """The EOS and pad texts of a local tokenizer (or model) folder, read from its files
    (``tokenizer_config.json``, ``special_tokens_map.json``, and the ``eos_token_id`` /
    ``pad_token_id`` of ``generation_config.json`` looked up in ``tokenizer.json``); no
    tokenizer library is loaded."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SynlogError(f"--tokenizer {folder}: not a folder; give the policy's local tokenizer or model "
                          "folder, or the stop texts with --strip-suffix TEXT")
    texts: list[str] = []
    for name in ("tokenizer_config.json", "special_tokens_map.json"):
        data = _read_json(folder / name)
        texts += [t for t in (_token_text(data.get("eos_token")), _token_text(data.get("pad_token"))) if t]
    generation = _read_json(folder / "generation_config.json")
    ids = []
    for key in ("eos_token_id", "pad_token_id"):
        value = generation.get(key)
        ids += value if isinstance(value, list) else [value] if isinstance(value, int) else []
    if ids:
        by_id = {t.get("id"): t.get("content") for t in _read_json(folder / "tokenizer.json").get("added_tokens", [])
                 if isinstance(t, dict)}
        decoder = _read_json(folder / "tokenizer_config.json").get("added_tokens_decoder", {})
        by_id.update({int(k): _token_text(v) for k, v in decoder.items() if str(k).isdigit()})
        texts += [by_id[i] for i in ids if isinstance(by_id.get(i), str) and by_id[i]]
    found = tuple(dict.fromkeys(texts))
    if not found:
        raise SynlogError(f"--tokenizer {folder}: no eos_token or pad_token in its tokenizer_config.json, "
                          "special_tokens_map.json or generation_config.json; pass the stop texts with "
                          "--strip-suffix TEXT")
    return found


def openrlhf_row(row: Mapping[str, Any], system_prompt: str | None = None) -> dict[str, Any]:
    """A synlog dataset row as an OpenRLHF row: ``prompt`` (chat messages) and the ``label``
    that :func:`parse_label` reads back."""
    label = {"task": row["task"], "problem": row["problem"], "difficulty": row["difficulty"], "source": row_source(row)}
    return {"id": row["id"], "prompt": chat_messages(row["prompt"], system_prompt), "label": json.dumps(label)}


def write_openrlhf(tables: Mapping[str, Any], folder: str | Path, system_prompt: str | None = None) -> list[Path]:
    """Write ``<split>.jsonl`` per split (OpenRLHF's ``--data.prompt_dataset``, with
    ``--data.input_key prompt --data.label_key label --data.apply_chat_template``)."""
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


class Label(NamedTuple):
    """What a label says: the row's task, problem, difficulty and source (its task when the
    label names no source)."""

    task: str
    problem: Any
    difficulty: int | None
    source: str


def parse_label(label: Any, rows_by_id: Mapping[str, Mapping[str, Any]] | None = None) -> Label:
    """A :class:`Label` from a label (JSON object, dict, or a known row id)."""
    if isinstance(label, str) and rows_by_id is not None and label in rows_by_id:
        row = rows_by_id[label]
        return Label(row["task"], row["problem"], row.get("difficulty"), row_source(row))
    if isinstance(label, str):
        try:
            label = json.loads(label)
        except json.JSONDecodeError:
            raise BadRequest("label is neither JSON {task, problem} nor a known row id"
                             + ("" if rows_by_id else " (start the server with --dataset to use ids)")) from None
    if not isinstance(label, Mapping) or not isinstance(label.get("task"), str) or label.get("problem") is None:
        raise BadRequest("label must carry 'task' (a string) and 'problem'")
    difficulty, source = label.get("difficulty"), label.get("source")
    return Label(label["task"], label["problem"], int(difficulty) if isinstance(difficulty, int) else None,
                 source if isinstance(source, str) and source else label["task"])


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


IMPORT_HINT = ("a task defined outside synlog needs its module: `synlog serve --import MODULE` "
               "(file option: SYNLOG_REWARD_IMPORTS=MODULE)")


def _check_tasks(parsed: Sequence[Label]) -> None:
    """A :class:`BadRequest` naming the first label whose task is unknown (and every unknown
    task), checked against this process's registry, which holds every task the workers know
    when the scorer imports no extra modules."""
    from synlog.tasks.base import all_tasks, get_task

    known = all_tasks()
    bad = [i for i, label in enumerate(parsed) if label.task not in known]
    if not bad:
        return
    try:
        get_task(parsed[bad[0]][0])
        why = f"unknown task '{parsed[bad[0]][0]}'"
    except UnknownTaskError as exc:  # the message with a "did you mean"
        why = str(exc)
    names = sorted({parsed[i][0] for i in bad})
    more = (f" ({len(bad)} of {len(parsed)} labels name unknown tasks: {', '.join(map(repr, names))}; "
            "the request is refused whole)") if len(bad) > 1 else ""
    raise BadRequest(f"labels[{bad[0]}]: {why}{more}; {IMPORT_HINT}")


def score_request(body: Any, spec: RewardSpec | None = None, scorer: Scorer | None = None,
                  rows_by_id: Mapping[str, Mapping[str, Any]] | None = None,
                  stop_texts: Sequence[str] = STOP_TEXTS, sources: Sequence[str] = (),
                  tally: SourceTally | None = None) -> dict[str, Any]:
    """The protocol's response for a request body: raises :class:`BadRequest` on bad input
    (labels no task can judge included) and :class:`ScoringError` when a completion could not
    be scored. ``stop_texts``: what :func:`strip_stop_text` may cut off a response's end.
    ``sources``: the sources whose accuracy ``extra_logs`` carries (see :func:`source_logs`);
    ``tally``: counts each verdict by source (the server's running accuracy)."""
    query, prompts, labels = parse_request(body)
    spec, scorer = spec or RewardSpec(), scorer or default_scorer()
    parsed = []
    for i, label in enumerate(labels):
        try:
            parsed.append(parse_label(label, rows_by_id))
        except BadRequest as exc:
            raise BadRequest(f"labels[{i}]: {exc}") from None
    if not getattr(scorer.pool, "imports", ()):  # with imports, only the workers know every task
        _check_tasks(parsed)
    texts = [strip_stop_text(strip_prompt(q, p), stop_texts) for q, p in zip(query, prompts, strict=True)]
    outcomes = scorer.outcomes([lb.task for lb in parsed], [lb.problem for lb in parsed], texts) if texts else []
    for i, outcome in enumerate(outcomes):
        if isinstance(outcome, UnscorableError):
            raise BadRequest(f"labels[{i}] (task '{parsed[i][0]}'): {outcome}")
        if problem_error(outcome) is not None:
            raise BadRequest(f"labels[{i}] (task '{parsed[i][0]}'): {failure_reason(outcome)}")
    for i, outcome in enumerate(outcomes):
        if outcome.reason is Reason.ERROR:
            raise ScoringError(f"query {i} (task '{parsed[i][0]}'): the verifier failed "
                               f"({outcome.details.get('why', '?')}); not answering 0 for it. Retry, "
                               "or report the verifier bug with this completion")
    verdicts: list[Verdict] = outcomes  # type: ignore[assignment]
    groups = [f"{lb.task}\n{p if p is not None else lb.problem}" for lb, p in zip(parsed, prompts, strict=True)]
    totals, values = total_rewards(spec, verdicts, texts, levels=[lb.difficulty for lb in parsed], groups=groups)
    logs = _extra_logs(verdicts, values)
    logs.update(source_logs([lb.source for lb in parsed], verdicts, sources))
    if tally is not None:
        tally.add([lb.source for lb in parsed], [v.correct for v in verdicts])
    return {"rewards": totals, "scores": [float(v.correct) for v in verdicts], "extra_logs": logs}


def _extra_logs(verdicts: Sequence[Verdict], values: Mapping[str, Sequence[float]]) -> dict[str, list[float]]:
    logs = {"synlog_acc": [float(v.correct) for v in verdicts]}
    for term, vals in values.items():
        if term != "accuracy":
            logs[f"synlog_{term}"] = [float(x) for x in vals]
    return logs


class SourceTally:
    """Completions and correct ones per source, counted from any thread."""

    def __init__(self) -> None:
        self._counts: dict[str, list[int]] = {}
        self._lock = threading.Lock()

    def add(self, sources: Sequence[str], correct: Sequence[bool]) -> None:
        with self._lock:
            for source, ok in zip(sources, correct, strict=True):
                counts = self._counts.setdefault(source, [0, 0])
                counts[0] += 1
                counts[1] += int(ok)

    def summary(self) -> dict[str, dict[str, float]]:
        """``{source: {"completions": n, "accuracy": a}}``."""
        with self._lock:
            return {name: {"completions": n, "accuracy": hits / n} for name, (n, hits) in sorted(self._counts.items())}


#: the per-source key of rows whose source is not among the server's sources
OTHER_SOURCE = "other"


def source_logs(row_sources: Sequence[str], verdicts: Sequence[Verdict], sources: Sequence[str]) -> dict[str, list[float]]:
    """Per-source accuracy in a form OpenRLHF can log: two keys per source.

    OpenRLHF merges the ``extra_logs`` of its samples key by key (one query per request in
    0.11) and logs each key's mean over the batch, so every response must carry the same keys
    and no sample may carry NaN. ``synlog_n/<source>`` is 1 for a sample of that source, else
    0; ``synlog_correct/<source>`` is 1 for a correct one, else 0. The source's accuracy is
    the ratio of the two logged means. The keys are those of ``sources`` (fixed for a server;
    ``synlog serve --dataset`` takes them from the dataset), plus ``other`` for the rest.
    """
    if not sources:
        return {}
    names = [*sources, OTHER_SOURCE]
    known = set(sources)
    logs: dict[str, list[float]] = {}
    for name in names:
        logs[f"synlog_n/{name}"] = []
        logs[f"synlog_correct/{name}"] = []
    for source, verdict in zip(row_sources, verdicts, strict=True):
        mine = source if source in known else OTHER_SOURCE
        for name in names:
            logs[f"synlog_n/{name}"].append(float(name == mine))
            logs[f"synlog_correct/{name}"].append(float(name == mine and verdict.correct))
    return logs


def reward_func(queries: Sequence[str], prompts: Sequence[str], labels: Sequence[Any], **kwargs: Any) -> dict[str, Any]:
    """OpenRLHF's file option (``--reward.remote_url path/to/this/file.py``).

    Returns torch tensors (what OpenRLHF expects from this entry point). Responses lose their
    trailing stop text as in :func:`score_request` (the :data:`STOP_TEXTS`). Raises
    :class:`BadRequest` on labels that are not synlog labels and :class:`ScoringError` when a
    completion could not be scored (never a 0 for it).
    """
    import torch

    from synlog.trainer_bridge.verl import default_spec

    result = score_request({"query": list(queries), "prompts": list(prompts), "labels": list(labels)}, default_spec())
    return {"rewards": torch.tensor(result["rewards"], dtype=torch.float32),
            "scores": torch.tensor(result["scores"], dtype=torch.float32),
            "extra_logs": {k: torch.tensor(v, dtype=torch.float32) for k, v in result["extra_logs"].items()}}
