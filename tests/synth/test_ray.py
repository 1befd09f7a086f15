"""The Ray engine on a real local Ray cluster: the local engine's rows byte for byte, shards in a
``pyarrow.fs`` URI, resumable, and a worker killed mid-range redone with nothing lost or
duplicated and the retry on record in ``run.json``."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from synlog.datasets_out.io import read_dataset
from synlog.errors import SynlogError
from synlog.synth import engine
from synlog.synth.plan import single_task_plan
from tests.synth.test_scale import folder_bytes, mixture


def data_files(folder: Path) -> list[tuple[str, bytes]]:
    return folder_bytes(folder)


def test_ray_writes_the_local_engines_rows_byte_for_byte(ray_cluster, tmp_path):
    engine.run(mixture(tmp_path, 400), tmp_path / "local", workers=1)
    engine.run(mixture(tmp_path, 400), tmp_path / "ray", engine="ray", shard_rows=37)
    assert data_files(tmp_path / "ray") == data_files(tmp_path / "local")
    record = json.loads((tmp_path / "ray" / "run.json").read_text())
    assert record["engine"] == "ray" and record["workers"] == 2 and record["retried"] == []
    assert record["ranges"] > 400 // 37  # cut into many ranges, yet the same bytes
    assert not (tmp_path / "ray.partial").exists()
    assert not (tmp_path / "local" / "run.json").exists()  # a local run's output is as before


def test_shards_can_live_in_a_pyarrow_fs_uri(ray_cluster, tmp_path):
    store = tmp_path / "store"
    engine.run(mixture(tmp_path, 200), tmp_path / "local", workers=1)
    seen: list[list[str]] = []

    def look(_rows: int) -> None:  # while the run goes on, its shards are in the store
        seen.append(sorted(p.name for p in store.glob("*.parquet")))

    engine.run(mixture(tmp_path, 200), tmp_path / "ray", engine="ray", shard_rows=50,
               shards=f"file://{store}", progress=look)
    assert data_files(tmp_path / "ray") == data_files(tmp_path / "local")
    assert any(names for names in seen)
    assert not list((tmp_path / "ray.partial").glob("*.parquet")) if (tmp_path / "ray.partial").exists() else True
    assert not store.exists() or not list(store.iterdir())  # cleared once the dataset is published
    assert json.loads((tmp_path / "ray" / "run.json").read_text())["shards"] == f"file://{store}"


def test_an_interrupted_ray_run_resumes_to_the_same_rows(ray_cluster, tmp_path):
    engine.run(mixture(tmp_path, 300), tmp_path / "local", workers=1)
    ranges = 0

    def stop_after_two(_rows: int) -> None:  # called once at the start, then after each range
        nonlocal ranges
        ranges += 1
        if ranges == 4:
            raise KeyboardInterrupt  # as the third range is taken: two are finished

    with pytest.raises(KeyboardInterrupt):
        engine.run(mixture(tmp_path, 300), tmp_path / "ray", engine="ray", shard_rows=40, progress=stop_after_two)
    state = json.loads((tmp_path / "ray.partial" / "state.json").read_text())
    assert sum(c["shards"] for c in state["components"]) == 2
    with pytest.raises(SynlogError, match="--resume"):
        engine.run(mixture(tmp_path, 300), tmp_path / "ray", engine="ray", shard_rows=40)
    engine.run(mixture(tmp_path, 300), tmp_path / "ray", engine="ray", shard_rows=40, resume=True)
    assert data_files(tmp_path / "ray") == data_files(tmp_path / "local")


def test_resuming_with_another_shard_store_is_refused(ray_cluster, tmp_path):
    def stop(_rows: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        engine.run(mixture(tmp_path, 200), tmp_path / "ray", engine="ray", shard_rows=40,
                   shards=str(tmp_path / "store"), progress=stop)
    with pytest.raises(SynlogError, match="--shards"):
        engine.run(mixture(tmp_path, 200), tmp_path / "ray", engine="ray", shard_rows=40, resume=True)


def _range_workers() -> list[int]:
    """Ray worker processes now building a range (Ray titles them ``ray::build_range``)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if f.read().startswith(b"ray::build_range"):
                        pids.append(int(entry))
            except OSError:
                continue
    return pids


def test_a_worker_killed_mid_range_is_redone_and_on_record(ray_cluster, tmp_path):
    plan = lambda: single_task_plan("arithmetic", 1, 6000, 3, {}, {"train": 1.0})  # noqa: E731
    engine.run(plan(), tmp_path / "local", workers=1)
    killed: list[int] = []
    failure: list[BaseException] = []

    def generate() -> None:
        try:
            engine.run(plan(), tmp_path / "ray", engine="ray", shard_rows=1500)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            failure.append(exc)

    thread = threading.Thread(target=generate)
    thread.start()
    deadline = time.monotonic() + 120
    while not killed and thread.is_alive() and time.monotonic() < deadline:
        for pid in _range_workers():
            os.kill(pid, signal.SIGKILL)  # a real worker, killed while it builds a range
            killed.append(pid)
            break
        time.sleep(0.01)
    thread.join(300)
    assert not failure, failure
    assert killed, "no Ray worker was seen building a range"
    record = json.loads((tmp_path / "ray" / "run.json").read_text())
    assert record["retried"], record
    retry = record["retried"][0]
    assert retry["attempt"] == 2 and "WorkerCrashed" in retry["reason"]
    assert data_files(tmp_path / "ray") == data_files(tmp_path / "local")
    rows = read_dataset(tmp_path / "ray")["train"]
    assert rows.num_rows == 6000 and len(set(rows.column("id").to_pylist())) == 6000


def test_the_ray_engine_without_ray_says_how_to_install_it(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "ray", None)  # a stand-in for a machine without Ray
    with pytest.raises(SynlogError, match=r"synlog\[ray\]"):
        engine.run(single_task_plan("arithmetic", 1, 100, 0, {}, {"train": 1.0}), tmp_path / "out", engine="ray")
