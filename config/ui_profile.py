"""UI profiles: every text the page objects look for on Oracle's pages, outside the code.

Oracle's pages differ between releases and tenants (VB Studio rules rename fields; a release
rewords a confirmation; numbering adds a business-unit prefix). So the labels, button, drawer and
dialog names, paths, option-text templates and patterns live in ``config/ui_profiles/<name>.toml``,
chosen by ``oracle.ui_profile``, and adapting the bots to a pod is a profile change, never a code
change. A profile may ``extends = "<name>"`` another and name only what differs.

A profile is checked when it is loaded: an unknown key, a missing key, a pattern that does not
compile or lacks a group the page objects read, a path without its placeholder: each is an error
naming the key (``po.order.heading_pattern: …``). Every text read from a profile knows its key
(:class:`ProfileText`, :class:`ProfilePattern`), so a page that does not match names the line of
the profile to check.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import unquote

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    ValidationError,
    model_validator,
)
from pydantic_core import core_schema

PROFILES_DIR = Path(__file__).with_name("ui_profiles")
DEFAULT_PROFILE = "redwood"
# How deep ``extends`` may chain before it is taken for a loop.
_MAX_EXTENDS = 8


class UiProfileError(ValueError):
    """A profile that cannot be used: not found, not TOML, or keys wrong. Names file and keys."""


class ProfileText(str):
    """A text from a profile (a label, a button's name) that knows the key it came from."""

    key: str = ""

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            cls._non_blank, core_schema.str_schema()
        )

    def filled(self, **values: object) -> ProfileText:
        """The text with its placeholders filled (``Edit schedule {line}-{schedule}``), still
        knowing its key."""
        text = ProfileText(self.format(**values))
        text.key = self.key
        return text

    @classmethod
    def _non_blank(cls, value: str) -> ProfileText:
        if not value.strip():
            raise ValueError("must not be blank")
        return cls(value)


class ProfilePattern:
    """A regular expression from a profile (a heading, a confirmation), compiled, with its key."""

    key: str = ""

    def __init__(self, source: str) -> None:
        self.source = source
        self.regex = re.compile(source)
        # The same expression for the browser: Playwright hands a pattern to JavaScript, which
        # writes named groups ``(?<name>…)`` and knows no inline flags, so both are taken out
        # (the groups are read in Python, from ``regex``).
        browser_source = re.sub(r"\(\?P<\w+>", "(", source)
        flags = 0
        if browser_source.startswith("(?i)"):
            browser_source, flags = browser_source[4:], re.I
        self.for_browser = re.compile(browser_source, flags)

    def search(self, text: str) -> re.Match[str] | None:
        return self.regex.search(text)

    def __repr__(self) -> str:
        return f"ProfilePattern({self.source!r})"

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(cls._compile, core_schema.str_schema())

    @classmethod
    def _compile(cls, value: str) -> ProfilePattern:
        try:
            return cls(value)
        except re.error as exc:
            raise ValueError(f"is not a valid regular expression ({exc})") from exc


def _with_groups(*groups: str) -> AfterValidator:
    def check(pattern: ProfilePattern) -> ProfilePattern:
        missing = [g for g in groups if g not in pattern.regex.groupindex]
        if missing:
            raise ValueError(
                f"needs the named group(s) {', '.join(f'(?P<{g}>…)' for g in missing)}"
            )
        return pattern

    return AfterValidator(check)


def _with_placeholders(*names: str) -> AfterValidator:
    def check(path: ProfileText) -> ProfileText:
        missing = [n for n in names if "{" + n + "}" not in path]
        if missing:
            raise ValueError(
                f"needs the placeholder(s) {', '.join('{' + n + '}' for n in missing)}"
            )
        return path

    return AfterValidator(check)


def value_in_path(template: str, placeholder: str, url: str) -> str | None:
    """What stands for ``{placeholder}`` of a profile's path ``template`` in ``url`` (a page's
    address, a link's href), or None when the url is not such a page."""
    pattern = re.escape(template).replace(re.escape("{" + placeholder + "}"), r"(?P<id>[^/?&#]+)")
    match = re.search(pattern, url)
    return unquote(match.group("id")) if match else None


def _absolute(path: ProfileText) -> ProfileText:
    if not path.startswith("/"):
        raise ValueError("must start with /")
    return path


