"""REST clients for the sandbox tests, by REST framework version.

Fusion answers a request without a ``REST-Framework-Version`` header as version 1
(query-by-example ``q``, children as arrays), and so does the sandbox. These tests read and write
as the bots and the pages do, so here ``rest`` (the shared fixture of ``tests/conftest.py``)
asks for version 4 on every request: row-match ``q``, children as collection objects, errors as
a JSON payload (``tests.sandbox.resthelpers.error_message`` reads their message). ``bare_rest``
sends no version, for the tests of Fusion's default.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sandbox.process import SandboxProcess
from tests.sandbox.resthelpers import BOTS_VERSION, rest_client


@pytest.fixture
def rest(sandbox_server: SandboxProcess) -> Iterator[httpx.Client]:
    """The service account's REST client, asking for framework version 4 as the bots do."""
    with rest_client(sandbox_server, BOTS_VERSION) as client:
        yield client


@pytest.fixture
def bare_rest(sandbox_server: SandboxProcess) -> Iterator[httpx.Client]:
    """The service account's REST client without a version header: Fusion's default, 1."""
    with rest_client(sandbox_server, None) as client:
        yield client
