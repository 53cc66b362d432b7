"""Hostile requests to the viewer served for real: paths out of the evidence folders, and other
sites' host names (DNS rebinding).

Every request goes out byte for byte on a loopback socket (``tests.raw_http``): a normal HTTP
client would remove ``%2e%2e`` segments and fix the ``Host`` header before sending, and so would
never send what an attacker sends.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from config.audit_settings import ViewerSettings
from config.settings import load_settings
from rpa.ledger import Ledger
from tests.raw_http import raw_request
from tests.viewer.conftest import Trail, serving

MARKER = "must-never-be-served"
SCREENSHOT = "REQ-2026-0103-failure.png"


def _plant(trail: Trail) -> str:
    """The failed run, with a run log and a file outside the logs that carry ``MARKER``, and a
    link from its evidence folder to a digest (inside the logs, outside the evidence)."""
    run_id = trail.failed.record.run_id
    run_dir = trail.logs_dir / "runs" / run_id
    (run_dir / "events.jsonl").write_text(f'{{"event": "{MARKER}"}}\n', encoding="utf-8")
    (trail.home / "secret.txt").write_text(MARKER, encoding="utf-8")
    digest = trail.logs_dir / "audit" / "digests" / "digest-00000001.json"
    (run_dir / "evidence" / "digest-link.json").symlink_to(digest)
    return run_id


def _escapes(run_id: str) -> list[str]:
    folder = f"/evidence/runs/{run_id}/evidence"
    return [
        # Encoded dot segments: the decoded path stays under runs/<run>/evidence/ by its first
        # three segments, and would resolve to the run's log, its record or the digests.
        f"{folder}/%2e%2e/events.jsonl",
        f"{folder}/%2E%2E/run.json",
        f"{folder}/%2e%2e/%2e%2e/%2e%2e/audit/digests/digest-00000001.json",
        f"/evidence/runs/{run_id}/%2e%2e/%2e%2e/audit/digests/digest-00000001.json",
        f"{folder}/..%2fevents.jsonl",
        f"{folder}/%2e%2e%2fevents.jsonl",
        f"{folder}/../events.jsonl",  # not encoded at all: the server does not remove it
        f"{folder}/./%2e%2e/events.jsonl",
        # Double encoding: decoded once, it names a folder called "%2e%2e".
        f"{folder}/%252e%252e/events.jsonl",
        f"{folder}/%252e%252e%252fevents.jsonl",
        # Backslashes, as another operating system would read them.
        f"{folder}/..\\events.jsonl",
        f"{folder}/%2e%2e%5cevents.jsonl",
        f"{folder}/%5c..%5c..%5c..%5caudit%5cdigests%5cdigest-00000001.json",
        # Out of the logs altogether.
        f"{folder}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/secret.txt",
        "/evidence/%2e%2e/secret.txt",
        "/evidence//etc/passwd",
        "/evidence/%2fetc%2fpasswd",
        f"/evidence/{'%2e%2e/' * 12}etc/passwd",
        # A NUL byte ends the name for the C library: "...png" would be opened.
        f"{folder}/{SCREENSHOT}%00.txt",
        f"{folder}/%00",
        # A link inside the evidence folder to a file elsewhere in the logs.
        f"{folder}/digest-link.json",
        # Not evidence, though under the run.
        f"/evidence/runs/{run_id}/run.json",
        f"/evidence/runs/{run_id}/events.jsonl",
        "/evidence/audit/digests/digest-00000001.json",
    ]


def test_evidence_paths_are_confined_to_the_run_evidence_folder(
    trail: Trail, ledger: Ledger
) -> None:
    """Every escape answers 404, whatever its encoding, and serves none of the files it aims at;
    the screenshot itself is still served."""
    run_id = _plant(trail)
    digest = (trail.logs_dir / "audit" / "digests" / "digest-00000001.json").read_bytes()
    run_record = (trail.logs_dir / "runs" / run_id / "run.json").read_bytes()
    with serving(ledger, trail.logs_dir) as port:
        shot = raw_request(port, f"/evidence/runs/{run_id}/evidence/{SCREENSHOT}")
        assert shot.status == 200 and shot.body.startswith(b"\x89PNG")
        for target in _escapes(run_id):
            for method in ("GET", "HEAD"):
                answer = raw_request(port, target, method=method)
                assert answer.status == 404, (method, target, answer.status)
                assert MARKER.encode() not in answer.body, target
                assert digest not in answer.body and run_record not in answer.body, target
                assert b"root:" not in answer.body, target


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "127.0.0.1.evil.example:{port}",
        "localhost.evil.example",
        "[::2]:{port}",
        "127.0.0.2:{port}",
        "127.0.0.1:{port}@evil.example",
        "",
    ],
)
def test_another_host_name_is_refused(trail: Trail, ledger: Ledger, host: str) -> None:
    """A page of another site, its name pointed at 127.0.0.1, reads nothing: 421 with a
    one-line reason on every route, the evidence files included."""
    run_id = trail.failed.record.run_id
    with serving(ledger, trail.logs_dir) as port:
        for target in (
            "/runs",
            f"/runs/{run_id}",
            f"/evidence/runs/{run_id}/evidence/{SCREENSHOT}",
        ):
            answer = raw_request(port, target, host=host.format(port=port) or " ")
            assert answer.status in {400, 421}, (host, target, answer.status)
            assert run_id.encode() not in answer.body and b"PNG" not in answer.body
            assert answer.text.count("\n") <= 1


def test_own_names_are_answered(trail: Trail, ledger: Ledger) -> None:
    """Bound to loopback, the viewer answers 127.0.0.1, localhost and [::1], any port."""
    with serving(ledger, trail.logs_dir) as port:
        for host in ("127.0.0.1:{port}", "localhost:{port}", "LOCALHOST", "[::1]:{port}"):
            answer = raw_request(port, "/runs", host=host.format(port=port))
            assert answer.status == 200, host
            assert trail.failed.record.run_id in answer.text


def test_configured_names_are_answered(trail: Trail, ledger: Ledger) -> None:
    """audit.viewer.allowed_hosts adds names (a reverse proxy's); others stay refused."""
    settings = ViewerSettings(allowed_hosts=["rpa-viewer.example", "logs.example:8443"])
    with serving(ledger, trail.logs_dir, settings) as port:
        assert raw_request(port, "/runs", host="rpa-viewer.example").status == 200
        assert raw_request(port, "/runs", host="logs.example").status == 200
        refused = raw_request(port, "/runs", host="other.example")
        assert refused.status == 421
        assert "audit.viewer.allowed_hosts" in refused.text
        assert refused.headers["x-content-type-options"] == "nosniff"


def test_allowed_hosts_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """RPA_AUDIT__VIEWER__ALLOWED_HOSTS takes names separated by commas, or a JSON list."""
    monkeypatch.setenv("RPA_AUDIT__VIEWER__ALLOWED_HOSTS", "rpa-viewer.example, logs.example")
    viewer = load_settings(home=tmp_path).audit.viewer
    assert viewer.allowed_hosts == ["rpa-viewer.example", "logs.example"]
    monkeypatch.setenv("RPA_AUDIT__VIEWER__ALLOWED_HOSTS", '["rpa-viewer.example"]')
    assert load_settings(home=tmp_path).audit.viewer.allowed_hosts == ["rpa-viewer.example"]
