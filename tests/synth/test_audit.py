"""The audit itself: its battery, bounds, estimates and the `synlog audit` command.

Probe tasks with known flaws are registered for the test only, so each contract is shown to
fail when its property is broken (not just to pass on good tasks).
"""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import synlog.tasks.base as base
from synlog.cli.main import cli
from synlog.synth.audit import CONSTANTS, audit_task, battery, bound, cap, estimate_space
from synlog.tasks.base import Problem, Task, get_task
from synlog.tasks.knobs import Knob, Knobs
from synlog.verifiers.verdict import Verdict


class _Probe(Task):
    """A probe task: answer the stored number."""

    family, version = "math", 1
    knobs = Knobs(size=Knob(int, levels=[2, 3, 4, 5, 6, 7, 8, 9, 10, 12], lo=1, hi=99))

    def generate(self, rng, p):
        value = int(rng.integers(0, 10**6))
        return Problem({"value": value, "pad": "x" * p.size}, str(value), effort=float(p.size))

    def prompt(self, problem, template=0, lang="en"):
        return f"Write {problem.data['value']} back, for example <answer>7</answer>.\n"

    def verify(self, problem, answer):
        return Verdict.ok() if answer.strip() == str(problem["value"]) else Verdict.wrong()


class Echo(_Probe):
    """Answer a number printed in the prompt: the echo policy must find it."""

    name = "audit_probe_echo"


class Sound(_Probe):
    """A sound probe: the answer is a hidden transform of a printed number."""

    name = "audit_probe_sound"

    def prompt(self, problem, template=0, lang="en"):
        return f"Reverse the digits of {problem.data['value']} and add 1.\n"

    def verify(self, problem, answer):
        return Verdict.ok() if answer.strip() == str(int(str(problem["value"])[::-1]) + 1) else Verdict.wrong()


class YesNo(_Probe):
    """A binary question asked alone: 'yes' pays half the time."""

    name = "audit_probe_yesno"

    def generate(self, rng, p):
        value = int(rng.integers(0, 10**6))
        return Problem({"value": value, "pad": "x" * p.size}, "yes" if value % 2 else "no", effort=float(p.size))

    def prompt(self, problem, template=0, lang="en"):
        return f"Is {problem.data['value']} odd?\n"

    def verify(self, problem, answer):
        return Verdict.ok() if answer.strip() == ("yes" if problem["value"] % 2 else "no") else Verdict.wrong()


class Tiny(Sound):
    """Few instances, and effort that falls at level 5."""

    name = "audit_probe_tiny"

    def generate(self, rng, p):
        value = int(rng.integers(10, 14))
        return Problem({"value": value, "pad": "x" * p.size}, "", effort=1.0 if p.size == 6 else float(p.size))

    def instance_space(self, spec):
        return 1e6  # a lie the audit must catch


class Shortcut(Sound):
    """A task-declared shortcut (the digits unreversed plus one) that the generator lets pay."""

    name = "audit_probe_shortcut"

    def generate(self, rng, p):
        value = int("1" * int(rng.integers(3, 12)))  # palindromes: the shortcut is right
        return Problem({"value": value, "pad": "x" * p.size}, str(value + 1), effort=float(p.size))

    def degenerate_answers(self, problem):
        return {"unreversed plus one": str(problem["value"] + 1)}


PROBES = (Echo, Sound, YesNo, Tiny, Shortcut)


@pytest.fixture(autouse=True)
def probes(monkeypatch):
    for cls in PROBES:
        monkeypatch.setitem(base._REGISTRY, cls.name, cls)
    get_task.cache_clear()
    yield
    get_task.cache_clear()


def test_the_cap_is_20_percent_at_levels_1_and_2_and_10_above():
    assert [cap(level) for level in (1, 2, 3, 10)] == [0.20, 0.20, 0.10, 0.10]
    assert bound(5, chance=0.5, n=10_000) == 0.10  # a stated chance never lifts the cap
    assert 0.02 < bound(5, chance=0.02, n=200) < 0.06


