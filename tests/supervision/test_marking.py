"""Marking a meeting for supervision: jurisdiction, meeting state, staff of the same bureau."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Enterprise, Meeting, Supervision, SupervisionStatus, Trainer
from portal.rules import supervision as rules
from portal.rules.workflow import Status
from portal.supervision import operations

from ..meetings.helpers import make_meeting, user
from ..pages import input_value


def count(meeting_id) -> int:
    return db.session.scalar(select(func.count(Supervision.id))
                             .where(Supervision.meeting_id == meeting_id))


def test_a_regulator_marks_a_submitted_meeting_and_assigns_an_inspector(
        supervisions, as_user, meetings, world, app):
    client = as_user("regulator")
    page = client.get(f"/filings/{meetings.submitted}").get_data(as_text=True)
    assert "列入现场监督" in page
    response = client.post(f"/supervision/meetings/{meetings.submitted}/new",
                           data={"staff": [world.users["inspector"], world.users["regulator"]],
                                 "notes": "提前半小时到场"})
    assert response.status_code == 302
    with app.app_context():
        supervision = db.session.scalar(select(Supervision).where(
            Supervision.meeting_id == meetings.submitted))
        assert supervision.status is SupervisionStatus.PLANNED
        assert supervision.bureau_id == world.bureau1
        assert {u.username for u in supervision.staff} == {"inspector", "regulator"}
        assert supervision.notes == "提前半小时到场"
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "supervision.marked",
            AuditEvent.object_id == str(supervision.id))) is not None
    assert response.headers["Location"].endswith(f"/supervision/{supervision.id}")


def test_only_meetings_in_the_jurisdiction_can_be_marked(supervisions, as_user, meetings,
                                                         world, app):
    client = as_user("regulator")
    assert client.get(f"/supervision/meetings/{meetings.other}/new").status_code == 404
    assert client.post(f"/supervision/meetings/{meetings.other}/new",
                       data={"staff": [world.users["inspector"]]}).status_code == 404
    # Drafts are not the bureau's to see; an outlet is no meeting.
    assert client.get(f"/supervision/meetings/{meetings.draft}/new").status_code == 404
    assert client.get(f"/supervision/meetings/{world.filing_a}/new").status_code == 404
    with app.app_context():
        assert count(meetings.other) == 1  # bureau 2's own, nothing added


@pytest.mark.parametrize("status", [Status.RETURNED, Status.REJECTED, Status.WITHDRAWN])
def test_only_submitted_or_approved_meetings_can_be_marked(status, supervisions, as_user,
                                                           setting, world, app):
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        meeting = make_meeting(a, user("ent-staff"), user("regulator"),
                               [db.session.get(Trainer, setting.trainer)], status)
        db.session.commit()
        filing_id = meeting.filing_id
    client = as_user("regulator")
    response = client.post(f"/supervision/meetings/{filing_id}/new",
                           data={"staff": [world.users["inspector"]]}, follow_redirects=True)
    assert "只有已提交或已核准的会议才能列入现场监督" in response.get_data(as_text=True)
    with app.app_context():
        assert count(filing_id) == 0


def test_a_meeting_that_has_ended_or_is_planned_already_cannot_be_marked(
        supervisions, as_user, meetings, world, app):
    client = as_user("regulator")
    ended = client.post(f"/supervision/meetings/{meetings.past}/new",
                        data={"staff": [world.users["inspector"]]}, follow_redirects=True)
    assert "该会议已结束" in ended.get_data(as_text=True)
    again = client.post(f"/supervision/meetings/{meetings.upcoming}/new",
                        data={"staff": [world.users["inspector"]]}, follow_redirects=True)
    assert "该会议已安排现场监督" in again.get_data(as_text=True)
    with app.app_context():
        assert count(meetings.past) == 0 and count(meetings.upcoming) == 1


@pytest.mark.parametrize("staff_key", ["regulator2", "enterprise_staff", "admin", "none"])
def test_staff_must_be_regulators_or_inspectors_of_the_same_bureau(
        staff_key, supervisions, as_user, meetings, world, app):
    client = as_user("regulator")
    staff = [] if staff_key == "none" else [world.users[staff_key]]
    response = client.post(f"/supervision/meetings/{meetings.submitted}/new",
                           data={"staff": staff, "notes": "保留这段"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert ("请至少指派一名人员" if staff_key == "none"
            else "只能指派本局在岗的监管人员和执法检查人员") in page
    assert "保留这段" in page
    with app.app_context():
        assert count(meetings.submitted) == 0


def test_the_operation_refuses_staff_of_another_bureau_or_role(supervisions, meetings, world,
                                                               app):
    with app.app_context():
        meeting = db.session.get(Meeting, meetings.submitted)
        for staff in ([world.users["regulator2"]], [supervisions.inspector_b],
                      [world.users["enterprise_admin"]], []):
            with pytest.raises(operations.SupervisionError):
                operations.mark(meeting, staff, None, user("regulator"))
        supervision = operations.mark(meeting, [supervisions.inspector2], None,
                                      user("regulator"))
        assert [u.id for u in supervision.staff] == [supervisions.inspector2]
        db.session.rollback()


def test_the_marking_rules():
    from datetime import UTC, datetime

    now = datetime(2026, 11, 1, tzinfo=UTC)
    assert rules.marking_problems(Status.APPROVED, now + timedelta(hours=1), now, False) == []
    assert rules.marking_problems(Status.SUBMITTED, now, now, True) == [
        "meeting_over", "already_planned"]
    assert rules.marking_problems(Status.DRAFT, now + timedelta(days=1), now, False) == [
        "meeting_status"]
    member = rules.StaffMember(1, "inspector", 7, True)
    assert rules.staff_problems([1], [member], 7) == []
    assert rules.staff_problems([1], [member], 8) == ["staff_not_allowed"]
    assert rules.staff_problems([1], [rules.StaffMember(1, "inspector", 7, False)], 7) == [
        "staff_not_allowed"]
    assert rules.staff_problems([], [member], 7) == ["staff_required"]


def test_assignment_changes_and_cancellation_while_planned(supervisions, as_user, world, app):
    client = as_user("regulator")
    with app.app_context():
        version = db.session.get(Supervision, supervisions.planned).version
    response = client.post(f"/supervision/{supervisions.planned}/staff",
                           data={"staff": [supervisions.inspector2], "notes": "改派",
                                 "version": version})
    assert response.status_code == 302
    # The old version again: someone else saved first.
    stale = client.post(f"/supervision/{supervisions.planned}/staff",
                        data={"staff": [world.users["inspector"]], "version": version})
    assert stale.status_code == 409
    assert "您打开此现场监督后，它已被更改" in stale.get_data(as_text=True)
    with app.app_context():
        supervision = db.session.get(Supervision, supervisions.planned)
        assert [u.id for u in supervision.staff] == [supervisions.inspector2]
        version = supervision.version
    assert client.post(f"/supervision/{supervisions.planned}/cancel",
                       data={"reason": "会议改期", "version": version}).status_code == 302
    with app.app_context():
        supervision = db.session.get(Supervision, supervisions.planned)
        assert supervision.status is SupervisionStatus.CANCELLED
        assert supervision.cancel_reason == "会议改期"
        actions = set(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.object_type == "Supervision",
            AuditEvent.object_id == str(supervision.id))))
        assert {"supervision.marked", "supervision.staff_changed",
                "supervision.cancelled"} <= actions
        version = supervision.version
    # Cancelled: no more changes; the meeting may be marked again.
    again = client.get(f"/supervision/{supervisions.planned}/staff", follow_redirects=True)
    assert "该现场监督已办结" in again.get_data(as_text=True)
    assert client.post(f"/supervision/{supervisions.planned}/cancel",
                       data={"version": version}).status_code == 409


def test_a_stale_cancel_offers_the_current_version_and_keeps_the_reason(
        supervisions, as_user, app):
    """After a conflict the page's cancel form must carry the version it shows, not the one
    the refused post carried: a second try then succeeds."""
    client = as_user("regulator")
    with app.app_context():
        version = db.session.get(Supervision, supervisions.planned).version
    assert client.post(f"/supervision/{supervisions.planned}/staff", data={
        "staff": [supervisions.inspector2], "version": version}).status_code == 302
    stale = client.post(f"/supervision/{supervisions.planned}/cancel",
                        data={"reason": "会议改期", "version": version})
    assert stale.status_code == 409
    with app.app_context():
        current = db.session.get(Supervision, supervisions.planned).version
    html = stale.get_data(as_text=True)
    assert input_value(html, "version") == str(current) != str(version)
    assert input_value(html, "reason") == "会议改期"
    again = client.post(f"/supervision/{supervisions.planned}/cancel",
                        data={"reason": input_value(html, "reason"),
                              "version": input_value(html, "version")})
    assert again.status_code == 302


def test_an_overlong_cancel_reason_is_a_form_error_that_keeps_the_text(
        supervisions, as_user, app):
    client = as_user("regulator")
    with app.app_context():
        version = db.session.get(Supervision, supervisions.planned).version
    reason = "改" * 501
    page = client.post(f"/supervision/{supervisions.planned}/cancel?lang=en",
                       data={"reason": reason, "version": version})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert input_value(html, "reason") == reason
    assert "500" in html.split('id="reason-error"', 1)[1][:300]
    with app.app_context():
        assert db.session.get(Supervision, supervisions.planned).status \
            is SupervisionStatus.PLANNED
