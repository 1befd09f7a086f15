"""The README's data-quality table from a `synlog audit --json` report.

    synlog audit -n 200 --json benchmarks/audit.json
    python benchmarks/audit_table.py benchmarks/audit.json > /tmp/table.md

One row per task: the instance-space size at levels 1 and 10 (declared by the task, else
estimated from the sample: ≈ from collisions, ≥ without any), distinct prompts of the sample at
levels 1 and 10, the best degenerate policy's reward at level 1 and its worst over levels ≥ 3
(binary or with partial credit, whichever is higher), the most prompts two seeds shared at any
level, and mean effort and hardness at levels 1 and 10.
"""

from __future__ import annotations

import json
import sys

from synlog.synth.audit import space_text


def _space(level: dict) -> str:
    if level["space"] is not None:
        return space_text(level["space"])
    mark = "≈" if level["space_estimate_exact"] else "≥"
    return space_text(level["space_estimate"], exact=False).replace("≥", mark)


def _num(value: float) -> str:
    """``8042.3`` → ``"8.0e3"``, ``23.7`` → ``"23.7"``: short and comparable across rows."""
    if value >= 10_000:
        return space_text(value)
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def _worst(level: dict) -> float:
    return max((max(p["score"], p["partial"]) for p in level["worst"]), default=0.0)


def _degenerate(level: dict) -> str:
    return "n/a" if level["battery_skipped"] else f"{_worst(level):.1%}"


def table(report: dict) -> str:
    n = report["n"]
    lines = [
        f"| task | space L1 | space L10 | distinct L1 / L10 (of {n}) | degenerate L1 | degenerate L≥3 (worst) |"
        " seeds share (max) | effort L1 → L10 | hardness L1 → L10 | contracts |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for task in report["tasks"]:
        by_level = {lv["level"]: lv for lv in task["levels"] if not lv["refused"]}
        first, last = by_level.get(1), by_level.get(10)
        if first is None or last is None:
            continue
        upper = [lv for k, lv in by_level.items() if k >= 3]
        worst_upper = "n/a" if any(lv["battery_skipped"] for lv in upper) else f"{max(map(_worst, upper)):.1%}"
        shared = max(lv["seed_overlap"] for lv in by_level.values())
        status = "hold" if not task["failures"] else f"{len(task['failures'])} failed"
        lines.append(
            f"| `{task['task']}` | {_space(first)} | {_space(last)} | {first['distinct_prompts']} / {last['distinct_prompts']}"
            f" | {_degenerate(first)} | {worst_upper} | {shared} | {_num(first['effort'])} → {_num(last['effort'])}"
            f" | {_num(first['hardness'])} → {_num(last['hardness'])} | {status} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(json.load(open(sys.argv[1], encoding="utf-8"))))
