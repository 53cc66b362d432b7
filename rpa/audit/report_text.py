"""Plain-text renderings for the ``rpa runs`` and ``rpa audit`` commands (``--json`` aside)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rpa.audit.prune import RETENTION_ZONE, PruneResult
from rpa.audit.queries import FindResult
from rpa.audit.run_view import RunView
from rpa.audit.timeline import summarise
from rpa.audit.verify import VerificationReport
from rpa.display_time import local_time
from rpa.run_record import RunRecord


def utc(moment: datetime | None) -> str:
    """A stored (UTC) time as people read it: ``29/11/2026 19:30:00 GMT``, or ``-``
    (rpa.display_time)."""
    return local_time(moment)


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return (
        f"{hours}h{minutes:02d}m"
        if hours
        else (f"{minutes}m{secs:02d}s" if minutes else f"{seconds:.1f}s")
    )


def counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items() if n) or "-"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns as wide as their widest cell."""
    all_rows = [list(headers), *[list(r) for r in rows]]
    widths = [max(len(row[i]) for row in all_rows) for i in range(len(headers))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in all_rows
    )


def run_rows(records: Sequence[RunRecord]) -> list[list[str]]:
    return [
        [
            r.run_id,
            r.flow,
            r.status.value,
            utc(r.started_at),
            duration(r.duration_s),
            r.trigger.describe(),
            counts_text(r.counts),
        ]
        for r in records
    ]


RUN_HEADERS = ["RUN", "FLOW", "STATUS", "STARTED", "DURATION", "TRIGGER", "RESULT"]


def integrity_text(report: VerificationReport) -> str:
    if report.ok:
        pruned = f"; {len(report.pruned)} file(s) pruned by retention" if report.pruned else ""
        return (
            f"verified ({report.events_checked} records, {report.digests_checked} "
            f"digest(s), {report.evidence_checked} evidence file(s){pruned})"
        )
    first = report.problems[0]
    return f"FAILED: {len(report.problems)} problem(s); first: [{first.kind.value}] {first.message}"


def render_run(view: RunView, report: VerificationReport | None) -> str:
    r = view.record
    lines = [f"Run {r.run_id}  {r.flow}  {r.status.value.upper()}", ""]
    lines.append(f"  Started     {utc(r.started_at)} by {r.trigger.describe()}")
    lines.append(f"  Ended       {utc(r.ended_at)} ({duration(r.duration_s)})")
    lines.append(
        f"  Code        {r.code_version or '-'}; browser {r.browser_version or '-'}; "
        f"Playwright {r.playwright_version or '-'}"
    )
    lines.append(f"  Target      {r.target_url or '-'}")
    lines.append(f"  Config      sha256 {r.config_hash or '-'}")
    for f in r.input_files:
        lines.append(f"  Input       {f.name} ({f.size} bytes, sha256 {f.sha256})")
    lines.append(f"  Result      {counts_text(r.counts)}")
    if r.message:
        lines.append(f"  Message     {r.message}")
    if report is not None:
        lines.append(f"  Integrity   {integrity_text(report)}")
    lines += ["", "Items"]
    rows = [
        [
            i.subject,
            i.status,
            i.reference or "-",
            str(i.attempts or "-"),
            i.failure_class or "-",
            i.message or "",
        ]
        for i in view.items
    ]
    lines.append(
        table(["ITEM", "STATUS", "REFERENCE", "ATTEMPTS", "FAILURE", "MESSAGE"], rows)
        if rows
        else "  (none)"
    )
    lines += ["", "Errors"] + ([f"  - {e}" for e in view.errors] or ["  (none)"])
    lines += ["", "Evidence"] + (
        [f"  {e.path}  sha256 {e.sha256[:16]}…" for e in view.evidence] or ["  (none)"]
    )
    lines += ["", "Timeline"]
    lines.append(
        table(
            ["SEQ", "TIME", "KIND", "ITEM", "WHAT"],
            [[str(t.seq), utc(t.at), t.kind, t.subject or "", t.summary] for t in view.timeline],
        )
    )
    return "\n".join(lines)


