"""The human side of a report: ``index.html`` (a static page, no server) and ``summary.md``.

Written next to ``summary.json`` by ``synlog verify -o`` and ``synlog eval``; ``synlog eval
compare`` writes the same kind of page for several runs side by side. What a page shows:

- the run (model, dataset, sampling where known), completions, problems, accuracy, pass@k;
- accuracy by task × level with the sample size beside every rate;
- reasons (ok, wrong, no_answer, unparseable, invalid, timeout, error) by task;
- pictures (matplotlib, embedded as PNG, so the page is one file): pass rate against level, one
  line per task, a panel per family; and completion lengths (tokens where the backend reported
  them, else characters) of correct and incorrect answers;
- pass@k by task × level where rows have several samples.

Without matplotlib (``pip install 'synlog[report]'``) the page has every table and says the
pictures need it. Every value shown is HTML-escaped (task names and sources are user data).
"""

from __future__ import annotations

import base64
import io
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import jinja2

PAGE = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:80em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th{background:#f3f3f3}td.name,th.name{text-align:left}.n{color:#888;font-size:.85em}
img{max-width:100%;border:1px solid #eee;margin:.5em 0}.note{color:#a60}
</style></head><body>
<h1>{{ title }}</h1>
{% for run in runs %}
<p><b>{{ run.name }}</b>: {{ run.summary.completions }} completions of {{ run.summary.problems }} problems,
accuracy {{ "%.3f"|format(run.summary.accuracy) }}{% for k, v in run.passes %}, {{ k }} {{ "%.3f"|format(v) }}{% endfor %}
{% if run.summary.model is defined %}; model <code>{{ run.summary.model }}</code>{% endif %}
{% if run.summary.dataset is defined %}; dataset <code>{{ run.summary.dataset }}</code>{% endif %}
{% if run.summary.sampling is defined %}; sampling {% for k, v in run.summary.sampling.items() %}{{ k }}={{ v }} {% endfor %}{% endif %}</p>
{% endfor %}
<h2>Accuracy by task and level</h2>
<table id="cells"><tr><th class="name">task</th>{% for level in levels %}<th>level {{ level }}</th>{% endfor %}</tr>
{% for task in tasks %}<tr><td class="name">{{ task }}</td>{% for level in levels %}<td>{% for run in runs %}{% set c = run.cells.get((task, level)) %}{% if c %}{{ "%.2f"|format(c.accuracy) }} <span class="n">n={{ c.n }}</span>{% else %}–{% endif %}{% if not loop.last %} | {% endif %}{% endfor %}</td>{% endfor %}</tr>
{% endfor %}</table>
{% if runs|length > 1 %}<p class="n">Each cell: {% for run in runs %}{{ run.name }}{% if not loop.last %} | {% endif %}{% endfor %}.</p>{% endif %}
{% for run in runs if run.ks|length > 1 %}
<h2>pass@k by task and level{% if runs|length > 1 %}: {{ run.name }}{% endif %}</h2>
<table class="passk"><tr><th class="name">task</th>{% for level in levels %}<th>level {{ level }}</th>{% endfor %}</tr>
{% for task in tasks %}<tr><td class="name">{{ task }}</td>{% for level in levels %}<td>{% set c = run.cells.get((task, level)) %}{% if c %}{% for k in run.ks if c[k] is defined %}{{ k }} {{ "%.2f"|format(c[k]) }}{% if not loop.last %}, {% endif %}{% endfor %} <span class="n">{{ c.problems }} problems</span>{% else %}–{% endif %}</td>{% endfor %}</tr>
{% endfor %}</table>
{% endfor %}
{% for run in runs %}
<h2>Reasons by task{% if runs|length > 1 %}: {{ run.name }}{% endif %}</h2>
<table class="reasons"><tr><th class="name">task</th>{% for r in reasons %}<th>{{ r }}</th>{% endfor %}<th>n</th></tr>
{% for task, counts in run.reasons %}<tr><td class="name">{{ task }}</td>{% for r in reasons %}<td>{{ counts.get(r, 0) }}</td>{% endfor %}<td>{{ counts.values()|sum }}</td></tr>
{% endfor %}</table>
{% endfor %}
<h2>Pictures</h2>
{% if pictures %}{% for caption, png in pictures %}<figure><img alt="{{ caption }}" src="data:image/png;base64,{{ png }}"><figcaption>{{ caption }}</figcaption></figure>
{% endfor %}{% else %}<p class="note">The pictures need matplotlib: pip install 'synlog[report]'.</p>{% endif %}
</body></html>
""")


def _cells(summary: dict[str, Any]) -> dict[tuple[str, int], dict[str, Any]]:
    return {(c["task"], int(c["difficulty"])): c for c in summary["by_task_difficulty"]}


def _reasons(records: list[dict[str, Any]]) -> list[tuple[str, dict[str, int]]]:
    by_task: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for record in records:
        by_task[record["task"]][record["reason"]] += 1
    return [(task, dict(counts)) for task, counts in sorted(by_task.items())]


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _pictures(runs: list[dict[str, Any]], families: dict[str, str]) -> list[tuple[str, str]]:
    """Pass rate against level per task (a panel per family), and completion lengths by correctness."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return []
    out = []
    groups: dict[str, list[str]] = defaultdict(list)
    for task in sorted({t for run in runs for t, _ in run["cells"]}):
        groups[families.get(task, "other")].append(task)
    columns = min(3, len(groups))
    rows = math.ceil(len(groups) / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(5.5 * columns, 3.6 * rows), squeeze=False)
    for axis, (family, tasks) in zip(axes.flat, sorted(groups.items()), strict=False):
        for task in tasks:
            for number, run in enumerate(runs):
                points = sorted((lv, c["accuracy"]) for (t, lv), c in run["cells"].items() if t == task)
                label = task if len(runs) == 1 else f"{task} ({run['name']})"
                axis.plot(*zip(*points, strict=True), marker="o", linestyle="-" if number == 0 else "--", label=label)
        axis.set(title=family, xlabel="level", ylabel="pass rate", ylim=(-0.05, 1.05))
        axis.set_xticks(sorted({lv for run in runs for (t, lv) in run["cells"] if t in tasks}))
        if sum(len(tasks) for _ in runs) <= 12:
            axis.legend(fontsize=7)
    for axis in list(axes.flat)[len(groups):]:
        axis.set_visible(False)
    out.append(("Pass rate against level, per task", _png(figure)))
    plt.close(figure)
    tokens = all(r.get("tokens") is not None for run in runs for r in run["records"])

    def size(record: dict[str, Any]) -> int:
        return int(record["tokens"]) if tokens else len(record.get("completion") or "")

    lengths = [(run["name"], [size(r) for r in run["records"] if r["correct"]],
                [size(r) for r in run["records"] if not r["correct"]]) for run in runs]
    if any(right or wrong for _, right, wrong in lengths):
        figure, axis = plt.subplots(figsize=(7, 3.6))
        for name, right, wrong in lengths:
            suffix = "" if len(runs) == 1 else f" ({name})"
            if right:
                axis.hist(right, bins=30, alpha=0.6, label=f"correct{suffix} n={len(right)}")
            if wrong:
                axis.hist(wrong, bins=30, alpha=0.6, label=f"incorrect{suffix} n={len(wrong)}")
        axis.set(xlabel=f"completion length ({'tokens' if tokens else 'characters'})", ylabel="completions")
        axis.legend(fontsize=8)
        out.append(("Completion length by correctness", _png(figure)))
        plt.close(figure)
    return out


def markdown(runs: list[dict[str, Any]], levels: list[int], tasks: list[str]) -> str:
    """``summary.md``: accuracy by task and level with sample sizes, for a paper or a PR."""
    head = "| task | " + " | ".join(f"level {lv}" for lv in levels) + " |"
    lines = []
    for run in runs:
        s = run["summary"]
        passes = ", ".join(f"{k} {v:.3f}" for k, v in run["passes"])
        lines.append(f"**{run['name']}**: {s['completions']} completions of {s['problems']} problems, "
                     f"accuracy {s['accuracy']:.3f}" + (f", {passes}" if passes else ""))
    lines += ["", head, "|---|" + "---|" * len(levels)]
    for task in tasks:
        cells = []
        for level in levels:
            shown = [f"{c['accuracy']:.2f} (n={c['n']})" if (c := run["cells"].get((task, level))) else "–"
                     for run in runs]
            cells.append(" / ".join(shown))
        lines.append(f"| {task} | " + " | ".join(cells) + " |")
    if len(runs) > 1:
        lines += ["", "Each cell: " + " / ".join(run["name"] for run in runs) + "."]
    return "\n".join(lines) + "\n"


def write_pages(runs: list[tuple[str, dict[str, Any], list[dict[str, Any]]]], folder: Path,
                title: str = "synlog report") -> Path:
    """Write ``index.html`` and ``summary.md`` for one run or several (name, summary, records)."""
    from synlog.tasks.base import all_tasks

    families = {name: cls.family for name, cls in all_tasks().items()}
    prepared = [{"name": name, "summary": summary, "records": records, "cells": _cells(summary),
                 "reasons": _reasons(records), "passes": [(k, v) for k, v in summary.items() if k.startswith("pass@")],
                 "ks": [k for k in summary if k.startswith("pass@")]}
                for name, summary, records in runs]
    levels = sorted({lv for run in prepared for _, lv in run["cells"]})
    tasks = sorted({t for run in prepared for t, _ in run["cells"]})
    reasons = sorted({r for run in prepared for _, counts in run["reasons"] for r in counts},
                     key=lambda r: (r != "ok", r))
    page = PAGE.render(title=title, runs=prepared, levels=levels, tasks=tasks, reasons=reasons,
                       pictures=_pictures(prepared, families))
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("index.html", page), ("summary.md", markdown(prepared, levels, tasks))):
        temporary = folder / f".{name}.tmp"
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(folder / name)
    return folder / "index.html"
