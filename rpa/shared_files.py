"""Moving files on a directory several hosts share (the inbox and its archive folders on a
network share, ``RPA_HOME`` on NFS or SMB).

A move must never leave a half-written file under its final name, nor lose the source before the
target is complete: a host may die at any moment, and another host's run reads the same folders.

- Within one file system a move is one ``rename``: atomic, on a network file system too (a
  single RENAME call on the server).
- Across file systems (the archive on another share) the file is copied under a hidden name in
  the target folder (the inbox ignores names starting with ``.``), flushed to stable storage,
  renamed into place, and only then is the source removed. A crash leaves either the source (the
  next run reads it again; the ledger makes that safe) or both, never neither.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
from pathlib import Path

COPY_CHUNK = 1 << 20


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the file system allows opening a folder)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some network file systems refuse fsync on a directory; the rename stands
    finally:
        os.close(descriptor)


def move_file(source: Path, target: Path) -> None:
    """Move the file ``source`` to ``target`` (a free name), safely for hosts sharing both."""
    try:
        source.rename(target)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    partial = target.with_name(f".{target.name}.partial-{secrets.token_hex(4)}")
    try:
        with source.open("rb") as reader, partial.open("xb") as writer:
            shutil.copyfileobj(reader, writer, COPY_CHUNK)
            writer.flush()
            os.fsync(writer.fileno())
        shutil.copystat(source, partial)
        partial.rename(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)
    source.unlink()
