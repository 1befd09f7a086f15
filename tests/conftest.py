"""Shared fixtures and options.

``--contract-n N`` sets how many examples per level the task contract samples (default 6;
the ``slow`` run uses 200, as the contract asks).
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--contract-n", type=int, default=None, help="examples per level in contract tests")


@pytest.fixture(scope="session")
def contract_n(request: pytest.FixtureRequest) -> int:
    return request.config.getoption("--contract-n") or 6


@pytest.fixture(scope="session")
def ray_cluster():
    """A real local Ray cluster of 2 CPUs (started once per test process), or a skip naming Ray."""
    ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'synlog[ray]')")
    if not ray.is_initialized():
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield ray
    ray.shutdown()
