"""The sandbox only when asked for: with no Oracle configured every flow stops with exit 2 and
touches nothing; ``--sandbox`` (or ``oracle.target = "sandbox"``) is the only way to the
embedded sandbox, and ``rpa doctor`` says which target it is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.commands.doctor_checks import check_target
from app.oracle_targets import EmbeddedSandbox, choose_target
from config.settings import OracleSettings, Settings
from rpa.oracle_target import ConfiguredOracle, TargetConfigError, oracle_target_id
from tests.commands.conftest import RunRpa

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_REQUESTS = REPO / "examples" / "purchase-requests.csv"
EXAMPLE_SUPPLIERS = REPO / "examples" / "suppliers.csv"


def test_raising_with_no_oracle_configured_exits_2_and_touches_nothing(
    run_rpa: RunRpa, home: Path
) -> None:
    """The production hazard: a host that lost its URL must not raise requests in a stand-in."""
    inbox = home / "inbox" / "purchase-orders"
    inbox.mkdir(parents=True)
    waiting = inbox / "orders.csv"
    shutil.copy(EXAMPLE_REQUESTS, waiting)

    done = run_rpa("run", "raise-purchase-orders")

    assert done.returncode == 2, done.stdout + done.stderr
    assert "No Oracle target is configured" in done.stderr
    assert "RPA_ORACLE__BASE_URL" in done.stderr and "--sandbox" in done.stderr
    assert waiting.read_bytes() == EXAMPLE_REQUESTS.read_bytes()  # still waiting in the inbox
    assert not (inbox / "processed").exists()
    assert not (home / "state" / "ledger.sqlite3").exists()  # no run record, no item
    assert not (home / "sandbox").exists()  # no sandbox was started


def test_syncing_suppliers_with_no_oracle_configured_exits_2(run_rpa: RunRpa, home: Path) -> None:
    done = run_rpa("run", "sync-suppliers", "--input", str(EXAMPLE_SUPPLIERS), "--plan")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "No Oracle target is configured" in done.stderr
    assert not (home / "sandbox").exists()


def test_a_url_without_a_service_account_exits_2(run_rpa: RunRpa) -> None:
    done = run_rpa(
        "run", "raise-purchase-orders", RPA_ORACLE__BASE_URL="https://pod.example.gov.uk"
    )
    assert done.returncode == 2
    assert "RPA_ORACLE__USERNAME" in done.stderr


def test_a_dry_run_needs_no_oracle(run_rpa: RunRpa) -> None:
    """Validation alone touches neither Oracle nor the ledger, so it runs without a target."""
    done = run_rpa("run", "raise-purchase-orders", "--input", str(EXAMPLE_REQUESTS), "--dry-run")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Names in the requests: not checked: no Oracle is configured." in done.stdout


def test_the_sandbox_is_chosen_only_when_asked_for(tmp_path: Path) -> None:
    bare = Settings(home=tmp_path)
    with pytest.raises(TargetConfigError, match="--sandbox"):
        choose_target(bare)
    by_flag = choose_target(bare, sandbox=True)
    by_setting = choose_target(Settings(home=tmp_path, oracle=OracleSettings(target="sandbox")))
    assert isinstance(by_flag, EmbeddedSandbox) and isinstance(by_setting, EmbeddedSandbox)
    assert by_flag.target_id == f"sandbox:{(tmp_path / 'sandbox').resolve()}"
    configured = Settings(
        home=tmp_path,
        oracle=OracleSettings(
            base_url="https://ehxx.fa.em2.oraclecloud.com", username="SVC", password="pw"
        ),
    )
    chosen = choose_target(configured)
    assert isinstance(chosen, ConfiguredOracle) and not chosen.embedded_sandbox
    assert chosen.target_id == "https://ehxx.fa.em2.oraclecloud.com"
    # --sandbox wins over a configured pod: a rehearsal never reaches the real one.
    assert isinstance(choose_target(configured, sandbox=True), EmbeddedSandbox)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://EHXX.fa.em2.oraclecloud.com/", "https://ehxx.fa.em2.oraclecloud.com"),
        ("https://ehxx.fa.em2.oraclecloud.com:443/fscmUI", "https://ehxx.fa.em2.oraclecloud.com"),
        (
            "https://user:secret@ehxx-test.fa.em2.oraclecloud.com",
            "https://ehxx-test.fa.em2.oraclecloud.com",
        ),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("http://127.0.0.1:80/", "http://127.0.0.1"),
    ],
)
def test_target_ids_are_stable_per_pod_and_carry_no_credentials(url: str, expected: str) -> None:
    assert oracle_target_id(url) == expected


def test_doctor_fails_with_a_fix_when_no_target_is_configured(tmp_path: Path) -> None:
    check = check_target(Settings(home=tmp_path), sandbox=False)
    assert not check.ok
    assert "RPA_ORACLE__BASE_URL" in check.fix and "sandbox" in check.fix


def test_doctor_names_the_sandbox_plainly(tmp_path: Path) -> None:
    check = check_target(Settings(home=tmp_path), sandbox=True)
    assert check.ok
    assert "EMBEDDED SANDBOX, not myOracle" in check.detail


def test_doctor_names_the_configured_pod(tmp_path: Path) -> None:
    settings = Settings(
        home=tmp_path,
        oracle=OracleSettings(base_url="https://pod.example.gov.uk", username="SVC", password="x"),
    )
    check = check_target(settings, sandbox=False)
    assert check.ok and "myOracle at https://pod.example.gov.uk as SVC" in check.detail
