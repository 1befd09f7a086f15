"""What the matrix tasks' tests share: reading a matrix back out of the printed prompt,
writing a sympy matrix the way the golds are written, and the hardness ladder they all climb.

The prompts print a matrix as bracketed rows, one a line::

    [ 3 -1]
    [ 4  2]

so the re-derivations start from the text a model reads, not from the problem's data.
"""

from __future__ import annotations

import re

import sympy

from tests.tasks.task_checks import TaskChecks

BRACKETED_ROW = re.compile(r"^\s*\[([-\d ]+)\]\s*$", re.M)


def printed_matrix(prompt: str) -> list[list[int]]:
    """Every bracketed row of ``prompt``, in order: the matrix as the prompt prints it."""
    return [[int(x) for x in line.split()] for line in BRACKETED_ROW.findall(prompt)]


def matrix_text(m: sympy.Matrix) -> str:
    """A gold matrix's text: one row a line, entries separated by spaces."""
    return "\n".join(" ".join(str(m[i, j]) for j in range(m.cols)) for i in range(m.rows))


def assert_hardness_never_drops(checks: TaskChecks, n: int = 10) -> None:
    """Mean hardness over ``n`` problems never falls more than 5% from one level to the next."""
    hard = [checks.mean(level, checks.task.hardness, n=n) for level in range(1, 11)]
    assert all(b >= 0.95 * a for a, b in zip(hard, hard[1:], strict=False)), hard
