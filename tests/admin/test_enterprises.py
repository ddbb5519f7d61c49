"""Administrators register enterprises: credit codes, licences, seat and approved regions."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Enterprise, EnterpriseStatus

from ..factories import USERNAMES
from ..pages import input_value, select_options

VALID_CODE = "91110000600037341L"  # a published code: the check digit is right


@pytest.fixture
def admin(world, login):
    login(USERNAMES["admin"])
    return world


def enterprise_data(**changes):
    data = {
        "name": "晋泽健康产品有限公司", "name_en": "Jinze Health Products Co., Ltd.",
        "credit_code": VALID_CODE, "licence_no": "直销经营许可证〔2025〕第0999号",
        "licence_issued_on": "2025-03-01", "address": "晋城市城区泽州路9号",
        "region_code": "140502", "status": "active",
        "selling_regions": ["140500", "140400"], "approved_on": "2025-03-01",
    }
    return {**data, **changes}


def existing_data(app, enterprise_id, **changes):
    """Form data that keeps an enterprise's unique fields (so it is not refused as a duplicate)."""
    with app.app_context():
        enterprise = db.session.get(Enterprise, enterprise_id)
        kept = {"name": enterprise.name, "credit_code": enterprise.credit_code,
                "licence_no": enterprise.licence_no, "region_code": enterprise.region_code}
    return enterprise_data(**{**kept, **changes})


def created():
    return db.session.scalar(select(Enterprise).where(Enterprise.licence_no.like("%0999号")))


def regions(enterprise_id):
    enterprise = db.session.get(Enterprise, enterprise_id)
    return {r.region_code: r.approved_on for r in enterprise.approved_regions}


def test_a_valid_credit_code_is_accepted(admin, app, client):
    response = client.post("/admin/enterprises/new", data=enterprise_data())
    assert response.status_code == 302
    with app.app_context():
        enterprise = created()
        assert response.headers["Location"].endswith(f"/admin/enterprises/{enterprise.id}")
        assert enterprise.credit_code == VALID_CODE
        assert regions(enterprise.id) == {"140400": date(2025, 3, 1), "140500": date(2025, 3, 1)}
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "enterprise.created", AuditEvent.object_id == str(enterprise.id)))
        assert event.actor_name == "admin"
        assert event.details["approved_regions"] == ["140400", "140500"]


def test_credit_code_is_stored_in_capitals_without_spaces(admin, app, client):
    client.post("/admin/enterprises/new", data=enterprise_data(credit_code=" 91110000 600037341l "))
    with app.app_context():
        assert created().credit_code == VALID_CODE


@pytest.mark.parametrize(
    "code, zh, en",
    [
        ("91110000600037341X", "校验码", "check digit"),
        ("9111000060003734", "应为 18 位", "18 characters"),
        ("9111000060003734IL", "不是有效的统一社会信用代码", "not a valid unified social"),
    ],
)
def test_an_invalid_credit_code_is_refused_with_a_clear_message(admin, app, client, code, zh, en):
    response = client.post("/admin/enterprises/new", data=enterprise_data(credit_code=code))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and zh in page
    assert input_value(page, "credit_code") == code  # what was typed is kept
    assert input_value(page, "name") == "晋泽健康产品有限公司"
    assert input_value(page, "licence_issued_on") == "2025-03-01"
    assert select_options(page, "selling_regions")["140400"] is True
    page = client.post("/admin/enterprises/new?lang=en",
                       data=enterprise_data(credit_code=code)).get_data(as_text=True)
    assert en in page
    with app.app_context():
        assert created() is None


def test_a_duplicate_credit_code_or_licence_is_refused(admin, app, client):
    data = existing_data(app, admin.enterprise_a, name="另一家公司", region_code="140502")
    page = client.post("/admin/enterprises/new", data=data).get_data(as_text=True)
    assert "已有其他企业使用此统一社会信用代码" in page
    assert "已有其他企业使用此直销经营许可证号" in page
    # Nor may another enterprise be edited to take them.
    data = existing_data(app, admin.enterprise_a, region_code="140105")
    page = client.post(f"/admin/enterprises/{admin.enterprise_b}/edit", data=data)
    assert "已有其他企业使用此统一社会信用代码" in page.get_data(as_text=True)
    with app.app_context():
        assert created() is None
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "enterprise.updated")) is None


