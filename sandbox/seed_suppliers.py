"""Seed suppliers with addresses, sites, site assignments and contacts.

The set is built so that every supplier rule has live examples: inactive suppliers, sites
without an assignment for a BU (highways, waste and fleet suppliers serve only the Corporate and
Highways BUs; children's and school-transport suppliers only Corporate and Children's), pay-only
sites, an inactive site, a supplier with no purchasing site at all, and prospective suppliers
without sites. docs/sandbox.md lists the well-known examples.
"""

from __future__ import annotations

import random
import sqlite3

from sandbox.seed_reference import BU_BASE

SUPPLIER_BASE, PARTY_BASE, ADDRESS_BASE = 300000052000001, 300000053000001, 300000054000001
SITE_BASE, ASSIGNMENT_BASE, CONTACT_BASE = 300000055000001, 300000056000001, 300000057000001
FIRST_SUPPLIER_NUMBER = 30001

CORPORATE_BU, CHILDRENS_BU, HIGHWAYS_BU = BU_BASE, BU_BASE + 1, BU_BASE + 2

# (supplier name, spend category code, town)
SUPPLIERS = (
    ("Broadland Highways Maintenance Ltd", "HW", "Norwich"),
    ("Anglia Tarmac Surfacing Ltd", "HW", "Thetford"),
    ("Norfolk Road Markings Ltd", "HW", "Dereham"),
    ("Waveney Street Lighting Services Ltd", "HW", "Great Yarmouth"),
    ("East Coast Winter Gritting Ltd", "HW", "King's Lynn"),
    ("Marsh Lane Plant Hire Ltd", "HW", "Wymondham"),
    ("Anglia Care Partnership Limited", "ASC", "Norwich"),
    ("Wensum Home Care Ltd", "ASC", "Norwich"),
    ("Broadland Supported Living CIC", "ASC", "Aylsham"),
    ("Poppyfields Residential Care Homes Ltd", "ASC", "Cromer"),
    ("Norfolk Carers Support Services Ltd", "ASC", "Dereham"),
    ("Fenside Nursing Homes Ltd", "ASC", "King's Lynn"),
    ("Breckland Fostering Services Ltd", "CCE", "Thetford"),
    ("Little Acorns Children's Homes Ltd", "CCE", "Norwich"),
    ("East Anglian Educational Psychology LLP", "CCE", "Cambridge"),
    ("Norfolk Tuition Partnership Ltd", "CCE", "Norwich"),
    ("Yare Valley Coaches Ltd", "ECT", "Norwich"),
    ("Konect Coastal Buses Ltd", "PT", "Great Yarmouth"),
    ("Coastal Minibus Co Ltd", "ECT", "Cromer"),
    ("Norwich Accessible Taxis Ltd", "ECT", "Norwich"),
    ("Sanders Rural Bus Services Ltd", "PT", "Holt"),
    ("Fen Line Community Transport CIC", "PT", "Downham Market"),
    ("Swift School Travel Ltd", "ECT", "Diss"),
    ("Norfolk Recycling Solutions Ltd", "WST", "Norwich"),
    ("Saddlebow Waste Treatment Ltd", "WST", "King's Lynn"),
    ("Greenways Composting Ltd", "WST", "Attleborough"),
    ("Eastern Skip Hire Ltd", "WST", "Great Yarmouth"),
    ("Fenland Fuel Supplies Ltd", "FLT", "Wisbech"),
    ("Anglian Fleet Leasing Ltd", "FLT", "Peterborough"),
    ("Norwich Commercial Tyres Ltd", "FLT", "Norwich"),
    ("EV Charge East Ltd", "FLT", "Ipswich"),
    ("Carrow Construction Group Ltd", "CON", "Norwich"),
    ("Mid Norfolk Scaffolding Ltd", "CON", "Dereham"),
    ("Yarmouth Roofing Contractors Ltd", "CON", "Great Yarmouth"),
    ("Hethersett Structural Engineers LLP", "CON", "Hethersett"),
    ("Breckland Building Surveyors LLP", "CON", "Swaffham"),
    ("Norwich Facilities Services Ltd", "FM", "Norwich"),
    ("County Cleaning Company Ltd", "FM", "Norwich"),
    ("Guardian Security (East Anglia) Ltd", "FM", "Norwich"),
    ("Eastern Lift Engineering Ltd", "FM", "Ipswich"),
    ("Broads Pest Control Ltd", "FM", "Wroxham"),
    ("Norfolk Retrofit Partners Ltd", "RET", "Norwich"),
    ("Solar Anglia Ltd", "RET", "King's Lynn"),
    ("Warmer Homes East Ltd", "RET", "Cromer"),
    ("East Anglia Energy Supply Ltd", "UTL", "Ipswich"),
    ("Broadland Water Services Ltd", "UTL", "Norwich"),
    ("Fenland Power Networks Ltd", "UTL", "Wisbech"),
    ("Blaze Protective Equipment Ltd", "FIR", "Leeds"),
    ("Rescue Systems UK Ltd", "FIR", "Derby"),
    ("Anglia Fire Safety Ltd", "FIR", "Norwich"),
    ("Norfolk Digital Solutions Ltd", "DIG", "Norwich"),
    ("Eastern Networks & Cloud Ltd", "DIG", "Cambridge"),
    ("Broadland Software Services Ltd", "DIG", "Norwich"),
    ("Blue Kite Digital LLP", "DIG", "London"),
    ("Wensum Print Services Ltd", "MKT", "Norwich"),
    ("Fine City Creative Ltd", "MKT", "Norwich"),
    ("Coastline Communications Ltd", "MKT", "Great Yarmouth"),
    ("Norfolk Recruitment Partners Ltd", "HR", "Norwich"),
    ("East Anglia Training Academy Ltd", "HR", "Ipswich"),
    ("Broadland Occupational Health Ltd", "HR", "Norwich"),
    ("Tombland Chambers LLP", "LEG", "Norwich"),
    ("Cathedral Legal Services LLP", "LEG", "Norwich"),
    ("Anglia Office Supplies Ltd", "OFF", "Norwich"),
    ("Breckland Catering Ltd", "OFF", "Swaffham"),
    ("Norfolk Stationery Direct Ltd", "OFF", "Norwich"),
    ("Wellbeing Norfolk CIC", "PH", "Norwich"),
    ("Active Norfolk Lifestyles Ltd", "PH", "Norwich"),
)

