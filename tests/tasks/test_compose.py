"""Composed tasks (synlog/tasks/compose.py) and the compositional split.

Specification:
- every composition registers a task ``first+second`` that the whole contract suite sees;
- the fed value is part 1's answer, re-derived here without the generator (sympy solves the
  equation, exact Fractions evaluate the expression), and it is the second problem's value;
- the prompt never states the fed value: part 2 shows the symbol in its place;
- answering part 2 for another value, answering part 1, or echoing the value scores 0;
- ``--split compose:train=A,B;test=A+B`` trains the parts at the levels the composition uses,
  tests the composition, and keeps every part-1 problem of a test row out of the training rows.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction

import pytest
import sympy
from click.testing import CliRunner

from synlog.cli.main import cli
from synlog.datasets_out.io import read_dataset
from synlog.synth.example import fingerprint, make_row, regenerate
from synlog.tasks.base import all_tasks, get_task
from synlog.tasks.compose import COMPOSITIONS
from synlog.tasks.math.base_conversion import to_digits
from synlog.tasks.math.game_of_24 import render_tree, solve

COMPOSED = [c.name for c in COMPOSITIONS]


def rows(name: str, level: int, n: int, **wording) -> list[dict]:
    spec = {**get_task(name).knobs.resolve(level), **wording}
    return [make_row(name, level, spec, 11, i) for i in range(n)]


def part_one_value(problem: dict) -> Fraction:
    """Part 1's answer, worked out here from the first problem's text."""
    first = problem["first"]
    if first["task"] == "linear_equations":
        equations = [[sympy.sympify(re.sub(r"(\d)([a-z])", r"\1*\2", side)) for side in e.split("=")]
                     for e in first["data"]["equations"]]
        solution = sympy.solve([sympy.Eq(left, right) for left, right in equations], dict=True)
        (only,) = solution
        x = only[sympy.Symbol("x")]
        return Fraction(int(x.p), int(x.q))
    if first["task"] == "matrix_determinant":
        return Fraction(int(sympy.Matrix(first["data"]["matrix"]).det(method="berkowitz")))
    expression = first["data"]["expression"]
    value = sympy.sympify(expression.replace("^", "**"), rational=True)
    return Fraction(int(value.p), int(value.q))


def shown_numbers(data, skip: str) -> set[str]:
    """Every run of digits the second problem's own data holds (the fed field left out)."""
    if isinstance(data, dict):
        return set().union(*(shown_numbers(v, skip) for k, v in data.items() if k != skip))
    if isinstance(data, list):
        return set().union(*(shown_numbers(v, skip) for v in data))
    return set(re.findall(r"\d+", str(data)))


def test_every_composition_is_a_registered_task():
    for name in COMPOSED:
        assert name in all_tasks() and get_task(name).family == "math"


@pytest.mark.parametrize("name", COMPOSED)
def test_the_fed_value_is_part_ones_answer(name):
    for row in rows(name, 3, 50):
        problem = json.loads(row["problem"])
        field = next(c.field for c in COMPOSITIONS if c.name == name)
        assert part_one_value(problem) == problem["value"] == problem["second"]["data"][field]
        assert get_task(name).verify(problem, row["answer"]).score == 1.0


@pytest.mark.parametrize("name", COMPOSED)
def test_the_prompt_never_states_the_fed_value(name):
    for lang in ("en", "zh"):
        for row in rows(name, 4, 12, template=4, lang=lang):
            problem = json.loads(row["problem"])
            second = row["prompt"].split("## " + ("规则" if lang == "zh" else "Rules"))[0]
            second = second.split("Part 2." if lang == "en" else "第 2 部分：")[1]
            assert re.search(r"(?<![A-Za-z])N(?![A-Za-z])", second), second
            field = next(c.field for c in COMPOSITIONS if c.name == name)
            shown = set(re.findall(r"\d+", second)) - shown_numbers(problem["second"]["data"], field) - {"2"}
            assert str(problem["value"]) not in shown, second


