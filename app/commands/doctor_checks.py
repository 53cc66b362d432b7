"""The checks behind ``rpa doctor``: each says what it found and, when it fails, what to fix.

Order matters: configuration first (nothing else is meaningful without it), then the state
directories, then the browser, then Oracle (or the embedded sandbox) and signing in with the
service account through the real sign-in page, as a flow would.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from sqlalchemy.engine import make_url

from app.oracle_targets import choose_target
from config.settings import Settings, secrets_dir_for
from config.ui_profile import cached_ui_profile
from rpa.browser import BrowserNotFoundError, find_chromium
from rpa.file_modes import open_to_others
from rpa.flow_lock import locks_dir
from rpa.ledger import Ledger, SchemaUpgradeNeededError, SchemaVersionError
from rpa.ledger.schema import SCHEMA_VERSION, utc_now
from rpa.oracle_target import OracleTarget, TargetConfigError
from rpa.run_heartbeat import last_heartbeats
from rpa.run_record import RunStatus, list_runs
from rpa.storage_faults import StorageContext, storage_fault

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from bots.timeouts import Timeouts
    from bots.ui_probe import Census


@dataclass(frozen=True)
class Check:
    """One finding."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


@dataclass
class ProbeRequest:
    """Asks the checks to walk the UI profile after signing in; the census is left here."""

    census: Census | None = None
    profile_file: str = ""


def check_configuration(settings: Settings, *, sandbox: bool = False) -> Iterator[Check]:
    """Flows load, the schedule file is valid, the Oracle target is fully configured."""
    from app.flow_registry import load_flows
    from app.scheduling.schedule_file import ScheduleFileError, load_schedules

    try:
        flows = load_flows()
    except ImportError as exc:
        yield Check(
            "flows",
            False,
            f"a flow module cannot be imported: {exc}",
            "reinstall the suite (make setup) or fix RPA_EXTRA_FLOW_MODULES",
        )
        return
    yield Check("flows", True, ", ".join(flows) or "none installed")
    try:
        schedules = load_schedules(
            settings.scheduler.schedules_file, flows.keys(), settings.scheduler.timezone
        )
        enabled = sum(1 for s in schedules if s.enabled)
        yield Check(
            "schedule file",
            True,
            f"{settings.scheduler.schedules_file}: {enabled} enabled of {len(schedules)}",
        )
    except ScheduleFileError as exc:
        yield Check(
            "schedule file",
            False,
            "; ".join(exc.problems),
            f"correct {exc.path} (rpa schedule --list shows the problems)",
        )
    yield check_target(settings, sandbox=sandbox)


def check_target(settings: Settings, *, sandbox: bool) -> Check:
    """An Oracle is configured, in full; the sandbox is named as such, never taken silently."""
    try:
        target = choose_target(settings, sandbox=sandbox)
    except TargetConfigError as exc:
        oracle = settings.oracle
        if oracle.base_url is None:
            return Check(
                "oracle target",
                False,
                "none configured: every flow stops with exit 2",
                "set RPA_ORACLE__BASE_URL, RPA_ORACLE__USERNAME and RPA_ORACLE__PASSWORD for "
                "myOracle, or RPA_ORACLE__TARGET=sandbox (--sandbox) to rehearse",
            )
        return Check(
            "oracle target",
            False,
            str(exc),
            "set RPA_ORACLE__USERNAME and RPA_ORACLE__PASSWORD (environment, .env or "
            "the secrets directory)",
        )
    if target.embedded_sandbox:
        return Check(
            "oracle target",
            True,
            f"THE EMBEDDED SANDBOX, not myOracle: {target.describe()}; nothing real is raised",
        )
    return Check("oracle target", True, f"{target.describe()} as {settings.oracle.username}")


# Each worker drives its own Chromium. Beyond twice the cores, the browsers starve one another
# and overrun their action timeouts (docs/performance.md).
WORKERS_PER_CORE = 2


def check_workers(settings: Settings, cores: int | None) -> Iterator[Check]:
    """The configured worker count suits the machine's cores."""
    limit = WORKERS_PER_CORE * (cores or 1)
    if settings.workers <= limit:
        yield Check("workers", True, f"{settings.workers} on {cores or 'unknown'} cores")
        return
    yield Check(
        "workers",
        False,
        f"{settings.workers} workers (browsers) on {cores} cores: they will overrun their timeouts",
        f"set workers (RPA_WORKERS) to at most {limit}; docs/performance.md has the figures",
    )


