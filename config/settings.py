"""The suite's settings, from (highest precedence first):

1. explicit overrides passed by the entry point (command-line options such as ``--home``);
2. environment variables prefixed ``RPA_``, nested with ``__`` (``RPA_ORACLE__BASE_URL``);
3. a ``.env`` file in the working directory;
4. a secrets directory (``RPA_SECRETS_DIR``, default ``<home>/secrets``): one file per setting,
   named like the variable without the prefix (``oracle__password``);
5. ``config/settings.toml`` (or the file named by ``RPA_SETTINGS_FILE``);
6. the defaults below.

Secrets are ``SecretStr``: they print as ``**********`` and are only unwrapped where they are used.
"""

from __future__ import annotations

import os
import re
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from config.audit_settings import AuditSettings
from config.queue_settings import QueueSettings
from config.scheduler_settings import SchedulerSettings

DEFAULT_SETTINGS_FILE = Path(__file__).with_name("settings.toml")


def default_home() -> Path:
    """Where state lives when nothing says otherwise: ``RPA_HOME`` or ``~/.myoracle-rpa``."""
    return Path(os.environ.get("RPA_HOME") or Path.home() / ".myoracle-rpa")


def secrets_dir_for(home: Path | str | None = None) -> Path:
    """The secrets directory: ``RPA_SECRETS_DIR``, else ``<home>/secrets`` (``home`` defaulting
    to :func:`default_home`)."""
    configured = os.environ.get("RPA_SECRETS_DIR")
    if configured:
        return Path(configured)
    return Path(home) / "secrets" if home else default_home() / "secrets"


def refuse_url_credentials(setting: str, url: str) -> str:
    """``url`` unchanged, or a ValueError when it holds a user name or password.

    For the HTTP(S) addresses of Oracle: a password inside one would be written wherever the
    address is (run records, logs, the audit trail). The message never repeats the URL.
    """
    if "@" in urlsplit(url).netloc:
        raise ValueError(
            f"{setting} must not contain a user name or password; give the user name and "
            "password in their own settings (RPA_ORACLE__USERNAME and RPA_ORACLE__PASSWORD, or "
            "files in the secrets directory) and the address without them"
        )
    return url


def url_password(url: str | None) -> str | None:
    """The password inside a database URL (``postgresql://rpa:pw@db/rpa`` gives ``pw``), read
    as SQLAlchemy reads it (decoded); None when there is none."""
    if not url:
        return None
    try:
        password = make_url(url).password
    except (ArgumentError, ValueError):  # not a URL: opening the database reports it
        return None
    return str(password) if password else None


class OracleSettings(BaseModel):
    """The Oracle Fusion instance the bots drive.

    ``target = "sandbox"`` sends every flow to the embedded sandbox (rehearsals, training, the
    demo); otherwise ``base_url`` and the service account must be set, and a flow without them
    stops with a configuration error. The sandbox is never chosen silently.
    """

    target: Literal["myoracle", "sandbox"] = "myoracle"
    base_url: str | None = None
    username: str | None = None
    password: SecretStr | None = None
    # The request id is written at the start of the order's header Description, so that a bot
    # can find the order again after a crash. Configurable because a tenant may prefer another
    # field (an inference, not confirmed against the council's tenant).
    request_id_prefix_format: str = "[{request_id}] "
    rest_reads: bool = True  # whether the REST API may be used for look-ups (never for writes)
    # The UI profile: every label, path, dialog name and pattern the page objects look for. A
    # name in config/ui_profiles/ (``redwood``) or the path of a .toml file; a tenant's own
    # profile can extend a shipped one and name only what differs (docs/ui-profiles.md).
    ui_profile: str = "redwood"

    @field_validator("base_url")
    @classmethod
    def _strip_slash(cls, value: str | None) -> str | None:
        if value is None or value.strip() == "":
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return refuse_url_credentials("oracle.base_url", value).rstrip("/")


