"""Requests checked against Oracle's reference data over REST before any browser work: every
kind of name Oracle would refuse is rejected naming file, row, column and value; names Oracle
knows pass, whatever their case. The real sandbox over HTTP; no browser."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from config.settings import DEFAULT_REFERENCE_LOOKUPS, ReferenceCheckSettings
from flows.raise_purchase_orders.input_model import PurchaseRequest
from flows.raise_purchase_orders.input_reader import read_request_file
from flows.raise_purchase_orders.reference_checks import Screening, refusal_message, screen
from rpa.oracle_rest import OracleRestReader
from rpa.oracle_target import OracleTarget, oracle_target_id
from sandbox.process import SandboxProcess
from tests.e2e.po_support import example_rows, write_requests

TODAY = date.today()
CHILDRENS_BU = "NCC Children's Services BU"


@pytest.fixture
def reader(sandbox_server: SandboxProcess) -> Iterator[OracleRestReader]:
    target = OracleTarget(
        sandbox_server.base_url,
        sandbox_server.username,
        SecretStr(sandbox_server.password),
        embedded_sandbox=False,
        target_id=oracle_target_id(sandbox_server.base_url),
    )
    reader = OracleRestReader(target)
    yield reader
    reader.close()


def _requests(tmp_path: Path, rows: list[dict[str, str]]) -> list[PurchaseRequest]:
    read = read_request_file(write_requests(tmp_path / "orders.csv", rows), today=TODAY)
    assert not read.rejections, [r.message for r in read.rejections]
    return read.requests


def _screen(
    reader: OracleRestReader,
    requests: list[PurchaseRequest],
    lookups: dict[str, str] | None = None,
) -> Screening:
    return screen(
        requests,
        rest=reader,
        lookups=lookups or DEFAULT_REFERENCE_LOOKUPS,
        today=TODAY,
        where="the test sandbox",
    )


def _one_request(**changes: str) -> list[dict[str, str]]:
    """REQ-2026-0001 of the examples (two lines, rows 2 and 3), with ``changes`` on every row."""
    return [{**row, **changes} for row in example_rows("RC", ["REQ-2026-0001"])]


def _site(rest: httpx.Client, supplier: str, wanted: Any) -> str:
    """The name of a site of ``supplier`` for which ``wanted(site)`` holds (from the seed)."""
    [found] = rest.get("/suppliers", params={"q": f"Supplier = '{supplier}'"}).json()["items"]
    sites = rest.get(f"/suppliers/{found['SupplierId']}/child/sites").json()["items"]
    return str(next(s["SupplierSite"] for s in sites if wanted(s)))


def _only_problem(screening: Screening) -> str:
    assert not screening.passed
    [(request, problems)] = screening.refused
    return refusal_message(request, problems)


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("supplier", "Nobody Trading Ltd", "is not a supplier in Oracle"),
        ("supplier", "Marsh Lane Plant Hire Ltd", "is inactive in Oracle since 31/03/2025"),
        ("supplier_site", "NO-SUCH-SITE", "is not a site of supplier Broadland Highways"),
        ("charge_account", "9999-ZZ999-9999-999", "is not an account combination in Oracle"),
        ("charge_account", "1000-CC150-5100-000", "is disabled in Oracle"),
        ("ship_to_location", "NCC-NOWHERE-DEPOT", "is not a location code in Oracle"),
        ("deliver_to_location", "NCC-NOWHERE-DEPOT", "is not a location code in Oracle"),
        ("category", "Moon Rock", "is not a purchasing category in Oracle"),
        ("uom", "Furlong", "is not a unit of measure in Oracle"),
        ("buyer", "Nobody, Jo", "is not a person Oracle knows"),
        ("buyer", "Thompson, Ian", "is not a buyer in Oracle"),
        ("requester", "Nobody, Jo", "is not a person Oracle knows"),
        ("currency", "XYZ", "is not a currency Oracle knows"),
        ("procurement_bu", "NCC Nowhere BU", "is not a procurement business unit in Oracle"),
        ("requisitioning_bu", "NCC Nowhere BU", "is not a requisitioning business unit"),
    ],
)
def test_a_name_oracle_would_refuse_is_rejected_naming_file_row_column_and_value(
    tmp_path: Path, reader: OracleRestReader, column: str, value: str, reason: str
) -> None:
    message = _only_problem(_screen(reader, _requests(tmp_path, _one_request(**{column: value}))))
    # Header columns name the request's first row; line columns every row carrying the value.
    rows = "row 2" if column in _HEADER_COLUMNS else "rows 2, 3"
    assert f"orders.csv {rows}, column {column}, value '{value}': {reason}" in message, message


_HEADER_COLUMNS = {
    "supplier",
    "supplier_site",
    "buyer",
    "currency",
    "procurement_bu",
    "requisitioning_bu",
}


def test_an_unknown_item_is_rejected(tmp_path: Path, reader: OracleRestReader) -> None:
    rows = example_rows("RC", ["REQ-2026-0002"])  # an item line: category and UOM from the item
    rows = [{**row, "item": "NCC-DIG-9999"} for row in rows]
    message = _only_problem(_screen(reader, _requests(tmp_path, rows)))
    assert "column item, value 'NCC-DIG-9999': is not an item number in Oracle" in message


def test_an_inactive_site_is_rejected(
    tmp_path: Path, reader: OracleRestReader, rest: httpx.Client
) -> None:
    supplier = "Norwich Facilities Services Ltd"
    closed = _site(rest, supplier, lambda s: s["InactiveDate"])
    rows = _one_request(supplier=supplier, supplier_site=closed, procurement_bu="NCC Corporate BU")
    rows = [{**row, "requisitioning_bu": "NCC Corporate BU"} for row in rows]
    message = _only_problem(_screen(reader, _requests(tmp_path, rows)))
    assert f"column supplier_site, value '{closed}': is inactive in Oracle since" in message


def test_a_site_without_the_purchasing_purpose_is_rejected(
    tmp_path: Path, reader: OracleRestReader, rest: httpx.Client
) -> None:
    supplier = "Tombland Chambers LLP"
    pay_only = _site(rest, supplier, lambda s: not s["SitePurposePurchasingFlag"])
    rows = _one_request(supplier=supplier, supplier_site=pay_only)
    message = _only_problem(_screen(reader, _requests(tmp_path, rows)))
    assert f"value '{pay_only}': has no purchasing purpose in Oracle" in message


def test_a_site_not_assigned_to_the_bu_is_rejected(
    tmp_path: Path, reader: OracleRestReader
) -> None:
    """Highways suppliers' sites serve the Corporate and Highways BUs only."""
    rows = _one_request(procurement_bu=CHILDRENS_BU, requisitioning_bu=CHILDRENS_BU)
    message = _only_problem(_screen(reader, _requests(tmp_path, rows)))
    assert (
        f"value 'BHM-NORWICH': has no active site assignment for {CHILDRENS_BU} in Oracle"
        in message
    )