TO_24 = [c.name for c in COMPOSITIONS if c.second == "game_of_24"]
TO_BASE = [c.name for c in COMPOSITIONS if c.second == "base_conversion"]


@pytest.mark.parametrize("name", TO_BASE)
def test_the_number_written_in_a_wrong_base_scores_zero(name):
    """Part 2 answered for N - 1, N + 1 or base 10 (part 1 skipped), part 1's answer, or N."""
    task, checked = get_task(name), 0
    for row in rows(name, 3, 30):
        problem = json.loads(row["problem"])
        value, base = int(problem["second"]["data"]["value"]), problem["value"]
        for other in {base - 1, base + 1, 10} - {base}:
            if 2 <= other <= 36:
                assert task.verify(problem, to_digits(value, other)).score == 0.0, (row["id"], other)
                checked += 1
        for hedge in (problem["first"]["answer"], str(base), f"{row['answer']} or {to_digits(value, base + 1)}"):
            assert task.verify(problem, hedge).score == 0.0, (row["id"], hedge)
        assert task.verify(problem, row["answer"]).score == 1.0
    assert checked >= 60


@pytest.mark.parametrize("name", TO_24)
def test_wrong_part_one_answers_score_zero(name):
    task, checked = get_task(name), 0
    for row in rows(name, 3, 30):
        problem = json.loads(row["problem"])
        numbers, value = problem["second"]["data"]["numbers"], problem["value"]
        for other in (value - 1, value + 1, value + 2):  # part 2 solved for a wrong N
            if other > 0 and solve(numbers, other)[0]:
                expression = render_tree(solve(numbers, other)[2].build(tuple(numbers), other))
                assert task.verify(problem, expression).score == 0.0
                assert task.verify(problem, f"{expression} = {other}").score == 0.0
                checked += 1
        for hedge in (problem["first"]["answer"], str(value)):
            assert task.verify(problem, hedge).score == 0.0
    assert checked >= 20


@pytest.mark.parametrize("name", COMPOSED)
def test_composed_rows_regenerate(name):
    for row in rows(name, 5, 3, template=2, lang="zh"):
        assert regenerate(row) == row


def generate(tmp_path, *args):
    result = CliRunner().invoke(cli, ["generate", *map(str, args), "--workers", "1"], catch_exceptions=False)
    return result


def test_compositional_split_keeps_part_problems_out_of_training(tmp_path):
    out = tmp_path / "c"
    result = generate(tmp_path, "--split", "compose:train=linear_equations,game_of_24;test=linear_equations+game_of_24",
                      "-d", "2", "-n", "90", "-o", out)
    assert result.exit_code == 0, result.output
    tables = {s: t.to_pylist() for s, t in read_dataset(out).items()}
    train, test = tables["train"], tables["test"]
    assert {r["task"] for r in test} == {"linear_equations+game_of_24"} and len(test) == 30
    spec = get_task("linear_equations+game_of_24").knobs.resolve(2)
    assert {(r["task"], r["difficulty"]) for r in train} == {
        ("linear_equations", spec["first_level"]), ("game_of_24", spec["second_level"])}
    inner = {fingerprint("linear_equations", json.loads(r["problem"])["first"]["data"]) for r in test}
    assert not inner & {r["fingerprint"] for r in train}
    assert not {r["fingerprint"] for r in train} & {r["fingerprint"] for r in test}
    assert "Split definition: compositional" in (out / "README.md").read_text()


@pytest.mark.parametrize("args, fragment", [
    (("--split", "compose:train=linear_equations;test=nope+game_of_24"), "the composed tasks are"),
    (("--split", "compose:train=linear_equations;test=linear_equations"), "is in both"),
    (("--split", "compose:train=linear_equations"), "at least two splits"),
    (("--split", "compose:train=arithmetic;test=arithmetic+game_of_24", "-t", "sudoku"), "names its own tasks"),
])
def test_bad_compose_splits_are_usage_errors(tmp_path, args, fragment):
    result = generate(tmp_path, *args, "-n", "4", "-o", tmp_path / "x")
    assert result.exit_code == 2 and fragment in result.output and "Traceback" not in result.output
