"""The report's pages (synlog/verifiers/report_html.py), written by `synlog verify -o`,
`synlog eval` and `synlog eval compare`.

Specification:
- a report folder holds index.html and summary.md beside summary.json and the verdicts;
- every rate is shown with its sample size; summary.md has one row per task and a column per level;
- verdict rows carry the completion, the extracted answer and the gold;
- the page loads in a real headless browser (Debian's chromium) and its pictures decode;
- user text (a model name) is escaped;
- compare puts runs side by side and refuses folders that are not runs.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

import synlog
from synlog.cli.main import cli
from synlog.datasets_out.io import read_dataset
from synlog.verifiers.report import read_verdicts
from synlog.verifiers.report_html import write_pages

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def invoke(*args):
    return CliRunner().invoke(cli, [*map(str, args)], catch_exceptions=False)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """A dataset of two tasks at two levels, and a verify report where level 1 is answered
    right and level 3 wrong (two samples a row)."""
    root = tmp_path_factory.mktemp("report")
    data = root / "data"
    assert invoke("bench", "build", "-o", data, "--tasks", "arithmetic,knights_knaves", "--levels", "1,3",
                  "--per-cell", 3, "-w", 1).exit_code == 0
    rows = read_dataset(data)["test"].to_pylist()
    outs = root / "outs.jsonl"
    with open(outs, "w") as out:
        for row in rows:
            for sample in range(2):
                answer = row["answer"] if row["difficulty"] == 1 else "nothing like it"
                out.write(json.dumps({"id": row["id"], "completion": "x" * (10 + 90 * sample) + f"<answer>{answer}</answer>"}) + "\n")
    folder = root / "rep"
    result = invoke("verify", data, "--completions", outs, "-o", folder, "-w", 0)
    assert result.exit_code == 0, result.output
    return {"folder": folder, "rows": rows}


def test_the_folder_holds_the_pages_and_the_rates_carry_their_sample_sizes(report):
    folder = report["folder"]
    assert {p.name for p in folder.iterdir()} >= {"index.html", "summary.md", "summary.json", "verdicts.parquet"}
    markdown = (folder / "summary.md").read_text()
    assert "| task | level 1 | level 3 |" in markdown
    assert "| arithmetic | 1.00 (n=6) | 0.00 (n=6) |" in markdown
    assert "| knights_knaves | 1.00 (n=6) | 0.00 (n=6) |" in markdown
    page = (folder / "index.html").read_text()
    assert page.count('src="data:image/png;base64,') == 2
    assert 'class="passk"' in page and "pass@2 1.00" in page and "3 problems" in page
    cells = json.loads((folder / "summary.json").read_text())["by_task_difficulty"]
    assert all(c["problems"] == 3 and c["pass@2"] == c["accuracy"] for c in cells)
    assert re.search(r"1\.00 <span class=\"n\">n=6</span>", page)


def test_verdict_rows_carry_completion_extracted_answer_and_gold(report):
    verdicts = read_verdicts(report["folder"])
    golds = {row["id"]: row["answer"] for row in report["rows"]}
    for verdict in verdicts:
        assert verdict["gold"] == golds[verdict["id"]]
        assert verdict["completion"].endswith("</answer>")
        expected = golds[verdict["id"]] if verdict["difficulty"] == 1 else "nothing like it"
        assert verdict["answer"].strip() == expected.strip()


@pytest.mark.skipif(CHROMIUM is None, reason="needs a headless browser: Debian's chromium (apt-get install chromium)")
def test_the_page_loads_in_a_real_browser_and_its_pictures_decode(report, tmp_path):
    probe = tmp_path / "probe.html"
    script = ("<script>window.addEventListener('load', () => { document.body.dataset.images ="
              " [...document.images].map(i => i.complete + ':' + i.naturalWidth).join(','); });"
              " window.addEventListener('error', e => { document.body.dataset.errors = e.message; });</script>")
    probe.write_text((report["folder"] / "index.html").read_text().replace("</body>", script + "</body>"))
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000",
                          "--dump-dom", probe.as_uri()], capture_output=True, text=True, timeout=120).stdout
    images = re.search(r'data-images="([^"]*)"', dom)
    assert images, dom[:500]
    loaded = [item.split(":") for item in images.group(1).split(",")]
    assert len(loaded) == 2 and all(done == "true" and int(width) > 100 for done, width in loaded)
    assert "data-errors" not in dom
    assert dom.count("<tr>") >= 1 + 2 + 2  # header and two tasks, and the reasons table


def test_user_text_is_escaped(tmp_path):
    row = synlog.generate("arithmetic", difficulty=1, n=1, seed=3)[0]
    summary = {"completions": 1, "problems": 1, "accuracy": 1.0, "model": "<script>alert(1)</script>",
               "by_task_difficulty": [{"task": "arithmetic", "difficulty": 1, "n": 1, "accuracy": 1.0}]}
    records = [{"task": "arithmetic", "reason": "ok", "correct": True, "completion": row["answer"]}]
    page = write_pages([(summary["model"], summary, records)], tmp_path).read_text()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_compare_puts_runs_side_by_side(report, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(report["folder"], other)
    result = invoke("eval", "compare", report["folder"], other, "-o", tmp_path / "cmp")
    assert result.exit_code == 0, result.output
    markdown = (tmp_path / "cmp" / "summary.md").read_text()
    assert "| arithmetic | 1.00 (n=6) / 1.00 (n=6) | 0.00 (n=6) / 0.00 (n=6) |" in markdown
    assert "Each cell: rep / other." in markdown
    assert "<b>rep</b>" in (tmp_path / "cmp" / "index.html").read_text()
    refused = invoke("eval", "compare", report["folder"], tmp_path, "-o", tmp_path / "cmp2")
    assert refused.exit_code == 2 and "is not a run folder" in refused.output
