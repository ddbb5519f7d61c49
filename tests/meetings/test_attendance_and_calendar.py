"""After the meeting: the attendance report. And the enterprise's iCalendar feed."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.meetings import ical
from portal.models import AuditEvent, Meeting, utcnow

from ..factories import USERNAMES

# ---- attendance -------------------------------------------------------------------------------

def test_report_attendance_after_an_approved_meeting(staff, app, meetings):
    page = staff.get(f"/filings/{meetings.past}?lang=en").get_data(as_text=True)
    assert f"/enterprise/meetings/{meetings.past}/attendance" in page
    assert staff.get(f"/enterprise/meetings/{meetings.past}/attendance").status_code == 200
    response = staff.post(f"/enterprise/meetings/{meetings.past}/attendance",
                          data={"actual_attendance": "37"})
    assert response.status_code == 302
    with app.app_context():
        meeting = db.session.get(Meeting, meetings.past)
        assert meeting.actual_attendance == 37 and meeting.attendance_reported_at is not None
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "meeting.attendance_reported"))
        assert event.details["actual"] == 37 and event.details["previous"] is None
    page = staff.get(f"/filings/{meetings.past}?lang=en").get_data(as_text=True)
    assert "Correct the reported attendance" in page
    # A correction is recorded with the previous figure.
    staff.post(f"/enterprise/meetings/{meetings.past}/attendance",
               data={"actual_attendance": "39"})
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "meeting.attendance_reported").order_by(AuditEvent.id)).all()
        assert [e.details["previous"] for e in events] == [None, 37]


@pytest.mark.parametrize("value", ["", "-1", "many", "1000001"])
def test_attendance_must_be_a_sensible_number(staff, app, meetings, value):
    response = staff.post(f"/enterprise/meetings/{meetings.past}/attendance",
                          data={"actual_attendance": value})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(Meeting, meetings.past).actual_attendance is None


def test_no_attendance_report_before_the_end(staff, app, meetings):
    response = staff.post(f"/enterprise/meetings/{meetings.upcoming}/attendance?lang=en",
                          data={"actual_attendance": "10"}, follow_redirects=True)
    assert "Attendance can only be reported after the meeting has ended." in response.get_data(
        as_text=True)
    with app.app_context():
        assert db.session.get(Meeting, meetings.upcoming).actual_attendance is None
    page = staff.get(f"/filings/{meetings.upcoming}?lang=en").get_data(as_text=True)
    assert "/attendance" not in page


def test_no_attendance_report_for_a_meeting_that_is_not_approved(staff, app, meetings):
    with app.app_context():
        meeting = db.session.get(Meeting, meetings.submitted)
        meeting.starts_at = utcnow() - timedelta(days=2)
        meeting.ends_at = utcnow() - timedelta(days=2, hours=-2)
        db.session.commit()
    response = staff.get(f"/enterprise/meetings/{meetings.submitted}/attendance?lang=en",
                         follow_redirects=True)
    assert "Attendance can only be reported for an approved meeting." in response.get_data(
        as_text=True)


def test_the_list_shows_upcoming_and_past_meetings_in_tabs_with_their_counts(staff, meetings):
    upcoming = staff.get("/enterprise/meetings/?lang=en").get_data(as_text=True)
    assert "下月考试" in upcoming and "草稿会议" in upcoming and "第1期" in upcoming
    assert "上月业务培训" not in upcoming and "Actual participants" not in upcoming
    # Three upcoming (approved, submitted, the draft), one past; B's meeting in neither.
    assert re.search(r'aria-current="page">Upcoming and current <span[^>]*>3</span>', upcoming)
    assert re.search(r'href="/enterprise/meetings/\?lang=en&amp;when=past"\s*>Past '
                     r'<span[^>]*>1</span>', upcoming)
    past = staff.get("/enterprise/meetings/?when=past&lang=en").get_data(as_text=True)
    assert "上月业务培训" in past and "下月考试" not in past
    assert f"/enterprise/meetings/{meetings.past}/attendance" in past  # what needs a report
    assert re.search(r'aria-current="page">Past <span[^>]*>1</span>', past)
    for page in (upcoming, past):
        assert "太原企业的会议" not in page


# ---- the iCalendar writer -------------------------------------------------------------------

def test_text_escaping():
    assert ical.escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_folding_counts_octets_and_never_splits_a_character():
    line = "SUMMARY:" + "培训" * 40
    folded = ical.fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0]] + [p[1:] for p in parts[1:]]) == line
    assert ical.fold("SHORT:x") == "SHORT:x"


# ---- the feed -----------------------------------------------------------------------------------

def unfold(body: str) -> str:
    return body.replace("\r\n ", "")


def token_for(client) -> str:
    client.post("/enterprise/meetings/calendar/token")
    page = client.get("/enterprise/meetings/calendar").get_data(as_text=True)
    return re.search(r"/calendar/([A-Za-z0-9_-]+)\.ics", page).group(1)


def test_the_feed_lists_submitted_and_approved_meetings_in_utc(staff, app, meetings):
    token = token_for(staff)
    response = app.test_client().get(f"/calendar/{token}.ics")  # no sign-in
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")  # every line ends in CRLF
    assert all(len(line.encode("utf-8")) <= 75 for line in body.split("\r\n"))
    text = unfold(body)
    assert text.count("BEGIN:VEVENT") == 3  # past + upcoming approved, submitted; no draft
    assert "草稿会议" not in text and "太原企业的会议" not in text
    assert "DTSTART:20270302T013000Z" in text and "DTEND:20270302T043000Z" in text
    # Semicolons and backslashes are escaped (the full-width comma is ordinary text).
    assert "SUMMARY:直销法规培训，第1期\\; 晋城\\\\城区 — 一个很长很长的标题" in text
    assert "STATUS:CONFIRMED" in text and "STATUS:TENTATIVE" in text
    with app.app_context():
        number = db.session.get(Meeting, meetings.upcoming).filing.number
    assert f"UID:{number}@" in text
    assert f"/filings/{meetings.upcoming}" in text


def test_feed_escapes_ascii_commas(staff, app, meetings):
    with app.app_context():
        db.session.get(Meeting, meetings.upcoming).venue_name = "Hall A, Floor 3; East"
        db.session.commit()
    text = unfold(app.test_client().get(f"/calendar/{token_for(staff)}.ics").get_data(
        as_text=True))
    assert "LOCATION:Hall A\\, Floor 3\\; East\\, " in text


def test_token_generation_is_audited_without_the_token_and_replaces_the_old_one(staff, app,
                                                                                meetings):
    first = token_for(staff)
    second = token_for(staff)
    assert first != second
    anonymous = app.test_client()
    assert anonymous.get(f"/calendar/{first}.ics").status_code == 404
    assert anonymous.get(f"/calendar/{second}.ics").status_code == 200
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "calendar.token_generated")).all()
        assert [e.details["replaced"] for e in events] == [False, True]
        assert all(second not in str(e.details) and first not in str(e.details) for e in events)
    staff.post("/enterprise/meetings/calendar/token/revoke")
    assert anonymous.get(f"/calendar/{second}.ics").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "calendar.token_revoked"))


@pytest.mark.parametrize("token", ["x", "not-a-real-token-but-long-enough-0000", "a" * 65,
                                   "..%2F..%2Fetc"])
def test_unknown_tokens_are_404(app, meetings, token):
    assert app.test_client().get(f"/calendar/{token}.ics").status_code == 404


def test_each_enterprise_has_its_own_feed(app, meetings, login, client):
    login(USERNAMES["enterprise2_staff"])
    token = token_for(client)
    text = unfold(app.test_client().get(f"/calendar/{token}.ics").get_data(as_text=True))
    assert "太原企业的会议" in text and "上月业务培训" not in text
