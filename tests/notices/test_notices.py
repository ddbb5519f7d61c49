"""Rectification notices: gap-free numbers, deadlines on the working-day calendar, issuing from
a check or a flag, service by either side, who sees what, and the PDF."""

import io
from datetime import UTC, date, datetime

from pypdf import PdfReader
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    AuditEvent,
    Bureau,
    Enterprise,
    Filing,
    Notice,
    NoticeStatus,
    ServiceMethod,
    User,
)
from portal.notices import operations
from portal.rules import notices as rules

from ..review.conftest import signed_in
from ..test_concurrency import run_at_once

FIELDS = operations.NoticeFields(
    facts="经查，你单位晋城市城区服务网点未公示退换货制度。", provisions=["DSR-50"],
    corrections="在服务网点显著位置公示退换货制度。", deadline=None, deadline_working_days=15)


def by_name(username):
    return db.session.scalar(select(User).where(User.username == username))


def issue(world, bureau="bureau1", enterprise="enterprise_a", regulator="regulator", **changes):
    fields = operations.NoticeFields(**{**vars(FIELDS), **changes.pop("fields", {})})
    notice = operations.issue(db.session.get(Bureau, getattr(world, bureau)),
                              db.session.get(Enterprise, getattr(world, enterprise)),
                              fields, by_name(regulator), **changes)
    db.session.commit()
    return notice


def test_numbers_run_per_bureau_and_year_without_gaps(app, world):
    with app.app_context():
        short = db.session.get(Bureau, world.bureau1).short_name
        first = [issue(world).number for _ in range(3)]
        assert first == [f"{short}责改〔2026〕{n}号" for n in (1, 2, 3)] or first[0].endswith(
            "〔2027〕1号")  # (the suite may run after New Year in China)
        other = issue(world, "bureau2", "enterprise_b", "regulator2")
        assert other.sequence == 2  # the other bureau counts on its own (the world has its 1)
        next_year = issue(world, now=datetime(2031, 1, 2, 2, 0, tzinfo=UTC),
                          fields={"deadline": date(2031, 2, 1), "deadline_working_days": None})
        assert next_year.number.endswith("〔2031〕1号")
        # A notice that is not committed gives its number back.
        operations.issue(db.session.get(Bureau, world.bureau1),
                         db.session.get(Enterprise, world.enterprise_a), FIELDS,
                         by_name("regulator"))
        db.session.rollback()
        assert issue(world).sequence == 4


def test_numbers_stay_unique_and_gap_free_when_regulators_issue_at_once(app, world):
    n = 12

    def work(_):
        with app.app_context():
            return issue(world).sequence

    sequences = run_at_once(work, n)
    assert sorted(sequences) == list(range(1, n + 1))
    with app.app_context():
        numbers = db.session.scalars(select(Notice.number).where(
            Notice.bureau_id == world.bureau1)).all()
        assert len(numbers) == len(set(numbers)) == n


