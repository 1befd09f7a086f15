"""Overlap only when the user asks for it: `--exclude`, `unique=True` and the knob namespace.

Specification:
- `synlog generate --exclude DATASET` writes rows none of which shares a fingerprint or a
  normalised prompt with DATASET, and still delivers n rows; the card says what was excluded;
  a resumed run must exclude the same datasets;
- `synlog.generate(..., unique=True)` yields the rows `synlog generate` writes, `exclude=`
  drops a test set's problems from Python too;
- knob overrides live in `knobs={...}`: `n` is always the row count, even for tasks whose
  board size is a knob called `n`, and a stray keyword is a one-line error naming the fix.
"""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import synlog
from synlog.cli.main import cli
from synlog.datasets_out.io import read_dataset
from synlog.errors import OutputError, SynlogError
from synlog.synth import engine
from synlog.synth.decontaminate import Exclusion
from synlog.synth.example import prompt_key
from synlog.synth.plan import single_task_plan
from synlog.tasks import base
from synlog.tasks.base import Problem, Task, get_task
from synlog.verifiers.verdict import Verdict


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def test_set(tmp_path_factory):
    out = tmp_path_factory.mktemp("d") / "test"
    result = invoke("generate", "--task", "arithmetic", "-d", "2", "-n", "150", "--seed", "0", "-o", out, "-w", "1")
    assert result.exit_code == 0, result.output
    return out


def test_excluded_rows_share_no_problem_or_prompt_with_the_test_set(test_set, tmp_path):
    held = read_dataset(test_set)["train"]
    train = tmp_path / "train"
    # the same seed would reproduce the test set exactly: exclusion must skip all of it
    result = invoke("generate", "--task", "arithmetic", "-d", "2", "-n", "150", "--seed", "0",
                    "--exclude", test_set, "-o", train, "-w", "1")
    assert result.exit_code == 0, result.output
    rows = read_dataset(train)["train"]
    assert rows.num_rows == 150
    assert not set(rows.column("fingerprint").to_pylist()) & set(held.column("fingerprint").to_pylist())
    held_prompts = {prompt_key(p) for p in held.column("prompt").to_pylist()}
    assert not {prompt_key(p) for p in rows.column("prompt").to_pylist()} & held_prompts
    assert "Decontaminated" in (train / "README.md").read_text() and str(test_set) in (train / "README.md").read_text()


def test_a_prompt_that_differs_only_in_case_and_spacing_is_excluded(tmp_path):
    row = synlog.generate("arithmetic", 3, 1, seed=5)[0]
    foreign = tmp_path / "foreign.jsonl"
    foreign.write_text(json.dumps({"prompt": "  " + row["prompt"].upper().replace(" ", "\n ")}) + "\n")
    exclusion = Exclusion.load(foreign)
    assert exclusion.excludes(row)
    assert not exclusion.excludes(synlog.generate("arithmetic", 3, 2, seed=5)[1])


def test_chat_prompts_of_a_trainer_export_are_matched(tmp_path):
    row = synlog.generate("sudoku", 1, 1, seed=2)[0]
    table = pa.table({"prompt": [[{"role": "system", "content": "be brief"}, {"role": "user", "content": row["prompt"]}]]})
    pq.write_table(table, tmp_path / "verl.parquet")
    assert Exclusion.load(tmp_path / "verl.parquet").excludes(row)


def test_resuming_with_other_exclusions_is_refused(test_set, tmp_path):
    plan = single_task_plan("arithmetic", 2, 40, 1, {}, {"train": 1.0})
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        engine.run(plan, out, workers=1, shard_rows=10,
                   progress=_interrupt_after(15), exclude=Exclusion.load(test_set))
    with pytest.raises(OutputError, match="other options"):
        engine.run(plan, out, workers=1, resume=True)
    tables = engine.run(plan, out, workers=1, resume=True, exclude=Exclusion.load(test_set))
    assert tables["train"].num_rows == 40


def _interrupt_after(rows):
    seen = [0]

    def progress(k):
        seen[0] += k
        if seen[0] >= rows:
            raise KeyboardInterrupt

    return progress


def test_an_unreadable_exclusion_is_a_one_line_error(tmp_path):
    (tmp_path / "x.jsonl").write_text('{"question": "no prompt"}\n')
    for path in (tmp_path / "missing", tmp_path / "x.jsonl"):
        result = invoke("generate", "--task", "arithmetic", "-n", "5", "--exclude", path, "-o", tmp_path / "o")
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output
        assert str(path.name) in result.output


def test_unique_yields_the_rows_the_cli_writes(test_set):
    written = read_dataset(test_set)["train"].to_pylist()
    unique = list(synlog.generate("arithmetic", 2, 150, seed=0, unique=True))
    assert [r["fingerprint"] for r in unique] == [r["fingerprint"] for r in written]
    assert len({r["fingerprint"] for r in unique}) == 150


def test_exclude_from_python_leaves_out_the_test_set(test_set):
    held = set(read_dataset(test_set)["train"].column("fingerprint").to_pylist())
    rows = synlog.generate("arithmetic", 2, 50, seed=0, exclude=test_set)
    assert len(rows) == 50 and not {r["fingerprint"] for r in rows} & held


def test_n_is_the_row_count_and_the_board_size_goes_in_knobs():
    rows = synlog.generate("star_battle", 1, n=3, knobs={"n": 6})
    assert len(rows) == 3
    assert all(json.loads(r["params"])["n"] == 6 for r in rows)


@pytest.mark.parametrize("kwargs, fragment", [
    ({"size": 5}, "size= is spelt n="),
    ({"box": 3}, "knobs={'box': ...}"),
])
def test_a_stray_keyword_names_the_fix(kwargs, fragment):
    with pytest.raises(SynlogError, match="knob overrides go in knobs") as info:
        synlog.generate("sudoku", 1, 5, **kwargs)
    assert fragment in str(info.value)


class _TenProblems(Task):
    """Name a digit: ten problems in all."""

    name, family = "decontaminate_probe_ten", "math"

    def generate(self, rng, p):
        digit = int(rng.integers(0, 10))
        return Problem({"digit": digit}, str(digit))

    def prompt(self, problem, template=0, lang="en"):
        return f"Write {problem.data['digit']}.\n"

    def verify(self, problem, answer):
        return Verdict.ok() if answer.strip() == str(problem["digit"]) else Verdict.wrong()


def test_an_exhausted_unique_stream_says_so_without_scanning_forever(monkeypatch):
    monkeypatch.setitem(base._REGISTRY, _TenProblems.name, _TenProblems)
    get_task.cache_clear()
    try:
        rows = synlog.generate(_TenProblems.name, 1, 10**6, seed=0, unique=True)
        assert sorted(int(rows[i]["answer"]) for i in range(10)) == list(range(10))
        with pytest.raises(SynlogError, match="gave only 10 distinct"):
            rows[10]
    finally:
        get_task.cache_clear()
