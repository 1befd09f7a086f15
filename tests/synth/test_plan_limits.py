"""Mixture specs are validated before anything is allocated or computed from them."""

from __future__ import annotations

import tracemalloc

import pytest

from synlog.errors import InputFileError
from synlog.synth.plan import MAX_SEED, allocate, load_mixture, parse_levels
from synlog.tasks.knobs import shown


@pytest.mark.parametrize("text", ["1..50000000", "-50000000..3", "0..2", "3..11"])
def test_a_difficulty_range_out_of_1_to_10_is_refused_without_allocating(text):
    tracemalloc.start()
    try:
        with pytest.raises(InputFileError, match="difficulty levels are integers 1..10"):
            parse_levels(text, "mix.yaml: tasks[1]")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100_000, f"{peak} bytes allocated to refuse {text!r}"


def test_ranges_and_lists_of_levels():
    assert parse_levels("2..4", "x") == [2, 3, 4]
    assert parse_levels([1, 10], "x") == [1, 10]
    with pytest.raises(InputFileError, match="is empty"):
        parse_levels("5..3", "x")


def test_allocate_survives_weights_at_the_float_limits():
    assert allocate(10, [1e308, 1e308]) == [5, 5]
    assert allocate(3, [5e-324, 1e-300]) == [0, 3]
    assert sum(allocate(7, [1.7e308, 1.7e308, 1.0])) == 7


def mixture(tmp_path, text):
    path = tmp_path / "mix.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("seed", ["abc", "-5", "[1]", "true", "2.5", str(MAX_SEED + 1)])
def test_a_mixture_seed_must_be_an_int64_that_is_not_negative(tmp_path, seed):
    with pytest.raises(InputFileError, match="seed must be an integer from 0 to"):
        load_mixture(mixture(tmp_path, f"seed: {seed}\ntasks: [{{task: sat}}]\n"), 5, None, {"train": 1.0})


def test_the_command_line_seed_wins_over_a_bad_file_seed_only_when_given(tmp_path):
    path = mixture(tmp_path, "seed: 9\ntasks: [{task: sat}]\n")
    assert load_mixture(path, 5, None, {"train": 1.0}).seed == 9
    assert load_mixture(path, 5, 4, {"train": 1.0}).seed == 4


@pytest.mark.parametrize("weight", [".nan", ".inf", "-1", "0", "'2'", "true", "1" + "0" * 400])
def test_a_weight_must_be_a_positive_finite_number(tmp_path, weight):
    with pytest.raises(InputFileError, match=r"weight|finite"):
        load_mixture(mixture(tmp_path, f"tasks: [{{task: sat, weight: {weight}}}]\n"), 5, None, {"train": 1.0})


def test_user_values_are_quoted_short():
    assert len(shown("x" * 10_000)) <= 60
    assert shown(10**5000).startswith("an integer of about")


def test_a_list_names_levels_and_a_min_max_mapping_is_a_range():
    assert parse_levels([3, 5], "x") == [3, 5]
    assert parse_levels({"min": 3, "max": 5}, "x") == [3, 4, 5]
    with pytest.raises(InputFileError, match="min: LO, max: HI"):
        parse_levels({"from": 3}, "x")
    with pytest.raises(InputFileError, match="1..10"):
        parse_levels({"min": 0, "max": 5}, "x")
