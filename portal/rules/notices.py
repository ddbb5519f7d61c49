"""Rectification notices (PROC Arts. 62, 81–82): numbers, provisions and deadlines. Pure.

Numbers: bureau abbreviation + 责改 + 〔year〕 + sequence + 号, e.g. 晋市监责改〔2026〕12号.
Deadlines: a date after the day of issue, or N Chinese working days counted from the day of
service (``rules.meetings.add_working_days``: weekends and holidays skipped, make-up working
days counted; a count that runs beyond the calendar package's years is an error, not a guess).
"""

from datetime import date

from flask_babel import lazy_gettext as _l

from .meetings import CalendarUnknownError, add_working_days

# The provisions a notice may cite: key -> (the article, the penalty it carries, RMB). From
# DOMAIN.md's penalty table; the escalation's case referral starts from these ranges.
PROVISIONS = {
    "DSR-39": (_l("Direct Selling Regulation, Article 39 (selling without approval or "
                  "outside the approved scope)"),
               _l("fine of 50,000–300,000 (serious: 300,000–500,000) and confiscation")),
    "DSR-41": (_l("Direct Selling Regulation, Article 41 (major change without approval)"),
               _l("fine of 30,000–300,000")),
    "DSR-44": (_l("Direct Selling Regulation, Article 44 (recruiting breaches)"),
               _l("fine of 30,000–100,000 (serious: 100,000–300,000 and revocation of the "
                  "licence)")),
    "DSR-45": (_l("Direct Selling Regulation, Article 45 (selling without a seller "
                  "certificate)"),
               _l("fine of up to 20,000 (serious: 20,000–200,000)")),
    "DSR-46": (_l("Direct Selling Regulation, Article 46 (training breaches)"),
               _l("enterprise: fine of 30,000–100,000 (serious: 100,000–300,000 and revocation); "
                  "lecturer: up to 50,000")),
    "DSR-47": (_l("Direct Selling Regulation, Article 47 (breaches at the point of sale)"),
               _l("seller: up to 50,000; enterprise: 10,000–100,000")),
    "DSR-49": (_l("Direct Selling Regulation, Article 49 (pay over 30 percent or return "
                  "rules broken)"),
               _l("fine of 50,000–300,000 (serious: 300,000–500,000 and revocation)")),
    "DSR-50": (_l("Direct Selling Regulation, Article 50 (failing to report or disclose)"),
               _l("order to correct and fine of up to 100,000 (serious: 100,000–300,000); "
                  "refusing to correct: revocation")),
    "DSR-51": (_l("Direct Selling Regulation, Article 51 (deposit not kept)"),
               _l("fine of up to 100,000; refusing to correct: 100,000–300,000 and revocation")),
    "PPS-24": (_l("Regulation on Prohibition of Pyramid Selling, Article 24 (pyramid selling)"),
               _l("organiser: 500,000–2,000,000 and confiscation; recruiter: 100,000–500,000; "
                  "participant: up to 2,000")),
}

# The provision a failed check item or a flag most likely breaches, by the item's legal basis
# (check items) or the flag's category; the regulator can change the choice.
BASIS_TO_PROVISION = {
    "DSR-10": "DSR-39", "DSR-15": "DSR-45", "DSR-19": "DSR-47", "DSR-24": "DSR-49",
    "DSR-25": "DSR-49", "DSR-25-1": "DSR-49", "DSR-25-2": "DSR-49", "DISC-5": "DSR-50",
    "PPS-7": "PPS-24", "OUT-2": "DSR-50", "OUT-3": "DSR-50", "TRAIN-3": "DSR-46",
    "TRAIN-4": "DSR-46", "TRAIN-5": "DSR-46", "TRAIN-7": "DSR-46", "TRAIN-8": "DSR-46",
    "TRAIN-9": "DSR-46", "TRAIN-10": "DSR-46",
}
# By the category of a filing's flag (review/flags.py).
FLAG_TO_PROVISION = {"entry_fee": "PPS-24", "pay_by_recruits": "PPS-24", "team_pay": "PPS-24",
                     "false_claims": "DSR-46", "other": "DSR-50"}
MAX_WORKING_DAYS = 60  # the longest period a notice may give, in working days


def number(short_name: str, year: int, sequence: int) -> str:
    """The notice number, e.g. ``晋市监责改〔2026〕12号``."""
    return f"{short_name}责改〔{year}〕{sequence}号"


def provisions_for(bases) -> list[str]:
    """The provisions suggested for these legal bases, in catalogue order, without repeats."""
    wanted = {BASIS_TO_PROVISION[b] for b in bases if b in BASIS_TO_PROVISION}
    return [key for key in PROVISIONS if key in wanted]


def deadline_problem(deadline: date | None, working_days: int | None,
                     issued_on: date) -> str | None:
    """Why this deadline cannot be set (a message code), or None.

    Exactly one of a date after the day of issue, or 1 to MAX_WORKING_DAYS working days.
    """
    if (deadline is None) == (working_days is None):
        return "deadline_one_of"
    if deadline is not None and deadline <= issued_on:
        return "deadline_not_after_issue"
    if working_days is not None and not 1 <= working_days <= MAX_WORKING_DAYS:
        return "working_days_out_of_range"
    return None


def deadline_from_service(served_on: date, working_days: int) -> date | None:
    """The deadline N working days after the day of service; None beyond the calendar."""
    try:
        return add_working_days(served_on, working_days)
    except CalendarUnknownError:
        return None
