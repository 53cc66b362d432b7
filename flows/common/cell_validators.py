"""Pydantic validators for the cells of people's files, shared by the flows' row models.

A row model declares each column with one of these (``Annotated[str | None, text(240)]``), so a
cell is checked where its column is declared and each failure names that column. Every reason
is written to follow ``column <name>, value '<cell>':`` in a message (``input_file.Rejection``).

They are ``BeforeValidator``s: they see the raw cell (text, or a ``datetime.date`` from an
Excel date cell) before pydantic's type check, so a person's spelling can be accepted and put
into the one form the flow works with.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import BeforeValidator

# Characters no one means to type into Oracle: control characters (NUL, escape...) other than
# tabs and line breaks, and the bidirectional controls that make text read otherwise than it is
# stored (the "Trojan Source" characters).
_HIDDEN = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def visible(text: str) -> str:
    """``text`` safe to echo to a terminal or a results file: control and bidirectional
    characters written as ``<U+001B>``, so a value can never move the cursor, recolour the
    screen or reorder what a person reads."""
    return _HIDDEN.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def hidden_character(value: str) -> str | None:
    """The first character of ``value`` a person cannot see or that reorders text, as
    ``U+001B``; None when there is none."""
    found = _HIDDEN.search(value)
    return None if found is None else f"U+{ord(found.group()):04X}"


def cleaned(value: object) -> object:
    """Text with runs of spaces, tabs and line breaks as single spaces; blank is ``None``.
    Text holding a control or bidirectional character is refused, naming it."""
    if isinstance(value, date):
        value = value.isoformat()  # a date cell typed into a text column reads as text
    if isinstance(value, str):
        hidden = hidden_character(value)
        if hidden is not None:
            raise ValueError(
                f"holds an invisible control character ({hidden}), often pasted from another "
                "system: retype the value"
            )
        return " ".join(value.split()) or None
    return value


def text(max_length: int, *, required: bool = False, one_line: bool = False) -> BeforeValidator:
    """Cleaned text of at most ``max_length`` characters; blank is ``None`` unless ``required``.
    ``one_line``: a line break is refused rather than made a space (a name Oracle matches on,
    where a break is a pasting slip, or rows a stray quote joined)."""

    def check(value: object) -> object:
        if one_line and isinstance(value, str) and ("\n" in value.strip() or "\r" in value.strip()):
            raise ValueError("runs over more than one line: write it on one line")
        value = cleaned(value)
        if value is None and required:
            raise ValueError("a value is required")
        if isinstance(value, str) and len(value) > max_length:
            raise ValueError(f"is {len(value)} characters long; at most {max_length} are allowed")
        return value

    return BeforeValidator(check)


def one_of(*choices: str) -> BeforeValidator:
    """One of ``choices`` in any case, ``_`` for a space allowed, given in the choice's spelling.

    ``spend_authorized`` and ``SPEND AUTHORIZED`` are ``Spend Authorized``: people type list
    values from memory, and Oracle wants its own spelling. Blank is ``None``.
    """
    by_key = {_choice_key(choice): choice for choice in choices}
    listed = (
        " or ".join(choices)
        if len(choices) <= 2
        else "one of " + ", ".join(choices[:-1]) + " or " + choices[-1]
    )

    def check(value: object) -> object:
        value = cleaned(value)
        if isinstance(value, str):
            if _choice_key(value) not in by_key:
                raise ValueError(f"must be {listed}")
            return by_key[_choice_key(value)]
        return value

    return BeforeValidator(check)


def _choice_key(value: str) -> str:
    return " ".join(value.replace("_", " ").split()).casefold()
