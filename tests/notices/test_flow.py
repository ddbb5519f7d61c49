"""After service: correction reports with evidence, verification, extensions, overdue notices
and their escalation with a pre-filled case referral; conflicts between two regulators."""

import io
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Notice,
    NoticeStatus,
    ReportOutcome,
    ServiceMethod,
    User,
    utcnow,
)
from portal.notices import operations
from portal.rules.meetings import china_date

from ..factories import PDF_BYTES
from ..review.conftest import signed_in
from .test_notices import issue

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def by_name(username):
    return db.session.scalar(select(User).where(User.username == username))


def served(app, world, deadline=None, served_days_ago=1, **fields):
    """A notice of bureau 1 to enterprise A, served *served_days_ago* days ago by post."""
    with app.app_context():
        deadline = deadline or date(2030, 1, 31)
        notice = issue(world, now=utcnow() - timedelta(days=served_days_ago + 1),
                       fields={"deadline": deadline, "deadline_working_days": None, **fields}) \
            if deadline > china_date(utcnow()) - timedelta(days=served_days_ago) else None
        if notice is None:  # a deadline already past: issue it with the past as "now"
            notice = issue(world, now=datetime.combine(deadline - timedelta(days=10),
                                                       datetime.min.time(), UTC),
                           fields={"deadline": deadline, "deadline_working_days": None})
        operations.serve(notice, ServiceMethod.POST, by_name("regulator"),
                         served_at=utcnow() - timedelta(days=served_days_ago))
        db.session.commit()
        return notice.id


def version_of(app, notice_id):
    with app.app_context():
        return db.session.get(Notice, notice_id).version


def test_a_report_with_evidence_is_kept_on_errors_then_verified_and_closed(app, world):
    notice_id = served(app, world)
    staff = signed_in(app, "ent-staff")
    url = f"/notices/{notice_id}"
    # No text yet, one good photo and one file that is not what it claims: nothing is lost.
    refused = staff.post(f"{url}/report?lang=en", data={
        "version": version_of(app, notice_id), "text": "",
        "evidence": [(io.BytesIO(PNG), "公示照片.png"), (io.BytesIO(b"MZ not a pdf"), "x.pdf")],
    }, content_type="multipart/form-data")
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "公示照片.png" in page and "x.pdf: This file is not a PDF" in page
    kept = page.split('name="evidence-ids" value="')[1].split('"')[0]
    assert kept
    done = staff.post(f"{url}/report", data={
        "version": version_of(app, notice_id), "text": "已在网点公示退换货制度。",
        "evidence-ids": kept, "evidence": [(io.BytesIO(PDF_BYTES), "整改报告.pdf")],
    }, content_type="multipart/form-data")
    assert done.status_code == 302
    with app.app_context():
        notice = db.session.get(Notice, notice_id)
        assert notice.status is NoticeStatus.REPORTED
        names = sorted(d.original_name for d in notice.reports[0].evidence)
        assert names == ["公示照片.png", "整改报告.pdf"]
        doc_id = notice.reports[0].evidence[0].id
    assert signed_in(app, "regulator").get(f"{url}/evidence/{doc_id}").status_code == 200
    assert signed_in(app, "ent2-staff").get(f"{url}/evidence/{doc_id}").status_code == 404
    regulator = signed_in(app, "regulator")
    version = version_of(app, notice_id)
    closed = regulator.post(f"{url}/verify", data={"version": version, "method": "on_site",
                                                   "outcome": "accepted", "note": ""})
    assert closed.status_code == 302
    with app.app_context():
        notice = db.session.get(Notice, notice_id)
        assert notice.status is NoticeStatus.CORRECTED and notice.closed_at
        assert notice.reports[0].outcome is ReportOutcome.ACCEPTED
    # A second regulator who opened the page before sees the conflict, not a double action.
    again = signed_in(app, "regulator").post(f"{url}/verify?lang=en", data={
        "version": version, "method": "documents", "outcome": "returned", "note": "不够"})
    assert again.status_code == 409
    assert "Corrected (closed)" in again.get_data(as_text=True)


