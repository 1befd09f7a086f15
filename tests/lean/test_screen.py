"""The static screen reads a proof the way Lean's tokenizer does: comments and string literals are
not code, nothing Lean reads as code hides in them, and every escape hatch is refused before
Lean runs (no toolchain needed)."""

from __future__ import annotations

import pytest

from synlog.tasks.lean.checker import assemble, screen
from synlog.tasks.lean.screen import lex
from synlog.verifiers.verdict import Reason, Verdict
from tests.lean.fakes import STATEMENT


def refused(proof: str) -> bool:
    verdict = screen(STATEMENT, proof)
    return isinstance(verdict, Verdict) and verdict.reason is Reason.INVALID


def passes(proof: str) -> bool:
    return screen(STATEMENT, proof) == proof.strip()


@pytest.mark.parametrize("proof", [
    "by -- the end\n  omega",
    "by omega -- this theorem follows",
    "-- this theorem follows from omega\nby omega",
    "by\n  -- no sorry, no admit, no axiom, no #eval here\n  omega",
    'by omega -- a "quote and a « in a comment',
    "by omega -- the end\u2028theorem is still the comment",
])
def test_comments_do_not_trip_the_keyword_screen(proof):
    assert passes(proof), screen(STATEMENT, proof)


def test_a_comment_marker_inside_a_string_is_not_a_comment():
    assert passes('by\n  have : "a -- b" = "a -- b" := rfl\n  omega')
    assert refused('by\n  have : "-- the end" = "-- the end" := rfl\n  sorry')  # the code after it is read
    assert refused('by\n  exact "--"\ntheorem cheat : False := sorry')


@pytest.mark.parametrize("proof", ["by omega--the end", "by\n  exact x <-- y", "by exact 1e--5", "by exact h\u00a0-- x"])
def test_a_comment_glued_to_a_token_is_refused(proof):
    # Lean may read `<--` as `<-` then `-`, and `1e--` as a broken literal: the rest would be code
    assert refused(proof)


def test_an_unseen_line_separator_stays_inside_its_comment_in_the_file():
    text = assemble(STATEMENT, "by omega -- the end\u2028theorem cheat : False := sorry")
    # Lean ends a line (and a comment) at \n only, so the file must not break the line anywhere else
    assert "  by omega -- the end\u2028theorem cheat : False := sorry" in text.split("\n")


@pytest.mark.parametrize("proof", [
    "by\n  open Nat in simp",
    "by\n  open Nat in\n  omega",
    "open Nat in by omega",
    "by\n  open Nat (succ_le_of_lt) in exact succ_le_of_lt h",
    "by\n  open scoped Classical in omega",
    "by\n  open Nat hiding add_comm in omega",
])
def test_open_in_scopes_a_namespace_to_one_tactic_or_term(proof):
    assert passes(proof), screen(STATEMENT, proof)


@pytest.mark.parametrize("proof", [
    "by\n  omega\nopen Nat",  # a command: it would change what follows
    "by omega\nopen Nat\ntheorem x : True := trivial",
    "by\n  omega\nopen Nat in",  # nothing to scope: it would apply to our `end`
    "by\n  omega\nopen Nat in -- nothing after it",
    "by\n  open Lean.Elab.Tactic in omega",  # open … in enables nothing the screen forbids
    "by\n  open Nat in native_decide",
    "by\n  open Lean in exact trustCompiler",
    "by\n  open Synlog in omega",
])
def test_a_plain_open_and_what_open_in_cannot_unlock_are_refused(proof):
    assert refused(proof)


@pytest.mark.parametrize("proof", [
    "by exact sorryAx _", "by exact sorryAx _ false", "by exact _root_.sorryAx _", "by exact «sorryAx» _",
    "by stop omega", "by\n  stop\n  omega",
    "by exact?", "by apply?", "by rw?", "by simp?", "by simp_all?", "by simp?!", "by aesop?", "by «exact?»",
    "by decide +native", "by decide (config := {native := true})", "by decide (config := { native := true })",
    "by native_decide", "by exact Lean.trustCompiler", "by exact Lean.ofReduceBool _ _ rfl",
    "by exact Lean.ofReduceNat _ _ rfl", "by exact Lean.reduceBool true", "by bv_decide",
    "by exact implemented_by", "by exact decl_name%", "by by_elab pure ()", "by run_tac pure ()",
    "by exact unsafeCast 0", "by exact panic! \"x\"", "by exact Synlog.P0.synlog_goal",
    "by omega\nexport Nat (succ)", "by omega\nnotation3 \"x\" => 1", "by omega\nunif_hint : True",
    "by omega\nlocal instance : Inhabited False := ⟨sorry⟩", "by omega\nsimproc cheat (x) := fun _ => none",
])
def test_escape_hatches_are_refused(proof):
    assert refused(proof), screen(STATEMENT, proof)


@pytest.mark.parametrize("proof", [
    "by\n  have := xs.head?\n  omega",  # a dotted name ending in ? is a function, not a tactic
    "by simp [List.find?]; omega",
    "by exact ?_",
    "by decide +kernel",
    "by exact (h.1.elim)",
    "h.2.le",
    "by\n  have h₁' : a < b := h\n  omega",
    "by exact «h»",
    "by\n  have : 'x' = 'x' := rfl\n  omega",
    'by\n  have : "\\"" = "\\"" := rfl\n  omega',
    "by exact '\"'",
])
def test_ordinary_proofs_that_look_like_escape_hatches_pass(proof):
    assert passes(proof), screen(STATEMENT, proof)


@pytest.mark.parametrize("proof", [
    'by omega\n  have : "x = 1',  # an unclosed " swallows the trusted #print axioms
    'by\n  have : "\\" = 1 := rfl\n  omega',  # \" does not close the string
    "by exact «foo", "by exact foo»", "by exact «a\nb»",
    "by exact 'a", "by exact ''", "by exact 1'\"'",
    'by exact r"\\"', 'by exact r#"a"b"#', 'by exact s!"{x}"', 'by dbg_trace "{"}"; omega',
    'by exact "\\q"', 'by exact "\\u{41}"', "by exact 0xtheorem",
    "by omega /- unclosed comment", "by omega /-- doc -/",
])
def test_unclosed_or_ambiguous_literals_are_refused(proof):
    assert refused(proof), screen(STATEMENT, proof)


def test_the_reader_splits_like_lean():
    kinds = [(x.kind, x.text) for x in lex('h.1.elim 1e5x "a\\"b" \'c\' «d e».f -- g\nx')]
    assert kinds == [("ident", "h"), ("symbol", "."), ("number", "1."), ("ident", "elim"), ("number", "1e5"),
                     ("ident", "x"), ("string", '"a\\"b"'), ("char", "'c'"), ("ident", "«d e».f"), ("ident", "x")]
    assert lex("«d e».f")[0].parts == ("d e", "f")
    assert screen(STATEMENT, "by exact 1e5theorem").reason is Reason.INVALID  # Lean reads 1e5 then theorem


def test_a_proof_that_is_only_a_comment_is_no_answer():
    assert screen(STATEMENT, "-- by omega").reason is Reason.NO_ANSWER
    assert screen(STATEMENT, "by omega \ud800").reason is Reason.UNPARSEABLE
