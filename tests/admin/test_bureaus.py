"""Administrators create, edit, deactivate and reactivate bureaus.

Requests run without an outer app context (it would share ``g`` and the session between
requests); the database is read in ``with app.app_context()`` blocks between them.
"""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Bureau

from ..factories import USERNAMES
from ..pages import input_value, select_options


@pytest.fixture
def admin(world, login):
    login(USERNAMES["admin"])
    return world


def bureau_data(**changes):
    data = {"name_zh": "长治市市场监督管理局", "name_en": "Changzhi Bureau",
            "short_name": "长治市监", "region_code": "140400", "parent_id": "",
            "meeting_lead_days": "7"}
    return {**data, **changes}


def events(action, object_id=None):
    stmt = select(AuditEvent).where(AuditEvent.action == action)
    if object_id is not None:
        stmt = stmt.where(AuditEvent.object_id == str(object_id))
    return list(db.session.scalars(stmt))


def by_short_name(short_name):
    return db.session.scalar(select(Bureau).where(Bureau.short_name == short_name))


def test_admin_creates_a_bureau_and_it_is_audited(admin, app, client):
    response = client.post("/admin/bureaus/new", data=bureau_data())
    assert response.status_code == 302
    with app.app_context():
        bureau = by_short_name("长治市监")
        assert bureau.region_code == "140400" and bureau.jurisdiction_prefix == "1404"
        (event,) = events("bureau.created", bureau.id)
        assert event.actor_name == "admin" and event.details == {"region_code": "140400"}


def test_the_region_list_offers_provinces_and_cities(admin, client):
    page = client.get("/admin/bureaus/new").get_data(as_text=True)
    regions = select_options(page, "region_code")
    assert "140000" in regions and "140500" in regions
    assert "140502" not in regions  # districts are not offered
    assert '<optgroup label="山西省">' in page


def test_duplicate_abbreviation_is_refused_and_typed_input_kept(admin, app, client):
    with app.app_context():
        taken = db.session.get(Bureau, admin.bureau1).short_name
    response = client.post("/admin/bureaus/new", data=bureau_data(short_name=taken))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "已有其他市场监管局使用此简称" in page
    assert input_value(page, "name_zh") == "长治市市场监督管理局"
    assert select_options(page, "region_code")["140400"] is True
    with app.app_context():
        assert db.session.scalar(select(Bureau).where(Bureau.region_code == "140400")) is None


def test_unknown_region_is_not_a_valid_choice(admin, client):
    response = client.post("/admin/bureaus/new", data=bureau_data(region_code="999999"))
    assert response.status_code == 200
    assert "不是有效的选择" in response.get_data(as_text=True)


def test_parent_must_contain_the_jurisdiction(admin, app, client):
    # bureau2 is Taiyuan (1401): it cannot be the parent of a Changzhi (1404) bureau.
    response = client.post("/admin/bureaus/new", data=bureau_data(parent_id=admin.bureau2))
    assert response.status_code == 200
    assert "上级市场监管局的管辖区域必须包含本局的管辖区域" in response.get_data(as_text=True)
    with app.app_context():
        assert by_short_name("长治市监") is None


def test_edit_records_what_changed(admin, app, client):
    with app.app_context():
        province = Bureau(name_zh="山西省局", name_en="Shanxi", short_name="晋",
                          region_code="140000")
        db.session.add(province)
        db.session.commit()
        province_id = province.id
        name_zh = db.session.get(Bureau, admin.bureau1).name_zh
    data = bureau_data(name_zh=name_zh, short_name="晋城新", region_code="140500",
                       parent_id=province_id)
    response = client.post(f"/admin/bureaus/{admin.bureau1}/edit", data=data)
    assert response.status_code == 302
    with app.app_context():
        bureau = db.session.get(Bureau, admin.bureau1)
        assert bureau.short_name == "晋城新" and bureau.parent_id == province_id
        (event,) = events("bureau.updated", admin.bureau1)
        assert event.details["changes"]["short_name"][1] == "晋城新"
        assert event.details["changes"]["parent_id"] == [None, province_id]
        assert set(event.details["changes"]) == {"name_en", "short_name", "parent_id"}


def test_saving_without_a_change_writes_no_event(admin, app, client):
    page = client.get(f"/admin/bureaus/{admin.bureau1}/edit").get_data(as_text=True)
    data = {name: input_value(page, name)
            for name in ("name_zh", "name_en", "short_name", "meeting_lead_days")}
    data.update(region_code="140500", parent_id="")
    assert client.post(f"/admin/bureaus/{admin.bureau1}/edit", data=data).status_code == 302
    with app.app_context():
        assert events("bureau.updated") == []


def test_deactivate_and_reactivate(admin, app, client):
    response = client.post(f"/admin/bureaus/{admin.bureau2}/deactivate", follow_redirects=True)
    assert "已停用" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Bureau, admin.bureau2).is_active is False
    # An inactive bureau is not offered for new accounts.
    page = client.get("/admin/users/new").get_data(as_text=True)
    offered = select_options(page, "bureau_id")
    assert str(admin.bureau2) not in offered and str(admin.bureau1) in offered
    client.post(f"/admin/bureaus/{admin.bureau2}/reactivate")
    with app.app_context():
        assert db.session.get(Bureau, admin.bureau2).is_active is True
        assert len(events("bureau.deactivated", admin.bureau2)) == 1
        assert len(events("bureau.reactivated", admin.bureau2)) == 1


def test_list_links_to_the_pages(admin, client):
    page = client.get("/admin/bureaus").get_data(as_text=True)
    assert "/admin/bureaus/new" in page
    assert f"/admin/bureaus/{admin.bureau1}/edit" in page
    assert f'action="/admin/bureaus/{admin.bureau1}/deactivate"' in page
