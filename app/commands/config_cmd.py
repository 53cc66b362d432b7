"""``rpa config show``: the effective settings, secrets masked, each with where it came from.

The sources follow ``config/settings.py`` (highest first): command-line option, environment
variable, ``.env`` file, secrets directory, settings file (TOML), default. A value's source is
found by asking each of pydantic-settings' sources what it provides, so it is exact; a value
set through a whole nested JSON variable (``RPA_ORACLE='{...}'``) shows that variable.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource
from pydantic import BaseModel, SecretStr
from pydantic_settings import (
    DotEnvSettingsSource,
    EnvSettingsSource,
    TomlConfigSettingsSource,
)

from app.cli_settings import load_cli_settings
from config.settings import DEFAULT_SETTINGS_FILE, SecretsDirectorySource, Settings, secrets_dir_for
from rpa.redaction import is_sensitive_key, redact_text

ENV_PREFIX = "RPA_"
MASKED = "********"
_URL_PASSWORD = re.compile(r"(//[^/:@]+:)([^@/]+)(@)")


def _flatten(model: BaseModel, prefix: str = "") -> dict[str, Any]:
    """Dotted setting names to values; nested models flattened, dict values kept whole."""
    values: dict[str, Any] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        key = f"{prefix}{name}"
        if isinstance(value, BaseModel):
            values.update(_flatten(value, key + "."))
        else:
            values[key] = value
    return values


def _shown(key: str, value: Any) -> str:
    if isinstance(value, SecretStr) or (
        is_sensitive_key(key.rsplit(".", 1)[-1]) and value is not None
    ):
        return MASKED
    if value is None:
        return "(not set)"
    if isinstance(value, dict):
        return json.dumps(value, default=str)
    text = str(value)
    # A password inside a URL: by its place in the URL, and as a registered secret (the
    # database URLs' passwords are registered when the settings are loaded).
    text = _URL_PASSWORD.sub(lambda m: m.group(1) + MASKED + m.group(3), text)
    return redact_text(text)


def _has(data: dict[str, Any], key: str) -> bool:
    node: Any = data
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


class SourceFinder:
    """Where a setting's value came from: pydantic-settings' own sources are asked what each of
    them provides, in the order :class:`~config.settings.Settings` applies them."""

    def __init__(self, overrides: dict[str, Any]) -> None:
        self.overrides = overrides
        home = overrides.get("home") or os.environ.get("RPA_HOME")
        secrets_dir = secrets_dir_for(home)
        self.settings_file = Path(os.environ.get("RPA_SETTINGS_FILE") or DEFAULT_SETTINGS_FILE)
        env_file = Path(".env")
        self.sources: list[tuple[str, dict[str, Any]]] = [
            ("environment", EnvSettingsSource(Settings)()),
            (
                f".env ({env_file.resolve()})",
                DotEnvSettingsSource(Settings, env_file=env_file)() if env_file.is_file() else {},
            ),
            (
                f"secrets dir ({secrets_dir})",
                SecretsDirectorySource(Settings, secrets_dir)(),
            ),
            (
                f"settings file ({self.settings_file})",
                TomlConfigSettingsSource(Settings, toml_file=self.settings_file)()
                if self.settings_file.is_file()
                else {},
            ),
        ]

    @staticmethod
    def _env_name(key: str) -> str:
        """The variable that set ``key``: ``RPA_ORACLE__BASE_URL``, or ``RPA_ORACLE`` (JSON)."""
        upper = {name.upper() for name in os.environ}
        parts = key.split(".")
        for n in range(len(parts), 0, -1):
            name = ENV_PREFIX + "__".join(parts[:n]).upper()
            if name in upper:
                return name
        return ENV_PREFIX + "__".join(parts).upper()

    def source(self, key: str) -> str:
        if key.split(".")[0] in self.overrides:
            return "command line"
        for label, provided in self.sources:
            if _has(provided, key):
                return f"environment {self._env_name(key)}" if label == "environment" else label
        return "default"


@click.group("config")
def config_group() -> None:
    """Inspect the configuration.

    \b
    Examples:
      rpa config show
      rpa config show --json
    """


@config_group.command("show")
@click.option(
    "--json", "as_json", is_flag=True, help="One JSON object: {setting: {value, source}}."
)
@click.pass_context
def show_command(ctx: click.Context, as_json: bool) -> None:
    """Print every setting's effective value (secrets masked) and where it came from.

    Precedence, highest first: command-line option (--home), environment variable (RPA_...,
    nested with __), .env file, secrets directory, settings file, default.

    \b
    Examples:
      rpa config show
      rpa --home /srv/rpa config show --json
      RPA_SCHEDULER__MISFIRE_GRACE_S=600 rpa config show
    """
    settings: Settings = load_cli_settings(ctx)
    root = ctx.find_root()
    # --home may also be filled from RPA_HOME by click; only a typed option is "command line".
    typed = root.get_parameter_source("home") is ParameterSource.COMMANDLINE
    overrides = {"home": root.params["home"]} if typed else {}
    finder = SourceFinder(overrides)
    values = _flatten(settings)
    if as_json:
        click.echo(
            json.dumps(
                {
                    key: {"value": _shown(key, value), "source": finder.source(key)}
                    for key, value in values.items()
                },
                indent=2,
            )
        )
        return
    width = max(len(key) for key in values)
    shown = {key: _shown(key, value) for key, value in values.items()}
    value_width = min(max(len(v) for v in shown.values()), 60)
    for key, text in shown.items():
        click.echo(f"{key.ljust(width)}  {text.ljust(value_width)}  [{finder.source(key)}]")
    click.echo("\nWhere state goes (derived from the settings above):")
    for label, value in _derived(settings).items():
        click.echo(f"  {label.ljust(18)}{_shown(label, value)}")


def _derived(settings: Settings) -> dict[str, object]:
    return {
        "state": settings.state_dir,
        "logs": settings.logs_dir,
        "inbox": settings.inbox,
        "ledger": settings.effective_ledger_url,
        "job store": settings.scheduler.effective_job_store_url(settings.state_dir),
        "sandbox data": settings.sandbox_data_dir,
    }
