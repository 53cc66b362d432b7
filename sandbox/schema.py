"""The sandbox's SQLite schema.

Tables use Fusion's own ids (large integers) as keys, so that ids seen through REST look like a
real pod's. Kept as Python text rather than a ``.sql`` file so that it ships with the package
without any data-file configuration.
"""

from __future__ import annotations

# Bump when the tables change: a data dir with another version is re-seeded at start.
# 2: per-BU default ship-to, procurement agents, optional buyer; 3: supplier change requests.
SCHEMA_VERSION = 3

TABLES = (
    "meta",
    "users",
    "business_units",
    "currencies",
    "document_styles",
    "uoms",
    "categories",
    "items",
    "locations",
    "persons",
    "procurement_agents",
    "accounts",
    "suppliers",
    "supplier_addresses",
    "supplier_sites",
    "site_assignments",
    "supplier_contacts",
    "supplier_change_requests",
    "supplier_change_request_lines",
    "supplier_setup_sessions",
    "po_headers",
    "po_lines",
    "po_schedules",
    "po_distributions",
)

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE users (
    username TEXT PRIMARY KEY COLLATE NOCASE,
    display_name TEXT NOT NULL,
    person_id INTEGER NOT NULL
);

CREATE TABLE business_units (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    legal_entity TEXT NOT NULL,
    is_procurement INTEGER NOT NULL,
    is_requisitioning INTEGER NOT NULL,
    -- Where the BU's orders are shipped when the order names no ship-to location.
    default_ship_to_location_id INTEGER REFERENCES locations(id)
);

CREATE TABLE currencies (code TEXT PRIMARY KEY, name TEXT NOT NULL);

CREATE TABLE document_styles (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);

CREATE TABLE uoms (code TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    code TEXT NOT NULL UNIQUE
);

CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    category_id INTEGER NOT NULL REFERENCES categories(id),
    uom_code TEXT NOT NULL REFERENCES uoms(code),
    list_price REAL NOT NULL
);

CREATE TABLE locations (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    line1 TEXT NOT NULL,
    city TEXT NOT NULL,
    postal_code TEXT NOT NULL
);

CREATE TABLE persons (
    id INTEGER PRIMARY KEY,
    display_name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    buyer INTEGER NOT NULL
);

-- A buyer may buy for the procurement BUs they are a procurement agent of.
CREATE TABLE procurement_agents (
    person_id INTEGER NOT NULL REFERENCES persons(id),
    bu_id INTEGER NOT NULL REFERENCES business_units(id),
    PRIMARY KEY (person_id, bu_id)
);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    segments TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    enabled INTEGER NOT NULL
);

CREATE TABLE suppliers (
    id INTEGER PRIMARY KEY,
    party_id INTEGER NOT NULL UNIQUE,
    name TEXT NOT NULL,
    number TEXT NOT NULL UNIQUE,
    alternate_name TEXT,
    tax_organization_type TEXT,
    supplier_type TEXT,
    business_relationship TEXT NOT NULL,
    taxpayer_country TEXT,
    taxpayer_id TEXT,
    duns TEXT,
    inactive_date TEXT,
    creation_date TEXT NOT NULL,
    last_update_date TEXT NOT NULL
);
CREATE UNIQUE INDEX suppliers_name ON suppliers (name COLLATE NOCASE);

CREATE TABLE supplier_addresses (
    id INTEGER PRIMARY KEY,
    supplier_id INTEGER NOT NULL REFERENCES suppliers(id),
    name TEXT NOT NULL,
    country_code TEXT NOT NULL,
    line1 TEXT,
    line2 TEXT,
    city TEXT,
    county TEXT,
    postal_code TEXT,
    ordering INTEGER NOT NULL DEFAULT 0,
    remit_to INTEGER NOT NULL DEFAULT 0,
    rfq INTEGER NOT NULL DEFAULT 0,
    inactive_date TEXT,
    UNIQUE (supplier_id, name)
);

CREATE TABLE supplier_sites (
    id INTEGER PRIMARY KEY,
    supplier_id INTEGER NOT NULL REFERENCES suppliers(id),
    name TEXT NOT NULL,
    procurement_bu_id INTEGER NOT NULL REFERENCES business_units(id),
    address_id INTEGER REFERENCES supplier_addresses(id),
    sourcing_only INTEGER NOT NULL DEFAULT 0,
    purchasing INTEGER NOT NULL DEFAULT 0,
    procurement_card INTEGER NOT NULL DEFAULT 0,
    pay INTEGER NOT NULL DEFAULT 0,
    primary_pay INTEGER NOT NULL DEFAULT 0,
    inactive_date TEXT,
    UNIQUE (supplier_id, procurement_bu_id, name)
);

