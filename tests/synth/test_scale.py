"""The engine at scale: the dedup index in bounded memory, the streamed (external) shuffle, and
output that depends neither on the workers nor on how the run was cut into ranges."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synlog.datasets_out.io import read_dataset
from synlog.datasets_out.schema import concat
from synlog.synth import assemble, engine
from synlog.synth.dedup import FingerprintIndex
from synlog.synth.plan import load_mixture, parse_splits, single_task_plan, split_counts
from synlog.synth.seeding import stream_rng

MIX = """\
tasks:
  - task: sat
    difficulty: 2
    weight: 1
  - task: arithmetic
    difficulty: 1
    weight: 2
"""


def mixture(tmp_path, n, splits="train=0.8,test=0.2", seed=5):
    path = tmp_path / "mix.yaml"
    path.write_text(MIX)
    return load_mixture(str(path), n, seed, parse_splits(splits))


def folder_bytes(folder):
    return [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.parquet"))]


# ----------------------------------------------------------------------------- the dedup index
keys16 = st.binary(min_size=16, max_size=16)


@settings(max_examples=60, deadline=None)
@given(batches=st.lists(st.lists(keys16 | st.sampled_from([b"\0" * 16, b"\0" * 8 + b"\1" * 8]), max_size=30),
                        max_size=12),
       bound=st.integers(1, 20))
def test_the_index_answers_like_a_set_however_often_it_spills(tmp_path_factory, batches, bound):
    index = FingerprintIndex(tmp_path_factory.mktemp("dedup"), memory_keys=bound)
    reference: set[bytes] = set()
    for batch in batches:
        index.prefetch(batch)
        for key in batch:
            assert (key in index) == (key in reference)
            if key not in reference:
                index.add(key)
                reference.add(key)
        index.settle()
    assert len(index) == len(reference)


def test_keys_sharing_their_high_half_are_told_apart_on_disk(tmp_path):
    high = b"\x07" * 8
    stored = [high + bytes([0, 0, 0, 0, 0, 0, 0, k]) for k in range(0, 40, 2)]
    index = FingerprintIndex(tmp_path / "d", memory_keys=4)
    index.update(stored)
    index.settle()
    assert index.bytes_on_disk() > 0 and len(index) == len(stored)
    probes = [high + bytes([0, 0, 0, 0, 0, 0, 0, k]) for k in range(40)]
    index.prefetch(probes)
    assert [p in index for p in probes] == [k % 2 == 0 for k in range(40)]


def test_spilled_runs_are_merged_and_ram_holds_at_most_the_bound(tmp_path):
    index = FingerprintIndex(tmp_path / "d", memory_keys=1000)
    rng = np.random.default_rng(0)
    keys = [bytes(k) for k in rng.integers(0, 256, size=(20_000, 16), dtype=np.uint8)]
    index.update(keys)
    assert len(index._recent) < 1000
    assert len(index._runs) <= 6, "runs of similar size are merged (log of the count, not the count)"
    assert index.bytes_on_disk() >= 16 * 19_000
    index.prefetch(keys[:500] + [b"\xff" * 16])
    assert all(k in index for k in keys[:500]) and b"\xff" * 16 not in index


# ------------------------------------------------------------- output independent of the cut
def test_a_shuffled_split_mixture_is_identical_whatever_the_workers_and_ranges(tmp_path):
    engine.run(mixture(tmp_path, 300), tmp_path / "a", workers=1, shard_rows=7, memory_keys=16)
    engine.run(mixture(tmp_path, 300), tmp_path / "b", workers=2)
    assert folder_bytes(tmp_path / "a") == folder_bytes(tmp_path / "b")
    card = (tmp_path / "a" / "README.md").read_text().replace(str(tmp_path / "a"), "OUT")
    assert card == (tmp_path / "b" / "README.md").read_text().replace(str(tmp_path / "b"), "OUT")


def old_placement(plan, generation_order: pa.Table) -> dict[str, pa.Table]:
    """What synlog 0.3 did in memory: the whole run as one table, shuffled, then dealt."""
    table = generation_order
    if plan.shuffle:
        table = table.take(stream_rng("shuffle", plan.seed, plan.n).permutation(table.num_rows))
    counts = split_counts(table.num_rows, plan.splits)
    order = stream_rng("split", plan.seed, plan.n).permutation(table.num_rows)
    tables, start = {}, 0
    for split, size in counts.items():
        tables[split] = table.take(pa.array(sorted(order[start:start + size].tolist()), type=pa.int64()))
        start += size
    return tables


@pytest.mark.parametrize("splits", ["train=1", "train=0.7,test=0.2,dev=0.1"])
def test_the_streamed_shuffle_places_rows_as_the_whole_table_in_memory_did(tmp_path, monkeypatch, splits):
    monkeypatch.setattr(assemble, "BLOCK", 13)  # many blocks, so pieces cross every block
    monkeypatch.setattr(assemble, "ROWS_PER_SHARD", 13)
    plan = mixture(tmp_path, 120, splits)
    written = engine.run(plan, tmp_path / "out", workers=1, shard_rows=9)
    assert not list(tmp_path.glob("out.partial*")), "the spill and placement files go with the work folder"
    everything = concat([written[s] for s in written])
    rank = {(c.task, c.difficulty): k for k, c in enumerate(plan.components)}
    key = [(rank[(t, d)], i) for t, d, i in zip(everything.column("task").to_pylist(),
                                              everything.column("difficulty").to_pylist(),
                                              everything.column("index").to_pylist(), strict=True)]
    generation_order = everything.take(sorted(range(len(key)), key=key.__getitem__))
    expected = old_placement(plan, generation_order)
    assert {s: t.num_rows for s, t in written.items()} == written.rows == {s: t.num_rows for s, t in expected.items()}
    for split, table in expected.items():
        assert written[split].to_pylist() == table.to_pylist(), split
    assert len(list((tmp_path / "out").glob("train-*.parquet"))) == -(-written.rows["train"] // 13)


def test_an_ordered_run_split_three_ways_streams_in_generation_order(tmp_path, monkeypatch):
    monkeypatch.setattr(assemble, "BLOCK", 8)
    plan = single_task_plan("arithmetic", 1, 90, 2, {}, parse_splits("train=0.5,test=0.3,dev=0.2"))
    written = engine.run(plan, tmp_path / "out", workers=1, shard_rows=11, fmt="jsonl")
    expected = old_placement(plan, concat([written[s] for s in written]).sort_by("index"))
    for split, table in expected.items():
        assert written[split].to_pylist() == table.to_pylist(), split


@pytest.mark.parametrize("fmt", ["hf", "jsonl"])
def test_every_format_streams_the_same_rows(tmp_path, fmt, monkeypatch):
    monkeypatch.setattr(assemble, "BLOCK", 17)
    parquet = engine.run(mixture(tmp_path, 80), tmp_path / "p", workers=1)
    other = engine.run(mixture(tmp_path, 80), tmp_path / fmt, workers=1, fmt=fmt, chat=True, system_prompt="Think.")
    for split in parquet:
        assert other[split].drop_columns(["messages"]).to_pylist() == read_dataset(tmp_path / "p")[split].to_pylist()
        assert other[split].column("messages")[0].as_py()[0] == {"role": "system", "content": "Think."}


def test_the_coordinator_keeps_its_dedup_keys_on_disk_past_the_bound(tmp_path):
    seen_on_disk = []
    out = tmp_path / "out"

    def look(_):
        runs = list((tmp_path / "out.partial" / "dedup").glob("run-*.npy"))
        seen_on_disk.append(sum(r.stat().st_size for r in runs))

    engine.run(single_task_plan("arithmetic", 3, 400, 1, {}, {"train": 1.0}), out, workers=1,
               shard_rows=50, memory_keys=64, progress=look)
    assert max(seen_on_disk) >= 16 * 300, "the keys past the bound were spilled (16 bytes each)"
    reference = engine.run(single_task_plan("arithmetic", 3, 400, 1, {}, {"train": 1.0}), tmp_path / "ref", workers=1)
    assert folder_bytes(out) == folder_bytes(tmp_path / "ref")
    assert reference.rows == {"train": 400}


def test_a_killed_multi_worker_run_resumes_to_the_same_bytes(tmp_path):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "synlog", "generate", "--task", "sudoku", "-d", "2", "-n", "3000",
           "-o", str(out), "--workers", "2", "--seed", "4"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and len(list((tmp_path / "out.partial").glob("*.keep.npy"))) < 2:
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)  # the coordinator and its workers, mid-run
    proc.wait()
    assert not out.exists()
    assert list((tmp_path / "out.partial").glob("*.keep.npy")), "finished ranges were kept"
    subprocess.run([*cmd, "--resume"], check=True, capture_output=True)
    subprocess.run([*cmd[:-6], "-o", str(tmp_path / "clean"), "--workers", "1", "--seed", "4"],
                   check=True, capture_output=True)
    assert folder_bytes(out) == folder_bytes(tmp_path / "clean")
