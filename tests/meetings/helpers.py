"""Builders for the meeting tests: trainers, meetings in a given state, approved outlets."""

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from portal.extensions import db
from portal.filings import operations as filing_ops
from portal.meetings import operations as meeting_ops
from portal.models import Degree, Filing, FilingKind, MeetingKind, Trainer, User, utcnow
from portal.rules.meetings import CHINA
from portal.rules.premises import Premises
from portal.rules.workflow import Action, Side, Status

_seq = itertools.count(1)

# The steps that lead from a new draft to each state.
PATHS = {
    Status.DRAFT: [],
    Status.SUBMITTED: [Action.SUBMIT],
    Status.APPROVED: [Action.SUBMIT, Action.APPROVE],
    Status.RETURNED: [Action.SUBMIT, Action.RETURN],
    Status.REJECTED: [Action.SUBMIT, Action.REJECT],
    Status.WITHDRAWN: [Action.SUBMIT, Action.APPROVE, Action.WITHDRAW],
}
BUREAU_ACTIONS = {Action.APPROVE, Action.RETURN, Action.REJECT}


def user(username: str) -> User:
    return db.session.scalar(db.select(User).where(User.username == username))


def walk(filing: Filing, status: Status, actor, regulator) -> None:
    """Take *filing* from draft to *status* without rule checks."""
    for action in PATHS[status]:
        side = Side.BUREAU if action in BUREAU_ACTIONS else Side.ENTERPRISE
        filing_ops.apply(filing, action, regulator if side is Side.BUREAU else actor, side,
                         reasons=["理由"] if action in (Action.RETURN, Action.REJECT) else ())


def make_trainer(enterprise, actor, regulator, name=None, status=Status.APPROVED) -> Trainer:
    """A trainer filing of *enterprise* in *status*."""
    name = name or f"培训员{next(_seq)}"
    filing = filing_ops.create(FilingKind.TRAINER, enterprise, enterprise.region_code, name,
                               actor)
    trainer = Trainer(filing=filing, name=name, id_number="140502199001011234",
                      employment_start=date(2020, 1, 1), degree=Degree.BACHELOR,
                      certificate_no="PX-001", is_formal_employee=True,
                      has_criminal_record=False, is_mainland_resident=True)
    db.session.add(trainer)
    db.session.flush()
    walk(filing, status, actor, regulator)
    return trainer


def approve(filing_id: int, regulator) -> None:
    filing_ops.apply(db.session.get(Filing, filing_id), Action.APPROVE, regulator, Side.BUREAU)


def china(year, month, day, hour=9, minute=0) -> datetime:
    """An aware datetime given in China Standard Time."""
    return datetime(year, month, day, hour, minute, tzinfo=CHINA)


def meeting_fields(region_code="140502", starts_at=None, **changes) -> dict:
    starts_at = starts_at or (utcnow() + timedelta(days=30)).astimezone(UTC)
    data = {
        "kind": MeetingKind.BUSINESS_TRAINING,
        "title": f"直销法规培训{next(_seq)}",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=3),
        "venue_premises_type": Premises.HOTEL,
        "venue_name": "晋城宾馆会议室",
        "venue_address": "晋城市城区泽州路1号",
        "region_code": region_code,
        "expected_attendance": 50,
        "audience": "本企业直销员",
        "fee": Decimal("0"),
        "contact_name": "王芳",
        "contact_phone": "13800001111",
    }
    data.update(changes)
    return data


def make_meeting(enterprise, actor, regulator, trainers=(), status=Status.DRAFT,
                 sessions=(), materials=(), **changes):
    """A meeting of *enterprise* in *status* (rules are not checked on the way)."""
    meeting = meeting_ops.create(
        enterprise, meeting_fields(**changes),
        list(sessions) or [{"topic": "直销管理条例解读", "speaker": "张老师", "minutes": 60}],
        [t.filing_id for t in trainers], list(materials), actor,
    )
    walk(meeting.filing, status, actor, regulator)
    return meeting
