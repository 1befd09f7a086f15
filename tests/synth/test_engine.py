"""The engine writes complete, deduplicated, reproducible datasets or nothing at all."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import datasets
import pyarrow.parquet as pq
import pytest

from synlog.datasets_out.io import read_dataset
from synlog.errors import GenerationError, InputFileError, OutputError
from synlog.synth import engine
from synlog.synth.plan import allocate, load_mixture, parse_splits, single_task_plan
from tests.helpers.tiny_task import registered


def plan(task="sat", difficulty=3, n=40, seed=7, overrides=None, splits=None):
    return single_task_plan(task, difficulty, n, seed, overrides or {}, splits or {"train": 1.0})


def table_bytes(folder):
    return [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.parquet"))]


def test_output_is_byte_identical_across_runs_and_worker_counts(tmp_path):
    engine.run(plan(n=150), tmp_path / "a", workers=1)
    engine.run(plan(n=150), tmp_path / "b", workers=2)
    assert table_bytes(tmp_path / "a") == table_bytes(tmp_path / "b")


def test_rows_are_in_index_order_with_unique_fingerprints(tmp_path):
    tables = engine.run(plan(n=60), tmp_path / "out", workers=1)
    table = tables["train"]
    indices = table.column("index").to_pylist()
    assert indices == sorted(indices)
    assert len(set(table.column("fingerprint").to_pylist())) == 60


def test_duplicates_are_skipped_and_exhaustion_is_a_clear_error(tmp_path):
    with registered():
        tables = engine.run(plan("test_tiny", n=5), tmp_path / "five", workers=1)
        assert sorted(tables["train"].column("answer").to_pylist()) == ["0", "1", "2", "3", "4"]
        with pytest.raises(GenerationError, match="only 5 distinct problems .* exhausted"):
            engine.run(plan("test_tiny", n=6), tmp_path / "six", workers=1)
    assert not (tmp_path / "six").exists()


def test_existing_output_is_refused_unless_overwrite(tmp_path):
    out = tmp_path / "out"
    engine.run(plan(n=5), out, workers=1)
    with pytest.raises(OutputError, match="already exists; pass --overwrite"):
        engine.run(plan(n=5), out, workers=1)
    engine.run(plan(n=7), out, workers=1, overwrite=True)
    assert read_dataset(out)["train"].num_rows == 7


def test_unwritable_output_is_refused_before_any_work(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError):
        engine.run(plan(n=5), blocker / "out", workers=1)


def test_interrupted_run_leaves_no_dataset_and_resume_completes_it(tmp_path):
    out = tmp_path / "out"
    seen = []

    def interrupt(k):
        seen.append(k)
        if sum(seen) >= 25:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        engine.run(plan(n=60), out, workers=1, progress=interrupt, shard_rows=10)
    assert not out.exists()
    with pytest.raises(OutputError, match="--resume"):
        engine.run(plan(n=60), out, workers=1)
    with pytest.raises(OutputError, match="other options"):
        engine.run(plan(n=61), out, workers=1, resume=True)
    resumed = []
    engine.run(plan(n=60), out, workers=1, resume=True, shard_rows=10, progress=resumed.append)
    assert resumed[0] == 20  # two shards of ten survived the interruption
    engine.run(plan(n=60), tmp_path / "clean", workers=1)
    assert table_bytes(out) == table_bytes(tmp_path / "clean")
    assert not (tmp_path / "out.partial").exists()


def test_killed_cli_run_leaves_no_dataset_and_resumes(tmp_path):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "synlog", "generate", "--task", "sat", "-d", "8", "-n", "3000",
           "-o", str(out), "--workers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and not list((tmp_path / "out.partial").glob("*.parquet")):
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not out.exists()
    subprocess.run([*cmd[:-2], "--resume"], check=True, capture_output=True)
    assert read_dataset(out)["train"].num_rows == 3000


def test_splits_are_exact_and_disjoint_by_fingerprint(tmp_path):
    tables = engine.run(plan(n=100, splits=parse_splits("train=0.9,test=0.1")), tmp_path / "s", workers=1)
    assert {k: t.num_rows for k, t in tables.items()} == {"train": 90, "test": 10}
    train = set(tables["train"].column("fingerprint").to_pylist())
    assert not train & set(tables["test"].column("fingerprint").to_pylist())


@pytest.mark.parametrize("fmt", ["parquet", "hf", "jsonl"])
def test_every_format_loads_back(tmp_path, fmt):
    out = tmp_path / fmt
    splits = parse_splits("train=0.8,test=0.2")
    tables = engine.run(plan(n=20, splits=splits), out, fmt=fmt, workers=1)
    back = read_dataset(out)
    assert {k: v.to_pylist() for k, v in back.items()} == {k: v.to_pylist() for k, v in tables.items()}
    if fmt == "parquet":
        loaded = datasets.load_dataset("parquet", data_dir=str(out))
        assert loaded["train"].num_rows == 16 and loaded["test"].num_rows == 4
    if fmt == "hf":
        assert datasets.load_from_disk(str(out))["test"].num_rows == 4
    assert "| sat | 3 | 16 | 4 |" in (out / "README.md").read_text()


def test_single_split_hf_dataset_loads_as_a_dataset(tmp_path):
    engine.run(plan(n=8), tmp_path / "hf", fmt="hf", workers=1)
    assert datasets.load_from_disk(str(tmp_path / "hf")).num_rows == 8


def test_mixture_counts_are_exact_and_rows_interleaved(tmp_path):
    spec = tmp_path / "mix.yaml"
    spec.write_text("seed: 3\ntasks:\n  - {task: sat, weight: 3, difficulty: [2, 4]}\n"
                    "  - {task: sat, weight: 1, difficulty: '6..6', set: {n_vars: 12}}\n")
    mix = load_mixture(spec, 80, None, {"train": 1.0})
    assert [c.count for c in mix.components] == [30, 30, 20] and mix.seed == 3
    table = engine.run(mix, tmp_path / "mix", workers=1)["train"]
    levels = table.column("difficulty").to_pylist()
    assert sorted(levels) == [2] * 30 + [4] * 30 + [6] * 20
    assert levels != sorted(levels)
    assert all(json.loads(p)["n_vars"] == 12 for p, lv in zip(table.column("params").to_pylist(), levels, strict=True) if lv == 6)


@pytest.mark.parametrize(
    "text, message",
    [
        ("tasks: 3", "non-empty 'tasks' list"),
        ("tasks:\n  - {weight: 1}", r"tasks\[1\]: each entry needs at least 'task:'"),
        ("tasks:\n  - {task: sat, weight: -1}", "weight must be a positive number"),
        ("tasks:\n  - {task: sat, difficulty: 11}", "integers 1..10"),
        ("tasks:\n  - {task: sat, colour: red}", "unknown keys"),
        ("tasks:\n  - {task: sat, set: {n_vars: -4}}", "knob 'n_vars'"),
        ("tasks: [", "not valid"),
    ],
)
def test_malformed_mixture_specs_say_what_is_wrong(tmp_path, text, message):
    spec = tmp_path / "mix.yaml"
    spec.write_text(text)
    with pytest.raises(InputFileError, match=message):
        load_mixture(spec, 10, None, {"train": 1.0})


def test_allocate_is_exact():
    assert allocate(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(allocate(20000, [0.95, 0.05])) == 20000


def test_partial_folder_is_removed_after_success(tmp_path):
    engine.run(plan(n=5), tmp_path / "o", workers=1)
    assert sorted(os.listdir(tmp_path)) == ["o"]
    assert pq.read_table(next((tmp_path / "o").glob("*.parquet"))).num_rows == 5
