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
