"""Catalogues a process keeps between requests (portal.kept.per_catalogue): the claims
checker's phrases, the review reasons a filing page offers, the bureaus' meeting rules and the
enterprises' names the review queue shows.

A meeting's filing page read all three on every request; now a process reads them once and
again only when the catalogue stamp, read with the signed-in user, has moved on. These tests
change the catalogues as another process would (a commit outside the request) and require
the very next page to show the change.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.meetings.claims import load_claim_phrases
from portal.models import (
    Bureau,
    CatalogueStamp,
    ClaimCategory,
    ClaimPhrase,
    Enterprise,
    ReviewReason,
    utcnow,
)
from portal.rules.workflow import Status

from ..meetings.helpers import make_meeting
from .conftest import signed_in, user
from .test_query_counts import page_and_statements

CATALOGUE_TABLES = ("claim_phrase", "review_reason", "bureau")


@pytest.fixture(autouse=True)
def pages_rendered_every_time(app, monkeypatch):
    """The filing page's rule check is kept until anything changes (filings.pages.
    filing_parts), which would hide what these tests look at: the catalogues kept below it."""
    monkeypatch.setitem(app.config, "KEPT_UNTIL_CHANGED_SECONDS", 0)


@pytest.fixture
def meeting_page(app, world, reasons):
    """The filing page of a submitted meeting in bureau 1's jurisdiction (English)."""
    with app.app_context():
        load_claim_phrases()
        meeting = make_meeting(db.session.get(Enterprise, world.enterprise_a),
                               user("ent-staff"), user("regulator"), status=Status.SUBMITTED,
                               title="直销管理条例解读会", starts_at=utcnow() + timedelta(days=20))
        db.session.commit()
        return f"/filings/{meeting.filing_id}?lang=en"


def read_tables(app, client, url: str) -> tuple[str, set[str]]:
    """The page's text and which catalogue tables its statements read."""
    page, seen = page_and_statements(app, client, url)
    return page, {table for table in CATALOGUE_TABLES for statement in seen
                  if f"FROM {table} " in statement.replace('"', "") + " "}


def generation(app) -> int:
    with app.app_context():
        return db.session.get(CatalogueStamp, 1).generation


def test_a_meeting_page_reads_the_catalogues_once_and_again_after_a_change(
        app, world, reasons, meeting_page):
    regulator = signed_in(app, "regulator")
    page, read = read_tables(app, regulator, meeting_page)
    assert read == set(CATALOGUE_TABLES)
    assert "“条例解读” (title)" not in page
    assert "at most 20 participants" not in page
    page, read = read_tables(app, regulator, meeting_page)
    assert read == set()  # kept

    # Another process changes all three catalogues.
    with app.app_context():
        db.session.add(ClaimPhrase(phrase="条例解读", category=ClaimCategory.DISGUISED_TRAINING))
        reason_id = reasons["培训员未备案"]  # offered for meetings only
        reason = db.session.get(ReviewReason, reason_id)
        reason.text_en = "Kept-catalogue test reason"
        db.session.get(Bureau, world.bureau1).meeting_attendance_cap = 20
        db.session.commit()

    page, read = read_tables(app, regulator, meeting_page)
    assert read == set(CATALOGUE_TABLES)
    assert "“条例解读” (title): a seminar" in page
    assert f'value="{reason_id}"' in page and "Kept-catalogue test reason" in page
    assert "at most 20 participants per meeting; 50 are expected" in page
    page, read = read_tables(app, regulator, meeting_page)
    assert read == set()


def test_a_deactivated_reason_is_no_longer_offered_on_the_next_page(app, meeting_page):
    regulator = signed_in(app, "regulator")
    page, _read = read_tables(app, regulator, meeting_page)
    with app.app_context():
        reason = db.session.scalars(select(ReviewReason).order_by(ReviewReason.id)).first()
        reason_id, reason.is_active = reason.id, False
        db.session.commit()
    assert f'id="reason-{reason_id}"' in page
    page, _read = read_tables(app, regulator, meeting_page)
    assert f'id="reason-{reason_id}"' not in page


def test_the_stamp_moves_with_the_catalogues_only_and_only_when_committed(app, world, reasons):
    before = generation(app)
    with app.app_context():
        db.session.scalars(select(ClaimPhrase)).all()  # read, not changed
        user("regulator").display_name = "另一个名字"  # not a kept catalogue
        db.session.commit()
    assert generation(app) == before
    with app.app_context():
        db.session.add(ClaimPhrase(phrase="回滚的词", category=ClaimCategory.INCOME_PROMISE))
        db.session.flush()
        db.session.rollback()
    assert generation(app) == before
    with app.app_context():
        db.session.get(ReviewReason, reasons["材料不齐全"]).is_active = False
        db.session.commit()
    assert generation(app) == before + 1
    with app.app_context():
        db.session.add(ClaimPhrase(phrase="删掉的词", category=ClaimCategory.INCOME_PROMISE))
        db.session.commit()
    assert generation(app) == before + 2
    with app.app_context():
        db.session.delete(db.session.scalar(select(ClaimPhrase)
                                            .where(ClaimPhrase.phrase == "删掉的词")))
        db.session.commit()
    assert generation(app) == before + 3
    with app.app_context():  # the queue keeps the enterprises' names (review.queue)
        db.session.get(Enterprise, world.enterprise_a).name = "另一个名字"
        db.session.commit()
    assert generation(app) == before + 4


def test_a_request_that_changes_a_catalogue_reads_it_afresh_for_the_rest_of_it(
        app, meeting_page):
    """The stamp read with the user no longer vouches for the catalogues once the request
    changed one (an administrator's edit, then a page rendered in the same request)."""
    from flask import g

    from portal.meetings.claims import active_phrases

    regulator = signed_in(app, "regulator")
    read_tables(app, regulator, meeting_page)  # the phrases are kept now
    with app.test_request_context("/"):
        g.catalogue_stamp = generation(app)
        before = active_phrases()
        db.session.add(ClaimPhrase(phrase="同一请求", category=ClaimCategory.INCOME_PROMISE))
        db.session.flush()
        assert "catalogue_stamp" not in g
        assert ("同一请求", "income_promise") in active_phrases()
        assert ("同一请求", "income_promise") not in before
        db.session.rollback()
