"""Filing trainers: the form, ID numbers, the DSR Art. 19 rules on submit, masking, the workflow."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.filings import operations as filing_ops
from portal.models import AuditEvent, Degree, Enterprise, Filing, FilingEvent, Trainer, User
from portal.rules.workflow import Action, Side, Status
from portal.trainers.operations import china_today

from ..factories import USERNAMES, id_number, make_trainer
from ..pages import input_value, select_options

ID = id_number(4242)
MASKED = ID[:4] + "**********" + ID[-4:]


def trainer_data(**changes):
    data = {
        "name": "李晓明",
        "id_number": ID,
        "employment_start": "2019-09-01",
        "degree": "bachelor",
        "certificate_no": "JKY-PXY-0007",
        "is_formal_employee": "yes",
        "has_criminal_record": "no",
        "is_mainland_resident": "yes",
    }
    data.update(changes)
    return data


@pytest.fixture
def staff(world, client, login):
    login(USERNAMES["enterprise_staff"])
    return client


def create(client, **changes):
    return client.post("/enterprise/trainers/new?lang=en", data=trainer_data(**changes))


def newest_filing():
    return db.session.scalars(select(Filing).order_by(Filing.id.desc())).first()


def radio_checked(page: str, name: str) -> str | None:
    """The value of the checked radio button named *name* in *page*."""
    for tag in re.findall(rf'<input[^>]*name="{name}"[^>]*>', page):
        if " checked" in tag:
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


def other_client(app, username):
    other = app.test_client()
    other.post("/auth/login", data={"username": username, "password": "Correct-horse-42"})
    return other


def user(username):
    return db.session.scalar(select(User).where(User.username == username))


def decide(app, filing_id, action, reasons=()):
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        filing_ops.apply(filing, action, user("regulator"), Side.BUREAU, reasons=reasons)
        db.session.commit()


def test_file_a_trainer_as_a_draft_at_the_enterprise_seat(staff, app, world):
    response = create(staff)
    assert response.status_code == 302
    with app.app_context():
        filing = newest_filing()
        trainer = db.session.get(Trainer, filing.id)
        enterprise = db.session.get(Enterprise, world.enterprise_a)
        assert filing.number.startswith("PY-") and filing.status is Status.DRAFT
        assert filing.title == "李晓明" and filing.region_code == enterprise.region_code
        assert (trainer.id_number, trainer.degree, trainer.employment_start) == (
            ID, Degree.BACHELOR, date(2019, 9, 1))
        assert trainer.is_formal_employee and not trainer.has_criminal_record
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "filing.created"))


def test_the_new_form_asks_each_declaration_without_a_preselected_answer(staff):
    page = staff.get("/enterprise/trainers/new?lang=en").get_data(as_text=True)
    assert "Is the person a formal employee of the enterprise?" in page
    assert "checked" not in page
    assert set(select_options(page, "degree")) == {"", "associate", "bachelor", "master",
                                                   "doctorate"}
    assert "Article 19 of the Direct Selling Regulation" in page


@pytest.mark.parametrize("bad, message", [
    (ID[:-1] + ("0" if ID[-1] != "0" else "1"), "the check digit"),
    ("140502198802301233", "does not contain a valid birth date"),  # 30 February
    ("1405021988", "Enter the 18-character resident ID number"),
])
def test_an_invalid_id_number_is_refused_and_the_typed_input_kept(staff, app, bad, message):
    with app.app_context():
        before = db.session.query(Filing).count()
    response = create(staff, id_number=bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert input_value(page, "name") == "李晓明"
    assert input_value(page, "id_number") == bad.upper()
    assert radio_checked(page, "is_formal_employee") == "yes"
    assert radio_checked(page, "has_criminal_record") == "no"
    with app.app_context():
        assert db.session.query(Filing).count() == before


def test_an_unknown_region_code_in_the_id_number_is_refused(staff):
    number = id_number(7, region="999999")
    page = create(staff, id_number=number).get_data(as_text=True)
    assert "not a known administrative division code" in page


def test_unanswered_declarations_and_missing_degree_are_refused(staff):
    data = trainer_data(degree="")
    for key in ("is_formal_employee", "has_criminal_record", "is_mainland_resident"):
        del data[key]
    page = staff.post("/enterprise/trainers/new?lang=en", data=data).get_data(as_text=True)
    assert page.count("Answer yes or no.") == 3
    assert "Choose the highest degree." in page
    data = trainer_data(is_formal_employee="maybe")
    page = staff.post("/enterprise/trainers/new?lang=en", data=data).get_data(as_text=True)
    assert page.count("Answer yes or no.") == 1


def test_employment_dates_in_the_future_or_before_working_age_are_refused(staff):
    tomorrow = (china_today() + timedelta(days=1)).isoformat()
    page = create(staff, employment_start=tomorrow).get_data(as_text=True)
    assert "cannot lie in the future" in page
    born = date(1975, 1, 1) + timedelta(days=4242 % 9000)  # as factories.id_number builds it
    too_young = date(born.year + 15, born.month, 1).isoformat()
    page = create(staff, employment_start=too_young).get_data(as_text=True)
    assert "was not yet 16 on this date" in page
    page = create(staff, employment_start="2019-02-30").get_data(as_text=True)
    assert "Not a valid date value" in page


def test_submit_an_eligible_trainer_records_history_with_the_fields(staff, app):
    create(staff)
    with app.app_context():
        filing = newest_filing()
    response = staff.post(f"/filings/{filing.id}/submit", data={"version": filing.version})
    assert response.status_code == 302
    with app.app_context():
        filing = db.session.get(Filing, filing.id)
        assert filing.status is Status.SUBMITTED and filing.revision == 1
        event = db.session.scalars(
            select(FilingEvent).where(FilingEvent.filing_id == filing.id)).one()
        assert event.snapshot["degree"] == "bachelor"
        assert event.snapshot["employment_start"] == "2019-09-01"
        assert event.snapshot["is_mainland_resident"] is True


@pytest.mark.parametrize("changes, message", [
    ({"employment_start": None}, "must have worked for the enterprise for at least 1 year"),
    ({"degree": "associate"}, "must hold a bachelor&#39;s degree or higher"),
    ({"has_criminal_record": "yes"}, "criminal punishment for an intentional crime may not"),
    ({"is_mainland_resident": "no"}, "outside the mainland may not train"),
    ({"is_formal_employee": "no"}, "must be a formal employee of the enterprise"),
])
def test_an_ineligible_trainer_cannot_be_submitted_and_the_article_is_shown(
        staff, app, changes, message):
    if changes.get("employment_start", "") is None:
        changes["employment_start"] = (china_today() - timedelta(days=200)).isoformat()
    create(staff, **changes)
    with app.app_context():
        filing = newest_filing()
    page = staff.get(f"/filings/{filing.id}?lang=en").get_data(as_text=True)
    assert message in page
    assert "Under Article 19 of the Direct Selling Regulation" in page
    response = staff.post(f"/filings/{filing.id}/submit?lang=en",
                          data={"version": filing.version}, follow_redirects=True)
    assert "Correct it before submitting" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Filing, filing.id).status is Status.DRAFT


def test_a_missing_certificate_warns_but_does_not_block(staff, app):
    create(staff, certificate_no="")
    with app.app_context():
        filing = newest_filing()
        assert db.session.get(Trainer, filing.id).certificate_no is None
    page = staff.get(f"/filings/{filing.id}?lang=en").get_data(as_text=True)
    assert "No trainer certificate number is entered" in page
    assert "Article 4 of the Measures on Business Training of Direct Sellers" in page
    staff.post(f"/filings/{filing.id}/submit", data={"version": filing.version})
    with app.app_context():
        assert db.session.get(Filing, filing.id).status is Status.SUBMITTED


def test_the_same_id_number_cannot_be_filed_twice_while_live(staff, app):
    create(staff)
    create(staff, name="李晓明（重复）")
    with app.app_context():
        first, second = db.session.scalars(
            select(Filing).where(Filing.title.like("李晓明%")).order_by(Filing.id)).all()
    page = staff.get(f"/filings/{second.id}?lang=en").get_data(as_text=True)
    assert f"already filed for the enterprise as trainer {first.number}" in page


def test_the_id_number_is_shown_in_full_only_where_allowed(staff, app, world):
    create(staff)
    with app.app_context():
        filing = newest_filing()
    staff.post(f"/filings/{filing.id}/submit", data={"version": filing.version})
    # The enterprise: in full on the filing page and its edit form, masked in the registry.
    assert ID in staff.get(f"/filings/{filing.id}").get_data(as_text=True)
    listing = staff.get("/enterprise/trainers/").get_data(as_text=True)
    assert MASKED in listing and ID not in listing
    # The regulator of the seat's bureau sees it in full on the filing page.
    regulator = other_client(app, "regulator")
    assert ID in regulator.get(f"/filings/{filing.id}").get_data(as_text=True)
    # Inspectors and administrators see it masked.
    for username in ("inspector", "admin"):
        page = other_client(app, username).get(f"/filings/{filing.id}").get_data(as_text=True)
        assert MASKED in page and ID not in page
    # Nobody sees it in the filings list.
    assert ID not in staff.get("/filings/?kind=trainer").get_data(as_text=True)


def test_the_receipt_masks_the_id_number(staff, app):
    from portal.trainers.views import trainer_id_number

    create(staff)
    with app.app_context():
        filing = newest_filing()
    staff.post(f"/filings/{filing.id}/submit", data={"version": filing.version})
    assert staff.get(f"/filings/{filing.id}/receipt.pdf").status_code == 200
    with app.app_context():
        trainer = db.session.get(Trainer, filing.id)
        with app.test_request_context(f"/filings/{filing.id}/receipt.pdf"):
            app.preprocess_request()
            assert trainer_id_number(trainer) == MASKED


def test_another_enterprise_cannot_see_or_edit_the_trainer(staff, app):
    create(staff)
    with app.app_context():
        filing = newest_filing()
    other = other_client(app, USERNAMES["enterprise2_staff"])
    assert other.get(f"/filings/{filing.id}").status_code == 404
    assert other.get(f"/enterprise/trainers/{filing.id}/edit").status_code == 404
    assert other.post(f"/enterprise/trainers/{filing.id}/edit",
                      data=trainer_data(name="改名")).status_code == 404
    assert "李晓明" not in other.get("/enterprise/trainers/").get_data(as_text=True)


def test_a_returned_trainer_is_corrected_and_resubmitted(staff, app):
    create(staff)
    with app.app_context():
        filing = newest_filing()
    staff.post(f"/filings/{filing.id}/submit", data={"version": filing.version})
    decide(app, filing.id, Action.RETURN, ["社保记录显示在本企业工作不满1年"])
    page = staff.get(f"/enterprise/trainers/{filing.id}/edit").get_data(as_text=True)
    assert input_value(page, "id_number") == ID  # in full on the own edit form
    assert radio_checked(page, "is_mainland_resident") == "yes"
    with app.app_context():
        version = db.session.get(Filing, filing.id).version
    response = staff.post(f"/enterprise/trainers/{filing.id}/edit",
                          data=trainer_data(employment_start="2018-09-01", version=version))
    assert response.status_code == 302
    staff.post(f"/filings/{filing.id}/resubmit", data={"version": version})
    with app.app_context():
        filing = db.session.get(Filing, filing.id)
        assert filing.status is Status.SUBMITTED and filing.revision == 2
        assert db.session.get(Trainer, filing.id).employment_start == date(2018, 9, 1)


def test_amending_an_approved_trainer_submits_a_new_version_unless_it_breaks_a_rule(staff, app):
    with app.app_context():
        actor = user(USERNAMES["enterprise_staff"])
        filing = make_trainer(actor.enterprise, actor, "approved", user("regulator"),
                              id_number=ID, name="王芳")
        db.session.commit()
        filing_id, version = filing.id, filing.version
    data = trainer_data(name="王芳", degree="associate", version=version)
    response = staff.post(f"/enterprise/trainers/{filing_id}/edit?lang=en", data=data)
    assert response.status_code == 200
    assert "bachelor&#39;s degree or higher" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Filing, filing_id).status is Status.APPROVED
        assert db.session.get(Trainer, filing_id).degree is Degree.BACHELOR
    data = trainer_data(name="王芳", degree="master", version=version)
    assert staff.post(f"/enterprise/trainers/{filing_id}/edit", data=data).status_code == 302
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        assert (filing.status, filing.revision) == (Status.SUBMITTED, 2)
        assert filing.events[-1].action == "amend"


def test_a_stale_edit_is_a_conflict(staff, app):
    create(staff)
    with app.app_context():
        filing = newest_filing()
    stale = filing.version
    staff.post(f"/enterprise/trainers/{filing.id}/edit",
               data=trainer_data(name="第一次修改", version=stale))
    response = staff.post(f"/enterprise/trainers/{filing.id}/edit?lang=en",
                          data=trainer_data(name="第二次修改", version=stale))
    assert response.status_code == 409
    with app.app_context():
        assert db.session.get(Trainer, filing.id).name == "第一次修改"


def test_withdrawn_and_rejected_trainers_can_no_longer_be_edited(staff, app):
    with app.app_context():
        actor = user(USERNAMES["enterprise_staff"])
        filing_id = make_trainer(actor.enterprise, actor, "withdrawn", user("regulator")).id
        db.session.commit()
    response = staff.get(f"/enterprise/trainers/{filing_id}/edit")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/filings/{filing_id}")


def test_the_registry_filters_by_status(staff, app):
    with app.app_context():
        actor = user(USERNAMES["enterprise_staff"])
        make_trainer(actor.enterprise, actor, "approved", user("regulator"), name="甲培训员")
        make_trainer(actor.enterprise, actor, "draft", name="乙培训员")
        db.session.commit()
    page = staff.get("/enterprise/trainers/?status=approved").get_data(as_text=True)
    assert "甲培训员" in page and "乙培训员" not in page
    page = staff.get("/enterprise/trainers/?status=nonsense").get_data(as_text=True)
    assert "甲培训员" in page and "乙培训员" in page
