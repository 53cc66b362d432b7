"""Opening a SQLite ledger without writing anything: for auditors and the support commands.

A ledger in WAL mode keeps its latest commits in ``ledger.sqlite3-wal`` until a checkpoint copies
them into the database file, and readers coordinate through ``ledger.sqlite3-shm``. Reading must
never change the home (an auditor's copy, a read-only mount), so each connection is opened in the
first of these ways that works:

1. **``mode=ro``**: SQLite's read-only mode. It reads the ``-wal`` file, and works wherever the
   ``-shm`` file exists or can be created (a writable folder, or a copy taken with its ``-shm``).
2. **``immutable=1``**, only when there is no ``-wal`` file or it is empty: the database file
   then holds every committed record, and SQLite reads it without any lock or ``-shm`` file.
   (Immutable mode ignores a ``-wal`` file, so it is never used when one holds records.)
3. **A snapshot**: the database and its ``-wal`` file are copied into a private temporary folder,
   and the copy is opened. The copy is taken again until neither file changed while it was
   copied, so it is one consistent moment of the ledger; SQLite uses only the ``-wal``'s
   complete commits. The folder is deleted when the ledger is closed.

No committed record is ever hidden: the only way that skips the ``-wal`` file is used when it is
empty or absent. In a folder the reader may write to (a live home), the first way always works;
SQLite may then create the ``-shm`` file there, as any reader of the live ledger does. A
snapshot is one moment: a viewer that had to take one shows the ledger as it was then.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import threading
from pathlib import Path
from urllib.parse import quote

SNAPSHOT_ATTEMPTS = 5
_CANNOT_OPEN = ("unable to open database file", "readonly database", "disk i/o error")


def _uri(path: Path, **params: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"file:{quote(str(path.resolve()))}?{query}"


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime_ns


class ReadOnlySqlite:
    """Connections to one SQLite file that never write to it nor beside it."""

    def __init__(self, path: Path, busy_timeout_s: float) -> None:
        self.path = path
        self.busy_timeout_s = busy_timeout_s
        self.how: str | None = None  # "mode=ro", "immutable" or "snapshot": how it was opened
        self._snapshot_dir: Path | None = None
        self._lock = threading.Lock()

    @property
    def _wal(self) -> Path:
        return self.path.with_name(self.path.name + "-wal")

    def _open(self, path: Path, **params: str) -> sqlite3.Connection:
        connection = sqlite3.connect(
            _uri(path, **params),
            uri=True,
            timeout=self.busy_timeout_s,
            check_same_thread=False,
        )
        try:
            # SQLite opens lazily: the first read is when it needs the -wal and -shm files.
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except BaseException:
            connection.close()
            raise
        return connection

    def connect(self) -> sqlite3.Connection:
        """A new connection (the engine's ``creator``), opened as the module doc says."""
        if not self.path.is_file():
            # mode=ro would fail with SQLite's vague "unable to open database file".
            raise FileNotFoundError(2, "No such file (no ledger database here yet)", str(self.path))
        with self._lock:
            if self.how == "snapshot" and self._snapshot_dir is not None:
                return self._open(self._snapshot_dir / self.path.name, mode="ro")
            if self.how == "immutable":
                return self._open(self.path, mode="ro", immutable="1")
            try:
                connection = self._open(self.path, mode="ro")
            except sqlite3.OperationalError as exc:
                if not str(exc).lower().startswith(_CANNOT_OPEN):
                    raise
                return self._fallback()
            self.how = "mode=ro"
            return connection

    def _fallback(self) -> sqlite3.Connection:
        wal = _signature(self._wal)
        if wal is None or wal[0] == 0:
            self.how = "immutable"
            return self._open(self.path, mode="ro", immutable="1")
        self._snapshot_dir = self._take_snapshot()
        self.how = "snapshot"
        return self._open(self._snapshot_dir / self.path.name, mode="ro")

    def _take_snapshot(self) -> Path:
        folder = Path(tempfile.mkdtemp(prefix="rpa-ledger-snapshot-"))
        try:
            for _ in range(SNAPSHOT_ATTEMPTS):
                before = (_signature(self.path), _signature(self._wal))
                shutil.copyfile(self.path, folder / self.path.name)
                if before[1] is not None:
                    shutil.copyfile(self._wal, folder / self._wal.name)
                if (_signature(self.path), _signature(self._wal)) == before:
                    return folder
            raise sqlite3.OperationalError(
                f"the ledger {self.path} kept changing while a read-only copy was taken"
            )
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise

    def close(self) -> None:
        """Delete the snapshot, if one was taken (the engine was disposed)."""
        with self._lock:
            if self._snapshot_dir is not None:
                shutil.rmtree(self._snapshot_dir, ignore_errors=True)
                self._snapshot_dir = None
                self.how = None
