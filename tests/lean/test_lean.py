"""The Lean family without Lean: statements, proof files, forbidden constructs, message parsing,
caching, batching, timeouts and toolchain lookup. Compiling for real needs a toolchain; those
tests skip with "Lean 4 toolchain not found (set SYNLOG_LEAN)".
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from synlog.sandbox.process import interpreter
from synlog.tasks.base import get_task
from synlog.tasks.lean import toolchain as toolchain_module
from synlog.tasks.lean.checker import (
    ALLOWED_AXIOMS,
    LeanChecker,
    Message,
    assemble,
    axioms_in,
    judge,
    parse_messages,
    sandbox_runner,
    screen,
)
from synlog.tasks.lean.statements import CORE_KINDS, GENERATORS, MATHLIB_KINDS
from synlog.tasks.lean.toolchain import NOT_FOUND, LeanNotFound, Toolchain, find_toolchain
from synlog.verifiers.verdict import Reason, Verdict
from tests.lean.fakes import FAKE, STATEMENT, fake_runner

REAL = find_toolchain()
needs_lean = pytest.mark.skipif(REAL is None, reason=NOT_FOUND)


@pytest.mark.parametrize("kind", sorted(GENERATORS))
def test_every_generator_gives_a_locked_statement_and_a_proof_that_passes_the_screen(kind):
    rng = np.random.default_rng(3)
    for size in range(0, 8):
        goal = GENERATORS[kind](rng, size, size % 5, size % 4)
        assert goal.statement.startswith("theorem synlog_goal")
        assert ":=" not in goal.statement and "sorry" not in goal.proof
        assert screen(goal.statement, goal.proof) == goal.proof


def test_rows_store_statement_reference_proof_and_toolchain():
    from synlog.synth.example import make_row

    task = get_task("lean_proof")
    row = make_row("lean_proof", 6, task.knobs.resolve(6), 1, 0)
    problem = json.loads(row["problem"])
    assert problem["reference_proof"] == row["answer"]
    assert problem["toolchain"] == (REAL.version if REAL else "unchecked")
    assert "<answer>" in row["prompt"] and problem["statement"] in row["prompt"]


def test_difficulty_grows_term_size_and_hypotheses():
    from synlog.synth.example import make_row

    task = get_task("lean_proof")
    effort = {level: np.median([make_row("lean_proof", level, task.knobs.resolve(level), 2, i)["effort"]
                                for i in range(30)]) for level in (1, 9)}
    assert effort[9] > effort[1]


def test_the_proof_file_holds_the_locked_statement_then_the_trusted_axiom_check():
    text = assemble(STATEMENT, "by omega", "Synlog.P3")
    assert f"{STATEMENT} :=\n  by omega" in text
    assert text.rstrip().endswith("#print axioms Synlog.P3.synlog_goal")
    assert text.index("namespace Synlog.P3") < text.index(STATEMENT) < text.index("end Synlog.P3")


@pytest.mark.parametrize("proof", [
    "by sorry", "sorry", "by exact «sorry»", "by admit", "by\n  omega\n  sorry",
    "by native_decide", "by decide\naxiom cheat : False", "by\n  set_option maxHeartbeats 0 in omega",
    "by omega\ntheorem other : True := trivial", "by omega\n#eval 1", "by omega\n# print axioms x",
    "by omega\nmacro \"cheat\" : tactic => `(tactic| sorry)", "by omega\nelab \"x\" : tactic => pure ()",
    "by omega\nsyntax \"cheat\" : tactic", "by omega\n@[implemented_by foo] def bar := 1",
    "by omega\nattribute [extern \"c\"] foo", "by omega\nnotation \"⊥\" => False",
    "by omega /- unclosed comment swallows the axiom check", "by exact unsafeCast 0",
    "by omega\nopen Lean in\ninstance : Inhabited False := sorry",
])
def test_forbidden_constructs_are_rejected_before_lean_runs(proof):
    verdict = screen(STATEMENT, proof)
    assert isinstance(verdict, Verdict) and verdict.reason is Reason.INVALID, (proof, verdict)


def test_a_restated_theorem_must_match_byte_for_byte():
    assert screen(STATEMENT, f"{STATEMENT} := by omega") == "by omega"
    changed = STATEMENT.replace("a < b", "a ≤ b")
    assert screen(STATEMENT, f"{changed} := by omega").reason is Reason.INVALID
    spaced = STATEMENT.replace(" : a", "  : a")
    assert screen(STATEMENT, f"{spaced} := by omega").reason is Reason.INVALID
    assert screen(STATEMENT, ":= by omega") == "by omega"


def test_empty_huge_and_binary_answers_are_verdicts():
    assert screen(STATEMENT, "   ").reason is Reason.NO_ANSWER
    assert screen(STATEMENT, "x" * 100_000).reason is Reason.UNPARSEABLE
    assert screen(STATEMENT, "by\x00 omega").reason is Reason.UNPARSEABLE


def test_json_messages_are_parsed_in_leans_documented_format():
    stdout = "\n".join([
        json.dumps({"severity": "error", "pos": {"line": 4, "column": 2}, "endPos": {"line": 4, "column": 7},
                    "fileName": "Main.lean", "caption": "", "data": "unsolved goals\na b : Nat ⊢ a + 1 ≤ b"}),
        "not json at all",
        json.dumps({"severity": "warning", "pos": {"line": 3, "column": 8}, "fileName": "Main.lean",
                    "data": "declaration uses 'sorry'"}),
        json.dumps({"severity": "information", "pos": {"line": 9, "column": 0}, "fileName": "Main.lean",
                    "data": "'Synlog.P0.synlog_goal' depends on axioms: [propext, Classical.choice, Quot.sound]"}),
    ])
    messages = parse_messages(stdout)
    assert [m.severity for m in messages] == ["error", "warning", "information"]
    assert messages[0].line == 4 and messages[0].column == 2 and "unsolved goals" in messages[0].text
    assert axioms_in(messages[2].text) == ALLOWED_AXIOMS


def test_judge_needs_no_error_no_sorry_and_only_standard_axioms():
    name = "Synlog.P0.synlog_goal"
    report = Message("information", 9, 0, f"'{name}' depends on axioms: [propext, Quot.sound]")
    assert judge([report], name).correct
    assert judge([Message("information", 9, 0, f"'{name}' does not depend on any axioms")], name).correct
    assert judge([Message("error", 4, 2, "type mismatch"), report], name).reason is Reason.WRONG
    assert judge([Message("warning", 3, 8, "declaration uses 'sorry'"), report], name).reason is Reason.INVALID
    cheat = Message("information", 9, 0, f"'{name}' depends on axioms: [propext, cheat, sorryAx]")
    verdict = judge([cheat], name)
    assert verdict.reason is Reason.INVALID and verdict.details["axioms"] == ["cheat", "sorryAx"]
    assert judge([], name).reason is Reason.INVALID  # no trusted report: never a success


def test_a_batch_runs_lean_once_and_routes_messages_to_each_proof():
    calls: list[str] = []

    def messages(body):
        return [("error", "unsolved goals")] if "simp" in body else []

    checker = LeanChecker(FAKE, runner=fake_runner(messages, calls))
    proofs = ["by omega", "by simp", "by sorry", "by decide", "by omega"]
    verdicts = checker.check_many([(STATEMENT, p) for p in proofs])
    assert [v.reason for v in verdicts] == [Reason.OK, Reason.WRONG, Reason.INVALID, Reason.OK, Reason.OK]
    assert len(calls) == 1, "one Lean process for the whole batch"
    assert calls[0].count("#print axioms") == 3  # the repeat of 'by omega' is checked once


def test_pass_at_64_costs_one_cold_start():
    calls: list[str] = []
    checker = LeanChecker(FAKE, runner=fake_runner(calls=calls))
    verdicts = checker.check_many([(STATEMENT, f"by omega -- sample {i}") for i in range(64)])
    assert all(v.correct for v in verdicts) and len(calls) == 1


def test_results_are_cached_by_toolchain_statement_and_proof(tmp_path):
    calls: list[str] = []
    checker = LeanChecker(FAKE, runner=fake_runner(calls=calls), cache_dir=str(tmp_path))
    assert checker.check(STATEMENT, "by omega").correct
    assert checker.check(STATEMENT, "by omega").correct
    assert len(calls) == 1
    again = LeanChecker(FAKE, runner=fake_runner(calls=calls), cache_dir=str(tmp_path))
    assert again.check(STATEMENT, "by omega").correct and len(calls) == 1  # from the cache folder
    other = LeanChecker(Toolchain(("lean",), "Lean (version 4.99.0)"), runner=fake_runner(calls=calls),
                        cache_dir=str(tmp_path))
    assert other.check(STATEMENT, "by omega").correct and len(calls) == 2  # another toolchain
    assert checker.key(STATEMENT, "by omega") != checker.key(STATEMENT, "by  omega")


STAND_INS = Path(__file__).parent / "stand_ins"


def stand_in(script: str) -> tuple[str, ...]:
    """argv running a stand-in through the sandbox's own Python, its source passed inline: the
    sandbox hides the caller's /tmp, where a venv or a clone (and so this file) may live."""
    return (interpreter(), "-c", (STAND_INS / script).read_text())


