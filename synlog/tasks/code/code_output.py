"""code_output: predict the exact output of a generated Python program.

A program is a sequence of small blocks (:mod:`._programs`): counting loops with
conditionals, string building, comprehensions with slicing, a capped Collatz walk, character
tallies, nested loops, split/join, a small recursion. Each block prints one line::

    total = 3
    for i in range(4):
        if i % 2 == 0:
            total += i * 2
        else:
            total -= 1
    print(total)                      → 5

The gold output is what the program printed when it ran in the sandbox
(:mod:`synlog.sandbox`) at generation time. ``verify`` compares the answer with it line by
line, ignoring trailing spaces on each line and blank lines around the output; the output is
unique, so another instance's output scores 0. Difficulty adds blocks and lengthens loops;
``effort`` estimates the loop iterations to trace. A program with a line a guess would hit
(``0``, ``1``, ``-1``, ``True``, ``None``, an empty line...) is drawn again.
"""

from __future__ import annotations

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.code._harness import run_program
from synlog.tasks.code._programs import random_program
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: printed lines a blind guess would hit: a program printing one is drawn again
GUESSABLE = frozenset({"", "0", "1", "-1", "2", "True", "False", "None", "[]", "yes", "no", "A"})


class SandboxFailure(RuntimeError):
    """Our own generated program did not run cleanly in the sandbox (a broken machine)."""


def normalise_output(text: str) -> list[str]:
    """Lines with trailing spaces removed, without blank lines at either end."""
    lines = [line.rstrip() for line in text.strip("\n").replace("\r\n", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


@register
class CodeOutput(Task):
    """Predict the exact output of a generated Python program (loops, conditionals, strings)."""

    name, family, version = "code_output", "code", 2
    sandboxed = True
    knobs = Knobs(
        blocks=Knob(int, levels=[1, 1, 2, 2, 3, 3, 4, 4, 5, 6], lo=1, hi=16, help="blocks, one printed line each"),
        scale=Knob(int, levels=[3, 4, 5, 6, 8, 10, 12, 14, 16, 20], lo=2, hi=100,
                   help="loop lengths and word counts"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        program, work = random_program(rng, p.blocks, p.scale)
        result = run_program(program)
        if not result.ok:
            raise SandboxFailure(f"a generated program failed in the sandbox ({result.status.value}): "
                                 f"{result.stderr[-300:]}")
        lines = normalise_output(result.stdout)
        if any(line.strip() in GUESSABLE for line in lines):
            raise Reject("a printed line is a blind guess")
        output = "\n".join(lines)
        return Problem({"program": program, "output": output}, output, work)

    def verify(self, problem: dict, answer: str) -> Verdict:
        expected = problem["output"]
        if len(answer) > 4 * len(expected) + 1000:
            return Verdict.wrong("the answer is far longer than the output")
        text = answer.strip()
        if text.startswith("```") and text.endswith("```") and len(text) >= 6:
            text = text[3:-3].split("\n", 1)[-1] if "\n" in text[3:-3] else text[3:-3]
        got, want = normalise_output(text), expected.split("\n")
        if not got:
            return Verdict.unparseable("empty answer")
        if got == want:
            return Verdict.ok()
        first = next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), min(len(got), len(want)))
        return Verdict.wrong(f"line {first + 1} differs", lines=len(want))

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        lines = problem.answer.split("\n")
        wrong = []
        i = int(rng.integers(len(lines)))
        digits = [j for j, ch in enumerate(lines[i]) if ch.isdigit()]
        if digits:
            j = digits[int(rng.integers(len(digits)))]
            changed = lines[:]
            changed[i] = lines[i][:j] + str((int(lines[i][j]) + 1) % 10) + lines[i][j + 1:]
            wrong.append("\n".join(changed))
        if len(lines) > 1:
            wrong.append("\n".join(lines[:-1]))
            wrong.append("\n".join(reversed(lines)) if lines != lines[::-1] else "\n".join(lines + ["0"]))
        wrong.append("\n".join(lines) + "\nNone")
        wrong.append("\n".join(lines).upper() if "\n".join(lines).upper() != "\n".join(lines) else "\n".join(lines) + "!")
        return wrong
