"""``read_dataset`` answers anything that is not a synlog dataset with an InputFileError naming
the file; ``check_output_folder`` refuses, before any work, a folder that could not be made."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from synlog.datasets_out.io import check_output_folder, read_dataset, write_split_tables
from synlog.datasets_out.schema import ROW_SCHEMA, rows_to_table
from synlog.errors import InputFileError, OutputError
from synlog.synth.example import make_row
from synlog.tasks.base import get_task


@pytest.fixture(scope="module")
def table() -> pa.Table:
    spec = get_task("arithmetic").knobs.resolve(1)
    return rows_to_table([make_row("arithmetic", 1, spec, 0, i) for i in range(3)])


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "hf"])
def test_every_layout_reads_back(tmp_path, table, fmt):
    write_split_tables({"train": table}, tmp_path / fmt, fmt)
    assert read_dataset(tmp_path / fmt)["train"].to_pylist() == table.to_pylist()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("train-00000-of-00001.parquet", random.Random(2000).randbytes(2000), "is not a readable parquet file"),
    ("train-00000-of-00001.parquet", b"", "is not a readable parquet file"),
    ("train.jsonl", b"\xff\xfe\x00", "not UTF-8"),
    ("train.jsonl", b'{"id": 1}\n', "missing task"),
])
def test_garbage_files_are_named(tmp_path, name, content, message):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / name).write_bytes(content)
    with pytest.raises(InputFileError, match=message) as caught:
        read_dataset(tmp_path / "d")
    assert name in str(caught.value)


def test_a_column_of_another_type_is_named(tmp_path, table):
    broken = table.set_column(table.schema.get_field_index("difficulty"), "difficulty",
                              pa.array(["hard"] * table.num_rows))
    pq.write_table(broken, tmp_path / "x.parquet")
    with pytest.raises(InputFileError, match="column 'difficulty' holds string, not int8"):
        read_dataset(tmp_path / "x.parquet")


def test_empty_cells_are_named(tmp_path, table):
    nullable = pa.schema([field.with_nullable(True) for field in ROW_SCHEMA])
    broken = table.cast(nullable).set_column(ROW_SCHEMA.get_field_index("answer"), nullable.field("answer"),
                                             pa.array([None, "1", "2"], pa.string()))
    pq.write_table(broken, tmp_path / "x.parquet")
    with pytest.raises(InputFileError, match="column 'answer' has 1 empty cells"):
        read_dataset(tmp_path / "x.parquet")


def test_jsonl_rows_of_the_wrong_types_are_named(tmp_path, table):
    write_split_tables({"train": table}, tmp_path / "j", "jsonl")
    path = tmp_path / "j" / "train.jsonl"
    path.write_text(path.read_text().replace('"seed": 0', '"seed": "zero"', 1))
    with pytest.raises(InputFileError, match="train.jsonl: not a synlog dataset"):
        read_dataset(tmp_path / "j")


def test_a_damaged_save_to_disk_folder_is_named(tmp_path, table):
    write_split_tables({"train": table}, tmp_path / "hf", "hf")
    arrow = next((tmp_path / "hf").glob("*.arrow"))
    arrow.write_bytes(arrow.read_bytes()[:100])
    with pytest.raises(InputFileError, match="damaged save_to_disk folder"):
        read_dataset(tmp_path / "hf")


def test_a_name_too_long_to_exist_is_not_a_crash(tmp_path):
    with pytest.raises(InputFileError):
        read_dataset(tmp_path / ("x" * 300))


def test_a_symlink_to_a_device_in_a_dataset_folder_is_not_read(tmp_path, table):
    write_split_tables({"train": table}, tmp_path / "d", "parquet")
    (tmp_path / "d" / "zero.jsonl").symlink_to("/dev/zero")
    assert read_dataset(tmp_path / "d")["train"].num_rows == 3


# --------------------------------------------------------------------------------- output folders
def test_a_writable_output_folder_passes_and_nothing_is_created(tmp_path):
    assert check_output_folder(tmp_path / "a" / "b") == tmp_path / "a"
    assert list(tmp_path.iterdir()) == []


def test_a_folder_name_too_long_on_the_way(tmp_path):
    with pytest.raises(OutputError, match="is 300 bytes; names here hold at most 255;"):
        check_output_folder(tmp_path / ("m" * 300) / "out")


def test_a_name_too_long_with_the_work_suffixes(tmp_path):
    with pytest.raises(OutputError, match="is 250 bytes; names here hold at most 239"):
        check_output_folder(tmp_path / ("n" * 250))
    check_output_folder(tmp_path / ("n" * 250), suffix_bytes=0)


def test_a_file_in_the_way(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(OutputError, match="exists and is not a folder"):
        check_output_folder(tmp_path / "f")
    with pytest.raises(OutputError, match="f' is a file, not a folder"):
        check_output_folder(tmp_path / "f" / "sub" / "out")


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="no /proc on this system")
def test_a_kernel_file_system_is_refused():
    with pytest.raises(OutputError, match="choose another -o"):
        check_output_folder(Path("/proc/self/out"))


def test_a_read_only_folder_is_refused(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders; /proc covers the refusal")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(OutputError, match="cannot create folders in"):
        check_output_folder(locked / "out")
