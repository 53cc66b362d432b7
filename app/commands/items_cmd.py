"""``rpa items``: the work queue people can see — what is left to do, and asking for a retry."""

from __future__ import annotations

import getpass
import json
from dataclasses import replace

import click

from app.cli_settings import load_cli_settings
from app.commands.ledger_access import ledger_exists, open_ledger, open_ledger_read_only
from rpa.audit.queries import latest_item_results
from rpa.audit.report_text import table
from rpa.display_time import local_time
from rpa.exit_codes import EXIT_NOT_FOUND
from rpa.ledger import ItemState, Ledger, LedgerItem
from rpa.ledger.states import RESENDABLE_STATES

_HEADERS = ["flow", "target", "item", "state", "reference", "updated", "message"]
_MESSAGE_WIDTH = 70
CONFLICT = "conflict"  # an outcome, not a ledger state: see _conflicts


def _row(item: LedgerItem) -> list[str]:
    message = " ".join((item.message or "").split())
    if len(message) > _MESSAGE_WIDTH:
        message = message[: _MESSAGE_WIDTH - 1] + "…"
    return [
        item.flow,
        item.target,
        item.item_key,
        item.state.value,
        item.reference or "",
        local_time(item.updated_at, seconds=False),
        message,
    ]


def _as_dict(item: LedgerItem) -> dict[str, object]:
    return {
        "flow": item.flow,
        "target": item.target,
        "item": item.item_key,
        "state": item.state.value,
        "reference": item.reference,
        "source_file": item.source_file,
        "message": item.message,
        "updated_at": item.updated_at.isoformat(),
        "claims": item.claim_count,
    }


def _conflicts(ledger: Ledger, flow: str | None, limit: int) -> list[LedgerItem]:
    """Done items whose last arrival was a changed copy (the conflict is not a ledger state:
    the audit trail's last result for the item says so), shown with the conflict's message."""
    last = latest_item_results(ledger.engine, flow=flow, status=CONFLICT)
    found = []
    for item in ledger.all_items(flow=flow, states=[ItemState.DONE], limit=100_000):
        event = last.get((item.flow, item.item_key))
        if event is not None and event.at >= item.updated_at:
            message = str(event.payload.get("message") or "")
            found.append(replace(item, message=f"conflict (run {event.run_id}): {message}"))
    return found[:limit]


@click.group("items")
def items_group() -> None:
    """The work queue: requests and supplier changes the ledger holds, and what became of
    them. Later runs take up pending and failed items by themselves (a failed one for
    retry.max_runs runs); `retry` gives a rejected or failed item another go.

    \b
    Examples:
      rpa items list --status failed
      rpa items retry REQ-2026-0042
      rpa items retry --all-failed --flow raise-purchase-orders
    """


@items_group.command("list")
@click.option("--flow", help="Only items of this flow.")
@click.option(
    "--status",
    type=click.Choice([*(s.value for s in ItemState), CONFLICT]),
    help="Only items in this state (pending, failed, rejected, done…), or whose last arrival "
    "was a conflict (a changed copy of a raised request: the item stays done).",
)
@click.option("--limit", type=click.IntRange(1, 100_000), default=200, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of items.")
@click.pass_context
def list_command(
    ctx: click.Context, flow: str | None, status: str | None, limit: int, as_json: bool
) -> None:
    """List work items, the most recently changed first.

    \b
    Examples:
      rpa items list --status failed
      rpa items list --flow raise-purchase-orders --status rejected --json
    """
    settings = load_cli_settings(ctx)
    items: list[LedgerItem] = []
    if ledger_exists(settings):
        with open_ledger_read_only(settings) as ledger:
            if status == CONFLICT:
                items = _conflicts(ledger, flow, limit)
            else:
                states = [ItemState(status)] if status else None
                items = ledger.all_items(flow=flow, states=states, limit=limit)
    if as_json:
        click.echo(json.dumps([_as_dict(i) for i in items], indent=2))
    elif items:
        click.echo(table(_HEADERS, [_row(i) for i in items]))
    else:
        click.echo("No items match.")


@items_group.command("retry")
@click.argument("keys", nargs=-1, metavar="ITEM…")
@click.option("--flow", help="Only items of this flow.")
@click.option("--all-failed", is_flag=True, help="Every failed item (of --flow, if given).")
@click.pass_context
def retry_command(
    ctx: click.Context, keys: tuple[str, ...], flow: str | None, all_failed: bool
) -> None:
    """Ask for rejected or failed items to be tried again: they become pending, and the
    next run of their flow (scheduled or by hand) takes them up with the content the ledger
    kept. Exit 6 when an item named is not there or cannot be retried.

    \b
    Examples:
      rpa items retry REQ-2026-0042 REQ-2026-0043
      rpa items retry --all-failed
    """
    if not keys and not all_failed:
        raise click.UsageError("name the items to retry, or give --all-failed")
    settings = load_cli_settings(ctx)
    missing: list[str] = []
    retried: list[LedgerItem] = []
    if not ledger_exists(settings):
        missing = list(keys)
    else:
        with open_ledger(settings) as ledger:
            wanted = ledger.all_items(flow=flow, states=RESENDABLE_STATES, limit=100_000)
            chosen = [i for i in wanted if i.item_key in keys]
            if all_failed:
                chosen += [i for i in wanted if i.state is ItemState.FAILED and i not in chosen]
            missing = [k for k in keys if k not in {i.item_key for i in chosen}]
            who = f"{getpass.getuser()} (rpa items retry)"
            retried = [ledger.retry(i.scope, i.item_key, by=who) for i in chosen]
    for item in retried:
        click.echo(f"{item.item_key} ({item.flow}, {item.target}): pending; the next run tries it")
    for key in missing:
        click.echo(
            f"{key}: no rejected or failed item has this key; 'rpa items list' shows them",
            err=True,
        )
    if missing:
        ctx.exit(EXIT_NOT_FOUND)
    if not retried:
        click.echo("No failed items.")
