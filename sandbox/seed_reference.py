"""Seed reference data: business units, people, places, accounts, categories, units, styles.

The figures follow a UK county council's set-up in Fusion: one legal entity, a handful of
business units, spend categories from the council's procurement strategy, and charge accounts
of the form ``entity-costcentre-account-spare``.
"""

from __future__ import annotations

import sqlite3

LEGAL_ENTITY = "Norfolk County Council"
EMAIL_DOMAIN = "norfolk.gov.uk"
SERVICE_DISPLAY_NAME = "RPA Procurement Service"

BU_BASE, PERSON_BASE, LOCATION_BASE = 300000046000001, 300000047000001, 300000048000001
ACCOUNT_BASE, CATEGORY_BASE = 300000049000001, 300000050000001

# (name, procurement BU?, requisitioning BU?, default ship-to location code)
BUSINESS_UNITS = (
    ("NCC Corporate BU", True, True, "NCC-COUNTY-HALL"),
    ("NCC Children's Services BU", True, True, "NCC-CARROW-HOUSE"),
    ("NCC Highways BU", True, True, "NCC-DEREHAM-DEPOT"),
    ("NCC Adult Social Services BU", False, True, "NCC-GT-YARMOUTH"),
)

CURRENCIES = (("GBP", "Pound Sterling"), ("EUR", "Euro"), ("USD", "US Dollar"))

DOCUMENT_STYLES = ((100000001, "Standard Purchase Order"), (100000002, "Services Purchase Order"))

UOMS = (
    ("EA", "Each"),
    ("BOX", "Box"),
    ("HR", "Hour"),
    ("DAY", "Day"),
    ("WK", "Week"),
    ("KG", "Kilogram"),
    ("LTR", "Litre"),
    ("M", "Metre"),
    ("M2", "Square Metre"),
    ("TNE", "Tonne"),
    ("PK", "Pack"),
    ("LOT", "Lot"),
)

# (code, name): the council's spend categories; the code is also the item-number infix.
CATEGORIES = (
    ("ASC", "Adult social care"),
    ("CCE", "Children's care and education"),
    ("PH", "Public health"),
    ("ECT", "Education and care transport"),
    ("HW", "Highways"),
    ("WST", "Waste"),
    ("FLT", "Fleet"),
    ("PT", "Passenger transport"),
    ("CON", "Construction"),
    ("FM", "Facilities management"),
    ("RET", "Retrofit"),
    ("UTL", "Utilities"),
    ("FIR", "Fire"),
    ("DIG", "Digital"),
    ("MKT", "Marketing and communications"),
    ("HR", "HR and training"),
    ("LEG", "Legal"),
    ("OFF", "Office supplies"),
)

# (code, location name, address line 1, city, postcode)
LOCATIONS = (
    ("NCC-COUNTY-HALL", "County Hall", "Martineau Lane", "Norwich", "NR1 2DH"),
    ("NCC-CARROW-HOUSE", "Carrow House", "301 King Street", "Norwich", "NR1 2TN"),
    ("NCC-THE-FORUM", "Millennium Library, The Forum", "Millennium Plain", "Norwich", "NR2 1AW"),
    ("NCC-KINGS-LYNN", "Vancouver House", "County Court Road", "King's Lynn", "PE30 5EJ"),
    ("NCC-GT-YARMOUTH", "Havenbridge House", "North Quay", "Great Yarmouth", "NR30 1HZ"),
    ("NCC-FIRE-HQ", "Fire and Rescue Headquarters", "Whitegates", "Hethersett", "NR9 3DN"),
    ("NCC-DEREHAM-DEPOT", "Dereham Highways Depot", "Rash's Green", "Dereham", "NR19 1JG"),
    ("NCC-AYLSHAM-DEPOT", "Aylsham Highways Depot", "Burgh Road", "Aylsham", "NR11 6AR"),
    ("NCC-CROMER", "Cromer Area Office", "Holt Road", "Cromer", "NR27 9EA"),
    ("NCC-THETFORD", "Thetford Area Office", "Kings House, Kings Street", "Thetford", "IP24 2AP"),
)

# "Surname, Firstname" as Fusion shows persons; the flag marks buyers (procurement agents). A
# buyer is an agent of every procurement BU unless AGENT_BUS names theirs.
PERSONS = (
    ("Hughes", "Sarah", True),
    ("Patel", "Ravi", True),
    ("Clarke", "Joanne", True),
    ("Bennett", "Mark", True),
    ("Okafor", "Grace", True),
    ("Thompson", "Ian", False),
    ("Walsh", "Claire", False),
    ("Harrison", "Tom", False),
    ("Nowak", "Agnieszka", False),
    ("Fletcher", "David", False),
    ("Green", "Emma", False),
    ("Barker", "Lucy", False),
    ("Shah", "Priya", False),
    ("Mills", "Andrew", False),
    ("Cooper", "Hannah", False),
    ("Reeve", "Jonathan", False),
)

# Buyers who are procurement agents of only some procurement BUs: naming one as the buyer of
# another BU's order is refused.
AGENT_BUS = {"Okafor, Grace": ("NCC Children's Services BU",)}

