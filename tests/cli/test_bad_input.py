"""Bad input from the review "Reliability II": every case exits 2 with ONE line saying what to do.

Each test causes the fault for real: the bytes are on disk, the port is really taken, the
folder really is under /proc. `assert_one_line_error` is the contract: exit code 2, no
traceback, exactly one non-blank line of output, starting "Error:".
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from synlog.cli.main import cli

DEEP = 100_000  # nesting of the "deeply nested" files


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def assert_one_line_error(result, *fragments: str) -> str:
    output = result.output
    assert "Traceback" not in output, output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), output
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bad-input") / "arith"
    result = invoke("generate", "--task", "arithmetic", "-n", "4", "-o", out, "--workers", "1")
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def row_id(dataset) -> str:
    from synlog.datasets_out.io import read_dataset

    return read_dataset(dataset)["train"].column("id")[0].as_py()


def write(folder: Path, name: str, content: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


NOT_UTF8 = b"tasks:\n  - {task: sat, weight: 1}\n# caf\xe9 \xff\n"


def needs_serve():
    pytest.importorskip("aiohttp", reason="synlog serve needs the serve extra (aiohttp)")


# -------------------------------------------------------------------------------- non-UTF-8 files
def test_non_utf8_mixture_names_the_line(tmp_path):
    spec = write(tmp_path, "mix.yaml", NOT_UTF8)
    assert_one_line_error(invoke("generate", "--mix", spec, "-n", "2", "-o", tmp_path / "out"),
                          "mix.yaml:3:", "not UTF-8", "save the file as UTF-8")
    assert not (tmp_path / "out").exists()


def test_non_utf8_completions_names_the_line(tmp_path, dataset, row_id):
    good = json.dumps({"id": row_id, "completion": "<answer>1</answer>"}).encode()
    completions = write(tmp_path, "outs.jsonl", good + b"\n" + b'{"id": "\xff\xfe"}\n')
    assert_one_line_error(invoke("verify", dataset, "-c", completions, "--workers", "0"),
                          "outs.jsonl:2:", "not UTF-8")


def test_non_utf8_reward_spec(tmp_path):
    needs_serve()
    spec = write(tmp_path, "reward.yaml", b"accuracy: {weight: 1.0}  # \xff\n")
    assert_one_line_error(invoke("serve", "--reward", spec), "reward.yaml:1:", "not UTF-8")


def test_non_utf8_train_config(tmp_path):
    config = write(tmp_path, "train.yaml", b"model: m\ndata: {task: arithmetic}\n# \xc3\x28\n")
    assert_one_line_error(invoke("train", config, "--dry-run"), "train.yaml:3:", "not UTF-8")


# ---------------------------------------------------------------------------------------- seeds
@pytest.mark.parametrize("seed", ["abc", "-5", "[1]", "true", "1.5"])
def test_mixture_seed_must_be_a_non_negative_integer(tmp_path, seed):
    spec = write(tmp_path, "mix.yaml", f"seed: {seed}\ntasks:\n  - {{task: sat}}\n")
    assert_one_line_error(invoke("generate", "--mix", spec, "-n", "2", "-o", tmp_path / "out"),
                          "seed must be an integer from 0 to")


def test_command_line_seed_beyond_int64_is_a_usage_error(tmp_path):
    result = invoke("generate", "--task", "sat", "-n", "2", "--seed", str(2**64), "-o", tmp_path / "out")
    assert result.exit_code == 2 and "Traceback" not in result.output and "--seed" in result.output


# ------------------------------------------------------------------------------ non-finite weights
@pytest.mark.parametrize(("name", "text"), [
    ("mix.yaml", "tasks:\n  - {task: sat, weight: .nan}\n"),
    ("mix.yaml", "tasks:\n  - {task: sat, weight: .inf}\n"),
    ("mix.yaml", "tasks:\n  - {task: sat, weight: -.inf}\n"),
    ("mix.json", '{"tasks": [{"task": "sat", "weight": NaN}]}'),
    ("mix.json", '{"tasks": [{"task": "sat", "weight": Infinity}]}'),
])
def test_nan_or_infinite_weights_are_refused(tmp_path, name, text):
    spec = write(tmp_path, name, text)
    assert_one_line_error(invoke("generate", "--mix", spec, "-n", "2", "-o", tmp_path / "out"),
                          "tasks[1].weight", "finite")


def test_weights_near_the_float_maximum_still_split_exactly(tmp_path):
    spec = write(tmp_path, "mix.yaml", "tasks:\n  - {task: sat, weight: 1.0e+308}\n"
                                       "  - {task: sat, weight: 1.0e+308}\n  - {task: arithmetic, weight: 1.0e+308}\n")
    result = invoke("generate", "--mix", spec, "-n", "6", "-o", tmp_path / "out", "--workers", "1")
    assert result.exit_code == 0, result.output
    from synlog.datasets_out.io import read_dataset

    tasks = read_dataset(tmp_path / "out")["train"].column("task").to_pylist()
    assert sorted(tasks) == ["arithmetic"] * 2 + ["sat"] * 4


# --------------------------------------------------------------------------------- deep nesting
@pytest.mark.parametrize("name", ["mix.yaml", "mix.json"])
def test_deeply_nested_mixture(tmp_path, name):
    spec = write(tmp_path, name, "[" * DEEP + "]" * DEEP)
    assert_one_line_error(invoke("generate", "--mix", spec, "-n", "2", "-o", tmp_path / "out"),
                          "nested deeper than 64 levels")


def test_deeply_nested_completion_line(tmp_path, dataset, row_id):
    nested = "[" * DEEP + "]" * DEEP
    completions = write(tmp_path, "outs.jsonl", f'{{"id": "{row_id}", "completion": {nested}}}\n')
    assert_one_line_error(invoke("verify", dataset, "-c", completions, "--workers", "0"),
                          "outs.jsonl:1:", "nested too deeply")


def test_deeply_nested_train_config_and_reward_spec(tmp_path):
    config = write(tmp_path, "train.yaml", "data: " + "[" * DEEP + "]" * DEEP)
    assert_one_line_error(invoke("train", config, "--dry-run"), "nested deeper than 64 levels")
    needs_serve()
    spec = write(tmp_path, "reward.yaml", "{a: " * DEEP)
    assert_one_line_error(invoke("serve", "--reward", spec), "nested deeper than 64 levels")


def test_yaml_alias_bomb_is_refused(tmp_path):
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 10) + "]" for k in range(1, 9)]
    spec = write(tmp_path, "mix.yaml", "\n".join(levels) + "\ntasks: [{task: sat}]\n")
    assert_one_line_error(invoke("generate", "--mix", spec, "-n", "2", "-o", tmp_path / "out"),
                          "more than 100,000 values")


# ----------------------------------------------------------------------------------- huge numbers
def test_five_thousand_digit_id(tmp_path, dataset):
    completions = write(tmp_path, "outs.jsonl", '{"id": %s, "completion": "x"}\n' % ("9" * 5000))
    assert_one_line_error(invoke("verify", dataset, "-c", completions, "--workers", "0"),
                          "outs.jsonl:1:", "5,000 digits")


def test_five_thousand_digit_seed_in_a_mixture(tmp_path):
    spec = write(tmp_path, "mix.yaml", f"seed: {'9' * 5000}\ntasks: [{{task: sat}}]\n")
    assert_one_line_error(invoke("generate", "--mix", spec, "-n", "2", "-o", tmp_path / "out"), "5,000 digits")


def test_long_quoted_input_is_cut_in_the_message(tmp_path, dataset):
    completions = write(tmp_path, "outs.jsonl", '{"id": %s, "completion": "x"}\n' % ("7" * 4000))
    line = assert_one_line_error(invoke("verify", dataset, "-c", completions, "--workers", "0"),
                                 "--skip-unknown")
    assert len(line) < 600


# ---------------------------------------------------------------------------- garbage datasets
def garbage(kind: str, root: Path) -> Path:
    folder = root / kind
    if kind == "parquet":
        write(folder, "train-00000-of-00001.parquet", os.urandom(3000))
    elif kind == "parquet-footer":  # the magic bytes, and a footer length pointing nowhere
        write(folder, "train-00000-of-00001.parquet", b"PAR1" + os.urandom(64) + b"\xff\xff\xff\x7fPAR1")
    elif kind == "jsonl":
        write(folder, "train.jsonl", b"\xff" + os.urandom(3000))  # never valid UTF-8 at line 1
    elif kind == "jsonl-types":
        write(folder, "train.jsonl", json.dumps({c: "hard" for c in (
            "id", "task", "family", "difficulty", "params", "seed", "index", "prompt", "answer", "problem",
            "effort", "fingerprint", "task_version", "synlog_version")}) + "\n")
    elif kind == "save_to_disk":
        write(folder, "dataset_info.json", "{not json")
        write(folder, "state.json", os.urandom(100))
        write(folder, "data-00000-of-00001.arrow", os.urandom(500))
    elif kind == "save_to_disk-deep":
        write(folder, "dataset_info.json", "{}")
        write(folder, "state.json", "[" * DEEP + "]" * DEEP)
    return folder


GARBAGE = ["parquet", "parquet-footer", "jsonl", "jsonl-types", "save_to_disk", "save_to_disk-deep"]
#: what each message says is wrong, and the fix it offers
FRAGMENTS = {"parquet": ("not a readable parquet file", "regenerate"),
             "parquet-footer": ("not a readable parquet file", "regenerate"),
             "jsonl": ("not UTF-8", "save the file as UTF-8"),
             "jsonl-types": ("not a synlog dataset", "regenerate"),
             "save_to_disk": ("damaged save_to_disk folder", "regenerate"),
             "save_to_disk-deep": ("damaged save_to_disk folder", "regenerate")}


@pytest.mark.parametrize("kind", GARBAGE)
@pytest.mark.parametrize("command", ["verify", "inspect", "export", "serve"])
def test_garbage_dataset_is_one_line(tmp_path, dataset, row_id, kind, command):
    folder = garbage(kind, tmp_path)
    if command == "verify":
        completions = write(tmp_path, "outs.jsonl", json.dumps({"id": row_id, "completion": "x"}))
        args = ["verify", folder, "-c", completions, "--workers", "0"]
    elif command == "inspect":
        args = ["inspect", folder]
    elif command == "export":
        args = ["export", folder, "--format", "verl", "-o", tmp_path / "exported"]
    else:
        needs_serve()
        args = ["serve", "--dataset", folder, "--port", "1"]  # the dataset is read before any bind
    assert_one_line_error(invoke(*args), *FRAGMENTS[kind])
    assert not (tmp_path / "exported").exists() or command != "export"


def test_empty_cells_in_a_parquet_dataset_are_named(tmp_path, dataset):
    import pyarrow.parquet as pq

    from synlog.datasets_out.io import read_dataset

    table = read_dataset(dataset)["train"]
    prompts = table.column("prompt").to_pylist()
    prompts[1] = None
    broken = table.set_column(table.schema.get_field_index("prompt"), "prompt", [prompts])
    (tmp_path / "nulls").mkdir()
    pq.write_table(broken, tmp_path / "nulls" / "train-00000-of-00001.parquet")
    assert_one_line_error(invoke("inspect", tmp_path / "nulls"), "column 'prompt'", "empty cells")


# --------------------------------------------------------------------------------------- serve
def test_serve_on_a_port_in_use(tmp_path):
    needs_serve()
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        assert_one_line_error(invoke("serve", "--port", port), f"port {port}", "already in use", "--port")


def test_serve_on_an_unresolvable_host():
    needs_serve()
    assert_one_line_error(invoke("serve", "--host", "no-such-host.invalid", "--port", "5099"),
                          "does not resolve", "127.0.0.1")


# --------------------------------------------------------------------------------------- train
@pytest.mark.parametrize(("text", "fragment"), [
    ("model: m\ndata: 5\n", "'data' must be a mapping"),
    ("model: m\ndata: [1, 2]\n", "'data' must be a mapping"),
    ("model: m\ndata: {task: arithmetic}\ngrpo: 5\n", "'grpo' must be a mapping"),
    ("model: m\ndata: {task: arithmetic}\nverifier: 5\n", "'verifier' must be a mapping"),
    ("model: m\ndata: {task: arithmetic}\nreward: 5\n", "'reward' must be a mapping"),
    ("model: m\ncurriculum: 5\n", "'curriculum' must be a mapping"),
    ("model: m\ndata: {task: arithmetic}\nseed: abc\n", "'seed' must be an integer"),
    ("model: [m]\ndata: {task: arithmetic}\n", "'model' must be text"),
    ("model: m\ndata: {task: arithmetic}\nreward: {length: {budgets: [1]}}\n", "reward.length.budgets maps levels"),
    ("model: m\ndata: {task: arithmetic}\nreward: {format: {weight: 1e400}}\n", "reward.format.weight must be a finite"),
    ("model: m\ndata: {task: arithmetic}\nreward: {length: {target: [1]}}\n", "reward.length.target must be a finite"),
])
def test_train_config_of_the_wrong_shape(tmp_path, text, fragment):
    config = write(tmp_path, "train.yaml", text)
    assert_one_line_error(invoke("train", config, "--dry-run"), fragment)


# ---------------------------------------------------------------------------------- output paths
@pytest.mark.parametrize("command", ["generate", "verify", "export"])
def test_output_name_over_255_characters(tmp_path, dataset, row_id, command):
    out = tmp_path / ("o" * 300)
    completions = write(tmp_path, "outs.jsonl", json.dumps({"id": row_id, "completion": "x"}))
    args = {"generate": ["generate", "--task", "sat", "-n", "2", "-o", out],
            "verify": ["verify", dataset, "-c", completions, "--workers", "0", "-o", out],
            "export": ["export", dataset, "--format", "verl", "-o", out]}[command]
    assert_one_line_error(invoke(*args), "300 bytes", "choose a shorter -o")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outs.jsonl"]


def test_generate_output_that_fits_only_without_work_suffixes(tmp_path):
    out = tmp_path / ("o" * 250)  # 250 bytes fit the file system, not with ".partial" and ".NAME.tmp-PID"
    assert_one_line_error(invoke("generate", "--task", "sat", "-n", "2", "-o", out), "at most 239")


@pytest.mark.parametrize("command", ["generate", "verify", "export"])
@pytest.mark.parametrize("target", ["/proc/synlog-out", "/proc/self/synlog-out"])
def test_output_under_proc(tmp_path, dataset, row_id, command, target):
    if not Path("/proc/self").is_dir():
        pytest.skip("no /proc on this system")
    completions = write(tmp_path, "outs.jsonl", json.dumps({"id": row_id, "completion": "x"}))
    args = {"generate": ["generate", "--task", "sat", "-n", "2", "-o", target],
            "verify": ["verify", dataset, "-c", completions, "--workers", "0", "-o", target],
            "export": ["export", dataset, "--format", "verl", "-o", target]}[command]
    assert_one_line_error(invoke(*args), "choose another -o")


def test_output_under_a_file_names_the_file(tmp_path):
    (tmp_path / "blocker").write_text("x")
    assert_one_line_error(invoke("generate", "--task", "sat", "-n", "2", "-o", tmp_path / "blocker" / "a" / "b"),
                          "blocker' is a file", "choose another -o")


# -------------------------------------------------------------------------------- YAML syntax
@pytest.mark.parametrize("command", ["generate", "serve", "train"])
def test_yaml_syntax_error_is_one_line_with_line_and_column(tmp_path, command):
    broken = write(tmp_path, "spec.yaml", "tasks:\n  - {task: sat, weight: 1\n  - {task: arithmetic}\n")
    if command == "generate":
        args = ["generate", "--mix", broken, "-n", "2", "-o", tmp_path / "out"]
    elif command == "serve":
        needs_serve()
        args = ["serve", "--reward", broken]
    else:
        args = ["train", broken, "--dry-run"]
    line = assert_one_line_error(invoke(*args), "spec.yaml:3:", "not valid YAML")
    assert "fix the file" in line


def test_json_syntax_error_is_one_line_with_line_and_column(tmp_path):
    spec = write(tmp_path, "mix.json", '{"tasks": [\n  {"task": "sat",}\n]}')
    assert_one_line_error(invoke("generate", "--mix", spec, "-n", "2", "-o", tmp_path / "out"),
                          "mix.json:2:", "not valid JSON")


def test_control_characters_from_a_file_cannot_break_the_line(tmp_path):
    config = write(tmp_path, "train.yaml", 'model: m\ndata: {task: arithmetic}\n"bad\\x1ekey\\u2028": 1\n')
    line = assert_one_line_error(invoke("train", config, "--dry-run"), "unknown key")
    assert "\\x1e" in line and "\\u2028" in line


# ------------------------------------------------------------------------- difficulty ranges
def test_huge_difficulty_range_is_refused_before_allocating(tmp_path):
    """'1..50000000' used to build a 50-million-element list (2 GB) before its error."""
    spec = write(tmp_path, "mix.yaml", "tasks:\n  - {task: sat, difficulty: '1..50000000'}\n")
    baseline = write(tmp_path, "ok.yaml", "tasks:\n  - {task: sat, difficulty: '11..12'}\n")
    peaks = []
    for path in (baseline, spec):
        process = subprocess.Popen([sys.executable, "-m", "synlog", "generate", "--mix", str(path), "-n", "2",
                                    "-o", str(tmp_path / "out")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        output = process.stdout.read().decode()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        assert process.returncode == 2 and "difficulty levels are integers 1..10" in output, output
        peaks.append(usage.ru_maxrss / 1024)
    assert peaks[1] < peaks[0] + 50, f"peak RSS {peaks[1]:.0f} MB against {peaks[0]:.0f} MB for a small range"


@pytest.mark.parametrize(("text", "fragment"), [
    ("[1, 2]\n", "a reward spec is a mapping"),
    ("length: {budgets: [1]}\n", "reward.length.budgets maps levels"),
    ("reward: {accuracy: {weight: 1e400}}\n", "reward.accuracy.weight must be a finite"),
])
def test_reward_spec_of_the_wrong_shape(tmp_path, text, fragment):
    needs_serve()
    spec = write(tmp_path, "reward.yaml", text)
    assert_one_line_error(invoke("serve", "--reward", spec, "--port", "1"), fragment)
