"""`rpa config show` (values, masking, sources) and the examples in every command's --help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.commands.conftest import RunRpa

PLANTED_PASSWORD = "Pl4nted-Oracle-Pa55"


def test_config_show_masks_secrets_and_names_each_source(run_rpa: RunRpa, home: Path) -> None:
    """Secrets print masked; each value says whether it came from the environment, the secrets
    directory, the settings file or the default."""
    (home / "secrets").mkdir()
    (home / "secrets" / "oracle__username").write_text("SVC.RPA\n")
    done = run_rpa(
        "config",
        "show",
        RPA_ORACLE__PASSWORD=PLANTED_PASSWORD,
        RPA_ORACLE__BASE_URL="https://myoracle.example.gov.uk",
        RPA_LEDGER_URL=f"postgresql://rpa:{PLANTED_PASSWORD}@127.0.0.1/rpa",
    )
    assert done.returncode == 0, done.stderr
    assert PLANTED_PASSWORD not in done.stdout + done.stderr
    lines = {line.split()[0]: line for line in done.stdout.splitlines() if line.strip()}
    assert "********" in lines["oracle.password"]
    assert "[environment RPA_ORACLE__PASSWORD]" in lines["oracle.password"]
    assert "postgresql://rpa:********@127.0.0.1/rpa" in lines["ledger_url"]
    assert "SVC.RPA" in lines["oracle.username"] and "[secrets dir" in lines["oracle.username"]
    assert "[settings file" in lines["log_level"]
    assert "[default]" in lines["scheduler.misfire_grace_s"]
    assert "[environment RPA_SCHEDULER__SCHEDULES_FILE]" in lines["scheduler.schedules_file"]
    assert "********" in lines["sandbox.password"]
    assert "postgresql://rpa:********@127.0.0.1/rpa" in lines["ledger"]  # derived locations


def test_config_show_json_and_command_line_home(run_rpa: RunRpa, home: Path) -> None:
    """--json gives value and source per setting; a typed --home is from the command line."""
    done = run_rpa("--home", str(home), "config", "show", "--json")
    assert done.returncode == 0, done.stderr
    settings = json.loads(done.stdout)
    assert settings["home"] == {"value": str(home), "source": "command line"}
    assert settings["scheduler.flow_timeouts_s"] == {"value": "{}", "source": "default"}


def test_an_invalid_setting_is_named_with_exit_2(run_rpa: RunRpa) -> None:
    """A bad value stops any command with exit 2 and the setting's name."""
    done = run_rpa("config", "show", RPA_SCHEDULER__TIMEZONE="Europe/Narnia")
    assert done.returncode == 2
    assert "scheduler.timezone" in done.stderr and "Europe/Narnia" in done.stderr


@pytest.mark.parametrize("command", [["flows"], ["schedule"], ["doctor"], ["config", "show"]])
def test_every_operator_command_has_examples_in_its_help(
    run_rpa: RunRpa, command: list[str]
) -> None:
    """--help of each operator command shows usable examples."""
    done = run_rpa(*command, "--help")
    assert done.returncode == 0, done.stderr
    assert "Examples:" in done.stdout
    assert "  rpa " in done.stdout
