"""Signing in and out: success per role, generic failures, lockout, CSRF, sessions."""

import pytest
from sqlalchemy import select

from portal import create_app
from portal.extensions import db
from portal.models import AuditEvent, LoginThrottle, User

from .conftest import csrf_token_from
from .factories import PASSWORD, USERNAMES

HOMES = {
    "admin": "/admin/",
    "regulator": "/review/",
    "inspector": "/inspections/",
    "enterprise_admin": "/enterprise/",
    "enterprise_staff": "/enterprise/",
}


@pytest.mark.parametrize("key", sorted(HOMES))
def test_each_role_lands_on_its_home_page(world, client, login, key):
    response = login(USERNAMES[key])
    assert response.status_code == 302
    assert response.headers["Location"].endswith(HOMES[key])
    assert client.get(HOMES[key]).status_code == 200


def test_wrong_password_and_unknown_user_get_the_same_message(world, login):
    wrong = login("regulator", "not-the-password-1").get_data(as_text=True)
    unknown = login("nobody-here", "not-the-password-1").get_data(as_text=True)
    message = "用户名或密码不正确"
    assert message in wrong and message in unknown


def test_login_is_case_insensitive_on_the_user_name(world, login):
    assert login("REGULATOR").status_code == 302


def test_failed_login_is_audited(world, login, app_ctx):
    login("regulator", "wrong-password-1")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.login_failed"))
    assert event.details == {"username": "regulator", "locked": False}


def test_lockout_after_repeated_failures_refuses_even_the_right_password(world, app, login):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        response = login("regulator", "wrong-password-1")
    assert "登录失败次数过多" in response.get_data(as_text=True)
    response = login("regulator", PASSWORD)
    assert response.status_code == 200
    assert "登录失败次数过多" in response.get_data(as_text=True)


def test_lockout_does_not_reveal_whether_the_name_exists(world, app, login):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        response = login("no-such-person", "wrong-password-1")
    assert "登录失败次数过多" in response.get_data(as_text=True)


def test_lockout_survives_a_restart(world, app, app_config, login):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login("regulator", "wrong-password-1")
    restarted = create_app(app_config)
    response = restarted.test_client().post(
        "/auth/login", data={"username": "regulator", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "登录失败次数过多" in response.get_data(as_text=True)


def test_success_clears_the_failure_count(world, login, app_ctx):
    login("regulator", "wrong-password-1")
    assert login("regulator").status_code == 302
    assert db.session.get(LoginThrottle, "regulator") is None


def test_deactivated_user_cannot_sign_in_and_loses_the_session(world, client, login, app):
    login("regulator")
    assert client.get("/review/").status_code == 200
    with app.app_context():
        db.session.get(User, world.users["regulator"]).is_active_account = False
        db.session.commit()
    assert client.get("/review/").status_code == 302  # back to the sign-in page
    assert "用户名或密码不正确" in login("regulator").get_data(as_text=True)


def test_logout_needs_post(world, client, login):
    login("regulator")
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/review/").status_code == 200


def test_logout_needs_a_csrf_token(world, client, login, csrf_enabled):
    page = client.get("/auth/login").get_data(as_text=True)
    client.post(
        "/auth/login",
        data={"username": "regulator", "password": PASSWORD, "csrf_token": csrf_token_from(page)},
    )
    home = client.get("/review/").get_data(as_text=True)
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/review/").status_code == 200
    response = client.post("/auth/logout", data={"csrf_token": csrf_token_from(home)})
    assert response.status_code == 302
    assert client.get("/review/").status_code == 302


def test_login_form_needs_a_csrf_token(world, client, csrf_enabled):
    response = client.post("/auth/login", data={"username": "regulator", "password": PASSWORD})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/review/enterprises", "/review/enterprises"),
        ("https://evil.example/", "/review/"),
        ("//evil.example/", "/review/"),
        ("/\\evil.example", "/review/"),
        ("javascript:alert(1)", "/review/"),
    ],
)
def test_next_only_goes_to_pages_of_the_portal(world, client, target, expected):
    response = client.post(
        "/auth/login", data={"username": "regulator", "password": PASSWORD, "next": target}
    )
    assert response.headers["Location"] == expected or response.headers["Location"].endswith(
        "portal.test" + expected
    )


def test_password_change_ends_other_sessions(world, app):
    other = app.test_client()
    other.post("/auth/login", data={"username": "regulator", "password": PASSWORD})
    client = app.test_client()
    client.post("/auth/login", data={"username": "regulator", "password": PASSWORD})
    response = client.post(
        "/auth/password",
        data={"current_password": PASSWORD, "new_password": "Another-pass-77",
              "confirm": "Another-pass-77"},
    )
    assert response.status_code == 302
    assert client.get("/review/").status_code == 200  # this session carries on
    assert other.get("/review/").status_code == 302  # the other one has ended


def test_password_rules_are_enforced_with_a_message(world, client, login):
    login("regulator")
    response = client.post(
        "/auth/password",
        data={"current_password": PASSWORD, "new_password": "short", "confirm": "short"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "至少使用 10 个字符" in text
    assert 'value="short"' not in text  # passwords are never echoed back


def test_password_is_stored_hashed(world, app_ctx):
    user = db.session.get(User, world.users["regulator"])
    assert PASSWORD not in user.password_hash
    assert user.check_password(PASSWORD)
