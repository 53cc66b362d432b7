"""An auditor's read-only copy of a home: ``rpa audit verify``, ``runs``, ``items list`` and the
viewer read it without writing a byte, whether its ledger was checkpointed or still has commits
in its ``-wal`` file (copied with or without the ``-shm`` file)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from rpa.ledger import Ledger
from tests.audit.trail_support import BuiltRun, Item, build_run
from tests.mount_namespace import (
    in_namespace,
    needs_mount_namespace,
    read_only_mount,
    rpa_argv,
    rpa_env,
    run_read_only,
    tree_digest,
)

pytestmark = needs_mount_namespace
LEDGER = Path("state") / "ledger.sqlite3"


def _trail(ledger: Ledger, logs_dir: Path) -> list[BuiltRun]:
    first = build_run(
        ledger,
        logs_dir,
        [
            Item("REQ-2026-0001", "raised", "100231"),
            Item("REQ-2026-0002", "rejected", message="Supplier site BHM-NORWICH is inactive"),
        ],
    )
    second = build_run(ledger, logs_dir, [Item("REQ-2026-0003", "raised", "100232")])
    return [first, second]


def _copy_home(source: Path, target: Path, *, with_shm: bool) -> Path:
    """The state and logs folders, as an auditor copies them (the -wal and -shm files too)."""
    shutil.copytree(source / "logs", target / "logs")
    (target / "state").mkdir(parents=True)
    for name in ("ledger.sqlite3", "ledger.sqlite3-wal", "ledger.sqlite3-shm"):
        if (source / "state" / name).exists() and (with_shm or not name.endswith("-shm")):
            shutil.copy2(source / "state" / name, target / "state" / name)
    return target


def _events(path: Path, **params: str) -> int:
    query = "&".join(["mode=ro", *(f"{k}={v}" for k, v in params.items())])
    with sqlite3.connect(f"file:{path}?{query}", uri=True) as connection:
        return int(connection.execute("SELECT count(*) FROM audit_events").fetchone()[0])


@pytest.fixture
def ledger_backend() -> str:
    """SQLite only: these tests delete, copy, put back or mount the ledger's file itself."""
    return "sqlite"


@pytest.fixture
def live(home: Path, logs_dir: Path) -> Iterator[tuple[Path, list[BuiltRun]]]:
    """A home whose last commits are still in the -wal file: a reader holds the database open
    (so no connection's close checkpoints it) while the trail is written."""
    url = f"sqlite:///{home / LEDGER}"
    Ledger(url).close()  # the schema, checkpointed into the file
    holder = sqlite3.connect(home / LEDGER)
    holder.execute("SELECT count(*) FROM runs").fetchone()
    try:
        with Ledger(url) as ledger:
            built = _trail(ledger, logs_dir)
        yield home, built
    finally:
        holder.close()


def _check_read_only_commands(home: Path, built: list[BuiltRun], cwd: Path) -> None:
    """Every support command on ``home`` mounted read-only gives what the original gives."""
    before = tree_digest(home)
    verify = run_read_only(home, "audit", "verify", cwd=cwd)
    assert verify.returncode == 0, verify.stderr
    assert "INTACT" in verify.stdout and verify.stderr == ""
    as_json = json.loads(run_read_only(home, "audit", "verify", "--json", cwd=cwd).stdout)
    assert as_json["ok"] is True
    listed = run_read_only(home, "runs", "list", "--json", cwd=cwd)
    assert listed.returncode == 0, listed.stderr
    assert [r["run_id"] for r in json.loads(listed.stdout)] == [
        b.record.run_id for b in reversed(built)
    ]
    shown = run_read_only(home, "runs", "show", built[0].record.run_id, cwd=cwd)
    assert shown.returncode == 0, shown.stderr
    assert "Integrity   verified" in shown.stdout and "REQ-2026-0002 rejected" in shown.stdout
    found = run_read_only(home, "runs", "find", "100232", cwd=cwd)
    assert found.returncode == 0 and built[1].record.run_id in found.stdout, found.stderr
    items = run_read_only(home, "items", "list", "--json", cwd=cwd)
    assert items.returncode == 0, items.stderr
    assert {i["item"] for i in json.loads(items.stdout)} == {
        "REQ-2026-0001",
        "REQ-2026-0002",
        "REQ-2026-0003",
    }
    _check_viewer(home, built, cwd)
    assert tree_digest(home) == before  # not a byte changed, no file added


