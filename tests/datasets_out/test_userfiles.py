"""The shared reader of user files: every bad byte is an InputFileError naming file and line,
and no document is built beyond its bounds (bytes, depth, values, digits)."""

from __future__ import annotations

import json
import tracemalloc

import pytest

from synlog.datasets_out import userfiles
from synlog.datasets_out.userfiles import iter_json_lines, load_document, read_text
from synlog.errors import InputFileError


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def test_a_document_reads_as_data(tmp_path):
    assert load_document(write(tmp_path, "a.yaml", "tasks: [{task: sat, weight: 2}]"), "spec") == \
        {"tasks": [{"task": "sat", "weight": 2}]}
    assert load_document(write(tmp_path, "a.json", '{"seed": 7}'), "spec") == {"seed": 7}


def test_a_byte_order_mark_is_dropped(tmp_path):
    assert load_document(write(tmp_path, "bom.yaml", b"\xef\xbb\xbfseed: 1\n"), "spec") == {"seed": 1}
    assert load_document(write(tmp_path, "bom.json", b'\xef\xbb\xbf{"seed": 1}'), "spec") == {"seed": 1}


def test_not_utf8_names_line_and_column(tmp_path):
    with pytest.raises(InputFileError, match=r"x.yaml:2:4: not UTF-8 text \(byte 0xff\); save the file as UTF-8"):
        load_document(write(tmp_path, "x.yaml", b"a: 1\nb: \xff\n"), "spec")


def test_a_folder_or_a_missing_file_is_named(tmp_path):
    with pytest.raises(InputFileError, match="is a folder; pass a file"):
        read_text(tmp_path, "mixture spec")
    with pytest.raises(InputFileError, match="cannot read mixture spec .*No such file"):
        read_text(tmp_path / "nope.yaml", "mixture spec")


def test_a_file_too_large_to_be_a_spec_is_refused_without_reading_it_all(tmp_path):
    big = write(tmp_path, "big.yaml", b"#" * (userfiles.MAX_DOCUMENT_BYTES + 10))
    with pytest.raises(InputFileError, match="larger than 1024 KB"):
        load_document(big, "mixture spec")


@pytest.mark.parametrize("name", ["deep.yaml", "deep.json"])
def test_deep_nesting_is_refused_before_it_is_built(tmp_path, name):
    path = write(tmp_path, name, "[" * 200_000 + "]" * 200_000)
    tracemalloc.start()
    try:
        with pytest.raises(InputFileError, match="nested deeper than 64 levels"):
            load_document(path, "spec")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 400_000, f"{peak} bytes traced for a 400 KB file"


def test_block_nesting_counts_too(tmp_path):
    text = "".join(f"{'  ' * k}k{k}:\n" for k in range(80)) + "  " * 80 + "leaf: 1\n"
    with pytest.raises(InputFileError, match="nested deeper"):
        load_document(write(tmp_path, "block.yaml", text), "spec")


def test_alias_expansion_is_bounded(tmp_path):
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 10) + "]" for k in range(1, 9)]
    with pytest.raises(InputFileError, match="more than 100,000 values"):
        load_document(write(tmp_path, "laughs.yaml", "\n".join(levels)), "spec")


def test_a_few_aliases_are_fine(tmp_path):
    text = "base: &b {weight: 2}\ntasks:\n  - {task: sat, set: *b}\n"
    assert load_document(write(tmp_path, "ok.yaml", text), "spec")["tasks"][0]["set"] == {"weight": 2}


@pytest.mark.parametrize(("name", "text"), [
    ("x.yaml", "seed: " + "9" * 5000),
    ("x.json", '{"seed": ' + "9" * 5000 + "}"),
])
def test_integers_too_long_are_refused(tmp_path, name, text):
    with pytest.raises(InputFileError, match="5,000 digits"):
        load_document(write(tmp_path, name, text), "spec")


@pytest.mark.parametrize(("name", "text", "where"), [
    ("x.yaml", "tasks: [{weight: .nan}]", r"tasks\[1\].weight is nan"),
    ("x.yaml", "a: {b: -.inf}", "a.b is -inf"),
    ("x.json", '{"a": [1, Infinity]}', r"a\[2\] is inf"),
    ("x.yaml", "1.0e+999", "the document is inf"),
])
def test_non_finite_numbers_are_refused_with_their_place(tmp_path, name, text, where):
    with pytest.raises(InputFileError, match=where):
        load_document(write(tmp_path, name, text), "spec")


def test_syntax_errors_are_one_line_with_line_and_column(tmp_path):
    with pytest.raises(InputFileError) as caught:
        load_document(write(tmp_path, "x.yaml", "tasks: [\n  {task: sat\n"), "spec")
    assert "\n" not in str(caught.value) and "x.yaml:3:1: not valid YAML" in str(caught.value)
    with pytest.raises(InputFileError, match=r"x.json:1:10: not valid JSON"):
        load_document(write(tmp_path, "x.json", '{"a": 1, }'), "spec")


def test_python_tags_are_not_constructed(tmp_path):
    with pytest.raises(InputFileError, match="not valid YAML"):
        load_document(write(tmp_path, "x.yaml", "!!python/object/apply:os.system ['true']"), "spec")


# ------------------------------------------------------------------------------------ JSON lines
def test_json_lines_yield_objects_with_numbers(tmp_path):
    path = write(tmp_path, "x.jsonl", '{"id": 1}\n\n{"id": 2}\n')
    assert list(iter_json_lines(path, "an object")) == [(1, {"id": 1}), (3, {"id": 2})]


@pytest.mark.parametrize(("content", "message"), [
    (b'{"id": 1}\n{"id": "\xff"}\n', r"x.jsonl:2:9: not UTF-8"),
    (b'{"id": 1}\n{"id": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n", "x.jsonl:2: JSON nested too deeply"),
    (b'{"id": ' + b"9" * 5000 + b"}\n", "x.jsonl:1: has an integer with 5,000 digits"),
    (b'{"id": 1\n', r"x.jsonl:1: not valid JSON \(Expecting"),
    (b"[1, 2]\n", "x.jsonl:1: each line needs an object"),
])
def test_json_lines_errors_name_the_line(tmp_path, content, message):
    with pytest.raises(InputFileError, match=message):
        list(iter_json_lines(write(tmp_path, "x.jsonl", content), "an object"))


def test_a_huge_line_of_tiny_values_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    monkeypatch.setattr(userfiles, "LARGE_LINE_BYTES", 1000)
    monkeypatch.setattr(userfiles, "MAX_LINE_NODES", 10_000)
    line = json.dumps({"id": "a", "completions": [0] * 20_000})
    with pytest.raises(InputFileError, match="more than 10,000 JSON values"):
        list(iter_json_lines(write(tmp_path, "x.jsonl", line), "an object"))
    text = json.dumps({"id": "a", "completion": "1, 2, [3], {4}" * 5000})  # separators inside a string
    assert len(list(iter_json_lines(write(tmp_path, "y.jsonl", text), "an object"))) == 1