def test_a_report_found_wanting_goes_back_with_the_reasons(app, world):
    notice_id = served(app, world)
    url = f"/notices/{notice_id}"
    signed_in(app, "ent-staff").post(f"{url}/report", data={
        "version": version_of(app, notice_id), "text": "已整改。"})
    regulator = signed_in(app, "regulator")
    refused = regulator.post(f"{url}/verify?lang=en", data={
        "version": version_of(app, notice_id), "method": "documents", "outcome": "returned",
        "note": ""})
    assert refused.status_code == 400 and "Give the reasons." in refused.get_data(as_text=True)
    regulator.post(f"{url}/verify", data={"version": version_of(app, notice_id),
                                          "method": "documents", "outcome": "returned",
                                          "note": "照片未显示价目表。"})
    with app.app_context():
        notice = db.session.get(Notice, notice_id)
        assert notice.status is NoticeStatus.SERVED
        assert notice.reports[0].outcome is ReportOutcome.RETURNED
    page = signed_in(app, "ent-staff").get(url).get_data(as_text=True)
    assert "照片未显示价目表。" in page and "/report" in page  # the enterprise can report again


def test_an_extension_is_asked_for_and_granted_or_refused(app, world):
    notice_id = served(app, world, deadline=date(2030, 1, 31))
    url = f"/notices/{notice_id}"
    staff = signed_in(app, "ent-admin")
    early = staff.post(f"{url}/extension?lang=en", data={
        "version": version_of(app, notice_id), "until": "2030-01-15", "reason": "需要采购展示架"})
    assert early.status_code == 400
    assert "must come after the current one" in early.get_data(as_text=True)
    assert staff.post(f"{url}/extension", data={
        "version": version_of(app, notice_id), "until": "2030-02-28",
        "reason": "需要采购展示架"}).status_code == 302
    second = staff.post(f"{url}/extension?lang=en", data={
        "version": version_of(app, notice_id), "until": "2030-03-31", "reason": "再延"})
    assert second.status_code == 400
    assert "already waiting" in second.get_data(as_text=True)
    regulator = signed_in(app, "regulator")
    assert regulator.post(f"{url}/extension/decide", data={
        "version": version_of(app, notice_id), "decision": "grant",
        "until": "2030-02-20", "note": ""}).status_code == 302
    with app.app_context():
        notice = db.session.get(Notice, notice_id)
        assert notice.deadline == date(2030, 2, 20)
        assert notice.extensions[0].granted and notice.extensions[0].previous_deadline == \
            date(2030, 1, 31)
    staff.post(f"{url}/extension", data={"version": version_of(app, notice_id),
                                         "until": "2030-04-30", "reason": "再延一次"})
    refused = regulator.post(f"{url}/extension/decide?lang=en", data={
        "version": version_of(app, notice_id), "decision": "refuse", "note": ""})
    assert refused.status_code == 400
    regulator.post(f"{url}/extension/decide", data={
        "version": version_of(app, notice_id), "decision": "refuse",
        "note": "理由不充分"})
    with app.app_context():
        notice = db.session.get(Notice, notice_id)
        assert notice.deadline == date(2030, 2, 20) and notice.extensions[1].granted is False


def test_overdue_notices_are_listed_and_escalated_with_a_prefilled_referral(app, world):
    past = china_date(utcnow()) - timedelta(days=3)
    notice_id = served(app, world, deadline=past, served_days_ago=8)
    not_due = served(app, world, deadline=date(2030, 1, 31))
    regulator = signed_in(app, "regulator")
    listing = regulator.get("/notices/?status=overdue&lang=en").get_data(as_text=True)
    with app.app_context():
        number, other = (db.session.get(Notice, notice_id).number,
                         db.session.get(Notice, not_due).number)
    assert number in listing and other not in listing and "overdue by 3 days" in listing
    assert regulator.get(f"/notices/{not_due}/escalate").status_code == 404
    form = regulator.get(f"/notices/{notice_id}/escalate").get_data(as_text=True)
    for expected in ("建议依法立案调查", "第五十条", "10万元以下罚款",
                     number, "逾期未报送整改情况"):
        assert expected in form, expected
    # The enterprise cannot report any more once it is escalated.
    done = regulator.post(f"/notices/{notice_id}/escalate", data={
        "version": version_of(app, notice_id), "referral": "移送：逾期未改正。"})
    assert done.status_code == 302
    with app.app_context():
        notice = db.session.get(Notice, notice_id)
        assert notice.status is NoticeStatus.ESCALATED and notice.referral == "移送：逾期未改正。"
    staff = signed_in(app, "ent-staff")
    assert staff.post(f"/notices/{notice_id}/report", data={
        "version": version_of(app, notice_id), "text": "晚了"}).status_code == 409
    assert "移送：逾期未改正" not in staff.get(f"/notices/{notice_id}").get_data(as_text=True)


