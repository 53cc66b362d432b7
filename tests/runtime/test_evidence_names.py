"""Evidence file names: safe on every file system, and one item's never another's."""

from __future__ import annotations

from pathlib import Path

import pytest

from rpa.evidence_store import EvidenceStore, safe_item_name


@pytest.mark.parametrize("item", ["REQ-2026-0042", "T1A2B3-0001", "supplier-30100", "a.b_c"])
def test_a_safe_name_is_kept_as_it_is(item: str) -> None:
    assert safe_item_name(item) == item


def test_names_that_sanitise_alike_stay_apart() -> None:
    names = {safe_item_name(i) for i in ("COL/1", "COL_1", "COL 1", "COL:1", "COL\\1")}
    assert len(names) == 5
    assert all("/" not in n and " " not in n and "\\" not in n and ":" not in n for n in names)


def test_item_files_are_named_after_the_item_and_the_kind(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path / "evidence")
    path = store.item_file("REQ-2026-0042", "failure.png")
    assert path == tmp_path / "evidence" / "REQ-2026-0042-failure.png"
    assert path.parent.is_dir()
    assert store.item_file("../etc/passwd", "x.png").parent == tmp_path / "evidence"
