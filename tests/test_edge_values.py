"""Values at the edges of what a user can type or a client can send, each found to answer 500
(or to slip past a check) in a review of the workbench: days a date cannot hold in China time,
digits int() refuses, query arguments url_for reads as its own, ids beyond any column, very
long searches, and posts without the version the optimistic lock needs."""

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Filing, Supervision
from portal.rules.trainers import id_number_error
from portal.rules.workflow import Status

from .meetings.conftest import meetings, setting  # noqa: F401  (fixtures used here)
from .policies.test_policies import policy_data
from .review.conftest import signed_in
from .supervision.conftest import supervisions  # noqa: F401  (a fixture used here)
from .supervision.test_record import past_supervision, record_data
from .trainers.test_trainers import trainer_data

EDGE_DAYS = ["9999-12-31", "0001-01-01", "10000-01-01"]
# Digits str.isdigit() accepts and int() refuses (superscript two, Arabic-Indic three).
ODD_DIGITS = ["²", "²" * 6, "٣" * 6]


def _ok(response):
    assert response.status_code < 500, response.status_code
    return response


@pytest.mark.parametrize("key", ["from", "to"])
@pytest.mark.parametrize("day", EDGE_DAYS)
def test_queue_export_and_audit_filters_take_any_day(app, world, key, day):
    regulator, admin = signed_in(app, "regulator"), signed_in(app, "admin")
    page = _ok(regulator.get("/review/queue", query_string={"status": "all", key: day}))
    assert page.status_code == 200
    # An impossible day is no filter: the filing is listed.
    with app.app_context():
        number = db.session.get(Filing, world.filing_a).number
    assert number in page.get_data(as_text=True)
    assert _ok(regulator.get("/review/queue/export.csv", query_string={key: day})) \
        .status_code == 200
    assert _ok(admin.get("/admin/audit", query_string={key: day})).status_code == 200


@pytest.mark.parametrize("day", EDGE_DAYS[:2])
def test_a_date_field_refuses_a_day_out_of_range_in_words(app, world, day):
    """Every DateField of the portal is portal.widgets.DateField (bounded): here the annual
    report's period and the public return-window helper."""
    regulator = signed_in(app, "regulator")
    page = _ok(regulator.get("/reports/annual", query_string={
        "lang": "en", "start": day, "end": day})).get_data(as_text=True)
    assert "Enter a date between 1900 and 2999." in page
    helper = _ok(app.test_client().get("/public/returns", query_string={
        "lang": "en", "purchased_on": day, "requested_on": day})).get_data(as_text=True)
    assert "Enter a date between 1900 and 2999." in helper


@pytest.mark.parametrize("value", ODD_DIGITS)
def test_odd_digits_are_no_filter_and_no_version(app, world, value):
    regulator = signed_in(app, "regulator")
    for key in ("enterprise", "region"):
        assert _ok(regulator.get("/review/queue", query_string={key: value})).status_code == 200
        assert _ok(regulator.get("/review/queue/export.csv",
                                 query_string={key: value})).status_code == 200
    compare = regulator.get(f"/filings/{world.filing_a}/compare", query_string={"a": value})
    assert compare.status_code == 404


def test_an_id_number_with_odd_digits_is_a_format_error():
    assert id_number_error("14050219900101123²", None) == "format"
    assert id_number_error("²" * 18, None) == "format"


@pytest.mark.parametrize("key", ["fmt", "endpoint", "_external", "_method", "_anchor",
                                 "_scheme", "values"])
def test_arguments_url_for_reads_are_not_passed_on(app, world, key):
    regulator = signed_in(app, "regulator")
    page = regulator.get("/review/queue", query_string={"kind": "outlet", key: "x"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'href="/review/queue/export.csv?kind=outlet"' in html
    assert f"{key}=x" not in html.partition("export.csv")[2].partition('"')[0]


def test_a_very_long_search_is_cut_not_a_database_failure(app, world):
    regulator, admin = signed_in(app, "regulator"), signed_in(app, "admin")
    long = "a" * 60_000
    assert regulator.get("/review/enterprises", query_string={"q": long}).status_code == 200
    assert admin.get("/admin/enterprises", query_string={"q": long}).status_code == 200
    assert admin.get("/admin/users", query_string={"q": long}).status_code == 200


def test_an_enterprise_action_without_the_version_is_a_conflict(app, world):
    """A post that names no version must not act blind over a change made meanwhile."""
    staff = signed_in(app, "ent-staff")
    response = staff.post(f"/filings/{world.filing_a}/withdraw", data={})
    assert response.status_code == 409
    with app.app_context():
        assert db.session.get(Filing, world.filing_a).status is Status.SUBMITTED


def test_an_edit_form_without_the_version_is_a_conflict(app, world, supervisions):  # noqa: F811
    """A form built with the current version (WTForms' obj/data) must not take it for the
    version a post without the field carried (portal.filings.forms.VersionField)."""
    regulator = signed_in(app, "regulator")
    with app.app_context():
        before = db.session.get(Supervision, supervisions.planned).version
    response = regulator.post(f"/supervision/{supervisions.planned}/staff",
                              data={"staff": [supervisions.inspector2], "notes": "换人"})
    assert response.status_code == 409
    with app.app_context():
        supervision = db.session.get(Supervision, supervisions.planned)
        assert supervision.version == before
        assert [u.id for u in supervision.staff] == [world.users["inspector"]]


def test_a_staff_id_beyond_any_column_is_nobody(app, world, supervisions):  # noqa: F811
    regulator = signed_in(app, "regulator")
    with app.app_context():
        version = db.session.scalar(select(Supervision.version).where(
            Supervision.id == supervisions.planned))
    response = regulator.post(f"/supervision/{supervisions.planned}/staff?lang=en", data={
        "staff": ["9223372036854775808"], "notes": "", "version": version})
    assert response.status_code == 200  # the form again, with the staff rule's message
    with app.app_context():
        assert [u.id for u in db.session.get(Supervision, supervisions.planned).staff] == [
            world.users["inspector"]]


BOUND = "Enter a date between 1900 and 2999."


def _feedback(html: str, field: str) -> str:
    """The text of *field*'s error message block (its aria-describedby target)."""
    found = re.search(rf'id="{field}-error"[^>]*>(.*?)</div>', html, re.S)
    assert found, f"no error shown for {field}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_an_out_of_range_day_is_said_once_per_field(app, world, meetings, supervisions):  # noqa: F811
    """The range check stops the field's other checks (StopValidation): the policy's own
    2005-2100 range, the trainer's employment dates and the supervision's time rules would
    each have added a second message beside it."""
    staff = signed_in(app, "ent-staff")
    policy = staff.post("/enterprise/policies/new?lang=en", data=policy_data(
        effective_on="0001-01-01"), content_type="multipart/form-data")
    assert _feedback(policy.get_data(as_text=True), "effective_on") == BOUND
    trainer = staff.post("/enterprise/trainers/new?lang=en",
                         data=trainer_data(employment_start="0001-01-01"))
    assert _feedback(trainer.get_data(as_text=True), "employment_start") == BOUND
    supervision_id = past_supervision(app, meetings, world)
    inspector = signed_in(app, "inspector")
    record = inspector.post(f"/supervision/{supervision_id}/record?lang=en", data=record_data(
        app, supervision_id, observed_at="0001-01-01T09:00", save="1"))
    assert _feedback(record.get_data(as_text=True), "observed_at") == BOUND
