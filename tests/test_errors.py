"""Friendly error pages in both languages, never a stack trace."""

import pytest

from portal import create_app

from .factories import USERNAMES


def test_403_page_is_friendly(world, client, login):
    login(USERNAMES["enterprise_staff"])
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "您的账号无权访问该页面" in response.get_data(as_text=True)
    english = client.get("/admin/?lang=en").get_data(as_text=True)
    assert "Your account may not open this page." in english


def test_413_page_for_an_oversized_request(app, client):
    saved = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 100
    try:
        response = client.post("/auth/login", data={"username": "x" * 500, "password": "y"})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = saved
    assert response.status_code == 413
    assert "文件过大" in response.get_data(as_text=True)


@pytest.fixture
def failing_app(app_config, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    app = create_app({**app_config, "TESTING": False})

    @app.get("/boom")
    def boom():
        raise ZeroDivisionError("a bug")

    return app


def test_500_page_hides_the_error(failing_app):
    response = failing_app.test_client().get("/boom")
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "平台出现错误" in text
    assert "ZeroDivisionError" not in text and "Traceback" not in text
