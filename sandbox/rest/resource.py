"""A REST resource: how it reads (a view), its child resources, and what it lets clients do."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sandbox.rest.views import View
from sandbox.services.body import Body
from sandbox.services.context import ServiceContext

# ``parents`` holds the keys of the enclosing items, outermost first.
Parents = tuple[Any, ...]
CreateFn = Callable[[ServiceContext, sqlite3.Connection, Parents, Body], Any]
UpdateFn = Callable[[ServiceContext, sqlite3.Connection, Parents, Any, Body], None]
DeleteFn = Callable[[ServiceContext, sqlite3.Connection, Parents, Any], None]
ActionFn = Callable[[ServiceContext, sqlite3.Connection, Any, Body], dict[str, Any]]
ViewChooser = Callable[[set[str]], View]


@dataclass
class Resource:
    name: str
    view: View
    children: dict[str, Resource] = field(default_factory=dict)
    create: CreateFn | None = None
    update: UpdateFn | None = None
    delete: DeleteFn | None = None
    actions: dict[str, ActionFn] = field(default_factory=dict)
    # Picks the view from the attributes a filter names (a LOV whose rows depend on the filter).
    choose_view: ViewChooser | None = None
    # Finds the item a DELETE names when that is wider than ``view``: a draft resource lists
    # only Incomplete orders, but deleting a submitted one must be Oracle's refusal, not a 404.
    delete_view: View | None = None

    def view_for(self, filtered: set[str]) -> View:
        return self.choose_view(filtered) if self.choose_view else self.view
