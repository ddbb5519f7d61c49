"""Rows for the dashboard-chart and report tests: completed checks, supervised meetings,
notices in each state and workflow events at chosen times (test data, set directly)."""

from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.inspections import operations as plans
from portal.inspections import results
from portal.models import (
    Bureau,
    CheckItem,
    CheckStatus,
    Enterprise,
    FilingEvent,
    Meeting,
    NoticeStatus,
    Role,
    SupervisionStatus,
    TargetKind,
    User,
    Verdict,
)
from portal.supervision import operations as supervision_ops

from ..factories import make_notice, make_user
from ..meetings.helpers import make_meeting


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def items() -> dict[str, CheckItem]:
    """The check-item catalogue by code (load_check_items first)."""
    return {i.code: i for i in db.session.scalars(select(CheckItem))}


def inspectors(bureau: Bureau, count: int = 2) -> list[User]:
    """*count* active inspectors of *bureau* (made when missing), for a draw."""
    have = list(db.session.scalars(select(User).where(User.bureau_id == bureau.id,
                                                      User.role == Role.INSPECTOR)))
    while len(have) < count:
        have.append(make_user(Role.INSPECTOR, bureau=bureau))
    return have


def completed_check(bureau: Bureau, regulator: User, verdicts: dict[str, Verdict],
                    completed_at, published_at=None, drawn_at=None):
    """A drawn check of *bureau* with *verdicts* (item code → verdict), completed at
    *completed_at* (None: left assigned, nothing recorded) and published at *published_at*."""
    catalogue = items()
    inspectors(bureau)
    plan = plans.create_plan(bureau, plans.PlanFields(
        name="测试抽查", target_kind=TargetKind.ENTERPRISE, region_code=bureau.region_code,
        sample_count=1, sample_ratio=None, per_target=2, window_start=date(2026, 1, 1),
        window_end=date(2026, 12, 31), item_ids=[catalogue[c].id for c in verdicts]), regulator)
    [check] = plans.draw_plan(plan, regulator)
    if drawn_at is not None:
        plan.drawn_at = drawn_at
    if completed_at is not None:
        entries = {catalogue[code].id: results.Entry(verdict, "测试" if verdict is Verdict.FAIL
                                                      else "")
                   for code, verdict in verdicts.items()}
        results.record(check, entries, check.inspectors[0], results.state_token(check),
                       complete=True)
        check.completed_at = completed_at
    if published_at is not None:
        check.status, check.published_at = CheckStatus.PUBLISHED, published_at
    db.session.flush()
    return check


def supervised_meeting(enterprise: Enterprise, staff: User, regulator: User, *, done=True,
                       marked_at=None, completed_at=None, **meeting):
    """A submitted meeting of *enterprise*, marked for supervision (and done when *done*)."""
    from portal.rules.workflow import Status

    filed = make_meeting(enterprise, staff, regulator, status=Status.SUBMITTED, **meeting)
    supervision = supervision_ops.mark(db.session.get(Meeting, filed.filing_id), [regulator.id],
                                       None, regulator)
    if marked_at is not None:
        supervision.marked_at = marked_at
    if done:
        supervision.status = SupervisionStatus.DONE
        supervision.completed_at = completed_at or supervision.marked_at
    db.session.flush()
    return supervision


def notice_in(bureau, enterprise, regulator, status: NoticeStatus, *, deadline=None,
              issued_at=None, closed_at=None, escalated_at=None):
    """A notice of *bureau* moved straight to *status* (with the given dates)."""
    notice = make_notice(bureau, enterprise, regulator)
    notice.status = status
    if deadline is not None:
        notice.deadline = deadline
    if issued_at is not None:
        notice.issued_at = issued_at
    if closed_at is not None:
        notice.closed_at = closed_at
    if escalated_at is not None:
        notice.escalated_at = escalated_at
    db.session.flush()
    return notice


def event(filing_id: int, action: str, at, actor: User) -> FilingEvent:
    """A workflow event on a filing at *at* (the filing's state is left as it is)."""
    row = FilingEvent(filing_id=filing_id, action=action, from_status="submitted",
                      to_status="approved", revision=0, actor_id=actor.id,
                      actor_name=actor.username, created_at=at)
    db.session.add(row)
    db.session.flush()
    return row
