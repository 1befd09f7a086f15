"""Batch isolation: in one Lean file of many proofs, no proof's text decides another's verdict,
and a missing trusted axiom report never counts as success (stand-in runners, no Lean needed)."""

from __future__ import annotations

import re

from synlog.tasks.lean.checker import LeanChecker
from synlog.tasks.lean.screen import proof_body
from synlog.verifiers.verdict import Reason
from tests.lean.fakes import FAKE, STATEMENT, answer, fake_runner, message, swallowing_runner

HOSTILE = 'by omega\n  have : "x = 1'  # an unclosed string: in Lean it swallows all that follows


def no_screen(monkeypatch):
    """Simulate a gap in the screen: every answer goes to Lean as it is."""
    monkeypatch.setattr("synlog.tasks.lean.checker.screen", proof_body)


def test_a_screened_out_proof_never_reaches_the_lean_file():
    calls: list[str] = []
    checker = LeanChecker(FAKE, runner=swallowing_runner(calls))
    verdicts = checker.check_many([(STATEMENT, HOSTILE), (STATEMENT, "by omega"), (STATEMENT, "by decide")])
    assert verdicts[0].reason is Reason.INVALID and "unclosed string" in verdicts[0].details["why"]
    assert [v.reason for v in verdicts[1:]] == [Reason.OK, Reason.OK]
    assert len(calls) == 1 and "x = 1" not in calls[0]


def test_a_proof_that_swallows_the_file_cannot_change_the_next_proofs_verdict(monkeypatch):
    no_screen(monkeypatch)
    calls: list[str] = []
    batch = [(STATEMENT, HOSTILE), (STATEMENT, "by omega"), (STATEMENT, 'by omega -- say "hi"')]
    verdicts = LeanChecker(FAKE, runner=swallowing_runner(calls)).check_many(batch)
    alone = [LeanChecker(FAKE, runner=swallowing_runner()).check(s, p) for s, p in batch[1:]]
    assert not verdicts[0].correct
    assert [v.reason for v in verdicts[1:]] == [v.reason for v in alone] == [Reason.OK, Reason.OK]
    # the first file lost every report after the hostile proof; the rest were checked again without it
    assert len(calls) == 2 and "x = 1" in calls[0] and "x = 1" not in calls[1]


def test_a_proof_cannot_stand_in_for_a_trusted_report(monkeypatch):
    no_screen(monkeypatch)

    def run(toolchain, text, wall_s, memory_mb):
        # every #print in the file is reported, except the trusted one of the proof that hid it
        lines = text.split("\n")
        hidden = next(n for n, line in enumerate(lines, start=1) if line.startswith("#print axioms Synlog.P1_"))
        return answer([message("information", n, f"'{line.split()[-1]}' depends on axioms: [propext]")
                       for n, line in enumerate(lines, start=1) if line.startswith("#print axioms") and n != hidden])

    # its own forged report, under the name a fixed naming scheme would give its theorem, and another's
    forger = "by skip\n#print axioms Synlog.P1.synlog_goal\n#print axioms Synlog.P0.synlog_goal"
    verdicts = LeanChecker(FAKE, runner=run).check_many([(STATEMENT, "by omega"), (STATEMENT, forger)])
    assert verdicts[0].correct
    assert verdicts[1].reason is Reason.INVALID and "no trusted axiom report" in verdicts[1].details["why"]


def test_every_run_names_its_theorems_afresh():
    calls: list[str] = []
    checker = LeanChecker(FAKE, runner=fake_runner(calls=calls))
    checker.check_many([(STATEMENT, "by omega"), (STATEMENT, "by simp")])
    checker.check_many([(STATEMENT, "by decide")])
    names = [re.findall(r"#print axioms (\S+)", text) for text in calls]
    assert all(re.fullmatch(r"Synlog\.P\d_[0-9a-f]{8}\.synlog_goal", n) for ns in names for n in ns)
    assert names[0][0].split(".")[1].split("_")[1] != names[1][0].split(".")[1].split("_")[1]


def test_a_missing_trusted_report_is_never_a_success():
    silent = LeanChecker(FAKE, runner=lambda toolchain, text, wall_s, memory_mb: answer([]))
    assert silent.check(STATEMENT, "by omega").reason is Reason.INVALID  # Lean finished, our check did not
    quiet = LeanChecker(FAKE, runner=lambda toolchain, text, wall_s, memory_mb: answer(
        [message("information", 1, "something else")]))
    verdicts = quiet.check_many([(STATEMENT, "by omega"), (STATEMENT, "by decide")])
    assert [v.reason for v in verdicts] == [Reason.INVALID, Reason.INVALID]


def test_a_report_counts_only_on_its_own_line_and_for_its_own_theorem():
    def run(toolchain, text, wall_s, memory_mb):
        lines = text.split("\n")
        at = next(n for n, line in enumerate(lines, start=1) if line.startswith("#print axioms"))
        name = lines[at - 1].split()[-1]
        return answer([message("information", at - 1, f"'{name}' depends on axioms: [propext]"),
                       message("information", at, f"'{name}.other' depends on axioms: [propext]")])

    assert LeanChecker(FAKE, runner=run).check(STATEMENT, "by omega").reason is Reason.INVALID


def test_a_scope_left_open_sends_the_later_proofs_to_a_file_of_their_own():
    calls: list[str] = []

    def run(toolchain, text, wall_s, memory_mb):
        calls.append(text)
        out = []
        for n, line in enumerate(text.split("\n"), start=1):
            if line.startswith("end ") and "weird" in text.split("\n")[n - 3]:
                out.append(message("error", n, "invalid 'end', name mismatch"))
            if line.startswith("#print axioms"):
                out.append(message("information", n, f"'{line.split()[-1]}' depends on axioms: [propext]"))
        return answer(out, status="runtime_error" if len(out) > 2 else "ok")

    verdicts = LeanChecker(FAKE, runner=run).check_many([(STATEMENT, "by weird"), (STATEMENT, "by omega")])
    assert verdicts[0].reason is Reason.WRONG and verdicts[1].reason is Reason.OK
    assert len(calls) == 2 and "weird" not in calls[1]


def test_a_batch_that_blows_a_limit_is_checked_one_proof_at_a_time():
    calls: list[str] = []
    inner = fake_runner(calls=calls)

    def run(toolchain, text, wall_s, memory_mb):
        result = inner(toolchain, text, wall_s, memory_mb)
        if "by explode" in text:
            result.status = "memory"
        return result

    verdicts = LeanChecker(FAKE, runner=run).check_many([(STATEMENT, p) for p in ("by omega", "by explode", "by decide")])
    assert [v.reason for v in verdicts] == [Reason.OK, Reason.WRONG, Reason.OK]
    assert len(calls) == 4  # the batch, then each proof alone


def test_infrastructure_failures_are_errors_and_are_not_cached(tmp_path):
    broken = LeanChecker(FAKE, cache_dir=str(tmp_path), runner=lambda toolchain, text, wall_s, memory_mb: answer(
        [], status="sandbox_error"))
    assert broken.check(STATEMENT, "by omega").reason is Reason.ERROR
    assert not list(tmp_path.iterdir()) and not broken.cache
