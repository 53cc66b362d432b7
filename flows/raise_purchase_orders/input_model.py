"""What a valid purchase request is: one Oracle purchase order, from rows of a request file.

The models validate the cells of a request file themselves (text, ``£1,234.50``, UK dates), so
the rules live in one place and each failure names its column. Every message is written to
follow ``column <name>, value '<cell>':`` in a report a buyer reads. The validators both flows
use alike (text, list values) are in ``flows.common.cell_validators``; the rest are this flow's.

Validation context (``model_validate(..., context=...)``), both optional:
- ``today`` (``datetime.date``): need-by dates before it are refused;
- ``request_id_prefix_format``: how the request id starts the order description in Oracle,
  for the description length check (default ``REQUEST_ID_PREFIX_FORMAT``).
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from flows.common.cell_validators import one_of, text
from flows.common.tabular import parse_date, parse_decimal

# The order's header Description is "[<request_id>] <description>": a bot finds an order it made
# before by that prefix. Oracle's Description holds 240 characters.
REQUEST_ID_PREFIX_FORMAT = "[{request_id}] "
ORDER_DESCRIPTION_MAX = 240
REQUEST_ID_MAX = 40
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._/-]+")
# The council's chart of accounts: entity-costcentre-account-spare, e.g. 1000-CC123-5100-000.
# Segment layout is a tenant setting in Fusion; change this pattern with the chart of accounts.
CHARGE_ACCOUNT_PATTERN = re.compile(r"\d{4}-[A-Z]{2}\d{3}-\d{4}-\d{3}")
CHARGE_ACCOUNT_EXAMPLE = "1000-CC123-5100-000"
CURRENCY_PATTERN = re.compile(r"[A-Z]{3}")
NAME_MAX = 240  # Fusion's longest LOV display names and line descriptions
QUANTITY_DECIMALS = 4
PRICE_DECIMALS = 4
# Far above any council order line; a larger figure is a typing slip, not a purchase.
AMOUNT_MAX = Decimal("999999999.9999")
LINE_TYPES = ("Goods", "Services")


def _to_decimal(value: object) -> object:
    return parse_decimal(value) if isinstance(value, str | date) else value


def _amount(decimals: int) -> AfterValidator:
    def check(value: Decimal) -> Decimal:
        if not value.is_finite():
            raise ValueError("is not a number")
        if value <= 0:
            raise ValueError("must be greater than 0")
        if value > AMOUNT_MAX:
            raise ValueError(f"must be at most {AMOUNT_MAX:,}")
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > decimals:
            raise ValueError(f"has more than {decimals} decimal places")
        return value

    return AfterValidator(check)


def _to_date(value: object) -> object:
    return parse_date(value) if isinstance(value, str | date) else value


def _request_id(value: object) -> object:
    if isinstance(value, str) and not REQUEST_ID_PATTERN.fullmatch(value):
        raise ValueError("may only contain letters, digits and the characters - _ / .")
    return value


def _currency(value: object) -> object:
    if isinstance(value, str):
        value = value.upper()
        if not CURRENCY_PATTERN.fullmatch(value):
            raise ValueError("must be a 3-letter ISO currency code, such as GBP")
    return value


def _charge_account(value: object) -> object:
    if isinstance(value, str):
        value = value.replace(" ", "").upper()
        if not CHARGE_ACCOUNT_PATTERN.fullmatch(value):
            raise ValueError(
                f"must be a charge account like {CHARGE_ACCOUNT_EXAMPLE} (four segments: "
                "entity, cost centre, account, spare)"
            )
    return value


RequiredText = Annotated[str, text(NAME_MAX, required=True)]
OptionalText = Annotated[str | None, text(NAME_MAX)]
Quantity = Annotated[Decimal, BeforeValidator(_to_decimal), _amount(QUANTITY_DECIMALS)]
Price = Annotated[Decimal, BeforeValidator(_to_decimal), _amount(PRICE_DECIMALS)]
# Blank only when an item number is given: then Oracle fills it from the item.
ItemDerivedText = Annotated[
    str | None,
    text(NAME_MAX),
    Field(default=None, validate_default=True),
]


class RequestLine(BaseModel):
    """One order line, with its one schedule and one distribution (as Fusion defaults them)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source_row: int
    item: OptionalText = None  # declared before the fields it may fill in
    line_type: Annotated[Literal["Goods", "Services"], one_of(*LINE_TYPES)] = "Goods"
    line_description: ItemDerivedText
    category: ItemDerivedText
    uom: ItemDerivedText
    quantity: Quantity
    unit_price: Price
    need_by_date: Annotated[date, BeforeValidator(_to_date)]
    charge_account: Annotated[str, text(NAME_MAX, required=True), AfterValidator(_charge_account)]
    ship_to_location: OptionalText = None
    deliver_to_location: OptionalText = None
    requester: OptionalText = None

    @field_validator("line_description", "category", "uom")
    @classmethod
    def _given_unless_item(cls, value: str | None, info: ValidationInfo) -> str | None:
        # An item that failed its own check is absent from info.data: no second error for it.
        if value is None and "item" in info.data and info.data["item"] is None:
            raise ValueError("a value is required when no item number is given")
        return value

    @field_validator("need_by_date")
    @classmethod
    def _not_in_past(cls, value: date, info: ValidationInfo) -> date:
        today = (info.context or {}).get("today")
        if today is not None and value < today:
            raise ValueError(f"is in the past (today is {today.isoformat()})")
        return value

    @property
    def amount(self) -> Decimal:
        return self.quantity * self.unit_price


