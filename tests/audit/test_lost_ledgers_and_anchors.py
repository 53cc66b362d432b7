"""A deleted ledger, an older copy put back, and anchors kept outside the host.

The ledger file is deleted or replaced on disk, and digest files removed, the way someone with
access to the host would; verification runs through the real ``rpa audit verify`` command.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import cli
from rpa.audit.anchors import read_anchors
from rpa.audit.continuity import TrailContinuityError
from rpa.audit.digests import digest_file
from rpa.audit.problems import ProblemKind
from rpa.audit.verify import verify_trail
from rpa.ledger import Ledger
from rpa.run_record import RunStatus
from rpa.runs import RunRecorder
from tests.audit.conftest import Rpa
from tests.audit.trail_support import SETTINGS, TARGET, Item, build_run, trigger

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def ledger_backend() -> str:
    """SQLite only: these tests delete, copy, put back or mount the ledger's file itself."""
    return "sqlite"


def _ledger_file(home: Path) -> Path:
    return home / "state" / "ledger.sqlite3"


def _copy_ledger(home: Path, to: Path) -> None:
    """A consistent copy of the live database, as a backup tool takes it."""
    with sqlite3.connect(_ledger_file(home)) as source, sqlite3.connect(to) as copy:
        source.backup(copy)
    source.close()
    copy.close()