def render_find(result: FindResult) -> str:
    if not result.found:
        return f"Nothing in the ledger or the audit trail matches {result.text!r}."
    lines = [f"Matches for {result.text!r}", ""]
    for item in result.items:
        lines.append(
            f"Ledger: {item.flow} {item.item_key} on {item.target} is {item.state.value}"
            + (f", reference {item.reference}" if item.reference else "")
            + (f" ({item.message})" if item.message else "")
            + f"; last changed by run {item.run_id} at {utc(item.updated_at)}"
        )
    for match in result.runs:
        lines.append("")
        run = match.run
        lines.append(
            f"Run {run.run_id} ({run.flow}, {run.status.value}, started "
            f"{utc(run.started_at)} by {run.trigger.describe()})"
            if run
            else "Outside any run"
        )
        for event in match.events:
            lines.append(
                f"  seq {event.seq}  {utc(event.at)}  {event.kind}  "
                f"{event.subject or ''}  {summarise(event)}"
            )
    return "\n".join(lines)


def render_verification(report: VerificationReport) -> str:
    scope = f"run {report.run_id}" if report.run_id else "the whole audit trail"
    verdict = "INTACT" if report.ok else "FAILED"
    seqs = (
        f"seq {report.first_seq}–{report.last_seq}"
        if report.first_seq is not None
        else "no records"
    )
    lines = [
        f"Audit trail verification of {scope}: {verdict}",
        f"  Checked {report.events_checked} records ({seqs}), {report.digests_checked} "
        f"digest(s), {report.evidence_checked} evidence file(s).",
        f"  Chain head: seq {report.head_seq}, sha256 {report.head_hash}",
    ]
    if report.anchors_checked:
        lines.append(
            f"  Checked against {report.anchors_checked} anchor(s) kept outside this host."
        )
    if report.undigested_events:
        lines.append(
            f"  {report.undigested_events} record(s) after the last digest are sealed "
            "by the chain head only (a run still running, or not yet finished)."
        )
    if report.pruned:
        lines.append(
            f"  Pruned by retention (recorded, not tampering): {len(report.pruned)} file(s)"
        )
        lines += [
            f"    {p.path}  ({p.category}, pruned {p.pruned_at[:19]}Z, seq {p.seq})"
            for p in report.pruned
        ]
    if report.problems:
        lines.append(f"  {len(report.problems)} problem(s); the first is where to start:")
        lines += [
            f"    {n}. [{p.kind.value}] {p.message}" for n, p in enumerate(report.problems, start=1)
        ]
    return "\n".join(lines)


def render_prune(result: PruneResult) -> str:
    verb = "Would prune" if result.dry_run else "Pruned"
    rule = result.rule
    if rule.days is not None:
        lines = [
            f"{verb} {len(result.files)} file(s) older than {rule.days} days "
            f"(before {utc(result.cutoff)})."
        ]
    else:
        first_kept = result.cutoff.astimezone(RETENTION_ZONE)
        lines = [
            f"{verb} {len(result.files)} file(s) of runs that ended before "
            f"{first_kept.day} {first_kept:%B %Y} (UK time)."
        ]
    lines.append(f"Rule: evidence is {rule.describe()}; the audit trail is never pruned.")
    lines += [f"  {f.path}  ({f.category}, {f.size} bytes)" for f in result.files]
    if result.event_seq is not None:
        lines.append(
            f"Recorded in the audit trail at seq {result.event_seq}, sealed by digest "
            f"{result.digest_no}."
        )
    if result.kept_changed:
        lines.append(
            "Kept, because they changed since the trail recorded them (run 'rpa audit verify'):"
        )
        lines += [f"  {name}" for name in result.kept_changed]
    return "\n".join(lines)
