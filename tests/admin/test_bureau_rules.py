"""An administrator sets a bureau's local rules for training meetings."""

from portal.extensions import db
from portal.models import AuditEvent, Bureau

from ..factories import USERNAMES


def form(bureau, **changes):
    data = {"name_zh": bureau.name_zh, "name_en": bureau.name_en,
            "short_name": bureau.short_name, "region_code": bureau.region_code,
            "parent_id": "", "meeting_lead_days": "10", "meeting_lead_in_working_days": "y",
            "meeting_attendance_cap": "200"}
    data.update(changes)
    return data


def test_admin_sets_lead_days_working_days_and_cap(world, app, client, login):
    login(USERNAMES["admin"])
    with app.app_context():
        bureau = db.session.get(Bureau, world.bureau1)
        data = form(bureau)
    response = client.post(f"/admin/bureaus/{world.bureau1}/edit", data=data)
    assert response.status_code == 302
    with app.app_context():
        bureau = db.session.get(Bureau, world.bureau1)
        assert (bureau.meeting_lead_days, bureau.meeting_lead_in_working_days,
                bureau.meeting_attendance_cap) == (10, True, 200)
        event = db.session.query(AuditEvent).filter_by(action="bureau.updated").one()
        assert event.details["changes"]["meeting_lead_days"] == [7, 10]


def test_lead_time_below_the_legal_seven_days_is_refused(world, app, client, login):
    login(USERNAMES["admin"])
    with app.app_context():
        data = form(db.session.get(Bureau, world.bureau1), meeting_lead_days="5")
    response = client.post(f"/admin/bureaus/{world.bureau1}/edit?lang=en", data=data)
    assert response.status_code == 200
    assert "Number must be between 7 and 60" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Bureau, world.bureau1).meeting_lead_days == 7
