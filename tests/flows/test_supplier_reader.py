"""Reading and checking supplier files: grouping rows into suppliers, rejecting bad ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.sync_suppliers.input_model import SourceAddress, SourceContact, SourceSite
from flows.sync_suppliers.input_reader import read_supplier_file
from tests.flows import write_csv, write_xlsx
from tests.flows.test_supplier_support import supplier_row


def test_two_spellings_of_one_name_are_one_supplier_that_must_agree(tmp_path: Path) -> None:
    """Names matching loosely group together, but the name is managed: it must be spelt alike."""
    path = write_csv(
        tmp_path / "suppliers.csv",
        [
            supplier_row(),
            supplier_row(supplier_name="WENSUM VALLEY ECOLOGY LIMITED", site_name="WVE-HIGHWAYS"),
        ],
    )
    result = read_supplier_file(path)
    assert result.suppliers == []
    (rejection,) = result.rejections
    assert (rejection.row, rejection.column) == (3, "supplier_name")
    assert rejection.supplier == "Wensum Valley Ecology Ltd"


def test_a_valid_file_gives_grouped_suppliers(tmp_path: Path) -> None:
    """Rows with the same name (and spelling) are grouped; children are de-duplicated."""
    second_site = supplier_row(
        site_name="WVE-HIGHWAYS",
        procurement_bu="NCC Highways BU",
        site_purposes="purchasing",
        contact_email="",
    )
    other = supplier_row(
        supplier_name="Breckland Hedgelaying CIC",
        taxpayer_id="07777777",
        duns_number="",
        site_name="BHC-SWAFFHAM",
        address_name="Swaffham Yard",
        postal_code="PE37 7AB",
        city="Swaffham",
        contact_first_name="",
        contact_last_name="",
        contact_email="",
        contact_phone="",
    )
    path = write_csv(tmp_path / "suppliers.csv", [supplier_row(), second_site, other])
    result = read_supplier_file(path)
    assert result.rejections == [] and result.file_error is None
    first, second = result.suppliers
    assert first.name == "Wensum Valley Ecology Ltd" and first.source_rows == (2, 3)
    assert first.taxpayer_id == "09876543" and first.tax_country == "GB"
    assert first.addresses == (
        SourceAddress(
            "Norwich Office", "12 Rose Lane", None, "Norwich", "Norfolk", "NR1 1PT", "GB"
        ),
    )
    assert first.sites == (
        SourceSite(
            "WVE-NORWICH",
            "NCC Corporate BU",
            "Norwich Office",
            frozenset({"purchasing", "pay"}),
            "NCC Corporate BU",
        ),
        SourceSite(
            "WVE-HIGHWAYS",
            "NCC Highways BU",
            "Norwich Office",
            frozenset({"purchasing"}),
            "NCC Corporate BU",
        ),
    )
    assert first.contacts == (
        SourceContact("Harriet", "Kett", "harriet.kett@wensumvalleyecology.co.uk", "01603 555123"),
    )
    assert second.name == "Breckland Hedgelaying CIC" and second.duns_number is None
    assert second.contacts == ()


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("postal_code", "NR1", "is not a UK postcode"),
        ("contact_email", "harriet.kett@", "is not an e-mail address"),
        ("duns_number", "12345678", "must be a D-U-N-S number: 9 digits"),
        ("status", "closed", "must be ACTIVE or INACTIVE"),
        ("business_relationship", "Preferred", "must be Prospective or Spend Authorized"),
        ("tax_country", "Narnia", "is not a known country"),
        ("site_purposes", "purchasing;invoicing", "'invoicing' is not a site purpose"),
        ("site_purposes", "primary_pay", "primary_pay needs pay too"),
        ("contact_phone", "call me", "is not a phone number"),
        ("taxpayer_id", "12/345", "must be letters and digits only"),
        ("supplier_number", "30 001 x", "must be Oracle's supplier number"),
    ],
)
def test_a_bad_cell_rejects_its_supplier_with_file_row_column_value_and_reason(
    tmp_path: Path, column: str, value: str, reason: str
) -> None:
    """The supplier with a bad cell is rejected, naming where and why; others go ahead."""
    other = supplier_row(supplier_name="Breckland Hedgelaying CIC", taxpayer_id="07777777")
    path = write_csv(tmp_path / "suppliers.csv", [other, supplier_row(**{column: value})])
    result = read_supplier_file(path)
    assert [s.name for s in result.suppliers] == ["Breckland Hedgelaying CIC"]
    (rejection,) = result.rejections
    assert (rejection.supplier, rejection.row, rejection.column, rejection.value) == (
        "Wensum Valley Ecology Ltd",
        3,
        column,
        value,
    )
    assert reason in rejection.reason
    assert rejection.message.startswith(f"suppliers.csv row 3, column {column}, value '{value}': ")


def test_foreign_postcodes_are_not_checked_as_uk_ones(tmp_path: Path) -> None:
    """An Irish Eircode is accepted when the address's country is Ireland."""
    path = write_csv(tmp_path / "s.csv", [supplier_row(country="IE", postal_code="D02 X285")])
    result = read_supplier_file(path)
    assert result.rejections == []
    assert result.suppliers[0].addresses[0].postal_code == "D02 X285"


