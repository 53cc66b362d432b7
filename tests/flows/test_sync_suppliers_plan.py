"""``rpa run sync-suppliers --plan`` against the real sandbox: the plan; nothing changes.

The command runs as a real process; Oracle is read through REST. The suppliers are made by this
module, with unique names, so the seed others rely on is never touched.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox.process import SandboxProcess
from tests.flows.test_supplier_support import (
    CORPORATE,
    address_body,
    contact_body,
    create_in_oracle,
    find_in_oracle,
    site_body,
    supplier_row,
    taxpayer,
    unique_tag,
    write_supplier_file,
)
from tests.sandbox_settings import flow_env

pytestmark = pytest.mark.slow


def rpa(home: Path, sandbox: SandboxProcess, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "run", "sync-suppliers", *args],
        env=flow_env(home, sandbox),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def oracle_rest(sandbox_server: SandboxProcess) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=sandbox_server.rest_base,
        trust_env=False,
        timeout=30.0,
        auth=(sandbox_server.username, sandbox_server.password),
    ) as client:
        yield client


@pytest.fixture(scope="module")
def world(oracle_rest: httpx.Client) -> dict[str, Any]:
    """Oracle suppliers for every kind of plan, and the file rows that describe them."""
    tag = unique_tag()
    n = f"T{tag}"

    def make(word: str, number: int, **values: Any) -> dict[str, Any]:
        return create_in_oracle(
            oracle_rest,
            f"{n} {word} Ltd",
            TaxpayerId=taxpayer(tag, number),
            SupplierType="Services",
            addresses=[address_body("Head Office", "1 Mill Lane", "Norwich", "NR1 1AA")],
            sites=[site_body(f"{n}-{word.upper()}", CORPORATE, "Head Office")],
            contacts=[
                contact_body("Ann", "Example", f"ann@{word.lower()}.example", "01603 100100")
            ],
            **values,
        )

    oracle = {
        word: make(word, i)
        for i, word in enumerate(
            ("Alpha", "Bravo", "Charlie", "Delta", "Foxtrot", "Golf", "India"), start=1
        )
    }
    oracle["Delta twin"] = create_in_oracle(
        oracle_rest, f"{n} DELTA LIMITED", TaxpayerId=taxpayer(tag, 20)
    )

    def row(word: str, **cells: str) -> dict[str, str]:
        supplier = oracle.get(word)
        base = supplier_row(
            supplier_name=f"{n} {word} Ltd",
            taxpayer_id=supplier["TaxpayerId"] if supplier else taxpayer(tag, 30 + len(word)),
            duns_number="",
            tax_country="GB",
            business_relationship="Spend Authorized",
            tax_organization_type="Corporation",
            supplier_type="Services",
            address_name="Head Office",
            address_line1="1 Mill Lane",
            city="Norwich",
            county="Norfolk",
            postal_code="NR1 1AA",
            site_name=f"{n}-{word.upper()}",
            site_purposes="purchasing;pay;primary_pay",
            contact_first_name="Ann",
            contact_last_name="Example",
            contact_email=f"ann@{word.lower()}.example",
            contact_phone="01603 100100",
        )
        return base | cells

    rows = {
        "Alpha": row("Alpha", supplier_type="Contractor"),
        "Bravo": row("Bravo"),
        "Charlie": row("Charlie", taxpayer_id=taxpayer(tag, 99)),
        "Delta": row("Delta", taxpayer_id=""),
        "Echo": row("Echo", supplier_number="99999999"),
        "Foxtrot": row(
            "Foxtrot",
            supplier_number=oracle["Foxtrot"]["SupplierNumber"],
            taxpayer_id=oracle["Alpha"]["TaxpayerId"],
        ),
        "Golf": row("Golf"),
        "Golf trading": row(
            "Golf",
            supplier_name=f"{n} Golf Trading Ltd",
            taxpayer_id="",
            supplier_number=oracle["Golf"]["SupplierNumber"],
        ),
        "Hotel": row("Hotel"),
        "India": {"supplier_name": f"{n} India Ltd", "status": "INACTIVE"},
        "Juliet": row("Juliet", postal_code="NR1"),
    }
    return {"tag": tag, "n": n, "oracle": oracle, "rows": rows}


def _by_supplier(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each change by supplier, its details (action, fields, rows) alongside its status."""
    return {item["subject"]: {**item, **item["details"]} for item in body["items"]}