INACTIVE_SUPPLIERS = {
    "Marsh Lane Plant Hire Ltd": "2025-03-31",
    "Yare Valley Coaches Ltd": "2025-08-31",
    "Coastal Minibus Co Ltd": "2024-12-31",
    "Fenland Fuel Supplies Ltd": "2025-06-30",
    "Wensum Print Services Ltd": "2026-01-31",
    "Breckland Catering Ltd": "2025-10-31",
}
PROSPECTIVE_SUPPLIERS = frozenset({"Blue Kite Digital LLP", "Solar Anglia Ltd"})
PAY_ONLY_SUPPLIERS = frozenset({"Tombland Chambers LLP"})  # no purchasing site at all
INACTIVE_SITE_SUPPLIER = "Norwich Facilities Services Ltd"  # also has an old, closed site

# town -> (postcode districts, county)
TOWNS = {
    "Norwich": (("NR1", "NR2", "NR3", "NR4", "NR5", "NR6", "NR7"), "Norfolk"),
    "Thetford": (("IP24",), "Norfolk"),
    "Dereham": (("NR19", "NR20"), "Norfolk"),
    "Great Yarmouth": (("NR30", "NR31"), "Norfolk"),
    "King's Lynn": (("PE30", "PE33", "PE34"), "Norfolk"),
    "Wymondham": (("NR18",), "Norfolk"),
    "Aylsham": (("NR11",), "Norfolk"),
    "Cromer": (("NR27",), "Norfolk"),
    "Holt": (("NR25",), "Norfolk"),
    "Downham Market": (("PE38",), "Norfolk"),
    "Diss": (("IP22",), "Norfolk"),
    "Attleborough": (("NR17",), "Norfolk"),
    "Hethersett": (("NR9",), "Norfolk"),
    "Swaffham": (("PE37",), "Norfolk"),
    "Wroxham": (("NR12",), "Norfolk"),
    "Wisbech": (("PE13", "PE14"), "Cambridgeshire"),
    "Cambridge": (("CB1", "CB2", "CB4"), "Cambridgeshire"),
    "Peterborough": (("PE1", "PE2", "PE4"), "Cambridgeshire"),
    "Ipswich": (("IP1", "IP3", "IP4"), "Suffolk"),
    "Leeds": (("LS1", "LS9", "LS11"), "West Yorkshire"),
    "Derby": (("DE1", "DE21", "DE24"), "Derbyshire"),
    "London": (("EC2A", "SE1", "N1"), "Greater London"),
}
STREETS = (
    "Whiffler Road",
    "Hall Road",
    "Sweet Briar Road",
    "Vulcan Road North",
    "Rosary Road",
    "Hurricane Way",
    "Boundary Road",
    "Beaconsfield Road",
    "Station Road",
    "Church Lane",
    "Mill Lane",
    "Oak Street",
    "Queens Road",
    "High Street",
    "Bridge Street",
    "Longwater Lane",
    "Stirling Road",
    "Salhouse Road",
    "Hardwick Industrial Estate",
    "Gapton Hall Road",
)
# Letters used in the inward part of a UK postcode (C, I, K, M, O and V never appear).
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
FIRST_NAMES = ("James", "Olivia", "Robert", "Amelia", "Daniel", "Sophie", "Paul", "Rachel")
LAST_NAMES = ("Turner", "Gooch", "Allen", "Bloomfield", "Howes", "Kett", "Pointer", "Riches")
AREA_CODES = {"Norfolk": "01603", "Cambridgeshire": "01223", "Suffolk": "01473"}
NOISE_WORDS = {"Ltd", "Limited", "LLP", "CIC", "Co", "&", "(East", "Anglia)", "Group"}


