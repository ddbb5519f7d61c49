"""The public disclosure pages: enterprise search, an enterprise's page, its policy document,
the return-window helper. Approved and published rows only, never personal data."""

import hashlib
from datetime import date

import pytest
from sqlalchemy import event, select

from portal.extensions import db
from portal.models import (
    Check,
    CheckStatus,
    Enterprise,
    EnterpriseStatus,
    Filing,
    Outlet,
    ReturnPolicy,
    Trainer,
)
from portal.rules.returns import ReturnDateError, period_end, return_window

from ..factories import make_enterprise, make_outlet, make_policy, make_trainer
from ..review.conftest import signed_in, user


def page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


@pytest.fixture
def public(app, world):
    """Enterprise A with filings in every state, enterprise B with one approved outlet, and a
    third enterprise whose licence is revoked."""
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        staff, regulator = user("ent-staff"), user("regulator")
        filings = {}
        for status in ("draft", "submitted", "approved", "returned", "rejected", "withdrawn"):
            filings[f"trainer_{status}"] = make_trainer(a, staff, status=status,
                                                        regulator=regulator,
                                                        name=f"培训员{status}")
            filings[f"policy_{status}"] = make_policy(
                a, staff, status=status, regulator=regulator, title=f"退换货制度{status}",
                effective_on=date(2025, 1, 1), consumer_return_days=45, refund_days=5)
        open_outlet = make_outlet(a, staff, "140525")
        from portal.filings import operations as filing_ops
        from portal.rules.workflow import Action, Side

        filing_ops.apply(open_outlet, Action.APPROVE, regulator, Side.BUREAU)
        closed = make_outlet(a, staff, "140502")
        filing_ops.apply(closed, Action.APPROVE, regulator, Side.BUREAU)
        filing_ops.apply(closed, Action.WITHDRAW, staff, Side.ENTERPRISE)
        make_outlet(a, staff, "140502")  # submitted, not yet approved
        revoked = make_enterprise(seat="140105", approved=("140100",), name="已吊销直销有限公司")
        revoked.status = EnterpriseStatus.REVOKED
        revoked_trainer = make_trainer(revoked, staff, status="approved", regulator=regulator,
                                       name="不应出现")
        db.session.commit()
        names = {key: f.title for key, f in filings.items()}
        outlets = {o.filing_id: o.name for o in db.session.scalars(select(Outlet))}
        return {"a": a.id, "b": world.enterprise_b, "revoked": revoked.id, "titles": names,
                "open_outlet": outlets[open_outlet.id], "closed_outlet": outlets[closed.id],
                "revoked_trainer": revoked_trainer.title,
                "a_credit": a.credit_code, "a_licence": a.licence_no, "a_name": a.name}


def test_anyone_searches_the_licensed_enterprises(app, public):
    client = app.test_client()
    everyone = page(client, "/public/enterprises")
    assert public["a_name"] in everyone and "已吊销直销有限公司" in everyone
    assert public["a_name"] in page(client, "/public/enterprises?q=" + public["a_name"][2:6])
    assert public["a_name"] in page(client, "/public/enterprises?q=" + public["a_credit"].lower())
    assert public["a_name"] in page(client, "/public/enterprises?q=" + public["a_licence"])
    assert "No enterprise matches." in page(client, "/public/enterprises?q=%25&lang=en")
    # A is approved for the city of Jincheng: a district of it finds A, Taiyuan does not.
    assert public["a_name"] in page(client, "/public/enterprises?region=140525")
    taiyuan = page(client, "/public/enterprises?region=140100")
    assert public["a_name"] not in taiyuan and "已吊销直销有限公司" in taiyuan
    assert public["a_name"] in page(client, "/public/enterprises?region=140000")  # province
    revoked = page(client, "/public/enterprises?status=revoked")
    assert "已吊销直销有限公司" in revoked and public["a_name"] not in revoked
    # Nonsense filters are ignored, not errors.
    assert public["a_name"] in page(client, "/public/enterprises?region=abc&status=x&page=1")


def test_an_enterprise_page_shows_approved_data_only_and_nothing_personal(app, public):
    html = page(app.test_client(), f"/public/enterprises/{public['a']}")
    titles = public["titles"]
    assert titles["trainer_approved"] in html
    for status in ("draft", "submitted", "returned", "rejected", "withdrawn"):
        assert titles[f"trainer_{status}"] not in html, status
        assert titles[f"policy_{status}"] not in html, status
    assert titles["policy_approved"] in html and "45" in html
    assert public["open_outlet"] in html and public["closed_outlet"] not in html
    with app.app_context():
        trainer_ids = db.session.scalars(select(Trainer.id_number)).all()
        outlets = db.session.scalars(select(Outlet)).all()
    for secret in [*trainer_ids, *(o.phone for o in outlets),
                   *(o.person_in_charge for o in outlets)]:
        assert secret not in html
    assert "测试理由" not in html  # no reasons of decisions


def test_a_revoked_licence_shows_no_outlets_or_trainers(app, public):
    html = page(app.test_client(), f"/public/enterprises/{public['revoked']}?lang=en")
    assert "has been revoked" in html and public["revoked_trainer"] not in html
    page(app.test_client(), "/public/enterprises/999999", status=404)
    page(app.test_client(), "/public/enterprises/99999999999999999999999", status=404)