def test_timeouts_are_verdicts_and_are_not_cached(tmp_path):
    slow = Toolchain(stand_in("sleeping_lean.py"), "stand-in")
    checker = LeanChecker(slow, wall_s=1.0, runner=sandbox_runner, cache_dir=str(tmp_path / "cache"))
    verdict = checker.check(STATEMENT, "by omega")
    assert verdict.reason is Reason.TIMEOUT
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())


def test_a_stand_in_lean_runs_through_the_sandbox():
    checker = LeanChecker(Toolchain(stand_in("echo_lean.py"), "stand-in"), wall_s=20.0, memory_mb=1024)
    assert checker.check(STATEMENT, "by omega").correct


def test_a_lean_that_cannot_start_is_an_error_not_a_wrong_proof():
    broken = Toolchain((interpreter(), "/nonexistent/missing_lean.py"), "stand-in")
    verdict = LeanChecker(broken, wall_s=20.0, memory_mb=1024).check(STATEMENT, "by omega")
    assert verdict.reason is Reason.ERROR


def test_toolchain_lookup_order(monkeypatch, tmp_path):
    fake = tmp_path / "lean"
    fake.write_text("#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'Lean (version 4.9.9, test)'; fi\n")
    fake.chmod(0o755)
    toolchain_module.find_toolchain.cache_clear()
    monkeypatch.setenv("SYNLOG_LEAN", str(fake))
    monkeypatch.delenv("SYNLOG_LEAN_PROJECT", raising=False)
    found = toolchain_module.find_toolchain()
    assert found is not None and found.version == "Lean (version 4.9.9, test)" and found.argv == (str(fake),)
    toolchain_module.find_toolchain.cache_clear()
    monkeypatch.setenv("SYNLOG_LEAN", str(tmp_path / "missing"))
    assert toolchain_module.find_toolchain() is None
    with pytest.raises(LeanNotFound, match=r"Lean 4 toolchain not found \(set SYNLOG_LEAN\)"):
        toolchain_module.require_toolchain()
    toolchain_module.find_toolchain.cache_clear()


