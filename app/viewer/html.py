"""Small, safe HTML builders: every piece of data goes through :func:`esc` on its way in.

The pages are plain strings assembled from these helpers; no template engine is needed for a
handful of tables. :class:`Markup` marks text that is already HTML, so it is never escaped twice
and data is never left unescaped by accident.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import datetime
from urllib.parse import quote, urlencode

from rpa.display_time import local_time


class Markup(str):
    """A string that is already safe HTML."""

    __slots__ = ()


def esc(value: object) -> Markup:
    """``value`` as HTML text (Markup passes through unchanged)."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape("" if value is None else str(value), quote=True))


def join(parts: Iterable[object], sep: str = "") -> Markup:
    return Markup(sep.join(esc(p) for p in parts))


def tag(name: str, content: object = "", /, **attrs: object) -> Markup:
    """``<name attrs>content</name>``; attribute names use ``_`` for ``-`` and ``class_``."""
    rendered = "".join(
        f" {k.rstrip('_').replace('_', '-')}" + ("" if v is True else f'="{esc(v)}"')
        for k, v in attrs.items()
        if v is not None and v is not False
    )
    return Markup(f"<{name}{rendered}>{esc(content)}</{name}>")


def link(href: str, text: object, **attrs: object) -> Markup:
    return tag("a", text, href=href, **attrs)


def url(path: str, **params: object) -> str:
    """A local URL with its query; empty parameters are left out."""
    query = urlencode({k: str(v) for k, v in params.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


def path_part(text: str) -> str:
    """``text`` as one URL path segment."""
    return quote(text, safe="")


def when(moment: datetime | None) -> str:
    """A stored (UTC) time in the display zone, with the zone: ``03/12/2026 14:05:07 GMT``."""
    return local_time(moment)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], **attrs: object) -> Markup:
    head = join(tag("th", h, scope="col") for h in headers)
    body = join(tag("tr", join(tag("td", cell) for cell in row)) for row in rows)
    return tag("table", Markup(f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>"), **attrs)


BADGE_TONES = {
    "succeeded": "good",
    "raised": "good",
    "done": "good",  # the ledger's word for a finished item (raised, applied)
    "duplicate": "good",
    "intact": "good",
    "updated": "good",
    "created": "good",
    "unchanged": "good",
    "partial": "warn",
    "rejected": "warn",
    "conflict": "warn",
    "pending": "warn",
    "not sealed": "warn",
    "aborted": "bad",
    "failed": "bad",
    "abandoned": "bad",
    "crashed": "bad",
    "failed_to_start": "bad",
    "timed_out": "bad",
    "interrupted": "warn",
    "missed": "warn",
    "skipped": "warn",
    "tampered": "bad",
    "running": "info",
    "in_progress": "info",
    "submitting": "info",
}


def badge(text: str) -> Markup:
    return tag("span", text, class_=f"badge {BADGE_TONES.get(text, 'plain')}")


STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d232a;
background:#f6f7f9}
header{background:#2b3a4a;color:#fff;padding:.7rem 1.5rem;display:flex;gap:2rem;
align-items:center;flex-wrap:wrap}
header a{color:#fff}
header a.brand{font-weight:600;text-decoration:none;font-size:1.05rem}
header form{display:flex;gap:.4rem;align-items:center}
header label{font-size:.85rem}
main{padding:1rem 1.5rem 3rem;max-width:1400px}
h1{font-size:1.35rem;margin:.6rem 0 1rem}h2{font-size:1.1rem;margin:1.6rem 0 .6rem}
table{border-collapse:collapse;background:#fff;width:100%;font-size:.9rem}
th,td{border:1px solid #d9dde3;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}
#items td:nth-child(-n+5),#timeline td:nth-child(-n+4),#runs td{white-space:nowrap}
dl.summary{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;background:#fff;
padding:.8rem 1rem;border:1px solid #d9dde3;margin:0}
dl.summary dt{font-weight:600}dl.summary dd{margin:0;overflow-wrap:anywhere}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:.8rem;font-size:.8rem;
font-weight:600;white-space:nowrap}
.good{background:#d8f0de;color:#185c2a}.warn{background:#fbefcf;color:#7a5300}
.bad{background:#f9d7d7;color:#8a1c1c}.info{background:#dbe8fa;color:#1c4a8a}
.plain{background:#e6e8eb;color:#333}
.banner{padding:.6rem 1rem;border-radius:.3rem;margin:.6rem 0 1rem}
.banner.good{border:1px solid #9fd3ad}.banner.bad{border:1px solid #e39b9b}
form.filters{display:flex;gap:.8rem;flex-wrap:wrap;align-items:end;margin-bottom:1rem}
form.filters label{display:flex;flex-direction:column;font-size:.85rem}
img.shot{max-width:320px;border:1px solid #c4c9d0;display:block;margin:.2rem 0}
code{background:#eef1f5;padding:0 .25rem;border-radius:.2rem}
.muted{color:#5b6673}.errors li{margin:.2rem 0}
footer{color:#5b6673;font-size:.8rem;padding:0 1.5rem 1.5rem}
"""


def page(title: str, body: Markup, *, query: str = "") -> Markup:
    """A whole page: header with the search box, the body, a footer."""
    search = Markup(
        '<form action="/search" method="get" role="search">'
        '<label for="q">Request id, PO number or supplier</label>'
        f'<input id="q" name="q" value="{esc(query)}" size="22">'
        '<button type="submit">Search</button></form>'
    )
    return Markup(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(title)} · myOracle RPA run log</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{STYLE}</style></head><body>"
        f'<header><a class="brand" href="/runs">myOracle RPA · run log</a>'
        f"{link('/runs', 'Runs')}{search}</header>"
        f"<main>{body}</main>"
        "<footer>Read-only view of the run log and audit trail. Times are UTC.</footer>"
        "</body></html>"
    )