def test_the_policy_document_in_force_and_nothing_else_is_served(app, public):
    client = app.test_client()
    response = client.get(f"/public/enterprises/{public['a']}/policy")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    with app.app_context():
        current = db.session.scalar(select(ReturnPolicy).join(Filing).where(
            Filing.title == public["titles"]["policy_approved"]))
        assert response.headers["Content-Disposition"].startswith("inline")
        assert hashlib.sha256(response.data).hexdigest() == current.document.sha256
    assert client.get(f"/public/enterprises/{public['b']}/policy").status_code == 404


def test_an_enterprise_page_takes_as_many_statements_for_many_outlets_as_for_few(app, public):
    def count():
        seen = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            page(app.test_client(), f"/public/enterprises/{public['a']}")
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    few = count()
    with app.app_context():
        a = db.session.get(Enterprise, public["a"])
        staff, regulator = user("ent-staff"), user("regulator")
        from portal.filings import operations as filing_ops
        from portal.rules.workflow import Action, Side

        for n in range(30):
            outlet = make_outlet(a, staff, "140525" if n % 2 else "140581")
            filing_ops.apply(outlet, Action.APPROVE, regulator, Side.BUREAU)
            make_trainer(a, staff, status="approved", regulator=regulator)
        db.session.commit()
    assert count() == few


def test_published_checks_only_appear_on_the_enterprise_page(demo_app):
    with demo_app.app_context():
        checks = db.session.scalars(select(Check)).all()
        enterprise_id = next(c.enterprise_id for c in checks
                             if c.status is CheckStatus.PUBLISHED)
        mine = [c for c in checks if c.enterprise_id == enterprise_id]
    html = page(demo_app.test_client(), f"/public/enterprises/{enterprise_id}")
    for check in mine:
        assert (f">{check.number}<" in html) == (check.status is CheckStatus.PUBLISHED)
    listed = page(demo_app.test_client(), f"/public/checks?enterprise={enterprise_id}")
    assert all((c.number in listed) == (c.status is CheckStatus.PUBLISHED) for c in mine)
    page(demo_app.test_client(), "/public/checks?enterprise=999999", status=404)


def test_the_return_window_follows_article_25_and_the_civil_code():
    today = date(2026, 12, 1)
    plain = return_window(date(2026, 8, 31), date(2026, 9, 10), today)
    assert plain.last_day.day == date(2026, 9, 30) and plain.last_day.moved_from is None
    assert plain.in_time and plain.refund_by.day == date(2026, 9, 17)
    # The 30th day is National Day: the period ends on the first working day after it.
    holiday = return_window(date(2026, 9, 1), date(2026, 10, 9), today)
    assert holiday.last_day.moved_from == date(2026, 10, 1)
    assert holiday.last_day.day == date(2026, 10, 8) and not holiday.in_time
    assert holiday.days_left == -1
    longer = return_window(date(2026, 11, 1), date(2026, 12, 1), today, window_days=45,
                           refund_days=5)
    assert longer.last_day.day == date(2026, 12, 16)
    assert longer.refund_by.day == date(2026, 12, 7)  # 6 December is a Sunday
    assert period_end(date(2099, 1, 1), 30).calendar_known is False
    for purchased, requested, code in ((date(2026, 12, 2), date(2026, 12, 2),
                                        "purchase_in_future"),
                                       (date(2026, 11, 2), date(2026, 11, 1),
                                        "request_before_purchase")):
        with pytest.raises(ReturnDateError) as error:
            return_window(purchased, requested, today)
        assert error.value.code == code


def test_the_return_helper_page(app, public):
    client = app.test_client()
    blank = page(client, "/public/returns?lang=en")
    assert "Work it out" in blank and "Your return window" not in blank
    html = page(client, "/public/returns?purchased_on=2026-09-01&requested_on=2026-09-20"
                        "&lang=en")
    assert "Your return window" in html and "in time" in html
    assert "next working day" in html  # 1 October 2026 is a holiday
    # The enterprise's policy in force gives 45 days and a refund within 5.
    html = page(client, f"/public/returns?purchased_on=2026-09-01&requested_on=2026-10-12"
                        f"&enterprise={public['a']}&lang=en")
    assert "45 days from the purchase" in html and "within 5 days of the request" in html
    assert public["titles"]["policy_approved"] in html
    late = page(client, "/public/returns?purchased_on=2026-09-01&requested_on=2026-10-12"
                        "&lang=en")
    assert "too late" in late
    future = page(client, "/public/returns?purchased_on=2999-01-01&lang=en", status=400)
    assert "lies in the future" in future and 'value="2999-01-01"' in future
    before = page(client, "/public/returns?purchased_on=2026-09-01&requested_on=2026-08-01"
                          "&lang=en", status=400)
    assert "before the purchase" in before
    bad = page(client, "/public/returns?purchased_on=yesterday&enterprise=x&lang=en",
               status=400)
    assert 'value="yesterday"' in bad


def test_signed_out_visitors_see_the_public_navigation(app, world):
    html = page(app.test_client(), "/public/?lang=en")
    for label in ("Licensed enterprises", "Spot-check results", "Returning a product",
                  "Sign in"):
        assert label in html
    assert "Sign out" not in html
    assert "Sign out" in page(signed_in(app, "regulator"), "/public/enterprises?lang=en")
