"""Where request files come from and where they go when done.

Files in the inbox are moved: to ``<inbox>/processed/`` once every request in them has reached a
final state (with ``<file name>.results.csv`` beside), or to ``<inbox>/refused/`` (with
``<name>.error.txt``) when they cannot be read. Files given with ``--input`` from elsewhere belong
to the operator: they are never moved, a copy is archived instead. A crash leaves a file where it
was, so the next run resumes it; the ledger makes that safe. Moves are safe on a folder several
hosts share (:mod:`rpa.shared_files`).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rpa.shared_files import move_file

SUPPORTED_SUFFIXES = (".csv", ".xlsx")
# Office lock files and partial uploads are not requests.
_IGNORED_PREFIXES = ("~$", ".")


@dataclass(frozen=True)
class InputFile:
    path: Path
    in_inbox: bool


def _is_candidate(path: Path, folder: Path, inbox: Path) -> bool:
    """A file, a symbolic link (working or broken: refused, never followed) or a subfolder
    (reported: only a folder's top level is read), but not lock files, hidden files or the
    inbox's own archive folders."""
    if path.name.startswith(_IGNORED_PREFIXES):
        return False
    if path.is_symlink() or path.is_file():
        return True
    own_folders = (archive_dir(inbox), refused_dir(inbox))
    return path.is_dir() and not (folder == inbox and path in own_folders)


def discover(input_path: Path | None, inbox: Path) -> list[InputFile]:
    """The files to process: ``input_path`` (a file or a folder) or the inbox's top level.

    Unsupported files in a folder are returned too, so that they are refused and reported
    rather than silently ignored.
    """
    if input_path is None:
        inbox.mkdir(parents=True, exist_ok=True)
        return [
            InputFile(p, True) for p in sorted(inbox.iterdir()) if _is_candidate(p, inbox, inbox)
        ]
    if input_path.is_symlink():
        return [InputFile(input_path.absolute(), in_inbox=False)]  # refused, not followed
    resolved = input_path.resolve()
    in_inbox = inbox.resolve() in (resolved, *resolved.parents)
    if resolved.is_dir():
        folder = inbox if resolved == inbox.resolve() else resolved
        return [
            InputFile(p, in_inbox)
            for p in sorted(resolved.iterdir())
            if _is_candidate(p, folder, inbox)
        ]
    return [InputFile(resolved, in_inbox)]


def _free_name(folder: Path, name: str) -> Path:
    """``name`` in ``folder``, or a timestamped variant when a file of that name was archived."""
    target = folder / name
    if not target.exists():
        return target
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return folder / f"{Path(name).stem}.{stamp}{Path(name).suffix}"


def archive_dir(inbox: Path) -> Path:
    return inbox / "processed"


def refused_dir(inbox: Path) -> Path:
    return inbox / "refused"


def archive(file: InputFile, inbox: Path) -> Path:
    """Move (inbox) or copy (operator's file) the request file into ``processed/``."""
    folder = archive_dir(inbox)
    folder.mkdir(parents=True, exist_ok=True)
    target = _free_name(folder, file.path.name)
    if file.in_inbox:
        move_file(file.path, target)
    else:
        shutil.copy2(file.path, target)
    return target


def refuse(file: InputFile, inbox: Path, reason: str) -> Path | None:
    """Keep an unreadable file, with the reason beside it: nothing is lost or silently dropped.
    A symbolic link is moved aside as a link (what it points to is never touched); a subfolder
    is left where it is, and reported by every run until someone moves its files (None)."""
    if file.path.is_dir() and not file.path.is_symlink():
        return None
    folder = refused_dir(inbox)
    folder.mkdir(parents=True, exist_ok=True)
    target = _free_name(folder, file.path.name)
    if file.path.is_symlink():
        if file.in_inbox:
            file.path.rename(target)
    elif file.path.is_file():
        if file.in_inbox:
            move_file(file.path, target)
        else:
            shutil.copy2(file.path, target)
    target.with_name(target.name + ".error.txt").write_text(reason + "\n", encoding="utf-8")
    return target