def test_a_report_can_be_escalated_when_the_correction_is_refused(app, world):
    notice_id = served(app, world)
    url = f"/notices/{notice_id}"
    signed_in(app, "ent-staff").post(f"{url}/report", data={
        "version": version_of(app, notice_id), "text": "我单位认为不存在问题，不予整改。"})
    signed_in(app, "regulator").post(f"{url}/verify", data={
        "version": version_of(app, notice_id), "method": "documents", "outcome": "escalated",
        "note": "当事人拒不改正。"})
    with app.app_context():
        notice = db.session.get(Notice, notice_id)
        assert notice.status is NoticeStatus.ESCALATED
        assert "复查仍不符合要求" in notice.referral and "第五十条" in notice.referral


def messages_of(username):
    from portal.models import Notification

    user = by_name(username)
    return sorted(n.message for n in db.session.scalars(
        select(Notification).where(Notification.user_id == user.id,
                                   Notification.notice_id.is_not(None))))


def test_each_step_tells_the_other_side(app, world):
    notice_id = served(app, world)
    with app.app_context():
        assert messages_of("ent-admin") == ["notice_issued"]
        assert messages_of("regulator") == [] and messages_of("ent2-admin") == ["notice_issued"]
    signed_in(app, "ent-staff").post(f"/notices/{notice_id}/report", data={
        "version": version_of(app, notice_id), "text": "已整改。"})
    with app.app_context():
        assert messages_of("regulator") == ["notice_reported"]
        assert messages_of("regulator2") == []
    signed_in(app, "regulator").post(f"/notices/{notice_id}/verify", data={
        "version": version_of(app, notice_id), "method": "documents", "outcome": "accepted"})
    with app.app_context():
        assert messages_of("ent-admin") == ["notice_accepted", "notice_issued"]
        assert messages_of("ent-staff") == ["notice_accepted"]  # she reported it
    page = signed_in(app, "ent-admin").get("/notifications/?lang=en").get_data(as_text=True)
    assert "the correction was verified and the notice is closed" in page


def test_reminders_before_the_deadline_and_the_day_after_it(app, world):
    from portal.notifications.reminders import send_reminders

    today = china_date(utcnow())
    soon = served(app, world, deadline=today + timedelta(days=2))
    late = served(app, world, deadline=today - timedelta(days=1), served_days_ago=5)
    with app.app_context():
        sent = send_reminders()
        assert sent["notice_due"] == 1 and sent["notice_overdue"] == 1
        db.session.commit()
        assert send_reminders()["notice_due"] == 0  # not twice on the same day
        db.session.commit()
        assert messages_of("ent-admin").count("notice_due") == 1
        assert messages_of("regulator") == ["notice_overdue"]
        from portal.models import Notification

        due = db.session.scalar(select(Notification).where(Notification.message == "notice_due"))
        overdue = db.session.scalar(select(Notification).where(
            Notification.message == "notice_overdue"))
        assert (due.notice_id, overdue.notice_id) == (soon, late)


def test_time_left_is_shown_in_calendar_and_working_days(app, world):
    from portal.notices.views import working_days_left

    with app.app_context():
        notice = issue(world, fields={"deadline": date(2026, 10, 9), "deadline_working_days": None},
                       now=datetime(2026, 9, 20, 2, tzinfo=UTC))
        # From Wednesday 30 September: 1–7 October is the holiday; 8 and 9 October count.
        assert working_days_left(notice, today=date(2026, 9, 30)) == 2
        assert working_days_left(notice, today=date(2026, 10, 10)) is None  # passed


def test_notice_notifications_name_the_bureau_in_the_readers_language(app, world):
    from flask_babel import force_locale

    from portal.models import Bureau, Enterprise, Notification
    from portal.notifications.messages import render

    from .test_notices import FIELDS

    with app.app_context():
        bureau = db.session.get(Bureau, world.bureau1)
        bureau.name_en = "Jincheng Market Regulation Bureau"
        db.session.commit()
        notice = operations.issue(bureau, db.session.get(Enterprise, world.enterprise_a),
                                  FIELDS, by_name("regulator"))
        db.session.commit()
        sent = db.session.scalars(select(Notification).where(
            Notification.notice_id == notice.id)).first()
        with app.test_request_context("/"), force_locale("en"):
            assert "Jincheng Market Regulation Bureau" in render(sent.message, sent.params)
        with app.test_request_context("/"), force_locale("zh_Hans_CN"):
            assert bureau.name_zh in render(sent.message, sent.params)
