"""Every change to a supervision: mark, re-assign, cancel, record, complete. Views commit.

Each change is checked against ``rules/supervision.py``, written to the audit log and flushed.
Changes after the first carry the version the user saw; another version is a conflict (409).
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from .. import audit
from ..extensions import db
from ..models import Filing, Meeting, Role, Supervision, SupervisionStatus, User, utcnow
from ..rules import supervision as rules

MAX_NOTES = 4000
MAX_TEXT = 8000


class SupervisionError(Exception):
    """A change the rules refuse; ``codes`` name the reasons (``labels.MESSAGES``)."""

    def __init__(self, codes, fields=None):
        super().__init__(", ".join(codes))
        self.codes = list(codes)
        self.fields = fields or {}


class ConflictError(Exception):
    """The supervision changed since the user loaded it (someone else saved first)."""


def _check_version(supervision: Supervision, expected_version) -> None:
    text = str(expected_version)
    if not (text.isascii() and text.isdigit() and len(text) < 10) \
            or int(text) != supervision.version:
        raise ConflictError(supervision.id)


def _check_open(supervision: Supervision) -> None:
    if supervision.is_locked:
        raise SupervisionError(["locked"])


def assignable_staff(bureau_id: int) -> list[User]:
    """The active regulators and inspectors of *bureau_id*, by name."""
    return list(db.session.scalars(
        select(User).where(User.bureau_id == bureau_id,
                           User.role.in_([Role.REGULATOR, Role.INSPECTOR]),
                           User.is_active_account.is_(True))
        .order_by(User.role, User.display_name, User.id)
    ))


def _staff(bureau_id: int, staff_ids) -> list[User]:
    """The users *staff_ids*, checked against the staff rule.

    :raise SupervisionError: none chosen, or someone who is not the bureau's active staff.
    """
    ids = {int(i) for i in staff_ids}
    # An id no database column holds (a tampered form) is nobody: the rule says so below.
    known = {i for i in ids if 0 < i < 2**63}
    users = list(db.session.scalars(select(User).where(User.id.in_(known)))) if known else []
    candidates = [rules.StaffMember(u.id, u.role.value, u.bureau_id, u.is_active_account)
                  for u in users]
    problems = rules.staff_problems(ids, candidates, bureau_id)
    if problems:
        raise SupervisionError(problems, {"staff": problems})
    return sorted(users, key=lambda u: u.id)


def planned_for(meeting: Meeting, bureau_id: int) -> Supervision | None:
    """The bureau's planned supervision of *meeting*, if there is one."""
    return db.session.scalar(select(Supervision).where(
        Supervision.meeting_id == meeting.filing_id, Supervision.bureau_id == bureau_id,
        Supervision.status == SupervisionStatus.PLANNED))


def marking_problems(meeting: Meeting, bureau_id: int, now: datetime | None = None) -> list[str]:
    """Why *meeting* cannot be marked for supervision by *bureau_id* now (empty: it can)."""
    return rules.marking_problems(meeting.filing.status, meeting.ends_at, now or utcnow(),
                                  planned_for(meeting, bureau_id) is not None)


def mark(meeting: Meeting, staff_ids, notes: str | None, actor,
         now: datetime | None = None) -> Supervision:
    """Mark *meeting* for on-site supervision by *actor*'s bureau and assign the staff.

    The caller has checked that the meeting lies in the jurisdiction (a scoped lookup). The
    filing row is locked first, so two regulators marking at once make one supervision.

    :raise SupervisionError: the meeting is not markable now, or the staff rule fails.
    """
    db.session.execute(select(Filing.id).where(Filing.id == meeting.filing_id)
                       .with_for_update())
    problems = marking_problems(meeting, actor.bureau_id, now)
    if problems:
        raise SupervisionError(problems)
    staff = _staff(actor.bureau_id, staff_ids)
    supervision = Supervision(
        meeting=meeting, bureau_id=actor.bureau_id, status=SupervisionStatus.PLANNED,
        notes=(notes or "").strip()[:MAX_NOTES] or None, marked_by_id=actor.id,
        marked_at=now or utcnow(), staff=staff,
    )
    db.session.add(supervision)
    db.session.flush()
    audit.record("supervision.marked", supervision, actor=actor,
                 meeting=meeting.filing.number, staff=[u.username for u in staff])
    return supervision


