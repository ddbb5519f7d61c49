"""Enterprise administrators manage their own enterprise's staff accounts, and only those."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Role, User

from ..factories import PASSWORD, USERNAMES
from ..pages import input_value, select_options

TEMPORARY = "Temporary-pass-31"


@pytest.fixture
def ent_admin(world, login):
    login(USERNAMES["enterprise_admin"])
    return world


def staff_data(**changes):
    data = {"username": "clerk", "display_name": "王会计", "email": "", "role": "enterprise_staff",
            "password": TEMPORARY, "confirm": TEMPORARY}
    return {**data, **changes}


def by_name(username):
    return db.session.scalar(select(User).where(User.username == username))


def events(action, user_id):
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.object_id == str(user_id))))


def test_creates_staff_in_its_own_enterprise_only(ent_admin, app, client):
    # An enterprise_id smuggled into the form is ignored.
    data = staff_data(enterprise_id=ent_admin.enterprise_b)
    response = client.post("/enterprise/staff/new", data=data)
    assert response.status_code == 302
    with app.app_context():
        user = by_name("clerk")
        assert user.enterprise_id == ent_admin.enterprise_a and user.bureau_id is None
        assert user.role is Role.ENTERPRISE_STAFF and user.must_change_password
        (event,) = events("user.created", user.id)
        assert event.actor_name == "ent-admin"
    assert "clerk" in client.get("/enterprise/staff").get_data(as_text=True)


def test_may_create_another_enterprise_admin(ent_admin, app, client):
    client.post("/enterprise/staff/new", data=staff_data(role="enterprise_admin"))
    with app.app_context():
        assert by_name("clerk").role is Role.ENTERPRISE_ADMIN


@pytest.mark.parametrize("role", ["regulator", "inspector", "admin"])
def test_cannot_create_a_regulator_or_other_bureau_role(ent_admin, app, client, role):
    response = client.post("/enterprise/staff/new",
                           data=staff_data(role=role, bureau_id=ent_admin.bureau1))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "不是有效的选择" in page
    assert set(select_options(page, "role")) == {"enterprise_staff", "enterprise_admin"}
    with app.app_context():
        assert by_name("clerk") is None


def test_form_error_keeps_what_was_typed(ent_admin, app, client):
    page = client.post("/enterprise/staff/new",
                       data=staff_data(username="ent2-staff", email="clerk@example.cn")
                       ).get_data(as_text=True)
    assert "该用户名已被使用" in page
    assert input_value(page, "username") == "ent2-staff"
    assert input_value(page, "display_name") == "王会计"
    assert input_value(page, "email") == "clerk@example.cn"
    assert TEMPORARY not in page


OTHERS = ["enterprise2_staff", "enterprise2_admin", "regulator", "admin"]


@pytest.mark.parametrize("other", OTHERS)
def test_another_enterprises_account_is_404_everywhere(ent_admin, app, client, other):
    user_id = ent_admin.users[other]
    assert client.get(f"/enterprise/staff/{user_id}/edit").status_code == 404
    edit = {"display_name": "hijacked", "role": "enterprise_staff"}
    assert client.post(f"/enterprise/staff/{user_id}/edit", data=edit).status_code == 404
    assert client.post(f"/enterprise/staff/{user_id}/deactivate").status_code == 404
    assert client.get(f"/enterprise/staff/{user_id}/password").status_code == 404
    reset = {"password": TEMPORARY, "confirm": TEMPORARY}
    assert client.post(f"/enterprise/staff/{user_id}/password", data=reset).status_code == 404
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.is_active and user.display_name != "hijacked"
        assert user.check_password(PASSWORD)
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.object_id == str(user_id),
            AuditEvent.action.in_(["user.updated", "user.deactivated", "user.password_reset"]),
        )) is None


def test_edit_changes_the_role_within_the_enterprise(ent_admin, app, client):
    user_id = ent_admin.users["enterprise_staff"]
    page = client.get(f"/enterprise/staff/{user_id}/edit").get_data(as_text=True)
    assert input_value(page, "display_name").startswith("用户")
    data = {"display_name": "张主管", "email": "zhang@example.cn", "role": "enterprise_admin"}
    assert client.post(f"/enterprise/staff/{user_id}/edit", data=data).status_code == 302
    with app.app_context():
        user = db.session.get(User, user_id)
        assert (user.role, user.enterprise_id) == (Role.ENTERPRISE_ADMIN, ent_admin.enterprise_a)
        (event,) = events("user.updated", user_id)
        assert event.details["changes"]["role"] == ["enterprise_staff", "enterprise_admin"]
        assert event.actor_name == "ent-admin"


def test_cannot_make_a_staff_member_a_regulator(ent_admin, app, client):
    user_id = ent_admin.users["enterprise_staff"]
    data = {"display_name": "x", "role": "regulator"}
    assert "不是有效的选择" in client.post(f"/enterprise/staff/{user_id}/edit",
                                           data=data).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user_id).role is Role.ENTERPRISE_STAFF


def test_cannot_demote_or_deactivate_themselves(ent_admin, app, client):
    own = ent_admin.users["enterprise_admin"]
    page = client.post(f"/enterprise/staff/{own}/edit",
                       data={"display_name": "x", "role": "enterprise_staff"}).get_data(
        as_text=True)
    assert "您不能更改自己账号的角色" in page
    response = client.post(f"/enterprise/staff/{own}/deactivate", follow_redirects=True)
    assert "您不能停用自己的账号" in response.get_data(as_text=True)
    assert client.get("/enterprise/staff").status_code == 200  # still signed in
    with app.app_context():
        user = db.session.get(User, own)
        assert user.is_active and user.role is Role.ENTERPRISE_ADMIN
        assert events("user.deactivated", own) == []


def test_own_edit_page_offers_no_deactivation(ent_admin, client):
    own = ent_admin.users["enterprise_admin"]
    page = client.get(f"/enterprise/staff/{own}/edit").get_data(as_text=True)
    assert f"/enterprise/staff/{own}/deactivate" not in page
    assert "您不能停用自己的账号" in page


def test_deactivating_staff_ends_their_session(ent_admin, app, client):
    staff = app.test_client()
    staff.post("/auth/login", data={"username": "ent-staff", "password": PASSWORD})
    assert staff.get("/enterprise/").status_code == 200
    user_id = ent_admin.users["enterprise_staff"]
    assert client.post(f"/enterprise/staff/{user_id}/deactivate").status_code == 302
    assert staff.get("/enterprise/").status_code == 302
    client.post(f"/enterprise/staff/{user_id}/reactivate")
    with app.app_context():
        assert db.session.get(User, user_id).is_active
        assert len(events("user.deactivated", user_id)) == 1
        assert len(events("user.reactivated", user_id)) == 1


def test_reset_staff_password(ent_admin, app, client):
    user_id = ent_admin.users["enterprise_staff"]
    page = client.post(f"/enterprise/staff/{user_id}/password",
                       data={"password": "short", "confirm": "short"}).get_data(as_text=True)
    assert "至少使用 10 个字符" in page
    response = client.post(f"/enterprise/staff/{user_id}/password",
                           data={"password": TEMPORARY, "confirm": TEMPORARY})
    assert response.headers["Location"].endswith(f"/enterprise/staff/{user_id}/edit")
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.must_change_password and user.check_password(TEMPORARY)
        (event,) = events("user.password_reset", user_id)
        assert event.actor_name == "ent-admin"


def test_staff_list_links_to_the_pages(ent_admin, client):
    page = client.get("/enterprise/staff").get_data(as_text=True)
    assert "/enterprise/staff/new" in page
    assert f"/enterprise/staff/{ent_admin.users['enterprise_staff']}/edit" in page
