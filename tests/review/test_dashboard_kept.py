"""The bureau dashboard's content kept until anything changes (review.views.dashboard_body,
portal.kept.until_changed): an unchanged dashboard reads no filings; a decision or a
submission made through the portal shows on the very next view."""

import re

import pytest

from portal.extensions import db
from portal.models import Enterprise

from ..factories import make_outlet
from .conftest import signed_in, user, version_on
from .test_filing_page_kept import tables_read

HOME = "/review/?lang=en"


@pytest.fixture
def statistics_kept(app, monkeypatch):
    """The statistics kept as in production (the tests count them on every view, and the
    content is rendered again whenever they are), none kept from another test."""
    monkeypatch.setitem(app.config, "DASHBOARD_STATISTICS_SECONDS", 300)
    app.extensions.pop("portal.kept.dashboard_statistics", None)
    yield
    app.extensions.pop("portal.kept.dashboard_statistics", None)


def undecided(page: str) -> int:
    return int(re.search(r'id="undecided-total">([\d,]+)<', page).group(1).replace(",", ""))


def test_an_unchanged_dashboard_reads_no_filings(app, world, statistics_kept):
    regulator = signed_in(app, "regulator")
    first, read = tables_read(app, regulator, HOME)
    assert {"filing", "filing_region_tally", "enterprise"} <= read
    again, read = tables_read(app, regulator, HOME)
    assert read & {"filing", "filing_region_tally", "enterprise", "filing_event"} == set()
    assert again == first


def test_a_submission_and_a_decision_show_on_the_next_view(app, world, statistics_kept):
    with app.app_context():
        draft = make_outlet(db.session.get(Enterprise, world.enterprise_a), user("ent-staff"),
                            "140502", submit=False)
        db.session.commit()
        draft_id = draft.id
    # Both signed in before the first view.
    regulator, enterprise = signed_in(app, "regulator"), signed_in(app, "ent-staff")
    form = enterprise.get(f"/filings/{draft_id}?lang=en").get_data(as_text=True)
    before = undecided(regulator.get(HOME).get_data(as_text=True))
    page, read = tables_read(app, regulator, HOME)
    assert undecided(page) == before and "filing" not in read  # kept
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    assert enterprise.post(f"/filings/{draft_id}/submit",
                           data={"version": version}).status_code == 302
    assert undecided(regulator.get(HOME).get_data(as_text=True)) == before + 1
    page = regulator.get(f"/filings/{draft_id}?lang=en").get_data(as_text=True)
    assert regulator.post(f"/review/filings/{draft_id}/approve", data={
        "version": version_on(page, "approve")}).status_code == 302
    assert undecided(regulator.get(HOME).get_data(as_text=True)) == before
