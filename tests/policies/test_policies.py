"""Filing return and exchange policies: the form, the rules with their articles, the document."""

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Document, Enterprise, Filing, FilingEvent, ReturnPolicy, User
from portal.rules.workflow import Status

from ..factories import PDF_BYTES, USERNAMES, make_policy
from ..pages import input_value

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ALL_PLACES = ["enterprise", "branch", "outlet", "seller"]


def policy_data(with_file=True, **changes):
    data = {
        "title": "晋康源产品退换货制度（2026年版）",
        "consumer_return_days": "30",
        "seller_return_days": "30",
        "requires_unopened": "y",
        "refund_days": "7",
        "return_places": ALL_PLACES,
        "contact": "0356-2021888，晋城市城区凤台东街1188号",
        "effective_on": (date.today() + timedelta(days=30)).isoformat(),
    }
    if with_file:
        data["policy_file"] = (io.BytesIO(PDF_BYTES), "退换货制度.pdf")
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def staff(world, client, login):
    login(USERNAMES["enterprise_staff"])
    return client


def create(client, **changes):
    return client.post("/enterprise/policies/new", data=policy_data(**changes),
                       content_type="multipart/form-data")


def the_filing():
    """The newest filing (the world fixture already holds a few)."""
    return db.session.scalars(select(Filing).order_by(Filing.id.desc())).first()


def page_of(client, filing_id) -> str:
    return client.get(f"/filings/{filing_id}?lang=en").get_data(as_text=True)


def submit(client, app):
    with app.app_context():
        filing = the_filing()
        filing_id, version = filing.id, filing.version
    return client.post(f"/filings/{filing_id}/submit", data={"version": version}), filing_id


def test_a_policy_is_saved_as_a_draft_at_the_enterprise_seat(staff, app, world):
    response = create(staff)
    assert response.status_code == 302
    with app.app_context():
        filing = the_filing()
        policy = db.session.get(ReturnPolicy, filing.id)
        seat = db.session.get(Enterprise, world.enterprise_a).region_code
        assert filing.status is Status.DRAFT and filing.number.startswith("TH-")
        assert filing.region_code == seat
        assert filing.title == policy.title == "晋康源产品退换货制度（2026年版）"
        assert policy.return_places == ALL_PLACES
        assert policy.requires_unopened is True
        assert policy.document.media_type == "application/pdf"


def test_a_policy_that_meets_the_rules_is_submitted_with_a_snapshot(staff, app):
    create(staff)
    response, filing_id = submit(staff, app)
    assert response.status_code == 302
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        assert filing.status is Status.SUBMITTED
        event = db.session.scalars(
            select(FilingEvent).where(FilingEvent.filing_id == filing_id)).one()
        assert event.snapshot["refund_days"] == 7
        assert event.snapshot["return_places"] == ALL_PLACES
    page = page_of(staff, filing_id)
    assert "Rule check" not in page
    assert "30 days after purchase" in page and "7 days after the request" in page
    receipt = staff.get(f"/filings/{filing_id}/receipt.pdf")
    assert receipt.status_code == 200 and receipt.data.startswith(b"%PDF")


RULES = [
    ({"consumer_return_days": "29"},
     "Consumers must be able to return products for at least 30 days after purchase; this "
     "policy allows 29 days.", "Article 25(1) of the Direct Selling Regulation"),
    ({"seller_return_days": "20"},
     "Direct sellers must be able to return products for at least 30 days after purchase; this "
     "policy allows 20 days.", "Article 25(2) of the Direct Selling Regulation"),
    ({"refund_days": "15"},
     "Refunds and exchanges must be made within 7 days of the request; this policy allows 15 "
     "days.", "Article 25(1) of the Direct Selling Regulation"),
    ({"return_places": ["enterprise", "outlet"]},
     "this policy leaves out: its branches and the direct seller who sold the product.",
     "Article 25(1) of the Direct Selling Regulation"),
    ({"with_file": False},
     "Upload the policy document (PDF) before submitting.",
     "Under Article 25 of the Direct Selling Regulation"),
]


@pytest.mark.parametrize("changes, message, article", RULES,
                         ids=["consumer", "seller", "refund", "places", "document"])
def test_each_rule_refuses_submission_with_message_and_article(staff, app, changes, message,
                                                               article):
    assert create(staff, **changes).status_code == 302
    with app.app_context():
        filing_id = the_filing().id
    page = page_of(staff, filing_id)
    assert "Refused:" in page and message in page and article in page
    response, _ = submit(staff, app)
    assert response.status_code == 302
    followed = staff.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "Correct it before submitting" in followed
    with app.app_context():
        assert db.session.get(Filing, filing_id).status is Status.DRAFT


def test_the_limits_follow_the_settings(staff, app, monkeypatch):
    monkeypatch.setitem(app.config, "POLICY_MIN_RETURN_DAYS", 45)
    monkeypatch.setitem(app.config, "POLICY_MAX_REFUND_DAYS", 5)
    create(staff, refund_days="6")
    with app.app_context():
        filing_id = the_filing().id
    page = page_of(staff, filing_id)
    assert "for at least 45 days after purchase; this policy allows 30 days." in page
    assert "within 5 days of the request; this policy allows 6 days." in page
    form = staff.get("/enterprise/policies/new?lang=en").get_data(as_text=True)
    assert "At least 45 days" in form and "At most 5 days" in form


