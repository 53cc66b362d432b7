"""Opening the ledger database for the support commands (``rpa runs``, ``rpa audit``, ``rpa items``,
``rpa viewer``).

The commands that only read open it read-only (:func:`open_ledger_read_only`): they write
nothing to the home, so an auditor can run them on a read-only copy or mount.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from config.settings import Settings
from rpa.ledger import Ledger


def sqlite_file(settings: Settings) -> Path | None:
    """The SQLite file of the ledger, or None when the ledger is another database."""
    url = make_url(settings.effective_ledger_url)
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


def ledger_exists(settings: Settings) -> bool:
    """False only for a SQLite ledger no run has created yet (nothing to show or check)."""
    path = sqlite_file(settings)
    return path is None or path.is_file()


def open_ledger(settings: Settings) -> Ledger:
    """The ledger (created, with the audit tables, when it does not exist yet)."""
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    return Ledger(settings.effective_ledger_url, busy_timeout_s=settings.ledger_busy_timeout_s)


def open_ledger_read_only(settings: Settings) -> Ledger:
    """The ledger, for reading only: nothing is created, upgraded or written (a SQLite file must
    exist: check :func:`ledger_exists` first). An older schema raises
    :class:`rpa.ledger.SchemaUpgradeNeededError`, which the command reports in one sentence."""
    return Ledger.open_read_only(
        settings.effective_ledger_url, busy_timeout_s=settings.ledger_busy_timeout_s
    )
