"""How values from the supplier file and from Oracle are put in one form before comparing them.

Names are compared loosely (a person typed them; Oracle holds what another person typed): case,
spacing, punctuation and the "Ltd"/"Limited" suffix do not make two suppliers different. Other
values are compared in the canonical form Oracle stores: upper-case postcodes with one space,
taxpayer ids without spaces, ISO country codes.
"""

from __future__ import annotations

import re
import unicodedata

# Only these suffixes are treated as equal to nothing: "Acme Ltd" is "Acme Limited" is "Acme".
# LLP, CIC and PLC are kept, because they are different legal forms (and so different bodies).
_LIMITED_SUFFIXES = frozenset({"ltd", "limited"})
_APOSTROPHES = re.compile(r"['’`]")
_NON_WORD = re.compile(r"[^0-9a-z]+")

# UK postcodes: outward code (area, district) and inward code (sector, unit); GIR 0AA is the
# one historic exception. The inward letters never include C, I, K, M, O or V.
UK_POSTCODE = re.compile(r"(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR) ?[0-9][ABD-HJLNP-UW-Z]{2}")

# ISO 3166 codes of the countries the council's suppliers trade from, with the names Oracle's
# Tax Country list shows. Extend it when a supplier from another country is onboarded.
COUNTRY_NAMES = {
    "GB": "United Kingdom",
    "IE": "Ireland",
    "FR": "France",
    "DE": "Germany",
    "NL": "Netherlands",
    "BE": "Belgium",
    "LU": "Luxembourg",
    "ES": "Spain",
    "PT": "Portugal",
    "IT": "Italy",
    "DK": "Denmark",
    "SE": "Sweden",
    "NO": "Norway",
    "FI": "Finland",
    "PL": "Poland",
    "CH": "Switzerland",
    "AT": "Austria",
    "US": "United States",
    "CA": "Canada",
    "IN": "India",
    "AU": "Australia",
}
# Other ways people write the same countries.
_COUNTRY_ALIASES = {
    "UK": "GB",
    "GREAT BRITAIN": "GB",
    "ENGLAND": "GB",
    "SCOTLAND": "GB",
    "WALES": "GB",
    "NORTHERN IRELAND": "GB",
    "USA": "US",
    "UNITED STATES OF AMERICA": "US",
}
_COUNTRY_BY_NAME = {name.upper(): code for code, name in COUNTRY_NAMES.items()}


def name_key(name: str) -> str:
    """The form in which supplier names are matched: ``"Acme (UK)  Ltd."`` → ``"acme uk"``.

    Accents are dropped, ``&`` reads as ``and``, apostrophes vanish (``King's`` → ``kings``),
    other punctuation separates words, and a final ``Ltd`` or ``Limited`` is removed.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _APOSTROPHES.sub("", text.replace("&", " and "))
    words = _NON_WORD.sub(" ", text).split()
    while len(words) > 1 and words[-1] in _LIMITED_SUFFIXES:
        words.pop()
    return " ".join(words)


def collapse(value: str | None) -> str | None:
    """Text with runs of white space as one space; blank is None (how Oracle shows "no value")."""
    if value is None:
        return None
    return " ".join(value.split()) or None


def postcode(value: str) -> str:
    """A UK postcode as Oracle stores it: upper case, one space before the inward code."""
    compact = "".join(value.split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def is_uk_postcode(value: str) -> bool:
    return UK_POSTCODE.fullmatch(postcode(value)) is not None


def taxpayer_id(value: str) -> str:
    """Taxpayer ids (company numbers, VAT numbers) without spaces or dashes, upper case."""
    return re.sub(r"[\s-]+", "", value).upper()


def country_code(value: str) -> str | None:
    """The ISO code of a country written as a code or a name; None when it is not known."""
    text = " ".join(value.split()).upper()
    if text in COUNTRY_NAMES:
        return text
    return _COUNTRY_ALIASES.get(text) or _COUNTRY_BY_NAME.get(text)


def country_name(code: str) -> str:
    return COUNTRY_NAMES.get(code, code)
