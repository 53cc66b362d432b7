"""``rpa config show``: the effective settings, secrets masked, each with where it came from.

The sources follow ``config/settings.py`` (highest first): command-line option, environment
variable, ``.env`` file, secrets directory, settings file (TOML), default. Working out a value's
source re-reads those sources the same way pydantic-settings does, by the setting's name; a
value set through a whole nested JSON variable (``RPA_ORACLE='{...}'``) shows that variable.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource
from dotenv import dotenv_values
from pydantic import BaseModel, SecretStr

from config.settings import DEFAULT_SETTINGS_FILE, Settings, default_home
from rpa.cli import load_cli_settings
from rpa.redaction import is_sensitive_key

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
    if isinstance(value, SecretStr) or (is_sensitive_key(key.rsplit(".", 1)[-1])
                                        and value is not None):
        return MASKED
    if value is None:
        return "(not set)"
    if isinstance(value, dict):
        return json.dumps(value, default=str)
    text = str(value)
    return _URL_PASSWORD.sub(lambda m: m.group(1) + MASKED + m.group(3), text)


def _toml_has(data: dict[str, Any], key: str) -> bool:
    node: Any = data
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


class SourceFinder:
    """Where a setting's value came from, checked in the order pydantic-settings applies them."""

    def __init__(self, overrides: dict[str, Any]) -> None:
        self.overrides = overrides
        self.environ = {k.upper(): k for k in os.environ}
        env_file = Path(".env")
        self.dotenv = ({k.upper() for k in dotenv_values(env_file)} if env_file.is_file()
                       else set())
        home = overrides.get("home") or os.environ.get("RPA_HOME")
        secrets = os.environ.get("RPA_SECRETS_DIR") or str(
            Path(home) / "secrets" if home else default_home() / "secrets")
        self.secrets_dir = Path(secrets)
        self.settings_file = Path(os.environ.get("RPA_SETTINGS_FILE") or DEFAULT_SETTINGS_FILE)
        try:
            self.toml = tomllib.loads(self.settings_file.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            self.toml = {}

    def _env_names(self, key: str) -> list[str]:
        """``RPA_ORACLE__BASE_URL`` and the enclosing ``RPA_ORACLE`` (a JSON object)."""
        parts = key.split(".")
        return [ENV_PREFIX + "__".join(parts[:n]).upper() for n in range(len(parts), 0, -1)]

    def source(self, key: str) -> str:
        if key.split(".")[0] in self.overrides:
            return "command line"
        for name in self._env_names(key):
            if name in self.environ:
                return f"environment {self.environ[name]}"
        for name in self._env_names(key):
            if name in self.dotenv:
                return f".env ({name})"
        secret_file = self.secrets_dir / key.replace(".", "__")
        if secret_file.is_file():
            return f"secrets dir ({secret_file})"
        if _toml_has(self.toml, key):
            return f"settings file ({self.settings_file})"
        return "default"


@click.group("config")
def config_group() -> None:
    """Inspect the configuration."""


@config_group.command("show")
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object: {setting: {value, source}}.")
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
        click.echo(json.dumps({key: {"value": _shown(key, value), "source": finder.source(key)}
                               for key, value in values.items()}, indent=2))
        return
    width = max(len(key) for key in values)
    shown = {key: _shown(key, value) for key, value in values.items()}
    value_width = min(max(len(v) for v in shown.values()), 60)
    for key, text in shown.items():
        click.echo(f"{key.ljust(width)}  {text.ljust(value_width)}  [{finder.source(key)}]")
