"""Settings for the commands: loaded once per invocation, a bad setting is one clear message."""

from __future__ import annotations

from typing import Any

import click
from pydantic import ValidationError

from config.settings import Settings, load_settings
from rpa.display_time import set_display_zone
from rpa.exit_codes import EXIT_USAGE
from rpa.redaction import register_secret

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _settings_error(exc: ValidationError) -> str:
    problems = []
    for err in exc.errors():
        key = ".".join(str(part) for part in err["loc"])
        problems.append(f"setting '{key}': {err['msg']}")
    return "Invalid configuration: " + "; ".join(problems)


def load_cli_settings(ctx: click.Context) -> Settings:
    """Load settings once per invocation; an invalid setting exits 2 with one clear message."""
    obj: dict[str, Any] = ctx.ensure_object(dict)
    if "settings" not in obj:
        overrides: dict[str, Any] = {}
        if obj.get("home"):
            overrides["home"] = obj["home"]
        try:
            obj["settings"] = load_settings(**overrides)
        except ValidationError as exc:
            click.echo(_settings_error(exc), err=True)
            ctx.exit(EXIT_USAGE)
    settings: Settings = obj["settings"]
    set_display_zone(settings.display_timezone)
    # A database password inside ledger_url (or the job store's URL) is masked from here on, in
    # everything the command prints, logs or records.
    for password in settings.database_url_passwords():
        register_secret(password)
    return settings
