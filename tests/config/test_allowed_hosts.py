"""The host names a local server answers, by the address it is bound to."""

from __future__ import annotations

import socket

import pytest

from config.allowed_hosts import allowed_hosts, host_of

EVERY_INTERFACE = "0.0.0.0"  # noqa: S104 (an address to compute names for; nothing binds it)


@pytest.mark.parametrize(
    ("header", "host"),
    [
        ("127.0.0.1:8790", "127.0.0.1"),
        ("LocalHost", "localhost"),
        ("[::1]:8765", "::1"),
        ("[0:0:0:0:0:0:0:1]", "::1"),
        ("rpa.example.org.", "rpa.example.org"),
        ("::1", None),  # an IPv6 address needs its brackets
        ("[::1]x", None),
        ("evil.example:80x", None),
        ("127.0.0.1:8790@evil.example", None),
        ("a b", None),
        ("", None),
    ],
)
def test_host_header_parsing(header: str, host: str | None) -> None:
    assert host_of(header) == host


def test_loopback_binding_answers_loopback_names_only() -> None:
    assert allowed_hosts("127.0.0.1") == {"127.0.0.1", "localhost", "::1"}
    assert allowed_hosts("[::1]") == {"127.0.0.1", "localhost", "::1"}
    assert allowed_hosts("localhost", ["rpa.example.org:443"]) == {
        "127.0.0.1",
        "localhost",
        "::1",
        "rpa.example.org",
    }


def test_a_specific_address_answers_itself_and_configured_names() -> None:
    assert allowed_hosts("192.0.2.5", ["rpa-viewer.example"]) == {
        "192.0.2.5",
        "rpa-viewer.example",
    }


def test_every_interface_answers_this_machine_name() -> None:
    names = allowed_hosts(EVERY_INTERFACE, ["rpa-viewer.example"])
    assert host_of(socket.gethostname()) in names
    assert {"localhost", "127.0.0.1", "::1", "rpa-viewer.example"} <= names
    assert "evil.example" not in names
