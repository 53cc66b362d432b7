"""Telling a fault of the storage (a locked ledger, a read-only or full disk, a ledger database
server out of reach) from a bug, and saying it to the operator in one sentence that names the
path (or the database, password masked) and the cause.

Every command runs through :func:`storage_fault`: an exception (or one it was raised from) that
is an ``OSError`` with ``ENOSPC``, ``EDQUOT``, ``EROFS`` or ``EACCES``, or SQLite's "database is
locked", "database or disk is full", "attempt to write a readonly database", "unable to open
database file" or "disk I/O error" (raw, or wrapped by SQLAlchemy), becomes a
:class:`StorageFaultError` whose message is that sentence. The command prints it on stderr,
keeps the traceback for the run's log, and exits 4 (:data:`rpa.exit_codes.EXIT_ABORTED`).

Where the exception does not name the file (a write to an open file, SQLite's own errors), the
path is found by looking at the places the command writes: the ledger's file, then the logs,
state and home folders, for the one on a read-only or full file system.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from config.settings import Settings


class FaultKind(StrEnum):
    LOCKED = "locked"
    READ_ONLY = "read-only"
    FULL = "full"
    QUOTA = "quota"
    PERMISSION = "permission"
    UNOPENABLE = "unopenable"
    IO_ERROR = "i/o error"
    UNREACHABLE = "unreachable"


class StorageFaultError(Exception):
    """A storage fault, explained: ``str()`` is the one sentence for the operator."""

    def __init__(self, kind: FaultKind, path: Path | None, sentence: str) -> None:
        super().__init__(sentence)
        self.kind = kind
        self.path = path
        self.sentence = sentence


@dataclass(frozen=True)
class StorageContext:
    """What a command writes, to name the path when an exception does not."""

    ledger_file: Path | None = None
    places: tuple[Path, ...] = ()
    busy_timeout_s: float = 30.0
    ledger_server: str | None = None  # a database server's ledger URL, password masked

    @classmethod
    def of(cls, settings: Settings) -> StorageContext:
        from sqlalchemy.engine import make_url

        url = make_url(settings.effective_ledger_url)
        on_file = url.get_backend_name() == "sqlite"
        ledger = Path(url.database) if on_file and url.database else None
        return cls(
            ledger_file=ledger,
            places=(settings.logs_dir, settings.state_dir, settings.inbox, settings.home),
            busy_timeout_s=settings.ledger_busy_timeout_s,
            ledger_server=None if on_file else url.render_as_string(hide_password=True),
        )


_OS_KINDS = {
    errno.ENOSPC: FaultKind.FULL,
    errno.EDQUOT: FaultKind.QUOTA,
    errno.EROFS: FaultKind.READ_ONLY,
    errno.EACCES: FaultKind.PERMISSION,
}

_WHAT_TO_DO = {
    FaultKind.READ_ONLY: "the file system is read-only; make it writable (or give --home a "
    "writable copy) and run the command again",
    FaultKind.FULL: "the disk is full (no space left on the file system that holds it); free "
    "some space there and run the command again, and the items not done are taken up then",
    FaultKind.QUOTA: "the disk quota of this account is used up; free some space or raise the "
    "quota, and run the command again",
    FaultKind.PERMISSION: "permission denied; give the account that runs rpa write access to "
    "it (or run rpa as the account that owns the home), and run the command again",
    FaultKind.IO_ERROR: "the disk reported an I/O error; check the disk and the system log "
    "before running the command again",
}


def _links(exc: BaseException) -> Iterator[BaseException]:
    """The exception, what SQLAlchemy wrapped, and what it was raised from or during."""
    seen: set[int] = set()
    todo = [exc]
    while todo and len(seen) < 20:
        link = todo.pop(0)
        if id(link) in seen:
            continue
        seen.add(id(link))
        yield link
        for nxt in (getattr(link, "orig", None), link.__cause__, link.__context__):
            if isinstance(nxt, BaseException):
                todo.append(nxt)


def _existing(path: Path) -> Path:
    """The path, or its nearest existing parent (statvfs needs one that exists)."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return path


def _state_of(path: Path) -> FaultKind | None:
    """What is wrong with the file system holding ``path``, as far as can be seen from here."""
    where = _existing(path)
    try:
        info = os.statvfs(where)
    except OSError:
        return None
    if info.f_flag & os.ST_RDONLY:
        return FaultKind.READ_ONLY
    if info.f_bavail == 0 or (info.f_files and info.f_favail == 0):
        return FaultKind.FULL
    if not os.access(where if where.is_dir() else where.parent, os.W_OK):
        return FaultKind.PERMISSION
    return None


