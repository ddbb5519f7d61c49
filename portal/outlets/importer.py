"""Bulk import of service outlets: check every row of an uploaded file before any is kept.

No Flask request here. The view hands over the bytes; :func:`check_file` reads them
(:mod:`.tables`), resolves premises types and districts, checks lengths and phone numbers,
runs the outlet rules (:func:`portal.rules.outlets.check_outlet`) and looks for duplicates,
on every row. The view then imports all rows, or none and shows the problems.
"""

import re
from dataclasses import dataclass, field

from flask_babel import force_locale
from sqlalchemy import or_, select

from ..extensions import db
from ..filings.forms import PHONE_RE
from ..i18n import lazy_gettext as _l
from ..labels import PREMISES_LABELS, PROBLEM_MESSAGES
from ..models import Filing, FilingKind, Outlet, Region
from ..rules.outlets import check_outlet
from ..rules.premises import Premises
from ..rules.workflow import Status
from .tables import COLUMNS, LOCALES, MAX_LENGTHS, FileRefused, read_rows

__all__ = ["Checked", "FileRefused", "RowError", "check_file", "check_rows", "error_message"]

# Problems listed (and put in the report) at most; the count covers all of them.
MAX_REPORTED_ERRORS = 1000
MAX_VALUE_SHOWN = 200
# An outlet of the same name and district in one of these states counts as already registered.
LIVE_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.APPROVED)

ROW_MESSAGES = {
    "required": _l("This column must be filled in."),
    "too_long": _l("Longer than %(max)s characters."),
    "phone": _l("Enter a mobile number or a landline with its area code."),
    "premises_unknown": _l("Unknown type of premises. Use one of the types listed on the "
                           "import page, in Chinese, in English or as its code."),
    "district_unknown": _l("Unknown district. Enter its six-digit code or its name."),
    "district_not_district": _l("This code is a province or a city. Enter the code of a "
                                "district or county."),
    "district_ambiguous": _l("Several districts have this name: %(candidates)s. Add the city, "
                             "e.g. %(example)s, or enter the six-digit code."),
    "duplicate_in_file": _l("Row %(row)s already has an outlet of this name in this district."),
    "already_registered": _l("The enterprise already has an outlet of this name in this "
                             "district: %(number)s."),
}


@dataclass(frozen=True)
class RowError:
    """One problem in one cell: spreadsheet row, column key, the value, and why."""

    row: int
    column: str | None
    value: str
    code: str  # a key of ROW_MESSAGES, or of labels.PROBLEM_MESSAGES for rule findings
    basis: str | None = None  # a legal.BASIS key for rule findings
    params: dict = field(default_factory=dict)


@dataclass
class Checked:
    """The outcome of checking a file: every row typed, or the problems that stop the import."""

    rows: list[tuple[int, dict]]  # (row number, data for operations.create); empty on problems
    errors: list[RowError]  # the first MAX_REPORTED_ERRORS problems
    error_count: int  # every problem
    error_rows: int  # rows with at least one problem


def error_message(error: RowError) -> str:
    """The translated message of a row problem."""
    messages = ROW_MESSAGES if error.code in ROW_MESSAGES else PROBLEM_MESSAGES
    return str(messages[error.code]) % error.params


def match_key(text: str) -> str:
    """A name reduced for matching: case, spaces, punctuation, ``_`` and ``-`` dropped."""
    return re.sub(r"[\W_]", "", text.casefold())


def premises_aliases() -> dict[str, Premises]:
    """Every accepted spelling of a premises type (code, Chinese, English) -> the type."""
    aliases = {match_key(p.value): p for p in Premises}
    for locale in LOCALES:
        with force_locale(locale):
            aliases.update({match_key(str(label)): p for p, label in PREMISES_LABELS.items()})
    return aliases


def approved_codes(enterprise) -> list[str]:
    return [r.region_code for r in enterprise.approved_regions]


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


