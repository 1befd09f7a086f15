"""`--mix` with dataset folders: imported (or generated) rows as weighted components."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from synlog.datasets_out.io import read_dataset
from synlog.datasets_out.schema import row_source, rows_to_table
from synlog.errors import GenerationError, InputFileError, OutputError
from synlog.synth import engine
from synlog.synth.example import fingerprint
from synlog.synth.plan import load_mixture
from synlog.synth.seeding import canonical_json


def foreign_folder(folder, n, source="gsm8k", start=0):
    """A folder of n math_answer-shaped rows as `synlog import` writes them (distinct questions)."""
    rows = []
    for i in range(start, start + n):
        problem = {"question": f"What is {i} + 1?", "answer": f"#### {i + 1}", "kind": "number"}
        text = canonical_json(problem)
        rows.append({"id": f"{source}-{i}", "task": "arithmetic", "family": "math", "difficulty": 0, "params": "{}",
                     "seed": 0, "index": i, "prompt": problem["question"], "answer": str(i + 1), "problem": text,
                     "effort": 0.0, "fingerprint": fingerprint("arithmetic", text), "task_version": 1,
                     "synlog_version": "0", "source": source, "source_index": i})
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(rows_to_table(rows), folder / "train-00000-of-00001.parquet")
    return rows


def spec(tmp_path, text):
    path = tmp_path / "mix.yaml"
    path.write_text(text)
    return path


def test_dataset_component_rows_keep_their_source_and_mix_with_generated_rows(tmp_path):
    foreign_folder(tmp_path / "gsm", 40)
    plan = load_mixture(spec(tmp_path, "tasks:\n - task: sudoku\n   weight: 1\n - dataset: gsm\n   weight: 3\n"),
                        40, 5, {"train": 1.0})
    tables = engine.run(plan, tmp_path / "out", workers=1)
    table = tables["train"]
    sources = [row_source(r) for r in table.to_pylist()]
    assert sources.count("gsm8k") == 30 and sources.count("sudoku") == 10
    assert table.column("source_index").null_count == 10  # generated rows have no source index
    back = read_dataset(tmp_path / "out")["train"]
    assert back.column("source").to_pylist() == table.column("source").to_pylist()
    card = (tmp_path / "out" / "README.md").read_text()
    assert "arithmetic (gsm8k)" in card and "30 of its 40 rows" in card


def test_the_draw_is_fixed_by_the_seed_and_never_repeats_a_row(tmp_path):
    foreign_folder(tmp_path / "gsm", 50)
    path = spec(tmp_path, "tasks:\n - dataset: gsm\n")
    first = engine.run(load_mixture(path, 20, 1, {"train": 1.0}), tmp_path / "a", workers=1)["train"]
    again = engine.run(load_mixture(path, 20, 1, {"train": 1.0}), tmp_path / "b", workers=1)["train"]
    other = engine.run(load_mixture(path, 20, 2, {"train": 1.0}), tmp_path / "c", workers=1)["train"]
    ids = first.column("id").to_pylist()
    assert ids == again.column("id").to_pylist() and len(set(ids)) == 20
    assert set(ids) != set(other.column("id").to_pylist())


def test_asking_more_rows_than_the_folder_holds_is_refused_up_front(tmp_path):
    foreign_folder(tmp_path / "gsm", 10)
    with pytest.raises(InputFileError, match="holds 10 rows, but its weight asks for 15"):
        load_mixture(spec(tmp_path, "tasks:\n - dataset: gsm\n"), 15, 0, {"train": 1.0})


def test_bad_dataset_entries_name_the_entry(tmp_path):
    foreign_folder(tmp_path / "gsm", 10)
    for text, message in [("tasks:\n - dataset: nowhere\n", "tasks\\[1\\]: no dataset at"),
                          ("tasks:\n - dataset: gsm\n   split: test\n", "has no split 'test'"),
                          ("tasks:\n - dataset: gsm\n   difficulty: 3\n", "unknown keys \\['difficulty'\\]"),
                          ("tasks:\n - dataset: 7\n", "is the path of a synlog dataset folder")]:
        with pytest.raises(InputFileError, match=message):
            load_mixture(spec(tmp_path, text), 5, 0, {"train": 1.0})


def test_rows_shared_with_a_generated_component_are_kept_once(tmp_path):
    # the folder holds rows that the arithmetic component also generates: dedup by fingerprint
    generated = engine.run(load_mixture(spec(tmp_path, "tasks:\n - task: arithmetic\n"), 30, 0, {"train": 1.0}),
                           tmp_path / "gen", workers=1)["train"]
    copy = [dict(r, source="copy", source_index=i) for i, r in enumerate(generated.to_pylist())]
    (tmp_path / "copy").mkdir()
    pq.write_table(rows_to_table(copy), tmp_path / "copy" / "train.parquet")
    path = spec(tmp_path, "tasks:\n - task: arithmetic\n - dataset: copy\n")
    with pytest.raises(GenerationError, match="has only .* distinct rows"):
        engine.run(load_mixture(path, 40, 0, {"train": 1.0}), tmp_path / "mixed", workers=1)


def test_resume_refuses_a_folder_whose_rows_changed(tmp_path):
    foreign_folder(tmp_path / "gsm", 30)
    path = spec(tmp_path, "tasks:\n - dataset: gsm\n")
    plan = load_mixture(path, 20, 0, {"train": 1.0})
    partial = tmp_path / "out.partial"
    partial.mkdir()
    (partial / "state.json").write_text(json.dumps({"plan_key": "x", "components": [{"rows": 0, "next_index": 0, "shards": 0}]}))
    with pytest.raises(OutputError, match="belongs to a run with other options"):
        engine.run(plan, tmp_path / "out", workers=1, resume=True)
    foreign_folder(tmp_path / "gsm", 30, start=100)
    assert load_mixture(path, 20, 0, {"train": 1.0}).to_json() != plan.to_json()


def test_a_split_left_empty_by_rounding_is_an_empty_split_not_a_crash(tmp_path):
    # found by the CLI fuzz: one row over two splits gives the second none (an empty take)
    tables = engine.run(load_mixture(spec(tmp_path, "tasks:\n - task: sat\n"), 1, 0, {"train": 0.5, "test": 0.5}),
                        tmp_path / "out", workers=1)
    assert {split: t.num_rows for split, t in tables.items()} == {"train": 1, "test": 0}
    assert read_dataset(tmp_path / "out")["test"].num_rows == 0