def test_deadlines_count_working_days_from_service_across_national_day():
    # Served on Wednesday 30 September 2026: 1 October–7 October is the holiday.
    assert rules.deadline_from_service(date(2026, 9, 30), 1) == date(2026, 10, 8)
    # 3 working days: 8 Oct (Thu), 9 Oct (Fri), 10 Oct (Saturday, a make-up working day).
    assert rules.deadline_from_service(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert rules.deadline_from_service(date(2026, 12, 30), 15) is None  # beyond the calendar
    assert rules.deadline_problem(None, None, date(2026, 11, 23)) == "deadline_one_of"
    assert rules.deadline_problem(date(2026, 11, 23), None, date(2026, 11, 23)) == \
        "deadline_not_after_issue"
    assert rules.deadline_problem(None, 61, date(2026, 11, 23)) == "working_days_out_of_range"
    assert rules.deadline_problem(None, 15, date(2026, 11, 23)) is None


def test_the_enterprise_acknowledges_receipt_once_and_the_deadline_is_fixed(app, world):
    with app.app_context():
        notice = issue(world, fields={"deadline_working_days": 3})
        notice_id, version = notice.id, notice.version
    staff = signed_in(app, "ent-staff")
    assert staff.get(f"/notices/{notice_id}?lang=en").status_code == 200
    response = staff.post(f"/notices/{notice_id}/acknowledge", data={"version": version})
    assert response.status_code == 302
    with app.app_context():
        notice = db.session.get(Notice, notice_id)
        assert notice.status is NoticeStatus.SERVED
        assert notice.service_method is ServiceMethod.PORTAL
        assert notice.served_recorded_by.username == "ent-staff"
        served_on = notice.served_at.astimezone(rules.add_working_days.__globals__["CHINA"]).date()
        assert notice.deadline is None or notice.deadline == rules.deadline_from_service(
            served_on, 3)
        assert db.session.scalar(select(func.count()).where(
            AuditEvent.action == "notice.served")) == 1
    again = staff.post(f"/notices/{notice_id}/acknowledge?lang=en", data={"version": version})
    assert again.status_code == 409
    assert "This notice was changed after you opened it" in again.get_data(as_text=True)


def test_a_regulator_records_service_by_post_within_the_allowed_dates(app, world):
    with app.app_context():
        notice = issue(world, fields={"deadline": date(2030, 1, 31), "deadline_working_days": None})
        notice_id, version, issued = notice.id, notice.version, notice.issued_at
    regulator = signed_in(app, "regulator")
    refused = regulator.post(f"/notices/{notice_id}/serve?lang=en", data={
        "version": version, "method": "post", "served_on": "2020-01-01", "note": "EMS 1234"})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "between the day of issue and today" in page and 'value="EMS 1234"' in page
    served_on = issued.astimezone(rules.add_working_days.__globals__["CHINA"]).date()
    ok = regulator.post(f"/notices/{notice_id}/serve", data={
        "version": version, "method": "post", "served_on": served_on.isoformat(),
        "note": "EMS 1234"})
    assert ok.status_code == 302
    with app.app_context():
        notice = db.session.get(Notice, notice_id)
        assert notice.service_method is ServiceMethod.POST and notice.service_note == "EMS 1234"
        assert notice.deadline == date(2030, 1, 31)  # a fixed date stays as it was


def test_who_may_do_what(app, world):
    with app.app_context():
        notice = issue(world)
        notice_id, version = notice.id, notice.version
    url = f"/notices/{notice_id}"
    expected = {"regulator": 200, "ent-staff": 200, "ent-admin": 200, "regulator2": 404,
                "ent2-staff": 404, "inspector": 403, "admin": 403}
    for username, status in expected.items():
        client = signed_in(app, username)
        assert client.get(url).status_code == status, username
        assert client.get(url + "/notice.pdf").status_code == status, username
    # Each side serves its own way only.
    assert signed_in(app, "regulator").post(url + "/acknowledge",
                                            data={"version": version}).status_code == 403
    assert signed_in(app, "ent-admin").post(url + "/serve", data={
        "version": version, "method": "post", "served_on": "2026-11-23"}).status_code == 403
    assert signed_in(app, "ent2-staff").post(url + "/acknowledge",
                                             data={"version": version}).status_code == 404
    # Lists: each side sees its own notices only.
    assert notice_number(app, notice_id) in signed_in(app, "ent-staff").get(
        "/notices/").get_data(as_text=True)
    for username in ("ent2-staff", "regulator2"):
        assert notice_number(app, notice_id) not in signed_in(app, username).get(
            "/notices/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Notice, notice_id).status is NoticeStatus.ISSUED


def notice_number(app, notice_id):
    with app.app_context():
        return db.session.get(Notice, notice_id).number


def test_the_pdf_has_the_number_the_deadline_and_the_chinese_text(app, world):
    with app.app_context():
        notice = issue(world, fields={"deadline": date(2030, 3, 15), "deadline_working_days": None})
        notice_id, number = notice.id, notice.number
    response = signed_in(app, "ent-admin").get(f"/notices/{notice_id}/notice.pdf?lang=zh")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    for expected in (number, "责令改正通知书", "2030年3月15日", "行政复议", "送达回证",
                     "未公示退换货制度"):
        assert expected in text, expected
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("CJK" in name or "WenQuanYi" in name for name in fonts), fonts


def test_issuing_from_scratch_keeps_what_was_typed_on_errors(app, world):
    regulator = signed_in(app, "regulator")
    form = {"enterprise_id": world.enterprise_a, "facts": "经查，网点未公示价目表。",
            "corrections": "公示价目表。", "deadline_kind": "date", "deadline": ""}
    refused = regulator.post("/notices/new?lang=en", data=form)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "经查，网点未公示价目表。" in page and "Choose at least one provision." in page
    assert "Enter the deadline." in page
    # An enterprise outside the jurisdiction is not a choice.
    other = regulator.post("/notices/new", data={**form, "enterprise_id": world.enterprise_b,
                                                 "provisions": ["DSR-50"],
                                                 "deadline": "2030-01-01"})
    assert other.status_code == 400
    done = regulator.post("/notices/new", data={**form, "provisions": ["DSR-50", "DSR-49"],
                                                "deadline": "2030-01-01"})
    assert done.status_code == 302
    with app.app_context():
        [notice] = db.session.scalars(select(Notice).where(
            Notice.enterprise_id == world.enterprise_a)).all()
        assert notice.provision_codes == ["DSR-49", "DSR-50"]  # in the catalogue's order
        assert notice.provisions[0]["article_zh"].startswith("《直销管理条例》第四十九条")
        assert notice.party_name == db.session.get(Enterprise, world.enterprise_a).name


def test_a_working_day_deadline_beyond_the_calendar_is_refused_with_a_reason(app, world,
                                                                           monkeypatch):
    from portal.notices import views

    monkeypatch.setattr(views, "utcnow", lambda: datetime(2026, 12, 20, 4, tzinfo=UTC))
    response = signed_in(app, "regulator").post("/notices/new?lang=en", data={
        "enterprise_id": world.enterprise_a, "facts": "事实", "corrections": "改正",
        "provisions": ["DSR-50"], "deadline_kind": "working_days", "working_days": "15"})
    assert response.status_code == 400
    assert "Give the deadline as a date." in response.get_data(as_text=True)


def test_a_notice_from_a_flagged_filing_is_prefilled_with_its_flags(app, world):
    from ..factories import make_flag

    with app.app_context():
        filing = db.session.get(Filing, world.filing_a)
        make_flag(filing, by_name("regulator"))
        db.session.commit()
    page = signed_in(app, "regulator").get(f"/notices/new?filing={world.filing_a}&lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    with app.app_context():
        number = db.session.get(Filing, world.filing_a).number
    assert number in html
    # Bureau 2's filing is not reachable from bureau 1.
    assert signed_in(app, "regulator").get(
        f"/notices/new?filing={world.filing_b}").status_code == 404
