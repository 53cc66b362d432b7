"""Where request files come from and where they go: inbox discovery, archiving, refusal."""

from __future__ import annotations

from pathlib import Path

from flows.raise_purchase_orders.inbox import InputFile, archive, discover, refuse


def _touch(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_discover_lists_inbox_files_but_not_lock_files_or_folders(tmp_path: Path) -> None:
    """Office lock files, hidden files and the archive folders are not requests."""
    inbox = tmp_path / "inbox"
    _touch(inbox / "b.csv")
    _touch(inbox / "a.xlsx")
    _touch(inbox / "~$a.xlsx")
    _touch(inbox / ".partial.csv")
    _touch(inbox / "processed" / "old.csv")
    found = discover(None, inbox)
    assert [f.path.name for f in found] == ["a.xlsx", "b.csv"]
    assert all(f.in_inbox for f in found)


def test_discover_keeps_unsupported_files_so_they_are_refused_not_ignored(tmp_path: Path) -> None:
    """A .txt dropped in the inbox is returned, to be refused with a reason."""
    inbox = tmp_path / "inbox"
    _touch(inbox / "notes.txt")
    assert [f.path.name for f in discover(None, inbox)] == ["notes.txt"]


def test_input_outside_the_inbox_is_copied_never_moved(tmp_path: Path) -> None:
    """An operator's own file stays where it is; the archive gets a copy."""
    inbox = tmp_path / "inbox"
    own = _touch(tmp_path / "mine" / "requests.csv", "data")
    [source] = discover(own, inbox)
    assert not source.in_inbox
    archived = archive(source, inbox)
    assert own.read_text(encoding="utf-8") == "data"
    assert archived == inbox / "processed" / "requests.csv"
    assert archived.read_text(encoding="utf-8") == "data"


def test_inbox_files_are_moved_and_name_clashes_keep_both(tmp_path: Path) -> None:
    """Archiving twice a file of the same name keeps the earlier archive."""
    inbox = tmp_path / "inbox"
    first = archive(InputFile(_touch(inbox / "r.csv", "one"), True), inbox)
    second = archive(InputFile(_touch(inbox / "r.csv", "two"), True), inbox)
    assert not (inbox / "r.csv").exists()
    assert first != second
    assert {first.read_text(encoding="utf-8"), second.read_text(encoding="utf-8")} == {"one", "two"}


def test_refused_file_is_kept_with_its_reason(tmp_path: Path) -> None:
    """An unreadable file is moved aside with an .error.txt: nothing is lost."""
    inbox = tmp_path / "inbox"
    bad = _touch(inbox / "broken.xlsx", "not a zip")
    kept = refuse(InputFile(bad, True), inbox, "broken.xlsx: not a readable XLSX file")
    assert kept is not None
    assert kept.read_text(encoding="utf-8") == "not a zip"
    reason = kept.with_name(kept.name + ".error.txt").read_text(encoding="utf-8")
    assert "not a readable XLSX" in reason


def test_links_and_subfolders_are_returned_to_be_refused_and_reported(tmp_path: Path) -> None:
    """Never followed, never skipped silently: links (working or broken) and subfolders come
    back to be refused with a reason; the inbox's own archive folders do not."""
    inbox = tmp_path / "inbox"
    outside = _touch(tmp_path / "elsewhere" / "secret.csv", "id\n1\n")
    _touch(inbox / "ok.csv")
    (inbox / "link.csv").symlink_to(outside)
    (inbox / "broken.csv").symlink_to(tmp_path / "gone.csv")
    _touch(inbox / "old" / "orders.csv")
    _touch(inbox / "processed" / "done.csv")
    _touch(inbox / "refused" / "bad.csv")
    assert [f.path.name for f in discover(None, inbox)] == [
        "broken.csv",
        "link.csv",
        "ok.csv",
        "old",
    ]


def test_a_refused_link_is_moved_aside_as_a_link_and_a_subfolder_stays(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    outside = _touch(tmp_path / "elsewhere" / "secret.csv", "id\n1\n")
    (inbox / "link.csv").parent.mkdir(parents=True)
    (inbox / "link.csv").symlink_to(outside)
    _touch(inbox / "old" / "orders.csv")
    moved = refuse(InputFile(inbox / "link.csv", True), inbox, "is a symbolic link")
    assert moved is not None and moved.is_symlink() and moved.parent == inbox / "refused"
    assert outside.read_text(encoding="utf-8") == "id\n1\n"  # what it pointed to: untouched
    assert refuse(InputFile(inbox / "old", True), inbox, "is a folder") is None
    assert (inbox / "old" / "orders.csv").exists()