def test_plan_shows_each_action_and_changes_nothing(
    tmp_path: Path,
    sandbox_server: SandboxProcess,
    oracle_rest: httpx.Client,
    world: dict[str, Any],
) -> None:
    """Create, update, deactivate, unchanged, conflicts and rejections are planned; Oracle,
    the ledger and the run records are left as they were."""
    path = write_supplier_file(tmp_path / "suppliers.csv", list(world["rows"].values()))
    before = {s["Supplier"]: s for s in find_in_oracle(oracle_rest, world["n"])}
    home = tmp_path / "home"
    done = rpa(home, sandbox_server, "--input", str(path), "--plan", "--json")
    assert done.returncode == 3, done.stderr[-3000:]
    body = json.loads(done.stdout)
    assert (body["run_id"], body["status"], body["read_through"]) == ("plan", "planned", "rest")
    assert body["actions"] == {
        "create": 1,
        "update": 1,
        "deactivate": 1,
        "unchanged": 1,
        "conflict": 6,
        "rejected": 1,
        "awaiting_approval": 0,
    }
    assert body["counts"]["planned"] == 3 and body["exit_code"] == 3
    n = world["n"]
    changes = _by_supplier(body)
    assert changes[f"{n} Alpha Ltd"]["fields"] == {"supplier_type": ["Services", "Contractor"]}
    assert changes[f"{n} Alpha Ltd"]["status"] == "planned"
    assert changes[f"{n} Bravo Ltd"]["action"] == "unchanged"
    assert changes[f"{n} Hotel Ltd"]["action"] == "create"
    assert changes[f"{n} Hotel Ltd"]["fields"][f"site[{CORPORATE}/{n}-HOTEL].bill_to_bu"] == [
        None,
        CORPORATE,
    ]
    assert changes[f"{n} India Ltd"]["action"] == "deactivate"
    assert changes[f"{n} India Ltd"]["fields"]["status"] == ["ACTIVE", "INACTIVE"]
    after = {s["Supplier"]: s for s in find_in_oracle(oracle_rest, n)}
    assert after == before  # nothing created, changed or deactivated
    assert not (home / "state" / "ledger.sqlite3").exists()
    assert not (home / "logs" / "runs").exists()


def test_each_kind_of_conflict_is_reported_not_planned(
    tmp_path: Path, sandbox_server: SandboxProcess, world: dict[str, Any]
) -> None:
    """Unknown number, name with another taxpayer ID, two Oracle names, number and taxpayer ID
    on different suppliers, and two file suppliers on one Oracle supplier are conflicts."""
    path = write_supplier_file(tmp_path / "s.csv", list(world["rows"].values()))
    body = json.loads(
        rpa(tmp_path / "home", sandbox_server, "--input", str(path), "--plan", "--json").stdout
    )
    n, oracle = world["n"], world["oracle"]
    changes = _by_supplier(body)
    messages = {
        name[len(n) + 1 :]: c["message"] for name, c in changes.items() if c["action"] == "conflict"
    }
    assert messages["Echo Ltd"].startswith("no Oracle supplier has number 99999999")
    assert f"whose taxpayer ID is {oracle['Charlie']['TaxpayerId']}" in messages["Charlie Ltd"]
    assert "2 Oracle suppliers have this name" in messages["Delta Ltd"]
    assert (
        f"taxpayer ID {oracle['Alpha']['TaxpayerId']} belongs to {n} Alpha Ltd"
        in (messages["Foxtrot Ltd"])
    )
    golf = f"2 suppliers of the file match Oracle supplier {n} Golf Ltd"
    assert messages["Golf Ltd"].startswith(golf) and messages["Golf Trading Ltd"].startswith(golf)
    assert all(
        c["fields"] == {} and c["status"] == "conflict"
        for c in changes.values()
        if c["action"] == "conflict"
    )


