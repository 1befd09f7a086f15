"""What a proof that ignores the statement can earn on lean_proof, measured without Lean.

Every kind declares in ``CLOSED_BY`` the one-line proofs that may close it (read off how the
kind is built; generous where unsure). From that, per level, no one-line proof may close more
than the audit's bound of rows. The witness kinds are checked here by an evaluator written for
these tests (the statement's body read as Python): the reference witness satisfies the
statement, no fixed small witness (0..3) does, and equations have exactly one solution, so a
fixed witness earns nothing. ``test_one_line_proofs_fail_on_witness_kinds`` checks the claim
that no one-line tactic closes a witness kind with a real toolchain, where there is one.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import numpy as np
import pytest

from synlog.synth.audit import bound
from synlog.synth.example import make_row
from synlog.tasks.base import get_task
from synlog.tasks.lean.checker import LeanChecker
from synlog.tasks.lean.statements import (
    CLOSED_BY,
    GENERATORS,
    GUESSES,
    ONE_LINE_PROOFS,
    WITNESS_KINDS,
)
from synlog.tasks.lean.toolchain import NOT_FOUND, find_toolchain

TASK = get_task("lean_proof")
LEVELS = (1, 2, 3, 5, 7, 10)
REAL = find_toolchain()


def rows_at(level: int, n: int = 400, seed: int = 0) -> list[dict]:
    spec = TASK.knobs.resolve(level)
    return [json.loads(make_row("lean_proof", level, spec, seed, i)["problem"]) for i in range(n)]


def test_every_kind_says_which_one_line_proofs_close_it():
    assert set(CLOSED_BY) == set(GENERATORS)
    for kind, closers in CLOSED_BY.items():
        assert closers <= set(ONE_LINE_PROOFS), kind
    assert all(not CLOSED_BY[kind] for kind in WITNESS_KINDS)


@pytest.mark.parametrize("level", LEVELS)
def test_no_one_line_proof_closes_more_than_the_bound(level):
    rows = rows_at(level)
    closed = Counter(proof for row in rows for proof in CLOSED_BY[row["kind"]])
    limit = bound(level, TASK.chance, len(rows))
    worst = max(closed.values(), default=0) / len(rows)
    assert worst <= limit, (level, closed.most_common(3), limit)
    assert TASK.chance <= (0.20 if level <= 2 else 0.10)


@pytest.mark.parametrize("level", LEVELS)
def test_no_reference_proof_is_the_gold_of_more_than_the_bound(level):
    rows = rows_at(level)
    top, count = Counter(row["reference_proof"] for row in rows).most_common(1)[0]
    assert count / len(rows) <= bound(level, TASK.chance, len(rows)), (level, top, count)


def test_the_audit_tries_every_one_line_proof_and_fixed_small_witnesses():
    answers = set(TASK.degenerate_answers(rows_at(5, 1)[0]).values())
    assert set(ONE_LINE_PROOFS) <= answers
    assert {f"⟨{g}, by decide⟩" for g in GUESSES} <= answers


# --- an evaluator of the witness kinds, written for these tests ---------------------------------

EXISTS = re.compile(r"theorem synlog_goal : ∃ ([a-z ]+) : (Nat|Int), (.*)$")
REFUTE = re.compile(r"theorem synlog_goal : ¬ ∀ n : Nat, (.*) → (.*)$")


def lean_mod(a: int, b: int) -> int:
    """Lean's % on Nat (and Int.emod with a positive divisor); ``a % 0`` is ``a``."""
    return a if b == 0 else a % b


def as_python(text: str) -> str:
    text = re.sub(r"(\w+) % (\w+)", r"lean_mod(\1, \2)", text)
    return text.replace("∧", " and ").replace("=", "==").replace("≠", "!=")


def holds(statement: str, values: list[int]) -> bool:
    """Whether ``values`` witness an ∃-statement, or refute a ¬∀-statement."""
    if match := EXISTS.match(statement):
        names, kind, body = match.group(1).split(), match.group(2), match.group(3)
        if kind == "Nat" and any(v < 0 for v in values):
            return False
        return bool(eval(as_python(body), {"lean_mod": lean_mod}, dict(zip(names, values, strict=True))))  # noqa: S307 - our own text
    match = REFUTE.match(statement)
    assert match, statement
    env = {"n": values[0], "lean_mod": lean_mod}
    return bool(eval(as_python(match.group(1)), {}, env)) and not eval(as_python(match.group(2)), {}, env)  # noqa: S307


def witness(proof: str) -> list[int]:
    if proof.startswith("⟨"):
        return [int(v) for v in proof.strip("⟨⟩").split(",")[:-1]]
    return [int(re.search(r"\(h (\d+) ", proof).group(1))]


def witness_goals(kind: str, count: int = 40):
    rng = np.random.default_rng(11)
    return [GENERATORS[kind](rng, size % 9, size % 5, size % 4) for size in range(count)]


@pytest.mark.parametrize("kind", WITNESS_KINDS)
def test_the_reference_witness_satisfies_the_statement(kind):
    for goal in witness_goals(kind):
        assert holds(goal.statement, witness(goal.proof)), goal


@pytest.mark.parametrize("kind", WITNESS_KINDS)
def test_no_fixed_small_witness_satisfies_the_statement(kind):
    for goal in witness_goals(kind):
        arity = len(witness(goal.proof))
        for g in GUESSES:
            assert not holds(goal.statement, [g] * arity), (goal, g)


@pytest.mark.parametrize("kind", ["solve", "system", "roots"])
def test_equations_have_exactly_one_solution(kind):
    for goal in witness_goals(kind, 20):
        gold = witness(goal.proof)
        span = range(-80, 81) if ": Int" in goal.statement else range(0, 161)
        if len(gold) == 1:
            found = [[v] for v in span if holds(goal.statement, [v])]
        else:
            found = [[x, y] for x in range(-40, 41) for y in range(-40, 41) if holds(goal.statement, [x, y])]
        assert found == [gold], goal


def test_the_least_counterexample_is_the_reference():
    for goal in witness_goals("counter"):
        least = next(n for n in range(10_000) if holds(goal.statement, [n]))
        assert witness(goal.proof) == [least], goal


def test_difficulty_grows_the_search_for_the_witness():
    means = [np.mean([row["search_nodes"] for row in rows_at(level, 200)]) for level in (1, 5, 10)]
    assert means[0] < means[1] < means[2] and means[2] > 4 * means[0]


@pytest.mark.skipif(REAL is None, reason=NOT_FOUND)
@pytest.mark.parametrize("kind", WITNESS_KINDS)
def test_one_line_proofs_fail_on_witness_kinds(kind):
    goals = witness_goals(kind, 6)
    checker = LeanChecker(REAL)
    batch = [(g.statement, proof) for g in goals for proof in ONE_LINE_PROOFS]
    verdicts = checker.check_many(batch)
    assert not any(v.correct for v in verdicts), [b for b, v in zip(batch, verdicts, strict=True) if v.correct]
