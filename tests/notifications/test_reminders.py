"""Deadline reminders: who gets which, and never the same one twice on a day."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from portal import tasks
from portal.extensions import db
from portal.filings import operations as filing_ops
from portal.models import Enterprise, Filing, Notification, NotificationKind, utcnow
from portal.notifications import operations
from portal.notifications.reminders import send_reminders
from portal.rules.workflow import Action, Side, Status

from ..factories import make_outlet
from ..meetings.helpers import make_meeting
from .conftest import notes_of, user


def reminders_of(name):
    return [n.message for n in notes_of(name) if n.kind is NotificationKind.DEADLINE]


def make_cases(world):
    """A's meetings and outlets in every situation a reminder looks at; returns their ids."""
    staff, regulator = user("ent-staff"), user("regulator")
    a = db.session.get(Enterprise, world.enterprise_a)
    now = utcnow()
    soon = make_meeting(a, staff, regulator, status=Status.SUBMITTED,
                        starts_at=now + timedelta(days=2))
    later = make_meeting(a, staff, regulator, status=Status.SUBMITTED,
                         starts_at=now + timedelta(days=5))
    ended = make_meeting(a, staff, regulator, status=Status.APPROVED,
                         starts_at=now - timedelta(days=1, hours=4))
    reported = make_meeting(a, staff, regulator, status=Status.APPROVED,
                            starts_at=now - timedelta(days=1, hours=4))
    reported.actual_attendance = 40
    old_return = make_outlet(a, staff, "140502")
    new_return = make_outlet(a, staff, "140502")
    for filing, days in ((old_return, 8), (new_return, 3)):
        filing_ops.apply(filing, Action.RETURN, regulator, Side.BUREAU, reasons=["x"])
        filing.decided_at = now - timedelta(days=days)
    db.session.commit()
    return {"soon": soon.filing_id, "later": later.filing_id, "ended": ended.filing_id,
            "old_return": old_return.id}


def test_each_reminder_reaches_its_side_only(app, world):
    with app.app_context():
        ids = make_cases(world)
        assert send_reminders() == {"meeting_undecided": 1, "returned_uncorrected": 1,
                                    "attendance_due": 1, "notice_due": 0, "notice_overdue": 0}
        db.session.commit()
        assert reminders_of("regulator") == ["meeting_undecided"]
        assert [n.filing_id for n in notes_of("regulator")
                if n.kind is NotificationKind.DEADLINE] == [ids["soon"]]
        for name in ("ent-staff", "ent-admin"):
            assert sorted(reminders_of(name)) == ["attendance_due", "returned_uncorrected"]
        returned = [n for n in notes_of("ent-admin") if n.message == "returned_uncorrected"]
        assert returned[0].filing_id == ids["old_return"] and returned[0].params["days"] == 8
        for name in ("regulator2", "ent2-admin", "ent2-staff", "inspector", "admin"):
            assert reminders_of(name) == []


def test_reminders_are_idempotent_per_day(app, world, with_emails, smtp):
    with app.app_context():
        make_cases(world)
        # E-mail only: with no in-app row, only the reminder log keeps her from a second mail.
        admin = user("ent-admin")
        operations.set_preferences(admin, {NotificationKind.DEADLINE: (False, True)}, admin)
        db.session.commit()
        smtp.clear()  # the submissions and decisions above were mailed too
        send_reminders()
        db.session.commit()
        rows = db.session.scalar(select(func.count(Notification.id)))
        mails = len(smtp)
        assert mails == 5  # regulator 1, staff 2, admin 2
        assert send_reminders() == dict.fromkeys(
            ["meeting_undecided", "returned_uncorrected", "attendance_due", "notice_due",
             "notice_overdue"], 0)
        db.session.commit()
        assert db.session.scalar(select(func.count(Notification.id))) == rows
        assert len(smtp) == mails
        # The next day (China time) they come again, for what is still open.
        tomorrow = utcnow() + timedelta(days=1)
        assert send_reminders(tomorrow)["returned_uncorrected"] == 1
        db.session.rollback()


def test_the_periodic_task_and_the_cli_run_the_same_reminders(app, world):
    with app.app_context():
        make_cases(world)
        db.session.commit()  # SQLite: release the write lock the ids' refresh began with
        # Immediate mode: the task runs now, in its own app context and session, and commits.
        tasks.enqueue("send_reminders")
        assert len(reminders_of("regulator")) == 1
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["notifications", "remind"])
    assert result.exit_code == 0, result.output
    assert "meeting_undecided: 0, returned_uncorrected: 0, attendance_due: 0" in result.output
    with app.app_context():
        assert len(reminders_of("regulator")) == 1


def test_the_cli_makes_reminders(app, world):
    with app.app_context():
        make_cases(world)
    result = app.test_cli_runner().invoke(args=["notifications", "remind"])
    assert result.exit_code == 0, result.output
    assert "meeting_undecided: 1, returned_uncorrected: 1, attendance_due: 1" in result.output


def test_the_periodic_task_runs_daily_at_eight_china_time(app):
    schedule = tasks.daily_at(8)
    assert schedule(datetime(2026, 11, 23, 0, 0))  # naive UTC, as Huey passes it
    assert not schedule(datetime(2026, 11, 23, 8, 0))
    huey = tasks.get_huey(app)
    periodic = [t.name for t in huey._registry.periodic_tasks]
    assert periodic == ["send_reminders"]


def test_decided_filings_and_past_meetings_are_left_alone(app, world):
    with app.app_context():
        staff, regulator = user("ent-staff"), user("regulator")
        a = db.session.get(Enterprise, world.enterprise_a)
        make_meeting(a, staff, regulator, status=Status.APPROVED,
                     starts_at=utcnow() + timedelta(days=1))
        make_meeting(a, staff, regulator, status=Status.APPROVED,
                     starts_at=datetime(2020, 1, 1, tzinfo=UTC))  # ended long ago
        db.session.commit()
        assert sum(send_reminders().values()) == 0
        db.session.rollback()
        assert db.session.get(Filing, world.filing_a).status is Status.SUBMITTED
