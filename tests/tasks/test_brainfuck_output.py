"""Specification of brainfuck_output beyond the contract.

The program and the input are read back from the rendered PROMPT text (both languages) and
run by a second interpreter written here: it COMPILES the Brainfuck source to Python source
(runs of + - < > folded, loops as ``while``) and executes that in this process. This runs only
our own generated programs, never an answer. Its output must equal the gold the task's step
interpreter recorded.
"""

from __future__ import annotations

import json
import re

import pytest

from synlog.tasks.code.brainfuck_output import BFError, execute
from tests.tasks.row_checks import assert_tagged_below_one, rows_at, rows_in
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("brainfuck_output")
TASK = CHECKS.task
PROGRAM = re.compile(r"(?:Program:|程序：)\n([-+<>\[\].,\n]+?)\n\n(?:Input: |输入：)(.*)$", re.M)


def compile_bf(code: str) -> str:
    """Python source of a function ``run(data)`` that does what ``code`` does."""
    lines = ["def run(data):", " t = [0] * 1000", " p = 0", " r = 0", " out = []", " budget = 200000"]
    depth = 1
    for match in re.finditer(r"\++|-+|>+|<+|[.,\[\]]", code):
        token, pad = match.group(), " " * depth
        if token[0] == "+":
            lines.append(f"{pad}t[p] = (t[p] + {len(token)}) & 255")
        elif token[0] == "-":
            lines.append(f"{pad}t[p] = (t[p] - {len(token)}) & 255")
        elif token[0] == ">":
            lines.append(f"{pad}p += {len(token)}")
        elif token[0] == "<":
            lines.append(f"{pad}p -= {len(token)}")
            lines.append(f"{pad}assert p >= 0")
        elif token == ".":
            lines.append(f"{pad}out.append(chr(t[p]))")
        elif token == ",":
            lines.append(f"{pad}t[p] = ord(data[r]) if r < len(data) else 0")
            lines.append(f"{pad}r += 1")
        elif token == "[":
            lines.append(f"{pad}while t[p]:")
            depth += 1
            lines.append(f"{' ' * depth}budget -= 1")
            lines.append(f"{' ' * depth}assert budget > 0")
        else:
            depth -= 1
    assert depth == 1
    lines.append(" return ''.join(out)")
    return "\n".join(lines)


def run_compiled(code: str, data: str) -> str:
    namespace: dict = {}
    exec(compile(compile_bf(code), "<bf>", "exec"), namespace)  # our own generated program only
    return namespace["run"](data)


def test_prompt_program_compiled_to_python_gives_the_gold():
    checked = 0
    for row in [*rows_at(CHECKS), *rows_in(CHECKS, "zh")]:
        found = PROGRAM.search(row["prompt"])
        assert found, row["id"]
        code = found.group(1).replace("\n", "")
        data = "" if found.group(2) in ("(empty)", "（空）") else found.group(2)
        problem = json.loads(row["problem"])
        assert (code, data) == (problem["program"], problem["input"]), row["id"]
        assert run_compiled(code, data) == row["answer"], row["id"]
        checked += 1
    assert checked >= 100


def test_hand_examples():
    assert execute(",+.>++++++++[<+>-]<.", "a")[0] == "bj"
    assert run_compiled(",+.>++++++++[<+>-]<.", "a") == "bj"
    assert execute("-.", "")[0] == chr(255)  # wrapping
    assert execute(",[.,]", "xyz")[0] == "xyz"  # 0 at the end of the input
    assert execute(">[+++.]+.", "")[0] == "\x01"  # a loop over a zero cell never runs
    for bad in ("<", "[", "]", "+[]"):
        with pytest.raises(BFError):
            execute(bad, "")


def test_higher_levels_use_loops_and_lower_do_not():
    for row in rows_at(CHECKS, (1, 2), n=10):
        assert "[" not in json.loads(row["problem"])["program"]
    assert all("[" in json.loads(r["problem"])["program"] for r in rows_at(CHECKS, (3, 6, 9), n=10))
    nested = [json.loads(r["problem"])["program"] for r in rows_at(CHECKS, (9, 10), n=20)]
    assert any(re.search(r"\[[^\]]*\[", p) for p in nested)


def test_levels_get_harder():
    for measure in (lambda p: p["steps"], TASK.hardness):
        low, mid, high = (CHECKS.mean(level, measure, n=20, seed=9) for level in (1, 5, 10))
        assert low < mid < high, (low, mid, high)


def hostile(gold: str, data: str) -> list[str]:
    return [f"{gold} or {gold[:-1]}", f"{gold}, {gold}", f"{gold}\n{gold[:-1]}", " ".join(gold), f'"{gold}"',
            " ".join(str(ord(c)) for c in gold), gold.lower() if gold.lower() != gold else gold.upper(),
            "Hq7mZ", data, gold * 2, "a" * 100_000, f"Output: {gold}", gold[:-1], "", "print(1)"]


def test_hostile_answers_score_below_one():
    for row in rows_at(CHECKS, (1, 5, 10), n=4):
        assert_tagged_below_one(CHECKS, row, hostile(row["answer"], json.loads(row["problem"])["input"]))


test_verifier_never_raises = CHECKS.never_raises(level=6)


@pytest.mark.slow
def test_compiled_interpreter_agrees_on_many_rows():
    for row in rows_at(CHECKS, n=50, seed=13):
        problem = json.loads(row["problem"])
        assert run_compiled(problem["program"], problem["input"]) == row["answer"], row["id"]
