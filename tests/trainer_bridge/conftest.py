"""Shared fixtures of the trainer-bridge tests: one bounded scorer per module (1 worker), and
one whose workers also know the misbehaving test tasks (tests/helpers/faulty_tasks.py)."""

from __future__ import annotations

import pytest

import synlog
from synlog.trainer_bridge.scorer import Scorer


@pytest.fixture(scope="module")
def scorer():
    with Scorer(workers=1, timeout=10) as pooled:
        yield pooled


@pytest.fixture(scope="module")
def rows():
    return list(synlog.generate("arithmetic", difficulty=1, n=4, seed=11))


@pytest.fixture(scope="module")
def faulty_scorer():
    """Answers 'raise' make the verifier raise (an ``error`` verdict), 'hang' overruns 2 s."""
    with Scorer(workers=1, timeout=2, imports=["tests.helpers.faulty_tasks"]) as pooled:
        yield pooled


FAULTY = "test_faulty_verifier"
