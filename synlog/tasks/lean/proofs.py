"""Lean 4 proofs: prove a locked theorem statement; a real Lean toolchain checks the proof.

For example::

    theorem synlog_goal (a b c : Nat) (h0 : a + 2 ≤ b) (h1 : b + 1 ≤ c) : a + 3 ≤ c
    answer:  by omega

Statements come from :mod:`synlog.tasks.lean.statements` (Nat/Int arithmetic, linear
inequalities, propositional and ∀-chains, lists, parity/divisibility; with the ``mathlib``
knob also ``ring`` / ``norm_num`` / ``nlinarith`` goals), each with a reference proof. A
one-line tactic closes each of those kinds, so they make only ``tactic_share`` (5 %) of the
rows; the rest are *witness* kinds (solve an equation or a system, simultaneous remainders,
factor a number, find a root, refute a claim by a counterexample), which need the solution in
the proof. ``chance`` is that share: the most a one-line proof such as ``by grind`` can earn. Each row
stores the statement, the reference proof and the toolchain version found at generation
(``"unchecked"`` without one; ``tests/lean`` compiles every generator's proofs with a real
toolchain).

Rules (:mod:`synlog.tasks.lean.checker`): the answer is the proof after ``:=`` (or the whole
theorem with a byte-identical header); the static screen (:mod:`synlog.tasks.lean.screen`) reads
it as Lean's tokenizer does and rejects escape hatches before Lean runs (sorry / admit / stop,
exact? and other suggestion tactics, native evaluation, new axioms or commands, a plain
``open``, set_option, macros, attributes, unclosed literals); then Lean must report no error and
no sorry, and our trusted ``#print axioms`` may list only propext, Classical.choice and Quot.sound. Any correct proof is accepted (``unique_answer`` is False:
``by omega`` proves many statements). Without a toolchain, statically rejected answers still
get their verdict; anything that needs Lean raises :class:`LeanNotFound` (never a silent 0).
"""

from __future__ import annotations

from functools import cache

import numpy as np

from synlog.errors import KnobError
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.tasks.lean.checker import LeanChecker
from synlog.tasks.lean.statements import (
    CORE_KINDS,
    GENERATORS,
    GUESSES,
    MATHLIB_KINDS,
    ONE_LINE_PROOFS,
    WITNESS_KINDS,
)
from synlog.tasks.lean.toolchain import find_toolchain, require_toolchain
from synlog.verifiers.verdict import Verdict

MATHLIB_HEADER = "import Mathlib\n\n"
_FIRST = ",".join(k for k in WITNESS_KINDS if k != "system")
_ALL = ",".join(WITNESS_KINDS)


@cache
def checker(mathlib: bool) -> LeanChecker:
    """One checker (and cache) per process and header."""
    return LeanChecker(header=MATHLIB_HEADER if mathlib else "")


