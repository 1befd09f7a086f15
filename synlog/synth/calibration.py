"""Measured meaning for difficulty levels: reference models' pass rates per task and level.

The data (``calibration.json`` beside this module, shipped in the package) holds, per reference
model, how and when it was measured and, per task and level, ``[correct, n]``::

    {"references": {"SmolLM2-135M-Instruct": {
        "date": "2026-12-02", "backend": "transformers, CPU", "k": 1, "per_cell": 4,
        "max_tokens": 256, "temperature": 0.0, "benchmark": "…", "seconds": 1234,
        "rates": {"arithmetic": {"1": [3, 4], "3": [0, 4]}, …}}}}

``synlog tasks show`` prints them; :func:`start_level` picks the level at which a curriculum
starts a task (``synlog train``: ``curriculum: {start: {reference: NAME, band: [0.2, 0.8]}}``);
``python -m synlog.synth.calibration record RUN --name NAME`` adds an ``synlog eval`` run's
``summary.json`` to the data (``benchmarks/calibrate.py`` does the whole measurement).
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

from synlog.errors import SynlogError

DATA = Path(__file__).with_name("calibration.json")


class CalibrationError(SynlogError, ValueError):
    """An unknown reference model, or a band that is not one."""


@cache
def _load(path: str = str(DATA)) -> dict[str, Any]:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"references": {}}


def references() -> dict[str, dict[str, Any]]:
    """Every reference model's entry (see the module docstring)."""
    return _load()["references"]


def pass_rates(task: str, model: str) -> dict[int, tuple[int, int]]:
    """``{level: (correct, n)}`` of ``task`` for reference ``model`` (empty when not measured)."""
    entry = _reference(model)
    return {int(level): (int(c), int(n)) for level, (c, n) in entry["rates"].get(task, {}).items()}


def _reference(model: str) -> dict[str, Any]:
    known = references()
    if model not in known:
        listed = ", ".join(sorted(known)) or "none yet"
        raise CalibrationError(f"no measured pass rates for reference model '{model}'; known: {listed}")
    return known[model]


def start_level(task: str, model: str, band: tuple[float, float] = (0.2, 0.8)) -> int | None:
    """The level a curriculum should start ``task`` at, from ``model``'s measured pass rates:
    among the measured levels whose rate lies inside ``band``, the one nearest the band's
    middle (the lower on a tie); when none lies inside, the level whose rate is nearest the
    band. None when the task was not measured."""
    low, high = band
    if not 0.0 <= low <= high <= 1.0:
        raise CalibrationError(f"a pass-rate band needs 0 <= low <= high <= 1; got {list(band)}")
    rates = {level: c / n for level, (c, n) in pass_rates(task, model).items() if n}
    if not rates:
        return None
    middle = (low + high) / 2
    inside = [lv for lv, r in rates.items() if low <= r <= high]
    if inside:
        return min(inside, key=lambda lv: (round(abs(rates[lv] - middle), 9), lv))
    return min(rates, key=lambda lv: (round(min(abs(rates[lv] - low), abs(rates[lv] - high)), 9), lv))


def describe(task: str) -> list[str]:
    """Lines for ``synlog tasks show``: each reference model's measured rates for ``task``."""
    lines = []
    for model, entry in sorted(references().items()):
        rates = entry["rates"].get(task)
        if not rates:
            continue
        cells = "  ".join(f"L{level} {c / n:.2f} (n={n})" for level, (c, n) in sorted(rates.items(), key=lambda kv: int(kv[0])))
        lines.append(f"{model} ({entry['date']}, {entry['backend']}, k={entry['k']}, max {entry['max_tokens']} tokens): {cells}")
    return lines


def record(summary: dict[str, Any], name: str, meta: dict[str, Any], path: Path = DATA) -> dict[str, Any]:
    """Add (or replace) reference ``name`` from a ``synlog eval`` run's summary; return its entry."""
    rates: dict[str, dict[str, list[int]]] = {}
    for cell in summary["by_task_difficulty"]:
        correct = round(cell["accuracy"] * cell["n"])
        rates.setdefault(cell["task"], {})[str(cell["difficulty"])] = [correct, cell["n"]]
    sampling = summary.get("sampling", {})
    entry = {**meta, "k": sampling.get("k", 1), "max_tokens": sampling.get("max_tokens"),
             "temperature": sampling.get("temperature"), "rates": rates}
    document = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"references": {}}
    document["references"][name] = entry
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    temporary.replace(path)
    _load.cache_clear()
    return entry


def _benchmark(folder: str) -> str:
    """What identifies the benchmark measured on (its manifest), not where it lay on disk."""
    from synlog.synth.benchmark import EVAL_SEED_BASE, read_manifest

    try:
        manifest = read_manifest(folder)
    except SynlogError:
        return folder
    return (f"synlog bench build, seed 2**62 + {manifest['seed'] - EVAL_SEED_BASE}, levels {manifest['levels']},"
            f" {manifest['per_cell']} rows a cell, {manifest['rows']} rows, fingerprints {manifest['fingerprints']}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m synlog.synth.calibration", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("record", help="add an eval run's pass rates as a reference model")
    add.add_argument("run", help="a `synlog eval` run folder (its summary.json)")
    add.add_argument("--name", required=True, help="the reference model's name, e.g. SmolLM2-135M-Instruct")
    add.add_argument("--date", required=True)
    add.add_argument("--backend", required=True, help="how it ran, e.g. 'transformers, CPU (2 cores)'")
    add.add_argument("--seconds", type=float, help="wall time of the eval")
    add.add_argument("--notes", default="")
    args = parser.parse_args(argv)
    summary = json.loads((Path(args.run) / "summary.json").read_text(encoding="utf-8"))
    entry = record(summary, args.name, {"date": args.date, "backend": args.backend, "seconds": args.seconds,
                                        "benchmark": _benchmark(summary.get("dataset", "")), "notes": args.notes})
    print(f"recorded {args.name}: {sum(len(v) for v in entry['rates'].values())} cells of {len(entry['rates'])} tasks")


if __name__ == "__main__":
    main(sys.argv[1:])