def test_every_problem_of_a_request_is_named_once(tmp_path: Path, reader: OracleRestReader) -> None:
    rows = _one_request(supplier_site="NO-SUCH-SITE", uom="Furlong")
    rows[1]["charge_account"] = "1000-CC150-5100-000"  # the second line only
    message = _only_problem(_screen(reader, _requests(tmp_path, rows)))
    assert message.startswith("Oracle would refuse this request: ")
    assert message.count("supplier_site") == 1
    assert "orders.csv rows 2, 3, column uom, value 'Furlong'" in message
    assert "orders.csv row 3, column charge_account, value '1000-CC150-5100-000'" in message


def test_names_oracle_knows_pass_in_any_case_and_spacing(
    tmp_path: Path, reader: OracleRestReader
) -> None:
    good = example_rows("RC", ["REQ-2026-0001", "REQ-2026-0002", "REQ-2026-0003"])
    careless = [
        {**row, "supplier": row["supplier"].upper(), "uom": row["uom"].lower()} for row in good
    ]
    careless[0]["requester"] = "thompson,  ian"
    screening = _screen(reader, _requests(tmp_path, careless))
    assert screening.refused == []
    assert len(screening.passed) == 3
    assert screening.note == "checked against the test sandbox"


def test_a_look_up_the_pod_does_not_offer_is_skipped_and_named(
    tmp_path: Path, reader: OracleRestReader
) -> None:
    """A resource named otherwise on a pod (HTTP 404) never rejects: the names are not checked
    and the note says which look-up was skipped."""
    lookups = ReferenceCheckSettings(lookups={"charge_account": "glAccountsLOV:Segments"}).lookups
    rows = _one_request(charge_account="9999-ZZ999-9999-999")
    screening = _screen(reader, _requests(tmp_path, rows), lookups)
    assert screening.refused == []
    assert "not offered there, so not checked: charge_account (HTTP 404" in screening.note


def test_an_oracle_that_cannot_be_read_leaves_every_request_unchecked(tmp_path: Path) -> None:
    target = OracleTarget(
        "http://127.0.0.1:9",  # the discard port: nothing listens
        "RPA.PROCUREMENT",
        SecretStr("not-used"),
        embedded_sandbox=False,
        target_id="http://127.0.0.1:9",
    )
    reader = OracleRestReader(target, timeout_s=2)
    try:
        requests = _requests(tmp_path, _one_request())
        screening = _screen(reader, requests)
    finally:
        reader.close()
    assert screening.passed == requests and screening.refused == []
    assert screening.note.startswith("not checked: the test sandbox could not be read (")


def test_lookup_settings_name_only_known_kinds_in_resource_attribute_form() -> None:
    assert ReferenceCheckSettings(lookups={"uom": "uomsLOV:UOMName"}).lookups["uom"] == (
        "uomsLOV:UOMName"
    )
    with pytest.raises(ValueError, match="unknown look-up charge_acount"):
        ReferenceCheckSettings(lookups={"charge_acount": "x:Y"})
    with pytest.raises(ValueError, match="must be 'resource:Attribute'"):
        ReferenceCheckSettings(lookups={"uom": "uomsLOV"})
