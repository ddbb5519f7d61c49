"""Create, edit and check training meetings; report attendance; the calendar feed's token.

Each function flushes; the view commits.
"""

import secrets
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import contains_eager

from .. import audit
from ..extensions import db
from ..filings import operations as filings
from ..kept import per_catalogue
from ..models import (
    Bureau,
    Enterprise,
    Filing,
    FilingKind,
    FilingTally,
    Meeting,
    MeetingSession,
    Trainer,
    utcnow,
)
from ..rules import meetings as rules
from ..rules.workflow import EDITABLE, Action, Side, Status
from .claims import meeting_claim_problems

filings.register_detail(FilingKind.MEETING, Meeting)

FIELDS = ("kind", "title", "starts_at", "ends_at", "venue_premises_type", "venue_name",
          "venue_address", "region_code", "expected_attendance", "audience", "fee",
          "contact_name", "contact_phone")
# Meetings that appear in the enterprise's calendar feed.
FEED_STATUSES = (Status.SUBMITTED, Status.APPROVED)


# Both read for every rule check of a meeting (its filing page too): built once, so
# SQLAlchemy works out their cache keys once.
BUREAUS_OF_DISTRICT = select(Bureau).where(
    Bureau.region_code.in_([bindparam("district"), bindparam("city"), bindparam("province")]),
    Bureau.is_active.is_(True))
OUTLET_DISTRICTS = select(FilingTally.region_code).where(
    FilingTally.enterprise_id == bindparam("enterprise_id"),
    FilingTally.kind == FilingKind.OUTLET, FilingTally.status == Status.APPROVED,
    FilingTally.n > 0)


def bureau_for(region_code: str) -> Bureau | None:
    """The most local active bureau whose jurisdiction holds the district *region_code*."""
    bureaus = db.session.scalars(BUREAUS_OF_DISTRICT, {
        "district": region_code, "city": region_code[:4] + "00",
        "province": region_code[:2] + "0000"}).all()
    return max(bureaus, key=lambda b: len(b.jurisdiction_prefix), default=None)


def meeting_rules(region_code: str) -> tuple[rules.LeadTime, int | None]:
    """The lead time and attendance cap for a meeting in the district *region_code*: those
    of the most local active bureau (the defaults where there is none), kept by the process
    while the catalogue is unchanged (portal.kept.per_catalogue)."""
    def read():
        bureau = bureau_for(region_code)
        if bureau is None:
            return rules.LeadTime(), None
        return (rules.LeadTime(bureau.meeting_lead_days, bureau.meeting_lead_in_working_days),
                bureau.meeting_attendance_cap)

    return per_catalogue("meeting_rules", region_code, read)


def approved_outlet_districts(enterprise_id: int) -> frozenset[str]:
    """Districts where the enterprise has an approved service outlet: read from the running
    counts (an outlet's filing carries the outlet's district, filings/tally.py keeps the
    counts), a row per district instead of every approved outlet of the enterprise."""
    return frozenset(db.session.scalars(OUTLET_DISTRICTS, {"enterprise_id": enterprise_id}))


def trainers_of(enterprise_id: int) -> list[Trainer]:
    """The enterprise's trainer filings in every state, by name (choices of the form)."""
    return list(db.session.scalars(
        select(Trainer).join(Trainer.filing).options(contains_eager(Trainer.filing))
        .where(Filing.enterprise_id == enterprise_id)
        .order_by(Trainer.name, Trainer.filing_id)
    ))


# The trainers a meeting may name (see trainer_choices), built once: building the statement and
# its cache key took longer than the database took to run it. The kind, implied by the join,
# lets the database read the enterprise's trainer filings alone from an index instead of all
# its filings (10,000 on the benchmark's enterprise).
_TRAINER_CHOICES = (
    select(Trainer.filing_id, Trainer.name, Filing.status).join(Trainer.filing)
    .where(Filing.enterprise_id == bindparam("enterprise_id"),
           Filing.kind == FilingKind.TRAINER,
           Filing.status.not_in((Status.REJECTED, Status.WITHDRAWN)))
    .order_by(Trainer.name, Trainer.filing_id)
)


def trainer_choices(enterprise_id: int) -> list[tuple[int, str, Status]]:
    """(filing id, name, status) of the trainers a meeting may name, by name: every trainer
    filing of the enterprise but rejected and withdrawn ones, which can never train (TRAIN
    Art. 4). Plain rows read through the connection: the form lists a thousand of them on a
    large enterprise, and the ORM's handling of each row cost more than the query."""
    return db.session.connection().execute(
        _TRAINER_CHOICES, {"enterprise_id": enterprise_id}).all()


_TRAINERS_STAMP = select(
    select(func.coalesce(func.sum(FilingTally.n), 0))
    .where(FilingTally.enterprise_id == bindparam("enterprise_id"),
           FilingTally.kind == FilingKind.TRAINER).scalar_subquery(),
    select(func.max(Filing.updated_at))
    .where(Filing.enterprise_id == bindparam("enterprise_id")).scalar_subquery(),
)


def trainers_stamp(enterprise_id: int) -> tuple:
    """What changes whenever the trainers a meeting may name (trainer_choices) could have: how
    many trainer filings the enterprise has (its running counts, kept with every change of a
    filing) and when any of its filings last changed (a trainer's new name or status updates
    its filing, and with it ``updated_at``). Two index look-ups."""
    return tuple(db.session.connection().execute(
        _TRAINERS_STAMP, {"enterprise_id": enterprise_id}).one())