def test_bad_rows_reject_their_supplier_with_file_row_column_value(
    tmp_path: Path, sandbox_server: SandboxProcess, world: dict[str, Any]
) -> None:
    """A bad postcode rejects its supplier with where and why; a nameless row is reported too."""
    rows = [world["rows"]["Juliet"], world["rows"]["Bravo"], {"city": "Norwich"}]
    path = write_supplier_file(tmp_path / "suppliers.csv", rows)
    body = json.loads(
        rpa(tmp_path / "home", sandbox_server, "--input", str(path), "--plan", "--json").stdout
    )
    changes = _by_supplier(body)
    juliet = changes[f"{world['n']} Juliet Ltd"]
    assert juliet["action"] == "rejected"
    assert juliet["message"] == (
        "suppliers.csv row 2, column postal_code, value 'NR1': is not a UK postcode (e.g. NR1 2DH)"
    )
    assert changes["(row 4)"]["message"].startswith("suppliers.csv row 4, column supplier_name:")
    assert changes[f"{world['n']} Bravo Ltd"]["action"] == "unchanged"


def test_plan_with_nothing_for_a_person_exits_0_and_prints_a_table(
    tmp_path: Path, sandbox_server: SandboxProcess, world: dict[str, Any]
) -> None:
    """Without --json a readable table is printed; a clean plan exits 0."""
    rows = [world["rows"]["Alpha"], world["rows"]["Bravo"]]
    path = write_supplier_file(tmp_path / "suppliers.csv", rows)
    done = rpa(tmp_path / "home", sandbox_server, "--input", str(path), "--plan")
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[0] == "Plan for suppliers.csv: 1 update, 1 unchanged"
    assert lines[2].split() == ["ACTION", "SUPPLIER", "STATUS", "FIELD", "OLD", "→", "NEW"]
    assert any("supplier_type" in line and "Services → Contractor" in line for line in lines)


def test_an_unreadable_file_is_refused_and_kept(
    tmp_path: Path, sandbox_server: SandboxProcess
) -> None:
    """An .xls file is refused (exit 3) before Oracle is touched; the file stays where it was,
    and an apply run keeps a copy with the reason in its run folder."""
    path = tmp_path / "suppliers.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0legacy workbook")
    home = tmp_path / "home"
    planned = rpa(home, sandbox_server, "--input", str(path), "--plan", "--json")
    assert planned.returncode == 3
    refused = json.loads(planned.stdout)["files"][0]["refused"]
    assert "only .csv (UTF-8) and .xlsx files are read" in refused
    applied = rpa(home, sandbox_server, "--input", str(path), "--json")
    assert applied.returncode == 3, applied.stderr[-3000:]
    body = json.loads(applied.stdout)
    assert body["status"] == "partial" and body["items"] == []
    assert path.read_bytes() == b"\xd0\xcf\x11\xe0legacy workbook"
    (run_dir,) = (home / "logs" / "runs").iterdir()
    assert (run_dir / "refused" / "suppliers.xls").read_bytes() == path.read_bytes()
    reason = (run_dir / "refused" / "suppliers.xls.error.txt").read_text(encoding="utf-8")
    assert reason.startswith("suppliers.xls is a '.xls' file")


def test_missing_input_is_a_usage_error(tmp_path: Path, sandbox_server: SandboxProcess) -> None:
    """Without --input the command explains itself and exits 2."""
    done = rpa(tmp_path / "home", sandbox_server, "--plan")
    assert done.returncode == 2
    assert "Missing option '--input'" in done.stderr


def test_reading_oracle_is_retried_through_server_errors(
    tmp_path: Path, sandbox_server: SandboxProcess, world: dict[str, Any]
) -> None:
    """With 40 % of REST calls failing (HTTP 500), the read is retried and the plan is whole."""
    rows = [world["rows"]["Alpha"], world["rows"]["Bravo"]]
    path = write_supplier_file(tmp_path / "suppliers.csv", rows)
    sandbox_server.set_faults(fault_rate=0.4, fault_statuses=[500])
    env = flow_env(tmp_path / "home", sandbox_server) | {"RPA_RETRY__ATTEMPTS": "10"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "run",
            "sync-suppliers",
            "--input",
            str(path),
            "--plan",
            "--json",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout)["actions"]["update"] == 1
