"""`synlog eval --backend transformers`: a local model folder (the tiny model built locally)
run in-process, batch by batch.

Specification: every (row, sample) gets a completion, cached and scored; a rerun asks nothing;
sampling is seeded by (row id, sample), so a fresh run draws the same text; a folder that is
not a model, and --backend openai without --base-url, are one-line errors.
"""

from __future__ import annotations

import importlib.util
import json

import pytest
from click.testing import CliRunner

from synlog.cli.main import cli

pytestmark = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("torch", "transformers")),
    reason="needs torch and transformers (the train extra)")


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    from synlog.trainer_bridge.tiny_model import save

    folder = tmp_path_factory.mktemp("tiny") / "model"
    save(str(folder))
    return folder


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "b"
    result = CliRunner().invoke(cli, ["bench", "build", "-o", str(out), "--tasks", "arithmetic", "--levels", "1,2",
                                      "--per-cell", "3", "-w", "1"])
    assert result.exit_code == 0, result.output
    return out


def run(bench, out, model, *extra):
    return CliRunner().invoke(cli, ["eval", str(bench), "-o", str(out), "--backend", "transformers", "--model",
                                    str(model), "--max-tokens", "6", "-w", "0", *map(str, extra)],
                              catch_exceptions=False)


def texts(folder):
    lines = (folder / "completions.jsonl").read_text().splitlines()
    return {(r["id"], r["sample"]): r["completion"] for r in map(json.loads, lines)}


def test_a_local_model_is_evaluated_batch_by_batch_and_reproducibly(bench, model, tmp_path):
    first = run(bench, tmp_path / "a", model, "-k", 2, "--temperature", 0.8, "--batch-size", 4)
    assert first.exit_code == 0, first.output
    drawn = texts(tmp_path / "a")
    assert len(drawn) == 12 and len(set(drawn.values())) > 1
    summary = json.loads((tmp_path / "a" / "summary.json").read_text())
    assert summary["completions"] == 12 and summary["model"] == str(model)
    again = run(bench, tmp_path / "a", model, "-k", 2, "--temperature", 0.8, "--batch-size", 4)
    assert "0 asked now, 12 from the cache" in again.output
    fresh = run(bench, tmp_path / "b", model, "-k", 2, "--temperature", 0.8, "--batch-size", 4)
    assert fresh.exit_code == 0 and texts(tmp_path / "b") == drawn


def test_bad_backend_input_is_a_one_line_error(bench, tmp_path):
    result = run(bench, tmp_path / "x", tmp_path)
    assert result.exit_code == 2 and "cannot load a model from" in result.output and "Traceback" not in result.output
    result = run(bench, tmp_path / "y", tmp_path / "nope")
    assert result.exit_code == 2 and "must be a local model folder" in result.output
    result = CliRunner().invoke(cli, ["eval", str(bench), "-o", str(tmp_path / "z"), "--model", "m"])
    assert result.exit_code == 2 and "needs --base-url" in result.output


def test_the_vllm_backend_says_what_it_needs(bench, model, tmp_path):
    """vLLM runs only on a GPU machine; here the backend must refuse in one line, naming it."""
    if importlib.util.find_spec("vllm") is not None:
        pytest.skip("vLLM is installed: its real run belongs on the GPU machine (docs/eval.md)")
    result = CliRunner().invoke(cli, ["eval", str(bench), "-o", str(tmp_path / "v"), "--backend", "vllm",
                                      "--model", str(model)])
    assert result.exit_code == 2 and "needs vLLM on a GPU machine" in result.output
