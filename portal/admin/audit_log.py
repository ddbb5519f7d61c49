"""The administrators' audit viewer: filter the hash-chained log, page it, export it, verify it.

The log only grows (millions of rows in a province), so the list pages by keyset on the id
(``?before=`` older, ``?after=`` newer) and the filters use indexes where they can: the actor
by user id, an action exactly, an object by type and id, the days in China Standard Time as a
range of ``created_at``; an action prefix (``notice.`` for every notice action) is a LIKE
read along the id order until the page is full.
"""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import format_datetime
from sqlalchemy import func, select

from .. import audit
from ..access import roles_required
from ..extensions import db
from ..i18n import format_number
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..models import AuditEvent, Role, User, utcnow
from ..review.export import cell_text
from ..rules.meetings import CHINA
from ..widgets import iso_date
from .views import bp

PAGE = 50
CHUNK = 1000
COLUMNS = (_l("No."), _l("Time"), _l("User"), _l("Action"), _l("Object"), _l("Object id"),
           _l("IP address"), _l("Details"), _l("Hash"))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), CHINA)


@dataclass
class Filters:
    """What the administrator narrows the log to; malformed values are dropped."""

    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    since: date | None = None
    until: date | None = None

    @classmethod
    def from_args(cls, args) -> "Filters":
        text = {key: (args.get(key) or "").strip()[:64]
                for key in ("actor", "action", "object_type", "object_id")}
        return cls(**text, since=iso_date(args.get("from")), until=iso_date(args.get("to")))

    def apply(self, stmt):
        if self.actor:
            user_id = db.session.scalar(select(User.id).where(User.username == self.actor))
            stmt = stmt.where(AuditEvent.actor_id == user_id if user_id is not None
                              else AuditEvent.actor_name == self.actor)
        if self.action.endswith("."):
            # LIKE, not a range: under a PostgreSQL locale collation (zh_CN, en_US) a range
            # compares without the dots and would miss or add actions.
            stmt = stmt.where(AuditEvent.action.startswith(self.action, autoescape=True))
        elif self.action:
            stmt = stmt.where(AuditEvent.action == self.action)
        if self.object_type:
            stmt = stmt.where(AuditEvent.object_type == self.object_type)
            if self.object_id:
                stmt = stmt.where(AuditEvent.object_id == self.object_id)
        if self.since:
            stmt = stmt.where(AuditEvent.created_at >= _midnight(self.since))
        if self.until:
            stmt = stmt.where(AuditEvent.created_at < _midnight(self.until + timedelta(days=1)))
        return stmt

    def args(self) -> dict:
        """The filters as query arguments (for the export link and the pages)."""
        out = {"actor": self.actor, "action": self.action, "object_type": self.object_type,
               "object_id": self.object_id,
               "from": self.since.isoformat() if self.since else "",
               "to": self.until.isoformat() if self.until else ""}
        return {key: value for key, value in out.items() if value}


def page_of(filters: Filters, before: int | None, after: int | None):
    """Up to :data:`PAGE` events, newest first, older than *before* or newer than *after*;
    with whether there are newer and older ones."""
    stmt = filters.apply(select(AuditEvent))
    if after is not None:
        rows = db.session.scalars(stmt.where(AuditEvent.id > after)
                                  .order_by(AuditEvent.id).limit(PAGE + 1)).all()
        return rows[:PAGE][::-1], len(rows) > PAGE, True
    if before is not None:
        stmt = stmt.where(AuditEvent.id < before)
    rows = db.session.scalars(stmt.order_by(AuditEvent.id.desc()).limit(PAGE + 1)).all()
    return rows[:PAGE], before is not None, len(rows) > PAGE


def capped_count(filters: Filters, cap: int) -> int:
    """How many events match, counting at most *cap* + 1."""
    inner = filters.apply(select(AuditEvent.id)).limit(cap + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(inner))


def csv_chunks(filters: Filters) -> Iterator[str]:
    """The matching events as CSV (UTF-8 with BOM), oldest first, written as they are read."""
    stmt = filters.apply(select(AuditEvent)).order_by(AuditEvent.id).execution_options(
        yield_per=CHUNK)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([str(c) for c in COLUMNS])
    for n, event in enumerate(db.session.scalars(stmt), 1):
        writer.writerow([cell_text(c) for c in (
            event.id, format_datetime(event.created_at, "yyyy-MM-dd HH:mm:ss"),
            event.actor_name, event.action, event.object_type, event.object_id, event.ip,
            json.dumps(event.details, ensure_ascii=False, sort_keys=True), event.hash)])
        if n % CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _cursor(name: str) -> int | None:
    value = request.args.get(name, type=int)
    return value if value is not None and 0 <= value < 2**63 else None


@bp.get("/audit")
@roles_required(Role.ADMIN)
def list_audit():
    """The audit log, newest first, filtered; 50 a page."""
    filters = Filters.from_args(request.args)
    events, has_newer, has_older = page_of(filters, _cursor("before"), _cursor("after"))
    return render_template("admin/audit.html", filters=filters, events=events,
                           has_newer=has_newer and bool(events),
                           has_older=has_older and bool(events), details=details_text)


def details_text(event: AuditEvent) -> str:
    """An entry's details as compact JSON, Chinese left readable."""
    return json.dumps(event.details, ensure_ascii=False, sort_keys=True) if event.details else ""


@bp.get("/audit/export.csv")
@roles_required(Role.ADMIN)
def export_audit():
    """The filtered log as CSV (at most EXPORT_MAX_ROWS rows); the export itself is audited."""
    filters = Filters.from_args(request.args)
    limit = current_app.config["EXPORT_MAX_ROWS"]
    total = capped_count(filters, limit)
    if total > limit:
        flash(_("More than %(limit)s events match; an export holds at most %(limit)s. Narrow "
                "the filters.", limit=format_number(limit)), "error")
        return redirect(url_for("admin.list_audit", **filters.args()))
    audit.record("audit.exported", rows=total, filters=filters.args())
    db.session.commit()
    response = current_app.response_class(stream_with_context(csv_chunks(filters)),
                                          mimetype="text/csv")
    stamp = format_datetime(utcnow(), "yyyyMMdd-HHmm")
    response.headers["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response


@bp.get("/audit/verify")
@roles_required(Role.ADMIN)
def verify_audit():
    """Walk the whole hash chain and say whether it is intact, or where it first breaks."""
    count, broken = audit.verify()
    return render_template("admin/audit_verify.html", count=count, broken=broken)