def change_staff(supervision: Supervision, staff_ids, notes: str | None, actor,
                 expected_version) -> None:
    """Change who goes, and the notes for the team, while the supervision is planned.

    :raise ConflictError: *expected_version* is not the current one.
    :raise SupervisionError: closed, or the staff rule fails.
    """
    _check_version(supervision, expected_version)
    _check_open(supervision)
    staff = _staff(supervision.bureau_id, staff_ids)
    before = [u.username for u in supervision.staff]
    supervision.staff = staff
    supervision.notes = (notes or "").strip()[:MAX_NOTES] or None
    flag_modified(supervision, "notes")  # a new version even when only the staff changed
    db.session.flush()
    audit.record("supervision.staff_changed", supervision, actor=actor, before=before,
                 after=[u.username for u in staff])


def cancel(supervision: Supervision, reason: str | None, actor, expected_version,
           now: datetime | None = None) -> None:
    """Call a planned supervision off.

    :raise ConflictError: *expected_version* is not the current one.
    :raise SupervisionError: already done or cancelled.
    """
    _check_version(supervision, expected_version)
    _check_open(supervision)
    supervision.status = SupervisionStatus.CANCELLED
    supervision.cancelled_by_id = actor.id
    supervision.cancelled_at = now or utcnow()
    supervision.cancel_reason = (reason or "").strip()[:500] or None
    db.session.flush()
    audit.record("supervision.cancelled", supervision, actor=actor,
                 reason=supervision.cancel_reason)


RECORD_FIELDS = ("observed_at", "headcount_seen", "is_fee_charged", "is_venue_as_filed",
                 "are_trainers_as_filed", "banned_content", "conclusion", "observations")


def record(supervision: Supervision, data: dict, photos, actor, expected_version, *,
           complete: bool, now: datetime | None = None) -> None:
    """Save what was seen (and the photos); *complete* closes the record for good.

    *data* holds :data:`RECORD_FIELDS` (``conclusion`` as a ``Conclusion`` or None).

    :raise ConflictError: *expected_version* is not the current one.
    :raise SupervisionError: closed already, or the record breaks a rule (``fields`` says where).
    """
    _check_version(supervision, expected_version)
    _check_open(supervision)
    now = now or utcnow()
    conclusion = data.get("conclusion")
    entered = rules.Record(
        data.get("observed_at"), data.get("headcount_seen"), data.get("is_fee_charged"),
        data.get("is_venue_as_filed"), data.get("are_trainers_as_filed"),
        data.get("banned_content"), conclusion.value if conclusion is not None else None,
    )
    problems = rules.record_problems(entered, supervision.meeting.starts_at, now, complete)
    if problems:
        fields = {}
        for field, code in problems:
            fields.setdefault(field, []).append(code)
        raise SupervisionError([code for _f, code in problems], fields)
    for name in RECORD_FIELDS:
        value = data.get(name)
        if isinstance(value, str):
            value = value.strip()[:MAX_TEXT] or None
        setattr(supervision, name, value)
    added = [d for d in photos if d not in supervision.photos]
    removed = [d for d in supervision.photos if d not in photos]
    supervision.photos = list(photos)
    supervision.recorded_by_id = actor.id
    supervision.recorded_at = now
    if complete:
        supervision.status = SupervisionStatus.DONE
        supervision.completed_at = now
    db.session.flush()
    audit.record("supervision.completed" if complete else "supervision.recorded", supervision,
                 actor=actor, conclusion=entered.conclusion,
                 photos_added=[d.sha256 for d in added],
                 photos_removed=[d.sha256 for d in removed])
