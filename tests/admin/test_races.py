"""A save that loses a race on a unique value keeps the input and explains; never a 500."""

from sqlalchemy import func, select

from portal.admin import forms
from portal.extensions import db
from portal.models import Enterprise

from ..factories import USERNAMES, credit_code


def test_concurrent_duplicate_credit_code_is_reported_on_the_form(world, app, client, login,
                                                                   monkeypatch):
    # The form's own duplicate check ran before the other admin's save committed: simulate
    # that window by letting the check pass, so the database's unique constraint decides.
    monkeypatch.setattr(forms, "_taken", lambda *args, **kwargs: False)
    login(USERNAMES["admin"])
    with app.app_context():
        existing = db.session.get(Enterprise, world.enterprise_a).credit_code
        before = db.session.scalar(select(func.count(Enterprise.id)))
    response = client.post("/admin/enterprises/new?lang=en", data={
        "name": "并发测试企业有限公司", "credit_code": existing,
        "licence_no": "直销经营许可证〔2026〕第9999号", "address": "测试路9号",
        "region_code": "140502", "status": "active", "selling_regions": ["140500"],
        "approved_on": "2026-01-05",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Someone saved a record with the same code or name a moment ago" in page
    assert 'value="并发测试企业有限公司"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Enterprise.id))) == before


def test_a_fresh_code_still_saves(world, app, client, login):
    login(USERNAMES["admin"])
    response = client.post("/admin/enterprises/new", data={
        "name": "新登记企业有限公司", "credit_code": credit_code(),
        "licence_no": "直销经营许可证〔2026〕第9998号", "address": "测试路10号",
        "region_code": "140502", "status": "active", "selling_regions": ["140500"],
        "approved_on": "2026-01-05",
    })
    assert response.status_code == 302
