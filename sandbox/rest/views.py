"""How a REST resource reads: a whitelist of attribute -> SQL expression over a FROM clause.

Every query a resource answers (filters, ordering, paging, one item) is built here from that
whitelist, so attribute names in a request never reach SQL on their own.
"""

from __future__ import annotations

import enum
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sandbox.rest.query import QueryError, Value


class Kind(enum.Enum):
    INT = "int"
    NUMBER = "number"
    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"


@dataclass(frozen=True)
class Attribute:
    name: str
    sql: str
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class View:
    """``source`` is the FROM clause; ``parent`` the SQL expression holding the parent's key
    (child resources); ``where`` a condition every row must meet (e.g. only active suppliers)."""

    source: str
    attributes: tuple[Attribute, ...]
    key: str
    parent: str | None = None
    where: str | None = None
    order: str | None = None
    by_name: Mapping[str, Attribute] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {a.name: a for a in self.attributes})

    @property
    def key_attribute(self) -> Attribute:
        return self.by_name[self.key]

    def columns(self) -> dict[str, str]:
        return {a.name: a.sql for a in self.attributes}

    def coerce(self, name: str, value: Value) -> object:
        """A filter literal as the attribute's type (``q=POHeaderId='300…'`` works too)."""
        kind = self.by_name[name].kind
        try:
            if kind is Kind.INT:
                return int(value)
            if kind is Kind.NUMBER:
                return float(value)
            if kind is Kind.BOOL:
                if isinstance(value, str):
                    return {"true": 1, "y": 1, "false": 0, "n": 0}[value.lower()]
                return int(bool(value))
        except (KeyError, ValueError):
            raise QueryError(f"The value {value} isn't valid for the attribute {name}.") from None
        return str(value).lower() if isinstance(value, bool) else str(value)

    def parse_key(self, text: str) -> int | str | None:
        """A key from a URL path segment, or None when it can't be one."""
        if self.key_attribute.kind is Kind.INT:
            return int(text) if text.isdigit() else None
        return text


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    has_more: bool
    total: int | None


def _render(view: View, row: sqlite3.Row) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for attribute in view.attributes:
        value = row[attribute.name]
        if value is not None:
            if attribute.kind is Kind.BOOL:
                value = bool(value)
            elif attribute.kind is Kind.NUMBER:
                value = float(value)
            elif attribute.kind is Kind.INT:
                value = int(value)
        item[attribute.name] = value
    return item


def _conditions(
    view: View, parent_id: object | None, extra: tuple[str, list[object]] | None
) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if view.where:
        clauses.append(f"({view.where})")
    if view.parent is not None and parent_id is not None:
        clauses.append(f"{view.parent} = ?")
        params.append(parent_id)
    if extra is not None:
        clauses.append(f"({extra[0]})")
        params.extend(extra[1])
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def select_page(
    conn: sqlite3.Connection,
    view: View,
    *,
    parent_id: object | None = None,
    where: tuple[str, list[object]] | None = None,
    order: Sequence[tuple[str, bool]] = (),
    limit: int = 25,
    offset: int = 0,
    count_total: bool = False,
) -> Page:
    """One page of rows. ``order`` holds (attribute, descending) pairs, already whitelisted."""
    select_list = ", ".join(f'{a.sql} AS "{a.name}"' for a in view.attributes)
    condition, params = _conditions(view, parent_id, where)
    ordering = [f'"{name}" {"DESC" if desc else "ASC"}' for name, desc in order]
    if view.order:
        ordering.append(view.order)
    ordering.append(f'"{view.key}" ASC')  # a unique tie-breaker keeps paging stable
    sql = (
        f"SELECT {select_list} FROM {view.source}{condition} "
        f"ORDER BY {', '.join(ordering)} LIMIT ? OFFSET ?"
    )
    rows = conn.execute(sql, [*params, limit + 1, offset]).fetchall()
    total = None
    if count_total:
        total = conn.execute(f"SELECT COUNT(*) FROM {view.source}{condition}", params).fetchone()[0]
    return Page([_render(view, r) for r in rows[:limit]], len(rows) > limit, total)


def select_one(
    conn: sqlite3.Connection, view: View, key: object, parent_id: object | None = None
) -> dict[str, Any] | None:
    """The row with ``key`` (under ``parent_id`` for a child resource), or None."""
    key_sql = view.key_attribute.sql
    page = select_page(conn, view, parent_id=parent_id, where=(f"{key_sql} = ?", [key]), limit=1)
    return page.rows[0] if page.rows else None
