"""The viewer's pages: runs (with filters), one run, search results, and "not found"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.viewer.html import Markup, badge, esc, join, link, page, path_part, table, tag, url, when
from app.viewer.integrity import run_status
from rpa.audit.evidence import EvidenceFile
from rpa.audit.queries import FindResult
from rpa.audit.report_text import counts_text, duration
from rpa.audit.run_view import ItemView, RunView
from rpa.audit.timeline import summarise
from rpa.audit.verify import VerificationReport
from rpa.display_time import display_zone
from rpa.run_record import RunRecord, RunStatus


@dataclass(frozen=True)
class RunFilters:
    flow: str = ""
    status: str = ""
    since: str = ""  # YYYY-MM-DD
    until: str = ""  # YYYY-MM-DD, inclusive


def run_href(run_id: str) -> str:
    return f"/runs/{path_part(run_id)}"


def evidence_href(file: EvidenceFile) -> str:
    return "/evidence/" + "/".join(path_part(p) for p in file.path.split("/"))


def _trail_banner(report: VerificationReport) -> Markup:
    if report.ok:
        text = (
            f"Audit trail intact: {report.events_checked} records, "
            f"{report.digests_checked} digest(s) and {report.evidence_checked} evidence file(s) "
            f"verified; chain head seq {report.head_seq} (checked {when(report.checked_at)} UTC)."
        )
        return tag("p", text, class_="banner good", role="status")
    first = report.problems[0]
    text = (
        f"Audit trail check FAILED: {len(report.problems)} problem(s). First: "
        f"[{first.kind.value}] {first.message}"
    )
    return tag("p", text, class_="banner bad", role="alert")


def _select(name: str, label: str, options: Sequence[str], chosen: str) -> Markup:
    choices = join(
        tag("option", text or "(any)", value=text, selected=text == chosen)
        for text in ["", *options]
    )
    return tag("label", join([label, tag("select", choices, name=name)]))


def _date(name: str, label: str, value: str) -> Markup:
    return tag(
        "label",
        join([label, Markup(f'<input type="date" name="{esc(name)}" value="{esc(value)}">')]),
    )


def runs_page(
    records: Sequence[RunRecord],
    filters: RunFilters,
    flows: Sequence[str],
    report: VerificationReport,
) -> Markup:
    form = tag(
        "form",
        join(
            [
                _select("flow", "Flow", flows, filters.flow),
                _select("status", "Status", [s.value for s in RunStatus], filters.status),
                _date("since", f"From ({display_zone()})", filters.since),
                _date("until", f"To ({display_zone()})", filters.until),
                Markup('<button type="submit">Filter</button>'),
                link("/runs", "Clear"),
            ]
        ),
        method="get",
        action="/runs",
        class_="filters",
        aria_label="Filter runs",
    )
    rows = []
    for r in records:
        label, why = run_status(report, r)
        rows.append(
            [
                link(run_href(r.run_id), r.run_id),
                r.flow,
                badge(r.status.value),
                when(r.started_at),
                duration(r.duration_s),
                r.trigger.describe(),
                counts_text(r.counts),
                tag("span", badge(label), title=why),
            ]
        )
    listing = (
        table(
            ["Run", "Flow", "Status", "Started", "Duration", "Started by", "Result", "Integrity"],
            rows,
            id="runs",
            aria_label="Runs",
        )
        if rows
        else tag("p", "No runs match these filters.", class_="muted")
    )
    body = join([tag("h1", "Runs"), _trail_banner(report), form, listing])
    return page("Runs", body)


def _evidence_cell(item: ItemView) -> Markup:
    parts = []
    for file in item.evidence:
        href = evidence_href(file)
        if file.name.lower().endswith(".png"):
            kind = "Failure" if "failure" in file.name else "Confirmation"
            parts.append(
                link(
                    href,
                    Markup(
                        f'<img class="shot" src="{esc(href)}" alt="{esc(kind)} screenshot of '
                        f'{esc(item.subject)}" loading="lazy">'
                    ),
                )
            )
        elif file.name.lower().endswith(".zip"):
            parts.append(
                tag(
                    "div",
                    join(
                        [
                            link(href, f"Download trace ({file.name})", download=file.name),
                            tag(
                                "div",
                                join(
                                    [
                                        "Open it with ",
                                        tag("code", f"playwright show-trace {file.name}"),
                                    ]
                                ),
                                class_="muted",
                            ),
                        ]
                    ),
                )
            )
        else:
            parts.append(tag("div", link(href, file.name)))
    return join(parts) if parts else Markup("-")


def _changes(item: ItemView) -> str:
    if not item.before and not item.after:
        return ""
    before, after = item.before or {}, item.after or {}
    return "; ".join(
        f"{k}: {before.get(k, '-')} → {after.get(k, '-')}" for k in sorted({*before, *after})
    )


def _summary(view: RunView, label: str, why: str) -> Markup:
    r = view.record
    pairs: list[tuple[str, object]] = [
        ("Status", badge(r.status.value)),
        ("Flow", r.flow),
        ("Started by", r.trigger.describe()),
        ("Started", f"{when(r.started_at)} UTC"),
        ("Ended", f"{when(r.ended_at)} UTC" if r.ended_at else "-"),
        ("Duration", duration(r.duration_s)),
        ("Result", counts_text(r.counts)),
        ("Message", r.message or "-"),
        ("Oracle", r.target_url or "-"),
        ("Code version", r.code_version or "-"),
        ("Browser", f"{r.browser_version or '-'} (Playwright {r.playwright_version or '-'})"),
        ("Configuration", f"sha256 {r.config_hash or '-'}"),
        (
            "Input files",
            join(tag("div", f"{f.name} — {f.size} bytes, sha256 {f.sha256}") for f in r.input_files)
            or "-",
        ),
        ("Integrity", join([badge(label), " ", why])),
    ]
    return tag("dl", join(join([tag("dt", k), tag("dd", v)]) for k, v in pairs), class_="summary")


def run_page(view: RunView, report: VerificationReport | None) -> Markup:
    r = view.record
    label, why = (
        run_status(report, r)
        if report is not None
        else ("not sealed", "no audit records for this run")
    )
    parts = [tag("h1", f"Run {r.run_id}"), _summary(view, label, why)]
    if report is not None and report.problems:
        parts.append(tag("h2", "Integrity problems"))
        parts.append(
            tag("ol", join(tag("li", f"[{p.kind.value}] {p.message}") for p in report.problems))
        )
    if view.errors:
        parts.append(tag("h2", "Errors"))
        parts.append(tag("ul", join(tag("li", e) for e in view.errors), class_="errors"))
    parts.append(tag("h2", "Items"))
    rows = [
        [
            link(url("/search", q=i.subject), i.subject),
            badge(i.status),
            link(url("/search", q=i.reference), i.reference) if i.reference else "-",
            i.attempts or "-",
            i.failure_class or "-",
            join([i.message or "", tag("div", _changes(i), class_="muted")]),
            _evidence_cell(i),
        ]
        for i in view.items
    ]
    parts.append(
        table(
            [
                "Item",
                "Outcome",
                "Reference",
                "Attempts",
                "Failure",
                "Oracle's message",
                "Evidence",
            ],
            rows,
            id="items",
            aria_label="Items",
        )
        if rows
        else tag("p", "This run touched no items.", class_="muted")
    )
    parts.append(tag("h2", "Timeline"))
    parts.append(
        table(
            ["Seq", "Time", "Kind", "Item", "What happened"],
            [[t.seq, when(t.at), t.kind, t.subject or "", t.summary] for t in view.timeline],
            id="timeline",
            aria_label="Timeline",
        )
    )
    return page(f"Run {r.run_id}", join(parts))


def search_page(query: str, result: FindResult | None) -> Markup:
    parts = [tag("h1", f"Search: {query}" if query else "Search")]
    if result is None:
        parts.append(
            tag("p", "Type a request id, a PO number or a supplier id above.", class_="muted")
        )
    elif not result.found:
        parts.append(
            tag("p", f"Nothing in the ledger or the audit trail matches {query!r}.", role="status")
        )
    else:
        if result.items:
            parts.append(tag("h2", "Current state in the ledger"))
            parts.append(
                table(
                    ["Flow", "Target", "Item", "State", "Reference", "Message", "Last run"],
                    [
                        [
                            i.flow,
                            i.target,
                            i.item_key,
                            badge(i.state.value),
                            i.reference or "-",
                            i.message or "",
                            link(run_href(i.run_id), i.run_id) if i.run_id else "-",
                        ]
                        for i in result.items
                    ],
                    aria_label="Items",
                )
            )
        for match in result.runs:
            run = match.run
            heading = (
                join(
                    [
                        "Run ",
                        link(run_href(run.run_id), run.run_id),
                        " ",
                        badge(run.status.value),
                        f" {run.flow}, started {when(run.started_at)} by {run.trigger.describe()}",
                    ]
                )
                if run
                else Markup("Outside any run")
            )
            parts.append(tag("h2", heading))
            parts.append(
                table(
                    ["Seq", "Time", "Kind", "Item", "What happened"],
                    [
                        [e.seq, when(e.at), e.kind, e.subject or "", summarise(e)]
                        for e in match.events
                    ],
                )
            )
    return page("Search", join(parts), query=query)


def not_found_page(message: str) -> Markup:
    return page("Not found", join([tag("h1", "Not found"), tag("p", message)]))
