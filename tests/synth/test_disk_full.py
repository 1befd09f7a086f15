"""A disk that fills up mid-run: one line naming the folder and the space needed (exit 2),
nothing half-written, and ``--resume`` completes once space is freed.

The disk is real: a 5 MB tmpfs mounted for the test (root only), filled with a ballast file
so that the run runs out of space at the moment under test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from synlog.cli.main import cli
from synlog.datasets_out.io import read_dataset
from synlog.datasets_out.schema import rows_to_table

ROWS = 1500  # one shard (SHARD_ROWS is 2000)
GENERATE = ["generate", "--task", "arithmetic", "-d", "10", "-n", str(ROWS), "--seed", "3", "--workers", "1"]


@pytest.fixture
def small_disk(tmp_path):
    """A 5 MB tmpfs at tmp_path/disk, unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a 5 MB tmpfs to fill needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=5m", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Write a ballast file leaving about ``leave`` bytes free on ``disk``."""
    ballast = disk / f"ballast-{uuid.uuid4().hex}"
    size = max(0, shutil.disk_usage(disk).free - leave)
    with open(ballast, "wb") as out:
        out.write(b"\0" * size)  # tmpfs has no holes to cheat with: real pages
    return ballast


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def one_line_error(result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip() and not line.startswith("Saving")]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def assert_nothing_half_written(disk: Path, out: Path) -> None:
    assert not out.exists()
    leftovers = [p.name for p in disk.iterdir() if p.name.startswith(f".{out.name}.")]
    assert leftovers == [], leftovers
    partial = out.with_name(out.name + ".partial")
    if partial.exists():
        assert not list(partial.glob("*.tmp")), "a half-written shard or state file was left"
        for shard in partial.glob("*.parquet"):
            pq.read_table(shard)  # every shard kept is whole


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, int, int]:
    """The same run on an ordinary disk: (its folder, bytes of its partial shard, bytes of the output)."""
    out = tmp_path_factory.mktemp("reference") / "out"
    result = invoke(*GENERATE, "-o", out)
    assert result.exit_code == 0, result.output
    shard = out.parent / "shard.parquet"
    pq.write_table(rows_to_table(read_dataset(out)["train"].to_pylist()), shard)  # as the engine writes shards
    final = sum(p.stat().st_size for p in out.iterdir())
    return out, shard.stat().st_size, final


def test_disk_full_while_writing_shards_is_one_line_and_resume_completes(small_disk, reference):
    reference_out, shard_bytes, _ = reference
    out = small_disk / "out"
    ballast = fill(small_disk, leave=shard_bytes // 3)
    line = one_line_error(invoke(*GENERATE, "-o", out))
    assert f"no space left in '{small_disk}'" in line and "while writing shards" in line
    assert "needs about" in line and "free" in line and "--resume" in line
    assert_nothing_half_written(small_disk, out)
    ballast.unlink()
    result = invoke(*GENERATE, "-o", out, "--resume")
    assert result.exit_code == 0, result.output
    assert read_dataset(out)["train"].to_pylist() == read_dataset(reference_out)["train"].to_pylist()
    assert not out.with_name("out.partial").exists()


def test_disk_full_while_publishing_is_one_line_and_resume_completes(small_disk, reference):
    reference_out, shard_bytes, final_bytes = reference
    out = small_disk / "out"
    ballast = fill(small_disk, leave=shard_bytes + 16_384 + final_bytes // 2)  # the shard fits, the output not
    line = one_line_error(invoke(*GENERATE, "-o", out))
    assert f"no space left in '{small_disk}'" in line and "while writing the dataset" in line
    assert "--resume" in line
    assert_nothing_half_written(small_disk, out)
    assert (small_disk / "out.partial" / "state.json").exists(), "the finished shards are kept for --resume"
    ballast.unlink()
    result = invoke(*GENERATE, "-o", out, "--resume")
    assert result.exit_code == 0, result.output
    assert read_dataset(out)["train"].to_pylist() == read_dataset(reference_out)["train"].to_pylist()


def test_disk_full_estimate_covers_what_the_run_needs(small_disk, reference):
    """The estimate is an estimate; it must at least not send the user away with too little."""
    _, shard_bytes, final_bytes = reference
    out = small_disk / "out"
    ballast = fill(small_disk, leave=shard_bytes // 3)
    line = one_line_error(invoke(*GENERATE, "-o", out))
    amount, unit = line.split("needs about ")[1].split(" more")[0].split()
    needed = float(amount) * {"bytes": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9}[unit]
    assert needed >= 0.5 * (shard_bytes + final_bytes)
    ballast.unlink()
