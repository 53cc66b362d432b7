"""Who may read what the suite writes: the ledger, logs, evidence and run records.

Every entry point (the ``rpa`` command, ``python -m app``, ``scheduler.py``) starts with
:func:`restrict_new_files`: a process umask of ``0027``, so that files are created ``0640`` and
directories ``0750`` — the service account writes, its group reads, nobody else sees order
numbers, suppliers, screenshots of Oracle or the ledger. Child processes (each scheduled run)
inherit it. The systemd unit sets the same (``UMask=0027``).

The suite writes no secret to disk: passwords come from the environment or the secrets
directory, which only people write, and the browser's session cookies stay in memory.
``rpa doctor`` fails while a file in the secrets directory, or the directory itself, is open to
its group or others (:func:`open_to_others`).
"""

from __future__ import annotations

import os
import stat

PROCESS_UMASK = 0o027


def restrict_new_files() -> int:
    """Set the process umask to :data:`PROCESS_UMASK`; returns the previous one."""
    return os.umask(PROCESS_UMASK)


def open_to_others(mode: int) -> bool:
    """True when a file or directory with this ``st_mode`` is open to its group or others."""
    return stat.S_IMODE(mode) & 0o077 != 0