def site_code(supplier: str, town: str) -> str:
    """Oracle-style site name: the supplier's initials and the town, e.g. ``BHM-NORWICH``."""
    initials = "".join(w[0] for w in supplier.split() if w not in NOISE_WORDS and w[0].isalpha())
    return f"{initials.upper()}-{town.upper().replace(' ', '-').replace(chr(39), '')}"


def client_bus(category: str) -> tuple[int, ...]:
    """Which BUs a supplier's sites are assigned to, by the kind of service it provides."""
    if category in {"HW", "WST", "FLT"}:
        return (CORPORATE_BU, HIGHWAYS_BU)
    if category in {"CCE", "ECT"}:
        return (CORPORATE_BU, CHILDRENS_BU)
    return (CORPORATE_BU, CHILDRENS_BU, HIGHWAYS_BU)


def seed_suppliers(conn: sqlite3.Connection, rng: random.Random) -> None:
    """Insert every supplier with its children; ids and numbers follow the list order."""
    ids = {"address": ADDRESS_BASE, "site": SITE_BASE, "assignment": ASSIGNMENT_BASE}
    ids["contact"] = CONTACT_BASE
    used_tax_ids: set[str] = set()
    for index, (name, category, town) in enumerate(SUPPLIERS):
        supplier_id = SUPPLIER_BASE + index
        created = (
            f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(8, 17):02d}:"
        )
        created += f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}.000+00:00"
        tax_id = _taxpayer_id(name, rng, used_tax_ids)
        duns = f"{rng.randint(200000000, 999999999)}" if index % 5 != 3 else None
        conn.execute(
            "INSERT INTO suppliers VALUES "
            "(?, ?, ?, ?, NULL, ?, ?, ?, 'United Kingdom', ?, ?, ?, ?, ?)",
            (
                supplier_id,
                PARTY_BASE + index,
                name,
                str(FIRST_SUPPLIER_NUMBER + index),
                "Partnership" if name.endswith("LLP") else "Corporation",
                "Services" if category not in {"OFF", "FIR", "DIG"} else "Supplier",
                "Prospective" if name in PROSPECTIVE_SUPPLIERS else "Spend Authorized",
                tax_id,
                duns,
                INACTIVE_SUPPLIERS.get(name),
                created,
                created,
            ),
        )
        address_id = ids["address"]
        ids["address"] += 1
        districts, county = TOWNS[town]
        postcode = f"{rng.choice(districts)} {rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}"
        postcode += rng.choice(INWARD_LETTERS)
        conn.execute(
            "INSERT INTO supplier_addresses VALUES (?, ?, ?, 'GB', ?, ?, ?, ?, ?, 1, 1, 0, NULL)",
            (
                address_id,
                supplier_id,
                f"{town} Office",
                f"Unit {rng.randint(1, 40)}, {rng.choice(STREETS)}",
                None,
                town,
                county,
                postcode,
            ),
        )
        if name not in PROSPECTIVE_SUPPLIERS:
            _seed_sites(conn, ids, supplier_id, address_id, name, category, town, index)
        if index % 2 == 0:
            _seed_contacts(conn, ids, supplier_id, name, county, rng, 2 if index % 6 == 0 else 1)


