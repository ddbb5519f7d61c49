"""Filing training meetings through the pages: the form, each rule with its article, the
workflow, amendments and the history snapshot."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Bureau, Filing, FilingEvent, Meeting
from portal.rules.workflow import Status

from .conftest import form_data
from .helpers import china

TRAIN = "of the Measures on Business Training of Direct Sellers"


def newest_meeting() -> Meeting:
    return db.session.scalars(select(Meeting).order_by(Meeting.filing_id.desc())).first()


def create(client, setting, **changes):
    return client.post("/enterprise/meetings/new", data=form_data(setting, **changes))


def create_and_get(client, app, setting, **changes) -> int:
    response = create(client, setting, **changes)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        return newest_meeting().filing_id


def submit(client, app, filing_id):
    with app.app_context():
        version = db.session.get(Filing, filing_id).version
    return client.post(f"/filings/{filing_id}/submit", data={"version": version})


def status_of(app, filing_id) -> Status:
    with app.app_context():
        return db.session.get(Filing, filing_id).status


def test_file_a_meeting_as_draft_times_in_china_stored_in_utc(staff, app, setting):
    start = china(2027, 1, 20, 9, 30)
    filing_id = create_and_get(staff, app, setting, start=start)
    with app.app_context():
        meeting = db.session.get(Meeting, filing_id)
        assert meeting.filing.status is Status.DRAFT
        assert meeting.filing.number.startswith("PX-")
        assert meeting.starts_at == datetime(2027, 1, 20, 1, 30, tzinfo=UTC)
        assert meeting.ends_at == datetime(2027, 1, 20, 4, 30, tzinfo=UTC)
        # The blank agenda row in between is ignored; the others keep their order.
        assert [(s.position, s.topic, s.minutes) for s in meeting.sessions] == [
            (1, "直销管理条例解读", 90), (2, "消费者权益保护", 60)]
        assert [t.filing_id for t in meeting.trainers] == [setting.trainer]
        assert meeting.filing.title == meeting.title
        assert meeting.filing.region_code == "140502"
    page = staff.get(f"/enterprise/meetings/{filing_id}/edit").get_data(as_text=True)
    assert 'value="2027-01-20T09:30"' in page  # shown in China Standard Time again
    assert 'value="直销管理条例解读"' in page


def test_the_filing_page_shows_the_meeting(staff, app, setting):
    filing_id = create_and_get(staff, app, setting)
    page = staff.get(f"/filings/{filing_id}?lang=en").get_data(as_text=True)
    assert "Business training" in page
    assert "晋城宾馆三楼会议室" in page and "李培训" in page
    assert "直销管理条例解读 · 李培训 · 90 min" in page
    assert "Rule check" not in page  # nothing to warn about


def test_a_valid_meeting_is_submitted_with_agenda_and_trainers_in_the_history(staff, app,
                                                                              setting):
    filing_id = create_and_get(staff, app, setting)
    assert submit(staff, app, filing_id).status_code == 302
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        assert filing.status is Status.SUBMITTED and filing.revision == 1
        event = db.session.scalars(
            select(FilingEvent).where(FilingEvent.filing_id == filing_id)).one()
        assert event.snapshot["title"] == "直销法规与职业道德培训"
        assert event.snapshot["fee"] == "0.00"
        assert event.snapshot["sessions"][0] == {"topic": "直销管理条例解读", "speaker": "李培训",
                                                 "minutes": 90}
        assert event.snapshot["trainers"] == [{"id": setting.trainer, "name": "李培训"}]
    receipt = staff.get(f"/filings/{filing_id}/receipt.pdf")
    assert receipt.status_code == 200 and receipt.data.startswith(b"%PDF")


def _refusals(setting):
    soon = (datetime.now(UTC) + timedelta(days=3)).astimezone().replace(hour=10, minute=0)
    return {
        "premises": ({"venue_premises_type": "residential"},
                     "Training meetings may not be held in this type of premises.",
                     "Article 9 " + TRAIN),
        "no_outlet": ({"region_code": "140525"},  # A's outlet there is only a draft
                      "has no approved service outlet in this district", "Article 9 " + TRAIN),
        "fee": ({"fee": "20"}, "the fee must be 0 (entered: 20.00 yuan)", "Article 7 " + TRAIN),
        "pending_trainer": ({"trainers": [str(setting.pending_trainer)]},
                            "赵待审 is not an approved trainer of this enterprise",
                            "Article 4 " + TRAIN),
        "no_trainer": ({"trainers": []}, "List at least one of the enterprise&#39;s approved "
                       "trainers.", "Article 4 " + TRAIN),
        "lead_time": ({"start": soon}, "at least 7 calendar days before it starts",
                      "Article 10 " + TRAIN),
        "ends_first": ({"ends_at": "2020-01-01T10:00"}, "The meeting must end after it starts.",
                       None),
        "attendance": ({"expected_attendance": "0"},
                       "Enter the expected number of participants (at least 1).", None),
    }


@pytest.mark.parametrize("case", ["premises", "no_outlet", "fee", "pending_trainer",
                                  "no_trainer", "lead_time", "ends_first", "attendance"])
def test_each_rule_refuses_the_submission_with_its_article(staff, app, setting, case):
    changes, message, article = _refusals(setting)[case]
    filing_id = create_and_get(staff, app, setting, **changes)
    page = staff.get(f"/filings/{filing_id}?lang=en").get_data(as_text=True)
    assert "Refused" in page and message in page
    if article:
        assert "Under " + article in page
    response = staff.post(f"/filings/{filing_id}/submit?lang=en",
                          data={"version": 1}, follow_redirects=True)
    assert "The filing breaks the rules listed below." in response.get_data(as_text=True)
    assert status_of(app, filing_id) is Status.DRAFT


def test_the_bureau_attendance_cap(staff, app, setting, world):
    with app.app_context():
        db.session.get(Bureau, world.bureau1).meeting_attendance_cap = 40
        db.session.commit()
    refused = create_and_get(staff, app, setting, expected_attendance="41")
    page = staff.get(f"/filings/{refused}?lang=en").get_data(as_text=True)
    assert "The bureau allows at most 40 participants per meeting; 41 are expected." in page
    accepted = create_and_get(staff, app, setting, expected_attendance="40")
    assert submit(staff, app, accepted).status_code == 302
    assert status_of(app, accepted) is Status.SUBMITTED


def test_a_trainer_of_another_enterprise_cannot_even_be_chosen(staff, app, setting):
    with app.app_context():
        before = len(db.session.scalars(select(Meeting)).all())
    response = create(staff, setting, trainers=[str(setting.trainer_b)])
    assert response.status_code == 200
    assert "钱外企" not in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(Meeting)).all()) == before


def test_form_errors_keep_what_was_typed(staff, setting):
    response = staff.post("/enterprise/meetings/new?lang=en", data=form_data(
        setting, contact_phone="no phone", **{"sessions-3-topic": "只有题目"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="晋城宾馆三楼会议室"' in page and 'value="只有题目"' in page
    assert "Fill in topic, speaker and minutes, or leave the whole row empty." in page
    assert "Enter a mobile number or a landline with its area code." in page


@pytest.mark.parametrize("value", ["tomorrow", "1999-05-01T09:00", "2026-13-40T25:00"])
def test_bad_dates_are_form_errors_not_crashes(staff, setting, value):
    response = staff.post("/enterprise/meetings/new", data=form_data(setting, starts_at=value))
    assert response.status_code == 200


# ---- lead time by the bureau of the district ------------------------------------------------

@pytest.fixture
def filed_on_28_september(monkeypatch):
    """Pretend the meeting is filed on Monday 28 September 2026, 16:00 in Beijing."""
    monkeypatch.setattr("portal.meetings.operations.utcnow",
                        lambda: china(2026, 9, 28, 16).astimezone(UTC))


def _set_lead(app, bureau_id, days, working):
    with app.app_context():
        bureau = db.session.get(Bureau, bureau_id)
        bureau.meeting_lead_days = days
        bureau.meeting_lead_in_working_days = working
        db.session.commit()


def test_working_days_across_national_day(staff, app, setting, world, filed_on_28_september):
    _set_lead(app, world.bureau1, 5, True)
    too_soon = create_and_get(staff, app, setting, start=china(2026, 10, 9, 9))
    page = staff.get(f"/filings/{too_soon}?lang=en").get_data(as_text=True)
    assert ("at least 5 working days before it starts (weekends and public holidays do not "
            "count); the earliest start for this filing is 2026-10-10") in page
    assert "Article 10 " + TRAIN in page
    submit(staff, app, too_soon)
    assert status_of(app, too_soon) is Status.DRAFT
    # The make-up Saturday after the holiday is the fifth working day.
    in_time = create_and_get(staff, app, setting, start=china(2026, 10, 10, 9))
    submit(staff, app, in_time)
    assert status_of(app, in_time) is Status.SUBMITTED


def test_the_same_days_in_calendar_days_are_enough(staff, app, setting, world,
                                                   filed_on_28_september):
    _set_lead(app, world.bureau1, 5, False)
    filing_id = create_and_get(staff, app, setting, start=china(2026, 10, 9, 9))
    submit(staff, app, filing_id)
    assert status_of(app, filing_id) is Status.SUBMITTED


def test_a_year_beyond_the_working_day_calendar_is_explained(staff, app, setting, world,
                                                             monkeypatch):
    from portal.rules.meetings import known_years

    last = known_years()[1]
    monkeypatch.setattr("portal.meetings.operations.utcnow",
                        lambda: china(last, 12, 28, 10).astimezone(UTC))
    _set_lead(app, world.bureau1, 10, True)
    filing_id = create_and_get(staff, app, setting, start=china(last + 1, 1, 20, 9))
    page = staff.get(f"/filings/{filing_id}?lang=en").get_data(as_text=True)
    assert (f"the portal&#39;s working-day calendar does not cover {last + 1} yet (it ends "
            f"with {last})") in page
    submit(staff, app, filing_id)
    assert status_of(app, filing_id) is Status.DRAFT


def test_the_most_local_active_bureau_sets_the_lead_time(app, world):
    from portal.admin import operations as admin_ops
    from portal.meetings.operations import bureau_for

    with app.app_context():
        province = admin_ops.create_bureau(name_zh="测试省局", name_en="Province",
                                           short_name="测省", region_code="140000")
        province.meeting_lead_days = 20
        db.session.flush()
        assert bureau_for("140502").id == world.bureau1
        db.session.get(Bureau, world.bureau1).is_active = False
        assert bureau_for("140502").id == province.id
        assert bureau_for("110101") is None  # no bureau here: TRAIN's 7 days apply
        db.session.rollback()


# ---- amending, discarding -------------------------------------------------------------------

def test_amending_an_approved_meeting_submits_a_new_version(staff, app, setting):
    filing_id = create_and_get(staff, app, setting)
    submit(staff, app, filing_id)
    with app.app_context():
        from .helpers import approve, user

        approve(filing_id, user("regulator"))
        db.session.commit()
        version = db.session.get(Filing, filing_id).version
    data = form_data(setting, title="直销法规培训（调整议程）", version=str(version))
    response = staff.post(f"/enterprise/meetings/{filing_id}/edit", data=data)
    assert response.status_code == 302
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        assert filing.status is Status.SUBMITTED and filing.revision == 2
        assert filing.title == "直销法规培训（调整议程）"


def test_an_amendment_that_breaks_a_rule_is_refused_on_the_form(staff, app, setting):
    filing_id = create_and_get(staff, app, setting)
    submit(staff, app, filing_id)
    with app.app_context():
        from .helpers import approve, user

        approve(filing_id, user("regulator"))
        db.session.commit()
        version = db.session.get(Filing, filing_id).version
    data = form_data(setting, fee="50", version=str(version))
    response = staff.post(f"/enterprise/meetings/{filing_id}/edit?lang=en", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "the fee must be 0" in page
    assert status_of(app, filing_id) is Status.APPROVED


def test_a_stale_edit_is_a_conflict(staff, app, setting):
    filing_id = create_and_get(staff, app, setting)
    data = form_data(setting, version="1")
    assert staff.post(f"/enterprise/meetings/{filing_id}/edit", data=data).status_code == 302
    response = staff.post(f"/enterprise/meetings/{filing_id}/edit", data=data)
    assert response.status_code == 409


def test_a_submitted_meeting_cannot_be_edited(staff, app, setting):
    filing_id = create_and_get(staff, app, setting)
    submit(staff, app, filing_id)
    response = staff.get(f"/enterprise/meetings/{filing_id}/edit")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/filings/{filing_id}")


def test_edit_keeps_the_agenda_when_rows_are_rearranged(staff, app, setting):
    filing_id = create_and_get(staff, app, setting)
    data = form_data(setting, version="1", **{"sessions-0-topic": "", "sessions-0-speaker": "",
                                              "sessions-0-minutes": ""})
    assert staff.post(f"/enterprise/meetings/{filing_id}/edit", data=data).status_code == 302
    with app.app_context():
        meeting = db.session.get(Meeting, filing_id)
        assert [(s.position, s.topic) for s in meeting.sessions] == [(1, "消费者权益保护")]
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "filing.edited"))


def test_discarding_a_draft_meeting_removes_its_rows(staff, app, setting):
    filing_id = create_and_get(staff, app, setting)
    assert staff.post(f"/filings/{filing_id}/discard").status_code == 302
    with app.app_context():
        assert db.session.get(Meeting, filing_id) is None


def test_the_list_page(staff, app, setting):
    create_and_get(staff, app, setting, title="下月培训")
    page = staff.get("/enterprise/meetings/?lang=en").get_data(as_text=True)
    assert "下月培训" in page and "Upcoming and current" in page
    page = staff.get("/enterprise/meetings/?when=past&lang=en").get_data(as_text=True)
    assert "下月培训" not in page and "No past meetings." in page


def test_the_form_offers_the_trainers_who_may_still_train(staff, app, world):
    from portal.models import Enterprise, User

    from ..factories import make_trainer

    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        actor = db.session.scalar(select(User).where(User.username == "ent-staff"))
        regulator = db.session.scalar(select(User).where(User.username == "regulator"))
        for status in ("approved", "submitted", "rejected", "withdrawn"):
            make_trainer(a, actor, status=status, regulator=regulator, name=f"讲师{status}")
        db.session.commit()
    page = staff.get("/enterprise/meetings/new?lang=en").get_data(as_text=True)
    assert "讲师approved (Approved)" in page and "讲师submitted (Submitted)" in page
    assert "讲师rejected" not in page and "讲师withdrawn" not in page


def test_the_trainer_choices_follow_every_change_of_the_trainers(staff, app, world):
    """The process keeps the labelled choices between requests, yet a trainer filed, renamed,
    submitted, approved, withdrawn or discarded shows so in the next form at once."""
    from portal.filings import operations as filing_ops
    from portal.models import Enterprise, Trainer, User
    from portal.rules.workflow import Action, Side
    from portal.trainers import operations as trainer_ops

    from ..factories import make_trainer

    def offered() -> str:
        return staff.get("/enterprise/meetings/new?lang=en").get_data(as_text=True)

    def actor():
        return db.session.scalar(select(User).where(User.username == "ent-staff"))

    assert "讲师甲" not in offered()
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        kept_filing = make_trainer(a, actor(), status="draft", name="讲师甲").id
        discarded = make_trainer(a, actor(), status="draft", name="讲师丙").id
        db.session.commit()
    page = offered()
    assert "讲师甲 (Draft)" in page and "讲师丙 (Draft)" in page
    with app.app_context():
        trainer = db.session.get(Trainer, kept_filing)
        data = {key: getattr(trainer, key) for key in trainer_ops.FIELDS}
        trainer_ops.update(trainer, {**data, "name": "讲师乙"}, actor())
        db.session.commit()
    page = offered()
    assert "讲师乙 (Draft)" in page and "讲师甲" not in page
    with app.app_context():
        filing_ops.apply(db.session.get(Filing, kept_filing), Action.SUBMIT, actor(),
                         Side.ENTERPRISE)
        db.session.commit()
    assert "讲师乙 (Submitted)" in offered()
    with app.app_context():
        regulator = db.session.scalar(select(User).where(User.username == "regulator"))
        filing_ops.apply(db.session.get(Filing, kept_filing), Action.APPROVE, regulator,
                         Side.BUREAU)
        db.session.commit()
    assert "讲师乙 (Approved)" in offered()
    assert staff.post(f"/filings/{discarded}/discard").status_code == 302
    with app.app_context():
        version = db.session.get(Filing, kept_filing).version
    assert staff.post(f"/filings/{kept_filing}/withdraw",
                      data={"version": version}).status_code == 302
    page = offered()
    assert "讲师乙" not in page and "讲师丙" not in page
