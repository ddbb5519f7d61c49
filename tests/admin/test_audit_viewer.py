"""The administrators' audit viewer: filters, keyset pages, CSV export, chain verification."""

import csv
import io
from datetime import UTC, datetime

from sqlalchemy import func, select, update

from portal import audit
from portal.extensions import db
from portal.models import AuditEvent, User

from ..review.conftest import signed_in


def text(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def rows_shown(html: str) -> int:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return body.count("<tr>")


def add_events(app, count, action="test.filed", actor="regulator"):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == actor))
        for n in range(count):
            audit.record(action, user, actor=user, n=n)
        db.session.commit()


def existing(app, action) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action.like(action + "%")))


def test_filters_narrow_the_log(app, world):
    add_events(app, 3, "case.opened")
    add_events(app, 2, "case.closed", actor="regulator2")
    add_events(app, 1, "cases.merged")  # not under the prefix "case."
    admin = signed_in(app, "admin")
    assert rows_shown(text(admin, "/admin/audit?action=case.")) == 5
    assert rows_shown(text(admin, "/admin/audit?action=case.opened")) == 3
    assert rows_shown(text(admin, "/admin/audit?action=case.&actor=regulator2")) == 2
    assert rows_shown(text(admin, "/admin/audit?actor=nobody")) == 0
    with app.app_context():
        regulator_id = db.session.scalar(select(User.id).where(User.username == "regulator"))
        expected = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.object_type == "User", AuditEvent.object_id == str(regulator_id)))
    assert rows_shown(text(admin, f"/admin/audit?object_type=User&object_id={regulator_id}")
                      ) == expected
    # Days in China time: an entry at 23:30 UTC on 1 March is on 2 March in China.
    with app.app_context():
        first = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id))
        db.session.execute(update(AuditEvent).where(AuditEvent.id == first).values(
            created_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC)))  # breaks the chain; fine here
        db.session.commit()
    assert rows_shown(text(admin, "/admin/audit?from=2026-03-02&to=2026-03-02")) == 1
    assert rows_shown(text(admin, "/admin/audit?from=2026-03-01&to=2026-03-01")) == 0
    # Malformed filters are ignored, never a 500.
    assert rows_shown(text(admin, "/admin/audit?from=yesterday&before=x&after=-1")) > 0


def test_pages_by_keyset_newest_first(app, world):
    add_events(app, 120)
    admin = signed_in(app, "admin")
    first = text(admin, "/admin/audit?action=test.filed")
    assert rows_shown(first) == 50
    with app.app_context():
        ids = db.session.scalars(select(AuditEvent.id).where(AuditEvent.action == "test.filed")
                                 .order_by(AuditEvent.id.desc())).all()
    second = text(admin, f"/admin/audit?action=test.filed&before={ids[49]}")
    assert f"<td>{ids[50]}</td>" in second and f"<td>{ids[49]}</td>" not in second
    back = text(admin, f"/admin/audit?action=test.filed&after={ids[50]}")
    assert f"<td>{ids[0]}</td>" in back and f"<td>{ids[50]}</td>" not in back
    assert rows_shown(text(admin, f"/admin/audit?action=test.filed&before={ids[99]}")) == 20


def test_the_export_holds_the_filtered_entries_and_is_audited(app, world):
    before = existing(app, "notice.")
    add_events(app, 4, "notice.issued")
    add_events(app, 2, "=cmd|' /C calc'!A0")  # a formula-looking action is neutralised
    admin = signed_in(app, "admin")
    response = admin.get("/admin/audit/export.csv?action=notice.")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 1 + before + 4 and {r[3] for r in rows[1:]} == {"notice.issued"}
    formula = admin.get("/admin/audit/export.csv?action==cmd|' /C calc'!A0")
    cells = list(csv.reader(io.StringIO(formula.get_data(as_text=True).lstrip("\ufeff"))))
    assert cells[1][3].startswith("'=")
    with app.app_context():
        exported = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "audit.exported").order_by(AuditEvent.id)).all()
        assert exported[0].details == {"rows": before + 4, "filters": {"action": "notice."}}
    app.config["EXPORT_MAX_ROWS"] = before + 3
    try:
        refused = admin.get("/admin/audit/export.csv?action=notice.")
        assert refused.status_code == 302 and "action=notice." in refused.headers["Location"]
    finally:
        app.config["EXPORT_MAX_ROWS"] = 100_000


def test_the_chain_is_verified_on_the_page(app, world):
    admin = signed_in(app, "admin")
    assert "The chain is intact" in text(admin, "/admin/audit/verify?lang=en")
    with app.app_context():
        target = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id).offset(2)).first()
        db.session.execute(update(AuditEvent).where(AuditEvent.id == target.id)
                           .values(details={"forged": True}))
        db.session.commit()
        target_id = target.id
    page = text(admin, "/admin/audit/verify?lang=en")
    assert f"broken at entry {target_id}" in page
