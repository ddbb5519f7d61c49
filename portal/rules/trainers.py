"""Trainer rules (直销培训员): who may train direct sellers, and their ID numbers.

《直销管理条例》第十九条 (DSR Art. 19): a trainer is a formal employee of the enterprise who has
worked there for at least one year, holds a bachelor's degree or higher, has no record of
criminal punishment for an intentional crime, and is not from outside the mainland.
《直销员业务培训管理办法》第四条 (TRAIN Art. 4): the enterprise issues the trainer certificate
only to people meeting those conditions, and files them before they train anyone.
"""

from datetime import date

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

from ..models.filings import Degree
from .problems import Problem, Severity

# Degrees that satisfy "高等教育本科以上学历".
ELIGIBLE_DEGREES = frozenset({Degree.BACHELOR, Degree.MASTER, Degree.DOCTORATE})
# Residence permits of Hong Kong, Macao and Taiwan residents share the ID number's format.
OUTSIDE_MAINLAND_PREFIXES = frozenset({"81", "82", "83"})


def add_years(day: date, years: int) -> date:
    """*day* moved by *years*; 29 February becomes 28 February in a common year.

    This is how the Civil Code counts periods in years (民法典第二百零三条: with no
    corresponding day, the period ends on the last day of that month).
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def eligible_from(employment_start: date, years: int = 1) -> date:
    """The first day on which someone employed since *employment_start* has served *years*."""
    return add_years(employment_start, years)


def check_trainer(
    *,
    employment_start: date,
    degree: Degree,
    is_formal_employee: bool,
    has_criminal_record: bool,
    is_mainland_resident: bool,
    id_number: str = "",
    certificate_no: str | None = None,
    on: date,
    min_years: int = 1,
) -> list[Problem]:
    """Problems of a trainer filed (or amended) on the day *on*, per DSR Art. 19."""
    problems = []
    if not is_formal_employee:
        problems.append(Problem("trainer_not_formal_employee", "DSR-19", "is_formal_employee"))
    ready_on = eligible_from(employment_start, min_years)
    if on < ready_on:
        problems.append(Problem("trainer_service_too_short", "DSR-19", "employment_start",
                                params={"years": min_years, "date": ready_on.isoformat()}))
    if degree not in ELIGIBLE_DEGREES:
        problems.append(Problem("trainer_degree_too_low", "DSR-19", "degree"))
    if has_criminal_record:
        problems.append(Problem("trainer_criminal_record", "DSR-19", "has_criminal_record"))
    if not is_mainland_resident or id_number[:2] in OUTSIDE_MAINLAND_PREFIXES:
        problems.append(Problem("trainer_not_mainland_resident", "DSR-19",
                                "is_mainland_resident"))
    if not (certificate_no or "").strip():
        problems.append(Problem("trainer_certificate_missing", "TRAIN-4", "certificate_no",
                                severity=Severity.WARNING))
    return problems


def id_number_error(number: str, today: date) -> str | None:
    """Why *number* is not a usable resident ID number (a code), or None when it is.

    Checks length and digits, the check digit (GB 11643), the birth date (a real day, not in
    the future) and, for mainland numbers, that the region code is a known division. Unlike
    ``ric.validate`` it does not require the division to have existed in the birth year: the
    code is the place of registration when the number was issued, often years after birth.
    Residence permits of Hong Kong, Macao and Taiwan residents (81/82/83…) pass here so that
    the eligibility rule can say why they cannot be trainers.
    """
    number = ric.compact(number or "")
    # isascii: str.isdigit() also accepts digits such as ² or ٣, which int() refuses.
    if len(number) != 18 or not number.isascii() or not number[:17].isdigit() or not (
        number[17].isdigit() or number[17] == "X"
    ):
        return "format"
    if number[17] != ric.calc_check_digit(number):
        return "checksum"
    try:
        born = ric.get_birth_date(number)
    except InvalidComponent:
        return "birth_date"
    if born > today or born.year < 1900:
        return "birth_date"
    if number[:2] in OUTSIDE_MAINLAND_PREFIXES:
        return None
    places = dict(part for _code, props in numdb.get("cn/loc").info(number[:6])
                  for part in props.items())
    if "county" not in places:
        return "region"
    return None


def birth_date(number: str) -> date | None:
    """The birth date in a valid ID number, or None."""
    try:
        return ric.get_birth_date(ric.compact(number or ""))
    except (InvalidComponent, ValueError):
        return None


def mask_id_number(number: str | None) -> str:
    """The ID number with its middle hidden: ``140502199003071234`` -> ``1405**********1234``."""
    number = number or ""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
