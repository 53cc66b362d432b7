"""Moving request files on a folder several hosts share: whole or not at all, source kept until
the target is complete. Real files; across file systems from the disk to /dev/shm (tmpfs)."""

from __future__ import annotations

import errno
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from rpa import shared_files
from rpa.shared_files import move_file


@pytest.fixture
def other_file_system(tmp_path: Path) -> Iterator[Path]:
    folder = Path("/dev/shm") / f"rpa-test-{uuid.uuid4().hex[:8]}"  # noqa: S108  a tmpfs
    folder.mkdir()
    assert folder.stat().st_dev != tmp_path.stat().st_dev, "needs two file systems"
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_move_within_one_file_system_is_a_rename(tmp_path: Path) -> None:
    source = tmp_path / "inbox" / "batch.csv"
    source.parent.mkdir()
    source.write_text("request_id\nREQ-1\n")
    inode = source.stat().st_ino
    target = tmp_path / "processed.csv"
    move_file(source, target)
    assert not source.exists()
    assert target.read_text() == "request_id\nREQ-1\n"
    assert target.stat().st_ino == inode


def test_a_move_across_file_systems_copies_then_removes_the_source(
    tmp_path: Path, other_file_system: Path
) -> None:
    source = tmp_path / "batch.csv"
    source.write_bytes(b"x" * (3 * shared_files.COPY_CHUNK + 17))
    os.utime(source, (1_700_000_000, 1_700_000_000))
    target = other_file_system / "batch.csv"
    move_file(source, target)
    assert not source.exists()
    assert target.stat().st_size == 3 * shared_files.COPY_CHUNK + 17
    assert target.stat().st_mtime == 1_700_000_000
    assert sorted(p.name for p in other_file_system.iterdir()) == ["batch.csv"]


def test_a_copy_that_fails_midway_leaves_the_source_and_no_partial_file(
    tmp_path: Path, other_file_system: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "batch.csv"
    source.write_text("request_id\nREQ-1\n")

    def disk_full(*_: object, **__: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfileobj", disk_full)
    with pytest.raises(OSError, match="No space left"):
        move_file(source, other_file_system / "batch.csv")
    assert source.read_text() == "request_id\nREQ-1\n"
    assert list(other_file_system.iterdir()) == []
