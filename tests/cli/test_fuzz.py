"""Fuzzing the command line: whatever bytes, nesting and option values a user passes, synlog
answers with exit 0 or 2 (a one-line error, or click's usage message), never a traceback, and
no input makes it allocate much more than its size.

Most examples run in-process through click's CliRunner (fast); the memory property needs a
process of its own, so those examples run ``python -m synlog`` in a subprocess and read its
peak RSS from ``os.wait4``. The default run keeps to a few dozen examples (under a minute);
``-m slow`` runs the same properties with many more.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from synlog.cli.main import cli
from synlog.datasets_out.io import read_dataset

#: click's exit codes for a usage error and for a ClickException (synlog's one-line errors)
ALLOWED_EXIT_CODES = {0, 2}
#: a fuzzed command may use at most this much more memory than a plain `synlog inspect`
RSS_HEADROOM_MB = 256
#: address-space guard of the memory subprocesses (soft limit): a runaway allocation fails
#: fast there instead of pushing the machine into swap; the RSS bound is the assertion
ADDRESS_SPACE_GUARD = 8 << 30

FAST = settings(max_examples=200, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
LONG = settings(max_examples=1500, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FAST_MEMORY = settings(FAST, max_examples=25)
LONG_MEMORY = settings(LONG, max_examples=150)

KEYS = ["tasks", "task", "weight", "difficulty", "set", "seed", "reward", "accuracy", "format",
        "length", "mode", "budgets", "weight", "data", "model", "curriculum", "grpo", "verifier",
        "n", "path", "id", "completion", "completions", "n_vars", "ratio", "magnitude", "output_dir"]
WORDS = ["sat", "arithmetic", "sudok", "1..3", "2..50000000", "-3..2", "abc", "..", "-5", "1e999",
         "NaN", ".inf", "", " ", "\x00", "é", "laser", "group", "train", "0"]

leaf = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.integers(-3, 12),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12), st.sampled_from(WORDS),
)
value = st.recursive(leaf, lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner, max_size=4),
                     max_leaves=16)
knob_values = st.one_of(st.integers(0, 24), st.floats(0, 6), st.sampled_from(WORDS), st.lists(st.integers(0, 20), max_size=3))
mixture = st.fixed_dictionaries(
    {"tasks": st.lists(st.fixed_dictionaries(
        {"task": st.sampled_from(["sat", "arithmetic", "nope"]) | leaf},
        optional={"weight": st.integers(1, 5) | leaf,
                  "difficulty": st.integers(1, 10) | st.sampled_from(["1..3", "2..50000000", "0..2"]) | leaf
                  | st.lists(st.integers(0, 11) | leaf, max_size=3),
                  "set": st.dictionaries(st.sampled_from(["n_vars", "ratio", "magnitude", "colour"]), knob_values, max_size=2),
                  "colour": leaf}), min_size=1, max_size=3) | leaf},
    optional={"seed": leaf},
)
train_config = st.fixed_dictionaries(
    {"model": st.just("m") | leaf},
    optional={"data": st.just({"task": "arithmetic"}) | value, "curriculum": value, "reward": value,
              "verifier": value, "grpo": value, "seed": leaf, "output_dir": leaf},
)
reward_spec = st.dictionaries(st.sampled_from(["accuracy", "format", "length", "reward"]),
                              st.dictionaries(st.sampled_from(["weight", "mode", "target", "budgets", "unit",
                                                               "tolerance", "partial_credit"]), value, max_size=3)
                              | value, max_size=3)


def render(document, style: str) -> bytes:
    if style == "json":
        return json.dumps(document).encode()  # NaN and Infinity literals included
    return yaml.safe_dump(document, allow_unicode=True).encode()


@st.composite
def file_bytes(draw, shape=value):
    """The bytes of a user file: a document (YAML/JSON) or garbage, possibly damaged."""
    kind = draw(st.sampled_from(["document", "document", "bytes", "nested", "damaged"]))
    if kind == "bytes":
        return draw(st.binary(max_size=400))
    if kind == "nested":
        depth = draw(st.integers(1, 20_000))
        opener = draw(st.sampled_from(["[", "{a: ", "- ", "[{\"a\": "]))
        return (opener * depth).encode() + draw(st.binary(max_size=8))
    text = render(draw(shape), draw(st.sampled_from(["json", "yaml"])))
    if kind == "damaged" and text:
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.binary(max_size=6)) + text[cut + draw(st.integers(0, 4)):]
    return text


@st.composite
def jsonl_bytes(draw, ids: list[str]):
    """A completions or dataset JSONL file: lines of documents, real ids, garbage."""
    lines = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["completion", "completion", "document", "bytes", "bigint"]))
        if kind == "completion":
            record = {"id": draw(st.sampled_from(ids) | leaf), "completion": draw(st.text(max_size=40) | leaf)}
            lines.append(json.dumps(record).encode())
        elif kind == "document":
            lines.append(json.dumps(draw(value)).encode())
        elif kind == "bigint":
            lines.append(b'{"id": ' + b"9" * draw(st.integers(4000, 6000)) + b', "completion": "x"}')
        else:
            lines.append(draw(st.binary(max_size=80)))
    return b"\n".join(lines)


@pytest.fixture(scope="module")
def small_dataset(tmp_path_factory) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("fuzz") / "arith"
    result = CliRunner().invoke(cli, ["generate", "--task", "arithmetic", "-n", "6", "-o", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    ids = [r["id"] for t in read_dataset(out).values() for r in t.to_pylist()]
    return out, ids


@pytest.fixture(scope="module")
def held_port():
    """A port something already listens on (every interface), so `synlog serve` never starts."""
    with socket.socket() as holder:
        holder.bind(("0.0.0.0", 0))
        holder.listen()
        yield holder.getsockname()[1]


ROOT = "@ROOT@"  # stands for the example's own temporary folder in drawn arguments and files


def dataset_variant(draw, files: dict[str, bytes], real: Path) -> str:
    """A dataset argument: a real dataset, garbage in each layout, or a path that is not one."""
    kind = draw(st.sampled_from(["real", "parquet", "jsonl", "jsonl-docs", "hf", "file", "missing", "empty"]))
    if kind == "real":
        return str(real)
    if kind == "missing":
        return f"{ROOT}/no-such-dataset"
    if kind == "parquet":
        files["dataset/train-00000-of-00001.parquet"] = draw(st.binary(max_size=300))
    elif kind == "jsonl":
        files["dataset/train.jsonl"] = draw(st.binary(max_size=300))
    elif kind == "jsonl-docs":
        files["dataset/train.jsonl"] = b"\n".join(render(draw(value), "json") for _ in range(3))
    elif kind == "hf":
        files["dataset/dataset_info.json"] = draw(file_bytes())
        files["dataset/state.json"] = draw(file_bytes())
        files["dataset/data-00000-of-00001.arrow"] = draw(st.binary(max_size=300))
    elif kind == "file":
        name = f"data{draw(st.sampled_from(['.parquet', '.jsonl', '.txt']))}"
        files[name] = draw(st.binary(max_size=300))
        return f"{ROOT}/{name}"
    else:
        files["dataset/"] = b""
    return f"{ROOT}/dataset"


def output_variant(draw, files: dict[str, bytes]) -> str:
    kind = draw(st.sampled_from(["fresh", "fresh", "long", "under-file", "proc", "existing-file"]))
    if kind == "long":
        return f"{ROOT}/" + "o" * draw(st.integers(200, 400))
    if kind == "under-file":
        files["blocker"] = b"x"
        return f"{ROOT}/blocker/out"
    if kind == "proc":
        return "/proc/synlog-fuzz/out"
    if kind == "existing-file":
        files["taken"] = b"x"
        return f"{ROOT}/taken"
    return f"{ROOT}/out"


@st.composite
def invocation(draw, real: Path, ids: list[str], port: int) -> tuple[list[str], dict[str, bytes]]:
    """(arguments, files to write under ROOT) of one synlog command with fuzzed files and options."""
    files: dict[str, bytes] = {}
    command = draw(st.sampled_from(["generate-mix", "generate-task", "verify", "inspect", "export", "train", "serve"]))
    spec = f"input{draw(st.sampled_from(['.yaml', '.json', '.yml', '']))}"
    if command == "generate-mix":
        files[spec] = draw(file_bytes(mixture | value))
        args = ["generate", "--mix", f"{ROOT}/{spec}", "-n", str(draw(st.integers(1, 4))), "--workers", "1"]
        if draw(st.booleans()):
            args += ["--seed", draw(st.sampled_from(["0", "7", "-1", "abc", str(2**64)]))]
        args += ["-o", output_variant(draw, files)]
    elif command == "generate-task":
        args = ["generate", "--task", draw(st.sampled_from(["sat", "arithmetic", "sudok", ""]) | st.text(max_size=8)),
                "-n", draw(st.sampled_from(["1", "3", "0", "-2", "x"])), "--workers", "1",
                "-d", draw(st.sampled_from(["1", "2", "10", "11", "0", "one"]))]
        for _ in range(draw(st.integers(0, 2))):
            name = draw(st.sampled_from(["n_vars", "ratio", "magnitude", "colour", ""]))
            args += ["--set", f"{name}={draw(knob_values)}" if draw(st.booleans()) else name]
        if draw(st.booleans()):
            args += ["--split", draw(st.sampled_from(["train=0.5,test=0.5", "train=1", "a=0.5", "=1", "train=nan"])
                                     | st.text(max_size=12))]
        if draw(st.booleans()):
            args += ["--format", draw(st.sampled_from(["parquet", "jsonl", "hf", "csv"]))]
        args += ["-o", output_variant(draw, files)]
    elif command == "verify":
        files["outs.jsonl"] = draw(jsonl_bytes(ids))
        args = ["verify", dataset_variant(draw, files, real), "-c", f"{ROOT}/outs.jsonl", "--workers", "0"]
        if draw(st.booleans()):
            args += ["-o", output_variant(draw, files), "--format", draw(st.sampled_from(["parquet", "jsonl"]))]
        if draw(st.booleans()):
            args += ["--skip-unknown"]
    elif command == "inspect":
        args = ["inspect", dataset_variant(draw, files, real), "--limit", draw(st.sampled_from(["1", "0", "x"]))]
        if draw(st.booleans()):
            args += ["--split", draw(st.sampled_from(["train", "test", ""]))]
        if draw(st.booleans()):
            args += ["--json"]
    elif command == "export":
        args = ["export", dataset_variant(draw, files, real), "--format", draw(st.sampled_from(["verl", "openrlhf"])),
                "-o", output_variant(draw, files)]
    elif command == "train":
        files[spec] = draw(file_bytes(train_config | value))
        args = ["train", f"{ROOT}/{spec}", "--dry-run"]
    else:
        files[spec] = draw(file_bytes(reward_spec | value))
        args = ["serve", "--reward", f"{ROOT}/{spec}", "--port", str(port), "-w", "1",
                "--host", draw(st.sampled_from(["127.0.0.1", "0.0.0.0", "no.such.host.invalid", "999.1.1.1",
                                                "host name", "\x00", "a" * 300]))]
        if draw(st.booleans()):
            args += ["--dataset", dataset_variant(draw, files, real)]
    return args, files


def materialise(drawn: tuple[list[str], dict[str, bytes]]) -> tuple[Path, list[str]]:
    """Write the drawn files into a fresh temporary folder; return it and the real arguments."""
    args, files = drawn
    root = Path(tempfile.mkdtemp(prefix="synlog-fuzz-"))
    for name, content in files.items():
        target = root / name
        if name.endswith("/"):
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return root, [a.replace(ROOT, str(root)) for a in args]


def check_answer(exit_code: int, output: str, args: list[str]) -> None:
    shown = [a if len(a) < 80 else a[:77] + "..." for a in args]
    assert exit_code in ALLOWED_EXIT_CODES, (shown, output[-3000:])
    assert "Traceback" not in output, (shown, output[-3000:])
    if exit_code == 2 and "Usage:" not in output:
        errors = [line for line in output.splitlines() if line.strip()]
        assert len(errors) == 1 and errors[0].startswith("Error: "), (shown, output[-3000:])


def fuzz_in_process(data, small_dataset, held_port) -> None:
    real, ids = small_dataset
    root, args = materialise(data.draw(invocation(real, ids, held_port)))
    try:
        result = CliRunner().invoke(cli, args)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"{args}: {type(result.exception).__name__}: {result.exception}") from result.exception
        check_answer(result.exit_code, result.output, args)
        event(f"{args[0]} exit {result.exit_code}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


@FAST
@given(data=st.data())
def test_no_input_reaches_the_user_as_a_traceback(data, small_dataset, held_port):
    fuzz_in_process(data, small_dataset, held_port)


@pytest.mark.slow
@LONG
@given(data=st.data())
def test_no_input_reaches_the_user_as_a_traceback_long(data, small_dataset, held_port):
    fuzz_in_process(data, small_dataset, held_port)


def run_measured(args: list[str], timeout: float = 120) -> tuple[int, str, float]:
    """(exit code, output, peak RSS in MB) of ``python -m synlog ARGS`` in its own process.

    ``os.wait4`` reaps the process and reports the peak RSS of it and of the children it
    waited for (verifier workers included).
    """

    def guard() -> None:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = ADDRESS_SPACE_GUARD if hard == resource.RLIM_INFINITY else min(ADDRESS_SPACE_GUARD, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))

    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen([sys.executable, "-m", "synlog", *args], stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, preexec_fn=guard)
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return process.returncode, text, usage.ru_maxrss / 1024


@pytest.fixture(scope="module")
def baseline_rss(small_dataset) -> float:
    """Peak RSS of an ordinary command that reads a dataset (imports pyarrow, datasets, tasks)."""
    code, text, peak = run_measured(["inspect", str(small_dataset[0])])
    assert code == 0, text
    return peak


def fuzz_memory(data, small_dataset, held_port, baseline_rss) -> None:
    real, ids = small_dataset
    drawn = data.draw(invocation(real, ids, held_port))
    assume(not any("\x00" in a for a in drawn[0]))  # exec cannot pass a NUL; the in-process test covers it
    root, args = materialise(drawn)
    try:
        code, text, peak = run_measured(args)
        check_answer(code, text, args)
        assert peak <= baseline_rss + RSS_HEADROOM_MB, (args, f"peak RSS {peak:.0f} MB vs baseline {baseline_rss:.0f} MB")
    finally:
        shutil.rmtree(root, ignore_errors=True)


@FAST_MEMORY
@given(data=st.data())
def test_no_input_allocates_more_than_its_size_warrants(data, small_dataset, held_port, baseline_rss):
    fuzz_memory(data, small_dataset, held_port, baseline_rss)


@pytest.mark.slow
@LONG_MEMORY
@given(data=st.data())
def test_no_input_allocates_more_than_its_size_warrants_long(data, small_dataset, held_port, baseline_rss):
    fuzz_memory(data, small_dataset, held_port, baseline_rss)
