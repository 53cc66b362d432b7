"""Passwords inside URLs never reach what the commands print or record: Oracle's address with
one is refused, a database password in ledger_url is masked."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from app.cli_settings import load_cli_settings
from config.settings import Settings
from rpa.ledger import Ledger
from rpa.redaction import forget_secrets
from rpa.run_record import RUN_JSON
from rpa.runs import RunRecorder, config_hash
from rpa.trigger import Trigger, TriggerKind
from tests.commands.conftest import RunRpa

ORACLE_PASSWORD = "Oracle-Pw-5521"
# A '/' in it, as SQLAlchemy accepts: a pattern looking for user:password@ misses it.
LEDGER_PASSWORD = "Ledger/Pw-7731"
LEDGER_URL = f"postgresql+psycopg://rpa:{LEDGER_PASSWORD}@db.invalid/rpa"
MASKED_URL = "postgresql+psycopg://rpa:***@db.invalid/rpa"
NO_BROWSER = {"RPA_BROWSER__EXECUTABLE_PATH": "/nonexistent/chromium"}  # doctor stops early


@pytest.fixture(autouse=True)
def _no_registered_secrets() -> Iterator[None]:
    yield
    forget_secrets()


@pytest.mark.parametrize("command", [("config", "show"), ("doctor",), ("runs", "list")])
def test_a_password_in_the_oracle_url_stops_every_command_without_showing_it(
    run_rpa: RunRpa, command: tuple[str, ...]
) -> None:
    """Exit 2 with one sentence naming the setting and where the password goes instead."""
    done = run_rpa(
        *command,
        RPA_ORACLE__BASE_URL=f"https://svc.rpa:{ORACLE_PASSWORD}@myoracle.example/",
        **NO_BROWSER,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "setting 'oracle.base_url'" in done.stderr
    assert "must not contain a user name or password" in done.stderr
    assert ORACLE_PASSWORD not in done.stdout + done.stderr


def test_config_show_and_doctor_mask_the_ledger_password(run_rpa: RunRpa) -> None:
    """ledger_url may hold the database password: it is shown as *** wherever the URL is."""
    shown = run_rpa("config", "show", RPA_LEDGER_URL=LEDGER_URL)
    assert shown.returncode == 0, shown.stderr
    assert LEDGER_PASSWORD not in shown.stdout
    lines = {line.split()[0]: line for line in shown.stdout.splitlines() if line.strip()}
    assert MASKED_URL in lines["ledger_url"] and MASKED_URL in lines["ledger"]

    as_json = run_rpa("config", "show", "--json", RPA_LEDGER_URL=LEDGER_URL)
    assert as_json.returncode == 0 and LEDGER_PASSWORD not in as_json.stdout

    doctor = run_rpa("doctor", "--json", RPA_LEDGER_URL=LEDGER_URL, **NO_BROWSER)
    assert LEDGER_PASSWORD not in doctor.stdout + doctor.stderr


def test_run_records_mask_the_ledger_password_and_hash_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Settings loaded by a command register the ledger password, so run.json shows *** in
    its place and the settings hash stays the same when only the password changes."""

    def loaded(url: str) -> Settings:
        monkeypatch.setenv("RPA_LEDGER_URL", url)
        with click.Context(click.Command("run"), obj={"home": tmp_path / "home"}) as ctx:
            return load_cli_settings(ctx)

    settings = loaded(LEDGER_URL)
    other = loaded(LEDGER_URL.replace(LEDGER_PASSWORD, "Another-Pw-9"))
    (tmp_path / "state").mkdir()
    with Ledger(f"sqlite:///{tmp_path / 'state' / 'ledger.sqlite3'}") as ledger:
        record = RunRecorder(ledger, tmp_path / "logs").start(
            flow="raise-purchase-orders",
            trigger=Trigger(TriggerKind.OPERATOR, host="rpa-host", operator="a.jones"),
            target_url=None,
            settings=settings.model_dump(mode="json"),
        )
    text = (Path(str(record.run_dir)) / RUN_JSON).read_text(encoding="utf-8")
    assert LEDGER_PASSWORD not in text and "Ledger%2FPw" not in text
    assert json.loads(text)["config"]["ledger_url"] == MASKED_URL
    assert record.config_hash == config_hash(other.model_dump(mode="json"))