def test_an_effective_date_in_the_past_warns_but_does_not_block(staff, app):
    past = (date.today() - timedelta(days=10)).isoformat()
    create(staff, effective_on=past)
    with app.app_context():
        filing_id = the_filing().id
    page = page_of(staff, filing_id)
    assert "Warning:" in page
    assert f"The policy takes effect on {past}, before its submission" in page
    assert "Article 5 of the Measures on Information Reporting and Disclosure" in page
    response, _ = submit(staff, app)
    with app.app_context():
        assert db.session.get(Filing, filing_id).status is Status.SUBMITTED


def test_form_errors_keep_typed_input_and_the_uploaded_document(staff, app):
    response = create(staff, contact="", consumer_return_days="thirty")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert input_value(page, "title") == "晋康源产品退换货制度（2026年版）"
    assert input_value(page, "consumer_return_days") == "thirty"
    assert "退换货制度.pdf" in page
    with app.app_context():
        document = db.session.scalars(select(Document).order_by(Document.id.desc())).first()
        before = len(db.session.scalars(select(Filing)).all())
    assert input_value(page, "document_id") == str(document.id)
    # Sending again without choosing the file again keeps the upload.
    again = create(staff, with_file=False, document_id=str(document.id))
    assert again.status_code == 302
    with app.app_context():
        assert len(db.session.scalars(select(Filing)).all()) == before + 1
        assert db.session.get(ReturnPolicy, the_filing().id).document_id == document.id


def test_only_a_pdf_is_accepted_by_content(staff, app):
    with app.app_context():
        before = len(db.session.scalars(select(Document)).all())
    response = staff.post("/enterprise/policies/new?lang=en",
                          data=policy_data(policy_file=(io.BytesIO(PNG), "制度.pdf")),
                          content_type="multipart/form-data")
    assert response.status_code == 200
    assert "This file is not a PDF file" in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(Document)).all()) == before


def test_invalid_numbers_and_dates_are_form_errors_not_crashes(staff):
    for changes in ({"refund_days": "-1"}, {"seller_return_days": "99999999999"},
                    {"effective_on": "1900-01-01"}, {"effective_on": "2026-02-30"},
                    {"return_places": ["everywhere"]}, {"title": "x" * 300}):
        response = create(staff, **changes)
        assert response.status_code == 200, changes
        assert "invalid-feedback" in response.get_data(as_text=True)


def test_a_draft_is_corrected_and_keeps_its_document(staff, app):
    create(staff, refund_days="10")
    with app.app_context():
        filing = the_filing()
        filing_id, version = filing.id, filing.version
        document_id = db.session.get(ReturnPolicy, filing_id).document_id
    form = staff.get(f"/enterprise/policies/{filing_id}/edit").get_data(as_text=True)
    assert input_value(form, "refund_days") == "10"
    data = policy_data(with_file=False, refund_days="5", title="修订后的退换货制度",
                       version=str(version), document_id=str(document_id))
    response = staff.post(f"/enterprise/policies/{filing_id}/edit", data=data)
    assert response.status_code == 302
    with app.app_context():
        policy = db.session.get(ReturnPolicy, filing_id)
        assert policy.refund_days == 5 and policy.document_id == document_id
        assert policy.filing.title == "修订后的退换货制度"
    # A stale version is a conflict, not an overwrite.
    stale = staff.post(f"/enterprise/policies/{filing_id}/edit", data=data)
    assert stale.status_code == 409


def test_an_approved_policy_is_changed_by_a_new_version(staff, app, world):
    with app.app_context():
        enterprise = db.session.get(Enterprise, world.enterprise_a)
        actor = db.session.get(User, world.users["enterprise_staff"])
        regulator = db.session.get(User, world.users["regulator"])
        approved = make_policy(enterprise, actor, "approved", regulator, refund_days=5,
                               effective_on=date(2025, 1, 1))
        db.session.commit()
        approved_id = approved.id
    response = staff.get(f"/enterprise/policies/{approved_id}/edit")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/enterprise/policies/new?from={approved_id}")
    form = staff.get(f"/enterprise/policies/new?from={approved_id}&lang=en").get_data(
        as_text=True)
    assert "New version based on" in form
    assert input_value(form, "refund_days") == "5"
    assert input_value(form, "effective_on") is None or input_value(form, "effective_on") == ""
    assert create(staff).status_code == 302
    with app.app_context():
        assert db.session.get(Filing, approved_id).status is Status.APPROVED
        assert the_filing().id != approved_id


def test_the_filing_list_offers_the_policy_kind(staff):
    page = staff.get("/filings/?lang=en").get_data(as_text=True)
    assert "New: Return and exchange policy" in page
    assert "/enterprise/policies/new" in page


def test_malformed_or_huge_ids_are_not_found_never_errors(staff):
    huge = "9" * 23
    for url in (f"/enterprise/policies/{huge}/edit", f"/enterprise/policies/new?from={huge}",
                "/enterprise/policies/new?from=²", "/enterprise/policies/new?from=",
                f"/filings/policies/compare?a={huge}&b=1", "/filings/policies/compare?a=²&b=1",
                "/filings/policies/compare?a=1"):
        assert staff.get(url).status_code == 404, url
    for bogus in ("²", huge, "-1", "abc"):
        response = create(staff, with_file=False, document_id=bogus, title="")
        assert response.status_code == 200, bogus
