"""``rpa sandbox …`` commands."""

from __future__ import annotations

import click


@click.group("sandbox")
def sandbox_group() -> None:
    """The local Oracle Fusion sandbox (training ground and test fixture)."""
