"""The ``q=`` filter of REST framework version 1: query-by-example.

Version 1 is what Fusion answers with when a request has no ``REST-Framework-Version`` header.
Its ``q`` is a list of terms joined by ``;``, all of which must hold::

    q := term (";" term)*
    term := Attr op value
    op := "=" | "<>" | "!=" | "<" | ">" | "<=" | ">="
    value := 'text' ('' escapes a quote; ';' inside is text) | text up to the next ';'

``Attr=value`` joined by ``;`` is Oracle's documented form; the other operators, the quoted
value and ``%`` as a wildcard (``Supplier=Anglia%`` compares with LIKE) are inferred. An
unquoted value is taken as it is, trimmed; it takes the attribute's type when compiled.

What version 1 cannot parse answers 400, as Fusion does: a term without an operator right after
the attribute name (``Attr LIKE 'a%'``, ``Attr IS NULL``, ``(…)``, ``NOT …``), a quoted value
with more text after it (``A='a' and B='b'``), an unquoted value that reads as a row-match
expression (``Qty>1 and Qty<3``), an empty value. The message says that such expressions need
``REST-Framework-Version: 2`` or later. A filter is parsed into the same tree as the row-match
grammar (``sandbox/rest/query.py``), so it compiles to SQL the same way.
"""

from __future__ import annotations

import re

from sandbox.rest.query import BoolOp, Comparison, Node, QueryError

_TERM = re.compile(r"\s*(?P<attribute>[A-Za-z_][A-Za-z0-9_]*)\s*(?P<op><=|>=|<>|!=|=|<|>)")
_QUOTED = re.compile(r"'((?:[^']|'')*)'")
# An unquoted value that goes on like a row-match expression: "1 and Qty<3", "x or Name LIKE".
_ROW_MATCH_TAIL = re.compile(
    r"\s(?:and|or)\s+(?:not\s+)?\(?\s*[A-Za-z_][A-Za-z0-9_]*\s*"
    r"(?:<=|>=|<>|!=|=|<|>|like\b|is\b|in\b|between\b|not\b)",
    re.IGNORECASE,
)


def _refuse(text: str, why: str) -> QueryError:
    return QueryError(
        f"The query q={text} isn't valid for REST framework version 1 ({why}). Version 1 takes "
        "query-by-example: Attr=value;Attr2=value. Expressions with and, or, LIKE, IS NULL or "
        "parentheses need the header REST-Framework-Version: 2 or later."
    )


def _value(text: str, position: int) -> tuple[str, int]:
    """The value starting at ``position`` and where its term ends (at a ``;`` or the end)."""
    while position < len(text) and text[position].isspace():
        position += 1
    if position < len(text) and text[position] == "'":
        quoted = _QUOTED.match(text, position)
        if quoted is None:
            raise _refuse(text, f"the quoted value at {position} isn't closed")
        end = quoted.end()
        rest = text[end:].split(";", 1)[0]
        if rest.strip():
            raise _refuse(text, f"the quoted value {quoted.group()} has more text after it")
        return quoted.group(1).replace("''", "'"), end + len(rest)
    end = text.find(";", position)
    end = len(text) if end < 0 else end
    value = text[position:end].strip()
    if not value:
        raise _refuse(text, "a term has no value")
    if _ROW_MATCH_TAIL.search(" " + value):
        raise _refuse(text, f"the value {value} reads as a row-match expression")
    return value, end


def _terms(text: str) -> list[Comparison]:
    comparisons: list[Comparison] = []
    position = 0
    while True:
        match = _TERM.match(text, position)
        if match is None:
            shown = text[position:].split(";", 1)[0].strip() or "an empty term"
            raise _refuse(text, f"{shown} isn't Attr=value")
        attribute, operator = match.group("attribute"), match.group("op")
        value, position = _value(text, match.end())
        if operator == "=" and "%" in value:
            comparisons.append(Comparison(attribute, "like", (value,)))
        else:
            comparisons.append(
                Comparison(attribute, "!=" if operator == "<>" else operator, (value,))
            )
        if position >= len(text):
            return comparisons
        position += 1  # the ";"


def parse_qbe(text: str) -> Node:
    """The syntax tree of a version 1 ``q`` filter (QueryError when it isn't one)."""
    comparisons = _terms(text)
    return comparisons[0] if len(comparisons) == 1 else BoolOp("and", tuple(comparisons))
