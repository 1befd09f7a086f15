"""The dataset card: a Hub-format YAML header that `huggingface_hub` parses and `datasets`
follows, the mixture and overrides recorded, a load snippet with the real path, and no link a
clone of synlog lacks."""

from __future__ import annotations

import datasets
import pytest
from huggingface_hub import DatasetCard

from synlog.synth import engine
from synlog.synth.plan import Component, Plan, parse_splits
from synlog.tasks.base import get_task


def mixture(n: int = 30) -> Plan:
    components = (Component("sat", 3, {"n_vars": 12}, 2.0, 20), Component("sudoku", 1, {}, 1.0, 10))
    return Plan(components, n, 5, parse_splits("train=0.8,test=0.2"), shuffle=True)


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "hf"])
def test_the_card_header_is_what_the_hub_reads(tmp_path, fmt):
    out = tmp_path / fmt
    engine.run(mixture(), out, fmt=fmt, workers=1)
    card = DatasetCard.load(out / "README.md")
    assert card.data.license == "apache-2.0"
    assert "text-generation" in card.data.task_categories
    assert {"synlog", "sat", "sudoku"} <= set(card.data.tags)
    assert card.data.size_categories == ["n<1K"]
    features = [f["name"] for f in card.data.dataset_info["features"]]
    assert features[:3] == ["id", "task", "family"] and "fingerprint" in features
    splits = {s["name"]: s["num_examples"] for s in card.data.dataset_info["splits"]}
    assert splits == {"train": 24, "test": 6}
    if fmt == "hf":
        assert getattr(card.data, "configs", None) is None  # save_to_disk: load_from_disk reads it
        return
    files = {f["split"]: f["path"] for f in card.data.configs[0]["data_files"]}
    assert set(files) == {"train", "test"}
    # the Hub loader follows the header: the splits come back with their sizes
    loaded = datasets.load_dataset(str(out))
    assert {name: len(split) for name, split in loaded.items()} == {"train": 24, "test": 6}


def test_the_card_records_the_mixture_and_the_real_path(tmp_path):
    out = tmp_path / "mix"
    engine.run(mixture(), out, workers=1, command="synlog generate --mix m.yaml -n 30")
    text = (out / "README.md").read_text()
    version = get_task("sat").version
    assert f"| sat | {version} | 3 | 2 |" in text and '{"n_vars": 12}' in text  # weight 2, override kept
    assert f'data_dir="{out}"' in text
    assert "DESIGN.md" not in text and "| `fingerprint` |" in text


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "hf"])
def test_chat_rows_carry_messages_that_load_back_in_every_format(tmp_path, fmt):
    from synlog.datasets_out.io import read_dataset

    out = tmp_path / fmt
    engine.run(mixture(), out, fmt=fmt, workers=1, chat=True, system_prompt="Answer inside <answer></answer>.")
    for table in read_dataset(out).values():
        for row in table.to_pylist():
            assert row["messages"] == [{"role": "system", "content": "Answer inside <answer></answer>."},
                                       {"role": "user", "content": row["prompt"]}]
    card = DatasetCard.load(out / "README.md")
    assert {"name": "messages", "list": [{"name": "role", "dtype": "string"}, {"name": "content", "dtype": "string"}]} \
        in card.data.dataset_info["features"]
    if fmt != "hf":
        loaded = datasets.load_dataset(str(out))
        assert loaded["train"][0]["messages"][1]["role"] == "user"


def test_without_chat_there_is_no_messages_column(tmp_path):
    from synlog.datasets_out.io import read_dataset

    engine.run(mixture(), tmp_path / "plain", workers=1)
    assert all("messages" not in t.column_names for t in read_dataset(tmp_path / "plain").values())