def _writable(path: Path) -> str | None:
    """None when files can be created in ``path`` (created if missing), else why not."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".doctor-"):
            pass
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def check_directories(settings: Settings) -> Iterator[Check]:
    """Every directory the suite writes to exists (or can be created) and is writable."""
    for label, path in (
        ("home", settings.home),
        ("state", settings.state_dir),
        ("flow locks", locks_dir(settings)),
        ("logs", settings.logs_dir),
        ("inbox", settings.inbox),
    ):
        problem = _writable(path)
        if problem is None:
            yield Check(f"{label} directory", True, str(path))
        else:
            yield Check(
                f"{label} directory",
                False,
                f"{path}: {problem}",
                f"create {path} writable by user {os.getuid()} (the service account), "
                "or move it with --home / RPA_HOME",
            )


def check_ledger(settings: Settings) -> Iterator[Check]:
    """The ledger database answers, holds this release's schema (or one the next run upgrades),
    and no run is left running with a stale heartbeat. Opened read-only: nothing is written."""
    url = settings.effective_ledger_url
    parsed = make_url(url)
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite" and not Path(str(parsed.database)).exists():
        yield Check("ledger", True, f"{shown}: not created yet (the first run creates it)")
        return
    try:
        ledger = Ledger.open_read_only(url, busy_timeout_s=settings.ledger_busy_timeout_s)
    except SchemaUpgradeNeededError as exc:
        yield Check("ledger", True, f"{shown}: {exc}")
        return
    except SchemaVersionError as exc:
        yield Check("ledger", False, f"{shown}: {exc}", "upgrade the suite on this host")
        return
    except Exception as exc:
        fault = storage_fault(exc, StorageContext.of(settings))
        yield Check(
            "ledger",
            False,
            fault.sentence if fault else f"{shown}: {str(exc).splitlines()[0]}",
            "start the database server, or correct ledger_url (RPA_LEDGER_URL)",
        )
        return
    try:
        running = list_runs(ledger, status=RunStatus.RUNNING, limit=10_000)
        beats = last_heartbeats(ledger.engine, [run.run_id for run in running])
    finally:
        ledger.close()
    yield Check("ledger", True, f"{shown}: schema {SCHEMA_VERSION}, {len(running)} run(s) running")
    now = utc_now()
    for run in running:
        last = beats.get(run.run_id)
        if last is None or (now - last).total_seconds() <= settings.run_heartbeat_timeout_s:
            continue
        yield Check(
            "run heartbeat",
            False,
            f"run {run.run_id} ({run.flow}) on {run.trigger.host} has sent no heartbeat for "
            f"{(now - last).total_seconds():.0f} s (limit {settings.run_heartbeat_timeout_s:g} s)",
            "nothing to do by hand: the next run or scheduler on any host closes it as aborted "
            "and releases its items; look at that host if it keeps happening",
        )


def check_queue(settings: Settings) -> Iterator[Check]:
    """With the ledger on PostgreSQL: the fleet's queue schema, and workers sending heartbeats."""
    if make_url(settings.effective_ledger_url).get_backend_name() != "postgresql":
        return
    from app.fleet.fleet_status import queue_status

    try:
        status = queue_status(settings.effective_ledger_url)
    except Exception as exc:
        # The ledger check above already named an unreachable server.
        yield Check("queue", False, f"cannot read the queue: {str(exc).splitlines()[0]}")
        return
    if status.schema == "missing":
        yield Check(
            "queue",
            False,
            "the queue's tables are not in the ledger database yet",
            "start `rpa worker` on a bot host (it creates them); until then `rpa schedule` "
            "and `rpa run --defer` create them too",
        )
        return
    if status.schema == "older":
        yield Check(
            "queue",
            False,
            "the queue's tables are from an older procrastinate release",
            "apply its migrations (docs/operations.md, 'Upgrading the queue')",
        )
        return
    if shutil.which("setpriv") is None:
        yield Check(
            "queue workers",
            False,
            "setpriv is not on PATH: a worker could not start runs (it ties each run's life to "
            "the worker's with it)",
            "install util-linux (Debian: apt install util-linux)",
        )
    limit = settings.queue.stalled_worker_timeout_s
    alive, stalled = status.alive(limit), status.stalled(limit)
    waiting = [job for job in status.jobs if job.status == "todo"]
    yield Check(
        "queue",
        True,
        f"schema current; {len(alive)} worker(s) alive, {len(waiting)} run(s) waiting, "
        f"{len(status.jobs) - len(waiting)} running",
    )
    if not alive:
        yield Check(
            "queue workers",
            False,
            f"no worker has sent a heartbeat in the last {limit:g} s: queued runs wait",
            "start `rpa worker` on a bot host (systemd unit rpa-worker.service)",
        )
    for worker in stalled:
        yield Check(
            "queue workers",
            False,
            f"worker {worker.worker_id} has sent no heartbeat for "
            f"{worker.seconds_since_heartbeat:.0f} s (limit {limit:g} s)",
            "nothing to do by hand: another worker puts its run back on the queue; look at "
            "that host if it keeps happening",
        )