def test_a_sound_task_passes_every_contract():
    assert audit_task("audit_probe_sound", n=30).failures == []


def test_a_number_echoed_from_the_prompt_is_caught():
    failures = audit_task("audit_probe_echo", levels=(1, 3), n=20).failures
    assert any("first number in the prompt" in f for f in failures)
    assert any("prompt's example answer" in f for f in failures) is False  # 7 is not the answer


def test_a_lone_binary_question_fails_the_battery():
    failures = audit_task("audit_probe_yesno", levels=(3,), n=40).failures
    assert any("constant 'yes'" in f for f in failures) and any("constant 'no'" in f for f in failures)


def test_a_task_declared_shortcut_is_scored():
    failures = audit_task("audit_probe_shortcut", levels=(3,), n=20).failures
    assert any("unreversed plus one" in f for f in failures)


def test_small_spaces_falling_effort_and_false_space_claims_are_caught():
    failures = audit_task("audit_probe_tiny", levels=(1, 3, 5, 10), n=30).failures
    assert any("distinct prompts" in f for f in failures)
    assert any("share" in f and "prompts" in f for f in failures)  # seeds collide
    assert any("effort falls from L3" in f for f in failures)
    assert any("declared instance space" in f for f in failures)


def test_the_battery_has_constants_echoes_grids_and_the_prompts_example():
    task = get_task("audit_probe_echo")
    problem = Problem({"value": 5}, "1 2\n3 4")
    answers = battery(task, problem, "Grid 12 and 9; like <answer>0 0\n0 0</answer>", other_mode="3")
    assert all(f"constant {c!r}" in answers for c in CONSTANTS)
    assert answers["first number in the prompt"] == "12" and answers["last number in the prompt"] == "0"
    assert answers["all-same grid '0'"] == "0 0\n0 0"
    assert answers["prompt's example answer 1"] == "0 0\n0 0"
    assert answers["other seed's most common gold"] == "3"


@settings(max_examples=50, deadline=None)
@given(st.integers(20, 5_000), st.integers(30, 400))
def test_the_space_estimate_inverts_the_expected_distinct_count(size, draws):
    expected = size * (1 - math.exp(-draws / size))
    distinct = round(expected)
    if distinct >= draws:
        return
    estimate, exact = estimate_space(draws, distinct)
    assert exact
    assert estimate * (1 - math.exp(-draws / estimate)) == pytest.approx(distinct, rel=1e-3)


def test_no_collisions_give_the_birthday_lower_bound():
    assert estimate_space(100, 100) == (5000.0, False)


def test_the_command_prints_a_table_writes_json_and_exits_1_on_failure(tmp_path):
    out = tmp_path / "audit.json"
    result = CliRunner().invoke(cli, ["audit", "audit_probe_sound", "audit_probe_yesno", "-n", "20",
                                      "--levels", "1,3", "-w", "1", "--json", str(out)])
    assert result.exit_code == 1, result.output
    assert "audit_probe_sound" in result.output and "FAIL audit_probe_yesno" in result.output
    assert "FAIL audit_probe_sound" not in result.output
    report = json.loads(out.read_text())
    assert [t["task"] for t in report["tasks"]] == ["audit_probe_sound", "audit_probe_yesno"]
    assert report["tasks"][0]["failures"] == [] and report["tasks"][1]["failures"]


def test_the_command_exits_0_when_every_contract_holds():
    result = CliRunner().invoke(cli, ["audit", "audit_probe_sound", "-n", "20", "--levels", "1,5", "-w", "1"])
    assert result.exit_code == 0, result.output
    assert "0 with failed contracts" in result.output


@pytest.mark.parametrize("args, message", [
    (["--levels", "0,3"], "levels run from 1 to 10"),
    (["--levels", "a"], "comma-separated"),
    (["--seeds", "1,1"], "two different"),
    (["nosuchtask"], "unknown task"),
])
def test_bad_options_are_one_line_errors(args, message):
    result = CliRunner().invoke(cli, ["audit", *args, "-n", "5", "-w", "1"])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
