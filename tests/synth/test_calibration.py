"""Measured pass rates (synlog/synth/calibration.py).

Specification:
- ``record`` turns an eval run's summary into a reference entry ([correct, n] per task and
  level) and keeps other references;
- ``start_level`` picks the measured level inside the band nearest its middle, else the level
  nearest the band, and None for an unmeasured task; a bad band or unknown model says so;
- the shipped data is well formed, and ``synlog tasks show`` prints it;
- a ``synlog train`` curriculum can start from a reference model, and a wrong one is refused.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from synlog.cli.main import cli
from synlog.synth import calibration
from synlog.synth.calibration import CalibrationError, record, start_level

SUMMARY = {"by_task_difficulty": [
    {"task": "arithmetic", "difficulty": 1, "n": 4, "accuracy": 1.0},
    {"task": "arithmetic", "difficulty": 3, "n": 4, "accuracy": 0.5},
    {"task": "arithmetic", "difficulty": 5, "n": 4, "accuracy": 0.25},
    {"task": "arithmetic", "difficulty": 7, "n": 4, "accuracy": 0.0},
    {"task": "sudoku", "difficulty": 1, "n": 4, "accuracy": 0.0},
    {"task": "sudoku", "difficulty": 3, "n": 4, "accuracy": 0.0},
    {"task": "zebra", "difficulty": 1, "n": 4, "accuracy": 1.0},
    {"task": "zebra", "difficulty": 5, "n": 4, "accuracy": 0.0}],
    "sampling": {"k": 1, "max_tokens": 64, "temperature": 0.0}}


@pytest.fixture
def measured(tmp_path, monkeypatch):
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps({"references": {"Other": {"date": "2026-01-01", "backend": "x", "k": 1,
                                                          "max_tokens": 8, "rates": {}}}}))
    record(SUMMARY, "Tiny", {"date": "2026-12-02", "backend": "transformers, CPU"}, path)
    monkeypatch.setattr(calibration, "DATA", path)
    monkeypatch.setattr(calibration, "_load", lambda: json.loads(path.read_text()))
    return path


def test_record_keeps_counts_per_cell_and_other_references(measured):
    document = json.loads(measured.read_text())
    assert set(document["references"]) == {"Other", "Tiny"}
    entry = document["references"]["Tiny"]
    assert entry["rates"]["arithmetic"] == {"1": [4, 4], "3": [2, 4], "5": [1, 4], "7": [0, 4]}
    assert entry["k"] == 1 and entry["max_tokens"] == 64 and entry["date"] == "2026-12-02"


def test_start_level_follows_the_band(measured):
    assert start_level("arithmetic", "Tiny", (0.2, 0.8)) == 3  # 0.5: the band's middle
    assert start_level("arithmetic", "Tiny", (0.1, 0.3)) == 5  # 0.25
    assert start_level("sudoku", "Tiny", (0.2, 0.8)) == 1      # nothing inside: nearest, lower on a tie
    assert start_level("zebra", "Tiny", (0.3, 0.7)) == 1       # 1.0 and 0.0 are as far: the lower
    assert start_level("zebra", "Tiny", (0.0, 0.1)) == 5
    assert start_level("maze", "Tiny") is None
    with pytest.raises(CalibrationError, match="known: Other, Tiny"):
        start_level("arithmetic", "Nope")
    with pytest.raises(CalibrationError, match="band"):
        start_level("arithmetic", "Tiny", (0.8, 0.2))


def test_tasks_show_prints_the_measured_rates(measured):
    output = CliRunner().invoke(cli, ["tasks", "show", "arithmetic"]).output
    assert "measured pass rates: Tiny (2026-12-02, transformers, CPU, k=1, max 64 tokens): L1 1.00 (n=4)" in output
    assert "L3 0.50 (n=4)" in output
    assert "none yet" in CliRunner().invoke(cli, ["tasks", "show", "maze"]).output


def test_a_curriculum_starts_where_the_reference_model_is_in_the_band(measured):
    from synlog.trainer_bridge.train import TrainConfigError, _check_start, start_levels

    assert start_levels({"reference": "Tiny", "band": [0.2, 0.8]}, ["arithmetic", "sudoku", "maze"]) == {
        "arithmetic": 3, "sudoku": 1, "maze": 1}
    assert start_levels(2, ["arithmetic"]) == 2
    with pytest.raises(TrainConfigError, match="no measured pass rates for reference model 'Nope'"):
        _check_start({"reference": "Nope"})
    with pytest.raises(TrainConfigError, match="unknown key"):
        _check_start({"reference": "Tiny", "bnd": [0, 1]})
    with pytest.raises(TrainConfigError, match=r"band must be \[low, high\]"):
        _check_start({"reference": "Tiny", "band": "wide"})


def test_the_shipped_data_is_well_formed():
    for name, entry in calibration.references().items():
        assert {"date", "backend", "k", "max_tokens", "rates"} <= set(entry), name
        for task, levels in entry["rates"].items():
            for level, (correct, n) in levels.items():
                assert 1 <= int(level) <= 10 and 0 <= correct <= n and n > 0, (name, task, level)