def check_secrets(settings: Settings) -> Iterator[Check]:
    """The secrets directory and every file in it are readable by the service account only."""
    folder = secrets_dir_for(settings.home)
    try:
        folder_mode = folder.stat().st_mode
    except FileNotFoundError:
        yield Check("secrets directory", True, f"{folder}: none (secrets come from elsewhere)")
        return
    except OSError as exc:
        yield Check(
            "secrets directory",
            False,
            f"{folder}: {exc.strerror or exc}",
            f"make {folder} a directory of user {os.getuid()} (the service account), mode 700",
        )
        return
    if not stat.S_ISDIR(folder_mode):
        yield Check(
            "secrets directory",
            False,
            f"{folder} is not a directory",
            f"make {folder} a directory (mode 700) holding one file per secret",
        )
        return
    if open_to_others(folder_mode):
        yield Check(
            "secrets directory",
            False,
            f"{folder} is open to its group or others (mode {stat.S_IMODE(folder_mode):03o})",
            f"run chmod 700 {folder} so that only the service account can list it",
        )
    else:
        yield Check("secrets directory", True, f"{folder} (mode 700 or stricter)")
    exposed = []
    for path in sorted(folder.rglob("*")):
        try:
            mode = path.stat().st_mode
        except OSError:  # a dangling link: the settings skip it too
            continue
        if stat.S_ISREG(mode) and open_to_others(mode):
            exposed.append((path, stat.S_IMODE(mode)))
    for path, mode in exposed:
        yield Check(
            "secret file",
            False,
            f"{path} can be read by its group or others (mode {mode:03o})",
            f"run chmod 600 {path} so that only the service account can read it",
        )


def _reachable(base_url: str, timeout_s: float, *, use_proxy_settings: bool) -> str | None:
    try:
        with httpx.Client(
            timeout=timeout_s, follow_redirects=True, trust_env=use_proxy_settings
        ) as client:
            response = client.get(base_url)
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"
    return None if response.status_code < 500 else f"HTTP {response.status_code}"


