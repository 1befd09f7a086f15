"""Backends for the sandbox tests: every backend, skipped with the reason where it cannot run."""

from __future__ import annotations

import pytest

from synlog.sandbox import BACKENDS, available_backends


def unavailable_reason(name: str) -> str | None:
    if name in available_backends():
        return None
    if name == "docker":
        from synlog.sandbox import docker

        return docker.why_unavailable()
    if name == "bwrap":
        return "bubblewrap is not installed or cannot create namespaces here (apt-get install bubblewrap)"
    return f"the {name} backend cannot run here"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    reason = unavailable_reason(request.param)
    if reason:
        pytest.skip(reason)
    return request.param
