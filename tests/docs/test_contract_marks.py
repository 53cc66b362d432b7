"""Every page and sign-in trait in docs/sandbox-contract.md says where it comes from.

The contract is what the bots are built against, and most of it was designed from Oracle's
documentation rather than seen on a pod. Before the bots meet the council's test pod, whoever
checks them needs to know which traits Oracle documents ([C]), which were seen on a real pod
([C3], "seen on a pod"), which are inferred ([I]) and which are the sandbox's own mechanisms
([sandbox only]). An unmarked trait would silently read as fact, so this test refuses one.

A trait is a bullet ("- ", at any depth, outside fenced code) or a table body row in the sections
below. A bullet is marked when its own line, one of its continuation lines (the indented lines
that follow it, up to the next bullet) or its parent bullet carries a mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CONTRACT = Path(__file__).resolve().parents[2] / "docs" / "sandbox-contract.md"

# The level-2 sections (with their level-3 subsections) whose traits must be marked, by the
# start of their heading ("## Pages (Home an ADF page; …)" is the Pages section).
CHECKED_SECTIONS = ("Pages", "Authentication and sessions", "Sign-in page kinds")

# "[C S1]", "[C3 S24]", "[I]", "[I wording]", "[I: …]", "[C: 26A …]", "[sandbox only]",
# "[sandbox only: …]", … but not a key in brackets such as "[`ChangeRequestId`]".
MARK = re.compile(r"\[(?:C3?|I)[\s\]:;,]|\[sandbox only[\]:]|seen on a pod")

BULLET = re.compile(r"^(\s*)- ")
TABLE_SEPARATOR = re.compile(r"^\|[\s:|-]+\|$")


@dataclass
class Trait:
    """One bullet or table row: where it starts, its text, and its parent bullet if nested."""

    line_number: int
    text: str
    indent: int = 0
    parent: Trait | None = None

    def marked(self) -> bool:
        """Whether this trait, or the bullet it is nested in, says where it comes from."""
        if MARK.search(self.text):
            return True
        return self.parent is not None and self.parent.marked()


def checked_lines(markdown: str) -> list[tuple[int, str]]:
    """The lines (numbered from 1) of the checked sections, without fenced code blocks."""
    lines: list[tuple[int, str]] = []
    in_section = in_fence = False
    for number, line in enumerate(markdown.splitlines(), start=1):
        if line.startswith("## "):
            in_section = line[3:].startswith(CHECKED_SECTIONS)
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        if in_section and not in_fence:
            lines.append((number, line))
    return lines


def traits(markdown: str) -> list[Trait]:
    """The bullets (with their continuation lines) and table body rows of the checked sections.

    A heading, a blank line or an unindented paragraph line ends the current bullet; a heading
    or an unindented paragraph line also ends the list, so the next bullet has no parent.
    """
    found: list[Trait] = []
    open_bullets: list[Trait] = []  # the current bullet and the bullets it is nested in
    current: Trait | None = None
    previous_was_table = False
    for number, line in checked_lines(markdown):
        bullet = BULLET.match(line)
        is_table = line.startswith("|")
        if bullet:
            indent = len(bullet.group(1))
            while open_bullets and open_bullets[-1].indent >= indent:
                open_bullets.pop()
            parent = open_bullets[-1] if open_bullets else None
            current = Trait(number, line, indent, parent)
            open_bullets.append(current)
            found.append(current)
        elif current is not None and line.startswith((" ", "\t")) and line.strip():
            current.text += "\n" + line
        else:
            current = None
            if line.strip() and not line.startswith(" "):
                open_bullets.clear()
            if is_table and previous_was_table and not TABLE_SEPARATOR.match(line):
                found.append(Trait(number, line))
        previous_was_table = is_table
    return found


def unmarked(markdown: str) -> list[str]:
    """Each unmarked trait as "line N: its first line", for a readable failure."""
    return [
        f"line {t.line_number}: {t.text.splitlines()[0]}"
        for t in traits(markdown)
        if not t.marked()
    ]


def test_every_checked_section_is_in_the_contract() -> None:
    """A renamed heading would leave nothing to check and the main test would pass vacuously."""
    headings = [line[3:] for line in CONTRACT.read_text(encoding="utf-8").splitlines()]
    for section in CHECKED_SECTIONS:
        assert any(heading.startswith(section) for heading in headings), section


def test_every_page_and_sign_in_trait_carries_a_mark() -> None:
    """The requirement: each trait is marked as documented, seen on a pod, or inferred."""
    assert unmarked(CONTRACT.read_text(encoding="utf-8")) == []


def test_marks_are_found_in_continuations_and_parents_but_not_elsewhere() -> None:
    """The checker itself: what counts as a mark, a continuation, a parent, a code block."""
    sample = "\n".join(
        [
            "## Pages",
            "- Marked on its own line [C S1].",
            "- Marked on its continuation",
            "  line [C3 S24].",
            "- Inherited by its children [I]:",
            "  - child one;",
            "  - child two.",
            "- Not marked, with a key [`ChangeRequestId`].",
            "```",
            "- inside a code block",
            "```",
            "| where | what |",
            "|---|---|",
            "| a row | [sandbox only] |",
            "| another row | none |",
            "## Elsewhere",
            "- not checked",
        ]
    )
    assert len(traits(sample)) == 8
    assert unmarked(sample) == [
        "line 8: - Not marked, with a key [`ChangeRequestId`].",
        "line 15: | another row | none |",
    ]