def test_every_problem_of_a_supplier_is_reported_at_once(tmp_path: Path) -> None:
    """Problems on several rows and columns of one supplier are all listed, in row order."""
    path = write_csv(
        tmp_path / "s.csv",
        [
            supplier_row(duns_number="1"),
            supplier_row(site_name="WVE-2", postal_code="XX", contact_email="nope"),
        ],
    )
    result = read_supplier_file(path)
    assert result.suppliers == []
    assert [(r.row, r.column) for r in result.rejections] == [
        (2, "duns_number"),
        (3, "postal_code"),
        (3, "contact_email"),
    ]


def test_rows_of_one_supplier_must_agree(tmp_path: Path) -> None:
    """A supplier column, or an address seen twice, with two values rejects the supplier."""
    path = write_csv(
        tmp_path / "s.csv",
        [
            supplier_row(),
            supplier_row(site_name="WVE-2", taxpayer_id="11111111", city="Norwich City"),
        ],
    )
    result = read_supplier_file(path)
    assert result.suppliers == []
    assert [(r.row, r.column) for r in result.rejections] == [(3, "taxpayer_id"), (3, "city")]
    assert "differs from row 2 ('09876543')" in result.rejections[0].reason


def test_cells_that_need_companions(tmp_path: Path) -> None:
    """A site needs its procurement BU and address; a contact needs both names."""
    path = write_csv(
        tmp_path / "s.csv",
        [
            supplier_row(procurement_bu="", address_name="", contact_last_name=""),
        ],
    )
    rejections = read_supplier_file(path).rejections
    assert {(r.column, r.reason) for r in rejections} == {
        ("address_name", "a value is required when address_line1 is given"),
        ("procurement_bu", "a value is required when site_name is given"),
        ("contact_last_name", "a value is required when contact_first_name is given"),
    }


def test_blank_cells_are_not_managed(tmp_path: Path) -> None:
    """A row with only a name is a valid supplier whose other values are all None."""
    path = write_csv(tmp_path / "s.csv", [{"supplier_name": "Solar Anglia Ltd"}])
    (supplier,) = read_supplier_file(path).suppliers
    assert supplier.taxpayer_id is None and supplier.status is None
    assert (supplier.addresses, supplier.sites, supplier.contacts) == ((), (), ())


def test_a_row_without_a_supplier_name_is_rejected_alone(tmp_path: Path) -> None:
    """A nameless row is reported by its row number; named suppliers still go ahead."""
    path = write_csv(tmp_path / "s.csv", [supplier_row(), supplier_row(supplier_name=" ")])
    result = read_supplier_file(path)
    assert len(result.suppliers) == 1
    assert [(r.supplier, r.row, r.column) for r in result.rejections] == [
        (None, 3, "supplier_name")
    ]


def test_values_are_put_in_canonical_form(tmp_path: Path) -> None:
    """Postcode, taxpayer id, D-U-N-S, status and relationship are stored as Oracle holds them."""
    path = write_csv(
        tmp_path / "s.csv",
        [
            supplier_row(
                postal_code="nr11pt",
                taxpayer_id="0987 6543",
                duns_number="23-456-7891",
                status="inactive",
                business_relationship="spend_authorized",
                tax_country="United Kingdom",
                site_purposes="Pay; Primary Pay",
            )
        ],
    )
    (supplier,) = read_supplier_file(path).suppliers
    assert supplier.addresses[0].postal_code == "NR1 1PT"
    assert (supplier.taxpayer_id, supplier.duns_number) == ("09876543", "234567891")
    assert (supplier.status, supplier.business_relationship) == ("INACTIVE", "Spend Authorized")
    assert supplier.tax_country == "GB"
    assert supplier.sites[0].purposes == frozenset({"pay", "primary_pay"})


def test_xlsx_files_are_read_like_csv(tmp_path: Path) -> None:
    """An Excel workbook with the same cells gives the same supplier."""
    row = supplier_row()
    path = write_xlsx(tmp_path / "s.xlsx", [list(row), list(row.values())])
    (supplier,) = read_supplier_file(path).suppliers
    assert supplier.name == "Wensum Valley Ecology Ltd" and supplier.duns_number == "234567891"


@pytest.mark.parametrize(
    ("content", "kind", "reason"),
    [
        ("", "empty", "is empty"),
        ("supplier_number,city\n30001,Norwich\n", "columns", "lacks the required column"),
        ("supplier_name\n", "empty", "has a header row but no data rows"),
        (
            "supplier_name,Supplier Name\nA,B\n",
            "columns",
            "has more than one column named supplier_name",
        ),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(
    tmp_path: Path, content: str, kind: str, reason: str
) -> None:
    """A file that is not a supplier table is refused as a whole, saying why."""
    path = tmp_path / "s.csv"
    path.write_text(content, encoding="utf-8")
    result = read_supplier_file(path)
    assert result.suppliers == [] and result.file_error is not None
    assert result.file_error.kind == kind and reason in result.file_error.reason


def test_a_file_of_another_type_is_refused(tmp_path: Path) -> None:
    """A legacy .xls file is refused with advice; its bytes are still hashed for the record."""
    path = tmp_path / "s.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    result = read_supplier_file(path)
    assert result.file_error is not None and result.file_error.kind == "file-type"
    assert len(result.sha256) == 64


def test_unknown_columns_are_ignored_with_a_warning(tmp_path: Path) -> None:
    """A column the flow does not know is reported once and its values are not used."""
    path = write_csv(tmp_path / "s.csv", [supplier_row(notes="call first")])
    result = read_supplier_file(path)
    assert len(result.suppliers) == 1
    assert result.warnings == [
        "s.csv: column 'notes' is not a supplier column; its values are ignored"
    ]
