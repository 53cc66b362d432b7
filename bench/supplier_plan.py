"""How long supplier-sync planning takes against 1,000 and 10,000 Oracle suppliers.

Reading Oracle over the network is not measured (it depends on the tenant); what is measured,
separately, on the same generated data:

- *parse*: turning the REST items (suppliers with addresses, sites, assignments and contacts)
  into the planner's snapshot;
- *read file*: reading and checking a supplier file with one row per supplier site;
- *plan*: matching every file supplier and computing the changes (indexes make it O(n)).

The data are generated deterministically (a fixed seed): the file describes every Oracle
supplier, with about 5 % changed, 2 % to deactivate, 2 % new and 1 % in conflict. Each figure is
the median of several repetitions; the 10,000/1,000 ratios come from the same run.

    python -m bench.supplier_plan            # prints the figures and updates docs/performance.md
    python -m bench.supplier_plan --no-write
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from flows.sync_suppliers.input_reader import COLUMNS, read_supplier_file
from flows.sync_suppliers.oracle_model import OracleSnapshot
from flows.sync_suppliers.planner import plan_sync

SIZES = (1_000, 10_000)
REPEATS = {1_000: 9, 10_000: 5}
SEED = 20261129
TODAY = date(2026, 11, 29)
DOC = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
HEADING = "## Supplier sync planning"
BUS = ("NCC Corporate BU", "NCC Children's Services BU", "NCC Highways BU")
WORDS = (
    "Anglia",
    "Broadland",
    "Wensum",
    "Yare",
    "Breckland",
    "Fenland",
    "Coastal",
    "Norfolk",
    "Eastern",
    "Waveney",
    "Marsh",
    "Heath",
    "Priory",
    "Castle",
    "Bure",
    "Glaven",
)
TRADES = (
    "Highways",
    "Care",
    "Transport",
    "Waste",
    "Fleet",
    "Construction",
    "Facilities",
    "Digital",
    "Utilities",
    "Catering",
    "Legal",
    "Training",
    "Print",
    "Cleaning",
    "Security",
    "Lifts",
)
TOWNS = (
    ("Norwich", "NR1"),
    ("King's Lynn", "PE30"),
    ("Great Yarmouth", "NR30"),
    ("Thetford", "IP24"),
    ("Dereham", "NR19"),
    ("Cromer", "NR27"),
)


def _oracle_item(index: int, rng: random.Random) -> dict[str, Any]:
    """One ``suppliers`` REST item with expanded children, shaped as the API returns it."""
    name = f"{rng.choice(WORDS)} {rng.choice(TRADES)} {index:05d} Ltd"
    town, district = rng.choice(TOWNS)
    code = f"S{index:05d}"
    sites = []
    for n in range(1 + index % 2):
        bu = BUS[(index + n) % 3]
        sites.append(
            {
                "SupplierSiteId": 5_000_000 + index * 2 + n,
                "SupplierSite": f"{code}-{n}",
                "ProcurementBU": bu,
                "SupplierAddressName": f"{town} Office",
                "SitePurposePurchasingFlag": True,
                "SitePurposePayFlag": True,
                "SitePurposePrimaryPayFlag": n == 0,
                "SitePurposeSourcingOnlyFlag": False,
                "SitePurposeProcurementCardFlag": False,
                "Status": "ACTIVE",
                "InactiveDate": None,
                "assignments": [
                    {
                        "AssignmentId": 6_000_000 + index * 2 + n,
                        "ClientBU": bu,
                        "BillToBU": BUS[0],
                        "Status": "ACTIVE",
                    }
                ],
            }
        )
    contacts = [
        {
            "SupplierContactId": 7_000_000 + index * 2 + n,
            "FirstName": f"First{n}",
            "LastName": f"Last{index}",
            "Email": f"first{n}.last{index}@example.co.uk",
            "PhoneNumber": f"01603 {200000 + index}",
            "Status": "ACTIVE",
        }
        for n in range(index % 3)
    ]
    return {
        "SupplierId": 3_000_000 + index,
        "Supplier": name,
        "SupplierNumber": str(30_001 + index),
        "TaxpayerId": f"{10_000_000 + index:08d}",
        "TaxOrganizationType": "Corporation",
        "SupplierType": "Services",
        "BusinessRelationship": "Spend Authorized",
        "TaxpayerCountry": "United Kingdom",
        "DUNSNumber": f"{200_000_000 + index}",
        "Status": "ACTIVE",
        "InactiveDate": None,
        "LastUpdateDate": "2026-01-01T09:00:00+00:00",
        "addresses": [
            {
                "SupplierAddressId": 4_000_000 + index,
                "AddressName": f"{town} Office",
                "CountryCode": "GB",
                "AddressLine1": f"{index % 90 + 1} High Street",
                "City": town,
                "County": "Norfolk",
                "PostalCode": f"{district} {index % 9 + 1}AB",
                "Status": "ACTIVE",
            }
        ],
        "sites": sites,
        "contacts": contacts,
    }


def _file_rows(items: list[dict[str, Any]], rng: random.Random) -> list[dict[str, str]]:
    """The council's file for these suppliers, one row per site, with a realistic mix of news."""
    rows: list[dict[str, str]] = []
    for position, item in enumerate(items):
        roll = rng.random()
        address = item["addresses"][0]
        base = {
            "supplier_name": item["Supplier"],
            "supplier_number": "",
            "taxpayer_id": item["TaxpayerId"],
            "tax_organization_type": "Corporation",
            "supplier_type": "Services",
            "business_relationship": "Spend Authorized",
            "tax_country": "GB",
            "duns_number": item["DUNSNumber"],
            "status": "ACTIVE",
            "address_name": address["AddressName"],
            "address_line1": address["AddressLine1"],
            "city": address["City"],
            "county": "Norfolk",
            "postal_code": address["PostalCode"],
            "country": "GB",
        }
        if roll < 0.05:
            base["supplier_type"] = "Supplier"
            base["postal_code"] = "NR2 4TF"
        elif roll < 0.07:
            base["status"] = "INACTIVE"
        elif roll < 0.08:
            base["supplier_number"] = str(90_000 + position)  # unknown to Oracle: a conflict
        for site in item["sites"]:
            rows.append(
                base
                | {
                    "site_name": site["SupplierSite"],
                    "procurement_bu": site["ProcurementBU"],
                    "site_purposes": "purchasing;pay"
                    + (";primary_pay" if site["SitePurposePrimaryPayFlag"] else ""),
                    "bill_to_bu": BUS[0],
                }
            )
        if roll > 0.98:  # a new supplier the file adds
            rows.append(
                base
                | {
                    "supplier_name": f"New Supplier {position:05d} Ltd",
                    "taxpayer_id": f"{50_000_000 + position:08d}",
                    "duns_number": f"{600_000_000 + position}",
                }
            )
    return rows


