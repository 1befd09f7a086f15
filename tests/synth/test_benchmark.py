"""Frozen benchmarks (synlog/synth/benchmark.py, `synlog bench`).

Specification:
- a benchmark's rows come from seed 2**62 + offset, one ``test`` split, per_cell rows per
  (task, level) cell, in cell order;
- building twice gives the same rows and the same manifest digests; another offset gives other
  problems;
- the manifest records versions, seed, levels and per-cell fingerprint digests that match the rows;
- ``synlog generate`` refuses seeds of the evaluation range (from --seed or a mixture spec)
  unless given --eval-seeds;
- --exclude keeps a named dataset's problems out; bad input is a one-line error.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from synlog.cli.main import cli
from synlog.datasets_out.io import read_dataset
from synlog.synth.benchmark import (
    DEFAULT_LEVELS,
    EVAL_SEED_BASE,
    MANIFEST,
    BenchmarkSpec,
    default_spec,
    read_manifest,
)
from synlog.synth.seeding import digest
from synlog.tasks.base import all_tasks


def invoke(*args):
    return CliRunner().invoke(cli, [*map(str, args)], catch_exceptions=False)


def build(out, *extra):
    result = invoke("bench", "build", "-o", out, "--tasks", "arithmetic,knights_knaves", "--levels", "1,4",
                    "--per-cell", 4, "-w", 1, *extra)
    assert result.exit_code == 0, result.output
    return read_dataset(out)["test"].to_pylist(), read_manifest(out)


def test_a_benchmark_is_its_cells_from_the_evaluation_seed(tmp_path):
    rows, manifest = build(tmp_path / "b")
    assert [(r["task"], r["difficulty"]) for r in rows] == [
        (task, level) for task in ("arithmetic", "knights_knaves") for level in (1, 4) for _ in range(4)]
    assert {r["seed"] for r in rows} == {EVAL_SEED_BASE} == {manifest["seed"]}
    assert manifest["tasks"] == {"arithmetic": all_tasks()["arithmetic"].version,
                                 "knights_knaves": all_tasks()["knights_knaves"].version}
    for cell in manifest["cells"]:
        prints = sorted(r["fingerprint"] for r in rows if (r["task"], r["difficulty"]) == (cell["task"], cell["level"]))
        assert cell["rows"] == 4 and cell["fingerprints"] == digest(prints, 16)
    assert manifest["fingerprints"] == digest(sorted(r["fingerprint"] for r in rows), 16)
    assert manifest["rows"] == 16 and manifest["levels"] == [1, 4]


def test_a_rebuild_is_identical_and_another_offset_is_disjoint(tmp_path):
    rows, manifest = build(tmp_path / "a")
    again, manifest_again = build(tmp_path / "b")
    assert again == rows and manifest_again == manifest
    other, other_manifest = build(tmp_path / "c", "--offset", 1)
    assert {r["seed"] for r in other} == {EVAL_SEED_BASE + 1}
    assert not {r["fingerprint"] for r in other} & {r["fingerprint"] for r in rows}
    assert other_manifest["fingerprints"] != manifest["fingerprints"]


def test_exclude_keeps_a_named_datasets_problems_out(tmp_path):
    rows, _ = build(tmp_path / "a")
    others, manifest = build(tmp_path / "b", "--exclude", tmp_path / "a")
    assert len(others) == len(rows)
    assert not {r["fingerprint"] for r in others} & {r["fingerprint"] for r in rows}
    assert str(tmp_path / "a") in manifest["excluded"]


def test_show_prints_the_cells(tmp_path):
    build(tmp_path / "b")
    result = invoke("bench", "show", tmp_path / "b")
    assert result.exit_code == 0
    assert "seed 2**62 + 0, 16 rows" in result.output
    assert any(line.split()[:4] == ["knights_knaves", str(all_tasks()["knights_knaves"].version), "4", "4"]
               for line in result.output.splitlines())


def test_generate_refuses_evaluation_seeds_unless_asked(tmp_path):
    result = invoke("generate", "-t", "arithmetic", "-n", 2, "--seed", EVAL_SEED_BASE + 5, "-o", tmp_path / "g")
    assert result.exit_code == 2 and "reserved for evaluation benchmarks" in result.output
    assert not (tmp_path / "g").exists()
    mix = tmp_path / "mix.yaml"
    mix.write_text(f"seed: {EVAL_SEED_BASE}\ntasks:\n  - task: arithmetic\n    weight: 1\n")
    result = invoke("generate", "--mix", mix, "-n", 2, "-o", tmp_path / "m")
    assert result.exit_code == 2 and "reserved for evaluation benchmarks" in result.output
    result = invoke("generate", "-t", "arithmetic", "-n", 2, "--seed", EVAL_SEED_BASE, "--eval-seeds",
                    "-o", tmp_path / "g", "-w", 1)
    assert result.exit_code == 0, result.output
    bench_rows, _ = build(tmp_path / "b")
    generated = read_dataset(tmp_path / "g")["train"].to_pylist()
    assert [r["problem"] for r in generated] == [r["problem"] for r in bench_rows[:2]]  # the same stream


def test_the_default_benchmark_is_every_task_at_five_levels():
    spec = default_spec()
    assert set(spec.tasks) == set(all_tasks()) and spec.levels == DEFAULT_LEVELS == (1, 3, 5, 7, 10)
    assert spec.seed == EVAL_SEED_BASE and spec.per_cell >= 1


@pytest.mark.parametrize("args, fragment", [
    (("--tasks", "no_such_task"), "no_such_task"),
    (("--tasks", "arithmetic", "--family", "math"), "not both"),
    (("--family", "nope"), "unknown family"),
    (("--levels", "0,11"), "levels run from 1 to 10"),
    (("--per-cell", "0"), "per-cell"),
])
def test_bad_input_is_a_one_line_error(tmp_path, args, fragment):
    result = invoke("bench", "build", "-o", tmp_path / "x", *args)
    assert result.exit_code == 2 and fragment in result.output and "Traceback" not in result.output


def test_reading_something_that_is_not_a_benchmark_says_so(tmp_path):
    result = invoke("bench", "show", tmp_path)
    assert result.exit_code == 2 and f"has no {MANIFEST}" in result.output
    (tmp_path / MANIFEST).write_text(json.dumps({"rows": 3}))
    result = invoke("bench", "show", tmp_path)
    assert result.exit_code == 2 and "not a benchmark manifest" in result.output


def test_a_spec_refuses_what_it_cannot_build():
    from synlog.errors import KnobError

    with pytest.raises(KnobError, match="at least one task"):
        BenchmarkSpec(())
    with pytest.raises(KnobError, match="seed offset"):
        BenchmarkSpec(("arithmetic",), offset=2**62)
