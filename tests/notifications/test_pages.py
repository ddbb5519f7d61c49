"""The notification centre, the navbar badge and the settings page."""

import pytest
from sqlalchemy import select, update

from portal.extensions import db
from portal.models import (
    AuditEvent,
    Notification,
    NotificationKind,
    NotificationPreference,
    utcnow,
)
from portal.notifications import operations

from ..conftest import csrf_token_from
from ..factories import USERNAMES
from ..review.conftest import signed_in
from .conftest import notes_of, user


def add_notes(username, count, read=0):
    """*count* notifications for *username* about nothing in particular, *read* of them read."""
    with db.session.no_autoflush:
        target = user(username)
        notes = operations.notify([target], NotificationKind.DEADLINE, "attendance_due",
                                  {"number": "PX-2026-000001", "title": "培训会"})
        for _ in range(count - 1):
            notes += operations.notify([target], NotificationKind.DEADLINE, "attendance_due",
                                       {"number": "PX-2026-000002", "title": "培训会"})
        for note in notes[:read]:
            operations.mark_read(note, target)
    db.session.commit()


def test_the_centre_lists_own_notifications_newest_first_unread_highlighted(app, world):
    client = signed_in(app, "regulator")
    html = client.get("/notifications/?lang=en").get_data(as_text=True)
    assert "New filing for review: Service outlet" in html
    assert "notification-unread" in html and "1 unread" in html
    assert "Mark all as read" in html
    html_zh = client.get("/notifications/?lang=zh").get_data(as_text=True)
    assert "新备案待审核：" in html_zh and "服务网点" in html_zh
    # Regulator 2's notification (enterprise B's filing) is not on regulator 1's page.
    with app.app_context():
        other = notes_of("regulator2")[0]
        assert other.params["number"] not in html


def test_the_navbar_badge_counts_unread_for_every_signed_in_user(app, world):
    with app.app_context():
        add_notes("ent-admin", 3, read=1)
    html = signed_in(app, "ent-admin").get("/enterprise/?lang=en").get_data(as_text=True)
    assert 'href="/notifications/"' in html
    assert '2<span class="visually-hidden"> unread</span>' in html
    for username in USERNAMES.values():
        page = signed_in(app, username).get("/notifications/settings")
        assert page.status_code == 200 and 'href="/notifications/"' in page.get_data(True)


def test_the_navbar_badge_is_capped_and_follows_reading(app, world):
    """The count arrives with the signed-in user (one statement): past the cap it says 99+,
    and the next page after opening a notification counts one fewer."""
    with app.app_context():
        add_notes("ent-admin", operations.BADGE_CAP + 2)
        db.session.commit()
        first = notes_of("ent-admin")[0].id
    client = signed_in(app, "ent-admin")
    html = client.get("/enterprise/?lang=en").get_data(as_text=True)
    assert '99+<span class="visually-hidden"> unread</span>' in html
    with app.app_context():
        db.session.execute(update(Notification).where(Notification.id != first)
                           .values(read_at=utcnow()))
        db.session.commit()
    html = client.get("/enterprise/?lang=en").get_data(as_text=True)
    assert '1<span class="visually-hidden"> unread</span>' in html
    client.post(f"/notifications/{first}/open")
    html = client.get("/enterprise/?lang=en").get_data(as_text=True)
    assert 'unread</span>' not in html and 'href="/notifications/"' in html


def test_the_badge_is_capped(app, world, monkeypatch):
    monkeypatch.setattr(operations, "BADGE_CAP", 99)
    with app.app_context():
        assert operations.unread_count(user("regulator"), cap=2) == 1
        add_notes("regulator", 3)
        assert operations.unread_count(user("regulator"), cap=2) == 2
        assert operations.unread_count(user("regulator")) == 4