@register
class LeanProof(Task):
    """Prove a generated Lean 4 theorem; the proof is compiled by a real Lean toolchain."""

    name, family, version = "lean_proof", "lean", 2
    unique_answer = False
    #: by design: a one-line tactic closes at most the tactic_share of rows (the other kinds)
    chance = 0.05
    knobs = Knobs(
        kinds=Knob(str, levels=[_FIRST + ",arith,prop", _FIRST + ",arith,prop,lists",
                                _ALL + ",arith,linear,prop,lists", _ALL + ",linear,prop,lists,parity",
                                _ALL + ",linear,prop,forall,parity", *[",".join(CORE_KINDS)] * 5],
                   help=f"comma-separated statement kinds: {', '.join(CORE_KINDS + MATHLIB_KINDS)}"),
        tactic_share=Knob(float, levels=[0.05] * 10, lo=0.0, hi=1.0,
                          help="share of rows from the kinds a one-line tactic closes (when the "
                               "kinds list has both those and witness kinds)"),
        size=Knob(int, levels=[1, 1, 2, 2, 3, 3, 4, 5, 6, 8], lo=0, hi=30, help="term size"),
        hypotheses=Knob(int, levels=[1, 1, 2, 2, 3, 3, 4, 5, 6, 7], lo=0, hi=7,
                        help="hypotheses (chain length)"),
        depth=Knob(int, levels=[0, 0, 1, 1, 1, 2, 2, 2, 3, 3], lo=0, hi=4,
                   help="quantifier / connective depth and Int instead of Nat"),
        mathlib=Knob(bool, levels=[False] * 10,
                     help="add Mathlib goals (ring, norm_num, nlinarith); needs SYNLOG_LEAN_PROJECT"),
    )

    def check_requirements(self) -> None:
        require_toolchain()

    def check_params(self, params: Params) -> None:
        kinds = str(params.kinds).split(",")
        unknown = [k for k in kinds if k not in GENERATORS]
        if unknown:
            raise KnobError(f"unknown Lean statement kinds {unknown}; choose from {sorted(GENERATORS)}")

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        kinds = [k for k in p.kinds.split(",") if k in CORE_KINDS or p.mathlib]
        kinds += list(MATHLIB_KINDS) if p.mathlib else []
        closable = [k for k in kinds if k not in WITNESS_KINDS]
        witness = [k for k in kinds if k in WITNESS_KINDS]
        pool = closable if closable and (not witness or rng.random() < p.tactic_share) else witness
        kind = pool[int(rng.integers(len(pool)))]
        goal = GENERATORS[kind](rng, p.size, p.hypotheses, p.depth)
        toolchain = find_toolchain()
        data = {"kind": kind, "statement": goal.statement, "reference_proof": goal.proof,
                "mathlib": bool(p.mathlib), "toolchain": toolchain.version if toolchain else "unchecked",
                "search_nodes": goal.search or goal.size}
        return Problem(data, goal.proof, float(goal.size))

    def hardness(self, problem: dict) -> float:
        """Candidates a plain enumeration tries before the witness (term size without one)."""
        return float(problem.get("search_nodes", 0))

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """Every one-line tactic, and fixed small witnesses / counterexamples."""
        answers = {proof: proof for proof in ONE_LINE_PROOFS}
        for g in GUESSES:
            answers[f"witness {g}"] = f"⟨{g}, by decide⟩"
            answers[f"witnesses {g}, {g}"] = f"⟨{g}, {g}, by decide⟩"
            answers[f"counterexample {g}"] = f"fun h => absurd (h {g} (by decide)) (by decide)"
        return answers

    def verify(self, problem: dict, answer: str) -> Verdict:
        # the checker screens first: a statically refused answer needs no toolchain
        return checker(bool(problem.get("mathlib"))).check(problem["statement"], answer)

    def verify_many(self, problems: list[dict], answers: list[str]) -> list[Verdict]:
        """Many answers in one Lean run per header (pass@k: one cold start, not k)."""
        verdicts: list[Verdict | None] = [None] * len(answers)
        for mathlib in (False, True):
            picked = [i for i, p in enumerate(problems) if bool(p.get("mathlib")) == mathlib]
            if picked:
                results = checker(mathlib).check_many([(problems[i]["statement"], answers[i]) for i in picked])
                for i, verdict in zip(picked, results, strict=True):
                    verdicts[i] = verdict
        return [v if v is not None else Verdict.error("unchecked") for v in verdicts]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        statement = problem.data["statement"]
        proof = problem.answer
        return [
            "by sorry",
            "by exact «sorry»",
            f"{proof}\n  admit",
            f"by\n  set_option maxHeartbeats 0 in\n  {proof.removeprefix('by ')}",
            f"{statement.replace('theorem synlog_goal', 'theorem synlog_goal (extra : True)')} := {proof}",
            "by native_decide",
            "by decide +native",
            "by exact?",
            f"by\n  stop\n  {proof.removeprefix('by ')}",
            "by exact sorryAx _",
            "by\n  exact (axiom_of_choice)\naxiom cheat : False",
        ]

    def fallback_extract(self, text: str) -> str | None:
        return None