def facts(meeting: Meeting, at: datetime) -> rules.MeetingFacts:
    """The facts the submission rules need, as if *meeting* were filed at *at*."""
    lead, attendance_cap = meeting_rules(meeting.region_code)
    enterprise_id = meeting.filing.enterprise_id
    return rules.MeetingFacts(
        enterprise_id=enterprise_id,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        submitted_at=at,
        premises=meeting.venue_premises_type,
        region_code=meeting.region_code,
        fee=meeting.fee,
        expected_attendance=meeting.expected_attendance,
        trainers=tuple(
            rules.TrainerFacts(t.name, t.filing.enterprise_id, t.filing.status)
            for t in meeting.trainers
        ),
        outlet_districts=approved_outlet_districts(enterprise_id),
        lead=lead,
        attendance_cap=attendance_cap,
    )


def problems(meeting: Meeting, at: datetime | None = None) -> list:
    """Rule findings for *meeting*: errors that block filing it, and the claims warnings.

    The lead time counts from *at*; by default from now while the enterprise can still
    (re)submit, and from the time it was submitted once it has been.
    """
    filing = meeting.filing
    if at is None:
        editable = filing.status in EDITABLE or filing.submitted_at is None
        at = utcnow() if editable else filing.submitted_at
    return rules.check_meeting(facts(meeting, at)) + meeting_claim_problems(meeting)


def _set_contents(meeting: Meeting, data: dict, sessions, trainer_ids, materials) -> None:
    for key in FIELDS:
        setattr(meeting, key, data[key])
    # Replace the agenda in two steps: the unique (meeting, position) would see the new rows
    # before the old ones are deleted if both happened in one flush.
    if meeting.sessions:
        meeting.sessions = []
        db.session.flush()
    meeting.sessions = [
        MeetingSession(position=n, topic=s["topic"], speaker=s["speaker"], minutes=s["minutes"])
        for n, s in enumerate(sessions, 1)
    ]
    enterprise_id = meeting.filing.enterprise_id
    wanted = set(trainer_ids)
    meeting.trainers = [t for t in trainers_of(enterprise_id) if t.filing_id in wanted]
    meeting.materials = [d for d in materials if d.enterprise_id == enterprise_id]


def create(enterprise: Enterprise, data: dict, sessions, trainer_ids, materials, actor) -> Meeting:
    """A new draft meeting filing with the fields in *data*, its agenda, trainers and files."""
    filing = filings.create(FilingKind.MEETING, enterprise, data["region_code"], data["title"],
                            actor)
    meeting = Meeting(filing=filing, enterprise_id=enterprise.id)
    db.session.add(meeting)
    _set_contents(meeting, data, sessions, trainer_ids, materials)
    db.session.flush()
    return meeting


def update(meeting: Meeting, data: dict, sessions, trainer_ids, materials, actor,
           expected_version=None) -> None:
    """Change an editable meeting; an approved one is amended and goes back for review.

    :raise filings.ConflictError: someone changed the filing since the form was loaded.
    :raise filings.RuleViolation: an amendment that breaks a rule (the lead time counts
        from the amendment).
    """
    filing = meeting.filing
    if expected_version is not None and filings.is_stale(filing, expected_version):
        raise filings.ConflictError(filing)
    _set_contents(meeting, data, sessions, trainer_ids, materials)
    filing.title = meeting.title
    filing.region_code = meeting.region_code
    filing.updated_at = utcnow()  # a new version even when only the agenda changed
    db.session.flush()
    if filing.status is Status.APPROVED:
        filings.apply(filing, Action.AMEND, actor, Side.ENTERPRISE,
                      problems=problems(meeting, at=utcnow()))
    else:
        audit.record("filing.edited", filing, actor=actor, number=filing.number)


def attendance_problems(meeting: Meeting, now: datetime | None = None) -> list:
    """Why the enterprise may not report (or correct) the actual attendance now, if so."""
    return rules.attendance_report_problems(meeting.filing.status, meeting.ends_at,
                                            now or utcnow())


def report_attendance(meeting: Meeting, actual: int, actor) -> None:
    """Record how many people came to an approved meeting that has ended; audited.

    :raise filings.RuleViolation: the meeting is not approved or has not ended yet.
    """
    now = utcnow()
    found = attendance_problems(meeting, now)
    if found:
        raise filings.RuleViolation(found)
    previous = meeting.actual_attendance
    meeting.actual_attendance = actual
    meeting.attendance_reported_at = now
    db.session.flush()
    audit.record("meeting.attendance_reported", meeting.filing, actor=actor,
                 number=meeting.filing.number, actual=actual, previous=previous)


def meetings_in_feed(enterprise_id: int) -> list[Meeting]:
    """The enterprise's submitted and approved meetings, by start (for the calendar feed)."""
    return list(db.session.scalars(
        select(Meeting).join(Filing, Filing.id == Meeting.filing_id)
        .where(Filing.enterprise_id == enterprise_id, Filing.status.in_(FEED_STATUSES))
        .order_by(Meeting.starts_at, Meeting.filing_id)
    ))


def enterprise_by_token(token: str) -> Enterprise | None:
    """The enterprise whose calendar feed *token* opens, if any."""
    if not token:
        return None
    return db.session.scalar(select(Enterprise).where(Enterprise.ics_token == token))


def generate_calendar_token(enterprise: Enterprise, actor) -> str:
    """A new secret for the enterprise's calendar feed; the old URL stops working. Audited."""
    replaced = enterprise.ics_token is not None
    enterprise.ics_token = secrets.token_urlsafe(32)
    db.session.flush()
    # The token itself never goes into the audit log.
    audit.record("calendar.token_generated", enterprise, actor=actor, replaced=replaced)
    return enterprise.ics_token


def revoke_calendar_token(enterprise: Enterprise, actor) -> None:
    """Switch the enterprise's calendar feed off. Audited."""
    if enterprise.ics_token is None:
        return
    enterprise.ics_token = None
    db.session.flush()
    audit.record("calendar.token_revoked", enterprise, actor=actor)
