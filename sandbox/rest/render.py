"""Oracle's JSON shapes: items with ``links``, collections with paging, expanded children.

An expanded child is a collection object (``items``, ``count``, ``hasMore``, ``limit``,
``offset``, ``links``) from framework version 3 on, and a plain array of its items in versions
1 and 2 (``child_collections``).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sandbox.rest.params import EXPANDED_LIMIT, Shape
from sandbox.rest.resource import Resource
from sandbox.rest.views import Page, select_page


def _link(rel: str, href: str, name: str, kind: str) -> dict[str, str]:
    return {"rel": rel, "href": href, "name": name, "kind": kind}


def collection_links(resource: Resource, href: str) -> list[dict[str, str]]:
    return [_link("self", href, resource.name, "collection")]


def item(
    conn: sqlite3.Connection,
    resource: Resource,
    row: dict[str, Any],
    href: str,
    shape: Shape,
    only_data: bool,
    child_collections: bool,
) -> dict[str, Any]:
    """One item: its attributes (``shape.fields`` or all), expanded children, and links."""
    body = {name: row[name] for name in shape.fields} if shape.fields is not None else dict(row)
    key = row[resource.view.key]
    for name, child_shape in shape.children.items():
        child = resource.children[name]
        child_href = f"{href}/child/{name}"
        page = select_page(conn, child.view, parent_id=key, limit=EXPANDED_LIMIT)
        expanded = collection(
            conn,
            child,
            page,
            child_href,
            child_shape,
            only_data,
            EXPANDED_LIMIT,
            0,
            child_collections=child_collections,
        )
        body[name] = expanded if child_collections else expanded["items"]
    if not only_data:
        links = [
            _link("self", href, resource.name, "item"),
            _link("canonical", href, resource.name, "item"),
        ]
        links += [
            _link("child", f"{href}/child/{name}", name, "collection") for name in resource.children
        ]
        body["links"] = links
    return body


def collection(
    conn: sqlite3.Connection,
    resource: Resource,
    page: Page,
    href: str,
    shape: Shape,
    only_data: bool,
    limit: int,
    offset: int,
    *,
    child_collections: bool,
) -> dict[str, Any]:
    """The collection envelope around one page of items."""
    items = [
        item(
            conn,
            resource,
            row,
            f"{href}/{row[resource.view.key]}",
            shape,
            only_data,
            child_collections,
        )
        for row in page.rows
    ]
    body: dict[str, Any] = {
        "items": items,
        "count": len(items),
        "hasMore": page.has_more,
        "limit": limit,
        "offset": offset,
    }
    if page.total is not None:
        body["totalResults"] = page.total
    if not only_data:
        body["links"] = collection_links(resource, href)
    return body