def _median_s(function: Callable[[], object], repeats: int) -> float:
    """Median CPU time of this process. CPU time, not wall time: on a shared machine other
    processes' work would otherwise be charged to the step. The garbage collector is paused
    while timing, as ``timeit`` does, so a collection of an earlier step's garbage is not
    charged either."""
    times = []
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            function()
            times.append(time.process_time() - started)
        finally:
            gc.enable()
    return statistics.median(times)


def measure(size: int, folder: Path) -> dict[str, float]:
    rng = random.Random(SEED + size)
    items = [_oracle_item(i, rng) for i in range(size)]
    path = folder / f"suppliers-{size}.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(_file_rows(items, rng))
    repeats = REPEATS[size]
    snapshot = OracleSnapshot.from_rest_items(items)
    result = read_supplier_file(path)
    if result.file_error or result.rejections:
        raise SystemExit(
            f"the generated file is not valid: {result.file_error or result.rejections[0]}"
        )
    plan = plan_sync(result.suppliers, snapshot, today=TODAY)
    return {
        "suppliers": size,
        "rows": result.row_count,
        "changes": len(plan.actionable),
        "parse_s": _median_s(lambda: OracleSnapshot.from_rest_items(items), repeats),
        "read_s": _median_s(lambda: read_supplier_file(path), repeats),
        "plan_s": _median_s(lambda: plan_sync(result.suppliers, snapshot, today=TODAY), repeats),
    }


def machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} CPUs (nproc), {model}; Python {platform.python_version()} "
        f"on {platform.system()} {platform.release()}"
    )


def section(results: list[dict[str, float]]) -> str:
    small, large = results
    lines = [
        HEADING,
        "",
        "Measured by `python -m bench.supplier_plan`: CPU time of the benchmark process (the "
        f"median of {REPEATS[1_000]} and {REPEATS[10_000]} repetitions; generated data, fixed "
        "seed), so that other work on a shared machine does not count.",
        f"Machine: {machine()}.",
        "",
        "Reading Oracle over the network is not included. *Parse* turns REST items (suppliers "
        "with addresses, sites, assignments and contacts) into the planner's snapshot; *read "
        "file* reads and checks the council's file (one row per site); *plan* matches every "
        "supplier and computes the changes.",
        "",
        "| Oracle suppliers | file rows | planned changes | parse | read file | plan |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {int(r['suppliers']):,} | {int(r['rows']):,} | {int(r['changes']):,} | "
            f"{r['parse_s'] * 1000:.0f} ms | {r['read_s'] * 1000:.0f} ms | "
            f"{r['plan_s'] * 1000:.0f} ms |"
        )
    ratio = {k: large[k] / small[k] for k in ("parse_s", "read_s", "plan_s")}
    growth = "close to linear" if ratio["plan_s"] < 20 else "worse than linear (investigate)"
    lines += [
        "",
        f"10,000 against 1,000 (same run): parse ×{ratio['parse_s']:.1f}, read file "
        f"×{ratio['read_s']:.1f}, plan ×{ratio['plan_s']:.1f}. Ten times the data costing about "
        f"ten times the time, planning is {growth}: matching looks suppliers up in dictionaries "
        "by number, taxpayer ID and name, where comparing every pair would grow ×100.",
        "",
    ]
    return "\n".join(lines)


def write_section(text: str, doc: Path = DOC) -> None:
    """Replace this benchmark's section of the document (others' sections are kept)."""
    current = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n\n"
    start = current.find(HEADING)
    if start < 0:
        updated = current.rstrip("\n") + "\n\n" + text
    else:
        following = current.find("\n## ", start + len(HEADING))
        rest = current[following + 1 :] if following >= 0 else ""
        updated = current[:start] + text + ("\n" + rest if rest else "")
    doc.write_text(updated, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        results = [measure(size, Path(folder)) for size in SIZES]
    text = section(results)
    print(text)
    if not args.no_write:
        write_section(text)
        print(f"updated {DOC}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
