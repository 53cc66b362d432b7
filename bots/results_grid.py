"""A work area's results grid (JET's ``oj-c-table``): every row, scrolling as needed, and each
row's cells by column heading."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from bots.errors import StructuralMismatchError
from bots.page_identity import shown
from bots.widgets import Widgets
from config.ui_profile import ProfileText

# A search that finds every record has to scroll the table: it fetches 25 rows at a time.
_MAX_SCROLLS = 10_000
# JET's table keeps a "load more" row at its end while the data provider has more rows.
_MORE_ROWS_JS = """
([grid, seen]) => grid.querySelectorAll('tr[data-oj-key]').length > seen
    || !grid.querySelector('[data-oj-cell-type="loadMore"]')
"""


def _text(value: str) -> str:
    return " ".join(value.split())


class ResultsGrid:
    """The grid named ``name`` (a profile text) on ``page``."""

    def __init__(self, page: Page, widgets: Widgets, name: ProfileText) -> None:
        self.page = page
        self.widgets = widgets
        self.name = name
        self.grid = page.get_by_role("grid", name=name, exact=True)

    def rows(self) -> Locator:
        """Every result row: while the table shows its "load more" row, scroll to it and wait
        until the next rows have arrived (or the table says there are no more)."""
        rows = self.grid.locator("tr[data-oj-key]")
        load_more = self.grid.locator('[data-oj-cell-type="loadMore"]')
        for _ in range(_MAX_SCROLLS):
            if load_more.count() == 0:
                break
            seen = rows.count()
            load_more.first.scroll_into_view_if_needed()
            self.page.wait_for_function(
                _MORE_ROWS_JS,
                arg=[self.grid.element_handle(), seen],
                timeout=self.widgets.timeouts.ready_ms,
            )
            self.widgets.ready()
        return rows

    def column_positions(self, *columns: ProfileText) -> dict[str, int]:
        """Where each of ``columns`` is among the grid's headings (by the profile's texts, so a
        tenant that reorders or adds columns changes nothing); a missing one is a structural
        mismatch naming its key."""
        self.grid.first.wait_for(state="attached", timeout=self.widgets.presence_timeout_ms)
        headings = [_text(t) for t in self.grid.get_by_role("columnheader").all_inner_texts()]
        positions: dict[str, int] = {}
        for column in columns:
            if str(column) not in headings:
                raise StructuralMismatchError(
                    column.key,
                    str(column),
                    f"no such column in the {self.name} grid; it has {shown(headings)}",
                    screen=self.widgets.screen,
                    url=self.page.url,
                )
            positions[column.key] = headings.index(str(column))
        return positions

    @staticmethod
    def cells(row: Locator) -> list[str]:
        """A row's cell texts, in column order, spacing tidied."""
        return [_text(t) for t in row.locator("td, th").all_inner_texts()]
