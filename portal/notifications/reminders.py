"""Deadline reminders, made daily at 08:00 China time by the worker (or by cron via the CLI).

* regulators: training meetings starting within ``REMINDER_MEETING_DAYS`` still undecided;
* enterprises: filings returned ``REMINDER_RETURNED_DAYS`` or more days ago and not resubmitted;
* enterprises: approved meetings that ended (in the last 30 days) without attendance reported;
* enterprises: served rectification notices due within ``REMINDER_NOTICE_DAYS`` days;
* regulators: served notices whose deadline passed yesterday without a correction report.

A reminder is claimed in ``reminder_log`` (message, filing, China date) before it is sent, so
running twice on a day, or two workers at once, never sends the same reminder twice.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from ..database import dialect_insert
from ..extensions import db
from ..models import (
    Filing,
    FilingKind,
    Meeting,
    Notice,
    NoticeReminderLog,
    NoticeStatus,
    NotificationKind,
    ReminderLog,
    utcnow,
)
from ..notices.operations import tell as notice_tell
from ..rules.workflow import Status
from ..tasks import CHINA, background, daily_at
from .operations import enterprise_recipients, filing_params, notify, reviewing_regulators

ATTENDANCE_WINDOW = timedelta(days=30)


def _claim(message: str, filing_id: int, day) -> bool:
    """Record that *message* for the filing goes out on *day*; False if it already has."""
    stmt = dialect_insert(ReminderLog).values(
        message=message, filing_id=filing_id, sent_on=day, created_at=utcnow()
    ).on_conflict_do_nothing().returning(ReminderLog.filing_id)
    # RETURNING, not rowcount: the row comes back only when this call inserted it.
    return db.session.execute(stmt).scalar() is not None


def send_reminders(now=None) -> dict[str, int]:
    """Create today's reminders (each at most once a day); returns filings reminded per kind."""
    now = now or utcnow()
    today = now.astimezone(CHINA).date()
    config = current_app.config
    sent = {"meeting_undecided": 0, "returned_uncorrected": 0, "attendance_due": 0,
            "notice_due": 0, "notice_overdue": 0}

    soon = db.session.execute(
        select(Filing, Meeting).join(Meeting, Meeting.filing_id == Filing.id).where(
            Filing.status == Status.SUBMITTED, Meeting.starts_at > now,
            Meeting.starts_at <= now + timedelta(days=config["REMINDER_MEETING_DAYS"]),
        ).order_by(Meeting.starts_at)
    ).all()
    for filing, meeting in soon:
        if _claim("meeting_undecided", filing.id, today):
            params = {**filing_params(filing), "starts": meeting.starts_at.isoformat()}
            notify(reviewing_regulators(filing.region_code), NotificationKind.DEADLINE,
                   "meeting_undecided", params, filing)
            sent["meeting_undecided"] += 1

    returned = db.session.scalars(
        select(Filing).where(
            Filing.status == Status.RETURNED,
            Filing.decided_at <= now - timedelta(days=config["REMINDER_RETURNED_DAYS"]),
        ).order_by(Filing.decided_at)
    ).all()
    for filing in returned:
        if _claim("returned_uncorrected", filing.id, today):
            params = {**filing_params(filing), "days": (now - filing.decided_at).days}
            notify(enterprise_recipients(filing), NotificationKind.DEADLINE,
                   "returned_uncorrected", params, filing)
            sent["returned_uncorrected"] += 1

    ended = db.session.scalars(
        select(Filing).join(Meeting, Meeting.filing_id == Filing.id).where(
            Filing.kind == FilingKind.MEETING, Filing.status == Status.APPROVED,
            Meeting.ends_at <= now, Meeting.ends_at > now - ATTENDANCE_WINDOW,
            Meeting.actual_attendance.is_(None),
        ).order_by(Meeting.ends_at)
    ).all()
    for filing in ended:
        if _claim("attendance_due", filing.id, today):
            notify(enterprise_recipients(filing), NotificationKind.DEADLINE, "attendance_due",
                   filing_params(filing), filing)
            sent["attendance_due"] += 1

    due = db.session.scalars(select(Notice).where(
        Notice.status == NoticeStatus.SERVED, Notice.deadline >= today,
        Notice.deadline <= today + timedelta(days=config["REMINDER_NOTICE_DAYS"]),
    ).order_by(Notice.deadline, Notice.id)).all()
    for notice in due:
        if _claim_notice("notice_due", notice.id, today):
            notice_tell(notice, "enterprise", "notice_due", NotificationKind.DEADLINE)
            sent["notice_due"] += 1
    overdue = db.session.scalars(select(Notice).where(
        Notice.status == NoticeStatus.SERVED, Notice.deadline == today - timedelta(days=1),
    ).order_by(Notice.id)).all()
    for notice in overdue:
        if _claim_notice("notice_overdue", notice.id, today):
            notice_tell(notice, "bureau", "notice_overdue", NotificationKind.DEADLINE)
            sent["notice_overdue"] += 1
    db.session.flush()
    return sent


def _claim_notice(message: str, notice_id: int, day) -> bool:
    """:func:`_claim` for a rectification notice."""
    stmt = dialect_insert(NoticeReminderLog).values(
        message=message, notice_id=notice_id, sent_on=day, created_at=utcnow()
    ).on_conflict_do_nothing().returning(NoticeReminderLog.notice_id)
    return db.session.execute(stmt).scalar() is not None


@background("send_reminders", periodic=daily_at(8))
def send_reminders_task() -> None:
    """Periodic task (08:00 China time): today's reminders, committed."""
    send_reminders()
    db.session.commit()