def test_opening_marks_read_and_goes_to_the_filing(app, world):
    with app.app_context():
        note_id = notes_of("regulator")[0].id
    client = signed_in(app, "regulator")
    response = client.post(f"/notifications/{note_id}/open")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/filings/{world.filing_a}")
    with app.app_context():
        note = db.session.get(Notification, note_id)
        assert note.read_at is not None
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert "notification.read" in actions
    # Opening it again changes nothing and audits nothing more.
    client.post(f"/notifications/{note_id}/open")
    with app.app_context():
        assert db.session.scalars(select(AuditEvent.action)).all().count(
            "notification.read") == 1


def test_someone_elses_notification_is_404_and_stays_unread(app, world):
    with app.app_context():
        note_id = notes_of("regulator2")[0].id
    for username in ("regulator", "admin", "ent-admin"):
        response = signed_in(app, username).post(f"/notifications/{note_id}/open")
        assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Notification, note_id).read_at is None


def test_mark_all_read_touches_only_own_and_is_audited(app, world):
    with app.app_context():
        add_notes("regulator", 2)
    response = signed_in(app, "regulator").post("/notifications/read")
    assert response.status_code == 302
    with app.app_context():
        assert all(n.read_at for n in notes_of("regulator"))
        assert notes_of("regulator2")[0].read_at is None
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "notification.read_all"))
        assert event.details == {"count": 3}


def test_pagination(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    with app.app_context():
        add_notes("ent-staff", 5)
    client = signed_in(app, "ent-staff")
    assert client.get("/notifications/?page=3").status_code == 200
    assert client.get("/notifications/?page=4").status_code == 404


def test_settings_show_the_roles_kinds_and_save_with_an_audit(app, world):
    client = signed_in(app, "ent-staff")
    html = client.get("/notifications/settings?lang=en").get_data(as_text=True)
    assert "Decisions on our filings" in html and "Deadline reminders" in html
    assert "Filings submitted for review" not in html
    assert 'name="in_app-filing_decided" value="1" checked' in html
    # Unticked boxes are not sent: in-app off for decisions, both on for reminders.
    response = client.post("/notifications/settings", data={
        "email-filing_decided": "1", "in_app-deadline": "1", "email-deadline": "1",
        "in_app-filing_submitted": "1"})  # not the role's kind: ignored
    assert response.status_code == 302
    with app.app_context():
        staff = user("ent-staff")
        assert operations.preferences_of(staff) == {
            NotificationKind.FILING_DECIDED: (False, True),
            NotificationKind.DEADLINE: (True, True)}
        rows = db.session.scalars(select(NotificationPreference)).all()
        assert [(r.kind, r.in_app, r.email) for r in rows] == [
            (NotificationKind.FILING_DECIDED, False, True)]
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "notification.preferences"))
        assert event.details == {"changes": {"filing_decided": {"in_app": False,
                                                                "email": True}}}
    # Saving the same again changes and audits nothing.
    client.post("/notifications/settings", data={
        "email-filing_decided": "1", "in_app-deadline": "1", "email-deadline": "1"})
    with app.app_context():
        assert len(db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "notification.preferences")).all()) == 1


def test_roles_without_kinds_see_an_explanation(app, world):
    html = signed_in(app, "inspector").get("/notifications/settings?lang=en").get_data(True)
    assert "There are no notifications for your role yet." in html


@pytest.mark.usefixtures("csrf_enabled")
def test_every_form_needs_its_csrf_token(app, world):
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    client.post("/auth/login", data={"username": "regulator", "password": "Correct-horse-42",
                                     "csrf_token": csrf_token_from(page)})
    with app.app_context():
        note_id = notes_of("regulator")[0].id
    for url in ("/notifications/settings", "/notifications/read",
                f"/notifications/{note_id}/open"):
        assert client.post(url, data={}).status_code == 400, url
    page = client.get("/notifications/settings").get_data(as_text=True)
    response = client.post("/notifications/settings",
                           data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    with app.app_context():
        assert notes_of("regulator")[0].read_at is None
