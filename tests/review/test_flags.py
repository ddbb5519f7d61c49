"""Flags: raised and cleared by regulators of the jurisdiction, seen by bureau staff only."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Filing, FilingFlag, FlagCategory
from portal.review import flags
from portal.rules.workflow import Status

from ..factories import make_flag
from .conftest import signed_in, user


def flags_on(app, filing_id):
    with app.app_context():
        return db.session.scalars(
            select(FilingFlag).where(FilingFlag.filing_id == filing_id).order_by(FilingFlag.id)
        ).all()


def test_a_regulator_flags_a_filing_without_changing_it(app, world):
    with app.app_context():
        version = db.session.get(Filing, world.filing_a).version
    client = signed_in(app, "regulator")
    response = client.post(f"/review/filings/{world.filing_a}/flags?lang=en",
                           data={"category": "team_pay", "note": "按下线业绩计酬的宣传材料"})
    assert response.status_code == 302
    (flag,) = flags_on(app, world.filing_a)
    assert flag.category is FlagCategory.TEAM_PAY and flag.is_open
    with app.app_context():
        filing = db.session.get(Filing, world.filing_a)
        assert filing.version == version and filing.status is Status.SUBMITTED
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "filing.flagged"))
    page = client.get(f"/filings/{world.filing_a}?lang=en").get_data(as_text=True)
    assert "Team pay (pyramid-selling hallmark)" in page and "按下线业绩计酬的宣传材料" in page


def test_a_refused_flag_keeps_what_was_typed(app, world):
    client = signed_in(app, "regulator")
    response = client.post(f"/review/filings/{world.filing_a}/flags?lang=en",
                           data={"category": "entry_fee", "note": "   "})
    assert response.status_code == 400
    assert "Describe the concern in the note." in response.get_data(as_text=True)
    response = client.post(f"/review/filings/{world.filing_a}/flags?lang=en",
                           data={"category": "bogus", "note": "收取入会费"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose what the concern is from the list." in page and "收取入会费" in page
    assert flags_on(app, world.filing_a) == []


def test_one_open_flag_per_category(app, world):
    client = signed_in(app, "regulator")
    data = {"category": "entry_fee", "note": "收取入会费"}
    assert client.post(f"/review/filings/{world.filing_a}/flags", data=data).status_code == 302
    response = client.post(f"/review/filings/{world.filing_a}/flags?lang=en", data=data)
    assert response.status_code == 400
    assert "already has an open flag of this kind" in response.get_data(as_text=True)
    assert len(flags_on(app, world.filing_a)) == 1


def test_clearing_needs_a_note_and_happens_once(app, world):
    with app.app_context():
        flag_id = make_flag(db.session.get(Filing, world.filing_a), user("regulator")).id
        db.session.commit()
    client = signed_in(app, "regulator")
    response = client.post(f"/review/flags/{flag_id}/clear?lang=en", data={"note": ""})
    assert response.status_code == 400
    response = client.post(f"/review/flags/{flag_id}/clear", data={"note": "核查后未发现入门费"})
    assert response.status_code == 302
    (flag,) = flags_on(app, world.filing_a)
    assert not flag.is_open and flag.cleared_note == "核查后未发现入门费"
    # A second regulator clearing the same flag (say, from a page loaded earlier) is told.
    response = client.post(f"/review/flags/{flag_id}/clear?lang=en", data={"note": "再次"})
    assert response.status_code == 400
    assert "This flag was already cleared." in response.get_data(as_text=True)
    assert flags_on(app, world.filing_a)[0].cleared_note == "核查后未发现入门费"


def test_clear_is_conditional_on_the_flag_being_open(app, world):
    """The stale object still says open; the conditional update refuses all the same."""
    with app.app_context():
        flag = make_flag(db.session.get(Filing, world.filing_a), user("regulator"))
        db.session.commit()
        stale = db.session.get(FilingFlag, flag.id)
        db.session.execute(FilingFlag.__table__.update().where(FilingFlag.id == flag.id)
                           .values(cleared_note="先到", cleared_at=stale.raised_at))
        assert stale.is_open  # not refreshed
        with pytest.raises(flags.FlagError):
            flags.clear_flag(stale, "后到", user("regulator"))
        db.session.rollback()


def test_the_enterprise_never_sees_flags_and_inspectors_cannot_act(app, world):
    with app.app_context():
        make_flag(db.session.get(Filing, world.filing_a), user("regulator"), note="内部关注事项")
        db.session.commit()
    page = signed_in(app, "ent-staff").get(f"/filings/{world.filing_a}?lang=en")
    assert "内部关注事项" not in page.get_data(as_text=True)
    page = signed_in(app, "inspector").get(f"/filings/{world.filing_a}?lang=en")
    text = page.get_data(as_text=True)
    assert "内部关注事项" in text and "Clear the flag" not in text
    assert signed_in(app, "inspector").post(
        f"/review/filings/{world.filing_a}/flags", data={"category": "other", "note": "x"}
    ).status_code == 403


def test_another_bureau_cannot_see_or_clear_a_flag(app, world):
    client = signed_in(app, "regulator")
    assert client.post(f"/review/flags/{world.flag_b}/clear", data={"note": "x"}).status_code == 404
    assert flags_on(app, world.filing_b)[0].is_open
    page = signed_in(app, "regulator2").get(f"/filings/{world.filing_b}?lang=en")
    assert "注册费与发展下线挂钩" in page.get_data(as_text=True)