Path_ = Annotated[ProfileText, AfterValidator(_absolute)]
NumberPattern = Annotated[ProfilePattern, _with_groups("number")]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class WorkArea(_Section):
    """A work area reached by its path, or, where the pod has no deep link to it, through the
    Navigator from Home: ``navigation`` is then followed instead of ``path``."""

    path: Path_ | None = None
    # The Navigator's group, the link in it, then any task links on the pages reached
    # (``["Procurement", "Purchase Orders"]``).
    navigation: list[ProfileText] = []

    @model_validator(mode="after")
    def _reachable(self) -> WorkArea:
        if self.path is None and not self.navigation:
            raise ValueError("needs a path, or navigation steps where no deep link is known")
        if self.navigation and len(self.navigation) < 2:
            raise ValueError("navigation needs at least the Navigator's group and the link in it")
        return self


# --- sign-in and the whole application -------------------------------------------------------


class Home(_Section):
    """Fusion's home page (``sign_in.entry_path``), where navigation starts."""

    navigator: ProfileText  # the link (a button on some releases) that opens the Navigator


class SignIn(_Section):
    """Oracle's sign-in page (IDCS): single-step, or two-step with a Next button."""

    entry_path: Path_  # the page a browser opens first; Oracle answers it with sign-in
    path_marker: ProfileText  # a URL holding this is a sign-in page
    user_label: ProfileText
    password_label: ProfileText
    next_button: ProfileText  # the two-step form's first step
    sign_in_button: ProfileText
    # What the page says when it refuses the account (any of them, case aside).
    refused_texts: list[ProfileText]
    # What a federated single-sign-on page shows: the bot never types into one.
    single_sign_on_texts: list[ProfileText]


class Messages(_Section):
    """What every page shares: dialogs, their buttons, the lists' "no matches"."""

    error_dialog: ProfileText
    warning_dialog: ProfileText
    ok_button: ProfileText
    cancel_button: ProfileText
    yes_button: ProfileText
    no_button: ProfileText
    # Every wording of "the search found nothing" the lists may use (legacy JET drops the stop).
    no_matches: list[ProfileText]
    # An error dialog about the system rather than the data: retried, not rejected.
    system_error_pattern: ProfilePattern


# --- purchase orders -----------------------------------------------------------------------


class OrdersArea(WorkArea):
    """The Purchase Orders work area: its search (the look-up used when REST reads are off),
    the results grid and its columns, and the button that creates an order."""

    heading: ProfileText
    create_button: ProfileText
    search_order: ProfileText  # the search field for the order number
    search_description: ProfileText
    search_button: ProfileText
    results_grid: ProfileText
    order_column: ProfileText  # its cells link to the order's page
    description_column: ProfileText
    status_column: ProfileText


class CreateOrderDrawer(_Section):
    """The drawer that creates an order: Oracle's eight fields."""

    drawer: ProfileText
    document_style: ProfileText
    procurement_bu: ProfileText
    requisitioning_bu: ProfileText
    supplier: ProfileText
    supplier_site: ProfileText
    supplier_contact: ProfileText
    currency: ProfileText
    ship_to_location: ProfileText
    create_button: ProfileText


class OrderPage(_Section):
    """One order's page: its header fields, tabs and actions."""

    path: Annotated[Path_, _with_placeholders("header_id")]
    heading_pattern: NumberPattern
    description: ProfileText
    buyer: ProfileText
    save_button: ProfileText
    submit_button: ProfileText
    delete_button: ProfileText
    delete_dialog: ProfileText
    lines_tab: ProfileText
    lines_grid: ProfileText
    add_line_button: ProfileText
    schedules_tab: ProfileText
    distributions_tab: ProfileText
    confirmation_pattern: NumberPattern


class LineDrawer(_Section):
    """The drawer that adds a line (its schedule and distribution are edited on their tabs)."""

    drawer: ProfileText
    line_type: ProfileText
    item: ProfileText
    description: ProfileText
    category: ProfileText
    quantity: ProfileText
    uom: ProfileText
    price: ProfileText


class ScheduleDrawer(_Section):
    """A schedule row's edit drawer on the Schedules tab."""

    # The row's edit button: ``{line}`` and ``{schedule}`` are the row's numbers.
    edit_button: Annotated[ProfileText, _with_placeholders("line", "schedule")]
    drawer: ProfileText
    need_by_date: ProfileText
    ship_to_location: ProfileText


class DistributionDrawer(_Section):
    """A distribution row's edit drawer on the Distributions tab."""

    edit_button: Annotated[ProfileText, _with_placeholders("line", "schedule", "distribution")]
    drawer: ProfileText
    charge_account: ProfileText
    deliver_to_location: ProfileText
    requester: ProfileText


