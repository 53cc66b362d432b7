"""bots/ holds no text a user sees on Oracle's pages: every label, button, dialog and heading it
looks for comes from the UI profile (config/ui_profiles/), so a pod that words its pages
differently needs a profile change, never a code change."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from config.ui_profile import PROFILES_DIR, ProfileText, load_ui_profile

BOTS = Path(__file__).resolve().parents[2] / "bots"
# Playwright's ways of finding an element by what a user reads.
TEXT_LOCATORS = {"get_by_label", "get_by_text", "get_by_placeholder", "get_by_title"}


def _string_constants(tree: ast.AST) -> Iterator[ast.Constant]:
    """Every string literal that is not a docstring."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            yield node


def _sources() -> Iterator[tuple[Path, ast.AST]]:
    for path in sorted(BOTS.glob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def test_no_profile_text_is_written_in_bots() -> None:
    texts = {
        str(value).strip()
        for name in (p.stem for p in PROFILES_DIR.glob("*.toml"))
        for _, value in load_ui_profile(name).texts()
        if isinstance(value, ProfileText)
    }
    found = [
        f"{path.name}:{node.lineno}: {node.value!r}"
        for path, tree in _sources()
        for node in _string_constants(tree)
        if str(node.value).strip() in texts
    ]
    assert not found, "texts that belong in the UI profile:\n" + "\n".join(found)


def test_no_element_is_found_by_a_written_text() -> None:
    """get_by_label("…"), get_by_text("…") and get_by_role(…, name="…") with a literal would
    hard-code what the page says: each takes a profile text instead."""
    found = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            literal_args = [
                a for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            literal_names = [
                k
                for k in node.keywords
                if k.arg == "name" and isinstance(k.value, ast.Constant | ast.JoinedStr)
            ]
            if (node.func.attr in TEXT_LOCATORS and literal_args) or (
                node.func.attr == "get_by_role" and literal_names
            ):
                found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    assert not found, "elements found by a written text:\n" + "\n".join(found)


def test_the_check_sees_a_label_written_in_code(tmp_path: Path) -> None:
    """The scan itself: a page object that wrote a label would be caught."""
    tree = ast.parse('def f(page):\n    page.get_by_label("Procurement BU")\n')
    constants = [n.value for n in _string_constants(tree)]
    assert constants == ["Procurement BU"]