def _taxpayer_id(name: str, rng: random.Random, used: set[str]) -> str:
    """A UK company number (``OC`` prefix for an LLP), unique across the seed."""
    while True:
        if name.endswith("LLP"):
            candidate = f"OC{rng.randint(300000, 449999)}"
        else:
            candidate = f"{rng.randint(1000000, 15999999):08d}"
        if candidate not in used:
            used.add(candidate)
            return candidate


def _insert_site(
    conn: sqlite3.Connection,
    ids: dict[str, int],
    values: tuple[object, ...],
    assigned_to: tuple[int, ...],
) -> None:
    site_id = ids["site"]
    ids["site"] += 1
    conn.execute(
        "INSERT INTO supplier_sites VALUES (?, ?, ?, ?, ?, 0, ?, 0, ?, ?, ?)", (site_id, *values)
    )
    for client_bu in assigned_to:
        conn.execute(
            "INSERT INTO site_assignments VALUES (?, ?, ?, ?, NULL)",
            (ids["assignment"], site_id, client_bu, CORPORATE_BU),
        )
        ids["assignment"] += 1


def _seed_sites(
    conn: sqlite3.Connection,
    ids: dict[str, int],
    supplier_id: int,
    address_id: int,
    name: str,
    category: str,
    town: str,
    index: int,
) -> None:
    code = site_code(name, town)
    site_bu = HIGHWAYS_BU if category == "HW" else CORPORATE_BU
    assigned = client_bus(category)
    if name in PAY_ONLY_SUPPLIERS:
        _insert_site(conn, ids, (supplier_id, code, site_bu, address_id, 0, 1, 1, None), assigned)
        return
    # (supplier, site, procurement BU, address, purchasing, pay, primary pay, inactive date)
    _insert_site(conn, ids, (supplier_id, code, site_bu, address_id, 1, 1, 1, None), assigned)
    if index % 5 == 1:  # a separate remittance site, used for payments only
        remit = (supplier_id, code.split("-")[0] + "-REMIT", site_bu, address_id, 0, 1, 0, None)
        _insert_site(conn, ids, remit, assigned)
    if name == INACTIVE_SITE_SUPPLIER:
        closed = (supplier_id, code.split("-")[0] + "-DEREHAM", site_bu, address_id, 1, 1, 0)
        _insert_site(conn, ids, (*closed, "2025-06-30"), assigned)


def _seed_contacts(
    conn: sqlite3.Connection,
    ids: dict[str, int],
    supplier_id: int,
    supplier: str,
    county: str,
    rng: random.Random,
    count: int,
) -> None:
    words = [w for w in supplier.split() if w not in NOISE_WORDS]
    domain = "".join(ch for ch in "".join(words).lower() if ch.isalnum()) + ".co.uk"
    for position in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        phone = f"{AREA_CODES.get(county, '01603')} {rng.randint(200000, 899999)}"
        conn.execute(
            "INSERT INTO supplier_contacts VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
            (
                ids["contact"],
                supplier_id,
                first,
                last,
                f"{first.lower()}.{last.lower()}@{domain}",
                phone,
                int(position == 0),
            ),
        )
        ids["contact"] += 1