class PurchaseOrders(_Section):
    orders: OrdersArea
    create: CreateOrderDrawer
    order: OrderPage
    line: LineDrawer
    schedule: ScheduleDrawer
    distribution: DistributionDrawer


class WarningPolicy(_Section):
    """Oracle's Yes/No warnings (a funds check that passed with warnings): which to answer Yes.

    A warning whose text matches one of ``accept`` is answered Yes and the action goes on; any
    other is answered No and the request is refused with the warning's text, for a buyer to
    decide. The council's policy, not the code's: the default accepts none.
    """

    accept: list[ProfilePattern]


# --- suppliers -------------------------------------------------------------------------------


class SuppliersArea(WorkArea):
    """The suppliers work area: search, results, and the Create Supplier drawer."""

    heading: ProfileText
    search_field: ProfileText
    search_button: ProfileText
    results_grid: ProfileText
    create_button: ProfileText
    create_drawer: ProfileText
    create_drawer_button: ProfileText


class SupplierPage(_Section):
    """One supplier's page and its tabs."""

    path: Annotated[Path_, _with_placeholders("supplier_id")]
    heading_pattern: Annotated[ProfilePattern, _with_groups("name")]
    profile_tab: ProfileText
    addresses_tab: ProfileText
    sites_tab: ProfileText
    contacts_tab: ProfileText
    edit_button: ProfileText
    save_button: ProfileText
    # The button on a table row that edits it, ``{name}`` being the row's name.
    row_edit_button: Annotated[ProfileText, _with_placeholders("name")]


class SupplierProfileFields(_Section):
    """The profile fields, on the Create Supplier drawer and the profile tab alike."""

    supplier: ProfileText
    supplier_number: ProfileText
    status: ProfileText
    tax_organization_type: ProfileText
    supplier_type: ProfileText
    business_relationship: ProfileText
    tax_country: ProfileText
    taxpayer_id: ProfileText
    duns_number: ProfileText
    inactive_date: ProfileText


class AddressDrawer(_Section):
    grid: ProfileText
    create_button: ProfileText
    drawer: ProfileText
    address_name: ProfileText
    country: ProfileText
    line1: ProfileText
    line2: ProfileText
    city: ProfileText
    county: ProfileText
    postal_code: ProfileText
    ordering: ProfileText
    remit_to: ProfileText
    rfq: ProfileText


class SiteDrawer(_Section):
    grid: ProfileText
    create_button: ProfileText
    drawer: ProfileText
    procurement_bu: ProfileText
    site: ProfileText
    address_name: ProfileText
    client_bu: ProfileText
    bill_to_bu: ProfileText
    # A checkbox per purpose, keyed by the purpose's name in the supplier file.
    purchasing: ProfileText
    pay: ProfileText
    primary_pay: ProfileText
    sourcing_only: ProfileText
    procurement_card: ProfileText
    assignments_list: ProfileText
    assignment_pattern: Annotated[ProfilePattern, _with_groups("client_bu", "bill_to_bu")]


class ContactDrawer(_Section):
    grid: ProfileText
    create_button: ProfileText
    drawer: ProfileText
    first_name: ProfileText
    last_name: ProfileText
    email: ProfileText
    phone: ProfileText


class Suppliers(_Section):
    search: SuppliersArea
    page: SupplierPage
    profile: SupplierProfileFields
    address: AddressDrawer
    site: SiteDrawer
    contact: ContactDrawer


# --- the profile ---------------------------------------------------------------------------


class UiProfile(_Section):
    """One pod's pages, as the page objects find them (see the module's docstring)."""

    name: str = ""  # the file's name without .toml; set by the loader
    # Only Redwood (Oracle JET) page objects exist; a classic ADF family would add its own.
    family: Literal["redwood"]
    # How a date is typed into a date field and read back (the service account's preference).
    date_format: str
    sign_in: SignIn
    home: Home
    messages: Messages
    warnings: WarningPolicy
    po: PurchaseOrders
    suppliers: Suppliers
    # An option's text per list, where it is not the bare value: ``{value}`` is the value asked
    # for, ``{code}`` any one word (a number, a code). Keyed by the list's field key.
    option_text: dict[str, str] = {}

    def option_matcher(self, field: ProfileText, value: str) -> re.Pattern[str]:
        """The option text that is ``value`` in the list labelled by ``field``, case and spacing
        aside."""
        template = self.option_text.get(field.key, "{value}")
        regex = "".join(
            _spaced(value) if part == "{value}" else r"\S+" if part == "{code}" else _spaced(part)
            for part in re.split(r"(\{value\}|\{code\})", template)
        )
        return re.compile(rf"^\s*{regex}\s*$", re.I)

    def texts(self) -> Iterator[tuple[str, ProfileText | ProfilePattern]]:
        """Every text and pattern in the profile, with its key (lists item by item)."""
        yield from _walk(self, "")