class RequestHeader(BaseModel):
    """The order-level fields: every row of a request carries the same values."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    request_id: Annotated[str, text(REQUEST_ID_MAX, required=True), AfterValidator(_request_id)]
    procurement_bu: RequiredText
    # Defaults to the procurement BU (factory sees the fields validated before it).
    requisitioning_bu: RequiredText = Field(
        default_factory=lambda data: data.get("procurement_bu", "")
    )
    supplier: RequiredText
    supplier_site: RequiredText
    supplier_contact: OptionalText = None
    currency: Annotated[str, text(NAME_MAX, required=True), AfterValidator(_currency)] = "GBP"
    buyer: OptionalText = None
    document_style: OptionalText = None
    description: Annotated[str, text(ORDER_DESCRIPTION_MAX, required=True)]

    @field_validator("description")
    @classmethod
    def _fits_order_description(cls, value: str, info: ValidationInfo) -> str:
        request_id = info.data.get("request_id")
        if request_id is None:
            return value
        prefix_format = (info.context or {}).get("request_id_prefix_format")
        prefix = (prefix_format or REQUEST_ID_PREFIX_FORMAT).format(request_id=request_id)
        room = ORDER_DESCRIPTION_MAX - len(prefix)
        if len(value) > room:
            raise ValueError(
                f"is {len(value)} characters long; with the request id in front, Oracle's "
                f"{ORDER_DESCRIPTION_MAX}-character order description leaves room for {room}"
            )
        return value

    def order_description(self, prefix_format: str = REQUEST_ID_PREFIX_FORMAT) -> str:
        """The header Description of the order in Oracle."""
        return prefix_format.format(request_id=self.request_id) + self.description


class PurchaseRequest(RequestHeader):
    """One approved request: raised as exactly one purchase order."""

    lines: list[RequestLine] = Field(min_length=1)
    source_file: Path
    source_rows: list[int]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    @classmethod
    def from_ledger(cls, content: str, source_file: str | None) -> PurchaseRequest:
        """A request as the ledger kept it (``content``), to be tried again without its file:
        row numbers are not kept, so they read 0."""
        values = json.loads(content)
        values["lines"] = [{**line, "source_row": 0} for line in values["lines"]]
        return cls.model_validate(
            {**values, "source_file": Path(source_file or "ledger"), "source_rows": []}
        )

    @property
    def content(self) -> str:
        """The request's content as canonical JSON, independent of file name, row numbers and
        layout: ``10`` and ``10.00`` read alike. Kept in the ledger, so that a later arrival of
        the same request id can be compared field by field."""
        content = self.model_dump(
            exclude={"source_file": True, "source_rows": True, "lines": {"__all__": {"source_row"}}}
        )
        return json.dumps(_canonical(content), sort_keys=True, separators=(",", ":"))

    @property
    def content_hash(self) -> str:
        """sha256 of :attr:`content`: two files asking for the same order hash alike; any
        change a buyer makes to what is ordered changes the hash."""
        return hashlib.sha256(self.content.encode("utf-8")).hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value