class Districts:
    """Districts by six-digit code anywhere, or by name within the enterprise's provinces.

    A name must be unique there: ``城区`` is a district of both Yangquan and Jincheng, so it
    needs its city (``晋城市城区``) or the code.
    """

    def __init__(self, enterprise, codes=()):
        home = approved_codes(enterprise) or [enterprise.region_code]
        provinces = sorted({code[:2] for code in home})
        nearby = db.session.scalars(
            select(Region).where(or_(*[Region.code.like(p + "%") for p in provinces]))
            .order_by(Region.code)
        ).all()
        self.regions = {r.code: r for r in nearby}
        self.districts = [r for r in nearby if r.level == 3]
        missing = sorted({c for c in codes if re.fullmatch(r"\d{6}", c)} - set(self.regions))
        if missing:
            for region in db.session.scalars(select(Region).where(Region.code.in_(missing))):
                self.regions[region.code] = region
        self.by_name: dict[str, set[str]] = {}
        for region in self.districts:
            for key in self._name_keys(region):
                self.by_name.setdefault(key, set()).add(region.code)

    def _chain(self, region) -> list:
        """The region and the divisions above it, province first."""
        chain = [region]
        while chain[0].parent_code and chain[0].parent_code in self.regions:
            chain.insert(0, self.regions[chain[0].parent_code])
        return chain

    def _name_keys(self, region) -> set[str]:
        chain = self._chain(region)
        keys = set()
        for names in ([r.name_zh for r in chain], [r.name_en for r in chain]):
            for start in range(len(names)):
                keys.add(match_key("".join(names[start:])))  # 城区, 晋城市城区, 山西省晋城市城区
            keys.add(match_key(names[0] + names[-1]))  # province and district
        if len(chain) > 1:  # 晋城城区: the city without 市
            keys.add(match_key(chain[-2].name_zh.removesuffix("市") + chain[-1].name_zh))
        return keys

    def full_name(self, code: str, chinese: bool = True) -> str:
        """City and district, e.g. 晋城市城区 or ``Jincheng Chengqu``."""
        chain = self._chain(self.regions[code])[-2:]
        if chinese:
            return "".join(r.name_zh for r in chain)
        return " ".join(r.name_en for r in chain)

    def resolve(self, text: str) -> tuple[str | None, str | None, dict]:
        """(code, None, {}) for a known district, else (None, problem code, message params)."""
        if re.fullmatch(r"\d{6}", text):
            region = self.regions.get(text)
            if region is None:
                return None, "district_unknown", {}
            if region.level != 3:
                return None, "district_not_district", {}
            return text, None, {}
        codes = sorted(self.by_name.get(match_key(text), ()))
        if len(codes) == 1:
            return codes[0], None, {}
        if not codes:
            return None, "district_unknown", {}
        chinese = _has_cjk(text)
        names = [f"{self.full_name(code, chinese)} {code}" for code in codes]
        return None, "district_ambiguous", {
            "candidates": ("、" if chinese else ", ").join(names),
            "example": self.full_name(codes[-1], chinese),
        }


def _existing_outlets(enterprise) -> dict[tuple[str, str], str]:
    """(name key, district) -> filing number, for the enterprise's live outlets."""
    rows = db.session.execute(
        select(Outlet.name, Outlet.region_code, Filing.number)
        .join(Filing, Filing.id == Outlet.filing_id)
        .where(Filing.enterprise_id == enterprise.id, Filing.kind == FilingKind.OUTLET,
               Filing.status.in_(LIVE_STATUSES))
    ).all()
    return {(match_key(name), code): number for name, code, number in rows}


class _Problems:
    """Gathers problems, keeping the first MAX_REPORTED_ERRORS and counting all."""

    def __init__(self):
        self.errors: list[RowError] = []
        self.count = 0
        self.rows: set[int] = set()

    def add(self, row, column, value, code, basis=None, /, **params):
        self.count += 1
        self.rows.add(row)
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(row, column, value[:MAX_VALUE_SHOWN], code, basis,
                                        params))


def _fits(values: dict, key: str) -> bool:
    return bool(values[key]) and len(values[key]) <= MAX_LENGTHS[key]


def check_rows(rows, enterprise) -> Checked:
    """Check every row: filled in, lengths, premises, district, phone, rules, duplicates.

    Returns the rows typed for :func:`portal.outlets.operations.create` when there is no
    problem at all; otherwise the problems, row by row, and no rows.
    """
    aliases = premises_aliases()
    districts = Districts(enterprise, {values["region_code"] for _n, values in rows})
    approved = approved_codes(enterprise)
    existing = _existing_outlets(enterprise)
    seen: dict[tuple[str, str], int] = {}
    problems = _Problems()
    typed = []
    for number, values in rows:
        before = problems.count
        for column in COLUMNS:
            value = values[column.key]
            if not value:
                problems.add(number, column.key, value, "required")
            elif len(value) > column.max_length:
                problems.add(number, column.key, value, "too_long", max=column.max_length)
        premises = code = None
        if _fits(values, "premises_type"):
            premises = aliases.get(match_key(values["premises_type"]))
            if premises is None:
                problems.add(number, "premises_type", values["premises_type"],
                             "premises_unknown")
        if _fits(values, "region_code"):
            code, problem, params = districts.resolve(values["region_code"])
            if problem:
                problems.add(number, "region_code", values["region_code"], problem, **params)
        phone = re.sub(r"\s", "", values["phone"])
        if _fits(values, "phone") and not PHONE_RE.match(phone):
            problems.add(number, "phone", values["phone"], "phone")
        if premises is not None:
            # Without a district only the premises rule can be judged; the region one cannot.
            for finding in check_outlet(premises, code or "", approved):
                if finding.is_error and (code is not None or finding.field == "premises_type"):
                    problems.add(number, finding.field, values[finding.field], finding.code,
                                 finding.basis, **finding.params)
        if code is not None and _fits(values, "name"):
            key = (match_key(values["name"]), code)
            if key in seen:
                problems.add(number, "name", values["name"], "duplicate_in_file",
                             row=seen[key])
            else:
                seen[key] = number
            if key in existing:
                problems.add(number, "name", values["name"], "already_registered",
                             number=existing[key])
        if problems.count == before:
            typed.append((number, {**values, "premises_type": premises, "region_code": code,
                                   "phone": phone}))
    return Checked([] if problems.count else typed, problems.errors, problems.count,
                   len(problems.rows))


def check_file(data: bytes, enterprise, max_rows: int) -> Checked:
    """Read and check an uploaded outlet list for *enterprise*.

    :raise FileRefused: the file as a whole cannot be imported (type, layout, row count).
    """
    return check_rows(read_rows(data, max_rows), enterprise)
