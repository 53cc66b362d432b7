"""Printing a command's ``--json`` document: one object on stdout, nothing else there."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any

import click


def print_json(document: Mapping[str, Any]) -> None:
    """The document, indented, with non-ASCII text as it is (supplier names, '£')."""
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    sys.stdout.flush()
