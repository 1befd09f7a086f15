"""The options of ``--engine ray`` that generate, verify and serve share (click only: the CLI
starts without Ray or pyarrow)."""

from __future__ import annotations

import click

#: ``--address``: the Ray cluster of ``--engine ray`` (generate, verify, serve)
ray_address_option = click.option(
    "--address", metavar="auto|HOST:PORT|ray://HOST:10001",
    help="The Ray cluster (with --engine ray) [default: RAY_ADDRESS, else a new local one]; "
         "docs/scale.md starts a multi-node one.")


def check_ray_address(address: str | None, engine: str) -> None:
    """``--address`` is for ``--engine ray`` only."""
    if address and engine != "ray":
        raise click.UsageError("--address names a Ray cluster; add --engine ray")