def _check_viewer(home: Path, built: list[BuiltRun], cwd: Path) -> None:
    command = in_namespace(read_only_mount(home), rpa_argv(home, "viewer", "--port", "0"))
    with subprocess.Popen(
        command,
        env=rpa_env(),
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as viewer:
        try:
            assert viewer.stdout is not None
            line = viewer.stdout.readline()
            assert "http://" in line, (line, viewer.poll())
            url = line[line.index("http://") :].split()[0]
            page = httpx.get(url, timeout=30, follow_redirects=True)
            assert page.status_code == 200
            assert built[1].record.run_id in page.text
            run_id = built[0].record.run_id
            run_page = httpx.get(f"{url}runs/{run_id}", timeout=30, follow_redirects=True)
            assert run_page.status_code == 200
            assert "REQ-2026-0002" in run_page.text
        finally:
            viewer.terminate()
            viewer.wait(timeout=30)


def test_a_checkpointed_home_mounted_read_only(
    home: Path, ledger: Ledger, logs_dir: Path, tmp_path: Path
) -> None:
    """A home whose ledger has no -wal file (opened without any lock, nothing hidden)."""
    built = _trail(ledger, logs_dir)
    ledger.close()
    assert not (home / "state" / "ledger.sqlite3-wal").exists()
    writable = subprocess.run(
        rpa_argv(home, "audit", "verify"),
        env=rpa_env(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    read_only = run_read_only(home, "audit", "verify", cwd=tmp_path)
    assert read_only.returncode == writable.returncode == 0
    assert read_only.stdout == writable.stdout  # the same report
    _check_read_only_commands(home, built, tmp_path)


@pytest.mark.parametrize("with_shm", [True, False], ids=["db-wal-shm", "db-wal-only"])
def test_a_copy_with_commits_only_in_its_wal(
    live: tuple[Path, list[BuiltRun]], tmp_path: Path, with_shm: bool
) -> None:
    """A copy taken while the ledger was in use: the second run is only in the -wal file, which
    SQLite's immutable mode would ignore. Every record is read all the same."""
    home, built = live
    copy = _copy_home(home, tmp_path / f"copy-{with_shm}", with_shm=with_shm)
    database = copy / LEDGER
    assert (copy / "state" / "ledger.sqlite3-wal").stat().st_size > 0
    # What the test is about: the database file alone lacks the commits the -wal holds.
    assert _events(database, immutable="1") < _events(home / LEDGER)
    _check_read_only_commands(copy, built, tmp_path)


def test_no_ledger_yet_on_a_read_only_home(home: Path, tmp_path: Path) -> None:
    """No ledger: the friendly messages, exit 0, nothing written."""
    (home / "logs").mkdir()
    for args, said in (
        (("audit", "verify"), "No ledger database yet"),
        (("runs", "list"), "No runs match."),
        (("viewer", "--port", "0"), "No ledger database yet"),
    ):
        done = run_read_only(home, *args, cwd=tmp_path)
        assert done.returncode == 0 and said in done.stdout, done.stderr
    assert not (home / LEDGER).exists()


def test_an_older_schema_read_only_says_to_open_it_once_with_write_access(
    home: Path, ledger: Ledger, logs_dir: Path, tmp_path: Path
) -> None:
    """Read-only never upgrades: one sentence, exit 4, the file unchanged."""
    _trail(ledger, logs_dir)
    ledger.close()
    with sqlite3.connect(home / LEDGER) as connection:
        connection.execute("UPDATE schema_version SET version = version - 1")
    connection.close()
    before = tree_digest(home)
    done = run_read_only(home, "audit", "verify", cwd=tmp_path)
    assert done.returncode == 4
    assert "must be opened once by this release with write access" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert tree_digest(home) == before