# (cost centre, name); each is combined with every natural account below.
COST_CENTRES = (
    ("CC101", "Corporate Procurement"),
    ("CC105", "Finance and Commercial Services"),
    ("CC110", "Digital Services"),
    ("CC115", "HR Shared Services"),
    ("CC118", "Legal Services (nplaw)"),
    ("CC120", "Highways Maintenance Norwich"),
    ("CC123", "Highways Maintenance County"),
    ("CC126", "Highways Winter Service"),
    ("CC130", "Waste Disposal"),
    ("CC133", "Recycling Centres"),
    ("CC140", "Passenger Transport"),
    ("CC142", "Education and Care Transport"),
    ("CC145", "Fleet Management"),
    ("CC150", "Corporate Property"),
    ("CC151", "Facilities Management County Hall"),
    ("CC160", "Adult Social Care Commissioning"),
    ("CC162", "Adult Social Care Provider Services"),
    ("CC170", "Children's Services Commissioning"),
    ("CC172", "Fostering and Adoption"),
    ("CC175", "Schools Capital Programme"),
    ("CC180", "Public Health"),
    ("CC185", "Norfolk Fire and Rescue Service"),
    ("CC190", "Libraries and Information"),
    ("CC195", "Communications and Marketing"),
)
NATURAL_ACCOUNTS = (
    ("5100", "Supplies and Services"),
    ("5200", "Premises"),
    ("5300", "Transport"),
    ("5400", "Third Party Payments"),
    ("5500", "ICT"),
)
# Combinations closed for posting: charging them is refused.
DISABLED_ACCOUNTS = frozenset({"1000-CC150-5100-000", "1000-CC151-5300-000"})


def seed_reference(conn: sqlite3.Connection, service_username: str) -> None:
    """Insert all reference data, with ids from fixed bases so that every seed is identical."""
    for offset, (name, procurement, requisitioning, _) in enumerate(BUSINESS_UNITS):
        conn.execute(
            "INSERT INTO business_units (id, name, legal_entity, is_procurement, "
            "is_requisitioning) VALUES (?, ?, ?, ?, ?)",
            (BU_BASE + offset, name, LEGAL_ENTITY, int(procurement), int(requisitioning)),
        )
    conn.executemany("INSERT INTO currencies VALUES (?, ?)", CURRENCIES)
    conn.executemany("INSERT INTO document_styles VALUES (?, ?)", DOCUMENT_STYLES)
    conn.executemany("INSERT INTO uoms VALUES (?, ?)", UOMS)
    for offset, (code, name) in enumerate(CATEGORIES):
        conn.execute(
            "INSERT INTO categories VALUES (?, ?, ?)", (CATEGORY_BASE + offset, name, code)
        )
    for offset, location in enumerate(LOCATIONS):
        conn.execute(
            "INSERT INTO locations VALUES (?, ?, ?, ?, ?, ?)", (LOCATION_BASE + offset, *location)
        )
    for name, _, _, ship_to in BUSINESS_UNITS:
        conn.execute(
            "UPDATE business_units SET default_ship_to_location_id = "
            "(SELECT id FROM locations WHERE code = ?) WHERE name = ?",
            (ship_to, name),
        )
    _seed_persons(conn, service_username)
    _seed_agents(conn)
    _seed_accounts(conn)


def _seed_persons(conn: sqlite3.Connection, service_username: str) -> None:
    for offset, (last, first, buyer) in enumerate(PERSONS):
        email = f"{first.lower()}.{last.lower()}@{EMAIL_DOMAIN}"
        conn.execute(
            "INSERT INTO persons VALUES (?, ?, ?, ?)",
            (PERSON_BASE + offset, f"{last}, {first}", email, int(buyer)),
        )
    # The service account is a buyer too: orders it creates name it as their buyer by default.
    service_person_id = PERSON_BASE + len(PERSONS)
    conn.execute(
        "INSERT INTO persons VALUES (?, ?, ?, 1)",
        (service_person_id, SERVICE_DISPLAY_NAME, f"rpa.procurement@{EMAIL_DOMAIN}"),
    )
    ensure_service_user(conn, service_username)


def _seed_agents(conn: sqlite3.Connection) -> None:
    """Every buyer (the service account's person too) is an agent of their procurement BUs."""
    bus = {
        row["name"]: row["id"]
        for row in conn.execute("SELECT id, name FROM business_units WHERE is_procurement = 1")
    }
    for buyer in conn.execute("SELECT id, display_name FROM persons WHERE buyer = 1 ORDER BY id"):
        for bu in AGENT_BUS.get(buyer["display_name"], tuple(bus)):
            conn.execute("INSERT INTO procurement_agents VALUES (?, ?)", (buyer["id"], bus[bu]))


def ensure_service_user(conn: sqlite3.Connection, username: str) -> None:
    """The service account's user record, tied to its person; kept when it already exists.

    Called at every start too, so that a data dir seeded under another user name still has a
    user (and so a default buyer) for the configured one.
    """
    conn.execute(
        "INSERT OR IGNORE INTO users (username, display_name, person_id) "
        "SELECT ?, display_name, id FROM persons WHERE email = ?",
        (username, f"rpa.procurement@{EMAIL_DOMAIN}"),
    )


def _seed_accounts(conn: sqlite3.Connection) -> None:
    offset = 0
    for centre, centre_name in COST_CENTRES:
        for account, account_name in NATURAL_ACCOUNTS:
            segments = f"1000-{centre}-{account}-000"
            description = f"{LEGAL_ENTITY}-{centre_name}-{account_name}-None"
            enabled = segments not in DISABLED_ACCOUNTS
            conn.execute(
                "INSERT INTO accounts VALUES (?, ?, ?, ?)",
                (ACCOUNT_BASE + offset, segments, description, int(enabled)),
            )
            offset += 1
