"""``synlog train``: TRL's ``GRPOTrainer`` on synlog data with synlog rewards, from one config.

A config (YAML or JSON)::

    model: ./SmolLM2-135M-Instruct          # a local folder (or a GGUF file: see gguf_file)
    gguf_file: null                         # a .gguf inside `model` (dequantised by transformers)
    output_dir: runs/arith
    seed: 0
    data:                                   # exactly one of path / task / curriculum
      path: data/arith                      # a dataset `synlog generate` wrote
      # task: arithmetic, difficulty: 1, n: 512, set: {magnitude: 9}
      chat: true                            # prompts as chat messages (the model's chat template)
      pass_rates: report/                   # a `synlog verify` report of k samples per row: drop
      keep: [0.0, 1.0]                      # rows whose pass rate is not strictly inside (low, high)
      system_prompt: null
    curriculum:                             # on-the-fly rows at adaptive levels (instead of data)
      tasks: {arithmetic: 1.0, linear_equations: 1.0}   # task: weight
      start: 1                              # or {reference: SmolLM2-135M-Instruct, band: [0.2, 0.8]}:
                                            # each task where that model's measured pass rate is in the band
      window: 32
      upper: 0.8
      lower: 0.3
    reward: {accuracy: {weight: 1.0}, format: {weight: 0.2}}   # see synlog.trainer_bridge.spec
    verifier: {workers: 2, timeout: 10, fallback: false}   # fallback: the task's own extractor
                                                           # when no <answer>/\\boxed (weak models)
    grpo:                                   # GRPOConfig fields, passed through unchanged
      num_generations: 8
      max_completion_length: 256
      max_steps: 100
      use_vllm: false                       # on a GPU: true, with vllm_mode colocate | server
      vllm_mode: colocate
      # vllm_mode, vllm_model_impl, loss_type, scale_rewards, importance_sampling_level,
      # multi_objective_aggregation and vllm_importance_sampling_mode are checked against the
      # values TRL knows before the model loads; with a curriculum, dataloader_num_workers is refused

``reward_weights`` come from the reward spec; ``report_to`` defaults to none and ``bf16`` to
off on a machine without CUDA. After training, the trainer's log history is written to
``<output_dir>/synlog_log_history.json``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from synlog.datasets_out.schema import chat_messages, row_source
from synlog.errors import SynlogError
from synlog.trainer_bridge.spec import RewardSpec

TOP_KEYS = ("model", "gguf_file", "tokenizer", "output_dir", "seed", "data", "curriculum", "reward", "verifier", "grpo")
DATA_KEYS = ("path", "task", "difficulty", "n", "set", "chat", "system_prompt", "split", "pass_rates", "keep")
VERIFIER_KEYS = ("workers", "timeout", "memory_mb", "fallback")
CURRICULUM_KEYS = ("tasks", "start", "window", "upper", "lower", "lo", "hi")
LOG_FILE = "synlog_log_history.json"
#: GRPOConfig fields that take one of a few values (TRL 1.16, trl/trainer/grpo_config.py lines
#: 594, 604, 760, 777, 789, 801, 934). GRPOConfig accepts any string for them and TRL fails only
#: later (vLLM start-up, the first step's loss or advantages), so they are checked here, before a
#: model loads. A value a newer TRL documents for the field (quoted in its help) is let through.
GRPO_CHOICES: dict[str, tuple[Any, ...]] = {
    "vllm_mode": ("colocate", "server"),
    "vllm_model_impl": ("vllm", "transformers"),
    "importance_sampling_level": ("token", "sequence"),
    "multi_objective_aggregation": ("sum_then_normalize", "normalize_then_sum"),
    "scale_rewards": ("group", "batch", "none", True, False),
    "loss_type": ("dapo", "grpo", "dr_grpo", "bnpo", "cispo", "sapo", "luspo", "vespo"),
    "vllm_importance_sampling_mode": ("sequence_mask", "sequence_truncate", "token_mask", "token_truncate"),
}


class TrainConfigError(SynlogError, ValueError):
    """A ``synlog train`` config that is missing a key or has an unknown one."""


@dataclass
class TrainConfig:
    """One GRPO run: model, data (or curriculum), reward spec, verifier bounds, GRPOConfig fields."""

    model: str | None = None
    gguf_file: str | None = None
    tokenizer: str | None = None
    output_dir: str = "runs/synlog-grpo"
    seed: int = 0
    data: dict[str, Any] = field(default_factory=dict)
    curriculum: dict[str, Any] | None = None
    reward: RewardSpec = field(default_factory=RewardSpec)
    verifier: dict[str, Any] = field(default_factory=dict)
    grpo: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrainConfig:
        unknown = sorted(set(data) - set(TOP_KEYS))
        if unknown:
            raise TrainConfigError(f"train config: unknown key(s) {', '.join(unknown)}; known: {', '.join(TOP_KEYS)}")
        for section in ("data", "curriculum", "reward", "verifier", "grpo"):
            if data.get(section) is not None and not isinstance(data[section], Mapping):
                raise TrainConfigError(f"train config {section}: must be a mapping of keys, not "
                                       f"{type(data[section]).__name__} (see docs/trainer-bridge.md)")
        seed = data.get("seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise TrainConfigError(f"train config seed: must be a non-negative integer, not {seed!r:.40}")
        source = dict(data.get("data") or {})
        bad = sorted(set(source) - set(DATA_KEYS))
        if bad:
            raise TrainConfigError(f"train config data: unknown key(s) {', '.join(bad)}; known: {', '.join(DATA_KEYS)}")
        bad = sorted(set(data.get("verifier") or {}) - set(VERIFIER_KEYS))
        if bad:
            raise TrainConfigError(f"train config verifier: unknown key(s) {', '.join(bad)}; known: {', '.join(VERIFIER_KEYS)}")
        curriculum = data.get("curriculum")
        if curriculum is not None:
            bad = sorted(set(curriculum) - set(CURRICULUM_KEYS))
            if bad:
                raise TrainConfigError(f"train config curriculum: unknown key(s) {', '.join(bad)}")
            if not curriculum.get("tasks"):
                raise TrainConfigError("train config curriculum needs tasks, e.g. {arithmetic: 1.0}")
            _check_start(curriculum.get("start", 1))
        if (curriculum is not None) + ("path" in source) + ("task" in source) != 1:
            raise TrainConfigError("train config needs exactly one of data.path, data.task or curriculum")
        grpo = dict(data.get("grpo") or {})
        check_grpo_choices(grpo)
        workers = grpo.get("dataloader_num_workers", 0)
        if curriculum is not None and not (isinstance(workers, int) and workers == 0):
            # each dataloader worker is a process with its own copy of the controller: its rows
            # would stay at the start level while the trainer's controller moves on
            raise TrainConfigError(f"grpo.dataloader_num_workers: {workers!r:.20} cannot be used with a curriculum: "
                                   "a worker process has its own copy of the levels and would keep generating rows "
                                   "at the start level; remove it (TRL reads streamed data with 0 workers anyway)")
        return cls(
            model=data.get("model"), gguf_file=data.get("gguf_file"), tokenizer=data.get("tokenizer"),
            output_dir=str(data.get("output_dir", cls.output_dir)), seed=seed,
            data=source, curriculum=curriculum, reward=RewardSpec.from_dict(data.get("reward")),
            verifier=dict(data.get("verifier") or {}), grpo=grpo,
        )

    @classmethod
    def load(cls, path: str | Path) -> TrainConfig:
        from synlog.datasets_out.userfiles import load_document

        data = load_document(path, "train config", as_json=False)
        if not isinstance(data, dict):
            raise TrainConfigError(f"train config '{path}' must be a mapping (model:, data:, reward:, grpo:)")
        return cls.from_dict(data)


def check_grpo_choices(grpo: Mapping[str, Any]) -> None:
    """Refuse a GRPOConfig option outside the values TRL knows (``vllm_mode: sever``), with the
    closest known value; see :data:`GRPO_CHOICES`."""
    import difflib

    for name, choices in GRPO_CHOICES.items():
        if name not in grpo:
            continue
        value = grpo[name]
        if isinstance(value, (str, bool)) and (value in choices or _documented_by_installed_trl(name, value)):
            continue
        words = [str(c).lower() if isinstance(c, bool) else c for c in choices]
        close = difflib.get_close_matches(str(value), words, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise TrainConfigError(f"grpo.{name}: {value!r:.40} is not one of {', '.join(words)}{hint}")


def _documented_by_installed_trl(name: str, value: Any) -> bool:
    """True when the installed TRL's GRPOConfig help for ``name`` quotes ``value`` (a value added
    after TRL 1.16)."""
    import importlib.util

    if not isinstance(value, str) or not value or importlib.util.find_spec("trl") is None:
        return False
    import dataclasses

    from trl import GRPOConfig

    for spec in dataclasses.fields(GRPOConfig):
        if spec.name == name:
            text = str(spec.metadata.get("help", ""))
            return f"'{value}'" in text or f"`{value}`" in text
    return False


def trainer_row(row: Mapping[str, Any], chat: bool = True, system_prompt: str | None = None) -> dict[str, Any]:
    """A synlog row as a GRPO row: ``prompt`` (chat messages or text) plus what rewards read
    (``source``: the imported row's source, else its task, for per-source accuracy)."""
    prompt = chat_messages(row["prompt"], system_prompt) if chat else row["prompt"]
    return {"prompt": prompt, "task": row["task"], "problem": row["problem"],
            "difficulty": int(row["difficulty"]), "id": row["id"], "source": row_source(row)}


def build_dataset(config: TrainConfig):
    """The training dataset (``datasets.Dataset``) of a data.path or data.task config."""
    import datasets

    source = config.data
    chat, system = bool(source.get("chat", True)), source.get("system_prompt")
    if "path" in source:
        from synlog.datasets_out.io import read_dataset

        tables = read_dataset(source["path"])
        split = source.get("split", "train")
        if split not in tables:
            raise TrainConfigError(f"dataset {source['path']} has no split '{split}'; it has {', '.join(tables)}")
        rows = tables[split].to_pylist()
    else:
        import synlog

        rows = list(synlog.generate(source["task"], int(source.get("difficulty", 1)), int(source.get("n", 256)),
                                    config.seed, knobs=dict(source.get("set") or {})))
    if source.get("pass_rates"):
        from synlog.trainer_bridge.curriculum import pass_rate_filter, read_pass_rates

        low, high = source.get("keep") or (0.0, 1.0)
        measured = len(rows)
        rows = list(pass_rate_filter(rows, read_pass_rates(source["pass_rates"]), float(low), float(high)))
        if not rows:
            raise TrainConfigError(f"data.pass_rates dropped all {measured} rows (none has a pass rate inside "
                                   f"({low}, {high})): nothing to learn from")
    return datasets.Dataset.from_list([trainer_row(r, chat, system) for r in rows])


def grpo_args(config: TrainConfig, weights: list[float], streaming: bool):
    """``GRPOConfig`` from the config's ``grpo`` section (passed through) plus synlog's defaults."""
    import torch
    from trl import GRPOConfig

    fields = dict(config.grpo)
    fields.setdefault("output_dir", config.output_dir)
    fields.setdefault("seed", config.seed)
    fields.setdefault("report_to", "none")
    fields.setdefault("logging_steps", 1)
    fields.setdefault("save_strategy", "no")
    fields["reward_weights"] = weights
    if not torch.cuda.is_available():
        fields.setdefault("bf16", False)
        fields.setdefault("use_cpu", True)
    if streaming:
        fields.setdefault("shuffle_dataset", False)
        if "max_steps" not in fields:
            raise TrainConfigError("a curriculum run streams its data: set grpo.max_steps")
    try:
        return GRPOConfig(**fields)
    except TypeError as exc:
        raise TrainConfigError(f"grpo section: {exc} (fields are GRPOConfig's, see TRL docs)") from None


def check_model_paths(config: TrainConfig) -> None:
    """Refuse a config whose model, tokenizer or GGUF file is missing, before anything loads."""
    if not config.model:
        raise TrainConfigError("train config needs model: a local model folder")
    for what, folder in (("model", config.model), ("tokenizer", config.tokenizer)):
        if folder and not Path(folder).is_dir():
            raise TrainConfigError(f"{what}: '{folder}' is not a folder; synlog train loads local models only "
                                   "(download the model first, or see examples/smollm2_grpo.py)")
    if config.gguf_file and not (Path(config.model) / config.gguf_file).is_file():
        raise TrainConfigError(f"gguf_file: '{config.gguf_file}' is not a file inside '{config.model}'")


def preflight(config: TrainConfig) -> dict[str, Any]:
    """What ``synlog train --dry-run`` checks: every refusal the real run would make before its
    first step (model paths, the data, the curriculum's tasks, the GRPO fields when TRL is
    installed), without loading the model. Returns the resolved run; raises TrainConfigError."""
    from synlog.tasks.base import get_task

    check_model_paths(config)
    resolved: dict[str, Any] = {"model": config.model, "gguf_file": config.gguf_file,
                                "output_dir": config.output_dir, "data": config.data,
                                "curriculum": config.curriculum, "reward": config.reward.to_dict(),
                                "grpo": config.grpo}
    if config.curriculum is not None:
        tasks = config.curriculum.get("tasks") or {}
        for name in tasks:
            get_task(name)
        resolved["rows"] = "streamed by the curriculum"
    else:
        resolved["rows"] = len(build_dataset(config))
    try:
        import trl  # noqa: F401
    except ImportError:
        resolved["grpo_checked"] = "no (TRL not installed: pip install 'synlog[train]')"
    else:
        grpo_args(config, [config.reward.weight(t) for t in (config.reward.terms() or ["accuracy"])],
                  streaming=config.curriculum is not None)
        resolved["grpo_checked"] = "yes"
    return resolved


def load_model(config: TrainConfig):
    """Model and tokenizer from a local folder (or a GGUF file in it); left padding for GRPO."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    check_model_paths(config)
    # never a hub lookup: a typo must not turn into a download
    kwargs: dict[str, Any] = {"local_files_only": True}
    if config.gguf_file:
        kwargs["gguf_file"] = config.gguf_file
    tokenizer = AutoTokenizer.from_pretrained(config.tokenizer or config.model, **kwargs)
    model = AutoModelForCausalLM.from_pretrained(config.model, **kwargs)
    if config.gguf_file and all(p.dtype.is_floating_point for p in model.parameters()):
        # transformers dequantises GGUF into ordinary float tensors but keeps the GGUF
        # "quantizer" attached, and Trainer refuses quantized models: the weights are plain floats
        model.hf_quantizer.remove_quantization_config(model)
        model.config._is_quantized = False
    tokenizer.padding_side = "left"
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return model, tokenizer


def _check_start(start: Any) -> None:
    """A curriculum start is a level, a level per task, or a reference model with a band."""
    if isinstance(start, dict) and "reference" in start:
        from synlog.synth.calibration import CalibrationError, start_level

        bad = sorted(set(start) - {"reference", "band"})
        band = start.get("band", [0.2, 0.8])
        if bad:
            raise TrainConfigError(f"train config curriculum.start: unknown key(s) {', '.join(bad)}; known: reference, band")
        if not (isinstance(band, list) and len(band) == 2 and all(isinstance(b, (int, float)) for b in band)):
            raise TrainConfigError(f"train config curriculum.start.band must be [low, high]; got {band!r}")
        try:
            start_level("", str(start["reference"]), tuple(band))
        except CalibrationError as error:
            raise TrainConfigError(f"train config curriculum.start: {error}") from None


def start_levels(start: Any, tasks: list[str]) -> int | dict[str, int]:
    """A curriculum's ``start``: a level, a level per task, or ``{reference: NAME, band: [lo,
    hi]}``: each task starts where that reference model's measured pass rate is in the band
    (synlog.synth.calibration.start_level; level 1 for a task it was not measured on)."""
    if not (isinstance(start, dict) and "reference" in start):
        return start
    from synlog.synth.calibration import start_level

    band = tuple(start.get("band", (0.2, 0.8)))
    return {task: start_level(task, str(start["reference"]), band) or 1 for task in tasks}


def build_trainer(config: TrainConfig, model: Any = None, tokenizer: Any = None, on_verdicts: Any = None):
    """A ready ``GRPOTrainer`` (and its scorer, to close after training)."""
    from trl import GRPOTrainer

    from synlog.trainer_bridge.curriculum import (
        AdaptiveDifficulty,
        curriculum_callback,
        curriculum_dataset,
        record_verdicts,
    )
    from synlog.trainer_bridge.scorer import Scorer
    from synlog.trainer_bridge.trl import reward_functions
    from synlog.verifiers.extract import ExtractConfig

    callbacks, hooks = [], [on_verdicts] if on_verdicts else []
    if config.curriculum is not None:
        spec = dict(config.curriculum)
        tasks = spec.pop("tasks")
        weights = tasks if isinstance(tasks, dict) else dict.fromkeys(tasks, 1.0)
        spec["start"] = start_levels(spec.get("start", 1), list(weights))
        controller = AdaptiveDifficulty(list(weights), **spec)
        dataset = curriculum_dataset(controller, config.seed, bool(config.data.get("chat", True)),
                                     config.data.get("system_prompt"), weights)
        callbacks.append(curriculum_callback(controller))
        hooks.append(record_verdicts(controller))
    else:
        dataset = build_dataset(config)  # before the model: a data mistake is found in seconds
    if model is None:
        model, tokenizer = load_model(config)
    scorer = Scorer(config.verifier.get("workers"), timeout=float(config.verifier.get("timeout", 10.0)),
                    memory_mb=int(config.verifier.get("memory_mb", 4096)),
                    config=ExtractConfig(fallback=bool(config.verifier.get("fallback", False))))

    def fan_out(term, tasks, verdicts, levels):
        for hook in hooks:
            hook(term, tasks, verdicts, levels)

    funcs, weights = reward_functions(config.reward, scorer, fan_out if hooks else None)
    args = grpo_args(config, weights, streaming=config.curriculum is not None)
    trainer = GRPOTrainer(model=model, reward_funcs=funcs, args=args, train_dataset=dataset,
                          processing_class=tokenizer, callbacks=callbacks or None)
    return trainer, scorer


def run(config: TrainConfig, model: Any = None, tokenizer: Any = None, on_verdicts: Any = None):
    """Train, write the log history next to the checkpoints, return the trainer."""
    trainer, scorer = build_trainer(config, model, tokenizer, on_verdicts)
    try:
        trainer.train()
    finally:
        scorer.close()
    out = Path(trainer.args.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / LOG_FILE).write_text(json.dumps(trainer.state.log_history, indent=1), encoding="utf-8")
    return trainer


def require_train_extra() -> None:
    """Fail early, naming the extra, when torch/trl/transformers are missing."""
    import importlib.util

    missing = [m for m in ("torch", "trl", "transformers") if importlib.util.find_spec(m) is None]
    if missing:
        raise SynlogError(f"synlog train needs {', '.join(missing)}: pip install 'synlog[train]'")
