"""The query parameters of a REST GET: ``q``, ``limit``, ``offset``, ``totalResults``,
``orderBy``, ``fields``, ``onlyData`` and ``expand``, checked against the resource.

How ``q`` reads depends on the request's framework version (``sandbox/rest/versions.py``):
query-by-example in version 1, row-match expressions from version 2 on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sandbox.rest.qbe import parse_qbe
from sandbox.rest.query import Node, QueryError, parse
from sandbox.rest.resource import Resource
from sandbox.rest.versions import FrameworkVersion

DEFAULT_LIMIT = 25
MAX_LIMIT = 500
# Children of an expanded item are returned in one page of at most this many rows.
EXPANDED_LIMIT = MAX_LIMIT


@dataclass
class Shape:
    """Which attributes and which children to return, for one level of the resource tree."""

    fields: list[str] | None = None  # None: every attribute
    children: dict[str, Shape] = field(default_factory=dict)


@dataclass
class ReadParams:
    q: Node | None
    limit: int
    offset: int
    total_results: bool
    order_by: list[tuple[str, bool]]
    only_data: bool
    shape: Shape


def _flag(params: Mapping[str, str], name: str) -> bool:
    value = params.get(name, "false").lower()
    if value not in {"true", "false"}:
        raise QueryError(
            f"The value {value} of the parameter {name} isn't valid. Use true or false."
        )
    return value == "true"


def _whole(params: Mapping[str, str], name: str, default: int) -> int:
    text = params.get(name)
    if text is None:
        return default
    if not text.isdigit():
        raise QueryError(f"The value {text} of the parameter {name} isn't valid.")
    return int(text)


def _child(resource: Resource, name: str) -> Resource:
    if name not in resource.children:
        raise QueryError(f"The child resource {name} isn't valid for the resource {resource.name}.")
    return resource.children[name]


def _expand_path(shape: Shape, resource: Resource, path: str) -> tuple[Shape, Resource]:
    """Expand the child ``path`` names (``sites`` or ``sites.assignments``) and every child on
    the way to it; return its shape and resource. An unknown name is a 400 that names it."""
    node, current = shape, resource
    for name in path.strip().split("."):
        current = _child(current, name.strip())
        node = node.children.setdefault(name.strip(), Shape())
    return node, current


def _shape(resource: Resource, expand: str | None, fields: str | None) -> Shape:
    """``expand=all`` (the first level of children only, as Fusion expands it) or a list of
    child names, a nested child named ``Child.NestedChild`` (``addresses,sites,sites.assignments``);
    ``fields=A,B;lines:C`` (attributes per level; naming a child also expands it)."""
    shape = Shape()
    if expand and expand.strip().lower() == "all":
        shape = Shape(children={name: Shape() for name in resource.children})
    elif expand:
        for path in expand.split(","):
            if not path.strip():
                raise QueryError(f"The expand parameter {expand} names an empty child.")
            _expand_path(shape, resource, path)
    if fields:
        parts = fields.split(";")
        shape.fields = _field_list(resource, parts[0])
        for part in parts[1:]:
            path, _, names = part.partition(":")
            node, current = _expand_path(shape, resource, path)
            node.fields = _field_list(current, names)
    return shape


def _field_list(resource: Resource, text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    for name in names:
        if name not in resource.view.by_name:
            raise QueryError(
                f"The attribute {name} in the fields parameter isn't valid for {resource.name}."
            )
    return names


def _order_by(resource: Resource, text: str | None) -> list[tuple[str, bool]]:
    order: list[tuple[str, bool]] = []
    for part in (text or "").split(","):
        if not part.strip():
            continue
        name, _, direction = part.strip().partition(":")
        if name not in resource.view.by_name:
            raise QueryError(
                f"The attribute {name} in the orderBy parameter isn't valid for {resource.name}."
            )
        if direction.lower() not in {"", "asc", "desc"}:
            raise QueryError(
                f"The sort direction {direction} in the orderBy parameter isn't valid."
            )
        order.append((name, direction.lower() == "desc"))
    return order


def read_params(
    resource: Resource, params: Mapping[str, str], version: FrameworkVersion
) -> ReadParams:
    """Parse and check every read parameter; QueryError (400) names the first bad one."""
    if "finder" in params:
        raise QueryError("Finders aren't supported by this server. Use the q parameter.")
    q_text = params.get("q")
    limit = _whole(params, "limit", DEFAULT_LIMIT)
    if limit < 1:
        raise QueryError("The value of the parameter limit must be at least 1.")
    q: Node | None = None
    if q_text and q_text.strip():
        q = parse(q_text) if version.row_match_q else parse_qbe(q_text)
    return ReadParams(
        q=q,
        limit=min(limit, MAX_LIMIT),
        offset=_whole(params, "offset", 0),
        total_results=_flag(params, "totalResults"),
        order_by=_order_by(resource, params.get("orderBy")),
        only_data=_flag(params, "onlyData"),
        shape=_shape(resource, params.get("expand"), params.get("fields")),
    )
