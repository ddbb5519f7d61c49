"""Access to the notification routes with real ids: one's own notification, nobody else's."""

import pytest

from ..factories import USERNAMES
from ..review.conftest import signed_in
from .conftest import notes_of

ROLES = ["admin", "regulator", "regulator2", "inspector", "enterprise_admin",
         "enterprise_staff", "enterprise2_admin", "enterprise2_staff"]


@pytest.mark.parametrize("owner", ["regulator", "regulator2"])
@pytest.mark.parametrize("role", ROLES)
def test_only_the_recipient_opens_a_notification(app, world, owner, role):
    with app.app_context():
        note_id = notes_of(USERNAMES[owner])[0].id
    client = signed_in(app, USERNAMES[role])
    response = client.post(f"/notifications/{note_id}/open")
    assert response.status_code == (302 if role == owner else 404)
    assert client.get(f"/notifications/{note_id}/open").status_code == 405


def test_anonymous_users_are_sent_to_sign_in(app, world):
    client = app.test_client()
    with app.app_context():
        note_id = notes_of("regulator")[0].id
    for method, url in (("GET", "/notifications/"), ("GET", "/notifications/settings"),
                        ("POST", "/notifications/settings"), ("POST", "/notifications/read"),
                        ("POST", f"/notifications/{note_id}/open")):
        response = client.open(url, method=method)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