def _find_place(kind: FaultKind | None, context: StorageContext) -> tuple[FaultKind, Path] | None:
    """The first place of the command (ledger first) whose file system shows ``kind`` (or any
    fault, when ``kind`` is None)."""
    places = [p for p in (context.ledger_file, *context.places) if p is not None]
    for place in places:
        found = _state_of(place)
        if found is not None and (kind is None or found is kind):
            return found, place
    return None


def _write_fault(kind: FaultKind, path: Path) -> StorageFaultError:
    return StorageFaultError(kind, path, f"Cannot write to {path}: {_WHAT_TO_DO[kind]}.")


def _from_os_error(error: OSError, context: StorageContext) -> StorageFaultError | None:
    kind = _OS_KINDS.get(error.errno or 0)
    if kind is None:
        return None
    if error.filename:
        return _write_fault(kind, Path(os.fsdecode(error.filename)))
    found = _find_place(kind, context)
    if found is not None:
        return _write_fault(kind, found[1])
    home = context.places[-1] if context.places else None
    if home is None:
        return None
    return _write_fault(kind, home)


def _from_sqlite(message: str, context: StorageContext) -> StorageFaultError | None:
    text = message.lower()
    ledger = context.ledger_file
    where = ledger if ledger is not None else Path("the ledger database")
    if "database is locked" in text or "database table is locked" in text:
        return StorageFaultError(
            FaultKind.LOCKED,
            ledger,
            f"The ledger {where} is locked by another process and stayed locked for "
            f"{context.busy_timeout_s:g} s; wait for that process (another rpa command, or a "
            "tool holding the database open) to finish and run the command again, or raise "
            "ledger_busy_timeout_s (RPA_LEDGER_BUSY_TIMEOUT_S).",
        )
    if "database or disk is full" in text:
        return _write_fault(FaultKind.FULL, where)
    if (
        "readonly database" in text
        or "unable to open database file" in text
        or ("disk i/o error" in text)
    ):
        found = _state_of(where) if ledger is not None else None
        if found is not None:
            return _write_fault(found, where)
        if "disk i/o error" in text:
            return _write_fault(FaultKind.IO_ERROR, where)
        if "readonly database" in text:
            return _write_fault(FaultKind.PERMISSION, where)
        return StorageFaultError(
            FaultKind.UNOPENABLE,
            ledger,
            f"Cannot open the ledger {where}: SQLite could not open the file or the files "
            "beside it (-wal, -shm); check that its folder exists and that this account may "
            "read and write there.",
        )
    return None


# SQLSTATEs of a connection that failed or was ended by the server: class 08 (connection
# exception) and 57P01-57P03 (the server shutting down, crashed, or not accepting connections).
_CONNECTION_SQLSTATES = ("08", "57P01", "57P02", "57P03")


def _is_connection_failure(link: BaseException) -> bool:
    """A PostgreSQL connection that could not be made, or was lost. psycopg reports these as a
    bare ``OperationalError`` without SQLSTATE (the client's side) or with one of
    :data:`_CONNECTION_SQLSTATES`; its other operational errors (a deadlock, a serialisation
    failure, a cancelled query) come from a server that answers, and are not this fault."""
    if not type(link).__module__.startswith("psycopg"):
        return False
    import psycopg  # the driver of every PostgreSQL ledger URL; only loaded with one

    if not isinstance(link, psycopg.OperationalError):
        return False
    sqlstate = link.sqlstate
    return sqlstate is None or sqlstate.startswith(_CONNECTION_SQLSTATES)


def _from_connection_failure(link: BaseException, context: StorageContext) -> StorageFaultError:
    first_line = (str(link).strip().splitlines() or ["no reason given"])[0]
    reason = first_line.rsplit(": ", 1)[-1].rstrip(".")
    where = context.ledger_server or "the ledger database"
    return StorageFaultError(
        FaultKind.UNREACHABLE,
        None,
        f"Cannot reach the ledger database {where}: {reason}; check that the server is running "
        "and accepts connections from this host (rpa doctor checks it), then run the command "
        "again.",
    )


def storage_fault(
    exc: BaseException, context: StorageContext | None = None
) -> StorageFaultError | None:
    """``exc`` explained as a storage fault, or None when it is something else (a bug)."""
    context = context or StorageContext()
    for link in _links(exc):
        if isinstance(link, StorageFaultError):
            return link
        if _is_connection_failure(link):
            return _from_connection_failure(link, context)
        if isinstance(link, sqlite3.Error):
            fault = _from_sqlite(str(link), context)
        elif isinstance(link, OSError):
            fault = _from_os_error(link, context)
        else:
            continue
        if fault is not None:
            return fault
    return None


def places_of(settings: Settings | None) -> StorageContext:
    """The context of a command's settings (an empty one before settings are loaded)."""
    return StorageContext() if settings is None else StorageContext.of(settings)


__all__ = [
    "FaultKind",
    "StorageContext",
    "StorageFaultError",
    "places_of",
    "storage_fault",
]
