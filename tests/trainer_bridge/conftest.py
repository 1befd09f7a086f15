"""Shared fixtures of the trainer-bridge tests: one bounded scorer per module (1 worker)."""

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
