"""Presets of ``synlog import``: the documented column layouts of well-known public datasets.

A preset names the task its rows become, which source column feeds each *target* (what the
importer needs: ``prompt``, ``answer``, ``tests``, ``test_code``...), and an ``adapt`` step that
turns the dataset's own conventions into those targets (CodeContests' ``{input: [...],
output: [...]}`` test lists, MBPP's bare asserts, APPS' JSON string of tests)::

    preset = PRESETS["mbpp"]
    preset.columns["prompt"]                        # "text"
    values = preset.adapt({"prompt": "Write f.", "test_list": ["assert f(1) == 2"]}, language=None)
    values["entry_point"], values["test_code"]      # "f", "assert f(1) == 2\\n"

``--map target=column`` on top of a preset replaces single columns; the adapt step still runs.
An adapt step raises :class:`RowProblem` for a row it cannot use (the importer counts it).
"""

from __future__ import annotations

import ast
import builtins
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: the kinds of gold a math_answer problem declares (the task's contract)
MATH_KINDS = ("number", "expression", "set", "interval", "tuple", "choice", "auto")
#: tests one code_tests problem may hold (the judge's own limit); CodeContests rows with more keep
#: public, then private, then generated tests up to this many
MAX_TESTS = 1000
#: CodeContests' ``solutions.language`` numbers, by the name ``--language`` takes
CODECONTESTS_LANGUAGES = {"python": 3, "cpp": 2, "java": 4}


class RowProblem(Exception):
    """One source row the importer cannot turn into a synlog row: ``reason`` is a short key
    counted in the card (``missing_value``, ``bad_gold``...), the message says why."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Preset:
    """A dataset layout: ``columns`` maps targets to source columns (dotted paths reach into
    nested values); ``optional`` targets may be absent from a source; ``adapt`` turns the
    looked-up values into the importer's targets."""

    name: str
    task: str
    dataset: str
    columns: dict[str, str]
    example: str
    optional: frozenset[str] = frozenset()
    kind: str | None = None
    adapt: Callable[..., dict[str, Any]] = field(default=lambda values, language: values)


def json_value(value: Any, what: str) -> Any:
    """A nested value that a flat file (CSV, APPS) stores as JSON text, parsed."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except (ValueError, RecursionError):
            raise RowProblem("bad_value", f"{what} is text that is not JSON") from None
    return value


def test_text(value: Any, what: str) -> str:
    """A test's input or output: text, or a list of lines (APPS writes both)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        return "".join(line if line.endswith("\n") else line + "\n" for line in value)
    raise RowProblem("bad_value", f"{what} is {type(value).__name__}, not text")


def paired_tests(inputs: Any, outputs: Any, what: str = "tests") -> list[dict[str, str]]:
    """``[{input, output}]`` from two parallel lists (APPS, CodeContests)."""
    inputs, outputs = json_value(inputs, f"{what} inputs"), json_value(outputs, f"{what} outputs")
    if not isinstance(inputs, list) or not isinstance(outputs, list):
        raise RowProblem("bad_value", f"{what}: inputs and outputs must be lists")
    if len(inputs) != len(outputs):
        raise RowProblem("bad_value", f"{what}: {len(inputs)} inputs but {len(outputs)} outputs")
    return [{"input": test_text(i, f"{what} input {k}"), "output": test_text(o, f"{what} output {k}")}
            for k, (i, o) in enumerate(zip(inputs, outputs, strict=True))]


def level_of(value: Any, labels: dict[str, int] | None = None) -> int:
    """A difficulty 0..10 from a dataset's label: ``3``, ``"3"``, ``"Level 3"`` or a word in
    ``labels`` (APPS' ``"interview"``); 0 means not levelled."""
    if isinstance(value, str) and labels and value.strip().lower() in labels:
        return labels[value.strip().lower()]
    if isinstance(value, str):
        numbers = re.findall(r"\d+", value)
        if len(numbers) != 1:
            raise RowProblem("bad_value", f"difficulty {value[:40]!r} holds no single level number")
        value = int(numbers[0])
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise RowProblem("bad_value", f"difficulty is {type(value).__name__}, not a level")
    if not 0 <= value <= 10:
        raise RowProblem("bad_value", f"difficulty {value} is outside 0..10 (0: not levelled)")
    return value


# --------------------------------------------------------------------------- adapt steps


def _math(values: dict[str, Any], language: str | None) -> dict[str, Any]:
    if isinstance(values.get("difficulty"), str) and not re.search(r"\d", values["difficulty"]):
        values["difficulty"] = 0  # MATH's "Level ?": a few rows carry no level
    return values


def _humaneval(values: dict[str, Any], language: str | None) -> dict[str, Any]:
    if isinstance(values.get("solution"), str) and isinstance(values.get("prelude"), str):
        values["solution"] = values["prelude"] + values["solution"]  # the body completes the prompt
    return values


def _called_function(assertion: str) -> str | None:
    """The first function an assert calls that is not a builtin: MBPP's entry point."""
    try:
        tree = ast.parse(assertion)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not hasattr(builtins, node.func.id):
            return node.func.id
    return None


def _mbpp(values: dict[str, Any], language: str | None) -> dict[str, Any]:
    asserts = json_value(values.pop("test_list", None), "test_list")
    if not isinstance(asserts, list) or not asserts or not all(isinstance(a, str) for a in asserts):
        raise RowProblem("bad_value", "test_list must be a non-empty list of assert statements")
    setup = values.pop("test_setup_code", None) or ""
    if isinstance(setup, list):  # the sanitized layout's test_imports
        setup = "\n".join(str(line) for line in setup)
    entry = _called_function(asserts[0])
    if entry is None:
        raise RowProblem("bad_value", f"the first test names no function: {asserts[0][:60]!r}")
    values["test_code"] = (setup.strip() + "\n" if str(setup).strip() else "") + "\n".join(asserts) + "\n"
    values["entry_point"] = entry
    if isinstance(values.get("prompt"), str):  # as MBPP is prompted: the task, then one of its tests
        values["prompt"] = f"{values['prompt'].strip()}\nYour code should pass this test:\n{asserts[0].strip()}"
    return values


APPS_LEVELS = {"introductory": 1, "interview": 2, "competition": 3}


def _first_solution(solutions: Any) -> str | None:
    solutions = json_value(solutions, "solutions") if solutions not in (None, "") else None
    if isinstance(solutions, list) and solutions and isinstance(solutions[0], str):
        return solutions[0]
    return None


def _apps(values: dict[str, Any], language: str | None) -> dict[str, Any]:
    io = json_value(values.pop("input_output", None), "input_output")
    if not isinstance(io, dict):
        raise RowProblem("bad_value", "input_output must be a JSON object with 'inputs' and 'outputs'")
    if io.get("fn_name"):
        raise RowProblem("call_based", "a call-based APPS problem (fn_name); only standard-input problems import")
    values["tests"] = paired_tests(io.get("inputs"), io.get("outputs"), "input_output")
    values["solution"] = _first_solution(values.pop("solutions", None))
    if values.get("difficulty") is not None:
        values["difficulty"] = level_of(values["difficulty"], APPS_LEVELS)
    return values


def _codecontests(values: dict[str, Any], language: str | None) -> dict[str, Any]:
    language = language or "python"
    tests: list[dict[str, str]] = []
    for group in ("public_tests", "private_tests", "generated_tests"):
        given = values.pop(group, None)
        if given:
            if not isinstance(given, dict):
                raise RowProblem("bad_value", f"{group} must be an object {{input: [...], output: [...]}}")
            tests += paired_tests(given.get("input", []), given.get("output", []), group)
    values["tests"] = tests[:MAX_TESTS]
    limit = values.pop("time_limit", None)
    if isinstance(limit, dict):
        seconds = (limit.get("seconds") or 0) + (limit.get("nanos") or 0) / 1e9
        if seconds > 0:
            values["time_limit_s"] = min(float(seconds), 30.0)
    memory = values.pop("memory_limit_bytes", None)
    if isinstance(memory, int) and memory > 0:
        values["memory_mb"] = max(32, min(memory >> 20, 4096))
    values["solution"] = _contest_solution(values.pop("solutions", None), language)
    values["language"] = language
    return values


def _contest_solution(solutions: Any, language: str) -> str | None:
    """The first reference solution in ``language`` (CodeContests numbers its languages)."""
    wanted = CODECONTESTS_LANGUAGES.get(language)
    if not isinstance(solutions, dict) or wanted is None:
        return None
    for number, code in zip(solutions.get("language") or [], solutions.get("solution") or [], strict=False):
        if number == wanted and isinstance(code, str):
            return code
    return None


KODCODE_LEVELS = {"easy": 1, "medium": 2, "hard": 3}


def _kodcode(values: dict[str, Any], language: str | None) -> dict[str, Any]:
    info = json_value(values.pop("test_info", None), "test_info")
    if isinstance(info, list) and info and isinstance(info[0], dict) and isinstance(info[0].get("function_name"), str):
        values.setdefault("entry_point", info[0]["function_name"])
    if not values.get("entry_point"):
        raise RowProblem("bad_value", "test_info[0].function_name is missing: no function to test")
    if values.get("difficulty") is not None:
        values["difficulty"] = level_of(values["difficulty"], KODCODE_LEVELS)
    return values


PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("gsm8k", "math_answer", "openai/gsm8k (config main): question, answer ending in '#### n'",
           {"prompt": "question", "answer": "answer"},
           "synlog import gsm8k/test.jsonl --preset gsm8k -o data/gsm8k", kind="number"),
    Preset("math", "math_answer",
           "hendrycks/competition_math (MATH): problem, solution with a final \\boxed{}, level 'Level 3', type",
           {"prompt": "problem", "answer": "solution", "difficulty": "level"},
           "synlog import math/test.jsonl --preset math -o data/math", optional=frozenset({"difficulty"}),
           kind="auto", adapt=_math),
    Preset("humaneval", "code_tests", "openai/openai_humaneval: task_id, prompt, canonical_solution, test, entry_point",
           {"prompt": "prompt", "prelude": "prompt", "test_code": "test", "entry_point": "entry_point",
            "solution": "canonical_solution", "id": "task_id"},
           "synlog import HumanEval.jsonl.gz --preset humaneval -o data/humaneval",
           optional=frozenset({"solution"}), adapt=_humaneval),
    Preset("mbpp", "code_tests", "google-research-datasets/mbpp (config full): task_id, text, code, test_list, "
           "test_setup_code", {"prompt": "text", "test_list": "test_list", "test_setup_code": "test_setup_code",
                               "solution": "code"},
           "synlog import mbpp/test.parquet --preset mbpp -o data/mbpp",
           optional=frozenset({"test_setup_code", "solution"}), adapt=_mbpp),
    Preset("apps", "code_tests", "codeparrot/apps: problem_id, question, solutions (JSON), input_output (JSON "
           "{inputs, outputs[, fn_name]}), starter_code, difficulty",
           {"prompt": "question", "input_output": "input_output", "solutions": "solutions",
            "difficulty": "difficulty"},
           "synlog import apps/test.jsonl --preset apps -o data/apps",
           optional=frozenset({"solutions", "difficulty"}), adapt=_apps),
    Preset("codecontests", "code_tests", "deepmind/code_contests: name, description, public_tests, private_tests, "
           "generated_tests ({input: [...], output: [...]}), solutions, time_limit {seconds, nanos}, "
           "memory_limit_bytes",
           {"prompt": "description", "public_tests": "public_tests", "private_tests": "private_tests",
            "generated_tests": "generated_tests", "time_limit": "time_limit",
            "memory_limit_bytes": "memory_limit_bytes", "solutions": "solutions", "id": "name"},
           "synlog import code_contests/valid --preset codecontests --language cpp -o data/cc",
           optional=frozenset({"private_tests", "generated_tests", "time_limit", "memory_limit_bytes",
                               "solutions", "id"}), adapt=_codecontests),
    Preset("kodcode", "code_tests", "KodCode/KodCode-V1: question_id, question, solution, test (pytest, "
           "`from solution import ...`), test_info [{function_name, ...}], gpt_difficulty",
           {"prompt": "question", "test_code": "test", "test_info": "test_info", "solution": "solution",
            "id": "question_id", "difficulty": "gpt_difficulty"},
           "synlog import kodcode/train.parquet --preset kodcode -o data/kodcode",
           optional=frozenset({"solution", "id", "difficulty"}), adapt=_kodcode),
)}