class BrowserSettings(BaseModel):
    """How Chromium is found and launched."""

    executable_path: Path | None = None  # None: Playwright's own browser, else a system Chromium
    headless: bool = True
    navigation_timeout_s: float = 30.0
    action_timeout_s: float = 15.0
    ready_timeout_s: float = 30.0  # waiting for JET's BusyContext after an action
    # When an attempt records a Playwright trace (kept as evidence when the attempt fails).
    # Recording costs about a quarter of the throughput (docs/performance.md), so by default a
    # first attempt runs without one and every retry records it: a failure that happens again
    # leaves a trace, a rejection by Oracle leaves its screenshot and message.
    trace: Literal["always", "on_retry", "off"] = "on_retry"


class RetrySettings(BaseModel):
    """Retries of system (transient) failures. Business failures are never retried."""

    attempts: int = Field(default=4, ge=1, le=10)
    initial_wait_s: float = Field(default=0.5, ge=0)
    max_wait_s: float = Field(default=8.0, ge=0)
    # The breaker: this many items in a row ending in a system failure (retries spent) stop
    # the run, leaving the rest pending, rather than spending every item's retries on an
    # Oracle that is down or a page that has changed.
    abort_after_failed_items: int = Field(default=5, ge=1, le=1000)
    # A failed item (from any source, an --input file included) is taken up again by later runs
    # from the ledger, until this many runs have tried it; then it stays failed, listed by
    # `rpa items list --status failed`, until `rpa items retry` gives it more.
    max_runs: int = Field(default=3, ge=1, le=100)


# Where each kind of name in a request is looked up before any browser work: a REST resource
# (under the pod's REST base) and the attribute holding the name as the pages show it. The
# names of Oracle's list-of-values resources are not confirmed against a real pod, so each is a
# setting: a pod that names one otherwise needs only ``[reference_checks.lookups]`` changed.
# Suppliers and their sites are read from ``suppliers`` (documented by Oracle), not from here.
DEFAULT_REFERENCE_LOOKUPS: dict[str, str] = {
    "procurement_bu": "procurementBusinessUnitsLOV:BusinessUnitName",
    "requisitioning_bu": "requisitioningBusinessUnitsLOV:BusinessUnitName",
    "currency": "currenciesLOV:CurrencyCode",
    "buyer": "procurementPersonsLOV:DisplayName",
    "requester": "procurementPersonsLOV:DisplayName",
    "item": "itemsV2:ItemNumber",
    "category": "purchasingCategoriesLOV:CategoryName",
    "uom": "unitsOfMeasureLOV:UnitOfMeasure",
    "location": "locationsLOV:LocationCode",
    "charge_account": "accountCombinationsLOV:ConcatenatedSegments",
}
_LOOKUP_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_/]*:[A-Za-z][A-Za-z0-9_]*")


class ReferenceCheckSettings(BaseModel):
    """Checking a request's names (supplier, site, accounts, locations...) against Oracle's
    reference data over REST before any browser work (only where ``oracle.rest_reads`` is on).
    A look-up the pod does not offer (HTTP 400 or 404) is skipped with a warning: Oracle's own
    checks at Submit still apply."""

    enabled: bool = True
    # "resource:Attribute" per kind; the kinds not named keep DEFAULT_REFERENCE_LOOKUPS.
    lookups: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_REFERENCE_LOOKUPS))

    @field_validator("lookups")
    @classmethod
    def _known_and_well_formed(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(DEFAULT_REFERENCE_LOOKUPS))
        if unknown:
            raise ValueError(
                f"unknown look-up {', '.join(unknown)}; the kinds are "
                + ", ".join(DEFAULT_REFERENCE_LOOKUPS)
            )
        for kind, lookup in value.items():
            if not _LOOKUP_PATTERN.fullmatch(lookup):
                raise ValueError(
                    f"{kind} = '{lookup}' must be 'resource:Attribute', such as "
                    f"'{DEFAULT_REFERENCE_LOOKUPS[kind]}'"
                )
        return {**DEFAULT_REFERENCE_LOOKUPS, **value}


