"""Test doubles: tasks whose verifiers misbehave on purpose.

A real verifier that hangs or kills its process on demand does not exist (that is the point of
the bounds), so these stand in for one. They are imported only inside verifier workers (through
``VerifierPool(imports=...)``), never by the test process, so the contract suite ignores them.
"""

from __future__ import annotations

import os
import signal
import time

from synlog.tasks.base import Task, register
from synlog.tasks.knobs import Knobs
from synlog.verifiers.verdict import Verdict


@register
class FaultyVerifier(Task):
    """Answer 'hang', 'crash', 'raise', 'memory' or anything else (scored correct)."""

    name, family, version = "test_faulty_verifier", "state", 1
    knobs = Knobs()

    def verify(self, problem, answer):
        if answer == "hang":
            while True:
                time.sleep(0.05)
        if answer == "crash":
            os.kill(os.getpid(), signal.SIGKILL)
        if answer == "raise":
            raise RuntimeError("verifier bug")
        if answer == "memory":
            hog = bytearray(64 * 1024 * 1024 * 1024)  # over any address-space limit we set
            return Verdict.ok(size=len(hog))
        return Verdict.ok()



@register
class SlowWarmUp(Task):
    """A verifier whose helper takes 2 s to start (like the sympy worker on a loaded machine)."""

    name, family, version = "test_slow_warm_up", "state", 1
    knobs = Knobs()

    def warm_up(self):
        time.sleep(2.0)

    def verify(self, problem, answer):
        return Verdict.ok() if answer == "right" else Verdict.wrong()