def check_browser_and_oracle(
    settings: Settings, *, sandbox: bool = False, probe: ProbeRequest | None = None
) -> Iterator[Check]:
    """Chromium found and launched once; Oracle reachable; the service account signs in."""
    configured = settings.browser.executable_path
    if configured is not None and not configured.is_file():
        yield Check(
            "browser",
            False,
            f"configured executable {configured} does not exist",
            "fix RPA_BROWSER__EXECUTABLE_PATH, or unset it to use the system Chromium",
        )
        return
    try:
        executable = find_chromium(settings.browser)
    except BrowserNotFoundError as exc:
        yield Check("browser", False, "no Chromium found", str(exc))
        return
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from bots.errors import BotError
    from bots.signin_page import SignInPage
    from bots.timeouts import Timeouts
    from rpa.browser import launch_chromium

    with ExitStack() as stack:
        playwright = stack.enter_context(sync_playwright())
        try:
            browser = launch_chromium(playwright, settings.browser)
        except PlaywrightError as exc:
            yield Check(
                "browser",
                False,
                f"{executable} does not start: {exc.message}",
                "install Chromium's libraries (apt-get install chromium) or set "
                "RPA_BROWSER__EXECUTABLE_PATH",
            )
            return
        stack.callback(browser.close)
        yield Check("browser", True, f"{executable}, Chromium {browser.version}")
        try:
            target = stack.enter_context(choose_target(settings, sandbox=sandbox).open())
        except TargetConfigError:
            return  # reported by the configuration checks
        except (ImportError, OSError, RuntimeError) as exc:
            yield Check(
                "oracle reachable",
                False,
                f"cannot start or reach Oracle: {exc}",
                "check oracle.base_url, or the embedded sandbox (rpa sandbox serve)",
            )
            return
        where = "embedded sandbox" if target.embedded_sandbox else "Oracle"
        # The local sandbox is reached directly; a real Oracle through the host's proxy settings.
        problem = _reachable(
            target.base_url,
            settings.browser.navigation_timeout_s,
            use_proxy_settings=not target.embedded_sandbox,
        )
        if problem is not None:
            yield Check(
                "oracle reachable",
                False,
                f"{target.base_url}: {problem}",
                "check the URL, the network route and any proxy from this host",
            )
            return
        yield Check("oracle reachable", True, f"{where} at {target.base_url}")
        timeouts = Timeouts.from_settings(settings.browser)
        context = browser.new_context(locale="en-GB")
        stack.callback(context.close)
        page = context.new_page()
        page.set_default_timeout(timeouts.action_ms)
        signin = SignInPage(
            page,
            target.base_url,
            cached_ui_profile(target.ui_profile),
            ready_timeout_ms=timeouts.ready_ms,
        )
        try:
            signin.open().sign_in(target.username, target.password.get_secret_value())
        except (BotError, PlaywrightError) as exc:
            yield Check(
                "sign-in",
                False,
                f"{target.username} could not sign in: {exc}",
                "check the service account's user name and password (and that it is not locked)",
            )
            return
        yield Check("sign-in", True, f"signed in as {target.username}")
        if probe is not None:
            yield probe_ui(settings, page, target, timeouts, probe, two_step=signin.two_step)


def _an_order_to_open(settings: Settings, target: OracleTarget) -> tuple[str | None, bool]:
    """An order the walk can open read-only, Incomplete ones first (they offer Add Line and
    Submit): its header id and whether it is Incomplete. None without REST reads."""
    if not settings.oracle.rest_reads:
        return None, False
    from bots.errors import BotError
    from rpa.oracle_rest import OracleRestReader

    reader = OracleRestReader(target)
    try:
        for query in ("Status='Incomplete'", None):
            params = {"limit": "1", "onlyData": "true", **({"q": query} if query else {})}
            items = reader.get("/purchaseOrders", **params).get("items") or []
            if items:
                return str(items[0]["POHeaderId"]), items[0].get("Status") == "Incomplete"
    except (BotError, httpx.HTTPError, KeyError):
        return None, False
    finally:
        reader.close()
    return None, False


def probe_ui(
    settings: Settings,
    page: Page,
    target: OracleTarget,
    timeouts: Timeouts,
    probe: ProbeRequest,
    *,
    two_step: bool,
) -> Check:
    """Walk the UI profile read-only (bots.ui_probe) and say whether every key resolved."""
    from bots.ui_probe import KeyStatus, UiProbe
    from config.ui_profile import profile_path

    profile = cached_ui_profile(target.ui_profile)
    probe.profile_file = str(profile_path(target.ui_profile))
    walker = UiProbe(page, target.base_url, profile, timeouts)
    walker.signed_in(two_step=two_step)
    header_id, incomplete = _an_order_to_open(settings, target)
    census = walker.walk(order_header_id=header_id, order_is_incomplete=incomplete)
    probe.census = census
    counts = ", ".join(
        f"{census.count(status)} {status.value.replace('_', ' ')}" for status in KeyStatus
    )
    detail = f"profile {profile.name}: {counts}"
    if census.stopped:
        detail += f"; {census.stopped}"
    return Check(
        "ui profile",
        census.all_found,
        detail,
        ""
        if census.all_found
        else f"correct the keys listed below in {probe.profile_file} "
        "(or in a profile that extends it), then run rpa doctor --probe-ui again",
    )


def run_all_checks(
    settings: Settings, *, sandbox: bool = False, probe: ProbeRequest | None = None
) -> Iterator[Check]:
    """Every check in order; with ``probe``, the read-only walk of the UI profile last."""
    yield from check_configuration(settings, sandbox=sandbox)
    yield from check_workers(settings, os.cpu_count())
    yield from check_directories(settings)
    yield from check_ledger(settings)
    yield from check_queue(settings)
    yield from check_secrets(settings)
    yield from check_browser_and_oracle(settings, sandbox=sandbox, probe=probe)
