"""Administrators manage accounts: role and organisation, deactivation, password resets."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Role, User

from ..conftest import csrf_token_from
from ..factories import PASSWORD, USERNAMES
from ..pages import input_value, select_options

TEMPORARY = "Temporary-pass-31"


@pytest.fixture
def admin(world, login):
    login(USERNAMES["admin"])
    return world


def user_data(world, **changes):
    data = {"username": "new.person", "display_name": "新用户", "email": "new@example.cn",
            "role": "enterprise_staff", "enterprise_id": world.enterprise_b, "bureau_id": "",
            "password": TEMPORARY, "confirm": TEMPORARY}
    return {**data, **changes}


def signed_in(app, username, password=PASSWORD):
    """A second browser, signed in as *username*."""
    other = app.test_client()
    response = other.post("/auth/login", data={"username": username, "password": password})
    assert response.status_code == 302
    return other


def events(action, user_id):
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.object_id == str(user_id))))


def by_name(username):
    return db.session.scalar(select(User).where(User.username == username))


def test_admin_creates_an_account_with_a_temporary_password(admin, app, client):
    response = client.post("/admin/users/new", data=user_data(admin, username="New.Person"))
    assert response.status_code == 302
    with app.app_context():
        user = by_name("new.person")
        assert user.enterprise_id == admin.enterprise_b and user.bureau_id is None
        assert user.role is Role.ENTERPRISE_STAFF and user.must_change_password
        (event,) = events("user.created", user.id)
        assert event.actor_name == "admin"
    first = app.test_client().post(
        "/auth/login", data={"username": "new.person", "password": TEMPORARY})
    assert first.headers["Location"].endswith("/auth/password")


@pytest.mark.parametrize(
    "role, enterprise, bureau, message",
    [
        ("regulator", "enterprise_a", None, "监管人员和执法检查人员须隶属于一个市场监管局"),
        ("inspector", None, None, "监管人员和执法检查人员须隶属于一个市场监管局"),
        ("enterprise_admin", None, "bureau1", "企业账号须隶属于一家企业"),
        ("enterprise_staff", "enterprise_a", "bureau1", "企业账号须隶属于一家企业"),
        ("admin", None, "bureau1", "系统管理员不隶属于任何企业或市场监管局"),
    ],
)
def test_role_and_organisation_must_fit(admin, app, client, role, enterprise, bureau, message):
    data = user_data(admin, role=role,
                     enterprise_id=getattr(admin, enterprise) if enterprise else "",
                     bureau_id=getattr(admin, bureau) if bureau else "")
    response = client.post("/admin/users/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    # What was typed is kept; the password is not sent back.
    assert input_value(page, "username") == "new.person"
    assert input_value(page, "display_name") == "新用户"
    assert select_options(page, "role")[role] is True
    assert TEMPORARY not in page
    with app.app_context():
        assert by_name("new.person") is None


def test_the_message_is_translated(admin, client):
    data = user_data(admin, role="regulator")
    page = client.post("/admin/users/new?lang=en", data=data).get_data(as_text=True)
    assert "Regulators and inspectors belong to one bureau" in page


def test_a_regulator_gets_a_bureau(admin, app, client):
    data = user_data(admin, role="regulator", enterprise_id="", bureau_id=admin.bureau2)
    assert client.post("/admin/users/new", data=data).status_code == 302
    with app.app_context():
        assert by_name("new.person").bureau_id == admin.bureau2


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"username": "Ent-Staff"}, "该用户名已被使用"),
        ({"username": "a b"}, "只能使用字母、数字"),
        ({"password": "short", "confirm": "short"}, "至少使用 10 个字符"),
        ({"password": "new.person-123", "confirm": "new.person-123"}, "密码中不得包含用户名"),
        ({"confirm": "Something-else-1"}, "两次输入的密码不一致"),
        ({"email": "not-an-address"}, "无效的 Email 地址"),
    ],
)
def test_account_details_are_checked(admin, app, client, changes, message):
    response = client.post("/admin/users/new", data=user_data(admin, **changes))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert by_name("new.person") is None


def test_the_new_account_page_can_preselect_the_enterprise(admin, client):
    page = client.get(f"/admin/users/new?enterprise_id={admin.enterprise_a}").get_data(
        as_text=True)
    assert select_options(page, "enterprise_id")[str(admin.enterprise_a)] is True
    assert select_options(page, "role")["enterprise_admin"] is True


def test_edit_changes_role_and_organisation_and_is_audited(admin, app, client):
    user_id = admin.users["enterprise_staff"]
    data = {"display_name": "改名", "email": "", "role": "inspector", "enterprise_id": "",
            "bureau_id": admin.bureau2}
    assert client.post(f"/admin/users/{user_id}/edit", data=data).status_code == 302
    with app.app_context():
        user = db.session.get(User, user_id)
        assert (user.role, user.bureau_id, user.enterprise_id) == (Role.INSPECTOR,
                                                                   admin.bureau2, None)
        (event,) = events("user.updated", user_id)
        assert event.details["changes"]["role"] == ["enterprise_staff", "inspector"]
        assert event.details["changes"]["enterprise_id"] == [admin.enterprise_a, None]


def test_edit_refuses_a_mismatched_organisation(admin, app, client):
    user_id = admin.users["regulator"]
    data = {"display_name": "x", "role": "regulator", "enterprise_id": admin.enterprise_a,
            "bureau_id": admin.bureau1}
    page = client.post(f"/admin/users/{user_id}/edit", data=data).get_data(as_text=True)
    assert "监管人员和执法检查人员须隶属于一个市场监管局" in page
    with app.app_context():
        assert db.session.get(User, user_id).enterprise_id is None


def test_admin_cannot_change_their_own_role(admin, app, client):
    data = {"display_name": "x", "role": "regulator", "bureau_id": admin.bureau1}
    page = client.post(f"/admin/users/{admin.users['admin']}/edit", data=data).get_data(
        as_text=True)
    assert "您不能更改自己账号的角色" in page
    with app.app_context():
        assert db.session.get(User, admin.users["admin"]).role is Role.ADMIN


def test_deactivation_ends_a_live_session(admin, app, client):
    staff = signed_in(app, "ent-staff")
    assert staff.get("/enterprise/").status_code == 200
    user_id = admin.users["enterprise_staff"]
    response = client.post(f"/admin/users/{user_id}/deactivate", follow_redirects=True)
    assert "账号 ent-staff 已停用" in response.get_data(as_text=True)
    assert staff.get("/enterprise/").status_code == 302  # sent back to sign in
    # Reactivating lets the person sign in again but does not revive the old session.
    client.post(f"/admin/users/{user_id}/reactivate")
    assert staff.get("/enterprise/").status_code == 302
    assert signed_in(app, "ent-staff").get("/enterprise/").status_code == 200
    with app.app_context():
        assert len(events("user.deactivated", user_id)) == 1
        assert len(events("user.reactivated", user_id)) == 1


def test_a_deactivated_account_cannot_sign_in(admin, client, app):
    client.post(f"/admin/users/{admin.users['regulator']}/deactivate")
    response = app.test_client().post(
        "/auth/login", data={"username": "regulator", "password": PASSWORD})
    assert response.status_code == 200


def test_admin_cannot_deactivate_themselves(admin, app, client):
    response = client.post(f"/admin/users/{admin.users['admin']}/deactivate",
                           follow_redirects=True)
    assert "您不能停用自己的账号" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 200
    with app.app_context():
        assert db.session.get(User, admin.users["admin"]).is_active
        assert events("user.deactivated", admin.users["admin"]) == []


def test_reset_password_sets_a_temporary_one_and_ends_sessions(admin, app, client):
    staff = signed_in(app, "ent-staff")
    user_id = admin.users["enterprise_staff"]
    response = client.post(f"/admin/users/{user_id}/password",
                           data={"password": TEMPORARY, "confirm": TEMPORARY})
    assert response.status_code == 302
    assert staff.get("/enterprise/").status_code == 302
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.must_change_password and user.check_password(TEMPORARY)
        assert len(events("user.password_reset", user_id)) == 1
    fresh = app.test_client().post("/auth/login",
                                   data={"username": "ent-staff", "password": TEMPORARY})
    assert fresh.headers["Location"].endswith("/auth/password")


def test_reset_password_follows_the_password_rules(admin, app, client):
    user_id = admin.users["enterprise_staff"]
    page = client.post(f"/admin/users/{user_id}/password",
                       data={"password": "ent-staff-2024", "confirm": "ent-staff-2024"})
    assert "密码中不得包含用户名" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user_id).check_password(PASSWORD)


def test_own_password_is_changed_on_the_password_page(admin, client):
    response = client.get(f"/admin/users/{admin.users['admin']}/password")
    assert response.headers["Location"].endswith("/auth/password")


def test_status_changes_need_a_csrf_token(admin, app, csrf_enabled):
    browser = app.test_client()
    page = browser.get("/auth/login").get_data(as_text=True)
    browser.post("/auth/login", data={"username": "admin", "password": PASSWORD,
                                      "csrf_token": csrf_token_from(page)})
    user_id = admin.users["enterprise_staff"]
    assert browser.post(f"/admin/users/{user_id}/deactivate").status_code == 400
    page = browser.get(f"/admin/users/{user_id}/edit").get_data(as_text=True)
    response = browser.post(f"/admin/users/{user_id}/deactivate",
                            data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    with app.app_context():
        assert not db.session.get(User, user_id).is_active


def test_list_and_edit_pages_link_to_the_actions(admin, client):
    user_id = admin.users["enterprise_staff"]
    assert f"/admin/users/{user_id}/edit" in client.get("/admin/users").get_data(as_text=True)
    page = client.get(f"/admin/users/{user_id}/edit").get_data(as_text=True)
    assert f'action="/admin/users/{user_id}/deactivate"' in page
    assert f"/admin/users/{user_id}/password" in page
    assert 'name="username"' not in page  # user names are fixed once created