class SandboxSettings(BaseModel):
    """The embedded Oracle Fusion sandbox."""

    host: str = "127.0.0.1"
    port: int = Field(default=8765, ge=0, le=65535)  # 0: any free port
    data_dir: Path | None = None  # default: <home>/sandbox
    username: str = "RPA.PROCUREMENT"
    # A training password for a local fake; a real Oracle's password never has a default.
    password: SecretStr = SecretStr("Sandbox-Welcome1")
    idle_timeout_s: float = Field(default=1800.0, gt=0)  # Fusion signs out after about 30 min
    auto_approve_limit: float = Field(default=25000.0, ge=0)  # GBP; above it: Pending Approval
    # GBP; an order whose total is above it passes the funds check with a warning, which the
    # order page's Submit asks about (Yes/No) before submitting. None: no warnings.
    funds_check_warning_above: float | None = Field(default=None, ge=0)
    latency_ms: int = Field(default=0, ge=0)
    latency_jitter_ms: int = Field(default=0, ge=0)
    fault_rate: float = Field(default=0.0, ge=0, le=1)
    # How the sandbox's pages look: "redwood" (the shape Oracle documents) or "redwood-alt"
    # (the same pages as another release and tenant show them: other labels, wordings and
    # order numbers), each matched by the UI profile of the same name.
    ui_variant: Literal["redwood", "redwood-alt"] = "redwood"
    # The sign-in page: IDCS's single-step form, its two-step form (user name, Next, password),
    # or a federated single-sign-on page that a service account cannot use.
    sign_in: Literal["single-step", "two-step", "sso"] = "single-step"
    # Fusion 26A's Redwood supplier pages route edits through change requests that need
    # approval: on, an edit of an existing supplier saved through the pages waits as a pending
    # change request until approved through the admin endpoint (REST writes apply at once).
    supplier_change_control: bool = False


_SECRETS_DIR: ContextVar[Path | None] = ContextVar("rpa_secrets_dir", default=None)


