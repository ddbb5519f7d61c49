"""/healthz and the pages shown when the database is gone."""

from portal import create_app


def test_healthz_ok(app, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def unreachable_app(tmp_path):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1",
            "SECRET_KEY": "x",
            "TESTING": False,
            "WTF_CSRF_ENABLED": False,
        }
    )


def test_healthz_reports_a_missing_database_with_503(tmp_path):
    response = unreachable_app(tmp_path).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"


def test_pages_show_a_friendly_503_when_the_database_is_down(tmp_path):
    client = unreachable_app(tmp_path).test_client()
    response = client.post("/auth/login", data={"username": "someone", "password": "x-12345678"})
    assert response.status_code == 503
    text = response.get_data(as_text=True)
    assert "暂时无法访问" in text and "Traceback" not in text
