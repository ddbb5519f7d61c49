"""Rules of on-site supervision (现场监督) of training meetings: pure functions, no Flask.

Each function returns error codes (messages live in ``portal/supervision/labels.py``).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .workflow import Status

# A meeting is supervised while it is under review or approved, never a draft or a closed one.
MARKABLE_STATUSES = frozenset({Status.SUBMITTED, Status.APPROVED})
STAFF_ROLES = frozenset({"regulator", "inspector"})
# Observations may be noted from this long before the start (arriving early to check the venue).
EARLY_ARRIVAL = timedelta(hours=12)


def marking_problems(status: Status, ends_at: datetime, now: datetime,
                     has_planned: bool) -> list[str]:
    """Why a meeting may not be marked for supervision now (empty: it may)."""
    problems = []
    if status not in MARKABLE_STATUSES:
        problems.append("meeting_status")
    if ends_at <= now:
        problems.append("meeting_over")
    if has_planned:
        problems.append("already_planned")
    return problems


@dataclass(frozen=True)
class StaffMember:
    """What the staff rule needs to know of a user."""

    id: int
    role: str
    bureau_id: int | None
    is_active: bool


def staff_problems(chosen_ids: Iterable[int], candidates: Iterable[StaffMember],
                   bureau_id: int) -> list[str]:
    """At least one person, each an active regulator or inspector of *bureau_id*."""
    chosen = set(chosen_ids)
    if not chosen:
        return ["staff_required"]
    allowed = {c.id for c in candidates
               if c.bureau_id == bureau_id and c.role in STAFF_ROLES and c.is_active}
    return [] if chosen <= allowed else ["staff_not_allowed"]


@dataclass(frozen=True)
class Record:
    """The observations of a supervision as entered."""

    observed_at: datetime | None
    headcount_seen: int | None
    is_fee_charged: bool | None
    is_venue_as_filed: bool | None
    are_trainers_as_filed: bool | None
    banned_content: str | None
    conclusion: str | None


def record_problems(record: Record, starts_at: datetime, now: datetime,
                    complete: bool) -> list[tuple[str, str]]:
    """(field, code) pairs wrong with *record*; completing needs every answer.

    A record that found a fee, another venue, other trainers or banned content cannot
    conclude "compliant".
    """
    problems = []
    if record.observed_at is not None:
        if record.observed_at > now + timedelta(minutes=5):
            problems.append(("observed_at", "observed_in_future"))
        elif record.observed_at < starts_at - EARLY_ARRIVAL:
            problems.append(("observed_at", "observed_before_meeting"))
    if complete:
        required = ("observed_at", "headcount_seen", "is_fee_charged", "is_venue_as_filed",
                    "are_trainers_as_filed", "conclusion")
        problems += [(name, "answer_required") for name in required
                     if getattr(record, name) is None]
    found = (record.is_fee_charged is True or record.is_venue_as_filed is False
             or record.are_trainers_as_filed is False
             or bool((record.banned_content or "").strip()))
    if record.conclusion == "compliant" and found:
        problems.append(("conclusion", "compliant_with_findings"))
    return problems