class SecretsDirectorySource(PydanticBaseSettingsSource):
    """One file per setting, named like its variable without the prefix: ``oracle__password``.

    The file's content (without the trailing newline) is the value; ``__`` nests, as in the
    environment. This is how container and systemd credential stores hand over secrets.
    """

    def __init__(self, settings_cls: type[BaseSettings], folder: Path | None) -> None:
        super().__init__(settings_cls)
        self.folder = folder

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # values come from __call__ as one nested dict

    def __call__(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if self.folder is None or not self.folder.is_dir():
            return values
        for path in sorted(self.folder.iterdir()):
            if not path.is_file() or path.name.startswith("."):
                continue
            name = path.name.lower().removeprefix("rpa_")
            *parents, leaf = name.split("__")
            node = values
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = path.read_text(encoding="utf-8").rstrip("\r\n")
        return values


class Settings(BaseSettings):
    """Everything the suite can be told. Loaded once by the entry point."""

    model_config = SettingsConfigDict(
        env_prefix="RPA_",
        env_nested_delimiter="__",
        env_file=".env",
        extra="forbid",
        toml_file=DEFAULT_SETTINGS_FILE,
        # A refused value may hold a secret (a password typed into a URL): errors name the
        # setting and the rule, never the value.
        hide_input_in_errors=True,
    )

    home: Path = Field(default_factory=default_home)
    inbox_dir: Path | None = None  # default: <home>/inbox/purchase-orders
    log_dir: Path | None = None  # default: <home>/logs (run logs, evidence, audit digests)
    # SQLAlchemy URL; default: sqlite:///<home>/state/ledger.sqlite3. It may hold the database
    # password (postgresql://rpa:PASSWORD@db/rpa): the commands register it as a secret, so it
    # is masked wherever the URL is shown or recorded.
    ledger_url: str | None = None
    # How long a write waits for another process's lock on a SQLite ledger before the command
    # stops with "the ledger is locked" (exit 4); transactions are short, waits normally too.
    ledger_busy_timeout_s: float = Field(default=30.0, gt=0, le=3600)
    # Liveness: every running run writes its heartbeat into the ledger's runs table this often,
    # and a run whose heartbeat is older than run_heartbeat_timeout_s is taken for dead by any
    # host sharing the ledger: closed as aborted, its items released for the next run. (A run
    # of this host is judged by its process, at once.) Hosts' clocks must agree (NTP).
    run_heartbeat_interval_s: float = Field(default=15.0, gt=0, le=600)
    run_heartbeat_timeout_s: float = Field(default=120.0, gt=0, le=86400)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    # Where times are shown for people (CLI, results, viewer); stored times are always UTC.
    display_timezone: str = "Europe/London"
    workers: int = Field(default=1, ge=1, le=16)
    oracle: OracleSettings = OracleSettings()
    browser: BrowserSettings = BrowserSettings()
    retry: RetrySettings = RetrySettings()
    sandbox: SandboxSettings = SandboxSettings()
    scheduler: SchedulerSettings = SchedulerSettings()
    queue: QueueSettings = QueueSettings()
    audit: AuditSettings = AuditSettings()
    reference_checks: ReferenceCheckSettings = ReferenceCheckSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_path = Path(os.environ.get("RPA_SETTINGS_FILE") or DEFAULT_SETTINGS_FILE)
        return (
            init_settings,
            env_settings,
            dotenv_settings,
            SecretsDirectorySource(settings_cls, _SECRETS_DIR.get()),
            TomlConfigSettingsSource(settings_cls, toml_file=toml_path),
        )

    @field_validator("display_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not a time zone name such as Europe/London") from None
        return value

    @model_validator(mode="after")
    def _heartbeats_outlast_pauses(self) -> Settings:
        # A timeout of a few beats: one late beat (a slow database, a busy host) is no death.
        if self.run_heartbeat_timeout_s < 3 * self.run_heartbeat_interval_s:
            raise ValueError(
                "run_heartbeat_timeout_s must be at least three times run_heartbeat_interval_s, "
                "so that one late heartbeat does not make a live run look dead"
            )
        if self.queue.stalled_worker_timeout_s < self.run_heartbeat_timeout_s:
            raise ValueError(
                "queue.stalled_worker_timeout_s must be at least run_heartbeat_timeout_s, so "
                "that a dead worker's run is closed and its items released before another "
                "worker starts it again"
            )
        return self

    # Derived locations: every piece of state lives under home unless configured otherwise.
    @property
    def inbox(self) -> Path:
        return self.inbox_dir or self.home / "inbox" / "purchase-orders"

    @property
    def state_dir(self) -> Path:
        return self.home / "state"

    @property
    def logs_dir(self) -> Path:
        return self.log_dir or self.home / "logs"

    @property
    def sandbox_data_dir(self) -> Path:
        return self.sandbox.data_dir or self.home / "sandbox"

    @property
    def effective_ledger_url(self) -> str:
        return self.ledger_url or f"sqlite:///{self.state_dir / 'ledger.sqlite3'}"

    def database_url_passwords(self) -> list[str]:
        """The passwords inside the database URLs (ledger, job store): the entry points register
        them as secrets (rpa.redaction), so that any text showing a URL shows ``***`` instead."""
        found = (url_password(url) for url in (self.ledger_url, self.scheduler.job_store_url))
        return [password for password in found if password]


def load_settings(**overrides: Any) -> Settings:
    """Load settings from every source; ``overrides`` win (command-line options).

    The secrets directory is ``RPA_SECRETS_DIR`` or ``<home>/secrets`` when it exists.
    """
    home = overrides.get("home") or os.environ.get("RPA_HOME")
    token = _SECRETS_DIR.set(secrets_dir_for(home))
    try:
        return Settings(**overrides)
    finally:
        _SECRETS_DIR.reset(token)