def _spaced(text: str) -> str:
    """``text`` as a regular expression in which any run of spaces matches any run of spaces."""
    return "".join(
        r"\s+" if token.isspace() else re.escape(token)
        for token in re.split(r"(\s+)", text)
        if token
    )


def _walk(node: BaseModel, prefix: str) -> Iterator[tuple[str, ProfileText | ProfilePattern]]:
    for name in type(node).model_fields:
        value = getattr(node, name)
        key = f"{prefix}{name}"
        if isinstance(value, BaseModel):
            yield from _walk(value, key + ".")
        elif isinstance(value, ProfileText | ProfilePattern):
            yield key, value
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, ProfileText | ProfilePattern):
                    yield key, item


def _stamp_keys(profile: UiProfile) -> None:
    """Give every text and pattern the key it was read from (for messages and the census)."""
    for key, value in profile.texts():
        value.key = key


def _deep_merge(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def profile_path(name_or_path: str) -> Path:
    """The file of a profile: a shipped name (``redwood``) or a path to a ``.toml`` file."""
    if name_or_path.endswith(".toml") or "/" in name_or_path:
        return Path(name_or_path).expanduser()
    return PROFILES_DIR / f"{name_or_path}.toml"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        shipped = ", ".join(sorted(p.stem for p in PROFILES_DIR.glob("*.toml")))
        raise UiProfileError(f"UI profile {path} not found (shipped profiles: {shipped})") from None
    except tomllib.TOMLDecodeError as exc:
        raise UiProfileError(f"UI profile {path} is not valid TOML: {exc}") from None


def _resolved(path: Path, depth: int = 0) -> dict[str, Any]:
    """The profile's keys with those of the profiles it extends underneath."""
    data = _read_toml(path)
    base_name = data.pop("extends", None)
    if base_name is None:
        return data
    if depth >= _MAX_EXTENDS:
        raise UiProfileError(f"UI profile {path}: 'extends' chains more than {_MAX_EXTENDS} deep")
    base = str(base_name)
    base_path = profile_path(base)
    if (base.endswith(".toml") or "/" in base) and not base_path.is_absolute():
        base_path = path.parent / base_path  # a file beside this one, not the working directory
    return _deep_merge(_resolved(base_path, depth + 1), data)


def _problems(error: ValidationError) -> list[str]:
    lines = []
    for problem in error.errors():
        key = ".".join(str(part) for part in problem["loc"])
        if problem["type"] == "missing":
            lines.append(f"{key}: missing")
        elif problem["type"] == "extra_forbidden":
            lines.append(f"{key}: unknown key")
        else:
            lines.append(f"{key}: {problem['msg'].removeprefix('Value error, ')}")
    return lines


def load_ui_profile(name_or_path: str = DEFAULT_PROFILE) -> UiProfile:
    """Load and check a profile; :class:`UiProfileError` names each key that is wrong."""
    path = profile_path(name_or_path)
    data = _resolved(path)
    try:
        profile = UiProfile.model_validate({**data, "name": path.stem})
    except ValidationError as exc:
        problems = "; ".join(_problems(exc))
        raise UiProfileError(f"UI profile {path} is not usable: {problems}") from None
    unknown_lists = sorted(set(profile.option_text) - {key for key, _ in profile.texts()})
    if unknown_lists:
        raise UiProfileError(
            f"UI profile {path} is not usable: option_text names no field: "
            + ", ".join(unknown_lists)
        )
    for key, template in profile.option_text.items():
        if "{value}" not in template:
            raise UiProfileError(
                f"UI profile {path} is not usable: option_text.{key}: "
                "needs the placeholder {value}"
            )
    _stamp_keys(profile)
    return profile


@lru_cache(maxsize=16)
def cached_ui_profile(name_or_path: str) -> UiProfile:
    """:func:`load_ui_profile`, once per process for each name (profiles do not change mid-run)."""
    return load_ui_profile(name_or_path)
