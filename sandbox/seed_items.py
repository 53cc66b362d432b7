"""Seed catalogue items: twelve per spend category, numbered ``NCC-<category code>-0001``.

Prices are list prices in GBP. The texts are the kind of goods and services a county council
buys in each category, so that searches and orders in the sandbox read like real ones.
"""

from __future__ import annotations

import sqlite3

from sandbox.seed_reference import CATEGORIES, CATEGORY_BASE

ITEM_BASE = 300000051000001

# category code -> "description|UOM code|list price" rows
CATALOGUE: dict[str, tuple[str, ...]] = {
    "ASC": (
        "Home care visit, 30 minutes|HR|11.50", "Home care visit, 60 minutes|HR|22.40",
        "Residential care placement, standard|WK|812.00", "Nursing care placement|WK|1045.00",
        "Respite care night|DAY|145.00", "Day centre session|DAY|58.00",
        "Supported living support hour|HR|21.75", "Community alarm monitoring|WK|4.20",
        "Reablement assessment|EA|120.00", "Shared lives placement|WK|410.00",
        "Carers' break voucher|EA|250.00", "Mental health advocacy hour|HR|38.00",
    ),
    "CCE": (
        "Independent fostering placement|WK|980.00", "Residential children's home placement|WK|4600.00",
        "Short break session|DAY|165.00", "Family support worker hour|HR|32.00",
        "Special educational needs tuition hour|HR|45.00", "Educational psychologist assessment|EA|650.00",
        "Alternative provision place|WK|420.00", "Speech and language therapy session|HR|70.00",
        "Early years funded place|WK|190.00", "Care leaver accommodation|WK|310.00",
        "Youth mentoring session|HR|28.00", "Children's advocacy referral|EA|180.00",
    ),
    "PH": (
        "Stop smoking service quit|EA|150.00", "NHS health check|EA|26.00",
        "Sexual health clinic episode|EA|95.00", "Substance misuse treatment week|WK|210.00",
        "Weight management course place|EA|180.00", "School nursing session|HR|48.00",
        "Health visiting contact|EA|62.00", "Naloxone kit|EA|18.50",
        "Flu vaccination, staff|EA|14.00", "Physical activity programme place|EA|75.00",
        "Oral health promotion pack|PK|35.00", "Public health campaign leaflets|BOX|42.00",
    ),
    "ECT": (
        "Home to school taxi, single journey|EA|24.00", "Home to school minibus route|DAY|185.00",
        "Passenger assistant hour|HR|14.20", "Wheelchair accessible vehicle day|DAY|240.00",
        "Post-16 travel pass|EA|595.00", "Special school transport contract day|DAY|310.00",
        "Independent travel training course|EA|450.00", "Escort service hour|HR|15.60",
        "Bus pass, academic term|EA|190.00", "Emergency transport booking|EA|65.00",
        "Route planning review|EA|1250.00", "Child car seat, group 2/3|EA|48.00",
    ),
    "HW": (
        "Cold lay asphalt, 25 kg bag|EA|14.80", "Road salt, brown rock|TNE|62.00",
        "Traffic cone, 750 mm|EA|7.90", "Pothole repair, emergency callout|EA|95.00",
        "Road marking paint, white|LTR|6.40", "Gully emptying, per gully|EA|12.50",
        "Kerb, precast concrete, half battered|EA|9.20", "Temporary traffic lights hire|WK|320.00",
        "Surface dressing|M2|4.35", "Street light column, 6 m|EA|540.00",
        "LED street lantern|EA|210.00", "Hedge cutting, rural verge|M|0.85",
    ),
    "WST": (
        "Household waste disposal, landfill|TNE|128.00", "Residual waste treatment|TNE|96.00",
        "Green waste composting|TNE|31.00", "Recycling centre container hire|WK|140.00",
        "Hazardous waste collection|LOT|850.00", "Fly-tip clearance|EA|185.00",
        "WEEE recycling|TNE|45.00", "Clinical waste sack, yellow|BOX|38.00",
        "Skip hire, 8 yard|EA|260.00", "Wheeled bin, 240 litre|EA|24.50",
        "Mattress recycling|EA|12.00", "Asbestos disposal|TNE|310.00",
    ),
    "FLT": (
        "Van lease, panel van|WK|118.00", "Gritter lorry service|EA|1450.00",
        "Diesel, bulk delivery|LTR|1.32", "AdBlue|LTR|0.78",
        "Tyre, light commercial|EA|115.00", "Vehicle MOT test|EA|54.85",
        "Telematics unit|EA|165.00", "Electric vehicle charge point|EA|1850.00",
        "Pool car hire|DAY|48.00", "Vehicle livery application|EA|380.00",
        "Fleet fuel card fee|EA|2.50", "Minibus D1 driver training|EA|420.00",
    ),
    "PT": (
        "Bus service subsidy, rural route|WK|1650.00", "Demand responsive transport hour|HR|52.00",
        "Park and ride operation|DAY|2100.00", "Bus shelter cleaning|EA|18.00",
        "Real time passenger information sign|EA|3400.00", "Concessionary fare reimbursement|LOT|25000.00",
        "Community transport grant|EA|5000.00", "Bus stop flag and pole|EA|210.00",
        "Timetable printing|BOX|65.00", "Passenger survey|EA|3200.00",
        "Bus lane enforcement camera maintenance|EA|640.00", "Accessible bus stop kerb|M|85.00",
    ),
    "CON": (
        "Classroom extension, design fee|LOT|18500.00", "Ready-mixed concrete, C25|TNE|98.00",
        "Building surveyor day|DAY|520.00", "Scaffolding hire|WK|640.00",
        "Roofing repair|M2|78.00", "Structural engineer day|DAY|610.00",
        "Site welfare unit hire|WK|185.00", "Demolition, small structure|LOT|7400.00",
        "Steel reinforcement bar|TNE|890.00", "Timber, treated, 47 x 100 mm|M|2.80",
        "Clerk of works day|DAY|410.00", "Modular classroom hire|WK|950.00",
    ),
    "FM": (
        "Office cleaning hour|HR|17.40", "Security guard hour|HR|19.80",
        "Grounds maintenance visit|EA|145.00", "Lift maintenance visit|EA|230.00",
        "Fire alarm service|EA|310.00", "Pest control visit|EA|95.00",
        "Legionella water testing|EA|120.00", "Washroom consumables pack|PK|44.00",
        "Reactive maintenance callout|EA|85.00", "Air conditioning service|EA|260.00",
        "Window cleaning, County Hall|EA|1150.00", "Reception services hour|HR|16.90",
    ),
    "RET": (
        "Loft insulation, 270 mm|M2|9.60", "Air source heat pump|EA|8900.00",
        "Solar PV panel, 430 W|EA|165.00", "LED lighting retrofit, office floor|LOT|14800.00",
        "Cavity wall insulation|M2|21.00", "Double glazed window unit|EA|480.00",
        "Building energy management system|EA|6200.00", "Draught proofing|M|6.50",
        "Energy performance certificate|EA|95.00", "Battery storage unit|EA|5400.00",
        "Thermal imaging survey|EA|420.00", "Smart thermostat|EA|180.00",
    ),
    "UTL": (
        "Electricity, half-hourly metered|LOT|12000.00", "Gas supply|LOT|8400.00",
        "Water and wastewater|LOT|2600.00", "Meter reading service|EA|12.00",
        "Bottled water, 19 litre|EA|7.20", "Street lighting energy|LOT|21000.00",
        "Utility bill validation|LOT|1800.00", "Temporary power supply|WK|240.00",
        "Water cooler rental|WK|5.50", "Gas safety inspection|EA|68.00",
        "Sub-meter installation|EA|340.00", "Water leak detection survey|EA|290.00",
    ),
    "FIR": (
        "Firefighting helmet|EA|295.00", "Structural firefighting tunic|EA|540.00",
        "Breathing apparatus cylinder|EA|720.00", "Fire hose, 45 mm, 23 m|EA|165.00",
        "Foam concentrate|LTR|4.90", "Thermal imaging camera|EA|3900.00",
        "Road traffic collision cutting kit|LOT|16500.00", "First responder kit|EA|260.00",
        "Smoke alarm, 10-year sealed|EA|14.50", "Fire boot|EA|145.00",
        "Water rescue dry suit|EA|690.00", "Hydrant standpipe|EA|210.00",
    ),
    "DIG": (
        "Laptop, standard build|EA|745.00", "Monitor, 24 inch|EA|129.00",
        "Docking station|EA|165.00", "Microsoft 365 E3 licence|EA|312.00",
        "Network switch, 48 port|EA|2350.00", "Mobile phone, corporate|EA|389.00",
        "Headset, noise cancelling|EA|89.00", "Cyber security penetration test|LOT|9800.00",
        "Developer day rate|DAY|620.00", "Cloud hosting, monthly|LOT|4300.00",
        "Service desk support hour|HR|42.00", "Printer toner cartridge|EA|72.00",
    ),
    "MKT": (
        "Design day rate|DAY|450.00", "Leaflet print, A5, 5000|PK|240.00",
        "Social media campaign|LOT|3500.00", "Photography day|DAY|550.00",
        "Video production day|DAY|1200.00", "Exhibition banner|EA|120.00",
        "Public consultation event|EA|1800.00", "Radio advertising slot|EA|280.00",
        "Translation, per 1000 words|EA|110.00", "Easy read document|EA|650.00",
        "Press monitoring service|LOT|900.00", "Bus advertising panel|WK|95.00",
    ),
    "HR": (
        "Recruitment advertisement|EA|450.00", "Agency social worker hour|HR|48.00",
        "Agency administrator hour|HR|18.20", "Leadership course place|EA|1250.00",
        "First aid at work course place|EA|210.00", "Occupational health referral|EA|160.00",
        "Employee assistance programme|LOT|6800.00", "DBS check, enhanced|EA|49.50",
        "Apprenticeship training place|EA|4500.00", "E-learning licence|EA|35.00",
        "Interpreter hour|HR|36.00", "Manual handling course place|EA|95.00",
    ),
    "LEG": (
        "Counsel's opinion|EA|2400.00", "Solicitor hour, external|HR|185.00",
        "Court fee, care proceedings|EA|2215.00", "Expert witness report|EA|3200.00",
        "Land registry search|EA|7.00", "Legal database subscription|LOT|8900.00",
        "Conveyancing, property disposal|LOT|1850.00", "Process server|EA|95.00",
        "Mediation session|EA|650.00", "Planning inquiry representation day|DAY|1900.00",
        "Contract review, external|EA|1400.00", "Court bundle preparation|EA|240.00",
    ),
    "OFF": (
        "Copier paper, A4, 80 gsm|BOX|22.50", "Ballpoint pen, black|BOX|4.80",
        "Lever arch file|BOX|19.00", "Envelope, C4 window|BOX|16.40",
        "Desk chair, ergonomic|EA|235.00", "Sticky notes|PK|6.20",
        "Whiteboard marker|PK|5.40", "Stapler, heavy duty|EA|28.00",
        "Archive box|PK|21.00", "Desk, sit-stand|EA|545.00",
        "Visitor badge|BOX|17.00", "Franking machine ink|EA|64.00",
    ),
}


def seed_items(conn: sqlite3.Connection) -> None:
    """Insert every catalogue item with a fixed id and number."""
    category_ids = {code: CATEGORY_BASE + offset for offset, (code, _) in enumerate(CATEGORIES)}
    offset = 0
    for code, rows in CATALOGUE.items():
        for position, row in enumerate(rows, start=1):
            description, uom, price = row.split("|")
            conn.execute(
                "INSERT INTO items VALUES (?, ?, ?, ?, ?, ?)",
                (
                    ITEM_BASE + offset,
                    f"NCC-{code}-{position:04d}",
                    description,
                    category_ids[code],
                    uom,
                    float(price),
                ),
            )
            offset += 1