def test_without_lean_verify_raises_instead_of_scoring_zero(monkeypatch):
    task = get_task("lean_proof")
    monkeypatch.setattr("synlog.tasks.lean.checker.require_toolchain",
                        lambda: (_ for _ in ()).throw(LeanNotFound()))
    monkeypatch.setattr("synlog.tasks.lean.proofs.checker", lambda mathlib: LeanChecker(None))
    problem = {"statement": STATEMENT, "mathlib": False}
    assert task.verify(problem, "by sorry").reason is Reason.INVALID  # static rules need no Lean
    with pytest.raises(LeanNotFound):
        task.verify(problem, "by omega")


def test_cli_verify_on_a_lean_dataset_without_lean_exits_with_a_clear_error(tmp_path, monkeypatch):
    if REAL is not None:
        pytest.skip("a Lean toolchain is installed here")
    from click.testing import CliRunner

    from synlog.cli.main import cli

    runner = CliRunner()
    out = tmp_path / "data"
    result = runner.invoke(cli, ["generate", "--task", "lean_proof", "-n", "3", "-o", str(out), "--format", "jsonl",
                                 "--workers", "1"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for path in sorted(Path(out).rglob("*.jsonl")) for line in path.read_text().splitlines()]
    completions = tmp_path / "c.jsonl"
    completions.write_text("\n".join(json.dumps({"id": r["id"], "completion": f"<answer>{r['answer']}</answer>"})
                                     for r in rows))
    result = runner.invoke(cli, ["verify", str(out), "-c", str(completions), "--workers", "0"])
    assert result.exit_code != 0
    assert NOT_FOUND in result.output


@needs_lean
@pytest.mark.parametrize("kind", CORE_KINDS)
def test_reference_proofs_compile(kind):
    rng = np.random.default_rng(5)
    goals = [GENERATORS[kind](rng, size, size % 5, size % 4) for size in range(8)]
    checker = LeanChecker(REAL)
    verdicts = checker.check_many([(g.statement, g.proof) for g in goals])
    assert all(v.correct for v in verdicts), list(zip(goals, verdicts, strict=True))


@needs_lean
def test_wrong_proofs_fail_with_real_lean():
    checker = LeanChecker(REAL)
    assert checker.check(STATEMENT, "by omega").correct
    assert checker.check(STATEMENT, "by rfl").reason is Reason.WRONG
    assert checker.check(STATEMENT, "by exact h").reason is Reason.WRONG


def test_verify_many_checks_pass_at_k_in_one_lean_run(monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr("synlog.tasks.lean.proofs.checker",
                        lambda mathlib: LeanChecker(FAKE, runner=fake_runner(calls=calls)))
    task = get_task("lean_proof")
    problem = {"statement": STATEMENT, "mathlib": False}
    answers = [f"by omega -- sample {i}" for i in range(63)] + ["by sorry"]
    verdicts = task.verify_many([problem] * 64, answers)
    assert sum(v.correct for v in verdicts) == 63 and verdicts[-1].reason is Reason.INVALID
    assert len(calls) == 1


def test_cli_mathlib_option_rejects_a_folder_that_is_not_a_lake_project(tmp_path):
    from click.testing import CliRunner

    from synlog.cli.main import cli

    result = CliRunner().invoke(cli, ["generate", "-t", "lean_proof", "-n", "2", "-o", str(tmp_path / "d"),
                                      "--mathlib", str(tmp_path)])
    assert result.exit_code == 2 and "not a Lake project" in result.output
    (tmp_path / "lakefile.lean").write_text("-- a project\n")
    result = CliRunner().invoke(cli, ["generate", "-t", "sudoku", "-n", "2", "-o", str(tmp_path / "d"),
                                      "--mathlib", str(tmp_path)])
    assert result.exit_code == 2


def test_cli_mathlib_option_generates_mathlib_goals_with_the_projects_toolchain(tmp_path, monkeypatch):
    """Stand-in ``lake`` and ``lean`` on PATH (no toolchain here): the project's LEAN_PATH and
    version are picked up, and lean_proof rows get Mathlib goals."""
    from click.testing import CliRunner

    from synlog.cli.main import cli

    bin_dir, project = tmp_path / "bin", tmp_path / "mathproj"
    bin_dir.mkdir()
    project.mkdir()
    (project / "lakefile.toml").write_text('name = "mathproj"\n')
    (bin_dir / "lake").write_text("#!/bin/sh\necho /stand-in/mathlib/lib\n")
    (bin_dir / "lean").write_text("#!/bin/sh\n[ \"$1\" = --version ] && echo 'Lean (version 4.9.9, stand-in)'\n")
    for tool in ("lake", "lean"):
        (bin_dir / tool).chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.delenv("SYNLOG_LEAN", raising=False)
    monkeypatch.delenv("SYNLOG_LEAN_PROJECT", raising=False)  # restored after: the CLI sets it
    find_toolchain.cache_clear()
    try:
        out = tmp_path / "data"
        # tactic_share=1: only the tactic-closable kinds, so Mathlib goals are common in 30 rows
        result = CliRunner().invoke(cli, ["generate", "-t", "lean_proof", "-d", "5", "-n", "30", "--set", "tactic_share=1", "-o", str(out),
                                          "--format", "jsonl", "--workers", "1", "--mathlib", str(project)])
        assert result.exit_code == 0, result.output
        rows = [json.loads(line) for path in sorted(out.rglob("*.jsonl")) for line in path.read_text().splitlines()]
        problems = [json.loads(r["problem"]) for r in rows]
        assert all(p["mathlib"] and p["toolchain"] == "Lean (version 4.9.9, stand-in)" for p in problems)
        assert {p["kind"] for p in problems} & set(MATHLIB_KINDS)
        assert find_toolchain().argv[:2] == ("/usr/bin/env", "LEAN_PATH=/stand-in/mathlib/lib")
    finally:
        find_toolchain.cache_clear()