CREATE TABLE site_assignments (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES supplier_sites(id),
    client_bu_id INTEGER NOT NULL REFERENCES business_units(id),
    bill_to_bu_id INTEGER NOT NULL REFERENCES business_units(id),
    inactive_date TEXT,
    UNIQUE (site_id, client_bu_id)
);

CREATE TABLE supplier_contacts (
    id INTEGER PRIMARY KEY,
    supplier_id INTEGER NOT NULL REFERENCES suppliers(id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    administrative INTEGER NOT NULL DEFAULT 0,
    inactive_date TEXT
);

-- Supplier change control (sandbox/services/supplier_change_control.py): an edit saved through
-- the pages waits here until approved or rejected. "operations" holds the edits as JSON, to be
-- replayed on approval, and the lines say what changes (as of the last submission).
CREATE TABLE supplier_change_requests (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    supplier_id INTEGER NOT NULL REFERENCES suppliers(id),
    status TEXT NOT NULL,
    operations TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    last_update_date TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    decision_note TEXT
);
CREATE INDEX supplier_change_requests_supplier ON supplier_change_requests (supplier_id, status);

CREATE TABLE supplier_change_request_lines (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES supplier_change_requests(id),
    line_number INTEGER NOT NULL,
    object_type TEXT NOT NULL,
    object_name TEXT NOT NULL,
    attribute TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    UNIQUE (request_id, line_number)
);

-- The page session that created a supplier through the pages (a digest, never the token):
-- its own edits set the new supplier up and are not under change control.
CREATE TABLE supplier_setup_sessions (
    supplier_id INTEGER PRIMARY KEY REFERENCES suppliers(id),
    session_digest TEXT NOT NULL
);

CREATE TABLE po_headers (
    id INTEGER PRIMARY KEY,
    order_number TEXT NOT NULL UNIQUE,
    status_code TEXT NOT NULL,
    description TEXT,
    procurement_bu_id INTEGER NOT NULL REFERENCES business_units(id),
    requisitioning_bu_id INTEGER NOT NULL REFERENCES business_units(id),
    bill_to_bu_id INTEGER NOT NULL REFERENCES business_units(id),
    supplier_id INTEGER NOT NULL REFERENCES suppliers(id),
    supplier_site_id INTEGER NOT NULL REFERENCES supplier_sites(id),
    supplier_contact_id INTEGER REFERENCES supplier_contacts(id),
    buyer_id INTEGER REFERENCES persons(id),
    currency_code TEXT NOT NULL REFERENCES currencies(code),
    document_style_id INTEGER NOT NULL REFERENCES document_styles(id),
    ship_to_location_id INTEGER REFERENCES locations(id),
    creation_date TEXT NOT NULL,
    last_update_date TEXT NOT NULL,
    created_by TEXT NOT NULL,
    submitted_date TEXT
);

CREATE TABLE po_lines (
    id INTEGER PRIMARY KEY,
    header_id INTEGER NOT NULL REFERENCES po_headers(id),
    line_number INTEGER NOT NULL,
    line_type TEXT NOT NULL,
    item_id INTEGER REFERENCES items(id),
    description TEXT NOT NULL,
    category_id INTEGER NOT NULL REFERENCES categories(id),
    quantity REAL NOT NULL,
    uom_code TEXT NOT NULL REFERENCES uoms(code),
    price REAL NOT NULL,
    UNIQUE (header_id, line_number)
);

CREATE TABLE po_schedules (
    id INTEGER PRIMARY KEY,
    line_id INTEGER NOT NULL REFERENCES po_lines(id),
    schedule_number INTEGER NOT NULL,
    quantity REAL NOT NULL,
    need_by_date TEXT,
    ship_to_location_id INTEGER REFERENCES locations(id),
    destination_type TEXT NOT NULL DEFAULT 'EXPENSE',
    UNIQUE (line_id, schedule_number)
);

CREATE TABLE po_distributions (
    id INTEGER PRIMARY KEY,
    schedule_id INTEGER NOT NULL REFERENCES po_schedules(id),
    distribution_number INTEGER NOT NULL,
    quantity REAL NOT NULL,
    account_id INTEGER REFERENCES accounts(id),
    deliver_to_location_id INTEGER REFERENCES locations(id),
    requester_id INTEGER REFERENCES persons(id),
    UNIQUE (schedule_id, distribution_number)
);
"""