@pytest.mark.parametrize("seat", ["140500", "140000", "999999", "14050"])
def test_the_seat_must_be_a_district_or_county(admin, app, client, seat):
    page = client.post("/admin/enterprises/new",
                       data=enterprise_data(region_code=seat)).get_data(as_text=True)
    assert "不是区、县一级的行政区划代码" in page
    assert input_value(page, "region_code") == seat
    with app.app_context():
        assert created() is None


def test_a_city_without_districts_can_be_the_seat(admin, app, client):
    client.post("/admin/enterprises/new", data=enterprise_data(region_code="441900"))  # Dongguan
    with app.app_context():
        assert created().region_code == "441900"


def test_at_least_one_region_and_its_date_are_required(admin, app, client):
    page = client.post("/admin/enterprises/new",
                       data=enterprise_data(selling_regions=[])).get_data(as_text=True)
    assert "请至少选择一个核准直销区域" in page
    page = client.post("/admin/enterprises/new",
                       data=enterprise_data(approved_on="")).get_data(as_text=True)
    assert "请填写新增区域的核准日期" in page
    with app.app_context():
        assert created() is None


def test_edit_keeps_old_approval_dates_and_records_the_changes(admin, app, client):
    data = existing_data(app, admin.enterprise_a, status="suspended",
                         selling_regions=["140500", "140100"], approved_on="2026-02-01")
    response = client.post(f"/admin/enterprises/{admin.enterprise_a}/edit", data=data)
    assert response.status_code == 302
    with app.app_context():
        enterprise = db.session.get(Enterprise, admin.enterprise_a)
        assert enterprise.status is EnterpriseStatus.SUSPENDED
        assert regions(admin.enterprise_a) == {"140500": date(2024, 1, 1),
                                               "140100": date(2026, 2, 1)}
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "enterprise.updated"))
        assert event.object_id == str(admin.enterprise_a)
        assert event.details["changes"]["status"] == ["active", "suspended"]
        assert event.details["changes"]["regions_added"] == {"140100": "2026-02-01"}


def test_removing_a_region_needs_no_date_but_adding_one_does(admin, app, client):
    url = f"/admin/enterprises/{admin.enterprise_a}/edit"
    data = existing_data(app, admin.enterprise_a, selling_regions=["140400"], approved_on="")
    assert "请填写新增区域的核准日期" in client.post(url, data=data).get_data(as_text=True)
    data = existing_data(app, admin.enterprise_a, selling_regions=["140500", "140400"],
                         approved_on="2026-05-06")
    assert client.post(url, data=data).status_code == 302
    data = existing_data(app, admin.enterprise_a, selling_regions=["140400"], approved_on="")
    assert client.post(url, data=data).status_code == 302
    with app.app_context():
        assert regions(admin.enterprise_a) == {"140400": date(2026, 5, 6)}
        last = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
        assert last.details["changes"] == {"regions_removed": ["140500"]}


def test_the_edit_form_starts_from_the_stored_values(admin, app, client):
    page = client.get(f"/admin/enterprises/{admin.enterprise_b}/edit").get_data(as_text=True)
    with app.app_context():
        assert input_value(page, "credit_code") == db.session.get(
            Enterprise, admin.enterprise_b).credit_code
    assert input_value(page, "region_code") == "140105"
    assert [code for code, chosen in select_options(page, "selling_regions").items()
            if chosen] == ["140100"]
    assert select_options(page, "status")["active"] is True


def test_detail_page_shows_licence_regions_and_accounts(admin, app, client):
    page = client.get(f"/admin/enterprises/{admin.enterprise_a}").get_data(as_text=True)
    with app.app_context():
        enterprise = db.session.get(Enterprise, admin.enterprise_a)
        assert enterprise.credit_code in page and enterprise.licence_no in page
    assert "晋城市" in page  # the approved region
    assert "ent-admin" in page and "ent-staff" in page and "ent2-staff" not in page
    assert f"/admin/users/new?enterprise_id={admin.enterprise_a}" in page


def test_list_links_to_create_and_detail(admin, client):
    page = client.get("/admin/enterprises").get_data(as_text=True)
    assert "/admin/enterprises/new" in page and f"/admin/enterprises/{admin.enterprise_a}" in page