def _put_back(copy: Path, home: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{_ledger_file(home)}{suffix}").unlink(missing_ok=True)
    copy.replace(_ledger_file(home))


def _start(ledger: Ledger, logs_dir: Path, anchor_dir: Path | None = None) -> RunRecorder:
    recorder = RunRecorder(ledger, logs_dir, anchor_dir=anchor_dir)
    recorder.start(
        flow="raise-purchase-orders", trigger=trigger(), target_url=TARGET, settings=SETTINGS
    )
    return recorder


def test_a_deleted_ledger_fails_verification_and_refuses_the_next_run(
    rpa: Rpa, ledger: Ledger, logs_dir: Path, home: Path
) -> None:
    build_run(ledger, logs_dir, [Item("REQ-2026-0001", "raised", "100231")])
    build_run(ledger, logs_dir, [Item("REQ-2026-0002", "raised", "100232")])
    sealed = digest_file(logs_dir, 1).read_bytes()
    ledger.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{_ledger_file(home)}{suffix}").unlink(missing_ok=True)

    result = rpa("audit", "verify")
    assert result.exit_code == 5, result.output
    assert "[ledger_missing]" in result.stdout
    assert f"the ledger {_ledger_file(home)} does not exist, but digests 1–2" in result.stdout
    assert json.loads(rpa("audit", "verify", "--json").stdout)["problems"][0]["kind"] == (
        "ledger_missing"
    )

    # The next run opens a new, empty ledger: it must not start a trail over the old digests.
    with (
        Ledger(f"sqlite:///{_ledger_file(home)}") as fresh,
        pytest.raises(TrailContinuityError, match="holds no audit trail, but digests 1–2"),
    ):
        _start(fresh, logs_dir)
    assert digest_file(logs_dir, 1).read_bytes() == sealed
    result = rpa("audit", "verify")
    assert result.exit_code == 5 and "[rolled_back]" in result.stdout
    assert "holds no audit trail at all: it was deleted and made anew" in result.stdout


def test_an_older_copy_put_back_fails_verification_and_refuses_the_next_run(
    rpa: Rpa, ledger: Ledger, logs_dir: Path, home: Path, tmp_path: Path
) -> None:
    # Old enough for retention to prune its evidence: a prune writes a digest too.
    build_run(ledger, logs_dir, [Item("REQ-2018-0001", "raised", "100231")], days_ago=8 * 366)
    backup = tmp_path / "backup.sqlite3"
    _copy_ledger(home, backup)
    build_run(ledger, logs_dir, [Item("REQ-2026-0002", "raised", "100232")])
    ledger.close()
    _put_back(backup, home)

    result = rpa("audit", "verify")
    assert result.exit_code == 5, result.output
    first = result.stdout.split("1. ", 1)[1]
    assert first.startswith("[rolled_back] digest 2 seals records up to seq")
    assert "the ledger ends at digest 1" in first and "older copy" in first

    with (
        Ledger(f"sqlite:///{_ledger_file(home)}") as restored,
        pytest.raises(TrailContinuityError, match=r"ends at digest 1 \(seq \d+\), but"),
    ):
        _start(restored, logs_dir)
    sealed = digest_file(logs_dir, 2).read_bytes()
    refused = rpa("audit", "prune")
    assert refused.exit_code == 4
    assert "nothing may be added to it" in refused.stderr
    assert digest_file(logs_dir, 2).read_bytes() == sealed
    assert list((logs_dir / "runs").glob("*/evidence/REQ-2018-0001-confirmation.png"))


def test_anchors_catch_a_rollback_whose_digest_files_were_removed_too(
    rpa: Rpa, ledger: Ledger, logs_dir: Path, home: Path, tmp_path: Path
) -> None:
    """An older copy put back, and the later digest files deleted, verifies on the host alone;
    the anchor kept elsewhere shows the chain once reached further."""
    anchors = tmp_path / "audit-share"
    build_run(ledger, logs_dir, [Item("REQ-2026-0001", "raised", "100231")])
    backup = tmp_path / "backup.sqlite3"
    _copy_ledger(home, backup)
    build_run(ledger, logs_dir, [Item("REQ-2026-0002", "raised", "100232")])
    written = rpa("audit", "anchor", "--to", str(anchors))
    assert written.exit_code == 0, written.output
    assert written.stdout.startswith("Anchored the chain head at seq ")
    assert rpa("audit", "verify", "--anchor", str(anchors)).exit_code == 0
    ledger.close()
    _put_back(backup, home)
    digest_file(logs_dir, 2).unlink()

    assert rpa("audit", "verify").exit_code == 0  # nothing on the host contradicts it
    result = rpa("audit", "verify", "--anchor", str(anchors))
    assert result.exit_code == 5
    assert "[rolled_back] anchor anchor-" in result.stdout
    assert "but the ledger ends at seq" in result.stdout
    # audit.anchor_dir is checked without being named.
    assert rpa("audit", "verify", RPA_AUDIT__ANCHOR_DIR=str(anchors)).exit_code == 5


def test_an_anchor_shows_a_rewrite_of_what_it_anchored(
    ledger: Ledger, logs_dir: Path, home: Path, tmp_path: Path
) -> None:
    build_run(ledger, logs_dir, [Item("REQ-2026-0001", "raised", "100231")])
    recorder = _start(ledger, logs_dir, anchor_dir=tmp_path / "anchors")
    recorder.finish(status=RunStatus.SUCCEEDED)
    (found,) = read_anchors([tmp_path / "anchors"])
    assert found.anchor is not None
    with sqlite3.connect(_ledger_file(home)) as conn:
        conn.execute("UPDATE audit_events SET hash = ? WHERE seq = ?", ("e" * 64, found.anchor.seq))
    conn.close()
    report = verify_trail(ledger.engine, logs_dir, anchors=[found])
    mismatch = [p for p in report.problems if p.kind is ProblemKind.ANCHOR_MISMATCH]
    assert len(mismatch) == 1 and mismatch[0].seq == found.anchor.seq
    assert "was rewritten since" in mismatch[0].message


def test_every_run_anchors_the_head_as_it_ends_and_a_fresh_ledger_is_refused(
    ledger: Ledger, logs_dir: Path, home: Path, tmp_path: Path
) -> None:
    anchors = tmp_path / "anchors"
    for n in (1, 2):
        recorder = _start(ledger, logs_dir, anchor_dir=anchors)
        recorder.finish(status=RunStatus.SUCCEEDED, message=f"run {n}")
    found = read_anchors([anchors])
    assert len(found) == 2 and all(f.anchor is not None for f in found)
    last = max(f.anchor.seq for f in found if f.anchor)
    assert verify_trail(ledger.engine, logs_dir, anchors=found).ok
    ledger.close()
    # The ledger and the digests deleted together: only the anchors remain.
    for suffix in ("", "-wal", "-shm"):
        Path(f"{_ledger_file(home)}{suffix}").unlink(missing_ok=True)
    for path in (logs_dir / "audit" / "digests").iterdir():
        path.unlink()
    with (
        Ledger(f"sqlite:///{_ledger_file(home)}") as fresh,
        pytest.raises(TrailContinuityError, match=f"anchors a chain of {last} records"),
    ):
        _start(fresh, logs_dir, anchor_dir=anchors)


def test_an_unreachable_anchor_folder_does_not_fail_the_run(
    ledger: Ledger, logs_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the anchor folder should be")
    recorder = _start(ledger, logs_dir, anchor_dir=blocked)
    record = recorder.finish(status=RunStatus.SUCCEEDED)
    assert record.status.value == "succeeded"
    assert verify_trail(ledger.engine, logs_dir).ok
    assert f"Could not write the audit anchor to {blocked}" in capsys.readouterr().out


def test_anchor_needs_a_folder(rpa: Rpa, ledger: Ledger, logs_dir: Path) -> None:
    build_run(ledger, logs_dir, [Item("REQ-2026-0001", "raised", "100231")])
    result = CliRunner().invoke(cli, ["--home", str(logs_dir.parent), "audit", "anchor"])
    assert result.exit_code == 2
    assert "set audit.anchor_dir" in result.output


def test_a_real_run_over_a_deleted_ledger_is_refused_in_one_sentence(tmp_path: Path) -> None:
    """``rpa run raise-purchase-orders`` (an empty inbox, the embedded sandbox) writes a trail;
    with the ledger deleted, the next run exits 4 with one sentence and writes nothing."""
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("RPA_")}
    env.update(RPA_HOME=str(home), PYTHONPATH=str(REPO))
    command = [sys.executable, "-m", "app", "run", "raise-purchase-orders", "--sandbox"]

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=120, check=False
        )

    first = run()
    assert first.returncode == 0, first.stderr
    for suffix in ("", "-wal", "-shm"):
        Path(f"{_ledger_file(home)}{suffix}").unlink(missing_ok=True)
    runs_before = sorted((home / "logs" / "runs").iterdir())
    sealed = digest_file(home / "logs", 1).read_bytes()

    refused = run()
    assert refused.returncode == 4
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in refused.stderr
    assert lines[0].startswith(
        f"The ledger {_ledger_file(home)} holds no audit trail, but digest 1"
    )
    assert "'Starting a new trail' in docs/audit.md" in lines[0]
    assert sorted((home / "logs" / "runs").iterdir()) == runs_before
    assert digest_file(home / "logs", 1).read_bytes() == sealed
