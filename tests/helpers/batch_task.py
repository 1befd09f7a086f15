"""Test double: a task with ``verify_many``, standing in for an expensive batch checker.

``lean_proof`` checks many proofs in one Lean process, but no Lean toolchain is here to
observe that through the pool, so this task stands in: ``verify_many`` stamps each verdict
with its process id and group size, so a test can see how the pool grouped the jobs.
'hang' and 'raise' misbehave in both paths; 'no' is wrong; anything else is correct.

Workers import this module (``VerifierPool(imports=...)``); the test process registers the
task only for the tests that need it, with :func:`registered`.
"""

from __future__ import annotations

import contextlib
import os
import time

from synlog.tasks import base
from synlog.tasks.base import Task
from synlog.tasks.knobs import Knobs
from synlog.verifiers.verdict import Verdict

NAME = "test_batch_verifier"


class BatchVerifier(Task):
    """Answer anything; see the module doc for the misbehaving answers."""

    name, family, version = NAME, "state", 1
    knobs = Knobs()

    def verify(self, problem, answer):
        if answer == "hang":
            while True:
                time.sleep(0.05)
        if answer == "raise":
            raise RuntimeError("verifier bug")
        return Verdict.wrong("no", batch=1) if answer == "no" else Verdict.ok(batch=1)

    def verify_many(self, problems, answers):
        if "hang" in answers:
            while True:
                time.sleep(0.05)
        if "raise" in answers:
            raise RuntimeError("batch verifier bug")
        n, pid = len(answers), os.getpid()
        return [Verdict.wrong("no", batch=n, pid=pid) if a == "no" else Verdict.ok(batch=n, pid=pid)
                for a in answers]


base._REGISTRY[NAME] = BatchVerifier  # in a worker: known from import on


@contextlib.contextmanager
def registered():
    """Keep the task registered in the test process for a with-block, then remove it."""
    base._REGISTRY[NAME] = BatchVerifier
    base.get_task.cache_clear()
    try:
        yield BatchVerifier
    finally:
        base._REGISTRY.pop(NAME, None)
        base.get_task.cache_clear()
